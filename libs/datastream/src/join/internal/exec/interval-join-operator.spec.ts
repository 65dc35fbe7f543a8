import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ConfigError, DEFAULT_MAX_PARALLELISM, keyGroupOf, OutputTag, subtaskForKeyGroup } from '@strom/runtime'
import { KeyedTwoInputStreamOperatorTestHarness } from '@strom/runtime/testing'
import type { OperatorSnapshot } from '@strom/runtime/testing'
import type { Collector, RuntimeContext, ValueState } from '@strom/process'
import { MissingTimestampError, ValueStateDescriptor } from '@strom/process'
import { ProcessJoinFunction } from '../../process-join-function.js'
import { IntervalJoinOperator, NUM_LATE_RECORDS_DROPPED } from './interval-join-operator.js'
import type { IntervalJoinOptions } from './interval-join-operator.js'

interface Ev {
  readonly k: string
  readonly id: number
  readonly ts: number
}

interface Pair {
  readonly l: number
  readonly r: number
  readonly lt: number
  readonly rt: number
  readonly ts: number
}

class PairJoin extends ProcessJoinFunction<Ev, Ev, Pair> {
  override processElement(left: Ev, right: Ev, ctx: ProcessJoinFunction.Context, out: Collector<Pair>): void {
    if (ctx.leftTimestamp() !== left.ts || ctx.rightTimestamp() !== right.ts) throw new Error('wrong context timestamps')
    out.collect({ l: left.id, r: right.id, lt: ctx.leftTimestamp(), rt: ctx.rightTimestamp(), ts: ctx.timestamp() })
  }
}

const byKey = (e: Ev): string => e.k
const leftLate = new OutputTag<Ev>('left-late')
const rightLate = new OutputTag<Ev>('right-late')

const harness = (
  opts: IntervalJoinOptions<Ev, Ev>,
  extra: { restoreFrom?: OperatorSnapshot | readonly OperatorSnapshot[]; parallelism?: number; subtaskIndex?: number } = {},
) => {
  const h = new KeyedTwoInputStreamOperatorTestHarness<Ev, Ev, string, Pair>(
    new IntervalJoinOperator<string, Ev, Ev, Pair>(new PairJoin(), opts),
    byKey,
    byKey,
    { operatorName: 'interval-join', ...extra },
  )
  h.open()
  return h
}

const pairKey = (p: { l: number; r: number }): string => `${p.l}|${p.r}`
const sorted = (xs: readonly string[]): string[] => [...xs].sort()

describe('IntervalJoinOperator', () => {
  it('joins within inclusive bounds, stamps pairs with the larger timestamp, and cleans up', () => {
    const h = harness({ lowerBound: -2, upperBound: 1 })
    // left a@10 joins right b with 8 <= b.ts <= 11
    h.processElement1({ k: 'x', id: 1, ts: 10 }, 10)
    h.processElement2({ k: 'x', id: 2, ts: 8 }, 8)
    h.processElement2({ k: 'x', id: 3, ts: 11 }, 11)
    h.processElement2({ k: 'x', id: 4, ts: 12 }, 12)
    h.processElement2({ k: 'x', id: 5, ts: 7 }, 7)
    h.processElement2({ k: 'y', id: 6, ts: 10 }, 10)
    expect(h.extractOutputRecords()).toEqual([
      { value: { l: 1, r: 2, lt: 10, rt: 8, ts: 10 }, timestamp: 10 },
      { value: { l: 1, r: 3, lt: 10, rt: 11, ts: 11 }, timestamp: 11 },
    ])
    expect(h.numKeyedStateEntries()).toBeGreaterThan(0)
    h.endInput()
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
    h.close()
  })

  it('honours exclusive bounds', () => {
    const h = harness({ lowerBound: 0, upperBound: 2, lowerBoundInclusive: false, upperBoundInclusive: false })
    h.processElement1({ k: 'x', id: 1, ts: 10 }, 10)
    for (const [id, ts] of [[2, 10], [3, 11], [4, 12]] as const) h.processElement2({ k: 'x', id, ts }, ts)
    expect(h.extractOutputValues().map(pairKey)).toEqual(['1|3'])
    h.close()
  })

  it('keeps a left record until the watermark reaches ts + upper, a right one until ts - lower', () => {
    const h = harness({ lowerBound: -3, upperBound: 5 })
    h.processElement1({ k: 'x', id: 1, ts: 10 }, 10)
    h.processElement2({ k: 'x', id: 2, ts: 10 }, 10)
    expect(h.timers('event').map((t) => [t.service, t.timestamp, t.namespace])).toEqual([
      ['interval-join-right-cleanup', 13, 10],
      ['interval-join-left-cleanup', 15, 10],
    ])
    h.processWatermark(13)
    expect(h.timers('event').map((t) => t.timestamp)).toEqual([15])
    // a left record at 14 could have joined right@10 (10 - 14 = -4 < -3): it does not; nothing lost
    h.processElement1({ k: 'x', id: 3, ts: 14 }, 14)
    // a right record at 15 still joins left@10 (15 - 10 = 5)
    h.processElement2({ k: 'x', id: 4, ts: 15 }, 15)
    h.processWatermark(15)
    // left@10 is gone: a right record at 16 would not join it anyway
    h.processElement2({ k: 'x', id: 5, ts: 16 }, 16)
    expect(sorted(h.extractOutputValues().map(pairKey))).toEqual(['1|2', '1|4', '3|4', '3|5'])
    h.close()
  })

  it('sends late records to the late-data side outputs, or drops and counts them', () => {
    const withTags = harness({ lowerBound: 0, upperBound: 0, leftLateDataTag: leftLate, rightLateDataTag: rightLate })
    withTags.processWatermark(10)
    withTags.processElement1({ k: 'x', id: 1, ts: 10 }, 10)
    withTags.processElement2({ k: 'x', id: 2, ts: 9 }, 9)
    withTags.processElement2({ k: 'x', id: 3, ts: 11 }, 11)
    expect(withTags.getSideOutput(leftLate)).toEqual([{ value: { k: 'x', id: 1, ts: 10 }, timestamp: 10 }])
    expect(withTags.getSideOutput(rightLate)).toEqual([{ value: { k: 'x', id: 2, ts: 9 }, timestamp: 9 }])
    expect(withTags.metrics.snapshot()[`test-job.interval-join.0.${NUM_LATE_RECORDS_DROPPED}`]).toBe(0)
    withTags.close()

    const without = harness({ lowerBound: 0, upperBound: 0 })
    without.processWatermark(10)
    without.processElement1({ k: 'x', id: 1, ts: 10 }, 10)
    without.processElement2({ k: 'x', id: 2, ts: 3 }, 3)
    expect(without.extractOutputValues()).toEqual([])
    expect(without.metrics.snapshot()[`test-job.interval-join.0.${NUM_LATE_RECORDS_DROPPED}`]).toBe(2)
    without.close()
  })

  it('side outputs from the join function carry the pair timestamp', () => {
    const tag = new OutputTag<string>('pairs')
    class Side extends ProcessJoinFunction<Ev, Ev, never> {
      override processElement(l: Ev, r: Ev, ctx: ProcessJoinFunction.Context): void {
        ctx.output(tag, `${l.id}-${r.id}`)
      }
    }
    const h = new KeyedTwoInputStreamOperatorTestHarness<Ev, Ev, string, never>(
      new IntervalJoinOperator<string, Ev, Ev, never>(new Side(), { lowerBound: -5, upperBound: 5 }),
      byKey,
      byKey,
    )
    h.open()
    h.processElement2({ k: 'x', id: 1, ts: 7 }, 7)
    h.processElement1({ k: 'x', id: 2, ts: 4 }, 4)
    expect(h.getSideOutput(tag)).toEqual([{ value: '2-1', timestamp: 7 }])
    h.close()
  })

  it('gives the join function keyed state that survives a snapshot and a restore', () => {
    class CountPairs extends ProcessJoinFunction<Ev, Ev, string> {
      private count!: ValueState<number>
      override open(ctx: RuntimeContext): void {
        this.count = ctx.getState(new ValueStateDescriptor<number>('pairs-per-key'))
      }
      override processElement(l: Ev, _r: Ev, _ctx: ProcessJoinFunction.Context, out: Collector<string>): void {
        const n = (this.count.value() ?? 0) + 1
        this.count.update(n)
        out.collect(`${l.k}:${n}`)
      }
    }
    const make = (restoreFrom?: OperatorSnapshot) => {
      const h = new KeyedTwoInputStreamOperatorTestHarness<Ev, Ev, string, string>(
        new IntervalJoinOperator<string, Ev, Ev, string>(new CountPairs(), { lowerBound: -10, upperBound: 10 }),
        byKey,
        byKey,
        restoreFrom === undefined ? {} : { restoreFrom },
      )
      h.open()
      return h
    }
    const h1 = make()
    h1.processElement1({ k: 'x', id: 1, ts: 1 }, 1)
    h1.processElement1({ k: 'y', id: 2, ts: 1 }, 1)
    h1.processElement2({ k: 'x', id: 3, ts: 2 }, 2)
    h1.processWatermark(1)
    const snap = h1.snapshot()
    h1.close()
    const h2 = make(snap)
    h2.processWatermark(1)
    h2.processElement2({ k: 'x', id: 4, ts: 5 }, 5)
    h2.processElement2({ k: 'y', id: 5, ts: 5 }, 5)
    expect(h2.extractOutputValues()).toEqual(['x:2', 'y:1'])
    h2.close()
  })

  it('fails clearly on records without timestamps and on bad bounds', () => {
    const h = harness({ lowerBound: 0, upperBound: 1 })
    expect(() => h.processElement1({ k: 'x', id: 1, ts: 0 })).toThrow(MissingTimestampError)
    expect(() => h.processElement2({ k: 'x', id: 1, ts: 0 })).toThrow(/right record without an event-time timestamp/)
    h.close()
    expect(() => new IntervalJoinOperator(new PairJoin(), { lowerBound: 2, upperBound: 1 })).toThrow(ConfigError)
    expect(() => new IntervalJoinOperator(new PairJoin(), { lowerBound: NaN, upperBound: 1 })).toThrow(ConfigError)
  })
})

// --- properties: the operator against nested loops --------------------------------------------

type Step =
  | { readonly kind: 'L' | 'R'; readonly k: string; readonly ts: number }
  | { readonly kind: 'W'; readonly lag: number }

interface Scenario {
  readonly lower: number
  readonly upper: number
  readonly lowerInclusive: boolean
  readonly upperInclusive: boolean
  readonly steps: readonly Step[]
  readonly cut: number
}

const OUT_OF_ORDER = 6

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    a: fc.integer({ min: -8, max: 8 }),
    width: fc.integer({ min: 0, max: 8 }),
    lowerInclusive: fc.boolean(),
    upperInclusive: fc.boolean(),
    raw: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constantFrom('L' as const, 'R' as const), k: fc.constantFrom('a', 'b', 'c'), step: fc.integer({ min: 0, max: 3 }), jitter: fc.integer({ min: -OUT_OF_ORDER, max: 0 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('W' as const), lag: fc.integer({ min: 0, max: OUT_OF_ORDER + 2 }) }) },
      ),
      { maxLength: 60 },
    ),
    cutFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ a, width, lowerInclusive, upperInclusive, raw, cutFraction }) => {
    let t = 0
    const steps: Step[] = raw.map((s) => {
      if (s.kind === 'W') return s
      t += s.step
      return { kind: s.kind, k: s.k, ts: t + s.jitter }
    })
    return { lower: a, upper: a + width, lowerInclusive, upperInclusive, steps, cut: Math.floor(cutFraction * steps.length) }
  })

interface Expected {
  readonly pairs: string[]
  readonly leftLate: number[]
  readonly rightLate: number[]
}

/** Nested loops over every (left, right) pair that arrived on time. */
const bruteForce = (s: Scenario): Expected & { events: (Ev & { side: 'L' | 'R' })[] } => {
  let wm = -Infinity
  let maxTs = -Infinity
  const onTime: (Ev & { side: 'L' | 'R' })[] = []
  const events: (Ev & { side: 'L' | 'R' })[] = []
  const leftLateIds: number[] = []
  const rightLateIds: number[] = []
  s.steps.forEach((st, id) => {
    if (st.kind === 'W') {
      const w = maxTs - st.lag
      if (w > wm) wm = w
      return
    }
    const e = { k: st.k, id, ts: st.ts, side: st.kind }
    events.push(e)
    if (st.ts > maxTs) maxTs = st.ts
    if (st.ts <= wm) (st.kind === 'L' ? leftLateIds : rightLateIds).push(id)
    else onTime.push(e)
  })
  const pairs: string[] = []
  for (const l of onTime)
    for (const r of onTime) {
      if (l.side !== 'L' || r.side !== 'R' || l.k !== r.k) continue
      const d = r.ts - l.ts
      if ((s.lowerInclusive ? d >= s.lower : d > s.lower) && (s.upperInclusive ? d <= s.upper : d < s.upper))
        pairs.push(`${l.id}|${r.id}|${Math.max(l.ts, r.ts)}`)
    }
  return { pairs: sorted(pairs), leftLate: leftLateIds, rightLate: rightLateIds, events }
}

const optionsOf = (s: Scenario): IntervalJoinOptions<Ev, Ev> => ({
  lowerBound: s.lower,
  upperBound: s.upper,
  lowerBoundInclusive: s.lowerInclusive,
  upperBoundInclusive: s.upperInclusive,
  leftLateDataTag: leftLate,
  rightLateDataTag: rightLate,
})

type H = ReturnType<typeof harness>

/** Feeds steps [from, to) to the harness chosen per key; returns the watermark state. */
const feed = (s: Scenario, from: number, to: number, pick: (k: string) => H, state: { wm: number; maxTs: number }, all: H[]) => {
  for (let id = from; id < to; id++) {
    const st = s.steps[id]!
    if (st.kind === 'W') {
      const w = state.maxTs - st.lag
      if (w > state.wm) {
        state.wm = w
        for (const h of all) h.processWatermark(w)
      }
      continue
    }
    if (st.ts > state.maxTs) state.maxTs = st.ts
    const e: Ev = { k: st.k, id, ts: st.ts }
    const h = pick(st.k)
    if (st.kind === 'L') h.processElement1(e, st.ts)
    else h.processElement2(e, st.ts)
  }
}

const collect = (hs: readonly H[]) => {
  const pairs: string[] = []
  const lLate: number[] = []
  const rLate: number[] = []
  for (const h of hs) {
    for (const r of h.extractOutputRecords()) {
      expect(r.timestamp).toBe(r.value.ts)
      pairs.push(`${r.value.l}|${r.value.r}|${r.timestamp}`)
    }
    for (const r of h.getSideOutput(leftLate)) lLate.push(r.value.id)
    for (const r of h.getSideOutput(rightLate)) rLate.push(r.value.id)
  }
  return { pairs, lLate, rLate }
}

describe('IntervalJoinOperator properties', () => {
  it('emits exactly the pairs of nested loops over the on-time records; late ones go to the side outputs', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const expected = bruteForce(s)
        const h = harness(optionsOf(s))
        feed(s, 0, s.steps.length, () => h, { wm: -Infinity, maxTs: -Infinity }, [h])
        h.endInput()
        const got = collect([h])
        expect(sorted(got.pairs)).toEqual(expected.pairs)
        expect(sorted(got.lLate.map(String))).toEqual(sorted(expected.leftLate.map(String)))
        expect(sorted(got.rLate.map(String))).toEqual(sorted(expected.rightLate.map(String)))
        expect(h.numKeyedStateEntries()).toBe(0)
        expect(h.numEventTimeTimers()).toBe(0)
        h.close()
      }),
      { numRuns: 300 },
    )
  })

  it('snapshot -> restore (same or other parallelism) -> continue gives the same result', () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 1, max: 3 }), (s, newParallelism) => {
        const expected = bruteForce(s)
        const first = harness(optionsOf(s))
        const state = { wm: -Infinity, maxTs: -Infinity }
        feed(s, 0, s.cut, () => first, state, [first])
        const snapshot = first.snapshot()
        const before = collect([first])
        first.close()

        const next: H[] = []
        for (let i = 0; i < newParallelism; i++)
          next.push(harness(optionsOf(s), { restoreFrom: snapshot, parallelism: newParallelism, subtaskIndex: i }))
        // the watermark is not part of the snapshot (as in Flink): the inputs re-emit it after a restore
        if (state.wm > -Infinity) for (const h of next) h.processWatermark(state.wm)
        const pick = (k: string) =>
          next[subtaskForKeyGroup(DEFAULT_MAX_PARALLELISM, newParallelism, keyGroupOf(k, DEFAULT_MAX_PARALLELISM))]!
        feed(s, s.cut, s.steps.length, pick, state, next)
        for (const h of next) h.endInput()
        const after = collect(next)
        expect(sorted([...before.pairs, ...after.pairs])).toEqual(expected.pairs)
        expect(sorted([...before.lLate, ...after.lLate].map(String))).toEqual(sorted(expected.leftLate.map(String)))
        expect(sorted([...before.rLate, ...after.rLate].map(String))).toEqual(sorted(expected.rightLate.map(String)))
        for (const h of next) {
          expect(h.numKeyedStateEntries()).toBe(0)
          h.close()
        }
      }),
      { numRuns: 200 },
    )
  })
})
