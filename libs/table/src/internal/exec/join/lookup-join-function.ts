/**
 * The lookup join of Flink's SQL runtime (`LookupJoinRunner`, `AsyncLookupJoinRunner`, the
 * partial `LookupCache`): enriches each probe row with the rows an external table returns for
 * its key.
 *
 * @packageDocumentation
 */
import { RichAsyncFunction } from '@strom/datastream'
import type { ResultFuture } from '@strom/datastream'
import { ProcessFunction } from '@strom/process'
import type { Collector, RuntimeContext } from '@strom/process'
import { ConfigError } from '@strom/runtime'
import type { Row } from '../../../data/row.js'
import type { JoinCondition } from './join-util.js'
import { ALWAYS, checkIndices, checkWidth, encodeFields, joinedRow } from './join-util.js'

/**
 * Looks up the rows of an external table (a dimension table) for a key: synchronously (an
 * in-memory table, a cache) or with a promise (a database, a service).
 *
 * @remarks
 * `key` holds the lookup key's values in the order of {@link LookupJoinParams.lookupKeys}; it is
 * a new array per call, so the function may keep it. The rows' kinds are ignored; their fields
 * are the table's.
 *
 * @category Joins
 * @since 0.1.0
 */
export type LookupFunction = (key: readonly unknown[]) => readonly Row[] | PromiseLike<readonly Row[]>

/**
 * One value of a lookup key: a field of the probe row (its index) or a constant from the ON
 * clause (`d.kind = 'web'`), as Flink's `FieldRefLookupKey` and `ConstantLookupKey`.
 *
 * @category Joins
 * @since 0.1.0
 */
export type LookupKey = number | { readonly constant: unknown }

/**
 * The partial cache of a lookup join (Flink's `lookup.cache = PARTIAL` options).
 *
 * @remarks
 * Per subtask, in memory, not part of checkpoints. Entries are lookup keys with the rows found
 * (an empty result too, unless `cacheMissingKey` is false); the least recently used entry goes
 * first when `maxRows` is reached. Times are processing time: the task's clock for
 * {@link LookupJoinFunction}, `clock` for {@link LookupJoinAsyncFunction}.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface LookupCacheOptions {
  /** The most entries (lookup keys) kept (`lookup.partial-cache.max-rows`). */
  readonly maxRows: number
  /** Drop an entry this long after it was written (ms; `lookup.partial-cache.expire-after-write`). */
  readonly expireAfterWriteMs?: number
  /** Drop an entry this long after it was last read (ms; `lookup.partial-cache.expire-after-access`). */
  readonly expireAfterAccessMs?: number
  /** Whether keys without rows are cached too (default true; `lookup.partial-cache.cache-missing-key`). */
  readonly cacheMissingKey?: boolean
  /** The clock of the async path (default `Date.now`). */
  readonly clock?: () => number
}

/**
 * What the planner gives a lookup join: `probe [LEFT] JOIN dim FOR SYSTEM_TIME AS OF
 * probe.proctime ON probe.k = dim.k [AND ...]`.
 *
 * @category Joins
 * @since 0.1.0
 */
export interface LookupJoinParams {
  /** INNER or LEFT. */
  readonly joinType: 'INNER' | 'LEFT'
  /** The number of fields of the probe rows. */
  readonly leftWidth: number
  /** The number of fields of the looked-up table (the width of its NULL padding). */
  readonly rightWidth: number
  /** The lookup key: probe fields and constants, in the order the lookup function takes them. */
  readonly lookupKeys: readonly LookupKey[]
  /** The lookup. */
  readonly lookup: LookupFunction
  /** The rest of the ON clause over (probe fields, table fields), if any. */
  readonly condition?: JoinCondition
  /** A partial cache of lookup results, if any. */
  readonly cache?: LookupCacheOptions
}

interface CacheEntry {
  readonly rows: readonly Row[]
  readonly writtenAt: number
  accessedAt: number
}

/**
 * A least-recently-used cache of lookup results with write and access expiry (Flink's
 * `DefaultLookupCache`).
 *
 * @category Joins
 * @since 0.1.0
 */
export class LookupCache {
  private readonly entries = new Map<string, CacheEntry>()
  private readonly maxRows: number
  private readonly afterWrite: number
  private readonly afterAccess: number
  private readonly cacheMissingKey: boolean

  constructor(options: LookupCacheOptions) {
    LookupCache.check(options)
    this.maxRows = options.maxRows
    this.afterWrite = options.expireAfterWriteMs ?? Infinity
    this.afterAccess = options.expireAfterAccessMs ?? Infinity
    this.cacheMissingKey = options.cacheMissingKey ?? true
  }

  /** Checks cache options; throws a `ConfigError` naming the bad one. */
  static check(options: LookupCacheOptions): void {
    const positive = (what: string, v: number | undefined): void => {
      if (v !== undefined && !(v > 0)) throw new ConfigError(`The lookup cache's ${what} must be positive, got ${v}.`)
    }
    if (!Number.isInteger(options.maxRows) || options.maxRows <= 0)
      throw new ConfigError(`The lookup cache's maxRows must be a positive integer, got ${options.maxRows}.`)
    positive('expireAfterWriteMs', options.expireAfterWriteMs)
    positive('expireAfterAccessMs', options.expireAfterAccessMs)
  }

  /** The number of entries. */
  get size(): number {
    return this.entries.size
  }

  /** The rows cached for `key` at time `now`, or `undefined` (absent or expired). */
  get(key: string, now: number): readonly Row[] | undefined {
    const e = this.entries.get(key)
    if (e === undefined) return undefined
    if (now - e.writtenAt >= this.afterWrite || now - e.accessedAt >= this.afterAccess) {
      this.entries.delete(key)
      return undefined
    }
    e.accessedAt = now
    // Most recently used last.
    this.entries.delete(key)
    this.entries.set(key, e)
    return e.rows
  }

  /** Caches the rows found for `key` at time `now`. */
  put(key: string, rows: readonly Row[], now: number): void {
    if (rows.length === 0 && !this.cacheMissingKey) return
    this.entries.delete(key)
    this.entries.set(key, { rows, writtenAt: now, accessedAt: now })
    if (this.entries.size > this.maxRows) {
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
  }
}

/** The checked parameters and the per-record helpers both paths share. */
class LookupJoiner {
  private readonly keyFields: readonly number[]
  private readonly constants: readonly unknown[]
  private readonly condition: JoinCondition
  readonly leftOuter: boolean

  constructor(readonly params: LookupJoinParams) {
    const p = params
    const what = `The ${p.joinType} lookup join`
    checkWidth(`${what}: the left width`, p.leftWidth)
    checkWidth(`${what}: the right width`, p.rightWidth)
    if (p.lookupKeys.length === 0) throw new ConfigError(`${what} needs at least one lookup key.`)
    const fields: number[] = []
    const constants: unknown[] = []
    for (const k of p.lookupKeys) {
      if (typeof k === 'number') {
        fields.push(k)
        constants.push(undefined)
      } else {
        fields.push(-1)
        constants.push(k.constant)
      }
    }
    checkIndices(
      `${what}: the lookup key`,
      fields.filter((i) => i >= 0),
      p.leftWidth,
    )
    this.keyFields = fields
    this.constants = constants
    this.condition = p.condition ?? ALWAYS
    this.leftOuter = p.joinType === 'LEFT'
  }

  /** The lookup key of a probe row, or `undefined` when one of its values is NULL (no match). */
  keyOf(fields: readonly unknown[]): unknown[] | undefined {
    const kf = this.keyFields
    const key = new Array<unknown>(kf.length)
    for (let i = 0; i < kf.length; i++) {
      const v = kf[i]! >= 0 ? fields[kf[i]!] : this.constants[i]
      if (v === null || v === undefined) return undefined
      key[i] = v
    }
    return key
  }

  /** Emits the joined rows of a probe row (or its NULL-padded row in a LEFT join). */
  join(input: Row, rows: readonly Row[] | undefined, out: Collector<Row>): void {
    const p = this.params
    const cond = this.condition
    let matched = false
    if (rows !== undefined)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!.fields
        if (!cond(input.fields, r)) continue
        out.collect(joinedRow(input.kind, input.fields, p.leftWidth, r, p.rightWidth))
        matched = true
      }
    if (!matched && this.leftOuter) out.collect(joinedRow(input.kind, input.fields, p.leftWidth, undefined, p.rightWidth))
  }
}

const isPromiseLike = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function'

/**
 * The synchronous lookup join (Flink's `LookupJoinRunner`): for each probe row, looks up its key
 * and emits the probe fields followed by each matching row's fields.
 *
 * @remarks
 * A non-keyed process function: plan it as `probe.process(fn)`. Rows keep the probe row's kind,
 * so a changelog probe gives a changelog (the table is read as of processing time, so a
 * retraction may not retract exactly what its insertion produced, as in Flink). A LEFT join
 * emits the probe row NULL-padded when nothing matched. A key with a NULL value matches nothing
 * (no lookup is made). The lookup function must answer synchronously; if it returns a promise
 * the job fails: plan promise-returning lookups with {@link LookupJoinAsyncFunction}.
 *
 * @category Joins
 * @since 0.1.0
 */
export class LookupJoinFunction extends ProcessFunction<Row, Row> {
  private readonly joiner: LookupJoiner
  private cache: LookupCache | undefined

  constructor(readonly params: LookupJoinParams) {
    super()
    this.joiner = new LookupJoiner(params)
    if (params.cache !== undefined) LookupCache.check(params.cache)
  }

  override open(_ctx: RuntimeContext): void {
    this.cache = this.params.cache === undefined ? undefined : new LookupCache(this.params.cache)
  }

  override processElement(row: Row, ctx: ProcessFunction.Context, out: Collector<Row>): void {
    const j = this.joiner
    const key = j.keyOf(row.fields)
    let rows: readonly Row[] | undefined
    if (key !== undefined) {
      const cache = this.cache
      if (cache !== undefined) {
        const now = ctx.timerService().currentProcessingTime()
        const k = encodeFields(key)
        rows = cache.get(k, now)
        if (rows === undefined) {
          rows = this.lookupNow(key)
          cache.put(k, rows, now)
        }
      } else rows = this.lookupNow(key)
    }
    j.join(row, rows, out)
  }

  private lookupNow(key: readonly unknown[]): readonly Row[] {
    const r = this.params.lookup(key)
    if (isPromiseLike(r))
      throw new ConfigError(
        `The lookup function of a synchronous lookup join returned a promise (for key ${encodeFields(key)}); plan it with LookupJoinAsyncFunction and the async I/O operator.`,
      )
    return r
  }
}

/** Collects into an array (one per async call: the call's results). */
class ArrayCollector implements Collector<Row> {
  readonly rows: Row[] = []
  collect(record: Row): void {
    this.rows.push(record)
  }
}

/**
 * The asynchronous lookup join (Flink's `AsyncLookupJoinRunner`): an {@link AsyncFunction}
 * adapter for the DataStream async I/O operator, for lookup functions that return promises.
 *
 * @remarks
 * Plan it as `AsyncDataStream.orderedWait(probe, fn, timeoutMs, capacity)` (or `unorderedWait`
 * for an append-only probe whose order does not matter, as Flink's
 * `table.exec.async-lookup.output-mode`). Semantics as {@link LookupJoinFunction}: each call
 * completes with the joined rows of its probe row (the NULL-padded row in a LEFT join without
 * match); a rejected lookup fails the job. Synchronous answers (and cache hits) complete at once.
 *
 * @category Joins
 * @since 0.1.0
 */
export class LookupJoinAsyncFunction extends RichAsyncFunction<Row, Row> {
  private readonly joiner: LookupJoiner
  private cache: LookupCache | undefined
  private clock: () => number = Date.now

  constructor(readonly params: LookupJoinParams) {
    super()
    this.joiner = new LookupJoiner(params)
    if (params.cache !== undefined) LookupCache.check(params.cache)
  }

  override open(_ctx: RuntimeContext): void {
    const c = this.params.cache
    this.cache = c === undefined ? undefined : new LookupCache(c)
    this.clock = c?.clock ?? Date.now
  }

  override asyncInvoke(input: Row, resultFuture: ResultFuture<Row>): void {
    const j = this.joiner
    const key = j.keyOf(input.fields)
    if (key === undefined) return this.complete(input, undefined, resultFuture)
    const cache = this.cache
    const k = cache === undefined ? '' : encodeFields(key)
    if (cache !== undefined) {
      const hit = cache.get(k, this.clock())
      if (hit !== undefined) return this.complete(input, hit, resultFuture)
    }
    const r = this.params.lookup(key)
    if (!isPromiseLike(r)) {
      cache?.put(k, r, this.clock())
      return this.complete(input, r, resultFuture)
    }
    r.then(
      (rows) => {
        cache?.put(k, rows, this.clock())
        this.complete(input, rows, resultFuture)
      },
      (error: unknown) => resultFuture.completeExceptionally(error),
    )
  }

  private complete(input: Row, rows: readonly Row[] | undefined, resultFuture: ResultFuture<Row>): void {
    const c = new ArrayCollector()
    this.joiner.join(input, rows, c)
    resultFuture.complete(c.rows)
  }
}
