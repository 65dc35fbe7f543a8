import type { Key } from '../core/key.js'
import type { KeyGroupRange } from '../core/key-groups.js'
import type { StateDescriptor } from './state-descriptor.js'
import type { BroadcastState, ListState, State } from './state.js'
import type { MapStateDescriptor, ListStateDescriptor } from './state-descriptor.js'

/**
 * The namespace keyed state and timers are scoped to within a key, e.g. a window. It must be a
 * primitive so that it can index maps; windows encode themselves (e.g. as their end timestamp or
 * as `"start:end"`).
 *
 * @category State
 * @since 0.1.0
 */
export type Namespace = string | number

/**
 * The namespace of state that has none (plain keyed state of a process function).
 *
 * @category State
 * @since 0.1.0
 */
export const VOID_NAMESPACE: Namespace = ''

/**
 * Keyed state as an operator sees it: state of the current key, in a namespace it can switch.
 *
 * @remarks
 * Every state object a backend hands out implements this next to its user-facing interface
 * (`ValueState`, ...). The namespace is a property of the state object, the key one of the backend
 * (shared by all states of the operator).
 *
 * @typeParam S - the user-facing state interface
 * @category State
 * @since 0.1.0
 */
export interface InternalKeyedState<S extends State = State> {
  /** The user-facing view; the same object. */
  readonly state: S
  /** Scopes the following accesses to a namespace (default {@link VOID_NAMESPACE}). */
  setCurrentNamespace(namespace: Namespace): void
  /**
   * Merges the state of the current key in the `sources` namespaces into `target` and clears the
   * sources (merging windows). Only reducing, aggregating and list state can merge.
   */
  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void
}

/**
 * Holds the keyed state of one operator subtask, for the key groups it owns.
 *
 * @remarks
 * The operator sets the current key once per record (and per timer); every state object then reads
 * and writes that key's entry. Implementations: the heap backend (maps per key group, the
 * default) and, later, an on-disk one. A backend is used from one thread only.
 *
 * @typeParam K - the key type
 * @category State
 * @since 0.1.0
 */
export interface KeyedStateBackend<K extends Key> {
  /** The key groups this backend holds. */
  readonly keyGroupRange: KeyGroupRange
  /** The number of key groups in the job (maxParallelism). */
  readonly maxParallelism: number
  /** Sets the key the following state accesses are for. Fails if it lies outside the range. */
  setCurrentKey(key: K): void
  /** The current key; throws a StateError when there is none. */
  getCurrentKey(): K
  /** The key group of the current key. */
  getCurrentKeyGroup(): number
  /**
   * The state object for a descriptor, created on first use. Asking twice with the same name
   * returns the same object; a second descriptor with the same name but another kind is an error.
   */
  getOrCreateKeyedState<S extends State>(descriptor: StateDescriptor<S>): InternalKeyedState<S>
  /** The keys that have an entry in the named state and namespace. */
  getKeys(stateName: string, namespace: Namespace): Iterable<K>
  /**
   * Runs `fn` for every key that has an entry in the state and namespace, with that key set as the
   * current key; `fn` may update or clear the entry.
   */
  applyToAllKeys<S extends State>(
    namespace: Namespace,
    descriptor: StateDescriptor<S>,
    fn: (key: K, state: S) => void,
  ): void
  /** The number of (key, namespace) entries over all states, for metrics and tests. */
  numEntries(): number
  /** Releases everything. */
  dispose(): void
}

/**
 * The non-keyed state of an operator subtask: list state (redistributed evenly on rescale),
 * union list state (every subtask gets the whole list on restore) and broadcast state.
 *
 * @category State
 * @since 0.1.0
 */
export interface OperatorStateStore {
  /** List state whose elements are split evenly among subtasks on restore. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>
  /** List state that every subtask receives whole on restore. */
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>
  /** Broadcast state: a map that is the same in every subtask. */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>
}
