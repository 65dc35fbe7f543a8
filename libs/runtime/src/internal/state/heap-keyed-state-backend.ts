import { StateError, describeError } from '../../core/errors.js'
import type { Key } from '../../core/key.js'
import type { KeyGroupRange } from '../../core/key-groups.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'
import { AbstractKeyedStateBackend } from './abstract-keyed-state-backend.js'
import { codecFor } from './cells.js'
import type { KeyedStateSnapshot, SerializedKeyedStateSnapshot } from './keyed-state-snapshot.js'
import { SerializedSnapshotBuilder, StateCapture } from './snapshot-columns.js'
import { StateTable } from './state-table.js'

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
export class HeapKeyedStateBackend<K extends Key> extends AbstractKeyedStateBackend<K, StateTable<K, any>> {
  // the public constructor, with the public options type
  constructor(options: HeapKeyedStateBackendOptions) {
    super(options)
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
    const tables = names.map((name) => this.tables.get(name)!)
    // per state (by name order), per key group index: the entries, or undefined when there are none
    const byState = tables.map((t) => {
      const groups = this.newSnapshotGroups()
      if (t.size() === 0) return groups
      const codec = t.codec
      const withTs = !t.materialized || t.ttl !== undefined
      t.forEachByKeyGroup((g, key, namespace, cell) =>
        this.addSnapshotEntry(groups, g, key, namespace, codec.exportValue(cell), withTs ? codec.exportTimestamps(cell) : undefined),
      )
      return groups
    })
    const raw = this.assembleSnapshot(tables, byState)
    try {
      return structuredClone(raw)
    } catch (e) {
      throw this.cloneError(raw, names, e)
    }
  }

  /**
   * All keyed state, in the format checkpoints store: captured now, serialized by the promise.
   *
   * @remarks
   * The capture copies, per state and key group, the keys, namespaces and values (and TTL
   * timestamps) into arrays, in {@link HeapKeyedStateBackend.snapshot}'s order; each entry
   * remembers its key group, so a key is hashed at its first snapshot only. A state whose values
   * are all primitives (numbers, strings, ...) is then serialized in slices between which the
   * task processes records, since nothing can change what was captured; a state holding objects,
   * which the operator may change in place, is serialized before this call returns. Includes
   * state restored but not asked for yet.
   *
   * @throws StateError naming the state when a value cannot be serialized.
   */
  snapshotForCheckpoint(): Promise<SerializedKeyedStateSnapshot> {
    this.checkOpen()
    const names = Array.from(this.tables.keys()).sort()
    const captures = names.map((name) => {
      const t = this.tables.get(name)!
      const c = new StateCapture(name, t.kind, !t.materialized || t.ttl !== undefined, this.start, this.numGroups, this.operatorName)
      t.capture(c)
      return c
    })
    const builder = new SerializedSnapshotBuilder(this.groupSpace(), captures)
    for (const c of captures) if (!c.flat) builder.serializeNow(c)
    return builder.finish()
  }

  /** Drops all state; the backend cannot be used afterwards. */
  dispose(): void {
    this.dropAll()
    this.disposed = true
  }

  // ---- the hooks ----

  protected newTable(name: string, kind: StateKind): StateTable<K, any> {
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

  protected keysIn(t: StateTable<K, any>, ns: Namespace): K[] {
    return t.keysIn(ns)
  }

  protected setTimestamps(t: StateTable<K, any>, fill: number | undefined): void {
    for (const cell of t.cells()) t.codec.setTimestamps(cell, fill)
  }

  protected putRestored(t: StateTable<K, any>, key: K, ns: Namespace, kg: number, cell: unknown): void {
    ;(cell as { kg: number }).kg = kg
    t.putRaw(key, ns, cell)
  }

  // ---- helpers ----

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
