import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareStrings, compareValues, compileComparator } from './sort-key-comparator.js'
import type { SortKeySpec } from './sort-key-comparator.js'

const sign = (x: number): number => (x < 0 ? -1 : x > 0 ? 1 : 0)

describe('compareStrings', () => {
  it('orders by code point, as the UTF-8 bytes do', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(sign(compareStrings(a, b))).toBe(sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))))
      }),
      { numRuns: 2000 },
    )
    // JavaScript's `<` puts U+FFFD before U+1F600 (a surrogate pair); code points do not
    expect(compareStrings('\u{1F600}', '\uFFFD')).toBeGreaterThan(0)
    expect('\u{1F600}' < '\uFFFD').toBe(true)
  })
})

describe('compareValues', () => {
  it('orders numbers with NaN last and -0 equal to 0, booleans, bytes, arrays', () => {
    expect([3, NaN, -1, Infinity].sort(compareValues)).toEqual([-1, 3, Infinity, NaN])
    expect(compareValues(-0, 0)).toBe(0)
    expect(compareValues(NaN, NaN)).toBe(0)
    expect(compareValues(false, true)).toBeLessThan(0)
    expect(compareValues(new Uint8Array([1, 200]), new Uint8Array([1, 3]))).toBeGreaterThan(0)
    expect(compareValues([1, null], [1, 2])).toBeLessThan(0)
    expect(compareValues(2n, 10n)).toBeLessThan(0)
  })
})

describe('compileComparator', () => {
  /** The reference: every key in turn, NULLs placed by nullsFirst whatever the direction. */
  const reference =
    (keys: readonly SortKeySpec[]) =>
    (a: readonly unknown[], b: readonly unknown[]): number => {
      for (const k of keys) {
        const x = a[k.index]
        const y = b[k.index]
        if (x === null && y === null) continue
        if (x === null) return k.nullsFirst ? -1 : 1
        if (y === null) return k.nullsFirst ? 1 : -1
        const c = compareValues(x, y)
        if (c !== 0) return k.direction === 'DESC' ? -c : c
      }
      return 0
    }

  it('agrees with the reference for one, two and more keys', () => {
    const value = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 }), fc.constantFrom(NaN, 0.5))
    const keyArb = fc.record({ index: fc.integer({ min: 0, max: 3 }), direction: fc.constantFrom<'ASC' | 'DESC'>('ASC', 'DESC'), nullsFirst: fc.boolean() })
    fc.assert(
      fc.property(fc.array(keyArb, { minLength: 1, maxLength: 4 }), fc.array(value, { minLength: 4, maxLength: 4 }), fc.array(value, { minLength: 4, maxLength: 4 }), (keys, a, b) => {
        const cmp = compileComparator(keys)
        expect(sign(cmp(a, b))).toBe(sign(reference(keys)(a, b)))
        expect(sign(cmp(a, b)) + sign(cmp(b, a))).toBe(0)
      }),
      { numRuns: 2000 },
    )
  })

  it('sorts strings and NULLs per key', () => {
    const cmp = compileComparator([
      { index: 0, direction: 'DESC', nullsFirst: false },
      { index: 1, direction: 'ASC', nullsFirst: true },
    ])
    const rows = [
      ['b', 2],
      [null, 1],
      ['b', null],
      ['a', 1],
    ]
    expect(rows.sort(cmp)).toEqual([['b', null], ['b', 2], ['a', 1], [null, 1]])
  })
})
