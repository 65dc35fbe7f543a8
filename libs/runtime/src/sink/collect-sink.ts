import { InternalError } from '../core/errors.js'
import type { Sink, SinkWriter, SinkWriterContext } from './sink.js'

/** Records a writer buffers before it sends them to the coordinator. */
const BATCH_SIZE = 1024

/**
 * A record a {@link CollectSink} received, with the subtask that wrote it.
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export interface CollectedRecord<T> {
  /** The record. */
  readonly value: T
  /** Its timestamp, `NaN` ({@link NO_TIMESTAMP}) for none. */
  readonly timestamp: number
  /** The index of the sink subtask that wrote it. */
  readonly subtaskIndex: number
}

/** What a collect writer sends to the coordinator. */
interface CollectMessage<T> {
  readonly values: T[]
  readonly timestamps: number[]
  /** The writer got its end of input: it sends nothing more. */
  readonly end: boolean
}

/**
 * A sink that gathers every record in memory on the main thread, for tests and
 * `executeAndCollect`.
 *
 * @remarks
 * Writers buffer up to 1024 records and send them, with their timestamps, to the sink object the
 * job was built with ({@link SinkWriterContext.sendToCoordinator}), also on every flush; the sink
 * appends them to {@link CollectSink.values} and {@link CollectSink.records} as they arrive. The
 * records of one subtask keep their order; the records of different subtasks interleave in
 * arrival order. Records must be structured-clonable when the sink runs in worker threads.
 *
 * Example, from the tests:
 *
 * {@includeCode ./collect-sink.spec.ts#make}
 * {@includeCode ./collect-sink.spec.ts#read}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export class CollectSink<T> implements Sink<T> {
  private readonly collectedValues: T[] = []
  private readonly collectedRecords: CollectedRecord<T>[] = []
  private readonly ended = new Set<number>()

  /** The received records' values, in arrival order. */
  get values(): readonly T[] {
    return this.collectedValues
  }

  /** The received records with their timestamps and subtasks, in arrival order. */
  get records(): readonly CollectedRecord<T>[] {
    return this.collectedRecords
  }

  /** The values written by one subtask, in its order. */
  valuesOf(subtaskIndex: number): T[] {
    const values: T[] = []
    for (const r of this.collectedRecords) if (r.subtaskIndex === subtaskIndex) values.push(r.value)
    return values
  }

  /** The subtasks whose writers have been flushed at their end of input. */
  get finishedSubtasks(): ReadonlySet<number> {
    return this.ended
  }

  /** Forgets everything received so far (to reuse the sink for another run). */
  clear(): void {
    this.collectedValues.length = 0
    this.collectedRecords.length = 0
    this.ended.clear()
  }

  /** A writer that sends batches of records to this sink. */
  createWriter(context: SinkWriterContext): SinkWriter<T> {
    return new CollectWriter<T>(context)
  }

  /** Appends a batch a writer sent. */
  onWriterMessage(subtaskIndex: number, message: unknown): void {
    const m = message as CollectMessage<T> | null
    if (m === null || typeof m !== 'object' || !Array.isArray(m.values) || !Array.isArray(m.timestamps)) {
      throw new InternalError(`CollectSink got a message it does not know from subtask ${subtaskIndex}: ${String(message)}.`)
    }
    for (let i = 0; i < m.values.length; i++) {
      const value = m.values[i] as T
      this.collectedValues.push(value)
      this.collectedRecords.push({ value, timestamp: m.timestamps[i] ?? Number.NaN, subtaskIndex })
    }
    if (m.end) this.ended.add(subtaskIndex)
  }
}

class CollectWriter<T> implements SinkWriter<T> {
  private values: T[] = []
  private timestamps: number[] = []

  constructor(private readonly context: SinkWriterContext) {}

  write(value: T, timestamp: number): void {
    this.values.push(value)
    this.timestamps.push(timestamp)
    if (this.values.length >= BATCH_SIZE) this.send(false)
  }

  flush(endOfInput: boolean): void {
    if (this.values.length > 0 || endOfInput) this.send(endOfInput)
  }

  close(): void {}

  private send(end: boolean): void {
    const message: CollectMessage<T> = { values: this.values, timestamps: this.timestamps, end }
    // fresh arrays: on the main thread the message is passed by reference
    this.values = []
    this.timestamps = []
    this.context.sendToCoordinator(message)
  }
}
