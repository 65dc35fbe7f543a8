import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import { keySelectorOf } from '../keys.js'
import type { RowKey } from '../keys.js'
import { DeduplicateFunction, deduplicateChangelogMode } from './deduplicate-function.js'
import type { DeduplicateParams } from './deduplicate-function.js'
import { applyChangelog, multiset, showAll, sortedEntries } from './test-util.js'

const byKey = keySelectorOf([0])
const I = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields })
const D = (...fields: unknown[]): Row => ({ kind: RowKind.DELETE, fields })
const UA = (...fields: unknown[]): Row => ({ kind: RowKind.UPDATE_AFTER, fields })

const harness = (p: DeduplicateParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(new DeduplicateFunction(p), byKey)
const run = (p: DeduplicateParams, rows: Row[]): string[] => {
  const h = harness(p)
  for (const r of rows) h.processElement(r)
  return showAll(h.extractOutputValues())
}

// Flink's ProcTimeDeduplicate*FunctionTest input: (key, id, value)
const flinkInput = [I('book', 1, 12), I('book', 2, 11), I('fruit', 4, 33), I('fruit', 3, 44), I('fruit', 5, 22)]
const proc = (keepLast: boolean, p: Partial<DeduplicateParams> = {}): DeduplicateParams => ({ keepLast, isEventTime: false, timeIndex: -1, ...p })
const rowtime = (keepLast: boolean, p: Partial<DeduplicateParams> = {}): DeduplicateParams => ({ keepLast, isEventTime: true, timeIndex: 1, ...p })

describe('DeduplicateFunction, processing time (as Flink)', () => {
  it('keeps the first row of each key: insert-only', () => {
    expect(run(proc(false), flinkInput)).toEqual(['+I[book, 1, 12]', '+I[fruit, 4, 33]'])
    expect([...deduplicateChangelogMode(proc(false)).kinds]).toEqual([RowKind.INSERT])
  })

  it('keeps the last row of each key: +I, then -U/+U', () => {
    expect(run(proc(true), flinkInput)).toEqual([
      '+I[book, 1, 12]',
      '-U[book, 1, 12]',
      '+U[book, 2, 11]',
      '+I[fruit, 4, 33]',
      '-U[fruit, 4, 33]',
      '+U[fruit, 3, 44]',
      '-U[fruit, 3, 44]',
      '+U[fruit, 5, 22]',
    ])
  })

  it('keep-last without -U, and as +U only when neither -U nor +I is wanted', () => {
    expect(run(proc(true, { generateUpdateBefore: false }), flinkInput.slice(0, 2))).toEqual(['+I[book, 1, 12]', '+U[book, 2, 11]'])
    const h = harness(proc(true, { generateUpdateBefore: false, generateInsert: false }))
    for (const r of flinkInput.slice(0, 2)) h.processElement(r)
    expect(showAll(h.extractOutputValues())).toEqual(['+U[book, 1, 12]', '+U[book, 2, 11]'])
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('keep-last skips a row equal to the kept one', () => {
    expect(run(proc(true), [I('a', 1, 1), I('a', 1, 1), I('a', 2, 2)])).toEqual(['+I[a, 1, 1]', '-U[a, 1, 1]', '+U[a, 2, 2]'])
  })

  it('keep-last over an updating input deletes the kept row on -U/-D', () => {
    const p = proc(true, { inputInsertOnly: false })
    expect(run(p, [I('a', 1, 1), UA('a', 2, 2), D('a', 2, 2), D('a', 2, 2), I('a', 3, 3)])).toEqual([
      '+I[a, 1, 1]',
      '-U[a, 1, 1]',
      '+U[a, 2, 2]',
      '-D[a, 2, 2]',
      '+I[a, 3, 3]',
    ])
    expect([...deduplicateChangelogMode(p).kinds].sort()).toEqual([0, 1, 2, 3])
  })

  it('rejects an updating input where Flink does', () => {
    expect(() => harness(proc(false)).processElement(D('a', 1, 1))).toThrow(/only processing-time keep-last-row/)
    expect(() => harness(rowtime(true)).processElement(UA('a', 1, 1))).toThrow(/updating input/)
  })

  it('appends the row number 1 when asked', () => {
    expect(run(proc(true, { outputRankNumber: true }), [I('a', 1, 1), I('a', 2, 2)])).toEqual(['+I[a, 1, 1, 1]', '-U[a, 1, 1, 1]', '+U[a, 2, 2, 1]'])
  })
})

describe('DeduplicateFunction, event time (as Flink RowTimeDeduplicateFunction)', () => {
  // (key, rowtime, value)
  const input = [I('a', 10, 'x'), I('a', 5, 'y'), I('a', 5, 'z'), I('a', 20, 'w'), I('a', 20, 'v'), I('a', 15, 'u')]

  it('keep-first: only a strictly older row replaces the kept one', () => {
    expect(run(rowtime(false), input)).toEqual(['+I[a, 10, x]', '-U[a, 10, x]', '+U[a, 5, y]'])
  })

  it('keep-last: a row at least as recent replaces the kept one; an older late row does not', () => {
    expect(run(rowtime(true), input)).toEqual(['+I[a, 10, x]', '-U[a, 10, x]', '+U[a, 20, w]', '-U[a, 20, w]', '+U[a, 20, v]'])
  })
})

// ---------------------------------------------------------------------------------------------

type Ev = readonly [key: string, time: number, id: number]

/** What each key's result should be: the first/last row by arrival or by rowtime (ties by arrival). */
const expected = (events: readonly Ev[], p: DeduplicateParams): unknown[][] => {
  const kept = new Map<string, Ev>()
  for (const e of events) {
    const prev = kept.get(e[0])
    const replace =
      prev === undefined || (p.isEventTime ? (p.keepLast ? e[1] >= prev[1] : e[1] < prev[1]) : p.keepLast)
    if (replace) kept.set(e[0], e)
  }
  return [...kept.values()].map((e) => [...e])
}

describe('DeduplicateFunction properties', () => {
  it('the materialized output is the first/last row of each key, across a restore', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        fc.record({ keepLast: fc.boolean(), isEventTime: fc.boolean() }),
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.integer({ min: 0, max: 8 })), { maxLength: 60, size: 'medium' }),
        fc.nat(),
        (mode, evs, cut) => {
          const p: DeduplicateParams = { ...mode, timeIndex: 1 }
          const events: Ev[] = evs.map(([k, t], i) => [k, t, i])
          let h = harness(p)
          const result = new Map<string, number>()
          const at = cut % (events.length + 1)
          for (let i = 0; i < events.length; i++) {
            if (i === at) {
              applyChangelog(result, h.extractOutputValues())
              h = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new DeduplicateFunction(p), byKey, h.snapshot())
            }
            h.processElement(I(...events[i]!))
          }
          applyChangelog(result, h.extractOutputValues())
          expect(sortedEntries(result)).toEqual(sortedEntries(multiset(expected(events, p))))
        },
      ),
      { numRuns: 300 },
    )
  })
})
