import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CTRL_NONE, CTRL_WATERMARK, type Batch } from './batch.js'
import { fromWire, toWire } from './wire-batch.js'

/** What the receiving thread gets: the wire form, structured-cloned as postMessage does. */
const overTheWire = (b: Batch): Batch => fromWire(structuredClone(toWire(b)))

/** What it got before: the batch itself, structured-cloned. */
const cloned = (b: Batch): Batch => structuredClone(b)

/** A form of a value that compares equal exactly when the values are alike: types, key order, -0. */
const canon = (v: unknown): unknown => {
  if (typeof v === 'number') return ['number', Object.is(v, -0) ? '-0' : String(v)]
  if (typeof v === 'bigint') return ['bigint', String(v)]
  if (typeof v !== 'object' || v === null) return [typeof v, v]
  if (Array.isArray(v)) return ['array', v.map(canon)]
  if (v instanceof Date) return ['date', v.getTime()]
  if (v instanceof Map) return ['map', [...v].map(canon)]
  if (v instanceof Set) return ['set', [...v].map(canon)]
  if (ArrayBuffer.isView(v)) return ['view', v.constructor.name, Array.from(v as unknown as ArrayLike<number>, canon)]
  return ['object', Object.getPrototypeOf(v) === Object.prototype, Object.entries(v).map(([k, x]) => [k, canon(x)])]
}

const expectSameAsClone = (b: Batch): void => {
  const got = overTheWire(b)
  const want = cloned(b)
  expect(canon(got.values)).toEqual(canon(want.values))
  expect(canon(Array.from(got.timestamps))).toEqual(canon(Array.from(want.timestamps)))
  expect(got.control).toBe(want.control)
  expect(got.controlValue).toBe(want.controlValue)
}

const batch = (values: unknown[], timestamps?: number[]): Batch => ({
  values,
  timestamps: timestamps ?? values.map((_, i) => i * 10),
  control: CTRL_NONE,
  controlValue: 0,
})

const primitive = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, Number.NaN, Infinity, -Infinity),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
)
const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('0', '1', '10', 'constructor', 'toString', 'a b'))

describe('batches between threads', () => {
  it('send flat records of one shape as columns, numeric columns as Float64Arrays', () => {
    const values = Array.from({ length: 100 }, (_, i) => ({ id: i, key: `k${i % 7}`, amount: i * 1.5, ok: i % 2 === 0 }))
    const w = toWire(batch(values))
    expect(w.values).toBeUndefined()
    expect(w.names).toEqual(['id', 'key', 'amount', 'ok'])
    expect(w.columns!.map((c) => c instanceof Float64Array)).toEqual([true, false, true, false])
    expect(w.timestamps).toBeInstanceOf(Float64Array)
    expectSameAsClone(batch(values))
  })

  it('send anything else as the array of values', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const cases: unknown[][] = [
      [1, 2, 3, 4, 5],
      [{ a: 1 }, { a: 2 }, { b: 3 }, { a: 4 }, { a: 5 }], // shapes differ
      [{ a: 1, b: 2 }, { b: 1, a: 2 }, { a: 1, b: 2 }, { a: 1, b: 2 }], // key order differs
      [{ a: 1 }, { a: 1, b: 2 }, { a: 1 }, { a: 1 }], // a key more
      [{ a: 1, b: 2 }, { a: 1 }, { a: 1, b: 2 }, { a: 1, b: 2 }], // a key less
      [{ a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1, c: 2 }], // another key
      [{ a: { nested: true } }, { a: 1 }, { a: 1 }, { a: 1 }], // not flat
      [new Point(1, 2), new Point(3, 4), new Point(5, 6), new Point(7, 8)], // not plain
      [[1], [2], [3], [4]],
      [{ '0': 1 }, { '0': 2 }, [3], { '0': 4 }], // an array among objects with the same keys
      [new Date(0), new Date(1), new Date(2), new Date(3)],
      [{}, {}, {}, {}],
      [JSON.parse('{"__proto__": 1}'), JSON.parse('{"__proto__": 2}'), JSON.parse('{"__proto__": 3}'), JSON.parse('{"__proto__": 4}')],
    ]
    for (const values of cases) {
      expect(toWire(batch(values)).values).toBe(values)
      expectSameAsClone(batch(values))
    }
  })

  it('keep -0, NaN, integer-like keys, undefined values, timestamps and the control event', () => {
    const values = [
      { '1': -0, b: Number.NaN, a: undefined, c: 'x' },
      { '1': 0, b: 1, a: null, c: '' },
      { '1': Infinity, b: -Infinity, a: 1n, c: 'é' },
      { '1': 5e-324, b: Number.MAX_VALUE, a: true, c: '\u0000' },
    ]
    const b: Batch = { values, timestamps: [Number.NaN, -0, 1.5, 2 ** 53], control: CTRL_WATERMARK, controlValue: 42 }
    expect(toWire(b).columns).toBeDefined()
    expectSameAsClone(b)
    expect(Object.is((overTheWire(b).values[0] as { '1': number })['1'], -0)).toBe(true)
    expect(Object.is(overTheWire(b).timestamps[1], -0)).toBe(true)
  })

  it('send control batches without records', () => {
    expectSameAsClone({ values: [], timestamps: [], control: CTRL_WATERMARK, controlValue: 7 })
  })

  it('give what structured clone gives, for any records of one shape', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 40 }),
        fc.func(primitive),
        (names, n, valueOf) => {
          const values = Array.from({ length: n }, (_, i) => {
            const o: Record<string, unknown> = {}
            names.forEach((k, j) => Object.defineProperty(o, k, { value: valueOf(i, j), enumerable: true, writable: true, configurable: true }))
            return o
          })
          expectSameAsClone(batch(values))
        },
      ),
    )
  })

  it('give what structured clone gives, for records of a few similar shapes', () => {
    const shape = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', '0'), { minLength: 0, maxLength: 3 })
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(0, 1, 2), primitive), { maxLength: 20 }), fc.array(shape, { minLength: 3, maxLength: 3 }), (recs, shapes) => {
        const values = recs.map(([s, v]) => Object.fromEntries(shapes[s]!.map((k) => [k, v])))
        expectSameAsClone(batch(values))
      }),
    )
  })

  it('give what structured clone gives, for any cloneable records', () => {
    const cloneable = fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: false })
    fc.assert(
      fc.property(fc.array(fc.oneof(cloneable, fc.dictionary(key, primitive)), { maxLength: 30 }), fc.array(fc.double()), (values, ts) => {
        expectSameAsClone(batch(values, values.map((_, i) => ts[i] ?? i)))
      }),
    )
  })

  it('give two equal objects for one object sent twice in a batch (as if each record went alone)', () => {
    const o = { a: 1, b: 'x' }
    const got = overTheWire(batch([o, o, o, o]))
    expect(got.values[0]).toEqual(got.values[1])
    expect(got.values[0]).not.toBe(got.values[1])
  })
})
