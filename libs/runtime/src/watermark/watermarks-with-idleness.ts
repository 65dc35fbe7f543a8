import { ConfigError } from '../core/errors.js'
import type { Clock } from '../time/clock.js'
import type { WatermarkGenerator } from './watermark-generator.js'
import type { WatermarkOutput } from './watermark-output.js'

/**
 * Wraps a generator so that its output is marked idle when no record arrived for a while.
 *
 * @remarks
 * Idleness is checked at periodic emits, against the given clock (processing time): at each
 * periodic emit that follows records, the time is noted; once a periodic emit finds that no record
 * arrived for at least `idleTimeoutMs` since then (or since creation), the output is marked idle
 * and the wrapped generator's periodic emit is skipped until records arrive again. The next record
 * marks the output active again before it reaches the wrapped generator. So a split is declared
 * idle at least `idleTimeoutMs` and less than `idleTimeoutMs` + two auto-watermark intervals after
 * its last record. The per-record cost is one flag write; the clock is read only at periodic emits.
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export class WatermarksWithIdleness<T> implements WatermarkGenerator<T> {
  private sawEvent = false
  private idle = false
  private lastActivity: number

  /**
   * @param generator - the generator to wrap
   * @param idleTimeoutMs - how long without records makes the output idle; a finite number `> 0`
   * @param clock - processing time
   */
  constructor(
    private readonly generator: WatermarkGenerator<T>,
    private readonly idleTimeoutMs: number,
    private readonly clock: Clock,
  ) {
    if (!(idleTimeoutMs > 0) || !Number.isFinite(idleTimeoutMs))
      throw new ConfigError(`The idle timeout of a watermark strategy must be a finite number of ms > 0, not ${idleTimeoutMs}.`)
    this.lastActivity = clock.now()
  }

  onEvent(event: T, eventTimestamp: number, output: WatermarkOutput): void {
    this.sawEvent = true
    if (this.idle) {
      this.idle = false
      output.markActive()
    }
    this.generator.onEvent(event, eventTimestamp, output)
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    const now = this.clock.now()
    if (this.sawEvent) {
      this.sawEvent = false
      this.lastActivity = now
    } else if (!this.idle && now - this.lastActivity >= this.idleTimeoutMs) {
      this.idle = true
      output.markIdle()
    }
    if (!this.idle) this.generator.onPeriodicEmit(output)
  }
}
