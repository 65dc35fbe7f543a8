// OVER aggregation over an updating input (or ordered by any column): Strom's extension of
// Flink's NonTime{Rows,Range}UnboundedPrecedingFunction to every frame. Each partition's rows are
// kept in order; a change re-emits the results of the rows whose frame contains the changed row.
import { KeyedProcessFunction, ValueStateDescriptor } from '@strom/process'
import type { Collector, Counter, RuntimeContext, ValueState } from '@strom/process'
import type { AggsHandle } from '../../../aggregate/aggregate-call.js'
import { RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { fieldsEqual } from '../rank/row-equality.js'
import { compareValues } from '../rank/sort-key-comparator.js'
import { concatFields, validateOverAggParams } from './over-params.js'
import type { OverAggParams } from './over-params.js'

/** The metric counting retractions of rows that the partition does not hold (ignored). */
export const RETRACTED_ROWS_NOT_FOUND = 'numRetractedRowsNotFound'

/**
 * One partition of an {@link OrderedOverFunction}: its rows in order (by order value, then
 * arrival), each with its order value and the aggregate values last emitted for it.
 */
interface OrderedRows {
  /** The order value of each row (the order column, or the processing time of arrival). */
  keys: unknown[]
  rows: unknown[][]
  /** The aggregate values last emitted for each row. */
  outs: unknown[][]
  /** For unbounded frames: the accumulators over all rows, or null when they must be rebuilt. */
  tail: unknown[] | null
}

/**
 * OVER aggregation whose input may contain updates and deletions (Flink rejects it), or ordered
 * by any column: each partition's rows are kept ordered, and every change corrects the results
 * it affects, so the output is a retract changelog.
 *
 * @remarks
 * Order: by the `orderKey` column (`ROWTIME`, `FIELD`; NULLs as `nullsFirst` says), or by the
 * processing time of arrival (`PROCTIME`); rows with equal order values are ordered by arrival.
 * Rows are processed on arrival, without waiting for a watermark, and nothing is late.
 *
 * - `+I`/`+U` insert the row at its place and emit it (same kind) with the aggregate over its
 *   frame; each later row whose frame now contains it (the next `n` rows for `ROWS n`, every
 *   later row for `UNBOUNDED`, the peers and rows within `n` after for `RANGE`) is re-emitted as
 *   `-U(row ++ old values)`, `+U(row ++ new values)` when its values changed.
 * - `-U`/`-D` take back the first held row equal to the input (field by field), emit it with
 *   its last values (same kind), and re-emit the rows whose frame contained it. Retracting a row
 *   that is not held is ignored and counted in `numRetractedRowsNotFound`.
 *
 * Peers (`RANGE`) see each other: all rows with equal order values get the aggregate over the
 * frame that ends with the last of them. A `RANGE n PRECEDING` frame needs a numeric (or
 * temporal) order column: a row's frame is the rows ordered before it or peers whose order value
 * is at most `n` away.
 *
 * Cost: a binary search and an array insert per change, plus the work for the affected rows:
 * with unbounded frames, appending at the end is O(1), a change in the middle is O(rows after
 * it) when the aggregates can retract (O(partition) otherwise); bounded frames cost O(n +
 * affected rows). State: every row of the partition with its last values (any row may be
 * retracted later).
 */
export class OrderedOverFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private readonly aggs: AggsHandle
  private readonly isRows: boolean
  private readonly bounded: boolean
  private readonly preceding: number
  private readonly retractable: boolean
  private readonly proctime: boolean
  private readonly orderIndex: number
  private readonly sign: number
  private readonly nullsFirst: boolean
  private state!: ValueState<OrderedRows>
  private notFound!: Counter

  constructor(params: OverAggParams) {
    super()
    validateOverAggParams(params)
    this.aggs = params.aggs
    this.isRows = params.frame.unit === 'ROWS'
    this.bounded = params.frame.preceding !== undefined
    this.preceding = params.frame.preceding ?? Infinity
    this.retractable = params.aggs.retractable
    this.proctime = params.order === 'PROCTIME'
    const key = params.orderKey
    this.orderIndex = key?.index ?? -1
    this.sign = key?.direction === 'DESC' ? -1 : 1
    this.nullsFirst = key?.nullsFirst ?? true
  }

  override open(ctx: RuntimeContext): void {
    this.state = ctx.getState(new ValueStateDescriptor<OrderedRows>('orderedRowsState'))
    this.notFound = ctx.getMetricGroup().counter(RETRACTED_ROWS_NOT_FOUND)
  }

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    const fields = row.fields
    const kind = row.kind
    let s = this.state.value()
    if (kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER) {
      if (s === undefined) s = { keys: [], rows: [], outs: [], tail: this.bounded ? null : this.aggs.createAccumulators() }
      const v = this.proctime ? ctx.timerService().currentProcessingTime() : fields[this.orderIndex]
      this.insert(s, v, fields, kind, out)
      this.state.update(s)
    } else {
      if (s === undefined) {
        this.notFound.inc()
        return
      }
      const i = this.indexOf(s, fields)
      if (i < 0) {
        this.notFound.inc()
        return
      }
      this.remove(s, i, kind, out)
      if (s.rows.length === 0) this.state.clear()
      else this.state.update(s)
    }
  }

  // ------------------------------------------------------------------------------------------
  // order

  /** Compares two order values (NULL placed by `nullsFirst`, the rest by direction). */
  private cmp(a: unknown, b: unknown): number {
    if (a === null || a === undefined) return b === null || b === undefined ? 0 : this.nullsFirst ? -1 : 1
    if (b === null || b === undefined) return this.nullsFirst ? 1 : -1
    if (typeof a === 'number' && typeof b === 'number') return a < b ? -this.sign : a > b ? this.sign : a === b ? 0 : this.sign * compareValues(a, b)
    return this.sign * compareValues(a, b)
  }

  /** The first index whose order value is greater than `v` (`after`) or not less than `v`. */
  private bound(keys: readonly unknown[], v: unknown, after: boolean): number {
    let lo = 0
    let hi = keys.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const c = this.cmp(keys[mid], v)
      if (c < 0 || (after && c === 0)) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Whether order value `k` is within `preceding` of `v` (a RANGE frame's reach). */
  private near(k: unknown, v: unknown): boolean {
    if (typeof k === 'number' && typeof v === 'number') return Math.abs(k - v) <= this.preceding
    return this.cmp(k, v) === 0
  }

  private indexOf(s: OrderedRows, fields: readonly unknown[]): number {
    const rows = s.rows
    if (this.proctime) {
      // the arrival time of the row is unknown: search from the newest
      for (let i = rows.length - 1; i >= 0; i--) if (fieldsEqual(rows[i]!, fields)) return i
      return -1
    }
    const v = fields[this.orderIndex]
    const keys = s.keys
    for (let i = this.bound(keys, v, false); i < keys.length && this.cmp(keys[i], v) === 0; i++) if (fieldsEqual(rows[i]!, fields)) return i
    return -1
  }

  // ------------------------------------------------------------------------------------------
  // changes

  private insert(s: OrderedRows, v: unknown, fields: unknown[], kind: RowKind, out: Collector<Row>): void {
    const keys = s.keys
    const pos = this.bound(keys, v, true)
    const n = keys.length
    if (pos === n) {
      keys.push(v)
      s.rows.push(fields)
      s.outs.push(EMPTY)
    } else {
      keys.splice(pos, 0, v)
      s.rows.splice(pos, 0, fields)
      s.outs.splice(pos, 0, EMPTY)
    }
    const len = n + 1
    let from: number
    let to: number
    if (this.isRows) {
      from = pos
      to = this.bounded ? Math.min(len, pos + this.preceding + 1) : len
    } else {
      from = this.bound(keys, v, false)
      to = this.bounded ? this.rangeEnd(keys, from, v) : len
    }
    // the accumulators of the unbounded frames: those of every row but the new one
    this.recompute(s, from, to, pos, kind, fields, true, out)
  }

  private remove(s: OrderedRows, i: number, kind: RowKind, out: Collector<Row>): void {
    const keys = s.keys
    const v = keys[i]
    const fields = s.rows[i]!
    out.collect({ kind, fields: concatFields(fields, s.outs[i]!) })
    keys.splice(i, 1)
    s.rows.splice(i, 1)
    s.outs.splice(i, 1)
    const len = keys.length
    let from: number
    let to: number
    if (this.isRows) {
      from = i
      to = this.bounded ? Math.min(len, i + this.preceding) : len
    } else {
      from = this.bound(keys, v, false)
      to = this.bounded ? this.rangeEnd(keys, from, v) : len
    }
    this.recompute(s, from, to, -1, kind, fields, false, out)
  }

  /** The end of the rows at or after `from` whose RANGE frame reaches back to order value `v`. */
  private rangeEnd(keys: readonly unknown[], from: number, v: unknown): number {
    let j = from
    while (j < keys.length && this.near(keys[j], v)) j++
    return j
  }

  /**
   * Computes the values of rows `[from, to)` after a change, emitting the new row (`changed`, for
   * an insertion) with `kind` and the others as `-U`/`+U` when their values changed. `fields` is
   * the inserted or removed row; `inserted` tells which, for keeping the tail accumulators.
   */
  private recompute(s: OrderedRows, from: number, to: number, changed: number, kind: RowKind, fields: unknown[], inserted: boolean, out: Collector<Row>): void {
    if (this.bounded) {
      if (this.isRows) this.recomputeRows(s, from, to, changed, kind, out)
      else this.recomputeRange(s, from, to, changed, kind, out)
      return
    }
    // unbounded: the accumulators up to row `from`, then forward to the end
    const aggs = this.aggs
    const rows = s.rows
    let accs = s.tail
    if (accs !== null && this.retractable) {
      // from the accumulators of every row: take back the rows from `from` on (as they were)
      for (let j = from; j < rows.length; j++) if (j !== changed) aggs.retract(accs, rows[j]!)
      if (!inserted) aggs.retract(accs, fields)
    } else if (accs !== null && inserted && from === rows.length - 1) {
      // an append at the end: nothing to take back
    } else {
      accs = aggs.createAccumulators()
      for (let j = 0; j < from; j++) aggs.accumulate(accs, rows[j]!)
    }
    if (this.isRows) {
      for (let j = from; j < to; j++) {
        aggs.accumulate(accs, rows[j]!)
        this.update(s, j, aggs.getValue(accs), changed, kind, out)
      }
    } else {
      const keys = s.keys
      let j = from
      while (j < to) {
        let e = j
        while (e < to && this.cmp(keys[e], keys[j]) === 0) aggs.accumulate(accs, rows[e++]!)
        const value = aggs.getValue(accs)
        for (let k = j; k < e; k++) this.update(s, k, value, changed, kind, out)
        j = e
      }
    }
    s.tail = accs
  }

  /** `ROWS n`: row `j`'s frame is rows `[j - n, j]`; slides from `from` to `to`. */
  private recomputeRows(s: OrderedRows, from: number, to: number, changed: number, kind: RowKind, out: Collector<Row>): void {
    if (from >= to) return
    const aggs = this.aggs
    const rows = s.rows
    const n = this.preceding
    let accs = aggs.createAccumulators()
    for (let j = Math.max(0, from - n); j <= from; j++) aggs.accumulate(accs, rows[j]!)
    this.update(s, from, aggs.getValue(accs), changed, kind, out)
    for (let j = from + 1; j < to; j++) {
      if (this.retractable) {
        aggs.accumulate(accs, rows[j]!)
        if (j - n - 1 >= 0) aggs.retract(accs, rows[j - n - 1]!)
      } else {
        accs = aggs.createAccumulators()
        for (let k = Math.max(0, j - n); k <= j; k++) aggs.accumulate(accs, rows[k]!)
      }
      this.update(s, j, aggs.getValue(accs), changed, kind, out)
    }
  }

  /** `RANGE n`: a group of peers' frame is the rows before it or peers within `n` of it; slides group by group. */
  private recomputeRange(s: OrderedRows, from: number, to: number, changed: number, kind: RowKind, out: Collector<Row>): void {
    if (from >= to) return
    const aggs = this.aggs
    const rows = s.rows
    const keys = s.keys
    // the frame [fs, e) of the first group
    let fs = from
    while (fs > 0 && this.near(keys[fs - 1], keys[from])) fs--
    let accs = aggs.createAccumulators()
    for (let k = fs; k < from; k++) aggs.accumulate(accs, rows[k]!)
    let j = from
    while (j < to) {
      let e = j
      while (e < keys.length && this.cmp(keys[e], keys[j]) === 0) e++
      const v = keys[j]
      // the frame is now [fs, j): add the group, drop what it cannot reach
      if (this.retractable) {
        for (let k = j; k < e; k++) aggs.accumulate(accs, rows[k]!)
        while (!this.near(keys[fs], v)) aggs.retract(accs, rows[fs++]!)
      } else {
        while (!this.near(keys[fs], v)) fs++
        accs = aggs.createAccumulators()
        for (let k = fs; k < e; k++) aggs.accumulate(accs, rows[k]!)
      }
      const value = aggs.getValue(accs)
      for (let k = j; k < e && k < to; k++) this.update(s, k, value, changed, kind, out)
      j = e
    }
  }

  /** Sets row `j`'s values and emits what changed: the new row with `kind`, another row as `-U`/`+U`. */
  private update(s: OrderedRows, j: number, value: unknown[], changed: number, kind: RowKind, out: Collector<Row>): void {
    const row = s.rows[j]!
    if (j === changed) {
      s.outs[j] = value
      out.collect({ kind, fields: concatFields(row, value) })
      return
    }
    const old = s.outs[j]!
    if (fieldsEqual(old, value)) return
    s.outs[j] = value
    out.collect({ kind: RowKind.UPDATE_BEFORE, fields: concatFields(row, old) })
    out.collect({ kind: RowKind.UPDATE_AFTER, fields: concatFields(row, value) })
  }
}

const EMPTY: unknown[] = []
