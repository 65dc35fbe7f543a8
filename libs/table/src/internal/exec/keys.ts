// Keys of SQL operators: the runtime keys streams by primitives (string | number | bigint |
// boolean), so a key of several columns is encoded into one string.
import type { Row } from '../../data/row.js'

/** A runtime key. */
export type RowKey = string | number | boolean | bigint

/** The key of a row whose key columns are all NULL, or of an empty key (a global aggregation). */
export const NULL_KEY = '\u0000null'

/** The key of an empty key list: every row in one group (`SELECT COUNT(*) FROM t`). */
export const EMPTY_KEY = '\u0000'

const encodeOne = (v: unknown): RowKey => {
  if (v === null || v === undefined) return NULL_KEY
  switch (typeof v) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return v
    default:
      return encodeMany([v])
  }
}

const jsonValue = (_k: string, v: unknown): unknown => {
  if (v instanceof Map) return { $map: [...v] }
  if (v instanceof Uint8Array) return { $bytes: Array.from(v) }
  if (typeof v === 'bigint') return { $bigint: v.toString() }
  // JSON writes NaN and the infinities as null: keep them apart from NULL
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) }
  return v
}

const encodeMany = (values: readonly unknown[]): string => JSON.stringify(values, jsonValue)

/**
 * A key selector over the fields at `indices`: one field gives its value itself (NULL becomes
 * {@link NULL_KEY}), several give a JSON string of their values, none gives {@link EMPTY_KEY}.
 * Equal SQL values give equal keys.
 */
export const keySelectorOf = (indices: readonly number[]): ((row: Row) => RowKey) => {
  if (indices.length === 0) return () => EMPTY_KEY
  if (indices.length === 1) {
    const i = indices[0]!
    return (row) => encodeOne(row.fields[i])
  }
  if (indices.length === 2) {
    const [a, b] = indices as [number, number]
    return (row) => encodeMany([row.fields[a], row.fields[b]])
  }
  return (row) => encodeMany(indices.map((i) => row.fields[i]))
}

/** The same key selector over a plain field array (for rows kept in state). */
export const fieldsKeyOf = (indices: readonly number[]): ((fields: readonly unknown[]) => RowKey) => {
  const sel = keySelectorOf(indices)
  return (fields) => sel({ kind: 0, fields: fields as unknown[] })
}
