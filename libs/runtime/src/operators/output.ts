import type { OutputTag } from '../core/output-tag.js'

/**
 * Where an operator emits to: the next operator in its chain, or the exchange to the next task.
 *
 * @remarks
 * The per-record path: `collect` is called once per record with the value and its timestamp
 * ({@link NO_TIMESTAMP} for none), no wrapper object. Watermarks go through `emitWatermark`; they
 * only move forward. Idleness goes through `emitWatermarkStatus`.
 *
 * @typeParam T - the type of records emitted
 * @category Operators
 * @since 0.1.0
 */
export interface Output<T> {
  /** Emits a record with a timestamp. */
  collect(value: T, timestamp: number): void
  /** Emits a record to a side output. */
  collectSide<S>(tag: OutputTag<S>, value: S, timestamp: number): void
  /** Emits a watermark. */
  emitWatermark(watermark: number): void
  /** Tells downstream that this output is idle (`true`) or active again (`false`). */
  emitWatermarkStatus(idle: boolean): void
}
