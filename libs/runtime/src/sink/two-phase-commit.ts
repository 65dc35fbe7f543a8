import type { Sink, SinkWriter, SinkWriterContext } from './sink.js'

/**
 * The writer of a {@link TwoPhaseCommittingSink}: it writes records into something not yet
 * visible (an in-progress file, an open transaction) and, at each checkpoint, hands what it wrote
 * over as committables.
 *
 * @remarks
 * At the barrier of checkpoint n the runtime calls `flush(false)`, then `prepareCommit(n)` (the
 * writer closes what it wrote since the last checkpoint and returns it as committables) and then
 * `snapshotState(n)` (what the writer needs to go on after a restore, e.g. an in-progress file it
 * keeps writing). At the end of input it calls `flush(true)` and `prepareCommit` once more for
 * the final committables. Committables and state must be structured-clonable: they go into the
 * checkpoint.
 *
 * @typeParam T - the record type
 * @typeParam CommT - what the writer hands over for committing
 * @typeParam WriterStateT - the writer's own state
 * @category Sinks
 * @since 0.2.0
 */
export interface PrecommittingSinkWriter<T, CommT, WriterStateT = never> extends SinkWriter<T> {
  /** Closes what was written since the last call and returns it, to be committed once checkpoint `checkpointId` completes. */
  prepareCommit(checkpointId: number): CommT[]
  /** The writer's state for checkpoint `checkpointId` (after `prepareCommit`). */
  snapshotState(checkpointId: number): WriterStateT[]
}

/**
 * Makes committed what writers prepared. Runs once per job, in the main thread.
 *
 * @remarks
 * The job calls `commit` with the committables of checkpoint n once n is complete in storage, and
 * again, after a restore from n, with the same committables (a crash may have come between the
 * checkpoint and the commit): so `commit` must be idempotent, committing what is not committed
 * yet and skipping what is. Committables of several checkpoints may come in one call. A rejected
 * promise fails the job, which restarts from the latest checkpoint and commits again.
 *
 * @typeParam CommT - the committable type
 * @category Sinks
 * @since 0.2.0
 */
export interface Committer<CommT> {
  commit(committables: readonly CommT[]): Promise<void>
  /** Releases resources. */
  close?(): void | Promise<void>
}

/**
 * An exactly-once sink (Flink's `TwoPhaseCommittingSink`): writers pre-commit at every checkpoint,
 * a committer commits once the checkpoint is complete.
 *
 * @remarks
 * With a replayable source and checkpoints enabled, every record's output becomes visible
 * exactly once: output of records after the last complete checkpoint is never committed, and a
 * restore replays those records. Without checkpoints, the final committables are committed when
 * the job ends (bounded input); an unbounded job then commits nothing.
 *
 * @typeParam T - the record type
 * @typeParam CommT - the committable type
 * @typeParam WriterStateT - the writer state type
 * @category Sinks
 * @since 0.2.0
 */
export interface TwoPhaseCommittingSink<T, CommT, WriterStateT = never> extends Sink<T> {
  /** Marks the sink as two-phase-committing. */
  readonly twoPhaseCommit: true
  /** Creates the writer of one subtask on a fresh start. */
  createWriter(context: SinkWriterContext): PrecommittingSinkWriter<T, CommT, WriterStateT>
  /**
   * Creates the writer of one subtask after a restore, from the writer states this subtask got
   * (redistributed evenly when the parallelism changed).
   */
  restoreWriter(context: SinkWriterContext, states: readonly WriterStateT[]): PrecommittingSinkWriter<T, CommT, WriterStateT>
  /** Creates the committer (once per job run, in the main thread). */
  createCommitter(): Committer<CommT>
}

/**
 * Whether a sink is a {@link TwoPhaseCommittingSink}.
 *
 * @category Sinks
 * @since 0.2.0
 */
export const isTwoPhaseCommittingSink = (s: Sink<unknown>): s is TwoPhaseCommittingSink<unknown, unknown, unknown> =>
  (s as { twoPhaseCommit?: unknown }).twoPhaseCommit === true
