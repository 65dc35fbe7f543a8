import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CollectionSource, WatermarkStrategy } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import type { DataStream } from '../datastream/data-stream.js'
import { SlidingEventTimeWindows } from './sliding-windows.js'
import { TumblingEventTimeWindows } from './tumbling-windows.js'

interface Sale {
  readonly shop: string
  readonly amount: number
  readonly seq: number
}

/** Sales with timestamps in arrival order (some out of order); watermarks only at the end. */
const stream = (env: StreamExecutionEnvironment, sales: readonly { sale: Sale; ts: number }[]): DataStream<Sale> =>
  env.fromSource(
    CollectionSource.ofTimestamped(sales.map((s) => ({ value: s.sale, timestamp: s.ts }))),
    WatermarkStrategy.noWatermarks<Sale>(),
    'sales',
  )

const input = fc
  .array(fc.record({ shop: fc.constantFrom('a', 'b'), amount: fc.integer({ min: -20, max: 20 }), ts: fc.integer({ min: 0, max: 40 }) }), {
    maxLength: 40,
  })
  .map((rows) => rows.map((r, seq) => ({ sale: { shop: r.shop, amount: r.amount, seq }, ts: r.ts })))

/** The windows [start, start + size) of a timestamp, for a slide. */
const windowsOf = (ts: number, size: number, slide: number): number[] => {
  const starts: number[] = []
  for (let start = ts - (ts % slide); start > ts - size; start -= slide) starts.push(start)
  return starts
}

/** Per (shop, window), the sales in arrival order, reduced by `fn`. */
const brute = (
  sales: readonly { sale: Sale; ts: number }[],
  size: number,
  slide: number,
  fn: (a: Sale, b: Sale) => Sale,
): Sale[] => {
  const groups = new Map<string, Sale>()
  for (const { sale, ts } of sales)
    for (const start of windowsOf(ts, size, slide)) {
      const id = `${sale.shop}|${start}`
      const prev = groups.get(id)
      groups.set(id, prev === undefined ? sale : fn(prev, sale))
    }
  return [...groups.values()]
}

const bySeq = (xs: readonly Sale[]): string[] => xs.map((x) => JSON.stringify(x)).sort()

describe('sum, min, max, minBy and maxBy on windows', () => {
  const cases: [string, (w: any) => any, (a: Sale, b: Sale) => Sale][] = [
    ['sum', (w) => w.sum('amount'), (a, b) => ({ ...a, amount: a.amount + b.amount })],
    ['min', (w) => w.min('amount'), (a, b) => (b.amount < a.amount ? { ...a, amount: b.amount } : a)],
    ['max', (w) => w.max('amount'), (a, b) => (b.amount > a.amount ? { ...a, amount: b.amount } : a)],
    ['minBy', (w) => w.minBy('amount'), (a, b) => (b.amount < a.amount ? b : a)],
    ['maxBy latest', (w) => w.maxBy('amount', false), (a, b) => (b.amount >= a.amount ? b : a)],
  ]
  for (const [name, apply, fn] of cases)
    it(`${name} per key and window equals a plain loop over the records in arrival order (tumbling and sliding)`, async () => {
      await fc.assert(
        fc.asyncProperty(input, fc.constantFrom([10, 10], [10, 5], [12, 4]), async (sales, [size, slide]) => {
          const env = StreamExecutionEnvironment.create({ parallelism: 2 })
          const assigner = size === slide ? TumblingEventTimeWindows.of(size) : SlidingEventTimeWindows.of(size!, slide!)
          const got = await apply(stream(env, sales).keyBy((s) => s.shop).window(assigner)).executeAndCollect()
          expect(bySeq(got)).toEqual(bySeq(brute(sales, size!, slide!, fn)))
        }),
        { numRuns: 25 },
      )
    })

  it('windowAll sums the values of a stream of numbers per window, at parallelism 1', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 3 })
    const sums = env
      .fromSource(
        CollectionSource.ofTimestamped([1, 2, 3, 4, 5, 6].map((v) => ({ value: v, timestamp: v * 10 }))),
        WatermarkStrategy.noWatermarks<number>(),
        'numbers',
      )
      .windowAll(TumblingEventTimeWindows.of(30))
      .sum()
    expect(sums.getParallelism()).toBe(1)
    expect((await sums.executeAndCollect()).sort((a, b) => a - b)).toEqual([3, 6, 3 + 4 + 5])
  })
})
