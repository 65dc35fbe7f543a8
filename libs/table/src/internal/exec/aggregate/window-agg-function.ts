/**
 * Aggregation over the windowing table-valued functions (`TUMBLE`, `HOP`, `CUMULATE`, `SESSION`),
 * by slicing, as Flink's `SlicingWindowOperator` (and its session counterpart).
 *
 * @packageDocumentation
 */
import { KeyedProcessFunction, ValueStateDescriptor } from '@strom/process'
import type { Collector, Counter, RuntimeContext, TimerService, ValueState } from '@strom/process'
import type { AggregateCall, AggsHandle } from '../../../aggregate/aggregate-call.js'
import { createAggsHandle } from '../../../aggregate/builtin-aggregates.js'
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

const planError = (message: string): SqlError => new SqlError('plan', [{ message }])

const positiveMs = (what: string, v: number | undefined): number => {
  if (v === undefined || !Number.isInteger(v) || v <= 0) throw planError(`The ${what} of a window must be a positive whole number of milliseconds, got ${String(v)}.`)
  return v
}

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
  private handle: AggsHandle | undefined
  /**
   * Per key: `[groupValues, slices, running]` for sliced windows (`slices`: slice end ->
   * accumulators with the row count at index `n`; `running`: `CUMULATE` window start -> the
   * running accumulators), `[groupValues, sessions]` for session windows (a session is
   * `[start, end, accumulators]`, or `[start, end, Map<timestamp, accumulators>]` with updating
   * input).
   */
  private state: ValueState<unknown[]> | undefined
  private lateDropped: Counter | undefined
  private n = 0
  private readonly kind: WindowAggSpec['kind']
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
  /** The slices of the `HOP` window being fired, reused. */
  private readonly windowSlices: unknown[][] = []

  constructor(readonly params: WindowAggParams) {
    super()
    const w = params.window
    this.kind = w.kind
    this.updating = params.updatingInput ?? false
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
    // fail at plan time rather than at the first window
    const handle = createAggsHandle(params.aggs, { retraction: this.updating })
    if (this.needsMerge() && !handle.mergeable)
      throw planError(`A ${w.kind} window aggregation merges accumulators, but some aggregate has no merge method (${params.aggs.filter((a) => a.udaf !== undefined && a.udaf.merge === undefined).map((a) => a.name).join(', ')}).`)
  }

  private needsMerge(): boolean {
    return this.kind === 'SESSION' || (this.kind === 'HOP' && this.size !== this.slice) || (this.kind === 'CUMULATE' && this.size !== this.slide)
  }

  override open(ctx: RuntimeContext): void {
    this.handle = createAggsHandle(this.params.aggs, { retraction: this.updating })
    this.n = this.params.aggs.length
    this.state = ctx.getState(new ValueStateDescriptor<unknown[]>('window-agg-state'))
    this.lateDropped = ctx.getMetricGroup().counter(NUM_LATE_RECORDS_DROPPED)
  }

  // --- geometry of sliced windows ------------------------------------------------------------

  private sliceEndOf(ts: number): number {
    return ts - mod(ts - this.offset, this.slice) + this.slice
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

  // --- per record ----------------------------------------------------------------------------

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    const timers = ctx.timerService()
    let ts: number
    if (this.params.isEventTime) {
      const t = row.fields[this.params.timeIndex]
      if (typeof t !== 'number')
        throw new SqlRuntimeError(
          `The rowtime field (input field ${this.params.timeIndex}) of a window aggregation must not be NULL, got ${String(t)} for key ${String(ctx.getCurrentKey())}.`,
        )
      ts = t
    } else ts = timers.currentProcessingTime()
    const retract = row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE
    if (retract && !this.handle!.retractable) throw this.cannotRetract()

    let entry = this.state!.value()
    if (entry === undefined) {
      const gi = this.params.groupIndices
      const group = new Array<unknown>(gi.length)
      for (let i = 0; i < gi.length; i++) group[i] = row.fields[gi[i]!]
      entry = this.kind === 'SESSION' ? [group, []] : [group, new Map<number, unknown[]>(), this.kind === 'CUMULATE' ? new Map<number, unknown[]>() : null]
    }
    const kept = this.kind === 'SESSION' ? this.sessionElement(entry, row, ts, retract, timers) : this.sliceElement(entry, row, ts, retract, timers)
    if (kept === Outcome.Late) this.lateDropped!.inc()
    if (this.isEmpty(entry)) this.state!.clear()
    else if (kept === Outcome.Kept) this.state!.update(entry)
  }

  private isEmpty(entry: unknown[]): boolean {
    if (this.kind === 'SESSION') return (entry[1] as unknown[]).length === 0
    const running = entry[2] as Map<number, unknown[]> | null
    return (entry[1] as Map<number, unknown[]>).size === 0 && (running === null || running.size === 0)
  }

  private cannotRetract(): SqlRuntimeError {
    return new SqlRuntimeError(
      `The ${this.kind} window aggregation received a retraction (-U/-D), but not all of its aggregates can retract; the planner should have rejected updating input here.`,
    )
  }

  private newAccs(): unknown[] {
    const accs = this.handle!.createAccumulators()
    accs.push(0)
    return accs
  }

  private apply(accs: unknown[], row: Row, retract: boolean): void {
    const n = this.n
    if (retract) {
      this.handle!.retract(accs, row.fields)
      accs[n] = (accs[n] as number) - 1
    } else {
      this.handle!.accumulate(accs, row.fields)
      accs[n] = (accs[n] as number) + 1
    }
  }

  private register(timers: TimerService, time: number): void {
    if (this.params.isEventTime) timers.registerEventTimeTimer(time)
    else timers.registerProcessingTimeTimer(time)
  }

  private unregister(timers: TimerService, time: number): void {
    if (this.params.isEventTime) timers.deleteEventTimeTimer(time)
    else timers.deleteProcessingTimeTimer(time)
  }

  /** Adds a row to its slice (or a `CUMULATE` running accumulator). */
  private sliceElement(entry: unknown[], row: Row, ts: number, retract: boolean, timers: TimerService): Outcome {
    const se = this.sliceEndOf(ts)
    const eventTime = this.params.isEventTime
    const wm = eventTime ? timers.currentWatermark() : -Infinity
    const slices = entry[1] as Map<number, unknown[]>
    // the first window of the slice that has not fired
    let end = this.firstWindowEnd(se)
    const last = this.lastWindowEnd(se)
    if (end > last) return Outcome.InNoWindow
    if (end - 1 <= wm) {
      if (last - 1 <= wm) return Outcome.Late
      end += this.slide * Math.ceil((wm + 1 - end) / this.slide)
      if (end - 1 <= wm) end += this.slide
      if (this.kind === 'CUMULATE') {
        // the slice was folded into the running accumulator already: the row goes there
        const running = entry[2] as Map<number, unknown[]>
        const start = this.cumulationStart(se)
        let accs = running.get(start)
        if (accs === undefined) running.set(start, (accs = this.newAccs()))
        this.apply(accs, row, retract)
        this.register(timers, end - 1)
        return Outcome.Kept
      }
    }
    let accs = slices.get(se)
    if (accs === undefined) slices.set(se, (accs = this.newAccs()))
    this.apply(accs, row, retract)
    this.register(timers, end - 1)
    return Outcome.Kept
  }

  // --- firing --------------------------------------------------------------------------------

  override onTimer(timestamp: number, ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const entry = this.state!.value()
    if (entry === undefined) return
    const timers = ctx.timerService()
    if (this.kind === 'SESSION') this.fireSessions(entry, timestamp, out)
    else if (this.kind === 'CUMULATE') this.fireCumulate(entry, timestamp + 1, timers, out)
    else if (this.kind === 'HOP') this.fireHop(entry, timestamp + 1, timers, out)
    else this.fireTumble(entry, timestamp + 1, out)
    if (this.isEmpty(entry)) this.state!.clear()
    else this.state!.update(entry)
  }

  private emit(group: unknown[], accs: unknown[], start: number, end: number, out: Collector<Row>): void {
    const n = this.n
    if ((accs[n] as number) <= 0) return
    const g = group.length
    const fields = new Array<unknown>(g + n + 3)
    for (let i = 0; i < g; i++) fields[i] = group[i]
    this.handle!.writeValues(accs, fields, g)
    fields[g + n] = start
    fields[g + n + 1] = end
    fields[g + n + 2] = end - 1
    out.collect({ kind: RowKind.INSERT, fields })
  }

  private fireTumble(entry: unknown[], end: number, out: Collector<Row>): void {
    const slices = entry[1] as Map<number, unknown[]>
    const accs = slices.get(end)
    if (accs === undefined) return
    slices.delete(end)
    this.emit(entry[0] as unknown[], accs, end - this.size, end, out)
  }

  /** Merges `from` (accumulators with a row count) into `into`. */
  private mergeInto(into: unknown[], from: unknown[]): void {
    this.handle!.merge(into, from)
    into[this.n] = (into[this.n] as number) + (from[this.n] as number)
  }

  private fireHop(entry: unknown[], end: number, timers: TimerService, out: Collector<Row>): void {
    const slices = entry[1] as Map<number, unknown[]>
    const g = this.slice
    const first = end - this.size + g
    // the window's slices, in time order (FIRST_VALUE, LAST_VALUE and LISTAGG depend on it)
    const parts = this.windowSlices
    parts.length = 0
    if (this.size / g <= 4 * slices.size) {
      for (let se = first; se <= end; se += g) {
        const accs = slices.get(se)
        if (accs !== undefined) parts.push(accs)
      }
    } else {
      const ends: number[] = []
      for (const se of slices.keys()) if (se >= first && se <= end) ends.push(se)
      ends.sort((a, b) => a - b)
      for (const se of ends) parts.push(slices.get(se)!)
    }
    if (parts.length === 1) this.emit(entry[0] as unknown[], parts[0]!, end - this.size, end, out)
    else if (parts.length > 1) {
      const merged = this.newAccs()
      for (const accs of parts) this.mergeInto(merged, accs)
      this.emit(entry[0] as unknown[], merged, end - this.size, end, out)
    }
    parts.length = 0
    // drop the slices whose last window this was, and wake up for the next window that has some
    const keepFrom = end + this.slide - this.size + g
    let minEnd = Infinity
    for (const se of slices.keys()) {
      if (se < keepFrom) slices.delete(se)
      else if (se < minEnd) minEnd = se
    }
    if (minEnd !== Infinity) this.register(timers, Math.max(end + this.slide, this.firstWindowEnd(minEnd)) - 1)
  }

  private fireCumulate(entry: unknown[], end: number, timers: TimerService, out: Collector<Row>): void {
    const slices = entry[1] as Map<number, unknown[]>
    const runningByStart = entry[2] as Map<number, unknown[]>
    const start = this.cumulationStart(end)
    let running = runningByStart.get(start)
    const accs = slices.get(end)
    if (accs !== undefined) {
      slices.delete(end)
      if (running === undefined) runningByStart.set(start, (running = accs))
      else this.mergeInto(running, accs)
    }
    if (running === undefined) return
    this.emit(entry[0] as unknown[], running, start, end, out)
    if (end >= start + this.size || (running[this.n] as number) === 0) runningByStart.delete(start)
    else this.register(timers, end + this.slide - 1)
  }

  // --- sessions ------------------------------------------------------------------------------

  /** Adds (or retracts) a row to its session, merging sessions it bridges. */
  private sessionElement(entry: unknown[], row: Row, ts: number, retract: boolean, timers: TimerService): Outcome {
    if (retract && !this.updating)
      throw new SqlRuntimeError('A SESSION window aggregation received a retraction (-U/-D), but was not built for updating input (updatingInput: true).')
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
      } else this.mergeInto(target[2] as unknown[], s[2] as unknown[])
      sessions.splice(j, 1)
      j--
    }
    if (target === undefined) {
      if (this.params.isEventTime && ts + gap - 1 <= timers.currentWatermark()) return Outcome.Late
      target = [ts, ts + gap, this.updating ? new Map<number, unknown[]>() : this.newAccs()]
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
    if (!this.updating) {
      this.apply(target[2] as unknown[], row, retract)
      return Outcome.Kept
    }
    const byTs = target[2] as Map<number, unknown[]>
    let accs = byTs.get(ts)
    if (accs === undefined) byTs.set(ts, (accs = this.newAccs()))
    this.apply(accs, row, retract)
    if ((accs[this.n] as number) === 0) {
      byTs.delete(ts)
      this.resplit(sessions, target, timers)
    }
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
    const sessions = entry[1] as unknown[][]
    for (let j = 0; j < sessions.length; j++) {
      const s = sessions[j]!
      const end = s[1] as number
      if (end - 1 > timestamp) continue
      sessions.splice(j, 1)
      j--
      if (!this.updating) {
        this.emit(entry[0] as unknown[], s[2] as unknown[], s[0] as number, end, out)
        continue
      }
      const byTs = s[2] as Map<number, unknown[]>
      const times = [...byTs.keys()].sort((a, b) => a - b)
      const merged = this.newAccs()
      for (const t of times) this.mergeInto(merged, byTs.get(t)!)
      this.emit(entry[0] as unknown[], merged, s[0] as number, end, out)
    }
  }
}
