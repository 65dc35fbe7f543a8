// Deduplication: `ROW_NUMBER() OVER (PARTITION BY k ORDER BY proctime|rowtime ASC|DESC) = 1`, as
// Flink's ProcTimeDeduplicateKeepFirstRowFunction, ProcTimeDeduplicateKeepLastRowFunction and
// RowTimeDeduplicateFunction.
import { KeyedProcessFunction, ValueStateDescriptor } from '@strom/process'
import type { Collector, RuntimeContext, ValueState } from '@strom/process'
import { InternalError } from '@strom/runtime'
import { ChangelogModes, RowKind } from '../../../data/row.js'
import type { ChangelogMode, Row } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { fieldsEqual } from './row-equality.js'

/**
 * What a deduplication computes; the planner builds it from a `DeduplicateRel` and runs it with
 * `stream.keyBy(keySelectorOf(partitionKeys)).process(new DeduplicateFunction(params))`.
 */
export interface DeduplicateParams {
  /** Keep the last row of each key (`ORDER BY time DESC`) rather than the first (`ASC`). */
  readonly keepLast: boolean
  /** Order by an event-time attribute (`rowtime`) rather than by processing time (arrival). */
  readonly isEventTime: boolean
  /** The rowtime field (epoch milliseconds), for event time; ignored for processing time. */
  readonly timeIndex: number
  /** Whether the output rows carry their row number (always 1) as an extra last field. */
  readonly outputRankNumber?: boolean
  /** Whether a replaced row is retracted with `-U` before the new `+U`; default true. */
  readonly generateUpdateBefore?: boolean
  /**
   * Whether the first row of a key is `+I` (else every kept row is `+U`, for upsert sinks that do
   * not care); default true, as Flink's `table.exec.deduplicate.insert-update-after-sensitive-enabled`.
   */
  readonly generateInsert?: boolean
  /**
   * Whether the input is insert-only (default true). Only processing-time keep-last-row accepts
   * an updating input (Flink's `processLastRowOnChangelog`): `-U`/`-D` delete the key's row.
   */
  readonly inputInsertOnly?: boolean
}

const MODE_PROC_FIRST = 0
const MODE_PROC_LAST = 1
const MODE_PROC_LAST_CHANGELOG = 2
const MODE_ROWTIME = 3

/**
 * Keeps the first or the last row of each key, in processing time or in event time.
 *
 * @remarks
 * - Processing time, first row: the first row of a key is emitted (`+I`), later ones are
 *   dropped; the output is insert-only. State: one flag per key.
 * - Processing time, last row: each row replaces the previous one: `+I` for the first, then
 *   `-U(previous)`, `+U(new)`; a row equal to the previous one (field by field) emits nothing. With
 *   neither `generateUpdateBefore` nor `generateInsert`, every row is emitted as `+U` and no state
 *   is kept. With an updating input, `-U`/`-D` emit `-D` of the kept row and clear the key.
 * - Event time: rows are handled on arrival (no buffering until the watermark), comparing the
 *   rowtime field with the kept row's: keep-first replaces the kept row only with a strictly
 *   older one, keep-last with a row at least as recent (a later-arriving row with an older rowtime
 *   does not replace it). A replacement is `-U(old)`, `+U(new)`, the first row `+I`.
 *
 * `generateUpdateBefore: false` drops the `-U` rows (an upsert changelog keyed by the partition
 * key). Output rows keep the input record's timestamp.
 */
export class DeduplicateFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private readonly mode: number
  private readonly keepLast: boolean
  private readonly timeIndex: number
  private readonly withNumber: boolean
  private readonly updateBefore: boolean
  private readonly insert: boolean
  private readonly stateless: boolean
  private seen!: ValueState<boolean>
  private kept!: ValueState<unknown[]>

  constructor(params: DeduplicateParams) {
    super()
    const insertOnly = params.inputInsertOnly ?? true
    this.keepLast = params.keepLast
    this.timeIndex = params.timeIndex
    this.withNumber = params.outputRankNumber ?? false
    this.updateBefore = params.generateUpdateBefore ?? true
    this.insert = params.generateInsert ?? true
    this.mode = params.isEventTime ? MODE_ROWTIME : !params.keepLast ? MODE_PROC_FIRST : insertOnly ? MODE_PROC_LAST : MODE_PROC_LAST_CHANGELOG
    this.stateless = this.mode === MODE_PROC_LAST && !this.updateBefore && !this.insert
  }

  override open(ctx: RuntimeContext): void {
    if (this.mode === MODE_PROC_FIRST) this.seen = ctx.getState(new ValueStateDescriptor<boolean>('existsState'))
    else this.kept = ctx.getState(new ValueStateDescriptor<unknown[]>('preRowState'))
  }

  override processElement(row: Row, _ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    const mode = this.mode
    if (mode === MODE_PROC_LAST_CHANGELOG) return this.lastOnChangelog(row, out)
    if (row.kind !== RowKind.INSERT)
      throw new InternalError(
        `The deduplication received a ${['+I', '-U', '+U', '-D'][row.kind]} row; only processing-time keep-last-row deduplication accepts an updating input.`,
      )
    const fields = row.fields
    if (mode === MODE_PROC_FIRST) {
      if (this.seen.value() !== undefined) return
      this.seen.update(true)
      out.collect(this.output(RowKind.INSERT, fields))
      return
    }
    if (this.stateless) {
      out.collect(this.output(RowKind.UPDATE_AFTER, fields))
      return
    }
    const prev = this.kept.value()
    if (mode === MODE_PROC_LAST) {
      this.kept.update(fields)
      if (prev !== undefined && fieldsEqual(prev, fields)) return
      this.replace(prev, fields, out)
      return
    }
    // event time
    if (prev !== undefined) {
      const t = fields[this.timeIndex] as number
      const pt = prev[this.timeIndex] as number
      if (this.keepLast ? !(pt <= t) : !(t < pt)) return
    }
    this.kept.update(fields)
    this.replace(prev, fields, out)
  }

  /** Flink's `updateDeduplicateResult`: the new kept row, after the previous one (if any). */
  private replace(prev: unknown[] | undefined, fields: unknown[], out: Collector<Row>): void {
    if (!this.updateBefore && !this.insert) {
      out.collect(this.output(RowKind.UPDATE_AFTER, fields))
      return
    }
    if (prev === undefined) {
      out.collect(this.output(RowKind.INSERT, fields))
      return
    }
    if (this.updateBefore) out.collect(this.output(RowKind.UPDATE_BEFORE, prev))
    out.collect(this.output(RowKind.UPDATE_AFTER, fields))
  }

  /** Flink's `processLastRowOnChangelog`: keep-last-row over an updating input. */
  private lastOnChangelog(row: Row, out: Collector<Row>): void {
    const prev = this.kept.value()
    const fields = row.fields
    if (row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER) {
      if (prev === undefined) out.collect(this.output(RowKind.INSERT, fields))
      else if (!fieldsEqual(prev, fields)) {
        if (this.updateBefore) out.collect(this.output(RowKind.UPDATE_BEFORE, prev))
        out.collect(this.output(RowKind.UPDATE_AFTER, fields))
      }
      this.kept.update(fields)
    } else if (prev !== undefined) {
      // the kept row, not the input: it always has every field
      out.collect(this.output(RowKind.DELETE, prev))
      this.kept.clear()
    }
  }

  private output(kind: RowKind, fields: unknown[]): Row {
    if (!this.withNumber) return { kind, fields }
    const n = fields.length
    const f = new Array<unknown>(n + 1)
    for (let i = 0; i < n; i++) f[i] = fields[i]
    f[n] = 1
    return { kind, fields: f }
  }
}

/**
 * The changelog mode of a deduplication's output: insert-only for processing-time keep-first;
 * otherwise `+I`, `-U`, `+U` (without `-U` when `generateUpdateBefore` is false), plus `-D` for
 * an updating input.
 */
export const deduplicateChangelogMode = (p: DeduplicateParams): ChangelogMode => {
  if (!p.isEventTime && !p.keepLast) return ChangelogModes.INSERT_ONLY
  const kinds = new Set<RowKind>([RowKind.INSERT, RowKind.UPDATE_AFTER])
  if (p.generateUpdateBefore ?? true) kinds.add(RowKind.UPDATE_BEFORE)
  if (!(p.inputInsertOnly ?? true)) kinds.add(RowKind.DELETE)
  return { kinds }
}
