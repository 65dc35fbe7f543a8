/**
 * Value helpers of the aggregate functions: ordering, equality and map keys of SQL values (as
 * `data-type.ts` represents them), and the rounding of `DECIMAL` and sized integer results.
 *
 * @remarks
 * Per-record code: no allocation except where a key must be built for a non-primitive value.
 * A private copy inside `aggregate/`; when the expression layer exports the same helpers, these
 * can defer to them.
 *
 * @packageDocumentation
 */
import type { DataType } from '../types/data-type.js'
import { compareStrings } from '../data/compare-strings.js'

/**
 * Compares two non-null values of the same SQL type: negative, zero or positive.
 *
 * @remarks
 * Numbers (every numeric, date, time, timestamp and interval type) by value, strings by Unicode
 * code point (as Flink compares UTF-8 bytes), `false < true`, bytes and arrays
 * lexicographically (a prefix first).
 */
export const compareValues = (a: unknown, b: unknown): number => {
  if (typeof a === 'number') return a < (b as number) ? -1 : a > (b as number) ? 1 : 0
  if (typeof a === 'string') return compareStrings(a, b as string)
  if (typeof a === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (typeof a === 'bigint') return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0
  if (a instanceof Uint8Array) {
    const x = b as Uint8Array
    const n = a.length < x.length ? a.length : x.length
    for (let i = 0; i < n; i++) if (a[i] !== x[i]) return a[i]! - x[i]!
    return a.length - x.length
  }
  if (Array.isArray(a)) {
    const x = b as unknown[]
    const n = a.length < x.length ? a.length : x.length
    for (let i = 0; i < n; i++) {
      const u = a[i]
      const v = x[i]
      if (u === null || v === null) {
        if (u !== v) return u === null ? -1 : 1
        continue
      }
      const c = compareValues(u, v)
      if (c !== 0) return c
    }
    return a.length - x.length
  }
  return 0
}


/**
 * Whether two values (or results) are equal: primitives by `Object.is`-like equality (`NaN`
 * equals `NaN`, `0` equals `-0`), bytes, arrays and maps by content, `null` only to `null`.
 */
export const valuesEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a === 'number') return typeof b === 'number' && a !== a && b !== b
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false
    return true
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false
    for (const [k, v] of a) {
      if (!b.has(k) || !valuesEqual(v, b.get(k))) return false
    }
    return true
  }
  return false
}

/** Whether two rows of values are equal field by field ({@link valuesEqual}) from `from` on. */
export const fieldsEqual = (a: readonly unknown[], b: readonly unknown[], from = 0): boolean => {
  if (a.length !== b.length) return false
  for (let i = from; i < a.length; i++) if (!valuesEqual(a[i], b[i])) return false
  return true
}

const jsonValue = (_k: string, v: unknown): unknown => {
  if (v instanceof Map) return { $map: [...v] }
  if (v instanceof Uint8Array) return { $bytes: Array.from(v) }
  if (typeof v === 'bigint') return { $bigint: v.toString() }
  if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) }
  return v
}

/**
 * A `Map` key standing for a value: a primitive itself, anything else (bytes, arrays, maps) an
 * encoded string; equal values give equal keys.
 */
export const valueKey = (v: unknown): unknown => (typeof v === 'object' && v !== null ? `\u0001${JSON.stringify(v, jsonValue)}` : v)

/** The `Map` key of a tuple of values (several arguments of one call). */
export const tupleKey = (values: readonly unknown[]): string => `\u0001${JSON.stringify(values, jsonValue)}`

/** Whether values of `t` are JavaScript primitives (so a value is its own `Map` key). */
export const isPrimitiveType = (t: DataType): boolean =>
  t.kind !== 'BINARY' && t.kind !== 'VARBINARY' && t.kind !== 'ARRAY' && t.kind !== 'MULTISET' && t.kind !== 'MAP' && t.kind !== 'ROW'

const POW10: number[] = Array.from({ length: 39 }, (_, i) => 10 ** i)

/**
 * `x` rounded to `scale` digits after the point, half away from zero (Java's `HALF_UP`), as
 * `DECIMAL` results are; `x` itself when that many digits exceed a double's precision.
 */
export const roundDecimal = (x: number, scale: number): number => {
  const f = scale < POW10.length ? POW10[scale]! : 10 ** scale
  const y = (x < 0 ? -x : x) * f
  if (!(y < 4503599627370496)) return x // 2^52: no fraction digits left to round
  // the tiny relative nudge absorbs binary representation error (2.675 * 100 = 267.49999...)
  const r = Math.round(y * (1 + 2 * Number.EPSILON)) / f
  return x < 0 ? -r : r
}

/** The integer types whose arithmetic wraps around in Flink (Java `byte`, `short`, `int`). */
export type IntWidth = 8 | 16 | 32 | 0

/** The wrapping width of an integer type (`0`: none, i.e. `BIGINT` and the non-integers). */
export const intWidthOf = (t: DataType): IntWidth => (t.kind === 'TINYINT' ? 8 : t.kind === 'SMALLINT' ? 16 : t.kind === 'INT' ? 32 : 0)

/** `x` wrapped to a signed integer of `width` bits, as Java's integer overflow does. */
export const wrapInt = (x: number, width: IntWidth): number =>
  width === 32 ? x | 0 : width === 16 ? (x << 16) >> 16 : width === 8 ? (x << 24) >> 24 : x

/** The product of two integers of `width` bits, wrapped as Java's multiplication does. */
export const mulInt = (a: number, b: number, width: IntWidth): number => (width === 0 ? a * b : wrapInt(Math.imul(a, b), width))
