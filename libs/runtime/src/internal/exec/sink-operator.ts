import { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js'
import type { OneInputStreamOperator } from '../../operators/stream-operator.js'
import type { Sink, SinkWriter } from '../../sink/sink.js'

/** Runs a sink's writer as an operator; flushes it periodically and at the end of input. */
export class SinkOperator<T> extends AbstractStreamOperator<never> implements OneInputStreamOperator<T, never> {
  private writer!: SinkWriter<T>
  private flushTimer: { cancel(): void } | undefined
  private closed = false

  constructor(
    private readonly sink: Sink<T>,
    private readonly sendToCoordinator: (subtaskIndex: number, message: unknown) => void,
    private readonly flushIntervalMs = 200,
  ) {
    super()
  }

  override open(): void {
    const info = this.ctx.info
    this.writer = this.sink.createWriter({
      subtaskIndex: info.subtaskIndex,
      parallelism: info.parallelism,
      operatorName: info.operatorName,
      clock: this.ctx.clock,
      sendToCoordinator: (m) => this.sendToCoordinator(info.subtaskIndex, m),
    })
    this.scheduleFlush()
  }

  private scheduleFlush(): void {
    const pts = this.ctx.processingTimeService
    this.flushTimer = pts.registerTimer(pts.getCurrentProcessingTime() + this.flushIntervalMs, () => {
      if (this.closed) return
      this.writer.flush(false)
      this.scheduleFlush()
    })
  }

  processElement(value: T, timestamp: number): void {
    this.writer.write(value, timestamp)
  }

  override processWatermark(): void {}

  override processWatermarkStatus(): void {}

  override finish(): void {
    this.writer.flush(true)
  }

  override close(): void {
    this.closed = true
    this.flushTimer?.cancel()
    this.writer?.close()
  }
}
