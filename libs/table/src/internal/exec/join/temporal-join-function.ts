/**
 * The event-time temporal join of Flink's SQL runtime (`TemporalRowTimeJoinOperatorV2`) as a keyed
 * two-input process function.
 *
 * @packageDocumentation
 */
import { KeyedCoProcessFunction, MapStateDescriptor, TimeDomain, ValueStateDescriptor } from '@strom/process'
import type { Collector, Counter, MapState, RuntimeContext, ValueState } from '@strom/process'
import { ConfigError } from '@strom/runtime'
import type { Row, RowKind } from '../../../data/row.js'
import { SqlRuntimeError } from '../../../errors.js'
import type { RowKey } from '../keys.js'
import type { JoinCondition } from './join-util.js'
import { ALWAYS, checkIndices, checkWidth, hasFilteredNull, joinedRow, nullFilterPositions } from './join-util.js'
import { NUM_LATE_RECORDS_DROPPED } from './window-join-function.js'

const UPDATE_BEFORE = 1 as RowKind
const DELETE = 3 as RowKind

const ascending = (a: number, b: number): number => a - b

/**
 * What the planner gives an event-time temporal join: `probe [LEFT] JOIN versioned FOR
 * SYSTEM_TIME AS OF probe.rowtime ON probe.k = versioned.k`.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface TemporalJoinParams {
  /** INNER or LEFT. */
  readonly joinType: 'INNER' | 'LEFT'
  /** The number of fields of the probe (left) rows. */
  readonly leftWidth: number
  /** The number of fields of the versioned (right) rows (the width of their NULL padding). */
  readonly rightWidth: number
  /** The equi-join key fields of the probe rows (the inputs are keyed by them). */
  readonly leftKeyIndices: readonly number[]
  /**
   * The equi-join key fields of the versioned rows, paired with the probe's; they contain the
   * versioned table's primary key, so a key has one version at a time.
   */
  readonly rightKeyIndices: readonly number[]
  /** The probe row's rowtime field (epoch ms). */
  readonly leftTimeIndex: number
  /** The versioned row's rowtime field (epoch ms): from when the version is valid. */
  readonly rightTimeIndex: number
  /** The rest of the ON clause, if any, checked against the version found. */
  readonly condition?: JoinCondition
  /** Per key position, whether NULL never matches (`=`, the default) or matches NULL. */
  readonly filterNullKeys?: readonly boolean[]
  /**
   * Idle state retention (ms of processing time): a key's state is dropped after between this
   * and 1.5 times this without input (Flink's `table.exec.state.ttl` for temporal joins). Absent:
   * never.
   */
  readonly stateRetentionMs?: number
}

/**
 * The event-time temporal join (Flink's `TemporalRowTimeJoinOperatorV2`): each probe row joins
 * the version of the versioned table valid at the probe row's time, once the watermark says that
 * version can no longer change.
 *
 * @remarks
 * Both inputs must be keyed by the join key. The versioned side is a changelog of the table
 * keyed by its primary key; each row is the version valid from its rowtime on (a later row with
 * the same rowtime replaces it; a `-D` means no version from then on). `-U` rows are ignored:
 * the `+U` that follows carries the new version (Flink's planner sends this side as an upsert
 * stream; storing a `-U` at its own rowtime would hide the version it retracts).
 *
 * Probe rows are buffered until the watermark (the minimum of both inputs') reaches their time;
 * then, in arrival order, each joins the latest version with rowtime <= its own, if that version
 * is not a deletion and the condition holds; a LEFT join pads the others with NULLs. Results carry
 * the probe row's kind (insert-only probe, insert-only output).
 *
 * A probe row that arrives at or behind the watermark is dropped and counted in the
 * `numLateRecordsDropped` counter (its version may already be cleaned up). State cleanup: once
 * the watermark passes, only the latest version at or before it and the newer ones stay; one
 * event-time timer per key (the earliest pending time) drives emission and cleanup.
 *
 * @category Joins
 * @since 0.1.0
 */
export class TemporalJoinFunction extends KeyedCoProcessFunction<RowKey, Row, Row, Row> {
  private readonly leftOuter: boolean
  private readonly nullPositions: readonly number[]
  private readonly condition: JoinCondition
  private readonly minRetention: number
  private readonly maxRetention: number

  private nextLeftIndex!: ValueState<number>
  private leftState!: MapState<number, Row>
  private rightState!: MapState<number, Row>
  private registeredTimer!: ValueState<number>
  private cleanupTimer!: ValueState<number>
  private lateRecordsDropped!: Counter
  /** Reused: the versions of the key sorted by rowtime, per firing. */
  private readonly sorted: Row[] = []
  /** Reused: the arrival indices of the probe rows a firing emits. */
  private readonly due: number[] = []
  private readonly byRightTime: (a: Row, b: Row) => number

  constructor(readonly params: TemporalJoinParams) {
    super()
    const p = params
    const what = `The ${p.joinType} temporal join`
    checkWidth(`${what}: the left width`, p.leftWidth)
    checkWidth(`${what}: the right width`, p.rightWidth)
    checkIndices(`${what}: the left key`, p.leftKeyIndices, p.leftWidth)
    checkIndices(`${what}: the right key`, p.rightKeyIndices, p.rightWidth)
    checkIndices(`${what}: the left time attribute`, [p.leftTimeIndex], p.leftWidth)
    checkIndices(`${what}: the right time attribute`, [p.rightTimeIndex], p.rightWidth)
    const ret = p.stateRetentionMs
    if (ret !== undefined && !(ret > 0 && Number.isFinite(ret)))
      throw new ConfigError(`${what}: the state retention must be a positive number of ms, got ${ret}.`)
    this.leftOuter = p.joinType === 'LEFT'
    this.nullPositions = nullFilterPositions(what, p.leftKeyIndices, p.rightKeyIndices, p.filterNullKeys)
    this.condition = p.condition ?? ALWAYS
    this.minRetention = ret ?? 0
    this.maxRetention = ret === undefined ? 0 : Math.floor((ret * 3) / 2)
    const ti = p.rightTimeIndex
    this.byRightTime = (a, b) => (a.fields[ti] as number) - (b.fields[ti] as number)
  }

  override open(ctx: RuntimeContext): void {
    this.nextLeftIndex = ctx.getState(new ValueStateDescriptor<number>('next-index'))
    this.leftState = ctx.getMapState(new MapStateDescriptor<number, Row>('left'))
    this.rightState = ctx.getMapState(new MapStateDescriptor<number, Row>('right'))
    this.registeredTimer = ctx.getState(new ValueStateDescriptor<number>('timer'))
    this.cleanupTimer = ctx.getState(new ValueStateDescriptor<number>('cleanup-timer'))
    this.lateRecordsDropped = ctx.getMetricGroup().counter(NUM_LATE_RECORDS_DROPPED)
  }

  override processElement1(row: Row, ctx: KeyedCoProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    const t = this.timeOf(row.fields, this.params.leftTimeIndex, 'probe')
    const ts = ctx.timerService()
    if (t <= ts.currentWatermark()) {
      this.lateRecordsDropped.inc()
      return
    }
    const index = this.nextLeftIndex.value() ?? 0
    this.nextLeftIndex.update(index + 1)
    this.leftState.put(index, row)
    this.registerSmallestTimer(t, ctx)
    this.registerProcessingCleanupTimer(ctx)
  }

  override processElement2(row: Row, ctx: KeyedCoProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    if (row.kind === UPDATE_BEFORE) return
    const t = this.timeOf(row.fields, this.params.rightTimeIndex, 'versioned')
    this.rightState.put(t, row)
    this.registerSmallestTimer(t, ctx)
    this.registerProcessingCleanupTimer(ctx)
  }

  override onTimer(timestamp: number, ctx: KeyedCoProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    if (ctx.timeDomain() === TimeDomain.PROCESSING_TIME) {
      // Idle state retention: the key saw no input for long enough.
      if (this.cleanupTimer.value() === timestamp) {
        this.leftState.clear()
        this.rightState.clear()
        this.nextLeftIndex.clear()
        this.registeredTimer.clear()
        this.cleanupTimer.clear()
      }
      return
    }
    const ts = ctx.timerService()
    this.registeredTimer.clear()
    const lastUnprocessedTime = this.emitResultAndCleanUpState(ts.currentWatermark(), out)
    if (lastUnprocessedTime < Infinity) {
      this.registeredTimer.update(lastUnprocessedTime)
      ts.registerEventTimeTimer(lastUnprocessedTime)
    }
    if (this.maxRetention > 0) {
      if (lastUnprocessedTime < Infinity || !this.rightState.isEmpty()) this.registerProcessingCleanupTimer(ctx)
      else {
        const c = this.cleanupTimer.value()
        if (c !== undefined) {
          ts.deleteProcessingTimeTimer(c)
          this.cleanupTimer.clear()
        }
        this.nextLeftIndex.clear()
      }
    }
  }

  /** Emits the probe rows at or before the watermark; returns the earliest time still pending. */
  private emitResultAndCleanUpState(watermark: number, out: Collector<Row>): number {
    const p = this.params
    const sorted = this.sorted
    for (const r of this.rightState.values()) sorted.push(r)
    sorted.sort(this.byRightTime)

    let lastUnprocessedTime = Infinity
    const due = this.due
    const lt = p.leftTimeIndex
    for (const [index, row] of this.leftState.entries()) {
      const t = row.fields[lt] as number
      if (t <= watermark) due.push(index)
      else if (t < lastUnprocessedTime) lastUnprocessedTime = t
    }
    // Arrival order.
    due.sort(ascending)
    const cond = this.condition
    for (let i = 0; i < due.length; i++) {
      const index = due[i]!
      const left = this.leftState.get(index)!
      this.leftState.remove(index)
      const version = hasFilteredNull(left.fields, p.leftKeyIndices, this.nullPositions)
        ? undefined
        : this.versionAt(sorted, left.fields[lt] as number)
      if (version !== undefined && version.kind !== DELETE && cond(left.fields, version.fields))
        out.collect(joinedRow(left.kind, left.fields, p.leftWidth, version.fields, p.rightWidth))
      else if (this.leftOuter) out.collect(joinedRow(left.kind, left.fields, p.leftWidth, undefined, p.rightWidth))
    }
    due.length = 0

    // Keep the latest version at or before the watermark and every newer one.
    const rt = p.rightTimeIndex
    let firstNewer = sorted.length
    for (let i = 0; i < sorted.length; i++)
      if ((sorted[i]!.fields[rt] as number) > watermark) {
        firstNewer = i
        break
      }
    for (let i = 0; i < firstNewer - 1; i++) this.rightState.remove(sorted[i]!.fields[rt] as number)
    sorted.length = 0
    return lastUnprocessedTime
  }

  /** The latest version with rowtime <= t (binary search over the sorted versions). */
  private versionAt(sorted: readonly Row[], t: number): Row | undefined {
    const rt = this.params.rightTimeIndex
    let lo = 0
    let hi = sorted.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const mt = sorted[mid]!.fields[rt] as number
      if (mt < t) lo = mid + 1
      else if (mt > t) hi = mid - 1
      else return sorted[mid]
    }
    return lo === 0 ? undefined : sorted[lo - 1]
  }

  private registerSmallestTimer(t: number, ctx: KeyedCoProcessFunction.Context<RowKey>): void {
    const current = this.registeredTimer.value()
    const ts = ctx.timerService()
    if (current === undefined || current > t) {
      if (current !== undefined) ts.deleteEventTimeTimer(current)
      this.registeredTimer.update(t)
      ts.registerEventTimeTimer(t)
    }
  }

  private registerProcessingCleanupTimer(ctx: KeyedCoProcessFunction.Context<RowKey>): void {
    if (this.maxRetention <= 0) return
    const ts = ctx.timerService()
    const now = ts.currentProcessingTime()
    const current = this.cleanupTimer.value()
    if (current === undefined || now + this.minRetention > current) {
      if (current !== undefined) ts.deleteProcessingTimeTimer(current)
      const at = now + this.maxRetention
      ts.registerProcessingTimeTimer(at)
      this.cleanupTimer.update(at)
    }
  }

  private timeOf(fields: readonly unknown[], index: number, side: string): number {
    const t = fields[index]
    if (typeof t !== 'number' || !Number.isFinite(t))
      throw new SqlRuntimeError(
        `The temporal join got a ${side} row whose time attribute (field ${index}) is ${String(t)}, not a timestamp: a rowtime attribute must not be NULL.`,
      )
    return t
  }
}
