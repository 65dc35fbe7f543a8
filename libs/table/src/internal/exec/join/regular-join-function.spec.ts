import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ConfigError } from '@strom/runtime'
import type { Row } from '../../../data/row.js'
import type { JoinType } from './join-util.js'
import { joinKeySelectors } from './join-util.js'
import type { RegularJoinParams } from './regular-join-function.js'
import { StreamingJoinFunction, StreamingSemiAntiJoinFunction, regularJoinFunction } from './regular-join-function.js'
import type { Step } from './join-test-util.js'
import {
  applyChangelog,
  bagOf,
  fmt,
  joinHarness,
  materialize,
  nestedLoopJoin,
  r,
  runSteps,
  runWithRestore,
  showBag,
} from './join-test-util.js'

// Left rows [id, k, v], right rows [k, w]; joined on left.k = right.k.
const params = (joinType: JoinType, extra: Partial<RegularJoinParams> = {}): RegularJoinParams => ({
  joinType,
  left: { width: 3, keyIndices: [1] },
  right: { width: 2, keyIndices: [0] },
  ...extra,
})

const run = (joinType: JoinType, steps: Step[], extra: Partial<RegularJoinParams> = {}): string[] => {
  const p = params(joinType, extra)
  const h = joinHarness(regularJoinFunction(p), p.left.keyIndices, p.right.keyIndices)
  runSteps(h, steps)
  return h.extractOutputValues().map(fmt)
}

const L = (row: Row): Step => ({ in: 1, row })
const R = (row: Row): Step => ({ in: 2, row })

describe('StreamingJoinFunction (hand-written, Flink semantics)', () => {
  it('INNER forwards the input kinds: +I/+U joins give +I/+U, -U/-D give -U/-D', () => {
    expect(
      run('INNER', [
        L(r('+I', 1, 'a', 10)),
        R(r('+I', 'a', 'x')),
        R(r('+I', 'b', 'y')),
        L(r('-U', 1, 'a', 10)),
        L(r('+U', 1, 'a', 11)),
        R(r('-D', 'a', 'x')),
        L(r('+I', 2, 'b', 20)),
      ]),
    ).toEqual(['+I[1, a, 10, a, x]', '-U[1, a, 10, a, x]', '+U[1, a, 11, a, x]', '-D[1, a, 11, a, x]', '+I[2, b, 20, b, y]'])
  })

  it('LEFT: -D of the padded row before the first match, +I of it again after the last match goes', () => {
    expect(
      run('LEFT', [
        L(r('+I', 1, 'a', 10)),
        R(r('+I', 'a', 'x')),
        R(r('+I', 'a', 'y')),
        R(r('-D', 'a', 'x')),
        R(r('-U', 'a', 'y')),
        R(r('+U', 'a', 'z')),
        L(r('-D', 1, 'a', 10)),
        R(r('+I', 'c', 'q')),
      ]),
    ).toEqual([
      '+I[1, a, 10, null, null]',
      '-D[1, a, 10, null, null]',
      '+I[1, a, 10, a, x]',
      '+I[1, a, 10, a, y]',
      '-D[1, a, 10, a, x]',
      // a retraction from the inner side keeps its kind
      '-U[1, a, 10, a, y]',
      '+I[1, a, 10, null, null]',
      '-D[1, a, 10, null, null]',
      '+I[1, a, 10, a, z]',
      // the outer side retracts with -D
      '-D[1, a, 10, a, z]',
    ])
  })

  it('LEFT: an outer row arriving with matches joins them with +I at once', () => {
    expect(run('LEFT', [R(r('+I', 'a', 'x')), R(r('+I', 'a', 'x')), L(r('+U', 1, 'a', 10)), L(r('-U', 1, 'a', 10))])).toEqual([
      '+I[1, a, 10, a, x]',
      '+I[1, a, 10, a, x]',
      '-D[1, a, 10, a, x]',
      '-D[1, a, 10, a, x]',
    ])
  })

  it('RIGHT mirrors LEFT', () => {
    expect(run('RIGHT', [R(r('+I', 'a', 'x')), L(r('+I', 1, 'a', 10)), L(r('-D', 1, 'a', 10))])).toEqual([
      '+I[null, null, null, a, x]',
      '-D[null, null, null, a, x]',
      '+I[1, a, 10, a, x]',
      '-D[1, a, 10, a, x]',
      '+I[null, null, null, a, x]',
    ])
  })

  it('FULL: both sides padded, and each padded row retracted once per copy', () => {
    expect(
      run('FULL', [
        L(r('+I', 1, 'a', 10)),
        L(r('+I', 1, 'a', 10)),
        R(r('+I', 'a', 'x')),
        R(r('+I', 'a', 'y')),
        L(r('-D', 1, 'a', 10)),
        L(r('-D', 1, 'a', 10)),
      ]),
    ).toEqual([
      '+I[1, a, 10, null, null]',
      '+I[1, a, 10, null, null]',
      // the right row is unmatched: it was never padded, so only the left padded copies go
      '-D[1, a, 10, null, null]',
      '+I[1, a, 10, a, x]',
      '-D[1, a, 10, null, null]',
      '+I[1, a, 10, a, x]',
      '+I[1, a, 10, a, y]',
      '+I[1, a, 10, a, y]',
      '-D[1, a, 10, a, x]',
      '-D[1, a, 10, a, y]',
      '-D[1, a, 10, a, x]',
      '+I[null, null, null, a, x]',
      '-D[1, a, 10, a, y]',
      '+I[null, null, null, a, y]',
    ])
  })

  it('NULL keys never match with =, are padded on an outer side, and match with IS NOT DISTINCT FROM', () => {
    const steps = [L(r('+I', 1, null, 10)), R(r('+I', null, 'x')), L(r('-D', 1, null, 10))]
    expect(run('FULL', steps)).toEqual([
      '+I[1, null, 10, null, null]',
      '+I[null, null, null, null, x]',
      '-D[1, null, 10, null, null]',
    ])
    expect(run('INNER', steps, { filterNullKeys: [false] })).toEqual(['+I[1, null, 10, null, x]', '-D[1, null, 10, null, x]'])
  })

  it('applies the non-equi condition', () => {
    const condition = (l: readonly unknown[], rr: readonly unknown[]): boolean => (l[2] as number) < (rr[1] as number)
    expect(
      run('LEFT', [L(r('+I', 1, 'a', 10)), R(r('+I', 'a', 5)), R(r('+I', 'a', 15)), R(r('-D', 'a', 5))], { condition, right: { width: 2, keyIndices: [0] } }),
    ).toEqual(['+I[1, a, 10, null, null]', '-D[1, a, 10, null, null]', '+I[1, a, 10, a, 15]'])
  })

  it('with a unique key, an upsert without -U retracts the results of the row it replaces', () => {
    const extra = { left: { width: 3, keyIndices: [1], uniqueKeyIndices: [0] } }
    expect(
      run(
        'LEFT',
        [
          R(r('+I', 'a', 'x')),
          L(r('+I', 1, 'a', 10)),
          L(r('+U', 1, 'a', 11)),
          L(r('-U', 1, 'a', null)),
          L(r('+U', 1, 'b', 12)),
          L(r('-D', 1, 'b', null)),
        ],
        extra,
      ),
    ).toEqual([
      '+I[1, a, 10, a, x]',
      '-D[1, a, 10, a, x]',
      '+I[1, a, 11, a, x]',
      '-D[1, a, 11, a, x]',
      '+I[1, b, 12, null, null]',
      // a -D with only the keys retracts the stored row
      '-D[1, b, 12, null, null]',
    ])
  })

  it('keeps state per key and side: multiplicities and association counts', () => {
    const p = params('LEFT')
    const h = joinHarness(new StreamingJoinFunction(p), [1], [0])
    runSteps(h, [L(r('+I', 1, 'a', 10)), L(r('+I', 1, 'a', 10)), R(r('+I', 'a', 'x'))])
    expect(h.numKeyedStateEntries()).toBe(2)
    runSteps(h, [L(r('-D', 1, 'a', 10)), L(r('-D', 1, 'a', 10)), R(r('-D', 'a', 'x'))])
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('expires rows by state TTL (processing time)', () => {
    const extra = { left: { width: 3, keyIndices: [1], stateTtlMs: 100 }, right: { width: 2, keyIndices: [0], stateTtlMs: 100 } }
    expect(run('INNER', [L(r('+I', 1, 'a', 10)), { proc: 50 }, R(r('+I', 'a', 'x')), { proc: 120 }, R(r('+I', 'a', 'y'))], extra)).toEqual([
      '+I[1, a, 10, a, x]',
    ])
  })

  it('rejects parameters that do not fit', () => {
    expect(() => new StreamingJoinFunction(params('SEMI'))).toThrow(ConfigError)
    expect(() => new StreamingSemiAntiJoinFunction(params('INNER'))).toThrow(ConfigError)
    expect(() => regularJoinFunction({ ...params('INNER'), right: { width: 2, keyIndices: [0, 1] } })).toThrow(/pair up/)
    expect(() => regularJoinFunction({ ...params('INNER'), left: { width: 3, keyIndices: [3] } })).toThrow(/outside a row of 3/)
    expect(() => joinKeySelectors([0], [0, 1])).toThrow(ConfigError)
    expect(() => regularJoinFunction({ ...params('INNER'), filterNullKeys: [true, true] })).toThrow(/filterNullKeys/)
  })
})

describe('StreamingSemiAntiJoinFunction (hand-written, Flink semantics)', () => {
  const steps = [
    L(r('+I', 1, 'a', 10)),
    R(r('+I', 'a', 'x')),
    R(r('+U', 'a', 'y')),
    L(r('+I', 2, 'a', 20)),
    R(r('-D', 'a', 'x')),
    R(r('-U', 'a', 'y')),
    L(r('-D', 1, 'a', 10)),
  ]
  it('SEMI emits a left row while it has matches, with the kinds Flink uses', () => {
    expect(run('SEMI', steps)).toEqual(['+I[1, a, 10]', '+I[2, a, 20]', '-U[1, a, 10]', '-U[2, a, 20]'])
  })
  it('ANTI emits a left row while it has none', () => {
    expect(run('ANTI', steps)).toEqual(['+I[1, a, 10]', '-D[1, a, 10]', '+I[1, a, 10]', '+I[2, a, 20]', '-D[1, a, 10]'])
  })
})

// --- properties: the materialized output equals the nested-loop join of the materialized inputs

type Op =
  | { side: 1 | 2; kind: 'add'; key: string | null; val: number; asUpdate: boolean }
  | { side: 1 | 2; kind: 'retract'; pick: number; asUpdate: boolean }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    side: fc.constantFrom(1 as const, 2 as const),
    kind: fc.constant('add' as const),
    key: fc.constantFrom('a', 'b', null),
    val: fc.integer({ min: 0, max: 3 }),
    asUpdate: fc.boolean(),
  }),
  fc.record({
    side: fc.constantFrom(1 as const, 2 as const),
    kind: fc.constant('retract' as const),
    pick: fc.nat(),
    asUpdate: fc.boolean(),
  }),
)

const ALL_TYPES: JoinType[] = ['INNER', 'LEFT', 'RIGHT', 'FULL', 'SEMI', 'ANTI']
const lessOrEqual = (l: readonly unknown[], rr: readonly unknown[]): boolean => (l[1] as number) <= (rr[1] as number)

/** Turns ops into a valid changelog per side (retractions only of present rows); rows are [k, v]. */
const toSteps = (ops: readonly Op[]): { steps: Step[]; live: [unknown[][], unknown[][]] } => {
  const live: [unknown[][], unknown[][]] = [[], []]
  const steps: Step[] = []
  for (const op of ops) {
    const rows = live[op.side - 1]
    if (op.kind === 'add') {
      const fields = [op.key, op.val]
      rows.push(fields)
      steps.push({ in: op.side, row: { kind: op.asUpdate ? 2 : 0, fields } })
    } else if (rows.length > 0) {
      const [fields] = rows.splice(op.pick % rows.length, 1)
      steps.push({ in: op.side, row: { kind: op.asUpdate ? 1 : 3, fields: [...fields!] } })
    }
  }
  return { steps, live }
}

describe('regular joins vs nested loops (properties)', () => {
  for (const joinType of ALL_TYPES)
    it(`${joinType}: after every step, the output changelog materializes to the nested-loop join`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 40 }), fc.boolean(), (ops, withCond) => {
          const p: RegularJoinParams = {
            joinType,
            left: { width: 2, keyIndices: [0] },
            right: { width: 2, keyIndices: [0] },
            ...(withCond ? { condition: lessOrEqual } : {}),
          }
          const h = joinHarness(regularJoinFunction(p), [0], [0])
          const live: [unknown[][], unknown[][]] = [[], []]
          const out = new Map<string, number>()
          const { steps } = toSteps(ops)
          for (const s of steps) {
            runSteps(h, [s])
            if (!('row' in s)) continue
            const rows = live[s.in - 1]
            if (s.row.kind === 0 || s.row.kind === 2) rows.push(s.row.fields)
            else rows.splice(rows.findIndex((f) => f[0] === s.row.fields[0] && f[1] === s.row.fields[1]), 1)
            const bad = applyChangelog(out, h.extractOutputValues())
            h.clearOutput()
            expect(bad).toEqual([])
            const expected = bagOf(nestedLoopJoin(joinType, live[0], live[1], [0], [0], 2, 2, withCond ? lessOrEqual : undefined))
            expect(showBag(out)).toEqual(showBag(expected))
          }
        }),
        { numRuns: 300 },
      )
    })

  for (const joinType of ALL_TYPES)
    it(`${joinType}: append-only inputs (rows kept under generated keys) give the nested-loop join too`, () => {
      fc.assert(
        fc.property(fc.array(opArb.filter((o) => o.kind === 'add'), { maxLength: 40 }), fc.boolean(), (ops, withCond) => {
          const p: RegularJoinParams = {
            joinType,
            left: { width: 2, keyIndices: [0], appendOnly: true },
            right: { width: 2, keyIndices: [0], appendOnly: true },
            ...(withCond ? { condition: lessOrEqual } : {}),
          }
          const h = joinHarness(regularJoinFunction(p), [0], [0])
          const { steps, live } = toSteps(ops.map((o) => ({ ...o, asUpdate: false })))
          runSteps(h, steps)
          const out = new Map<string, number>()
          expect(applyChangelog(out, h.extractOutputValues())).toEqual([])
          expect(showBag(out)).toEqual(showBag(bagOf(nestedLoopJoin(joinType, live[0], live[1], [0], [0], 2, 2, withCond ? lessOrEqual : undefined))))
        }),
        { numRuns: 200 },
      )
    })

  it('an append-only input refuses a retraction (the planner got its changelog mode wrong)', () => {
    const p: RegularJoinParams = { joinType: 'INNER', left: { width: 2, keyIndices: [0], appendOnly: true }, right: { width: 2, keyIndices: [0] } }
    const h = joinHarness(regularJoinFunction(p), [0], [0])
    runSteps(h, [{ in: 1, row: { kind: 0, fields: ['a', 1] } }])
    expect(() => runSteps(h, [{ in: 1, row: { kind: 3, fields: ['a', 1] } }])).toThrow(/append-only/)
  })

  it('with unique keys and upserts without -U (some with -U), every join type stays exact', () => {
    // rows [id, k, v]: unique key id, join key k
    const upsertOp = fc.record({
      side: fc.constantFrom(1 as const, 2 as const),
      id: fc.integer({ min: 0, max: 3 }),
      key: fc.constantFrom('a', 'b', null),
      val: fc.integer({ min: 0, max: 3 }),
      action: fc.constantFrom('upsert' as const, 'retractThenUpsert' as const, 'delete' as const),
    })
    fc.assert(
      fc.property(fc.constantFrom(...ALL_TYPES), fc.array(upsertOp, { maxLength: 40 }), (joinType, ops) => {
        const p: RegularJoinParams = {
          joinType,
          left: { width: 3, keyIndices: [1], uniqueKeyIndices: [0] },
          right: { width: 3, keyIndices: [1], uniqueKeyIndices: [0] },
        }
        const h = joinHarness(regularJoinFunction(p), [1], [1])
        const tables: [Map<number, unknown[]>, Map<number, unknown[]>] = [new Map(), new Map()]
        for (const op of ops) {
          const t = tables[op.side - 1]
          const old = t.get(op.id)
          const send = (row: Row): void => {
            if (op.side === 1) h.processElement1(row)
            else h.processElement2(row)
          }
          const fields = [op.id, op.key, op.val]
          if (op.action === 'delete') {
            if (old === undefined) continue
            // a delete with the keys only
            send({ kind: 3, fields: [op.id, old[1], null] })
            t.delete(op.id)
          } else {
            // an update that keeps the join key may leave out -U; one that changes it may not
            if (old !== undefined && (op.action === 'retractThenUpsert' || old[1] !== op.key)) send({ kind: 1, fields: [op.id, old[1], null] })
            send({ kind: old === undefined ? 0 : 2, fields })
            t.set(op.id, fields)
          }
          const expected = bagOf(nestedLoopJoin(joinType, [...tables[0].values()], [...tables[1].values()], [1], [1], 3, 3))
          expect(showBag(materialize(h.extractOutputValues()))).toEqual(showBag(expected))
        }
      }),
      { numRuns: 200 },
    )
  })

  it('snapshot -> restore -> continue gives the same output as an uninterrupted run', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_TYPES), fc.array(opArb, { maxLength: 30 }), fc.nat(), (joinType, ops, cutSeed) => {
        const p: RegularJoinParams = { joinType, left: { width: 2, keyIndices: [0] }, right: { width: 2, keyIndices: [0] } }
        const { steps } = toSteps(ops)
        const cut = steps.length === 0 ? 0 : cutSeed % (steps.length + 1)
        const { straight, restored } = runWithRestore(regularJoinFunction(p), [0], [0], steps, cut, false)
        expect(restored.map(fmt)).toEqual(straight.map(fmt))
      }),
      { numRuns: 100 },
    )
  })
})
