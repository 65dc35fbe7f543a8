/**
 * Comparison, logic and conditional functions: `=`, `<>`, `<`, `<=`, `>`, `>=`, `IS [NOT]
 * DISTINCT FROM`, `AND`, `OR`, `NOT`, `IS [NOT] NULL|TRUE|FALSE`, `IN`, `LIKE`, `SIMILAR TO`,
 * `CASE`, `COALESCE`, `IF`, `NULLIF`, `GREATEST`, `LEAST`, `IS_ALPHA`, `IS_DECIMAL`, `IS_DIGIT`.
 *
 * @remarks
 * Three-valued logic as SQL: `AND` is `FALSE` when either side is `FALSE`, else `NULL` when
 * either side is `NULL`; `OR` dually; comparisons with `NULL` are `NULL`; `IS DISTINCT FROM`
 * treats two `NULL`s as equal and never returns `NULL`. `x IN (...)` is `NULL` when `x` is
 * `NULL`, or when no element matches and one of them is `NULL`.
 *
 * @packageDocumentation
 */
import { commonType, comparisonType, isOrderable } from '../../types/coercion.js'
import { type DataType, DataTypes, formatType, isNumeric, isString, withNullability } from '../../types/data-type.js'
import type { Rex } from '../rex.js'
import { type CallImpl, defineFunction, type FunctionDefinition, impl, inlined, literalArg, runtimeError } from './definition.js'
import { cachedRegex, likeToRegex, PatternError, similarToRegex } from './patterns.js'
import { simple } from './signatures.js'
import { compareValues, valueEquals } from './values.js'

const BOOL = DataTypes.BOOLEAN

const anyNullable = (types: readonly DataType[]): boolean => types.some((t) => t.nullable)

const boolArgs = (name: string, types: readonly DataType[], nullable: boolean): DataType | string => {
  const bad = types.find((t) => t.kind !== 'BOOLEAN' && t.kind !== 'NULL')
  if (bad !== undefined) return `Cannot apply '${name}' to arguments of type '${name}(${types.map((t) => `<${formatType(t)}>`).join(', ')})'. Supported form(s): '<BOOLEAN> ${name} <BOOLEAN>'`
  return BOOL(nullable)
}

const AND = defineFunction({
  name: 'AND',
  nulls: 'special',
  deterministic: true,
  infer: (types) => boolArgs('AND', types, anyNullable(types)),
  operandTypes: (types) => types.map((t) => (t.kind === 'NULL' ? BOOL() : t)),
})

const OR = defineFunction({
  name: 'OR',
  nulls: 'special',
  deterministic: true,
  infer: (types) => boolArgs('OR', types, anyNullable(types)),
  operandTypes: (types) => types.map((t) => (t.kind === 'NULL' ? BOOL() : t)),
})

const NOT = simple({ name: 'NOT', forms: [['BOOLEAN']], returns: BOOL(), fn: (a: boolean) => !a, inline: ([a]) => `!${a}` })

const isTest = (name: string, fn: (a: unknown) => boolean, inline: (a: string) => string, booleanOnly: boolean): FunctionDefinition =>
  simple({ name, nulls: 'total', forms: [[booleanOnly ? 'BOOLEAN' : 'ANY']], returns: BOOL(false), fn, inline: ([a]) => inline(a!) })

const IS_TESTS = [
  isTest('IS NULL', (a) => a === null || a === undefined, (a) => `(${a} == null)`, false),
  isTest('IS NOT NULL', (a) => a !== null && a !== undefined, (a) => `(${a} != null)`, false),
  isTest('IS TRUE', (a) => a === true, (a) => `(${a} === true)`, true),
  isTest('IS NOT TRUE', (a) => a !== true, (a) => `(${a} !== true)`, true),
  isTest('IS FALSE', (a) => a === false, (a) => `(${a} === false)`, true),
  isTest('IS NOT FALSE', (a) => a !== false, (a) => `(${a} !== false)`, true),
]

/** Whether values of `t` compare with JavaScript's operators (numbers, strings, booleans, time values). */
const isPrimitive = (t: DataType): boolean =>
  isNumeric(t) ||
  isString(t) ||
  t.kind === 'BOOLEAN' ||
  t.kind === 'DATE' ||
  t.kind === 'TIME' ||
  t.kind === 'TIMESTAMP' ||
  t.kind === 'TIMESTAMP_LTZ' ||
  t.kind === 'INTERVAL_DAY_TIME' ||
  t.kind === 'INTERVAL_YEAR_MONTH'

const cannotCompare = (op: string, a: DataType, b: DataType): string =>
  `Cannot apply '${op}' to arguments of type '<${formatType(a)}> ${op} <${formatType(b)}>'. Supported form(s): '<COMPARABLE_TYPE> ${op} <COMPARABLE_TYPE>'`

const comparison = (op: '=' | '<>' | '<' | '<=' | '>' | '>=', js: string, test: (c: number) => boolean): FunctionDefinition =>
  defineFunction({
    name: op,
    nulls: 'strict',
    deterministic: true,
    infer: (types) => {
      if (types.length !== 2) return `'${op}' takes two operands`
      const [a, b] = types as [DataType, DataType]
      const t = comparisonType(a, b)
      if (t === undefined) return cannotCompare(op, a, b)
      if (op !== '=' && op !== '<>' && !isOrderable(t)) return cannotCompare(op, a, b)
      return BOOL()
    },
    operandTypes: (types) => {
      const t = comparisonType(types[0]!, types[1]!)
      return t === undefined ? types : [withNullability(t, types[0]!.nullable), withNullability(t, types[1]!.nullable)]
    },
    specialize: ({ argTypes }): CallImpl => {
      const t = argTypes[0]!.kind === 'NULL' ? argTypes[1]! : argTypes[0]!
      if (isPrimitive(t)) return inlined(new Function('a', 'b', `return a ${js} b`) as (a: unknown, b: unknown) => boolean, ([a, b]) => `(${a} ${js} ${b})`)
      if (op === '=') return impl((a: unknown, b: unknown) => valueEquals(a, b))
      if (op === '<>') return impl((a: unknown, b: unknown) => !valueEquals(a, b))
      return impl((a: unknown, b: unknown) => test(compareValues(a, b)))
    },
  })

const COMPARISONS = [
  comparison('=', '===', (c) => c === 0),
  comparison('<>', '!==', (c) => c !== 0),
  comparison('<', '<', (c) => c < 0),
  comparison('<=', '<=', (c) => c <= 0),
  comparison('>', '>', (c) => c > 0),
  comparison('>=', '>=', (c) => c >= 0),
]

const distinct = (name: 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM', negate: boolean): FunctionDefinition =>
  defineFunction({
    name,
    nulls: 'total',
    deterministic: true,
    infer: (types) => {
      if (types.length !== 2) return `'${name}' takes two operands`
      const [a, b] = types as [DataType, DataType]
      if (a.kind === 'NULL' || b.kind === 'NULL') return BOOL(false)
      return comparisonType(a, b) === undefined ? cannotCompare(name, a, b) : BOOL(false)
    },
    operandTypes: (types) => {
      const t = comparisonType(types[0]!, types[1]!)
      return t === undefined ? types : [withNullability(t, types[0]!.nullable), withNullability(t, types[1]!.nullable)]
    },
    specialize: ({ argTypes }) => {
      const primitive = isPrimitive(argTypes[0]!) || isPrimitive(argTypes[1]!)
      const eq = (a: unknown, b: unknown): boolean => {
        if (a === null || a === undefined) return b === null || b === undefined
        if (b === null || b === undefined) return false
        return primitive ? a === b : valueEquals(a, b)
      }
      return negate ? impl(eq) : impl((a: unknown, b: unknown) => !eq(a, b))
    },
  })

/** `x IN (e1, ..., en)`: arguments `[x, e1, ..., en]`, evaluated by the compiler (a hash set for literal lists). */
const IN = defineFunction({
  name: 'IN',
  nulls: 'special',
  deterministic: true,
  infer: (types) => {
    if (types.length < 2) return `'IN' takes a value and at least one element`
    let t: DataType | undefined = types[0]!
    for (let i = 1; i < types.length; i++) {
      const c = comparisonType(t!, types[i]!)
      if (c === undefined) return cannotCompare('IN', types[0]!, types[i]!)
      t = c
    }
    return BOOL(anyNullable(types))
  },
  operandTypes: (types) => {
    const t = commonType(types)
    return t === undefined ? types : types.map((x) => withNullability(t, x.nullable))
  },
})

const likeImpl = (translate: (p: string, e?: string) => string, what: string) => ({ args, site }: { args: readonly Rex[]; site: import('./definition.js').CallSite }): CallImpl => {
  const compile = (p: string, e: string | undefined): RegExp => {
    try {
      return cachedRegex(translate(p, e), 's')
    } catch (err) {
      throw runtimeError(site, err instanceof PatternError ? err.message : `Invalid ${what} pattern '${p}'`, err)
    }
  }
  const constPattern = literalArg(args, 1)
  const constEscape = args.length > 2 ? literalArg(args, 2) : undefined
  if (typeof constPattern === 'string' && (args.length === 2 || typeof constEscape === 'string')) {
    const re = compile(constPattern, constEscape as string | undefined)
    return impl((s: string, p: string, e?: string) => (p === constPattern && e === constEscape ? re.test(s) : compile(p, e).test(s)))
  }
  return impl((s: string, p: string, e?: string) => compile(p, e).test(s))
}

const LIKE = simple({
  name: 'LIKE',
  forms: [
    ['STRING', 'STRING'],
    ['STRING', 'STRING', 'STRING'],
  ],
  returns: BOOL(),
  specialize: likeImpl(likeToRegex, 'LIKE'),
})

const SIMILAR = simple({
  name: 'SIMILAR TO',
  forms: [
    ['STRING', 'STRING'],
    ['STRING', 'STRING', 'STRING'],
  ],
  returns: BOOL(),
  specialize: likeImpl(similarToRegex, 'SIMILAR TO'),
})

const branchesType = (name: string, types: readonly DataType[]): DataType | string => {
  if (types.every((t) => t.kind === 'NULL')) return `Illegal use of 'NULL': the branches of ${name} need a type; cast one of them`
  const t = commonType(types)
  if (t === undefined) return `Cannot find a common type for the arguments of ${name}: ${types.map((x) => formatType(x)).join(', ')}`
  return t
}

/** `CASE`: arguments `[when1, then1, ..., whenN, thenN, else]`. */
const CASE = defineFunction({
  name: 'CASE',
  nulls: 'special',
  deterministic: true,
  infer: (types) => {
    if (types.length < 3 || types.length % 2 === 0) return `'CASE' takes pairs of conditions and results and an ELSE`
    for (let i = 0; i + 1 < types.length; i += 2) {
      const w = types[i]!
      if (w.kind !== 'BOOLEAN' && w.kind !== 'NULL') return `The WHEN conditions of CASE must be BOOLEAN, but one is ${formatType(w)}`
    }
    const results = types.filter((_, i) => i % 2 === 1 || i === types.length - 1)
    return branchesType('CASE', results)
  },
  operandTypes: (types, type) => types.map((t, i) => (i % 2 === 1 || i === types.length - 1 ? withNullability(type, t.nullable) : t.kind === 'NULL' ? BOOL() : t)),
})

const COALESCE = defineFunction({
  name: 'COALESCE',
  nulls: 'special',
  deterministic: true,
  infer: (types) => {
    if (types.length === 0) return `'COALESCE' takes at least one argument`
    const t = branchesType('COALESCE', types)
    if (typeof t === 'string') return t
    // NULL only when every argument may be NULL
    return withNullability(t, types.every((x) => x.nullable))
  },
  operandTypes: (types, type) => types.map((t) => withNullability(type, t.nullable)),
})

/** `IF(condition, then, else)`. */
const IF = defineFunction({
  name: 'IF',
  nulls: 'special',
  deterministic: true,
  infer: (types) => {
    if (types.length !== 3) return `'IF' takes three arguments: IF(condition, then, else)`
    if (types[0]!.kind !== 'BOOLEAN' && types[0]!.kind !== 'NULL') return `The condition of IF must be BOOLEAN, but is ${formatType(types[0]!)}`
    return branchesType('IF', [types[1]!, types[2]!])
  },
  operandTypes: (types, type) => [types[0]!.kind === 'NULL' ? BOOL() : types[0]!, withNullability(type, types[1]!.nullable), withNullability(type, types[2]!.nullable)],
})

const NULLIF = defineFunction({
  name: 'NULLIF',
  nulls: 'total',
  deterministic: true,
  infer: (types) => {
    if (types.length !== 2) return `'NULLIF' takes two arguments`
    const c = comparisonType(types[0]!, types[1]!)
    if (c === undefined) return cannotCompare('NULLIF', types[0]!, types[1]!)
    return withNullability(types[0]!.kind === 'NULL' ? c : types[0]!, true)
  },
  operandTypes: (types) => {
    const t = comparisonType(types[0]!, types[1]!)
    return t === undefined ? types : [withNullability(t, types[0]!.nullable), withNullability(t, types[1]!.nullable)]
  },
  specialize: () => impl((a: unknown, b: unknown) => (a === null || a === undefined ? null : b !== null && b !== undefined && valueEquals(a, b) ? null : a)),
})

const extreme = (name: 'GREATEST' | 'LEAST', greater: boolean): FunctionDefinition =>
  defineFunction({
    name,
    nulls: 'strict',
    deterministic: true,
    infer: (types) => {
      if (types.length === 0) return `'${name}' takes at least one argument`
      const t = commonType(types)
      if (t === undefined || !isOrderable(t)) return `Cannot find a common orderable type for the arguments of ${name}: ${types.map((x) => formatType(x)).join(', ')}`
      return t
    },
    operandTypes: (types, type) => types.map((t) => withNullability(type, t.nullable)),
    specialize: ({ argTypes }) => {
      const pick = (a: unknown, b: unknown): unknown => {
        const c = compareValues(a, b)
        return greater ? (c >= 0 ? a : b) : c <= 0 ? a : b
      }
      if (argTypes.length === 1) return impl((a: unknown) => a)
      if (argTypes.length === 2) return impl(pick)
      if (argTypes.length === 3) return impl((a: unknown, b: unknown, c: unknown) => pick(pick(a, b), c))
      return impl((...xs: unknown[]) => xs.reduce(pick))
    },
  })

const IS_ALPHA = simple({ name: 'IS_ALPHA', nulls: 'total', forms: [['ANY']], returns: BOOL(false), fn: (s: unknown) => typeof s === 'string' && /^\p{L}+$/u.test(s) })
const IS_DIGIT = simple({
  name: 'IS_DIGIT',
  nulls: 'total',
  forms: [['ANY']],
  returns: BOOL(false),
  // integer types are digits; strings when they are all digits; other types never (as Flink)
  specialize: ({ argTypes }) => {
    const t = argTypes[0]!
    if (t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INT' || t.kind === 'BIGINT') return impl((x: unknown) => x !== null && x !== undefined)
    if (isString(t)) return impl((s: unknown) => typeof s === 'string' && /^\p{Nd}+$/u.test(s))
    return impl(() => false)
  },
})
const IS_DECIMAL = simple({
  name: 'IS_DECIMAL',
  nulls: 'total',
  forms: [['ANY']],
  returns: BOOL(false),
  fn: (s: unknown) => typeof s === 'number' || (typeof s === 'string' && s !== '' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?\s*$/.test(s)),
})

/** The comparison, logic and conditional functions. */
export const LOGIC_FUNCTIONS: readonly FunctionDefinition[] = [
  AND,
  OR,
  NOT,
  ...IS_TESTS,
  ...COMPARISONS,
  distinct('IS DISTINCT FROM', false),
  distinct('IS NOT DISTINCT FROM', true),
  IN,
  LIKE,
  SIMILAR,
  CASE,
  COALESCE,
  IF,
  NULLIF,
  extreme('GREATEST', true),
  extreme('LEAST', false),
  IS_ALPHA,
  IS_DIGIT,
  IS_DECIMAL,
]
