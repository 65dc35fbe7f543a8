import type { RootDatabase, Transaction } from 'lmdb'
import type { Key } from '../../../core/key.js'
import type { Namespace } from '../../../state/keyed-state-backend.js'
import { DbKey } from './db-key.js'
import type { LmdbStateTable } from './lmdb-state-table.js'

/** An lmdb entry as range reads return it: the key and the stored record. @internal */
export interface DbEntry {
  readonly key: DbKey
  readonly value: unknown[]
}

/**
 * One (state, key, namespace) entry held in memory by the {@link WriteCache}.
 *
 * @remarks
 * `cell` is the entry's live cell, or `undefined` for a deletion that lmdb does not know of yet (a
 * tombstone). `persisted` tells whether lmdb holds the key as of the last flush; `dirty` whether
 * the cell differs from what lmdb holds. An entry that is not persisted is always dirty.
 *
 * @internal
 */
export class CacheNode {
  /** Older neighbour in the clock list. */
  prev: CacheNode | null = null
  /** Younger neighbour in the clock list. */
  next: CacheNode | null = null
  /** Referenced since the clock hand last passed (second chance). */
  ref = false
  /** Whether the node is still in the cache (false once dropped). */
  live = true

  constructor(
    readonly table: LmdbStateTable<any, any>,
    readonly key: Key,
    readonly ns: Namespace,
    /** The key's group (part of the lmdb key). */
    readonly kg: number,
    /** The cell, or `undefined` for a tombstone. */
    public cell: unknown,
    /** Whether lmdb holds the key. */
    public persisted: boolean,
    /** Whether lmdb must be told about the cell (or its deletion). */
    public dirty: boolean,
  ) {}
}

/**
 * The lmdb environment of a keyed state backend with its write-back cache: a bounded set of
 * {@link CacheNode}s that holds the recently used entries, written to lmdb in batches (like a
 * RocksDB memtable).
 *
 * @remarks
 * Reads look in the cache (the state tables' maps) first, then in lmdb; writes go to the cache
 * only and mark the entry dirty. When the cache holds more than `capacity` entries,
 * {@link WriteCache.shrink} evicts entries by the clock (second chance) algorithm down to 80% of
 * the capacity and writes the dirty ones among them in one lmdb transaction. Snapshots and key
 * listings {@link WriteCache.flush} every dirty entry first, so that lmdb alone holds the whole
 * state.
 *
 * Eviction only runs where no state access is under way (when the current key changes, during a
 * restore), so a cell handed to a state object stays in the cache until the record is done.
 *
 * @internal
 */
export class WriteCache {
  /** The number of nodes in the cache. */
  size = 0
  /** Bumped by every write to lmdb, so readers of lmdb know when what they read may be stale. */
  generation = 0
  /** Whether the environment was closed. */
  closed = false
  /** The key holder for point reads and writes (filled, then handed to lmdb). */
  readonly dk = new DbKey()
  /** The tables, whose cursors every flush invalidates. */
  readonly tables: LmdbStateTable<any, any>[] = []
  private head: CacheNode | null = null
  private tail: CacheNode | null = null
  private dirty: CacheNode[] = []
  private readonly lowWater: number

  constructor(
    readonly db: RootDatabase<any, any>,
    /** The number of entries above which the cache is flushed and shrunk. */
    readonly capacity: number,
  ) {
    this.lowWater = Math.floor(capacity * 0.8)
  }

  /** Adds a node (already in its table's map) as the youngest. */
  add(n: CacheNode): void {
    this.append(n)
    this.size++
    if (n.dirty) this.pushDirty(n)
  }

  /** Marks a node dirty. */
  markDirty(n: CacheNode): void {
    if (n.dirty) return
    n.dirty = true
    this.pushDirty(n)
  }

  /** Takes a node out of the cache (its table removes it from its map). */
  unlink(n: CacheNode): void {
    this.detach(n)
    n.live = false
    this.size--
  }

  /**
   * Writes every dirty entry to lmdb in one transaction; tombstones leave the cache. Invalidates
   * every table's cursor.
   *
   * @param errorFor - makes the error to throw when an entry cannot be written (its table, the cause)
   */
  flush(errorFor: (table: LmdbStateTable<any, any>, cause: unknown) => Error): void {
    const dirty = this.dirty
    if (dirty.length === 0) return
    this.write(dirty, errorFor)
    for (let i = 0; i < dirty.length; i++) {
      const n = dirty[i]!
      if (!n.live || !n.dirty) continue
      n.dirty = false
      if (n.cell === undefined) n.table.dropNode(n)
      else n.persisted = true
    }
    this.dirty = []
    this.invalidateCursors()
  }

  /**
   * Evicts entries until the cache holds 80% of its capacity, writing the dirty ones among them to
   * lmdb in one transaction (write-back on eviction).
   *
   * @remarks
   * The clock algorithm picks them, from the oldest: an entry referenced since the hand last
   * passed gets a second chance (it moves to the young end). Dirty entries that stay are written
   * later, when they are evicted or before a snapshot, so a hot entry is not written again and
   * again. Invalidates every table's cursor.
   */
  shrink(errorFor: (table: LmdbStateTable<any, any>, cause: unknown) => Error): void {
    const excess = this.size - this.lowWater
    if (excess <= 0) return
    const victims: CacheNode[] = []
    while (victims.length < excess) {
      const n = this.head!
      this.detach(n)
      if (n.ref) {
        n.ref = false
        this.append(n)
      } else victims.push(n)
    }
    try {
      this.write(victims, errorFor)
    } catch (e) {
      // nothing was written: keep them all
      for (const n of victims) this.append(n)
      throw e
    }
    for (const n of victims) {
      n.table.removeFromMaps(n)
      n.live = false
      n.dirty = false
    }
    this.size -= victims.length
    this.invalidateCursors()
  }

  /** Writes the dirty ones of these nodes to lmdb in one transaction (none when one fails). */
  private write(nodes: readonly CacheNode[], errorFor: (table: LmdbStateTable<any, any>, cause: unknown) => Error): void {
    const db = this.db
    const dk = this.dk
    let failed: CacheNode | undefined
    let any = false
    for (let i = 0; i < nodes.length && !any; i++) any = nodes[i]!.live && nodes[i]!.dirty
    if (!any) return
    try {
      db.transactionSync(() => {
        for (let i = 0; i < nodes.length; i++) {
          const n = nodes[i]!
          if (!n.live || !n.dirty) continue
          failed = n
          dk.set(n.table.sid, n.kg, n.ns, n.key)
          if (n.cell === undefined) db.removeSync(dk)
          else db.putSync(dk, n.table.records.toRecord(n.cell))
        }
        failed = undefined
      })
    } catch (e) {
      // the transaction was aborted: nothing was written
      if (failed !== undefined) throw errorFor(failed.table, e)
      throw e
    }
    this.generation++
  }

  /**
   * Adds a node that just became dirty to the dirty list. The list holds each live dirty node
   * once, and the nodes that left the cache since the last flush; when those make it twice as
   * long as the cache can be, they are dropped from it (windows that come and go between two
   * snapshots never fill the cache, but would fill the list).
   */
  private pushDirty(n: CacheNode): void {
    const dirty = this.dirty
    dirty.push(n)
    if (dirty.length > 2 * this.capacity + 64) this.dirty = dirty.filter((d) => d.live && d.dirty)
  }

  private detach(n: CacheNode): void {
    const { prev, next } = n
    if (prev === null) this.head = next
    else prev.next = next
    if (next === null) this.tail = prev
    else next.prev = prev
    n.prev = n.next = null
  }

  private append(n: CacheNode): void {
    const tail = this.tail
    n.prev = tail
    n.next = null
    if (tail === null) this.head = n
    else tail.next = n
    this.tail = n
  }

  /**
   * Up to `limit` entries of lmdb in [`start`, `end`), from right after `after` when it is given:
   * read in a read transaction when one is given, else from what lmdb holds now (no snapshot, so
   * writes between two batches are allowed).
   */
  readBatch(start: DbKey, end: DbKey, after: DbKey | undefined, limit: number, transaction?: Transaction): DbEntry[] {
    const options: Record<string, unknown> = { start: after ?? start, end, exclusiveStart: after !== undefined, limit }
    if (transaction === undefined) options.snapshot = false
    else options.transaction = transaction
    const out: DbEntry[] = []
    for (const e of this.db.getRange(options) as Iterable<DbEntry>) out.push({ key: e.key, value: e.value })
    return out
  }

  /** Forgets every table's cached current entry. */
  invalidateCursors(): void {
    const tables = this.tables
    for (let i = 0; i < tables.length; i++) tables[i]!.invalidate()
  }

  /** Drops every node and pending write (the environment is going away). */
  clear(): void {
    this.head = this.tail = null
    this.dirty = []
    this.size = 0
  }
}
