/**
 * Copies a user function for one parallel subtask: a new object with the same prototype whose own
 * properties are copied, plain data deeply.
 *
 * @remarks
 * The same idea as Flink serialising a function once per subtask: each subtask runs its own copy,
 * so a buffer, counter map or statistics object a function creates in its constructor or field
 * initializers (`private buffer: number[] = []`) is its subtask's own, not shared with the other
 * subtasks of the same thread. Plain data is copied deeply: arrays, plain objects, `Map`, `Set`,
 * `Date`, typed arrays and `ArrayBuffer`s (cycles and shared references are kept). Class
 * instances inside (a client, a pool, a helper with methods) and functions are shared by
 * reference between copies: create such resources in `open`, per subtask. JavaScript `#private`
 * fields cannot be copied; use TypeScript `private` fields in functions.
 *
 * @typeParam F - the function's type
 * @category Operators
 * @since 0.1.0
 */
export const cloneFunction = <F extends object>(fn: F): F => {
  const seen = new Map<object, unknown>()
  const copy = Object.create(Object.getPrototypeOf(fn) as object | null) as F
  seen.set(fn, copy)
  copyOwnProperties(fn, copy, seen)
  return copy
}

const copyOwnProperties = (from: object, to: object, seen: Map<object, unknown>): void => {
  const descriptors = Object.getOwnPropertyDescriptors(from)
  for (const key of Reflect.ownKeys(descriptors)) {
    const d = descriptors[key as keyof typeof descriptors]!
    if ('value' in d) d.value = copyData(d.value, seen)
    Object.defineProperty(to, key, d)
  }
}

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

/** A deep copy of plain data; anything else (class instances, functions) by reference. */
const copyData = (v: unknown, seen: Map<object, unknown>): unknown => {
  if (typeof v !== 'object' || v === null) return v
  const done = seen.get(v)
  if (done !== undefined) return done
  if (Array.isArray(v)) {
    const a: unknown[] = new Array<unknown>(v.length)
    seen.set(v, a)
    for (let i = 0; i < v.length; i++) a[i] = copyData(v[i], seen)
    return a
  }
  if (v instanceof Map) {
    const m = new Map<unknown, unknown>()
    seen.set(v, m)
    for (const [k, x] of v) m.set(copyData(k, seen), copyData(x, seen))
    return m
  }
  if (v instanceof Set) {
    const s = new Set<unknown>()
    seen.set(v, s)
    for (const x of v) s.add(copyData(x, seen))
    return s
  }
  if (v instanceof Date) return new Date(v.getTime())
  if (ArrayBuffer.isView(v)) return (v as unknown as { slice(): unknown }).slice()
  if (v instanceof ArrayBuffer) return v.slice(0)
  if (isPlainObject(v)) {
    const o = Object.create(Object.getPrototypeOf(v) as object | null) as object
    seen.set(v, o)
    copyOwnProperties(v, o, seen)
    return o
  }
  return v
}
