import { ValueStateDescriptor } from '@strom/process'
import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import { keySelectorOf } from '../keys.js'
import type { RowKey } from '../keys.js'
import { FastTop1Function, TopNFunction, createRankFunction, rankChangelogMode } from './rank-function.js'
import type { RankParams, RankType } from './rank-function.js'
import { fieldsEqual } from './row-equality.js'
import { compileComparator } from './sort-key-comparator.js'
import type { SortKeySpec } from './sort-key-comparator.js'
import { applyChangelog, multiset, showAll, sortedEntries } from './test-util.js'

const byPartition = keySelectorOf([0])
const I = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields })
const UB = (...fields: unknown[]): Row => ({ kind: RowKind.UPDATE_BEFORE, fields })
const UA = (...fields: unknown[]): Row => ({ kind: RowKind.UPDATE_AFTER, fields })
const D = (...fields: unknown[]): Row => ({ kind: RowKind.DELETE, fields })

const asc = (index: number): SortKeySpec => ({ index, direction: 'ASC', nullsFirst: true })

const params = (p: Partial<RankParams>): RankParams => ({
  rankType: 'ROW_NUMBER',
  orderKeys: [asc(2)],
  rankStart: 1,
  rankEnd: 2,
  outputRankNumber: false,
  inputInsertOnly: true,
  ...p,
})

const harness = (p: RankParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(createRankFunction(p), byPartition)

const run = (p: RankParams, rows: Row[]): string[] => {
  const h = harness(p)
  for (const r of rows) h.processElement(r)
  return showAll(h.extractOutputValues())
}

// Flink's AppendOnlyTopNFunctionTest / RetractableTopNFunctionTest input: (category, id, price)
const flinkInput = [I('book', 1, 12), I('book', 2, 19), I('book', 4, 11), I('fruit', 4, 33), I('fruit', 3, 44), I('fruit', 5, 22)]

describe('TopNFunction (ROW_NUMBER, as Flink)', () => {
  it('append-only Top-2 without the rank number: -D for the row pushed out, then +I', () => {
    expect(run(params({}), flinkInput)).toEqual([
      '+I[book, 1, 12]',
      '+I[book, 2, 19]',
      '-D[book, 2, 19]',
      '+I[book, 4, 11]',
      '+I[fruit, 4, 33]',
      '+I[fruit, 3, 44]',
      '-D[fruit, 3, 44]',
      '+I[fruit, 5, 22]',
    ])
  })

  it('append-only Top-2 with the rank number: updates by position', () => {
    expect(run(params({ outputRankNumber: true }), flinkInput)).toEqual([
      '+I[book, 1, 12, 1]',
      '+I[book, 2, 19, 2]',
      '-U[book, 1, 12, 1]',
      '+U[book, 4, 11, 1]',
      '-U[book, 2, 19, 2]',
      '+U[book, 1, 12, 2]',
      '+I[fruit, 4, 33, 1]',
      '+I[fruit, 3, 44, 2]',
      '-U[fruit, 4, 33, 1]',
      '+U[fruit, 5, 22, 1]',
      '-U[fruit, 3, 44, 2]',
      '+U[fruit, 4, 33, 2]',
    ])
  })

  it('append-only with an offset (rank 2 to 3), with the rank number', () => {
    expect(run(params({ rankStart: 2, rankEnd: 3, outputRankNumber: true }), [I('a', 1, 10), I('a', 2, 20), I('a', 3, 5), I('a', 4, 30)])).toEqual([
      '+I[a, 2, 20, 2]',
      // 5 takes rank 1: 10 moves to rank 2, 20 to rank 3
      '-U[a, 2, 20, 2]',
      '+U[a, 1, 10, 2]',
      '+I[a, 2, 20, 3]',
    ])
  })

  it('without generateUpdateBefore, updates are +U only', () => {
    expect(run(params({ outputRankNumber: true, generateUpdateBefore: false }), [I('a', 1, 10), I('a', 2, 5)])).toEqual([
      '+I[a, 1, 10, 1]',
      '+U[a, 2, 5, 1]',
      '+I[a, 1, 10, 2]',
    ])
  })

  it('peers are numbered in arrival order', () => {
    expect(run(params({ outputRankNumber: true, rankEnd: 3 }), [I('a', 1, 7), I('a', 2, 7), I('a', 3, 7), I('a', 4, 7)])).toEqual([
      '+I[a, 1, 7, 1]',
      '+I[a, 2, 7, 2]',
      '+I[a, 3, 7, 3]',
    ])
  })

  it('retractable Top-2 without the rank number: a retraction brings the next row into the top', () => {
    const p = params({ inputInsertOnly: false })
    expect(run(p, [I('a', 1, 10), I('a', 2, 20), I('a', 3, 30), D('a', 1, 10), UB('a', 2, 20), UA('a', 2, 5), D('a', 9, 99)])).toEqual([
      '+I[a, 1, 10]',
      '+I[a, 2, 20]',
      '-D[a, 1, 10]',
      '+I[a, 3, 30]',
      '-D[a, 2, 20]',
      '+I[a, 2, 5]',
    ])
  })

  it('retractable Top-2 with the rank number: retractions shift ranks up by position', () => {
    const p = params({ inputInsertOnly: false, outputRankNumber: true })
    expect(run(p, [I('a', 1, 10), I('a', 2, 20), I('a', 3, 30), D('a', 1, 10), D('a', 3, 30), D('a', 2, 20)])).toEqual([
      '+I[a, 1, 10, 1]',
      '+I[a, 2, 20, 2]',
      '-U[a, 1, 10, 1]',
      '+U[a, 2, 20, 1]',
      '-U[a, 2, 20, 2]',
      '+U[a, 3, 30, 2]',
      '-D[a, 3, 30, 2]',
      '-D[a, 2, 20, 1]',
    ])
  })

  it('a variable rank end is fixed by the first row of the partition', () => {
    const p = params({ rankEndIndex: 3, rankEnd: 0 })
    const h = harness(p)
    for (const r of [I('a', 1, 10, 1), I('a', 2, 5, 2), I('b', 1, 10, 2), I('b', 2, 20, 2)]) h.processElement(r)
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 1, 10, 1]', '-D[a, 1, 10, 1]', '+I[a, 2, 5, 2]', '+I[b, 1, 10, 2]', '+I[b, 2, 20, 2]'])
    expect(h.operatorHarness.metrics.counter('topn.invalidTopSize').count).toBe(1)
  })

  it('an append-only Top-N keeps only the rows that can still be in the result', () => {
    const h = harness(params({ rankEnd: 2 }))
    for (let i = 0; i < 50; i++) h.processElement(I('a', i, (i * 37) % 101))
    const buffer = h.getState('a', new ValueStateDescriptor<{ n: number; g: unknown[][][] }>('data-state-with-append')).value()!
    expect(buffer.n).toBe(2)
    expect(buffer.g.flat()).toEqual([
      ['a', 0, 0],
      ['a', 41, 2],
    ])
  })

  it('rejects updates on an append-only Top-N and invalid rank ranges', () => {
    const h = harness(params({}))
    expect(() => h.processElement(D('a', 1, 1))).toThrow(/retractable Top-N/)
    expect(() => createRankFunction(params({ rankStart: 0 }))).toThrow(/rank start/)
    expect(() => createRankFunction(params({ rankStart: 3, rankEnd: 2 }))).toThrow(/rank end/)
  })
})

describe('FastTop1Function', () => {
  it('is chosen for ROW_NUMBER <= 1 over an insert-only input, and emits -U/+U', () => {
    const p = params({ rankEnd: 1 })
    expect(createRankFunction(p)).toBeInstanceOf(FastTop1Function)
    expect(createRankFunction({ ...p, inputInsertOnly: false })).toBeInstanceOf(TopNFunction)
    expect(run(p, [I('a', 1, 10), I('a', 2, 10), I('a', 3, 5), I('b', 1, 1), I('a', 4, 7)])).toEqual([
      '+I[a, 1, 10]',
      '-U[a, 1, 10]',
      '+U[a, 3, 5]',
      '+I[b, 1, 1]',
    ])
    expect(run({ ...p, outputRankNumber: true, generateUpdateBefore: false }, [I('a', 1, 10), I('a', 3, 5)])).toEqual(['+I[a, 1, 10, 1]', '+U[a, 3, 5, 1]'])
    expect([...rankChangelogMode(p).kinds].sort()).toEqual([RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER])
  })
})

describe('TopNFunction (RANK, DENSE_RANK)', () => {
  it('RANK <= 2: peers share a rank, the rank after them skips', () => {
    const p = params({ rankType: 'RANK', outputRankNumber: true, inputInsertOnly: false })
    expect(run(p, [I('a', 1, 10), I('a', 2, 10), I('a', 3, 20), I('a', 4, 5), D('a', 4, 5)])).toEqual([
      '+I[a, 1, 10, 1]',
      '+I[a, 2, 10, 1]',
      // 20 would have rank 3
      '+I[a, 4, 5, 1]',
      '-U[a, 1, 10, 1]',
      '+U[a, 1, 10, 2]',
      '-U[a, 2, 10, 1]',
      '+U[a, 2, 10, 2]',
      '-D[a, 4, 5, 1]',
      '-U[a, 1, 10, 2]',
      '+U[a, 1, 10, 1]',
      '-U[a, 2, 10, 2]',
      '+U[a, 2, 10, 1]',
    ])
  })

  it('DENSE_RANK <= 2 without the number: a new smaller key pushes out the second key', () => {
    const p = params({ rankType: 'DENSE_RANK', inputInsertOnly: true })
    expect(run(p, [I('a', 1, 10), I('a', 2, 20), I('a', 3, 20), I('a', 4, 30), I('a', 5, 5), I('a', 6, 10)])).toEqual([
      '+I[a, 1, 10]',
      '+I[a, 2, 20]',
      '+I[a, 3, 20]',
      '+I[a, 5, 5]',
      '-D[a, 2, 20]',
      '-D[a, 3, 20]',
      '+I[a, 6, 10]',
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// Properties: the materialized output equals a brute-force Top-N of the materialized input.

type Op = { readonly kind: 'add'; readonly fields: unknown[]; readonly asUpdate: boolean } | { readonly kind: 'retract'; readonly pick: number; readonly asUpdate: boolean }

/** The expected result: each partition's rows sorted (stably, so peers stay in arrival order), ranked, filtered. */
const bruteForce = (live: readonly unknown[][], p: RankParams): unknown[][] => {
  const cmp = compileComparator(p.orderKeys)
  const parts = new Map<unknown, unknown[][]>()
  for (const f of live) {
    const k = f[0]
    if (!parts.has(k)) parts.set(k, [])
    parts.get(k)!.push(f)
  }
  const out: unknown[][] = []
  for (const rows of parts.values()) {
    const sorted = [...rows].sort(cmp)
    let rank = 0
    let dense = 0
    for (let i = 0; i < sorted.length; i++) {
      const newKey = i === 0 || cmp(sorted[i - 1]!, sorted[i]!) !== 0
      if (newKey) {
        rank = i + 1
        dense++
      }
      const r = p.rankType === 'ROW_NUMBER' ? i + 1 : p.rankType === 'RANK' ? rank : dense
      if (r >= p.rankStart && r <= p.rankEnd) out.push(p.outputRankNumber ? [...sorted[i]!, r] : sorted[i]!)
    }
  }
  return out
}

const rankParamsArb = (insertOnly: boolean): fc.Arbitrary<RankParams> =>
  fc
    .record({
      rankType: fc.constantFrom<RankType>('ROW_NUMBER', 'RANK', 'DENSE_RANK'),
      rankStart: fc.integer({ min: 1, max: 3 }),
      width: fc.integer({ min: 0, max: 3 }),
      outputRankNumber: fc.boolean(),
      desc: fc.boolean(),
      nullsFirst: fc.boolean(),
      secondKey: fc.boolean(),
    })
    .map(
      (r): RankParams => ({
        rankType: r.rankType,
        rankStart: r.rankStart,
        rankEnd: r.rankStart + r.width,
        outputRankNumber: r.outputRankNumber,
        inputInsertOnly: insertOnly,
        orderKeys: [{ index: 1, direction: r.desc ? 'DESC' : 'ASC', nullsFirst: r.nullsFirst }, ...(r.secondKey ? [asc(2)] : [])],
      }),
    )

const opsArb = (insertOnly: boolean): fc.Arbitrary<Op[]> =>
  fc.array<Op>(
    insertOnly
      ? fc.record({ kind: fc.constant('add' as const), fields: fc.tuple(fc.constantFrom('a', 'b'), fc.option(fc.integer({ min: 0, max: 6 }), { freq: 6 }), fc.integer({ min: 0, max: 2 })), asUpdate: fc.constant(false) })
      : fc.oneof(
          { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), fields: fc.tuple(fc.constantFrom('a', 'b'), fc.option(fc.integer({ min: 0, max: 6 }), { freq: 6 }), fc.integer({ min: 0, max: 2 })), asUpdate: fc.boolean() }) },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('retract' as const), pick: fc.nat(), asUpdate: fc.boolean() }) },
        ),
    { maxLength: 80, size: 'medium' },
  )

/** Runs the ops (snapshot, restore and continue at `cut`), checking the materialized result after each. */
const checkAgainstBruteForce = (p: RankParams, ops: readonly Op[], cut: number): void => {
  let h = harness(p)
  const live: unknown[][] = []
  const result = new Map<string, number>()
  let seen = 0
  for (let i = 0; i < ops.length; i++) {
    if (i === cut % (ops.length + 1)) {
      const snap = h.snapshot()
      applyChangelog(result, h.extractOutputValues().slice(seen))
      h = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(createRankFunction(p), byPartition, snap)
      seen = 0
    }
    const op = ops[i]!
    if (op.kind === 'add') {
      live.push(op.fields)
      h.processElement({ kind: op.asUpdate ? RowKind.UPDATE_AFTER : RowKind.INSERT, fields: op.fields })
    } else if (live.length > 0) {
      const target = live[op.pick % live.length]!
      live.splice(
        live.findIndex((f) => fieldsEqual(f, target)),
        1,
      )
      h.processElement({ kind: op.asUpdate ? RowKind.UPDATE_BEFORE : RowKind.DELETE, fields: [...target] })
    } else h.processElement({ kind: RowKind.DELETE, fields: ['a', 1, 1] }) // unknown: ignored
    const out = h.extractOutputValues()
    applyChangelog(result, out.slice(seen))
    seen = out.length
    expect(sortedEntries(result)).toEqual(sortedEntries(multiset(bruteForce(live, p))))
  }
}

describe('TopNFunction properties', () => {
  it('append-only: the materialized output is the brute-force Top-N after every row, across a restore', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(rankParamsArb(true), opsArb(true), fc.nat(), (p, ops, cut) => checkAgainstBruteForce(p, ops, cut)),
      { numRuns: 300 },
    )
  })

  it('retractable: the materialized output is the brute-force Top-N after every change, across a restore', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(rankParamsArb(false), opsArb(false), fc.nat(), (p, ops, cut) => checkAgainstBruteForce(p, ops, cut)),
      { numRuns: 300 },
    )
  })

  it('the output kinds stay within the declared changelog mode', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(rankParamsArb(false), opsArb(false), (p, ops) => {
        const h = harness(p)
        const live: unknown[][] = []
        for (const op of ops) {
          if (op.kind === 'add') {
            live.push(op.fields)
            h.processElement(I(...op.fields))
          } else if (live.length > 0) h.processElement(D(...live.splice(op.pick % live.length, 1)[0]!))
        }
        const mode = rankChangelogMode(p)
        for (const r of h.extractOutputValues()) expect(mode.kinds.has(r.kind)).toBe(true)
      }),
      { numRuns: 100 },
    )
  })
})
