import { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js'
import type { OneInputStreamOperator, StateInitializationContext } from '../../operators/stream-operator.js'
import type { Sink, SinkWriter, SinkWriterContext } from '../../sink/sink.js'
import { isTwoPhaseCommittingSink, type PrecommittingSinkWriter } from '../../sink/two-phase-commit.js'
import { ListStateDescriptor } from '../../state/state-descriptor.js'
import type { ListState } from '../../state/state.js'
import { END_OF_INPUT_CHECKPOINT_ID } from './checkpoint-messages.js'

const WRITER_STATE = new ListStateDescriptor<unknown>('strom.sink-writer-state')

/**
 * Runs a sink's writer as an operator; flushes it periodically, at checkpoints and at the end of
 * input. For a two-phase-commit sink it also prepares the committables at each checkpoint (the
 * task sends them with its acknowledgement) and keeps the writer's state in operator list state.
 */
export class SinkOperator<T> extends AbstractStreamOperator<never> implements OneInputStreamOperator<T, never> {
  private writer!: SinkWriter<T>
  private flushTimer: { cancel(): void } | undefined
  private closed = false
  /** Whether the sink is two-phase-committing. */
  readonly twoPhase: boolean
  private writerState: ListState<unknown> | undefined
  private restored = false
  private prepared: unknown[] = []

  constructor(
    private readonly sink: Sink<T>,
    private readonly sendToCoordinator: (subtaskIndex: number, message: unknown) => void,
    private readonly flushIntervalMs = 200,
  ) {
    super()
    this.twoPhase = isTwoPhaseCommittingSink(sink)
  }

  override initializeState(context: StateInitializationContext): void {
    if (!this.twoPhase) return
    this.writerState = this.ctx.operatorStateStore.getListState(WRITER_STATE)
    this.restored = context.isRestored()
  }

  override open(): void {
    const info = this.ctx.info
    const context: SinkWriterContext = {
      subtaskIndex: info.subtaskIndex,
      parallelism: info.parallelism,
      operatorName: info.operatorName,
      clock: this.ctx.clock,
      sendToCoordinator: (m) => this.sendToCoordinator(info.subtaskIndex, m),
    }
    const sink = this.sink
    if (isTwoPhaseCommittingSink(sink) && this.restored) this.writer = sink.restoreWriter(context, [...(this.writerState?.get() ?? [])]) as SinkWriter<T>
    else this.writer = sink.createWriter(context)
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

  override processWatermark(watermark: number): void {
    this.writer.writeWatermark?.(watermark)
  }

  override processWatermarkStatus(): void {}

  override snapshotState(checkpointId: number): void {
    this.writer.flush(false)
    if (!this.twoPhase) return
    const w = this.writer as PrecommittingSinkWriter<T, unknown, unknown>
    this.prepared.push(...w.prepareCommit(checkpointId))
    this.writerState!.update(w.snapshotState(checkpointId))
  }

  /** The committables prepared at the last checkpoint(s), handed over once. */
  takePrepared(): unknown[] {
    const p = this.prepared
    this.prepared = []
    return p
  }

  /** After `finish()`: the committables of the end of input. */
  takeFinalCommittables(): unknown[] {
    return this.takePrepared()
  }

  override finish(): void {
    this.writer.flush(true)
    if (this.twoPhase) this.prepared.push(...(this.writer as PrecommittingSinkWriter<T, unknown, unknown>).prepareCommit(END_OF_INPUT_CHECKPOINT_ID))
  }

  override close(): void {
    this.closed = true
    this.flushTimer?.cancel()
    this.writer?.close()
  }
}
