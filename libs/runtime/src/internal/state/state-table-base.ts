import { StateError } from '../../core/errors.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import { VOID_NAMESPACE } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'
import type { CellCodec } from './cells.js'
import type { KeyContext } from './key-context.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * What the heap backend's {@link StateTable} and the lmdb backend's `LmdbStateTable` have in
 * common: the in-memory maps by namespace, then key; the state's current namespace and the key
 * epoch of the cursor; the TTL cleanup's loop; the errors.
 *
 * @remarks
 * There is one `Map<K, N>` for the void namespace and a `Map<Namespace, Map<K, N>>` for the
 * others (windows); no namespace maps to an empty map, so windows that come and go leave nothing
 * behind. `N` is what the maps hold: the cell itself on the heap, a write cache node on lmdb.
 *
 * The per-record methods (`current()`, the lookup, `insertCurrent`) stay in the subclasses, each
 * specialised for its storage; a backend only ever holds tables of its own class, so what is
 * shared here stays monomorphic in a process that uses one backend.
 *
 * @typeParam K - the key type
 * @typeParam N - what the namespace maps hold
 * @typeParam E - the cell type
 * @internal
 */
export abstract class StateTableBase<K, N, E> {
  /** The void namespace's entries. */
  readonly voidMap = new Map<K, N>()
  /** The other namespaces' entries; no namespace maps to an empty map. */
  readonly nsMaps = new Map<Namespace, Map<K, N>>()
  /** The state's current namespace. */
  ns: Namespace = VOID_NAMESPACE
  /** `ns === VOID_NAMESPACE`. */
  isVoid = true
  /** The key epoch the cursor (`cCell`) was set in; -1 when it is invalid. */
  cEpoch = -1
  /** The cached cell of the current key and namespace. */
  cCell: E | undefined = undefined
  /** Whether a state object (with a descriptor) uses the table; restored tables wait until then. */
  materialized = false
  /** The TTL of the state using the table, once materialized. */
  ttl: TtlSettings | undefined = undefined
  /** Whether a restore gave an entry TTL timestamps (else a state without TTL has nothing to drop). */
  restoredTimestamps = false

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    readonly codec: CellCodec<E>,
    readonly ctx: KeyContext<K>,
    /** The job's maxParallelism. */
    readonly maxParallelism: number,
    readonly operatorName: string,
  ) {}

  /** Switches the current namespace. */
  setNamespace(ns: Namespace): void {
    if (ns === this.ns) return
    if (typeof ns !== 'string' && typeof ns !== 'number')
      throw new StateError(
        `State '${this.name}' of operator '${this.operatorName}' got a namespace of type ${typeof ns}; namespaces are strings or numbers.`,
      )
    this.ns = ns
    this.isVoid = ns === VOID_NAMESPACE
    this.invalidate()
  }

  /** Forgets the cursor. */
  invalidate(): void {
    this.cEpoch = -1
    this.cCell = undefined
  }

  /** The number of (key, namespace) entries. */
  abstract size(): number

  /** Drops the entries held in memory and the cursor. */
  clearAll(): void {
    this.voidMap.clear()
    this.nsMaps.clear()
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
    let changed = false
    while (n > 0) {
      const r = this.walkStep(ttl, now)
      if (r === 0) {
        // the walk reached the end: start over, at most once per call
        if (wrapped) break
        wrapped = true
        this.resetWalk()
        continue
      }
      n--
      if (r === 2) changed = true
    }
    if (changed) this.invalidate()
  }

  /**
   * Checks the next entry of the cleanup walk for expiry and removes what has expired: 0 at the
   * walk's end, 1 when an entry was checked, 2 when it was checked and changed.
   */
  protected abstract walkStep(ttl: TtlSettings, now: number): number

  /** Starts the cleanup walk over. */
  protected abstract resetWalk(): void

  // ---- the namespace maps ----

  /** The map of a namespace, if it has one. */
  protected mapAt(ns: Namespace): Map<K, N> | undefined {
    return ns === VOID_NAMESPACE ? this.voidMap : this.nsMaps.get(ns)
  }

  /** The map of a namespace, created if missing. */
  protected mapFor(ns: Namespace): Map<K, N> {
    if (ns === VOID_NAMESPACE) return this.voidMap
    let m = this.nsMaps.get(ns)
    if (m === undefined) this.nsMaps.set(ns, (m = new Map()))
    return m
  }

  /** Deletes (ns, key) from the maps, and the namespace's map once it is empty. */
  protected deleteAt(ns: Namespace, key: K): void {
    if (ns === VOID_NAMESPACE) {
      this.voidMap.delete(key)
      return
    }
    const m = this.nsMaps.get(ns)
    if (m === undefined) return
    m.delete(key)
    if (m.size === 0) this.nsMaps.delete(ns)
  }

  protected noKeyError(): StateError {
    return new StateError(
      `State '${this.name}' of operator '${this.operatorName}' was accessed with no current key: keyed state can only be used while a keyed record or timer is processed.`,
    )
  }
}
