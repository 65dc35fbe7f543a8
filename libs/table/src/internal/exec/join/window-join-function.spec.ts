import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ConfigError, InternalError } from '@strom/runtime'
import type { JoinType } from './join-util.js'
import type { Step } from './join-test-util.js'
import { bagOf, fmt, joinHarness, nestedLoopJoin, r, runSteps, runWithRestore, showBag } from './join-test-util.js'
import type { WindowJoinParams } from './window-join-function.js'
import { NUM_LATE_RECORDS_DROPPED, WindowJoinFunction } from './window-join-function.js'

// Rows [k, window_start, window_end, v] on both sides, joined on k within the same window.
const params = (joinType: JoinType, extra: Partial<WindowJoinParams> = {}): WindowJoinParams => ({
  joinType,
  leftWidth: 4,
  rightWidth: 4,
  leftKeyIndices: [0],
  rightKeyIndices: [0],
  leftWindowEndIndex: 2,
  rightWindowEndIndex: 2,
  ...extra,
})

const L = (...fields: unknown[]): Step => ({ in: 1, row: { kind: 0, fields } })
const R = (...fields: unknown[]): Step => ({ in: 2, row: { kind: 0, fields } })

const lateDropped = (h: ReturnType<typeof joinHarness>): number =>
  h.operatorHarness.metrics.snapshot()[`${h.operatorHarness.metrics.scope}.${NUM_LATE_RECORDS_DROPPED}`] ?? 0

const steps: Step[] = [
  L('a', 0, 10, 'l1'),
  L('a', 0, 10, 'l2'),
  R('a', 0, 10, 'r1'),
  R('a', 10, 20, 'r2'),
  L('a', 10, 20, 'l4'),
  R('a', 10, 20, 'r3'),
  { wm: 8 },
  L('a', 0, 10, 'l3'),
  { wm: 9 },
  { wm: 19 },
]

const run = (joinType: JoinType, s: Step[] = steps, extra: Partial<WindowJoinParams> = {}): string[] => {
  const p = params(joinType, extra)
  const h = joinHarness(new WindowJoinFunction(p), [0], [0])
  runSteps(h, s)
  return h.extractOutputValues().map(fmt)
}

describe('WindowJoinFunction (hand-written, Flink semantics)', () => {
  it('INNER: joins the rows of a key and window when the watermark reaches window_end - 1', () => {
    const p = params('INNER')
    const h = joinHarness(new WindowJoinFunction(p), [0], [0])
    runSteps(h, steps.slice(0, 8))
    expect(h.extractOutputValues()).toEqual([])
    runSteps(h, [{ wm: 9 }])
    expect(h.extractOutputValues().map(fmt)).toEqual([
      '+I[a, 0, 10, l1, a, 0, 10, r1]',
      '+I[a, 0, 10, l2, a, 0, 10, r1]',
      '+I[a, 0, 10, l3, a, 0, 10, r1]',
    ])
    // the window's state is gone, the next window's is there
    expect(h.numKeyedStateEntries()).toBe(1)
    runSteps(h, [{ wm: 19 }])
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('LEFT, RIGHT, FULL pad the rows without a match in their window; SEMI and ANTI emit left rows', () => {
    const s: Step[] = [L('a', 0, 10, 'l1'), L('a', 0, 10, 'l2'), R('a', 0, 10, 'r1'), R('a', 0, 10, 'r2'), { wm: 100 }]
    const cond = { condition: (l: readonly unknown[], rr: readonly unknown[]) => l[3] !== 'l2' && rr[3] !== 'r2' }
    expect(run('LEFT', s, cond)).toEqual(['+I[a, 0, 10, l1, a, 0, 10, r1]', '+I[a, 0, 10, l2, null, null, null, null]'])
    expect(run('RIGHT', s, cond)).toEqual(['+I[a, 0, 10, l1, a, 0, 10, r1]', '+I[null, null, null, null, a, 0, 10, r2]'])
    expect(run('FULL', s, cond)).toEqual([
      '+I[a, 0, 10, l1, a, 0, 10, r1]',
      '+I[a, 0, 10, l2, null, null, null, null]',
      '+I[null, null, null, null, a, 0, 10, r2]',
    ])
    expect(run('SEMI', s, cond)).toEqual(['+I[a, 0, 10, l1]'])
    expect(run('ANTI', s, cond)).toEqual(['+I[a, 0, 10, l2]'])
    // a window with rows on one side only
    expect(run('FULL', [L('a', 0, 10, 'l'), R('a', 10, 20, 'r'), { wm: 100 }])).toEqual([
      '+I[a, 0, 10, l, null, null, null, null]',
      '+I[null, null, null, null, a, 10, 20, r]',
    ])
    expect(run('ANTI', [L('a', 0, 10, 'l'), { wm: 100 }])).toEqual(['+I[a, 0, 10, l]'])
  })

  it('drops rows of windows that already fired and counts them in numLateRecordsDropped', () => {
    const h = joinHarness(new WindowJoinFunction(params('LEFT')), [0], [0])
    runSteps(h, [{ wm: 9 }, L('a', 0, 10, 'late'), R('a', 0, 10, 'late'), L('a', 10, 20, 'ok'), { wm: 19 }])
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[a, 10, 20, ok, null, null, null, null]'])
    expect(lateDropped(h)).toBe(2)
  })

  it('NULL keys never join with =', () => {
    expect(run('FULL', [L(null, 0, 10, 'l'), R(null, 0, 10, 'r'), { wm: 9 }])).toEqual([
      '+I[null, 0, 10, l, null, null, null, null]',
      '+I[null, null, null, null, null, 0, 10, r]',
    ])
  })

  it('fires windows of wall-clock window ends at their epoch time (shift time zone)', () => {
    // window ends are wall-clock times one hour ahead of UTC
    const toEpochMillis = (wall: number): number => wall - 3_600_000
    const s: Step[] = [L('a', 0, 3_600_010, 'l'), R('a', 0, 3_600_010, 'r'), { wm: 8 }, { wm: 9 }]
    const h = joinHarness(new WindowJoinFunction(params('INNER', { toEpochMillis })), [0], [0])
    runSteps(h, s.slice(0, 3))
    expect(h.extractOutputValues()).toEqual([])
    runSteps(h, s.slice(3))
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[a, 0, 3600010, l, a, 0, 3600010, r]'])
  })

  it('fails on retractions and on rows without a window_end', () => {
    const h = joinHarness(new WindowJoinFunction(params('INNER')), [0], [0])
    expect(() => h.processElement1(r('-D', 'a', 0, 10, 'x'))).toThrow(InternalError)
    expect(() => h.processElement2(r('+I', 'a', 0, null, 'x'))).toThrow(/window_end/)
    expect(() => new WindowJoinFunction(params('INNER', { leftWindowEndIndex: 4 }))).toThrow(ConfigError)
  })
})

// --- properties: vs nested loops per window, with random out-of-order rows, watermarks, late rows

type Ev = { side: 1 | 2; key: 'a' | 'b' | null; w: number; tag: number } | { wm: number }

const evArb: fc.Arbitrary<Ev> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ side: fc.constantFrom(1 as const, 2 as const), key: fc.constantFrom('a' as const, 'b' as const, null), w: fc.integer({ min: 0, max: 4 }), tag: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ wm: fc.integer({ min: 0, max: 50 }) }) },
)

const script = (evs: readonly Ev[]): { steps: Step[]; left: unknown[][]; right: unknown[][]; late: number } => {
  let wm = -Infinity
  let late = 0
  const steps: Step[] = []
  const left: unknown[][] = []
  const right: unknown[][] = []
  for (const e of evs) {
    if ('wm' in e) {
      // watermarks only move forward
      wm = Math.max(wm, e.wm)
      steps.push({ wm })
    } else {
      const fields = [e.key, e.w * 10, e.w * 10 + 10, e.tag]
      if (e.w * 10 + 9 <= wm) late++
      else (e.side === 1 ? left : right).push(fields)
      steps.push(e.side === 1 ? L(...fields) : R(...fields))
    }
  }
  return { steps, left, right, late }
}

const tagCond = (l: readonly unknown[], rr: readonly unknown[]): boolean => (l[3] as number) <= (rr[3] as number)

describe('window joins vs nested loops (properties)', () => {
  for (const joinType of ['INNER', 'LEFT', 'RIGHT', 'FULL', 'SEMI', 'ANTI'] as const)
    it(`${joinType}: every window's result is the nested-loop join of its rows; late rows are counted`, () => {
      fc.assert(
        fc.property(fc.array(evArb, { maxLength: 50 }), fc.boolean(), (evs, withCond) => {
          const p = params(joinType, withCond ? { condition: tagCond } : {})
          const { steps: s, left, right, late } = script(evs)
          const h = joinHarness(new WindowJoinFunction(p), [0], [0])
          runSteps(h, s)
          h.endInput()
          const expected: unknown[][] = []
          for (let w = 0; w <= 4; w++) {
            const inW = (f: readonly unknown[]): boolean => f[2] === w * 10 + 10
            expected.push(...nestedLoopJoin(joinType, left.filter(inW), right.filter(inW), [0], [0], 4, 4, withCond ? tagCond : undefined))
          }
          const out = h.extractOutputValues()
          expect(out.every((o) => o.kind === 0)).toBe(true)
          expect(showBag(bagOf(out.map((o) => o.fields)))).toEqual(showBag(bagOf(expected)))
          expect(lateDropped(h)).toBe(late)
          expect(h.numKeyedStateEntries()).toBe(0)
        }),
        { numRuns: 200 },
      )
    })

  it('emits a window only once the watermark reaches its end - 1', () => {
    fc.assert(
      fc.property(fc.array(evArb, { maxLength: 40 }), (evs) => {
        const h = joinHarness(new WindowJoinFunction(params('FULL')), [0], [0])
        let wm = -Infinity
        for (const s of script(evs).steps) {
          runSteps(h, [s])
          if ('wm' in s) wm = s.wm
          for (const o of h.extractOutputValues()) expect((o.fields[2] ?? o.fields[6]) as number).toBeLessThanOrEqual(wm + 1)
          h.clearOutput()
        }
      }),
      { numRuns: 100 },
    )
  })

  it('snapshot -> restore -> continue gives the same rows', () => {
    fc.assert(
      fc.property(fc.constantFrom<JoinType>('INNER', 'LEFT', 'RIGHT', 'FULL', 'SEMI', 'ANTI'), fc.array(evArb, { maxLength: 40 }), fc.nat(), (joinType, evs, cutSeed) => {
        const { steps: s } = script(evs)
        const cut = cutSeed % (s.length + 1)
        const { straight, restored } = runWithRestore(new WindowJoinFunction(params(joinType)), [0], [0], s, cut)
        expect(showBag(bagOf(restored.map((o) => o.fields)))).toEqual(showBag(bagOf(straight.map((o) => o.fields))))
      }),
      { numRuns: 100 },
    )
  })
})
