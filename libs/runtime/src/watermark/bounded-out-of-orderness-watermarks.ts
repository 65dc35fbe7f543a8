import { ConfigError } from '../core/errors.js'
import { MIN_WATERMARK } from '../core/element.js'
import type { WatermarkGenerator } from './watermark-generator.js'
import type { WatermarkOutput } from './watermark-output.js'

/**
 * A periodic generator for records that arrive at most a fixed time out of order.
 *
 * @remarks
 * It tracks the largest timestamp seen and, at every periodic emit, emits
 * `maxTimestamp - outOfOrdernessMs - 1`: a record with timestamp `t` is on time as long as no
 * record with a timestamp above `t + outOfOrdernessMs` arrived before it. Records without a
 * timestamp (`NaN`) are ignored. Before the first record it emits nothing that advances
 * (`-Infinity`). With `outOfOrdernessMs = 0` it suits ascending timestamps
 * ({@link WatermarkStrategy.forMonotonousTimestamps}).
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp = MIN_WATERMARK
  private readonly delay: number

  /**
   * @param outOfOrdernessMs - how late (in event time) a record may arrive after a later one;
   *   a finite number `>= 0`
   */
  constructor(outOfOrdernessMs: number) {
    if (!(outOfOrdernessMs >= 0) || !Number.isFinite(outOfOrdernessMs))
      throw new ConfigError(
        `The out-of-orderness of a watermark strategy must be a finite number of ms >= 0, not ${outOfOrdernessMs}.`,
      )
    this.delay = outOfOrdernessMs + 1
  }

  onEvent(_event: T, eventTimestamp: number, _output: WatermarkOutput): void {
    if (eventTimestamp > this.maxTimestamp) this.maxTimestamp = eventTimestamp
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    output.emitWatermark(this.maxTimestamp - this.delay)
  }
}
