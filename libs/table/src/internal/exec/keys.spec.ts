import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_KEY, NULL_KEY, keySelectorOf } from './keys.js'

/** The encoding of composite keys as first written: JSON with a replacer (keys in savepoints must stay the same). */
const reference = (values: readonly unknown[]): string =>
  JSON.stringify(values, (_k, v: unknown) => {
    if (v instanceof Map) return { $map: [...v] }
    if (v instanceof Uint8Array) return { $bytes: Array.from(v) }
    if (typeof v === 'bigint') return { $bigint: v.toString() }
    if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) }
    return v
  })

const value = fc.oneof(
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e21, 5e-324),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt(),
  fc.array(fc.oneof(fc.string(), fc.double(), fc.constant(null)), { maxLength: 3 }),
)

describe('row keys', () => {
  it('encode one field as itself (NULL as NULL_KEY), none as EMPTY_KEY', () => {
    expect(keySelectorOf([1])({ kind: 0, fields: ['a', 7] })).toBe(7)
    expect(keySelectorOf([0])({ kind: 0, fields: [null] })).toBe(NULL_KEY)
    expect(keySelectorOf([])({ kind: 0, fields: [1] })).toBe(EMPTY_KEY)
  })

  it('encode two or more fields as the replacer-based JSON text, for any values', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 3, maxLength: 5 }), (fields) => {
        expect(keySelectorOf([0, 2])({ kind: 0, fields })).toBe(reference([fields[0], fields[2]]))
        expect(keySelectorOf([2, 1, 0])({ kind: 0, fields })).toBe(reference([fields[2], fields[1], fields[0]]))
      }),
      { numRuns: 2000 },
    )
  })
})
