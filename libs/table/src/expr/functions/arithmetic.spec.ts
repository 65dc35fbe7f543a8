import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataTypes as T } from '../../types/data-type.js'
import { errs, runCompiled, type Schema, sql, t, v } from '../test-support.js'
import { formatDate, formatTimestamp } from './datetime.js'

const I: Schema = [
  ['a', T.INT(false)],
  ['b', T.INT(false)],
]
const int32 = fc.integer({ min: -2147483648, max: 2147483647 })
const javaInt = (x: bigint): number => Number(BigInt.asIntN(32, x))

describe('integer arithmetic', () => {
  it('INT + - * wrap as Java int, / truncates toward zero, % keeps the dividend sign', () => {
    fc.assert(
      fc.property(int32, int32, (a, b) => {
        const A = BigInt(a)
        const B = BigInt(b)
        expect(v('a + b', I, [a, b])).toBe(javaInt(A + B))
        expect(v('a - b', I, [a, b])).toBe(javaInt(A - B))
        expect(v('a * b', I, [a, b])).toBe(javaInt(A * B))
        if (b !== 0) {
          expect(v('a / b', I, [a, b])).toBe(javaInt(A / B))
          expect(v('a % b', I, [a, b])).toBe(javaInt(A % B))
          expect(v('MOD(a, b)', I, [a, b])).toBe(javaInt(A % B))
        }
      }),
    )
    expect(v('-a', I, [-2147483648, 0])).toBe(-2147483648)
    expect(v('7 / 2')).toBe(3)
    expect(v('-7 / 2')).toBe(-3)
    expect(v('- -7')).toBe(7)
  })

  it('TINYINT and SMALLINT results wrap at their width', () => {
    const S: Schema = [
      ['x', T.TINYINT(false)],
      ['y', T.SMALLINT(false)],
    ]
    expect(v('x + x', S, [100, 0])).toBe(-56)
    expect(v('y * y', S, [0, 300])).toBe((90000 << 16) >> 16)
    expect(t('x + y', S)).toBe('SMALLINT NOT NULL')
  })

  it('fails on integer division and modulo by zero, naming the expression and position', () => {
    expect(() => v('1 +\n  a / b', I, [1, 0])).toThrow('Failed to evaluate a / b at line 2, column 3: Division by zero.')
    expect(() => v('a % b', I, [1, 0])).toThrow(/Division by zero/)
  })

  it('DOUBLE division by zero gives Infinity or NaN, as Java', () => {
    expect(v('1e0 / 0')).toBe(Infinity)
    expect(v('-1e0 / 0')).toBe(-Infinity)
    expect(v('0e0 / 0')).toBeNaN()
  })

  it('BIGINT keeps integers exact up to 2^53', () => {
    const S: Schema = [['x', T.BIGINT(false)]]
    expect(v('x * 1000', S, [2 ** 40])).toBe(2 ** 40 * 1000)
    expect(v('x / 3', S, [-10])).toBe(-3)
    expect(t('x + 1', S)).toBe('BIGINT NOT NULL')
  })

  it('NULL in, NULL out', () => {
    const S: Schema = [['x', T.INT()]]
    for (const o of ['+', '-', '*', '/', '%']) expect(v(`x ${o} 1`, S, [null])).toBe(null)
    expect(v('1 + NULL')).toBe(null)
    expect(t('x + 1', S)).toBe('INT')
  })
})

/** Exact decimal arithmetic on BigInt, rounded half up: the reference for DECIMAL results. */
const exact = (a: number, sa: number, b: number, sb: number, o: '+' | '-' | '*', scale: number): number => {
  const A = BigInt(Math.round(a * 10 ** sa))
  const B = BigInt(Math.round(b * 10 ** sb))
  let r: bigint
  let s: number
  if (o === '*') {
    r = A * B
    s = sa + sb
  } else {
    s = Math.max(sa, sb)
    const A2 = A * 10n ** BigInt(s - sa)
    const B2 = B * 10n ** BigInt(s - sb)
    r = o === '+' ? A2 + B2 : A2 - B2
  }
  if (s > scale) {
    const d = 10n ** BigInt(s - scale)
    const neg = r < 0n
    const abs = neg ? -r : r
    let q = abs / d
    if ((abs % d) * 2n >= d) q += 1n
    r = neg ? -q : q
    s = scale
  }
  return Number(`${r}e-${s}`) + 0
}

describe('DECIMAL arithmetic', () => {
  const D: Schema = [
    ['x', T.DECIMAL(10, 2, false)],
    ['y', T.DECIMAL(8, 3, false)],
  ]
  const dec = (p: number, s: number) => fc.integer({ min: -(10 ** (p - 1)) + 1, max: 10 ** (p - 1) - 1 }).map((n) => n / 10 ** s)

  it('derives Flink result types', () => {
    expect(t('x + y', D)).toBe('DECIMAL(12, 3) NOT NULL')
    expect(t('x * y', D)).toBe('DECIMAL(19, 5) NOT NULL')
    expect(t('x / y', D)).toBe('DECIMAL(22, 11) NOT NULL')
    expect(t('x + 1', D)).toBe('DECIMAL(13, 2) NOT NULL')
    expect(t('1.10 * 2.5')).toBe('DECIMAL(6, 3) NOT NULL')
    expect(t('x + 1e0', D)).toBe('DOUBLE NOT NULL')
  })

  it('computes + - * exactly (to 15 digits) as BigDecimal', () => {
    fc.assert(
      fc.property(dec(9, 2), dec(7, 3), (x, y) => {
        expect(v('x + y', D, [x, y])).toBe(exact(x, 2, y, 3, '+', 3))
        expect(v('x - y', D, [x, y])).toBe(exact(x, 2, y, 3, '-', 3))
        expect(v('x * y', D, [x, y])).toBe(exact(x, 2, y, 3, '*', 5))
      }),
    )
  })

  it('rounds division half up to the result scale', () => {
    expect(v('1.0 / 3')).toBe(0.333333333333)
    expect(v('2.00 / 3.00')).toBe(0.666667)
    expect(v('10.5 / 2')).toBe(5.25)
    expect(() => v('1.0 / 0')).toThrow(/Division by zero/)
  })

  it('gives NULL when the result overflows its precision', () => {
    const S: Schema = [['x', T.DECIMAL(38, 0, false)]]
    expect(v('x * x', S, [1e20])).toBe(null)
  })

  it('% on decimals', () => {
    expect(v('7.5 % 2')).toBe(1.5)
    expect(v('-7.5 % 2')).toBe(-1.5)
  })
})

describe('math functions', () => {
  it('computes as Java Math, with Flink result types', () => {
    const cases: [string, number, string][] = [
      ['ABS(-3)', 3, 'INT NOT NULL'],
      ['ABS(-3.25)', 3.25, 'DECIMAL(3, 2) NOT NULL'],
      ['POWER(2, 10)', 1024, 'DOUBLE NOT NULL'],
      ['SQRT(16)', 4, 'DOUBLE NOT NULL'],
      ['EXP(0)', 1, 'DOUBLE NOT NULL'],
      ['LN(E())', 1, 'DOUBLE NOT NULL'],
      ['LOG2(8)', 3, 'DOUBLE NOT NULL'],
      ['LOG(2, 8)', 3, 'DOUBLE NOT NULL'],
      ['SIGN(-2.5)', -1, 'DECIMAL(2, 1) NOT NULL'],
      ['SIGN(0)', 0, 'INT NOT NULL'],
      ['PI()', Math.PI, 'DOUBLE NOT NULL'],
      ['DEGREES(PI())', 180, 'DOUBLE NOT NULL'],
      ['RADIANS(180)', Math.PI, 'DOUBLE NOT NULL'],
      ['ATAN2(1, 1)', Math.PI / 4, 'DOUBLE NOT NULL'],
      ['SIN(0)', 0, 'DOUBLE NOT NULL'],
      ['COS(0)', 1, 'DOUBLE NOT NULL'],
      ['ASIN(1)', Math.PI / 2, 'DOUBLE NOT NULL'],
    ]
    for (const [e, value, type] of cases) {
      expect(v(e), e).toBe(value)
      expect(t(e), e).toBe(type)
    }
    expect(v('LOG10(1000)')).toBeCloseTo(3, 12)
    expect(v('LOG(100)')).toBeCloseTo(Math.log(100), 12)
    expect(v('COT(1)')).toBeCloseTo(1 / Math.tan(1), 12)
    expect(v('TANH(0)')).toBe(0)
  })

  it('FLOOR and CEIL keep integers, drop the scale of decimals', () => {
    expect(v('FLOOR(-2.5)')).toBe(-3)
    expect(v('CEIL(-2.5)')).toBe(-2)
    expect(v('CEILING(2.1)')).toBe(3)
    expect(v('FLOOR(2.5e0)')).toBe(2)
    expect(t('FLOOR(12.34)')).toBe('DECIMAL(4, 0) NOT NULL')
    expect(v('FLOOR(7)')).toBe(7)
  })

  it('ROUND half up, TRUNCATE toward zero, with negative digits', () => {
    expect(v('ROUND(2.675, 2)')).toBe(2.68)
    expect(v('ROUND(2.675e0, 2)')).toBe(2.68)
    expect(v('ROUND(-2.5)')).toBe(-3)
    expect(v('ROUND(1234, -2)')).toBe(1200)
    expect(v('ROUND(1250, -2)')).toBe(1300)
    expect(t('ROUND(12.345, 1)')).toBe('DECIMAL(4, 1) NOT NULL')
    expect(v('TRUNCATE(2.679, 2)')).toBe(2.67)
    expect(v('TRUNCATE(-2.679, 1)')).toBe(-2.6)
    expect(v('TRUNCATE(1299, -2)')).toBe(1200)
    expect(v('TRUNCATE(2.9)')).toBe(2)
  })

  it('BIN and HEX print two-complement longs', () => {
    expect(v('BIN(12)')).toBe('1100')
    expect(v('BIN(-1)')).toBe('1'.repeat(64))
    expect(v('HEX(255)')).toBe('FF')
    expect(v('HEX(-1)')).toBe('F'.repeat(16))
    expect(v("HEX('Hi')")).toBe('4869')
  })

  it('RAND is in [0, 1), RAND(seed) repeats, RAND_INTEGER is bounded', () => {
    for (let i = 0; i < 20; i++) {
      const r = runCompiled(sql('RAND()')) as number
      expect(r).toBeGreaterThanOrEqual(0)
      expect(r).toBeLessThan(1)
      const n = runCompiled(sql('RAND_INTEGER(10)')) as number
      expect(Number.isInteger(n) && n >= 0 && n < 10).toBe(true)
    }
    expect(t('RAND()')).toBe('DOUBLE NOT NULL')
    const seeded = [1, 2, 3].map(() => runCompiled(sql('RAND(42)')))
    expect(new Set(seeded).size).toBe(1)
  })

  it('rejects non-numeric arguments', () => {
    expect(errs("ABS('x')")[0]![0]).toBe("Cannot apply 'ABS' to arguments of type 'ABS(<CHAR(1) NOT NULL>)'. Supported form(s): 'ABS(<NUMERIC>)', 'ABS(<INTERVAL>)'")
    expect(errs("'a' + 1")[0]![0]).toMatch(/^Cannot apply '\+' to arguments of type '<CHAR\(1\) NOT NULL> \+ <INT NOT NULL>'/)
    expect(errs('1.5e0 % 1')[0]![0]).toMatch(/EXACT_NUMERIC/)
  })
})

describe('time arithmetic', () => {
  const S: Schema = [
    ['ts', T.TIMESTAMP(3)],
    ['d', T.DATE()],
  ]
  const t0 = Date.UTC(2020, 0, 31, 10, 0, 0)
  const fmt = (x: unknown, p = 3): string => formatTimestamp(x as number, p)

  it('adds and subtracts intervals to timestamps and dates', () => {
    expect(fmt(v("ts + INTERVAL '1' HOUR", S, [t0]))).toBe('2020-01-31 11:00:00.000')
    expect(fmt(v("INTERVAL '1' MONTH + ts", S, [t0]))).toBe('2020-02-29 10:00:00.000')
    expect(fmt(v("ts - INTERVAL '1-1' YEAR TO MONTH", S, [t0]))).toBe('2018-12-31 10:00:00.000')
    expect(fmt(v("ts - INTERVAL '1 01:30' DAY TO MINUTE", S, [t0]), 0)).toBe('2020-01-30 08:30:00')
    expect(fmt(v("ts + INTERVAL '10' MINUTES", S, [t0]), 0)).toBe('2020-01-31 10:10:00')
    const d = Date.UTC(2020, 1, 28) / 86400000
    expect(formatDate(v("d + INTERVAL '2' DAY", S, [0, d]) as number)).toBe('2020-03-01')
    expect(formatDate(v("d - INTERVAL '1' YEAR", S, [0, d]) as number)).toBe('2019-02-28')
    expect(t("d + INTERVAL '2' DAY", S)).toBe('DATE')
    expect(t("d + INTERVAL '2' HOUR", S)).toBe('TIMESTAMP(3)')
    expect(t("ts + INTERVAL '2' HOUR", S)).toBe('TIMESTAMP(3)')
  })

  it('adds, scales and negates intervals', () => {
    expect(v("INTERVAL '1' HOUR + INTERVAL '30' MINUTE")).toBe(5400000)
    expect(v("INTERVAL '1' HOUR * 3")).toBe(3 * 3600000)
    expect(v("2 * INTERVAL '1' MONTH")).toBe(2)
    expect(v("INTERVAL '1' HOUR / 4")).toBe(900000)
    expect(v("-INTERVAL '1' DAY")).toBe(-86400000)
    expect(t("INTERVAL '1' HOUR + INTERVAL '30' MINUTE")).toBe('INTERVAL SECOND(3) NOT NULL')
  })

  it('rejects timestamp minus timestamp, pointing to TIMESTAMPDIFF', () => {
    expect(errs("TIMESTAMP '2020-01-01 00:00:00' - TIMESTAMP '2020-01-02 00:00:00'")[0]![0]).toMatch(/Use TIMESTAMPDIFF/)
    expect(errs("TIMESTAMP '2020-01-01 00:00:00' + 1")[0]![0]).toMatch(/Cannot apply '\+'/)
  })
})
