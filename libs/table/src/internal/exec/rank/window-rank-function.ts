// Window Top-N and window deduplication on the output of a window TVF (rows carrying window_start
// and window_end), as Flink's WindowRankOperator (WindowRankProcessor, TopNRecordsCombiner) and
// RowTimeWindowDeduplicateOperator: rows are kept per key and window until the watermark passes
// the window's end, then ranked once and emitted as inserts.
import { KeyedProcessFunction, MapStateDescriptor } from '@strom/process'
import type { Collector, Counter, MapState, RuntimeContext } from '@strom/process'
import { ConfigError, InternalError } from '@strom/runtime'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import type { RankType } from './rank-function.js'
import { compileComparator } from './sort-key-comparator.js'
import type { FieldsComparator, SortKeySpec } from './sort-key-comparator.js'
import { insertRow, mayEnterTop, pruneTop } from './sorted-groups.js'
import type { TopNBuffer } from './sorted-groups.js'

/** The metric counting rows dropped as late (their window had fired, or the watermark had passed them). */
export const LATE_RECORDS_DROPPED = 'numLateRecordsDropped'

/**
 * What a window Top-N computes; the planner builds it from a `WindowRankRel` and runs it with
 * `stream.keyBy(keySelectorOf(partitionKeys)).process(new WindowRankFunction(params))`.
 *
 * @remarks
 * The partition keys are the `PARTITION BY` columns without the window columns; the window is
 * the row's `window_end` (rows of one window share it). Ranks as in `RankParams`.
 */
export interface WindowRankParams {
  /** The ranking function. */
  readonly rankType: RankType
  /** The `ORDER BY` of the `OVER` clause. */
  readonly orderKeys: readonly SortKeySpec[]
  /** The first rank in the result. */
  readonly rankStart: number
  /** The last rank in the result. */
  readonly rankEnd: number
  /** Whether the output rows carry their rank as an extra last field (BIGINT). */
  readonly outputRankNumber: boolean
  /** The `window_start` field (kept for the plan's description; the window is identified by its end). */
  readonly windowStartIndex: number
  /** The `window_end` field (epoch milliseconds). */
  readonly windowEndIndex: number
}

/**
 * Window Top-N (`ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY window_start, window_end,
 * p ORDER BY s) <= N` over a window TVF), in event time.
 *
 * @remarks
 * Each row is added to its key's buffer for its window (only the rows that can still be in the
 * top `rankEnd` are kept) and an event-time timer is set at `window_end - 1`. When the watermark
 * reaches it, the window's rows are ranked and those ranked `rankStart..rankEnd` are emitted as
 * `+I` (with the rank as an extra field if asked), with timestamp `window_end - 1`; the window's
 * state is removed. The output is insert-only.
 *
 * A row whose window has already fired (`window_end - 1 <= watermark`) is dropped and counted in
 * the metric `numLateRecordsDropped`. As in Flink the watermark is not part of a checkpoint: right
 * after a restore, until the first watermark arrives, a row of an already fired window is not
 * recognised as late and fires its window again. The input must be insert-only (`+U` counts as
 * an insert, as in Flink; `-U`/`-D` throw).
 */
export class WindowRankFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private readonly cmp: FieldsComparator
  private readonly rowNumber: boolean
  private readonly dense: boolean
  private readonly start: number
  private readonly end: number
  private readonly withNumber: boolean
  private readonly windowEnd: number
  private windows!: MapState<number, TopNBuffer>
  private late!: Counter

  constructor(params: WindowRankParams) {
    super()
    if (!Number.isInteger(params.rankStart) || params.rankStart < 1 || !Number.isInteger(params.rankEnd) || params.rankEnd < params.rankStart)
      throw new ConfigError(`A window Top-N needs 1 <= rank start <= rank end, got ${params.rankStart} to ${params.rankEnd}.`)
    this.cmp = compileComparator(params.orderKeys)
    this.rowNumber = params.rankType === 'ROW_NUMBER'
    this.dense = params.rankType === 'DENSE_RANK'
    this.start = params.rankStart
    this.end = params.rankEnd
    this.withNumber = params.outputRankNumber
    this.windowEnd = params.windowEndIndex
  }

  override open(ctx: RuntimeContext): void {
    this.windows = ctx.getMapState(new MapStateDescriptor<number, TopNBuffer>('window_rank'))
    this.late = ctx.getMetricGroup().counter(LATE_RECORDS_DROPPED)
  }

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    if (row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE) throw notInsertOnly('window rank', row)
    const fields = row.fields
    const we = fields[this.windowEnd] as number
    const timers = ctx.timerService()
    if (we - 1 <= timers.currentWatermark()) {
      this.late.inc()
      return
    }
    let b = this.windows.get(we)
    if (b === undefined) {
      b = { n: 0, g: [] }
      timers.registerEventTimeTimer(we - 1)
    } else if (!mayEnterTop(b, fields, this.cmp, this.rowNumber, this.dense, this.end)) return
    insertRow(b.g, fields, this.cmp)
    b.n++
    pruneTop(b, this.rowNumber, this.dense, this.end)
    this.windows.put(we, b)
  }

  override onTimer(timestamp: number, _ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const we = timestamp + 1
    const b = this.windows.get(we)
    if (b === undefined) return
    const groups = b.g
    const start = this.start
    const end = this.end
    let before = 0
    for (let g = 0; g < groups.length; g++) {
      const grp = groups[g]!
      const groupRank = this.dense ? g + 1 : before + 1
      if (groupRank > end) break
      for (let i = 0; i < grp.length; i++) {
        const rank = this.rowNumber ? before + i + 1 : groupRank
        if (rank > end) break
        if (rank >= start) out.collect({ kind: RowKind.INSERT, fields: this.withNumber ? appendField(grp[i]!, rank) : grp[i]! })
      }
      before += grp.length
    }
    this.windows.remove(we)
  }
}

/**
 * What a window deduplication computes (`ROW_NUMBER() OVER (PARTITION BY window_start,
 * window_end, k ORDER BY rowtime ASC|DESC) = 1` over a window TVF).
 */
export interface WindowDeduplicateParams {
  /** Keep the last row (`ORDER BY rowtime DESC`) rather than the first (`ASC`). */
  readonly keepLast: boolean
  /** The rowtime field (epoch milliseconds). */
  readonly rowtimeIndex: number
  /** The `window_end` field (epoch milliseconds). */
  readonly windowEndIndex: number
  /** Whether the output rows carry their row number (always 1) as an extra last field. */
  readonly outputRankNumber?: boolean
}

/**
 * Window deduplication in event time, as Flink's RowTimeWindowDeduplicateOperator.
 *
 * @remarks
 * Keeps one row per key and window: keep-first replaces the kept row only with a strictly older
 * one (by the rowtime field), keep-last with one at least as recent (so among equal rowtimes the
 * first, respectively the last, to arrive wins). When the watermark reaches `window_end - 1` the
 * kept row is emitted as `+I` (timestamp `window_end - 1`) and the window's state removed; the
 * output is insert-only. Late rows (`window_end - 1 <= watermark`) are dropped and counted in
 * `numLateRecordsDropped`. One value of state per key and window.
 */
export class WindowDeduplicateFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private readonly keepLast: boolean
  private readonly rowtime: number
  private readonly windowEnd: number
  private readonly withNumber: boolean
  private kept!: MapState<number, unknown[]>
  private late!: Counter

  constructor(params: WindowDeduplicateParams) {
    super()
    this.keepLast = params.keepLast
    this.rowtime = params.rowtimeIndex
    this.windowEnd = params.windowEndIndex
    this.withNumber = params.outputRankNumber ?? false
  }

  override open(ctx: RuntimeContext): void {
    this.kept = ctx.getMapState(new MapStateDescriptor<number, unknown[]>('window_deduplicate'))
    this.late = ctx.getMetricGroup().counter(LATE_RECORDS_DROPPED)
  }

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, _out: Collector<Row>): void {
    if (row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE) throw notInsertOnly('window deduplication', row)
    const fields = row.fields
    const we = fields[this.windowEnd] as number
    const timers = ctx.timerService()
    if (we - 1 <= timers.currentWatermark()) {
      this.late.inc()
      return
    }
    const prev = this.kept.get(we)
    if (prev === undefined) {
      timers.registerEventTimeTimer(we - 1)
      this.kept.put(we, fields)
      return
    }
    const t = fields[this.rowtime] as number
    const pt = prev[this.rowtime] as number
    if (this.keepLast ? pt <= t : t < pt) this.kept.put(we, fields)
  }

  override onTimer(timestamp: number, _ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const we = timestamp + 1
    const fields = this.kept.get(we)
    if (fields === undefined) return
    out.collect({ kind: RowKind.INSERT, fields: this.withNumber ? appendField(fields, 1) : fields })
    this.kept.remove(we)
  }
}

const appendField = (fields: readonly unknown[], v: unknown): unknown[] => {
  const n = fields.length
  const out = new Array<unknown>(n + 1)
  for (let i = 0; i < n; i++) out[i] = fields[i]
  out[n] = v
  return out
}

const notInsertOnly = (what: string, row: Row): InternalError =>
  new InternalError(`The ${what} received a ${['+I', '-U', '+U', '-D'][row.kind]} row; it needs an insert-only input.`)
