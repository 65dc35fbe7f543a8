/**
 * Arithmetic and math: `+`, `-`, `*`, `/`, `%` (numbers, and time values with intervals), `MOD`,
 * `ABS`, `POWER`, `SQRT`, `EXP`, `LN`, `LOG`, `LOG10`, `LOG2`, `FLOOR`, `CEIL`, `ROUND`,
 * `TRUNCATE`, `SIGN`, `PI`, `E`, `RAND`, `RAND_INTEGER`, trigonometry, `DEGREES`, `RADIANS`,
 * `BIN`, `HEX`.
 *
 * @remarks
 * Result types as Flink derives them (see `arithmeticType`): `INT + INT` is an `INT` that wraps
 * on overflow as Java's `int`, `TINYINT` and `SMALLINT` likewise; `INT / INT` is an integer
 * division truncated toward zero; `DECIMAL` results are rounded half-up to their scale and
 * become `NULL` when they do not fit their precision. Integer and `DECIMAL` division (and `%`)
 * by zero fail with a {@link SqlRuntimeError} ("Division by zero"), as Flink's
 * `ArithmeticException`; `DOUBLE` division by zero gives `Infinity` or `NaN`, as Java. `BIGINT`
 * is exact up to 2^53 and does not wrap.
 *
 * Time arithmetic: `timestamp ± day-time interval` adds milliseconds; `± year-month interval`
 * adds months, clamping the day to the month's end; `date ± interval` gives a `DATE` (a
 * `TIMESTAMP(3)` when a day-time interval literal has a time part); `time ± day-time interval`
 * wraps around midnight; intervals add, subtract, and multiply or divide by numbers.
 *
 * @packageDocumentation
 */
import { arithmeticType, decimalRoundType, exactPrecision } from '../../types/coercion.js'
import { type DataType, DataTypes, formatType, isInteger, isInterval, isNumeric, isTimestamp, withNullability } from '../../types/data-type.js'
import { addMonthsToDate, addMonthsToTimestamp, floorMod, MS_PER_DAY } from './datetime.js'
import { type CallImpl, type CallSite, defineFunction, type FunctionDefinition, impl, inlined, literalArg, runtimeError } from './definition.js'
import { pow10, roundHalfUp, toDecimal, wrapSmallint, wrapTinyint } from './numbers.js'
import { simple } from './signatures.js'

const DOUBLE = DataTypes.DOUBLE

const describeTypes = (op: string, types: readonly DataType[]): string =>
  types.length === 1 ? `'${op}<${formatType(types[0]!)}>'` : `'<${formatType(types[0]!)}> ${op} <${formatType(types[1]!)}>'`

const cannotApply = (op: string, types: readonly DataType[], forms: string): string => `Cannot apply '${op}' to arguments of type ${describeTypes(op, types)}. Supported form(s): ${forms}`

const divByZero = (site: CallSite): never => {
  throw runtimeError(site, 'Division by zero.')
}

/** The wrap of an integer result type (`| 0` for `INT`), as code and as a function. */
const intWrap = (t: DataType): { code: (x: string) => string; fn: (x: number) => number } => {
  switch (t.kind) {
    case 'TINYINT':
      return { code: (x) => `((${x} << 24) >> 24)`, fn: wrapTinyint }
    case 'SMALLINT':
      return { code: (x) => `((${x} << 16) >> 16)`, fn: wrapSmallint }
    case 'INT':
      return { code: (x) => `(${x} | 0)`, fn: (x) => x | 0 }
    default:
      return { code: (x) => `(${x} + 0)`, fn: (x) => x + 0 }
  }
}

type Op = '+' | '-' | '*' | '/' | '%'

/** The implementation of a numeric operator for its result type. */
const numericImpl = (op: Op, type: DataType, site: CallSite): CallImpl => {
  if (type.kind === 'DECIMAL') {
    const { precision: p, scale: s } = type
    switch (op) {
      case '+':
        return inlined((a: number, b: number) => toDecimal(a + b, p, s), ([a, b], k) => `${k(toDecimal)}(${a} + ${b}, ${p}, ${s})`)
      case '-':
        return inlined((a: number, b: number) => toDecimal(a - b, p, s), ([a, b], k) => `${k(toDecimal)}(${a} - ${b}, ${p}, ${s})`)
      case '*':
        return inlined((a: number, b: number) => toDecimal(a * b, p, s), ([a, b], k) => `${k(toDecimal)}(${a} * ${b}, ${p}, ${s})`)
      case '/': {
        const fn = (a: number, b: number): number | null => (b === 0 ? divByZero(site) : toDecimal(a / b, p, s))
        return inlined(fn, ([a, b], k) => `${k(fn)}(${a}, ${b})`)
      }
      case '%': {
        const fn = (a: number, b: number): number | null => (b === 0 ? divByZero(site) : toDecimal(roundHalfUp(a % b, s), p, s))
        return inlined(fn, ([a, b], k) => `${k(fn)}(${a}, ${b})`)
      }
    }
  }
  if (type.kind === 'DOUBLE') {
    if (op === '%') return inlined((a: number, b: number) => a % b, ([a, b]) => `(${a} % ${b})`)
    const f = new Function('a', 'b', `return a ${op} b`) as (a: number, b: number) => number
    return inlined(f, ([a, b]) => `(${a} ${op} ${b})`)
  }
  if (type.kind === 'FLOAT') {
    const f = new Function('a', 'b', `return Math.fround(a ${op} b)`) as (a: number, b: number) => number
    return inlined(f, ([a, b]) => `Math.fround(${a} ${op} ${b})`)
  }
  // integers
  const w = intWrap(type)
  switch (op) {
    case '+':
      return inlined((a: number, b: number) => w.fn(a + b), ([a, b]) => w.code(`${a} + ${b}`))
    case '-':
      return inlined((a: number, b: number) => w.fn(a - b), ([a, b]) => w.code(`${a} - ${b}`))
    case '*':
      if (type.kind === 'BIGINT') return inlined((a: number, b: number) => a * b + 0, ([a, b]) => `(${a} * ${b} + 0)`)
      return inlined((a: number, b: number) => w.fn(Math.imul(a, b)), ([a, b]) => w.code(`Math.imul(${a}, ${b})`))
    case '/': {
      const fn = (a: number, b: number): number => (b === 0 ? divByZero(site) : w.fn(Math.trunc(a / b)))
      return inlined(fn, ([a, b], k) => `(${b} === 0 ? ${k(fn)}(${a}, ${b}) : ${w.code(`Math.trunc(${a} / ${b})`)})`)
    }
    case '%': {
      const fn = (a: number, b: number): number => (b === 0 ? divByZero(site) : w.fn(a % b))
      return inlined(fn, ([a, b], k) => `(${b} === 0 ? ${k(fn)}(${a}, ${b}) : ${w.code(`${a} % ${b}`)})`)
    }
  }
}

const DATETIME_KINDS = new Set(['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ'])

/** The type of `datetime ± interval` (see the module remarks). */
const datetimePlusType = (dt: DataType, iv: DataType, intervalArg: unknown): DataType | undefined => {
  if (dt.kind === 'DATE' && iv.kind === 'INTERVAL_DAY_TIME') {
    // Calcite gives TIMESTAMP when the interval has hours, minutes or seconds
    if (typeof intervalArg === 'number' && intervalArg % MS_PER_DAY !== 0) return DataTypes.TIMESTAMP(3, false)
    return dt
  }
  if (dt.kind === 'TIME' && iv.kind === 'INTERVAL_YEAR_MONTH') return undefined
  const { timeAttribute: _, ...rest } = dt as DataType & { timeAttribute?: unknown }
  return rest as DataType
}

const datetimePlusImpl = (dt: DataType, iv: DataType, result: DataType, sign: 1 | -1, intervalFirst: boolean): CallImpl => {
  const order = <T>(f: (d: number, i: number) => T) => (intervalFirst ? (i: number, d: number) => f(d, i) : f)
  if (iv.kind === 'INTERVAL_YEAR_MONTH') {
    if (dt.kind === 'DATE') return impl(order((d, m) => addMonthsToDate(d, sign * m)))
    return impl(order((t, m) => addMonthsToTimestamp(t, sign * m)))
  }
  if (dt.kind === 'DATE') {
    if (result.kind === 'DATE') return impl(order((d, ms) => d + sign * Math.trunc(ms / MS_PER_DAY)))
    return impl(order((d, ms) => d * MS_PER_DAY + sign * ms))
  }
  if (dt.kind === 'TIME') return impl(order((t, ms) => floorMod(t + sign * ms, MS_PER_DAY)))
  const s = sign === 1 ? '+' : '-'
  return inlined(order((t, ms) => t + sign * ms), ([a, b]) => (intervalFirst ? `(${b} ${s} ${a})` : `(${a} ${s} ${b})`))
}

const plusMinus = (op: '+' | '-'): FunctionDefinition =>
  defineFunction({
    name: op,
    nulls: 'strict',
    deterministic: true,
    infer: (types, args) => {
      if (types.length === 1) {
        const t = types[0]!
        if (isNumeric(t) || isInterval(t) || t.kind === 'NULL') return t.kind === 'NULL' ? DataTypes.INT() : t
        return cannotApply(op, types, `'${op}<NUMERIC>', '${op}<INTERVAL>'`)
      }
      const [a, b] = types as [DataType, DataType]
      const forms = `'<NUMERIC> ${op} <NUMERIC>', '<DATETIME_INTERVAL> ${op} <DATETIME_INTERVAL>', '<DATETIME> ${op} <DATETIME_INTERVAL>'${op === '+' ? `, '<DATETIME_INTERVAL> + <DATETIME>'` : ''}`
      if (a.kind === 'NULL' && b.kind === 'NULL') return DataTypes.INT()
      if (a.kind === 'NULL') return isNumeric(b) || isInterval(b) ? b : cannotApply(op, types, forms)
      if (b.kind === 'NULL') return isNumeric(a) || isInterval(a) || DATETIME_KINDS.has(a.kind) ? a : cannotApply(op, types, forms)
      if (isNumeric(a) && isNumeric(b)) return arithmeticType(op, a, b) ?? cannotApply(op, types, forms)
      if (isInterval(a) && a.kind === b.kind) return a
      if (DATETIME_KINDS.has(a.kind) && isInterval(b)) return datetimePlusType(a, b, literalArg(args, 1)) ?? cannotApply(op, types, forms)
      if (op === '+' && isInterval(a) && DATETIME_KINDS.has(b.kind)) return datetimePlusType(b, a, literalArg(args, 0)) ?? cannotApply(op, types, forms)
      if (op === '-' && (isTimestamp(a) || a.kind === 'DATE') && (isTimestamp(b) || b.kind === 'DATE'))
        return `${cannotApply(op, types, forms)}. Use TIMESTAMPDIFF(unit, start, end) for the difference of two points in time`
      return cannotApply(op, types, forms)
    },
    operandTypes: (types, type) => {
      if (types.length === 2 && isNumeric(type) && types.some((t) => t.kind === 'NULL')) return types.map((t) => (t.kind === 'NULL' ? type : t))
      return types
    },
    specialize: ({ argTypes, type, site }) => {
      if (argTypes.length === 1) {
        if (op === '+') return inlined((a: number) => a, ([a]) => a!)
        const w = isInteger(type) ? intWrap(type) : undefined
        if (w !== undefined) return inlined((a: number) => w.fn(-a), ([a]) => w.code(`-(${a})`))
        return inlined((a: number) => -a, ([a]) => `(-(${a}))`)
      }
      const [a, b] = argTypes as [DataType, DataType]
      if (isInterval(type) && (a.kind === 'NULL' || isInterval(a)) && (b.kind === 'NULL' || isInterval(b))) return numericImpl(op, DataTypes.BIGINT(), site)
      if (isNumeric(type)) return numericImpl(op, type, site)
      if (isInterval(b)) return datetimePlusImpl(a, b, type, op === '+' ? 1 : -1, false)
      return datetimePlusImpl(b, a, type, 1, true)
    },
  })

const timesDivide = (op: '*' | '/'): FunctionDefinition =>
  defineFunction({
    name: op,
    nulls: 'strict',
    deterministic: true,
    infer: (types) => {
      const [a, b] = types as [DataType, DataType]
      const forms = `'<NUMERIC> ${op} <NUMERIC>', '<INTERVAL> ${op} <NUMERIC>'${op === '*' ? `, '<NUMERIC> * <INTERVAL>'` : ''}`
      if (types.length !== 2) return cannotApply(op, types, forms)
      if (a.kind === 'NULL' && b.kind === 'NULL') return DataTypes.INT()
      if (a.kind === 'NULL') return isNumeric(b) || (op === '*' && isInterval(b)) ? b : cannotApply(op, types, forms)
      if (b.kind === 'NULL') return isNumeric(a) || isInterval(a) ? a : cannotApply(op, types, forms)
      if (isNumeric(a) && isNumeric(b)) return arithmeticType(op, a, b) ?? cannotApply(op, types, forms)
      if (isInterval(a) && isNumeric(b)) return withNullability(a, a.nullable || b.nullable)
      if (op === '*' && isNumeric(a) && isInterval(b)) return withNullability(b, a.nullable || b.nullable)
      return cannotApply(op, types, forms)
    },
    operandTypes: (types, type) => (isNumeric(type) ? types.map((t) => (t.kind === 'NULL' ? type : t)) : types),
    specialize: ({ argTypes, type, site }) => {
      if (isNumeric(type)) return numericImpl(op, type, site)
      const intervalFirst = isInterval(argTypes[0]!)
      if (op === '*') return impl((x: number, y: number) => Math.trunc(x * y) + 0)
      return impl((x: number, y: number) => (y === 0 ? divByZero(site) : Math.trunc((intervalFirst ? x / y : y / x)) + 0))
    },
  })

const mod = (name: '%' | 'MOD'): FunctionDefinition =>
  defineFunction({
    name,
    nulls: 'strict',
    deterministic: true,
    infer: (types) => {
      const forms = `'${name === '%' ? '<EXACT_NUMERIC> % <EXACT_NUMERIC>' : 'MOD(<EXACT_NUMERIC>, <EXACT_NUMERIC>)'}'`
      if (types.length !== 2) return cannotApply(name, types, forms)
      const [a, b] = types as [DataType, DataType]
      const ta = a.kind === 'NULL' ? DataTypes.INT() : a
      const tb = b.kind === 'NULL' ? DataTypes.INT() : b
      return arithmeticType('%', ta, tb) ?? cannotApply(name, types, forms)
    },
    operandTypes: (types) => types.map((t) => (t.kind === 'NULL' ? DataTypes.INT() : t)),
    specialize: ({ type, site }) => numericImpl('%', type, site),
  })

// ---------------------------------------------------------------------------------------------
// Math functions
// ---------------------------------------------------------------------------------------------

const doubleFn = (name: string, fn: (x: number) => number, inline?: (a: string) => string): FunctionDefinition =>
  simple({ name, forms: [['NUMERIC']], returns: DOUBLE(), fn, ...(inline === undefined ? {} : { inline: ([a]: readonly string[]) => inline(a!) }) })

const sameNumericType = (types: readonly DataType[]): DataType => (types[0]!.kind === 'NULL' ? DataTypes.INT() : types[0]!)

const ABS = simple({
  name: 'ABS',
  forms: [['NUMERIC'], ['INTERVAL']],
  returns: sameNumericType,
  specialize: ({ type }) => {
    const w = isInteger(type) ? intWrap(type) : undefined
    return w === undefined ? inlined(Math.abs, ([a]) => `Math.abs(${a})`) : inlined((a: number) => w.fn(Math.abs(a)), ([a]) => w.code(`Math.abs(${a})`))
  },
})

/** FLOOR(x) and CEIL(x) on numbers (the `FLOOR(x TO unit)` forms live with the temporal functions). */
const floorCeilNumericType = (types: readonly DataType[]): DataType => {
  const t = sameNumericType(types)
  return t.kind === 'DECIMAL' ? DataTypes.DECIMAL(t.precision, 0) : t
}

/** ROUND(x[, d]) and TRUNCATE(x[, d]) result type. */
const roundType = (types: readonly DataType[], args: readonly import('../rex.js').Rex[]): DataType => {
  const t = sameNumericType(types)
  if (t.kind !== 'DECIMAL') return t
  const d = literalArg(args, 1)
  if (args.length < 2) return decimalRoundType(t.precision, t.scale, 0)
  return typeof d === 'number' ? decimalRoundType(t.precision, t.scale, d) : t
}

const truncateTo = (x: number, d: number): number => {
  if (!Number.isFinite(x)) return x
  const f = pow10(Math.abs(d))
  if (d >= 0) {
    const y = Math.abs(x) * f
    const t = Math.floor(Number(y.toPrecision(15)))
    return (x < 0 ? -t : t) / f
  }
  const y = Math.abs(x) / f
  const t = Math.floor(Number(y.toPrecision(15)))
  return (x < 0 ? -t : t) * f
}

const roundLike = (name: 'ROUND' | 'TRUNCATE', op: (x: number, d: number) => number): FunctionDefinition =>
  simple({
    name,
    forms: [['NUMERIC'], ['NUMERIC', 'INTEGER']],
    returns: roundType,
    specialize: ({ type }) => {
      const finish: (x: number) => number | null =
        type.kind === 'DECIMAL' ? (x) => toDecimal(x, type.precision, type.scale) : type.kind === 'FLOAT' ? Math.fround : isInteger(type) ? intWrap(type).fn : (x) => x
      return impl((x: number, d?: number) => finish(op(x, d ?? 0) + 0))
    },
  })

const SIGN = simple({ name: 'SIGN', forms: [['NUMERIC']], returns: sameNumericType, fn: (x: number) => Math.sign(x) + 0, inline: ([a]) => `(Math.sign(${a}) + 0)` })

const LOG = simple({
  name: 'LOG',
  forms: [['NUMERIC'], ['NUMERIC', 'NUMERIC']],
  returns: DOUBLE(),
  fn: (a: number, b?: number) => (b === undefined ? Math.log(a) : Math.log(b) / Math.log(a)),
})

// a seeded generator for RAND(seed): deterministic per seed (not Java's LCG sequence)
const mulberry32 = (seed: number): (() => number) => {
  let s = seed | 0
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const RAND = simple({
  name: 'RAND',
  forms: [[], ['INTEGER']],
  returns: DOUBLE(false),
  deterministic: false,
  nulls: 'total',
  specialize: ({ args }) => {
    if (args.length === 0) return inlined(Math.random, () => 'Math.random()')
    let gen: (() => number) | undefined
    let seedOf: unknown
    return impl((seed: number | null) => {
      if (gen === undefined || seed !== seedOf) {
        gen = mulberry32(seed ?? 0)
        seedOf = seed
      }
      return gen()
    })
  },
})

const RAND_INTEGER = simple({
  name: 'RAND_INTEGER',
  forms: [['INTEGER'], ['INTEGER', 'INTEGER']],
  returns: DataTypes.INT(),
  deterministic: false,
  specialize: ({ args }) => {
    if (args.length === 1) return impl((bound: number) => Math.floor(Math.random() * bound))
    let gen: (() => number) | undefined
    let seedOf: unknown
    return impl((seed: number, bound: number) => {
      if (gen === undefined || seed !== seedOf) {
        gen = mulberry32(seed)
        seedOf = seed
      }
      return Math.floor(gen() * bound)
    })
  },
})

const toLongBits = (x: number): bigint => BigInt.asUintN(64, BigInt(Math.trunc(x)))

const BIN = simple({ name: 'BIN', forms: [['INTEGER']], returns: DataTypes.STRING(), fn: (x: number) => (x >= 0 ? x.toString(2) : toLongBits(x).toString(2)) })

const utf8 = new TextEncoder()

const HEX = simple({
  name: 'HEX',
  forms: [['INTEGER'], ['STRING']],
  returns: DataTypes.STRING(),
  fn: (x: number | string) => {
    if (typeof x === 'string') {
      let s = ''
      for (const b of utf8.encode(x)) s += (b < 16 ? '0' : '') + b.toString(16)
      return s.toUpperCase()
    }
    return (x >= 0 ? x.toString(16) : toLongBits(x).toString(16)).toUpperCase()
  },
})

const constant = (name: string, value: number): FunctionDefinition => simple({ name, forms: [[]], returns: DOUBLE(false), fn: () => value, inline: () => String(value) })

const POWER = simple({ name: 'POWER', forms: [['NUMERIC', 'NUMERIC']], returns: DOUBLE(), fn: Math.pow, inline: ([a, b]) => `Math.pow(${a}, ${b})` })

/** The arithmetic and math functions. */
export const ARITHMETIC_FUNCTIONS: readonly FunctionDefinition[] = [
  plusMinus('+'),
  plusMinus('-'),
  timesDivide('*'),
  timesDivide('/'),
  mod('%'),
  mod('MOD'),
  ABS,
  POWER,
  doubleFn('SQRT', Math.sqrt, (a) => `Math.sqrt(${a})`),
  doubleFn('EXP', Math.exp, (a) => `Math.exp(${a})`),
  doubleFn('LN', Math.log, (a) => `Math.log(${a})`),
  doubleFn('LOG10', Math.log10, (a) => `Math.log10(${a})`),
  doubleFn('LOG2', (x) => Math.log(x) / Math.log(2)),
  LOG,
  doubleFn('SIN', Math.sin),
  doubleFn('COS', Math.cos),
  doubleFn('TAN', Math.tan),
  doubleFn('COT', (x) => 1 / Math.tan(x)),
  doubleFn('ASIN', Math.asin),
  doubleFn('ACOS', Math.acos),
  doubleFn('ATAN', Math.atan),
  doubleFn('SINH', Math.sinh),
  doubleFn('COSH', Math.cosh),
  doubleFn('TANH', Math.tanh),
  simple({ name: 'ATAN2', forms: [['NUMERIC', 'NUMERIC']], returns: DOUBLE(), fn: Math.atan2 }),
  doubleFn('DEGREES', (x) => (x * 180) / Math.PI),
  doubleFn('RADIANS', (x) => (x / 180) * Math.PI),
  roundLike('ROUND', roundHalfUp),
  roundLike('TRUNCATE', truncateTo),
  SIGN,
  constant('PI', Math.PI),
  constant('E', Math.E),
  RAND,
  RAND_INTEGER,
  BIN,
  HEX,
]

/** FLOOR(x)/CEIL(x) of numbers: the result type and implementation (used by the temporal FLOOR/CEIL definitions). */
export const numericFloorCeil = {
  type: floorCeilNumericType,
  impl: (fn: 'FLOOR' | 'CEIL', type: DataType): CallImpl => {
    const f = fn === 'FLOOR' ? Math.floor : Math.ceil
    const name = fn === 'FLOOR' ? 'Math.floor' : 'Math.ceil'
    if (type.kind === 'DECIMAL') {
      const p = type.precision
      return inlined((x: number) => toDecimal(f(x) + 0, p, 0), ([a], k) => `${k(toDecimal)}(${name}(${a}) + 0, ${p}, 0)`)
    }
    if (isInteger(type)) return inlined((x: number) => x, ([a]) => a!)
    if (type.kind === 'FLOAT') return inlined((x: number) => Math.fround(f(x)), ([a]) => `Math.fround(${name}(${a}))`)
    return inlined(f, ([a]) => `${name}(${a})`)
  },
}

/** The precision of an exact type, re-exported for the temporal module's `FLOOR`. */
export const precisionOfExact = exactPrecision
