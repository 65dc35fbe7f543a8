import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CollectSink, ConfigError, OutputTag, WatermarkStrategy } from '@strom/runtime'
import type { Collector, WatermarkGenerator } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import { ProcessJoinFunction } from './process-join-function.js'

interface Click {
  readonly user: string
  readonly url: string
  readonly ts: number
}

interface Purchase {
  readonly user: string
  readonly item: string
  readonly ts: number
}

/** Runs the documented example: purchases joined with the clicks of the 10 s before them. */
const clicksBeforePurchases = async (clicks: readonly Click[], purchases: readonly Purchase[], parallelism: number) => {
  // #region example
  const env = StreamExecutionEnvironment.create({ parallelism })
  const strategy = <T extends { ts: number }>() =>
    WatermarkStrategy.forBoundedOutOfOrderness<T>(1_000).withTimestampAssigner((e) => e.ts)

  const purchasesByUser = env.fromCollection(purchases).assignTimestampsAndWatermarks(strategy<Purchase>()).keyBy((p) => p.user)
  const clicksByUser = env.fromCollection(clicks).assignTimestampsAndWatermarks(strategy<Click>()).keyBy((c) => c.user)

  class ClickedBefore extends ProcessJoinFunction<Purchase, Click, string> {
    override processElement(p: Purchase, c: Click, ctx: ProcessJoinFunction.Context, out: Collector<string>): void {
      out.collect(`${p.user} bought ${p.item} ${ctx.leftTimestamp() - ctx.rightTimestamp()} ms after viewing ${c.url}`)
    }
  }

  // a click joins a purchase when purchase.ts - 10 s <= click.ts <= purchase.ts
  const joined = purchasesByUser.intervalJoin(clicksByUser)
    .between(-10_000, 0)
    .process(new ClickedBefore())
  const lines = await joined.executeAndCollect()
  // #endregion example
  return lines
}

describe('IntervalJoin (DataStream API)', () => {
  it('runs the documented example', async () => {
    const clicks: Click[] = [
      { user: 'ann', url: '/shoes', ts: 1_000 },
      { user: 'ann', url: '/hats', ts: 9_000 },
      { user: 'bob', url: '/socks', ts: 2_000 },
      { user: 'ann', url: '/late', ts: 25_000 },
    ]
    const purchases: Purchase[] = [
      { user: 'ann', item: 'hat', ts: 12_000 },
      { user: 'bob', item: 'socks', ts: 20_000 },
    ]
    for (const p of [1, 2, 4])
      // /shoes is 11 s before the purchase: outside the interval
      expect(await clicksBeforePurchases(clicks, purchases, p)).toEqual(['ann bought hat 3000 ms after viewing /hats'])
  })

  it('validates the bounds', () => {
    const env = StreamExecutionEnvironment.create()
    const a = env.fromCollection([1]).keyBy((x) => x)
    expect(() => a.intervalJoin(a).between(5, 1)).toThrow(ConfigError)
    expect(() => a.intervalJoin(a).between(0, Infinity)).toThrow(/finite/)
  })

  it('fails the job with a clear error when records have no timestamps', async () => {
    const env = StreamExecutionEnvironment.create()
    class Pair extends ProcessJoinFunction<number, number, number> {
      override processElement(a: number, b: number, _ctx: ProcessJoinFunction.Context, out: Collector<number>): void {
        out.collect(a + b)
      }
    }
    const a = env.fromCollection([1, 2]).keyBy((x) => x)
    const b = env.fromCollection([1, 2]).keyBy((x) => x)
    await expect(a.intervalJoin(b).between(0, 0).process(new Pair()).executeAndCollect()).rejects.toThrow(
      /without an event-time timestamp/,
    )
  })
})

// --- end to end against nested loops ---------------------------------------------------------

interface Ev {
  readonly k: string
  readonly id: number
  readonly ts: number
}

interface Pair {
  readonly l: number
  readonly r: number
  readonly ts: number
}

class PairJoin extends ProcessJoinFunction<Ev, Ev, Pair> {
  override processElement(l: Ev, r: Ev, ctx: ProcessJoinFunction.Context, out: Collector<Pair>): void {
    out.collect({ l: l.id, r: r.id, ts: ctx.timestamp() })
  }
}

const DISORDER = 5

/** A watermark after every record: the largest timestamp seen minus DISORDER minus 1. */
const punctuated = (): WatermarkStrategy<Ev> =>
  WatermarkStrategy.forGenerator<Ev>((): WatermarkGenerator<Ev> => {
    let max = -Infinity
    return {
      onEvent: (_e, ts, out) => {
        if (ts > max) max = ts
        out.emitWatermark(max - DISORDER - 1)
      },
      onPeriodicEmit: () => {},
    }
  }).withTimestampAssigner((e) => e.ts)

/** Timestamps that go up with some disorder, and now and then a record much later than that. */
const sideArb = (idBase: number) =>
  fc
    .array(
      fc.record({
        k: fc.constantFrom('a', 'b', 'c', 'd'),
        step: fc.integer({ min: 0, max: 3 }),
        jitter: fc.integer({ min: -DISORDER, max: 0 }),
        veryLate: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      }),
      { minLength: 10, maxLength: 40 },
    )
    .map((raw) => {
      let t = 100
      return raw.map((r, i) => {
        t += r.step
        return { k: r.k, id: idBase + i, ts: r.veryLate ? t - 40 : t + r.jitter, veryLate: r.veryLate }
      })
    })

const boundsArb = fc.record({
  lower: fc.integer({ min: -10, max: 10 }),
  width: fc.integer({ min: 0, max: 10 }),
  lowerExclusive: fc.boolean(),
  upperExclusive: fc.boolean(),
})

describe('IntervalJoin end to end', () => {
  const seen = { pairs: 0, late: 0 }
  for (const parallelism of [1, 2, 4])
    it(`equals nested loops over the on-time records at parallelism ${parallelism}`, async () => {
      await fc.assert(
        fc.asyncProperty(sideArb(0), sideArb(1_000), boundsArb, async (lefts, rights, b) => {
          const env = StreamExecutionEnvironment.create({ parallelism })
          const leftLate = new OutputTag<Ev>('left-late')
          const rightLate = new OutputTag<Ev>('right-late')
          const left = env.fromCollection<Ev>(lefts.map(({ k, id, ts }) => ({ k, id, ts }))).assignTimestampsAndWatermarks(punctuated())
          const right = env.fromCollection<Ev>(rights.map(({ k, id, ts }) => ({ k, id, ts }))).assignTimestampsAndWatermarks(punctuated())
          let joined = left.keyBy((e) => e.k).intervalJoin(right.keyBy((e) => e.k)).between(b.lower, b.lower + b.width)
          if (b.lowerExclusive) joined = joined.lowerBoundExclusive()
          if (b.upperExclusive) joined = joined.upperBoundExclusive()
          const out = joined.sideOutputLeftLateData(leftLate).sideOutputRightLateData(rightLate).process(new PairJoin())
          const lateSink = new CollectSink<Ev>()
          out.getSideOutput(leftLate).union(out.getSideOutput(rightLate)).sinkTo(lateSink)
          const pairs = await out.executeAndCollect()

          // a record is late only if it is much later than the disorder the watermarks allow
          const late = new Set(lateSink.values.map((e) => e.id))
          const veryLate = new Set([...lefts, ...rights].filter((e) => e.veryLate).map((e) => e.id))
          for (const id of late) expect(veryLate.has(id)).toBe(true)

          const expected: string[] = []
          for (const l of lefts)
            for (const r of rights) {
              if (l.k !== r.k || late.has(l.id) || late.has(r.id)) continue
              const d = r.ts - l.ts
              const hi = b.lower + b.width
              if ((b.lowerExclusive ? d > b.lower : d >= b.lower) && (b.upperExclusive ? d < hi : d <= hi))
                expected.push(`${l.id}|${r.id}|${Math.max(l.ts, r.ts)}`)
            }
          expect(pairs.map((p) => `${p.l}|${p.r}|${p.ts}`).sort()).toEqual(expected.sort())
          seen.pairs += pairs.length
          seen.late += late.size
        }),
        { numRuns: parallelism === 1 ? 40 : 20 },
      )
    }, 60_000)

  it('gives the same pairs in BATCH as in STREAMING when nothing is late', async () => {
    await fc.assert(
      fc.asyncProperty(sideArb(0), sideArb(1_000), boundsArb, async (lefts, rights, b) => {
        const run = async (runtimeMode: 'STREAMING' | 'BATCH') => {
          const env = StreamExecutionEnvironment.create({ parallelism: 2, runtimeMode })
          const onTime = (es: typeof lefts) => es.filter((e) => !e.veryLate).map(({ k, id, ts }) => ({ k, id, ts }))
          const left = env.fromCollection<Ev>(onTime(lefts)).assignTimestampsAndWatermarks(punctuated())
          const right = env.fromCollection<Ev>(onTime(rights)).assignTimestampsAndWatermarks(punctuated())
          const pairs = await left.keyBy((e) => e.k).intervalJoin(right.keyBy((e) => e.k))
            .between(b.lower, b.lower + b.width)
            .process(new PairJoin())
            .executeAndCollect()
          return pairs.map((p) => `${p.l}|${p.r}|${p.ts}`).sort()
        }
        expect(await run('BATCH')).toEqual(await run('STREAMING'))
      }),
      { numRuns: 15 },
    )
  }, 60_000)

  it('exercised both joins and late records', () => {
    expect(seen.pairs).toBeGreaterThan(100)
    expect(seen.late).toBeGreaterThan(5)
  })
})
