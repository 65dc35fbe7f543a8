/**
 * Lookups against a filesystem table (Flink's `FileSystemLookupFunction`): the table's files are
 * read whole into memory and indexed by the lookup key, and read again once the cache TTL
 * (`lookup.join.cache.ttl`) has passed.
 *
 * @packageDocumentation
 */
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConnectorError, SimpleCounter, type Counter } from '@strom/runtime'
import type { Row } from '../data/row.js'
import { FormatError, type RowDecoder } from '../formats/format.js'
import { encodeFields } from '../internal/exec/join/join-util.js'
import { listPartitionFiles, PartitionRowLayout } from './filesystem-partitions.js'
import type { LookupTableSource } from './table-connector.js'

/** What reading a filesystem table for lookups needs. @internal */
export interface LookupReadPlan {
  readonly tableName: string
  readonly formatId: string
  readonly makeDecoder: () => RowDecoder
  /** The physical column names, in declared order. */
  readonly physicalNames: readonly string[]
  /** The partition keys (empty: not partitioned). */
  readonly partitionKeys: readonly string[]
  /** Reads each partition key's value text. */
  readonly partitionParsers: readonly ((text: string) => unknown)[]
}

/** A file to read and the partition values of its rows. */
interface DataFile {
  readonly path: string
  readonly values: readonly unknown[]
}

const isHidden = (name: string): boolean => name.startsWith('.') || name.startsWith('_')

/**
 * The lookup source of a filesystem table.
 *
 * @remarks
 * Each lookup function made by {@link FileSystemLookupSource.createLookup} holds the whole table
 * in memory, indexed by its key columns: it reads the files at its first lookup and again at the
 * first lookup after `cacheTtlMs` (processing time, `Date.now`) has passed since the last read.
 * Lookups answer synchronously. Rows whose key has a NULL value are never found (NULL equals
 * nothing). A malformed record fails the lookup (and so the job) with a `ConnectorError` naming
 * the file and line, unless the format's `ignore-parse-errors` option is set; then it is skipped
 * and counted in {@link FileSystemLookupSource.malformedRecords}.
 *
 * @category Connectors
 * @since 0.2.0
 */
export class FileSystemLookupSource implements LookupTableSource {
  /** Malformed records skipped (the format's `ignore-parse-errors`), over every read. */
  readonly malformedRecords: Counter = new SimpleCounter()
  /** How often the files were read, over every lookup function (for tests and metrics). */
  loads = 0

  /** @internal built by the filesystem connector */
  constructor(
    /** The file or directory read. */
    readonly path: string,
    /** How long (ms) the table read is used before it is read again. */
    readonly cacheTtlMs: number,
    private readonly plan: LookupReadPlan,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The same source, reading processing time from `clock` (default `Date.now`). */
  withClock(clock: () => number): FileSystemLookupSource {
    return new FileSystemLookupSource(this.path, this.cacheTtlMs, this.plan, clock)
  }

  /** A lookup function by the physical columns at `keyIndices`. */
  createLookup(keyIndices: readonly number[]): (key: readonly unknown[]) => readonly Row[] {
    let index: Map<string, Row[]> | undefined
    let nextLoad = 0
    const none: readonly Row[] = []
    return (key) => {
      const now = this.clock()
      if (index === undefined || now >= nextLoad) {
        index = this.load(keyIndices)
        nextLoad = now + this.cacheTtlMs
      }
      return index.get(encodeFields(key)) ?? none
    }
  }

  /** Reads every row of the table and indexes it by the key columns. */
  private load(keyIndices: readonly number[]): Map<string, Row[]> {
    this.loads++
    const index = new Map<string, Row[]>()
    const key = new Array<unknown>(keyIndices.length)
    const add = (row: Row): void => {
      for (let i = 0; i < keyIndices.length; i++) {
        const v = row.fields[keyIndices[i]!]
        if (v === null || v === undefined) return
        key[i] = v
      }
      const k = encodeFields(key)
      const rows = index.get(k)
      if (rows === undefined) index.set(k, [row])
      else rows.push(row)
    }
    const plan = this.plan
    const decoder = plan.makeDecoder()
    const layout = plan.partitionKeys.length === 0 ? undefined : new PartitionRowLayout(plan.physicalNames, plan.partitionKeys)
    for (const file of this.files()) {
      const values = file.values
      const out = { collect: (row: Row): void => add(layout === undefined ? row : withPartition(row, layout, values)) }
      this.readFile(file.path, decoder, out)
    }
    return index
  }

  /** The files of the table, as a scan would read them. */
  private files(): DataFile[] {
    const plan = this.plan
    if (plan.partitionKeys.length > 0) {
      return listPartitionFiles(plan.tableName, this.path, plan.partitionKeys).map((f) => {
        const values = f.values.map((text, i) => {
          try {
            return plan.partitionParsers[i]!(text)
          } catch (e) {
            throw new ConnectorError(`Table '${plan.tableName}' cannot read the partition value of '${plan.partitionKeys[i]}' in '${f.path}': ${e instanceof Error ? e.message : String(e)}.`, { cause: e })
          }
        })
        return { path: f.path, values }
      })
    }
    let stat
    try {
      stat = statSync(this.path)
    } catch (e) {
      throw new ConnectorError(`Table '${plan.tableName}' cannot read '${this.path}' for a lookup join: ${e instanceof Error ? e.message : String(e)}.`, { cause: e })
    }
    if (!stat.isDirectory()) return [{ path: this.path, values: [] }]
    return readdirSync(this.path)
      .filter((n) => !isHidden(n))
      .sort()
      .map((n) => join(this.path, n))
      .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile() === true)
      .map((p) => ({ path: p, values: [] }))
  }

  /** Decodes the records of one file (a CSV record may span lines inside a quoted field). */
  private readFile(path: string, decoder: RowDecoder, out: { collect(row: Row): void }): void {
    const plan = this.plan
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (e) {
      throw new ConnectorError(`Table '${plan.tableName}' cannot read '${path}' for a lookup join: ${e instanceof Error ? e.message : String(e)}.`, { cause: e })
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    const lines = text.split('\n')
    if (lines[lines.length - 1] === '') lines.pop()
    let partial: string | undefined
    let partialLine = 0
    const malformed = (e: unknown, line: number, record: string): void => {
      if (!(e instanceof FormatError)) throw e
      if (decoder.ignoreParseErrors) {
        this.malformedRecords.inc()
        return
      }
      const shown = record.length > 200 ? `${record.slice(0, 200)}...` : record
      throw new ConnectorError(`Table '${plan.tableName}' cannot read line ${line} of '${path}' as '${plan.formatId}': ${e.message} The record: ${JSON.stringify(shown)}.`, { cause: e })
    }
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i]!
      if (line.endsWith('\r')) line = line.slice(0, -1)
      const record = partial === undefined ? line : `${partial}\n${line}`
      const recordLine = partial === undefined ? i + 1 : partialLine
      try {
        if (decoder.decode(record, out)) partial = undefined
        else {
          partial = record
          partialLine = recordLine
        }
      } catch (e) {
        partial = undefined
        malformed(e, recordLine, record)
      }
    }
    if (partial !== undefined) malformed(new FormatError('The file ends inside a quoted field.'), partialLine, partial)
  }
}

/** A decoded row with its partition values in place. */
const withPartition = (row: Row, layout: PartitionRowLayout, values: readonly unknown[]): Row => {
  layout.fill(row.fields, values)
  return row
}
