import { describe, expect, it } from 'vitest'
import { StreamGraph } from '../../graph/stream-graph.js'
import { Partitioners } from '../../graph/partitioner.js'
import { DataGenSource } from '../../source/datagen-source.js'
import { WatermarkStrategy } from '../../watermark/watermark-strategy.js'
import { executeGraph } from '../../execution/execute.js'
import { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js'
import type { OneInputStreamOperator } from '../../operators/stream-operator.js'
import { ValueStateDescriptor } from '../../state/state-descriptor.js'
import type { ValueState } from '../../state/state.js'
import { RestartStrategies } from '../restart-strategy.js'
import { ValidatingSink } from './validating-sink.fixture.js'

interface Ev {
  readonly key: string
  readonly v: number
}

/** Emits (key, running sum) per record. */
class RunningSum extends AbstractStreamOperator<string> implements OneInputStreamOperator<Ev, string> {
  private sum!: ValueState<number>
  override open(): void {
    this.sum = this.keyedBackend().getOrCreateKeyedState(new ValueStateDescriptor<number>('sum')).state
  }
  processElement(e: Ev, ts: number): void {
    this.keyedBackend().setCurrentKey(e.key)
    const s = (this.sum.value() ?? 0) + e.v
    this.sum.update(s)
    this.output.collect(`${e.key}=${s}`, ts)
  }
}

/** Passes records on; throws once after `failAfter` records when a checkpoint has completed. */
class FailOnce extends AbstractStreamOperator<Ev> implements OneInputStreamOperator<Ev, Ev> {
  static failures = 0
  static completed = 0
  private seen = 0
  constructor(private readonly failAfter: number, private readonly maxFailures: number) {
    super()
  }
  processElement(e: Ev, ts: number): void {
    if (++this.seen >= this.failAfter && FailOnce.completed > 0 && FailOnce.failures < this.maxFailures) {
      FailOnce.failures++
      FailOnce.completed = 0
      throw new Error('injected failure')
    }
    this.output.collect(e, ts)
  }
  override notifyCheckpointComplete(): void {
    FailOnce.completed++
  }
}

const N = 4000
// a bounded datagen at parallelism 2 reads [0, N/2) and [N/2, N): a key's records all come from
// one split, so their order, and so the running sums, are fixed
const ev = (i: number): Ev => ({ key: `${i < N / 2 ? 'a' : 'b'}${i % 9}`, v: (i % 5) + 1 })

const expected = (n: number): string[] => {
  const sums = new Map<string, number>()
  const out: string[] = []
  for (let i = 0; i < n; i++) {
    const e = ev(i)
    const s = (sums.get(e.key) ?? 0) + e.v
    sums.set(e.key, s)
    out.push(`${e.key}=${s}`)
  }
  return out.sort()
}

const job = (n: number, parallelism: number, sink: ValidatingSink<string>, failAfter: number, maxFailures: number): StreamGraph => {
  const g = new StreamGraph({
    jobName: 'exactly-once',
    parallelism,
    checkpointing: { intervalMs: 10 },
    restartStrategy: RestartStrategies.fixedDelay(10, 0),
  })
  const src = g.addSource(DataGenSource.of(ev, { count: n, rowsPerSecond: n * 2 }), WatermarkStrategy.noWatermarks(), { name: 'gen', uid: 'gen' })
  const failing = g.addOperator(() => new FailOnce(failAfter, maxFailures), [{ from: src, partitioner: Partitioners.forward() }], { name: 'fail', uid: 'fail' })
  const byKey = (e: Ev): string => e.key
  const sum = g.addOperator(() => new RunningSum(), [{ from: failing, partitioner: Partitioners.hash(byKey) }], { name: 'sum', uid: 'sum', keySelectors: [byKey] })
  g.addSink(sink, [{ from: sum, partitioner: Partitioners.forward() }], { name: 'sink', uid: 'sink' })
  return g
}

describe('exactly-once with in-process failures', () => {
  it('commits every running sum exactly once after operator failures', async () => {
    FailOnce.failures = 0
    FailOnce.completed = 0
    const sink = new ValidatingSink<string>()
    const n = N
    const result = await executeGraph(job(n, 2, sink, 300, 3), { log: process.env.DBG ? (m) => console.log('LOG', m) : () => {} }).result
    expect(result.status).toBe('FINISHED')
    // two subtasks may fail in the same attempt: one restart for both
    expect(result.restarts).toBeGreaterThanOrEqual(1)
    expect(result.restarts).toBeLessThanOrEqual(FailOnce.failures)
    if (process.env.DBG) {
      const got = new Set(sink.committed)
      const missing = expected(n).filter((x) => !got.has(x))
      console.log('missing', missing.length, missing.slice(0, 30).join(' '), 'commits', sink.commits.join(','), 'failures', FailOnce.failures, 'restarts', result.restarts)
    }
    expect(sink.committed.slice().sort()).toEqual(expected(n))
  }, 30_000)
})
