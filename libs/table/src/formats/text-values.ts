/**
 * Text forms of SQL values shared by the formats: dates, times, timestamps, numbers and bytes as
 * Flink's CSV and JSON formats read and write them.
 *
 * @remarks
 * The parsers are on the per-record path: they scan the string by character codes, allocate
 * nothing, and return `NaN` (or `undefined`) for text they do not accept, so the caller can
 * report the column involved. Dates are days since 1970-01-01, times milliseconds of the day,
 * timestamps milliseconds since the epoch of a UTC wall clock (see `data-type.ts`). Fractions of
 * a second beyond milliseconds are read and dropped (truncated).
 *
 * @packageDocumentation
 */

import { civilDay, civilMonth, civilYear, daysFromCivil, lastDayOfMonth, toCivil } from '../expr/functions/datetime.js'

const MS_PER_DAY = 86_400_000

/** Days since 1970-01-01 of a proleptic Gregorian date (the calendar of the expression layer). */
export { daysFromCivil }

// --- scanning -----------------------------------------------------------------------------

/** Where the last scan stopped (an index into the scanned string). */
let cursor = 0

/** Reads `min` to `max` decimal digits at `cursor`; NaN when fewer than `min`. */
const digits = (s: string, min: number, max: number): number => {
  let v = 0
  let n = 0
  while (n < max && cursor < s.length) {
    const c = s.charCodeAt(cursor)
    if (c < 48 || c > 57) break
    v = v * 10 + (c - 48)
    cursor++
    n++
  }
  return n < min ? Number.NaN : v
}

const expect = (s: string, code: number): boolean => {
  if (cursor < s.length && s.charCodeAt(cursor) === code) {
    cursor++
    return true
  }
  return false
}

/** Reads a date `yyyy-M-d` (month and day with one or two digits) at `cursor`; NaN when invalid. */
const scanDate = (s: string): number => {
  let sign = 1
  if (expect(s, 45 /* - */)) sign = -1
  const y = digits(s, 4, 9)
  if (Number.isNaN(y) || !expect(s, 45)) return Number.NaN
  const m = digits(s, 1, 2)
  if (Number.isNaN(m) || !expect(s, 45)) return Number.NaN
  const d = digits(s, 1, 2)
  if (Number.isNaN(d)) return Number.NaN
  const year = sign * y
  if (m < 1 || m > 12 || d < 1 || d > lastDayOfMonth(year, m)) return Number.NaN
  return daysFromCivil(year, m, d)
}

/** Reads a time `H:mm[:ss[.fffffffff]]` at `cursor` as ms of the day; NaN when invalid. */
const scanTime = (s: string): number => {
  const h = digits(s, 1, 2)
  if (Number.isNaN(h) || h > 23 || !expect(s, 58 /* : */)) return Number.NaN
  const mi = digits(s, 2, 2)
  if (Number.isNaN(mi) || mi > 59) return Number.NaN
  let sec = 0
  let ms = 0
  if (expect(s, 58)) {
    sec = digits(s, 2, 2)
    if (Number.isNaN(sec) || sec > 59) return Number.NaN
    if (expect(s, 46 /* . */)) {
      const start = cursor
      const f = digits(s, 1, 9)
      if (Number.isNaN(f)) return Number.NaN
      const n = cursor - start
      // the first three digits are the milliseconds
      ms = n >= 3 ? Math.floor(f / 10 ** (n - 3)) : f * 10 ** (3 - n)
    }
  }
  return ((h * 60 + mi) * 60 + sec) * 1000 + ms
}

/** A date `yyyy-MM-dd` as days since 1970-01-01, or NaN. */
export const parseDate = (s: string): number => {
  cursor = 0
  const days = scanDate(s)
  return cursor === s.length ? days : Number.NaN
}

/** A time `HH:mm[:ss[.fff]]` as milliseconds of the day, or NaN. */
export const parseTime = (s: string): number => {
  cursor = 0
  const t = scanTime(s)
  return cursor === s.length ? t : Number.NaN
}

/** Which separators between date and time {@link parseTimestamp} accepts. */
export type TimestampSeparator = 'space' | 'T' | 'either'

/**
 * A timestamp `yyyy-MM-dd HH:mm[:ss[.fff]]` (or with `T`) as milliseconds since the epoch of a UTC
 * wall clock, or NaN.
 *
 * @param separator - the separators accepted between the date and the time
 * @param zone - `'none'`: no zone may follow; `'utc'`: a `Z` may follow (and means UTC);
 * `'required-utc'`: a `Z` must follow
 */
export const parseTimestamp = (s: string, separator: TimestampSeparator, zone: 'none' | 'utc' | 'required-utc'): number => {
  cursor = 0
  const days = scanDate(s)
  if (Number.isNaN(days) || cursor >= s.length) return Number.NaN
  const c = s.charCodeAt(cursor)
  const ok = c === 32 ? separator !== 'T' : c === 84 /* T */ ? separator !== 'space' : false
  if (!ok) return Number.NaN
  cursor++
  const t = scanTime(s)
  if (Number.isNaN(t)) return Number.NaN
  if (zone !== 'none' && cursor < s.length && s.charCodeAt(cursor) === 90 /* Z */) cursor++
  else if (zone === 'required-utc') return Number.NaN
  return cursor === s.length ? days * MS_PER_DAY + t : Number.NaN
}

// --- formatting ---------------------------------------------------------------------------

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n))
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n))
const padYear = (y: number): string => {
  if (y >= 0 && y <= 9999) return y < 10 ? `000${y}` : y < 100 ? `00${y}` : y < 1000 ? `0${y}` : String(y)
  return y < 0 ? `-${padYear(-y)}` : `+${y}`
}

/** Days since 1970-01-01 as `yyyy-MM-dd`. */
export const formatDate = (days: number): string => {
  toCivil(days)
  return `${padYear(civilYear())}-${pad2(civilMonth())}-${pad2(civilDay())}`
}

/**
 * How many fraction digits a formatted time shows: `'minimal'` as many as needed (none for
 * whole seconds, `.5` for 500 ms: Flink's CSV and JSON output), or a fixed count (a type's
 * precision, as `CAST(... AS STRING)` prints, padded with zeros past the milliseconds).
 */
export type FractionDigits = 'minimal' | number

const fraction = (ms: number, digitsWanted: FractionDigits): string => {
  if (digitsWanted === 'minimal') {
    if (ms === 0) return ''
    if (ms % 100 === 0) return `.${ms / 100}`
    if (ms % 10 === 0) return `.${pad2(ms / 10)}`
    return `.${pad3(ms)}`
  }
  if (digitsWanted <= 0) return ''
  const three = pad3(ms)
  return digitsWanted <= 3 ? `.${three.slice(0, digitsWanted)}` : `.${three}${'0'.repeat(Math.min(9, digitsWanted) - 3)}`
}

/** Milliseconds of the day as `HH:mm:ss[.fff]`. */
export const formatTime = (msOfDay: number, digitsWanted: FractionDigits = 'minimal'): string => {
  const ms = ((msOfDay % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY
  const s = Math.floor(ms / 1000)
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${fraction(ms % 1000, digitsWanted)}`
}

/** The `minimal` fraction of each millisecond count (`''`, `.5`, `.05`, `.005`, ...). */
const MINIMAL_FRACTIONS: readonly string[] = Array.from({ length: 1000 }, (_, ms) => fraction(ms, 'minimal'))

// the text up to the seconds of the last second formatted: rows come roughly in time order, so
// consecutive timestamps mostly share it (single-threaded; one per worker)
let lastSecond = Number.NaN
let lastSeparator = ''
let lastSecondText = ''

/**
 * Milliseconds since the epoch as `yyyy-MM-dd HH:mm:ss[.fff]` (UTC), with `separator` between date and time.
 *
 * @remarks
 * The text up to the seconds is remembered for the last second formatted, so a run of
 * timestamps within one second costs a table lookup and one concatenation each.
 */
export const formatTimestamp = (epochMs: number, separator: ' ' | 'T' = ' ', digitsWanted: FractionDigits = 'minimal'): string => {
  const second = Math.floor(epochMs / 1000)
  const ms = epochMs - second * 1000
  // false for NaN, infinities and fractions of a millisecond: those take the general path
  if (Number.isInteger(ms)) {
    if (second !== lastSecond || separator !== lastSeparator) {
      const base = second * 1000
      const d = Math.floor(base / MS_PER_DAY)
      lastSecondText = `${formatDate(d)}${separator}${formatTime(base - d * MS_PER_DAY, 0)}`
      lastSecond = second
      lastSeparator = separator
    }
    if (digitsWanted !== 'minimal') return lastSecondText + fraction(ms, digitsWanted)
    return ms === 0 ? lastSecondText : lastSecondText + MINIMAL_FRACTIONS[ms]!
  }
  const days = Math.floor(epochMs / MS_PER_DAY)
  return `${formatDate(days)}${separator}${formatTime(epochMs - days * MS_PER_DAY, digitsWanted)}`
}

// --- numbers ------------------------------------------------------------------------------

/** The ranges of the integer types. */
export const INTEGER_RANGES = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-2147483648, 2147483647],
  /** Java's long range; values beyond 2^53 lose precision as JavaScript numbers. */
  BIGINT: [-9223372036854775808, 9223372036854775807],
} as const

/** A decimal integer (`+12`, `-3`, surrounding spaces allowed) within `[min, max]`, or NaN. */
export const parseInteger = (s: string, min: number, max: number): number => {
  let i = 0
  let end = s.length
  while (i < end && s.charCodeAt(i) === 32) i++
  while (end > i && s.charCodeAt(end - 1) === 32) end--
  let j = i
  const c0 = s.charCodeAt(j)
  if (c0 === 43 || c0 === 45) j++
  if (j >= end) return Number.NaN
  for (let k = j; k < end; k++) {
    const c = s.charCodeAt(k)
    if (c < 48 || c > 57) return Number.NaN
  }
  const v = Number(i === 0 && end === s.length ? s : s.slice(i, end))
  return v >= min && v <= max ? v : Number.NaN
}

const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** A floating-point number as Java's `Double.parseDouble` reads it (`1.5`, `-2e3`, `NaN`, `Infinity`), or undefined. */
export const parseFloatText = (text: string): number | undefined => {
  const s = text.trim()
  if (FLOAT_TEXT.test(s)) return Number(s)
  switch (s) {
    case 'NaN':
      return Number.NaN
    case 'Infinity':
    case '+Infinity':
      return Number.POSITIVE_INFINITY
    case '-Infinity':
      return Number.NEGATIVE_INFINITY
    default:
      return undefined
  }
}

/**
 * `value` rounded to `scale` digits after the point, half away from zero (Java's `HALF_UP`), or
 * undefined when it has more than `precision - scale` digits before the point (it does not fit
 * `DECIMAL(precision, scale)`).
 *
 * @remarks
 * Rounds the decimal text of the number, not its binary value, so `1.005` rounds to `1.01`.
 */
export const roundDecimal = (value: number, precision: number, scale: number): number | undefined => {
  if (!Number.isFinite(value)) return undefined
  const abs = Math.abs(value)
  const text = String(abs)
  const scaled = text.includes('e') ? Math.round(abs * 10 ** scale) : Math.round(Number(`${text}e${scale}`))
  const rounded = scaled < 1e21 ? Number(`${scaled}e-${scale}`) : scaled / 10 ** scale
  if (rounded >= 10 ** (precision - scale)) return undefined
  return value < 0 && rounded !== 0 ? -rounded : rounded
}

/** A decimal with exactly `scale` digits after the point (`1.50` for `DECIMAL(p, 2)`), as Java's `BigDecimal.toPlainString`. */
export const formatDecimal = (value: number, scale: number): string => (Math.abs(value) < 1e21 ? value.toFixed(scale) : String(value))

/** A `FLOAT`/`DOUBLE` as text: `NaN`, `Infinity`, `-Infinity` or JavaScript's shortest round-trip form. */
export const formatFloat = (value: number): string => String(value)

// --- bytes --------------------------------------------------------------------------------

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/

/** Base64 text as a fresh `Uint8Array` (never a view of a shared pool), or undefined when it is not base64. */
export const parseBase64 = (s: string): Uint8Array | undefined => {
  if (s.length % 4 !== 0 || !BASE64_TEXT.test(s)) return undefined
  return new Uint8Array(Buffer.from(s, 'base64'))
}

/** Bytes as base64 text. */
export const formatBase64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
