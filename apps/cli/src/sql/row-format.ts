// The two line formats of query results on standard output: changelog rows (`+I[1, a]`) and JSON
// objects (`{"kind":"+I","a":1}`).
import { DEFAULT_JSON_CODEC_OPTIONS, formatResultRow, jsonValueEncoder, type ResultColumn, type ResultRow } from './table-api.js'

/**
 * How `strom sql` prints query rows: `changelog` (`+I[1, a]`, the default) or `json` (one object
 * per row).
 *
 * @category SQL client
 * @since 0.2.0
 */
export type RowFormat = 'changelog' | 'json'

/**
 * The key of the changelog kind in a JSON row: `kind`, or, when a column has that name, `_kind`
 * (with more underscores while that is taken too).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const jsonKindKey = (columns: readonly ResultColumn[]): string => {
  let key = 'kind'
  while (columns.some((c) => c.name === key)) key = `_${key}`
  return key
}

/**
 * A function that writes a result row as one JSON object: the changelog kind, then each column by
 * name, e.g. `{"kind":"+I","supplier":"s1","cnt":2,"t":"2020-04-15 08:05:00"}`.
 *
 * @remarks
 * Values are written as Flink's `json` format writes them (the same encoder as Strom's `json`
 * format, with its defaults): numbers and `DECIMAL` as JSON numbers (`DECIMAL` with its scale's
 * digits, `7.00`), `BOOLEAN` as `true`/`false`, `TIMESTAMP` as `yyyy-MM-dd HH:mm:ss[.fff]` (the
 * fraction only as long as needed, as Flink's `SQL` timestamp standard), `TIMESTAMP_LTZ` the same
 * with a `Z`, `DATE` `yyyy-MM-dd`, `TIME` `HH:mm:ss[.fff]`, bytes as base64, `ARRAY` as an array,
 * `MAP` and `ROW` as objects (a `NULL` map key as the key `"null"`), `NULL` as `null`. Keys follow
 * the column order; the kind key is {@link jsonKindKey}.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const jsonRowEncoder = (columns: readonly ResultColumn[]): ((row: ResultRow) => string) => {
  const options = { ...DEFAULT_JSON_CODEC_OPTIONS, mapNullKeyMode: 'LITERAL' as const, mapNullKeyLiteral: 'null' }
  const keys = columns.map((c) => `,${JSON.stringify(c.name)}:`)
  const encoders = columns.map((c) => jsonValueEncoder(c.type, c.name, options))
  const kindPrefix = `{${JSON.stringify(jsonKindKey(columns))}:"`
  const n = columns.length
  return (row) => {
    let s = `${kindPrefix}${row.kind}"`
    for (let i = 0; i < n; i++) s += keys[i]! + encoders[i]!(row.raw[i])
    return `${s}}`
  }
}

/**
 * A function that writes a result row as one line of the chosen format.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const rowFormatter = (format: RowFormat, columns: readonly ResultColumn[]): ((row: ResultRow) => string) =>
  format === 'json' ? jsonRowEncoder(columns) : (row) => formatResultRow(row, columns)
