import type { Clock } from '../time/clock.js'

/**
 * What a sink writer knows and can do.
 *
 * @category Sinks
 * @since 0.1.0
 */
export interface SinkWriterContext {
  /** This writer's subtask index. */
  readonly subtaskIndex: number
  /** The sink's parallelism. */
  readonly parallelism: number
  /** The sink operator's name. */
  readonly operatorName: string
  /** Processing time. */
  readonly clock: Clock
  /**
   * Sends a message to the sink's coordinator side ({@link Sink.onWriterMessage}), which runs in the
   * main thread whatever thread this writer runs in. Messages must be structured-clonable.
   */
  sendToCoordinator(message: unknown): void
}

/**
 * Writes records for one parallel subtask of a sink.
 *
 * @remarks
 * `write` is on the per-record path and synchronous: buffer, and do I/O in batches in `flush`.
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export interface SinkWriter<T> {
  /** Writes one record (with its timestamp, NaN for none). */
  write(value: T, timestamp: number): void
  /** Writes out what is buffered; `endOfInput` is true when no more records will come. */
  flush(endOfInput: boolean): void
  /**
   * Receives the sink subtask's watermark each time it advances (Flink's
   * `SinkWriter.writeWatermark`), e.g. to close event-time partitions. Optional.
   *
   * @since 0.2.0
   */
  writeWatermark?(watermark: number): void
  /** Releases resources. */
  close(): void
}

/**
 * A sink: makes a writer per subtask.
 *
 * @remarks
 * Two-phase-commit sinks (writer + committer, for exactly-once) extend this in a later version.
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export interface Sink<T> {
  /** Creates the writer of one subtask. */
  createWriter(context: SinkWriterContext): SinkWriter<T>
  /**
   * Receives what writers sent with {@link SinkWriterContext.sendToCoordinator}, in the main thread,
   * on the sink object the job was built with.
   */
  onWriterMessage?(subtaskIndex: number, message: unknown): void
  /** @internal keeps T in the type, never set */
  readonly _type?: T
}
