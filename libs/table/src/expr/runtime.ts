/**
 * What compiled expressions may ask of the task that runs them: the processing-time clock and
 * the current watermark.
 *
 * @packageDocumentation
 */

/**
 * The runtime context of compiled expressions, given once per operator instance when the
 * compiled factory is called.
 *
 * @remarks
 * `CURRENT_TIMESTAMP`, `NOW()`, `LOCALTIMESTAMP`, `CURRENT_DATE`, `CURRENT_TIME`, `PROCTIME()` and
 * `UNIX_TIMESTAMP()` read {@link ExprRuntime.currentProcessingTime} once per record (as Flink
 * evaluates them per record in streaming mode); `CURRENT_WATERMARK(ts)` reads
 * {@link ExprRuntime.currentWatermark}. Operators pass their timer service's clock (a manual
 * clock in harness tests).
 *
 * @category Expressions
 * @since 0.1.0
 */
export interface ExprRuntime {
  /** The current processing time, epoch milliseconds. */
  currentProcessingTime(): number
  /** The operator's current event-time watermark, or `null` before the first watermark. */
  currentWatermark(): number | null
}

/** A runtime on the wall clock with no watermark (for constant folding, tests and the client). */
export const systemRuntime: ExprRuntime = {
  currentProcessingTime: () => Date.now(),
  currentWatermark: () => null,
}

/** A runtime with a fixed clock and watermark (tests). */
export const fixedRuntime = (processingTime: number, watermark: number | null = null): ExprRuntime => ({
  currentProcessingTime: () => processingTime,
  currentWatermark: () => watermark,
})
