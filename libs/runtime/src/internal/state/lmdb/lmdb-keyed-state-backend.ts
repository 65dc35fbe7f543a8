import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import type { RootDatabase, Transaction } from 'lmdb'
import { open } from 'lmdb'
import { InternalError, StateError, describeError } from '../../../core/errors.js'
import type { Key } from '../../../core/key.js'
import type { KeyGroupRange } from '../../../core/key-groups.js'
import type { Namespace } from '../../../state/keyed-state-backend.js'
import type { StateKind } from '../../../state/state-descriptor.js'
import type { SnapshotGroups } from '../abstract-keyed-state-backend.js'
import { AbstractKeyedStateBackend, describeKey } from '../abstract-keyed-state-backend.js'
import { codecFor } from '../cells.js'
import type { AnyKeyedStateSnapshot, KeyedStateSnapshot, SerializedKeyedStateSnapshot } from '../keyed-state-snapshot.js'
import { SerializedSnapshotBuilder, Slicer, StateCapture } from '../snapshot-columns.js'
import type { DbKey } from './db-key.js'
import { DbKey as DbKeyClass, NS_END, NS_START, dbKeyEncoder } from './db-key.js'
import { LmdbStateTable } from './lmdb-state-table.js'
import type { RecordCodec } from './records.js'
import { recordsFor } from './records.js'
import { WriteCache } from './write-cache.js'

/**
 * What an {@link LmdbKeyedStateBackend} is made with.
 *
 * @category State
 * @since 0.2.0
 */
export interface LmdbKeyedStateBackendOptions {
  /** The key groups this subtask owns. */
  readonly keyGroupRange: KeyGroupRange
  /** The number of key groups of the job (its maxParallelism). */
  readonly maxParallelism: number
  /** The operator's name, for error messages and snapshots. */
  readonly operatorName: string
  /** The processing-time clock state TTL runs on (the operator's clock; a manual one in tests). */
  readonly ttlTimeProvider: () => number
  /**
   * The directory of this backend's lmdb environment. It is created if missing; the backend owns
   * it (files left in it by an earlier run are replaced) and deletes it on `dispose()`.
   */
  readonly path: string
  /**
   * How many (state, key, namespace) entries the in-memory write cache holds before it writes the
   * changed ones to lmdb and evicts (default {@link DEFAULT_LMDB_CACHE_SIZE}).
   */
  readonly cacheSize?: number
}

/**
 * The default size of the lmdb backend's write cache, in entries.
 *
 * @category State
 * @since 0.2.0
 */
export const DEFAULT_LMDB_CACHE_SIZE = 100_000

/** State ids are 16-bit; 0 and 0xffff are kept free. */
const MAX_STATES = 0xfffe
/** Entries read per lmdb range query when a snapshot is read out asynchronously. */
const ASYNC_CHUNK = 4096
/** Entries rewritten per transaction when a restored state gains or loses TTL. */
const REWRITE_CHUNK = 10_000
const DB_FILE = 'state.mdb'

/** What a snapshot reads of one state, fixed when it starts. */
interface SnapshotPlan {
  readonly name: string
  readonly kind: StateKind
  readonly count: number
  readonly withTs: boolean
  readonly records: RecordCodec<unknown>
  readonly start: DbKey
  readonly end: DbKey
}

/**
 * A keyed state backend that keeps its state in an embedded lmdb database on disk, for state
 * larger than memory.
 *
 * @remarks
 * Same contract and behaviour as the heap backend (`HeapKeyedStateBackend`): the same five
 * kinds of state, namespaces and merging, TTL with the same semantics (expiry on access and
 * incremental cleanup), the same errors, and the same snapshot format, so that savepoints move
 * freely between the two backends, also with another parallelism.
 *
 * **Storage.** Each entry (state, key, namespace) is one lmdb record under the key
 * `[state id, key group, namespace, key]` (a binary encoding in which every key type has its own
 * tag): the entries of a key group are contiguous, snapshots read them in key group order, and
 * key listings scan ranges. Values are encoded by lmdb's msgpack encoder in structured-clone mode,
 * which round-trips what the heap backend's `structuredClone` does (nested objects and arrays,
 * `undefined` apart from `null`, bigint of any size, `Map`, `Set`, `Date`, `RegExp`, errors, typed
 * arrays, shared and cyclic references; class instances come back as plain objects; functions and
 * symbols fail), with these differences: `-0` comes back as `0`, strings with lone surrogates come
 * back with U+FFFD in their place, and holes in sparse arrays come back as `undefined`. An encoded
 * key and namespace together must fit in 1978 bytes.
 *
 * **Write cache.** The per-record path never waits for the disk and never commits a transaction
 * per record: a bounded in-memory cache (`cacheSize` entries, like a RocksDB memtable) holds the
 * recently used entries as live objects, organised like the heap backend's maps, so reading then
 * writing a cached value costs one map lookup. A miss reads lmdb synchronously (`get`, a few
 * microseconds from the page cache). Writes change the cached cell and mark it dirty. When the
 * cache grows past its size, at the next change of the current key, entries are evicted (clock /
 * second chance) down to 80% of the size, and the dirty ones among them are written in one lmdb
 * transaction; snapshots and key listings (`getKeys`, `applyToAllKeys`) write all dirty entries
 * first and then read lmdb, and a restore's entries go through the cache too. When restored
 * entries gain or lose TTL timestamps (the first `getOrCreateKeyedState` after a restore), they
 * are rewritten in lmdb. Objects read from the state are live only while their entry is cached: as
 * with Flink's RocksDB backend, change a value in place and then write it back with `update` (or
 * `add`, `put`), never keep it and change it later.
 *
 * **Durability.** The lmdb files are scratch space: durability comes from checkpoints, never from
 * these files, so the environment is opened with `noSync` (lmdb never flushes to disk itself; the
 * OS writes pages back when it likes) and a fresh directory on every start.
 *
 * **Snapshots.** {@link LmdbKeyedStateBackend.snapshot} reads everything synchronously;
 * {@link LmdbKeyedStateBackend.snapshotAsync} flushes the cache and opens an lmdb read
 * transaction synchronously, which fixes the snapshot's contents (lmdb is MVCC), and then reads it
 * out in chunks between which processing goes on.
 *
 * A backend is used from one thread only.
 *
 * @typeParam K - the key type
 * @category State
 * @since 0.2.0
 */
export class LmdbKeyedStateBackend<K extends Key> extends AbstractKeyedStateBackend<K, LmdbStateTable<K, any>> {
  /** The directory of the lmdb environment. */
  readonly path: string
  private readonly db: RootDatabase<any, any>
  private readonly cache: WriteCache
  /** The read transactions of the snapshots being read out (one item per use: they may share one). */
  private readonly readers: Transaction[] = []
  private nextSid = 1

  constructor(options: LmdbKeyedStateBackendOptions) {
    super(options)
    const { operatorName, path } = options
    const cacheSize = options.cacheSize ?? DEFAULT_LMDB_CACHE_SIZE
    if (!Number.isInteger(cacheSize) || cacheSize < 1)
      throw new StateError(`Operator '${operatorName}' got an lmdb cache size of ${cacheSize}; it must be a positive integer.`)
    if (typeof path !== 'string' || path.length === 0)
      throw new StateError(`Operator '${operatorName}' needs a directory for its lmdb state backend.`)
    this.path = path
    try {
      mkdirSync(path, { recursive: true })
      // scratch space of an earlier run (state comes from checkpoints, never from these files)
      rmSync(join(path, DB_FILE), { force: true })
      rmSync(join(path, `${DB_FILE}-lock`), { force: true })
      this.db = open({
        path: join(path, DB_FILE),
        // the files are scratch space, durability comes from checkpoints: never fsync
        noSync: true,
        overlappingSync: false,
        noMemInit: true,
        keyEncoder: dbKeyEncoder,
        encoder: {
          structuredClone: true,
          writeFunction: () => {
            throw new TypeError('A function cannot be stored.')
          },
        },
      })
    } catch (cause) {
      throw new StateError(
        `Operator '${operatorName}' cannot open its lmdb state backend in ${JSON.stringify(path)}. ${describeError(cause)}`,
        { cause },
      )
    }
    this.cache = new WriteCache(this.db, cacheSize)
  }

  /** The size of the write cache, in entries. */
  get cacheSize(): number {
    return this.cache.capacity
  }

  /**
   * Sets the key the following state accesses are for.
   *
   * @remarks
   * As the heap backend's. This is also where a write cache that has grown past its size is
   * shrunk (evicting entries, writing the dirty ones to lmdb), between two records.
   *
   * @throws StateError when the key's group lies outside {@link LmdbKeyedStateBackend.keyGroupRange},
   * or when the write cache cannot write a value to lmdb.
   * @throws TypeError when the key is not a string, number, bigint or boolean.
   */
  override setCurrentKey(key: K): void {
    if (this.cache.size > this.cache.capacity) this.shrink()
    super.setCurrentKey(key)
  }

  /**
   * All keyed state, grouped by key group, TTL timestamps included: the heap backend's format.
   *
   * @remarks
   * Writes the cache's dirty entries to lmdb, then reads lmdb. The values are decoded from lmdb,
   * so the snapshot shares nothing with the live state. Includes state restored but not asked for
   * yet, and expired entries that were not cleaned up yet.
   *
   * @throws StateError naming the state when a value cannot be stored (a function, a symbol).
   */
  snapshot(): KeyedStateSnapshot {
    this.checkOpen()
    this.cache.flush(this.snapshotError)
    const plan = this.snapshotPlan()
    const byState = plan.map(() => this.newSnapshotGroups())
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i]!
      if (p.count === 0) continue
      const range = this.db.getRange({ start: p.start, end: p.end } as any) as Iterable<{ key: DbKey; value: unknown[] }>
      for (const e of range) this.addEntry(byState[i]!, p, e.key, e.value)
    }
    return this.assembleSnapshot(plan, byState)
  }

  /**
   * A snapshot of the state as it is now, read out asynchronously.
   *
   * @remarks
   * The call itself fixes the contents: it writes the cache's dirty entries to lmdb and opens an
   * lmdb read transaction (a consistent view, lmdb being MVCC) before it returns. The entries are
   * then read in chunks, yielding to the event loop between them, so records can be processed
   * meanwhile; what they change does not show in the snapshot. The read transaction keeps the
   * pages of that view from being reused, so lmdb's file grows while state changes during a long
   * read-out. `dispose()` while a snapshot is read out makes it fail.
   *
   * @throws StateError (as a rejection) when a value cannot be stored, or when the backend was or
   * gets disposed.
   */
  snapshotAsync(): Promise<KeyedStateSnapshot> {
    let plan: SnapshotPlan[]
    let txn: Transaction
    try {
      this.checkOpen()
      this.cache.flush(this.snapshotError)
      plan = this.snapshotPlan()
      txn = this.db.useReadTransaction()
    } catch (e) {
      return Promise.reject(e)
    }
    this.readers.push(txn)
    return this.readOut(plan, txn)
  }

  /**
   * All keyed state, in the format checkpoints store ({@link SerializedKeyedStateSnapshot}), read
   * out and serialized asynchronously.
   *
   * @remarks
   * As {@link LmdbKeyedStateBackend.snapshotAsync}, the call fixes the contents (it writes the
   * cache's dirty entries and opens an lmdb read transaction); the promise then reads the entries
   * and serializes them, key group by key group, in slices between which the task goes on. The
   * values are decoded from lmdb, so nothing the operator changes later shows in the snapshot.
   *
   * @throws StateError when a value cannot be stored (synchronously), or (as a rejection) when
   * the backend was or gets disposed.
   */
  snapshotForCheckpoint(): Promise<SerializedKeyedStateSnapshot> {
    this.checkOpen()
    this.cache.flush(this.snapshotError)
    const plan = this.snapshotPlan()
    const txn = this.db.useReadTransaction()
    this.readers.push(txn)
    return this.readOutSerialized(plan, txn)
  }

  /**
   * Loads the key groups of these snapshots that lie in this backend's range; the others are
   * skipped.
   *
   * @remarks
   * Same semantics as the heap backend's restore (snapshots of either backend): restoring the
   * snapshots of every subtask of an earlier run rescales the state; a state's data waits for its
   * descriptor; entries of the same key and namespace are replaced; TTL timestamps are kept. The
   * entries go through the write cache, which flushes and shrinks as the restore proceeds.
   *
   * @throws StateError when a snapshot has another maxParallelism, a state's kind conflicts, or
   * an entry is malformed or lies in the wrong key group.
   */
  override restore(snapshots: readonly AnyKeyedStateSnapshot[]): void {
    this.checkOpen()
    this.restoring = new Map()
    try {
      super.restore(snapshots)
    } finally {
      this.restoring = undefined
      this.restoringNew = false
      this.cache.invalidateCursors()
    }
  }

  /** Drops all state, closes lmdb and deletes its directory; the backend cannot be used afterwards. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    for (const txn of this.readers.splice(0)) txn.done()
    this.dropAll()
    this.cache.closed = true
    this.cache.clear()
    try {
      void this.db.close().catch(() => {})
    } catch {
      // already closed
    }
    rmSync(this.path, { recursive: true, force: true, maxRetries: 3 })
  }

  // ---- the hooks ----

  protected newTable(name: string, kind: StateKind): LmdbStateTable<K, any> {
    if (this.nextSid > MAX_STATES)
      throw new StateError(`Operator '${this.operatorName}' has more than ${MAX_STATES} keyed states; the lmdb backend holds at most that many.`)
    const t = new LmdbStateTable<K, unknown>(
      name,
      kind,
      this.nextSid++,
      codecFor(kind),
      recordsFor(kind),
      this.ctx,
      this.cache,
      this.maxParallelism,
      this.operatorName,
    )
    this.cache.tables.push(t)
    return t
  }

  /** The keys of a namespace in key group order, from lmdb after a flush. @internal */
  protected keysIn(t: LmdbStateTable<K, any>, ns: Namespace): K[] {
    this.checkOpen()
    this.cache.flush(this.writeError)
    const out: K[] = []
    if (t.count === 0) return out
    const db = this.db
    if (t.count < this.numGroups) {
      // few entries: one scan over the state beats a scan per key group
      const { start, end } = t.range()
      for (const k of db.getKeys({ start, end } as any) as Iterable<DbKey>) if (k.ns === ns) out.push(k.key as K)
      return out
    }
    const from = new DbKeyClass(t.sid, 0, ns, '', NS_START)
    const to = new DbKeyClass(t.sid, 0, ns, '', NS_END)
    for (let g = this.start; g <= this.end; g++) {
      from.kg = to.kg = g
      for (const k of db.getKeys({ start: from, end: to } as any) as Iterable<DbKey>) out.push(k.key as K)
    }
    return out
  }

  /** Writes the cache's dirty entries first, then rewrites the entries in lmdb that change. @internal */
  protected setTimestamps(t: LmdbStateTable<K, any>, fill: number | undefined): void {
    const cache = this.cache
    const db = this.db
    cache.flush(this.writeError)
    // the cached cells are clean copies of what lmdb holds: change them alike
    const codec = t.codec
    for (const n of t.voidMap.values()) if (n.cell !== undefined) codec.setTimestamps(n.cell, fill)
    for (const m of t.nsMaps.values()) for (const n of m.values()) if (n.cell !== undefined) codec.setTimestamps(n.cell, fill)
    const { start, end } = t.range()
    let after: DbKey | undefined
    for (;;) {
      const batch = cache.readBatch(start, end, after, REWRITE_CHUNK)
      if (batch.length === 0) break
      after = batch[batch.length - 1]!.key
      db.transactionSync(() => {
        for (const e of batch) {
          const hasTs = e.value.length > 1
          if (fill === undefined ? !hasTs : hasTs) continue
          const cell = t.records.fromRecord(e.value)
          codec.setTimestamps(cell, fill)
          db.putSync(e.key, t.records.toRecord(cell))
        }
      })
      if (batch.length < REWRITE_CHUNK) break
    }
    cache.generation++
    cache.invalidateCursors()
  }

  /**
   * Per table of the restore running: the key groups restored so far, when the table was empty
   * when the restore came to it (`null` when it was not). Its entries in a key group restored for
   * the first time are new, so lmdb need not be asked whether they exist.
   */
  private restoring: Map<LmdbStateTable<K, any>, Set<number> | null> | undefined = undefined
  /** Whether the entries being restored are known to be new. */
  private restoringNew = false

  protected override beginRestoredGroup(t: LmdbStateTable<K, any>, kg: number): void {
    const restoring = this.restoring!
    let seen = restoring.get(t)
    if (seen === undefined) restoring.set(t, (seen = t.count === 0 ? new Set() : null))
    this.restoringNew = seen !== null && !seen.has(kg)
    seen?.add(kg)
  }

  protected putRestored(t: LmdbStateTable<K, any>, key: K, ns: Namespace, kg: number, cell: unknown): void {
    t.putRaw(key, ns, kg, cell, this.restoringNew)
    if (this.cache.size > this.cache.capacity) this.shrink()
  }

  // ---- helpers ----

  private shrink(): void {
    this.cache.shrink(this.writeError)
  }

  private readonly writeError = (t: LmdbStateTable<any, any>, cause: unknown): StateError =>
    new StateError(
      `Cannot write state '${t.name}' of operator '${this.operatorName}' to lmdb: its values must be structured-clonable (no functions, symbols or other uncloneable objects). ${describeError(cause)}`,
      { cause },
    )

  private readonly snapshotError = (t: LmdbStateTable<any, any>, cause: unknown): StateError =>
    new StateError(
      `Cannot snapshot state '${t.name}' of operator '${this.operatorName}': its keys and values must be structured-clonable (no functions, symbols or other uncloneable objects). ${describeError(cause)}`,
      { cause },
    )

  private snapshotPlan(): SnapshotPlan[] {
    const names = Array.from(this.tables.keys()).sort()
    return names.map((name) => {
      const t = this.tables.get(name)!
      const { start, end } = t.range()
      return {
        name,
        kind: t.kind,
        count: t.count,
        withTs: !t.materialized || t.ttl !== undefined,
        records: t.records,
        start,
        end,
      }
    })
  }

  private addEntry(groups: SnapshotGroups, p: SnapshotPlan, k: DbKey, record: unknown[]): void {
    const g = k.kg - this.start
    if (g < 0 || g >= this.numGroups)
      throw new InternalError(
        `State '${p.name}' of operator '${this.operatorName}' holds key ${describeKey(k.key)} of key group ${k.kg}, outside the backend's key groups.`,
      )
    this.addSnapshotEntry(groups, g, k.key, k.ns, p.records.exportValue(record), p.withTs ? p.records.exportTimestamps(record) : undefined)
  }

  private async readOutSerialized(plan: readonly SnapshotPlan[], txn: Transaction): Promise<SerializedKeyedStateSnapshot> {
    let slicer: Slicer
    let captures: StateCapture[]
    try {
      // what calls it returns first
      await nextTurn()
      slicer = new Slicer()
      captures = []
      for (const p of plan) {
        const c = new StateCapture(p.name, p.kind, p.withTs, this.start, this.numGroups, this.operatorName)
        captures.push(c)
        if (p.count === 0) continue
        let after: DbKey | undefined
        for (;;) {
          if (slicer.due()) await slicer.pause()
          if (this.disposed)
            throw new StateError(
              `The keyed state backend of operator '${this.operatorName}' was disposed while a snapshot of it was read out.`,
            )
          const batch = this.cache.readBatch(p.start, p.end, after, ASYNC_CHUNK, txn)
          const records = p.records
          for (const e of batch) {
            const k = e.key
            c.add(k.kg, k.key, k.ns, records.exportValue(e.value), p.withTs ? records.exportTimestamps(e.value) : undefined)
          }
          if (batch.length < ASYNC_CHUNK) break
          after = batch[batch.length - 1]!.key
        }
      }
    } finally {
      const i = this.readers.indexOf(txn)
      if (i >= 0) {
        this.readers.splice(i, 1)
        txn.done()
      }
    }
    // what lmdb gave is decoded into new objects: nothing to serialize before the task goes on
    return new SerializedSnapshotBuilder(this.groupSpace(), captures).finish(slicer)
  }

  private async readOut(plan: readonly SnapshotPlan[], txn: Transaction): Promise<KeyedStateSnapshot> {
    try {
      const byState = plan.map(() => this.newSnapshotGroups())
      for (let i = 0; i < plan.length; i++) {
        const p = plan[i]!
        if (p.count === 0) continue
        let after: DbKey | undefined
        for (;;) {
          await nextTurn()
          if (this.disposed)
            throw new StateError(
              `The keyed state backend of operator '${this.operatorName}' was disposed while a snapshot of it was read out.`,
            )
          const batch = this.cache.readBatch(p.start, p.end, after, ASYNC_CHUNK, txn)
          for (const e of batch) this.addEntry(byState[i]!, p, e.key, e.value)
          if (batch.length < ASYNC_CHUNK) break
          after = batch[batch.length - 1]!.key
        }
      }
      return this.assembleSnapshot(plan, byState)
    } finally {
      const i = this.readers.indexOf(txn)
      if (i >= 0) {
        this.readers.splice(i, 1)
        txn.done()
      }
    }
  }
}
