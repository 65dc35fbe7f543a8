/**
 * Aggregation over the windowing table-valued functions (`TUMBLE`, `HOP`, `CUMULATE`, `SESSION`),
 * by slicing, as Flink's `SlicingWindowOperator` (and its session counterpart).
 *
 * @packageDocumentation
 */
import { KeyedProcessFunction, ValueStateDescriptor } from '@strom/process'
import type { Collector, Counter, RuntimeContext, TimerService, ValueState } from '@strom/process'
import type { AggregateCall } from '../../../aggregate/aggregate-call.js'
import type { SlottedAggsHandle } from '../../../aggregate/builtin-aggregates.js'
import { createSlottedAggsHandle } from '../../../aggregate/builtin-aggregates.js'
import type { Row } from '../../../data/row.js'
import { RowKind } from '../../../data/row.js'
import { SqlError, SqlRuntimeError } from '../../../errors.js'
import type { RowKey } from '../keys.js'

/**
 * A window of a windowing table-valued function, in milliseconds (the planner's `WindowSpec`
 * fits it).
 *
 * @remarks
 * - `TUMBLE(size, offset)`: windows `[k * size + offset, (k + 1) * size + offset)`.
 * - `HOP(slide, size, offset)`: windows of `size` starting every `slide` (offset as for
 *   `TUMBLE`); a row is in `size / slide` windows (rounded up).
 * - `CUMULATE(step, size, offset)`: within each tumbling `size` window `[s, s + size)`, the
 *   windows `[s, s + step)`, `[s, s + 2 * step)`, ... `[s, s + size)`; `size` must be a multiple
 *   of `step`.
 * - `SESSION(gap)`: per group, rows closer than `gap` to each other form one window
 *   `[first row, last row + gap)`. `partitionKeys` (the TVF's `PARTITION BY`) must be the group
 *   fields, as Flink requires of a session window aggregation.
 *
 * @category Operators
 * @since 0.1.0
 */
export type WindowAggSpec =
  | { readonly kind: 'TUMBLE'; readonly sizeMs: number; readonly offsetMs?: number }
  | { readonly kind: 'HOP'; readonly sizeMs: number; readonly slideMs: number; readonly offsetMs?: number }
  | { readonly kind: 'CUMULATE'; readonly sizeMs: number; readonly stepMs: number; readonly offsetMs?: number }
  | { readonly kind: 'SESSION'; readonly gapMs: number; readonly partitionKeys?: readonly number[] }

/**
 * What a {@link WindowAggFunction} computes: serializable data, the aggregates compiled in `open`.
 *
 * @category Operators
 * @since 0.1.0
 */
export interface WindowAggParams {
  /** The window. */
  readonly window: WindowAggSpec
  /**
   * The input field of the time attribute: for event time, the rowtime (epoch ms, never NULL);
   * unused for processing time (the operator's clock decides).
   */
  readonly timeIndex: number
  /** Event time (windows fire on watermarks) or processing time (on the operator's clock). */
  readonly isEventTime: boolean
  /**
   * The input fields to group by besides the window, in output order. The stream must be keyed
   * by `keySelectorOf(groupIndices)`.
   */
  readonly groupIndices: readonly number[]
  /** The aggregates, over input fields. */
  readonly aggs: readonly AggregateCall[]
  /**
   * Whether the input may contain `-U`/`-D` rows (default `false`, the input of a window TVF is
   * normally insert-only). With `true` the aggregates are built to retract, and session windows
   * keep per-timestamp accumulators so a retraction can split a session.
   */
  readonly updatingInput?: boolean
}

/** The metric counting rows dropped because every window they belong to had fired. */
export const NUM_LATE_RECORDS_DROPPED = 'numLateRecordsDropped'

/** What became of an input row. */
const enum Outcome {
  Kept = 0,
  /** Every window it belongs to has fired. */
  Late = 1,
  /** It belongs to no window (a `HOP` whose slide exceeds its size leaves gaps). */
  InNoWindow = 2,
}

const mod = (a: number, b: number): number => {
  const r = a % b
  return r < 0 ? r + b : r
}

const gcd = (a: number, b: number): number => {
  while (b !== 0) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

/** The smallest power of 2 that is `>= n`. */
const pow2AtLeast = (n: number): number => {
  let p = 1
  while (p < n) p *= 2
  return p
}

const planError = (message: string): SqlError => new SqlError('plan', [{ message }])

const positiveMs = (what: string, v: number | undefined): number => {
  if (v === undefined || !Number.isInteger(v) || v <= 0) throw planError(`The ${what} of a window must be a positive whole number of milliseconds, got ${String(v)}.`)
  return v
}

// The state entry of a key, for sliced windows: one flat array
//   [timer, more, running, live, mask, ...group values, ...ring]
// whose ring holds `mask + 1` slices inline, slice number `k` (its end is `offset + k * slice`)
// in slot `k & mask`. A slice is `[end, rowCount, acc_0, ..., acc_{n-1}]` (`stride = n + 2`
// values; a free slot has end `null`), inline in the ring or, in `more` and `running`, an array of
// its own. One entry, and mostly one allocation, per key instead of a Map and an array per slice:
// a record costs one state lookup and an index computation.

/** The time of the timer this key registered last (`null` after it fired): see `registerOnce`. */
const E_TIMER = 0
/** The slices whose ring slot another slice holds, by end (`Map<number, slice>`), or `null`. */
const E_MORE = 1
/** `CUMULATE`: the running accumulators of the key's cumulations, by start (`Map<number, slice>`), or `null`. */
const E_RUNNING = 2
/** The number of slices held, in the ring and in `more`. */
const E_LIVE = 3
/** The number of ring slots minus 1 (the number is a power of 2). */
const E_MASK = 4
/** The group values start here; the ring follows them. */
const E_GROUP = 5

/** In a slice: its end (`null`: a free ring slot). */
const S_END = 0
/** In a slice: its net row count. */
const S_COUNT = 1
/** In a slice: the aggregates' accumulators start here. */
const S_ACCS = 2

/** A new ring has at most this many slots; it grows past it only while at least a quarter full. */
const MAX_INITIAL_SLOTS = 64
/** A ring never has more slots than this; further slices go to `more`. */
const MAX_SLOTS = 4096
/** New rings start with the slots that rings grew to, up to this many. */
const ADAPTIVE_SLOTS = 16

/**
 * Aggregation over windows of a windowing TVF, per group: emits one insert-only row per window
 * (group fields, aggregate results, `window_start`, `window_end`, `window_time`) when it closes.
 *
 * @remarks
 * Time: with event time a window `[start, end)` fires once the watermark reaches `end - 1`
 * (its output row carries `window_time = end - 1` as its timestamp, a rowtime attribute); with
 * processing time once the operator's clock reaches `end - 1` (as in Flink, a row processed at
 * exactly that millisecond after its window fired makes the window fire again with that row). A
 * window's state is purged when it fires. Only windows that saw rows (a positive net row count)
 * emit; a row in no window (a `HOP` whose slide exceeds its size leaves gaps) is ignored.
 *
 * Slicing: `TUMBLE`, `HOP` and `CUMULATE` windows are cut into slices (the tumble window, the
 * greatest common divisor of `HOP`'s size and slide, `CUMULATE`'s step); a row updates the
 * accumulators of its one slice, so `HOP(10 s, 2 s)` costs one update per row, not five. A `HOP`
 * window merges its slices when it fires; a `CUMULATE` window merges its new slice into a running
 * accumulator of its cumulation. A key's slices live in one state entry.
 *
 * Late rows (event time): a row whose windows have all fired (the watermark had passed their
 * `end - 1` when it arrived) is dropped and counted in the operator metric
 * `numLateRecordsDropped`, as in Flink. A row some of whose windows fired (a `HOP` or `CUMULATE`
 * row arriving after its first window fired) still counts in the windows that have not.
 *
 * Updating input: `-U`/`-D` rows retract from the accumulators of their slice (or session) when
 * every aggregate can retract (Flink rejects updating input here; we do not need to). A
 * retraction whose windows have all fired is late: dropped and counted. With processing time a
 * change counts in the window open when it arrives. An aggregate that cannot retract fails the
 * task with a clear error (the planner rejects such plans).
 *
 * Session windows merge per key as rows arrive (a row closer than `gap` to two sessions joins
 * them); a session fires when the watermark passes its `end - 1`.
 *
 * Use it on a keyed stream:
 * `stream.keyBy(keySelectorOf(p.groupIndices)).process(new WindowAggFunction(p))`.
 *
 * @category Operators
 * @since 0.1.0
 */
export class WindowAggFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private handle: SlottedAggsHandle | undefined
  /**
   * Per key: for sliced windows the flat entry described above (`E_*`, `S_*`); for session
   * windows `[groupValues, sessions]`, a session being `[start, end, slice]`, or
   * `[start, end, Map<timestamp, slice>]` with updating input.
   */
  private state: ValueState<unknown[]> | undefined
  private lateDropped: Counter | undefined
  /** The number of aggregates. */
  private readonly n: number
  /** The number of group fields. */
  private readonly g: number
  /** The values of one slice: end, row count, accumulators. */
  private readonly stride: number
  /** Where the ring starts in an entry. */
  private readonly ringAt: number
  /** The ring slots a new entry has at least (from the window's geometry). */
  private readonly initialSlots: number
  /**
   * The ring slots of a new entry: `initialSlots`, or more once rings had to grow (keys tend to
   * have as many slices open as each other: as many as the watermark lags behind), at most
   * `ADAPTIVE_SLOTS`.
   */
  private newSlots: number
  private readonly kind: WindowAggSpec['kind']
  private readonly eventTime: boolean
  private readonly timeIndex: number
  /** Slice length (`TUMBLE`: size, `HOP`: gcd(size, slide), `CUMULATE`: step). */
  private readonly slice: number
  /** Window length (session: the gap). */
  private readonly size: number
  /** Distance between window ends (`TUMBLE`: size, `HOP`: slide, `CUMULATE`: step). */
  private readonly slide: number
  private readonly offset: number
  /** `HOP`: window ends are `= endPhase (mod slide)`. */
  private readonly endPhase: number
  private readonly updating: boolean
  // The slice of the last row, cached (most rows fall into the slice of the row before): its
  // start and end, its number, and the first and last window ends holding it.
  private cStart = Infinity
  private cEnd = -Infinity
  private cNum = 0
  private cFirst = 0
  private cLast = 0
  /** The array holding the slice `findSlice` or `addSlice` found (the entry, or a slice of its own). */
  private at: unknown[] = []
  /** The slices of the `HOP` window being fired (arrays and where in them), reused. */
  private readonly partArrays: unknown[][] = []
  private readonly partBases: number[] = []

  constructor(readonly params: WindowAggParams) {
    super()
    const w = params.window
    this.kind = w.kind
    this.updating = params.updatingInput ?? false
    this.eventTime = params.isEventTime
    this.timeIndex = params.timeIndex
    this.n = params.aggs.length
    this.g = params.groupIndices.length
    this.stride = this.n + S_ACCS
    this.ringAt = E_GROUP + this.g
    switch (w.kind) {
      case 'TUMBLE':
        this.size = positiveMs('size', w.sizeMs)
        this.slide = this.size
        this.slice = this.size
        this.offset = w.offsetMs ?? 0
        break
      case 'HOP':
        this.size = positiveMs('size', w.sizeMs)
        this.slide = positiveMs('slide', w.slideMs)
        this.slice = gcd(this.size, this.slide)
        this.offset = w.offsetMs ?? 0
        break
      case 'CUMULATE':
        this.size = positiveMs('max size', w.sizeMs)
        this.slide = positiveMs('step', w.stepMs)
        if (this.size % this.slide !== 0)
          throw planError(`A CUMULATE window's max size must be a whole multiple of its step, got size ${this.size} ms and step ${this.slide} ms.`)
        this.slice = this.slide
        this.offset = w.offsetMs ?? 0
        break
      case 'SESSION': {
        this.size = positiveMs('gap', w.gapMs)
        this.slide = this.size
        this.slice = this.size
        this.offset = 0
        const pk = w.partitionKeys
        if (pk !== undefined && (pk.length !== params.groupIndices.length || pk.some((k) => !params.groupIndices.includes(k))))
          throw planError(
            `A SESSION window aggregation must group by exactly the session's partition keys (fields ${pk.join(', ') || 'none'}), got group fields ${params.groupIndices.join(', ') || 'none'}.`,
          )
        break
      }
    }
    this.endPhase = mod(this.offset + this.size, this.slide)
    // the slices of one window and the next one's first: in-order input rarely needs more
    this.initialSlots = pow2AtLeast(Math.min(Math.ceil(this.size / this.slice) + 1, MAX_INITIAL_SLOTS))
    this.newSlots = this.initialSlots
    // fail at plan time rather than at the first window
    const handle = createSlottedAggsHandle(params.aggs, { retraction: this.updating })
    if (this.needsMerge() && !handle.mergeable)
      throw planError(`A ${w.kind} window aggregation merges accumulators, but some aggregate has no merge method (${params.aggs.filter((a) => a.udaf !== undefined && a.udaf.merge === undefined).map((a) => a.name).join(', ')}).`)
  }

  private needsMerge(): boolean {
    return this.kind === 'SESSION' || (this.kind === 'HOP' && this.size !== this.slice) || (this.kind === 'CUMULATE' && this.size !== this.slide)
  }

  override open(ctx: RuntimeContext): void {
    this.handle = createSlottedAggsHandle(this.params.aggs, { retraction: this.updating })
    this.state = ctx.getState(new ValueStateDescriptor<unknown[]>('window-agg-state'))
    this.lateDropped = ctx.getMetricGroup().counter(NUM_LATE_RECORDS_DROPPED)
  }

  // --- geometry of sliced windows ------------------------------------------------------------

  /** Caches the slice holding `ts` and its windows (`cStart`, `cEnd`, ...). */
  private locate(ts: number): void {
    const se = ts - mod(ts - this.offset, this.slice) + this.slice
    this.cEnd = se
    this.cStart = se - this.slice
    this.cNum = (se - this.offset) / this.slice
    this.cFirst = this.firstWindowEnd(se)
    this.cLast = this.lastWindowEnd(se)
  }

  /** The first window end at or after slice end `se`. */
  private firstWindowEnd(se: number): number {
    if (this.kind !== 'HOP') return se
    return se + mod(this.endPhase - se, this.slide)
  }

  /** The last window end whose window holds the slice ending at `se`. */
  private lastWindowEnd(se: number): number {
    switch (this.kind) {
      case 'HOP': {
        const x = se - this.slice + this.size
        return x - mod(x - this.endPhase, this.slide)
      }
      case 'CUMULATE':
        return this.cumulationStart(se) + this.size
      default:
        return se
    }
  }

  /** The start of the `CUMULATE` cumulation holding the slice (or window) ending at `end`. */
  private cumulationStart(end: number): number {
    const s = end - this.slice
    return s - mod(s - this.offset, this.size)
  }

  /** The number of the slice ending at `se`. */
  private sliceNumber(se: number): number {
    return (se - this.offset) / this.slice
  }

  // --- per record ----------------------------------------------------------------------------

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    const timers = ctx.timerService()
    let ts: number
    if (this.eventTime) {
      const t = row.fields[this.timeIndex]
      if (typeof t !== 'number')
        throw new SqlRuntimeError(
          `The rowtime field (input field ${this.timeIndex}) of a window aggregation must not be NULL, got ${String(t)} for key ${String(ctx.getCurrentKey())}.`,
        )
      ts = t
    } else ts = timers.currentProcessingTime()
    const retract = row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE
    if (retract && !this.handle!.retractable) throw this.cannotRetract()
    const outcome = this.kind === 'SESSION' ? this.sessionElement(row, ts, retract, timers) : this.sliceElement(row, ts, retract, timers)
    if (outcome === Outcome.Late) this.lateDropped!.inc()
  }

  private cannotRetract(): SqlRuntimeError {
    return new SqlRuntimeError(
      `The ${this.kind} window aggregation received a retraction (-U/-D), but not all of its aggregates can retract; the planner should have rejected updating input here.`,
    )
  }

  /** Adds a row to its slice (or a `CUMULATE` running accumulator). */
  private sliceElement(row: Row, ts: number, retract: boolean, timers: TimerService): Outcome {
    if (!(ts >= this.cStart && ts < this.cEnd)) this.locate(ts)
    const se = this.cEnd
    // the first window of the slice that has not fired
    let end = this.cFirst
    const last = this.cLast
    if (end > last) return Outcome.InNoWindow
    const wm = this.eventTime ? timers.currentWatermark() : -Infinity
    const state = this.state!
    if (end - 1 <= wm) {
      if (last - 1 <= wm) return Outcome.Late
      end += this.slide * Math.ceil((wm + 1 - end) / this.slide)
      if (end - 1 <= wm) end += this.slide
      if (this.kind === 'CUMULATE') {
        // the slice was folded into the running accumulator already: the row goes there
        const entry = state.value() ?? this.newEntry(row.fields)
        let running = entry[E_RUNNING] as Map<number, unknown[]> | null
        if (running === null) entry[E_RUNNING] = running = new Map()
        const start = this.cumulationStart(se)
        let acc = running.get(start)
        if (acc === undefined) running.set(start, (acc = this.newSlice(null)))
        this.apply(acc, 0, row.fields, retract)
        this.registerOnce(entry, timers, end - 1)
        state.update(entry)
        return Outcome.Kept
      }
    }
    const entry = state.value() ?? this.newEntry(row.fields)
    let base = this.findSlice(entry, se, this.cNum)
    if (base < 0) base = this.addSlice(entry, se, this.cNum)
    this.apply(this.at, base, row.fields, retract)
    this.registerOnce(entry, timers, end - 1)
    // on the heap the entry is stored already; other backends need to hear of the change
    state.update(entry)
    return Outcome.Kept
  }

  /** A new entry for the key of a row: no slices, an empty ring. */
  private newEntry(fields: readonly unknown[]): unknown[] {
    // one allocation of the final length: the array and its elements lie together
    const ringAt = this.ringAt
    const slots = this.newSlots
    const length = ringAt + slots * this.stride
    const e = new Array<unknown>(length)
    e[E_TIMER] = null
    e[E_MORE] = null
    e[E_RUNNING] = null
    e[E_LIVE] = 0
    e[E_MASK] = slots - 1
    const gi = this.params.groupIndices
    for (let i = 0; i < gi.length; i++) e[E_GROUP + i] = fields[gi[i]!]
    for (let i = ringAt; i < length; i++) e[i] = null
    return e
  }

  /** A slice of its own (outside a ring): `[end, 0, new accumulators]`. */
  private newSlice(end: number | null): unknown[] {
    const s: unknown[] = [end, 0]
    this.handle!.createAt(s, S_ACCS)
    return s
  }

  /**
   * Where the slice ending at `se` (number `num`) of an entry is: its index in `this.at` (the
   * entry itself for a ring slot), or -1 when the entry has no such slice.
   */
  private findSlice(entry: unknown[], se: number, num: number): number {
    const i = this.ringAt + (num & (entry[E_MASK] as number)) * this.stride
    if (entry[i] === se) {
      this.at = entry
      return i
    }
    const more = entry[E_MORE] as Map<number, unknown[]> | null
    if (more !== null) {
      const s = more.get(se)
      if (s !== undefined) {
        this.at = s
        return 0
      }
    }
    return -1
  }

  /** Adds the slice ending at `se` (number `num`, not in the entry yet); returns where it is, as {@link findSlice}. */
  private addSlice(entry: unknown[], se: number, num: number): number {
    entry[E_LIVE] = (entry[E_LIVE] as number) + 1
    let i = this.ringAt + (num & (entry[E_MASK] as number)) * this.stride
    if (entry[i] !== null) {
      if (!this.growRing(entry, se)) {
        const s = this.newSlice(se)
        let more = entry[E_MORE] as Map<number, unknown[]> | null
        if (more === null) entry[E_MORE] = more = new Map()
        more.set(se, s)
        this.at = s
        return 0
      }
      i = this.ringAt + (num & (entry[E_MASK] as number)) * this.stride
    }
    entry[i + S_END] = se
    entry[i + S_COUNT] = 0
    this.handle!.createAt(entry, i + S_ACCS)
    this.at = entry
    return i
  }

  /**
   * The ring slot of new slice `se` is taken: makes the ring long enough for every slice of the
   * entry and the new one if that keeps it at least a quarter full (and within `MAX_SLOTS`),
   * moving the slices of `more` in too; returns whether it did.
   */
  private growRing(entry: unknown[], se: number): boolean {
    const stride = this.stride
    const ringAt = this.ringAt
    const more = entry[E_MORE] as Map<number, unknown[]> | null
    let lo = se
    let hi = se
    for (let i = ringAt; i < entry.length; i += stride) {
      const s = entry[i] as number | null
      if (s === null) continue
      if (s < lo) lo = s
      if (s > hi) hi = s
    }
    if (more !== null)
      for (const s of more.keys()) {
        if (s < lo) lo = s
        if (s > hi) hi = s
      }
    const slots = pow2AtLeast((hi - lo) / this.slice + 1)
    if (slots > MAX_SLOTS || slots > Math.max(this.initialSlots, 4 * (entry[E_LIVE] as number))) return false
    const taken: unknown[][] = []
    for (let i = ringAt; i < entry.length; i += stride) if (entry[i] !== null) taken.push(entry.slice(i, i + stride))
    if (more !== null) for (const s of more.values()) taken.push(s)
    entry[E_MORE] = null
    entry.length = ringAt
    for (let i = slots * stride; i > 0; i--) entry.push(null)
    entry[E_MASK] = slots - 1
    if (slots > this.newSlots) this.newSlots = Math.min(slots, Math.max(ADAPTIVE_SLOTS, this.initialSlots))
    for (const s of taken) {
      const at = ringAt + (this.sliceNumber(s[S_END] as number) & (slots - 1)) * stride
      for (let x = 0; x < stride; x++) entry[at + x] = s[x]
    }
    return true
  }

  /** Removes the slice ending at `se`, found at `base` of `h`, from the entry. */
  private freeSlice(entry: unknown[], h: unknown[], base: number, se: number): void {
    if (h === entry) for (let x = 0; x < this.stride; x++) entry[base + x] = null
    else {
      const more = entry[E_MORE] as Map<number, unknown[]>
      more.delete(se)
      if (more.size === 0) entry[E_MORE] = null
    }
    entry[E_LIVE] = (entry[E_LIVE] as number) - 1
  }

  private isEmpty(entry: unknown[]): boolean {
    return (entry[E_LIVE] as number) === 0 && entry[E_RUNNING] === null
  }

  /** Adds (or retracts) a row to the slice at `base` of `h`. */
  private apply(h: unknown[], base: number, fields: readonly unknown[], retract: boolean): void {
    if (retract) {
      this.handle!.retractAt(h, base + S_ACCS, fields)
      h[base + S_COUNT] = (h[base + S_COUNT] as number) - 1
    } else {
      this.handle!.accumulateAt(h, base + S_ACCS, fields)
      h[base + S_COUNT] = (h[base + S_COUNT] as number) + 1
    }
  }

  /** Merges the slice at `fromBase` of `from` into the one at `intoBase` of `into`. */
  private mergeSlice(into: unknown[], intoBase: number, from: readonly unknown[], fromBase: number): void {
    this.handle!.mergeAt(into, intoBase + S_ACCS, from, fromBase + S_ACCS)
    into[intoBase + S_COUNT] = (into[intoBase + S_COUNT] as number) + (from[fromBase + S_COUNT] as number)
  }

  private register(timers: TimerService, time: number): void {
    if (this.eventTime) timers.registerEventTimeTimer(time)
    else timers.registerProcessingTimeTimer(time)
  }

  /**
   * Registers the timer unless this key registered it last (`E_TIMER`, reset when it fires):
   * consecutive rows of a key mostly fall into the same window, and the timer service's
   * de-duplication costs a lookup.
   */
  private registerOnce(entry: unknown[], timers: TimerService, time: number): void {
    if (entry[E_TIMER] === time) return
    entry[E_TIMER] = time
    this.register(timers, time)
  }

  private unregister(timers: TimerService, time: number): void {
    if (this.eventTime) timers.deleteEventTimeTimer(time)
    else timers.deleteProcessingTimeTimer(time)
  }

  // --- firing --------------------------------------------------------------------------------

  override onTimer(timestamp: number, ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const state = this.state!
    const entry = state.value()
    if (entry === undefined) return
    if (this.kind === 'SESSION') {
      this.fireSessions(entry, timestamp, out)
      if ((entry[1] as unknown[]).length === 0) state.clear()
      else state.update(entry)
      return
    }
    if (entry[E_TIMER] === timestamp) entry[E_TIMER] = null
    const timers = ctx.timerService()
    if (this.kind === 'CUMULATE') this.fireCumulate(entry, timestamp + 1, timers, out)
    else if (this.kind === 'HOP') this.fireHop(entry, timestamp + 1, timers, out)
    else this.fireTumble(entry, timestamp + 1, out)
    if (this.isEmpty(entry)) state.clear()
    else state.update(entry)
  }

  /** Emits the results of the slice at `base` of `h`, if it holds rows, with the group values at `groupAt` of `group`. */
  private emit(group: readonly unknown[], groupAt: number, h: readonly unknown[], base: number, start: number, end: number, out: Collector<Row>): void {
    if ((h[base + S_COUNT] as number) <= 0) return
    const g = this.g
    const n = this.n
    const fields = new Array<unknown>(g + n + 3)
    for (let i = 0; i < g; i++) fields[i] = group[groupAt + i]
    this.handle!.writeValuesAt(h, base + S_ACCS, fields, g)
    fields[g + n] = start
    fields[g + n + 1] = end
    fields[g + n + 2] = end - 1
    out.collect({ kind: RowKind.INSERT, fields })
  }

  private fireTumble(entry: unknown[], end: number, out: Collector<Row>): void {
    const base = this.findSlice(entry, end, this.sliceNumber(end))
    if (base < 0) return
    const h = this.at
    this.emit(entry, E_GROUP, h, base, end - this.size, end, out)
    this.freeSlice(entry, h, base, end)
  }

  private fireHop(entry: unknown[], end: number, timers: TimerService, out: Collector<Row>): void {
    const g = this.slice
    const stride = this.stride
    const first = end - this.size + g
    // the window's slices, in time order (FIRST_VALUE, LAST_VALUE and LISTAGG depend on it)
    const arrays = this.partArrays
    const bases = this.partBases
    if (this.size / g <= 4 * (entry[E_LIVE] as number)) {
      for (let se = first; se <= end; se += g) {
        const b = this.findSlice(entry, se, this.sliceNumber(se))
        if (b < 0) continue
        arrays.push(this.at)
        bases.push(b)
      }
    } else {
      const ends: number[] = []
      for (let i = this.ringAt; i < entry.length; i += stride) {
        const s = entry[i] as number | null
        if (s !== null && s >= first && s <= end) ends.push(s)
      }
      const more = entry[E_MORE] as Map<number, unknown[]> | null
      if (more !== null) for (const s of more.keys()) if (s >= first && s <= end) ends.push(s)
      ends.sort((a, b) => a - b)
      for (const se of ends) {
        bases.push(this.findSlice(entry, se, this.sliceNumber(se)))
        arrays.push(this.at)
      }
    }
    if (arrays.length === 1) this.emit(entry, E_GROUP, arrays[0]!, bases[0]!, end - this.size, end, out)
    else if (arrays.length > 1) {
      const merged = this.newSlice(null)
      for (let k = 0; k < arrays.length; k++) this.mergeSlice(merged, 0, arrays[k]!, bases[k]!)
      this.emit(entry, E_GROUP, merged, 0, end - this.size, end, out)
    }
    arrays.length = 0
    bases.length = 0
    // drop the slices whose last window this was, and wake up for the next window that has some
    const keepFrom = end + this.slide - this.size + g
    let minEnd = Infinity
    for (let i = this.ringAt; i < entry.length; i += stride) {
      const s = entry[i] as number | null
      if (s === null) continue
      if (s < keepFrom) this.freeSlice(entry, entry, i, s)
      else if (s < minEnd) minEnd = s
    }
    const more = entry[E_MORE] as Map<number, unknown[]> | null
    if (more !== null)
      for (const s of more.keys()) {
        if (s < keepFrom) this.freeSlice(entry, more.get(s)!, 0, s)
        else if (s < minEnd) minEnd = s
      }
    if (minEnd !== Infinity) this.registerOnce(entry, timers, Math.max(end + this.slide, this.firstWindowEnd(minEnd)) - 1)
  }

  private fireCumulate(entry: unknown[], end: number, timers: TimerService, out: Collector<Row>): void {
    const start = this.cumulationStart(end)
    let running = entry[E_RUNNING] as Map<number, unknown[]> | null
    let acc = running === null ? undefined : running.get(start)
    const base = this.findSlice(entry, end, this.sliceNumber(end))
    if (base >= 0) {
      const h = this.at
      if (acc === undefined) {
        // the cumulation's first slice becomes its running accumulator
        acc = h === entry ? entry.slice(base, base + this.stride) : h
        if (running === null) entry[E_RUNNING] = running = new Map()
        running.set(start, acc)
      } else this.mergeSlice(acc, 0, h, base)
      this.freeSlice(entry, h, base, end)
    }
    if (acc === undefined) return
    this.emit(entry, E_GROUP, acc, 0, start, end, out)
    if (end >= start + this.size || (acc[S_COUNT] as number) === 0) {
      running!.delete(start)
      if (running!.size === 0) entry[E_RUNNING] = null
    } else this.registerOnce(entry, timers, end + this.slide - 1)
  }

  // --- sessions ------------------------------------------------------------------------------

  /** Adds (or retracts) a row to its session, merging sessions it bridges. */
  private sessionElement(row: Row, ts: number, retract: boolean, timers: TimerService): Outcome {
    if (retract && !this.updating)
      throw new SqlRuntimeError('A SESSION window aggregation received a retraction (-U/-D), but was not built for updating input (updatingInput: true).')
    const state = this.state!
    let entry = state.value()
    if (entry === undefined) {
      const gi = this.params.groupIndices
      const group = new Array<unknown>(gi.length)
      for (let i = 0; i < gi.length; i++) group[i] = row.fields[gi[i]!]
      entry = [group, []]
    }
    const sessions = entry[1] as unknown[][]
    const gap = this.size
    let target: unknown[] | undefined
    let targetEnd = 0
    for (let j = 0; j < sessions.length; j++) {
      const s = sessions[j]!
      const sStart = s[0] as number
      const sEnd = s[1] as number
      // [ts, ts + gap) and [sStart, sEnd) intersect (touching counts, as Flink's TimeWindow)
      if (sStart > ts + gap || sEnd < ts) continue
      if (target === undefined) {
        target = s
        targetEnd = sEnd
        continue
      }
      // the row bridges two sessions: merge s into target
      this.unregister(timers, sEnd - 1)
      if (sStart < (target[0] as number)) target[0] = sStart
      if (sEnd > (target[1] as number)) target[1] = sEnd
      if (this.updating) {
        const into = target[2] as Map<number, unknown[]>
        for (const [t, accs] of s[2] as Map<number, unknown[]>) into.set(t, accs)
      } else this.mergeSlice(target[2] as unknown[], 0, s[2] as unknown[], 0)
      sessions.splice(j, 1)
      j--
    }
    if (target === undefined) {
      if (this.eventTime && ts + gap - 1 <= timers.currentWatermark()) return Outcome.Late
      target = [ts, ts + gap, this.updating ? new Map<number, unknown[]>() : this.newSlice(null)]
      sessions.push(target)
      targetEnd = -Infinity
    } else {
      if (ts < (target[0] as number)) target[0] = ts
      if (ts + gap > (target[1] as number)) target[1] = ts + gap
    }
    if (targetEnd !== (target[1] as number)) {
      if (targetEnd !== -Infinity) this.unregister(timers, targetEnd - 1)
      this.register(timers, (target[1] as number) - 1)
    }
    if (!this.updating) this.apply(target[2] as unknown[], 0, row.fields, retract)
    else {
      const byTs = target[2] as Map<number, unknown[]>
      let accs = byTs.get(ts)
      if (accs === undefined) byTs.set(ts, (accs = this.newSlice(null)))
      this.apply(accs, 0, row.fields, retract)
      if ((accs[S_COUNT] as number) === 0) {
        byTs.delete(ts)
        this.resplit(sessions, target, timers)
      }
    }
    if (sessions.length === 0) state.clear()
    else state.update(entry)
    return Outcome.Kept
  }

  /** After a timestamp left session `s` (updating input): shrinks or splits it by its remaining timestamps. */
  private resplit(sessions: unknown[][], s: unknown[], timers: TimerService): void {
    const gap = this.size
    const byTs = s[2] as Map<number, unknown[]>
    const oldEnd = s[1] as number
    const at = sessions.indexOf(s)
    sessions.splice(at, 1)
    const times = [...byTs.keys()].sort((a, b) => a - b)
    const parts: unknown[][] = []
    let part: unknown[] | undefined
    for (const t of times) {
      if (part === undefined || t > (part[1] as number)) {
        part = [t, t + gap, new Map<number, unknown[]>()]
        parts.push(part)
      } else part[1] = t + gap
      ;(part[2] as Map<number, unknown[]>).set(t, byTs.get(t)!)
    }
    let oldEndKept = false
    for (const p of parts) {
      sessions.push(p)
      if ((p[1] as number) === oldEnd) oldEndKept = true
      else this.register(timers, (p[1] as number) - 1)
    }
    if (!oldEndKept) this.unregister(timers, oldEnd - 1)
  }

  private fireSessions(entry: unknown[], timestamp: number, out: Collector<Row>): void {
    const group = entry[0] as unknown[]
    const sessions = entry[1] as unknown[][]
    for (let j = 0; j < sessions.length; j++) {
      const s = sessions[j]!
      const end = s[1] as number
      if (end - 1 > timestamp) continue
      sessions.splice(j, 1)
      j--
      if (!this.updating) {
        this.emit(group, 0, s[2] as unknown[], 0, s[0] as number, end, out)
        continue
      }
      const byTs = s[2] as Map<number, unknown[]>
      const times = [...byTs.keys()].sort((a, b) => a - b)
      const merged = this.newSlice(null)
      for (const t of times) this.mergeSlice(merged, 0, byTs.get(t)!, 0)
      this.emit(group, 0, merged, 0, s[0] as number, end, out)
    }
  }
}
