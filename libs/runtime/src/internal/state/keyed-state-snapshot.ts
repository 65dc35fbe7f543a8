import type { Key } from '../../core/key.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'

/**
 * The keyed state of one operator subtask at one point in time, grouped by key group.
 *
 * @remarks
 * Plain data made of objects, arrays, strings, numbers and the state values themselves, deep
 * copied when taken (`structuredClone`), so it can cross worker threads and never changes when
 * the state does. Grouping by key group is what lets a restore with another parallelism take
 * exactly the key groups it owns: see {@link HeapKeyedStateBackend.restore}.
 *
 * State values must be structured-clonable: functions and symbols cannot be snapshotted, and
 * class instances come back as plain objects.
 *
 * @category State
 * @since 0.1.0
 */
export interface KeyedStateSnapshot {
  /** The format version, 1. */
  readonly formatVersion: 1
  /** The operator whose state this is. */
  readonly operatorName: string
  /** The number of key groups of the job; a snapshot only restores with the same value. */
  readonly maxParallelism: number
  /** The key groups the backend that took the snapshot owned (inclusive). */
  readonly keyGroupRange: { readonly start: number; readonly end: number }
  /** The key groups that hold entries, in ascending order. */
  readonly keyGroups: readonly KeyGroupSnapshot[]
}

/**
 * The entries of every state in one key group.
 *
 * @category State
 * @since 0.1.0
 */
export interface KeyGroupSnapshot {
  /** The key group. */
  readonly keyGroup: number
  /** One item per state that has entries in this key group, ordered by name. */
  readonly states: readonly KeyGroupStateSnapshot[]
}

/**
 * The entries of one state in one key group.
 *
 * @category State
 * @since 0.1.0
 */
export interface KeyGroupStateSnapshot {
  /** The state's name (its descriptor's name). */
  readonly name: string
  /** The state's kind; a restore into a descriptor of another kind fails. */
  readonly kind: StateKind
  /** The (key, namespace) entries. */
  readonly entries: readonly KeyedStateEntrySnapshot[]
}

/**
 * One (key, namespace) entry of a keyed state.
 *
 * @remarks
 * `value` by state kind: `value` and `reducing` hold the value, `aggregating` the accumulator,
 * `list` an array of the elements, `map` an array of `[key, value]` pairs.
 *
 * `timestamps` exists only for state with TTL: the time (ms, processing time) each item was last
 * renewed. A number for value, reducing and aggregating state; an array aligned with the elements
 * (list) or the pairs (map) otherwise.
 *
 * @category State
 * @since 0.1.0
 */
export interface KeyedStateEntrySnapshot {
  /** The key. */
  readonly key: Key
  /** The namespace (`''` for none). */
  readonly namespace: Namespace
  /** The entry's value, shaped by the state kind. */
  readonly value: unknown
  /** The TTL timestamps, for state with TTL only. */
  readonly timestamps?: number | readonly number[]
}
