// The table a changelog describes, as the SQL client's "table" result mode shows it: +I and +U add
// a row, -U and -D take one away, rows identified by their full contents.

/**
 * A changelog kind as results carry it.
 *
 * @category SQL client
 * @since 0.2.0
 */
export type ChangeKind = '+I' | '-U' | '+U' | '-D'

const hex = (b: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16)
  return s
}

const valueKey = (v: unknown): string => {
  if (v === null || v === undefined) return 'N'
  switch (typeof v) {
    case 'number':
      return `n${v}`
    case 'string':
      return JSON.stringify(v)
    case 'boolean':
      return v ? 'T' : 'F'
    case 'bigint':
      return `b${v}`
    default:
      break
  }
  if (Array.isArray(v)) {
    let s = '['
    for (let i = 0; i < v.length; i++) s += (i > 0 ? ',' : '') + valueKey(v[i])
    return `${s}]`
  }
  if (v instanceof Uint8Array) return `x${hex(v)}`
  if (v instanceof Date) return `d${v.getTime()}`
  if (v instanceof Map) {
    // maps are equal whatever the order of their entries
    const entries: string[] = []
    for (const [k, x] of v) entries.push(`${valueKey(k)}:${valueKey(x)}`)
    return `{${entries.sort().join(',')}}`
  }
  return `o${JSON.stringify(v)}`
}

/**
 * A text that identifies a row by its full contents: two rows have the same key exactly when
 * their values are equal field by field (numbers by value, strings, bytes, nested arrays, rows
 * and maps by contents, a map's entries in any order, `NULL` equal to `NULL`).
 *
 * @param values - the fields as Strom keeps them (`ResultRow.raw`)
 * @category SQL client
 * @since 0.2.0
 */
export const rowKey = (values: readonly unknown[]): string => {
  let s = ''
  for (let i = 0; i < values.length; i++) s += (i > 0 ? ',' : '') + valueKey(values[i])
  return s
}

interface Entry {
  readonly values: readonly unknown[]
  /** How many copies of the row the table holds. */
  count: number
}

/**
 * The rows a changelog leaves, kept up to date one change at a time (the SQL client's "table"
 * result mode).
 *
 * @remarks
 * `+I` and `+U` add a copy of the row, `-U` and `-D` remove one copy of an equal row (by
 * {@link rowKey}); a retraction of a row the table does not hold is ignored, as in Flink's client.
 * Rows keep the order in which they were added, so an update (`-U` old, `+U` new) moves the row to
 * the end, as in Flink; copies of one row stay together. When the table would hold more than
 * `maxRows` rows, the oldest are dropped (Flink's `sql-client.execution.max-table-result.rows`).
 *
 * @category SQL client
 * @since 0.2.0
 */
export class MaterializedTable {
  private readonly entries = new Map<string, Entry>()
  private rowCount = 0
  private changeCount = 0

  constructor(private readonly maxRows = Number.POSITIVE_INFINITY) {}

  /** The number of rows (copies counted). */
  get size(): number {
    return this.rowCount
  }

  /** The number of changes applied so far. */
  get changes(): number {
    return this.changeCount
  }

  /** Applies one change. */
  apply(kind: ChangeKind, values: readonly unknown[]): void {
    this.changeCount++
    const key = rowKey(values)
    const entry = this.entries.get(key)
    if (kind === '+I' || kind === '+U') {
      if (entry === undefined) this.entries.set(key, { values, count: 1 })
      else entry.count++
      this.rowCount++
      while (this.rowCount > this.maxRows) this.dropOldest()
    } else if (entry !== undefined) {
      this.rowCount--
      if (--entry.count === 0) this.entries.delete(key)
    }
  }

  private dropOldest(): void {
    const first = this.entries.entries().next()
    if (first.done === true) return
    const [key, entry] = first.value
    this.rowCount--
    if (--entry.count === 0) this.entries.delete(key)
  }

  /** The rows, in order, each copy of a row once; at most `limit` of them. */
  rows(limit = Number.POSITIVE_INFINITY): (readonly unknown[])[] {
    const out: (readonly unknown[])[] = []
    for (const e of this.entries.values()) {
      for (let i = 0; i < e.count; i++) {
        if (out.length >= limit) return out
        out.push(e.values)
      }
    }
    return out
  }
}

/**
 * The rows a whole changelog leaves ({@link MaterializedTable}), in the table's order.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const materialize = (changes: Iterable<{ readonly kind: ChangeKind; readonly values: readonly unknown[] }>): (readonly unknown[])[] => {
  const t = new MaterializedTable()
  for (const c of changes) t.apply(c.kind, c.values)
  return t.rows()
}
