// The parameters of the OVER aggregation functions, shared by the insert-only functions
// (over-agg-function.ts) and the ordered one (ordered-over-function.ts).
import { ConfigError } from '@strom/runtime'
import type { AggsHandle } from '../../../aggregate/aggregate-call.js'
import type { SortKeySpec } from '../rank/sort-key-comparator.js'

export { LATE_RECORDS_DROPPED } from '../rank/window-rank-function.js'

/**
 * The frame of an OVER aggregation: the rows from `preceding` rows (`ROWS`) or milliseconds /
 * order-key units (`RANGE`) before the current row up to the current row; `undefined` is
 * `UNBOUNDED PRECEDING`. The same shape as the planner's `OverFrame`.
 */
export interface OverFrameSpec {
  /** Whether the frame counts rows or order-key units (milliseconds for a time attribute). */
  readonly unit: 'ROWS' | 'RANGE'
  /** How far back the frame reaches; `undefined` for `UNBOUNDED PRECEDING`. */
  readonly preceding: number | undefined
}

/**
 * What an OVER aggregation computes; the planner builds it from an `OverAggregateRel` and runs
 * it with `stream.keyBy(keySelectorOf(partitionKeys)).process(createOverAggFunction(params))`.
 *
 * @remarks
 * The output row is the input row's fields followed by the aggregates' results (one per call of
 * `aggs`, the handle `createAggsHandle` builds over the input fields).
 */
export interface OverAggParams {
  /**
   * What orders a partition: an event-time attribute (`ROWTIME`, rows wait for the watermark),
   * processing time (`PROCTIME`, arrival order), or any column (`FIELD`: Strom only, rows are
   * placed by value and earlier results corrected; see {@link OrderedOverFunction}).
   */
  readonly order: 'ROWTIME' | 'PROCTIME' | 'FIELD'
  /** The `ORDER BY` column: the rowtime field for `ROWTIME` (ascending), the sort column for `FIELD`; unused for `PROCTIME`. */
  readonly orderKey?: SortKeySpec
  /** The frame. */
  readonly frame: OverFrameSpec
  /** The aggregates, compiled. Bounded frames retract rows that leave the frame when it is retractable, and recompute the frame otherwise. */
  readonly aggs: AggsHandle
  /**
   * Whether the input is insert-only. Flink rejects OVER over an updating input; Strom runs it with
   * {@link OrderedOverFunction}, whose output is a retract changelog.
   */
  readonly inputInsertOnly: boolean
}

/** The output fields of an OVER aggregation: the input fields, then the aggregates' values. */
export const concatFields = (fields: readonly unknown[], values: readonly unknown[]): unknown[] => {
  const n = fields.length
  const m = values.length
  const out = new Array<unknown>(n + m)
  for (let i = 0; i < n; i++) out[i] = fields[i]
  for (let i = 0; i < m; i++) out[n + i] = values[i]
  return out
}

/** Checks the parameters of an OVER aggregation, throwing a `ConfigError` for a frame or order key that cannot work. */
export const validateOverAggParams = (p: OverAggParams): void => {
  const pre = p.frame.preceding
  if (pre !== undefined && (!(pre >= 0) || (p.frame.unit === 'ROWS' && !Number.isInteger(pre))))
    throw new ConfigError(`An OVER frame needs a non-negative ${p.frame.unit === 'ROWS' ? 'integer ' : ''}PRECEDING offset, got ${pre}.`)
  if (p.order !== 'PROCTIME' && p.orderKey === undefined) throw new ConfigError(`An OVER aggregation ordered by ${p.order} needs its order key.`)
  if (p.order === 'ROWTIME' && p.orderKey!.direction !== 'ASC') throw new ConfigError('An OVER aggregation ordered by an event-time attribute must be ascending.')
}

