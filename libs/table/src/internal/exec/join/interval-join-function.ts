/**
 * The time-interval join of Flink's SQL runtime (`TimeIntervalJoin`, `RowTimeIntervalJoin`,
 * `ProcTimeIntervalJoin`, `KeyedCoProcessOperatorWithWatermarkDelay`) as a keyed two-input process
 * function.
 *
 * @packageDocumentation
 */
import { KeyedCoProcessFunction, KeyedCoProcessOperator, MapStateDescriptor, ValueStateDescriptor, cloneFunction } from '@strom/process'
import type { Collector, MapState, OperatorFactory, RuntimeContext, ValueState } from '@strom/process'
import { ConfigError } from '@strom/runtime'
import type { Row, RowKind } from '../../../data/row.js'
import { SqlRuntimeError } from '../../../errors.js'
import type { RowKey } from '../keys.js'
import type { JoinCondition } from './join-util.js'
import { ALWAYS, checkIndices, checkWidth, hasFilteredNull, isLeftOuter, isRightOuter, joinedRow, nullFilterPositions } from './join-util.js'

const INSERT = 0 as RowKind

/**
 * What the planner gives an interval join: `L.t BETWEEN R.t + leftLowerBound AND R.t +
 * leftUpperBound` (both bounds inclusive, as Flink's `IntervalJoinSpec` extracts them from the ON
 * clause).
 *
 * @remarks
 * `l.t BETWEEN r.t - INTERVAL '10' SECOND AND r.t + INTERVAL '5' SECOND` gives
 * `leftLowerBound = -10000`, `leftUpperBound = 5000`. An exclusive bound is made inclusive by the
 * planner (`<` becomes `<=` with 1 ms less), as in Flink.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface IntervalJoinParams {
  /** INNER, LEFT, RIGHT or FULL. */
  readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'
  /** Event time (`'rowtime'`, time attributes read from the rows) or processing time. */
  readonly timeAttribute: 'rowtime' | 'proctime'
  /** The number of fields of the left rows (the width of their NULL padding). */
  readonly leftWidth: number
  /** The number of fields of the right rows. */
  readonly rightWidth: number
  /** The equi-join key fields of the left rows (the inputs are keyed by them). */
  readonly leftKeyIndices: readonly number[]
  /** The equi-join key fields of the right rows, paired by position with the left ones. */
  readonly rightKeyIndices: readonly number[]
  /** The left row's time attribute (rowtime only; epoch ms). */
  readonly leftTimeIndex?: number
  /** The right row's time attribute (rowtime only; epoch ms). */
  readonly rightTimeIndex?: number
  /** The smallest `l.t - r.t` that joins (ms). */
  readonly leftLowerBound: number
  /** The largest `l.t - r.t` that joins (ms), `>= leftLowerBound`. */
  readonly leftUpperBound: number
  /** How late (ms behind the watermark) rows may still join; Flink's planner passes 0. */
  readonly allowedLateness?: number
  /**
   * How long (ms) cleanup waits beyond the earliest time a row can expire, to clean fewer times
   * (Flink's `table.exec.interval-join.min-cleanup-interval`, default 0 since Flink 1.18; more
   * delays the NULL-padded rows of outer joins).
   */
  readonly minCleanUpInterval?: number
  /** The rest of the ON clause, if any. */
  readonly condition?: JoinCondition
  /** Per key position, whether NULL never matches (`=`, the default) or matches NULL. */
  readonly filterNullKeys?: readonly boolean[]
}

/**
 * A buffered row of one side: its fields and whether it has joined a row yet (for the NULL
 * padding of outer joins).
 *
 * @category Joins
 * @since 0.1.0
 */
export interface IntervalJoinEntry {
  fields: unknown[]
  emitted: boolean
}

/**
 * The time-interval join of two append-only streams (Flink's `TimeIntervalJoin`): INNER, LEFT,
 * RIGHT and FULL OUTER, in event time or processing time.
 *
 * @remarks
 * Both inputs must be keyed by their join key (see `joinKeySelectors`). A row joins the rows of
 * the other side buffered in its key whose time lies in its interval, at once; it is then
 * buffered (by its time, in map state) as long as rows of the other side may still arrive for it:
 * until the other side's time (the watermark, or the clock in processing time) passes its
 * interval. A row that arrives after that joins what is still buffered and is not kept.
 *
 * Cleanup runs on one timer per key and side (event-time or processing-time), as in Flink. In
 * outer joins, a row of an outer side that never joined is emitted NULL-padded when it leaves
 * the buffer (by its cleanup timer, or when a row of the other side finds it expired), so those
 * rows come late relative to the watermark: plan the operator with {@link intervalJoinOperator},
 * which holds the watermark back by {@link IntervalJoinFunction.maxOutputDelay}, as Flink does.
 *
 * Differences from Flink, on purpose: event time is the watermark as is (Flink clamps a negative
 * watermark to 0, which mishandles rows before 1970), and a buffer whose earliest row is at time
 * 0 or before keeps its cleanup timer (Flink's `earliestTimestamp > 0` test drops it).
 *
 * Inputs insert-only; output insert-only (`+I`).
 *
 * @category Joins
 * @since 0.1.0
 */
export class IntervalJoinFunction extends KeyedCoProcessFunction<RowKey, Row, Row, Row> {
  private readonly rowtime: boolean
  private readonly leftTimeIndex: number
  private readonly rightTimeIndex: number
  /** `-leftLowerBound`: how far after a left row right rows may lie. */
  private readonly leftRelativeSize: number
  /** `leftUpperBound`: how far before a left row right rows may lie. */
  private readonly rightRelativeSize: number
  private readonly allowedLateness: number
  private readonly minCleanUpInterval: number
  private readonly leftOuter: boolean
  private readonly rightOuter: boolean
  private readonly nullPositions: readonly number[]
  private readonly condition: JoinCondition

  private leftCache!: MapState<number, IntervalJoinEntry[]>
  private rightCache!: MapState<number, IntervalJoinEntry[]>
  /** The cleanup timer of the right cache (registered for right rows). */
  private leftTimerState!: ValueState<number>
  /** The cleanup timer of the left cache (registered for left rows). */
  private rightTimerState!: ValueState<number>

  // Per subtask, not checkpointed (as in Flink): lower bounds of what each cache still holds.
  private leftExpirationTime = -Infinity
  private rightExpirationTime = -Infinity
  private leftOperatorTime = -Infinity
  private rightOperatorTime = -Infinity
  /** Reused list of cache keys to remove. */
  private readonly expired: number[] = []

  constructor(readonly params: IntervalJoinParams) {
    super()
    const p = params
    const what = `The ${p.joinType} interval join`
    checkWidth(`${what}: the left width`, p.leftWidth)
    checkWidth(`${what}: the right width`, p.rightWidth)
    checkIndices(`${what}: the left key`, p.leftKeyIndices, p.leftWidth)
    checkIndices(`${what}: the right key`, p.rightKeyIndices, p.rightWidth)
    if (!Number.isFinite(p.leftLowerBound) || !Number.isFinite(p.leftUpperBound) || p.leftLowerBound > p.leftUpperBound)
      throw new ConfigError(`${what}: the bounds [${p.leftLowerBound}, ${p.leftUpperBound}] are not an interval (lower <= upper, both finite).`)
    const lateness = p.allowedLateness ?? 0
    if (!(lateness >= 0) || !Number.isFinite(lateness)) throw new ConfigError(`${what}: the allowed lateness must be non-negative, got ${lateness}.`)
    this.rowtime = p.timeAttribute === 'rowtime'
    if (this.rowtime) {
      if (p.leftTimeIndex === undefined || p.rightTimeIndex === undefined)
        throw new ConfigError(`${what}: an event-time interval join needs leftTimeIndex and rightTimeIndex.`)
      checkIndices(`${what}: the left time attribute`, [p.leftTimeIndex], p.leftWidth)
      checkIndices(`${what}: the right time attribute`, [p.rightTimeIndex], p.rightWidth)
    }
    this.leftTimeIndex = p.leftTimeIndex ?? -1
    this.rightTimeIndex = p.rightTimeIndex ?? -1
    this.leftRelativeSize = -p.leftLowerBound
    this.rightRelativeSize = p.leftUpperBound
    this.allowedLateness = lateness
    this.minCleanUpInterval = Math.max(0, p.minCleanUpInterval ?? 0)
    this.leftOuter = isLeftOuter(p.joinType)
    this.rightOuter = isRightOuter(p.joinType)
    this.nullPositions = nullFilterPositions(what, p.leftKeyIndices, p.rightKeyIndices, p.filterNullKeys)
    this.condition = p.condition ?? ALWAYS
  }

  /**
   * How far behind the input watermark results may be (ms): the operator holds the watermark
   * back by this much (Flink's `getMaxOutputDelay`). 0 in processing time.
   */
  get maxOutputDelay(): number {
    return this.rowtime ? Math.max(this.leftRelativeSize, this.rightRelativeSize) + this.allowedLateness : 0
  }

  override open(ctx: RuntimeContext): void {
    this.leftCache = ctx.getMapState(new MapStateDescriptor<number, IntervalJoinEntry[]>('IntervalJoinLeftCache'))
    this.rightCache = ctx.getMapState(new MapStateDescriptor<number, IntervalJoinEntry[]>('IntervalJoinRightCache'))
    this.leftTimerState = ctx.getState(new ValueStateDescriptor<number>('IntervalJoinLeftTimerState'))
    this.rightTimerState = ctx.getState(new ValueStateDescriptor<number>('IntervalJoinRightTimerState'))
  }

  override processElement1(row: Row, ctx: KeyedCoProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    this.updateOperatorTime(ctx)
    const left = row.fields
    const p = this.params
    const timeForLeftRow = this.rowtime ? this.timeOf(left, this.leftTimeIndex, 'left') : this.leftOperatorTime
    const rightQualifiedLowerBound = timeForLeftRow - this.rightRelativeSize
    const rightQualifiedUpperBound = timeForLeftRow + this.leftRelativeSize
    let emitted = false
    const matchable = !hasFilteredNull(left, p.leftKeyIndices, this.nullPositions)

    // rightExpirationTime is a lower bound of the times the right cache holds (per subtask).
    if (this.rightExpirationTime < rightQualifiedUpperBound) {
      this.rightExpirationTime = this.expirationTime(this.leftOperatorTime, this.rightRelativeSize)
      const exp = this.rightExpirationTime
      const cond = this.condition
      const expired = this.expired
      for (const [rightTime, rightRows] of this.rightCache.entries()) {
        if (matchable && rightTime >= rightQualifiedLowerBound && rightTime <= rightQualifiedUpperBound) {
          let updated = false
          for (let i = 0; i < rightRows.length; i++) {
            const e = rightRows[i]!
            if (!cond(left, e.fields)) continue
            out.collect(joinedRow(INSERT, left, p.leftWidth, e.fields, p.rightWidth))
            emitted = true
            if (this.rightOuter && !e.emitted) {
              e.emitted = true
              updated = true
            }
          }
          if (updated) this.rightCache.put(rightTime, rightRows)
        }
        if (rightTime <= exp) {
          if (this.rightOuter) this.padAll(rightRows, false, out)
          expired.push(rightTime)
        }
      }
      this.removeAll(this.rightCache)
    }

    if (this.rightOperatorTime < rightQualifiedUpperBound) {
      // Right rows may still come for this row: buffer it.
      const list = this.leftCache.get(timeForLeftRow)
      const entry: IntervalJoinEntry = { fields: left, emitted }
      if (list === undefined) this.leftCache.put(timeForLeftRow, [entry])
      else {
        list.push(entry)
        this.leftCache.put(timeForLeftRow, list)
      }
      if (this.rightTimerState.value() === undefined) this.registerCleanUpTimer(ctx, timeForLeftRow, true)
    } else if (!emitted && this.leftOuter) out.collect(joinedRow(INSERT, left, p.leftWidth, undefined, p.rightWidth))
  }

  override processElement2(row: Row, ctx: KeyedCoProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    this.updateOperatorTime(ctx)
    const right = row.fields
    const p = this.params
    const timeForRightRow = this.rowtime ? this.timeOf(right, this.rightTimeIndex, 'right') : this.rightOperatorTime
    const leftQualifiedLowerBound = timeForRightRow - this.leftRelativeSize
    const leftQualifiedUpperBound = timeForRightRow + this.rightRelativeSize
    let emitted = false
    const matchable = !hasFilteredNull(right, p.rightKeyIndices, this.nullPositions)

    if (this.leftExpirationTime < leftQualifiedUpperBound) {
      this.leftExpirationTime = this.expirationTime(this.rightOperatorTime, this.leftRelativeSize)
      const exp = this.leftExpirationTime
      const cond = this.condition
      const expired = this.expired
      for (const [leftTime, leftRows] of this.leftCache.entries()) {
        if (matchable && leftTime >= leftQualifiedLowerBound && leftTime <= leftQualifiedUpperBound) {
          let updated = false
          for (let i = 0; i < leftRows.length; i++) {
            const e = leftRows[i]!
            if (!cond(e.fields, right)) continue
            out.collect(joinedRow(INSERT, e.fields, p.leftWidth, right, p.rightWidth))
            emitted = true
            if (this.leftOuter && !e.emitted) {
              e.emitted = true
              updated = true
            }
          }
          if (updated) this.leftCache.put(leftTime, leftRows)
        }
        if (leftTime <= exp) {
          if (this.leftOuter) this.padAll(leftRows, true, out)
          expired.push(leftTime)
        }
      }
      this.removeAll(this.leftCache)
    }

    if (this.leftOperatorTime < leftQualifiedUpperBound) {
      const list = this.rightCache.get(timeForRightRow)
      const entry: IntervalJoinEntry = { fields: right, emitted }
      if (list === undefined) this.rightCache.put(timeForRightRow, [entry])
      else {
        list.push(entry)
        this.rightCache.put(timeForRightRow, list)
      }
      if (this.leftTimerState.value() === undefined) this.registerCleanUpTimer(ctx, timeForRightRow, false)
    } else if (!emitted && this.rightOuter) out.collect(joinedRow(INSERT, undefined, p.leftWidth, right, p.rightWidth))
  }

  override onTimer(timestamp: number, ctx: KeyedCoProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    this.updateOperatorTime(ctx)
    const leftCleanUpTime = this.leftTimerState.value()
    if (leftCleanUpTime !== undefined && timestamp === leftCleanUpTime) {
      this.rightExpirationTime = this.expirationTime(this.leftOperatorTime, this.rightRelativeSize)
      this.removeExpiredRows(out, this.rightExpirationTime, this.rightCache, this.leftTimerState, ctx, false)
    }
    const rightCleanUpTime = this.rightTimerState.value()
    if (rightCleanUpTime !== undefined && timestamp === rightCleanUpTime) {
      this.leftExpirationTime = this.expirationTime(this.rightOperatorTime, this.leftRelativeSize)
      this.removeExpiredRows(out, this.leftExpirationTime, this.leftCache, this.rightTimerState, ctx, true)
    }
  }

  private updateOperatorTime(ctx: KeyedCoProcessFunction.Context<RowKey>): void {
    const ts = ctx.timerService()
    const t = this.rowtime ? ts.currentWatermark() : ts.currentProcessingTime()
    this.leftOperatorTime = t
    this.rightOperatorTime = t
  }

  private timeOf(fields: readonly unknown[], index: number, side: string): number {
    const t = fields[index]
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new SqlRuntimeError(
        `The interval join got a ${side} row whose time attribute (field ${index}) is ${String(t)}, not a timestamp: a rowtime attribute must not be NULL.`,
      )
    return t
  }

  /** The time up to which a cache's rows cannot join anything any more. */
  private expirationTime(operatorTime: number, relativeSize: number): number {
    // +Infinity: the input ended, everything expires.
    return operatorTime === Infinity ? Infinity : operatorTime - relativeSize - this.allowedLateness - 1
  }

  private registerCleanUpTimer(ctx: KeyedCoProcessFunction.Context<RowKey>, rowTime: number, leftRow: boolean): void {
    const cleanUpTime = rowTime + (leftRow ? this.leftRelativeSize : this.rightRelativeSize) + this.minCleanUpInterval + this.allowedLateness + 1
    if (this.rowtime) ctx.timerService().registerEventTimeTimer(cleanUpTime)
    else ctx.timerService().registerProcessingTimeTimer(cleanUpTime)
    ;(leftRow ? this.rightTimerState : this.leftTimerState).update(cleanUpTime)
  }

  private removeExpiredRows(
    out: Collector<Row>,
    expirationTime: number,
    cache: MapState<number, IntervalJoinEntry[]>,
    timerState: ValueState<number>,
    ctx: KeyedCoProcessFunction.OnTimerContext<RowKey>,
    removeLeft: boolean,
  ): void {
    let earliest = Infinity
    const expired = this.expired
    const pad = removeLeft ? this.leftOuter : this.rightOuter
    for (const [rowTime, rows] of cache.entries()) {
      if (rowTime <= expirationTime) {
        if (pad) this.padAll(rows, removeLeft, out)
        expired.push(rowTime)
      } else if (rowTime < earliest) earliest = rowTime
    }
    this.removeAll(cache)
    if (earliest !== Infinity) this.registerCleanUpTimer(ctx, earliest, removeLeft)
    else {
      timerState.clear()
      cache.clear()
    }
  }

  private padAll(rows: readonly IntervalJoinEntry[], isLeft: boolean, out: Collector<Row>): void {
    const p = this.params
    for (let i = 0; i < rows.length; i++) {
      const e = rows[i]!
      if (e.emitted) continue
      out.collect(
        isLeft ? joinedRow(INSERT, e.fields, p.leftWidth, undefined, p.rightWidth) : joinedRow(INSERT, undefined, p.leftWidth, e.fields, p.rightWidth),
      )
    }
  }

  private removeAll(cache: MapState<number, IntervalJoinEntry[]>): void {
    const expired = this.expired
    for (let i = 0; i < expired.length; i++) cache.remove(expired[i]!)
    expired.length = 0
  }
}

/**
 * A keyed two-input operator that runs a function and holds the watermark it forwards back by a
 * fixed delay (Flink's `KeyedCoProcessOperatorWithWatermarkDelay`).
 *
 * @remarks
 * Timers fire with the input watermark; only the forwarded one is delayed, so rows a join emits
 * late (the NULL-padded rows of an interval join) are not late downstream.
 *
 * @category Joins
 * @since 0.1.0
 */
export class KeyedCoProcessOperatorWithWatermarkDelay extends KeyedCoProcessOperator<RowKey, Row, Row, Row> {
  constructor(
    fn: KeyedCoProcessFunction<RowKey, Row, Row, Row>,
    /** How far (ms) the forwarded watermark stays behind the input watermark. */
    readonly watermarkDelay: number,
  ) {
    super(fn)
    if (!(watermarkDelay >= 0)) throw new ConfigError(`A watermark delay must be non-negative, got ${watermarkDelay}.`)
  }

  override processWatermark(watermark: number): void {
    this.ctx.timeServiceManager?.advanceWatermark(watermark)
    this.output.emitWatermark(watermark - this.watermarkDelay)
  }
}

/**
 * The operator factory of an interval join: each subtask runs its own copy of `fn` in a
 * {@link KeyedCoProcessOperatorWithWatermarkDelay} holding the watermark back by
 * `fn.maxOutputDelay`.
 *
 * @remarks
 * Plan it as `left.connect(right).keyBy(...joinKeySelectors(l, r)).transform('IntervalJoin',
 * intervalJoinOperator(fn))`.
 */
export const intervalJoinOperator =
  (fn: IntervalJoinFunction): OperatorFactory<KeyedCoProcessOperatorWithWatermarkDelay> =>
  () => {
    const copy = cloneFunction(fn)
    return new KeyedCoProcessOperatorWithWatermarkDelay(copy, copy.maxOutputDelay)
  }
