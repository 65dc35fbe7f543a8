import type { Batch } from './batch.js'

/**
 * A batch as it crosses a MessagePort (structured clone): the same records in a form that is
 * cheaper to clone.
 *
 * @remarks
 * Structured clone copies a plain array number by number and an object property by property, with
 * a tag per value; a `Float64Array` is one copy of its bytes. So timestamps always travel as a
 * `Float64Array`, and when every record of the batch is a flat plain object of one shape (the same
 * own enumerable keys in the same order, every value a primitive), the records travel as columns:
 * the key names once, then one column per key, numeric columns as `Float64Array`s. The receiver
 * rebuilds the objects. Anything else (arrays, class instances, nested objects, mixed shapes)
 * travels as the plain array of values, exactly as before.
 *
 * The rebuilt records equal what structured clone would have produced (same keys in the same order,
 * same values, `-0` and `NaN` included), with one difference that no operator can rely on across an
 * exchange: if the same object appeared twice in a batch, structured clone gives one object twice
 * and columns give two equal objects (as Flink, which serialises each record on its own).
 */
export interface WireBatch {
  /** The number of records. */
  readonly n: number
  readonly timestamps: Float64Array
  /** The records as they are, when they do not go as columns. */
  readonly values: unknown[] | undefined
  /** The records' keys, in order, when they go as columns. */
  readonly names: readonly string[] | undefined
  /** One column per key: a `Float64Array` when every value is a number. */
  readonly columns: readonly (unknown[] | Float64Array)[] | undefined
  readonly control: number
  readonly controlValue: number
}

/** Columns only pay off for more than a few records, and are only tried for this many keys at most. */
const MIN_RECORDS = 4
const MAX_KEYS = 64

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype

/** Whether `Object.prototype` has enumerable properties, which `for...in` would list (normally never). */
const prototypePolluted = (): boolean => {
  for (const _ in Object.prototype) return true
  return false
}

/** The batch's records as columns, or undefined when they are not flat plain objects of one shape. */
const toColumns = (values: readonly unknown[]): { names: string[]; columns: (unknown[] | Float64Array)[] } | undefined => {
  const n = values.length
  const first = values[0]
  if (!isPlainObject(first)) return undefined
  const names = Object.keys(first)
  const k = names.length
  if (k === 0 || k > MAX_KEYS || names.includes('__proto__') || prototypePolluted()) return undefined
  const columns: unknown[][] = []
  const numeric: boolean[] = []
  for (let j = 0; j < k; j++) {
    columns.push(new Array<unknown>(n))
    numeric.push(true)
  }
  for (let i = 0; i < n; i++) {
    const v = values[i]
    if (!isPlainObject(v)) return undefined
    let j = 0
    // own enumerable string keys in their order (the prototype is Object.prototype, checked above
    // to have no enumerable properties), as structured clone would copy them
    for (const key in v) {
      if (j === k || key !== names[j]) return undefined
      const x = v[key]
      const t = typeof x
      if (t === 'object' ? x !== null : t === 'function' || t === 'symbol') return undefined
      if (t !== 'number') numeric[j] = false
      columns[j]![i] = x
      j++
    }
    if (j !== k) return undefined
  }
  const out: (unknown[] | Float64Array)[] = []
  for (let j = 0; j < k; j++) {
    const col = columns[j]!
    if (!numeric[j]) {
      out.push(col)
      continue
    }
    const f = new Float64Array(n)
    for (let i = 0; i < n; i++) f[i] = col[i] as number
    out.push(f)
  }
  return { names, columns: out }
}

/** The form of a batch to post to another thread. */
export const toWire = (b: Batch): WireBatch => {
  const values = b.values
  const n = values.length
  const timestamps = new Float64Array(n)
  const ts = b.timestamps
  for (let i = 0; i < n; i++) timestamps[i] = ts[i]!
  const cols = n >= MIN_RECORDS ? toColumns(values) : undefined
  return cols === undefined
    ? { n, timestamps, values, names: undefined, columns: undefined, control: b.control, controlValue: b.controlValue }
    : { n, timestamps, values: undefined, names: cols.names, columns: cols.columns, control: b.control, controlValue: b.controlValue }
}

/** The batch a {@link WireBatch} stands for, once it arrived in the other thread. */
export const fromWire = (w: WireBatch): Batch => {
  const { n, names, columns } = w
  let values = w.values
  if (values === undefined) {
    values = new Array<unknown>(n)
    const k = names!.length
    for (let i = 0; i < n; i++) {
      const o: Record<string, unknown> = {}
      for (let j = 0; j < k; j++) o[names![j]!] = columns![j]![i]
      values[i] = o
    }
  }
  return { values, timestamps: w.timestamps, control: w.control, controlValue: w.controlValue }
}
