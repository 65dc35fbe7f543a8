import { describe, expect, it } from 'vitest'
import { DataTypes as T } from '../../types/data-type.js'
import { errs, type Schema, t, v } from '../test-support.js'

describe('constructors', () => {
  it('ARRAY, MAP and ROW build values of a common element type, keeping NULLs', () => {
    expect(v('ARRAY[1, 2, NULL]')).toEqual([1, 2, null])
    expect(t('ARRAY[1, 2.5]')).toBe('ARRAY<DECIMAL(11, 1) NOT NULL> NOT NULL')
    expect(t('ARRAY[1, NULL]')).toBe('ARRAY<INT> NOT NULL')
    expect(v("MAP['a', 1, 'b', 2]")).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    )
    expect(t("MAP['a', 1, 'bb', 2]")).toBe('MAP<VARCHAR(2) NOT NULL, INT NOT NULL> NOT NULL')
    expect(v("ROW(1, 'x')")).toEqual([1, 'x'])
    expect(t("ROW(1, 'x')")).toBe('ROW<`EXPR$0` INT NOT NULL, `EXPR$1` CHAR(1) NOT NULL> NOT NULL')
    expect(errs("ARRAY[1, 'a']")[0]![0]).toMatch(/same type/)
  })
})

describe('item and field access', () => {
  const S: Schema = [
    ['xs', T.ARRAY(T.INT())],
    ['m', T.MAP(T.STRING(), T.INT())],
    ['bid', T.ROW([{ name: 'price', type: T.DECIMAL(10, 2) }, { name: 'bidder', type: T.ROW([{ name: 'name', type: T.STRING() }]) }])],
  ]
  const r = [[10, 20, null], new Map([['a', 1]]), [1.5, ['ann']]]

  it('indexes arrays from 1, NULL out of range; looks maps up by key', () => {
    expect([1, 2, 3, 0, 4].map((i) => v(`xs[${i}]`, S, r))).toEqual([10, 20, null, null, null])
    expect(v("m['a']", S, r)).toBe(1)
    expect(v("m['b']", S, r)).toBe(null)
    expect(v('xs[1]', S, [null, null, null])).toBe(null)
    expect(v('ARRAY[ARRAY[1, 2], ARRAY[3]][2][1]')).toBe(3)
    expect(t('xs[1]', S)).toBe('INT')
    expect(errs("xs['a']", S)[0]![0]).toMatch(/index of an array must be an integer/)
  })

  it('reads ROW fields by name, nested, and by position', () => {
    expect(v('bid.price', S, r)).toBe(1.5)
    expect(v('bid.bidder.name', S, r)).toBe('ann')
    expect(v("(ROW(1, 'x')).EXPR$1")).toBe('x')
    expect(v('bid[1]', S, r)).toBe(1.5)
    expect(v("bid['price']", S, r)).toBe(1.5)
    expect(v('bid.price', S, [null, null, null])).toBe(null)
    expect(t('bid.price', S)).toBe('DECIMAL(10, 2)')
    expect(errs('bid.prise', S)).toEqual([["Unknown field 'prise' of 'bid' of type ROW<`price` DECIMAL(10, 2), `bidder` ROW<`name` STRING>>; did you mean 'price'?", 1, 1]])
    expect(errs('xs.a', S)[0]![0]).toBe("Cannot access field 'a' of 'xs': it is of type ARRAY<INT>, not a ROW")
  })
})

describe('collection functions', () => {
  const S: Schema = [['xs', T.ARRAY(T.INT())]]
  it('CARDINALITY, ELEMENT, ARRAY_CONTAINS, ARRAY_JOIN, MAP_KEYS, MAP_VALUES and friends', () => {
    expect(v('CARDINALITY(ARRAY[1, 2])')).toBe(2)
    expect(v("CARDINALITY(MAP['a', 1])")).toBe(1)
    expect(v('ELEMENT(ARRAY[7])')).toBe(7)
    expect(v('ELEMENT(xs)', S, [[]])).toBe(null)
    expect(() => v('ELEMENT(ARRAY[1, 2])')).toThrow('Failed to evaluate ELEMENT(ARRAY[1, 2]) at line 1, column 1: ELEMENT expects an array with at most one element, but got 2.')
    expect(v('ARRAY_CONTAINS(ARRAY[1, 2], 2)')).toBe(true)
    expect(v('ARRAY_CONTAINS(ARRAY[1, 2], 3)')).toBe(false)
    expect(v('ARRAY_CONTAINS(xs, CAST(NULL AS INT))', S, [[1, null]])).toBe(true)
    expect(v('ARRAY_CONTAINS(xs, 1)', S, [null])).toBe(null)
    expect(v("ARRAY_JOIN(ARRAY['a', NULL, 'c'], ',')")).toBe('a,c')
    expect(v("ARRAY_JOIN(ARRAY['a', NULL, 'c'], ',', '?')")).toBe('a,?,c')
    expect(v("ARRAY_JOIN(ARRAY[1, 2], '+')")).toBe('1+2')
    expect(v("MAP_KEYS(MAP['a', 1, 'b', 2])")).toEqual(['a', 'b'])
    expect(v("MAP_VALUES(MAP['a', 1, 'b', 2])")).toEqual([1, 2])
    expect(v('ARRAY_DISTINCT(ARRAY[1, 2, 1, NULL, NULL])')).toEqual([1, 2, null])
    expect(v('ARRAY_POSITION(ARRAY[5, 6], 6)')).toBe(2)
    expect(v('ARRAY_REVERSE(ARRAY[5, 6])')).toEqual([6, 5])
    expect(errs('CARDINALITY(1)')[0]![0]).toMatch(/Cannot apply 'CARDINALITY'/)
  })
})
