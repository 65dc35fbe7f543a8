/**
 * Where Strom is known to differ from Flink, so that the differential test keeps running around
 * the difference until it is fixed. Each entry is pinned by an `it.fails` in
 * `differential.spec.ts`: when Strom is fixed, that test fails; set the entry to `false` then.
 *
 * @packageDocumentation
 */

/** Strom's known deviations from Flink's semantics. */
export interface KnownDeviations {
  /**
   * BATCH: a global aggregation (no `GROUP BY`) over an empty input gives no row; Flink's BATCH
   * mode gives one row of default values (`COUNT` 0, others NULL), as standard SQL. When set,
   * the expected BATCH result is the STREAMING one (no row).
   */
  readonly batchGlobalAggregateOverEmptyInput: boolean
  /**
   * `x NOT IN (SELECT y ..)` is not NULL-aware: a row whose `x` is NULL, or any row when the
   * subquery yields a NULL, is kept; SQL (and Flink's null-aware anti join) drops it. When set,
   * generated `NOT IN` subqueries keep NULLs out of both sides.
   */
  readonly notInSubqueryIgnoresNulls: boolean
}

/** The deviations in effect. */
export const KNOWN_DEVIATIONS: KnownDeviations = {
  batchGlobalAggregateOverEmptyInput: false,
  notInSubqueryIgnoresNulls: false,
}
