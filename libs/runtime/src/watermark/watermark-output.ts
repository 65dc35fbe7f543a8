/**
 * Where a {@link WatermarkGenerator} emits watermarks and idleness.
 *
 * @remarks
 * Watermarks given to an output only count when they advance it: a watermark at or below the one
 * it already has is ignored, so generators may emit the same value again without harm. An output
 * marked idle does not hold back the combined watermark of its source until it is active again:
 * a record arrives, or {@link WatermarkOutput.markActive} is called. Watermarks emitted while idle
 * are kept (they count once the output is active again) but do not end the idleness.
 *
 * @category Watermarks
 * @since 0.1.0
 */
export interface WatermarkOutput {
  /**
   * Emits a watermark: no record with a timestamp at or below it is expected any more. Ignored
   * unless it is above the output's current watermark.
   */
  emitWatermark(watermark: number): void
  /** Marks the output idle: it does not hold back the watermark until it is active again. */
  markIdle(): void
  /** Marks the output active again after {@link WatermarkOutput.markIdle}. */
  markActive(): void
}
