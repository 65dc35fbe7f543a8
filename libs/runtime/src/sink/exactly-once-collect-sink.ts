import { randomUUID } from 'node:crypto'
import type { CollectedRecord } from './collect-sink.js'
import type { SinkWriterContext } from './sink.js'
import type { Committer, PrecommittingSinkWriter, TwoPhaseCommittingSink } from './two-phase-commit.js'

/**
 * What an {@link ExactlyOnceCollectSink} writer hands over at a checkpoint: the records it got
 * since the one before.
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.2.0
 */
export interface ExactlyOnceCollectCommittable<T> {
  /** The index of the subtask that wrote the records. */
  readonly writer: number
  /** A random id of the writer object, fresh for every writer created or restored. */
  readonly writerId: string
  /** The checkpoint the records were prepared for. */
  readonly checkpointId: number
  /** The number of the committable among those of its writer object: 0, 1, 2, … */
  readonly seq: number
  /** The records, in the order the writer got them. */
  readonly records: readonly { readonly value: T; readonly timestamp: number }[]
}

/**
 * A two-phase-commit sink that gathers committed records in memory on the main thread: the
 * validating sink of exactly-once tests (like the validating sinks of Flink's tests).
 *
 * @remarks
 * A writer buffers the records (with their timestamps) it gets between two checkpoints and hands
 * them over as one {@link ExactlyOnceCollectCommittable} at the checkpoint (and at the end of its
 * input). The committer, which the job creates on the sink object it was built with, in the main
 * thread, appends the records of each committable to {@link ExactlyOnceCollectSink.committed}
 * once: committables the job commits again (after a restore, a commit may be repeated) are
 * recognised by their writer, writer id, checkpoint and `seq`, and skipped. So `committed` holds
 * what an exactly-once sink would have made visible: with a replayable source and checkpoints,
 * every record exactly once, whatever failures and restores happened, and never a record after
 * the last complete checkpoint of a failed attempt. Records of a writer are not visible before
 * their checkpoint is complete (or, without checkpoints, before the job finishes).
 *
 * Writers keep no state: the records since the last checkpoint are dropped with a failed writer,
 * and the source replays them. Records must be structured-clonable when the sink runs in worker
 * threads.
 *
 * Example, from the tests:
 *
 * {@includeCode ./exactly-once-collect-sink.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.2.0
 */
export class ExactlyOnceCollectSink<T> implements TwoPhaseCommittingSink<T, ExactlyOnceCollectCommittable<T>> {
  /** Marks the sink as two-phase-committing. */
  readonly twoPhaseCommit = true as const
  private readonly committedRecords: CollectedRecord<T>[] = []
  private readonly seen = new Set<string>()
  private commits = 0

  /** The committed records with their timestamps and subtasks, in commit order. */
  get committed(): readonly CollectedRecord<T>[] {
    return this.committedRecords
  }

  /** The committed records' values, in commit order. */
  get values(): T[] {
    return this.committedRecords.map((r) => r.value)
  }

  /** The committed values written by one subtask, in its order. */
  valuesOf(subtaskIndex: number): T[] {
    const values: T[] = []
    for (const r of this.committedRecords) if (r.subtaskIndex === subtaskIndex) values.push(r.value)
    return values
  }

  /** How many committables were committed (each once). */
  get committedCount(): number {
    return this.commits
  }

  /** Forgets everything committed so far (to reuse the sink for another job). */
  clear(): void {
    this.committedRecords.length = 0
    this.seen.clear()
    this.commits = 0
  }

  /** A writer that buffers records until the next checkpoint. */
  createWriter(context: SinkWriterContext): PrecommittingSinkWriter<T, ExactlyOnceCollectCommittable<T>> {
    return new ExactlyOnceCollectWriter<T>(context.subtaskIndex)
  }

  /** A fresh writer: there is no writer state. */
  restoreWriter(context: SinkWriterContext, _states: readonly never[]): PrecommittingSinkWriter<T, ExactlyOnceCollectCommittable<T>> {
    return this.createWriter(context)
  }

  /** A committer that appends to this sink's {@link ExactlyOnceCollectSink.committed}. */
  createCommitter(): Committer<ExactlyOnceCollectCommittable<T>> {
    return {
      commit: (committables) => {
        for (const c of committables) this.commitOne(c)
        return Promise.resolve()
      },
    }
  }

  private commitOne(c: ExactlyOnceCollectCommittable<T>): void {
    const key = `${c.writer}/${c.writerId}/${c.checkpointId}/${c.seq}`
    if (this.seen.has(key)) return
    this.seen.add(key)
    this.commits++
    for (const r of c.records) this.committedRecords.push({ value: r.value, timestamp: r.timestamp, subtaskIndex: c.writer })
  }
}

class ExactlyOnceCollectWriter<T> implements PrecommittingSinkWriter<T, ExactlyOnceCollectCommittable<T>> {
  private readonly writerId = randomUUID()
  private records: { value: T; timestamp: number }[] = []
  private seq = 0

  constructor(private readonly subtaskIndex: number) {}

  write(value: T, timestamp: number): void {
    this.records.push({ value, timestamp })
  }

  flush(_endOfInput: boolean): void {}

  prepareCommit(checkpointId: number): ExactlyOnceCollectCommittable<T>[] {
    if (this.records.length === 0) return []
    const records = this.records
    this.records = []
    return [{ writer: this.subtaskIndex, writerId: this.writerId, checkpointId, seq: this.seq++, records }]
  }

  snapshotState(_checkpointId: number): never[] {
    return []
  }

  close(): void {}
}
