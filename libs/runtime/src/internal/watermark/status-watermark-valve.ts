import { ConfigError } from '../../core/errors.js'
import { MIN_WATERMARK } from '../../core/element.js'

/**
 * Where a {@link StatusWatermarkValve} sends the combined watermark and idleness. An operator's
 * {@link Output} fits, as does an adapter to an operator's `processWatermark` and
 * `processWatermarkStatus`.
 *
 * @category Watermarks
 * @since 0.1.0
 */
export interface WatermarkValveOutput {
  /** The combined watermark advanced to `watermark`. */
  emitWatermark(watermark: number): void
  /** All channels are idle (`true`), or one is active again after that (`false`). */
  emitWatermarkStatus(idle: boolean): void
}

/**
 * Combines the watermarks and idle statuses of the input channels of a task into one watermark
 * and one status (Flink's `StatusWatermarkValve`).
 *
 * @remarks
 * - The output watermark is the minimum over the active *aligned* channels, forwarded only when
 *   it advances: it never goes back and never repeats. A channel's own watermarks only count when
 *   they advance that channel.
 * - A channel that goes idle stops holding back the output; when all channels are idle the output
 *   becomes idle (`emitWatermarkStatus(true)`), and active again (`false`) as soon as one channel
 *   is. The watermark stays where it was while all are idle (Strom does not, unlike Flink, jump to
 *   the maximum over all channels then).
 * - A channel that becomes active again with a watermark below the current output is *unaligned*:
 *   it is left out of the minimum until its watermark reaches the output, so it cannot make the
 *   output go back (its records are late meanwhile). Equivalently, the output advances to the
 *   minimum over the active channels whose watermark is at or above the current output.
 * - A watermark that arrives on an idle channel is remembered for the channel but does not make
 *   it active; upstream sends an active status first.
 *
 * Every call is O(1) unless the output may change, then O(channels). No allocation.
 *
 * @category Watermarks
 * @since 0.1.0
 */
export class StatusWatermarkValve {
  private readonly watermarks: Float64Array
  /** Per channel: bit 1 = idle, bit 2 = aligned. */
  private readonly flags: Uint8Array
  private lastOutput = MIN_WATERMARK
  private idle = false
  private numActive: number

  /**
   * @param numChannels - the number of input channels, `>= 1`; all start active with watermark
   *   `-Infinity`
   * @param output - where the combined watermark and status go
   */
  constructor(
    readonly numChannels: number,
    private readonly output: WatermarkValveOutput,
  ) {
    if (!Number.isInteger(numChannels) || numChannels < 1)
      throw new ConfigError(`A watermark valve needs at least one input channel, not ${numChannels}.`)
    this.watermarks = new Float64Array(numChannels).fill(MIN_WATERMARK)
    this.flags = new Uint8Array(numChannels).fill(ALIGNED)
    this.numActive = numChannels
  }

  /** A watermark arrived on `channel`. */
  inputWatermark(watermark: number, channel: number): void {
    // `!(a > b)` also drops NaN
    if (!(watermark > this.watermarks[channel]!)) return
    this.watermarks[channel] = watermark
    const f = this.flags[channel]!
    if ((f & IDLE) !== 0) return
    if ((f & ALIGNED) === 0) {
      if (watermark < this.lastOutput) return
      this.flags[channel] = f | ALIGNED
    }
    this.findAndOutputNewMin()
  }

  /** `channel` became idle (`true`) or active again (`false`). */
  inputWatermarkStatus(idle: boolean, channel: number): void {
    const f = this.flags[channel]!
    if (idle) {
      if ((f & IDLE) !== 0) return
      this.flags[channel] = IDLE // idle channels are unaligned
      this.numActive--
      if (this.numActive === 0) {
        this.idle = true
        this.output.emitWatermarkStatus(true)
      } else if (this.watermarks[channel] === this.lastOutput) {
        this.findAndOutputNewMin()
      }
    } else {
      if ((f & IDLE) === 0) return
      this.numActive++
      const aligned = this.watermarks[channel]! >= this.lastOutput
      this.flags[channel] = aligned ? ALIGNED : 0
      if (this.idle) {
        this.idle = false
        this.output.emitWatermarkStatus(false)
      }
      // the output may advance when it was held by no aligned channel (all idle or unaligned)
      if (aligned) this.findAndOutputNewMin()
    }
  }

  /** The last watermark output (`-Infinity` before any). */
  currentWatermark(): number {
    return this.lastOutput
  }

  /** Whether the output is idle (all channels are). */
  isIdle(): boolean {
    return this.idle
  }

  /** The last watermark received on a channel. */
  channelWatermark(channel: number): number {
    return this.watermarks[channel]!
  }

  /** Whether a channel is idle. */
  isChannelIdle(channel: number): boolean {
    return (this.flags[channel]! & IDLE) !== 0
  }

  private findAndOutputNewMin(): void {
    let min = Number.POSITIVE_INFINITY
    let any = false
    const n = this.numChannels
    for (let i = 0; i < n; i++) {
      if ((this.flags[i]! & ALIGNED) !== 0) {
        any = true
        const w = this.watermarks[i]!
        if (w < min) min = w
      }
    }
    if (any && min > this.lastOutput) {
      this.lastOutput = min
      this.output.emitWatermark(min)
    }
  }
}

const IDLE = 1
const ALIGNED = 2
