import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StreamGraph } from '../graph/stream-graph.js'
import { Partitioners } from '../graph/partitioner.js'
import { CollectionSource } from '../source/collection-source.js'
import { CollectSink } from '../sink/collect-sink.js'
import { WatermarkStrategy } from '../watermark/watermark-strategy.js'
import { executeGraph } from './execute.js'
import { KeyedSumOperator, type Event } from './jobs.fixture.js'

const run = async (input: readonly Event[], parallelism: number, sinkParallelism: number) => {
  const g = new StreamGraph({ parallelism, maxParallelism: 16, batchSize: 7, channelCredits: 2 })
  const src = g.addSource(
    CollectionSource.of(input),
    WatermarkStrategy.forBoundedOutOfOrderness<Event>(50).withTimestampAssigner((e) => e.ts),
    { name: 'src' },
  )
  const byKey = (e: Event): string => e.key
  const sum = g.addOperator(() => new KeyedSumOperator(), [{ from: src, partitioner: Partitioners.hash(byKey) }], {
    name: 'sum',
    keySelectors: [byKey],
  })
  const sink = new CollectSink<[string, number, string]>()
  g.addSink(sink, [{ from: sum, partitioner: Partitioners.rebalance() }], { name: 'sink', parallelism: sinkParallelism })
  await executeGraph(g).result
  return sink.values
}

describe('a keyed computation under any parallelism', () => {
  it('gives the per-key results of a plain loop, whatever the parallelism, batch size and key interleaving', async () => {
    const event = fc.record({
      key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'),
      amount: fc.integer({ min: 1, max: 100 }),
      ts: fc.integer({ min: 0, max: 10_000 }),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 200 }),
        fc.constantFrom(1, 2, 3, 4),
        fc.constantFrom(1, 2),
        async (input, parallelism, sinkParallelism) => {
          const rows = await run(input, parallelism, sinkParallelism)
          // per key: the running sums of the input order. A key stays on one subtask of 'sum', but a
          // rebalanced sink at parallelism 2 interleaves its records: then compare them sorted (they
          // rise strictly, so sorting loses nothing); a sink at parallelism 1 must keep the order.
          const want = new Map<string, number[]>()
          const totals = new Map<string, number>()
          for (const e of input) {
            const s = (totals.get(e.key) ?? 0) + e.amount
            totals.set(e.key, s)
            want.set(e.key, [...(want.get(e.key) ?? []), s])
          }
          const got = new Map<string, number[]>()
          const timerFinal = new Map<string, number>()
          for (const [k, s, kind] of rows) {
            if (kind === 'running') got.set(k, [...(got.get(k) ?? []), s])
            else timerFinal.set(k, Math.max(timerFinal.get(k) ?? 0, s))
          }
          if (sinkParallelism > 1) for (const sums of got.values()) sums.sort((a, b) => a - b)
          expect(got).toEqual(want)
          // the last timer of each key fires at the end of input, after all its records
          expect(timerFinal).toEqual(totals)
        },
      ),
      { numRuns: 60 },
    )
  }, 60_000)
})
