import { StateError } from '../../core/errors.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import { VOID_NAMESPACE } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'
import type { CellCodec } from './cells.js'
import type { KeyContext } from './key-context.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * The entries of one keyed state, organised by key group, then namespace, then key.
 *
 * @remarks
 * Per key group (indexed from the start of the backend's range) there is a `Map<K, E>` for the
 * void namespace and a `Map<Namespace, Map<K, E>>` for the others, both created on first write.
 * Empty namespace maps are dropped, so windows that come and go leave nothing behind.
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
export class StateTable<K, E> {
  /** Per key group: the void namespace's entries. */
  readonly voidMaps: (Map<K, E> | undefined)[]
  /** Per key group: the other namespaces' entries. */
  readonly nsMaps: (Map<Namespace, Map<K, E>> | undefined)[]
  /** The state's current namespace. */
  ns: Namespace = VOID_NAMESPACE
  /** `ns === VOID_NAMESPACE`. */
  isVoid = true
  /** The key epoch `cEntry` was looked up in; -1 when the cache is invalid. */
  cEpoch = -1
  /** The cached entry of the current key and namespace. */
  cEntry: E | undefined = undefined
  /** Whether a state object (with a descriptor) uses the table; restored tables wait until then. */
  materialized = false
  /** The TTL of the state using the table, once materialized. */
  ttl: TtlSettings | undefined = undefined

  // The incremental-cleanup cursor: key group index, phase (0: void map, 1: namespace maps),
  // the iterators in use, and where the last entry handed out lives.
  private wGroup = 0
  private wPhase = 0
  private wOuterIt: MapIterator<[Namespace, Map<K, E>]> | undefined = undefined
  private wInnerIt: MapIterator<[K, E]> | undefined = undefined
  private wMap: Map<K, E> | undefined = undefined
  private wOuter: Map<Namespace, Map<K, E>> | undefined = undefined
  private wNs: Namespace = VOID_NAMESPACE
  private wKey: K = undefined as K

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    readonly codec: CellCodec<E>,
    readonly ctx: KeyContext<K>,
    readonly numGroups: number,
    readonly operatorName: string,
  ) {
    this.voidMaps = new Array<Map<K, E> | undefined>(numGroups).fill(undefined)
    this.nsMaps = new Array<Map<Namespace, Map<K, E>> | undefined>(numGroups).fill(undefined)
  }

  // ---- the cursor (per-record path) ----

  /** The entry of the current key in the current namespace. */
  current(): E | undefined {
    if (this.cEpoch === this.ctx.epoch) return this.cEntry
    return this.lookup()
  }

  private lookup(): E | undefined {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    const g = ctx.groupIndex
    let m: Map<K, E> | undefined
    if (this.isVoid) m = this.voidMaps[g]
    else {
      const nm = this.nsMaps[g]
      m = nm === undefined ? undefined : nm.get(this.ns)
    }
    const e = m === undefined ? undefined : m.get(ctx.key)
    this.cEpoch = ctx.epoch
    this.cEntry = e
    return e
  }

  /** Stores a new entry for the current key in the current namespace. */
  insertCurrent(e: E): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    const g = ctx.groupIndex
    let m: Map<K, E> | undefined
    if (this.isVoid) {
      m = this.voidMaps[g]
      if (m === undefined) this.voidMaps[g] = m = new Map()
    } else m = this.nsMapOrCreate(g, this.ns)
    m.set(ctx.key, e)
    this.cEpoch = ctx.epoch
    this.cEntry = e
  }

  /** Removes the entry of the current key in the current namespace. */
  removeCurrent(): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.removeAt(ctx.groupIndex, this.ns, ctx.key)
    this.cEpoch = ctx.epoch
    this.cEntry = undefined
  }

  /** Switches the current namespace. */
  setNamespace(ns: Namespace): void {
    if (ns === this.ns) return
    if (typeof ns !== 'string' && typeof ns !== 'number')
      throw new StateError(
        `State '${this.name}' of operator '${this.operatorName}' got a namespace of type ${typeof ns}; namespaces are strings or numbers.`,
      )
    this.ns = ns
    this.isVoid = ns === VOID_NAMESPACE
    this.cEpoch = -1
    this.cEntry = undefined
  }

  /** Forgets the cached entry. */
  invalidate(): void {
    this.cEpoch = -1
    this.cEntry = undefined
  }

  // ---- the current key in another namespace (merging) ----

  /** The entry of the current key in a namespace. */
  getAt(ns: Namespace): E | undefined {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    const m = this.mapAt(ctx.groupIndex, ns)
    return m === undefined ? undefined : m.get(ctx.key)
  }

  /** Stores the entry of the current key in a namespace. */
  putAt(ns: Namespace, e: E): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.putRaw(ctx.groupIndex, ctx.key, ns, e)
  }

  /** Removes the entry of the current key in a namespace. */
  removeCurrentAt(ns: Namespace): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.removeAt(ctx.groupIndex, ns, ctx.key)
    this.invalidate()
  }

  // ---- whole-table access (off the per-record path) ----

  /** Stores an entry by key group index, key and namespace; invalidates the cache. */
  putRaw(g: number, key: K, ns: Namespace, e: E): void {
    let m: Map<K, E> | undefined
    if (ns === VOID_NAMESPACE) {
      m = this.voidMaps[g]
      if (m === undefined) this.voidMaps[g] = m = new Map()
    } else m = this.nsMapOrCreate(g, ns)
    m.set(key, e)
    this.invalidate()
  }

  /** The keys with an entry in a namespace, in key group order. */
  keysIn(ns: Namespace): K[] {
    const out: K[] = []
    for (let g = 0; g < this.numGroups; g++) {
      const m = this.mapAt(g, ns)
      if (m !== undefined) for (const k of m.keys()) out.push(k)
    }
    return out
  }

  /** Calls `fn` for every entry of a key group: void namespace first, then the others. */
  forEachInGroup(g: number, fn: (key: K, ns: Namespace, e: E) => void): void {
    const v = this.voidMaps[g]
    if (v !== undefined) for (const [k, e] of v) fn(k, VOID_NAMESPACE, e)
    const nm = this.nsMaps[g]
    if (nm !== undefined) for (const [ns, m] of nm) for (const [k, e] of m) fn(k, ns, e)
  }

  /** Whether a key group has any entry. */
  groupIsEmpty(g: number): boolean {
    const v = this.voidMaps[g]
    if (v !== undefined && v.size > 0) return false
    const nm = this.nsMaps[g]
    return nm === undefined || nm.size === 0
  }

  /** All entries of all cells (for fixing TTL timestamps on materialization). */
  *cells(): Generator<E, void, undefined> {
    for (let g = 0; g < this.numGroups; g++) {
      const v = this.voidMaps[g]
      if (v !== undefined) yield* v.values()
      const nm = this.nsMaps[g]
      if (nm !== undefined) for (const m of nm.values()) yield* m.values()
    }
  }

  /** The number of (key, namespace) entries. */
  size(): number {
    let n = 0
    for (let g = 0; g < this.numGroups; g++) {
      const v = this.voidMaps[g]
      if (v !== undefined) n += v.size
      const nm = this.nsMaps[g]
      if (nm !== undefined) for (const m of nm.values()) n += m.size
    }
    return n
  }

  /** Drops every entry. */
  clearAll(): void {
    this.voidMaps.fill(undefined)
    this.nsMaps.fill(undefined)
    this.resetWalk()
    this.invalidate()
  }

  // ---- TTL incremental cleanup ----

  /**
   * Checks up to `ttl.cleanupSize` entries for expiry, continuing where the previous call stopped
   * and wrapping around at the end, and removes what has expired.
   */
  cleanup(ttl: TtlSettings, now: number): void {
    let n = ttl.cleanupSize
    if (n === 0) return
    let wrapped = false
    let removed = false
    while (n > 0) {
      const e = this.step()
      if (e === undefined) {
        // the walk reached the end: start over, at most once per call
        if (wrapped) break
        wrapped = true
        this.resetWalk()
        continue
      }
      n--
      if (this.codec.purge(e, now, ttl)) {
        const m = this.wMap!
        m.delete(this.wKey)
        if (m.size === 0 && this.wOuter !== undefined) this.wOuter.delete(this.wNs)
        removed = true
      }
    }
    if (removed) this.invalidate()
  }

  private resetWalk(): void {
    this.wGroup = 0
    this.wPhase = 0
    this.wOuterIt = undefined
    this.wInnerIt = undefined
    this.wMap = undefined
    this.wOuter = undefined
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
      if (this.wGroup >= this.numGroups) return undefined
      const g = this.wGroup
      if (this.wPhase === 0) {
        this.wPhase = 1
        const v = this.voidMaps[g]
        if (v !== undefined && v.size > 0) {
          this.wMap = v
          this.wOuter = undefined
          this.wInnerIt = v.entries()
        }
        continue
      }
      let outer = this.wOuterIt
      if (outer === undefined) {
        const nm = this.nsMaps[g]
        if (nm !== undefined && nm.size > 0) {
          this.wOuter = nm
          this.wOuterIt = outer = nm.entries()
        }
      }
      if (outer !== undefined) {
        const r = outer.next()
        if (r.done !== true) {
          const nsm = r.value
          this.wNs = nsm[0]
          this.wMap = nsm[1]
          this.wInnerIt = nsm[1].entries()
          continue
        }
      }
      this.wOuterIt = undefined
      this.wGroup = g + 1
      this.wPhase = 0
    }
  }

  // ---- helpers ----

  private mapAt(g: number, ns: Namespace): Map<K, E> | undefined {
    if (ns === VOID_NAMESPACE) return this.voidMaps[g]
    const nm = this.nsMaps[g]
    return nm === undefined ? undefined : nm.get(ns)
  }

  private nsMapOrCreate(g: number, ns: Namespace): Map<K, E> {
    let nm = this.nsMaps[g]
    if (nm === undefined) this.nsMaps[g] = nm = new Map()
    let m = nm.get(ns)
    if (m === undefined) nm.set(ns, (m = new Map()))
    return m
  }

  private removeAt(g: number, ns: Namespace, key: K): void {
    if (ns === VOID_NAMESPACE) {
      const v = this.voidMaps[g]
      if (v !== undefined) v.delete(key)
      return
    }
    const nm = this.nsMaps[g]
    if (nm === undefined) return
    const m = nm.get(ns)
    if (m === undefined) return
    m.delete(key)
    if (m.size === 0) nm.delete(ns)
  }

  private noKeyError(): StateError {
    return new StateError(
      `State '${this.name}' of operator '${this.operatorName}' was accessed with no current key: keyed state can only be used while a keyed record or timer is processed.`,
    )
  }
}

/** The error of `mergeNamespaces` on a state that cannot merge. @internal */
export const cannotMergeError = (t: StateTable<unknown, unknown>): StateError =>
  new StateError(
    `State '${t.name}' of operator '${t.operatorName}' is ${t.kind} state, which cannot merge namespaces: only list, reducing and aggregating state can (e.g. for merging session windows).`,
  )

/** A shared empty, frozen array, returned for absent lists and maps. @internal */
export const EMPTY: readonly never[] = Object.freeze([])
