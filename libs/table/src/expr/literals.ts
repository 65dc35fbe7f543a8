/**
 * SQL literals turned into typed runtime values: numbers with their exact type, intervals in
 * milliseconds or months, `TIMESTAMP '...'`, `DATE '...'`, `TIME '...'`, `X'...'`.
 *
 * @packageDocumentation
 */
import type { Literal, TimeUnit } from '../sql/ast.js'
import { type DataType, DataTypes } from '../types/data-type.js'
import { intervalFamily, MAX_DECIMAL_PRECISION } from '../types/type-from-syntax.js'
import { fractionDigits, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, parseDate, parseTime, parseTimestamp } from './functions/datetime.js'

/** A literal's runtime value and type, or a message why it is not valid. */
export type LiteralValue = { readonly value: unknown; readonly type: DataType } | string

const INT_MIN = -2147483648n
const INT_MAX = 2147483647n
const LONG_MIN = -9223372036854775808n
const LONG_MAX = 9223372036854775807n

/** The type and value of a numeric literal's text (`negative` when a minus sign was written before it). */
export const numericLiteral = (written: string, kind: 'integer' | 'decimal' | 'approx', negative = false): LiteralValue => {
  const minus = written.startsWith('-')
  const text = minus || written.startsWith('+') ? written.slice(1) : written
  const signed = negative !== minus ? `-${text}` : text
  if (kind === 'approx') {
    const v = Number(signed)
    if (!Number.isFinite(v)) return `Numeric literal '${signed}' is out of range of DOUBLE`
    return { value: v, type: DataTypes.DOUBLE(false) }
  }
  if (kind === 'integer') {
    const n = BigInt(signed)
    if (n >= INT_MIN && n <= INT_MAX) return { value: Number(n), type: DataTypes.INT(false) }
    if (n >= LONG_MIN && n <= LONG_MAX) return { value: Number(n), type: DataTypes.BIGINT(false) }
    const digits = text.replace(/^0+/, '').length
    if (digits > MAX_DECIMAL_PRECISION) return `Numeric literal '${signed}' is out of range`
    return { value: Number(signed), type: DataTypes.DECIMAL(digits, 0, false) }
  }
  const dot = text.indexOf('.')
  const scale = dot < 0 ? 0 : text.length - dot - 1
  const unscaled = text.replace('.', '').replace(/^0+/, '')
  const precision = Math.max(unscaled.length === 0 ? 1 : unscaled.length, scale)
  if (precision > MAX_DECIMAL_PRECISION) return `Numeric literal '${signed}' has more than ${MAX_DECIMAL_PRECISION} digits`
  const v = Number(signed)
  return { value: Object.is(v, -0) ? 0 : v, type: DataTypes.DECIMAL(precision, scale, false) }
}

const UNIT_MS: Partial<Record<TimeUnit, number>> = { DAY: MS_PER_DAY, HOUR: MS_PER_HOUR, MINUTE: MS_PER_MINUTE, SECOND: 1000, WEEK: 7 * MS_PER_DAY, MILLISECOND: 1 }

/** The fields an interval qualifier reads from its text, in order, with their separators. */
const DAY_TIME_FIELDS: readonly TimeUnit[] = ['DAY', 'HOUR', 'MINUTE', 'SECOND']

/**
 * The value of an interval literal: `INTERVAL '10' MINUTE` (600000 ms), `INTERVAL '1 10:30' DAY
 * TO MINUTE`, `INTERVAL '1-6' YEAR TO MONTH` (18 months), `INTERVAL '1.5' SECOND`.
 */
export const intervalLiteral = (text: string, negative: boolean, from: TimeUnit, to?: TimeUnit): LiteralValue => {
  let t = text.trim()
  let sign = negative ? -1 : 1
  if (t.startsWith('-')) {
    sign = -sign
    t = t.slice(1).trim()
  } else if (t.startsWith('+')) t = t.slice(1).trim()
  const qualifier = to === undefined ? from : `${from} TO ${to}`
  const bad = `Illegal interval literal format '${text}' for INTERVAL ${qualifier}`
  // Flink also accepts WEEK, QUARTER and MILLISECOND as single units
  if (to === undefined && (from === 'QUARTER' || from === 'WEEK' || from === 'MILLISECOND')) {
    if (!/^\d+$/.test(t)) return bad
    const n = Number(t)
    if (from === 'QUARTER') return { value: sign * n * 3 + 0, type: DataTypes.INTERVAL_YEAR_MONTH(false) }
    return { value: sign * n * UNIT_MS[from]! + 0, type: DataTypes.INTERVAL_DAY_TIME(false) }
  }
  const family = intervalFamily(from, to)
  if (family === 'YEAR_MONTH') {
    if (to === 'MONTH') {
      const m = /^(\d+)-(\d{1,2})$/.exec(t)
      if (m === null || Number(m[2]) > 11) return bad
      return { value: sign * (Number(m[1]) * 12 + Number(m[2])) + 0, type: DataTypes.INTERVAL_YEAR_MONTH(false) }
    }
    if (!/^\d+$/.test(t)) return bad
    return { value: sign * Number(t) * (from === 'YEAR' ? 12 : 1) + 0, type: DataTypes.INTERVAL_YEAR_MONTH(false) }
  }
  if (family !== 'DAY_TIME') return family
  const first = DAY_TIME_FIELDS.indexOf(from)
  const last = to === undefined ? first : DAY_TIME_FIELDS.indexOf(to)
  // split "d h:m:s.f" into its numbers
  const m = /^(\d+)(?: (\d+))?(?::(\d+))?(?::(\d+))?(?:\.(\d+))?$/.exec(t)
  if (m === null) return bad
  const nums: string[] = [m[1]!, m[2], m[3], m[4]].filter((x): x is string => x !== undefined)
  const frac = m[5]
  const fields = last - first + 1
  if (nums.length !== fields) return bad
  // the separator of the first pair must be a space only when it starts with DAY
  if (fields > 1 && from === 'DAY' && m[2] === undefined) return bad
  if (fields > 1 && from !== 'DAY' && m[2] !== undefined) return bad
  if (frac !== undefined && DAY_TIME_FIELDS[last] !== 'SECOND') return bad
  let ms = 0
  for (let i = 0; i < fields; i++) {
    const unit = DAY_TIME_FIELDS[first + i]!
    const v = Number(nums[i])
    if (i > 0) {
      const limit = unit === 'HOUR' ? 24 : 60
      if (v >= limit) return `${bad}: ${unit} field ${v} is out of range`
    }
    ms += v * UNIT_MS[unit]!
  }
  if (frac !== undefined) ms += Math.floor(Number(`0.${frac}`) * 1000 + 1e-9)
  return { value: sign * ms + 0, type: DataTypes.INTERVAL_DAY_TIME(false) }
}

const hexBytes = (hex: string): Uint8Array | undefined => {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

/**
 * The runtime value and type of a literal, as Flink types them: integers are `INT` (or
 * `BIGINT`, or `DECIMAL(p, 0)` when larger), `1.10` is `DECIMAL(3, 2)`, `1e3` is `DOUBLE`,
 * `'abc'` is `CHAR(3)`, `TIMESTAMP '2020-01-01 00:00:00.000'` is `TIMESTAMP(3)` (the precision of
 * its fraction), all `NOT NULL`; `NULL` has the `NULL` type.
 */
export const literalValue = (lit: Literal, negative = false): LiteralValue => {
  switch (lit.kind) {
    case 'number':
      return numericLiteral(lit.text, lit.numberKind, negative)
    case 'string':
      return { value: lit.value, type: { kind: 'CHAR', length: lit.value.length, nullable: false } }
    case 'boolean':
      return { value: lit.value, type: DataTypes.BOOLEAN(false) }
    case 'null':
      return { value: null, type: DataTypes.NULL() }
    case 'interval':
      return intervalLiteral(lit.text, lit.negative !== negative, lit.from, lit.to)
    case 'timestamp':
    case 'timestamp_ltz': {
      const ms = /^\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,9})?\s*$/.test(lit.text) ? parseTimestamp(lit.text) : undefined
      if (ms === undefined) return `Illegal ${lit.kind === 'timestamp' ? 'TIMESTAMP' : 'TIMESTAMP_LTZ'} literal '${lit.text}': use the format 'yyyy-MM-dd HH:mm:ss[.fffffffff]'`
      const precision = Math.min(fractionDigits(lit.text), 9)
      return { value: ms, type: lit.kind === 'timestamp' ? DataTypes.TIMESTAMP(precision, false) : DataTypes.TIMESTAMP_LTZ(precision, false) }
    }
    case 'date': {
      const d = /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(lit.text) ? parseDate(lit.text) : undefined
      if (d === undefined) return `Illegal DATE literal '${lit.text}': use the format 'yyyy-MM-dd'`
      return { value: d, type: DataTypes.DATE(false) }
    }
    case 'time': {
      const t = /^\s*\d{2}:\d{2}:\d{2}(\.\d{1,9})?\s*$/.test(lit.text) ? parseTime(lit.text) : undefined
      if (t === undefined) return `Illegal TIME literal '${lit.text}': use the format 'HH:mm:ss[.fff]'`
      return { value: t, type: DataTypes.TIME(Math.min(fractionDigits(lit.text), 9), false) }
    }
    case 'binary': {
      const b = hexBytes(lit.hex)
      if (b === undefined) return `Illegal binary literal X'${lit.hex}': it needs an even number of hexadecimal digits`
      return { value: b, type: { kind: 'BINARY', length: b.length, nullable: false } }
    }
  }
}
