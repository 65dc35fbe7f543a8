// Top-N: `ROW_NUMBER() | RANK() | DENSE_RANK() OVER (PARTITION BY p ORDER BY s) <= N` (or a range
// of ranks), as Flink's AppendOnlyTopNFunction, RetractableTopNFunction and FastTop1Function.
import { KeyedProcessFunction, ValueStateDescriptor } from '@strom/process'
import { ConfigError, InternalError } from '@strom/runtime'
import type { Collector, Counter, RuntimeContext, ValueState } from '@strom/process'
import { ChangelogModes, RowKind } from '../../../data/row.js'
import type { ChangelogMode, Row } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { compileComparator } from './sort-key-comparator.js'
import type { FieldsComparator, SortKeySpec } from './sort-key-comparator.js'
import { findGroup, indexOfRow, insertRow, mayEnterTop, pruneTop, removeRow } from './sorted-groups.js'
import type { SortedGroups, TopNBuffer } from './sorted-groups.js'

/** The ranking function of a Top-N: `ROW_NUMBER()`, `RANK()` or `DENSE_RANK()`. */
export type RankType = 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK'

/**
 * What a Top-N operator computes; the planner builds it from a `RankRel` and runs it with
 * `stream.keyBy(keySelectorOf(partitionKeys)).process(createRankFunction(params))`.
 *
 * @remarks
 * Ranks are 1-based; the rows with a rank in `[rankStart, rankEnd]` are the result
 * (`rownum <= N` is `rankStart: 1, rankEnd: N`; `rownum BETWEEN 3 AND 5` is 3 to 5).
 * - `ROW_NUMBER`: the position in sort order; rows with equal sort keys (peers) are numbered in
 *   arrival order.
 * - `RANK`: one plus the number of rows with a smaller sort key (peers share a rank, gaps follow).
 * - `DENSE_RANK`: one plus the number of distinct smaller sort keys.
 *
 * Flink supports only `ROW_NUMBER` in streaming Top-N; `RANK` and `DENSE_RANK` are Strom's.
 */
export interface RankParams {
  /** The ranking function. */
  readonly rankType: RankType
  /** The `ORDER BY` of the `OVER` clause. */
  readonly orderKeys: readonly SortKeySpec[]
  /** The first rank in the result (1 for a plain Top-N). */
  readonly rankStart: number
  /** The last rank in the result (`N`); ignored when `rankEndIndex` is set. */
  readonly rankEnd: number
  /**
   * A variable rank end (`rownum <= cnt`, Flink's `VariableRankRange`): the field holding N. The
   * first row of each partition fixes the partition's N (`rankStart` is then 1); later rows with
   * another value are counted in the metric `topn.invalidTopSize`.
   */
  readonly rankEndIndex?: number
  /** Whether the output rows carry their rank as an extra last field (BIGINT). */
  readonly outputRankNumber: boolean
  /**
   * Whether the input is insert-only: then only the top rows are kept in state (Flink's
   * append-only Top-N). Otherwise every row is kept, so that a retraction (`-U`, `-D`) can bring
   * a lower row back into the result (Flink's retractable Top-N).
   */
  readonly inputInsertOnly: boolean
  /** Whether updates send the old row (`-U`) before the new one (`+U`); default true. */
  readonly generateUpdateBefore?: boolean
}

const withRank = (fields: readonly unknown[], rank: number): unknown[] => {
  const n = fields.length
  const out = new Array<unknown>(n + 1)
  for (let i = 0; i < n; i++) out[i] = fields[i]
  out[n] = rank
  return out
}

const validate = (p: RankParams): void => {
  if (!Number.isInteger(p.rankStart) || p.rankStart < 1)
    throw new ConfigError(`A Top-N needs a rank start of at least 1, got ${p.rankStart}.`)
  if (p.rankEndIndex === undefined && (!Number.isInteger(p.rankEnd) || p.rankEnd < p.rankStart))
    throw new ConfigError(`A Top-N needs a rank end of at least its rank start (${p.rankStart}), got ${p.rankEnd}.`)
  if (p.rankEndIndex !== undefined && p.rankStart !== 1)
    throw new ConfigError('A Top-N with a variable rank end must start at rank 1.')
}

/**
 * Top-N over an insert-only or an updating input, for the three ranking functions, with or
 * without the rank number in the output. The partition is the stream's key.
 *
 * @remarks
 * Output (a retract changelog; rows keep the input record's timestamp):
 * - without the rank number (and `rankStart = 1`): a row entering the result is `+I`, a row
 *   leaving it `-D` (the row pushed out first, then the new one);
 * - with the rank number, `ROW_NUMBER`: Flink's updates by position: when the row at rank `r`
 *   changes, `-U(old row, r)` then `+U(new row, r)`; a rank that becomes occupied gets `+I`, one
 *   that becomes empty `-D`. The same algorithm runs when `rankStart > 1` without the number
 *   (then the rows carry no rank field);
 * - with the rank number, `RANK` and `DENSE_RANK`: per row: `-U(row, old)`/`+U(row, new)` when
 *   its rank changes inside the range, `+I`/`-D` when it enters or leaves the range.
 *
 * Input: `+I` and `+U` add a row, `-U` and `-D` take back the first kept row equal to it field by
 * field (a retraction of an unknown row is ignored, as Flink's lenient mode). An insert-only
 * Top-N throws on anything but `+I`.
 *
 * State: per partition one value, the rows sorted in groups of peers; for insert-only input only
 * the rows that can still be in the result. Work per record is a binary search plus a walk over
 * at most the rows ranked up to `rankEnd`.
 */
export class TopNFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private readonly cmp: FieldsComparator
  private readonly rowNumber: boolean
  private readonly dense: boolean
  private readonly start: number
  private readonly constantEnd: number
  private readonly endIndex: number
  /** Flink's with-row-number algorithm: with the rank number, or with an offset. */
  private readonly positional: boolean
  private readonly withNumber: boolean
  private readonly insertOnly: boolean
  private readonly updateBefore: boolean
  private buffer!: ValueState<TopNBuffer>
  private rankEndState: ValueState<number> | undefined
  private invalidTopSize!: Counter
  /** The rank end of the partition being processed. */
  private end = 0

  constructor(params: RankParams) {
    super()
    validate(params)
    this.cmp = compileComparator(params.orderKeys)
    this.rowNumber = params.rankType === 'ROW_NUMBER'
    this.dense = params.rankType === 'DENSE_RANK'
    this.start = params.rankStart
    this.constantEnd = params.rankEnd
    this.endIndex = params.rankEndIndex ?? -1
    this.withNumber = params.outputRankNumber
    this.positional = params.outputRankNumber || params.rankStart > 1
    this.insertOnly = params.inputInsertOnly
    this.updateBefore = params.generateUpdateBefore ?? true
  }

  override open(ctx: RuntimeContext): void {
    this.buffer = ctx.getState(new ValueStateDescriptor<TopNBuffer>(this.insertOnly ? 'data-state-with-append' : 'data-state'))
    if (this.endIndex >= 0) this.rankEndState = ctx.getState(new ValueStateDescriptor<number>('rankEnd'))
    this.invalidTopSize = ctx.getMetricGroup().counter('topn.invalidTopSize')
  }

  override processElement(row: Row, _ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    const fields = row.fields
    this.end = this.endIndex < 0 ? this.constantEnd : this.variableEnd(fields)
    const kind = row.kind
    if (kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER) {
      if (this.insertOnly && kind !== RowKind.INSERT) throw this.notInsertOnly(row)
      let b = this.buffer.value()
      if (b === undefined) b = { n: 0, g: [] }
      else if (this.insertOnly && !mayEnterTop(b, fields, this.cmp, this.rowNumber, this.dense, this.end)) return
      const g = insertRow(b.g, fields, this.cmp)
      b.n++
      if (this.rowNumber) {
        if (this.positional) this.insertRowNumber(b.g, g, out)
        else this.insertWithoutNumber(b.g, g, fields, out)
      } else this.insertRanked(b.g, g, fields, out)
      if (this.insertOnly) pruneTop(b, this.rowNumber, this.dense, this.end)
      this.buffer.update(b)
    } else {
      if (this.insertOnly) throw this.notInsertOnly(row)
      const b = this.buffer.value()
      if (b === undefined) return
      const g = findGroup(b.g, fields, this.cmp)
      if (g < 0) return
      const r = indexOfRow(b.g[g]!, fields)
      if (r < 0) return
      const stored = b.g[g]![r]!
      if (this.rowNumber) {
        if (this.positional) this.retractRowNumber(b.g, g, r, out)
        else this.retractWithoutNumber(b.g, g, r, out)
      } else this.retractRanked(b.g, g, stored, out)
      removeRow(b.g, g, r)
      b.n--
      if (b.n === 0) this.buffer.clear()
      else this.buffer.update(b)
    }
  }

  private variableEnd(fields: readonly unknown[]): number {
    const state = this.rankEndState!
    const stored = state.value()
    const v = Number(fields[this.endIndex] ?? 0)
    if (stored === undefined) {
      state.update(v)
      return v
    }
    if (stored !== v) this.invalidTopSize.inc()
    return stored
  }

  private notInsertOnly(row: Row): InternalError {
    return new InternalError(
      `The append-only Top-N received a ${['+I', '-U', '+U', '-D'][row.kind]} row; the planner must choose the retractable Top-N for an updating input.`,
    )
  }

  private emit(out: Collector<Row>, kind: RowKind, fields: unknown[], rank: number): void {
    if (rank < this.start || rank > this.end) return
    if (kind === RowKind.UPDATE_BEFORE && !this.updateBefore) return
    out.collect({ kind, fields: this.withNumber ? withRank(fields, rank) : fields })
  }

  // ------------------------------------------------------------------------------------------
  // ROW_NUMBER, as Flink's Top-N functions

  /** The new row is the last of group `gi`; updates by position (Flink's with-row-number algorithm). */
  private insertRowNumber(groups: SortedGroups, gi: number, out: Collector<Row>): void {
    const end = this.end
    let rank = 0
    for (let g = 0; g < gi; g++) {
      rank += groups[g]!.length
      if (rank > end) return
    }
    const own = groups[gi]!
    rank += own.length
    if (rank > end) return
    let cur = own[own.length - 1]!
    for (let g = gi + 1; g < groups.length && rank <= end; g++) {
      const grp = groups[g]!
      for (let i = 0; i < grp.length && rank <= end; i++) {
        const prev = grp[i]!
        this.emit(out, RowKind.UPDATE_BEFORE, prev, rank)
        this.emit(out, RowKind.UPDATE_AFTER, cur, rank)
        cur = prev
        rank++
      }
    }
    if (rank <= end) this.emit(out, RowKind.INSERT, cur, rank)
  }

  /** The new row is the last of group `gi`: `-D` for the row pushed out of the top N, `+I` for the new one. */
  private insertWithoutNumber(groups: SortedGroups, gi: number, fields: unknown[], out: Collector<Row>): void {
    const end = this.end
    let rank = 0
    for (let g = 0; g < gi; g++) {
      rank += groups[g]!.length
      if (rank > end) return
    }
    rank += groups[gi]!.length
    if (rank > end) return
    for (let g = gi + 1; g < groups.length; g++) {
      const grp = groups[g]!
      if (rank + grp.length <= end) rank += grp.length
      else {
        out.collect({ kind: RowKind.DELETE, fields: grp[end - rank]! })
        break
      }
    }
    out.collect({ kind: RowKind.INSERT, fields })
  }

  /** Row `ri` of group `gi` is retracted (still in `groups`); updates by position. */
  private retractRowNumber(groups: SortedGroups, gi: number, ri: number, out: Collector<Row>): void {
    const end = this.end
    let rank = 0
    for (let g = 0; g < gi; g++) {
      rank += groups[g]!.length
      if (rank > end) return
    }
    rank += ri
    if (rank > end) return
    const own = groups[gi]!
    let prev = own[ri]!
    rank++
    for (let i = ri + 1; i < own.length && rank <= end; i++) {
      const cur = own[i]!
      this.emit(out, RowKind.UPDATE_BEFORE, prev, rank)
      this.emit(out, RowKind.UPDATE_AFTER, cur, rank)
      prev = cur
      rank++
    }
    for (let g = gi + 1; g < groups.length && rank <= end; g++) {
      const grp = groups[g]!
      for (let i = 0; i < grp.length && rank <= end; i++) {
        const cur = grp[i]!
        this.emit(out, RowKind.UPDATE_BEFORE, prev, rank)
        this.emit(out, RowKind.UPDATE_AFTER, cur, rank)
        prev = cur
        rank++
      }
    }
    if (rank <= end) this.emit(out, RowKind.DELETE, prev, rank)
  }

  /** Row `ri` of group `gi` is retracted: `-D` for it, `+I` for the row that moves up into the top N. */
  private retractWithoutNumber(groups: SortedGroups, gi: number, ri: number, out: Collector<Row>): void {
    const end = this.end
    let next = 1
    for (let g = 0; g < gi; g++) {
      next += groups[g]!.length
      if (next > end) return
    }
    next += ri
    if (next > end) return
    const own = groups[gi]!
    out.collect({ kind: RowKind.DELETE, fields: own[ri]! })
    // `next` is now the new position of the row after the retracted one
    for (let i = ri + 1; i < own.length; i++, next++) {
      if (next === end) {
        out.collect({ kind: RowKind.INSERT, fields: own[i]! })
        return
      }
    }
    for (let g = gi + 1; g < groups.length; g++) {
      const grp = groups[g]!
      const last = next + grp.length - 1
      if (last < end) next = last + 1
      else {
        out.collect({ kind: RowKind.INSERT, fields: grp[end - next]! })
        return
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // RANK and DENSE_RANK: each row's old and new rank

  /** Emits what a change of one row's rank from `oldRank` to `newRank` means for the result. */
  private rerank(out: Collector<Row>, fields: unknown[], oldRank: number, newRank: number): void {
    const start = this.start
    const end = this.end
    const inOld = oldRank >= start && oldRank <= end
    const inNew = newRank >= start && newRank <= end
    if (inOld && inNew) {
      if (this.withNumber && oldRank !== newRank) {
        if (this.updateBefore) out.collect({ kind: RowKind.UPDATE_BEFORE, fields: withRank(fields, oldRank) })
        out.collect({ kind: RowKind.UPDATE_AFTER, fields: withRank(fields, newRank) })
      }
    } else if (inOld) out.collect({ kind: RowKind.DELETE, fields: this.withNumber ? withRank(fields, oldRank) : fields })
    else if (inNew) out.collect({ kind: RowKind.INSERT, fields: this.withNumber ? withRank(fields, newRank) : fields })
  }

  /** The new row is the last of group `gi`. */
  private insertRanked(groups: SortedGroups, gi: number, fields: unknown[], out: Collector<Row>): void {
    const end = this.end
    const own = groups[gi]!
    if (this.dense) {
      if (gi + 1 > end) return
      this.emit(out, RowKind.INSERT, fields, gi + 1)
      if (own.length > 1) return
      // a new distinct key: every later group's dense rank grows by one
      for (let g = gi + 1; g < groups.length && g <= end; g++) {
        const grp = groups[g]!
        for (let i = 0; i < grp.length; i++) this.rerank(out, grp[i]!, g, g + 1)
      }
      return
    }
    let before = 0
    for (let g = 0; g < gi; g++) {
      before += groups[g]!.length
      if (before >= end) return
    }
    this.emit(out, RowKind.INSERT, fields, before + 1)
    // the rows of later groups: one more row before them
    let cum = before + own.length - 1
    for (let g = gi + 1; g < groups.length && cum + 1 <= end; g++) {
      const grp = groups[g]!
      for (let i = 0; i < grp.length; i++) this.rerank(out, grp[i]!, cum + 1, cum + 2)
      cum += grp.length
    }
  }

  /** A row of group `gi` (`fields`) is retracted (still in `groups`). */
  private retractRanked(groups: SortedGroups, gi: number, fields: unknown[], out: Collector<Row>): void {
    const end = this.end
    const own = groups[gi]!
    if (this.dense) {
      if (gi + 1 > end) return
      this.emit(out, RowKind.DELETE, fields, gi + 1)
      if (own.length > 1) return
      // a distinct key disappears: every later group's dense rank drops by one
      for (let g = gi + 1; g < groups.length && g <= end; g++) {
        const grp = groups[g]!
        for (let i = 0; i < grp.length; i++) this.rerank(out, grp[i]!, g + 1, g)
      }
      return
    }
    let before = 0
    for (let g = 0; g < gi; g++) {
      before += groups[g]!.length
      if (before >= end) return
    }
    this.emit(out, RowKind.DELETE, fields, before + 1)
    let cum = before + own.length
    for (let g = gi + 1; g < groups.length && cum <= end; g++) {
      const grp = groups[g]!
      for (let i = 0; i < grp.length; i++) this.rerank(out, grp[i]!, cum + 1, cum)
      cum += grp.length
    }
  }
}

/**
 * Top-1 (`ROW_NUMBER() ... <= 1`) over an insert-only input: keeps only the best row of each
 * partition, as Flink's FastTop1Function.
 *
 * @remarks
 * The first row of a partition is `+I`; a later row with a strictly smaller sort key replaces it
 * with `-U(old)`, `+U(new)` (the partition key is a unique key of the output, so this is an
 * update; no `-U` when `generateUpdateBefore` is false). A row with an equal or larger sort key
 * changes nothing. With the rank number, the rows carry rank 1. One value of state per partition,
 * one compare per record.
 */
export class FastTop1Function extends KeyedProcessFunction<RowKey, Row, Row> {
  private readonly cmp: FieldsComparator
  private readonly withNumber: boolean
  private readonly updateBefore: boolean
  private best!: ValueState<unknown[]>

  constructor(params: RankParams) {
    super()
    validate(params)
    if (params.rankType !== 'ROW_NUMBER' || params.rankStart !== 1 || params.rankEnd !== 1 || params.rankEndIndex !== undefined)
      throw new ConfigError('FastTop1Function computes ROW_NUMBER() <= 1 only.')
    if (!params.inputInsertOnly) throw new ConfigError('FastTop1Function needs an insert-only input.')
    this.cmp = compileComparator(params.orderKeys)
    this.withNumber = params.outputRankNumber
    this.updateBefore = params.generateUpdateBefore ?? true
  }

  override open(ctx: RuntimeContext): void {
    this.best = ctx.getState(new ValueStateDescriptor<unknown[]>('Top1-Rank-State'))
  }

  override processElement(row: Row, _ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    if (row.kind !== RowKind.INSERT)
      throw new InternalError(`The append-only Top-1 received a ${['+I', '-U', '+U', '-D'][row.kind]} row; the planner must choose the retractable Top-N for an updating input.`)
    const fields = row.fields
    const prev = this.best.value()
    if (prev === undefined) {
      this.best.update(fields)
      out.collect({ kind: RowKind.INSERT, fields: this.withNumber ? withRank(fields, 1) : fields })
      return
    }
    if (this.cmp(fields, prev) < 0) {
      this.best.update(fields)
      if (this.updateBefore) out.collect({ kind: RowKind.UPDATE_BEFORE, fields: this.withNumber ? withRank(prev, 1) : prev })
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: this.withNumber ? withRank(fields, 1) : fields })
    }
  }
}

/** Whether {@link createRankFunction} picks the Top-1 fast path for these parameters. */
export const isFastTop1 = (p: RankParams): boolean =>
  p.inputInsertOnly && p.rankType === 'ROW_NUMBER' && p.rankStart === 1 && p.rankEnd === 1 && p.rankEndIndex === undefined

/**
 * The Top-N function for these parameters: {@link FastTop1Function} for `ROW_NUMBER() <= 1` over
 * an insert-only input, otherwise {@link TopNFunction}.
 *
 * @throws ConfigError when the rank range is invalid
 */
export const createRankFunction = (params: RankParams): KeyedProcessFunction<RowKey, Row, Row> =>
  isFastTop1(params) ? new FastTop1Function(params) : new TopNFunction(params)

/**
 * The changelog mode of a Top-N's output: `[I,D]` without the rank number and offset; `[I,UB,UA]`
 * for the Top-1 fast path; otherwise every kind (without `-U` when `generateUpdateBefore` is false).
 */
export const rankChangelogMode = (p: RankParams): ChangelogMode => {
  const ub = p.generateUpdateBefore ?? true
  if (isFastTop1(p))
    return { kinds: new Set<RowKind>(ub ? [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER] : [RowKind.INSERT, RowKind.UPDATE_AFTER]) }
  if (!p.outputRankNumber && p.rankStart === 1 && p.rankType === 'ROW_NUMBER') return { kinds: new Set<RowKind>([RowKind.INSERT, RowKind.DELETE]) }
  if (!p.outputRankNumber && p.rankType !== 'ROW_NUMBER') return { kinds: new Set<RowKind>([RowKind.INSERT, RowKind.DELETE]) }
  return ub ? ChangelogModes.ALL : { kinds: new Set<RowKind>([RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE]) }
}
