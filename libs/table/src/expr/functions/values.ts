/**
 * Equality and order of runtime values of any SQL type (for `=`, `IN`, `IS DISTINCT FROM`,
 * `GREATEST`, `ARRAY_CONTAINS`, map keys).
 *
 * @packageDocumentation
 */

const bytesCompare = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    // Java compares bytes as signed values
    const x = (a[i]! << 24) >> 24
    const y = (b[i]! << 24) >> 24
    if (x !== y) return x < y ? -1 : 1
  }
  return a.length - b.length
}

/**
 * Whether two non-`NULL` values of the same SQL type are equal: numbers, strings and booleans by
 * value, bytes by content, arrays and rows element-wise, maps by entries (order ignored). A
 * `NULL` inside a collection equals a `NULL` (as Flink compares collection values).
 */
export const valueEquals = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (a === null || b === null || a === undefined || b === undefined) return false
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (a instanceof Uint8Array) return b instanceof Uint8Array && bytesCompare(a, b) === 0 && a.length === b.length
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!valueEquals(a[i], b[i])) return false
    return true
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false
    for (const [k, v] of a) {
      if (b.has(k)) {
        if (!valueEquals(v, b.get(k))) return false
        continue
      }
      let found = false
      for (const [k2, v2] of b) {
        if (valueEquals(k, k2)) {
          if (!valueEquals(v, v2)) return false
          found = true
          break
        }
      }
      if (!found) return false
    }
    return true
  }
  return false
}

/**
 * The order of two non-`NULL` values of the same orderable type: negative, zero or positive.
 * Strings compare by UTF-16 code units (Java's `String.compareTo`), bytes as signed bytes,
 * `false < true`.
 */
export const compareValues = (a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (a instanceof Uint8Array && b instanceof Uint8Array) return bytesCompare(a, b)
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length)
    for (let i = 0; i < n; i++) {
      const x = a[i]
      const y = b[i]
      if (x === null || x === undefined) {
        if (y === null || y === undefined) continue
        return -1
      }
      if (y === null || y === undefined) return 1
      const c = compareValues(x, y)
      if (c !== 0) return c
    }
    return a.length - b.length
  }
  return 0
}
