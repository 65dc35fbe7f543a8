/**
 * The contract between the planner and the aggregate operators: which aggregates to compute over
 * which input fields, and the compiled handle that computes them on the per-record path.
 *
 * @packageDocumentation
 */
import type { DataType } from '../types/data-type.js'

/**
 * A user-defined aggregate function, registered from TypeScript (as Flink's `AggregateFunction`).
 *
 * @remarks
 * `accumulate` (and `retract`, `merge`) change the accumulator in place. Accumulators are kept
 * in keyed state and written into checkpoints, so they must be plain data: numbers, strings,
 * booleans, null, arrays, plain objects, `Map`s of those.
 *
 * @category Functions
 * @since 0.1.0
 */
export interface UserAggregateFunction<Acc = any, R = any> {
  createAccumulator(): Acc
  accumulate(acc: Acc, ...args: any[]): void
  /** Takes a row back out (needed when the input has updates or deletes, and for OVER windows). */
  retract?(acc: Acc, ...args: any[]): void
  /** Merges other accumulators into `acc` (needed by session windows and sliced windows). */
  merge?(acc: Acc, others: readonly Acc[]): void
  getValue(acc: Acc): R
}

/**
 * One aggregate of an aggregation: `SUM(x)`, `COUNT(*)`, `COUNT(DISTINCT a) FILTER (WHERE b)`.
 *
 * @remarks
 * The planner first projects every argument and filter into a field of the aggregation's input,
 * so a call refers to input fields by index only. `COUNT(*)` has no arguments.
 */
export interface AggregateCall {
  /** The function: `COUNT`, `SUM`, `SUM0`, `AVG`, `MIN`, `MAX`, `FIRST_VALUE`, `LAST_VALUE`, `LISTAGG`, `COLLECT`, `STDDEV_POP`, `STDDEV_SAMP`, `VAR_POP`, `VAR_SAMP`, `BOOL_AND`, `BOOL_OR`, or a UDAF's name. */
  readonly name: string
  /** The input fields of the arguments, in order. */
  readonly args: readonly number[]
  /** The types of those fields. */
  readonly argTypes: readonly DataType[]
  /** `DISTINCT`: each distinct argument value counts once. */
  readonly distinct: boolean
  /** A `BOOLEAN` input field: only rows where it is `true` count (`FILTER (WHERE ...)`). */
  readonly filterArg?: number
  /** The result type (as `inferAggregateType` gave it). */
  readonly type: DataType
  /** The output column name, for `EXPLAIN` (`EXPR$1`, `total`). */
  readonly alias?: string
  /** The implementation, for user-defined aggregates. */
  readonly udaf?: UserAggregateFunction
}

/**
 * The aggregates of one operator, compiled: the accumulators of all calls in one array.
 *
 * @remarks
 * Built once per operator (`createAggsHandle`), then called per record with the row's fields.
 * No allocation per record beyond what the accumulators need.
 */
export interface AggsHandle {
  /** New accumulators, one per call. */
  createAccumulators(): unknown[]
  /** Adds a row (its fields) to the accumulators. */
  accumulate(accs: unknown[], fields: readonly unknown[]): void
  /** Takes a row back out; throws if some call cannot retract (`retractable` is false). */
  retract(accs: unknown[], fields: readonly unknown[]): void
  /** Merges `other` into `accs`; throws if some call cannot merge. */
  merge(accs: unknown[], other: readonly unknown[]): void
  /** The current results, one per call. */
  getValue(accs: readonly unknown[]): unknown[]
  /**
   * Writes the current results into `target` from index `offset` on (`target[offset + i]` is call
   * `i`'s result): {@link AggsHandle.getValue} without a new array, for operators that build their
   * output row directly.
   */
  writeValues(accs: readonly unknown[], target: unknown[], offset: number): void
  /** Whether every call supports `retract`. */
  readonly retractable: boolean
  /** Whether every call supports `merge`. */
  readonly mergeable: boolean
}
