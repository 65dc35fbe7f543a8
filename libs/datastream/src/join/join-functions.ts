import type { Collector } from '@strom/runtime'

/**
 * The function of a window join: one output per pair of records of the same key in the same
 * window (as Flink's `JoinFunction`).
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @typeParam O - the output type
 * @category Joins
 * @since 0.1.0
 */
export type JoinFunction<T1, T2, O> = (first: T1, second: T2) => O

/**
 * The function of a window join that emits zero or more records per pair to a collector (as
 * Flink's `FlatJoinFunction`). The collector is reused; emit during the call, never keep it.
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @typeParam O - the output type
 * @category Joins
 * @since 0.1.0
 */
export type FlatJoinFunction<T1, T2, O> = (first: T1, second: T2, out: Collector<O>) => void

/**
 * The function of a window coGroup: called once per key and window with all records of either
 * input that fell into it (one of the two groups may be empty, never both), as Flink's
 * `CoGroupFunction`.
 *
 * @remarks
 * Unlike a join it also sees keys that only one input has in the window (outer joins are built
 * on it). The groups are in arrival order; the collector is reused, never keep it.
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @typeParam O - the output type
 * @category Joins
 * @since 0.1.0
 */
export type CoGroupFunction<T1, T2, O> = (first: readonly T1[], second: readonly T2[], out: Collector<O>) => void
