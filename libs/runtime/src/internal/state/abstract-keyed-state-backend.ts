import { deserialize } from 'node:v8'
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
import type { CellTable } from './cell-table.js'
import type { ListCell, MapCell, ValueCell } from './cells.js'
import { EPOCH_MASK, KeyContext } from './key-context.js'
import type {
  AnyKeyedStateSnapshot,
  KeyGroupSnapshot,
  KeyGroupStateSnapshot,
  KeyedStateEntrySnapshot,
  KeyedStateSnapshot,
  SerializedKeyGroupSnapshot,
  SerializedKeyedStateSnapshot,
  StateColumns,
} from './keyed-state-snapshot.js'
import type { StateTableBase } from './state-table-base.js'
import { TableAggregatingState } from './table-aggregating-state.js'
import { TableListState } from './table-list-state.js'
import { TableMapState } from './table-map-state.js'
import { TableReducingState } from './table-reducing-state.js'
import { TableValueState } from './table-value-state.js'
import { TtlSettings } from './ttl-settings.js'

/** What every keyed state backend is made with. @internal */
export interface KeyedStateBackendBaseOptions {
  readonly keyGroupRange: KeyGroupRange
  readonly maxParallelism: number
  readonly operatorName: string
  readonly ttlTimeProvider: () => number
}

/** The tables a backend keeps: one per state, each with its state objects' view of it. @internal */
export type BackendTable<K> = StateTableBase<K, any, any> & CellTable<any>

/** The entries of one state in a snapshot being taken, per key group index (`undefined`: none). @internal */
export type SnapshotGroups = (KeyedStateEntrySnapshot[] | undefined)[]

const KINDS: ReadonlySet<string> = new Set<StateKind>(['value', 'list', 'map', 'reducing', 'aggregating'])

/** Renders a key for an error message. @internal */
export const describeKey = (key: unknown): string =>
  typeof key === 'string' ? JSON.stringify(key) : typeof key === 'bigint' ? `${key}n` : String(key)

/**
 * What the heap and lmdb keyed state backends do alike: the current key, the state objects and
 * their checks, key listings, the snapshot format and restore's validation; where the backends
 * differ (how a table is made and listed, how restored entries are stored), a hook.
 *
 * @remarks
 * `setCurrentKey` is the per-record path: the lmdb backend overrides it to shrink its write cache
 * first and then calls this one. A process runs one kind of backend (the lmdb module is loaded
 * only by jobs that use it), so the shared code stays monomorphic there.
 *
 * @typeParam K - the key type
 * @typeParam T - the backend's table class
 * @internal
 */
export abstract class AbstractKeyedStateBackend<K extends Key, T extends BackendTable<K>> implements KeyedStateBackend<K> {
  /** The key groups this backend holds. */
  readonly keyGroupRange: KeyGroupRange
  /** The number of key groups in the job. */
  readonly maxParallelism: number
  /** The operator the state belongs to. */
  readonly operatorName: string
  /** @internal */
  protected readonly ttlTimeProvider: () => number
  /** @internal */
  protected readonly start: number
  /** @internal */
  protected readonly end: number
  /** @internal */
  protected readonly numGroups: number
  /** Whether `setCurrentKey` must check the key's group: false when the backend owns them all. */
  private readonly checkRange: boolean
  /** @internal */
  protected readonly ctx = new KeyContext<K>()
  /** @internal */
  protected readonly tables = new Map<string, T>()
  /** @internal */
  protected readonly states = new Map<string, InternalKeyedState<State>>()
  /** @internal */
  protected disposed = false

  constructor(options: KeyedStateBackendBaseOptions) {
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
   * `getCurrentKeyGroup` asks for it.
   *
   * @throws StateError when the key's group lies outside the backend's `keyGroupRange`.
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
   * the descriptor's, and its entries gain TTL timestamps here (the time of this call) when the
   * descriptor has a TTL, or lose them when it has none.
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
    if (table === undefined) table = this.createTable(name, descriptor.kind)
    const config = descriptor.ttlConfig
    const ttl = config === undefined ? undefined : new TtlSettings(config, this.ttlTimeProvider)
    // restored entries gain TTL timestamps, or lose those they have (only restores give any before this)
    if (table.size() > 0 && (ttl !== undefined || table.restoredTimestamps)) this.setTimestamps(table, ttl === undefined ? undefined : this.ttlTimeProvider())
    table.materialized = true
    table.ttl = ttl
    const state = newState(descriptor, table, ttl)
    this.states.set(name, state)
    return state as unknown as InternalKeyedState<S>
  }

  /** The keys that have an entry in the named state and namespace, in key group order (a copy). */
  getKeys(stateName: string, namespace: Namespace): Iterable<K> {
    const table = this.tables.get(stateName)
    return table === undefined ? [] : this.keysIn(table, namespace)
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
    const keys = this.keysIn(table, namespace)
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
   * Loads the key groups of these snapshots that lie in this backend's range; the others are
   * skipped.
   *
   * @remarks
   * Takes both formats: {@link KeyedStateSnapshot} (version 1, what `snapshot()` gives) and
   * {@link SerializedKeyedStateSnapshot} (version 2, what checkpoints store), whose key groups
   * outside the range are not even decoded. Restoring the snapshots of every subtask of an
   * earlier run into each new subtask rescales the state: each key group goes to exactly one new
   * subtask. The data is copied (version 1) or decoded (version 2), so one snapshot may be
   * restored many times. A state's data waits until `getOrCreateKeyedState` asks
   * for it, or goes into it directly if it was asked for already (entries of the same key and
   * namespace are replaced). TTL timestamps are kept; a state whose descriptor adds a TTL starts
   * its restored entries' TTL when it is first asked for after the restore, one whose descriptor
   * has none drops them.
   *
   * @throws StateError when a snapshot has another maxParallelism, a state's kind conflicts, or
   * an entry is malformed or lies in the wrong key group.
   */
  restore(snapshots: readonly AnyKeyedStateSnapshot[]): void {
    this.checkOpen()
    this.restoreNow = undefined
    for (const s of snapshots) {
      if (s.formatVersion !== 1 && s.formatVersion !== 2)
        throw new StateError(
          `Operator '${this.operatorName}' cannot restore a keyed state snapshot of format version ${String((s as { formatVersion: unknown }).formatVersion)}; this version of Strom reads versions 1 and 2.`,
        )
      if (s.maxParallelism !== this.maxParallelism)
        throw new StateError(
          `Operator '${this.operatorName}' cannot restore keyed state of operator '${s.operatorName}' taken with maxParallelism ${s.maxParallelism}: this job has maxParallelism ${this.maxParallelism}, and keyed state moves only between jobs with the same maxParallelism.`,
        )
      if (s.formatVersion === 2) {
        for (const group of s.keyGroups) if (group.keyGroup >= this.start && group.keyGroup <= this.end) this.restoreSerializedGroup(group)
        continue
      }
      for (const group of s.keyGroups) {
        const kg = group.keyGroup
        if (kg < this.start || kg > this.end) continue
        const states = structuredClone(group.states)
        for (const st of states) {
          const t = this.tableForRestore(st.name, st.kind)
          this.beginRestoredGroup(t, kg)
          const where = `state '${st.name}' in key group ${kg} of operator '${this.operatorName}'`
          const fill = this.restoreFill(t)
          for (const e of st.entries) this.restoreEntry(t, where, kg, e.key, e.namespace, e.value, e.timestamps, fill)
        }
      }
    }
  }

  /** Loads one key group of a serialized (version 2) snapshot; its data is decoded here, so it is ours. */
  private restoreSerializedGroup(group: SerializedKeyGroupSnapshot): void {
    const kg = group.keyGroup
    if (!Array.isArray(group.states))
      throw new StateError(`Operator '${this.operatorName}' cannot restore key group ${kg}: it is malformed. The snapshot is corrupt or was not written by Strom.`)
    for (const st of group.states) {
      const t = this.tableForRestore(st.name, st.kind)
      this.beginRestoredGroup(t, kg)
      const where = `state '${st.name}' in key group ${kg} of operator '${this.operatorName}'`
      let c: StateColumns
      try {
        c = deserialize(st.data) as StateColumns
      } catch (cause) {
        throw new StateError(`Cannot restore ${where}: its entries cannot be decoded. ${describeError(cause)}`, { cause })
      }
      const keys = c?.keys
      const n = Array.isArray(keys) ? keys.length : -1
      const runs = c?.namespaceRuns
      const ts = c?.timestamps
      if (
        n < 0 ||
        !Array.isArray(c.values) ||
        c.values.length !== n ||
        !Array.isArray(c.namespaces) ||
        !Array.isArray(runs) ||
        runs.length !== c.namespaces.length ||
        (ts !== undefined && (!Array.isArray(ts) || ts.length !== n))
      )
        throw new StateError(`Cannot restore ${where}: its entries are malformed. The snapshot is corrupt or was not written by Strom.`)
      const fill = this.restoreFill(t)
      let i = 0
      for (let r = 0; r < runs.length; r++) {
        const ns = c.namespaces[r]!
        const end = i + runs[r]!
        if (!(end <= n && end >= i))
          throw new StateError(`Cannot restore ${where}: its namespace runs do not match its entries. The snapshot is corrupt or was not written by Strom.`)
        for (; i < end; i++) this.restoreEntry(t, where, kg, keys[i], ns, c.values[i], ts === undefined ? undefined : ts[i], fill)
      }
      if (i !== n)
        throw new StateError(`Cannot restore ${where}: its namespace runs do not match its entries. The snapshot is corrupt or was not written by Strom.`)
    }
  }

  /** The time of the restore running, taken once when first needed. */
  private restoreNow: number | undefined = undefined

  /** The TTL timestamp restored entries of a table get: the time of the restore, when it is materialized with a TTL. */
  private restoreFill(t: T): number | undefined {
    if (!t.materialized || t.ttl === undefined) return undefined
    return (this.restoreNow ??= this.ttlTimeProvider())
  }

  /** Validates and stores one restored entry (its value is ours: a copy). */
  private restoreEntry(
    t: T,
    where: string,
    kg: number,
    key: unknown,
    ns: unknown,
    value: unknown,
    timestamps: number | readonly number[] | undefined,
    fill: number | undefined,
  ): void {
    if (typeof ns !== 'string' && typeof ns !== 'number')
      throw new StateError(`Cannot restore ${where}: an entry has a namespace of type ${typeof ns}.`)
    let actual: number
    try {
      actual = keyGroupOf(key as Key, this.maxParallelism)
    } catch (cause) {
      throw new StateError(`Cannot restore ${where}: an entry has an invalid key. ${describeError(cause)}`, { cause })
    }
    if (actual !== kg)
      throw new StateError(
        `Cannot restore ${where}: key ${describeKey(key)} belongs to key group ${actual}. The snapshot was taken with another key hash.`,
      )
    const codec = t.codec
    if (timestamps !== undefined) t.restoredTimestamps = true
    const cell = codec.importCell(value, timestamps, where)
    if (t.materialized) codec.setTimestamps(cell, fill)
    this.putRestored(t, key as K, ns, kg, cell)
  }

  /** Releases everything; the backend cannot be used afterwards. */
  abstract dispose(): void

  // ---- the hooks ----

  /** A new, empty table for a state. @internal */
  protected abstract newTable(name: string, kind: StateKind): T

  /** The keys with an entry in a state's namespace, in key group order. @internal */
  protected abstract keysIn(t: T, ns: Namespace): K[]

  /**
   * Fills missing TTL timestamps of a state's entries with `fill`, or drops them all when `fill`
   * is `undefined` (a restored state gets its descriptor).
   *
   * @internal
   */
  protected abstract setTimestamps(t: T, fill: number | undefined): void

  /** The entries of a state in key group `kg` of one snapshot follow (a restore hint). @internal */
  protected beginRestoredGroup(_t: T, _kg: number): void {}

  /** Stores a restored entry (validated, with its timestamps set). @internal */
  protected abstract putRestored(t: T, key: K, ns: Namespace, kg: number, cell: unknown): void

  // ---- for the backends ----

  /**
   * The keyed state now, in the format checkpoints store ({@link SerializedKeyedStateSnapshot}):
   * the call captures the state (synchronously: it is the state at this point between two
   * records); the promise serializes it, in slices between which the task goes on.
   *
   * @throws StateError (synchronously) naming the state when a value cannot be serialized.
   */
  abstract snapshotForCheckpoint(): Promise<SerializedKeyedStateSnapshot>

  /** Where a snapshot's key groups are. @internal */
  protected groupSpace(): { operatorName: string; maxParallelism: number; start: number; numGroups: number } {
    return { operatorName: this.operatorName, maxParallelism: this.maxParallelism, start: this.start, numGroups: this.numGroups }
  }

  /** An empty list of entries per key group, for one state of a snapshot. @internal */
  protected newSnapshotGroups(): SnapshotGroups {
    return new Array<KeyedStateEntrySnapshot[] | undefined>(this.numGroups).fill(undefined)
  }

  /** Adds an entry to a state's list of entries for key group index `g`. @internal */
  protected addSnapshotEntry(
    groups: SnapshotGroups,
    g: number,
    key: Key,
    namespace: Namespace,
    value: unknown,
    timestamps: number | number[] | undefined,
  ): void {
    const entry: KeyedStateEntrySnapshot =
      timestamps === undefined ? { key, namespace, value } : { key, namespace, value, timestamps }
    const entries = groups[g]
    if (entries === undefined) groups[g] = [entry]
    else entries.push(entry)
  }

  /**
   * The snapshot of these states (in name order) and their entries per key group index, grouped
   * by key group.
   *
   * @internal
   */
  protected assembleSnapshot(
    states: readonly { readonly name: string; readonly kind: StateKind }[],
    byState: readonly SnapshotGroups[],
  ): KeyedStateSnapshot {
    const keyGroups: KeyGroupSnapshot[] = []
    for (let g = 0; g < this.numGroups; g++) {
      const inGroup: KeyGroupStateSnapshot[] = []
      for (let i = 0; i < states.length; i++) {
        const entries = byState[i]![g]
        if (entries !== undefined) inGroup.push({ name: states[i]!.name, kind: states[i]!.kind, entries })
      }
      if (inGroup.length > 0) keyGroups.push({ keyGroup: this.start + g, states: inGroup })
    }
    return {
      formatVersion: 1,
      operatorName: this.operatorName,
      maxParallelism: this.maxParallelism,
      keyGroupRange: { start: this.start, end: this.end },
      keyGroups,
    }
  }

  /** Drops every table, state object and the current key (for `dispose`). @internal */
  protected dropAll(): void {
    for (const t of this.tables.values()) t.clearAll()
    this.tables.clear()
    this.states.clear()
    this.unsetKey()
  }

  /** @internal */
  protected checkOpen(): void {
    if (this.disposed)
      throw new StateError(`The keyed state backend of operator '${this.operatorName}' was disposed and cannot be used any more.`)
  }

  // ---- helpers ----

  private createTable(name: string, kind: StateKind): T {
    const t = this.newTable(name, kind)
    this.tables.set(name, t)
    return t
  }

  private tableForRestore(name: string, kind: StateKind): T {
    if (typeof name !== 'string' || !KINDS.has(kind))
      throw new StateError(
        `Operator '${this.operatorName}' cannot restore state ${JSON.stringify(name)} of kind ${JSON.stringify(kind)}: the snapshot is corrupt or was not written by Strom.`,
      )
    const t = this.tables.get(name)
    if (t === undefined) return this.createTable(name, kind)
    if (t.kind !== kind)
      throw new StateError(
        `Operator '${this.operatorName}' cannot restore state '${name}' as ${kind} state: it already holds it as ${t.kind} state (from its descriptor or an earlier snapshot).`,
      )
    return t
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
    const epoch = (ctx.epoch + 1) & EPOCH_MASK
    ctx.epoch = epoch
    if (epoch === 0) this.invalidateAll()
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
}

/** The state object of a descriptor over its table. */
const newState = (
  descriptor: StateDescriptor<State>,
  table: CellTable<any>,
  ttl: TtlSettings | undefined,
): InternalKeyedState<State> => {
  switch (descriptor.kind) {
    case 'value':
      return new TableValueState<unknown>(table as CellTable<ValueCell<unknown>>, ttl)
    case 'list':
      return new TableListState<unknown>(table as CellTable<ListCell<unknown>>, ttl)
    case 'map':
      return new TableMapState<unknown, unknown>(table as CellTable<MapCell<unknown, unknown>>, ttl)
    case 'reducing':
      return new TableReducingState<unknown>(
        table as CellTable<ValueCell<unknown>>,
        ttl,
        (descriptor as unknown as ReducingStateDescriptor<unknown>).reduceFunction,
      )
    case 'aggregating':
      return new TableAggregatingState<unknown, unknown, unknown>(
        table as CellTable<ValueCell<unknown>>,
        ttl,
        (descriptor as unknown as AggregatingStateDescriptor<unknown, unknown, unknown>).aggregateFunction,
      )
  }
}
