// OVER aggregation: `agg(...) OVER (PARTITION BY p ORDER BY t ROWS|RANGE BETWEEN n|UNBOUNDED
// PRECEDING AND CURRENT ROW)`, as Flink's RowTime{Rows,Range}{Bounded,Unbounded}PrecedingFunction
// and ProcTime{Rows,Range}BoundedPrecedingFunction / ProcTimeUnboundedPrecedingFunction.
import { KeyedProcessFunction, MapStateDescriptor, ValueStateDescriptor } from '@strom/process'
import type { Collector, Counter, MapState, RuntimeContext, ValueState } from '@strom/process'
import { ConfigError, InternalError } from '@strom/runtime'
import type { AggsHandle } from '../../../aggregate/aggregate-call.js'
import { ChangelogModes, RowKind } from '../../../data/row.js'
import type { ChangelogMode, Row } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { LATE_RECORDS_DROPPED, validateOverAggParams } from './over-params.js'
import type { OverAggParams } from './over-params.js'
import { emptyFrame, framePush, frameShift, frameSize } from './frame.js'
import type { FrameRows } from './frame.js'
import { OrderedOverFunction } from './ordered-over-function.js'

export { LATE_RECORDS_DROPPED } from './over-params.js'
export type { OverAggParams, OverFrameSpec } from './over-params.js'

/**
 * The frame logic shared by the insert-only OVER functions: the accumulators of the current frame
 * and, for bounded frames, the rows in it, per partition.
 */
abstract class InsertOnlyOverFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  protected readonly aggs: AggsHandle
  protected readonly isRows: boolean
  protected readonly bounded: boolean
  protected readonly preceding: number
  protected readonly retractable: boolean
  /** The number of aggregates. */
  private readonly width: number
  protected accState!: ValueState<unknown[]>
  protected frameState!: ValueState<FrameRows>

  constructor(params: OverAggParams) {
    super()
    validateOverAggParams(params)
    this.aggs = params.aggs
    this.isRows = params.frame.unit === 'ROWS'
    this.bounded = params.frame.preceding !== undefined
    this.preceding = params.frame.preceding ?? Infinity
    this.retractable = params.aggs.retractable
    this.width = params.aggs.createAccumulators().length
  }

  override open(ctx: RuntimeContext): void {
    this.accState = ctx.getState(new ValueStateDescriptor<unknown[]>('accState'))
    if (this.bounded) this.frameState = ctx.getState(new ValueStateDescriptor<FrameRows>('inputState'))
  }

  protected notInsertOnly(row: Row): InternalError {
    return new InternalError(
      `The OVER aggregation received a ${['+I', '-U', '+U', '-D'][row.kind]} row on its insert-only path; the planner must choose the ordered OVER function for an updating input.`,
    )
  }

  /**
   * Processes rows that share the order time `ts`, oldest first: with `ROWS` each row gets the
   * aggregate of its own frame; with `RANGE` they are peers and all get the aggregate of the frame
   * that includes all of them.
   */
  protected processBatch(ts: number, rows: readonly unknown[][], out: Collector<Row>): void {
    const aggs = this.aggs
    let accs = this.accState.value()
    if (accs === undefined) accs = aggs.createAccumulators()
    if (!this.bounded) {
      if (this.isRows) {
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!
          aggs.accumulate(accs, r)
          out.collect({ kind: RowKind.INSERT, fields: this.output(r, accs) })
        }
      } else {
        for (let i = 0; i < rows.length; i++) aggs.accumulate(accs, rows[i]!)
        for (let i = 0; i < rows.length; i++) out.collect({ kind: RowKind.INSERT, fields: this.output(rows[i]!, accs) })
      }
      this.accState.update(accs)
      return
    }
    let frame = this.frameState.value()
    if (frame === undefined) frame = emptyFrame()
    const retractable = this.retractable
    if (this.isRows) {
      const max = this.preceding + 1
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!
        framePush(frame, ts, r)
        while (frameSize(frame) > max) {
          const old = frameShift(frame)
          if (retractable) aggs.retract(accs, old)
        }
        if (retractable) aggs.accumulate(accs, r)
        else accs = this.recompute(frame)
        out.collect({ kind: RowKind.INSERT, fields: this.output(r, accs) })
      }
    } else {
      this.evictOlderThan(frame, accs, ts - this.preceding)
      for (let i = 0; i < rows.length; i++) {
        framePush(frame, ts, rows[i]!)
        if (retractable) aggs.accumulate(accs, rows[i]!)
      }
      if (!retractable) accs = this.recompute(frame)
      for (let i = 0; i < rows.length; i++) out.collect({ kind: RowKind.INSERT, fields: this.output(rows[i]!, accs) })
    }
    this.frameState.update(frame)
    if (retractable) this.accState.update(accs)
  }

  /** The output row: the input fields, then the aggregates' current values. */
  private output(fields: readonly unknown[], accs: readonly unknown[]): unknown[] {
    const n = fields.length
    const out = new Array<unknown>(n + this.width)
    for (let i = 0; i < n; i++) out[i] = fields[i]
    this.aggs.writeValues(accs, out, n)
    return out
  }

  /** Evicts (and retracts) the frame's rows with a time before `limit`. */
  protected evictOlderThan(frame: FrameRows, accs: unknown[], limit: number): void {
    const aggs = this.aggs
    while (frameSize(frame) > 0 && frame.ts[frame.head]! < limit) {
      const old = frameShift(frame)
      if (this.retractable) aggs.retract(accs, old)
    }
  }

  /** For `RANGE` frames: drops the rows no future row's frame can contain (an idle partition's state goes away). */
  protected cleanupRange(limit: number): void {
    const frame = this.frameState.value()
    if (frame === undefined) return
    let accs = this.accState.value()
    if (accs === undefined) accs = this.aggs.createAccumulators()
    this.evictOlderThan(frame, accs, limit)
    if (frameSize(frame) === 0) {
      this.frameState.clear()
      this.accState.clear()
    } else {
      this.frameState.update(frame)
      if (this.retractable) this.accState.update(accs)
    }
  }

  /** The accumulators of the frame's rows, computed afresh (for aggregates that cannot retract). */
  private recompute(frame: FrameRows): unknown[] {
    const aggs = this.aggs
    const accs = aggs.createAccumulators()
    for (let i = frame.head; i < frame.rows.length; i++) aggs.accumulate(accs, frame.rows[i]!)
    return accs
  }
}

/**
 * OVER aggregation ordered by an event-time attribute, over an insert-only input.
 *
 * @remarks
 * Rows are kept per partition and timestamp until the watermark reaches their timestamp (an
 * event-time timer per partition and timestamp), then processed in timestamp order, rows of one
 * timestamp in arrival order: with `ROWS` each row gets the aggregate over itself and the `n`
 * rows before it; with `RANGE` the rows of one timestamp are peers, and all get the aggregate
 * over the rows with a timestamp in `[t - n, t]`. Output: input fields ++ aggregates, `+I` only,
 * with the timestamp of the timer (the row's rowtime).
 *
 * Late rows, whose rowtime is at or behind the watermark (or, right after a restore, at or
 * behind the last timestamp processed for the partition), are dropped and counted in
 * `numLateRecordsDropped`. (Flink's bounded variants drop only rows at or behind the partition's
 * last processed timestamp; Strom drops every row behind the watermark, which also lets it clean
 * up exactly.) A row whose rowtime is NULL is dropped as late.
 *
 * State per partition: the waiting rows, the accumulators, and for bounded frames the rows in
 * the frame; a `RANGE` frame's rows are dropped by a timer once no later row can see them.
 */
export class RowTimeOverFunction extends InsertOnlyOverFunction {
  private readonly timeIndex: number
  private pending!: MapState<number, unknown[][]>
  private lastTs!: ValueState<number>
  private late!: Counter

  constructor(params: OverAggParams) {
    super(params)
    if (params.order !== 'ROWTIME') throw new ConfigError('RowTimeOverFunction needs order ROWTIME.')
    this.timeIndex = params.orderKey!.index
  }

  override open(ctx: RuntimeContext): void {
    super.open(ctx)
    this.pending = ctx.getMapState(new MapStateDescriptor<number, unknown[][]>('pendingState'))
    this.lastTs = ctx.getState(new ValueStateDescriptor<number>('lastTriggeringTsState'))
    this.late = ctx.getMetricGroup().counter(LATE_RECORDS_DROPPED)
  }

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    if (row.kind !== RowKind.INSERT) throw this.notInsertOnly(row)
    const fields = row.fields
    const ts = fields[this.timeIndex] as number | null
    const timers = ctx.timerService()
    if (ts === null || ts === undefined || ts <= timers.currentWatermark()) {
      this.late.inc()
      return
    }
    const last = this.lastTs.value()
    if (last !== undefined && ts <= last) {
      this.late.inc()
      return
    }
    const rows = this.pending.get(ts)
    if (rows === undefined) {
      this.pending.put(ts, [fields])
      timers.registerEventTimeTimer(ts)
    } else {
      rows.push(fields)
      this.pending.put(ts, rows)
    }
  }

  override onTimer(timestamp: number, ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const rows = this.pending.get(timestamp)
    if (rows === undefined) {
      // a RANGE frame's cleanup timer
      if (this.bounded && !this.isRows) this.cleanupRange(timestamp - this.preceding)
      return
    }
    this.pending.remove(timestamp)
    this.processBatch(timestamp, rows, out)
    this.lastTs.update(timestamp)
    if (this.bounded && !this.isRows) ctx.timerService().registerEventTimeTimer(timestamp + this.preceding + 1)
  }
}

/**
 * OVER aggregation ordered by processing time, over an insert-only input.
 *
 * @remarks
 * `ROWS` frames and unbounded frames (`RANGE UNBOUNDED PRECEDING` is processed as `ROWS`, as in
 * Flink) are computed on arrival: each row gets the aggregate over itself and the rows before it
 * in arrival order. A bounded `RANGE` frame waits for the end of the current millisecond (a
 * processing-time timer at `now + 1`): the rows that arrived in that millisecond are peers, and
 * all get the aggregate over the rows that arrived in `[now - n, now]`. Output: input fields ++
 * aggregates, `+I` only.
 */
export class ProcTimeOverFunction extends InsertOnlyOverFunction {
  private pending!: MapState<number, unknown[][]>

  constructor(params: OverAggParams) {
    super(params)
    if (params.order !== 'PROCTIME') throw new ConfigError('ProcTimeOverFunction needs order PROCTIME.')
  }

  override open(ctx: RuntimeContext): void {
    super.open(ctx)
    if (this.bounded && !this.isRows) this.pending = ctx.getMapState(new MapStateDescriptor<number, unknown[][]>('inputState-pending'))
  }

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    if (row.kind !== RowKind.INSERT) throw this.notInsertOnly(row)
    const timers = ctx.timerService()
    const now = timers.currentProcessingTime()
    if (this.isRows || !this.bounded) {
      this.single[0] = row.fields
      this.processBatch(now, this.single, out)
      return
    }
    const rows = this.pending.get(now)
    if (rows === undefined) {
      this.pending.put(now, [row.fields])
      timers.registerProcessingTimeTimer(now + 1)
    } else {
      rows.push(row.fields)
      this.pending.put(now, rows)
    }
  }

  /** A reused one-row batch. */
  private readonly single: unknown[][] = [[]]

  override onTimer(timestamp: number, ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const now = timestamp - 1
    const rows = this.pending.get(now)
    if (rows === undefined) {
      this.cleanupRange(now - this.preceding)
      return
    }
    this.pending.remove(now)
    this.processBatch(now, rows, out)
    // once processing time passes now + n, no later row's frame contains these rows
    ctx.timerService().registerProcessingTimeTimer(now + this.preceding + 2)
  }
}

/**
 * The OVER function for these parameters: {@link RowTimeOverFunction} or
 * {@link ProcTimeOverFunction} for an insert-only input ordered by time (Flink's operators), and
 * {@link OrderedOverFunction} for an updating input or an order by any column.
 *
 * @throws ConfigError when the frame or the order key is invalid
 */
export const createOverAggFunction = (params: OverAggParams): KeyedProcessFunction<RowKey, Row, Row> => {
  if (!params.inputInsertOnly || params.order === 'FIELD') return new OrderedOverFunction(params)
  return params.order === 'ROWTIME' ? new RowTimeOverFunction(params) : new ProcTimeOverFunction(params)
}

/** The changelog mode of an OVER aggregation's output: insert-only, or a retract changelog for {@link OrderedOverFunction}. */
export const overAggChangelogMode = (params: OverAggParams): ChangelogMode =>
  !params.inputInsertOnly || params.order === 'FIELD' ? ChangelogModes.ALL : ChangelogModes.INSERT_ONLY

