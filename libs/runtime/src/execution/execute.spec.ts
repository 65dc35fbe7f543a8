import { describe, expect, it } from 'vitest'
import { UserFunctionError, GraphError } from '../core/errors.js'
import { StreamGraph } from '../graph/stream-graph.js'
import { Partitioners } from '../graph/partitioner.js'
import { MapOperator } from '../operators/simple-operators.js'
import { CollectionSource } from '../source/collection-source.js'
import { DataGenSource } from '../source/datagen-source.js'
import { CollectSink } from '../sink/collect-sink.js'
import { executeGraph, executeJob } from './execute.js'
import { sumMetric } from './job-client.js'
import { buildJobGraph, describeJobGraph } from '../graph/job-graph.js'
import { events, keyedSumGraph, keyedSumJob, keyedSumSink, slowSinkGraph, type KeyedSumParams } from './jobs.fixture.js'

/** What the keyed-sum job must produce, computed by a plain loop. */
const expected = (p: KeyedSumParams) => {
  const finals = new Map<string, number>()
  let running = 0
  for (const e of events(p.n, p.keys)) {
    const amount = e.amount * 2
    if (amount === 26) continue
    finals.set(e.key, (finals.get(e.key) ?? 0) + amount)
    running++
  }
  return { finals, running }
}

const finalsOf = (rows: readonly (readonly [string, number, string])[]) => {
  const m = new Map<string, number>()
  for (const [k, s, kind] of rows) if (kind === 'running') m.set(k, Math.max(m.get(k) ?? 0, s))
  return m
}

describe('executing jobs', () => {
  it('chains forward edges and every edge at parallelism 1', () => {
    const jg = buildJobGraph(keyedSumGraph({ n: 1, keys: 1, parallelism: 1 }, new CollectSink()))
    expect(jg.vertices).toHaveLength(1)
    const jg2 = buildJobGraph(keyedSumGraph({ n: 1, keys: 1, parallelism: 2 }, new CollectSink()))
    expect(describeJobGraph(jg2)).toBe(
      'vertex 0 (parallelism 2): events -> double -> drop-13s  => hash -> vertex 1\n' +
        'vertex 1 (parallelism 2): keyed-sum -> collect',
    )
  })

  it('describes fan-out and side outputs in a chain', () => {
    const g = new StreamGraph()
    const src = g.addSource(CollectionSource.of([1]), undefined, { name: 'src' })
    const a = g.addOperator(() => new MapOperator((x: number) => x), [{ from: src, partitioner: Partitioners.forward() }], { name: 'a' })
    g.addSink(new CollectSink(), [{ from: a, partitioner: Partitioners.forward() }], { name: 'main' })
    g.addSink(new CollectSink(), [{ from: a, partitioner: Partitioners.forward(), sideOutput: 'late' }], { name: 'late' })
    expect(describeJobGraph(buildJobGraph(g))).toBe('vertex 0 (parallelism 1): src -> a -> { main, [late] late }')
  })

  it('runs source -> map -> filter -> keyBy -> keyed state and timers in one thread', async () => {
    const p = { n: 5_000, keys: 37, parallelism: 1 }
    const sink = new CollectSink<[string, number, string]>()
    const result = await executeGraph(keyedSumGraph(p, sink)).result
    const want = expected(p)
    expect(result.status).toBe('FINISHED')
    expect(finalsOf(sink.values)).toEqual(want.finals)
    expect(sink.values.filter((r) => r[2] === 'running')).toHaveLength(want.running)
    // every key's timer fired with its final sum once the bounded input ended (+Infinity watermark)
    const timerRows = sink.values.filter((r) => r[2] === 'timer')
    const lastTimer = new Map<string, number>()
    for (const [k, s] of timerRows) lastTimer.set(k, s)
    expect(lastTimer).toEqual(want.finals)
    // everything was chained into one task: no gate, and every operator counted its records
    expect(Object.keys(result.metrics).filter((k) => k.endsWith('maxQueuedBatches'))).toEqual([])
    expect(sumMetric(result.metrics, 'numRecordsOut', 'events')).toBe(p.n)
    expect(sumMetric(result.metrics, 'numRecordsIn', 'drop-13s')).toBe(p.n)
    expect(sumMetric(result.metrics, 'numRecordsIn', 'keyed-sum')).toBe(want.running)
    expect(sumMetric(result.metrics, 'numRecordsOut', 'keyed-sum')).toBe(sink.values.length)
    expect(sumMetric(result.metrics, 'numRecordsIn', 'collect')).toBe(sink.values.length)
  })

  it.each([
    [2, false],
    [3, false],
    [2, true],
  ] as const)('gives the same results at parallelism %i (threads: %s)', async (parallelism, threads) => {
    const p = { n: 6_000, keys: 101, parallelism }
    keyedSumSink.clear()
    const result = threads
      ? await executeJob(keyedSumJob, p, { threads: true }).result
      : await executeGraph(keyedSumGraph(p, keyedSumSink)).result
    const want = expected(p)
    expect(result.status).toBe('FINISHED')
    expect(finalsOf(keyedSumSink.values)).toEqual(want.finals)
    expect(keyedSumSink.values.filter((r) => r[2] === 'running')).toHaveLength(want.running)
    expect(sumMetric(result.metrics, 'numRecordsIn', 'keyed-sum')).toBe(want.running)
    // per key, the running sums arrive in order (one key is always on one subtask)
    const last = new Map<string, number>()
    for (const [k, s, kind] of keyedSumSink.values) {
      if (kind !== 'running') continue
      expect(s).toBeGreaterThan(last.get(k) ?? 0)
      last.set(k, s)
    }
  }, 30_000)

  it('fails the job with an error naming the operator, the subtask and the key', async () => {
    const p = { n: 1_000, keys: 10, parallelism: 2, failOn: 'k3' }
    const sink = new CollectSink<[string, number, string]>()
    const err = await executeGraph(keyedSumGraph(p, sink)).result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UserFunctionError)
    const u = err as UserFunctionError
    expect(u.operatorName).toBe('keyed-sum')
    expect(u.key).toBe('k3')
    expect(u.message).toMatch(/^Operator 'keyed-sum' \(subtask [12]\/2\) failed while processing a record with key "k3": Error: bad record/)
  })

  it('reports a failure in a worker thread the same way', async () => {
    const err = await executeJob(keyedSumJob, { n: 1_000, keys: 10, parallelism: 2, failOn: 'k5' }).result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UserFunctionError)
    expect((err as UserFunctionError).key).toBe('k5')
    expect((err as Error).message).toMatch(/Operator 'keyed-sum' \(subtask [12]\/2\)/)
  }, 30_000)

  it('bounds the queue between a fast source and a slow consumer (credit-based flow control)', async () => {
    const count = 60_000
    const sink = new CollectSink<number>()
    const result = await executeGraph(slowSinkGraph(sink, count)).result
    expect(sink.values).toHaveLength(count)
    // The producer stops when its channel is out of credit (4 batches of 64). A task only checks
    // credit between steps, and one step of the datagen reader emits up to 1024 records (16
    // batches), so the bound is credits + one step + one partial batch; without flow control the
    // whole run (~940 batches) would pile up in the gate.
    const backlog = Object.entries(result.metrics).filter(([k]) => k.endsWith('slow.0.maxQueuedBatches'))
    expect(backlog).toHaveLength(1)
    expect(backlog[0]![1]).toBeGreaterThan(0)
    expect(backlog[0]![1]).toBeLessThanOrEqual(4 + 1024 / 64 + 1)
  }, 30_000)

  it('fails the job when an operator cannot close, and names it', async () => {
    class BadClose extends MapOperator<number, number> {
      override close(): void {
        throw new Error('cannot close')
      }
    }
    const g = new StreamGraph()
    const src = g.addSource(CollectionSource.of([1, 2, 3]), undefined, { name: 'src' })
    const op = g.addOperator(() => new BadClose((x: number) => x), [{ from: src, partitioner: Partitioners.forward() }], { name: 'bad-close' })
    const sink = new CollectSink<number>()
    g.addSink(sink, [{ from: op, partitioner: Partitioners.forward() }], { name: 'collect' })
    await expect(executeGraph(g).result).rejects.toThrow(
      /^Operator 'bad-close' \(subtask 1\/1\) failed while processing close\(\): Error: cannot close$/,
    )
  })

  it('cancels an unbounded job', async () => {
    const g = new StreamGraph({ jobName: 'forever' })
    const src = g.addSource(DataGenSource.of((i) => i), undefined, { name: 'gen' })
    const sink = new CollectSink<number>()
    g.addSink(sink, [{ from: src, partitioner: Partitioners.forward() }], { name: 'collect' })
    const client = executeGraph(g)
    await new Promise((r) => setTimeout(r, 50))
    client.cancel()
    const result = await client.result
    expect(result.status).toBe('CANCELED')
    expect(sumMetric(client.metrics(), 'numRecordsOut')).toBeGreaterThanOrEqual(0)
  })

  it('reports every problem of an invalid graph at once', () => {
    const g = new StreamGraph({ maxParallelism: 4 })
    const src = g.addSource(CollectionSource.of([1]), undefined, { name: 'src', parallelism: 2 })
    const m = g.addOperator(() => new MapOperator((x: number) => x), [{ from: src, partitioner: Partitioners.forward() }], { name: 'map', parallelism: 3 })
    g.addOperator(() => new MapOperator((x: number) => x), [{ from: m, partitioner: Partitioners.rebalance() }], { name: 'wide', parallelism: 8 })
    expect(() => executeGraph(g)).toThrow(GraphError)
    expect(() => executeGraph(g)).toThrow(/forward edge 'src' \(parallelism 2\) -> 'map' \(parallelism 3\) needs equal parallelism/)
    expect(() => executeGraph(g)).toThrow(/'wide' has parallelism 8, above the job's maxParallelism 4/)
  })
})
