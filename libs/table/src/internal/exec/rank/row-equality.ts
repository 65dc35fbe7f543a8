// Value equality of rows, as Flink's generated RecordEqualiser: used to find the row a retraction
// (-U, -D) takes back among the rows kept in state, and to skip updates that change nothing.

/**
 * Whether two SQL values are equal as data: primitives by value (NaN equals NaN), binary strings
 * byte by byte, arrays (ARRAY, ROW, MULTISET) element by element, maps entry by entry.
 */
export const valuesEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (a === null || b === null || a === undefined || b === undefined) return false
  if (typeof a === 'number') return typeof b === 'number' && a !== a && b !== b
  if (typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a)) return Array.isArray(b) && fieldsEqual(a, b)
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false
    for (const [k, v] of a) {
      if (!b.has(k)) return false
      if (!valuesEqual(v, b.get(k))) return false
    }
    return true
  }
  return false
}

/** Whether two rows' field arrays are equal field by field (see {@link valuesEqual}). */
export const fieldsEqual = (a: readonly unknown[], b: readonly unknown[]): boolean => {
  if (a === b) return true
  const n = a.length
  if (n !== b.length) return false
  for (let i = 0; i < n; i++) {
    const x = a[i]
    const y = b[i]
    if (x !== y && !valuesEqual(x, y)) return false
  }
  return true
}
