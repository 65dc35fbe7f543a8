/**
 * One case of the differential test: a dataset and a query, run by Strom in STREAMING and in
 * BATCH mode and by DuckDB, with a full report when they disagree.
 *
 * @packageDocumentation
 */
import { TABLES, toCsv, type Dataset, type SqlType } from './random-tables.js'
import { columnKindOf, compareRows, formatRows, normalizeDuck, normalizeStrom, type ColumnKind, type NormRow } from './compare.js'
import { runStrom, writeDataset, type DuckDbOracle, type StromResult } from './engines.js'
import type { GeneratedQuery } from './queries.js'
import type { KnownDeviations } from './known-deviations.js'

/** What one case runs. */
export interface DifferentialCase {
  readonly data: Dataset
  readonly query: GeneratedQuery
  readonly parallelism: number
}

/** One engine's outcome: the final table's rows, or the error it failed with. */
type Outcome = { readonly rows: readonly NormRow[]; readonly changelogLength?: number } | { readonly error: string }

const describeError = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e))

const normalizeStromResult = (r: StromResult): { kinds: ColumnKind[]; rows: NormRow[] } => {
  const kinds = r.columns.map((c) => columnKindOf(c.type))
  return { kinds, rows: r.rows.map((row) => row.map((v, i) => normalizeStrom(v, kinds[i]!))) }
}

/** DuckDB's rows normalized to Strom's column kinds (or DuckDB's own when Strom failed: all exact). */
const normalizeDuckRows = (rows: readonly unknown[][], kinds: readonly ColumnKind[] | undefined): NormRow[] =>
  rows.map((row) => row.map((v, i) => normalizeDuck(v, kinds?.[i] ?? (typeof v === 'number' ? { kind: 'double' } : { kind: 'integer' }))))

const KIND_OF_TYPE: Readonly<Record<SqlType, ColumnKind['kind']>> = {
  INT: 'integer',
  BIGINT: 'integer',
  DOUBLE: 'double',
  DECIMAL: 'decimal',
  STRING: 'string',
  BOOLEAN: 'boolean',
  TIMESTAMP: 'timestamp',
}

/** A report of the columns whose kind in Strom's result differs from Flink's type (`undefined` when none). */
const checkTypes = (kinds: readonly ColumnKind[], expected: readonly SqlType[]): string | undefined => {
  if (kinds.length !== expected.length) return `Strom's result has ${kinds.length} column(s), Flink's would have ${expected.length}.`
  const wrong = kinds.flatMap((k, i) => (k.kind === KIND_OF_TYPE[expected[i]!] ? [] : [`column ${i + 1}: Strom's is ${k.kind}, Flink's ${expected[i]}`]))
  return wrong.length === 0 ? undefined : `Strom types the result differently: ${wrong.join('; ')}.`
}

/** The data of a case as CSV text per table (only the tables `sql` reads, when given). */
export const formatDataset = (data: Dataset, sql?: string): string =>
  TABLES.filter((t) => sql === undefined || new RegExp(`\\b(FROM|JOIN|TABLE) ${t.name}\\b`).test(sql)).map((t) => {
    const rows = data.tables[t.name] ?? []
    const header = `  ${t.name} (${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')}), ${rows.length} row(s):`
    const body = toCsv(t, rows).trimEnd()
    return body === '' ? header : `${header}\n${body.split('\n').map((l) => `    ${l}`).join('\n')}`
  }).join('\n')

/**
 * Runs one case; resolves with `undefined` when Strom's STREAMING and BATCH final tables both
 * equal DuckDB's result, else with a report naming the data, both SQL texts and all results.
 *
 * @remarks
 * `dir` receives the CSV files (overwritten by the next case).
 */
export const checkCase = async (c: DifferentialCase, duck: DuckDbOracle, dir: string, known: KnownDeviations): Promise<string | undefined> => {
  const ddl = writeDataset(c.data, dir)
  await duck.load(c.data)
  const duckBatchSql = c.query.duck
  const duckStreamingSql = c.query.duckStreaming ?? c.query.duck
  const expectedBatchSql = c.query.globalAggregate === true && known.batchGlobalAggregateOverEmptyInput ? duckStreamingSql : duckBatchSql

  const results: Record<'streaming' | 'batch', Outcome> = { streaming: { error: 'not run' }, batch: { error: 'not run' } }
  let kinds: ColumnKind[] | undefined
  for (const mode of ['streaming', 'batch'] as const) {
    try {
      const r = normalizeStromResult(await runStrom(ddl, c.query.flink, mode, c.parallelism))
      kinds = r.kinds
      results[mode] = { rows: r.rows }
    } catch (e) {
      results[mode] = { error: describeError(e) }
    }
  }
  const expected = {
    streaming: normalizeDuckRows(await duck.query(duckStreamingSql), kinds),
    batch: normalizeDuckRows(await duck.query(expectedBatchSql), kinds),
  }

  const problems: string[] = []
  const typeProblem = kinds === undefined || c.query.types === undefined ? undefined : checkTypes(kinds, c.query.types)
  if (typeProblem !== undefined) problems.push(typeProblem)
  for (const mode of ['streaming', 'batch'] as const) {
    const got = results[mode]
    if ('error' in got) {
      problems.push(`Strom ${mode.toUpperCase()} failed: ${got.error}`)
      continue
    }
    const diff = compareRows(got.rows, expected[mode])
    if (!diff.equal) {
      problems.push(
        [
          `Strom ${mode.toUpperCase()} differs from DuckDB:`,
          `  only in Strom (${diff.onlyLeft.length}):`,
          formatRows(diff.onlyLeft),
          `  only in DuckDB (${diff.onlyRight.length}):`,
          formatRows(diff.onlyRight),
          `  Strom's final table (${got.rows.length} row(s)):`,
          formatRows(got.rows),
        ].join('\n'),
      )
    }
  }
  if (problems.length === 0) return undefined
  return [
    `Differential case (${c.query.family}, parallelism ${c.parallelism}) failed.`,
    `Strom SQL:\n  ${c.query.flink}`,
    `DuckDB SQL${c.query.duckStreaming !== undefined ? ' (BATCH)' : ''}:\n  ${duckBatchSql}`,
    ...(c.query.duckStreaming !== undefined ? [`DuckDB SQL (STREAMING):\n  ${c.query.duckStreaming}`] : []),
    `Data (CSV as Strom reads it; NULL is the null literal, strings are quoted):\n${formatDataset(c.data, c.query.flink)}`,
    `DuckDB's result (${expected.streaming.length} row(s)):\n${formatRows(expected.streaming)}`,
    ...(expectedBatchSql !== duckStreamingSql ? [`DuckDB's BATCH result (${expected.batch.length} row(s)):\n${formatRows(expected.batch)}`] : []),
    ...problems,
  ].join('\n')
}
