import { InternalError } from '../../core/errors.js'
import type { Key } from '../../core/key.js'
import { keyGroupOf } from '../../core/key-groups.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import { VOID_NAMESPACE } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'
import type { CellTable } from './cell-table.js'
import type { CellCodec, ValueCell } from './cells.js'
import type { KeyContext } from './key-context.js'
import { addNamespace, isPrimitive, type StateCapture } from './snapshot-columns.js'
import { StateTableBase } from './state-table-base.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * The entries of one keyed state, organised by namespace, then key; one set of maps for all the
 * key groups of the backend.
 *
 * @remarks
 * There is one `Map<K, E>` for the void namespace and a `Map<Namespace, Map<K, E>>` for the
 * others (windows), whatever key group a key lies in (see {@link StateTableBase}): the per-record
 * path never needs a key's group, so it never hashes the key for it. Key groups are computed where
 * they matter only: the backend's snapshots ({@link StateTable.forEachByKeyGroup}) and
 * {@link StateTable.keysIn}, which list entries by key group.
 *
 * The table also holds the per-state access cursor: the state's current namespace and the entry
 * of the current (key, namespace), cached together with the key epoch it was looked up in. Every
 * change of the maps that does not go through the cursor invalidates the cache. One class for
 * every kind of state keeps the hot path monomorphic.
 *
 * @typeParam K - the key type
 * @typeParam E - the entry (cell) type
 * @internal
 */
export class StateTable<K, E> extends StateTableBase<K, E, E> implements CellTable<E> {
  // The incremental-cleanup cursor: phase (0: void map next, 1: namespace maps, 2: at the end),
  // the iterators in use, and where the last entry handed out lives.
  private wPhase = 0
  private wOuterIt: MapIterator<[Namespace, Map<K, E>]> | undefined = undefined
  private wInnerIt: MapIterator<[K, E]> | undefined = undefined
  private wMap: Map<K, E> | undefined = undefined
  private wNs: Namespace = VOID_NAMESPACE
  private wKey: K = undefined as K

  constructor(
    name: string,
    kind: StateKind,
    codec: CellCodec<E>,
    ctx: KeyContext<K>,
    /** The first key group of the backend's range. */
    readonly start: number,
    /** The number of key groups of the backend's range. */
    readonly numGroups: number,
    maxParallelism: number,
    operatorName: string,
  ) {
    super(name, kind, codec, ctx, maxParallelism, operatorName)
  }

  // ---- the cursor (per-record path) ----

  /** The entry of the current key in the current namespace. */
  current(): E | undefined {
    if (this.cEpoch === this.ctx.epoch) return this.cCell
    return this.lookup()
  }

  private lookup(): E | undefined {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    let e: E | undefined
    if (this.isVoid) e = this.voidMap.get(ctx.key)
    else {
      const m = this.nsMaps.get(this.ns)
      e = m === undefined ? undefined : m.get(ctx.key)
    }
    this.cEpoch = ctx.epoch
    this.cCell = e
    return e
  }

  /** Stores a new entry for the current key in the current namespace. */
  insertCurrent(e: E): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    const m = this.isVoid ? this.voidMap : this.mapFor(this.ns)
    m.set(ctx.key, e)
    this.cEpoch = ctx.epoch
    this.cCell = e
  }

  /** Removes the entry of the current key in the current namespace. */
  removeCurrent(): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.deleteAt(this.ns, ctx.key)
    this.cEpoch = ctx.epoch
    this.cCell = undefined
  }

  /** A cell changed in place needs nothing more on the heap. */
  touch(): void {}

  // ---- the current key in another namespace (merging) ----

  /** The entry of the current key in a namespace. */
  getAt(ns: Namespace): E | undefined {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    const m = this.mapAt(ns)
    return m === undefined ? undefined : m.get(ctx.key)
  }

  /** Stores the entry of the current key in a namespace. */
  putAt(ns: Namespace, e: E): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.putRaw(ctx.key, ns, e)
  }

  /** A cell changed in place needs nothing more on the heap. */
  touchAt(_ns: Namespace, _e: E): void {}

  /** Removes the entry of the current key in a namespace. */
  removeCurrentAt(ns: Namespace): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.deleteAt(ns, ctx.key)
    this.invalidate()
  }

  // ---- whole-table access (off the per-record path) ----

  /** Stores an entry by key and namespace; invalidates the cache. */
  putRaw(key: K, ns: Namespace, e: E): void {
    this.mapFor(ns).set(key, e)
    this.invalidate()
  }

  /**
   * The keys with an entry in a namespace, in key group order (within a key group, in the order
   * they were inserted): the same order as a table split by key group would give.
   */
  keysIn(ns: Namespace): K[] {
    const m = this.mapAt(ns)
    if (m === undefined || m.size === 0) return []
    const keys = Array.from(m.keys())
    const n = keys.length
    // a stable counting sort by key group
    const groups = new Int32Array(n)
    const starts = new Int32Array(this.numGroups + 1)
    for (let i = 0; i < n; i++) {
      const g = this.groupIndexOf(keys[i]!)
      groups[i] = g
      starts[g + 1]!++
    }
    for (let g = 0; g < this.numGroups; g++) starts[g + 1]! += starts[g]!
    const out = new Array<K>(n)
    for (let i = 0; i < n; i++) out[starts[groups[i]!]!++] = keys[i]!
    return out
  }

  /**
   * Calls `fn` for every entry, with the index of its key group in the backend's range: by key
   * group index the entries come in the order a table split by key group would hold them (the
   * void namespace first, then the others in a fixed order, see {@link compareNamespaces}; keys in
   * insertion order), so the order depends on the state's contents and insertion order only, and
   * a snapshot restored and taken again is the same.
   */
  forEachByKeyGroup(fn: (groupIndex: number, key: K, ns: Namespace, e: E) => void): void {
    for (const [k, e] of this.voidMap) fn(this.groupIndexOf(k), k, VOID_NAMESPACE, e)
    if (this.nsMaps.size === 0) return
    const namespaces = Array.from(this.nsMaps.keys()).sort(compareNamespaces)
    for (const ns of namespaces) for (const [k, e] of this.nsMaps.get(ns)!) fn(this.groupIndexOf(k), k, ns, e)
  }

  /**
   * Adds every entry to a snapshot's capture, by key group, in the order of
   * {@link StateTable.forEachByKeyGroup} within a key group (the void namespace first, then the
   * others in a fixed order; keys in insertion order), with TTL timestamps when the capture wants
   * them. Each cell remembers its key's group, so a key is hashed at its first snapshot only.
   */
  capture(c: StateCapture): void {
    if (this.voidMap.size > 0) this.captureMap(c, VOID_NAMESPACE, this.voidMap)
    if (this.nsMaps.size === 0) return
    const namespaces = Array.from(this.nsMaps.keys()).sort(compareNamespaces)
    for (const ns of namespaces) this.captureMap(c, ns, this.nsMaps.get(ns)!)
  }

  private captureMap(c: StateCapture, ns: Namespace, m: Map<K, E>): void {
    const maxParallelism = this.maxParallelism
    const kind = this.kind
    if (!c.withTimestamps && kind !== 'list' && kind !== 'map') {
      // value, reducing and aggregating state without TTL, the common case: the value as it is
      let flat = c.flat
      ;(m as unknown as Map<Key, ValueCell<unknown>>).forEach((e, k) => {
        let kg = e.kg
        if (kg < 0) e.kg = kg = keyGroupOf(k, maxParallelism)
        const cols = c.columns(kg, k)
        cols.keys.push(k)
        const v = e.value
        cols.values.push(v)
        addNamespace(cols, ns)
        if (flat && !isPrimitive(v)) flat = false
      })
      c.flat = flat
      return
    }
    const codec = this.codec
    const withTs = c.withTimestamps
    ;(m as unknown as Map<Key, E & { kg: number }>).forEach((e, k) => {
      let kg = e.kg
      if (kg < 0) e.kg = kg = keyGroupOf(k, maxParallelism)
      c.add(kg, k, ns, codec.exportValue(e), withTs ? codec.exportTimestamps(e) : undefined)
    })
  }

  /** All entries of all cells (for fixing TTL timestamps on materialization). */
  *cells(): Generator<E, void, undefined> {
    yield* this.voidMap.values()
    for (const m of this.nsMaps.values()) yield* m.values()
  }

  /** The number of (key, namespace) entries. */
  size(): number {
    let n = this.voidMap.size
    for (const m of this.nsMaps.values()) n += m.size
    return n
  }

  // ---- TTL incremental cleanup ----

  protected walkStep(ttl: TtlSettings, now: number): number {
    const e = this.step()
    if (e === undefined) return 0
    if (!this.codec.purge(e, now, ttl)) return 1
    const m = this.wMap!
    m.delete(this.wKey)
    if (m.size === 0 && m !== this.voidMap) this.nsMaps.delete(this.wNs)
    return 2
  }

  protected resetWalk(): void {
    this.wPhase = 0
    this.wOuterIt = undefined
    this.wInnerIt = undefined
    this.wMap = undefined
  }

  /** The next entry of the walk over all entries, or `undefined` at its end. Map iterators are live. */
  private step(): E | undefined {
    for (;;) {
      const inner = this.wInnerIt
      if (inner !== undefined) {
        const r = inner.next()
        if (r.done !== true) {
          const kv = r.value
          this.wKey = kv[0]
          return kv[1]
        }
        this.wInnerIt = undefined
      }
      if (this.wPhase === 0) {
        this.wPhase = 1
        if (this.voidMap.size > 0) {
          this.wMap = this.voidMap
          this.wInnerIt = this.voidMap.entries()
        }
        continue
      }
      if (this.wPhase === 2) return undefined
      let outer = this.wOuterIt
      if (outer === undefined) this.wOuterIt = outer = this.nsMaps.entries()
      const r = outer.next()
      if (r.done !== true) {
        const nsm = r.value
        this.wNs = nsm[0]
        this.wMap = nsm[1]
        this.wInnerIt = nsm[1].entries()
        continue
      }
      this.wOuterIt = undefined
      this.wPhase = 2
    }
  }

  // ---- helpers ----

  /** The index in the backend's range of a key's group. */
  private groupIndexOf(key: K): number {
    const g = keyGroupOf(key as Key, this.maxParallelism) - this.start
    if (g < 0 || g >= this.numGroups)
      throw new InternalError(
        `State '${this.name}' of operator '${this.operatorName}' holds key ${String(key)} of key group ${g + this.start}, outside the backend's key groups.`,
      )
    return g
  }
}

/**
 * The order of namespaces in snapshots: numbers (ascending) before strings (by UTF-16 code
 * units). @internal
 */
export const compareNamespaces = (a: Namespace, b: Namespace): number => {
  if (typeof a === 'number') {
    if (typeof b !== 'number') return -1
    if (a < b) return -1
    if (a > b) return 1
    // NaN (a namespace nobody should use) after every other number
    return a === b ? 0 : a === a ? -1 : b === b ? 1 : 0
  }
  if (typeof b === 'number') return 1
  return a < b ? -1 : a > b ? 1 : 0
}
