import type { ListStateDescriptor, MapStateDescriptor } from '../state/state-descriptor.js'
import type { BroadcastState, ListState } from '../state/state.js'

/**
 * Implemented by user functions and operators that want to know when a checkpoint completed,
 * e.g. to commit what they wrote for it.
 *
 * @remarks
 * `notifyCheckpointComplete(n)` runs on the subtask's thread after checkpoint `n` is complete in
 * storage. It is a notification, not a guarantee: after a failure a notification may be lost,
 * and a later checkpoint's notification covers the earlier ones. Two-phase-commit sinks do not
 * need it: their committer is called by the job itself.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface CheckpointListener {
  notifyCheckpointComplete(checkpointId: number): void
  /** Checkpoint `n` was aborted (timeout, failure, decline). Optional. */
  notifyCheckpointAborted?(checkpointId: number): void
}

/**
 * The non-keyed state a {@link CheckpointedFunction} can keep: operator list state (split evenly
 * or, as union state, given whole to every subtask on restore) and broadcast state.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface FunctionInitializationContext {
  /** Whether state was restored from a checkpoint or savepoint. */
  isRestored(): boolean
  /** The id of the checkpoint restored from, if any. */
  readonly restoredCheckpointId: number | undefined
  /** List state whose elements are split evenly among the subtasks on restore. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>
  /** List state that every subtask receives whole on restore. */
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>
  /** A map that is the same in every subtask. */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>
}

/**
 * What a function is told when its state is snapshotted.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface FunctionSnapshotContext {
  /** The checkpoint being taken. */
  readonly checkpointId: number
}

/**
 * Implemented by user functions with non-keyed state of their own (Flink's
 * `CheckpointedFunction`): a buffering sink, a source-like function, a counter per subtask.
 *
 * @remarks
 * `initializeState` runs before `open`, on a fresh start and after a restore; the function gets
 * its operator state there and, when {@link FunctionInitializationContext.isRestored}, reads what
 * was restored. `snapshotState` runs on the subtask's thread when the checkpoint barrier passes
 * the operator: the function writes what it holds in fields into that state.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface CheckpointedFunction {
  initializeState(context: FunctionInitializationContext): void
  snapshotState(context: FunctionSnapshotContext): void
}

/**
 * Whether a value implements {@link CheckpointedFunction}.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const isCheckpointedFunction = (f: unknown): f is CheckpointedFunction =>
  typeof f === 'object' &&
  f !== null &&
  typeof (f as CheckpointedFunction).initializeState === 'function' &&
  typeof (f as CheckpointedFunction).snapshotState === 'function'

/**
 * Whether a value implements {@link CheckpointListener}.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const isCheckpointListener = (f: unknown): f is CheckpointListener =>
  typeof f === 'object' && f !== null && typeof (f as CheckpointListener).notifyCheckpointComplete === 'function'
