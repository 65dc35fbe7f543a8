/**
 * Normalizes the rows of Strom and of DuckDB to one form and compares them as multisets.
 *
 * @remarks
 * The comparison follows the type of Strom's result column:
 * - `DOUBLE`/`FLOAT`: numbers equal within 1e-9 relative or 1e-6 absolute (the engines may sum in
 *   different orders);
 * - `DECIMAL(p, s)`: exact, as rationals (`2.50` equals `2.5`); Strom keeps a `DECIMAL` as a
 *   JavaScript number, read at its scale `s`; a DuckDB `DOUBLE` (its `AVG` of a `DECIMAL`) is
 *   rounded half away from zero to `s` digits first, as Flink rounds the exact quotient;
 * - integers, strings, booleans and timestamps (epoch milliseconds, DuckDB's microseconds):
 *   exact.
 * NULL is a value like any other, so the order of NULLs (and of rows) does not matter.
 *
 * @packageDocumentation
 */
import { DuckDBDecimalValue, DuckDBTimestampValue } from '@duckdb/node-api'
import type { DataType } from '../types/data-type.js'
import { timestampText } from './random-tables.js'

/** How a result column's values are compared. */
export type ColumnKind =
  | { readonly kind: 'double' }
  | { readonly kind: 'decimal'; readonly scale: number }
  | { readonly kind: 'integer' }
  | { readonly kind: 'string' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'timestamp' }

/** The comparison of a column of Strom's result type. */
export const columnKindOf = (t: DataType): ColumnKind => {
  switch (t.kind) {
    case 'FLOAT':
    case 'DOUBLE':
      return { kind: 'double' }
    case 'DECIMAL':
      return { kind: 'decimal', scale: t.scale }
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return { kind: 'integer' }
    case 'CHAR':
    case 'VARCHAR':
      return { kind: 'string' }
    case 'BOOLEAN':
      return { kind: 'boolean' }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return { kind: 'timestamp' }
    default:
      throw new Error(`The differential test does not compare values of type ${t.kind}.`)
  }
}

/**
 * A normalized cell: a token compared exactly, or a number compared with a tolerance.
 *
 * @remarks
 * `token` is also how the cell is printed in reports.
 */
export type Cell = { readonly token: string; readonly approx?: undefined } | { readonly token: string; readonly approx: number }

/** A normalized row. */
export type NormRow = readonly Cell[]

const NULL_CELL: Cell = { token: 'NULL' }

/** A scaled integer (`value / 10^scale`) as the shortest exact decimal text: `-2.5`, `3`. */
export const decimalText = (value: bigint, scale: number): string => {
  let v = value
  let s = scale
  while (s > 0 && v % 10n === 0n) {
    v /= 10n
    s--
  }
  while (s < 0) {
    v *= 10n
    s++
  }
  const neg = v < 0n
  const digits = (neg ? -v : v).toString().padStart(s + 1, '0')
  const text = s === 0 ? digits : `${digits.slice(0, digits.length - s)}.${digits.slice(digits.length - s)}`
  return neg ? `-${text}` : text
}

/** A JavaScript number rounded half away from zero to `scale` decimal places, as a scaled integer. */
const scaled = (v: number, scale: number): bigint => {
  const f = Math.abs(v) * 10 ** scale
  const r = Math.round(f)
  return BigInt(v < 0 ? -r : r)
}

/** A JavaScript number read as a `DECIMAL` of `scale` places; flags a value finer than its scale. */
const decimalOfNumber = (v: number, scale: number): string => {
  const f = v * 10 ** scale
  const near = Math.round(f)
  // Strom computes in doubles: tolerate their rounding noise, not a value finer than its scale
  if (Math.abs(f - near) > 1e-6 * Math.max(1, Math.abs(f))) return `${v} (not at scale ${scale})`
  return decimalText(scaled(v, scale), scale)
}

const approxCell = (v: number): Cell => ({ token: String(v), approx: v })

/** A value of Strom's result (`raw`, Strom's internal form) in normalized form. */
export const normalizeStrom = (v: unknown, k: ColumnKind): Cell => {
  if (v === null || v === undefined) return NULL_CELL
  switch (k.kind) {
    case 'double':
      return approxCell(v as number)
    case 'decimal':
      return { token: decimalOfNumber(v as number, k.scale) }
    case 'integer':
      return { token: String(v) }
    case 'string':
      return { token: JSON.stringify(v) }
    case 'boolean':
      return { token: v ? 'TRUE' : 'FALSE' }
    case 'timestamp':
      return { token: timestampText(v as number) }
  }
}

/** A value read from DuckDB (`getRows()`) in normalized form, as Strom's result column `k` would hold it. */
export const normalizeDuck = (v: unknown, k: ColumnKind): Cell => {
  if (v === null || v === undefined) return NULL_CELL
  if (v instanceof DuckDBDecimalValue) {
    switch (k.kind) {
      case 'double':
        return approxCell(v.toDouble())
      default:
        return { token: decimalText(v.value, v.scale) }
    }
  }
  if (v instanceof DuckDBTimestampValue) {
    if (v.micros % 1000n !== 0n) return { token: `${v.toString()} (microseconds ${v.micros})` }
    return { token: timestampText(Number(v.micros / 1000n)) }
  }
  if (typeof v === 'bigint') return k.kind === 'double' ? approxCell(Number(v)) : { token: v.toString() }
  if (typeof v === 'number') {
    switch (k.kind) {
      case 'double':
        return approxCell(v)
      case 'decimal':
        return { token: decimalText(scaled(v, k.scale), k.scale) }
      default:
        return { token: Number.isInteger(v) ? String(v) : `${v}` }
    }
  }
  if (typeof v === 'string') return { token: JSON.stringify(v) }
  if (typeof v === 'boolean') return { token: v ? 'TRUE' : 'FALSE' }
  return { token: `${String(v)} (${(v as object).constructor?.name ?? typeof v})` }
}

/** Whether two doubles are equal within the tolerance of the comparison. */
export const approxEqual = (a: number, b: number): boolean => {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return true
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  const diff = Math.abs(a - b)
  return diff <= 1e-6 || diff <= 1e-9 * Math.max(Math.abs(a), Math.abs(b))
}

const cellsEqual = (a: Cell, b: Cell): boolean =>
  a.approx !== undefined && b.approx !== undefined ? approxEqual(a.approx, b.approx) : a.approx === undefined && b.approx === undefined && a.token === b.token

/** The part of a row compared exactly: its exact cells' tokens. */
const exactKey = (r: NormRow): string => r.map((c) => (c.approx === undefined ? c.token : '~')).join('\u0001')

/** A row as printed in reports: `[1, "a", 2.5, NULL]`. */
export const formatRow = (r: NormRow): string => `[${r.map((c) => c.token).join(', ')}]`

/** The rows of one side that the other side lacks (with multiplicity). */
export interface MultisetDiff {
  readonly equal: boolean
  readonly onlyLeft: readonly NormRow[]
  readonly onlyRight: readonly NormRow[]
}

/** Compares two multisets of normalized rows (doubles within the tolerance, all else exactly). */
export const compareRows = (left: readonly NormRow[], right: readonly NormRow[]): MultisetDiff => {
  const buckets = new Map<string, NormRow[]>()
  for (const r of right) {
    const key = exactKey(r)
    const b = buckets.get(key)
    if (b === undefined) buckets.set(key, [r])
    else b.push(r)
  }
  const onlyLeft: NormRow[] = []
  for (const l of left) {
    const b = buckets.get(exactKey(l))
    const i = b === undefined ? -1 : b.findIndex((r) => r.length === l.length && r.every((c, j) => cellsEqual(c, l[j]!)))
    if (i < 0) onlyLeft.push(l)
    else b!.splice(i, 1)
  }
  const onlyRight = [...buckets.values()].flat()
  return { equal: onlyLeft.length === 0 && onlyRight.length === 0, onlyLeft, onlyRight }
}

/** Rows printed one a line, sorted, at most `limit` of them. */
export const formatRows = (rows: readonly NormRow[], limit = 60): string => {
  const lines = rows.map(formatRow).sort()
  const shown = lines.slice(0, limit).map((l) => `    ${l}`)
  if (lines.length > limit) shown.push(`    ... and ${lines.length - limit} more`)
  return lines.length === 0 ? '    (no rows)' : shown.join('\n')
}
