import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { encodeFields, fieldsEncoderOf } from './join-util.js'

/** The encoding as first written: one JSON.stringify with a replacer (state written with it must read the same). */
const reference = (fields: readonly unknown[]): string =>
  JSON.stringify(fields, (_k, v: unknown) => {
    switch (typeof v) {
      case 'number':
        return Number.isFinite(v) ? v : { $num: String(v) }
      case 'bigint':
        return { $bigint: v.toString() }
      case 'undefined':
        return null
      default:
        if (v instanceof Map) return { $map: [...v] }
        if (v instanceof Uint8Array) return { $bytes: Array.from(v) }
        return v
    }
  })

const value = fc.oneof(
  fc.string(),
  fc.double(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e21, 5e-324),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.array(fc.oneof(fc.string(), fc.double(), fc.constant(null))),
  fc.uint8Array({ maxLength: 4 }),
  fc.array(fc.tuple(fc.string(), fc.integer()), { maxLength: 3 }).map((e) => new Map(e)),
)

describe('row state keys', () => {
  it('equal the replacer-based JSON encoding for any values', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 8 }), (fields) => {
        expect(encodeFields(fields)).toBe(reference(fields))
      }),
      { numRuns: 2000 },
    )
  })

  it('encode picked fields as the encoding of those fields', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 3, maxLength: 6 }), (fields) => {
        expect(fieldsEncoderOf([2])(fields)).toBe(reference([fields[2]]))
        expect(fieldsEncoderOf([2, 0])(fields)).toBe(reference([fields[2], fields[0]]))
      }),
    )
  })
})
