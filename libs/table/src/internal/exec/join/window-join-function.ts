/**
 * The window join of Flink's SQL runtime (`WindowJoinOperator` and its INNER, OUTER, SEMI and
 * ANTI variants) as a keyed two-input process function.
 *
 * @packageDocumentation
 */
import { KeyedCoProcessFunction, MapStateDescriptor } from '@strom/process'
import type { Collector, Counter, MapState, RuntimeContext } from '@strom/process'
import { InternalError } from '@strom/runtime'
import type { Row, RowKind } from '../../../data/row.js'
import { SqlRuntimeError } from '../../../errors.js'
import type { RowKey } from '../keys.js'
import type { JoinCondition, JoinType } from './join-util.js'
import { ALWAYS, checkIndices, checkWidth, hasFilteredNull, joinedRow, nullFilterPositions } from './join-util.js'

const INSERT = 0 as RowKind

/** The name of the counter of rows dropped for arriving after their window fired. */
export const NUM_LATE_RECORDS_DROPPED = 'numLateRecordsDropped'

/**
 * What the planner gives a window join: both inputs come from the same window table-valued
 * function (TUMBLE, HOP, CUMULATE), so a window is identified by its `window_end`.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface WindowJoinParams {
  /** The join type. */
  readonly joinType: JoinType
  /** The number of fields of the left rows (the width of their NULL padding). */
  readonly leftWidth: number
  /** The number of fields of the right rows. */
  readonly rightWidth: number
  /** The equi-join key fields of the left rows (the inputs are keyed by them). */
  readonly leftKeyIndices: readonly number[]
  /** The equi-join key fields of the right rows, paired by position with the left ones. */
  readonly rightKeyIndices: readonly number[]
  /** The left rows' `window_end` field (epoch ms). */
  readonly leftWindowEndIndex: number
  /** The right rows' `window_end` field (epoch ms). */
  readonly rightWindowEndIndex: number
  /** The rest of the ON clause, if any. */
  readonly condition?: JoinCondition
  /** Per key position, whether NULL never matches (`=`, the default) or matches NULL. */
  readonly filterNullKeys?: readonly boolean[]
  /**
   * For windows over a `TIMESTAMP` (wall-clock) column in a session time zone other than UTC:
   * the epoch ms of a wall-clock time (Flink's `shiftTimeZone`). Absent: window ends are epoch ms.
   */
  readonly toEpochMillis?: (wallClockMillis: number) => number
}

/**
 * The rows of one key and window, both sides, until the window fires.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface WindowJoinBucket {
  left: unknown[][]
  right: unknown[][]
}

/**
 * The window join (Flink's `WindowJoinOperator`): rows of the same key and window join once the
 * watermark passes the window's last millisecond (`window_end - 1`).
 *
 * @remarks
 * Both inputs must be keyed by their join key (see `joinKeySelectors`). Rows are buffered per
 * window in keyed state; when the window fires, the two sides are joined by nested loops
 * (INNER, LEFT, RIGHT, FULL OUTER with NULL padding, SEMI and ANTI emitting left rows) and the
 * window's state is dropped. Output order per window, as in Flink: by left row, then by right
 * row; for RIGHT joins by right row; FULL joins emit the left-driven part, then the unmatched
 * right rows.
 *
 * A row whose window has already fired (the watermark is at or past `window_end - 1`) is
 * dropped and counted in the `numLateRecordsDropped` counter of the operator's metrics.
 *
 * Inputs insert-only (a retraction is a planner bug and fails the job); output insert-only.
 *
 * @category Joins
 * @since 0.1.0
 */
export class WindowJoinFunction extends KeyedCoProcessFunction<RowKey, Row, Row, Row> {
  private readonly nullPositions: readonly number[]
  private readonly condition: JoinCondition
  private windows!: MapState<number, WindowJoinBucket>
  private lateRecordsDropped!: Counter
  /** Reused list of the windows a timer fires. */
  private readonly fired: number[] = []
  /** Reused flags of the right rows a FULL join matched. */
  private readonly matched: boolean[] = []

  constructor(readonly params: WindowJoinParams) {
    super()
    const p = params
    const what = `The ${p.joinType} window join`
    checkWidth(`${what}: the left width`, p.leftWidth)
    checkWidth(`${what}: the right width`, p.rightWidth)
    checkIndices(`${what}: the left key`, p.leftKeyIndices, p.leftWidth)
    checkIndices(`${what}: the right key`, p.rightKeyIndices, p.rightWidth)
    checkIndices(`${what}: the left window_end`, [p.leftWindowEndIndex], p.leftWidth)
    checkIndices(`${what}: the right window_end`, [p.rightWindowEndIndex], p.rightWidth)
    this.nullPositions = nullFilterPositions(what, p.leftKeyIndices, p.rightKeyIndices, p.filterNullKeys)
    this.condition = p.condition ?? ALWAYS
  }

  override open(ctx: RuntimeContext): void {
    this.windows = ctx.getMapState(new MapStateDescriptor<number, WindowJoinBucket>('window-join-records'))
    this.lateRecordsDropped = ctx.getMetricGroup().counter(NUM_LATE_RECORDS_DROPPED)
  }

  override processElement1(row: Row, ctx: KeyedCoProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    this.add(row, true, ctx)
  }

  override processElement2(row: Row, ctx: KeyedCoProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    this.add(row, false, ctx)
  }

  /** The time the window ending at `windowEnd` fires at (its last millisecond, in epoch ms). */
  private triggerTime(windowEnd: number): number {
    const f = this.params.toEpochMillis
    return f === undefined ? windowEnd - 1 : f(windowEnd - 1)
  }

  private add(row: Row, isLeft: boolean, ctx: KeyedCoProcessFunction.Context<RowKey>): void {
    if (row.kind !== INSERT)
      throw new InternalError(
        `The window join got a ${['+I', '-U', '+U', '-D'][row.kind]} row on its ${isLeft ? 'left' : 'right'} input: window joins take insert-only inputs, so the plan is wrong.`,
      )
    const fields = row.fields
    const index = isLeft ? this.params.leftWindowEndIndex : this.params.rightWindowEndIndex
    const end = fields[index]
    if (typeof end !== 'number' || !Number.isFinite(end))
      throw new SqlRuntimeError(
        `The window join got a ${isLeft ? 'left' : 'right'} row whose window_end (field ${index}) is ${String(end)}, not a timestamp.`,
      )
    const trigger = this.triggerTime(end)
    const ts = ctx.timerService()
    if (trigger <= ts.currentWatermark()) {
      this.lateRecordsDropped.inc()
      return
    }
    const bucket = this.windows.get(end)
    if (bucket === undefined) this.windows.put(end, isLeft ? { left: [fields], right: [] } : { left: [], right: [fields] })
    else {
      ;(isLeft ? bucket.left : bucket.right).push(fields)
      this.windows.put(end, bucket)
    }
    ts.registerEventTimeTimer(trigger)
  }

  override onTimer(timestamp: number, _ctx: KeyedCoProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const fired = this.fired
    for (const [end, bucket] of this.windows.entries()) {
      if (this.triggerTime(end) > timestamp) continue
      fired.push(end)
      this.join(bucket.left, bucket.right, out)
    }
    for (let i = 0; i < fired.length; i++) this.windows.remove(fired[i]!)
    fired.length = 0
  }

  private join(left: unknown[][], right: unknown[][], out: Collector<Row>): void {
    const p = this.params
    const lw = p.leftWidth
    const rw = p.rightWidth
    const cond = this.condition
    const nulls = this.nullPositions
    const lk = p.leftKeyIndices
    switch (p.joinType) {
      case 'SEMI':
      case 'ANTI': {
        const anti = p.joinType === 'ANTI'
        for (let i = 0; i < left.length; i++) {
          const l = left[i]!
          let matches = false
          if (!hasFilteredNull(l, lk, nulls))
            for (let j = 0; j < right.length; j++)
              if (cond(l, right[j]!)) {
                matches = true
                break
              }
          if (matches !== anti) out.collect({ kind: INSERT, fields: l })
        }
        return
      }
      case 'INNER':
      case 'LEFT': {
        const outer = p.joinType === 'LEFT'
        for (let i = 0; i < left.length; i++) {
          const l = left[i]!
          let matches = false
          if (!hasFilteredNull(l, lk, nulls))
            for (let j = 0; j < right.length; j++) {
              const r = right[j]!
              if (!cond(l, r)) continue
              out.collect(joinedRow(INSERT, l, lw, r, rw))
              matches = true
            }
          if (outer && !matches) out.collect(joinedRow(INSERT, l, lw, undefined, rw))
        }
        return
      }
      case 'RIGHT': {
        for (let j = 0; j < right.length; j++) {
          const r = right[j]!
          let matches = false
          if (!hasFilteredNull(r, p.rightKeyIndices, nulls))
            for (let i = 0; i < left.length; i++) {
              const l = left[i]!
              if (!cond(l, r)) continue
              out.collect(joinedRow(INSERT, l, lw, r, rw))
              matches = true
            }
          if (!matches) out.collect(joinedRow(INSERT, undefined, lw, r, rw))
        }
        return
      }
      case 'FULL': {
        const matched = this.matched
        for (let j = 0; j < right.length; j++) matched[j] = false
        for (let i = 0; i < left.length; i++) {
          const l = left[i]!
          let matches = false
          if (!hasFilteredNull(l, lk, nulls))
            for (let j = 0; j < right.length; j++) {
              const r = right[j]!
              if (!cond(l, r)) continue
              out.collect(joinedRow(INSERT, l, lw, r, rw))
              matches = true
              matched[j] = true
            }
          if (!matches) out.collect(joinedRow(INSERT, l, lw, undefined, rw))
        }
        for (let j = 0; j < right.length; j++) if (!matched[j]) out.collect(joinedRow(INSERT, undefined, lw, right[j]!, rw))
        matched.length = 0
      }
    }
  }
}
