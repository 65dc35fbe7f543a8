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

/**
 * The keyed state of one operator subtask as checkpoints and savepoints store it (format
 * version 2): per key group and state, the entries as columns, serialized with `node:v8` into
 * bytes of their own.
 *
 * @remarks
 * Each {@link SerializedStateSnapshot.data} is `v8.serialize` of a {@link StateColumns}. Keeping
 * every key group's bytes apart lets the writer serialize them one at a time between records,
 * and a restore with another parallelism decode only the key groups it owns. Unlike
 * {@link KeyedStateSnapshot} (what `snapshot()` gives tests), it names each key, namespace and
 * value once per entry without property names, so it is several times smaller and faster to
 * write and read. `restore` takes both formats. Described in `docs/checkpoint-format.md`.
 *
 * @category State
 * @since 0.2.0
 */
export interface SerializedKeyedStateSnapshot {
  /** The format version, 2. */
  readonly formatVersion: 2
  /** The operator whose state this is. */
  readonly operatorName: string
  /** The number of key groups of the job; a snapshot only restores with the same value. */
  readonly maxParallelism: number
  /** The key groups the backend that took the snapshot owned (inclusive). */
  readonly keyGroupRange: { readonly start: number; readonly end: number }
  /** The key groups that hold entries, in ascending order. */
  readonly keyGroups: readonly SerializedKeyGroupSnapshot[]
}

/**
 * The entries of every state in one key group, serialized (format version 2).
 *
 * @category State
 * @since 0.2.0
 */
export interface SerializedKeyGroupSnapshot {
  /** The key group. */
  readonly keyGroup: number
  /** One item per state that has entries in this key group, ordered by name. */
  readonly states: readonly SerializedStateSnapshot[]
}

/**
 * The entries of one state in one key group, serialized (format version 2).
 *
 * @category State
 * @since 0.2.0
 */
export interface SerializedStateSnapshot {
  /** The state's name (its descriptor's name). */
  readonly name: string
  /** The state's kind; a restore into a descriptor of another kind fails. */
  readonly kind: StateKind
  /** `v8.serialize` of the entries' {@link StateColumns}. */
  readonly data: Uint8Array
}

/**
 * The entries of one state in one key group as parallel arrays: entry `i` is (`keys[i]`, its
 * namespace, `values[i]`, `timestamps?.[i]`).
 *
 * @remarks
 * Namespaces are run-length encoded: the first `namespaceRuns[0]` entries have namespace
 * `namespaces[0]`, the next `namespaceRuns[1]` have `namespaces[1]`, and so on (entries come
 * grouped by namespace, the void namespace `''` first). `values` and `timestamps` are shaped as
 * in {@link KeyedStateEntrySnapshot}; `timestamps` exists only for state with TTL (an item may be
 * `undefined` for an entry without timestamps).
 *
 * @category State
 * @since 0.2.0
 */
export interface StateColumns {
  readonly keys: readonly Key[]
  readonly namespaces: readonly Namespace[]
  readonly namespaceRuns: readonly number[]
  readonly values: readonly unknown[]
  readonly timestamps?: readonly (number | readonly number[] | undefined)[]
}

/** Either format of keyed state snapshot: what `restore` takes. @category State @since 0.2.0 */
export type AnyKeyedStateSnapshot = KeyedStateSnapshot | SerializedKeyedStateSnapshot
