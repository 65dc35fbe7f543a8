import { AbstractStreamOperator, MAX_WATERMARK } from '@strom/runtime'
import type {
  OneInputStreamOperator,
  OperatorSetup,
  TimestampAssigner,
  WatermarkGenerator,
  WatermarkOutput,
  WatermarkStrategy,
} from '@strom/runtime'
import { RUNTIME_MODE_KEY } from '../../environment/runtime-execution-mode.js'

/**
 * `assignTimestampsAndWatermarks` in the middle of a job: assigns each record's timestamp and
 * makes new watermarks with the strategy's generator, per subtask.
 *
 * @remarks
 * Watermarks from upstream are dropped (this operator makes the watermarks from here on), except
 * the +infinity of the end of input, as in Flink. Periodic watermarks come from a processing-time
 * timer every `intervalMs`. In BATCH mode only timestamps are assigned.
 */
export class TimestampsAndWatermarksOperator<T>
  extends AbstractStreamOperator<T>
  implements OneInputStreamOperator<T, T>, WatermarkOutput
{
  private assigner: TimestampAssigner<T> | undefined
  private generator: WatermarkGenerator<T> | undefined
  private current = Number.NEGATIVE_INFINITY
  private idle = false
  private timer: { cancel(): void } | undefined

  constructor(
    private readonly strategy: WatermarkStrategy<T>,
    private readonly intervalMs: number,
  ) {
    super()
  }

  override setup(setup: OperatorSetup<T>): void {
    super.setup(setup)
    this.assigner = this.strategy.createTimestampAssigner()
    if (setup.config.get(RUNTIME_MODE_KEY) !== 'BATCH')
      this.generator = this.strategy.createWatermarkGenerator({ clock: setup.clock })
  }

  override open(): void {
    if (this.generator !== undefined && this.intervalMs > 0) this.schedule()
  }

  processElement(value: T, timestamp: number): void {
    const ts = this.assigner === undefined ? timestamp : this.assigner(value, timestamp)
    // the record first, then what the generator makes of it (as Flink, and as sources do): a
    // watermark the record itself causes must not make that record late
    if (this.generator !== undefined && this.idle) this.markActive()
    this.output.collect(value, ts)
    this.generator?.onEvent(value, ts, this)
  }

  override processWatermark(watermark: number): void {
    if (watermark === MAX_WATERMARK) this.emitWatermark(MAX_WATERMARK)
  }

  override processWatermarkStatus(_idle: boolean): void {}

  override close(): void {
    this.timer?.cancel()
    this.timer = undefined
  }

  /** @internal WatermarkOutput: forwards a watermark above the current one. */
  emitWatermark(watermark: number): void {
    if (watermark > this.current) {
      this.current = watermark
      if (this.idle) this.markActive()
      this.output.emitWatermark(watermark)
    }
  }

  /** @internal WatermarkOutput */
  markIdle(): void {
    if (!this.idle) {
      this.idle = true
      this.output.emitWatermarkStatus(true)
    }
  }

  /** @internal WatermarkOutput */
  markActive(): void {
    if (this.idle) {
      this.idle = false
      this.output.emitWatermarkStatus(false)
    }
  }

  private schedule(): void {
    const pts = this.ctx.processingTimeService
    this.timer = pts.registerTimer(pts.getCurrentProcessingTime() + this.intervalMs, () => {
      this.generator?.onPeriodicEmit(this)
      this.schedule()
    })
  }
}
