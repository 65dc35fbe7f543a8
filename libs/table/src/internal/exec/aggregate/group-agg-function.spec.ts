import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AggregateCall } from '../../../aggregate/aggregate-call.js'
import { inferAggregateType } from '../../../aggregate/builtin-aggregates.js'
import type { Row } from '../../../data/row.js'
import { ROW_KIND_SHORT, RowKind } from '../../../data/row.js'
import type { DataType } from '../../../types/data-type.js'
import { DataTypes } from '../../../types/data-type.js'
import type { RowKey } from '../keys.js'
import { EMPTY_KEY, keySelectorOf } from '../keys.js'
import type { GroupAggParams } from './group-agg-function.js'
import { GroupAggFunction } from './group-agg-function.js'

const INT = DataTypes.INT()
const STRING = DataTypes.STRING()

const agg = (name: string, args: number[], argTypes: DataType[] = args.map(() => INT), distinct = false): AggregateCall => {
  const type = inferAggregateType(name, argTypes, distinct, { groupCount: 1 })
  if (typeof type === 'string') throw new Error(type)
  return { name, args, argTypes, distinct, type }
}

const I = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields })
const UB = (...fields: unknown[]): Row => ({ kind: RowKind.UPDATE_BEFORE, fields })
const UA = (...fields: unknown[]): Row => ({ kind: RowKind.UPDATE_AFTER, fields })
const D = (...fields: unknown[]): Row => ({ kind: RowKind.DELETE, fields })

/** Rows as readable strings: `+I[a, 1, 1]`. */
const show = (rows: readonly Row[]): string[] => rows.map((r) => `${ROW_KIND_SHORT[r.kind]}[${r.fields.map((f) => (f === null ? 'null' : String(f))).join(', ')}]`)

const harness = (p: GroupAggParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(new GroupAggFunction(p), keySelectorOf(p.groupIndices))

/** Feeds rows one by one, returning the output of each. */
const feed = (h: ReturnType<typeof harness>, ...rows: Row[]): string[][] =>
  rows.map((r) => {
    h.clearOutput()
    h.processElement(r)
    return show(h.extractOutputValues())
  })

// SELECT k, COUNT(*), SUM(v), MAX(v) FROM t GROUP BY k   (input fields: k, v)
const params: GroupAggParams = {
  groupIndices: [0],
  aggs: [agg('COUNT', []), agg('SUM', [1]), agg('MAX', [1])],
  generateUpdateBefore: true,
}

describe('GroupAggFunction', () => {
  it('emits +I for a new group, -U/+U for updates, -D when its last row is retracted', () => {
    const h = harness(params)
    expect(feed(h, I('a', 1), I('b', 2), I('a', 3), D('a', 3), D('a', 1), I('a', 5), UB('b', 2), UA('b', 7))).toEqual([
      ['+I[a, 1, 1, 1]'],
      ['+I[b, 1, 2, 2]'],
      ['-U[a, 1, 1, 1]', '+U[a, 2, 4, 3]'],
      ['-U[a, 2, 4, 3]', '+U[a, 1, 1, 1]'],
      ['-D[a, 1, 1, 1]'],
      ['+I[a, 1, 5, 5]'],
      ['-D[b, 1, 2, 2]'],
      ['+I[b, 1, 7, 7]'],
    ])
    // the group's state is gone after -D: only a and b are kept
    expect(h.numKeyedStateEntries()).toBe(2)
  })

  it('ignores a retraction for a group it does not know', () => {
    const h = harness(params)
    expect(feed(h, D('x', 1), UB('x', 1), I('x', 2))).toEqual([[], [], ['+I[x, 1, 2, 2]']])
  })

  it('sends nothing when the result does not change', () => {
    // SELECT k, MAX(v) GROUP BY k
    const h = harness({ groupIndices: [0], aggs: [agg('MAX', [1])], generateUpdateBefore: true })
    expect(feed(h, I('a', 5), I('a', 3), I('a', 5), D('a', 5), D('a', 5), I('a', 9))).toEqual([
      ['+I[a, 5]'],
      [],
      [],
      [],
      ['-U[a, 5]', '+U[a, 3]'],
      ['-U[a, 3]', '+U[a, 9]'],
    ])
  })

  it('sends only +U for updates in upsert mode (generateUpdateBefore: false)', () => {
    const h = harness({ ...params, generateUpdateBefore: false })
    expect(feed(h, I('a', 1), I('a', 2), D('a', 1), D('a', 2))).toEqual([['+I[a, 1, 1, 1]'], ['+U[a, 2, 3, 2]'], ['+U[a, 1, 2, 2]'], ['-D[a, 1, 2, 2]']])
  })

  it('aggregates globally under EMPTY_KEY when there is no GROUP BY', () => {
    const p: GroupAggParams = { groupIndices: [], aggs: [agg('COUNT', []), agg('AVG', [1])], generateUpdateBefore: true }
    const h = harness(p)
    expect(feed(h, I('a', 1), I('b', 2), D('a', 1), D('b', 2))).toEqual([['+I[1, 1]'], ['-U[1, 1]', '+U[2, 1]'], ['-U[2, 1]', '+U[1, 2]'], ['-D[1, 2]']])
    expect(keySelectorOf([])(I('z'))).toBe(EMPTY_KEY)
  })

  it('groups by several fields, including NULLs, and copies the group values into its output', () => {
    const p: GroupAggParams = { groupIndices: [1, 0], aggs: [agg('COUNT', [2]), agg('LISTAGG', [3], [STRING])], generateUpdateBefore: true }
    const h = harness(p)
    expect(feed(h, I('a', null, 1, 'x'), I('a', null, null, 'y'), I('a', 1, 1, null))).toEqual([
      ['+I[null, a, 1, x]'],
      ['-U[null, a, 1, x]', '+U[null, a, 1, x,y]'],
      ['+I[1, a, 1, null]'],
    ])
  })

  it('with a state TTL, forgets idle groups and emits updates even when the result is unchanged', () => {
    const p: GroupAggParams = { groupIndices: [0], aggs: [agg('MAX', [1])], generateUpdateBefore: true, stateTtlMs: 1000 }
    const h = harness(p)
    h.setProcessingTime(0)
    expect(feed(h, I('a', 5))).toEqual([['+I[a, 5]']])
    h.setProcessingTime(900)
    expect(feed(h, I('a', 1))).toEqual([['-U[a, 5]', '+U[a, 5]']]) // unchanged, but downstream TTL needs it
    h.setProcessingTime(1800) // 900 ms after the last write: still there
    expect(feed(h, I('a', 2))).toEqual([['-U[a, 5]', '+U[a, 5]']])
    h.setProcessingTime(2801) // expired
    expect(feed(h, D('a', 5), I('a', 3))).toEqual([[], ['+I[a, 3]']])
  })

  it('refuses a retraction when built for insert-only input', () => {
    const h = harness({ ...params, updatingInput: false })
    h.processElement(I('a', 1))
    expect(() => h.processElement(D('a', 1))).toThrow(/MAX\(\$1\) cannot retract/)
  })

  it('continues after snapshot and restore exactly as without', () => {
    const input = [I('a', 1), I('b', 2), I('a', 3), D('a', 1), UB('b', 2), UA('b', 4), I('c', 1), D('a', 3), I('a', 8)]
    for (let cut = 0; cut <= input.length; cut++) {
      const whole = harness(params)
      for (const r of input) whole.processElement(r)
      const first = harness(params)
      for (const r of input.slice(0, cut)) first.processElement(r)
      const restored = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new GroupAggFunction(params), keySelectorOf([0]), first.snapshot())
      for (const r of input.slice(cut)) restored.processElement(r)
      expect([...first.extractOutputValues(), ...restored.extractOutputValues()]).toEqual(whole.extractOutputValues())
    }
  })
})

// ---------------------------------------------------------------------------------------------
// property: the materialized output equals GROUP BY over the net input

/** One step of a random valid changelog over live rows `[k, v]`. */
type Op = { op: 'insert'; k: string; v: number | null } | { op: 'delete'; pick: number } | { op: 'update'; pick: number; v: number | null }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), k: fc.constantFrom('a', 'b', 'c'), v: fc.option(fc.integer({ min: -5, max: 5 })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('update' as const), pick: fc.nat(), v: fc.option(fc.integer({ min: -5, max: 5 })) }) },
)

/** The changelog rows of ops, and the live rows at the end. */
const changelog = (ops: readonly Op[]): { rows: Row[]; live: unknown[][] } => {
  const live: unknown[][] = []
  const rows: Row[] = []
  for (const o of ops) {
    if (o.op === 'insert') {
      live.push([o.k, o.v])
      rows.push(I(o.k, o.v))
    } else if (live.length > 0) {
      const i = o.pick % live.length
      const old = live[i]!
      if (o.op === 'delete') {
        live.splice(i, 1)
        rows.push(D(...old))
      } else {
        live[i] = [old[0], o.v]
        rows.push(UB(...old), UA(old[0], o.v))
      }
    }
  }
  return { rows, live }
}

// SELECT k, COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v), AVG(v), COUNT(DISTINCT v) GROUP BY k
const propParams = (generateUpdateBefore: boolean): GroupAggParams => ({
  groupIndices: [0],
  aggs: [agg('COUNT', []), agg('COUNT', [1]), agg('SUM', [1]), agg('MIN', [1]), agg('MAX', [1]), agg('AVG', [1]), agg('COUNT', [1], [INT], true)],
  generateUpdateBefore,
})

const bruteForce = (live: readonly unknown[][]): Map<string, unknown[]> => {
  const groups = new Map<string, (number | null)[]>()
  for (const [k, v] of live) {
    let g = groups.get(k as string)
    if (g === undefined) groups.set(k as string, (g = []))
    g.push(v as number | null)
  }
  const out = new Map<string, unknown[]>()
  for (const [k, vs] of groups) {
    const nn = vs.filter((v): v is number => v !== null)
    const sum = nn.reduce((s, v) => s + v, 0)
    out.set(k, [
      k,
      vs.length,
      nn.length,
      nn.length === 0 ? null : sum,
      nn.length === 0 ? null : Math.min(...nn),
      nn.length === 0 ? null : Math.max(...nn),
      nn.length === 0 ? null : Math.trunc(sum / nn.length),
      new Set(nn).size,
    ])
  }
  return out
}

/** Applies a changelog to a table keyed by the first field, checking it is consistent. */
const materialize = (rows: readonly Row[], retractMode: boolean): Map<string, unknown[]> => {
  const table = new Map<string, unknown[]>()
  for (const r of rows) {
    const k = r.fields[0] as string
    switch (r.kind) {
      case RowKind.INSERT:
        expect(table.has(k)).toBe(false)
        table.set(k, r.fields)
        break
      case RowKind.UPDATE_BEFORE:
        expect(table.get(k)).toEqual(r.fields)
        table.delete(k)
        break
      case RowKind.UPDATE_AFTER:
        if (retractMode) expect(table.has(k)).toBe(false)
        else expect(table.has(k)).toBe(true)
        table.set(k, r.fields)
        break
      case RowKind.DELETE:
        expect(table.get(k)).toEqual(r.fields)
        table.delete(k)
        break
    }
  }
  return table
}

describe('GroupAggFunction: properties', () => {
  for (const generateUpdateBefore of [true, false]) {
    it(`the materialized output equals a brute-force GROUP BY over the net input (${generateUpdateBefore ? 'retract' : 'upsert'} output)`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
          const { rows, live } = changelog(ops)
          const h = harness(propParams(generateUpdateBefore))
          for (const r of rows) h.processElement(r)
          expect(materialize(h.extractOutputValues(), generateUpdateBefore)).toEqual(bruteForce(live))
          // state is kept only for groups with rows
          expect(h.numKeyedStateEntries()).toBe(bruteForce(live).size)
        }),
      )
    })
  }

  it('restore(snapshot) at any point continues with the same output', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.nat(), (ops, at) => {
        const { rows } = changelog(ops)
        const cut = rows.length === 0 ? 0 : at % (rows.length + 1)
        const p = propParams(true)
        const whole = harness(p)
        for (const r of rows) whole.processElement(r)
        const first = harness(p)
        for (const r of rows.slice(0, cut)) first.processElement(r)
        const snap = first.snapshot()
        const second = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new GroupAggFunction(p), keySelectorOf(p.groupIndices), snap)
        for (const r of rows.slice(cut)) second.processElement(r)
        expect([...first.extractOutputValues(), ...second.extractOutputValues()]).toEqual(whole.extractOutputValues())
      }),
      { numRuns: 50 },
    )
  })
})

// ---------------------------------------------------------------------------------------------
// Nexmark q16's shape: COUNT(*) and COUNT(DISTINCT) of two columns, each also with three FILTERs

describe('GroupAggFunction: DISTINCT calls sharing a map per column (Nexmark q16)', () => {
  // input rows [k, bidder, auction, f1, f2, f3], the filters as the Calc below computes them from a price
  type Bid = { k: string; price: number; bidder: number | null; auction: number }
  const row = (kind: RowKind, b: Bid): Row => ({ kind, fields: [b.k, b.bidder, b.auction, b.price < 3, b.price >= 3 && b.price < 6, b.price >= 6] })
  const bidArb: fc.Arbitrary<Bid> = fc.record({
    k: fc.constantFrom('a', 'b'),
    price: fc.integer({ min: 0, max: 8 }),
    bidder: fc.option(fc.integer({ min: 0, max: 5 }), { freq: 6 }),
    auction: fc.integer({ min: 0, max: 3 }),
  })
  type BidOp = { op: 'insert'; bid: Bid } | { op: 'delete'; pick: number } | { op: 'update'; pick: number; bid: Bid }
  const bidOpArb = (updating: boolean): fc.Arbitrary<BidOp> =>
    updating
      ? fc.oneof(
          { weight: 4, arbitrary: bidArb.map((bid) => ({ op: 'insert' as const, bid })) },
          { weight: 1, arbitrary: fc.nat().map((pick) => ({ op: 'delete' as const, pick })) },
          { weight: 1, arbitrary: fc.record({ op: fc.constant('update' as const), pick: fc.nat(), bid: bidArb }) },
        )
      : bidArb.map((bid) => ({ op: 'insert' as const, bid }))
  const changes = (ops: readonly BidOp[]): { rows: Row[]; live: Bid[] } => {
    const live: Bid[] = []
    const rows: Row[] = []
    for (const o of ops) {
      if (o.op === 'insert') {
        live.push(o.bid)
        rows.push(row(RowKind.INSERT, o.bid))
      } else if (live.length > 0) {
        const i = o.pick % live.length
        const old = live[i]!
        if (o.op === 'delete') {
          live.splice(i, 1)
          rows.push(row(RowKind.DELETE, old))
        } else {
          // an update keeps the group
          const next = { ...o.bid, k: old.k }
          live[i] = next
          rows.push(row(RowKind.UPDATE_BEFORE, old), row(RowKind.UPDATE_AFTER, next))
        }
      }
    }
    return { rows, live }
  }
  const filters = [undefined, 3, 4, 5]
  const q16Params = (updatingInput: boolean, generateUpdateBefore = true): GroupAggParams => ({
    groupIndices: [0],
    aggs: [
      ...filters.map((f) => ({ ...agg('COUNT', []), ...(f === undefined ? {} : { filterArg: f }) })),
      ...[1, 2].flatMap((a) => filters.map((f) => ({ ...agg('COUNT', [a], [INT], true), ...(f === undefined ? {} : { filterArg: f }) }))),
    ],
    generateUpdateBefore,
    updatingInput,
  })
  const expected = (live: readonly Bid[]): Map<string, unknown[]> => {
    const out = new Map<string, unknown[]>()
    for (const k of new Set(live.map((b) => b.k))) {
      const bids = live.filter((b) => b.k === k)
      const ranks = [() => true, (b: Bid) => b.price < 3, (b: Bid) => b.price >= 3 && b.price < 6, (b: Bid) => b.price >= 6]
      const distinct = (vs: (number | null)[]) => new Set(vs.filter((v) => v !== null)).size
      out.set(k, [
        k,
        ...ranks.map((r) => bids.filter(r).length),
        ...ranks.map((r) => distinct(bids.filter(r).map((b) => b.bidder))),
        ...ranks.map((r) => distinct(bids.filter(r).map((b) => b.auction))),
      ])
    }
    return out
  }

  for (const updatingInput of [true, false])
    for (const generateUpdateBefore of [true, false])
      it(`the materialized output equals a brute-force GROUP BY (${updatingInput ? 'updating' : 'insert-only'} input, ${generateUpdateBefore ? 'retract' : 'upsert'} output)`, () => {
        fc.assert(
          fc.property(fc.array(bidOpArb(updatingInput), { maxLength: 50 }), (ops) => {
            const { rows, live } = changes(ops)
            const h = harness(q16Params(updatingInput, generateUpdateBefore))
            for (const r of rows) h.processElement(r)
            expect(materialize(h.extractOutputValues(), generateUpdateBefore)).toEqual(expected(live))
          }),
          { numRuns: 60 },
        )
      })

  for (const updatingInput of [true, false])
    it(`restore(snapshot) at any point continues with the same output (${updatingInput ? 'updating' : 'insert-only'} input)`, () => {
      fc.assert(
        fc.property(fc.array(bidOpArb(updatingInput), { maxLength: 40 }), fc.nat(), (ops, at) => {
          const { rows } = changes(ops)
          const cut = rows.length === 0 ? 0 : at % (rows.length + 1)
          const p = q16Params(updatingInput)
          const whole = harness(p)
          for (const r of rows) whole.processElement(r)
          const first = harness(p)
          for (const r of rows.slice(0, cut)) first.processElement(r)
          const second = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new GroupAggFunction(p), keySelectorOf(p.groupIndices), first.snapshot())
          const upToCut = first.extractOutputValues()
          // the first instance goes on too: the snapshot is a copy, not state shared with it
          for (const r of rows.slice(cut)) {
            second.processElement(r)
            first.processElement(r)
          }
          expect([...upToCut, ...second.extractOutputValues()]).toEqual(whole.extractOutputValues())
          expect(first.extractOutputValues()).toEqual(whole.extractOutputValues())
        }),
        { numRuns: 40 },
      )
    })
})
