import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import { keySelectorOf } from '../keys.js'
import type { RowKey } from '../keys.js'
import type { RankType } from './rank-function.js'
import { compileComparator } from './sort-key-comparator.js'
import { multiset, showAll, sortedEntries } from './test-util.js'
import { LATE_RECORDS_DROPPED, WindowDeduplicateFunction, WindowRankFunction } from './window-rank-function.js'
import type { WindowDeduplicateParams, WindowRankParams } from './window-rank-function.js'

// rows: (key, window_start, window_end, price, id)
const byKey = keySelectorOf([0])
const I = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields })
const rankParams = (p: Partial<WindowRankParams> = {}): WindowRankParams => ({
  rankType: 'ROW_NUMBER',
  orderKeys: [{ index: 3, direction: 'DESC', nullsFirst: false }],
  rankStart: 1,
  rankEnd: 2,
  outputRankNumber: true,
  windowStartIndex: 1,
  windowEndIndex: 2,
  ...p,
})
const rankHarness = (p: WindowRankParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(new WindowRankFunction(p), byKey)

describe('WindowRankFunction', () => {
  it('emits each window top-N once the watermark passes window_end - 1, then purges the window', () => {
    const h = rankHarness(rankParams())
    h.processElement(I('a', 0, 10, 5, 1)).processElement(I('a', 0, 10, 9, 2)).processElement(I('a', 0, 10, 7, 3))
    h.processElement(I('b', 0, 10, 1, 4)).processElement(I('a', 10, 20, 3, 5))
    h.processWatermark(8)
    expect(h.extractOutputValues()).toEqual([])
    h.processWatermark(9)
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 0, 10, 9, 2, 1]', '+I[a, 0, 10, 7, 3, 2]', '+I[b, 0, 10, 1, 4, 1]'])
    expect(h.extractOutputRecords().map((r) => r.timestamp)).toEqual([9, 9, 9])
    // late for window [0, 10): dropped and counted
    h.processElement(I('a', 0, 10, 100, 6))
    expect(h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count).toBe(1)
    const restored = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new WindowRankFunction(rankParams()), byKey, h.snapshot())
    restored.processElement(I('a', 10, 20, 4, 7))
    restored.processWatermark(19)
    expect(showAll(restored.extractOutputValues())).toEqual(['+I[a, 10, 20, 4, 7, 1]', '+I[a, 10, 20, 3, 5, 2]'])
    expect(restored.numKeyedStateEntries()).toBe(0)
    expect(restored.numEventTimeTimers()).toBe(0)
  })

  it('ranks with RANK and an offset, without the rank number', () => {
    const h = rankHarness(rankParams({ rankType: 'RANK', rankStart: 2, rankEnd: 3, outputRankNumber: false }))
    for (const [price, id] of [
      [9, 1],
      [9, 2],
      [8, 3],
      [7, 4],
    ])
      h.processElement(I('a', 0, 10, price, id))
    h.endInput()
    // ranks 1, 1, 3, 4
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 0, 10, 8, 3]'])
  })

  it('rejects retractions', () => {
    expect(() => rankHarness(rankParams()).processElement({ kind: RowKind.DELETE, fields: ['a', 0, 10, 1, 1] })).toThrow(/insert-only/)
  })
})

describe('WindowDeduplicateFunction', () => {
  // rows: (key, window_start, window_end, rowtime, id)
  const dedup = (keepLast: boolean): WindowDeduplicateParams => ({ keepLast, rowtimeIndex: 3, windowEndIndex: 2 })

  it('keeps the first (earliest rowtime, first arrival among ties) or last row per key and window', () => {
    const rows = [I('a', 0, 10, 5, 1), I('a', 0, 10, 3, 2), I('a', 0, 10, 3, 3), I('a', 0, 10, 8, 4), I('a', 0, 10, 8, 5), I('a', 0, 10, 6, 6)]
    for (const [keepLast, want] of [
      [false, ['+I[a, 0, 10, 3, 2]']],
      [true, ['+I[a, 0, 10, 8, 5]']],
    ] as const) {
      const h = KeyedProcessFunctionHarness.of<RowKey, Row, Row>(new WindowDeduplicateFunction(dedup(keepLast)), byKey)
      for (const r of rows) h.processElement(r)
      h.processWatermark(9)
      expect(showAll(h.extractOutputValues())).toEqual(want)
      expect(h.numKeyedStateEntries()).toBe(0)
      h.processElement(I('a', 0, 10, 9, 7))
      expect(h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count).toBe(1)
    }
  })
})

// ---------------------------------------------------------------------------------------------

type Step = { readonly kind: 'row'; readonly key: string; readonly we: number; readonly v: number } | { readonly kind: 'wm'; readonly to: number } | { readonly kind: 'restore' }

const stepsArb = fc.array(
  fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('row' as const), key: fc.constantFrom('a', 'b'), we: fc.constantFrom(10, 20, 30), v: fc.integer({ min: 0, max: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wm' as const), to: fc.integer({ min: 0, max: 35 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const) }) },
  ),
  { maxLength: 60, size: 'medium' },
) as fc.Arbitrary<Step[]>

/** Runs the steps, then ends the input; returns the output and the rows that were on time. */
const runSteps = (make: () => WindowRankFunction | WindowDeduplicateFunction, steps: readonly Step[]) => {
  let h = KeyedProcessFunctionHarness.of<RowKey, Row, Row>(make(), byKey)
  const out: { value: Row; timestamp: number }[] = []
  const onTime: unknown[][] = []
  let wm = -Infinity
  let late = 0
  let id = 0
  for (const s of steps) {
    if (s.kind === 'row') {
      const fields = [s.key, s.we - 10, s.we, s.v, id++]
      if (s.we - 1 <= wm) late++
      else onTime.push(fields)
      h.processElement(I(...fields))
    } else if (s.kind === 'wm') {
      if (s.to > wm) wm = s.to
      h.processWatermark(s.to)
    } else {
      late -= h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count
      out.push(...h.extractOutputRecords())
      h = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(make(), byKey, h.snapshot())
      // as in Flink, the watermark is not part of a checkpoint: until the next one arrives a row of
      // a fired window is not recognised as late, so the test sends it again at once
      if (wm > -Infinity) h.processWatermark(wm)
    }
  }
  late -= h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count
  h.endInput()
  out.push(...h.extractOutputRecords())
  expect(late).toBe(0)
  expect(h.numKeyedStateEntries()).toBe(0)
  return { out, onTime }
}

const windowsOf = (rows: readonly unknown[][]): Map<string, unknown[][]> => {
  const m = new Map<string, unknown[][]>()
  for (const f of rows) {
    const k = `${String(f[0])}/${String(f[2])}`
    if (!m.has(k)) m.set(k, [])
    m.get(k)!.push(f)
  }
  return m
}

describe('window rank properties', () => {
  it('the output is the brute-force top-N of each window of on-time rows, emitted at window_end - 1', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(
        fc.constantFrom<RankType>('ROW_NUMBER', 'RANK', 'DENSE_RANK'),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.boolean(),
        stepsArb,
        (rankType, rankStart, width, outputRankNumber, steps) => {
          const p = rankParams({ rankType, rankStart, rankEnd: rankStart + width, outputRankNumber })
          const { out, onTime } = runSteps(() => new WindowRankFunction(p), steps)
          for (const r of out) expect(r.timestamp).toBe((r.value.fields[2] as number) - 1)
          const cmp = compileComparator(p.orderKeys)
          const want: unknown[][] = []
          for (const rows of windowsOf(onTime).values()) {
            const sorted = [...rows].sort(cmp)
            let rank = 0
            let dense = 0
            sorted.forEach((f, i) => {
              if (i === 0 || cmp(sorted[i - 1]!, f) !== 0) {
                rank = i + 1
                dense++
              }
              const r = rankType === 'ROW_NUMBER' ? i + 1 : rankType === 'RANK' ? rank : dense
              if (r >= p.rankStart && r <= p.rankEnd) want.push(outputRankNumber ? [...f, r] : f)
            })
          }
          expect(sortedEntries(multiset(out.map((r) => r.value.fields)))).toEqual(sortedEntries(multiset(want)))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('window deduplication keeps the first/last on-time row of each window', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.boolean(), stepsArb, (keepLast, steps) => {
        // the "rowtime" is field 3 (v): ties are frequent
        const { out, onTime } = runSteps(() => new WindowDeduplicateFunction({ keepLast, rowtimeIndex: 3, windowEndIndex: 2 }), steps)
        const want: unknown[][] = []
        for (const rows of windowsOf(onTime).values()) {
          let kept = rows[0]!
          for (const f of rows.slice(1)) if (keepLast ? (f[3] as number) >= (kept[3] as number) : (f[3] as number) < (kept[3] as number)) kept = f
          want.push(kept)
        }
        expect(sortedEntries(multiset(out.map((r) => r.value.fields)))).toEqual(sortedEntries(multiset(want)))
      }),
      { numRuns: 300 },
    )
  })
})
