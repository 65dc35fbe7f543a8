import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CollectSink, ConfigError, OutputTag, WatermarkStrategy } from '@strom/runtime'
import type { Collector, WatermarkGenerator } from '@strom/runtime'
import { ProcessFunction } from '@strom/process'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import { CountTrigger } from '../windowing/count-trigger.js'
import { GlobalWindows } from '../windowing/global-windows.js'
import { EventTimeSessionWindows } from '../windowing/session-windows.js'
import { SlidingEventTimeWindows } from '../windowing/sliding-windows.js'
import { TumblingEventTimeWindows } from '../windowing/tumbling-windows.js'
import type { GlobalWindow, TimeWindow } from '../windowing/windows.js'
import type { WindowAssigner } from '../windowing/window-assigner.js'
import type { TaggedUnion } from './internal/exec/tagged-union.js'

interface Order {
  readonly orderId: string
  readonly amount: number
  readonly ts: number
}

interface Payment {
  readonly orderId: string
  readonly method: string
  readonly ts: number
}

const byTs = <T extends { ts: number }>() =>
  WatermarkStrategy.forBoundedOutOfOrderness<T>(0).withTimestampAssigner((e) => e.ts)

const orders: Order[] = [
  { orderId: 'o1', amount: 10, ts: 2 },
  { orderId: 'o2', amount: 20, ts: 7 },
  { orderId: 'o1', amount: 5, ts: 13 },
]
const payments: Payment[] = [
  { orderId: 'o1', method: 'card', ts: 4 },
  { orderId: 'o2', method: 'cash', ts: 12 },
  { orderId: 'o1', method: 'card', ts: 16 },
]

describe('window join and coGroup (examples)', () => {
  it('joins orders and payments of the same 10 ms window', async () => {
    // #region join
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const orderStream = env.fromCollection(orders).assignTimestampsAndWatermarks(byTs<Order>())
    const paymentStream = env.fromCollection(payments).assignTimestampsAndWatermarks(byTs<Payment>())

    const paid = orderStream.join(paymentStream)
      .where((o) => o.orderId)
      .equalTo((p) => p.orderId)
      .window(TumblingEventTimeWindows.of(10))
      .apply((o, p) => `${o.orderId}: ${o.amount} by ${p.method}`)
    const rows = await paid.executeAndCollect()
    // #endregion join
    // o2 was ordered at 7 and paid at 12: another window
    expect(rows.sort()).toEqual(['o1: 10 by card', 'o1: 5 by card'])
  })

  it('coGroups orders and payments, also keys that only one side has', async () => {
    // #region co-group
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const orderStream = env.fromCollection(orders).assignTimestampsAndWatermarks(byTs<Order>())
    const paymentStream = env.fromCollection(payments).assignTimestampsAndWatermarks(byTs<Payment>())

    const unpaid = orderStream.coGroup(paymentStream)
      .where((o) => o.orderId)
      .equalTo((p) => p.orderId)
      .window(TumblingEventTimeWindows.of(10))
      .apply((os: readonly Order[], ps: readonly Payment[], out: Collector<string>) => {
        if (ps.length === 0) for (const o of os) out.collect(`unpaid in its window: ${o.orderId}`)
      })
    const rows = await unpaid.executeAndCollect()
    // #endregion co-group
    expect(rows).toEqual(['unpaid in its window: o2'])
  })

  it('flatApply emits any number of records per pair, with the window timestamp', async () => {
    const env = StreamExecutionEnvironment.create()
    const a = env.fromCollection(orders).assignTimestampsAndWatermarks(byTs<Order>())
    const b = env.fromCollection(payments).assignTimestampsAndWatermarks(byTs<Payment>())
    const out = await a.join(b)
      .where((o) => o.orderId)
      .equalTo((p) => p.orderId)
      .window(TumblingEventTimeWindows.of(10))
      .flatApply((o: Order, p: Payment, c: Collector<string>) => {
        c.collect(`${o.ts}`)
        c.collect(`${p.ts}`)
      })
      .process(new WithTimestamp<string>())
      .executeAndCollect()
    expect(out.sort()).toEqual(['13@19', '16@19', '2@9', '4@9'])
  })

  it('uses the trigger it is given', async () => {
    const env = StreamExecutionEnvironment.create()
    const a = env.fromCollection([1, 2, 3])
    const b = env.fromCollection([10])
    const out = await a.join(b)
      .where(() => 'k')
      .equalTo(() => 'k')
      .window(GlobalWindows.create())
      .trigger(CountTrigger.of<GlobalWindow>(2))
      .apply((x, y) => x + y)
      .executeAndCollect()
    // the global window never ends: only the count trigger fires it, at the 2nd and 4th record
    expect(out.length).toBeGreaterThan(0)
    for (const v of out) expect([11, 12, 13]).toContain(v)
  })

  it('sends records late for all their windows to the late-data side output, tagged by input', async () => {
    const env = StreamExecutionEnvironment.create()
    // one source feeds both sides, so the order of records and watermarks is fixed
    const evs: Ev[] = [
      { k: 'x', id: 1, ts: 1 },
      { k: 'x', id: 2, ts: 30 },
      { k: 'x', id: 3, ts: 5 }, // its window [0, 10) fired at watermark 29: late
      { k: 'x', id: 4, ts: 35 }, // window [30, 40) is still open
    ]
    const s = env.fromCollection(evs).assignTimestampsAndWatermarks(punctuatedWith(0))
    const late = new OutputTag<TaggedUnion<Ev, Ev>>('late')
    const joined = s.join(s)
      .where((e) => e.k)
      .equalTo((e) => e.k)
      .window(TumblingEventTimeWindows.of(10))
      .sideOutputLateData(late)
      .apply((a, b) => `${a.id}-${b.id}`)
    const lateSink = new CollectSink<TaggedUnion<Ev, Ev>>()
    joined.getSideOutput(late).sinkTo(lateSink)
    expect((await joined.executeAndCollect()).sort()).toEqual(['1-1', '2-2', '2-4', '4-2', '4-4'])
    expect(lateSink.values.map((u) => `${u.tag}:${u.value.id}`).sort()).toEqual(['1:3', '2:3'])
  })

  it('rejects a negative lateness and streams of different environments', () => {
    const env = StreamExecutionEnvironment.create()
    const a = env.fromCollection([1])
    const w = a.join(a).where((x) => x).equalTo((x) => x).window(TumblingEventTimeWindows.of(10))
    expect(() => w.allowedLateness(-1)).toThrow(ConfigError)
    expect(() => a.coGroup(StreamExecutionEnvironment.create().fromCollection([1]))).toThrow(ConfigError)
  })
})

/** Appends each record's timestamp: `value@timestamp`. */
class WithTimestamp<T> extends ProcessFunction<T, string> {
  processElement(v: T, ctx: ProcessFunction.Context, out: Collector<string>): void {
    out.collect(`${String(v)}@${ctx.timestamp()}`)
  }
}

// --- against brute force ---------------------------------------------------------------------

interface Ev {
  readonly k: string
  readonly id: number
  readonly ts: number
}

const DISORDER = 4

/** A watermark after every record: the largest timestamp so far - disorder - 1. */
function punctuatedWith(disorder: number): WatermarkStrategy<Ev> {
  return WatermarkStrategy.forGenerator<Ev>((): WatermarkGenerator<Ev> => {
    let max = -Infinity
    return {
      onEvent: (_e, ts, out) => {
        if (ts > max) max = ts
        out.emitWatermark(max - disorder - 1)
      },
      onPeriodicEmit: () => {},
    }
  }).withTimestampAssigner((e) => e.ts)
}

/**
 * The data is never more out of order than DISORDER, so nothing is late. The watermark lags one
 * more ms: otherwise a record at exactly the end of a session that already fired (the watermark at
 * end - 1) starts a new session, as in Flink, where the brute force below would merge the two
 * touching sessions.
 */
const punctuated = (): WatermarkStrategy<Ev> => punctuatedWith(DISORDER + 1)

const sideArb = (idBase: number) =>
  fc
    .array(
      fc.record({
        k: fc.constantFrom('a', 'b', 'c'),
        step: fc.integer({ min: 0, max: 3 }),
        jitter: fc.integer({ min: -DISORDER, max: 0 }),
      }),
      { minLength: 5, maxLength: 30 },
    )
    .map((raw) => {
      let t = 0
      return raw.map((r, i): Ev => {
        t += r.step
        return { k: r.k, id: idBase + i, ts: t + r.jitter }
      })
    })

type Kind = 'tumbling' | 'sliding' | 'session'

interface WindowCase {
  readonly kind: Kind
  readonly size: number
  readonly slide: number
  readonly gap: number
}

const caseArb = (kind: Kind): fc.Arbitrary<WindowCase> =>
  fc
    .record({ size: fc.integer({ min: 1, max: 12 }), slideDiv: fc.integer({ min: 1, max: 4 }), gap: fc.integer({ min: 1, max: 6 }) })
    .map(({ size, slideDiv, gap }) => ({ kind, size, slide: Math.max(1, Math.floor(size / slideDiv)), gap }))

const assignerOf = (c: WindowCase): WindowAssigner<TaggedUnion<Ev, Ev>, TimeWindow> =>
  c.kind === 'tumbling'
    ? TumblingEventTimeWindows.of(c.size)
    : c.kind === 'sliding'
      ? SlidingEventTimeWindows.of(c.size, c.slide)
      : EventTimeSessionWindows.withGap(c.gap)

const floorTo = (ts: number, n: number): number => ts - (((ts % n) + n) % n)

/** The windows (as [start, end)) of every key, with the records of both sides in each. */
const bruteWindows = (c: WindowCase, lefts: readonly Ev[], rights: readonly Ev[]) => {
  const windows = new Map<string, { k: string; end: number; l: Ev[]; r: Ev[] }>()
  const add = (k: string, start: number, end: number, e: Ev, left: boolean) => {
    const id = `${k}|${start}|${end}`
    let w = windows.get(id)
    if (w === undefined) windows.set(id, (w = { k, end, l: [], r: [] }))
    ;(left ? w.l : w.r).push(e)
  }
  if (c.kind !== 'session') {
    const size = c.size
    const slide = c.kind === 'tumbling' ? c.size : c.slide
    for (const [side, left] of [[lefts, true], [rights, false]] as const)
      for (const e of side)
        for (let start = floorTo(e.ts, slide); start > e.ts - size; start -= slide) add(e.k, start, start + size, e, left)
  } else {
    const all = [...lefts.map((e) => ({ e, left: true })), ...rights.map((e) => ({ e, left: false }))].sort((a, b) => a.e.ts - b.e.ts)
    for (const k of ['a', 'b', 'c']) {
      const mine = all.filter((x) => x.e.k === k)
      let group: typeof mine = []
      let start = 0
      let end = -Infinity
      const flush = () => {
        for (const x of group) add(k, start, end, x.e, x.left)
      }
      for (const x of mine) {
        if (group.length > 0 && x.e.ts <= end) {
          group.push(x)
          end = Math.max(end, x.e.ts + c.gap)
        } else {
          if (group.length > 0) flush()
          group = [x]
          start = x.e.ts
          end = x.e.ts + c.gap
        }
      }
      if (group.length > 0) flush()
    }
  }
  return [...windows.values()]
}

const ids = (es: readonly Ev[]): string => es.map((e) => e.id).sort((a, b) => a - b).join(',')

const setup = (parallelism: number, lefts: readonly Ev[], rights: readonly Ev[]) => {
  const env = StreamExecutionEnvironment.create({ parallelism })
  const a = env.fromCollection(lefts).assignTimestampsAndWatermarks(punctuated())
  const b = env.fromCollection(rights).assignTimestampsAndWatermarks(punctuated())
  return { a, b }
}

describe.each(['tumbling', 'sliding', 'session'] as const)('%s windows against brute force', (kind) => {
  for (const parallelism of [1, 3])
    it(`join and coGroup at parallelism ${parallelism}`, async () => {
      await fc.assert(
        fc.asyncProperty(sideArb(0), sideArb(1_000), caseArb(kind), async (lefts, rights, c) => {
          const windows = bruteWindows(c, lefts, rights)

          // join: every pair of the same key and window, stamped with the window's end - 1
          const j = setup(parallelism, lefts, rights)
          const joined = await j.a.join(j.b)
            .where((e) => e.k)
            .equalTo((e) => e.k)
            .window(assignerOf(c))
            .apply((l, r) => `${l.id}|${r.id}`)
            .process(new WithTimestamp<string>())
            .executeAndCollect()
          const expectedPairs: string[] = []
          for (const w of windows) for (const l of w.l) for (const r of w.r) expectedPairs.push(`${l.id}|${r.id}@${w.end - 1}`)
          expect(joined.sort()).toEqual(expectedPairs.sort())

          // coGroup: one call per key and window, with both groups
          const g = setup(parallelism, lefts, rights)
          const grouped = await g.a.coGroup(g.b)
            .where((e) => e.k)
            .equalTo((e) => e.k)
            .window(assignerOf(c))
            .apply((ls: readonly Ev[], rs: readonly Ev[], out: Collector<string>) => {
              const k = (ls[0] ?? rs[0])!.k
              out.collect(`${k}|${ids(ls)}|${ids(rs)}`)
            })
            .executeAndCollect()
          const expectedGroups = windows.map((w) => `${w.k}|${ids(w.l)}|${ids(w.r)}`)
          expect(grouped.sort()).toEqual(expectedGroups.sort())
        }),
        { numRuns: parallelism === 1 ? 30 : 15 },
      )
    }, 120_000)
})
