/**
 * Java date-time patterns (`yyyy-MM-dd HH:mm:ss`, as `SimpleDateFormat` and `DateTimeFormatter`
 * read them) compiled into formatters and parsers of epoch milliseconds in UTC, for
 * `DATE_FORMAT`, `TO_TIMESTAMP`, `TO_DATE`, `UNIX_TIMESTAMP` and `FROM_UNIXTIME`.
 *
 * @remarks
 * Supported letters: `G y Y M L d D E u a H k K h m s S w z Z X x` and quoted text (`'T'`,
 * `''`). `S` is the fraction of the second (`SSS` = milliseconds), as `DateTimeFormatter`.
 * Compiled patterns are cached by text, so a pattern given per record is compiled once.
 *
 * @packageDocumentation
 */
import {
  dayOfMonthOfDays,
  dayOfYear,
  daysFromCivil,
  floorMod,
  isoWeek,
  lastDayOfMonth,
  monthOfDays,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  yearOfDays,
} from './datetime.js'

type Token = { readonly letter: string; readonly count: number } | { readonly literal: string }

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']
const LETTERS = new Set('GyYMLdDEuaHkKhmsSwzZXx'.split(''))

/** A pattern that cannot be compiled. */
export class DatePatternError extends Error {}

const tokenize = (pattern: string): Token[] => {
  const out: Token[] = []
  let lit = ''
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i]!
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        lit += "'"
        i += 2
        continue
      }
      // quoted text, where a doubled quote is one quote: 'o''clock' is o'clock
      let j = i + 1
      for (;;) {
        if (j >= pattern.length) throw new DatePatternError(`Unterminated quote in date pattern '${pattern}'`)
        if (pattern[j] === "'") {
          if (pattern[j + 1] !== "'") break
          lit += "'"
          j += 2
          continue
        }
        lit += pattern[j]
        j++
      }
      i = j + 1
      continue
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (!LETTERS.has(c)) throw new DatePatternError(`Unknown pattern letter '${c}' in date pattern '${pattern}'`)
      let n = 1
      while (pattern[i + n] === c) n++
      if (lit !== '') {
        out.push({ literal: lit })
        lit = ''
      }
      out.push({ letter: c, count: n })
      i += n
      continue
    }
    lit += c
    i++
  }
  if (lit !== '') out.push({ literal: lit })
  return out
}

const pad = (n: number, width: number): string => {
  const s = String(Math.abs(n))
  const p = s.length >= width ? s : '0'.repeat(width - s.length) + s
  return n < 0 ? `-${p}` : p
}

/** Formats epoch milliseconds (UTC wall clock). */
export type DateFormatter = (ms: number) => string
/** Parses a string into epoch milliseconds (UTC wall clock), `undefined` when it does not match. */
export type DateParser = (s: string) => number | undefined

const formatToken = (t: Token, ms: number): string => {
  if ('literal' in t) return t.literal
  const days = Math.floor(ms / MS_PER_DAY)
  const tod = ms - days * MS_PER_DAY
  const n = t.count
  switch (t.letter) {
    case 'G':
      return yearOfDays(days) > 0 ? 'AD' : 'BC'
    case 'y':
    case 'Y': {
      const y = yearOfDays(days)
      return n === 2 ? pad(floorMod(y, 100), 2) : pad(y, n)
    }
    case 'M':
    case 'L': {
      const m = monthOfDays(days)
      return n >= 4 ? MONTHS[m - 1]! : n === 3 ? MONTHS[m - 1]!.slice(0, 3) : pad(m, n)
    }
    case 'd':
      return pad(dayOfMonthOfDays(days), n)
    case 'D':
      return pad(dayOfYear(days), n)
    case 'E': {
      const name = DAYS[floorMod(days + 3, 7)]!
      return n >= 4 ? name : name.slice(0, 3)
    }
    case 'u':
      return pad(floorMod(days + 3, 7) + 1, n)
    case 'w':
      return pad(isoWeek(days), n)
    case 'a':
      return tod < 12 * MS_PER_HOUR ? 'AM' : 'PM'
    case 'H':
      return pad(Math.floor(tod / MS_PER_HOUR), n)
    case 'k': {
      const h = Math.floor(tod / MS_PER_HOUR)
      return pad(h === 0 ? 24 : h, n)
    }
    case 'K':
      return pad(Math.floor(tod / MS_PER_HOUR) % 12, n)
    case 'h': {
      const h = Math.floor(tod / MS_PER_HOUR) % 12
      return pad(h === 0 ? 12 : h, n)
    }
    case 'm':
      return pad(Math.floor((tod % MS_PER_HOUR) / MS_PER_MINUTE), n)
    case 's':
      return pad(Math.floor((tod % MS_PER_MINUTE) / 1000), n)
    case 'S': {
      const frac = pad(tod % 1000, 3)
      return n <= 3 ? frac.slice(0, n) : frac + '0'.repeat(n - 3)
    }
    case 'z':
      return 'UTC'
    case 'Z':
      return '+0000'
    case 'X':
      return 'Z'
    case 'x':
      return n === 1 ? '+00' : n === 2 || n === 4 ? '+0000' : '+00:00'
    default:
      return ''
  }
}

const formatters = new Map<string, DateFormatter>()
const parsers = new Map<string, DateParser>()

const remember = <T>(cache: Map<string, T>, key: string, value: T): T => {
  if (cache.size > 256) cache.clear()
  cache.set(key, value)
  return value
}

/**
 * The length (ms) of the periods a token's text is constant over: its text is the same for all
 * instants `t` with the same `Math.floor(t / unit)` (UTC has no offsets, so minutes, hours and
 * days start at multiples of their length).
 */
const unitOf = (t: Token): number => {
  if ('literal' in t) return MS_PER_DAY
  switch (t.letter) {
    case 'S':
      return 1
    case 's':
      return 1000
    case 'm':
      return MS_PER_MINUTE
    case 'H':
    case 'k':
    case 'K':
    case 'h':
    case 'a':
      return MS_PER_HOUR
    default:
      // dates, week days, eras, and the constant zone letters
      return MS_PER_DAY
  }
}

/**
 * A formatter for a Java date-time pattern (cached by pattern).
 *
 * @remarks
 * The formatter remembers its last text with the period of the pattern's finest field (the
 * minute for `HH:mm`, the day for `yyyy-MM-dd`): instants within that period (consecutive
 * records, mostly) get the same string without formatting it again.
 *
 * @throws DatePatternError for an unknown letter or an unterminated quote.
 */
export const dateFormatter = (pattern: string): DateFormatter => {
  const cached = formatters.get(pattern)
  if (cached !== undefined) return cached
  const tokens = tokenize(pattern)
  const unit = tokens.reduce((u, t) => Math.min(u, unitOf(t)), MS_PER_DAY)
  let lastPeriod = Number.NaN
  let lastText = ''
  const fmt: DateFormatter = (ms) => {
    const period = Math.floor(ms / unit)
    // a fraction of a millisecond is formatted as it is, never from the remembered text
    if (period === lastPeriod && Number.isInteger(ms)) return lastText
    let out = ''
    for (let i = 0; i < tokens.length; i++) out += formatToken(tokens[i]!, ms)
    if (Number.isInteger(ms)) {
      lastPeriod = period
      lastText = out
    }
    return out
  }
  return remember(formatters, pattern, fmt)
}

const isNumericToken = (t: Token | undefined): boolean =>
  t !== undefined && 'letter' in t && !(t.letter === 'M' && t.count >= 3) && !(t.letter === 'L' && t.count >= 3) && t.letter !== 'E' && t.letter !== 'a' && t.letter !== 'G' && t.letter !== 'z' && t.letter !== 'Z' && t.letter !== 'X' && t.letter !== 'x'

const matchName = (s: string, i: number, names: readonly string[], short: boolean): [number, number] | undefined => {
  for (let k = 0; k < names.length; k++) {
    const name = short ? names[k]!.slice(0, 3) : names[k]!
    if (s.substr(i, name.length).toLowerCase() === name.toLowerCase()) return [k, i + name.length]
  }
  // accept either form
  if (!short) return matchName(s, i, names, true)
  return undefined
}

/**
 * A parser for a Java date-time pattern (cached by pattern): fields missing from the pattern
 * default to 1970-01-01 00:00:00.000, numbers may have fewer digits than the pattern letters
 * unless two numeric fields touch (`yyyyMMdd`), and the whole string must match.
 *
 * @throws DatePatternError for an unknown letter or an unterminated quote.
 */
export const dateParser = (pattern: string): DateParser => {
  const cached = parsers.get(pattern)
  if (cached !== undefined) return cached
  const tokens = tokenize(pattern)
  const parse: DateParser = (s) => {
    let i = 0
    let year = 1970
    let month = 1
    let day = 1
    let doy = -1
    let hour = 0
    let minute = 0
    let second = 0
    let millis = 0
    let pm = -1
    let hour12 = -1
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k]!
      if ('literal' in t) {
        if (s.startsWith(t.literal, i)) {
          i += t.literal.length
          continue
        }
        // spaces are lenient
        if (t.literal.trim() === '' && i < s.length && s.charCodeAt(i) <= 32) {
          while (i < s.length && s.charCodeAt(i) <= 32) i++
          continue
        }
        return undefined
      }
      const L = t.letter
      if (L === 'M' || L === 'L') {
        if (t.count >= 3) {
          const m = matchName(s, i, MONTHS, t.count === 3)
          if (m === undefined) return undefined
          month = m[0] + 1
          i = m[1]
          continue
        }
      }
      if (L === 'E') {
        const m = matchName(s, i, DAYS, t.count <= 3)
        if (m === undefined) return undefined
        i = m[1]
        continue
      }
      if (L === 'a') {
        const u = s.substr(i, 2).toUpperCase()
        if (u !== 'AM' && u !== 'PM') return undefined
        pm = u === 'PM' ? 1 : 0
        i += 2
        continue
      }
      if (L === 'G') {
        const u = s.substr(i, 2).toUpperCase()
        if (u !== 'AD' && u !== 'BC') return undefined
        i += 2
        continue
      }
      if (L === 'z' || L === 'Z' || L === 'X' || L === 'x') {
        // only UTC is supported: accept its spellings
        const m = /^(UTC|GMT|Z|[+-]00:?00|[+-]00)/.exec(s.slice(i))
        if (m === null) return undefined
        i += m[0].length
        continue
      }
      // numbers
      const fixed = isNumericToken(tokens[k + 1]) || L === 'S'
      const max = fixed ? (L === 'y' && t.count === 2 ? 2 : L === 'S' ? Math.min(t.count, 9) : Math.max(t.count, L === 'y' || L === 'Y' ? 4 : 2)) : 9
      let v = 0
      let nd = 0
      let neg = false
      if ((L === 'y' || L === 'Y') && s[i] === '-') {
        neg = true
        i++
      }
      while (nd < max && i < s.length) {
        const c = s.charCodeAt(i)
        if (c < 48 || c > 57) break
        v = v * 10 + (c - 48)
        i++
        nd++
      }
      if (nd === 0) return undefined
      if (neg) v = -v
      switch (L) {
        case 'y':
        case 'Y':
          year = t.count === 2 && nd <= 2 ? 2000 + v : v
          break
        case 'M':
        case 'L':
          month = v
          break
        case 'd':
          day = v
          break
        case 'D':
          doy = v
          break
        case 'H':
          hour = v
          break
        case 'k':
          hour = v === 24 ? 0 : v
          break
        case 'K':
        case 'h':
          hour12 = L === 'h' && v === 12 ? 0 : v
          break
        case 'm':
          minute = v
          break
        case 's':
          second = v
          break
        case 'S':
          millis = Math.floor(v * 10 ** (3 - nd))
          break
        default:
          break
      }
    }
    if (i !== s.length) return undefined
    if (hour12 >= 0) hour = hour12 + (pm === 1 ? 12 : 0)
    else if (pm === 1 && hour < 12) hour += 12
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined
    let days: number
    if (doy > 0) days = daysFromCivil(year, 1, 1) + doy - 1
    else {
      if (day < 1 || day > lastDayOfMonth(year, month)) return undefined
      days = daysFromCivil(year, month, day)
    }
    return days * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000 + millis
  }
  return remember(parsers, pattern, parse)
}
