import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { AggregateCall, UserAggregateFunction } from '../../../aggregate/aggregate-call.js'
import { inferAggregateType } from '../../../aggregate/builtin-aggregates.js'
import type { Row } from '../../../data/row.js'
import { RowKind } from '../../../data/row.js'
import type { DataType } from '../../../types/data-type.js'
import { DataTypes } from '../../../types/data-type.js'
import type { RowKey } from '../keys.js'
import { keySelectorOf } from '../keys.js'
import type { WindowAggParams, WindowAggSpec } from './window-agg-function.js'
import { NUM_LATE_RECORDS_DROPPED, WindowAggFunction } from './window-agg-function.js'

const INT = DataTypes.INT()

const agg = (name: string, args: number[], argTypes: DataType[] = args.map(() => INT), distinct = false): AggregateCall => {
  const type = inferAggregateType(name, argTypes, distinct, { groupCount: 1 })
  if (typeof type === 'string') throw new Error(type)
  return { name, args, argTypes, distinct, type }
}

// input rows: [k, ts, v];  SELECT k, COUNT(*), SUM(v), MAX(v), COUNT(DISTINCT v), window_start, window_end, window_time
const AGGS = [agg('COUNT', []), agg('SUM', [2]), agg('MAX', [2]), agg('COUNT', [2], [INT], true)]

const paramsOf = (window: WindowAggSpec, updatingInput = false, isEventTime = true): WindowAggParams => ({
  window,
  timeIndex: 1,
  isEventTime,
  groupIndices: [0],
  aggs: AGGS,
  updatingInput,
})

const harness = (p: WindowAggParams) => KeyedProcessFunctionHarness.of<RowKey, Row, Row>(new WindowAggFunction(p), keySelectorOf(p.groupIndices))
type Harness = ReturnType<typeof harness>

const I = (k: string, ts: number, v: number | null): Row => ({ kind: RowKind.INSERT, fields: [k, ts, v] })
const D = (k: string, ts: number, v: number | null): Row => ({ kind: RowKind.DELETE, fields: [k, ts, v] })

/** The output rows as `k count sum max distinct [start, end) @timestamp`. */
const shown = (h: Harness): string[] =>
  h.extractOutputRecords().map(({ value, timestamp }) => {
    const f = value.fields
    expect(value.kind).toBe(RowKind.INSERT)
    expect(f[7]).toBe((f[6] as number) - 1) // window_time = window_end - 1
    return `${String(f[0])} ${String(f[1])} ${String(f[2])} ${String(f[3])} ${String(f[4])} [${String(f[5])}, ${String(f[6])})${Number.isNaN(timestamp) ? '' : ` @${timestamp}`}`
  })

const late = (h: Harness): number => h.operatorHarness.metrics.counter(NUM_LATE_RECORDS_DROPPED).count

describe('WindowAggFunction: timelines', () => {
  it('TUMBLE fires each window when the watermark reaches its end - 1, and drops late rows, counting them', () => {
    const h = harness(paramsOf({ kind: 'TUMBLE', sizeMs: 10 }))
    h.processElement(I('a', 1, 5)).processElement(I('a', 12, 1)).processElement(I('b', 9, 2)).processElement(I('a', 4, 5))
    h.processWatermark(8)
    expect(shown(h)).toEqual([])
    h.processWatermark(9)
    expect(shown(h)).toEqual(['a 2 10 5 1 [0, 10) @9', 'b 1 2 2 1 [0, 10) @9'])
    h.clearOutput()
    h.processElement(I('a', 3, 7)) // its window fired: late
    h.processElement(I('a', 10, null))
    expect(late(h)).toBe(1)
    h.processWatermark(25)
    expect(shown(h)).toEqual(['a 2 1 1 1 [10, 20) @19'])
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('TUMBLE with an offset', () => {
    const h = harness(paramsOf({ kind: 'TUMBLE', sizeMs: 10, offsetMs: 3 }))
    h.processElement(I('a', 2, 1)).processElement(I('a', 3, 1)).processElement(I('a', -8, 1))
    h.endInput()
    expect(shown(h)).toEqual(['a 1 1 1 1 [-17, -7) @-8', 'a 1 1 1 1 [-7, 3) @2', 'a 1 1 1 1 [3, 13) @12'])
  })

  it('HOP merges its slices: HOP(size 10, slide 5)', () => {
    const h = harness(paramsOf({ kind: 'HOP', sizeMs: 10, slideMs: 5 }))
    h.processElement(I('a', 1, 1)).processElement(I('a', 6, 2)).processElement(I('a', 11, 4))
    h.processWatermark(4)
    expect(shown(h)).toEqual(['a 1 1 1 1 [-5, 5) @4'])
    h.processWatermark(14)
    expect(shown(h)).toEqual(['a 1 1 1 1 [-5, 5) @4', 'a 2 3 2 2 [0, 10) @9', 'a 2 6 4 2 [5, 15) @14'])
    h.clearOutput()
    h.processElement(I('a', 7, 8)) // [0, 10) and [5, 15) fired: late
    h.processElement(I('a', 12, 8)) // [5, 15) fired, [10, 20) not: counts there only
    expect(late(h)).toBe(1)
    h.endInput()
    expect(shown(h)).toEqual(['a 2 12 8 2 [10, 20) @19'])
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('HOP whose size is not a multiple of its slide slices by their gcd: HOP(size 10, slide 4)', () => {
    const h = harness(paramsOf({ kind: 'HOP', sizeMs: 10, slideMs: 4 }))
    h.processElement(I('a', 0, 1)).processElement(I('a', 5, 2)).processElement(I('a', 9, 3))
    h.endInput()
    // windows end at 2 (mod 4): [-8, 2), [-4, 6), [0, 10), [4, 14), [8, 18)
    expect(shown(h)).toEqual(['a 1 1 1 1 [-8, 2) @1', 'a 2 3 2 2 [-4, 6) @5', 'a 3 6 3 3 [0, 10) @9', 'a 2 5 3 2 [4, 14) @13', 'a 1 3 3 1 [8, 18) @17'])
  })

  it('a HOP row updates one slice: HOP(10 s, 2 s) accumulates each row once, and merges at most 5 slices per window', () => {
    const calls = { accumulate: 0, merge: 0 }
    const counting: UserAggregateFunction<number[], number> = {
      createAccumulator: () => [0],
      accumulate: (acc) => {
        calls.accumulate++
        acc[0]!++
      },
      merge: (acc, others) => {
        calls.merge++
        for (const o of others) acc[0]! += o[0]!
      },
      getValue: (acc) => acc[0]!,
    }
    const p: WindowAggParams = {
      ...paramsOf({ kind: 'HOP', sizeMs: 10_000, slideMs: 2_000 }),
      aggs: [{ name: 'CNT', args: [], argTypes: [], distinct: false, type: INT, udaf: counting }],
    }
    const h = harness(p)
    const n = 1000
    for (let i = 0; i < n; i++) h.processElement(I('a', i * 37, null)) // 0 .. 36963 ms
    h.endInput()
    expect(calls.accumulate).toBe(n)
    const out = h.extractOutputValues()
    // windows end every 2 s from 2 s to 46 s (the last row, 36963, is in windows ending up to 46 s)
    expect(out.map((r) => r.fields[3])).toEqual(Array.from({ length: 23 }, (_, i) => (i + 1) * 2000))
    for (const r of out) {
      const [start, end] = [r.fields[2] as number, r.fields[3] as number]
      expect(r.fields[1]).toBe(Array.from({ length: n }, (_, i) => i * 37).filter((t) => t >= start && t < end).length)
    }
    expect(calls.merge).toBeLessThanOrEqual(out.length * 5)
  })

  it('CUMULATE emits the growing windows of each cumulation: CUMULATE(step 5, size 15)', () => {
    const h = harness(paramsOf({ kind: 'CUMULATE', stepMs: 5, sizeMs: 15 }))
    h.processElement(I('a', 1, 1)).processElement(I('a', 11, 2)).processElement(I('a', 16, 4))
    h.processWatermark(9)
    expect(shown(h)).toEqual(['a 1 1 1 1 [0, 5) @4', 'a 1 1 1 1 [0, 10) @9'])
    h.clearOutput()
    h.processElement(I('a', 7, 3)) // [0, 5), [0, 10) fired; [0, 15) not: counts there
    h.processElement(I('a', 2, 9)) // same
    expect(late(h)).toBe(0)
    h.processWatermark(14)
    expect(shown(h)).toEqual(['a 4 15 9 4 [0, 15) @14'])
    h.clearOutput()
    h.processElement(I('a', 3, 1)) // every window of [0, 15) fired: late
    expect(late(h)).toBe(1)
    h.endInput()
    expect(shown(h)).toEqual(['a 1 4 4 1 [15, 20) @19', 'a 1 4 4 1 [15, 25) @24', 'a 1 4 4 1 [15, 30) @29'])
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('SESSION merges rows closer than the gap, bridging sessions, and fires at session end - 1', () => {
    const h = harness(paramsOf({ kind: 'SESSION', gapMs: 5, partitionKeys: [0] }))
    h.processElement(I('a', 1, 1)).processElement(I('a', 12, 2)).processElement(I('b', 3, 3))
    h.processElement(I('a', 6, 4)) // [1, 6) touches [6, 11): one session [1, 11)
    expect(h.eventTimeTimers().map((t) => t.timestamp)).toEqual([7, 10, 16])
    h.processElement(I('a', 9, 8)) // bridges [1, 11) and [12, 17) into [1, 17)
    expect(h.eventTimeTimers().map((t) => t.timestamp)).toEqual([7, 16])
    h.processWatermark(10)
    expect(shown(h)).toEqual(['b 1 3 3 1 [3, 8) @7'])
    h.clearOutput()
    h.processElement(I('b', 2, 1)) // [2, 7) overlaps nothing unfired and is past the watermark: late
    expect(late(h)).toBe(1)
    h.processWatermark(16)
    expect(shown(h)).toEqual(['a 4 15 8 4 [1, 17) @16'])
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('rejects a SESSION whose partition keys are not the group fields, and a CUMULATE size that is not a multiple of its step', () => {
    expect(() => new WindowAggFunction({ ...paramsOf({ kind: 'SESSION', gapMs: 5, partitionKeys: [1] }) })).toThrow(/partition keys/)
    expect(() => new WindowAggFunction(paramsOf({ kind: 'CUMULATE', stepMs: 4, sizeMs: 10 }))).toThrow(/multiple of its step/)
    expect(() => new WindowAggFunction(paramsOf({ kind: 'TUMBLE', sizeMs: 0 }))).toThrow(/positive/)
  })

  it('applies retractions to the slice of the row when every aggregate can retract', () => {
    const h = harness(paramsOf({ kind: 'TUMBLE', sizeMs: 10 }, true))
    h.processElement(I('a', 1, 5)).processElement(I('a', 2, 7)).processElement(D('a', 2, 7)).processElement(I('b', 3, 1)).processElement(D('b', 3, 1))
    h.processWatermark(9)
    expect(shown(h)).toEqual(['a 1 5 5 1 [0, 10) @9']) // b has no rows left: no window
    h.processElement(D('a', 1, 5)) // its window fired: late
    expect(late(h)).toBe(1)
  })

  it('refuses a retraction it cannot apply, with a clear error', () => {
    const h = harness(paramsOf({ kind: 'TUMBLE', sizeMs: 10 })) // insert-only: MAX keeps only its value
    h.processElement(I('a', 1, 5))
    expect(() => h.processElement(D('a', 1, 5))).toThrow(/retraction/)
    const s = harness({ ...paramsOf({ kind: 'SESSION', gapMs: 5 }), aggs: [agg('COUNT', [])] })
    expect(() => s.processElement(D('a', 1, 5))).toThrow(/updatingInput/)
    expect(() => harness(paramsOf({ kind: 'TUMBLE', sizeMs: 10 })).processElement({ kind: RowKind.INSERT, fields: ['a', null, 1] })).toThrow(/rowtime/)
  })

  it('a retraction that empties a session timestamp splits the session', () => {
    const h = harness(paramsOf({ kind: 'SESSION', gapMs: 5 }, true))
    h.processElement(I('a', 1, 1)).processElement(I('a', 5, 2)).processElement(I('a', 9, 3))
    h.processElement(D('a', 5, 2)) // 1 and 9 are 8 apart: two sessions
    h.endInput()
    expect(shown(h)).toEqual(['a 1 1 1 1 [1, 6) @5', 'a 1 3 3 1 [9, 14) @13'])
  })

  it('processing time: windows by the clock, fired when it reaches window end - 1', () => {
    const h = harness(paramsOf({ kind: 'HOP', sizeMs: 10, slideMs: 5 }, false, false))
    h.setProcessingTime(1)
    h.processElement(I('a', 999, 1)) // the rowtime field is not used
    expect(h.processingTimeTimers().map((t) => t.timestamp)).toEqual([4])
    h.setProcessingTime(7)
    expect(shown(h)).toEqual(['a 1 1 1 1 [-5, 5)'])
    h.processElement(I('a', -5, 2))
    expect(h.processingTimeTimers().map((t) => t.timestamp)).toEqual([9])
    h.setProcessingTime(20)
    expect(shown(h)).toEqual(['a 1 1 1 1 [-5, 5)', 'a 2 3 2 2 [0, 10)', 'a 1 2 2 1 [5, 15)'])
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(late(h)).toBe(0)
  })

  it('processing time: sessions and cumulations by the clock', () => {
    const s = harness(paramsOf({ kind: 'SESSION', gapMs: 5 }, false, false))
    s.setProcessingTime(10)
    s.processElement(I('a', 0, 1))
    s.setProcessingTime(13)
    s.processElement(I('a', 0, 2)) // joins [10, 15): now [10, 18)
    s.setProcessingTime(16)
    expect(shown(s)).toEqual([])
    s.setProcessingTime(17)
    expect(shown(s)).toEqual(['a 2 3 2 2 [10, 18)'])
    const c = harness(paramsOf({ kind: 'CUMULATE', stepMs: 5, sizeMs: 10 }, false, false))
    c.setProcessingTime(1)
    c.processElement(I('a', 0, 1))
    c.setProcessingTime(6)
    c.processElement(I('a', 0, 2))
    c.setProcessingTime(30)
    expect(shown(c)).toEqual(['a 1 1 1 1 [0, 5)', 'a 2 3 2 2 [0, 10)'])
    expect(c.numKeyedStateEntries() + s.numKeyedStateEntries()).toBe(0)
  })

  it('continues after snapshot and restore exactly as without', () => {
    const spec: WindowAggSpec = { kind: 'HOP', sizeMs: 10, slideMs: 5 }
    const input: (Row | number)[] = [I('a', 1, 1), I('a', 7, 2), I('b', 3, 3), 4, I('a', 12, 4), I('b', 2, 5), 9, I('a', 8, 1), 30]
    const feedAll = (h: Harness, xs: (Row | number)[]) => {
      for (const x of xs) {
        if (typeof x === 'number') h.processWatermark(x)
        else h.processElement(x)
      }
    }
    const whole = harness(paramsOf(spec))
    feedAll(whole, input)
    for (let cut = 0; cut <= input.length; cut++) {
      const first = harness(paramsOf(spec))
      feedAll(first, input.slice(0, cut))
      const second = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new WindowAggFunction(paramsOf(spec)), keySelectorOf([0]), first.snapshot())
      // the watermark is not part of the snapshot: the sources send the current one again first
      const wm = first.operatorHarness.currentWatermark()
      if (wm > -Infinity) second.processWatermark(wm)
      feedAll(second, input.slice(cut))
      // (windows of different keys firing at the same time may come in another order)
      expect([...shown(first), ...shown(second)].sort()).toEqual(shown(whole).sort())
      expect(late(first) + late(second)).toBe(late(whole))
    }
  })
})

// ---------------------------------------------------------------------------------------------
// brute force

type Ev = { t: 'row'; k: string; ts: number; v: number | null; sign: 1 | -1 } | { t: 'wm'; wm: number }

/** The windows `[start, end)` of a sliced window kind holding `ts`. */
const windowsOf = (w: WindowAggSpec, ts: number): [number, number][] => {
  const mod = (a: number, b: number) => ((a % b) + b) % b
  switch (w.kind) {
    case 'TUMBLE': {
      const s = ts - mod(ts - (w.offsetMs ?? 0), w.sizeMs)
      return [[s, s + w.sizeMs]]
    }
    case 'HOP': {
      const out: [number, number][] = []
      let s = ts - mod(ts - (w.offsetMs ?? 0), w.slideMs)
      for (; s > ts - w.sizeMs; s -= w.slideMs) out.push([s, s + w.sizeMs])
      return out
    }
    case 'CUMULATE': {
      const s = ts - mod(ts - (w.offsetMs ?? 0), w.sizeMs)
      const out: [number, number][] = []
      for (let e = s + w.stepMs; e <= s + w.sizeMs; e += w.stepMs) if (e > ts) out.push([s, e])
      return out
    }
    default:
      throw new Error('not sliced')
  }
}

interface Contribution {
  sign: number
  v: number | null
}

/** The aggregate results of the signed contributions of one window; undefined if its net row count is not positive. */
const aggregate = (cs: readonly Contribution[]): unknown[] | undefined => {
  const count = cs.reduce((n, c) => n + c.sign, 0)
  if (count <= 0) return undefined
  const values = new Map<number, number>()
  for (const c of cs) if (c.v !== null) values.set(c.v, (values.get(c.v) ?? 0) + c.sign)
  const present = [...values].filter(([, n]) => n > 0)
  const nonNull = cs.filter((c) => c.v !== null).reduce((n, c) => n + c.sign, 0)
  const sum = cs.reduce((s, c) => s + (c.v ?? 0) * c.sign, 0)
  return [count, nonNull === 0 ? null : sum, present.length === 0 ? null : Math.max(...present.map(([v]) => v)), present.length]
}

const line = (k: string, res: unknown[], start: number, end: number) => `${k} ${res.map(String).join(' ')} [${start}, ${end}) @${end - 1}`

/** What the operator must emit (sorted) and how many rows it must drop, for sliced windows. */
const bruteForceSliced = (w: WindowAggSpec, events: readonly Ev[]): { out: string[]; late: number } => {
  let wm = -Infinity
  let lateRows = 0
  const windows = new Map<string, { k: string; start: number; end: number; cs: Contribution[] }>()
  for (const e of events) {
    if (e.t === 'wm') {
      wm = Math.max(wm, e.wm)
      continue
    }
    const all = windowsOf(w, e.ts)
    const open = all.filter(([, end]) => end - 1 > wm)
    if (all.length > 0 && open.length === 0) lateRows++
    for (const [start, end] of open) {
      const id = `${e.k}|${start}|${end}`
      let win = windows.get(id)
      if (win === undefined) windows.set(id, (win = { k: e.k, start, end, cs: [] }))
      win.cs.push({ sign: e.sign, v: e.v })
    }
  }
  const out: string[] = []
  for (const win of windows.values()) {
    const res = aggregate(win.cs)
    if (res !== undefined) out.push(line(win.k, res, win.start, win.end))
  }
  return { out: out.sort(), late: lateRows }
}

/** The same for SESSION windows: sessions recomputed from the timestamps not yet emitted. */
const bruteForceSessions = (gap: number, events: readonly Ev[]): { out: string[]; late: number } => {
  let lateRows = 0
  const out: string[] = []
  // per key: timestamp -> contributions (a timestamp whose net count is 0 leaves)
  const live = new Map<string, Map<number, Contribution[]>>()
  const sessionsOf = (byTs: Map<number, Contribution[]>): number[][] => {
    const times = [...byTs.keys()].sort((a, b) => a - b)
    const sessions: number[][] = []
    for (const t of times) {
      const last = sessions[sessions.length - 1]
      if (last !== undefined && t <= last[last.length - 1]! + gap) last.push(t)
      else sessions.push([t])
    }
    return sessions
  }
  const fire = (wm: number) => {
    for (const [k, byTs] of live) {
      for (const s of sessionsOf(byTs)) {
        const end = s[s.length - 1]! + gap
        if (end - 1 > wm) continue
        const res = aggregate(s.flatMap((t) => byTs.get(t)!))
        if (res !== undefined) out.push(line(k, res, s[0]!, end))
        for (const t of s) byTs.delete(t)
      }
    }
  }
  let wm = -Infinity
  for (const e of events) {
    if (e.t === 'wm') {
      if (e.wm > wm) fire((wm = e.wm))
      continue
    }
    let byTs = live.get(e.k)
    if (byTs === undefined) live.set(e.k, (byTs = new Map()))
    const touches = [...byTs.keys()].some((t) => Math.abs(t - e.ts) <= gap)
    if (!touches && e.ts + gap - 1 <= wm) {
      lateRows++
      continue
    }
    const cs = byTs.get(e.ts) ?? []
    cs.push({ sign: e.sign, v: e.v })
    if (cs.reduce((n, c) => n + c.sign, 0) === 0) byTs.delete(e.ts)
    else byTs.set(e.ts, cs)
  }
  fire(Infinity)
  return { out: out.sort(), late: lateRows }
}

/** Random events: rows out of order, watermarks, and (with updates) retractions of earlier rows. */
const eventsArb = (updates: boolean): fc.Arbitrary<Ev[]> =>
  fc
    .array(
      fc.oneof(
        { weight: 5, arbitrary: fc.record({ t: fc.constant('row' as const), k: fc.constantFrom('a', 'b'), ts: fc.integer({ min: 0, max: 40 }), v: fc.option(fc.integer({ min: 0, max: 6 })) }) },
        { weight: 2, arbitrary: fc.record({ t: fc.constant('wm' as const), wm: fc.integer({ min: 0, max: 45 }) }) },
        { weight: updates ? 2 : 0, arbitrary: fc.record({ t: fc.constant('retract' as const), pick: fc.nat() }) },
      ),
      { maxLength: 50 },
    )
    .map((raw) => {
      // a valid changelog: a retraction takes back one earlier row not retracted yet
      const events: Ev[] = []
      const inserted: Ev[] = []
      for (const r of raw) {
        if (r.t === 'wm') events.push(r)
        else if (r.t === 'row') {
          const e: Ev = { ...r, sign: 1 }
          events.push(e)
          inserted.push(e)
        } else if (inserted.length > 0) {
          const [e] = inserted.splice(r.pick % inserted.length, 1) as [Extract<Ev, { t: 'row' }>]
          events.push({ ...e, sign: -1 })
        }
      }
      return events
    })

/** Feeds events; watermarks only when they advance (`from`: the watermark before, e.g. of a restored run). Returns the last watermark. */
const drive = (h: Harness, events: readonly Ev[], from = -Infinity): number => {
  let wm = from
  // as a source after a restore, the current watermark comes again first
  if (wm > h.operatorHarness.currentWatermark()) h.processWatermark(wm)
  for (const e of events) {
    if (e.t === 'wm') {
      if (e.wm > wm) h.processWatermark((wm = e.wm))
    } else h.processElement(e.sign === 1 ? I(e.k, e.ts, e.v) : D(e.k, e.ts, e.v))
  }
  return wm
}

const SPECS: WindowAggSpec[] = [
  { kind: 'TUMBLE', sizeMs: 5 },
  { kind: 'TUMBLE', sizeMs: 10, offsetMs: 3 },
  { kind: 'HOP', sizeMs: 10, slideMs: 2 },
  { kind: 'HOP', sizeMs: 10, slideMs: 4, offsetMs: 1 },
  { kind: 'HOP', sizeMs: 6, slideMs: 9 },
  { kind: 'CUMULATE', stepMs: 3, sizeMs: 12 },
  { kind: 'CUMULATE', stepMs: 5, sizeMs: 10, offsetMs: 2 },
  { kind: 'SESSION', gapMs: 3 },
  { kind: 'SESSION', gapMs: 6 },
]

const describeSpec = (w: WindowAggSpec): string => JSON.stringify(w).replace(/"/g, '')

describe('WindowAggFunction: against brute force', () => {
  for (const spec of SPECS) {
    for (const updates of [false, true]) {
      it(`${describeSpec(spec)}${updates ? ' with retractions' : ''}: random out-of-order rows and watermarks`, () => {
        fc.assert(
          fc.property(eventsArb(updates), (events) => {
            const h = harness(paramsOf(spec, updates))
            drive(h, events)
            h.endInput()
            const expected = spec.kind === 'SESSION' ? bruteForceSessions(spec.gapMs, events) : bruteForceSliced(spec, events)
            expect([...shown(h)].sort()).toEqual(expected.out)
            expect(late(h)).toBe(expected.late)
            expect(h.numKeyedStateEntries()).toBe(0)
            expect(h.numEventTimeTimers()).toBe(0)
          }),
          { numRuns: 150 },
        )
      })
    }
  }

  it('slices far apart in time (a sparse ring, slices kept aside) and slices that outgrow the ring', () => {
    const wide = (span: number): fc.Arbitrary<Ev[]> =>
      fc.array(
        fc.oneof(
          { weight: 6, arbitrary: fc.record({ t: fc.constant('row' as const), k: fc.constantFrom('a', 'b'), ts: fc.integer({ min: 0, max: span }), v: fc.option(fc.integer({ min: 0, max: 6 })), sign: fc.constant(1 as const) }) },
          { weight: 1, arbitrary: fc.record({ t: fc.constant('wm' as const), wm: fc.integer({ min: 0, max: span }) }) },
        ),
        { maxLength: 80 },
      )
    for (const spec of [{ kind: 'TUMBLE', sizeMs: 5 }, { kind: 'HOP', sizeMs: 10, slideMs: 5 }, { kind: 'CUMULATE', stepMs: 5, sizeMs: 20 }] as WindowAggSpec[]) {
      // 200 ms: up to 40 slices per key (rings grow); 100 s: slices too far apart for a ring
      for (const span of [200, 100_000])
        fc.assert(
          fc.property(wide(span), (events) => {
            const h = harness(paramsOf(spec))
            drive(h, events)
            h.endInput()
            const expected = bruteForceSliced(spec, events)
            expect([...shown(h)].sort()).toEqual(expected.out)
            expect(late(h)).toBe(expected.late)
            expect(h.numKeyedStateEntries()).toBe(0)
            expect(h.numEventTimeTimers()).toBe(0)
          }),
          { numRuns: 60 },
        )
    }
  })

  it('restore(snapshot) at any point continues with the same output, for every window kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPECS), fc.boolean(), eventsArb(true), fc.nat(), (spec, updates, allEvents, at) => {
        const events = updates ? allEvents : allEvents.filter((e) => e.t === 'wm' || e.sign === 1)
        const cut = at % (events.length + 1)
        const whole = harness(paramsOf(spec, updates))
        drive(whole, events)
        whole.endInput()
        const first = harness(paramsOf(spec, updates))
        const wm = drive(first, events.slice(0, cut))
        const second = KeyedProcessFunctionHarness.restore<RowKey, Row, Row>(new WindowAggFunction(paramsOf(spec, updates)), keySelectorOf([0]), first.snapshot())
        drive(second, events.slice(cut), wm)
        second.endInput()
        expect([...shown(first), ...shown(second)].sort()).toEqual(shown(whole).sort())
        expect(late(first) + late(second)).toBe(late(whole))
      }),
      { numRuns: 200 },
    )
  })
})
