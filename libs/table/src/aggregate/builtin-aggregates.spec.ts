import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DataType } from '../types/data-type.js'
import { DataTypes, formatType } from '../types/data-type.js'
import type { AggregateCall, AggsHandle, UserAggregateFunction } from './aggregate-call.js'
import { AGGREGATE_NAMES, createAggsHandle, createSlottedAggsHandle, inferAggregateType } from './builtin-aggregates.js'

const INT = DataTypes.INT()
const DOUBLE = DataTypes.DOUBLE()
const STRING = DataTypes.STRING()
const BOOL = DataTypes.BOOLEAN()

/** A call over field 0 (and more), typed as the real inference types it. */
const agg = (name: string, argTypes: DataType[] = [INT], extra: Partial<AggregateCall> = {}): AggregateCall => {
  const t = inferAggregateType(name, argTypes, extra.distinct ?? false, { groupCount: 1 })
  if (typeof t === 'string' && extra.udaf === undefined) throw new Error(t)
  return { name, args: argTypes.map((_, i) => i), argTypes, distinct: false, type: typeof t === 'string' ? INT : t, ...extra }
}

/** Runs one call over rows given as field arrays: accumulate all, then retract some. */
const run = (call: AggregateCall, rows: unknown[][], retract: unknown[][] = [], retraction = true): unknown => {
  const h = createAggsHandle([call], { retraction })
  const accs = h.createAccumulators()
  for (const r of rows) h.accumulate(accs, r)
  for (const r of retract) h.retract(accs, r)
  return h.getValue(accs)[0]
}

const col = (...vs: unknown[]): unknown[][] => vs.map((v) => [v])

describe('inferAggregateType', () => {
  const fmt = (name: string, args: DataType[], ctx = { groupCount: 1 }) => {
    const t = inferAggregateType(name, args, false, ctx)
    return typeof t === 'string' ? t : formatType(t)
  }

  it('types the results as Flink does', () => {
    expect(fmt('COUNT', [])).toBe('BIGINT NOT NULL')
    expect(fmt('count', [STRING])).toBe('BIGINT NOT NULL')
    expect(fmt('SUM', [DataTypes.INT(false)])).toBe('INT NOT NULL')
    expect(fmt('SUM', [DataTypes.TINYINT()])).toBe('TINYINT')
    expect(fmt('SUM', [DataTypes.BIGINT()])).toBe('BIGINT')
    expect(fmt('SUM', [DataTypes.DECIMAL(10, 2)])).toBe('DECIMAL(38, 2)')
    expect(fmt('SUM0', [DataTypes.INT()])).toBe('INT NOT NULL')
    expect(fmt('AVG', [DataTypes.INT()])).toBe('INT')
    expect(fmt('AVG', [DataTypes.DECIMAL(10, 2)])).toBe('DECIMAL(38, 6)')
    expect(fmt('AVG', [DataTypes.DECIMAL(20, 8)])).toBe('DECIMAL(38, 8)')
    expect(fmt('AVG', [DataTypes.FLOAT()])).toBe('FLOAT')
    expect(fmt('STDDEV_POP', [DataTypes.DOUBLE(false)])).toBe('DOUBLE')
    expect(fmt('VARIANCE', [DataTypes.INT(false)])).toBe('INT')
    expect(fmt('MAX', [DataTypes.TIMESTAMP(3)])).toBe('TIMESTAMP(3)')
    expect(fmt('MIN', [{ kind: 'TIMESTAMP', precision: 3, nullable: false, timeAttribute: 'ROWTIME' }])).toBe('TIMESTAMP(3) NOT NULL')
    expect(fmt('LISTAGG', [DataTypes.VARCHAR(10), STRING])).toBe('STRING')
    expect(fmt('COLLECT', [DataTypes.INT(false)])).toBe('MULTISET<INT NOT NULL> NOT NULL')
    expect(fmt('FIRST_VALUE', [STRING])).toBe('STRING')
    expect(fmt('BOOL_AND', [DataTypes.BOOLEAN(false)])).toBe('BOOLEAN NOT NULL')
  })

  it('makes results nullable when the call can see no rows (global aggregation, FILTER)', () => {
    expect(fmt('SUM', [DataTypes.INT(false)], { groupCount: 0 })).toBe('INT')
    expect(fmt('MAX', [DataTypes.INT(false)], { groupCount: 2, hasFilter: true } as never)).toBe('INT')
    expect(fmt('COUNT', [], { groupCount: 0 })).toBe('BIGINT NOT NULL')
    expect(fmt('SUM0', [DataTypes.INT(false)], { groupCount: 0 })).toBe('INT NOT NULL')
  })

  it('explains arguments that do not fit', () => {
    expect(fmt('SUM', [STRING])).toBe("Cannot apply 'SUM' to arguments of type 'SUM(<STRING>)'. Supported form(s): 'SUM(<NUMERIC>)'")
    expect(fmt('AVG', [INT, INT])).toBe("Invalid number of arguments to function 'AVG'. Was expecting 1 arguments")
    expect(fmt('MAX', [DataTypes.ARRAY(INT)])).toMatch(/Cannot apply 'MAX'/)
    expect(fmt('LISTAGG', [INT])).toMatch(/Cannot apply 'LISTAGG'/)
    expect(fmt('BOOL_OR', [INT])).toMatch(/BOOL_OR\(<BOOLEAN>\)/)
    expect(fmt('MEDIAN', [INT])).toBe('No match found for function signature MEDIAN(<INT>)')
  })

  it('names the aggregates callable from SQL', () => {
    for (const n of ['COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'LISTAGG', 'STDDEV', 'VAR_POP', 'FIRST_VALUE', 'COLLECT']) expect(AGGREGATE_NAMES.has(n)).toBe(true)
    expect(AGGREGATE_NAMES.has('SUM0')).toBe(false)
  })
})

describe('createAggsHandle: each function', () => {
  it('COUNT(*) counts rows, COUNT(x) non-null values, COUNT(x, y) rows where all are non-null', () => {
    expect(run(agg('COUNT', []), col(1, null, 3))).toBe(3)
    expect(run(agg('COUNT'), col(1, null, 3))).toBe(2)
    expect(run(agg('COUNT', [INT, INT]), [[1, 2], [null, 2], [1, null], [3, 4]])).toBe(2)
    expect(run(agg('COUNT'), col(1, null, 3), col(1))).toBe(1)
    expect(run(agg('COUNT'), [])).toBe(0)
  })

  it('SUM is NULL without non-null values, SUM0 is 0', () => {
    expect(run(agg('SUM'), col(null, null))).toBe(null)
    expect(run(agg('SUM'), col(1, null, 2))).toBe(3)
    expect(run(agg('SUM'), col(1, 2), col(1, 2))).toBe(null)
    expect(run(agg('SUM0'), col(null))).toBe(0)
    expect(run(agg('SUM0'), col(4, 5), col(4))).toBe(5)
  })

  it('SUM wraps TINYINT/SMALLINT/INT overflow as Java does, rounds DECIMAL to its scale', () => {
    expect(run(agg('SUM', [DataTypes.TINYINT()]), col(100, 100))).toBe(-56)
    expect(run(agg('SUM', [DataTypes.SMALLINT()]), col(32767, 1))).toBe(-32768)
    expect(run(agg('SUM', [INT]), col(2147483647, 1))).toBe(-2147483648)
    expect(run(agg('SUM', [DataTypes.BIGINT()]), col(2147483647, 1))).toBe(2147483648)
    expect(run(agg('SUM', [DataTypes.DECIMAL(10, 2)]), col(0.1, 0.2))).toBe(0.3)
    expect(run(agg('SUM', [DataTypes.DECIMAL(10, 2)]), col(0.1, 0.2, 0.7), col(0.2))).toBe(0.8)
  })

  it('AVG of integers divides truncating toward zero, of DECIMAL rounds to max(6, s)', () => {
    expect(run(agg('AVG'), col(1, 2))).toBe(1)
    expect(run(agg('AVG'), col(-7, 0))).toBe(-3)
    expect(run(agg('AVG'), col(null))).toBe(null)
    expect(run(agg('AVG', [DOUBLE]), col(1, 2))).toBe(1.5)
    expect(run(agg('AVG', [DataTypes.FLOAT()]), col(0.1, 0.2))).toBe(Math.fround(0.15000000000000002))
    expect(run(agg('AVG', [DataTypes.DECIMAL(10, 2)]), col(1, 1, 2))).toBe(1.333333)
    expect(run(agg('AVG', [DataTypes.DECIMAL(10, 2)]), col(0.01, 0.02))).toBe(0.015)
  })

  it('MIN/MAX over numbers, strings (code point order), booleans, bytes; retracting the extreme recomputes it', () => {
    expect(run(agg('MAX'), col(3, null, 7, 5))).toBe(7)
    expect(run(agg('MIN'), col(3, null, 7, 5))).toBe(3)
    expect(run(agg('MIN'), col(null))).toBe(null)
    expect(run(agg('MAX', [STRING]), col('b', 'a', 'ab'))).toBe('b')
    expect(run(agg('MAX', [STRING]), col('\uffff', '😀'))).toBe('😀') // U+1F600 > U+FFFF
    expect(run(agg('MIN', [BOOL]), col(true, false))).toBe(false)
    expect(run(agg('MAX', [DataTypes.BYTES()]), col(new Uint8Array([1, 2]), new Uint8Array([1, 3]), new Uint8Array([1])))).toEqual(new Uint8Array([1, 3]))
    expect(run(agg('MAX'), col(3, 7, 7, 5), col(7))).toBe(7)
    expect(run(agg('MAX'), col(3, 7, 7, 5), col(7, 7))).toBe(5)
    expect(run(agg('MAX'), col(3, 7), col(7, 3))).toBe(null)
    expect(run(agg('MIN', [DataTypes.BYTES()]), col(new Uint8Array([1]), new Uint8Array([0, 9])), col(new Uint8Array([0, 9])))).toEqual(new Uint8Array([1]))
    expect(run(agg('MAX'), col(3, 7, 5), [], false)).toBe(7)
  })

  it('FIRST_VALUE/LAST_VALUE skip NULLs; retraction removes the first occurrence', () => {
    expect(run(agg('FIRST_VALUE'), col(null, 1, 2, null))).toBe(1)
    expect(run(agg('LAST_VALUE'), col(null, 1, 2, null))).toBe(2)
    expect(run(agg('FIRST_VALUE'), col(1, 2, 1), col(1))).toBe(2)
    expect(run(agg('LAST_VALUE'), col(1, 2, 1), col(1))).toBe(1)
    expect(run(agg('LAST_VALUE'), col(1, 2), col(2))).toBe(1)
    expect(run(agg('FIRST_VALUE'), col(1, 2), col(1, 2))).toBe(null)
    expect(run(agg('FIRST_VALUE'), col(5, 6), [], false)).toBe(5)
    expect(run(agg('LAST_VALUE'), col(5, 6, null), [], false)).toBe(6)
  })

  it('LISTAGG joins non-null values with the separator (default ","), NULL when none', () => {
    expect(run(agg('LISTAGG', [STRING]), col('a', null, 'b'))).toBe('a,b')
    expect(run(agg('LISTAGG', [STRING, STRING]), [['a', '; '], ['b', '; ']])).toBe('a; b')
    expect(run(agg('LISTAGG', [STRING]), col(null))).toBe(null)
    expect(run(agg('LISTAGG', [STRING]), col('a', 'b', 'a'), col('a'))).toBe('b,a')
    expect(run(agg('LISTAGG', [STRING]), col('a', 'b'), [], false)).toBe('a,b')
  })

  it('COLLECT gives the multiset of non-null values', () => {
    expect(run(agg('COLLECT'), col(1, null, 2, 1))).toEqual([1, 1, 2])
    expect(run(agg('COLLECT'), col(1, 2, 1), col(1, 2))).toEqual([1])
    expect(run(agg('COLLECT'), [])).toEqual([])
    expect(run(agg('COLLECT', [DataTypes.ARRAY(INT)]), col([1], [1], [2]), col([1]))).toEqual([[1], [2]])
  })

  it('STDDEV/VAR as Flink computes them: population and sample, integers truncated', () => {
    const xs = [2, 4, 4, 4, 5, 5, 7, 9]
    expect(run(agg('VAR_POP', [DOUBLE]), col(...xs))).toBe(4)
    expect(run(agg('STDDEV_POP', [DOUBLE]), col(...xs))).toBe(2)
    expect(run(agg('VAR_SAMP', [DOUBLE]), col(...xs))).toBeCloseTo(32 / 7, 12)
    expect(run(agg('STDDEV', [DOUBLE]), col(...xs))).toBeCloseTo(Math.sqrt(32 / 7), 12)
    expect(run(agg('VAR_SAMP', [DOUBLE]), col(3))).toBe(null)
    expect(run(agg('VAR_POP', [DOUBLE]), col(3))).toBe(0)
    expect(run(agg('VAR_POP', [DOUBLE]), col(null))).toBe(null)
    // INT: (SUM(x*x) - SUM(x)*SUM(x)/COUNT) / COUNT in integer arithmetic: (5 - 9/2) / 2 = (5 - 4) / 2 = 0
    expect(run(agg('VAR_POP', [INT]), col(1, 2))).toBe(0)
    expect(run(agg('STDDEV_SAMP', [INT]), col(1, 2, 3, 4, 10))).toBe(3) // (130 - 400/5) / 4 = 12 -> sqrt 3.46 -> 3
    expect(run(agg('VAR_POP', [DataTypes.DECIMAL(10, 2)]), col(1.5, 2.5))).toBe(0.25)
  })

  it('BOOL_AND/BOOL_OR', () => {
    expect(run(agg('BOOL_AND', [BOOL]), col(true, null, true))).toBe(true)
    expect(run(agg('BOOL_AND', [BOOL]), col(true, false))).toBe(false)
    expect(run(agg('BOOL_AND', [BOOL]), col(true, false), col(false))).toBe(true)
    expect(run(agg('BOOL_OR', [BOOL]), col(false, true), col(true))).toBe(false)
    expect(run(agg('BOOL_OR', [BOOL]), col(null))).toBe(null)
  })

  it('DISTINCT counts each value once, and retracts by value counts', () => {
    const d = { distinct: true }
    expect(run(agg('COUNT', [INT], d), col(1, 1, 2, null))).toBe(2)
    expect(run(agg('SUM', [INT], d), col(1, 1, 2))).toBe(3)
    expect(run(agg('SUM', [INT], d), col(1, 1, 2), col(1))).toBe(3)
    expect(run(agg('SUM', [INT], d), col(1, 1, 2), col(1, 1))).toBe(2)
    expect(run(agg('AVG', [INT], d), col(1, 1, 4))).toBe(2)
    expect(run(agg('COUNT', [INT, STRING], d), [[1, 'a'], [1, 'a'], [1, 'b'], [null, 'b']])).toBe(2)
    expect(run(agg('LISTAGG', [STRING, STRING], d), [['a', '-'], ['b', '-'], ['a', '-']])).toBe('a-b')
    expect(run(agg('COUNT', [DataTypes.ARRAY(INT)], d), col([1, 2], [1, 2], [2]))).toBe(2)
  })

  it('FILTER counts only rows whose filter field is true', () => {
    const call = { ...agg('SUM', [INT]), filterArg: 1 }
    expect(run(call, [[1, true], [2, false], [4, null], [8, true]])).toBe(9)
    expect(run({ ...agg('COUNT', []), filterArg: 0 }, [[true], [false], [true]], [[true]])).toBe(1)
    expect(run({ ...agg('COUNT', []), filterArg: 0 }, [[false]])).toBe(0)
  })

  it('user-defined aggregates get (acc, ...args), NULLs included; retract and merge when they have them', () => {
    const weightedSum: UserAggregateFunction<{ s: number; nulls: number }, number> = {
      createAccumulator: () => ({ s: 0, nulls: 0 }),
      accumulate: (acc, v: number | null, w: number) => {
        if (v === null) acc.nulls++
        else acc.s += v * w
      },
      retract: (acc, v: number | null, w: number) => {
        if (v === null) acc.nulls--
        else acc.s -= v * w
      },
      merge: (acc, others) => {
        for (const o of others) {
          acc.s += o.s
          acc.nulls += o.nulls
        }
      },
      getValue: (acc) => acc.s * 100 + acc.nulls,
    }
    const call: AggregateCall = { name: 'WSUM', args: [0, 1], argTypes: [INT, INT], distinct: false, type: INT, udaf: weightedSum }
    expect(run(call, [[1, 2], [null, 5], [3, 3]])).toBe(1101)
    expect(run(call, [[1, 2], [null, 5], [3, 3]], [[3, 3]])).toBe(201)
    const h = createAggsHandle([call])
    expect(h.retractable && h.mergeable).toBe(true)
    const a = h.createAccumulators()
    const b = h.createAccumulators()
    h.accumulate(a, [1, 1])
    h.accumulate(b, [2, 1])
    h.merge(a, b)
    expect(h.getValue(a)).toEqual([300])
    expect(h.getValue(b)).toEqual([200])

    const appendOnly: AggregateCall = { ...call, udaf: { createAccumulator: () => [0], accumulate: (acc: number[]) => acc[0]!++, getValue: (acc: number[]) => acc[0] } }
    const h2 = createAggsHandle([appendOnly, agg('SUM')])
    expect(h2.retractable).toBe(false)
    expect(h2.mergeable).toBe(false)
    expect(() => h2.retract(h2.createAccumulators(), [1, 1])).toThrow(/WSUM\(\$0, \$1\) cannot retract/)
    expect(() => h2.merge(h2.createAccumulators(), h2.createAccumulators())).toThrow(/cannot merge/)
  })

  it('without retraction support, MIN/MAX/FIRST_VALUE/LAST_VALUE/LISTAGG keep only their result and refuse to retract', () => {
    for (const name of ['MIN', 'MAX', 'FIRST_VALUE', 'LAST_VALUE']) {
      const h = createAggsHandle([agg(name)], { retraction: false })
      expect(h.retractable).toBe(false)
      const accs = h.createAccumulators()
      h.accumulate(accs, [1])
      expect(accs[0]).toBe(1) // the value itself, no multiset
      expect(() => h.retract(accs, [1])).toThrow(/cannot retract/)
    }
    expect(createAggsHandle([agg('SUM'), agg('COUNT', [])], { retraction: false }).retractable).toBe(true)
  })

  it('computes several calls side by side, writing results at an offset', () => {
    const h = createAggsHandle([agg('COUNT', []), agg('SUM'), agg('MAX', [INT, STRING].slice(0, 1)), { ...agg('LISTAGG', [STRING]), args: [1] }])
    const accs = h.createAccumulators()
    h.accumulate(accs, [1, 'x'])
    h.accumulate(accs, [5, 'y'])
    const target = ['k', 'k2']
    h.writeValues(accs, target, 2)
    expect(target).toEqual(['k', 'k2', 2, 6, 5, 'x,y'])
    expect(h.getValue(accs)).toEqual([2, 6, 5, 'x,y'])
  })

  it('keeps accumulators as plain data: a structured clone continues where the original was', () => {
    const calls = [agg('MAX'), agg('COUNT', [INT], { distinct: true }), agg('COLLECT'), agg('LISTAGG', [STRING].map(() => INT).map(() => STRING)), agg('AVG')]
    const h = createAggsHandle(calls.map((c, i) => (i === 3 ? { ...c, args: [1] } : c)))
    const accs = h.createAccumulators()
    for (const v of [3, 9, 9, 4]) h.accumulate(accs, [v, `s${v}`])
    const copy = structuredClone(accs)
    for (const a of [accs, copy]) {
      h.retract(a, [9, 's9'])
      h.accumulate(a, [1, 's1'])
    }
    expect(h.getValue(copy)).toEqual(h.getValue(accs))
    expect(h.getValue(copy)).toEqual([9, 4, [3, 9, 4, 1], 's3,s9,s4,s1', 4])
  })
})

// ---------------------------------------------------------------------------------------------
// laws

/** The calls the laws run over, with a generator of their argument values. */
const LAW_CASES: { name: string; call: AggregateCall; value: fc.Arbitrary<unknown>; multiset?: boolean }[] = [
  { name: 'COUNT(*)', call: agg('COUNT', []), value: fc.constant(0) },
  { name: 'COUNT(x)', call: agg('COUNT'), value: fc.option(fc.integer({ min: -5, max: 5 })) },
  { name: 'SUM(INT)', call: agg('SUM'), value: fc.option(fc.integer()) },
  { name: 'SUM(TINYINT)', call: agg('SUM', [DataTypes.TINYINT()]), value: fc.option(fc.integer({ min: -128, max: 127 })) },
  { name: 'SUM(DECIMAL(10, 2))', call: agg('SUM', [DataTypes.DECIMAL(10, 2)]), value: fc.option(fc.integer({ min: -99999, max: 99999 }).map((c) => c / 100)) },
  { name: 'SUM0(DOUBLE)', call: agg('SUM0', [DOUBLE]), value: fc.option(fc.integer({ min: -1000, max: 1000 })) },
  { name: 'AVG(INT)', call: agg('AVG'), value: fc.option(fc.integer({ min: -1000, max: 1000 })) },
  { name: 'MIN(INT)', call: agg('MIN'), value: fc.option(fc.integer({ min: -5, max: 5 })) },
  { name: 'MAX(STRING)', call: agg('MAX', [STRING]), value: fc.option(fc.constantFrom('a', 'b', 'ab', 'é', '😀')) },
  { name: 'MAX(BYTES)', call: agg('MAX', [DataTypes.BYTES()]), value: fc.option(fc.uint8Array({ maxLength: 2, max: 3 })) },
  { name: 'FIRST_VALUE', call: agg('FIRST_VALUE'), value: fc.option(fc.integer({ min: 0, max: 4 })) },
  { name: 'LAST_VALUE', call: agg('LAST_VALUE'), value: fc.option(fc.integer({ min: 0, max: 4 })) },
  { name: 'LISTAGG', call: agg('LISTAGG', [STRING]), value: fc.option(fc.constantFrom('a', 'b', 'c')) },
  { name: 'COLLECT', call: agg('COLLECT'), value: fc.option(fc.integer({ min: 0, max: 4 })), multiset: true },
  { name: 'VAR_POP(DOUBLE)', call: agg('VAR_POP', [DOUBLE]), value: fc.option(fc.integer({ min: -100, max: 100 })) },
  { name: 'STDDEV_SAMP(INT)', call: agg('STDDEV_SAMP', [INT]), value: fc.option(fc.integer({ min: -100, max: 100 })) },
  { name: 'BOOL_AND', call: agg('BOOL_AND', [BOOL]), value: fc.option(fc.boolean()) },
  { name: 'BOOL_OR', call: agg('BOOL_OR', [BOOL]), value: fc.option(fc.boolean()) },
  { name: 'COUNT(DISTINCT x)', call: agg('COUNT', [INT], { distinct: true }), value: fc.option(fc.integer({ min: 0, max: 4 })) },
  { name: 'SUM(DISTINCT x)', call: agg('SUM', [INT], { distinct: true }), value: fc.option(fc.integer({ min: 0, max: 4 })) },
  { name: 'MAX(DISTINCT x)', call: agg('MAX', [INT], { distinct: true }), value: fc.option(fc.integer({ min: 0, max: 4 })) },
  // a distinct value keeps the place of its first occurrence, so only the set of values is a law
  { name: 'LISTAGG(DISTINCT x)', call: agg('LISTAGG', [STRING], { distinct: true }), value: fc.option(fc.constantFrom('a', 'b', 'c')), multiset: true },
  { name: 'SUM(x) FILTER', call: { ...agg('SUM'), filterArg: 1 }, value: fc.option(fc.integer({ min: -9, max: 9 })) },
]

/** Rows `[value, filter]`; the filter field is NULL unless the call has a FILTER. */
const rowsOf = (c: (typeof LAW_CASES)[number]) =>
  fc.array(fc.tuple(c.value, c.call.filterArg === undefined ? fc.constant(null) : fc.option(fc.boolean())), { maxLength: 25 })

const norm = (v: unknown, multiset: boolean | undefined): unknown =>
  !multiset ? v : Array.isArray(v) ? [...v].sort() : typeof v === 'string' ? v.split(',').sort() : v

describe('createAggsHandle: laws', () => {
  for (const c of LAW_CASES) {
    it(`${c.name}: accumulating rows then retracting some equals accumulating the rest`, () => {
      fc.assert(
        fc.property(rowsOf(c), fc.array(fc.nat(), { maxLength: 25 }), (rows, picks) => {
          // retract a sub-multiset: for each pick, the first remaining occurrence of a row
          const rest = [...rows]
          const retracted: unknown[][] = []
          for (const p of picks) {
            if (rest.length === 0) break
            retracted.push(rest.splice(p % rest.length, 1)[0]!)
          }
          // the rest keeps the original order minus, for each retracted row, its first equal occurrence
          const expectedRest = [...rows]
          for (const r of retracted) expectedRest.splice(expectedRest.findIndex((x) => JSON.stringify(x) === JSON.stringify(r)), 1)
          const got = run(c.call, rows, retracted)
          expect(norm(got, c.multiset)).toEqual(norm(run(c.call, expectedRest), c.multiset))
        }),
      )
    })

    it(`${c.name}: merging the accumulators of two parts equals accumulating both`, () => {
      fc.assert(
        fc.property(rowsOf(c), rowsOf(c), (a, b) => {
          const h = createAggsHandle([c.call])
          const x = h.createAccumulators()
          const y = h.createAccumulators()
          for (const r of a) h.accumulate(x, r)
          for (const r of b) h.accumulate(y, r)
          const yBefore = h.getValue(y)
          h.merge(x, y)
          expect(norm(h.getValue(x)[0], c.multiset)).toEqual(norm(run(c.call, [...a, ...b]), c.multiset))
          expect(h.getValue(y)).toEqual(yBefore) // merge leaves `other` alone
        }),
      )
    })
  }

  it('the variants without retraction give the same results on insert-only input', () => {
    for (const c of LAW_CASES) {
      fc.assert(
        fc.property(rowsOf(c), (rows) => {
          expect(norm(run(c.call, rows, [], false), c.multiset)).toEqual(norm(run(c.call, rows), c.multiset))
        }),
        { numRuns: 30 },
      )
    }
  })

  it('results match a brute-force computation over the non-null values', () => {
    const ints = fc.array(fc.option(fc.integer({ min: -50, max: 50 })), { maxLength: 30 })
    fc.assert(
      fc.property(ints, (xs) => {
        const nn = xs.filter((x): x is number => x !== null)
        const sum = nn.reduce((s, x) => s + x, 0)
        expect(run(agg('COUNT'), col(...xs))).toBe(nn.length)
        expect(run(agg('SUM'), col(...xs))).toBe(nn.length === 0 ? null : sum)
        expect(run(agg('AVG'), col(...xs))).toBe(nn.length === 0 ? null : Math.trunc(sum / nn.length))
        expect(run(agg('MIN'), col(...xs))).toBe(nn.length === 0 ? null : Math.min(...nn))
        expect(run(agg('MAX'), col(...xs))).toBe(nn.length === 0 ? null : Math.max(...nn))
        expect(run(agg('COUNT', [INT], { distinct: true }), col(...xs))).toBe(new Set(nn).size)
        const mean = sum / nn.length
        const varPop = nn.reduce((s, x) => s + (x - mean) ** 2, 0) / nn.length
        const got = run(agg('VAR_POP', [DOUBLE]), col(...xs)) as number | null
        if (nn.length === 0) expect(got).toBe(null)
        else expect(got!).toBeCloseTo(varPop, 6)
      }),
    )
  })
})

describe('createAggsHandle: generated steps', () => {
  /** Call `k` of a combined handle reads its value from field `2k` and its filter from field `2k + 1`. */
  const moved = (call: AggregateCall, k: number): AggregateCall => ({
    ...call,
    args: call.args.map((a) => a + 2 * k),
    ...(call.filterArg === undefined ? {} : { filterArg: call.filterArg + 2 * k }),
  })
  const CASES = [
    ...LAW_CASES,
    { name: 'MIN(DOUBLE) with NaN and -0', call: agg('MIN', [DOUBLE]), value: fc.option(fc.constantFrom(1, -1, 0, -0, Number.NaN, 2.5)) },
    { name: 'MAX(TIMESTAMP)', call: agg('MAX', [DataTypes.TIMESTAMP(3)]), value: fc.option(fc.integer({ min: 0, max: 9 })) },
    { name: 'COUNT(x, y)', call: agg('COUNT', [INT, INT]), value: fc.option(fc.integer({ min: 0, max: 3 })) },
  ]
  type Op = { retract: boolean; row: unknown[] }

  it('compute what the loop over the calls computes, with and without retraction, at any offset', () => {
    const arb = fc
      .uniqueArray(fc.integer({ min: 0, max: CASES.length - 1 }), { minLength: 1, maxLength: 5 })
      .chain((picked) => {
        const cs = picked.map((j) => CASES[j]!)
        // field 2k + 1 is call k's filter, or (for COUNT(x, y)) its second argument
        const row = fc.tuple(...cs.map((c) => fc.tuple(c.value, c.call.filterArg === undefined ? c.value : fc.option(fc.boolean())))).map((parts) => parts.flat())
        return fc.record({ cs: fc.constant(cs), ops: fc.array(fc.record({ retract: fc.boolean(), row }), { maxLength: 20 }), retraction: fc.boolean(), offset: fc.nat({ max: 3 }) })
      })
    fc.assert(
      fc.property(arb, ({ cs, ops, retraction, offset }) => {
        const calls = cs.map((c, k) => moved(c.call, k))
        const gen = createSlottedAggsHandle(calls, { retraction })
        const loop = createSlottedAggsHandle(calls, { retraction, compile: false })
        const h1: unknown[] = new Array<unknown>(offset).fill('x')
        const h2: unknown[] = new Array<unknown>(offset).fill('x')
        gen.createAt(h1, offset)
        loop.createAt(h2, offset)
        const applied: Op[] = []
        for (const op of ops) {
          // retract only rows accumulated before, when every call can
          if (op.retract && (!retraction || applied.length === 0)) continue
          const r = op.retract ? applied.splice(0, 1)[0]!.row : op.row
          if (op.retract) {
            gen.retractAt(h1, offset, r)
            loop.retractAt(h2, offset, r)
          } else {
            gen.accumulateAt(h1, offset, r)
            loop.accumulateAt(h2, offset, r)
            applied.push({ retract: false, row: r })
          }
          const t1: unknown[] = ['y']
          const t2: unknown[] = ['y']
          gen.writeValuesAt(h1, offset, t1, 1)
          loop.writeValuesAt(h2, offset, t2, 1)
          expect(t1).toEqual(t2)
        }
        expect(h1.slice(0, offset)).toEqual(h2.slice(0, offset))
      }),
      { numRuns: 300 },
    )
  })

  it('are used by default and for the plain forms too', () => {
    const h = createAggsHandle([agg('COUNT', []), agg('SUM'), agg('MAX')], { retraction: false })
    const accs = h.createAccumulators()
    for (const v of [3, null, 7, 1]) h.accumulate(accs, [v])
    expect(h.getValue(accs)).toEqual([4, 11, 7])
    h.merge(accs, accs.slice())
    expect(h.getValue(accs)).toEqual([8, 22, 7])
  })
})

// ---------------------------------------------------------------------------------------------
// DISTINCT calls sharing one map per argument list

describe('createAggsHandle: DISTINCT calls over the same arguments', () => {
  // rows [x, y, f1, f2]
  const dist = (name: string, args: number[], filterArg?: number): AggregateCall => ({
    ...agg(name, args.map((a) => (a === 1 ? STRING : INT)), { distinct: true }),
    args,
    ...(filterArg === undefined ? {} : { filterArg }),
  })
  const CALLS: AggregateCall[] = [
    dist('COUNT', [0]),
    dist('COUNT', [0], 2),
    { ...agg('COUNT', []), filterArg: 2 },
    dist('COUNT', [0], 3),
    dist('SUM', [0], 2),
    dist('MAX', [0], 3),
    dist('COUNT', [0, 1], 3),
    dist('COUNT', [0, 1]),
    dist('COUNT', [1]),
    dist('LISTAGG', [1], 2),
    agg('SUM', [INT]),
  ]
  type R = [number | null, string | null, boolean | null, boolean | null]
  const rowArb: fc.Arbitrary<R> = fc.tuple(fc.option(fc.integer({ min: 0, max: 4 })), fc.option(fc.constantFrom('a', 'b', 'c')), fc.option(fc.boolean()), fc.option(fc.boolean()))

  /** Each call's result over the (net) rows, computed directly; LISTAGG as its sorted values. */
  const bruteForce = (calls: readonly AggregateCall[], rows: readonly unknown[][]): unknown[] =>
    calls.map((c) => {
      const counted = rows.filter((r) => (c.filterArg === undefined || r[c.filterArg] === true) && c.args.every((a) => r[a] !== null))
      const name = c.name.toUpperCase()
      if (!c.distinct) {
        if (name === 'COUNT') return counted.length
        return counted.length === 0 ? null : counted.reduce((s, r) => s + (r[c.args[0]!] as number), 0)
      }
      const keys = new Map<string, unknown[]>()
      for (const r of counted) keys.set(JSON.stringify(c.args.map((a) => r[a])), c.args.map((a) => r[a]))
      const firsts = [...keys.values()].map((t) => t[0])
      if (name === 'COUNT') return keys.size
      if (firsts.length === 0) return null
      if (name === 'SUM') return (firsts as number[]).reduce((s, v) => s + v, 0)
      if (name === 'MAX') return Math.max(...(firsts as number[]))
      return (firsts as string[]).sort()
    })

  const results = (h: AggsHandle, accs: unknown[]): unknown[] =>
    h.getValue(accs).map((v, i) => (CALLS[i]!.name === 'LISTAGG' && typeof v === 'string' ? v.split(',').sort() : v))

  /** A changelog: rows added, or (with retraction) an earlier live row taken back. */
  const opsArb = (retraction: boolean) => fc.array(fc.oneof(rowArb.map((row) => ({ add: true as const, row })), fc.nat().map((pick) => ({ add: false as const, pick }))), { maxLength: 40 }).map((ops) => (retraction ? ops : ops.filter((o) => o.add)))

  for (const retraction of [true, false])
    it(`give what each computes alone over the net rows, generated or looping (${retraction ? 'with' : 'without'} retraction)`, () => {
      fc.assert(
        fc.property(opsArb(retraction), (ops) => {
          const handles = [createAggsHandle(CALLS, { retraction }), createAggsHandle(CALLS, { retraction, compile: false })]
          const accs = handles.map((h) => h.createAccumulators())
          const live: R[] = []
          for (const op of ops) {
            if (op.add) {
              live.push(op.row)
              handles.forEach((h, k) => h.accumulate(accs[k]!, op.row))
            } else {
              if (live.length === 0) continue
              const [row] = live.splice(op.pick % live.length, 1)
              handles.forEach((h, k) => h.retract(accs[k]!, row!))
            }
            const expected = bruteForce(CALLS, live)
            handles.forEach((h, k) => expect(results(h, accs[k]!)).toEqual(expected))
          }
        }),
        { numRuns: 150 },
      )
    })

  for (const retraction of [true, false])
    it(`merge the accumulators of two parts into those of both, leaving the other alone (${retraction ? 'with' : 'without'} retraction)`, () => {
      // with retraction, part b may take back rows of part a: its counts go below 0 until merged
      fc.assert(
        fc.property(fc.array(rowArb, { maxLength: 20 }), fc.array(rowArb, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: retraction ? 10 : 0 }), (a, b, picks) => {
          const h = createAggsHandle(CALLS, { retraction })
          const x = h.createAccumulators()
          const y = h.createAccumulators()
          for (const r of a) h.accumulate(x, r)
          for (const r of b) h.accumulate(y, r)
          const net = [...a, ...b]
          const fromA = [...a]
          for (const p of picks) {
            if (fromA.length === 0) break
            const [r] = fromA.splice(p % fromA.length, 1)
            h.retract(y, r!)
            net.splice(net.indexOf(r!), 1)
          }
          const yBefore = structuredClone(y)
          h.merge(x, y)
          expect(results(h, x)).toEqual(bruteForce(CALLS, net))
          expect(y).toEqual(yBefore)
        }),
        { numRuns: 150 },
      )
    })

  it('keep one map per argument list, whatever the FILTERs and functions', () => {
    const maps = (accs: unknown[]): number => {
      let n = 0
      const walk = (v: unknown): void => {
        if (v instanceof Map) n++
        if (Array.isArray(v)) v.forEach(walk)
      }
      accs.forEach(walk)
      return n
    }
    // [x], [x, y] (a tuple: its values are kept too), [y]; with retraction MAX keeps its own multiset
    expect(maps(createAggsHandle(CALLS, { retraction: false }).createAccumulators())).toBe(1 + 2 + 1)
    expect(maps(createAggsHandle(CALLS, { retraction: true }).createAccumulators())).toBe(1 + 2 + 1 + 1)
    // Nexmark q16: 8 COUNT(DISTINCT) over 2 columns, 4 filters each
    const q16 = [0, 1].flatMap((a) => [undefined, 2, 3, 4].map((f) => dist('COUNT', [a], f)))
    expect(maps(createAggsHandle(q16, { retraction: false }).createAccumulators())).toBe(2)
  })

  it('share a map among at most 30 calls, and the next calls start another', () => {
    // 40 calls COUNT(DISTINCT x) FILTER (WHERE f_i), over rows [x, f_0 ... f_39]
    const calls = Array.from({ length: 40 }, (_, i) => ({ ...agg('COUNT', [INT], { distinct: true }), filterArg: 1 + i }))
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.array(fc.boolean(), { minLength: 40, maxLength: 40 })), { maxLength: 30 }), fc.boolean(), (parts, retraction) => {
        const rows = parts.map(([x, fs]) => [x, ...fs])
        const h = createAggsHandle(calls, { retraction })
        const accs = h.createAccumulators()
        for (const r of rows) h.accumulate(accs, r)
        expect(h.getValue(accs)).toEqual(bruteForce(calls, rows))
        if (retraction && rows.length > 0) {
          h.retract(accs, rows[0]!)
          expect(h.getValue(accs)).toEqual(bruteForce(calls, rows.slice(1)))
        }
      }),
      { numRuns: 50 },
    )
  })

  it('keep plain data: a structured clone continues where the original was', () => {
    for (const retraction of [true, false]) {
      const h = createAggsHandle(CALLS, { retraction })
      const rows: R[] = [
        [1, 'a', true, false],
        [2, 'b', false, true],
        [1, 'b', true, true],
        [3, null, null, true],
      ]
      const accs = h.createAccumulators()
      for (const r of rows) h.accumulate(accs, r)
      const copy = structuredClone(accs)
      const more: R[] = [
        [3, 'c', true, false],
        [2, 'b', true, true],
      ]
      for (const a of [accs, copy]) for (const r of more) h.accumulate(a, r)
      if (retraction) for (const a of [accs, copy]) h.retract(a, rows[2]!)
      expect(results(h, copy)).toEqual(results(h, accs))
      expect(results(h, copy)).toEqual(bruteForce(CALLS, retraction ? [rows[0]!, rows[1]!, rows[3]!, ...more] : [...rows, ...more]))
    }
  })

  it('without retraction support, refuse to retract', () => {
    const h = createAggsHandle([dist('COUNT', [0]), dist('COUNT', [0], 2), agg('SUM', [INT])], { retraction: false })
    expect(h.retractable).toBe(false)
    const accs = h.createAccumulators()
    h.accumulate(accs, [1, 'a', true, null])
    expect(() => h.retract(accs, [1, 'a', true, null])).toThrow('Aggregate COUNT(DISTINCT $0), COUNT(DISTINCT $0) cannot retract')
  })
})
