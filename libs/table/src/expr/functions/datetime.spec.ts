import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addMonthsToDate,
  ceilTimestamp,
  dayOfWeek,
  daysFromCivil,
  extractFromDate,
  extractFromTimestamp,
  floorTimestamp,
  formatDate,
  formatIntervalDayTime,
  formatIntervalYearMonth,
  formatTime,
  formatTimestamp,
  isoWeek,
  MS_PER_DAY,
  parseDate,
  parseTime,
  parseTimestamp,
  subtractMonths,
  timestampAdd,
  timestampDiff,
} from './datetime.js'
import { dateFormatter, dateParser } from './date-format.js'

const ts = (s: string): number => Date.parse(`${s}Z`)
// instants from year 0001 to 9999
const instant = fc.integer({ min: -62135596800000, max: 253402300799999 })
const day = instant.map((ms) => Math.floor(ms / MS_PER_DAY))

describe('calendar', () => {
  it('agrees with the JavaScript Date on year, month, day, hour, minute, second, weekday', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const d = new Date(ms)
        expect(extractFromTimestamp('YEAR', ms)).toBe(d.getUTCFullYear())
        expect(extractFromTimestamp('MONTH', ms)).toBe(d.getUTCMonth() + 1)
        expect(extractFromTimestamp('DAY', ms)).toBe(d.getUTCDate())
        expect(extractFromTimestamp('HOUR', ms)).toBe(d.getUTCHours())
        expect(extractFromTimestamp('MINUTE', ms)).toBe(d.getUTCMinutes())
        expect(extractFromTimestamp('SECOND', ms)).toBe(d.getUTCSeconds())
        expect(extractFromTimestamp('MILLISECOND', ms)).toBe(d.getUTCMilliseconds())
        expect(extractFromTimestamp('DOW', ms)).toBe(d.getUTCDay() + 1)
        expect(extractFromTimestamp('QUARTER', ms)).toBe(Math.floor(d.getUTCMonth() / 3) + 1)
        expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(Math.floor(ms / MS_PER_DAY))
      }),
    )
  })

  it('counts ISO weeks as a brute-force reference does', () => {
    // reference: the week of the Thursday, counted from the year's first Thursday
    const ref = (days: number): number => {
      const iso = ((dayOfWeek(days) + 5) % 7) + 1
      const thursday = days - iso + 4
      let w = 1
      for (let d = thursday - 7; extractFromDate('YEAR', d) === extractFromDate('YEAR', thursday); d -= 7) w++
      return w
    }
    fc.assert(
      fc.property(day, (d) => {
        expect(isoWeek(d)).toBe(ref(d))
      }),
    )
    expect(isoWeek(daysFromCivil(2021, 1, 3))).toBe(53)
    expect(isoWeek(daysFromCivil(2020, 12, 31))).toBe(53)
    expect(isoWeek(daysFromCivil(2019, 12, 30))).toBe(1)
    expect(extractFromDate('DOY', daysFromCivil(2020, 12, 31))).toBe(366)
  })

  it('floors and ceils to the enclosing boundaries', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom('SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'DECADE', 'CENTURY') as fc.Arbitrary<'YEAR'>, (ms, unit) => {
        const f = floorTimestamp(unit, ms)
        const c = ceilTimestamp(unit, ms)
        expect(f).toBeLessThanOrEqual(ms)
        expect(c).toBeGreaterThanOrEqual(ms)
        expect(floorTimestamp(unit, f)).toBe(f)
        expect(ceilTimestamp(unit, c)).toBe(c)
        if (f === ms) expect(c).toBe(ms)
        else expect(floorTimestamp(unit, c - 1)).toBe(f)
      }),
    )
    expect(formatTimestamp(floorTimestamp('WEEK', ts('2020-04-15T08:05:00')), 0)).toBe('2020-04-12 00:00:00')
    expect(formatTimestamp(floorTimestamp('QUARTER', ts('2020-05-15T08:05:00')), 0)).toBe('2020-04-01 00:00:00')
    expect(formatTimestamp(ceilTimestamp('MONTH', ts('2020-12-15T08:05:00')), 0)).toBe('2021-01-01 00:00:00')
    expect(formatTimestamp(floorTimestamp('DECADE', ts('2029-05-15T08:05:00')), 0)).toBe('2020-01-01 00:00:00')
    expect(formatTimestamp(floorTimestamp('CENTURY', ts('2020-05-15T08:05:00')), 0)).toBe('2001-01-01 00:00:00')
  })

  it('adds months clamping the day, and subtracts months as the inverse', () => {
    expect(formatDate(addMonthsToDate(daysFromCivil(2020, 1, 31), 1))).toBe('2020-02-29')
    expect(formatDate(addMonthsToDate(daysFromCivil(2020, 3, 31), -13))).toBe('2019-02-28')
    expect(formatDate(addMonthsToDate(daysFromCivil(2020, 12, 15), 1))).toBe('2021-01-15')
    fc.assert(
      fc.property(day, fc.integer({ min: -240, max: 240 }), (d, n) => {
        const moved = addMonthsToDate(d, n)
        const dd = extractFromDate('DAY', d)
        if (dd <= 28) expect(subtractMonths(moved * MS_PER_DAY, d * MS_PER_DAY)).toBe(n)
        expect(extractFromDate('DAY', moved)).toBeLessThanOrEqual(dd)
      }),
    )
  })

  it('computes TIMESTAMPADD and TIMESTAMPDIFF as Flink', () => {
    const a = ts('2020-01-31T10:00:00')
    expect(formatTimestamp(timestampAdd('MONTH', 1, a), 0)).toBe('2020-02-29 10:00:00')
    expect(formatTimestamp(timestampAdd('WEEK', 2, a), 0)).toBe('2020-02-14 10:00:00')
    expect(formatTimestamp(timestampAdd('HOUR', -11, a), 0)).toBe('2020-01-30 23:00:00')
    expect(timestampDiff('DAY', ts('2020-01-01T00:00:00'), ts('2020-01-03T23:59:59'))).toBe(2)
    expect(timestampDiff('DAY', ts('2020-01-03T23:59:59'), ts('2020-01-01T00:00:00'))).toBe(-2)
    // the month-end of January to the month-end of February counts as a month, as in Flink
    expect(timestampDiff('MONTH', ts('2020-01-31T10:00:00'), ts('2020-02-29T10:00:00'))).toBe(1)
    expect(timestampDiff('MONTH', ts('2020-01-15T10:00:00'), ts('2020-03-15T10:00:00'))).toBe(2)
    expect(timestampDiff('MONTH', ts('2020-01-15T10:00:00'), ts('2020-03-15T09:59:59'))).toBe(1)
    expect(timestampDiff('YEAR', ts('2019-06-01T00:00:00'), ts('2021-05-31T00:00:00'))).toBe(1)
    expect(timestampDiff('QUARTER', ts('2019-01-01T00:00:00'), ts('2019-12-31T00:00:00'))).toBe(3)
    expect(timestampDiff('SECOND', ts('2019-01-01T00:00:00'), ts('2019-01-01T00:01:01.900'))).toBe(61)
  })
})

describe('formatting and parsing', () => {
  it('formats as Flink prints values', () => {
    const t = ts('2020-04-15T08:05:00')
    expect(formatTimestamp(t, 3)).toBe('2020-04-15 08:05:00.000')
    expect(formatTimestamp(t, 0)).toBe('2020-04-15 08:05:00')
    expect(formatTimestamp(t + 123, 6)).toBe('2020-04-15 08:05:00.123000')
    expect(formatTimestamp(t + 120, 2)).toBe('2020-04-15 08:05:00.12')
    expect(formatTimestamp(ts('1969-12-31T23:59:59.999'), 3)).toBe('1969-12-31 23:59:59.999')
    expect(formatDate(0)).toBe('1970-01-01')
    expect(formatDate(-1)).toBe('1969-12-31')
    expect(formatTime(8 * 3600000 + 5 * 60000, 0)).toBe('08:05:00')
    expect(formatTime(8 * 3600000 + 5 * 60000 + 500, 3)).toBe('08:05:00.5')
    expect(formatTime(8 * 3600000 + 5 * 60000, 3)).toBe('08:05:00.0')
    expect(formatIntervalDayTime(((1 * 24 + 10) * 60 + 30) * 60000)).toBe('+1 10:30:00.000')
    expect(formatIntervalDayTime(-1500)).toBe('-0 00:00:01.500')
    expect(formatIntervalYearMonth(14)).toBe('+1-02')
    expect(formatIntervalYearMonth(-3)).toBe('-0-03')
  })

  it('parses timestamps, dates and times leniently as Flink casts do, and rejects garbage', () => {
    expect(parseTimestamp('2020-04-15 08:05:00')).toBe(ts('2020-04-15T08:05:00'))
    expect(parseTimestamp(' 2020-4-5 8:05:00.1234 ')).toBe(ts('2020-04-05T08:05:00.123'))
    expect(parseTimestamp('2020-04-15T08:05')).toBe(ts('2020-04-15T08:05:00'))
    expect(parseTimestamp('2020-04-15')).toBe(ts('2020-04-15T00:00:00'))
    expect(parseTimestamp('2020-02-30 00:00:00')).toBeUndefined()
    expect(parseTimestamp('2020-04-15 25:00:00')).toBeUndefined()
    expect(parseTimestamp('abc')).toBeUndefined()
    expect(parseTimestamp('2020-04-15 08:05:00 x')).toBeUndefined()
    expect(parseDate('2020-04-15')).toBe(daysFromCivil(2020, 4, 15))
    expect(parseDate('2017-12-12 09:30:00')).toBe(daysFromCivil(2017, 12, 12))
    expect(parseDate('2020-13-01')).toBeUndefined()
    expect(parseTime('08:05:00.5')).toBe(8 * 3600000 + 5 * 60000 + 500)
    expect(parseTime('8:5')).toBe(8 * 3600000 + 5 * 60000)
    expect(parseTime('24:00:00')).toBeUndefined()
  })

  it('round-trips timestamps through format and parse', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect(parseTimestamp(formatTimestamp(ms, 3))).toBe(ms)
      }),
    )
    fc.assert(
      fc.property(day, (d) => {
        expect(parseDate(formatDate(d))).toBe(d)
      }),
    )
  })

  it('formats with Java date patterns', () => {
    const t = ts('2020-04-05T18:07:09.045')
    expect(dateFormatter('yyyy-MM-dd HH:mm:ss')(t)).toBe('2020-04-05 18:07:09')
    expect(dateFormatter('yy/M/d h:mm a')(t)).toBe('20/4/5 6:07 PM')
    expect(dateFormatter("EEE, d MMM yyyy 'at' HH:mm:ss.SSS z")(t)).toBe('Sun, 5 Apr 2020 at 18:07:09.045 UTC')
    expect(dateFormatter('EEEE MMMM D')(t)).toBe('Sunday April 96')
    expect(dateFormatter("yyyyMMdd''HH")(t)).toBe("20200405'18")
    // a doubled quote inside quoted text is one quote, as in Java
    expect(dateFormatter("h 'o''clock' a")(t)).toBe("6 o'clock PM")
    expect(dateParser("h 'o''clock' a")("6 o'clock PM")).toBe(18 * 3_600_000)
    expect(() => dateFormatter("HH 'o''clock")).toThrow("Unterminated quote in date pattern 'HH 'o''clock'")
    expect(() => dateFormatter('yyyy-MM-dd q')).toThrow(/Unknown pattern letter 'q'/)
  })

  it('formats runs of nearby instants as it formats each one alone (the remembered last text)', () => {
    // an independent formatter per pattern, from the JavaScript Date
    const p = (n: number, w: number): string => String(n).padStart(w, '0')
    const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    const h12 = (d: Date): number => d.getUTCHours() % 12 || 12
    const reference: Record<string, (d: Date) => string> = {
      'yyyy-MM-dd': (d) => `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1, 2)}-${p(d.getUTCDate(), 2)}`,
      'HH:mm': (d) => `${p(d.getUTCHours(), 2)}:${p(d.getUTCMinutes(), 2)}`,
      'yyyy-MM-dd HH:mm:ss.SSS': (d) => d.toISOString().slice(0, 23).replace('T', ' '),
      "hh 'o''clock' a": (d) => `${p(h12(d), 2)} o'clock ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`,
      'EEE, d MMM': (d) => `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`,
      ss: (d) => p(d.getUTCSeconds(), 2),
      "'constant'": () => 'constant',
    }
    // a start and steps of up to two hours either way (most far smaller): runs within one
    // second, minute, hour and day, and jumps back and forth across their boundaries
    const step = fc.oneof(fc.integer({ min: -1500, max: 1500 }), fc.integer({ min: -7_200_000, max: 7_200_000 }), fc.constant(0))
    fc.assert(
      fc.property(fc.integer({ min: -30_000_000_000_000, max: 253_402_000_000_000 }), fc.array(step, { maxLength: 40 }), (start, steps) => {
        let ms = start
        for (const s of [0, ...steps]) {
          ms += s
          for (const [pattern, ref] of Object.entries(reference)) expect(dateFormatter(pattern)(ms), `${pattern} of ${new Date(ms).toISOString()}`).toBe(ref(new Date(ms)))
        }
      }),
    )
    // boundaries: the last millisecond of a day, minute, second and the first of the next
    const f = dateFormatter('yyyy-MM-dd HH:mm')
    expect([ts('2020-12-31T23:59:59.999'), ts('2021-01-01T00:00:00.000'), ts('2020-12-31T23:59:59.999')].map(f)).toEqual(['2020-12-31 23:59', '2021-01-01 00:00', '2020-12-31 23:59'])
    expect([-1, 0, -1, -60_000, -60_001].map(dateFormatter('yyyy-MM-dd HH:mm:ss.SSS'))).toEqual([
      '1969-12-31 23:59:59.999',
      '1970-01-01 00:00:00.000',
      '1969-12-31 23:59:59.999',
      '1969-12-31 23:59:00.000',
      '1969-12-31 23:58:59.999',
    ])
  })

  it('parses with Java date patterns and round-trips with the formatter', () => {
    expect(dateParser('yyyy-MM-dd HH:mm:ss')('2020-04-05 18:07:09')).toBe(ts('2020-04-05T18:07:09'))
    expect(dateParser('yyyyMMddHHmmss')('20200405180709')).toBe(ts('2020-04-05T18:07:09'))
    expect(dateParser('dd/MMM/yyyy:HH:mm:ss')('05/Apr/2020:18:07:09')).toBe(ts('2020-04-05T18:07:09'))
    expect(dateParser('yyyy-MM-dd')('2020-4-5')).toBe(ts('2020-04-05T00:00:00'))
    expect(dateParser('yyyy-MM-dd HH:mm:ss.SSS')('2020-04-05 18:07:09.045')).toBe(ts('2020-04-05T18:07:09.045'))
    expect(dateParser('yyyy-MM-dd')('2020-04-05 10:00')).toBeUndefined()
    expect(dateParser('yyyy-MM-dd')('2020-02-30')).toBeUndefined()
    const patterns = ['yyyy-MM-dd HH:mm:ss.SSS', 'yyyyMMddHHmmssSSS', "dd.MM.yyyy'T'HH:mm:ss.SSS", 'yyyy/MM/dd hh:mm:ss.SSS a']
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), fc.constantFrom(...patterns), (ms, p) => {
        expect(dateParser(p)(dateFormatter(p)(ms))).toBe(ms)
      }),
    )
  })
})
