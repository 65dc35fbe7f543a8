import { describe, expect, it } from 'vitest'
import { StreamGraph } from '../../graph/stream-graph.js'
import { Partitioners } from '../../graph/partitioner.js'
import { DataGenSource } from '../../source/datagen-source.js'
import { WatermarkStrategy } from '../../watermark/watermark-strategy.js'
import { executeGraph } from '../../execution/execute.js'
import { MapOperator } from '../../operators/simple-operators.js'
import { RestartStrategies } from '../restart-strategy.js'
import { CheckpointError } from '../storage/errors.js'
import type { CheckpointingOptions } from '../checkpointing-options.js'
import { ValidatingSink } from './validating-sink.fixture.js'

const job = (checkpointing: CheckpointingOptions, sink: ValidatingSink<number>, n = 3000): StreamGraph => {
  const g = new StreamGraph({ jobName: 'checkpoint-failures', parallelism: 2, checkpointing, restartStrategy: RestartStrategies.noRestart() })
  const src = g.addSource(DataGenSource.of((i) => i, { count: n, rowsPerSecond: n * 4 }), WatermarkStrategy.noWatermarks(), { name: 'gen' })
  const m = g.addOperator(() => new MapOperator((x: number) => x * 2), [{ from: src, partitioner: Partitioners.rebalance() }], { name: 'double' })
  g.addSink(sink, [{ from: m, partitioner: Partitioners.forward() }], { name: 'sink' })
  return g
}

describe('failed checkpoints', () => {
  it('fail the job once more than the tolerated number failed in a row (timeouts here)', async () => {
    const run = executeGraph(job({ intervalMs: 5, timeoutMs: 1, tolerableFailures: 2 }, new ValidatingSink()), { log: () => {} })
    const error = await run.result.catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckpointError)
    expect(String((error as Error).message)).toMatch(/3 failed checkpoint\(s\) in a row, more than the 2 tolerated/)
  }, 20_000)

  it('do not fail the job while tolerated; output is still committed exactly once at the end', async () => {
    const sink = new ValidatingSink<number>()
    const result = await executeGraph(job({ intervalMs: 5, timeoutMs: 1, tolerableFailures: Number.POSITIVE_INFINITY }, sink), { log: () => {} }).result
    expect(result.status).toBe('FINISHED')
    expect(result.metrics['checkpoint-failures.numberOfFailedCheckpoints']).toBeGreaterThan(0)
    expect(sink.committed.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 3000 }, (_, i) => i * 2))
  }, 20_000)

  it('AT_LEAST_ONCE checkpoints complete without alignment and the output is complete', async () => {
    const sink = new ValidatingSink<number>()
    const result = await executeGraph(job({ intervalMs: 5, mode: 'AT_LEAST_ONCE' }, sink), { log: () => {} }).result
    expect(result.metrics['checkpoint-failures.numberOfCompletedCheckpoints']).toBeGreaterThan(0)
    expect(sink.committed.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: 3000 }, (_, i) => i * 2))
  }, 20_000)

  it('reject bad options with the option named', () => {
    expect(() => executeGraph(job({ intervalMs: 0 }, new ValidatingSink()))).toThrow(/intervalMs/)
  })
})
