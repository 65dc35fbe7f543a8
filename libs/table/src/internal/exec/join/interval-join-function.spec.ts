import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ConfigError } from '@strom/runtime'
import { KeyedTwoInputStreamOperatorTestHarness } from '@strom/runtime/testing'
import type { Row } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { keySelectorOf } from '../keys.js'
import type { IntervalJoinParams } from './interval-join-function.js'
import { IntervalJoinFunction, intervalJoinOperator } from './interval-join-function.js'
import type { Step } from './join-test-util.js'
import { bagOf, fmt, joinHarness, nestedLoopJoin, r, runSteps, runWithRestore, showBag } from './join-test-util.js'

// Left rows [k, t, v], right rows [k, t, w], joined on k with l.t BETWEEN r.t - 5 AND r.t + 5.
const params = (joinType: IntervalJoinParams['joinType'], extra: Partial<IntervalJoinParams> = {}): IntervalJoinParams => ({
  joinType,
  timeAttribute: 'rowtime',
  leftWidth: 3,
  rightWidth: 3,
  leftKeyIndices: [0],
  rightKeyIndices: [0],
  leftTimeIndex: 1,
  rightTimeIndex: 1,
  leftLowerBound: -5,
  leftUpperBound: 5,
  ...extra,
})

const L = (...fields: unknown[]): Step => ({ in: 1, row: { kind: 0, fields }, ts: fields[1] as number })
const R = (...fields: unknown[]): Step => ({ in: 2, row: { kind: 0, fields }, ts: fields[1] as number })

const run = (p: IntervalJoinParams, steps: Step[], end = false): { out: string[]; h: ReturnType<typeof joinHarness> } => {
  const h = joinHarness(new IntervalJoinFunction(p), p.leftKeyIndices, p.rightKeyIndices)
  runSteps(h, steps)
  if (end) h.endInput()
  return { out: h.extractOutputValues().map(fmt), h }
}

describe('IntervalJoinFunction (hand-written, Flink semantics)', () => {
  it('INNER, event time: joins as rows arrive, and cleans up by timers as the watermark passes', () => {
    const { out, h } = run(params('INNER'), [
      L('a', 10, 'l1'),
      R('a', 12, 'r1'),
      R('a', 20, 'r2'),
      R('b', 11, 'r3'),
      { wm: 21 },
      L('a', 22, 'l2'),
      L('a', 4, 'l3'),
    ])
    // l3 (time 4) arrives behind the watermark: r1 (12) already expired from the cache
    expect(out).toEqual(['+I[a, 10, l1, a, 12, r1]', '+I[a, 22, l2, a, 20, r2]'])
    h.endInput()
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('registers one cleanup timer per side and key, at row time + relative size + minimum cleanup interval + 1', () => {
    const { h } = run(params('INNER', { minCleanUpInterval: 5 }), [L('a', 10, 'l1'), L('a', 17, 'l2'), R('a', 30, 'r1')])
    // left rows: 10 + 5 + 5 + 1; right rows: 30 + 5 + 5 + 1
    expect(h.eventTimeTimers()).toEqual([
      { timestamp: 21, key: 'a' },
      { timestamp: 41, key: 'a' },
    ])
    runSteps(h, [{ wm: 21 }])
    // l1 (10) can only join right rows up to 15 <= 21 - 5 - 1: dropped; l2 (17) is kept, with a
    // timer for it
    expect(h.eventTimeTimers()).toEqual([
      { timestamp: 28, key: 'a' },
      { timestamp: 41, key: 'a' },
    ])
    // without a minimum cleanup interval (the default): row time + relative size + 1
    expect(run(params('INNER'), [L('a', 10, 'l1'), R('a', 30, 'r1')]).h.eventTimeTimers().map((t) => t.timestamp)).toEqual([16, 36])
  })

  it('LEFT / RIGHT / FULL: unmatched rows come NULL-padded when they expire, matched ones never', () => {
    const steps = [L('a', 10, 'l1'), L('a', 30, 'l2'), R('a', 14, 'r1'), R('a', 50, 'r2'), { wm: 25 }, { wm: 100 }]
    expect(run(params('LEFT'), steps).out).toEqual(['+I[a, 10, l1, a, 14, r1]', '+I[a, 30, l2, null, null, null]'])
    expect(run(params('RIGHT'), steps).out).toEqual(['+I[a, 10, l1, a, 14, r1]', '+I[null, null, null, a, 50, r2]'])
    expect(run(params('FULL'), steps).out).toEqual([
      '+I[a, 10, l1, a, 14, r1]',
      '+I[a, 30, l2, null, null, null]',
      '+I[null, null, null, a, 50, r2]',
    ])
  })

  it('keeps a row while a row of the other side can still join it (the cleanup while joining too)', () => {
    // l (16) joins right rows up to 21 = watermark + 1; r2 cleans the left cache while joining
    expect(run(params('INNER'), [{ wm: 0 }, L('a', 16, 'l'), { wm: 20 }, R('a', 40, 'r2'), R('a', 21, 'r1')]).out).toEqual([
      '+I[a, 16, l, a, 21, r1]',
    ])
  })

  it('an outer row arriving behind the watermark is padded at once when nothing cached joins it', () => {
    expect(run(params('LEFT'), [{ wm: 30 }, L('a', 10, 'late')]).out).toEqual(['+I[a, 10, late, null, null, null]'])
  })

  it('NULL keys never join; on an outer side they are padded', () => {
    // both cleanup timers are at 16: the right cache is cleaned first, as in Flink
    expect(run(params('FULL'), [L(null, 10, 'l'), R(null, 10, 'r')], true).out).toEqual([
      '+I[null, null, null, null, 10, r]',
      '+I[null, 10, l, null, null, null]',
    ])
  })

  it('applies the non-equi condition', () => {
    const condition = (l: readonly unknown[], rr: readonly unknown[]): boolean => l[2] === 'x' || rr[2] === 'x'
    expect(run(params('LEFT', { condition }), [L('a', 10, 'l1'), R('a', 11, 'r1'), L('a', 12, 'x')], true).out).toEqual([
      '+I[a, 12, x, a, 11, r1]',
      '+I[a, 10, l1, null, null, null]',
    ])
  })

  it('processing time: rows take the clock as their time', () => {
    const p = params('FULL', { timeAttribute: 'proctime', leftTimeIndex: undefined, rightTimeIndex: undefined })
    const { out, h } = run(p, [{ proc: 0 }, L('a', 0, 'l1'), { proc: 3 }, R('a', 0, 'r1'), { proc: 9 }, R('a', 0, 'r2'), { proc: 100 }])
    expect(out).toEqual(['+I[a, 0, l1, a, 0, r1]', '+I[null, null, null, a, 0, r2]'])
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numProcessingTimeTimers()).toBe(0)
  })

  it('holds the forwarded watermark back by the largest relative size (Flink KeyedCoProcessOperatorWithWatermarkDelay)', () => {
    const fn = new IntervalJoinFunction(params('LEFT', { leftLowerBound: -3, leftUpperBound: 7 }))
    expect(fn.maxOutputDelay).toBe(7)
    const h = new KeyedTwoInputStreamOperatorTestHarness<Row, Row, RowKey, Row>(intervalJoinOperator(fn)(), keySelectorOf([0]), keySelectorOf([0]))
    h.open()
    h.processElement1(r('+I', 'a', 10, 'l'), 10)
    h.processWatermark(100)
    expect(h.getWatermarks()).toEqual([93])
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[a, 10, l, null, null, null]'])
  })

  it('rejects bad parameters', () => {
    expect(() => new IntervalJoinFunction(params('INNER', { leftLowerBound: 5, leftUpperBound: 4 }))).toThrow(ConfigError)
    expect(() => new IntervalJoinFunction(params('INNER', { leftTimeIndex: undefined }))).toThrow(/leftTimeIndex/)
    expect(() => new IntervalJoinFunction(params('INNER', { allowedLateness: -1 }))).toThrow(/lateness/)
    const h = joinHarness(new IntervalJoinFunction(params('INNER')), [0], [0])
    expect(() => h.processElement1(r('+I', 'a', null, 'x'))).toThrow(/time attribute/)
  })
})

// --- properties: vs nested loops with interval predicates, random out-of-order times and watermarks

type Ev = { side: 1 | 2; key: 'a' | 'b' | null; ahead: number; tag: number } | { wmStep: number }

const evArb: fc.Arbitrary<Ev> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ side: fc.constantFrom(1 as const, 2 as const), key: fc.constantFrom('a' as const, 'b' as const, null), ahead: fc.integer({ min: 1, max: 12 }), tag: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ wmStep: fc.integer({ min: 0, max: 15 }) }) },
)

/** Rows never behind the watermark (the case where Flink's interval join is exact). */
const script = (evs: readonly Ev[]): { steps: Step[]; left: unknown[][]; right: unknown[][] } => {
  let wm = 0
  let maxT = 0
  const steps: Step[] = [{ wm }]
  const left: unknown[][] = []
  const right: unknown[][] = []
  for (const e of evs) {
    if ('wmStep' in e) {
      wm = Math.min(wm + e.wmStep, maxT)
      steps.push({ wm })
    } else {
      const t = wm + e.ahead
      maxT = Math.max(maxT, t)
      const fields = [e.key, t, e.tag]
      ;(e.side === 1 ? left : right).push(fields)
      steps.push(e.side === 1 ? L(...fields) : R(...fields))
    }
  }
  return { steps, left, right }
}

const tagCond = (l: readonly unknown[], rr: readonly unknown[]): boolean => (l[2] as number) >= (rr[2] as number)

describe('interval joins vs nested loops (properties)', () => {
  for (const joinType of ['INNER', 'LEFT', 'RIGHT', 'FULL'] as const)
    it(`${joinType}: matches as rows arrive, padded rows at expiry, all exactly once`, () => {
      fc.assert(
        fc.property(fc.array(evArb, { maxLength: 50 }), fc.integer({ min: -12, max: 12 }), fc.integer({ min: 0, max: 15 }), fc.boolean(), fc.constantFrom(0, 0, 3), (evs, lower, width, withCond, minCleanUpInterval) => {
          const upper = lower + width
          const p = params(joinType, { leftLowerBound: lower, leftUpperBound: upper, minCleanUpInterval, ...(withCond ? { condition: tagCond } : {}) })
          const within = (l: readonly unknown[], rr: readonly unknown[]): boolean => {
            const d = (l[1] as number) - (rr[1] as number)
            return d >= lower && d <= upper && (!withCond || tagCond(l, rr))
          }
          const { steps, left, right } = script(evs)
          const h = joinHarness(new IntervalJoinFunction(p), [0], [0])
          const seenL: unknown[][] = []
          const seenR: unknown[][] = []
          const joinedSoFar: Row[] = []
          for (const s of steps) {
            runSteps(h, [s])
            if ('row' in s) (s.in === 1 ? seenL : seenR).push(s.row.fields)
            for (const o of h.extractOutputValues()) joinedSoFar.push(o)
            h.clearOutput()
            // matches are emitted as soon as both rows are there
            const pairs = joinedSoFar.filter((o) => o.fields[0] !== null && o.fields[3] !== null).map((o) => o.fields)
            expect(showBag(bagOf(pairs))).toEqual(showBag(bagOf(nestedLoopJoin('INNER', seenL, seenR, [0], [0], 3, 3, within))))
          }
          h.endInput()
          for (const o of h.extractOutputValues()) joinedSoFar.push(o)
          expect(joinedSoFar.every((o) => o.kind === 0)).toBe(true)
          const expected = nestedLoopJoin(joinType, left, right, [0], [0], 3, 3, within)
          expect(showBag(bagOf(joinedSoFar.map((o) => o.fields)))).toEqual(showBag(bagOf(expected)))
          expect(h.numKeyedStateEntries()).toBe(0)
        }),
        { numRuns: 300 },
      )
    })

  it('snapshot -> restore -> continue gives the same rows', () => {
    fc.assert(
      fc.property(fc.constantFrom('INNER' as const, 'LEFT' as const, 'RIGHT' as const, 'FULL' as const), fc.array(evArb, { maxLength: 40 }), fc.nat(), (joinType, evs, cutSeed) => {
        const { steps } = script(evs)
        const cut = cutSeed % (steps.length + 1)
        const { straight, restored } = runWithRestore(new IntervalJoinFunction(params(joinType)), [0], [0], steps, cut)
        // timers of different keys with the same time may fire in another order after a restore
        expect(showBag(bagOf(restored.map((o) => o.fields)))).toEqual(showBag(bagOf(straight.map((o) => o.fields))))
      }),
      { numRuns: 100 },
    )
  })
})
