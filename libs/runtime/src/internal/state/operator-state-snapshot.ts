/**
 * How the elements of an operator list state are redistributed when restored.
 *
 * @remarks
 * `split`: the elements of all subtasks are concatenated and dealt out round-robin, so every new
 * subtask gets an even share. `union`: every new subtask gets all elements of all subtasks.
 *
 * @category State
 * @since 0.1.0
 */
export type OperatorListStateMode = 'split' | 'union'

/**
 * The operator (non-keyed) state of one subtask at one point in time.
 *
 * @remarks
 * Plain, structured-clonable data, deep copied when taken. Restored by
 * {@link HeapOperatorStateStore.restore}, which redistributes it to a possibly different
 * parallelism.
 *
 * @category State
 * @since 0.1.0
 */
export interface OperatorStateSnapshot {
  /** The format version, 1. */
  readonly formatVersion: 1
  /** The operator whose state this is. */
  readonly operatorName: string
  /** The list states (split and union), ordered by name. */
  readonly listStates: readonly OperatorListStateSnapshot[]
  /** The broadcast states, ordered by name. */
  readonly broadcastStates: readonly BroadcastStateSnapshot[]
}

/**
 * One operator list state of a subtask.
 *
 * @category State
 * @since 0.1.0
 */
export interface OperatorListStateSnapshot {
  /** The state's name. */
  readonly name: string
  /** How the elements are redistributed on restore. */
  readonly mode: OperatorListStateMode
  /** The elements, in order. */
  readonly elements: readonly unknown[]
}

/**
 * One broadcast state of a subtask.
 *
 * @category State
 * @since 0.1.0
 */
export interface BroadcastStateSnapshot {
  /** The state's name. */
  readonly name: string
  /** The map's entries as `[key, value]` pairs, in insertion order. */
  readonly entries: readonly (readonly [unknown, unknown])[]
}
