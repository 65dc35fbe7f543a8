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

/** Whether JSON.stringify without a replacer writes `v` as the state keys' replacers would: strings, finite numbers, booleans, NULL. */
export const plainJson = (v: unknown): boolean => {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true
    case 'number':
      return Number.isFinite(v)
    default:
      return v === null
  }
}

/** The JSON of the values (the replacer only where a value needs it: the text is the same, a replacer call per value is not). */
const encodeMany = (values: readonly unknown[]): string => {
  for (let i = 0; i < values.length; i++) if (!plainJson(values[i])) return JSON.stringify(values, jsonValue)
  return JSON.stringify(values)
}

/** Two finite numbers: their JSON array written directly (the most common composite key). */
const encodeTwo = (a: unknown, b: unknown): string =>
  typeof a === 'number' && typeof b === 'number' && Number.isFinite(a) && Number.isFinite(b) ? `[${a},${b}]` : encodeMany([a, b])

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
    return (row) => encodeTwo(row.fields[a], row.fields[b])
  }
  return (row) => encodeMany(indices.map((i) => row.fields[i]))
}

/** The same key selector over a plain field array (for rows kept in state). */
export const fieldsKeyOf = (indices: readonly number[]): ((fields: readonly unknown[]) => RowKey) => {
  const sel = keySelectorOf(indices)
  return (fields) => sel({ kind: 0, fields: fields as unknown[] })
}
