import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { doubleToInt, formatDecimal, formatDouble, formatFloat, parseNumber, roundHalfUp, toDecimal, wrapTinyint } from './numbers.js'

/** Java's BigDecimal.valueOf(x).setScale(scale, HALF_UP), computed exactly on the shortest decimal of x. */
const referenceRound = (x: number, scale: number): number => {
  const [mant, e] = x.toExponential().split('e') as [string, string]
  const negative = mant.startsWith('-')
  const digits = mant.replace('-', '').replace('.', '')
  const exp = Number(e) - (digits.length - 1)
  let m = BigInt(digits)
  const shift = exp + scale
  let q: bigint
  if (shift >= 0) q = m * 10n ** BigInt(shift)
  else {
    const d = 10n ** BigInt(-shift)
    q = m / d
    if ((m % d) * 2n >= d) q += 1n
  }
  m = q
  const v = Number(`${m}e-${scale}`)
  return negative && v !== 0 ? -v : v
}

describe('numbers', () => {
  it('rounds half up as BigDecimal.valueOf(x).setScale(s, HALF_UP)', () => {
    expect(roundHalfUp(1.005, 2)).toBe(1.01)
    expect(roundHalfUp(2.675, 2)).toBe(2.68)
    expect(roundHalfUp(-2.5, 0)).toBe(-3)
    expect(roundHalfUp(0.1 + 0.2, 1)).toBe(0.3)
    expect(roundHalfUp(15, -1)).toBe(20)
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, s) => {
        expect(roundHalfUp(x, s)).toBe(referenceRound(x, s))
      }),
    )
    // decimals written with few digits, as DECIMAL values are
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), (n, inScale, s) => {
        const x = n / 10 ** inScale
        expect(roundHalfUp(x, s)).toBe(referenceRound(x, s))
      }),
    )
  })

  it('gives NULL when a DECIMAL does not fit its precision', () => {
    expect(toDecimal(99.994, 4, 2)).toBe(99.99)
    expect(toDecimal(99.995, 4, 2)).toBeNull()
    expect(toDecimal(-100, 4, 2)).toBeNull()
    expect(toDecimal(Infinity, 10, 0)).toBeNull()
  })

  it("prints doubles as Java's Double.toString", () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [100, '100.0'],
      [1.5, '1.5'],
      [-1.5, '-1.5'],
      [1e7, '1.0E7'],
      [12345678, '1.2345678E7'],
      [9999999, '9999999.0'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [1e10, '1.0E10'],
      [1.2345e-7, '1.2345E-7'],
      [123456.789, '123456.789'],
      [0, '0.0'],
      [-0, '-0.0'],
      [NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [Number.MAX_VALUE, '1.7976931348623157E308'],
    ]
    for (const [d, s] of cases) expect(formatDouble(d)).toBe(s)
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (d) => {
        expect(Number(formatDouble(d).replace('E', 'e'))).toBe(d)
      }),
    )
  })

  it("prints floats as Java's Float.toString", () => {
    expect(formatFloat(Math.fround(0.1))).toBe('0.1')
    expect(formatFloat(Math.fround(1.1))).toBe('1.1')
    expect(formatFloat(Math.fround(3.4028235e38))).toBe('3.4028235E38')
    expect(formatFloat(Math.fround(1e10))).toBe('1.0E10')
    expect(formatFloat(16777217)).toBe('1.6777216E7')
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        expect(Math.fround(Number(formatFloat(f).replace('E', 'e')))).toBe(Object.is(f, -0) ? -0 : f)
      }),
    )
  })

  it('prints decimals with their scale', () => {
    expect(formatDecimal(1.5, 2)).toBe('1.50')
    expect(formatDecimal(-0.05, 2)).toBe('-0.05')
    expect(formatDecimal(100, 0)).toBe('100')
    expect(formatDecimal(-0, 1)).toBe('0.0')
    expect(formatDecimal(1e22, 2)).toBe('10000000000000000000000.00')
  })

  it('narrows as Java casts do', () => {
    expect(wrapTinyint(200)).toBe(-56)
    expect(doubleToInt(3.9)).toBe(3)
    expect(doubleToInt(-3.9)).toBe(-3)
    expect(doubleToInt(1e20)).toBe(2147483647)
    expect(doubleToInt(NaN)).toBe(0)
  })

  it('parses numbers as Java does, after trimming', () => {
    expect(parseNumber(' 1.5 ')).toBe(1.5)
    expect(parseNumber('-.5e3')).toBe(-500)
    expect(parseNumber('1.5d')).toBe(1.5)
    expect(parseNumber('1,5')).toBeUndefined()
    expect(parseNumber('')).toBeUndefined()
    expect(parseNumber('0x10')).toBeUndefined()
    expect(parseNumber('NaN')).toBeNaN()
  })
})
