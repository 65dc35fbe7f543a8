/**
 * The regular (unbounded) streaming join of Flink's SQL runtime: `StreamingJoinOperator` for
 * INNER / LEFT / RIGHT / FULL OUTER joins and `StreamingSemiAntiJoinOperator` for SEMI / ANTI
 * joins, as keyed two-input process functions.
 *
 * @packageDocumentation
 */
import { KeyedCoProcessFunction, MapStateDescriptor, StateTtlConfig } from '@strom/process'
import type { Collector, MapState, RuntimeContext } from '@strom/process'
import { ConfigError } from '@strom/runtime'
import type { Row, RowKind } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import type { JoinCondition, JoinType } from './join-util.js'
import {
  ALWAYS,
  checkIndices,
  checkWidth,
  encodeFields,
  fieldsEncoderOf,
  hasFilteredNull,
  isLeftOuter,
  isRightOuter,
  isSemiOrAnti,
  joinedRow,
  nullFilterPositions,
} from './join-util.js'

// Row kinds as plain numbers (RowKind's values), so the hot path compares small integers.
const INSERT = 0 as RowKind
const UPDATE_BEFORE = 1 as RowKind
const UPDATE_AFTER = 2 as RowKind
const DELETE = 3 as RowKind

/**
 * One input of a regular join: the shape of its rows and how they are kept in state.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface RegularJoinInput {
  /** The number of fields of the input's rows (also the width of its NULL padding). */
  readonly width: number
  /** The equi-join key fields, paired by position with the other input's key fields. */
  readonly keyIndices: readonly number[]
  /**
   * A unique key of the input (Flink's `JoinInputSideSpec`), if the planner knows one.
   *
   * @remarks
   * With a unique key, state holds one row per unique key (within a join key) and an accumulate
   * message for a unique key already in state replaces that row, its results retracted first: an
   * upsert input may leave out `-U` for updates that keep the join key (those that change it must
   * be retracted, as the old row lives under the old join key). A retraction needs only the join
   * key's and the unique key's fields to be right; the stored row is what the retractions carry.
   * Without a unique key, state holds each distinct row with its number of copies, and a
   * retraction must carry the whole row.
   */
  readonly uniqueKeyIndices?: readonly number[]
  /**
   * Whether the input is insert-only (never retracts). Its rows are then kept under generated
   * keys, each copy on its own, instead of under their encoded fields with a count: no per-row
   * encoding (which was most of a join's time for wide rows).
   */
  readonly appendOnly?: boolean
  /**
   * How long a row stays in state after it was last written (ms of processing time; Flink's
   * `table.exec.state.ttl` or a `STATE_TTL` hint). Absent: forever.
   */
  readonly stateTtlMs?: number
}

/**
 * What the planner gives a regular join.
 *
 * @remarks
 * Output rows are the left fields followed by the right fields (`left.width + right.width`
 * fields, the missing side NULL in outer joins), or the left row alone for SEMI and ANTI joins.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface RegularJoinParams {
  /** The join type. */
  readonly joinType: JoinType
  /** The left input (the first input of the connected streams). */
  readonly left: RegularJoinInput
  /** The right input (the second input). */
  readonly right: RegularJoinInput
  /** The non-equi part of the ON clause, if any. */
  readonly condition?: JoinCondition
  /**
   * Per key position, whether NULL never matches (`=`, the default for every position) or NULL
   * matches NULL (`IS NOT DISTINCT FROM`): Flink's `filterNullKeys`.
   */
  readonly filterNullKeys?: readonly boolean[]
}

/**
 * One distinct row of one input in state: its fields, how many copies of it are there, and for
 * an outer side how many rows of the other side it joins (per copy; -1 when not counted).
 *
 * @category Joins
 * @since 0.1.0
 */
export interface JoinRecord {
  fields: unknown[]
  count: number
  assoc: number
}

/** The state of one side: distinct rows (or rows by unique key) with their counts. */
class RecordView {
  /** For an append-only side: the next generated key's number, and a prefix unique to this instance (keys restored from a checkpoint have another). */
  private seq = 0
  private readonly prefix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}:`

  constructor(
    readonly state: MapState<string, JoinRecord>,
    private readonly uniqueKeyOf: ((fields: readonly unknown[]) => string) | undefined,
    private readonly appendOnly = false,
  ) {}

  /** The stored row with the same unique key, when the side has one. */
  existing(fields: readonly unknown[]): JoinRecord | undefined {
    return this.uniqueKeyOf === undefined ? undefined : this.state.get(this.uniqueKeyOf(fields))
  }

  /** Adds one copy of a row, with its number of associations. */
  add(fields: unknown[], assoc: number): void {
    const uk = this.uniqueKeyOf
    if (uk !== undefined) {
      this.state.put(uk(fields), { fields, count: 1, assoc })
      return
    }
    if (this.appendOnly) {
      this.state.put(this.prefix + String(this.seq++), { fields, count: 1, assoc })
      return
    }
    const key = encodeFields(fields)
    const rec = this.state.get(key)
    if (rec === undefined) this.state.put(key, { fields, count: 1, assoc })
    else {
      rec.count++
      rec.assoc = assoc
      this.state.put(key, rec)
    }
  }

  /** Removes one copy of a row; returns the fields the retractions should carry. */
  retract(fields: unknown[]): unknown[] {
    if (this.appendOnly) throw new ConfigError('A join input declared append-only (insert-only) received a retraction: the planner inferred its changelog mode wrongly.')
    const uk = this.uniqueKeyOf
    if (uk !== undefined) {
      const key = uk(fields)
      const rec = this.state.get(key)
      if (rec === undefined) return fields
      this.state.remove(key)
      return rec.fields
    }
    const key = encodeFields(fields)
    const rec = this.state.get(key)
    if (rec !== undefined) {
      if (rec.count > 1) {
        rec.count--
        this.state.put(key, rec)
      } else this.state.remove(key)
    }
    return fields
  }
}

/** The parameters checked and turned into what the functions use. */
interface Resolved {
  readonly leftWidth: number
  readonly rightWidth: number
  readonly leftKeys: readonly number[]
  readonly rightKeys: readonly number[]
  readonly nullPositions: readonly number[]
  readonly condition: JoinCondition
}

const resolve = (p: RegularJoinParams): Resolved => {
  const what = `The ${p.joinType} join`
  checkWidth(`${what}: the left width`, p.left.width)
  checkWidth(`${what}: the right width`, p.right.width)
  checkIndices(`${what}: the left key`, p.left.keyIndices, p.left.width)
  checkIndices(`${what}: the right key`, p.right.keyIndices, p.right.width)
  if (p.left.uniqueKeyIndices !== undefined) checkIndices(`${what}: the left unique key`, p.left.uniqueKeyIndices, p.left.width)
  if (p.right.uniqueKeyIndices !== undefined) checkIndices(`${what}: the right unique key`, p.right.uniqueKeyIndices, p.right.width)
  for (const [side, ttl] of [
    ['left', p.left.stateTtlMs],
    ['right', p.right.stateTtlMs],
  ] as const)
    if (ttl !== undefined && !(ttl > 0)) throw new ConfigError(`${what}: the ${side} state TTL must be a positive number of ms, got ${ttl}.`)
  return {
    leftWidth: p.left.width,
    rightWidth: p.right.width,
    leftKeys: p.left.keyIndices,
    rightKeys: p.right.keyIndices,
    nullPositions: nullFilterPositions(what, p.left.keyIndices, p.right.keyIndices, p.filterNullKeys),
    condition: p.condition ?? ALWAYS,
  }
}

const recordView = (ctx: RuntimeContext, name: string, input: RegularJoinInput): RecordView => {
  const d = new MapStateDescriptor<string, JoinRecord>(name)
  if (input.stateTtlMs !== undefined) d.enableTimeToLive(StateTtlConfig.newBuilder(input.stateTtlMs).build())
  const uk = input.uniqueKeyIndices
  return new RecordView(ctx.getMapState(d), uk === undefined ? undefined : fieldsEncoderOf(uk), uk === undefined && input.appendOnly === true)
}

/**
 * The regular join of two changelogs on equi-join keys (INNER, LEFT, RIGHT, FULL OUTER): Flink's
 * `StreamingJoinOperator`.
 *
 * @remarks
 * Both inputs must be keyed by their join key (see `joinKeySelectors`). Each side keeps every
 * row it has seen, with multiplicities and, on an outer side, the number of rows of the other
 * side each one joins, so that retractions and NULL-padded rows are exact:
 *
 * - An inner join forwards the input's row kind (`+I`/`+U` joins give `+I`/`+U` results, `-U`/`-D`
 *   give `-U`/`-D`).
 * - As in Flink, once an outer side is involved, results are `+I` and `-D` only: when a row of an
 *   outer side gets its first match, `-D[row, NULL...]` retracts its padded row and `+I[row, other]`
 *   follows; when its last match goes, `-D[row, other]` is followed by `+I[row, NULL...]`.
 * - Rows with NULL in a key position compared with `=` join nothing (they are still kept, and an
 *   outer side pads them).
 * - A retraction of a row that is not in state (expired by TTL) still retracts its results, as in
 *   Flink.
 *
 * Output changelog: all four kinds (insert-only only for an inner join of insert-only inputs).
 *
 * @category Joins
 * @since 0.1.0
 */
export class StreamingJoinFunction extends KeyedCoProcessFunction<RowKey, Row, Row, Row> {
  private readonly r: Resolved
  private readonly leftOuter: boolean
  private readonly rightOuter: boolean
  private leftView!: RecordView
  private rightView!: RecordView

  constructor(readonly params: RegularJoinParams) {
    super()
    if (isSemiOrAnti(params.joinType))
      throw new ConfigError(`StreamingJoinFunction runs INNER and OUTER joins; use StreamingSemiAntiJoinFunction for ${params.joinType}.`)
    this.r = resolve(params)
    this.leftOuter = isLeftOuter(params.joinType)
    this.rightOuter = isRightOuter(params.joinType)
  }

  override open(ctx: RuntimeContext): void {
    this.leftView = recordView(ctx, 'left-records', this.params.left)
    this.rightView = recordView(ctx, 'right-records', this.params.right)
  }

  override processElement1(row: Row, _ctx: KeyedCoProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    this.processElement(row, true, out)
  }

  override processElement2(row: Row, _ctx: KeyedCoProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    this.processElement(row, false, out)
  }

  private processElement(row: Row, inputIsLeft: boolean, out: Collector<Row>): void {
    const kind = row.kind
    if (kind === INSERT || kind === UPDATE_AFTER) {
      const old = (inputIsLeft ? this.leftView : this.rightView).existing(row.fields)
      // An upsert of a unique key already in state: retract the row it replaces first.
      if (old !== undefined) this.retract(old.fields, kind === UPDATE_AFTER ? UPDATE_BEFORE : DELETE, inputIsLeft, out)
      this.accumulate(row.fields, kind, inputIsLeft, out)
    } else this.retract(row.fields, kind, inputIsLeft, out)
  }

  private accumulate(fields: unknown[], kind: RowKind, inputIsLeft: boolean, out: Collector<Row>): void {
    const r = this.r
    const inputView = inputIsLeft ? this.leftView : this.rightView
    const otherView = inputIsLeft ? this.rightView : this.leftView
    const inputOuter = inputIsLeft ? this.leftOuter : this.rightOuter
    const otherOuter = inputIsLeft ? this.rightOuter : this.leftOuter
    const outKind = inputOuter || otherOuter ? INSERT : kind
    let n = 0
    if (!hasFilteredNull(fields, inputIsLeft ? r.leftKeys : r.rightKeys, r.nullPositions)) {
      const cond = r.condition
      const state = otherView.state
      for (const [k, rec] of state.entries()) {
        if (!(inputIsLeft ? cond(fields, rec.fields) : cond(rec.fields, fields))) continue
        const before = rec.assoc
        for (let c = 0; c < rec.count; c++) {
          if (otherOuter && before === 0) out.collect(this.padded(DELETE, rec.fields, !inputIsLeft))
          out.collect(this.joined(outKind, fields, rec.fields, inputIsLeft))
        }
        n += rec.count
        if (otherOuter) {
          rec.assoc = before + 1
          state.put(k, rec)
        }
      }
    }
    if (inputOuter) {
      if (n === 0) out.collect(this.padded(INSERT, fields, inputIsLeft))
      inputView.add(fields, n)
    } else inputView.add(fields, -1)
  }

  private retract(input: unknown[], kind: RowKind, inputIsLeft: boolean, out: Collector<Row>): void {
    const r = this.r
    const inputView = inputIsLeft ? this.leftView : this.rightView
    const otherView = inputIsLeft ? this.rightView : this.leftView
    const inputOuter = inputIsLeft ? this.leftOuter : this.rightOuter
    const otherOuter = inputIsLeft ? this.rightOuter : this.leftOuter
    const fields = inputView.retract(input)
    const outKind = inputOuter ? DELETE : kind
    let n = 0
    if (!hasFilteredNull(fields, inputIsLeft ? r.leftKeys : r.rightKeys, r.nullPositions)) {
      const cond = r.condition
      const state = otherView.state
      for (const [k, rec] of state.entries()) {
        if (!(inputIsLeft ? cond(fields, rec.fields) : cond(rec.fields, fields))) continue
        const before = rec.assoc
        for (let c = 0; c < rec.count; c++) {
          out.collect(this.joined(outKind, fields, rec.fields, inputIsLeft))
          if (otherOuter && before === 1) out.collect(this.padded(INSERT, rec.fields, !inputIsLeft))
        }
        n += rec.count
        if (otherOuter) {
          rec.assoc = before - 1
          state.put(k, rec)
        }
      }
    }
    if (n === 0 && inputOuter) out.collect(this.padded(DELETE, fields, inputIsLeft))
  }

  private joined(kind: RowKind, input: readonly unknown[], other: readonly unknown[], inputIsLeft: boolean): Row {
    const r = this.r
    return inputIsLeft ? joinedRow(kind, input, r.leftWidth, other, r.rightWidth) : joinedRow(kind, other, r.leftWidth, input, r.rightWidth)
  }

  private padded(kind: RowKind, fields: readonly unknown[], isLeft: boolean): Row {
    const r = this.r
    return isLeft ? joinedRow(kind, fields, r.leftWidth, undefined, r.rightWidth) : joinedRow(kind, undefined, r.leftWidth, fields, r.rightWidth)
  }
}

/**
 * The SEMI and ANTI joins of two changelogs on equi-join keys (`EXISTS` / `IN` and `NOT EXISTS` /
 * `NOT IN` subqueries): Flink's `StreamingSemiAntiJoinOperator`.
 *
 * @remarks
 * Emits left rows only. The left side keeps each row with the number of right rows it joins:
 * a SEMI join emits a left row while that number is above zero, an ANTI join while it is zero.
 * As in Flink, a left row is emitted with its own kind; when a right row gives a left row its
 * first match, a SEMI join emits the left row with the right row's kind (`+I`/`+U`) and an ANTI
 * join `-D`; when the last match goes, a SEMI join emits it with the retraction's kind (`-U`/`-D`)
 * and an ANTI join `+I`. NULL keys compared with `=` never match (NULL-aware `NOT IN` is the
 * planner's: it passes `filterNullKeys` and a condition).
 *
 * Output changelog: all four kinds.
 *
 * @category Joins
 * @since 0.1.0
 */
export class StreamingSemiAntiJoinFunction extends KeyedCoProcessFunction<RowKey, Row, Row, Row> {
  private readonly r: Resolved
  private readonly anti: boolean
  private leftView!: RecordView
  private rightView!: RecordView

  constructor(readonly params: RegularJoinParams) {
    super()
    if (!isSemiOrAnti(params.joinType))
      throw new ConfigError(`StreamingSemiAntiJoinFunction runs SEMI and ANTI joins; use StreamingJoinFunction for ${params.joinType}.`)
    this.r = resolve(params)
    this.anti = params.joinType === 'ANTI'
  }

  override open(ctx: RuntimeContext): void {
    this.leftView = recordView(ctx, 'left-records', this.params.left)
    this.rightView = recordView(ctx, 'right-records', this.params.right)
  }

  override processElement1(row: Row, _ctx: KeyedCoProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    const kind = row.kind
    if (kind === INSERT || kind === UPDATE_AFTER) {
      const old = this.leftView.existing(row.fields)
      if (old !== undefined) this.retractLeft(old.fields, kind === UPDATE_AFTER ? UPDATE_BEFORE : DELETE, undefined, out)
      const n = this.countMatches(row.fields)
      if (n === 0 ? this.anti : !this.anti) out.collect(row)
      this.leftView.add(row.fields, n)
    } else this.retractLeft(row.fields, kind, row, out)
  }

  private retractLeft(input: unknown[], kind: RowKind, row: Row | undefined, out: Collector<Row>): void {
    const fields = this.leftView.retract(input)
    const n = this.countMatches(fields)
    if (n === 0 ? this.anti : !this.anti) out.collect(row !== undefined && fields === row.fields ? row : { kind, fields })
  }

  private countMatches(left: unknown[]): number {
    const r = this.r
    if (hasFilteredNull(left, r.leftKeys, r.nullPositions)) return 0
    const cond = r.condition
    let n = 0
    for (const rec of this.rightView.state.values()) if (cond(left, rec.fields)) n += rec.count
    return n
  }

  override processElement2(row: Row, _ctx: KeyedCoProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    const kind = row.kind
    if (kind === INSERT || kind === UPDATE_AFTER) {
      const old = this.rightView.existing(row.fields)
      if (old !== undefined) this.retractRight(old.fields, kind === UPDATE_AFTER ? UPDATE_BEFORE : DELETE, out)
      this.rightView.add(row.fields, -1)
      this.updateLeft(row.fields, kind, 1, out)
    } else this.retractRight(row.fields, kind, out)
  }

  private retractRight(input: unknown[], kind: RowKind, out: Collector<Row>): void {
    this.updateLeft(this.rightView.retract(input), kind, -1, out)
  }

  /** Adds `delta` to the association counts of the left rows `right` joins, emitting flips. */
  private updateLeft(right: unknown[], kind: RowKind, delta: 1 | -1, out: Collector<Row>): void {
    const r = this.r
    if (hasFilteredNull(right, r.rightKeys, r.nullPositions)) return
    const cond = r.condition
    const state = this.leftView.state
    // A flip of a left row from unmatched to matched (or back) changes whether it is in the result.
    const flipAt = delta === 1 ? 0 : 1
    const outKind: RowKind = delta === 1 ? (this.anti ? DELETE : kind) : this.anti ? INSERT : kind
    for (const [k, rec] of state.entries()) {
      if (!cond(rec.fields, right)) continue
      const before = rec.assoc
      if (before === flipAt) for (let c = 0; c < rec.count; c++) out.collect({ kind: outKind, fields: rec.fields })
      rec.assoc = before + delta
      state.put(k, rec)
    }
  }
}

/**
 * The regular join function for a join type: a {@link StreamingJoinFunction} for INNER and
 * OUTER joins, a {@link StreamingSemiAntiJoinFunction} for SEMI and ANTI joins.
 *
 * @remarks
 * Plan it as `left.connect(right).keyBy(...joinKeySelectors(l.keyIndices, r.keyIndices)).process(fn)`.
 *
 * @throws ConfigError for parameters that do not fit together (widths, key indices, TTL)
 */
export const regularJoinFunction = (params: RegularJoinParams): KeyedCoProcessFunction<RowKey, Row, Row, Row> =>
  isSemiOrAnti(params.joinType) ? new StreamingSemiAntiJoinFunction(params) : new StreamingJoinFunction(params)
