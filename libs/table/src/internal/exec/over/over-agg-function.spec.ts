import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import { keySelectorOf } from '../keys.js'
import type { RowKey } from '../keys.js'
import { multiset, showAll, sortedEntries } from '../rank/test-util.js'
import {
  LATE_RECORDS_DROPPED,
  ProcTimeOverFunction,
  RowTimeOverFunction,
  createOverAggFunction,
  overAggChangelogMode,
} from './over-agg-function.js'
import type { OverAggParams, OverFrameSpec } from './over-agg-function.js'
import { OrderedOverFunction } from './ordered-over-function.js'
import type { AggsHandle } from '../../../aggregate/aggregate-call.js'
import { aggregateDirectly, builtinSumCountMax, testAggsHandle } from './test-aggs.js'
import type { TestAgg } from './test-aggs.js'

// rows: (key, ts, v)
const byKey = keySelectorOf([0])
const I = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields })
const SUM_COUNT_MIN = testAggsHandle(['sum', 'count', 'min'], 2)

const rowtime = (frame: OverFrameSpec, aggs = SUM_COUNT_MIN): OverAggParams => ({
  order: 'ROWTIME',
  orderKey: { index: 1, direction: 'ASC', nullsFirst: true },
  frame,
  aggs,
  inputInsertOnly: true,
})
const proctime = (frame: OverFrameSpec, aggs = SUM_COUNT_MIN): OverAggParams => ({ order: 'PROCTIME', frame, aggs, inputInsertOnly: true })
const harness = (p: OverAggParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(createOverAggFunction(p), byKey)

describe('RowTimeOverFunction', () => {
  it('ROWS 1 PRECEDING: rows wait for the watermark and are processed in rowtime order', () => {
    const h = harness(rowtime({ unit: 'ROWS', preceding: 1 }))
    h.processElement(I('a', 1, 1)).processElement(I('a', 3, 10)).processElement(I('a', 2, 100)).processElement(I('b', 2, 7))
    expect(h.extractOutputValues()).toEqual([])
    h.processWatermark(2)
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 1, 1, 1, 1, 1]', '+I[a, 2, 100, 101, 2, 1]', '+I[b, 2, 7, 7, 1, 7]'])
    expect(h.extractOutputRecords().map((r) => r.timestamp)).toEqual([1, 2, 2])
    h.processWatermark(3)
    expect(showAll(h.extractOutputValues().slice(3))).toEqual(['+I[a, 3, 10, 110, 2, 10]'])
    // late: at or behind the watermark
    h.processElement(I('a', 3, 5)).processElement(I('a', 2, 5))
    expect(h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count).toBe(2)
    expect(h.userFunction).toBeInstanceOf(RowTimeOverFunction)
  })

  it('ROWS: rows with the same rowtime each get their own frame, in arrival order', () => {
    const h = harness(rowtime({ unit: 'ROWS', preceding: undefined }))
    h.processElement(I('a', 5, 1)).processElement(I('a', 5, 2)).processWatermark(5)
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 5, 1, 1, 1, 1]', '+I[a, 5, 2, 3, 2, 1]'])
  })

  it('RANGE: rows with the same rowtime are peers and see each other', () => {
    const h = harness(rowtime({ unit: 'RANGE', preceding: undefined }))
    h.processElement(I('a', 5, 1)).processElement(I('a', 5, 2)).processElement(I('a', 6, 4)).processWatermark(10)
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 5, 1, 3, 2, 1]', '+I[a, 5, 2, 3, 2, 1]', '+I[a, 6, 4, 7, 3, 1]'])
  })

  it('RANGE 2 PRECEDING: the frame is [t - 2, t]; an idle partition is cleaned up', () => {
    const h = harness(rowtime({ unit: 'RANGE', preceding: 2 }))
    for (const [ts, v] of [
      [1, 1],
      [2, 2],
      [3, 4],
      [4, 8],
      [4, 16],
    ])
      h.processElement(I('a', ts, v))
    h.processWatermark(4)
    expect(showAll(h.extractOutputValues())).toEqual([
      '+I[a, 1, 1, 1, 1, 1]',
      '+I[a, 2, 2, 3, 2, 1]',
      '+I[a, 3, 4, 7, 3, 1]',
      '+I[a, 4, 8, 30, 4, 2]',
      '+I[a, 4, 16, 30, 4, 2]',
    ])
    expect(h.numKeyedStateEntries()).toBeGreaterThan(0)
    h.processWatermark(7)
    expect(h.numKeyedStateEntries()).toBe(1) // only the last processed timestamp
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('recomputes bounded frames when the aggregates cannot retract', () => {
    const h = harness(rowtime({ unit: 'ROWS', preceding: 2 }, testAggsHandle(['collect', 'max'], 2)))
    for (let t = 1; t <= 5; t++) h.processElement(I('a', t, t * 10))
    h.processWatermark(5)
    expect(h.extractOutputValues().map((r) => r.fields.slice(3))).toEqual([
      ['10', 10],
      ['10,20', 20],
      ['10,20,30', 30],
      ['20,30,40', 40],
      ['30,40,50', 50],
    ])
  })

  it('snapshot -> restore -> continue', () => {
    const p = rowtime({ unit: 'ROWS', preceding: 1 })
    const h = harness(p)
    h.processElement(I('a', 1, 1)).processElement(I('a', 2, 2)).processWatermark(1)
    const r = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(createOverAggFunction(p), byKey, h.snapshot())
    r.processElement(I('a', 3, 4)).processWatermark(3)
    expect(showAll([...h.extractOutputValues(), ...r.extractOutputValues()])).toEqual(['+I[a, 1, 1, 1, 1, 1]', '+I[a, 2, 2, 3, 2, 1]', '+I[a, 3, 4, 6, 2, 2]'])
    // right after a restore the watermark is unknown: a row behind the last processed time is still late
    r.processElement(I('a', 3, 9))
    expect(r.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count).toBe(1)
  })
})

describe('ProcTimeOverFunction', () => {
  it('ROWS 1 PRECEDING: computed on arrival', () => {
    const h = harness(proctime({ unit: 'ROWS', preceding: 1 }))
    h.processElement(I('a', 0, 1)).processElement(I('a', 0, 2)).processElement(I('b', 0, 5)).processElement(I('a', 0, 4))
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 0, 1, 1, 1, 1]', '+I[a, 0, 2, 3, 2, 1]', '+I[b, 0, 5, 5, 1, 5]', '+I[a, 0, 4, 6, 2, 2]'])
    expect(h.userFunction).toBeInstanceOf(ProcTimeOverFunction)
  })

  it('RANGE 10 PRECEDING: rows of one millisecond are peers, emitted when it has passed', () => {
    const h = harness(proctime({ unit: 'RANGE', preceding: 10 }))
    h.setProcessingTime(100)
    h.processElement(I('a', 0, 1)).processElement(I('a', 0, 2))
    expect(h.extractOutputValues()).toEqual([])
    h.setProcessingTime(105)
    h.processElement(I('a', 0, 4))
    h.setProcessingTime(111)
    h.processElement(I('a', 0, 8))
    h.setProcessingTime(112)
    expect(showAll(h.extractOutputValues())).toEqual([
      '+I[a, 0, 1, 3, 2, 1]',
      '+I[a, 0, 2, 3, 2, 1]',
      '+I[a, 0, 4, 7, 3, 1]',
      // [101, 111]: the rows of 100 have left
      '+I[a, 0, 8, 12, 2, 4]',
    ])
    expect(h.extractOutputRecords().every((r) => Number.isNaN(r.timestamp))).toBe(true)
    h.setProcessingTime(200)
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('UNBOUNDED: RANGE is processed as ROWS', () => {
    const h = harness(proctime({ unit: 'RANGE', preceding: undefined }))
    h.processElement(I('a', 0, 1)).processElement(I('a', 0, 2))
    expect(showAll(h.extractOutputValues())).toEqual(['+I[a, 0, 1, 1, 1, 1]', '+I[a, 0, 2, 3, 2, 1]'])
  })
})

describe('createOverAggFunction', () => {
  it('chooses the ordered function for an updating input or a non-time order, with a retract changelog', () => {
    const p: OverAggParams = { ...rowtime({ unit: 'ROWS', preceding: 1 }), inputInsertOnly: false }
    expect(createOverAggFunction(p)).toBeInstanceOf(OrderedOverFunction)
    expect(overAggChangelogMode(p).kinds.size).toBe(4)
    expect(overAggChangelogMode(rowtime({ unit: 'ROWS', preceding: 1 })).kinds.size).toBe(1)
  })

  it('rejects invalid frames and orders', () => {
    expect(() => createOverAggFunction(rowtime({ unit: 'ROWS', preceding: -1 }))).toThrow(/PRECEDING/)
    expect(() => createOverAggFunction(rowtime({ unit: 'ROWS', preceding: 1.5 }))).toThrow(/integer/)
    expect(() => createOverAggFunction({ ...rowtime({ unit: 'ROWS', preceding: 1 }), orderKey: { index: 1, direction: 'DESC', nullsFirst: false } })).toThrow(/ascending/)
    expect(() => harness(rowtime({ unit: 'ROWS', preceding: 1 })).processElement({ kind: RowKind.DELETE, fields: ['a', 1, 1] })).toThrow(/updating input/)
  })
})

// ---------------------------------------------------------------------------------------------
// Properties: each output row's aggregates equal those computed directly over its frame.

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

/** The expected output of each row: its aggregates over the rows of its frame, in frame order. */
const expectedOver = (rows: readonly { fields: unknown[]; t: number }[], frame: OverFrameSpec, aggs: readonly TestAgg[], rowsFrame: boolean): unknown[][] => {
  // rows of one key, already in processing order (time, then arrival)
  const out: unknown[][] = []
  rows.forEach((r, i) => {
    let members: unknown[][]
    if (rowsFrame) members = rows.slice(frame.preceding === undefined ? 0 : Math.max(0, i - frame.preceding), i + 1).map((x) => x.fields)
    else members = rows.filter((x) => x.t <= r.t && (frame.preceding === undefined || x.t >= r.t - frame.preceding)).map((x) => x.fields)
    out.push([...r.fields, ...aggs.map((a) => aggregateDirectly(a, members.map((m) => m[2])))])
  })
  return out
}

type RtStep = { readonly kind: 'row'; readonly key: string; readonly ts: number; readonly v: number | null } | { readonly kind: 'wm'; readonly to: number } | { readonly kind: 'restore' }

describe('OVER properties', () => {
  it('event time: every on-time row gets the aggregates of its frame; late rows are counted', { timeout: 60_000 }, () => {
    const steps = fc.array<RtStep>(
      fc.oneof(
        { weight: 6, arbitrary: fc.record({ kind: fc.constant('row' as const), key: fc.constantFrom('a', 'b'), ts: fc.integer({ min: 0, max: 12 }), v: fc.option(fc.integer({ min: -5, max: 9 }), { freq: 8 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('wm' as const), to: fc.integer({ min: 0, max: 12 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const) }) },
      ),
      { maxLength: 60, size: 'medium' },
    )
    fc.assert(
      fc.property(frameArb, aggsArb, steps, (frame, { names: aggs, handle }, ss) => {
        const p = rowtime(frame, handle)
        let h = harness(p)
        const onTime = new Map<string, { fields: unknown[]; t: number; seq: number }[]>()
        const out: { value: Row; timestamp: number }[] = []
        let wm = -Infinity
        let late = 0
        let seq = 0
        for (const s of ss) {
          if (s.kind === 'row') {
            const fields = [s.key, s.ts, s.v, seq]
            if (s.ts <= wm) late++
            else {
              if (!onTime.has(s.key)) onTime.set(s.key, [])
              onTime.get(s.key)!.push({ fields, t: s.ts, seq: seq })
            }
            seq++
            h.processElement(I(...fields))
          } else if (s.kind === 'wm') {
            wm = Math.max(wm, s.to)
            h.processWatermark(s.to)
          } else {
            late -= h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count
            out.push(...h.extractOutputRecords())
            h = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(createOverAggFunction(p), byKey, h.snapshot())
            if (wm > -Infinity) h.processWatermark(wm)
          }
        }
        late -= h.operatorHarness.metrics.counter(LATE_RECORDS_DROPPED).count
        h.endInput()
        out.push(...h.extractOutputRecords())
        expect(late).toBe(0)
        const want: unknown[][] = []
        for (const rows of onTime.values()) {
          const ordered = [...rows].sort((x, y) => x.t - y.t || x.seq - y.seq)
          want.push(...expectedOver(ordered, frame, aggs, frame.unit === 'ROWS'))
        }
        expect(sortedEntries(multiset(out.map((r) => r.value.fields)))).toEqual(sortedEntries(multiset(want)))
        // emitted in rowtime order per key, with the rowtime as timestamp
        for (const r of out) expect(r.timestamp).toBe(r.value.fields[1])
        for (const key of ['a', 'b']) {
          const times = out.filter((r) => r.value.fields[0] === key).map((r) => r.timestamp)
          expect(times).toEqual([...times].sort((x, y) => x - y))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('processing time: every row gets the aggregates of its frame (by arrival, RANGE by arrival millisecond)', { timeout: 60_000 }, () => {
    const steps = fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('row' as const), key: fc.constantFrom('a', 'b'), v: fc.option(fc.integer({ min: -5, max: 9 }), { freq: 8 }) }) },
        { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), by: fc.integer({ min: 1, max: 3 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const) }) },
      ),
      { maxLength: 60, size: 'medium' },
    )
    fc.assert(
      fc.property(frameArb, aggsArb, steps, (frame, { names: aggs, handle }, ss) => {
        const p = proctime(frame, handle)
        let h = harness(p)
        const arrived = new Map<string, { fields: unknown[]; t: number }[]>()
        const out: Row[] = []
        let now = 0
        let seq = 0
        for (const s of ss) {
          if (s.kind === 'row') {
            const fields = [s.key, now, s.v, seq++]
            if (!arrived.has(s.key)) arrived.set(s.key, [])
            arrived.get(s.key)!.push({ fields, t: now })
            h.processElement(I(...fields))
          } else if (s.kind === 'tick') {
            now += s.by
            h.setProcessingTime(now)
          } else {
            out.push(...h.extractOutputValues())
            h = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(createOverAggFunction(p), byKey, h.snapshot())
            h.setProcessingTime(now)
          }
        }
        h.setProcessingTime(now + 1)
        out.push(...h.extractOutputValues())
        const want: unknown[][] = []
        // RANGE UNBOUNDED is ROWS for processing time
        const rowsFrame = frame.unit === 'ROWS' || frame.preceding === undefined
        for (const rows of arrived.values()) want.push(...expectedOver(rows, frame, aggs, rowsFrame))
        expect(sortedEntries(multiset(out.map((r) => r.fields)))).toEqual(sortedEntries(multiset(want)))
      }),
      { numRuns: 300 },
    )
  })
})
