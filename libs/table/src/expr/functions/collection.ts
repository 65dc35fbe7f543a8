/**
 * Collections and value construction: `ARRAY[...]`, `MAP[...]`, `ROW(...)`, item access
 * (`arr[1]`, `m['k']`), `CARDINALITY`, `ELEMENT`, `ARRAY_CONTAINS`, `ARRAY_JOIN`,
 * `ARRAY_DISTINCT`, `ARRAY_POSITION`, `ARRAY_REVERSE`, `MAP_KEYS`, `MAP_VALUES`.
 *
 * @remarks
 * Arrays are 1-based, as Flink: `arr[1]` is the first element, and an index out of range gives
 * `NULL`. Map lookups compare keys by value. The constructors keep `NULL` elements.
 *
 * @packageDocumentation
 */
import { commonType, comparisonType } from '../../types/coercion.js'
import { type DataType, DataTypes, formatType, isInteger, isNumeric, isString, withNullability } from '../../types/data-type.js'
import { formatValue } from '../format-value.js'
import { type CallImpl, defineFunction, type FunctionDefinition, impl, runtimeError } from './definition.js'
import { simple } from './signatures.js'
import { valueEquals } from './values.js'

const isPrimitiveValue = (t: DataType): boolean =>
  isNumeric(t) || isString(t) || t.kind === 'BOOLEAN' || t.kind === 'DATE' || t.kind === 'TIME' || t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ'

/** `ARRAY[e1, ..., en]`. */
const ARRAY = defineFunction({
  name: 'ARRAY',
  nulls: 'total',
  deterministic: true,
  infer: (types) => {
    if (types.length === 0) return `An ARRAY constructor needs at least one element`
    const t = commonType(types)
    if (t === undefined) return `Parameters must be of the same type: cannot find a common type of ${types.map((x) => formatType(x)).join(', ')}`
    return DataTypes.ARRAY(t, false)
  },
  operandTypes: (types, type) => types.map((t) => withNullability((type as { element: DataType }).element, t.nullable)),
  specialize: () => impl((...xs: unknown[]) => xs),
})

/** `MAP[k1, v1, ..., kn, vn]`. */
const MAP = defineFunction({
  name: 'MAP',
  nulls: 'total',
  deterministic: true,
  infer: (types) => {
    if (types.length === 0 || types.length % 2 !== 0) return `A MAP constructor needs pairs of keys and values`
    const k = commonType(types.filter((_, i) => i % 2 === 0))
    const v = commonType(types.filter((_, i) => i % 2 === 1))
    if (k === undefined || v === undefined) return `Parameters must be of the same type: the keys and the values of a MAP constructor need a common type each`
    return DataTypes.MAP(k, v, false)
  },
  operandTypes: (types, type) => types.map((t, i) => withNullability(i % 2 === 0 ? (type as { key: DataType }).key : (type as { value: DataType }).value, t.nullable)),
  specialize: () =>
    impl((...xs: unknown[]) => {
      const m = new Map<unknown, unknown>()
      for (let i = 0; i + 1 < xs.length; i += 2) m.set(xs[i], xs[i + 1])
      return m
    }),
})

/** `ROW(e1, ..., en)`: fields named `EXPR$0`, `EXPR$1`, ... */
const ROW = defineFunction({
  name: 'ROW',
  nulls: 'total',
  deterministic: true,
  infer: (types) =>
    types.length === 0
      ? `A ROW constructor needs at least one field`
      : DataTypes.ROW(
          types.map((t, i) => ({ name: `EXPR$${i}`, type: t.kind === 'NULL' ? DataTypes.NULL() : t })),
          false,
        ),
  specialize: () => impl((...xs: unknown[]) => xs),
})

/** `container[index]`: arguments `[container, index]`. */
const ITEM = defineFunction({
  name: 'ITEM',
  nulls: 'strict',
  deterministic: true,
  nullableResult: true,
  infer: (types) => {
    const [c, i] = types as [DataType, DataType]
    if (c.kind === 'ARRAY') {
      if (!isInteger(i) && i.kind !== 'NULL') return `The index of an array must be an integer, but is ${formatType(i)}`
      return withNullability(c.element, true)
    }
    if (c.kind === 'MAP') {
      if (i.kind !== 'NULL' && comparisonType(c.key, i) === undefined) return `The key of a ${formatType(c)} must be of type ${formatType(c.key)}, but is ${formatType(i)}`
      return withNullability(c.value, true)
    }
    if (c.kind === 'ROW') {
      if (!isInteger(i)) return `A field of a ROW is accessed by name (row.field) or by a literal position`
      return `Use row.field to access a field of a ROW`
    }
    return `Cannot apply 'ITEM' to arguments of type '<${formatType(c)}>[<${formatType(i)}>]': only ARRAY and MAP values have items`
  },
  specialize: ({ argTypes }): CallImpl => {
    const c = argTypes[0]!
    if (c.kind === 'ARRAY')
      return impl((arr: readonly unknown[], i: number) => {
        const v = i >= 1 && i <= arr.length ? arr[i - 1] : null
        return v === undefined ? null : v
      })
    const primitiveKey = c.kind === 'MAP' && isPrimitiveValue(c.key)
    return impl((m: Map<unknown, unknown>, k: unknown) => {
      const direct = m.get(k)
      if (direct !== undefined || primitiveKey) return direct === undefined ? null : direct
      for (const [key, v] of m) if (valueEquals(key, k)) return v
      return null
    })
  },
})

const CARDINALITY = simple({
  name: 'CARDINALITY',
  forms: [['ARRAY'], ['MAP']],
  returns: DataTypes.INT(),
  fn: (c: readonly unknown[] | Map<unknown, unknown>) => (c instanceof Map ? c.size : c.length),
})

const ELEMENT = simple({
  name: 'ELEMENT',
  forms: [['ARRAY']],
  returns: (types) => (types[0]!.kind === 'ARRAY' ? withNullability((types[0] as { element: DataType }).element, true) : DataTypes.NULL()),
  nullableResult: true,
  specialize: ({ site }) =>
    impl((arr: readonly unknown[]) => {
      if (arr.length === 0) return null
      if (arr.length > 1) throw runtimeError(site, `ELEMENT expects an array with at most one element, but got ${arr.length}.`)
      return arr[0] ?? null
    }),
})

const elementType = (t: DataType): DataType => (t.kind === 'ARRAY' ? t.element : DataTypes.NULL())

const ARRAY_CONTAINS = defineFunction({
  name: 'ARRAY_CONTAINS',
  nulls: 'total',
  deterministic: true,
  infer: (types) => {
    const [a, x] = types as [DataType, DataType]
    if (types.length !== 2 || a.kind !== 'ARRAY') return `Cannot apply 'ARRAY_CONTAINS' to arguments of type 'ARRAY_CONTAINS(${types.map((t) => `<${formatType(t)}>`).join(', ')})'. Supported form(s): 'ARRAY_CONTAINS(<ARRAY>, <ELEMENT>)'`
    if (x.kind !== 'NULL' && comparisonType(a.element, x) === undefined) return `The element to look for must be of the array's element type ${formatType(a.element)}, but is ${formatType(x)}`
    return DataTypes.BOOLEAN(a.nullable)
  },
  specialize: () =>
    impl((arr: readonly unknown[] | null, x: unknown) => {
      if (arr === null || arr === undefined) return null
      const isNull = x === null || x === undefined
      for (let i = 0; i < arr.length; i++) {
        const e = arr[i]
        if (isNull ? e === null || e === undefined : e === x || valueEquals(e, x)) return true
      }
      return false
    }),
})

const ARRAY_JOIN = simple({
  name: 'ARRAY_JOIN',
  forms: [
    ['ARRAY', 'STRING'],
    ['ARRAY', 'STRING', 'STRING'],
  ],
  returns: () => DataTypes.STRING(),
  specialize: ({ argTypes }) => {
    const el = elementType(argTypes[0]!)
    return impl((arr: readonly unknown[], sep: string, nullText?: string) => {
      let out = ''
      let first = true
      for (const e of arr) {
        if (e === null || e === undefined) {
          if (nullText === undefined) continue
          out += (first ? '' : sep) + nullText
        } else out += (first ? '' : sep) + (typeof e === 'string' ? e : formatValue(e, el, 'cast'))
        first = false
      }
      return out
    })
  },
})

const ARRAY_DISTINCT = simple({
  name: 'ARRAY_DISTINCT',
  forms: [['ARRAY']],
  returns: (types) => withNullability(types[0]!, true),
  fn: (arr: readonly unknown[]) => {
    const out: unknown[] = []
    for (const e of arr) if (!out.some((o) => (o === null ? e === null : valueEquals(o, e)))) out.push(e === undefined ? null : e)
    return out
  },
})

const ARRAY_POSITION = defineFunction({
  name: 'ARRAY_POSITION',
  nulls: 'strict',
  deterministic: true,
  infer: (types) => {
    const [a, x] = types as [DataType, DataType]
    if (types.length !== 2 || a.kind !== 'ARRAY') return `Cannot apply 'ARRAY_POSITION' to arguments of type 'ARRAY_POSITION(${types.map((t) => `<${formatType(t)}>`).join(', ')})'. Supported form(s): 'ARRAY_POSITION(<ARRAY>, <ELEMENT>)'`
    if (x.kind !== 'NULL' && comparisonType(a.element, x) === undefined) return `The element to look for must be of the array's element type ${formatType(a.element)}, but is ${formatType(x)}`
    return DataTypes.INT()
  },
  specialize: () =>
    impl((arr: readonly unknown[], x: unknown) => {
      for (let i = 0; i < arr.length; i++) if (valueEquals(arr[i], x)) return i + 1
      return 0
    }),
})

const ARRAY_REVERSE = simple({ name: 'ARRAY_REVERSE', forms: [['ARRAY']], returns: (types) => withNullability(types[0]!, true), fn: (arr: readonly unknown[]) => [...arr].reverse() })

const MAP_KEYS = simple({
  name: 'MAP_KEYS',
  forms: [['MAP']],
  returns: (types) => (types[0]!.kind === 'MAP' ? DataTypes.ARRAY((types[0] as { key: DataType }).key) : DataTypes.NULL()),
  fn: (m: Map<unknown, unknown>) => [...m.keys()],
})

const MAP_VALUES = simple({
  name: 'MAP_VALUES',
  forms: [['MAP']],
  returns: (types) => (types[0]!.kind === 'MAP' ? DataTypes.ARRAY((types[0] as { value: DataType }).value) : DataTypes.NULL()),
  fn: (m: Map<unknown, unknown>) => [...m.values()],
})

/** The collection and constructor functions. */
export const COLLECTION_FUNCTIONS: readonly FunctionDefinition[] = [
  ARRAY,
  MAP,
  ROW,
  ITEM,
  CARDINALITY,
  ELEMENT,
  ARRAY_CONTAINS,
  ARRAY_JOIN,
  ARRAY_DISTINCT,
  ARRAY_POSITION,
  ARRAY_REVERSE,
  MAP_KEYS,
  MAP_VALUES,
]
