import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import { keySelectorOf } from '../keys.js'
import type { RowKey } from '../keys.js'
import { fieldsEqual } from '../rank/row-equality.js'
import { applyChangelog, multiset, showAll, sortedEntries } from '../rank/test-util.js'
import { OrderedOverFunction, RETRACTED_ROWS_NOT_FOUND } from './ordered-over-function.js'
import type { OverAggParams, OverFrameSpec } from './over-params.js'
import type { AggsHandle } from '../../../aggregate/aggregate-call.js'
import { aggregateDirectly, builtinSumCountMax, testAggsHandle } from './test-aggs.js'
import type { TestAgg } from './test-aggs.js'

// rows: (partition, order value, v, id)
const byKey = keySelectorOf([0])
const row = (kind: RowKind, ...fields: unknown[]): Row => ({ kind, fields })
const I = (...f: unknown[]) => row(RowKind.INSERT, ...f)
const UB = (...f: unknown[]) => row(RowKind.UPDATE_BEFORE, ...f)
const UA = (...f: unknown[]) => row(RowKind.UPDATE_AFTER, ...f)
const D = (...f: unknown[]) => row(RowKind.DELETE, ...f)

const params = (frame: OverFrameSpec, p: Partial<OverAggParams> = {}): OverAggParams => ({
  order: 'FIELD',
  orderKey: { index: 1, direction: 'ASC', nullsFirst: true },
  frame,
  aggs: testAggsHandle(['sum', 'count', 'min'], 2),
  inputInsertOnly: false,
  ...p,
})
const harness = (p: OverAggParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(new OrderedOverFunction(p), byKey)
const run = (p: OverAggParams, rows: Row[]) => {
  const h = harness(p)
  for (const r of rows) h.processElement(r)
  return h
}

describe('OrderedOverFunction', () => {
  it('ROWS 1 PRECEDING over an updating input: corrects the rows whose frame contains the change (Nexmark q6)', () => {
    const h = run(params({ unit: 'ROWS', preceding: 1 }), [I('a', 10, 1), I('a', 20, 2), I('a', 15, 4), UB('a', 15, 4), UA('a', 15, 8), D('a', 10, 1), D('a', 99, 9)])
    expect(showAll(h.extractOutputValues())).toEqual([
      '+I[a, 10, 1, 1, 1, 1]',
      '+I[a, 20, 2, 3, 2, 1]',
      // 15 lands between 10 and 20: 20's frame is now {15, 20}
      '+I[a, 15, 4, 5, 2, 1]',
      '-U[a, 20, 2, 3, 2, 1]',
      '+U[a, 20, 2, 6, 2, 2]',
      '-U[a, 15, 4, 5, 2, 1]',
      '-U[a, 20, 2, 6, 2, 2]',
      '+U[a, 20, 2, 3, 2, 1]',
      '+U[a, 15, 8, 9, 2, 1]',
      '-U[a, 20, 2, 3, 2, 1]',
      '+U[a, 20, 2, 10, 2, 2]',
      // 10 goes: 15 is first now; 20's frame {15, 20} is unchanged
      '-D[a, 10, 1, 1, 1, 1]',
      '-U[a, 15, 8, 9, 2, 1]',
      '+U[a, 15, 8, 8, 1, 8]',
    ])
    expect(h.operatorHarness.metrics.counter(RETRACTED_ROWS_NOT_FOUND).count).toBe(1)
  })

  it('RANGE UNBOUNDED: peers share the aggregate; an insertion updates its peers and every later row', () => {
    const h = run(params({ unit: 'RANGE', preceding: undefined }), [I('a', 1, 1), I('a', 2, 2), I('a', 1, 4)])
    expect(showAll(h.extractOutputValues())).toEqual([
      '+I[a, 1, 1, 1, 1, 1]',
      '+I[a, 2, 2, 3, 2, 1]',
      '-U[a, 1, 1, 1, 1, 1]',
      '+U[a, 1, 1, 5, 2, 1]',
      '+I[a, 1, 4, 5, 2, 1]',
      '-U[a, 2, 2, 3, 2, 1]',
      '+U[a, 2, 2, 7, 3, 1]',
    ])
  })

  it('appending in order emits only the new row', () => {
    const h = run(params({ unit: 'ROWS', preceding: undefined }), [I('a', 1, 1), I('a', 2, 2), I('a', 3, 3)])
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 1, 1, 1, 1, 1]', '+I[a, 2, 2, 3, 2, 1]', '+I[a, 3, 3, 6, 3, 1]'])
  })

  it('the partition state goes away with its last row', () => {
    const h = run(params({ unit: 'ROWS', preceding: 2 }), [I('a', 1, 1), I('b', 1, 1), D('a', 1, 1)])
    expect(h.numKeyedStateEntries()).toBe(1)
  })
})

// ---------------------------------------------------------------------------------------------

type Op = { readonly kind: 'add'; readonly key: string; readonly t: number | null; readonly v: number | null; readonly asUpdate: boolean } | { readonly kind: 'retract'; readonly pick: number; readonly asUpdate: boolean } | { readonly kind: 'tick' }

const opsArb = fc.array<Op>(
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        key: fc.constantFrom('a', 'b'),
        t: fc.option(fc.integer({ min: 0, max: 8 }), { freq: 8 }),
        v: fc.option(fc.integer({ min: -5, max: 9 }), { freq: 8 }),
        asUpdate: fc.boolean(),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('retract' as const), pick: fc.nat(), asUpdate: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('tick' as const) }) },
  ),
  { maxLength: 50, size: 'medium' },
)

interface Live {
  readonly fields: unknown[]
  /** The order value: the order column, or the arrival time for PROCTIME. */
  readonly t: unknown
}

/** Each live row with the aggregates of its frame, computed directly from the partition in order. */
const expected = (live: readonly Live[], p: OverAggParams, aggs: readonly TestAgg[]): unknown[][] => {
  const key = p.orderKey!
  const sign = key.direction === 'DESC' ? -1 : 1
  const cmpT = (a: unknown, b: unknown): number => {
    if (a === null) return b === null ? 0 : key.nullsFirst ? -1 : 1
    if (b === null) return key.nullsFirst ? 1 : -1
    return sign * ((a as number) - (b as number))
  }
  const near = (a: unknown, b: unknown): boolean =>
    p.frame.preceding === undefined || (a === null || b === null ? a === b : Math.abs((a as number) - (b as number)) <= p.frame.preceding)
  const out: unknown[][] = []
  for (const part of ['a', 'b']) {
    // stable: rows with equal order values stay in arrival order
    const rows = live.filter((l) => l.fields[0] === part).sort((x, y) => cmpT(x.t, y.t))
    rows.forEach((r, i) => {
      let members: Live[]
      if (p.frame.unit === 'ROWS') members = rows.slice(p.frame.preceding === undefined ? 0 : Math.max(0, i - p.frame.preceding), i + 1)
      else members = rows.filter((x) => cmpT(x.t, r.t) <= 0 && near(x.t, r.t))
      out.push([...r.fields, ...aggs.map((a) => aggregateDirectly(a, members.map((m) => m.fields[2])))])
    })
  }
  return out
}

const check = (p: OverAggParams, aggs: readonly TestAgg[], ops: readonly Op[], cut: number): void => {
  let h = harness(p)
  const live: Live[] = []
  const result = new Map<string, number>()
  let seen = 0
  let now = 0
  let id = 0
  const at = cut % (ops.length + 1)
  for (let i = 0; i < ops.length; i++) {
    if (i === at) {
      applyChangelog(result, h.extractOutputValues().slice(seen))
      h = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new OrderedOverFunction(p), byKey, h.snapshot())
      h.setProcessingTime(now)
      seen = 0
    }
    const op = ops[i]!
    if (op.kind === 'tick') {
      now++
      h.setProcessingTime(now)
      continue
    }
    if (op.kind === 'add') {
      // rows are unique but for their id when the id is reused: test equal rows too
      const fields = [op.key, op.t, op.v, id % 3 === 2 ? 0 : id]
      id++
      live.push({ fields, t: p.order === 'PROCTIME' ? now : op.t })
      h.processElement(row(op.asUpdate ? RowKind.UPDATE_AFTER : RowKind.INSERT, ...fields))
    } else {
      if (live.length === 0) continue
      const target = live[op.pick % live.length]!.fields
      // the function takes back the first equal row in order (PROCTIME: the newest, the last in arrival order)
      const equal = live.filter((l) => fieldsEqual(l.fields, target))
      const pick = p.order === 'PROCTIME' ? equal[equal.length - 1]! : equal[0]!
      live.splice(live.indexOf(pick), 1)
      h.processElement(row(op.asUpdate ? RowKind.UPDATE_BEFORE : RowKind.DELETE, ...target))
    }
    const out = h.extractOutputValues()
    applyChangelog(result, out.slice(seen))
    seen = out.length
    expect(sortedEntries(result)).toEqual(sortedEntries(multiset(expected(live, p, aggs))))
  }
}

const frameArb: fc.Arbitrary<OverFrameSpec> = fc.record({
  unit: fc.constantFrom<'ROWS' | 'RANGE'>('ROWS', 'RANGE'),
  preceding: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
})
/** The aggregates, and a handle computing them: the test handle (retracting or not) or the builtin one. */
const aggsArb = fc.constantFrom<{ names: TestAgg[]; handle: AggsHandle }>(
  { names: ['sum', 'count', 'min', 'max'], handle: testAggsHandle(['sum', 'count', 'min', 'max'], 2) },
  { names: ['collect', 'max', 'count'], handle: testAggsHandle(['collect', 'max', 'count'], 2) },
  { names: ['sum', 'count', 'max'], handle: builtinSumCountMax(2) },
  { names: ['sum', 'count', 'max'], handle: builtinSumCountMax(2, false) },
)

describe('OrderedOverFunction properties', () => {
  it('ordered by a column: after every change the materialized output is each row with the aggregates of its frame', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(frameArb, aggsArb, fc.boolean(), fc.boolean(), opsArb, fc.nat(), (frame, { names: aggs, handle }, desc, nullsFirst, ops, cut) => {
        const p = params(frame, { aggs: handle, orderKey: { index: 1, direction: desc ? 'DESC' : 'ASC', nullsFirst } })
        check(p, aggs, ops, cut)
      }),
      { numRuns: 400 },
    )
  })

  it('ordered by processing time: rows are ordered by arrival, RANGE by arrival millisecond', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(frameArb, aggsArb, opsArb, fc.nat(), (frame, { names: aggs, handle }, ops, cut) => {
        const p: OverAggParams = { order: 'PROCTIME', orderKey: { index: -1, direction: 'ASC', nullsFirst: true }, frame, aggs: handle, inputInsertOnly: false }
        check(p, aggs, ops, cut)
      }),
      { numRuns: 200 },
    )
  })
})
