/**
 * A piece of state, scoped to the current key (and namespace) of a keyed operator.
 *
 * @category State
 * @since 0.1.0
 */
export interface State {
  /** Removes the value of this state for the current key (and namespace). */
  clear(): void
}

/**
 * One value per key.
 *
 * @remarks
 * `value()` is `undefined` before the first `update` for the current key, after `clear()`, and
 * after the value expired by its TTL. `update(undefined)` is the same as `clear()` (as in Flink),
 * so a key never holds an entry that reads as absent.
 *
 * @typeParam T - the value type
 * @category State
 * @since 0.1.0
 */
export interface ValueState<T> extends State {
  /** The current key's value, or `undefined` if it has none. */
  value(): T | undefined
  /** Sets the current key's value; `undefined` clears it. */
  update(value: T): void
}

/**
 * A list of values per key, appended to cheaply.
 *
 * @typeParam T - the element type
 * @category State
 * @since 0.1.0
 */
export interface ListState<T> extends State {
  /** The current key's elements in insertion order (empty when it has none). */
  get(): Iterable<T>
  /** Appends one element. */
  add(value: T): void
  /** Appends all elements. */
  addAll(values: Iterable<T>): void
  /** Replaces the list with these elements. */
  update(values: Iterable<T>): void
}

/**
 * A map per key.
 *
 * @typeParam UK - the map's key type (a primitive or anything with identity equality)
 * @typeParam UV - the map's value type
 * @category State
 * @since 0.1.0
 */
export interface MapState<UK, UV> extends State {
  /** The value for a map key, or `undefined`. */
  get(key: UK): UV | undefined
  /** Sets the value for a map key. */
  put(key: UK, value: UV): void
  /** Sets every entry of the given map or entry list. */
  putAll(entries: Iterable<readonly [UK, UV]>): void
  /** Removes a map key. */
  remove(key: UK): void
  /** Whether the map holds the key. */
  contains(key: UK): boolean
  /** The map's entries. */
  entries(): Iterable<[UK, UV]>
  /** The map's keys. */
  keys(): Iterable<UK>
  /** The map's values. */
  values(): Iterable<UV>
  /** Whether the map is empty for the current key. */
  isEmpty(): boolean
}

/**
 * A value per key that the added values are folded into by a reduce function.
 *
 * @typeParam T - the value type
 * @category State
 * @since 0.1.0
 */
export interface ReducingState<T> extends State {
  /** The reduced value, or `undefined` when nothing was added. */
  get(): T | undefined
  /** Folds a value into the state. */
  add(value: T): void
}

/**
 * A value per key kept as an accumulator of an {@link AggregateFunction}.
 *
 * @typeParam IN - the type of the values added
 * @typeParam OUT - the type of the result
 * @category State
 * @since 0.1.0
 */
export interface AggregatingState<IN, OUT> extends State {
  /** The aggregate's result, or `undefined` when nothing was added. */
  get(): OUT | undefined
  /** Adds a value to the accumulator. */
  add(value: IN): void
}

/**
 * Folds two values of the same type into one. Must be associative.
 *
 * @typeParam T - the value type
 * @category Functions
 * @since 0.1.0
 */
export type ReduceFunction<T> = (a: T, b: T) => T

/**
 * An incremental aggregation: values are added to an accumulator, accumulators merge, and the
 * result is read from the accumulator (as Flink's `AggregateFunction`).
 *
 * @remarks
 * `add` and `merge` may return the (mutated) accumulator they were given.
 *
 * @typeParam IN - the type of the values aggregated
 * @typeParam ACC - the accumulator type
 * @typeParam OUT - the result type
 * @category Functions
 * @since 0.1.0
 */
export interface AggregateFunction<IN, ACC, OUT> {
  /** A new, empty accumulator. */
  createAccumulator(): ACC
  /** Adds a value to an accumulator. */
  add(value: IN, accumulator: ACC): ACC
  /** The result of an accumulator. */
  getResult(accumulator: ACC): OUT
  /** Merges two accumulators (for merging windows and parallel partial aggregation). */
  merge(a: ACC, b: ACC): ACC
}

/**
 * Non-keyed state of an operator subtask: a list whose elements are redistributed when the
 * parallelism changes (split evenly, or given whole to every subtask for union state).
 *
 * @typeParam T - the element type
 * @category State
 * @since 0.1.0
 */
export type OperatorListState<T> = ListState<T>

/**
 * Read-write broadcast state: the same map in every parallel subtask of an operator, written
 * only from the broadcast side.
 *
 * @typeParam K - the map's key type
 * @typeParam V - the map's value type
 * @category State
 * @since 0.1.0
 */
export interface BroadcastState<K, V> extends ReadOnlyBroadcastState<K, V> {
  /** Sets the value for a key. */
  put(key: K, value: V): void
  /** Sets every entry. */
  putAll(entries: Iterable<readonly [K, V]>): void
  /** Removes a key. */
  remove(key: K): void
  /** Removes every entry. */
  clear(): void
}

/**
 * Broadcast state as the non-broadcast side sees it: readable, never writable (a write there would
 * make the subtasks' copies differ).
 *
 * @typeParam K - the map's key type
 * @typeParam V - the map's value type
 * @category State
 * @since 0.1.0
 */
export interface ReadOnlyBroadcastState<K, V> {
  /** The value for a key, or `undefined`. */
  get(key: K): V | undefined
  /** Whether the key is present. */
  contains(key: K): boolean
  /** The entries, read-only. */
  entries(): Iterable<readonly [K, V]>
  /** The number of entries. */
  readonly size: number
}
