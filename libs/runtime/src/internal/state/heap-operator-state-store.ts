import { StateError, describeError } from '../../core/errors.js'
import type { OperatorStateStore } from '../../state/keyed-state-backend.js'
import type { ListStateDescriptor, MapStateDescriptor, StateDescriptor } from '../../state/state-descriptor.js'
import type { BroadcastState, ListState, State } from '../../state/state.js'
import type {
  BroadcastStateSnapshot,
  OperatorListStateMode,
  OperatorListStateSnapshot,
  OperatorStateSnapshot,
} from './operator-state-snapshot.js'

/**
 * What a {@link HeapOperatorStateStore} is made with.
 *
 * @category State
 * @since 0.1.0
 */
export interface HeapOperatorStateStoreOptions {
  /** The operator's name, for error messages and snapshots. */
  readonly operatorName: string
}

/**
 * Operator list state on the heap: an array.
 *
 * @internal
 */
export class HeapOperatorListState<T> implements ListState<T> {
  constructor(
    readonly mode: OperatorListStateMode,
    public items: T[],
  ) {}

  get(): Iterable<T> {
    return this.items.slice()
  }

  add(value: T): void {
    this.items.push(value)
  }

  addAll(values: Iterable<T>): void {
    for (const v of values) this.items.push(v)
  }

  update(values: Iterable<T>): void {
    this.items = Array.from(values)
  }

  clear(): void {
    this.items = []
  }
}

/**
 * Broadcast state on the heap: a `Map`.
 *
 * @internal
 */
export class HeapBroadcastState<K, V> implements BroadcastState<K, V> {
  constructor(public map: Map<K, V>) {}

  get(key: K): V | undefined {
    return this.map.get(key)
  }

  contains(key: K): boolean {
    return this.map.has(key)
  }

  entries(): Iterable<readonly [K, V]> {
    return this.map.entries()
  }

  get size(): number {
    return this.map.size
  }

  put(key: K, value: V): void {
    this.map.set(key, value)
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [k, v] of entries) this.map.set(k, v)
  }

  remove(key: K): void {
    this.map.delete(key)
  }

  clear(): void {
    this.map.clear()
  }
}

/**
 * The default operator state store: the non-keyed state of one operator subtask, on the heap.
 *
 * @remarks
 * Holds list state, union list state and broadcast state, each by name. On restore with a
 * possibly different parallelism, state is redistributed as in Flink:
 *
 * - list state (`getListState`): the elements of all old subtasks, concatenated in subtask order,
 *   are dealt out round-robin, so new subtask `i` of `p` gets elements `i`, `i + p`, `i + 2p`...;
 * - union list state (`getUnionListState`): every new subtask gets all elements;
 * - broadcast state (`getBroadcastState`): every new subtask gets the copy of the first snapshot
 *   that has it (all copies are equal).
 *
 * Restored state waits until it is asked for by name; asking for a list state as union state, or
 * the other way round, is an error. Operator state has no TTL. A store is used from one thread.
 *
 * @category State
 * @since 0.1.0
 */
export class HeapOperatorStateStore implements OperatorStateStore {
  /** The operator the state belongs to. */
  readonly operatorName: string
  private readonly lists = new Map<string, HeapOperatorListState<unknown>>()
  private readonly broadcasts = new Map<string, HeapBroadcastState<unknown, unknown>>()

  constructor(options: HeapOperatorStateStoreOptions) {
    this.operatorName = options.operatorName
  }

  /** List state whose elements are split evenly among the subtasks on restore. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.list(descriptor, 'split')
  }

  /** List state that every subtask receives whole on restore. */
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.list(descriptor, 'union')
  }

  /** Broadcast state: a map that is the same in every subtask. */
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    this.checkDescriptor(descriptor, 'map', 'broadcast')
    let s = this.broadcasts.get(descriptor.name)
    if (s === undefined) this.broadcasts.set(descriptor.name, (s = new HeapBroadcastState(new Map())))
    return s as HeapBroadcastState<K, V>
  }

  /**
   * A deep copy of every operator state, including restored state not asked for yet.
   *
   * @throws StateError naming the state when an element cannot be structured-cloned.
   */
  snapshot(): OperatorStateSnapshot {
    const listStates: OperatorListStateSnapshot[] = []
    for (const name of Array.from(this.lists.keys()).sort()) {
      const s = this.lists.get(name)!
      listStates.push({ name, mode: s.mode, elements: this.clone(name, s.items) })
    }
    const broadcastStates: BroadcastStateSnapshot[] = []
    for (const name of Array.from(this.broadcasts.keys()).sort())
      broadcastStates.push({ name, entries: this.clone(name, Array.from(this.broadcasts.get(name)!.map)) })
    return { formatVersion: 1, operatorName: this.operatorName, listStates, broadcastStates }
  }

  /**
   * Loads the share of subtask `subtaskIndex` of `parallelism` from the snapshots of all subtasks
   * of an earlier run (in their subtask order), redistributing as described on the class. When
   * there are as many snapshots as subtasks (the parallelism did not change), each subtask gets
   * back the split state of the snapshot with its index.
   *
   * @remarks
   * The data is deep-copied. States restored here replace states of the same name in this store.
   *
   * @throws StateError when the subtask is not in `[0, parallelism)`, or a state name is split
   * state in one snapshot and union state in another.
   */
  restore(snapshots: readonly OperatorStateSnapshot[], subtaskIndex: number, parallelism: number): void {
    if (!Number.isInteger(parallelism) || parallelism < 1 || !Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism)
      throw new StateError(
        `Operator '${this.operatorName}' cannot restore operator state for subtask ${subtaskIndex} of parallelism ${parallelism}.`,
      )
    const lists = new Map<string, { mode: OperatorListStateMode; elements: unknown[] }>()
    const broadcasts = new Map<string, BroadcastStateSnapshot>()
    // with the parallelism unchanged, each subtask keeps its own split state (as in Flink)
    const same = snapshots.length === parallelism
    const own = new Map<string, unknown[]>()
    snapshots.forEach((s, index) => {
      if (same && index === subtaskIndex) for (const l of s.listStates) if (l.mode === 'split') own.set(l.name, [...l.elements])
    })
    for (const s of snapshots) {
      if (s.formatVersion !== 1)
        throw new StateError(
          `Operator '${this.operatorName}' cannot restore an operator state snapshot of format version ${String(s.formatVersion)}; this version of Strom reads version 1.`,
        )
      for (const l of s.listStates) {
        if (l.mode !== 'split' && l.mode !== 'union')
          throw new StateError(`Operator '${this.operatorName}' cannot restore list state '${l.name}' of unknown mode ${JSON.stringify(l.mode)}.`)
        let acc = lists.get(l.name)
        if (acc === undefined) lists.set(l.name, (acc = { mode: l.mode, elements: [] }))
        else if (acc.mode !== l.mode)
          throw new StateError(
            `Operator '${this.operatorName}' cannot restore list state '${l.name}': it is ${modeText(acc.mode)} in one snapshot and ${modeText(l.mode)} in another.`,
          )
        for (const e of l.elements) acc.elements.push(e)
      }
      for (const b of s.broadcastStates) if (!broadcasts.has(b.name)) broadcasts.set(b.name, b)
    }
    for (const [name, { mode, elements }] of lists) {
      let mine: unknown[] = elements
      if (mode === 'split') {
        if (same) mine = own.get(name) ?? []
        else {
          mine = []
          for (let i = subtaskIndex; i < elements.length; i += parallelism) mine.push(elements[i])
        }
      }
      this.lists.set(name, new HeapOperatorListState(mode, structuredClone(mine)))
    }
    for (const [name, b] of broadcasts)
      this.broadcasts.set(name, new HeapBroadcastState(new Map(structuredClone(b.entries) as [unknown, unknown][])))
  }

  /** Drops all state. */
  dispose(): void {
    this.lists.clear()
    this.broadcasts.clear()
  }

  private list<T>(descriptor: ListStateDescriptor<T>, mode: OperatorListStateMode): ListState<T> {
    this.checkDescriptor(descriptor, 'list', mode === 'split' ? 'list' : 'union list')
    let s = this.lists.get(descriptor.name)
    if (s === undefined) this.lists.set(descriptor.name, (s = new HeapOperatorListState<unknown>(mode, [])))
    else if (s.mode !== mode)
      throw new StateError(
        `Operator '${this.operatorName}' asks for operator state '${descriptor.name}' as ${modeText(mode)}, but it exists as ${modeText(s.mode)}. Use the same method (getListState or getUnionListState) in every run.`,
      )
    return s as HeapOperatorListState<T>
  }

  private checkDescriptor(descriptor: StateDescriptor<State>, kind: 'list' | 'map', what: string): void {
    if (descriptor.kind !== kind)
      throw new StateError(
        `Operator '${this.operatorName}' asks for ${what} state '${descriptor.name}' with a ${descriptor.kind} state descriptor; it needs a ${kind} state descriptor.`,
      )
    if (descriptor.ttlConfig !== undefined)
      throw new StateError(
        `Operator '${this.operatorName}' asks for ${what} state '${descriptor.name}' with a TTL: only keyed state can have a time-to-live.`,
      )
  }

  private clone<T>(name: string, value: T): T {
    try {
      return structuredClone(value)
    } catch (cause) {
      throw new StateError(
        `Cannot snapshot operator state '${name}' of operator '${this.operatorName}': its elements must be structured-clonable (no functions, symbols or other uncloneable objects). ${describeError(cause)}`,
        { cause },
      )
    }
  }
}

const modeText = (mode: OperatorListStateMode): string => (mode === 'split' ? 'list state' : 'union list state')
