/**
 * Temporal functions: `EXTRACT`, `FLOOR`/`CEIL` (numbers, and time values `TO unit`),
 * `TIMESTAMPADD`, `TIMESTAMPDIFF`, `DATE_FORMAT`, `TO_TIMESTAMP`, `TO_TIMESTAMP_LTZ`, `TO_DATE`,
 * `UNIX_TIMESTAMP`, `FROM_UNIXTIME`, `CURRENT_TIMESTAMP`, `NOW`, `LOCALTIMESTAMP`,
 * `CURRENT_DATE`, `CURRENT_TIME`, `LOCALTIME`, `CURRENT_ROW_TIMESTAMP`, `PROCTIME`,
 * `CURRENT_WATERMARK`.
 *
 * @remarks
 * The session time zone is UTC. Time units are passed as a first (or last) argument that is a
 * `VARCHAR` literal holding the unit's name (`'YEAR'`), as the resolver builds them.
 *
 * `CURRENT_TIMESTAMP` and friends read the runtime's processing-time clock once per record, as
 * Flink evaluates them per record in streaming mode; they are never constant-folded.
 *
 * @packageDocumentation
 */
import type { TimeUnit } from '../../sql/ast.js'
import { type DataType, DataTypes, formatType, isRowtime, isTimestamp, withoutTimeAttribute } from '../../types/data-type.js'
import type { ExprRuntime } from '../runtime.js'
import { numericFloorCeil } from './arithmetic.js'
import { DatePatternError, type DateFormatter, dateFormatter, dateParser } from './date-format.js'
import {
  ceilDate,
  ceilTime,
  ceilTimestamp,
  dateOfMillis,
  extractFromDate,
  extractFromTime,
  extractFromTimestamp,
  floorDate,
  floorTime,
  floorTimestamp,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  parseTimestamp,
  timeOfMillis,
  timestampAdd,
  timestampDiff,
} from './datetime.js'
import { type CallImpl, type CallSite, defineFunction, type FunctionDefinition, impl, inlined, literalArg, runtimeError } from './definition.js'
import { simple } from './signatures.js'

const TIME_OF_DAY_UNITS: ReadonlySet<TimeUnit> = new Set(['HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND'])

/** The time unit an argument holds (a `VARCHAR` literal). */
const unitOf = (args: readonly import('../rex.js').Rex[], i: number): TimeUnit => literalArg(args, i) as TimeUnit

const notApplicable = (fn: string, unit: TimeUnit, t: DataType): string => `${fn}(${unit} ...) is not supported for ${formatType(t)}`

// ---------------------------------------------------------------------------------------------
// EXTRACT
// ---------------------------------------------------------------------------------------------

const extractInterval = (unit: TimeUnit, yearMonth: boolean): ((v: number) => number) | undefined => {
  if (yearMonth) {
    if (unit === 'YEAR') return (m) => Math.trunc(m / 12)
    if (unit === 'MONTH') return (m) => m % 12
    if (unit === 'QUARTER') return (m) => Math.trunc((m % 12) / 3) + 1
    return undefined
  }
  switch (unit) {
    case 'DAY':
      return (ms) => Math.trunc(ms / MS_PER_DAY)
    case 'HOUR':
      return (ms) => Math.trunc(ms / MS_PER_HOUR) % 24
    case 'MINUTE':
      return (ms) => Math.trunc(ms / MS_PER_MINUTE) % 60
    case 'SECOND':
      return (ms) => Math.trunc(ms / 1000) % 60
    case 'MILLISECOND':
      return (ms) => ms % 60000
    case 'EPOCH':
      return (ms) => Math.trunc(ms / 1000)
    default:
      return undefined
  }
}

/** `EXTRACT(unit FROM x)`: arguments `[unit, x]`. */
const EXTRACT = defineFunction({
  name: 'EXTRACT',
  nulls: 'strict',
  deterministic: true,
  infer: (types, args) => {
    const unit = unitOf(args, 0)
    const t = types[1]!
    if (t.kind === 'NULL') return DataTypes.BIGINT()
    if (t.kind === 'DATE' && TIME_OF_DAY_UNITS.has(unit)) return notApplicable('EXTRACT', unit, t)
    if (t.kind === 'TIME' && !TIME_OF_DAY_UNITS.has(unit) && unit !== 'EPOCH') return notApplicable('EXTRACT', unit, t)
    if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH') {
      return extractInterval(unit, t.kind === 'INTERVAL_YEAR_MONTH') === undefined ? notApplicable('EXTRACT', unit, t) : DataTypes.BIGINT()
    }
    if (t.kind !== 'DATE' && t.kind !== 'TIME' && !isTimestamp(t))
      return `Cannot apply 'EXTRACT' to arguments of type 'EXTRACT(<INTERVAL SYMBOL> FROM <${formatType(t)}>)'. Supported form(s): 'EXTRACT(<DATETIME_INTERVAL> FROM <DATETIME>)'`
    return DataTypes.BIGINT()
  },
  specialize: ({ args, argTypes }) => {
    const unit = unitOf(args, 0)
    const t = argTypes[1]!
    switch (t.kind) {
      case 'DATE':
        return impl((_u: string, d: number) => extractFromDate(unit, d))
      case 'TIME':
        return impl((_u: string, ms: number) => extractFromTime(unit, ms))
      case 'INTERVAL_DAY_TIME':
      case 'INTERVAL_YEAR_MONTH': {
        const f = extractInterval(unit, t.kind === 'INTERVAL_YEAR_MONTH')!
        return impl((_u: string, v: number) => f(v) + 0)
      }
      default:
        return impl((_u: string, ms: number) => extractFromTimestamp(unit, ms))
    }
  },
})

// ---------------------------------------------------------------------------------------------
// FLOOR / CEIL
// ---------------------------------------------------------------------------------------------

const floorCeil = (fn: 'FLOOR' | 'CEIL'): FunctionDefinition =>
  defineFunction({
    name: fn,
    nulls: 'strict',
    deterministic: true,
    infer: (types, args) => {
      const t = types[0]!
      if (types.length === 1) {
        if (t.kind === 'NULL' || t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INT' || t.kind === 'BIGINT' || t.kind === 'FLOAT' || t.kind === 'DOUBLE' || t.kind === 'DECIMAL')
          return numericFloorCeil.type(types)
        return `Cannot apply '${fn}' to arguments of type '${fn}(<${formatType(t)}>)'. Supported form(s): '${fn}(<NUMERIC>)', '${fn}(<DATETIME> TO <TIME UNIT>)'`
      }
      const unit = unitOf(args, 1)
      if (t.kind === 'NULL') return DataTypes.TIMESTAMP(3)
      if (t.kind === 'TIME' && !TIME_OF_DAY_UNITS.has(unit) && unit !== 'DAY') return notApplicable(fn, unit, t)
      if (t.kind !== 'DATE' && t.kind !== 'TIME' && !isTimestamp(t))
        return `Cannot apply '${fn}' to arguments of type '${fn}(<${formatType(t)}> TO <TIME UNIT>)'. Supported form(s): '${fn}(<DATETIME> TO <TIME UNIT>)'`
      return withoutTimeAttribute(t)
    },
    specialize: ({ args, argTypes, type }) => {
      if (args.length === 1) return numericFloorCeil.impl(fn, type)
      const unit = unitOf(args, 1)
      const t = argTypes[0]!
      const floor = fn === 'FLOOR'
      if (t.kind === 'DATE') return impl((d: number) => (floor ? floorDate(unit, d) : ceilDate(unit, d)))
      if (t.kind === 'TIME') return impl((ms: number) => (floor ? floorTime(unit, ms) : ceilTime(unit, ms)))
      return impl((ms: number) => (floor ? floorTimestamp(unit, ms) : ceilTimestamp(unit, ms)))
    },
  })

// ---------------------------------------------------------------------------------------------
// TIMESTAMPADD / TIMESTAMPDIFF
// ---------------------------------------------------------------------------------------------

/** `TIMESTAMPADD(unit, n, x)`: arguments `[unit, n, x]`. */
const TIMESTAMPADD = defineFunction({
  name: 'TIMESTAMPADD',
  nulls: 'strict',
  deterministic: true,
  infer: (types, args) => {
    const unit = unitOf(args, 0)
    const [, n, t] = types as [DataType, DataType, DataType]
    if (n.kind !== 'NULL' && n.kind !== 'TINYINT' && n.kind !== 'SMALLINT' && n.kind !== 'INT' && n.kind !== 'BIGINT')
      return `The second argument of TIMESTAMPADD must be an integer, but is ${formatType(n)}`
    if (t.kind === 'NULL') return DataTypes.TIMESTAMP(3)
    if (t.kind === 'DATE') return TIME_OF_DAY_UNITS.has(unit) ? DataTypes.TIMESTAMP(unit === 'SECOND' || unit === 'HOUR' || unit === 'MINUTE' ? 0 : 3) : t
    if (t.kind === 'TIME') return TIME_OF_DAY_UNITS.has(unit) ? t : notApplicable('TIMESTAMPADD', unit, t)
    if (isTimestamp(t)) return withoutTimeAttribute(t)
    return `Cannot apply 'TIMESTAMPADD' to arguments of type 'TIMESTAMPADD(<TIME UNIT>, <${formatType(n)}>, <${formatType(t)}>)'. Supported form(s): 'TIMESTAMPADD(<TIME UNIT>, <INTEGER>, <DATETIME>)'`
  },
  specialize: ({ args, argTypes, type }) => {
    const unit = unitOf(args, 0)
    const t = argTypes[2]!
    if (t.kind === 'DATE' && type.kind === 'DATE') return impl((_u: string, n: number, d: number) => dateOfMillis(timestampAdd(unit, n, d * MS_PER_DAY)))
    if (t.kind === 'DATE') return impl((_u: string, n: number, d: number) => timestampAdd(unit, n, d * MS_PER_DAY))
    if (t.kind === 'TIME') return impl((_u: string, n: number, ms: number) => timeOfMillis(timestampAdd(unit, n, ms)))
    return impl((_u: string, n: number, ms: number) => timestampAdd(unit, n, ms))
  },
})

/** `TIMESTAMPDIFF(unit, a, b)`: arguments `[unit, a, b]`; whole units from `a` to `b`. */
const TIMESTAMPDIFF = defineFunction({
  name: 'TIMESTAMPDIFF',
  nulls: 'strict',
  deterministic: true,
  infer: (types) => {
    const [, a, b] = types as [DataType, DataType, DataType]
    const ok = (t: DataType): boolean => t.kind === 'NULL' || t.kind === 'DATE' || isTimestamp(t)
    if (!ok(a) || !ok(b) || (a.kind !== 'NULL' && b.kind !== 'NULL' && (a.kind === 'DATE') !== (b.kind === 'DATE')))
      return `Cannot apply 'TIMESTAMPDIFF' to arguments of type 'TIMESTAMPDIFF(<TIME UNIT>, <${formatType(a)}>, <${formatType(b)}>)'. Supported form(s): 'TIMESTAMPDIFF(<TIME UNIT>, <DATETIME>, <DATETIME>)'`
    return DataTypes.INT()
  },
  specialize: ({ args, argTypes }) => {
    const unit = unitOf(args, 0)
    const ms = (t: DataType): ((v: number) => number) => (t.kind === 'DATE' ? (v) => v * MS_PER_DAY : (v) => v)
    const fa = ms(argTypes[1]!)
    const fb = ms(argTypes[2]!)
    return impl((_u: string, a: number, b: number) => timestampDiff(unit, fa(a), fb(b)) | 0)
  },
})

// ---------------------------------------------------------------------------------------------
// Formatting and parsing
// ---------------------------------------------------------------------------------------------

const checkPattern = (args: readonly import('../rex.js').Rex[], i: number): string | undefined => {
  const p = literalArg(args, i)
  if (typeof p !== 'string') return undefined
  try {
    dateFormatter(p)
    return undefined
  } catch (e) {
    return e instanceof DatePatternError ? e.message : String(e)
  }
}

const formatterAt = (site: CallSite) => (pattern: string) => {
  try {
    return dateFormatter(pattern)
  } catch (e) {
    throw runtimeError(site, e instanceof Error ? e.message : String(e), e)
  }
}

const parserAt = (site: CallSite) => (pattern: string) => {
  try {
    return dateParser(pattern)
  } catch (e) {
    throw runtimeError(site, e instanceof Error ? e.message : String(e), e)
  }
}

const DATE_FORMAT = simple({
  name: 'DATE_FORMAT',
  forms: [
    ['TIMESTAMP', 'STRING'],
    ['STRING', 'STRING'],
  ],
  returns: (_t, args) => checkPattern(args, 1) ?? DataTypes.STRING(),
  nullableResult: true,
  specialize: ({ args, argTypes, site }) => {
    const fmt = formatterAt(site)
    if (argTypes[0]!.kind === 'CHAR' || argTypes[0]!.kind === 'VARCHAR') {
      return impl((s: string, p: string) => {
        const ms = parseTimestamp(s)
        return ms === undefined ? null : fmt(p)(ms)
      })
    }
    const general = (ms: number, p: string): string => fmt(p)(ms)
    // a constant pattern is compiled once: the generated code calls its formatter directly
    const pattern = literalArg(args, 1)
    if (typeof pattern !== 'string') return impl(general)
    let formatter: DateFormatter
    try {
      formatter = dateFormatter(pattern)
    } catch {
      return impl(general) // an invalid pattern fails per record, with the call site
    }
    return inlined((ms: number, p: string) => (p === pattern ? formatter(ms) : general(ms, p)), ([ms], k) => `${k(formatter)}(${ms})`)
  },
})

const TO_TIMESTAMP = simple({
  name: 'TO_TIMESTAMP',
  forms: [['STRING'], ['STRING', 'STRING']],
  returns: (_t, args) => checkPattern(args, 1) ?? DataTypes.TIMESTAMP(3),
  nullableResult: true,
  specialize: ({ site }) => {
    const parser = parserAt(site)
    return impl((s: string, p?: string) => {
      if (p === undefined) return parseTimestamp(s) ?? null
      return parser(p)(s) ?? parseTimestamp(s) ?? null
    })
  },
})

const TO_DATE = simple({
  name: 'TO_DATE',
  forms: [['STRING'], ['STRING', 'STRING']],
  returns: (_t, args) => checkPattern(args, 1) ?? DataTypes.DATE(),
  nullableResult: true,
  specialize: ({ site }) => {
    const parser = parserAt(site)
    return impl((s: string, p?: string) => {
      const ms = parser(p ?? 'yyyy-MM-dd')(s)
      return ms === undefined ? null : dateOfMillis(ms)
    })
  },
})

const MIN_EPOCH_MILLIS = -62167219200000
const MAX_EPOCH_MILLIS = 253402300799999

const TO_TIMESTAMP_LTZ = simple({
  name: 'TO_TIMESTAMP_LTZ',
  forms: [['NUMERIC'], ['NUMERIC', 'INTEGER']],
  returns: (_t, args) => {
    const p = args.length < 2 ? 3 : literalArg(args, 1)
    if (args.length >= 2 && p === undefined) return `The precision of TO_TIMESTAMP_LTZ(numeric, precision) must be a literal, 0 or 3`
    if (p !== 0 && p !== 3) return `The precision value '${String(p)}' for function TO_TIMESTAMP_LTZ(numeric, precision) is unsupported, the supported value is '0' for second or '3' for millisecond.`
    return DataTypes.TIMESTAMP_LTZ(3)
  },
  nullableResult: true,
  fn: (n: number, p = 3) => {
    const ms = p === 0 ? Math.trunc(n * 1000) : Math.trunc(n)
    return ms >= MIN_EPOCH_MILLIS && ms <= MAX_EPOCH_MILLIS ? ms + 0 : null
  },
})

const LONG_MIN = -9223372036854775808

const UNIX_TIMESTAMP = simple({
  name: 'UNIX_TIMESTAMP',
  forms: [[], ['STRING'], ['STRING', 'STRING']],
  returns: (types) => DataTypes.BIGINT(types.length > 0),
  deterministic: false,
  perRecord: true,
  runtime: true,
  specialize: ({ args, site }) => {
    if (args.length === 0) return inlined((rt: ExprRuntime) => Math.floor(rt.currentProcessingTime() / 1000), ([rt]) => `Math.floor(${rt}.currentProcessingTime() / 1000)`)
    const parser = parserAt(site)
    // Flink returns Long.MIN_VALUE for a string that does not parse
    return impl((_rt: ExprRuntime, s: string, p?: string) => {
      const ms = parser(p ?? 'yyyy-MM-dd HH:mm:ss')(s)
      return ms === undefined ? LONG_MIN : Math.floor(ms / 1000)
    })
  },
})

const FROM_UNIXTIME = simple({
  name: 'FROM_UNIXTIME',
  forms: [['NUMERIC'], ['NUMERIC', 'STRING']],
  returns: (_t, args) => checkPattern(args, 1) ?? DataTypes.STRING(),
  specialize: ({ site }) => {
    const fmt = formatterAt(site)
    return impl((n: number, p?: string) => fmt(p ?? 'yyyy-MM-dd HH:mm:ss')(Math.trunc(n) * 1000))
  },
})

// ---------------------------------------------------------------------------------------------
// The clock and the watermark
// ---------------------------------------------------------------------------------------------

const clock = (name: string, type: DataType, fn: (ms: number) => number, code: (ms: string) => string): FunctionDefinition =>
  defineFunction({
    name,
    nulls: 'total',
    deterministic: false,
    perRecord: true,
    runtime: true,
    infer: (types) => (types.length === 0 ? type : `'${name}' takes no arguments`),
    specialize: () => inlined((rt: ExprRuntime) => fn(rt.currentProcessingTime()), ([rt]) => code(`${rt}.currentProcessingTime()`)),
  })

const identity = (ms: number): number => ms
const idCode = (ms: string): string => ms

const CURRENT_WATERMARK = defineFunction({
  name: 'CURRENT_WATERMARK',
  nulls: 'total',
  deterministic: false,
  perRecord: true,
  runtime: true,
  infer: (types) => {
    if (types.length !== 1) return `'CURRENT_WATERMARK' takes one argument, a rowtime attribute`
    const t = types[0]!
    if (!isRowtime(t)) return `The argument of CURRENT_WATERMARK must be a rowtime attribute, but is of type ${formatType(t)}`
    return { ...withoutTimeAttribute(t), nullable: true } as DataType
  },
  specialize: (): CallImpl => inlined((rt: ExprRuntime) => rt.currentWatermark(), ([rt]) => `${rt}.currentWatermark()`),
})

/** The temporal functions. */
export const TEMPORAL_FUNCTIONS: readonly FunctionDefinition[] = [
  EXTRACT,
  floorCeil('FLOOR'),
  floorCeil('CEIL'),
  TIMESTAMPADD,
  TIMESTAMPDIFF,
  DATE_FORMAT,
  TO_TIMESTAMP,
  TO_TIMESTAMP_LTZ,
  TO_DATE,
  UNIX_TIMESTAMP,
  FROM_UNIXTIME,
  clock('CURRENT_TIMESTAMP', DataTypes.TIMESTAMP_LTZ(3, false), identity, idCode),
  clock('NOW', DataTypes.TIMESTAMP_LTZ(3, false), identity, idCode),
  clock('CURRENT_ROW_TIMESTAMP', DataTypes.TIMESTAMP_LTZ(3, false), identity, idCode),
  clock('LOCALTIMESTAMP', DataTypes.TIMESTAMP(3, false), identity, idCode),
  clock('CURRENT_DATE', DataTypes.DATE(false), (ms) => Math.floor(ms / MS_PER_DAY), (ms) => `Math.floor(${ms} / ${MS_PER_DAY})`),
  clock('CURRENT_TIME', DataTypes.TIME(0, false), (ms) => Math.floor(timeOfMillis(ms) / 1000) * 1000, (ms) => `(Math.floor((((${ms}) % ${MS_PER_DAY}) + ${MS_PER_DAY}) % ${MS_PER_DAY} / 1000) * 1000)`),
  clock('LOCALTIME', DataTypes.TIME(0, false), (ms) => Math.floor(timeOfMillis(ms) / 1000) * 1000, (ms) => `(Math.floor((((${ms}) % ${MS_PER_DAY}) + ${MS_PER_DAY}) % ${MS_PER_DAY} / 1000) * 1000)`),
  clock('PROCTIME', { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false, timeAttribute: 'PROCTIME' }, identity, idCode),
  CURRENT_WATERMARK,
]
