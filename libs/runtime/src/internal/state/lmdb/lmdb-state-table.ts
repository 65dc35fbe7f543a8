import { StateError, describeError } from '../../../core/errors.js'
import type { Key } from '../../../core/key.js'
import { keyGroupOf } from '../../../core/key-groups.js'
import type { Namespace } from '../../../state/keyed-state-backend.js'
import { VOID_NAMESPACE } from '../../../state/keyed-state-backend.js'
import type { StateKind } from '../../../state/state-descriptor.js'
import type { CellTable } from '../cell-table.js'
import type { CellCodec } from '../cells.js'
import { describeKey } from '../abstract-keyed-state-backend.js'
import type { KeyContext } from '../key-context.js'
import { StateTableBase } from '../state-table-base.js'
import type { TtlSettings } from '../ttl-settings.js'
import { DbKey, KeyTooLargeError, STATE_END, STATE_START } from './db-key.js'
import type { RecordCodec } from './records.js'
import { CacheNode } from './write-cache.js'
import type { DbEntry, WriteCache } from './write-cache.js'

/** How many lmdb entries the TTL cleanup walk reads at a time. */
const WALK_BATCH = 64

/**
 * The entries of one keyed state of the lmdb backend: those in the write cache, organised like
 * the heap backend's state table (a map per namespace, then by key), over the state's range of
 * lmdb keys.
 *
 * @remarks
 * The per-record path is the same as the heap backend's: the table keeps the state's current
 * namespace and the cell of the current (key, namespace) together with the key epoch it was looked
 * up in. A lookup that misses the cache reads lmdb (synchronously) and keeps the decoded cell in
 * the cache. State objects change cells in place and then call {@link LmdbStateTable.touch}, which
 * marks the entry dirty; nothing is written to lmdb until the cache flushes.
 *
 * `count` is the number of (key, namespace) entries of the state, kept up to date on every change,
 * so that `numEntries` needs no scan.
 *
 * The TTL cleanup walk ({@link StateTableBase.cleanup}) goes through the state's entries in lmdb
 * (in key order, the cached cell taking precedence over the stored one), then through the cached
 * entries lmdb does not hold yet (in insertion order). An entry written after the walk passed its
 * place waits for the next round.
 *
 * @typeParam K - the key type
 * @typeParam E - the cell type
 * @internal
 */
export class LmdbStateTable<K extends Key, E> extends StateTableBase<K, CacheNode, E> implements CellTable<E> {
  /** The node of the current key and namespace (possibly a tombstone), `undefined` when absent. */
  cNode: CacheNode | undefined = undefined
  /** The number of (key, namespace) entries. */
  count = 0

  // the TTL cleanup walk: phase 0 reads lmdb (batches of keys after `wLast`), phase 1 the void
  // map's entries that lmdb does not hold yet, phase 2 those of the namespace maps, 3 is the end
  private wPhase = 0
  private wBuf: DbEntry[] = []
  private wIdx = 0
  private wGen = -1
  private wLast: DbKey | undefined = undefined
  private wOuterIt: MapIterator<Map<K, CacheNode>> | undefined = undefined
  private wInnerIt: MapIterator<CacheNode> | undefined = undefined
  private readonly startKey: DbKey
  private readonly endKey: DbKey

  constructor(
    name: string,
    kind: StateKind,
    /** The state's id, the first part of its lmdb keys. */
    readonly sid: number,
    codec: CellCodec<E>,
    readonly records: RecordCodec<E>,
    ctx: KeyContext<K>,
    readonly cache: WriteCache,
    maxParallelism: number,
    operatorName: string,
  ) {
    super(name, kind, codec, ctx, maxParallelism, operatorName)
    this.startKey = new DbKey(sid, 0, VOID_NAMESPACE, '', STATE_START)
    this.endKey = new DbKey(sid, 0, VOID_NAMESPACE, '', STATE_END)
  }

  // ---- the cursor (per-record path) ----

  /** The cell of the current key in the current namespace. */
  current(): E | undefined {
    if (this.cEpoch === this.ctx.epoch) return this.cCell
    return this.lookup()
  }

  private lookup(): E | undefined {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    const key = ctx.key
    let n: CacheNode | undefined
    if (this.isVoid) n = this.voidMap.get(key)
    else {
      const m = this.nsMaps.get(this.ns)
      n = m === undefined ? undefined : m.get(key)
    }
    if (n === undefined) n = this.loadNode(this.ns, key, this.keyGroup())
    else n.ref = true
    this.cEpoch = ctx.epoch
    this.cNode = n
    const cell = n === undefined ? undefined : (n.cell as E | undefined)
    this.cCell = cell
    return cell
  }

  /** Marks the current entry dirty after its cell was changed in place. */
  touch(): void {
    const n = this.cNode
    if (n !== undefined && !n.dirty) this.cache.markDirty(n)
  }

  /** Stores a new cell for the current key in the current namespace. */
  insertCurrent(e: E): void {
    const ctx = this.ctx
    if (this.cEpoch !== ctx.epoch) this.lookup()
    let n = this.cNode
    if (n === undefined) {
      n = new CacheNode(this, ctx.key, this.ns, this.keyGroup(), e, false, true)
      this.mapFor(this.ns).set(ctx.key, n)
      this.cache.add(n)
      this.count++
    } else {
      if (n.cell === undefined) this.count++
      n.cell = e
      this.cache.markDirty(n)
    }
    this.cNode = n
    this.cCell = e
  }

  /** Removes the entry of the current key in the current namespace. */
  removeCurrent(): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    let n: CacheNode | undefined
    if (this.cEpoch === ctx.epoch) {
      n = this.cNode
      if (n !== undefined) n = this.removeNode(n)
    } else n = this.removeAt(this.ns, ctx.key, this.keyGroup())
    this.cEpoch = ctx.epoch
    this.cNode = n
    this.cCell = undefined
  }

  /** Forgets the cursor. */
  override invalidate(): void {
    super.invalidate()
    this.cNode = undefined
  }

  // ---- the current key in another namespace (merging) ----

  /** The cell of the current key in a namespace. */
  getAt(ns: Namespace): E | undefined {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    let n = this.nodeAt(ns, ctx.key)
    if (n === undefined) n = this.loadNode(ns, ctx.key, this.keyGroup())
    else n.ref = true
    return n === undefined ? undefined : (n.cell as E | undefined)
  }

  /** Stores the cell of the current key in a namespace (also to mark a changed cell dirty). */
  putAt(ns: Namespace, e: E): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.putRaw(ctx.key, ns, this.keyGroup(), e)
  }

  /** Marks `e`, the current key's cell in `ns`, dirty after it was changed in place. */
  touchAt(ns: Namespace, e: E): void {
    this.putAt(ns, e)
  }

  /** Removes the entry of the current key in a namespace. */
  removeCurrentAt(ns: Namespace): void {
    const ctx = this.ctx
    if (!ctx.hasKey) throw this.noKeyError()
    this.removeAt(ns, ctx.key, this.keyGroup())
    this.invalidate()
  }

  // ---- whole-table access (off the per-record path) ----

  /**
   * Stores a cell by key, namespace and key group; invalidates the cursor. `isNew`: the caller
   * knows lmdb has no entry for it (a restore into an empty key group), so lmdb is not asked.
   */
  putRaw(key: K, ns: Namespace, kg: number, e: E, isNew = false): void {
    const n = this.nodeAt(ns, key)
    if (n === undefined) {
      const exists = !isNew && this.exists(ns, key, kg)
      const node = new CacheNode(this, key, ns, kg, e, exists, true)
      this.mapFor(ns).set(key, node)
      this.cache.add(node)
      if (!exists) this.count++
    } else {
      if (n.cell === undefined) this.count++
      n.cell = e
      n.ref = true
      this.cache.markDirty(n)
    }
    this.invalidate()
  }

  /** The cached node of (namespace, key), if any. */
  nodeAt(ns: Namespace, key: K): CacheNode | undefined {
    const m = this.mapAt(ns)
    return m === undefined ? undefined : m.get(key)
  }

  /** Takes a node out of the table's maps and the cache. */
  dropNode(n: CacheNode): void {
    this.removeFromMaps(n)
    this.cache.unlink(n)
  }

  /** Takes a node out of the table's maps (the cache unlinks it). */
  removeFromMaps(n: CacheNode): void {
    this.deleteAt(n.ns, n.key as K)
  }

  /** The first and past-the-last lmdb keys of the state. */
  range(): { start: DbKey; end: DbKey } {
    return { start: this.startKey, end: this.endKey }
  }

  /** The number of (key, namespace) entries. */
  size(): number {
    return this.count
  }

  /** Drops the cached entries and the cursor (the data in lmdb is dropped by the backend). */
  override clearAll(): void {
    super.clearAll()
    this.count = 0
  }

  // ---- TTL incremental cleanup (the walk) ----

  protected resetWalk(): void {
    this.wPhase = 0
    this.wBuf = []
    this.wIdx = 0
    this.wGen = -1
    this.wLast = undefined
    this.wOuterIt = undefined
    this.wInnerIt = undefined
  }

  /** Checks the next entry of the walk: 0 at its end, 1 when checked, 2 when checked and changed. */
  protected walkStep(ttl: TtlSettings, now: number): number {
    for (;;) {
      switch (this.wPhase) {
        case 0: {
          if (this.wIdx >= this.wBuf.length || this.wGen !== this.cache.generation) {
            if (!this.fillWalkBuffer()) {
              this.wPhase = 1
              continue
            }
          }
          const e = this.wBuf[this.wIdx++]!
          this.wLast = e.key
          const r = this.checkStored(e.key, e.value, ttl, now)
          if (r !== 0) return r
          continue
        }
        case 1:
        case 2: {
          const n = this.nextUnpersisted()
          if (n === undefined) continue
          return this.checkNode(n, ttl, now)
        }
        default:
          return 0
      }
    }
  }

  /** Reads the next batch of the state's lmdb entries after `wLast`; false at the end. */
  private fillWalkBuffer(): boolean {
    const buf = this.cache.readBatch(this.startKey, this.endKey, this.wLast, WALK_BATCH)
    this.wBuf = buf
    this.wIdx = 0
    this.wGen = this.cache.generation
    return buf.length > 0
  }

  /** The next cached node lmdb does not hold, or `undefined` when phase 1 or 2 moved on. */
  private nextUnpersisted(): CacheNode | undefined {
    for (;;) {
      const inner = this.wInnerIt
      if (inner !== undefined) {
        for (let r = inner.next(); r.done !== true; r = inner.next()) {
          const n = r.value
          if (!n.persisted && n.cell !== undefined && n.live) return n
        }
        this.wInnerIt = undefined
      }
      if (this.wPhase === 1) {
        this.wPhase = 2
        if (this.voidMap.size > 0) this.wInnerIt = this.voidMap.values()
        continue
      }
      if (this.wPhase !== 2) return undefined
      let outer = this.wOuterIt
      if (outer === undefined) this.wOuterIt = outer = this.nsMaps.values()
      const r = outer.next()
      if (r.done !== true) {
        this.wInnerIt = r.value.values()
        continue
      }
      this.wOuterIt = undefined
      this.wPhase = 3
      return undefined
    }
  }

  /** Checks an entry read from lmdb: 0 when it is gone (not counted), else as `walkStep`. */
  private checkStored(dk: DbKey, record: unknown[], ttl: TtlSettings, now: number): number {
    const key = dk.key as K
    const node = this.nodeAt(dk.ns, key)
    if (node !== undefined) return node.cell === undefined ? 0 : this.checkNode(node, ttl, now)
    // lmdb holds what the cache would: `record` is current unless lmdb was written since it was read
    const cell = this.records.fromRecord(record)
    const before = this.records.itemCount(cell)
    const gone = this.codec.purge(cell, now, ttl)
    if (!gone && this.records.itemCount(cell) === before) return 1
    // write the change back through the cache
    const n = new CacheNode(this, key, dk.ns, dk.kg, gone ? undefined : cell, true, true)
    this.mapFor(dk.ns).set(key, n)
    this.cache.add(n)
    if (gone) this.count--
    return 2
  }

  private checkNode(n: CacheNode, ttl: TtlSettings, now: number): number {
    const cell = n.cell as E
    const before = this.records.itemCount(cell)
    if (this.codec.purge(cell, now, ttl)) {
      this.removeNode(n)
      return 2
    }
    if (this.records.itemCount(cell) === before) return 1
    this.cache.markDirty(n)
    return 2
  }

  // ---- helpers ----

  /** The current key's group, computed on first use. */
  private keyGroup(): number {
    const ctx = this.ctx
    let kg = ctx.keyGroup
    if (kg < 0) ctx.keyGroup = kg = keyGroupOf(ctx.key, this.maxParallelism)
    return kg
  }

  /** Reads (ns, key) from lmdb into a new clean node; `undefined` when lmdb does not hold it. */
  private loadNode(ns: Namespace, key: K, kg: number): CacheNode | undefined {
    const cache = this.cache
    if (cache.closed) throw this.closedError()
    let record: unknown[] | undefined
    try {
      record = cache.db.get(cache.dk.set(this.sid, kg, ns, key))
    } catch (e) {
      throw this.dbError(key, ns, e)
    }
    if (record === undefined) return undefined
    const n = new CacheNode(this, key, ns, kg, this.records.fromRecord(record), true, false)
    this.mapFor(ns).set(key, n)
    cache.add(n)
    return n
  }

  /** Whether lmdb holds (ns, key). */
  private exists(ns: Namespace, key: K, kg: number): boolean {
    const cache = this.cache
    if (cache.closed) throw this.closedError()
    try {
      return cache.db.doesExist(cache.dk.set(this.sid, kg, ns, key))
    } catch (e) {
      throw this.dbError(key, ns, e)
    }
  }

  /** Removes the entry of (ns, key); returns the tombstone left in the cache, if any. */
  private removeAt(ns: Namespace, key: K, kg: number): CacheNode | undefined {
    const n = this.nodeAt(ns, key)
    if (n !== undefined) return this.removeNode(n)
    if (!this.exists(ns, key, kg)) return undefined
    const t = new CacheNode(this, key, ns, kg, undefined, true, true)
    this.mapFor(ns).set(key, t)
    this.cache.add(t)
    this.count--
    return t
  }

  /** Removes a cached entry's cell: a tombstone if lmdb holds it, else gone. Returns the tombstone. */
  private removeNode(n: CacheNode): CacheNode | undefined {
    if (n.cell === undefined) return n
    this.count--
    n.cell = undefined
    if (n.persisted) {
      this.cache.markDirty(n)
      return n
    }
    this.dropNode(n)
    return undefined
  }

  private closedError(): StateError {
    return new StateError(`The keyed state backend of operator '${this.operatorName}' was disposed and cannot be used any more.`)
  }

  private dbError(key: K, ns: Namespace, cause: unknown): StateError {
    const what = `key ${describeKey(key)} in namespace ${JSON.stringify(ns)} of state '${this.name}' of operator '${this.operatorName}'`
    if (cause instanceof KeyTooLargeError)
      return new StateError(`Cannot store ${what} in lmdb: ${cause.message} Use shorter keys or namespaces.`, { cause })
    return new StateError(`Cannot read ${what} from lmdb. ${describeError(cause)}`, { cause })
  }
}
