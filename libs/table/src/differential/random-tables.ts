/**
 * The random tables of the differential test: their schemas, a fast-check arbitrary of their
 * contents, and the two ways the same contents reach the engines (CSV files for Strom, `INSERT`
 * statements for DuckDB).
 *
 * @remarks
 * Small key domains (`k` in 0..4, `g` in a..c) so that joins and groups hit, NULLs in every
 * column but the event times `a.ts` and `b.t`, duplicates by construction. Values are chosen so that the
 * two engines cannot legitimately disagree on them: `DOUBLE`s are quarters or tenths of small
 * integers (sums stay well inside double precision), `DECIMAL(10,2)` values are kept as integer
 * cents, `BIGINT` values stay below 2^53 even when summed, timestamps are epoch milliseconds
 * within one minute of 2020-01-01 (so the watermark delay of one hour never makes a row late).
 *
 * @packageDocumentation
 */
import fc from 'fast-check'

/** The SQL types the differential test generates values and expressions of. */
export type SqlType = 'INT' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP'

/** A column of a random table. */
export interface ColumnDef {
  readonly name: string
  readonly type: SqlType
}

/** A random table's schema; `rowtime` names its event-time column (with a watermark in Strom). */
export interface TableDef {
  readonly name: string
  readonly columns: readonly ColumnDef[]
  readonly rowtime?: string
}

/**
 * A value of a random table.
 *
 * @remarks
 * `DECIMAL` as integer cents, `TIMESTAMP` as epoch milliseconds (UTC), `STRING` and `BOOLEAN` as
 * themselves, `NULL` as `null`.
 */
export type CellValue = number | string | boolean | null

/** The three tables: `a` and `b` (facts with event times `ts` and `t`), `c` (a small dimension). */
export const TABLES: readonly TableDef[] = [
  {
    name: 'a',
    columns: [
      { name: 'k', type: 'INT' },
      { name: 'g', type: 'STRING' },
      { name: 'x', type: 'INT' },
      { name: 'n', type: 'BIGINT' },
      { name: 'd', type: 'DOUBLE' },
      { name: 'm', type: 'DECIMAL' },
      { name: 's', type: 'STRING' },
      { name: 'p', type: 'BOOLEAN' },
      { name: 'ts', type: 'TIMESTAMP' },
    ],
    rowtime: 'ts',
  },
  {
    name: 'b',
    columns: [
      { name: 'k', type: 'INT' },
      { name: 'g', type: 'STRING' },
      { name: 'y', type: 'INT' },
      { name: 'm', type: 'DECIMAL' },
      { name: 's', type: 'STRING' },
      { name: 't', type: 'TIMESTAMP' },
    ],
    rowtime: 't',
  },
  {
    name: 'c',
    columns: [
      { name: 'g', type: 'STRING' },
      { name: 'w', type: 'DOUBLE' },
      { name: 'z', type: 'BIGINT' },
    ],
  },
]

/** The table definition called `name`. */
export const tableDef = (name: string): TableDef => {
  const t = TABLES.find((d) => d.name === name)
  if (t === undefined) throw new Error(`No random table '${name}'.`)
  return t
}

/** The contents of the random tables, by table name, rows as arrays in column order. */
export interface Dataset {
  readonly tables: Readonly<Record<string, readonly (readonly CellValue[])[]>>
}

/** Epoch milliseconds of 2020-01-01 00:00:00 UTC, the earliest generated timestamp. */
export const BASE_TIME = Date.UTC(2020, 0, 1)

/** How many milliseconds after {@link BASE_TIME} the generated timestamps may lie. */
export const TIME_SPAN_MS = 60_000

/** The strings of the `s` columns: empty, case, blanks, LIKE wildcards, CSV delimiters and quotes. */
export const STRING_DOMAIN: readonly string[] = ['', 'a', 'A', 'ab', 'abc', 'b', 'ba', 'x_y', '50%', ' a ', 'Hello', 'a,b', 'q"t', "it's"]

/** The strings of the `g` (group) columns. */
export const GROUP_DOMAIN: readonly string[] = ['a', 'b', 'c']

const nullable = <T>(arb: fc.Arbitrary<T>, freq = 6): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq })

const valueArb = (table: string, c: ColumnDef): fc.Arbitrary<CellValue> => {
  switch (c.name) {
    case 'k':
      return nullable(fc.integer({ min: 0, max: 4 }))
    case 'g':
      return nullable(fc.constantFrom(...GROUP_DOMAIN), 8)
    case 's':
      return nullable(fc.constantFrom(...STRING_DOMAIN))
    case 'x':
    case 'y':
      return nullable(fc.integer({ min: -20, max: 20 }))
    case 'n':
    case 'z':
      return nullable(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -1e12, max: 1e12 })))
    case 'd':
    case 'w':
      return nullable(fc.oneof(fc.integer({ min: -400, max: 400 }).map((q) => q / 4), fc.integer({ min: -1000, max: 1000 }).map((t) => t / 10)))
    case 'm':
      return nullable(fc.integer({ min: -99_999, max: 99_999 }))
    case 'p':
      return nullable(fc.boolean())
    case 'ts':
    case 't':
      return fc.integer({ min: 0, max: TIME_SPAN_MS - 1 }).map((ms) => BASE_TIME + ms)
    default:
      throw new Error(`No value generator for ${table}.${c.name}.`)
  }
}

const rowArb = (t: TableDef): fc.Arbitrary<CellValue[]> => fc.tuple(...t.columns.map((c) => valueArb(t.name, c)))

const MAX_ROWS: Readonly<Record<string, number>> = { a: 40, b: 25, c: 6 }

/**
 * A table's rows: now and then none, usually up to its maximum (fast-check's default sizes stay
 * tiny), sometimes up to four times as many (bigger groups, longer retraction chains).
 */
const rowsArb = (t: TableDef): fc.Arbitrary<CellValue[][]> => {
  const max = MAX_ROWS[t.name] ?? 10
  // cross-shrinking: a failing case with a large table shrinks to a small or an empty one too
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant<CellValue[][]>([]), weight: 1 },
    { arbitrary: fc.array(rowArb(t), { minLength: 1, maxLength: max, size: 'max' }), weight: 12 },
    { arbitrary: fc.array(rowArb(t), { minLength: max, maxLength: 4 * max, size: 'max' }), weight: 2 },
  )
}

/** Random contents for every table of {@link TABLES} (each may be empty). */
export const datasetArb: fc.Arbitrary<Dataset> = fc
  .tuple(...TABLES.map(rowsArb))
  .map((contents) => ({ tables: Object.fromEntries(TABLES.map((t, i) => [t.name, contents[i]!])) }))

// --- text of values -------------------------------------------------------------------------

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

/** A `DECIMAL(_, 2)` value held as integer cents, as decimal text: `-12.05`. */
export const centsText = (cents: number): string => {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(cents)
  return `${sign}${Math.floor(abs / 100)}.${pad(abs % 100, 2)}`
}

/** Epoch milliseconds as `yyyy-MM-dd HH:mm:ss.SSS` (UTC), the CSV and SQL literal form. */
export const timestampText = (ms: number): string => {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}`
}

/** The null literal of the CSV files (`csv.null-literal`), so that an empty string stays a string. */
export const CSV_NULL = 'NULL'

const csvField = (v: CellValue, type: SqlType): string => {
  if (v === null) return CSV_NULL
  switch (type) {
    case 'DECIMAL':
      return centsText(v as number)
    case 'TIMESTAMP':
      return timestampText(v as number)
    case 'STRING':
      // always quoted: a quoted field is never NULL, and commas and quotes survive
      return `"${String(v).replaceAll('"', '""')}"`
    default:
      return String(v)
  }
}

/** A table's rows as CSV text (Flink's `csv` format with `csv.null-literal` = {@link CSV_NULL}). */
export const toCsv = (t: TableDef, rows: readonly (readonly CellValue[])[]): string =>
  rows.map((r) => r.map((v, i) => csvField(v, t.columns[i]!.type)).join(',')).join('\n') + (rows.length > 0 ? '\n' : '')

const FLINK_TYPES: Readonly<Record<SqlType, string>> = {
  INT: 'INT',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL(10, 2)',
  STRING: 'STRING',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP(3)',
}

const DUCK_TYPES: Readonly<Record<SqlType, string>> = {
  INT: 'INTEGER',
  BIGINT: 'BIGINT',
  DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL(10, 2)',
  STRING: 'VARCHAR',
  BOOLEAN: 'BOOLEAN',
  TIMESTAMP: 'TIMESTAMP',
}

/** Strom's `CREATE TABLE` of a random table read from the CSV file at `path`. */
export const stromDdl = (t: TableDef, path: string): string => {
  const cols = t.columns.map((c) => `  ${c.name} ${FLINK_TYPES[c.type]}`)
  // one hour of allowed lateness: every generated row is on time, so STREAMING drops nothing
  if (t.rowtime !== undefined) cols.push(`  WATERMARK FOR ${t.rowtime} AS ${t.rowtime} - INTERVAL '1' HOUR`)
  return `CREATE TABLE ${t.name} (\n${cols.join(',\n')}\n) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'csv', 'csv.null-literal' = '${CSV_NULL}')`
}

/** DuckDB's `CREATE TABLE` of a random table. */
export const duckDdl = (t: TableDef): string => `CREATE OR REPLACE TABLE ${t.name} (${t.columns.map((c) => `${c.name} ${DUCK_TYPES[c.type]}`).join(', ')})`

const duckLiteral = (v: CellValue, type: SqlType): string => {
  if (v === null) return 'NULL'
  switch (type) {
    case 'DECIMAL':
      return `CAST('${centsText(v as number)}' AS DECIMAL(10, 2))`
    case 'TIMESTAMP':
      return `make_timestamp(${BigInt(v as number) * 1000n})`
    case 'STRING':
      return `'${String(v).replaceAll("'", "''")}'`
    case 'DOUBLE':
      return `CAST(${v} AS DOUBLE)`
    case 'BOOLEAN':
      return v ? 'TRUE' : 'FALSE'
    default:
      return String(v)
  }
}

/** DuckDB's `INSERT` of a table's rows (`undefined` when there are none). */
export const duckInsert = (t: TableDef, rows: readonly (readonly CellValue[])[]): string | undefined =>
  rows.length === 0 ? undefined : `INSERT INTO ${t.name} VALUES ${rows.map((r) => `(${r.map((v, i) => duckLiteral(v, t.columns[i]!.type)).join(', ')})`).join(', ')}`
