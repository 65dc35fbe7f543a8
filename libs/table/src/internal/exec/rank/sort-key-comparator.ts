// Sort-key comparators of the rank, window-rank and OVER operators: built once from the ORDER BY
// keys, then called per record on field arrays (no sort-key row is extracted).

/**
 * One key of an `ORDER BY`: the field, the direction, and where NULLs go.
 *
 * @remarks
 * The same shape as the planner's `SortKey`. `nullsFirst` is independent of the direction:
 * NULLs come first (or last) in the output order, whether it is ascending or descending (Flink's
 * default is NULLS FIRST for ASC and NULLS LAST for DESC; the planner fills it in).
 */
export interface SortKeySpec {
  /** The field's position in the row. */
  readonly index: number
  /** Ascending or descending. */
  readonly direction: 'ASC' | 'DESC'
  /** Whether NULLs sort before every other value. */
  readonly nullsFirst: boolean
}

/** Compares two rows (their field arrays): negative if `a` sorts first, positive if `b` does, 0 for peers. */
export type FieldsComparator = (a: readonly unknown[], b: readonly unknown[]) => number

export { compareStrings } from '../../../data/compare-strings.js'
import { compareStrings } from '../../../data/compare-strings.js'

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  const n = a.length < b.length ? a.length : b.length
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!
  return a.length - b.length
}

/**
 * Compares two non-NULL SQL values of the same type, as Flink orders them: numbers (also DATE,
 * TIME, TIMESTAMP, intervals, DECIMAL) numerically with NaN above everything and `-0` equal to
 * `0`, strings by code point, `false` before `true`, binary strings by unsigned bytes, and arrays
 * (ARRAY, ROW) element by element with NULL elements first.
 *
 * @remarks
 * `MAP` and `MULTISET` values are not orderable in SQL; they compare as peers.
 */
export const compareValues = (a: unknown, b: unknown): number => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a < b) return -1
    if (a > b) return 1
    if (a === b) return 0
    // at least one NaN: NaN is the largest value, and equal to itself
    return a !== a ? (b !== b ? 0 : 1) : -1
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b)
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b)
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = a.length < b.length ? a.length : b.length
    for (let i = 0; i < n; i++) {
      const x: unknown = a[i]
      const y: unknown = b[i]
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
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1
  if (a instanceof Map || b instanceof Map) return 0
  // bigint, or mixed number/bigint
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
}

const compareKey = (x: unknown, y: unknown, sign: number, nullsFirst: boolean): number => {
  if (x === null || x === undefined) {
    if (y === null || y === undefined) return 0
    return nullsFirst ? -1 : 1
  }
  if (y === null || y === undefined) return nullsFirst ? 1 : -1
  if (typeof x === 'number' && typeof y === 'number' && x === y) return 0
  return sign * compareValues(x, y)
}

/**
 * Compiles the comparator of an `ORDER BY` over rows' field arrays.
 *
 * @remarks
 * Built once per operator; the comparators for one and two keys are specialised closures, so the
 * per-record call is a few compares with no allocation. Rows that compare as 0 are peers (the same
 * sort key): Top-N groups them, OVER `RANGE` frames treat them as one.
 */
export const compileComparator = (keys: readonly SortKeySpec[]): FieldsComparator => {
  if (keys.length === 0) return () => 0
  if (keys.length === 1) {
    const { index: i, nullsFirst: nf } = keys[0]!
    const s = keys[0]!.direction === 'DESC' ? -1 : 1
    return (a, b) => {
      const x = a[i]
      const y = b[i]
      if (typeof x === 'number' && typeof y === 'number') {
        if (x < y) return -s
        if (x > y) return s
        if (x === y) return 0
      }
      return compareKey(x, y, s, nf)
    }
  }
  if (keys.length === 2) {
    const { index: i, nullsFirst: nf1 } = keys[0]!
    const { index: j, nullsFirst: nf2 } = keys[1]!
    const s1 = keys[0]!.direction === 'DESC' ? -1 : 1
    const s2 = keys[1]!.direction === 'DESC' ? -1 : 1
    return (a, b) => {
      const c = compareKey(a[i], b[i], s1, nf1)
      return c !== 0 ? c : compareKey(a[j], b[j], s2, nf2)
    }
  }
  const idx = keys.map((k) => k.index)
  const signs = keys.map((k) => (k.direction === 'DESC' ? -1 : 1))
  const nfs = keys.map((k) => k.nullsFirst)
  const n = keys.length
  return (a, b) => {
    for (let k = 0; k < n; k++) {
      const i = idx[k]!
      const c = compareKey(a[i], b[i], signs[k]!, nfs[k]!)
      if (c !== 0) return c
    }
    return 0
  }
}
