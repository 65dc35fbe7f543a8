/**
 * `CAST` and `TRY_CAST` between SQL types, with Flink's (1.15+) semantics and formats.
 *
 * @remarks
 * - To strings: as {@link formatValue}'s `cast` style (`TRUE`, `1.50`, `1.0E10`,
 *   `2020-04-15 08:05:00.000`, `[1, 2]`); `CHAR(n)` pads with spaces, `VARCHAR(n)` truncates.
 * - Strings to numbers, booleans, dates and times are parsed after trimming; a string that does
 *   not parse fails the cast with a {@link SqlRuntimeError} naming the value and the expression
 *   (`TRY_CAST` gives `NULL` instead).
 * - Between numbers: Java's narrowing (`(int) 3.9` is 3, `DOUBLE` saturates at the `INT` range,
 *   `BIGINT` to `INT` wraps); to `DECIMAL(p, s)`: rounded half-up, `NULL` when it does not fit.
 * - Timestamps to numbers are epoch seconds; numbers to timestamps read epoch seconds.
 * - `TIMESTAMP(p)` and `TIME(p)` drop the digits beyond `p`.
 * - Intervals to and from exact numbers use the runtime value (milliseconds or months).
 *
 * @packageDocumentation
 */
import { type DataType, formatType, isInteger, MAX_LENGTH } from '../../types/data-type.js'
import { formatValue } from '../format-value.js'
import { dateOfMillis, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, parseDate, parseTime, parseTimestamp, timeOfMillis } from './datetime.js'
import { type CallSite, runtimeError } from './definition.js'
import { doubleToInt, doubleToLong, INTEGER_RANGE, parseNumber, toDecimal, wrapSmallint, wrapTinyint } from './numbers.js'

type Cast = (v: any) => unknown

const describe = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : v instanceof Uint8Array ? `x'${Buffer.from(v).toString('hex')}'` : String(v))

/** The error of a failed cast. */
const failed = (site: CallSite, v: unknown, to: DataType, why = ''): Error => runtimeError(site, `Cannot cast ${describe(v)} to ${formatType({ ...to, nullable: true })}${why}.`)

/** Whether a cast from `from` to `to` changes nothing in the runtime value (widening of numbers, `CHAR` to a longer `VARCHAR`, ...). */
export const isNoopCast = (from: DataType, to: DataType): boolean => {
  if (from.kind === 'NULL') return true
  switch (to.kind) {
    case 'BOOLEAN':
      return from.kind === 'BOOLEAN'
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT': {
      const rank = { TINYINT: 1, SMALLINT: 2, INT: 3, BIGINT: 4 } as const
      return isInteger(from) && rank[from.kind as keyof typeof rank] <= rank[to.kind]
    }
    case 'DOUBLE':
      return isInteger(from) || from.kind === 'FLOAT' || from.kind === 'DOUBLE' || from.kind === 'DECIMAL'
    case 'FLOAT':
      return from.kind === 'FLOAT' || from.kind === 'TINYINT' || from.kind === 'SMALLINT'
    case 'DECIMAL': {
      if (isInteger(from)) {
        const digits = { TINYINT: 3, SMALLINT: 5, INT: 10, BIGINT: 19 }[from.kind as 'INT']
        return to.precision - to.scale >= digits
      }
      return from.kind === 'DECIMAL' && to.scale >= from.scale && to.precision - to.scale >= from.precision - from.scale
    }
    case 'VARCHAR':
      return (from.kind === 'VARCHAR' || from.kind === 'CHAR') && from.length <= to.length
    case 'CHAR':
      return from.kind === 'CHAR' && from.length === to.length
    case 'VARBINARY':
      return (from.kind === 'VARBINARY' || from.kind === 'BINARY') && from.length <= to.length
    case 'BINARY':
      return from.kind === 'BINARY' && from.length === to.length
    case 'DATE':
      return from.kind === 'DATE'
    case 'TIME':
      return from.kind === 'TIME' && from.precision <= to.precision
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      // the session time zone is UTC: TIMESTAMP and TIMESTAMP_LTZ share their milliseconds
      return (from.kind === 'TIMESTAMP' || from.kind === 'TIMESTAMP_LTZ') && (from.precision <= to.precision || to.precision >= 3)
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return from.kind === to.kind || isInteger(from)
    case 'ARRAY':
    case 'MULTISET':
      return from.kind === to.kind && isNoopCast((from as { element: DataType }).element, to.element)
    case 'MAP':
      return from.kind === 'MAP' && isNoopCast(from.key, to.key) && isNoopCast(from.value, to.value)
    case 'ROW':
      return from.kind === 'ROW' && from.fields.length === to.fields.length && from.fields.every((f, i) => isNoopCast(f.type, to.fields[i]!.type))
    case 'NULL':
      return true
  }
}

const TRUE_STRINGS = new Set(['true', 't', 'yes', 'y', '1'])
const FALSE_STRINGS = new Set(['false', 'f', 'no', 'n', '0'])

const utf8Encoder = new TextEncoder()

/** Truncates `ms` to `precision` fractional digits (0-3). */
const truncateMillis = (precision: number): ((ms: number) => number) | undefined => {
  if (precision >= 3) return undefined
  const unit = precision === 0 ? 1000 : precision === 1 ? 100 : 10
  return (ms: number) => Math.floor(ms / unit) * unit
}

const parseIntegerString = (s: string): number | undefined => {
  // Flink accepts a fraction and drops it ("1.9" is 1)
  const t = s.trim()
  if (!/^[+-]?\d+(\.\d*)?$/.test(t)) return undefined
  const dot = t.indexOf('.')
  const n = Number(dot < 0 ? t : t.slice(0, dot))
  return Object.is(n, -0) ? 0 : n
}

const parseInterval = (s: string, yearMonth: boolean): number | undefined => {
  const t = s.trim()
  if (/^[+-]?\d+$/.test(t)) return Number(t)
  if (yearMonth) {
    const m = /^([+-])?(\d+)-(\d+)$/.exec(t)
    if (m === null) return undefined
    const v = Number(m[2]) * 12 + Number(m[3])
    return m[1] === '-' ? -v : v
  }
  const m = /^([+-])?(\d+) (\d+):(\d+):(\d+)(?:\.(\d{1,3})\d*)?$/.exec(t)
  if (m === null) return undefined
  const v = Number(m[2]) * MS_PER_DAY + Number(m[3]) * MS_PER_HOUR + Number(m[4]) * MS_PER_MINUTE + Number(m[5]) * 1000 + (m[6] === undefined ? 0 : Number(m[6].padEnd(3, '0')))
  return m[1] === '-' ? -v : v
}

const toStringCast = (from: DataType, to: Extract<DataType, { kind: 'CHAR' | 'VARCHAR' }>): Cast => {
  const fmt: Cast = from.kind === 'CHAR' || from.kind === 'VARCHAR' ? (v: string) => v : (v) => formatValue(v, from, 'cast')
  if (to.kind === 'CHAR') {
    const n = to.length
    return (v) => {
      const s = fmt(v) as string
      return s.length === n ? s : s.length > n ? s.slice(0, n) : s.padEnd(n, ' ')
    }
  }
  if (to.length >= MAX_LENGTH) return fmt
  const n = to.length
  return (v) => {
    const s = fmt(v) as string
    return s.length > n ? s.slice(0, n) : s
  }
}

const toIntegerCast = (from: DataType, to: DataType, site: CallSite): Cast => {
  const kind = to.kind as 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT'
  const narrowInt: (x: number) => number = kind === 'TINYINT' ? wrapTinyint : kind === 'SMALLINT' ? wrapSmallint : kind === 'INT' ? (x) => x | 0 : (x) => x
  switch (from.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return narrowInt
    case 'DECIMAL':
      return kind === 'BIGINT' ? (v: number) => Math.trunc(v) + 0 : (v: number) => narrowInt(Math.trunc(v))
    case 'FLOAT':
    case 'DOUBLE':
      return kind === 'BIGINT' ? doubleToLong : (v: number) => narrowInt(doubleToInt(v))
    case 'BOOLEAN':
      return (v: boolean) => (v ? 1 : 0)
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return (v: number) => narrowInt(Math.floor(v / 1000))
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return narrowInt
    case 'CHAR':
    case 'VARCHAR': {
      const [lo, hi] = INTEGER_RANGE[kind]
      return (v: string) => {
        const n = parseIntegerString(v)
        if (n === undefined || n < lo || n > hi) throw failed(site, v, to)
        return n
      }
    }
    default:
      throw new Error(`no cast from ${from.kind} to ${to.kind}`)
  }
}

const toApproxCast = (from: DataType, to: DataType, site: CallSite): Cast => {
  const round = to.kind === 'FLOAT' ? Math.fround : (x: number) => x
  switch (from.kind) {
    case 'BOOLEAN':
      return (v: boolean) => (v ? 1 : 0)
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return (v: number) => round(v / 1000)
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => {
        const n = parseNumber(v)
        if (n === undefined) throw failed(site, v, to)
        return round(n)
      }
    default:
      return round
  }
}

const toDecimalCast = (from: DataType, to: Extract<DataType, { kind: 'DECIMAL' }>, site: CallSite): Cast => {
  const { precision, scale } = to
  switch (from.kind) {
    case 'BOOLEAN':
      return (v: boolean) => toDecimal(v ? 1 : 0, precision, scale)
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return (v: number) => toDecimal(v / 1000, precision, scale)
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => {
        const n = parseNumber(v)
        if (n === undefined || !Number.isFinite(n)) throw failed(site, v, to)
        return toDecimal(n, precision, scale)
      }
    default:
      return (v: number) => toDecimal(v, precision, scale)
  }
}

const toTimestampCast = (from: DataType, to: Extract<DataType, { kind: 'TIMESTAMP' | 'TIMESTAMP_LTZ' }>, site: CallSite): Cast => {
  const trunc = truncateMillis(to.precision)
  const base = ((): Cast => {
    switch (from.kind) {
      case 'CHAR':
      case 'VARCHAR':
        return (v: string) => {
          const ms = parseTimestamp(v)
          if (ms === undefined) throw failed(site, v, to)
          return ms
        }
      case 'DATE':
        return (v: number) => v * MS_PER_DAY
      case 'TIME':
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
        return (v: number) => v
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
      case 'BIGINT':
        return (v: number) => v * 1000
      case 'DECIMAL':
      case 'FLOAT':
      case 'DOUBLE':
        return (v: number) => Math.trunc(v * 1000)
      case 'BINARY':
      case 'VARBINARY':
        return (v: Uint8Array) => {
          const s = new TextDecoder().decode(v)
          const ms = parseTimestamp(s)
          if (ms === undefined) throw failed(site, v, to)
          return ms
        }
      default:
        throw new Error(`no cast from ${from.kind} to ${to.kind}`)
    }
  })()
  if (trunc === undefined) return base
  return (v) => trunc(base(v) as number)
}

/**
 * The cast of a non-`NULL` value from `from` to `to` (validity checked before, see `canCast`).
 *
 * @remarks
 * The returned function throws a {@link SqlRuntimeError} naming the value and `site` when the
 * value cannot be cast, and returns `null` where Flink does (a `DECIMAL` that does not fit).
 */
export const castFunction = (from: DataType, to: DataType, site: CallSite): Cast => {
  if (from.kind === 'NULL') return () => null
  if (isNoopCast(from, to) && to.kind !== 'CHAR' && to.kind !== 'BINARY') return (v) => v
  switch (to.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return toStringCast(from, to)
    case 'BOOLEAN':
      if (from.kind === 'CHAR' || from.kind === 'VARCHAR')
        return (v: string) => {
          const t = v.trim().toLowerCase()
          if (TRUE_STRINGS.has(t)) return true
          if (FALSE_STRINGS.has(t)) return false
          throw failed(site, v, to)
        }
      return (v: number) => v !== 0
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return toIntegerCast(from, to, site)
    case 'FLOAT':
    case 'DOUBLE':
      return toApproxCast(from, to, site)
    case 'DECIMAL':
      return toDecimalCast(from, to, site)
    case 'DATE':
      if (from.kind === 'CHAR' || from.kind === 'VARCHAR')
        return (v: string) => {
          const d = parseDate(v)
          if (d === undefined) throw failed(site, v, to)
          return d
        }
      if (from.kind === 'BINARY' || from.kind === 'VARBINARY')
        return (v: Uint8Array) => {
          const d = parseDate(new TextDecoder().decode(v))
          if (d === undefined) throw failed(site, v, to)
          return d
        }
      return (v: number) => dateOfMillis(v)
    case 'TIME': {
      const trunc = truncateMillis(to.precision) ?? ((x: number) => x)
      if (from.kind === 'CHAR' || from.kind === 'VARCHAR')
        return (v: string) => {
          const t = parseTime(v)
          if (t === undefined) throw failed(site, v, to)
          return trunc(t)
        }
      if (from.kind === 'TIME') return (v: number) => trunc(v)
      return (v: number) => trunc(timeOfMillis(v))
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return toTimestampCast(from, to, site)
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH': {
      const yearMonth = to.kind === 'INTERVAL_YEAR_MONTH'
      if (from.kind === 'CHAR' || from.kind === 'VARCHAR')
        return (v: string) => {
          const n = parseInterval(v, yearMonth)
          if (n === undefined) throw failed(site, v, to)
          return n
        }
      return (v: number) => Math.trunc(v)
    }
    case 'BINARY':
    case 'VARBINARY': {
      const n = to.length
      const fixed = to.kind === 'BINARY'
      const bytes: Cast = from.kind === 'CHAR' || from.kind === 'VARCHAR' ? (v: string) => utf8Encoder.encode(v) : (v: Uint8Array) => v
      return (v) => {
        const b = bytes(v) as Uint8Array
        if (b.length > n) return b.slice(0, n)
        if (fixed && b.length < n) {
          const out = new Uint8Array(n)
          out.set(b)
          return out
        }
        return b
      }
    }
    case 'ARRAY':
    case 'MULTISET': {
      const el = castFunction((from as { element: DataType }).element, to.element, site)
      return (v: readonly unknown[]) => {
        const out = new Array<unknown>(v.length)
        for (let i = 0; i < v.length; i++) {
          const x = v[i]
          out[i] = x === null || x === undefined ? null : el(x)
        }
        return out
      }
    }
    case 'MAP': {
      const f = from as Extract<DataType, { kind: 'MAP' }>
      const kc = castFunction(f.key, to.key, site)
      const vc = castFunction(f.value, to.value, site)
      return (v: Map<unknown, unknown>) => {
        const out = new Map<unknown, unknown>()
        for (const [k, x] of v) out.set(k === null ? null : kc(k), x === null || x === undefined ? null : vc(x))
        return out
      }
    }
    case 'ROW': {
      const f = from as Extract<DataType, { kind: 'ROW' }>
      const casts = to.fields.map((t, i) => castFunction(f.fields[i]!.type, t.type, site))
      return (v: readonly unknown[]) => {
        const out = new Array<unknown>(casts.length)
        for (let i = 0; i < casts.length; i++) {
          const x = v[i]
          out[i] = x === null || x === undefined ? null : casts[i]!(x)
        }
        return out
      }
    }
    case 'NULL':
      return () => null
  }
}
