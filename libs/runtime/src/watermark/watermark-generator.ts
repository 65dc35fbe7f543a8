import type { Clock } from '../time/clock.js'
import type { WatermarkOutput } from './watermark-output.js'

/**
 * Generates watermarks from the records of one split (or one stream), based on their timestamps
 * or periodically.
 *
 * @remarks
 * Two calls, both from the one thread of the subtask:
 * - `onEvent` for every record, after the record was emitted downstream, with its assigned
 *   timestamp ({@link NO_TIMESTAMP}, i.e. `NaN`, when it has none: compare with `>` so that
 *   `NaN` is ignored). Punctuated generators emit here.
 * - `onPeriodicEmit` every auto-watermark interval
 *   ({@link DEFAULT_AUTO_WATERMARK_INTERVAL_MS} by default). Periodic generators emit here.
 *
 * Emitted watermarks only count when they advance the output, so emitting the same value again
 * is harmless. A generator instance serves one split only.
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export interface WatermarkGenerator<T> {
  /** Called for every record, with its event timestamp; may emit a watermark. */
  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void
  /** Called periodically; may emit a watermark or mark the output idle. */
  onPeriodicEmit(output: WatermarkOutput): void
}

/**
 * What a {@link WatermarkGenerator} is created with.
 *
 * @category Watermarks
 * @since 0.1.0
 */
export interface WatermarkGeneratorContext {
  /** Processing time, e.g. to detect idleness; a manual clock in tests. */
  readonly clock: Clock
}

/**
 * Creates a fresh {@link WatermarkGenerator}, one per split.
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export type WatermarkGeneratorSupplier<T> = (context: WatermarkGeneratorContext) => WatermarkGenerator<T>
