import { DuckDBDecimalValue, DuckDBTimestampValue } from '@duckdb/node-api'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataTypes as T } from '../types/data-type.js'
import { approxEqual, columnKindOf, compareRows, decimalText, normalizeDuck, normalizeStrom, type Cell, type NormRow } from './compare.js'

const exact = (token: string): Cell => ({ token })
const approx = (v: number): Cell => ({ token: String(v), approx: v })

describe('decimalText', () => {
  it.each([
    [250n, 2, '2.5'],
    [-250n, 2, '-2.5'],
    [5n, 2, '0.05'],
    [-5n, 3, '-0.005'],
    [300n, 2, '3'],
    [0n, 6, '0'],
    [12n, 0, '12'],
    [7n, -2, '700'],
  ])('%s at scale %s is %s', (v, s, text) => {
    expect(decimalText(v, s)).toBe(text)
  })

  it('gives equal text for equal rationals at any scale', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), (v, s, extra) => {
        expect(decimalText(v * 10n ** BigInt(extra), s + extra)).toBe(decimalText(v, s))
      }),
    )
  })
})

describe('normalization', () => {
  const dec2 = columnKindOf(T.DECIMAL(10, 2))
  const dec6 = columnKindOf(T.DECIMAL(38, 6))

  it("reads Strom's DECIMAL numbers at their scale, tolerating double noise", () => {
    expect(normalizeStrom(3.3000000000000003, dec2).token).toBe('3.3')
    expect(normalizeStrom(-0.07, dec2).token).toBe('-0.07')
    expect(normalizeStrom(2.255, dec2).token).toContain('not at scale 2')
  })

  it("compares DuckDB's decimals exactly whatever their scale", () => {
    expect(normalizeDuck(new DuckDBDecimalValue(3300n, 18, 3), dec2).token).toBe('3.3')
    expect(normalizeDuck(new DuckDBDecimalValue(33001n, 18, 4), dec2).token).toBe('3.3001')
  })

  it("rounds DuckDB's doubles half away from zero for a DECIMAL column (its AVG of a DECIMAL)", () => {
    expect(normalizeDuck(1.3333333333333333, dec6).token).toBe('1.333333')
    expect(normalizeDuck(0.125, dec2).token).toBe('0.13')
    expect(normalizeDuck(-0.125, dec2).token).toBe('-0.13')
    expect(normalizeDuck(2.5, dec2).token).toBe('2.5')
  })

  it('reads timestamps as milliseconds and integers exactly', () => {
    const ts = columnKindOf(T.TIMESTAMP(3))
    expect(normalizeDuck(new DuckDBTimestampValue(1_577_836_801_500_000n), ts).token).toBe('2020-01-01 00:00:01.500')
    expect(normalizeStrom(1_577_836_801_500, ts).token).toBe('2020-01-01 00:00:01.500')
    expect(normalizeDuck(new DuckDBTimestampValue(1_577_836_801_500_001n), ts).token).toContain('microseconds')
    expect(normalizeDuck(12n, columnKindOf(T.BIGINT())).token).toBe('12')
    expect(normalizeDuck(3.5, columnKindOf(T.INT())).token).toBe('3.5')
  })

  it('keeps NULL, empty strings and booleans apart', () => {
    const str = columnKindOf(T.STRING())
    expect(normalizeStrom(null, str).token).toBe('NULL')
    expect(normalizeStrom('', str).token).toBe('""')
    expect(normalizeDuck('NULL', str).token).toBe('"NULL"')
    expect(normalizeDuck(false, columnKindOf(T.BOOLEAN())).token).toBe('FALSE')
  })
})

describe('compareRows', () => {
  const rowArb: fc.Arbitrary<NormRow> = fc.tuple(fc.constantFrom('1', '2', 'NULL').map(exact), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(approx))

  it('ignores the order of rows', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 20 }).chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }))), ([rows, shuffled]) => {
        expect(compareRows(rows, shuffled).equal).toBe(true)
      }),
    )
  })

  it('counts duplicates (a multiset, not a set)', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { minLength: 1, maxLength: 20 }), fc.nat(), (rows, i) => {
        const extra = rows[i % rows.length]!
        const diff = compareRows([...rows, extra], rows)
        expect(diff.equal).toBe(false)
        expect(diff.onlyLeft).toEqual([extra])
        expect(diff.onlyRight).toEqual([])
      }),
    )
  })

  it('matches doubles within the tolerance only', () => {
    expect(compareRows([[exact('1'), approx(0.1 + 0.2)]], [[exact('1'), approx(0.3)]]).equal).toBe(true)
    expect(compareRows([[exact('1'), approx(1e12 + 1e-4)]], [[exact('1'), approx(1e12)]]).equal).toBe(true)
    expect(compareRows([[exact('1'), approx(0.3001)]], [[exact('1'), approx(0.3)]]).equal).toBe(false)
    expect(compareRows([[exact('1'), approx(0.3)]], [[exact('2'), approx(0.3)]]).equal).toBe(false)
    expect(approxEqual(Number.NaN, Number.NaN)).toBe(true)
    expect(approxEqual(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)).toBe(false)
  })

  it('never matches a double with an exact value of the same text', () => {
    expect(compareRows([[approx(1)]], [[exact('1')]]).equal).toBe(false)
  })
})
