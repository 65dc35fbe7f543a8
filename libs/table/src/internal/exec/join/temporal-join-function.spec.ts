import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { MapStateDescriptor } from '@strom/process'
import { ConfigError } from '@strom/runtime'
import type { Row } from '../../../data/row.js'
import type { Step } from './join-test-util.js'
import { bagOf, fmt, joinHarness, r, runSteps, runWithRestore, showBag } from './join-test-util.js'
import type { TemporalJoinParams } from './temporal-join-function.js'
import { TemporalJoinFunction } from './temporal-join-function.js'
import { NUM_LATE_RECORDS_DROPPED } from './window-join-function.js'

// Probe rows [k, t, id], versioned rows [k, t, price]; joined on k as of the probe's t.
const params = (joinType: 'INNER' | 'LEFT', extra: Partial<TemporalJoinParams> = {}): TemporalJoinParams => ({
  joinType,
  leftWidth: 3,
  rightWidth: 3,
  leftKeyIndices: [0],
  rightKeyIndices: [0],
  leftTimeIndex: 1,
  rightTimeIndex: 1,
  ...extra,
})

const P = (...fields: unknown[]): Step => ({ in: 1, row: { kind: 0, fields }, ts: fields[1] as number })
const V = (row: Row): Step => ({ in: 2, row, ts: row.fields[1] as number })

const lateDropped = (h: ReturnType<typeof joinHarness>): number =>
  h.operatorHarness.metrics.snapshot()[`${h.operatorHarness.metrics.scope}.${NUM_LATE_RECORDS_DROPPED}`] ?? 0

// Flink's example: versions [1(+I), 4(+U), 7(+U), 9(-D), 12(+I)]
const versions: Step[] = [V(r('+I', 'a', 1, 'p1')), V(r('+U', 'a', 4, 'p4')), V(r('+U', 'a', 7, 'p7')), V(r('-D', 'a', 9, null)), V(r('+I', 'a', 12, 'p12'))]
const probes: Step[] = [P('a', 6, 'o1'), P('a', 10, 'o2'), P('a', 2, 'o3'), P('a', 0, 'o4'), P('a', 12, 'o5')]

const run = (p: TemporalJoinParams, steps: Step[]): { out: string[]; h: ReturnType<typeof joinHarness> } => {
  const h = joinHarness(new TemporalJoinFunction(p), [0], [0])
  runSteps(h, steps)
  return { out: h.extractOutputValues().map(fmt), h }
}

describe('TemporalJoinFunction (hand-written, Flink semantics)', () => {
  it('joins each probe row with the version valid at its time, in arrival order, once the watermark passes it', () => {
    const { out, h } = run(params('LEFT'), [...versions, ...probes])
    expect(out).toEqual([])
    runSteps(h, [{ wm: 20 }])
    expect(h.extractOutputValues().map(fmt)).toEqual([
      '+I[a, 6, o1, a, 4, p4]',
      // at 10 the row is deleted (since 9)
      '+I[a, 10, o2, null, null, null]',
      '+I[a, 2, o3, a, 1, p1]',
      // no version yet at 0
      '+I[a, 0, o4, null, null, null]',
      '+I[a, 12, o5, a, 12, p12]',
    ])
    expect(run(params('INNER'), [...versions, ...probes, { wm: 20 }]).out).toEqual([
      '+I[a, 6, o1, a, 4, p4]',
      '+I[a, 2, o3, a, 1, p1]',
      '+I[a, 12, o5, a, 12, p12]',
    ])
  })

  it('waits for the slower input: the watermark is the minimum of both', () => {
    const { h } = run(params('INNER'), [...versions, P('a', 6, 'o1'), { wm: 20, input: 1 }])
    expect(h.extractOutputValues()).toEqual([])
    runSteps(h, [{ wm: 5, input: 2 }])
    expect(h.extractOutputValues()).toEqual([])
    runSteps(h, [{ wm: 6, input: 2 }])
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[a, 6, o1, a, 4, p4]'])
  })

  it('keeps only the latest version at or before the watermark and the newer ones', () => {
    const { h } = run(params('LEFT'), [...versions, P('a', 8, 'o'), { wm: 8 }])
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[a, 8, o, a, 7, p7]'])
    const right = h.getState('a', new MapStateDescriptor<number, Row>('right'))
    expect([...right.keys()].sort((x, y) => x - y)).toEqual([7, 9, 12])
    // versions are cleaned when a timer of the key fires (one per key, at the earliest pending time)
    runSteps(h, [P('a', 50, 'o2'), { wm: 100 }])
    expect(h.extractOutputValues().map(fmt).at(-1)).toBe('+I[a, 50, o2, a, 12, p12]')
    expect([...h.getState('a', new MapStateDescriptor<number, Row>('right')).keys()]).toEqual([12])
  })

  it('drops probe rows at or behind the watermark and counts them', () => {
    const { out, h } = run(params('LEFT'), [V(r('+I', 'a', 1, 'p1')), { wm: 10 }, P('a', 10, 'late'), P('a', 11, 'ok'), { wm: 11 }])
    expect(out).toEqual(['+I[a, 11, ok, a, 1, p1]'])
    expect(lateDropped(h)).toBe(1)
  })

  it('ignores -U on the versioned side: the +U that follows is the new version', () => {
    const steps = [V(r('+I', 'a', 1, 'p1')), V(r('-U', 'a', 1, 'p1')), V(r('+U', 'a', 5, 'p5')), P('a', 3, 'o1'), P('a', 6, 'o2'), { wm: 10 }]
    expect(run(params('LEFT'), steps).out).toEqual(['+I[a, 3, o1, a, 1, p1]', '+I[a, 6, o2, a, 5, p5]'])
  })

  it('applies the condition to the version found (no other version is tried); NULL keys never join', () => {
    const condition = (l: readonly unknown[], rr: readonly unknown[]): boolean => rr[2] !== 'p4'
    expect(run(params('LEFT', { condition }), [...versions, P('a', 6, 'o1'), P(null, 6, 'o2'), { wm: 20 }]).out).toEqual([
      '+I[a, 6, o1, null, null, null]',
      '+I[null, 6, o2, null, null, null]',
    ])
  })

  it('drops the state of a key idle for the retention time (processing time)', () => {
    const { h } = run(params('LEFT', { stateRetentionMs: 100 }), [{ proc: 0 }, V(r('+I', 'a', 1, 'p1')), P('a', 5, 'o1'), { proc: 149 }])
    expect(h.numKeyedStateEntries()).toBeGreaterThan(0)
    runSteps(h, [{ proc: 150 }])
    expect(h.numKeyedStateEntries()).toBe(0)
    runSteps(h, [P('a', 6, 'o2'), { wm: 10 }])
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[a, 6, o2, null, null, null]'])
  })

  it('clears the state of a key once nothing is pending (with retention) and rejects bad parameters', () => {
    expect(() => new TemporalJoinFunction(params('INNER', { stateRetentionMs: 0 }))).toThrow(ConfigError)
    expect(() => new TemporalJoinFunction(params('INNER', { leftTimeIndex: 3 }))).toThrow(ConfigError)
    const h = joinHarness(new TemporalJoinFunction(params('INNER')), [0], [0])
    expect(() => h.processElement1(r('+I', 'a', null, 'x'))).toThrow(/time attribute/)
  })
})

// --- properties: vs a brute-force "version at time t" lookup

type Ev =
  | { probe: true; key: 'a' | 'b' | null; ahead: number; late: boolean }
  | { probe: false; key: 'a' | 'b'; ahead: number; kind: 0 | 1 | 2 | 3; val: number }
  | { wmStep: number }

const evArb: fc.Arbitrary<Ev> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ probe: fc.constant(true as const), key: fc.constantFrom('a' as const, 'b' as const, null), ahead: fc.integer({ min: 1, max: 10 }), late: fc.boolean() }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      probe: fc.constant(false as const),
      key: fc.constantFrom('a' as const, 'b' as const),
      ahead: fc.integer({ min: 1, max: 10 }),
      kind: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
      val: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ wmStep: fc.integer({ min: 0, max: 8 }) }) },
)

const valCond = (l: readonly unknown[], rr: readonly unknown[]): boolean => (rr[2] as number) !== (l[2] as number) % 4

const script = (evs: readonly Ev[]) => {
  let wm = 0
  const steps: Step[] = [{ wm }]
  const probesIn: unknown[][] = []
  const versionsIn: Row[] = []
  let late = 0
  let id = 0
  for (const e of evs) {
    if ('wmStep' in e) {
      wm += e.wmStep
      steps.push({ wm })
    } else if (e.probe) {
      const t = e.late ? wm - e.ahead + 1 : wm + e.ahead
      const fields = [e.key, t, id++]
      if (e.late) late++
      else probesIn.push(fields)
      steps.push(P(...fields))
    } else {
      const row: Row = { kind: e.kind as Row['kind'], fields: [e.key, wm + e.ahead, e.val] }
      versionsIn.push(row)
      steps.push(V(row))
    }
  }
  return { steps, probesIn, versionsIn, late }
}

/** The version of `key` valid at `t`: the latest (then last arrived) non -U row with time <= t. */
const versionAt = (versions: readonly Row[], key: unknown, t: number): Row | undefined => {
  let best: Row | undefined
  for (const v of versions) {
    if (v.kind === 1 || v.fields[0] !== key) continue
    const vt = v.fields[1] as number
    if (vt <= t && (best === undefined || vt >= (best.fields[1] as number))) best = v
  }
  return best
}

describe('temporal joins vs brute force (properties)', () => {
  for (const joinType of ['INNER', 'LEFT'] as const)
    it(`${joinType}: each probe row joins the version valid at its time`, () => {
      fc.assert(
        fc.property(fc.array(evArb, { maxLength: 50 }), fc.boolean(), (evs, withCond) => {
          const { steps, probesIn, versionsIn, late } = script(evs)
          const h = joinHarness(new TemporalJoinFunction(params(joinType, withCond ? { condition: valCond } : {})), [0], [0])
          runSteps(h, steps)
          h.endInput()
          const expected: unknown[][] = []
          for (const p of probesIn) {
            const v = p[0] === null ? undefined : versionAt(versionsIn, p[0], p[1] as number)
            if (v !== undefined && v.kind !== 3 && (!withCond || valCond(p, v.fields))) expected.push([...p, ...v.fields])
            else if (joinType === 'LEFT') expected.push([...p, null, null, null])
          }
          const out = h.extractOutputValues()
          expect(out.every((o) => o.kind === 0)).toBe(true)
          expect(showBag(bagOf(out.map((o) => o.fields)))).toEqual(showBag(bagOf(expected)))
          expect(lateDropped(h)).toBe(late)
        }),
        { numRuns: 300 },
      )
    })

  it('emits a probe row once the watermark reaches it, never before, in arrival order per firing', () => {
    fc.assert(
      fc.property(fc.array(evArb, { maxLength: 40 }), (evs) => {
        const { steps } = script(evs)
        const h = joinHarness(new TemporalJoinFunction(params('LEFT')), [0], [0])
        let wm = -Infinity
        const pending = new Map<number, number>()
        for (const s of steps) {
          runSteps(h, [s])
          if ('wm' in s) wm = s.wm
          else if ('row' in s && s.in === 1 && (s.row.fields[1] as number) > wm) pending.set(s.row.fields[2] as number, s.row.fields[1] as number)
          const out = h.extractOutputValues()
          for (const o of out) {
            expect(o.fields[1] as number).toBeLessThanOrEqual(wm)
            pending.delete(o.fields[2] as number)
          }
          // the rows of a key that one watermark releases come in arrival order
          for (const k of ['a', 'b', null]) {
            const ids = out.filter((o) => o.fields[0] === k).map((o) => o.fields[2] as number)
            expect(ids).toEqual([...ids].sort((x, y) => x - y))
          }
          h.clearOutput()
          for (const t of pending.values()) expect(t).toBeGreaterThan(wm)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('snapshot -> restore -> continue gives the same rows', () => {
    fc.assert(
      fc.property(fc.constantFrom('INNER' as const, 'LEFT' as const), fc.array(evArb, { maxLength: 40 }), fc.nat(), (joinType, evs, cutSeed) => {
        const { steps } = script(evs)
        const cut = cutSeed % (steps.length + 1)
        const { straight, restored } = runWithRestore(new TemporalJoinFunction(params(joinType)), [0], [0], steps, cut)
        expect(showBag(bagOf(restored.map((o) => o.fields)))).toEqual(showBag(bagOf(straight.map((o) => o.fields))))
      }),
      { numRuns: 100 },
    )
  })
})
