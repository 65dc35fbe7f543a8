import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RowKind } from '../data/row.js'
import { SqlRuntimeError } from '../errors.js'
import { type DataType, DataTypes as T } from '../types/data-type.js'
import { formatRow, formatValue, fromExternal, toExternal } from './format-value.js'

const ts = Date.UTC(2020, 3, 15, 8, 5, 0)

describe('formatValue', () => {
  it('prints as the SQL client does (tableau)', () => {
    const cases: [unknown, DataType, string][] = [
      [ts, T.TIMESTAMP(3), '2020-04-15 08:05:00.000'],
      [ts + 5, T.TIMESTAMP_LTZ(3), '2020-04-15 08:05:00.005'],
      [ts, T.TIMESTAMP(0), '2020-04-15 08:05:00'],
      [ts, T.TIMESTAMP(6), '2020-04-15 08:05:00.000000'],
      [18367, T.DATE(), '2020-04-15'],
      [29100000, T.TIME(0), '08:05:00'],
      [1.5, T.DECIMAL(10, 2), '1.50'],
      [1e10, T.DOUBLE(), '1.0E10'],
      [1, T.DOUBLE(), '1.0'],
      [Math.fround(0.1), T.FLOAT(), '0.1'],
      [42, T.BIGINT(), '42'],
      [true, T.BOOLEAN(), 'TRUE'],
      [null, T.INT(), '<NULL>'],
      ['a b', T.STRING(), 'a b'],
      [new Uint8Array([10, 255]), T.BYTES(), "x'0aff'"],
      [[1, null, 2], T.ARRAY(T.INT()), '[1, NULL, 2]'],
      [new Map([['a', 1]]), T.MAP(T.STRING(), T.INT()), '{a=1}'],
      [[1, 'a', [ts]], T.ROW([{ name: 'x', type: T.INT() }, { name: 'y', type: T.STRING() }, { name: 'z', type: T.ARRAY(T.TIMESTAMP(3)) }]), '(1, a, [2020-04-15 08:05:00.000])'],
      [90061001, T.INTERVAL_DAY_TIME(), '+1 01:01:01.001'],
      [14, T.INTERVAL_YEAR_MONTH(), '+1-02'],
    ]
    for (const [v, t, s] of cases) expect(formatValue(v, t)).toBe(s)
  })

  it('has a row style with lower-case booleans and null', () => {
    expect(formatValue(null, T.INT(), 'row')).toBe('null')
    expect(formatValue(true, T.BOOLEAN(), 'row')).toBe('true')
    expect(formatValue([null], T.ARRAY(T.INT()), 'row')).toBe('[null]')
    expect(formatValue(new Uint8Array([104, 105]), T.BYTES(), 'cast')).toBe('hi')
  })

  it('formats rows as Row.toString', () => {
    const types = [T.INT(), T.STRING(), T.TIMESTAMP(3), T.BOOLEAN(), T.DECIMAL(5, 2)]
    expect(formatRow({ kind: RowKind.INSERT, fields: [1, 'a', ts, null, 2] }, types)).toBe('+I[1, a, 2020-04-15 08:05:00.000, null, 2.00]')
    expect(formatRow({ kind: RowKind.UPDATE_BEFORE, fields: [1, 'a', ts, true, 2] }, types)).toBe('-U[1, a, 2020-04-15 08:05:00.000, true, 2.00]')
    expect(formatRow({ kind: RowKind.DELETE, fields: [] }, [])).toBe('-D[]')
  })
})

describe('external values', () => {
  const rowType = T.ROW([
    { name: 'id', type: T.BIGINT() },
    { name: 'at', type: T.TIMESTAMP(3) },
    { name: 'day', type: T.DATE() },
    { name: 'tags', type: T.ARRAY(T.STRING()) },
    { name: 'attrs', type: T.MAP(T.STRING(), T.DECIMAL(5, 2)) },
    { name: 'inner', type: T.ROW([{ name: 'x', type: T.TIME(3) }]) },
  ])

  it('converts to friendly shapes and back', () => {
    const internal = [7, ts, 18367, ['a', null], new Map([['k', 1.25]]), [29100500]]
    const external = toExternal(internal, rowType)
    expect(external).toEqual({ id: 7, at: new Date(ts), day: '2020-04-15', tags: ['a', null], attrs: new Map([['k', 1.25]]), inner: { x: '08:05:00.500' } })
    expect(fromExternal(external, rowType)).toEqual(internal)
  })

  it('round-trips values of every type', () => {
    const types: [DataType, fc.Arbitrary<unknown>][] = [
      [T.TIMESTAMP(3), fc.integer({ min: 0, max: 253402300799999 })],
      [T.TIMESTAMP_LTZ(3), fc.integer({ min: -62135596800000, max: 253402300799999 })],
      [T.DATE(), fc.integer({ min: -719162, max: 2932896 })],
      [T.TIME(3), fc.integer({ min: 0, max: 86399999 })],
      [T.DECIMAL(10, 2), fc.integer({ min: -99999999, max: 99999999 }).map((n) => n / 100)],
      [T.STRING(), fc.string()],
      [T.ARRAY(T.INT()), fc.array(fc.option(fc.integer(), { nil: null }))],
    ]
    for (const [t, arb] of types)
      fc.assert(
        fc.property(arb, (v) => {
          expect(fromExternal(toExternal(v, t), t)).toEqual(v)
        }),
      )
  })

  it('accepts common inputs and rejects what does not fit', () => {
    expect(fromExternal('2020-04-15 08:05:00', T.TIMESTAMP(3))).toBe(ts)
    expect(fromExternal('2020-04-15T08:05:00.000Z', T.TIMESTAMP_LTZ(3))).toBe(ts)
    expect(fromExternal(ts, T.TIMESTAMP(3))).toBe(ts)
    expect(fromExternal(new Date(ts), T.DATE())).toBe(18367)
    expect(fromExternal(10n, T.BIGINT())).toBe(10)
    expect(fromExternal(1.005, T.DECIMAL(5, 2))).toBe(1.01)
    expect(fromExternal({ a: 1 }, T.MAP(T.STRING(), T.INT()))).toEqual(new Map([['a', 1]]))
    expect(fromExternal([1, 'x'], T.ROW([{ name: 'a', type: T.INT() }, { name: 'b', type: T.STRING() }]))).toEqual([1, 'x'])
    expect(fromExternal(undefined, T.INT())).toBe(null)
    expect(() => fromExternal('1', T.INT())).toThrow(SqlRuntimeError)
    expect(() => fromExternal(1.5, T.INT())).toThrow("Cannot convert 1.5 (number) to INT.")
    expect(() => fromExternal('nope', T.TIMESTAMP(3))).toThrow(/Cannot convert 'nope'/)
    expect(() => fromExternal([1], T.ROW([{ name: 'a', type: T.INT() }, { name: 'b', type: T.INT() }]))).toThrow(/expected 2 fields/)
  })
})
