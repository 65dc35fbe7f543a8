import { StateError, describeError } from '../../core/errors.js'
import type { Key } from '../../core/key.js'
import type { KeyGroupRange } from '../../core/key-groups.js'
import { UPPER_BOUND_MAX_PARALLELISM, hashKey, keyGroupOf } from '../../core/key-groups.js'
import type { InternalKeyedState, KeyedStateBackend, Namespace } from '../../state/keyed-state-backend.js'
import type {
  AggregatingStateDescriptor,
  ReducingStateDescriptor,
  StateDescriptor,
  StateKind,
} from '../../state/state-descriptor.js'
import type { State } from '../../state/state.js'
import type { ListCell, MapCell, ValueCell } from './cells.js'
import { codecFor } from './cells.js'
import { HeapAggregatingState } from './heap-aggregating-state.js'
import { HeapListState } from './heap-list-state.js'
import { HeapMapState } from './heap-map-state.js'
import { HeapReducingState } from './heap-reducing-state.js'
import { HeapValueState } from './heap-value-state.js'
import { EPOCH_MASK, KeyContext } from './key-context.js'
import type {
  KeyGroupSnapshot,
  KeyGroupStateSnapshot,
  KeyedStateEntrySnapshot,
  KeyedStateSnapshot,
} from './keyed-state-snapshot.js'
import { StateTable } from './state-table.js'
import { TtlSettings } from './ttl-settings.js'

/**
 * What a {@link HeapKeyedStateBackend} is made with.
 *
 * @category State
 * @since 0.1.0
 */
export interface HeapKeyedStateBackendOptions {
  /** The key groups this subtask owns. */
  readonly keyGroupRange: KeyGroupRange
  /** The number of key groups of the job (its maxParallelism). */
  readonly maxParallelism: number
  /** The operator's name, for error messages and snapshots. */
  readonly operatorName: string
  /** The processing-time clock state TTL runs on (the operator's clock; a manual one in tests). */
  readonly ttlTimeProvider: () => number
}

const KINDS: ReadonlySet<string> = new Set<StateKind>(['value', 'list', 'map', 'reducing', 'aggregating'])

/** Renders a key for an error message. @internal */
export const describeKey = (key: unknown): string =>
  typeof key === 'string' ? JSON.stringify(key) : typeof key === 'bigint' ? `${key}n` : String(key)

/**
 * The default keyed state backend: every state lives in JavaScript maps.
 *
 * @remarks
 * Per state, the backend keeps one `Map` from key to entry for the void namespace and a `Map`
 * from namespace to such a map for the others (windows), shared by all the key groups of its
 * range. Key groups are computed only where they matter: snapshots group the entries by key
 * group (which is what makes them restorable with another parallelism), a restore takes only the
 * key groups of the backend's range, {@link HeapKeyedStateBackend.getKeys} lists keys by key
 * group, and {@link HeapKeyedStateBackend.getCurrentKeyGroup} computes the current key's group on
 * demand (once per key).
 *
 * The per-record path is `setCurrentKey` followed by accesses to the state objects. When the
 * backend owns all key groups (parallelism 1), `setCurrentKey` does not hash the key at all;
 * otherwise it hashes it once to check that the key lies in the backend's range. Each state
 * caches the entry of the current key, so reading then writing a value state costs one map
 * lookup and allocates nothing once the key has an entry.
 *
 * TTL (`descriptor.enableTimeToLive`) runs on `ttlTimeProvider`. Expired entries are removed when
 * they are accessed and by incremental cleanup: each access to a state with TTL checks the next
 * `cleanupSize` entries of that state, cycling through all of them. List state expires per element
 * and map state per map entry.
 *
 * A backend is used from one thread only.
 *
 * Example, from the tests (one record: set its key, then read and write the key's state):
 *
 * {@includeCode ./heap-keyed-state-backend.spec.ts#example}
 *
 * @typeParam K - the key type
 * @category State
 * @since 0.1.0
 */
export class HeapKeyedStateBackend<K extends Key> implements KeyedStateBackend<K> {
  /** The key groups this backend holds. */
  readonly keyGroupRange: KeyGroupRange
  /** The number of key groups in the job. */
  readonly maxParallelism: number
  /** The operator the state belongs to. */
  readonly operatorName: string
  private readonly ttlTimeProvider: () => number
  private readonly start: number
  private readonly end: number
  private readonly numGroups: number
  /** Whether `setCurrentKey` must check the key's group: false when the backend owns them all. */
  private readonly checkRange: boolean
  private readonly ctx = new KeyContext<K>()
  private readonly tables = new Map<string, StateTable<K, any>>()
  private readonly states = new Map<string, InternalKeyedState<State>>()
  private disposed = false

  constructor(options: HeapKeyedStateBackendOptions) {
    const { keyGroupRange, maxParallelism, operatorName } = options
    if (!Number.isInteger(maxParallelism) || maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM)
      throw new StateError(
        `Operator '${operatorName}' got maxParallelism ${maxParallelism}; it must be an integer from 1 to ${UPPER_BOUND_MAX_PARALLELISM}.`,
      )
    if (
      keyGroupRange.size > 0 &&
      (!Number.isInteger(keyGroupRange.start) ||
        !Number.isInteger(keyGroupRange.end) ||
        keyGroupRange.start < 0 ||
        keyGroupRange.end >= maxParallelism)
    )
      throw new StateError(
        `Operator '${operatorName}' got ${keyGroupRange.toString()}, which does not fit in the ${maxParallelism} key groups [0, ${maxParallelism - 1}].`,
      )
    this.keyGroupRange = keyGroupRange
    this.maxParallelism = maxParallelism
    this.operatorName = operatorName
    this.ttlTimeProvider = options.ttlTimeProvider
    this.start = keyGroupRange.start
    this.end = keyGroupRange.end
    this.numGroups = keyGroupRange.size
    this.checkRange = keyGroupRange.size !== maxParallelism
  }

  /**
   * Sets the key the following state accesses are for.
   *
   * @remarks
   * Every state then reads and writes that key's entry. When the backend owns only some of the
   * key groups, hashes the key once to check that its group is one of them; when it owns all of
   * them (parallelism 1), only checks the key's type, and the key group is computed if and when
   * {@link HeapKeyedStateBackend.getCurrentKeyGroup} asks for it.
   *
   * @throws StateError when the key's group lies outside {@link HeapKeyedStateBackend.keyGroupRange}.
   * @throws TypeError when the key is not a string, number, bigint or boolean.
   */
  setCurrentKey(key: K): void {
    const ctx = this.ctx
    // No "same key as before" shortcut: comparing distinct strings costs more than it saves.
    if (this.checkRange) {
      const kg = keyGroupOf(key, this.maxParallelism)
      if (kg < this.start || kg > this.end) throw this.outOfRange(key, kg)
      ctx.keyGroup = kg
    } else {
      const t = typeof key
      // hashKey throws the TypeError that names the wrong type
      if (t !== 'string' && t !== 'number' && t !== 'bigint' && t !== 'boolean') hashKey(key)
      ctx.keyGroup = -1
    }
    ctx.key = key
    ctx.hasKey = true
    const epoch = (ctx.epoch + 1) & EPOCH_MASK
    ctx.epoch = epoch
    if (epoch === 0) this.invalidateAll()
  }

  /** The current key; throws a StateError when there is none. */
  getCurrentKey(): K {
    if (!this.ctx.hasKey) throw this.noKey('read the current key')
    return this.ctx.key
  }

  /**
   * The key group of the current key (computed on the first call for a key, then remembered until
   * the key changes); throws a StateError when there is no current key.
   */
  getCurrentKeyGroup(): number {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKey('read the current key group')
    let kg = ctx.keyGroup
    if (kg < 0) ctx.keyGroup = kg = keyGroupOf(ctx.key, this.maxParallelism)
    return kg
  }

  /**
   * The state object for a descriptor, created on first use.
   *
   * @remarks
   * Asking again with the same name returns the same object (its TTL and functions are those of
   * the first descriptor). State restored from a snapshot waits for this call; its kind must match
   * the descriptor's.
   *
   * @throws StateError when the name is taken by a state of another kind.
   */
  getOrCreateKeyedState<S extends State>(descriptor: StateDescriptor<S>): InternalKeyedState<S> {
    const name = descriptor.name
    const existing = this.states.get(name)
    if (existing !== undefined) {
      const kind = this.tables.get(name)!.kind
      if (kind !== descriptor.kind) throw this.kindMismatch(name, descriptor.kind, kind, 'registered')
      return existing as unknown as InternalKeyedState<S>
    }
    this.checkOpen()
    if (!KINDS.has(descriptor.kind))
      throw new StateError(`Operator '${this.operatorName}' asks for state '${name}' of unknown kind '${descriptor.kind}'.`)
    let table = this.tables.get(name)
    if (table !== undefined && table.kind !== descriptor.kind)
      throw this.kindMismatch(name, descriptor.kind, table.kind, 'restored from a snapshot')
    if (table === undefined) {
      table = this.newTable(name, descriptor.kind)
      this.tables.set(name, table)
    }
    const config = descriptor.ttlConfig
    const ttl = config === undefined ? undefined : new TtlSettings(config, this.ttlTimeProvider)
    if (table.size() > 0) {
      const fill = ttl === undefined ? undefined : this.ttlTimeProvider()
      for (const cell of table.cells()) table.codec.setTimestamps(cell, fill)
    }
    table.materialized = true
    table.ttl = ttl
    const state = this.newState(descriptor, table, ttl)
    this.states.set(name, state)
    return state as unknown as InternalKeyedState<S>
  }

  /** The keys that have an entry in the named state and namespace, in key group order (a copy). */
  getKeys(stateName: string, namespace: Namespace): Iterable<K> {
    const table = this.tables.get(stateName)
    return table === undefined ? [] : table.keysIn(namespace)
  }

  /**
   * Runs `fn` for every key with an entry in the state and namespace, with that key set as the
   * current key and the state switched to the namespace; `fn` may update or clear the entry.
   *
   * @remarks
   * The keys are collected first, so `fn` may change the state freely. Afterwards the previous
   * current key and the state's previous namespace are set again.
   */
  applyToAllKeys<S extends State>(
    namespace: Namespace,
    descriptor: StateDescriptor<S>,
    fn: (key: K, state: S) => void,
  ): void {
    const internal = this.getOrCreateKeyedState(descriptor)
    const table = this.tables.get(descriptor.name)!
    const keys = table.keysIn(namespace)
    const ctx = this.ctx
    const hadKey = ctx.hasKey
    const prevKey = ctx.key
    const prevNs = table.ns
    internal.setCurrentNamespace(namespace)
    try {
      for (const key of keys) {
        this.setCurrentKey(key)
        fn(key, internal.state)
      }
    } finally {
      internal.setCurrentNamespace(prevNs)
      if (hadKey) this.setCurrentKey(prevKey)
      else this.unsetKey()
    }
  }

  /** The number of (key, namespace) entries over all states, restored ones included. */
  numEntries(): number {
    let n = 0
    for (const t of this.tables.values()) n += t.size()
    return n
  }

  /**
   * A deep copy of all keyed state, grouped by key group, TTL timestamps included.
   *
   * @remarks
   * Includes state restored but not asked for yet. Expired entries that were not cleaned up yet
   * are included too (they are cleaned up after a restore as they would have been).
   *
   * @throws StateError naming the state when a value cannot be structured-cloned.
   */
  snapshot(): KeyedStateSnapshot {
    this.checkOpen()
    const names = Array.from(this.tables.keys()).sort()
    // per state (by name order), per key group index: the entries, or undefined when there are none
    const byState: (KeyedStateEntrySnapshot[] | undefined)[][] = []
    for (const name of names) {
      const t = this.tables.get(name)!
      const groups = new Array<KeyedStateEntrySnapshot[] | undefined>(this.numGroups).fill(undefined)
      byState.push(groups)
      if (t.size() === 0) continue
      const codec = t.codec
      const withTs = !t.materialized || t.ttl !== undefined
      t.forEachByKeyGroup((g, key, namespace, cell) => {
        const value = codec.exportValue(cell)
        const timestamps = withTs ? codec.exportTimestamps(cell) : undefined
        const entry: KeyedStateEntrySnapshot =
          timestamps === undefined ? { key, namespace, value } : { key, namespace, value, timestamps }
        const entries = groups[g]
        if (entries === undefined) groups[g] = [entry]
        else entries.push(entry)
      })
    }
    const keyGroups: KeyGroupSnapshot[] = []
    for (let g = 0; g < this.numGroups; g++) {
      const states: KeyGroupStateSnapshot[] = []
      for (let i = 0; i < names.length; i++) {
        const entries = byState[i]![g]
        if (entries !== undefined) states.push({ name: names[i]!, kind: this.tables.get(names[i]!)!.kind, entries })
      }
      if (states.length > 0) keyGroups.push({ keyGroup: this.start + g, states })
    }
    const raw: KeyedStateSnapshot = {
      formatVersion: 1,
      operatorName: this.operatorName,
      maxParallelism: this.maxParallelism,
      keyGroupRange: { start: this.start, end: this.end },
      keyGroups,
    }
    try {
      return structuredClone(raw)
    } catch (e) {
      throw this.cloneError(raw, names, e)
    }
  }

  /**
   * Loads the key groups of these snapshots that lie in this backend's range; the others are
   * skipped.
   *
   * @remarks
   * Restoring the snapshots of every subtask of an earlier run into each new subtask rescales
   * the state: each key group goes to exactly one new subtask. The data is deep-copied, so one
   * snapshot may be restored many times. A state's data waits until
   * {@link HeapKeyedStateBackend.getOrCreateKeyedState} asks for it, or goes into it directly if
   * it was asked for already (entries of the same key and namespace are replaced). TTL timestamps
   * are kept; a state whose descriptor adds a TTL starts its restored entries' TTL when it is
   * first asked for after the restore, one whose descriptor has none drops them.
   *
   * @throws StateError when a snapshot has another maxParallelism, a state's kind conflicts, or
   * an entry is malformed or lies in the wrong key group.
   */
  restore(snapshots: readonly KeyedStateSnapshot[]): void {
    this.checkOpen()
    let now: number | undefined
    for (const s of snapshots) {
      if (s.formatVersion !== 1)
        throw new StateError(
          `Operator '${this.operatorName}' cannot restore a keyed state snapshot of format version ${String(s.formatVersion)}; this version of Strom reads version 1.`,
        )
      if (s.maxParallelism !== this.maxParallelism)
        throw new StateError(
          `Operator '${this.operatorName}' cannot restore keyed state of operator '${s.operatorName}' taken with maxParallelism ${s.maxParallelism}: this job has maxParallelism ${this.maxParallelism}, and keyed state moves only between jobs with the same maxParallelism.`,
        )
      for (const group of s.keyGroups) {
        const kg = group.keyGroup
        if (kg < this.start || kg > this.end) continue
        const states = structuredClone(group.states)
        for (const st of states) {
          const t = this.tableForRestore(st.name, st.kind)
          const where = `state '${st.name}' in key group ${kg} of operator '${this.operatorName}'`
          const codec = t.codec
          let fill: number | undefined
          if (t.materialized && t.ttl !== undefined) fill = now ??= this.ttlTimeProvider()
          for (const e of st.entries) {
            const ns = e.namespace
            if (typeof ns !== 'string' && typeof ns !== 'number')
              throw new StateError(`Cannot restore ${where}: an entry has a namespace of type ${typeof ns}.`)
            let actual: number
            try {
              actual = keyGroupOf(e.key, this.maxParallelism)
            } catch (cause) {
              throw new StateError(`Cannot restore ${where}: an entry has an invalid key. ${describeError(cause)}`, { cause })
            }
            if (actual !== kg)
              throw new StateError(
                `Cannot restore ${where}: key ${describeKey(e.key)} belongs to key group ${actual}. The snapshot was taken with another key hash.`,
              )
            const cell = codec.importCell(e.value, e.timestamps, where)
            if (t.materialized) codec.setTimestamps(cell, fill)
            t.putRaw(e.key as K, ns, cell)
          }
        }
      }
    }
  }

  /** Drops all state; the backend cannot be used afterwards. */
  dispose(): void {
    for (const t of this.tables.values()) t.clearAll()
    this.tables.clear()
    this.states.clear()
    this.unsetKey()
    this.disposed = true
  }

  // ---- helpers ----

  private bumpEpoch(): void {
    const ctx = this.ctx
    const epoch = (ctx.epoch + 1) & EPOCH_MASK
    ctx.epoch = epoch
    if (epoch === 0) this.invalidateAll()
  }

  /** The key epoch wrapped around: no cached entry may be trusted any more. */
  private invalidateAll(): void {
    for (const t of this.tables.values()) t.invalidate()
  }

  private unsetKey(): void {
    const ctx = this.ctx
    ctx.hasKey = false
    ctx.key = undefined as unknown as K
    ctx.keyGroup = -1
    this.bumpEpoch()
  }

  private newTable(name: string, kind: StateKind): StateTable<K, any> {
    return new StateTable<K, unknown>(
      name,
      kind,
      codecFor(kind),
      this.ctx,
      this.start,
      this.numGroups,
      this.maxParallelism,
      this.operatorName,
    )
  }

  private newState(
    descriptor: StateDescriptor<State>,
    table: StateTable<K, any>,
    ttl: TtlSettings | undefined,
  ): InternalKeyedState<State> {
    switch (descriptor.kind) {
      case 'value':
        return new HeapValueState<K, unknown>(table as StateTable<K, ValueCell<unknown>>, ttl)
      case 'list':
        return new HeapListState<K, unknown>(table as StateTable<K, ListCell<unknown>>, ttl)
      case 'map':
        return new HeapMapState<K, unknown, unknown>(table as StateTable<K, MapCell<unknown, unknown>>, ttl)
      case 'reducing':
        return new HeapReducingState<K, unknown>(
          table as StateTable<K, ValueCell<unknown>>,
          ttl,
          (descriptor as unknown as ReducingStateDescriptor<unknown>).reduceFunction,
        )
      case 'aggregating':
        return new HeapAggregatingState<K, unknown, unknown, unknown>(
          table as StateTable<K, ValueCell<unknown>>,
          ttl,
          (descriptor as unknown as AggregatingStateDescriptor<unknown, unknown, unknown>).aggregateFunction,
        )
    }
  }

  private tableForRestore(name: string, kind: StateKind): StateTable<K, any> {
    if (typeof name !== 'string' || !KINDS.has(kind))
      throw new StateError(
        `Operator '${this.operatorName}' cannot restore state ${JSON.stringify(name)} of kind ${JSON.stringify(kind)}: the snapshot is corrupt or was not written by Strom.`,
      )
    let t = this.tables.get(name)
    if (t === undefined) {
      t = this.newTable(name, kind)
      this.tables.set(name, t)
    } else if (t.kind !== kind)
      throw new StateError(
        `Operator '${this.operatorName}' cannot restore state '${name}' as ${kind} state: it already holds it as ${t.kind} state (from its descriptor or an earlier snapshot).`,
      )
    return t
  }

  private kindMismatch(name: string, asked: StateKind, actual: StateKind, how: string): StateError {
    return new StateError(
      `Operator '${this.operatorName}' asks for state '${name}' as ${asked} state, but it was ${how} as ${actual} state. A state name stands for one kind of state; rename the new state or migrate the old one.`,
    )
  }

  private outOfRange(key: K, kg: number): StateError {
    return new StateError(
      `Operator '${this.operatorName}' got key ${describeKey(key)} of key group ${kg}, outside its ${this.keyGroupRange.toString()} (maxParallelism ${this.maxParallelism}): records must reach a keyed operator through a hash-by-key-group exchange with the same maxParallelism.`,
    )
  }

  private noKey(what: string): StateError {
    return new StateError(
      `Operator '${this.operatorName}' tried to ${what}, but no key is set: keyed state can only be used while a keyed record or timer is processed.`,
    )
  }

  private checkOpen(): void {
    if (this.disposed)
      throw new StateError(`The keyed state backend of operator '${this.operatorName}' was disposed and cannot be used any more.`)
  }

  private cloneError(raw: KeyedStateSnapshot, names: readonly string[], cause: unknown): StateError {
    for (const name of names) {
      const values: unknown[] = []
      for (const g of raw.keyGroups) for (const st of g.states) if (st.name === name) values.push(st.entries)
      try {
        structuredClone(values)
      } catch {
        return new StateError(
          `Cannot snapshot state '${name}' of operator '${this.operatorName}': its keys and values must be structured-clonable (no functions, symbols or other uncloneable objects). ${describeError(cause)}`,
          { cause },
        )
      }
    }
    return new StateError(`Cannot snapshot the keyed state of operator '${this.operatorName}'. ${describeError(cause)}`, { cause })
  }
}
