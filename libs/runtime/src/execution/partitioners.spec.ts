import { describe, expect, it } from 'vitest'
import { StreamGraph } from '../graph/stream-graph.js'
import { Partitioners, type Partitioner } from '../graph/partitioner.js'
import { MapOperator } from '../operators/simple-operators.js'
import { CollectionSource } from '../source/collection-source.js'
import { CollectSink } from '../sink/collect-sink.js'
import { keyGroupOf, subtaskForKeyGroup } from '../core/key-groups.js'
import { executeGraph } from './execute.js'
import { WatermarkStrategy } from '../watermark/watermark-strategy.js'
import { KeyedSumOperator, type Event } from './jobs.fixture.js'

const N = 300

/** source (parallelism 2) -[partitioner]-> identity (parallelism `down`) -> sink chained to it. */
const run = async (partitioner: Partitioner, down: number) => {
  const g = new StreamGraph({ maxParallelism: 64, batchSize: 16 })
  const src = g.addSource(CollectionSource.of(Array.from({ length: N }, (_, i) => i)), undefined, { name: 'src', parallelism: 2 })
  const id = g.addOperator(() => new MapOperator((x: number) => x), [{ from: src, partitioner }], { name: 'id', parallelism: down })
  const sink = new CollectSink<number>()
  g.addSink(sink, [{ from: id, partitioner: Partitioners.forward() }], { name: 'sink', parallelism: down })
  await executeGraph(g).result
  const bySubtask = Array.from({ length: down }, (_, s) => sink.valuesOf(s))
  return { all: [...sink.values].sort((a, b) => a - b), bySubtask }
}

const range = Array.from({ length: N }, (_, i) => i)

describe('partitioners', () => {
  it('rebalance spreads every record once, evenly', async () => {
    const { all, bySubtask } = await run(Partitioners.rebalance(), 3)
    expect(all).toEqual(range)
    for (const part of bySubtask) expect(part.length).toBeGreaterThanOrEqual(N / 3 - 2)
  })

  it('broadcast sends every record to every subtask', async () => {
    const { bySubtask } = await run(Partitioners.broadcast(), 3)
    for (const part of bySubtask) expect([...part].sort((a, b) => a - b)).toEqual(range)
  })

  it('global sends everything to subtask 0', async () => {
    const { bySubtask } = await run(Partitioners.global(), 3)
    expect([...bySubtask[0]!].sort((a, b) => a - b)).toEqual(range)
    expect(bySubtask[1]).toEqual([])
    expect(bySubtask[2]).toEqual([])
  })

  it('lets the watermark pass subtasks that a global edge gives no records', async () => {
    // global (3 subtasks, only subtask 0 gets records) -> hash -> keyed sum with event-time timers:
    // the timers fire only if the idle subtasks 1 and 2 pass on the end of input as +Infinity
    const g = new StreamGraph({ maxParallelism: 64, batchSize: 16 })
    const input = Array.from({ length: 50 }, (_, i) => ({ key: `k${i % 5}`, amount: 1, ts: i }))
    const src = g.addSource(
      CollectionSource.of(input),
      WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((e) => e.ts),
      { name: 'src', parallelism: 2 },
    )
    const id = g.addOperator(() => new MapOperator((e: Event) => e), [{ from: src, partitioner: Partitioners.global() }], { name: 'id', parallelism: 3 })
    const byKey = (e: Event): string => e.key
    const sum = g.addOperator(() => new KeyedSumOperator(), [{ from: id, partitioner: Partitioners.hash(byKey) }], { name: 'sum', parallelism: 2, keySelectors: [byKey] })
    const sink = new CollectSink<[string, number, string]>()
    g.addSink(sink, [{ from: sum, partitioner: Partitioners.forward() }], { name: 'sink', parallelism: 2 })
    await executeGraph(g).result
    const timers = sink.values.filter((r) => r[2] === 'timer')
    expect(new Set(timers.map((r) => r[0]))).toEqual(new Set(['k0', 'k1', 'k2', 'k3', 'k4']))
    expect(Math.max(...timers.map((r) => r[1]))).toBe(10)
  })

  it('hash sends each key to the subtask owning its key group', async () => {
    const { all, bySubtask } = await run(Partitioners.hash((x: number) => x % 17), 3)
    expect(all).toEqual(range)
    bySubtask.forEach((part, s) => {
      for (const x of part) expect(subtaskForKeyGroup(64, 3, keyGroupOf(x % 17, 64))).toBe(s)
    })
  })

  it('custom sends each record where the function says', async () => {
    const { bySubtask } = await run(Partitioners.custom((k: number, n) => k % n, (x: number) => x), 4)
    bySubtask.forEach((part, s) => {
      expect(part.length).toBe(N / 4)
      for (const x of part) expect(x % 4).toBe(s)
    })
  })

  it('rescale sends each upstream subtask to its own group of downstream subtasks', async () => {
    const { all, bySubtask } = await run(Partitioners.rescale(), 4)
    expect(all).toEqual(range)
    // the collection source gives subtask 0 the first half and subtask 1 the second half
    for (const x of [...bySubtask[0]!, ...bySubtask[1]!]) expect(x).toBeLessThan(N / 2)
    for (const x of [...bySubtask[2]!, ...bySubtask[3]!]) expect(x).toBeGreaterThanOrEqual(N / 2)
  })

  it('shuffle spreads every record once', async () => {
    const { all, bySubtask } = await run(Partitioners.shuffle(), 3)
    expect(all).toEqual(range)
    expect(bySubtask.every((p) => p.length > 0)).toBe(true)
  })

  it('rejects a custom partition outside the range with a clear error', async () => {
    await expect(run(Partitioners.custom(() => 7, (x: number) => x), 2)).rejects.toThrow(
      /custom partitioner returned partition 7; it must be an integer in \[0, 2\)/,
    )
  })
})
