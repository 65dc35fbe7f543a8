// The rows of one partition in sort order, as Top-N keeps them in keyed state: groups of peers
// (rows whose sort keys compare equal), each group in arrival order. Plain arrays, so the state
// is plain data for checkpoints; a group is never empty, and its first row stands for its key.
import type { FieldsComparator } from './sort-key-comparator.js'
import { fieldsEqual } from './row-equality.js'

/**
 * Rows (field arrays) grouped by sort key, groups in sort order, rows of a group in arrival order.
 *
 * @remarks
 * Changed in place on the per-record path; the owner writes it back to its state after a change.
 */
export type SortedGroups = unknown[][][]

/**
 * Binary search for the group of `fields`' sort key: its index if present, else `-(i + 1)` where
 * `i` is where a new group for it would go.
 */
export const findGroup = (groups: SortedGroups, fields: readonly unknown[], cmp: FieldsComparator): number => {
  let lo = 0
  let hi = groups.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1
    const c = cmp(groups[mid]![0]!, fields)
    if (c < 0) lo = mid + 1
    else if (c > 0) hi = mid - 1
    else return mid
  }
  return -(lo + 1)
}

/** Adds a row after its peers (or in a new group); returns the index of its group. */
export const insertRow = (groups: SortedGroups, fields: unknown[], cmp: FieldsComparator): number => {
  const g = findGroup(groups, fields, cmp)
  if (g >= 0) {
    groups[g]!.push(fields)
    return g
  }
  const at = -g - 1
  if (at === groups.length) groups.push([fields])
  else groups.splice(at, 0, [fields])
  return at
}

/** The index in `group` of the first row equal to `fields` (field by field), or -1. */
export const indexOfRow = (group: readonly (readonly unknown[])[], fields: readonly unknown[]): number => {
  for (let i = 0; i < group.length; i++) if (fieldsEqual(group[i]!, fields)) return i
  return -1
}

/** Removes row `r` of group `g`, and the group if it becomes empty. */
export const removeRow = (groups: SortedGroups, g: number, r: number): void => {
  const group = groups[g]!
  if (group.length === 1) groups.splice(g, 1)
  else group.splice(r, 1)
}

/** The rows of one partition kept by a Top-N: the sorted groups and their number of rows. */
export interface TopNBuffer {
  /** The number of rows in `g`. */
  n: number
  g: SortedGroups
}

/**
 * For insert-only input: whether a new row can be in the top `end` (by row number, rank or dense
 * rank) of `b` at all; if not, it can be dropped without changing any result.
 */
export const mayEnterTop = (b: TopNBuffer, fields: readonly unknown[], cmp: FieldsComparator, rowNumber: boolean, dense: boolean, end: number): boolean => {
  const groups = b.g
  if (groups.length === 0) return true
  const c = cmp(fields, groups[groups.length - 1]![0]!)
  if (rowNumber) return c < 0 || b.n < end
  if (dense) return c <= 0 || groups.length < end
  return c <= 0 || b.n < end
}

/**
 * For insert-only input: drops the rows that can never be in the top `end` again (rows are only
 * added, so ranks only grow): beyond row number `end`, beyond rank `end` (whole groups of peers),
 * or beyond the `end`-th distinct key.
 */
export const pruneTop = (b: TopNBuffer, rowNumber: boolean, dense: boolean, end: number): void => {
  const groups = b.g
  if (dense) {
    if (groups.length > end) {
      for (let g = end; g < groups.length; g++) b.n -= groups[g]!.length
      groups.length = end
    }
    return
  }
  if (b.n <= end) return
  let before = 0
  let g = 0
  while (g < groups.length && before < end) before += groups[g++]!.length
  // groups [0, g) hold the first `before >= end` rows
  for (let k = g; k < groups.length; k++) b.n -= groups[k]!.length
  groups.length = g
  if (rowNumber && before > end) {
    groups[g - 1]!.length -= before - end
    b.n -= before - end
  }
}
