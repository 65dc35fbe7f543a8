import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  daysFromCivil,
  formatDate,
  formatDecimal,
  formatTime,
  formatTimestamp,
  parseBase64,
  parseDate,
  parseFloatText,
  parseInteger,
  parseTime,
  parseTimestamp,
  roundDecimal,
} from './text-values.js'

const DAY = 86_400_000

describe('dates', () => {
  it('agree with the JavaScript Date for every day of years 1..9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1, 1, 1), max: daysFromCivil(9999, 12, 31) }), (days) => {
        const iso = new Date(days * DAY).toISOString().slice(0, 10)
        expect(formatDate(days)).toBe(iso)
        expect(parseDate(iso)).toBe(days)
      }),
    )
  })

  it('reads one-digit months and days, and rejects impossible dates', () => {
    expect(parseDate('2020-4-5')).toBe(daysFromCivil(2020, 4, 5))
    expect(parseDate('1970-01-01')).toBe(0)
    for (const bad of ['2021-02-29', '2020-13-01', '2020-00-10', '2020-01-32', '20-01-01', '2020/01/01', '2020-01-01 ', '', 'x'])
      expect(parseDate(bad), bad).toBeNaN()
    expect(parseDate('2020-02-29')).toBe(daysFromCivil(2020, 2, 29))
  })
})

describe('times and timestamps', () => {
  it('format and parse back every millisecond of the day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: DAY - 1 }), (ms) => {
        expect(parseTime(formatTime(ms))).toBe(ms)
      }),
    )
  })

  it('write the fraction as Flink does: minimal, or padded to a precision', () => {
    expect(formatTime(8 * 3_600_000 + 5 * 60_000)).toBe('08:05:00')
    expect(formatTime(500)).toBe('00:00:00.5')
    expect(formatTime(120)).toBe('00:00:00.12')
    expect(formatTime(7)).toBe('00:00:00.007')
    expect(formatTime(7, 3)).toBe('00:00:00.007')
    expect(formatTime(7, 0)).toBe('00:00:00')
    expect(formatTime(7, 6)).toBe('00:00:00.007000')
    expect(formatTimestamp(Date.UTC(2020, 3, 15, 8, 5), ' ', 3)).toBe('2020-04-15 08:05:00.000')
    expect(formatTimestamp(Date.UTC(2020, 3, 15, 8, 5, 1, 250), 'T')).toBe('2020-04-15T08:05:01.25')
  })

  it('read timestamps with the accepted separators and zones only', () => {
    const t = Date.UTC(2020, 3, 15, 8, 5, 1, 123)
    expect(parseTimestamp('2020-04-15 08:05:01.123', 'space', 'none')).toBe(t)
    expect(parseTimestamp('2020-04-15 08:05:01.123456789', 'space', 'none')).toBe(t)
    expect(parseTimestamp('2020-04-15T08:05:01.123', 'T', 'none')).toBe(t)
    expect(parseTimestamp('2020-04-15T08:05:01.123', 'space', 'none')).toBeNaN()
    expect(parseTimestamp('2020-04-15 08:05:01.123', 'T', 'none')).toBeNaN()
    expect(parseTimestamp('2020-04-15T08:05:01.123Z', 'either', 'utc')).toBe(t)
    expect(parseTimestamp('2020-04-15T08:05:01.123', 'either', 'utc')).toBe(t)
    expect(parseTimestamp('2020-04-15T08:05:01.123', 'either', 'required-utc')).toBeNaN()
    expect(parseTimestamp('2020-04-15T08:05:01.123Z', 'either', 'none')).toBeNaN()
    expect(parseTimestamp('2020-04-15 08:05', 'space', 'none')).toBe(Date.UTC(2020, 3, 15, 8, 5))
    for (const bad of ['2020-04-15', '2020-04-15 24:00:00', '2020-04-15 08:60:00', '2020-04-15 08:05:61', '2020-04-15 8:5', '2020-04-15 08:05:00.'])
      expect(parseTimestamp(bad, 'either', 'utc'), bad).toBeNaN()
  })

  it('round-trip every timestamp of years 1..9999 in both standards', () => {
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1, 1, 1) * DAY, max: (daysFromCivil(9999, 12, 31) + 1) * DAY - 1 }), (ms) => {
        expect(parseTimestamp(formatTimestamp(ms, ' '), 'space', 'none')).toBe(ms)
        expect(parseTimestamp(`${formatTimestamp(ms, 'T')}Z`, 'T', 'required-utc')).toBe(ms)
      }),
    )
  })

  it('format runs of nearby timestamps as the JavaScript Date does (the remembered last second)', () => {
    // independently: the ISO text, its fraction minimal or cut or padded to the digits wanted
    const reference = (ms: number, separator: ' ' | 'T', digits: 'minimal' | number): string => {
      const iso = new Date(ms).toISOString()
      const base = `${iso.slice(0, 10)}${separator}${iso.slice(11, 19)}`
      const frac = iso.slice(20, 23)
      if (digits === 'minimal') return frac === '000' ? base : `${base}.${frac.replace(/0+$/, '')}`
      if (digits <= 0) return base
      return digits <= 3 ? `${base}.${frac.slice(0, digits)}` : `${base}.${frac}${'0'.repeat(digits - 3)}`
    }
    const step = fc.oneof(fc.integer({ min: -1200, max: 1200 }), fc.integer({ min: -DAY, max: DAY }), fc.constant(0))
    const form = fc.tuple(fc.constantFrom<' ' | 'T'>(' ', 'T'), fc.constantFrom<'minimal' | number>('minimal', 'minimal', 0, 1, 3, 6))
    fc.assert(
      fc.property(fc.integer({ min: daysFromCivil(1, 1, 2) * DAY, max: daysFromCivil(9999, 12, 30) * DAY }), fc.array(fc.tuple(step, form), { maxLength: 30 }), (start, steps) => {
        let ms = start
        for (const [s, [separator, digits]] of steps) {
          ms += s
          expect(formatTimestamp(ms, separator, digits), `${ms} ${separator} ${digits}`).toBe(reference(ms, separator, digits))
        }
      }),
    )
    expect([999, 1000, 999, -1, 0, -1000, -1001].map((ms) => formatTimestamp(ms))).toEqual([
      '1970-01-01 00:00:00.999',
      '1970-01-01 00:00:01',
      '1970-01-01 00:00:00.999',
      '1969-12-31 23:59:59.999',
      '1970-01-01 00:00:00',
      '1969-12-31 23:59:59',
      '1969-12-31 23:59:58.999',
    ])
    expect([formatTimestamp(60_000, ' '), formatTimestamp(60_000, 'T'), formatTimestamp(60_001, ' ')]).toEqual(['1970-01-01 00:01:00', '1970-01-01T00:01:00', '1970-01-01 00:01:00.001'])
  })
})

describe('numbers', () => {
  it('reads integers within a range only', () => {
    expect(parseInteger(' 42 ', 0, 100)).toBe(42)
    expect(parseInteger('+7', -10, 10)).toBe(7)
    expect(parseInteger('-128', -128, 127)).toBe(-128)
    for (const bad of ['128', '1.0', '1e3', '', '-', 'abc', '0x10']) expect(parseInteger(bad, -128, 127), bad).toBeNaN()
  })

  it("reads floats as Java's Double.parseDouble", () => {
    expect(parseFloatText('1.5')).toBe(1.5)
    expect(parseFloatText(' -2e3 ')).toBe(-2000)
    expect(parseFloatText('.5')).toBe(0.5)
    expect(parseFloatText('NaN')).toBeNaN()
    expect(parseFloatText('-Infinity')).toBe(Number.NEGATIVE_INFINITY)
    for (const bad of ['', 'abc', '1.5.5', '0x10', 'Infinityx']) expect(parseFloatText(bad), bad).toBeUndefined()
  })

  it('rounds decimals half away from zero on their decimal text, and rejects overflow', () => {
    expect(roundDecimal(1.005, 10, 2)).toBe(1.01)
    expect(roundDecimal(-1.005, 10, 2)).toBe(-1.01)
    expect(roundDecimal(2.5, 10, 0)).toBe(3)
    expect(roundDecimal(-2.5, 10, 0)).toBe(-3)
    expect(roundDecimal(123.456, 5, 2)).toBe(123.46)
    expect(roundDecimal(999.995, 5, 2)).toBeUndefined()
    expect(roundDecimal(1e-7, 10, 2)).toBe(0)
    expect(roundDecimal(Number.NaN, 10, 2)).toBeUndefined()
    expect(formatDecimal(1.5, 2)).toBe('1.50')
    expect(formatDecimal(-3, 0)).toBe('-3')
  })

  it('keeps decimals that already have the scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(10 ** 10) + 1, max: 10 ** 10 - 1 }), fc.integer({ min: 0, max: 4 }), (n, scale) => {
        const v = Number(`${n}e-${scale}`)
        expect(roundDecimal(v, 10 + scale, scale)).toBe(v === 0 ? 0 : v)
        expect(roundDecimal(Number(formatDecimal(v, scale)), 10 + scale, scale)).toBe(v === 0 ? 0 : v)
      }),
    )
  })
})

describe('base64', () => {
  it('reads only base64 text, into fresh arrays', () => {
    expect(parseBase64('AQID')).toEqual(new Uint8Array([1, 2, 3]))
    expect(parseBase64('')).toEqual(new Uint8Array([]))
    const b = parseBase64('AQID')!
    expect(b.buffer.byteLength).toBe(3)
    for (const bad of ['AQI', 'AQ*D', 'A===']) expect(parseBase64(bad), bad).toBeUndefined()
  })
})
