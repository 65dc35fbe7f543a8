import { describe, expect, it } from 'vitest'
import { DataGenSource, ExactlyOnceCollectSink, RestartStrategies, WatermarkStrategy } from '@strom/runtime'
import type { CheckpointListener, CheckpointedFunction, FunctionInitializationContext, FunctionSnapshotContext } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import { AsyncDataStream } from './async-data-stream.js'
import { RichAsyncFunction, type ResultFuture } from './async-function.js'

/**
 * A lookup that answers after a random short delay. It notes how many calls were in flight at
 * each checkpoint and, after the first checkpoints that had some complete, fails a call: the job
 * then restarts from a checkpoint taken with calls in flight.
 */
class FlakyLookup extends RichAsyncFunction<number, string> implements CheckpointedFunction, CheckpointListener {
  static inFlightAt = new Map<number, number>()
  static restoredWithInFlight = 0
  static failures = 0
  static maxFailures = 2
  private static armed = false
  private inFlight = 0

  static reset(maxFailures: number): void {
    FlakyLookup.inFlightAt.clear()
    FlakyLookup.restoredWithInFlight = 0
    FlakyLookup.failures = 0
    FlakyLookup.maxFailures = maxFailures
    FlakyLookup.armed = false
  }

  asyncInvoke(x: number, rf: ResultFuture<string>): void {
    if (FlakyLookup.armed) {
      FlakyLookup.armed = false
      FlakyLookup.failures++
      rf.completeExceptionally(new Error('injected failure'))
      return
    }
    this.inFlight++
    setTimeout(
      () => {
        this.inFlight--
        rf.complete([`v${x}`])
      },
      Math.floor(Math.random() * 4),
    )
  }

  initializeState(ctx: FunctionInitializationContext): void {
    if (ctx.isRestored() && (FlakyLookup.inFlightAt.get(ctx.restoredCheckpointId!) ?? 0) > 0) FlakyLookup.restoredWithInFlight++
  }

  snapshotState(ctx: FunctionSnapshotContext): void {
    FlakyLookup.inFlightAt.set(ctx.checkpointId, this.inFlight)
  }

  notifyCheckpointComplete(checkpointId: number): void {
    if (FlakyLookup.failures < FlakyLookup.maxFailures && (FlakyLookup.inFlightAt.get(checkpointId) ?? 0) > 0) FlakyLookup.armed = true
  }
}

const N = 600

const run = async (mode: 'ordered' | 'unordered', parallelism: number) => {
  FlakyLookup.reset(2)
  const env = StreamExecutionEnvironment.create({ parallelism })
  env.enableCheckpointing(20)
  env.setRestartStrategy(RestartStrategies.fixedDelay(10, 0))
  // slow enough for a dozen checkpoints while calls are in flight
  const source = env.fromSource(DataGenSource.of((i) => i, { count: N, rowsPerSecond: N * 3 }), WatermarkStrategy.noWatermarks<number>(), 'gen')
  const lookup = new FlakyLookup()
  const enriched = mode === 'ordered' ? AsyncDataStream.orderedWait(source, lookup, 0, 8) : AsyncDataStream.unorderedWait(source, lookup, 0, 8)
  const sink = new ExactlyOnceCollectSink<string>()
  enriched.sinkTo(sink)
  const logs: string[] = []
  const result = await env.execute(`async-checkpoint-${mode}`, { log: (m) => logs.push(m) })
  return { result, sink, logs }
}

describe('async I/O with checkpoints', () => {
  it('ordered: after failures, every result is committed exactly once and in order', async () => {
    const { result, sink, logs } = await run('ordered', 1)
    expect(result.status).toBe('FINISHED')
    expect(logs.some((m) => m.includes('injected failure') && m.includes('from checkpoint'))).toBe(true)
    expect(FlakyLookup.failures).toBeGreaterThanOrEqual(1)
    expect(result.restarts).toBeGreaterThanOrEqual(1)
    // the restore started again calls that were in flight at the checkpoint
    expect(FlakyLookup.restoredWithInFlight).toBeGreaterThanOrEqual(1)
    expect(sink.values).toEqual(Array.from({ length: N }, (_, i) => `v${i}`))
  }, 30_000)

  it('unordered, parallelism 2: every result committed exactly once', async () => {
    const { result, sink } = await run('unordered', 2)
    expect(result.status).toBe('FINISHED')
    expect(result.restarts).toBeGreaterThanOrEqual(1)
    expect(FlakyLookup.restoredWithInFlight).toBeGreaterThanOrEqual(1)
    const values = sink.values
    expect(values).toHaveLength(N)
    expect(new Set(values).size).toBe(N)
    expect([...values].sort()).toEqual(Array.from({ length: N }, (_, i) => `v${i}`).sort())
  }, 30_000)
})
