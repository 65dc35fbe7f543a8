// Helpers for the specs of rank/ and over/: readable changelogs and their materialization.
import { ROW_KIND_SHORT, RowKind } from '../../../data/row.js'
import type { Row } from '../../../data/row.js'

/** A row as a short string: `+I[a, 1, 12]`. */
export const show = (r: Row): string => `${ROW_KIND_SHORT[r.kind]}[${r.fields.map((f) => (f === null ? 'null' : String(f))).join(', ')}]`

/** Rows as short strings. */
export const showAll = (rows: readonly Row[]): string[] => rows.map(show)

/** A row's fields as a canonical string (a multiset key). */
export const fieldsKey = (fields: readonly unknown[]): string => JSON.stringify(fields)

/**
 * Applies a retract changelog to a multiset of rows (fields by `fieldsKey`); throws if a `-U` or
 * `-D` takes back a row that is not there, so an inconsistent changelog fails the test.
 */
export const applyChangelog = (into: Map<string, number>, rows: readonly Row[]): Map<string, number> => {
  for (const r of rows) {
    const k = fieldsKey(r.fields)
    const c = into.get(k) ?? 0
    if (r.kind === RowKind.INSERT || r.kind === RowKind.UPDATE_AFTER) into.set(k, c + 1)
    else {
      if (c === 0) throw new Error(`The changelog takes back ${show(r)}, which is not in the result.`)
      if (c === 1) into.delete(k)
      else into.set(k, c - 1)
    }
  }
  return into
}

/** A multiset of field arrays, as `applyChangelog` builds it. */
export const multiset = (rows: readonly (readonly unknown[])[]): Map<string, number> => {
  const m = new Map<string, number>()
  for (const f of rows) {
    const k = fieldsKey(f)
    m.set(k, (m.get(k) ?? 0) + 1)
  }
  return m
}

/** A multiset as a sorted list of `key x count`, for readable assertion failures. */
export const sortedEntries = (m: ReadonlyMap<string, number>): string[] => [...m].map(([k, c]) => `${k} x${c}`).sort()
