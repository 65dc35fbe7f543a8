/**
 * Calendar arithmetic on the runtime values of `DATE` (days since 1970-01-01), `TIME`
 * (milliseconds of the day) and `TIMESTAMP`/`TIMESTAMP_LTZ` (milliseconds since the epoch), in
 * the proleptic Gregorian calendar, as Flink's `DateTimeUtils`.
 *
 * @remarks
 * The session time zone is UTC: a `TIMESTAMP_LTZ` shows the same wall clock as the `TIMESTAMP`
 * with the same milliseconds. Per-record code: no allocation except the strings produced.
 * Unlike Flink (which truncates toward zero), instants before 1970 are handled with floor
 * division, so their fields are correct.
 *
 * @packageDocumentation
 */
import type { TimeUnit } from '../../sql/ast.js'

/** Milliseconds per second. */
export const MS_PER_SECOND = 1000
/** Milliseconds per minute. */
export const MS_PER_MINUTE = 60000
/** Milliseconds per hour. */
export const MS_PER_HOUR = 3600000
/** Milliseconds per day. */
export const MS_PER_DAY = 86400000

/** `Math.floor(a / b)` for integers. */
export const floorDiv = (a: number, b: number): number => Math.floor(a / b)
/** The non-negative remainder of `a / b` for `b > 0`. */
export const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b

/** Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`). */
export const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const mp = (m + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

// scratch fields of the last civil conversion (single-threaded; read right after the call)
let cY = 1970
let cM = 1
let cD = 1

/** Converts days since the epoch into year, month, day, read right after with {@link civilYear}, {@link civilMonth}, {@link civilDay} (no allocation). */
export const toCivil = (days: number): void => {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  cD = doy - Math.floor((153 * mp + 2) / 5) + 1
  cM = mp < 10 ? mp + 3 : mp - 9
  cY = yoe + era * 400 + (cM <= 2 ? 1 : 0)
}

/** The year of the last {@link toCivil}. */
export const civilYear = (): number => cY
/** The month (1-12) of the last {@link toCivil}. */
export const civilMonth = (): number => cM
/** The day of the month of the last {@link toCivil}. */
export const civilDay = (): number => cD

/** The year of a date (days since the epoch). */
export const yearOfDays = (days: number): number => {
  toCivil(days)
  return cY
}
/** The month (1-12) of a date. */
export const monthOfDays = (days: number): number => {
  toCivil(days)
  return cM
}
/** The day of the month (1-31) of a date. */
export const dayOfMonthOfDays = (days: number): number => {
  toCivil(days)
  return cD
}

/** Whether `y` is a leap year. */
export const isLeapYear = (y: number): boolean => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)

/** The number of days of month `m` (1-12) in year `y`. */
export const lastDayOfMonth = (y: number, m: number): number => (m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31)

/** The date of an instant (days since the epoch). */
export const dateOfMillis = (ms: number): number => Math.floor(ms / MS_PER_DAY)
/** The time of day of an instant (milliseconds). */
export const timeOfMillis = (ms: number): number => floorMod(ms, MS_PER_DAY)

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`)
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`)
const pad4 = (n: number): string => (n < 0 ? `-${pad4(-n)}` : n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : `${n}`)

/** A `DATE` as `yyyy-MM-dd`. */
export const formatDate = (days: number): string => {
  toCivil(days)
  return `${pad4(cY)}-${pad2(cM)}-${pad2(cD)}`
}

const hms = (t: number): string => {
  const h = Math.floor(t / MS_PER_HOUR)
  const m = Math.floor((t % MS_PER_HOUR) / MS_PER_MINUTE)
  const s = Math.floor((t % MS_PER_MINUTE) / MS_PER_SECOND)
  return `${pad2(h)}:${pad2(m)}:${pad2(s)}`
}

/**
 * A `TIME(p)` as Flink's `CAST(... AS STRING)` prints it: `HH:mm:ss`, and for `p > 0` the
 * fraction up to `p` digits without trailing zeros but at least one (`08:05:00.5`, `08:05:00.0`),
 * as `DateTimeUtils.formatTimestampMillis`.
 */
export const formatTime = (ms: number, precision: number): string => {
  const t = floorMod(ms, MS_PER_DAY)
  const base = hms(t)
  if (precision <= 0) return base
  let frac = t % 1000
  let out = `${base}.`
  let p = precision
  while (p > 0) {
    out += String(Math.floor(frac / 100))
    frac = (frac % 100) * 10
    if (frac === 0) break
    p--
  }
  return out
}

/**
 * A `TIMESTAMP(p)` (or a `TIMESTAMP_LTZ(p)` in UTC) as Flink prints it: `yyyy-MM-dd HH:mm:ss`
 * and, for `p > 0`, the fraction padded with zeros to `p` digits (`2020-04-15 08:05:00.000`).
 */
export const formatTimestamp = (ms: number, precision: number): string => {
  const days = Math.floor(ms / MS_PER_DAY)
  const t = ms - days * MS_PER_DAY
  const millis = t % 1000
  const base = `${formatDate(days)} ${hms(t)}`
  if (precision <= 0) {
    if (millis === 0) return base
    // a value finer than its type: show its digits, as Flink does
    let f = pad3(millis)
    while (f.endsWith('0')) f = f.slice(0, -1)
    return `${base}.${f}`
  }
  let frac = pad3(millis)
  if (precision < 3) {
    while (frac.length > precision && frac.endsWith('0')) frac = frac.slice(0, -1)
  } else if (precision > 3) frac += '0'.repeat(precision - 3)
  return `${base}.${frac}`
}

/** A day-time interval as Flink prints it: `+1 10:30:00.000`, `-0 00:00:01.500`. */
export const formatIntervalDayTime = (ms: number): string => {
  const sign = ms < 0 ? '-' : '+'
  let v = Math.abs(ms)
  const millis = v % 1000
  v = Math.floor(v / 1000)
  const s = v % 60
  v = Math.floor(v / 60)
  const m = v % 60
  v = Math.floor(v / 60)
  const h = v % 24
  const d = Math.floor(v / 24)
  return `${sign}${d} ${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(millis)}`
}

/** A year-month interval as Flink prints it: `+1-02`. */
export const formatIntervalYearMonth = (months: number): string => {
  const sign = months < 0 ? '-' : '+'
  const v = Math.abs(months)
  return `${sign}${Math.floor(v / 12)}-${pad2(v % 12)}`
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

// a tiny cursor parser over one string, reused (no allocation)
let pS = ''
let pI = 0

const isDigit = (c: number): boolean => c >= 48 && c <= 57

/** Reads 1..max digits at the cursor; -1 if there is none. */
const digits = (max: number): number => {
  let n = 0
  let k = 0
  while (k < max && pI < pS.length) {
    const c = pS.charCodeAt(pI)
    if (!isDigit(c)) break
    n = n * 10 + (c - 48)
    pI++
    k++
  }
  return k === 0 ? -1 : n
}

const skipSpaces = (): void => {
  while (pI < pS.length && pS.charCodeAt(pI) <= 32) pI++
}

const expect = (ch: number): boolean => {
  if (pI < pS.length && pS.charCodeAt(pI) === ch) {
    pI++
    return true
  }
  return false
}

const validDate = (y: number, m: number, d: number): boolean => y >= 0 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= lastDayOfMonth(y, m)

/** Reads `yyyy-M-d` at the cursor; the days or `undefined`. */
const readDate = (): number | undefined => {
  const y = digits(9)
  if (y < 0 || !expect(45)) return undefined
  const m = digits(2)
  if (m < 0 || !expect(45)) return undefined
  const d = digits(2)
  if (d < 0 || !validDate(y, m, d)) return undefined
  return daysFromCivil(y, m, d)
}

/** Reads `H:m[:s[.fffffffff]]` at the cursor; milliseconds of the day or `undefined` (fraction beyond ms truncated). */
const readTime = (requireSeconds: boolean): number | undefined => {
  const h = digits(2)
  if (h < 0 || h > 23 || !expect(58)) return undefined
  const m = digits(2)
  if (m < 0 || m > 59) return undefined
  let s = 0
  let ms = 0
  if (expect(58)) {
    s = digits(2)
    if (s < 0 || s > 59) return undefined
    if (expect(46)) {
      let mult = 100
      let k = 0
      while (pI < pS.length && isDigit(pS.charCodeAt(pI)) && k < 9) {
        ms += mult * (pS.charCodeAt(pI) - 48)
        mult /= 10
        pI++
        k++
      }
      ms = Math.floor(ms)
      if (k === 0) return undefined
    }
  } else if (requireSeconds) return undefined
  return h * MS_PER_HOUR + m * MS_PER_MINUTE + s * MS_PER_SECOND + ms
}

/**
 * Parses a timestamp as Flink's `CAST(... AS TIMESTAMP)` and `TO_TIMESTAMP(s)`:
 * `yyyy-M-d[( |T)H:m[:s[.fraction]]]` with surrounding spaces; `undefined` when invalid.
 * Digits beyond milliseconds are truncated.
 */
export const parseTimestamp = (s: string): number | undefined => {
  pS = s
  pI = 0
  skipSpaces()
  const days = readDate()
  if (days === undefined) return undefined
  let t = 0
  if (pI < pS.length && (pS.charCodeAt(pI) === 32 || pS.charCodeAt(pI) === 84)) {
    const save = pI
    pI++
    skipSpaces()
    if (pI < pS.length) {
      const time = readTime(false)
      if (time === undefined) return undefined
      t = time
    } else pI = save
  }
  skipSpaces()
  return pI === pS.length ? days * MS_PER_DAY + t : undefined
}

/** Parses a date as Flink's `CAST(... AS DATE)`: `yyyy-M-d` (a time part after a space is ignored); `undefined` when invalid. */
export const parseDate = (s: string): number | undefined => {
  pS = s
  pI = 0
  skipSpaces()
  const days = readDate()
  if (days === undefined) return undefined
  if (pI < pS.length && pS.charCodeAt(pI) === 32) {
    // "2017-12-12 09:30:00" is accepted as a date, as Flink does
    return days
  }
  skipSpaces()
  return pI === pS.length ? days : undefined
}

/** Parses a time as Flink's `CAST(... AS TIME)`: `H:m[:s[.fraction]]`; `undefined` when invalid. */
export const parseTime = (s: string): number | undefined => {
  pS = s
  pI = 0
  skipSpaces()
  const t = readTime(false)
  if (t === undefined) return undefined
  skipSpaces()
  return pI === pS.length ? t : undefined
}

/** The number of digits after the point in a time or timestamp literal's text (its precision). */
export const fractionDigits = (s: string): number => {
  const dot = s.lastIndexOf('.')
  if (dot < 0 || s.indexOf(':') < 0 || dot < s.lastIndexOf(':')) return 0
  let k = 0
  for (let i = dot + 1; i < s.length && isDigit(s.charCodeAt(i)); i++) k++
  return k
}

// ---------------------------------------------------------------------------------------------
// EXTRACT, FLOOR/CEIL, TIMESTAMPADD/DIFF
// ---------------------------------------------------------------------------------------------

/** Day of week, 1 = Sunday ... 7 = Saturday (SQL's `DAYOFWEEK`, `EXTRACT(DOW ...)`). */
export const dayOfWeek = (days: number): number => floorMod(days + 4, 7) + 1

/** Day of week, 1 = Monday ... 7 = Sunday (ISO). */
const isoDayOfWeek = (days: number): number => floorMod(days + 3, 7) + 1

/** The ISO-8601 week number (1-53) of a date (SQL's `WEEK`, `EXTRACT(WEEK ...)`). */
export const isoWeek = (days: number): number => {
  // the Thursday of this ISO week decides the year
  const thursday = days - isoDayOfWeek(days) + 4
  const y = yearOfDays(thursday)
  const jan1 = daysFromCivil(y, 1, 1)
  return Math.floor((thursday - jan1) / 7) + 1
}

/** The day of the year (1-366). */
export const dayOfYear = (days: number): number => {
  const y = yearOfDays(days)
  return days - daysFromCivil(y, 1, 1) + 1
}

/**
 * `EXTRACT(unit FROM date)` for a `DATE` (days), as Flink: `YEAR`, `QUARTER`, `MONTH`, `WEEK`
 * (ISO), `DAY`, `DOW` (1 = Sunday), `DOY`, `DECADE`, `CENTURY`, `MILLENNIUM`, `EPOCH` (seconds);
 * time-of-day units give 0.
 */
export const extractFromDate = (unit: TimeUnit, days: number): number => {
  switch (unit) {
    case 'EPOCH':
      return days * 86400
    case 'YEAR':
      return yearOfDays(days)
    case 'QUARTER':
      return Math.floor((monthOfDays(days) + 2) / 3)
    case 'MONTH':
      return monthOfDays(days)
    case 'DAY':
      return dayOfMonthOfDays(days)
    case 'DOW':
      return dayOfWeek(days)
    case 'DOY':
      return dayOfYear(days)
    case 'WEEK':
      return isoWeek(days)
    case 'DECADE':
      return Math.floor(yearOfDays(days) / 10)
    case 'CENTURY': {
      const y = yearOfDays(days)
      return y > 0 ? Math.floor((y + 99) / 100) : Math.ceil((y - 99) / 100)
    }
    case 'MILLENNIUM': {
      const y = yearOfDays(days)
      return y > 0 ? Math.floor((y + 999) / 1000) : Math.ceil((y - 999) / 1000)
    }
    default:
      return 0
  }
}

/**
 * `EXTRACT(unit FROM ts)` for a `TIMESTAMP` (milliseconds): the date units as
 * {@link extractFromDate}, `HOUR`, `MINUTE`, `SECOND`, `MILLISECOND` (0-999, as Flink),
 * `MICROSECOND`, `NANOSECOND` (of the second), `EPOCH` (seconds).
 */
export const extractFromTimestamp = (unit: TimeUnit, ms: number): number => {
  const t = floorMod(ms, MS_PER_DAY)
  switch (unit) {
    case 'EPOCH':
      return Math.floor(ms / 1000)
    case 'HOUR':
      return Math.floor(t / MS_PER_HOUR)
    case 'MINUTE':
      return Math.floor((t % MS_PER_HOUR) / MS_PER_MINUTE)
    case 'SECOND':
      return Math.floor((t % MS_PER_MINUTE) / MS_PER_SECOND)
    case 'MILLISECOND':
      return t % 1000
    case 'MICROSECOND':
      return (t % 1000) * 1000
    case 'NANOSECOND':
      return (t % 1000) * 1000000
    default:
      return extractFromDate(unit, Math.floor(ms / MS_PER_DAY))
  }
}

/** `EXTRACT(unit FROM time)` for a `TIME` (milliseconds of the day). */
export const extractFromTime = (unit: TimeUnit, ms: number): number => extractFromTimestamp(unit, floorMod(ms, MS_PER_DAY))

const floorDays = (unit: TimeUnit, days: number, floor: boolean): number => {
  toCivil(days)
  let y = cY
  let m = cM
  const d = cD
  switch (unit) {
    case 'MILLENNIUM':
      return floor ? daysFromCivil(1000 * Math.floor((y + 999) / 1000) - 999, 1, 1) : daysFromCivil(1000 * Math.floor((y + 999) / 1000) + 1, 1, 1)
    case 'CENTURY':
      return floor ? daysFromCivil(100 * Math.floor((y + 99) / 100) - 99, 1, 1) : daysFromCivil(100 * Math.floor((y + 99) / 100) + 1, 1, 1)
    case 'DECADE':
      return floor ? daysFromCivil(10 * Math.floor(y / 10), 1, 1) : daysFromCivil(10 * (1 + Math.floor(y / 10)), 1, 1)
    case 'YEAR':
      if (!floor && (m > 1 || d > 1)) y += 1
      return daysFromCivil(y, 1, 1)
    case 'QUARTER': {
      let q = Math.floor((m + 2) / 3)
      if (!floor && (m > 1 || d > 1)) q += 1
      if (q > 4) return daysFromCivil(y + 1, 1, 1)
      return daysFromCivil(y, q * 3 - 2, 1)
    }
    case 'MONTH':
      if (!floor && d > 1) m += 1
      if (m > 12) return daysFromCivil(y + 1, 1, 1)
      return daysFromCivil(y, m, 1)
    case 'WEEK': {
      // weeks start on Sunday, as Flink's julianDateFloor
      let offset = floorMod(days + 4, 7)
      if (!floor && offset > 0) offset -= 7
      return days - offset
    }
    default:
      return floor ? days : days + 1
  }
}

/** `FLOOR(date TO unit)` for a `DATE`. */
export const floorDate = (unit: TimeUnit, days: number): number => floorDays(unit, days, true)

const unitMillis = (unit: TimeUnit): number | undefined => {
  switch (unit) {
    case 'MILLISECOND':
      return 1
    case 'SECOND':
      return MS_PER_SECOND
    case 'MINUTE':
      return MS_PER_MINUTE
    case 'HOUR':
      return MS_PER_HOUR
    case 'DAY':
      return MS_PER_DAY
    default:
      return undefined
  }
}

/** The months a calendar unit spans (`YEAR` 12, ...), 0 for `WEEK`. */
const unitMonths = (unit: TimeUnit): number => {
  switch (unit) {
    case 'MONTH':
      return 1
    case 'QUARTER':
      return 3
    case 'YEAR':
      return 12
    case 'DECADE':
      return 120
    case 'CENTURY':
      return 1200
    case 'MILLENNIUM':
      return 12000
    default:
      return 0
  }
}

/** `CEIL(date TO unit)` for a `DATE`: the first boundary at or after the date. */
export const ceilDate = (unit: TimeUnit, days: number): number => {
  if (unitMillis(unit) !== undefined) return days
  const f = floorDays(unit, days, true)
  if (f === days) return days
  return unit === 'WEEK' ? f + 7 : addMonthsToDate(f, unitMonths(unit))
}

/** `FLOOR(ts TO unit)` for a timestamp (milliseconds). */
export const floorTimestamp = (unit: TimeUnit, ms: number): number => {
  const u = unitMillis(unit)
  if (u !== undefined) return Math.floor(ms / u) * u
  return floorDays(unit, Math.floor(ms / MS_PER_DAY), true) * MS_PER_DAY
}

/** `CEIL(ts TO unit)` for a timestamp: the first boundary at or after it. */
export const ceilTimestamp = (unit: TimeUnit, ms: number): number => {
  const u = unitMillis(unit)
  if (u !== undefined) return Math.ceil(ms / u) * u
  const f = floorTimestamp(unit, ms)
  if (f === ms) return ms
  return unit === 'WEEK' ? f + 7 * MS_PER_DAY : addMonthsToTimestamp(f, unitMonths(unit))
}

/** `FLOOR(time TO unit)` for a `TIME`. */
export const floorTime = (unit: TimeUnit, ms: number): number => {
  const u = unitMillis(unit)
  return u === undefined ? ms : Math.floor(ms / u) * u
}

/** `CEIL(time TO unit)` for a `TIME`. */
export const ceilTime = (unit: TimeUnit, ms: number): number => {
  const u = unitMillis(unit)
  return u === undefined ? ms : Math.ceil(ms / u) * u
}

/** A date plus `n` months, the day clamped to the month's last day (as Flink's `addMonths`). */
export const addMonthsToDate = (days: number, n: number): number => {
  toCivil(days)
  let m0 = cM + n
  const y0 = cY + Math.floor((m0 - 1) / 12)
  m0 = floorMod(m0 - 1, 12) + 1
  const d0 = Math.min(cD, lastDayOfMonth(y0, m0))
  return daysFromCivil(y0, m0, d0)
}

/** A timestamp plus `n` months (the time of day kept, the day clamped). */
export const addMonthsToTimestamp = (ms: number, n: number): number => {
  const t = floorMod(ms, MS_PER_DAY)
  return addMonthsToDate(Math.floor(ms / MS_PER_DAY), n) * MS_PER_DAY + t
}

/** Whole months from date `d1` to date `d0` (negative when `d0 < d1`), as Flink's `subtractMonths`. */
const subtractMonthsDays = (d0: number, d1: number): number => {
  if (d0 < d1) return -subtractMonthsDays(d1, d0)
  let m = Math.floor((d0 - d1) / 31)
  for (;;) {
    if (addMonthsToDate(d1, m) >= d0) return m
    if (addMonthsToDate(d1, m + 1) > d0) return m
    m++
  }
}

/** Whole months between two timestamps (`t0 - t1`), as Flink's `subtractMonths(long, long)`. */
export const subtractMonths = (t0: number, t1: number): number => {
  const millis0 = floorMod(t0, MS_PER_DAY)
  const d0 = Math.floor(t0 / MS_PER_DAY)
  const millis1 = floorMod(t1, MS_PER_DAY)
  const d1 = Math.floor(t1 / MS_PER_DAY)
  let x = subtractMonthsDays(d0, d1)
  const d2 = addMonthsToDate(d1, x)
  if (d2 === d0 && millis0 < millis1) --x
  return x
}

/** `TIMESTAMPADD(unit, n, ts)` on milliseconds. */
export const timestampAdd = (unit: TimeUnit, n: number, ms: number): number => {
  switch (unit) {
    case 'YEAR':
      return addMonthsToTimestamp(ms, n * 12)
    case 'QUARTER':
      return addMonthsToTimestamp(ms, n * 3)
    case 'MONTH':
      return addMonthsToTimestamp(ms, n)
    case 'WEEK':
      return ms + n * 7 * MS_PER_DAY
    case 'MICROSECOND':
      return ms + Math.trunc(n / 1000)
    case 'NANOSECOND':
      return ms + Math.trunc(n / 1000000)
    default:
      return ms + n * (unitMillis(unit) ?? 0)
  }
}

/** `TIMESTAMPDIFF(unit, a, b)` on milliseconds: whole units from `a` to `b`, truncated toward zero. */
export const timestampDiff = (unit: TimeUnit, a: number, b: number): number => {
  switch (unit) {
    case 'YEAR':
      return Math.trunc(subtractMonths(b, a) / 12)
    case 'QUARTER':
      return Math.trunc(subtractMonths(b, a) / 3)
    case 'MONTH':
      return subtractMonths(b, a)
    case 'WEEK':
      return Math.trunc((b - a) / (7 * MS_PER_DAY))
    case 'MICROSECOND':
      return (b - a) * 1000
    case 'NANOSECOND':
      return (b - a) * 1000000
    default:
      return Math.trunc((b - a) / (unitMillis(unit) ?? 1))
  }
}
