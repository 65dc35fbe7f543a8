/**
 * The two engines of the differential test: Strom (a query's changelog applied to an empty table,
 * in STREAMING or BATCH mode) and DuckDB in-process, the oracle.
 *
 * @packageDocumentation
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { TableEnvironment } from '../api/table-environment.js'
import type { ResultColumn } from '../api/table-result.js'
import { TABLES, duckDdl, duckInsert, stromDdl, toCsv, type Dataset } from './random-tables.js'

/** The final table of a Strom query: its columns and its rows (Strom's internal values). */
export interface StromResult {
  readonly columns: readonly ResultColumn[]
  readonly rows: readonly (readonly unknown[])[]
  /** How many changelog rows made the table. */
  readonly changelogLength: number
}

/** Writes a dataset's tables as CSV files into `dir`; returns Strom's `CREATE TABLE` statements for them. */
export const writeDataset = (data: Dataset, dir: string): string[] => {
  mkdirSync(dir, { recursive: true })
  return TABLES.map((t) => {
    const path = join(dir, `${t.name}.csv`)
    writeFileSync(path, toCsv(t, data.tables[t.name] ?? []))
    return stromDdl(t, path)
  })
}

/** A row's identity in a changelog: equal raw values give equal keys. */
const rowKey = (raw: readonly unknown[]): string =>
  raw.map((v) => (typeof v === 'number' ? (Object.is(v, -0) ? '0' : String(v)) : v === undefined ? 'undefined' : JSON.stringify(v))).join('\u0001')

/**
 * Runs `sql` in a fresh Strom table environment after the `ddl` statements and applies its
 * changelog: the rows of `+I`/`+U` minus those of `-U`/`-D`.
 *
 * @remarks
 * Fails when the changelog retracts a row more often than it added it. Parallelism above 1 runs
 * the job's subtasks in worker threads; the watermark advances after every row
 * (`pipeline.auto-watermark-interval` 0).
 */
export const runStrom = async (ddl: readonly string[], sql: string, mode: 'streaming' | 'batch', parallelism: number): Promise<StromResult> => {
  const env = TableEnvironment.create({ mode, parallelism, config: { 'pipeline.auto-watermark-interval': '0' } })
  for (const s of ddl) await env.executeSql(s)
  const result = await env.executeSql(sql)
  const table = new Map<string, { raw: readonly unknown[]; count: number }>()
  let changelogLength = 0
  for await (const r of result.collect()) {
    changelogLength++
    const key = rowKey(r.raw)
    let entry = table.get(key)
    if (entry === undefined) {
      entry = { raw: r.raw, count: 0 }
      table.set(key, entry)
    }
    entry.count += r.kind === '+I' || r.kind === '+U' ? 1 : -1
  }
  const rows: (readonly unknown[])[] = []
  for (const { raw, count } of table.values()) {
    if (count < 0) throw new Error(`Strom's ${mode} changelog retracts [${raw.join(', ')}] ${-count} more time(s) than it adds it.`)
    for (let i = 0; i < count; i++) rows.push(raw)
  }
  return { columns: result.columns, rows, changelogLength }
}

/** DuckDB in memory, holding the random tables. */
export class DuckDbOracle {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** A new in-memory database. */
  static async create(): Promise<DuckDbOracle> {
    const instance = await DuckDBInstance.create(':memory:')
    return new DuckDbOracle(instance, await instance.connect())
  }

  /** Replaces the random tables' contents with `data`. */
  async load(data: Dataset): Promise<void> {
    for (const t of TABLES) {
      await this.conn.run(duckDdl(t))
      const insert = duckInsert(t, data.tables[t.name] ?? [])
      if (insert !== undefined) await this.conn.run(insert)
    }
  }

  /** The rows of a query, as DuckDB's values (`DuckDBDecimalValue`, `bigint`, ...). */
  async query(sql: string): Promise<unknown[][]> {
    const reader = await this.conn.runAndReadAll(sql)
    return reader.getRows() as unknown[][]
  }

  /** Closes the connection and the database. */
  close(): void {
    this.conn.closeSync()
    this.instance.closeSync()
  }
}
