import { describe, expect, it } from 'vitest'
import { DataTypes as T } from '../../types/data-type.js'
import { errs, type Schema, t, v } from '../test-support.js'

const B: Schema = [
  ['p', T.BOOLEAN()],
  ['q', T.BOOLEAN()],
]
const tri = [true, false, null] as const

describe('three-valued logic', () => {
  // SQL's truth tables, written out
  const and = (a: boolean | null, b: boolean | null): boolean | null => (a === false || b === false ? false : a === null || b === null ? null : true)
  const or = (a: boolean | null, b: boolean | null): boolean | null => (a === true || b === true ? true : a === null || b === null ? null : false)

  it('AND, OR, NOT follow the truth tables', () => {
    for (const a of tri)
      for (const b of tri) {
        expect(v('p AND q', B, [a, b])).toBe(and(a, b))
        expect(v('p OR q', B, [a, b])).toBe(or(a, b))
        expect(v('p AND q AND NOT p', B, [a, b])).toBe(and(and(a, b), a === null ? null : !a))
      }
    expect(v('NOT p', B, [true])).toBe(false)
    expect(v('NOT p', B, [null])).toBe(null)
  })

  it('IS TRUE / IS FALSE / IS UNKNOWN never return NULL', () => {
    const expected: Record<string, [boolean, boolean, boolean]> = {
      TRUE: [true, false, false],
      FALSE: [false, true, false],
      UNKNOWN: [false, false, true],
      NULL: [false, false, true],
    }
    for (const [test, values] of Object.entries(expected))
      tri.forEach((a, i) => {
        expect(v(`p IS ${test}`, B, [a])).toBe(values[i])
        expect(v(`p IS NOT ${test}`, B, [a])).toBe(!values[i])
      })
    expect(t('p IS TRUE', B)).toBe('BOOLEAN NOT NULL')
    expect(errs('1 IS UNKNOWN')[0]![0]).toMatch(/Supported form\(s\): '<BOOLEAN> IS UNKNOWN'/)
  })

  it('short-circuits: the right side of FALSE AND x is not evaluated', () => {
    const s: Schema = [['a', T.INT()]]
    expect(v('a <> 0 AND 1 / a > 0', s, [0])).toBe(false)
    expect(v('a <> 0 AND 1 / a > 0', s, [1])).toBe(true)
    expect(v('a = 0 OR 1 / a > 0', s, [0])).toBe(true)
    expect(() => v('1 / a > 0 AND a <> 0', s, [0])).toThrow('Failed to evaluate 1 / a at line 1, column 1: Division by zero.')
  })
})

describe('comparisons', () => {
  const S: Schema = [
    ['i', T.INT()],
    ['d', T.DECIMAL(5, 2)],
    ['s', T.STRING()],
    ['ts', T.TIMESTAMP(3)],
    ['l', T.TIMESTAMP_LTZ(3)],
  ]
  it('compares across numeric types, strings, and timestamps of both kinds', () => {
    expect(v('i = d', S, [2, 2.0])).toBe(true)
    expect(v('i < d', S, [2, 2.5])).toBe(true)
    expect(v("s >= 'b'", S, [0, 0, 'abc'])).toBe(false)
    expect(v("s <> 'abc'", S, [0, 0, 'abc'])).toBe(false)
    expect(v("s != 'abd'", S, [0, 0, 'abc'])).toBe(true)
    expect(v('ts = l', S, [0, 0, '', 1000, 1000])).toBe(true)
    expect(v('1e0 = 1')).toBe(true)
    expect(v("'B' < 'a'")).toBe(true)
    expect(v("X'0102' < X'02'")).toBe(true)
    expect(v("DATE '2020-01-01' < DATE '2020-01-02'")).toBe(true)
    expect(v('ARRAY[1, 2] = ARRAY[1, 2]')).toBe(true)
    expect(v('ROW(1, 2) <> ROW(1, 3)')).toBe(true)
  })

  it('gives NULL when either side is NULL', () => {
    for (const o of ['=', '<>', '<', '<=', '>', '>=']) {
      expect(v(`i ${o} 1`, S, [null])).toBe(null)
      expect(v(`NULL ${o} 1`)).toBe(null)
    }
  })

  it('IS [NOT] DISTINCT FROM treats NULLs as equal', () => {
    const cases: [number | null, number | null, boolean][] = [
      [1, 1, false],
      [1, 2, true],
      [null, 1, true],
      [1, null, true],
      [null, null, false],
    ]
    const S2: Schema = [
      ['a', T.INT()],
      ['b', T.BIGINT()],
    ]
    for (const [a, b, distinct] of cases) {
      expect(v('a IS DISTINCT FROM b', S2, [a, b])).toBe(distinct)
      expect(v('a IS NOT DISTINCT FROM b', S2, [a, b])).toBe(!distinct)
    }
    expect(t('a IS DISTINCT FROM b', S2)).toBe('BOOLEAN NOT NULL')
  })

  it('rejects comparisons of incomparable types, as Flink', () => {
    expect(errs('s = i', S)).toEqual([["Cannot apply '=' to arguments of type '<STRING> = <INT>'. Supported form(s): '<COMPARABLE_TYPE> = <COMPARABLE_TYPE>'", 1, 1]])
    expect(errs('TRUE < 1')[0]![0]).toMatch(/Cannot apply '<'/)
    expect(errs("DATE '2020-01-01' = ts", S)[0]![0]).toMatch(/Cannot apply '='/)
  })

  it('BETWEEN is inclusive, NOT BETWEEN its negation, SYMMETRIC accepts reversed bounds', () => {
    const S1: Schema = [['i', T.INT()]]
    expect([1, 2, 5, 6].map((i) => v('i BETWEEN 2 AND 5', S1, [i]))).toEqual([false, true, true, false])
    expect([1, 2, 5, 6].map((i) => v('i NOT BETWEEN 2 AND 5', S1, [i]))).toEqual([true, false, false, true])
    expect(v('i BETWEEN 5 AND 2', S1, [3])).toBe(false)
    expect(v('i BETWEEN SYMMETRIC 5 AND 2', S1, [3])).toBe(true)
    expect(v('i BETWEEN 2 AND 5', S1, [null])).toBe(null)
  })

  it('IN: true on a match, NULL when nothing matches and NULL is among the elements, as SQL', () => {
    const S1: Schema = [['i', T.INT()]]
    expect(v('i IN (1, 2)', S1, [2])).toBe(true)
    expect(v('i IN (1, 2)', S1, [3])).toBe(false)
    expect(v('i IN (1, NULL)', S1, [1])).toBe(true)
    expect(v('i IN (1, NULL)', S1, [3])).toBe(null)
    expect(v('i IN (1, 2)', S1, [null])).toBe(null)
    expect(v('i NOT IN (1, 2)', S1, [3])).toBe(true)
    expect(v('i NOT IN (1, NULL)', S1, [3])).toBe(null)
    // non-literal elements, and a DECIMAL element widening the comparison
    expect(v('i IN (i + 1, 3.0)', S1, [3])).toBe(true)
    expect(v("'b' IN ('a', 'bb')")).toBe(false)
    expect(v('ARRAY[1] IN (ARRAY[2], ARRAY[1])')).toBe(true)
    expect(errs("i IN (1, 'a')", S1)[0]![0]).toMatch(/Cannot apply 'IN'/)
  })
})

describe('LIKE and SIMILAR TO', () => {
  const S: Schema = [['s', T.STRING()]]
  it('matches % and _ and nothing else', () => {
    const cases: [string, string, boolean][] = [
      ['abc', 'a%', true],
      ['abc', '%c', true],
      ['abc', 'a_c', true],
      ['abc', 'a_', false],
      ['a.c', 'a.c', true],
      ['abc', 'a.c', false],
      ['a+c', 'a+c', true],
      ['line1\nline2', 'line1%', true],
      ['', '%', true],
      ['(x)', '(%)', true],
      ['a\\b', 'a\\b', true],
    ]
    for (const [s, p, m] of cases) expect(v(`s LIKE '${p}'`, S, [s]), `${s} LIKE ${p}`).toBe(m)
  })
  it('supports an escape character, and NOT LIKE', () => {
    expect(v("'10%' LIKE '10!%' ESCAPE '!'")).toBe(true)
    expect(v("'100' LIKE '10!%' ESCAPE '!'")).toBe(false)
    expect(v("'a_b' LIKE 'a\\_b' ESCAPE '\\'")).toBe(true)
    expect(v("s NOT LIKE 'a%'", S, ['abc'])).toBe(false)
    expect(v("s LIKE 'a%'", S, [null])).toBe(null)
    expect(() => v("'a' LIKE 'a!' ESCAPE '!'")).toThrow(/Invalid escape sequence/)
  })
  it('applies a pattern read per record', () => {
    const S2: Schema = [
      ['s', T.STRING()],
      ['p', T.STRING()],
    ]
    expect(v('s LIKE p', S2, ['hello', 'h%o'])).toBe(true)
    expect(v('s LIKE p', S2, ['hello', 'x%'])).toBe(false)
  })
  it('SIMILAR TO uses SQL regular expressions over the whole string', () => {
    const cases: [string, string, boolean][] = [
      ['abc', 'a.c', false],
      ['a.c', 'a.c', true],
      ['abcd', 'a%', true],
      ['abc', '(a|x)(b|y)c', true],
      ['aaa', 'a+', true],
      ['aab', 'a+', false],
      ['b', '[a-c]', true],
      ['xabcx', 'abc', false],
    ]
    for (const [s, p, m] of cases) expect(v(`'${s}' SIMILAR TO '${p}'`), `${s} SIMILAR TO ${p}`).toBe(m)
    expect(v("'abc' NOT SIMILAR TO 'a%'")).toBe(false)
  })
})

describe('conditional functions', () => {
  const S: Schema = [
    ['a', T.INT()],
    ['b', T.BIGINT()],
    ['s', T.STRING()],
  ]
  it('CASE picks the first TRUE branch; NULL and FALSE fall through; no ELSE gives NULL', () => {
    const c = "CASE WHEN a > 10 THEN 'big' WHEN a > 0 THEN 'small' ELSE 'none' END"
    expect([20, 5, -1, null].map((a) => v(c, S, [a]))).toEqual(['big', 'small', 'none', 'none'])
    expect(v("CASE WHEN a > 0 THEN 'pos' END", S, [-1])).toBe(null)
    expect(t(c, S)).toBe('VARCHAR(5) NOT NULL')
    expect(t('CASE WHEN a > 0 THEN a ELSE b END', S)).toBe('BIGINT')
    expect(t('CASE WHEN a > 0 THEN 1 ELSE 2.5 END', S)).toBe('DECIMAL(11, 1) NOT NULL')
  })

  it('simple CASE compares the operand', () => {
    const c = "CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END"
    expect([1, 2, 3, null].map((a) => v(c, S, [a]))).toEqual(['one', 'two', 'many', 'many'])
  })

  it('CASE does not evaluate branches it does not take', () => {
    expect(v('CASE WHEN a = 0 THEN 0 ELSE 10 / a END', S, [0])).toBe(0)
    expect(v('CASE WHEN a = 0 THEN 0 ELSE 10 / a END', S, [5])).toBe(2)
  })

  it('COALESCE, IFNULL, NVL return the first non-NULL value; NULLIF; IF', () => {
    expect(v('COALESCE(a, b, 7)', S, [null, null])).toBe(7)
    expect(v('COALESCE(a, b, 7)', S, [null, 5])).toBe(5)
    expect(t('COALESCE(a, 7)', S)).toBe('INT NOT NULL')
    expect(t('COALESCE(a, b)', S)).toBe('BIGINT')
    expect(v("IFNULL(s, 'x')", S, [0, 0, null])).toBe('x')
    expect(v("NVL(s, 'x')", S, [0, 0, 'y'])).toBe('y')
    expect(v('NULLIF(a, 3)', S, [3])).toBe(null)
    expect(v('NULLIF(a, 3)', S, [4])).toBe(4)
    expect(v('NULLIF(a, 3)', S, [null])).toBe(null)
    expect(v("IF(a > 0, 'p', 'n')", S, [1])).toBe('p')
    expect(v("IF(a > 0, 'p', 'n')", S, [null])).toBe('n')
    expect(errs('COALESCE(a, s)', S)[0]![0]).toMatch(/common type/)
    expect(errs('CASE WHEN TRUE THEN NULL END')[0]![0]).toMatch(/Illegal use of 'NULL'/)
    expect(errs("CASE WHEN 1 THEN 'x' END")[0]![0]).toBe('The WHEN conditions of CASE must be BOOLEAN, but one is INT NOT NULL')
  })

  it('GREATEST and LEAST over a common type; NULL if any argument is NULL', () => {
    expect(v('GREATEST(1, 2.5, 2)')).toBe(2.5)
    expect(v("LEAST('b', 'a', 'c')")).toBe('a')
    expect(v('GREATEST(a, 1)', S, [null])).toBe(null)
    expect(t('GREATEST(1, 2.5)')).toBe('DECIMAL(11, 1) NOT NULL')
    expect(v('LEAST(5, 4, 3, 2, 1)')).toBe(1)
  })

  it('IS_ALPHA, IS_DIGIT, IS_DECIMAL give FALSE for NULL', () => {
    expect(v("IS_ALPHA('abc')")).toBe(true)
    expect(v("IS_ALPHA('ab1')")).toBe(false)
    expect(v("IS_DIGIT('123')")).toBe(true)
    expect(v('IS_DIGIT(123)')).toBe(true)
    expect(v('IS_DIGIT(1.5e0)')).toBe(false)
    expect(v("IS_DECIMAL('-1.5e3')")).toBe(true)
    expect(v("IS_DECIMAL('1.5.3')")).toBe(false)
    expect(v('IS_ALPHA(CAST(NULL AS VARCHAR))')).toBe(false)
  })
})
