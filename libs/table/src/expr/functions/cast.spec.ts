import { describe, expect, it } from 'vitest'
import { SqlRuntimeError } from '../../errors.js'
import { DataTypes as T } from '../../types/data-type.js'
import { compileScalar } from '../compile.js'
import { errs, resolveOk, type Schema, sql, t, testRuntime, v } from '../test-support.js'
import { formatTimestamp } from './datetime.js'

describe('CAST to STRING', () => {
  it('prints as Flink', () => {
    const cases: [string, string][] = [
      ['42', '42'],
      ['1.50', '1.50'],
      ['1e10', '1.0E10'],
      ['2.5e0', '2.5'],
      ['CAST(1.1 AS FLOAT)', '1.1'],
      ['TRUE', 'TRUE'],
      ["TIMESTAMP '2020-04-15 08:05:00.000'", '2020-04-15 08:05:00.000'],
      ["TIMESTAMP '2020-04-15 08:05:00'", '2020-04-15 08:05:00'],
      ["CAST(TIMESTAMP '2020-04-15 08:05:00' AS TIMESTAMP(3))", '2020-04-15 08:05:00.000'],
      ["DATE '2020-04-15'", '2020-04-15'],
      ["TIME '08:05:00'", '08:05:00'],
      ["INTERVAL '1 10:30' DAY TO MINUTE", '+1 10:30:00.000'],
      ["INTERVAL '1-2' YEAR TO MONTH", '+1-02'],
      ['ARRAY[1, NULL]', '[1, NULL]'],
      ["MAP['a', 1]", '{a=1}'],
      ["ROW(1, 'a')", '(1, a)'],
      ["X'68656c6c6f'", 'hello'],
    ]
    for (const [e, s] of cases) expect(v(`CAST(${e} AS STRING)`), e).toBe(s)
  })

  it('pads CHAR(n) and truncates VARCHAR(n)', () => {
    expect(v("CAST('ab' AS CHAR(4))")).toBe('ab  ')
    expect(v("CAST('abcdef' AS CHAR(3))")).toBe('abc')
    expect(v("CAST('abcdef' AS VARCHAR(3))")).toBe('abc')
    expect(v('CAST(12345 AS VARCHAR(2))')).toBe('12')
  })
})

describe('CAST from STRING', () => {
  it('parses numbers, booleans, dates, times and timestamps after trimming', () => {
    const cases: [string, unknown][] = [
      ["CAST(' 42 ' AS INT)", 42],
      ["CAST('1.9' AS INT)", 1],
      ["CAST('-7' AS BIGINT)", -7],
      ["CAST('1.255' AS DECIMAL(5, 2))", 1.26],
      ["CAST('1e3' AS DOUBLE)", 1000],
      ["CAST('true' AS BOOLEAN)", true],
      ["CAST(' N ' AS BOOLEAN)", false],
      ["CAST('1' AS BOOLEAN)", true],
      ["CAST('2020-04-15' AS DATE)", Date.UTC(2020, 3, 15) / 86400000],
      ["CAST('08:05:01.5' AS TIME(3))", 29101500],
      ["CAST('08:05:01.5' AS TIME)", 29101000],
    ]
    for (const [e, value] of cases) expect(v(e), e).toBe(value)
    expect(formatTimestamp(v("CAST('2020-04-15 08:05:00.123456' AS TIMESTAMP(3))") as number, 3)).toBe('2020-04-15 08:05:00.123')
    expect(formatTimestamp(v("CAST('2020-04-15 08:05:00.129' AS TIMESTAMP(1))") as number, 3)).toBe('2020-04-15 08:05:00.100')
  })

  it('fails with a SqlRuntimeError naming the value, the expression and its position', () => {
    const S: Schema = [['name', T.STRING()]]
    expect(() => v('1 + \n       CAST(name AS INT)', S, ['abc'])).toThrow("Failed to evaluate CAST(name AS INT) at line 2, column 8: Cannot cast 'abc' to INT.")
    expect(() => v("CAST('99999999999' AS INT)")).toThrow(/Cannot cast '99999999999' to INT/)
    expect(() => v("CAST('maybe' AS BOOLEAN)")).toThrow(/Cannot cast 'maybe' to BOOLEAN/)
    expect(() => v("CAST('2020-13-01' AS DATE)")).toThrow(/Cannot cast '2020-13-01' to DATE/)
    expect(() => v("CAST('x' AS TIMESTAMP(3))")).toThrow(/Cannot cast 'x' to TIMESTAMP\(3\)/)
    expect(() => compileScalar(resolveOk(sql("CAST('abc' AS INT)")))(testRuntime)([])).toThrow(SqlRuntimeError)
  })

  it('TRY_CAST gives NULL instead of failing', () => {
    expect(v("TRY_CAST('abc' AS INT)")).toBe(null)
    expect(v("TRY_CAST('12' AS INT)")).toBe(12)
    expect(t("TRY_CAST('12' AS INT)")).toBe('INT')
    expect(t("CAST('12' AS INT)")).toBe('INT NOT NULL')
    // only the cast's own failure becomes NULL, not its operand's
    expect(() => v('TRY_CAST(1 / 0 AS STRING)')).toThrow(/Division by zero/)
  })
})

describe('CAST between numbers, times and collections', () => {
  it('narrows numbers as Java casts', () => {
    const cases: [string, unknown][] = [
      ['CAST(3.9e0 AS INT)', 3],
      ['CAST(-3.9 AS INT)', -3],
      ['CAST(1e20 AS INT)', 2147483647],
      ['CAST(3000000000 AS INT)', -1294967296],
      ['CAST(300 AS TINYINT)', 44],
      ['CAST(1.005 AS DECIMAL(3, 2))', 1.01],
      ['CAST(1000 AS DECIMAL(3, 1))', null],
      ['CAST(16777217 AS FLOAT)', 16777216],
      ['CAST(TRUE AS INT)', 1],
      ['CAST(0 AS BOOLEAN)', false],
    ]
    for (const [e, value] of cases) expect(v(e), e).toBe(value)
  })

  it('converts between timestamps, dates, times and epoch seconds', () => {
    const ts = "TIMESTAMP '2020-04-15 08:05:09.123'"
    const cases: [string, unknown][] = [
      [`CAST(${ts} AS BIGINT)`, 1586937909],
      [`CAST(${ts} AS DATE)`, Date.UTC(2020, 3, 15) / 86400000],
      [`CAST(${ts} AS TIME)`, 29109000],
      [`CAST(${ts} AS TIMESTAMP_LTZ(3))`, 1586937909123],
      [`CAST(${ts} AS TIMESTAMP(3) WITH LOCAL TIME ZONE)`, 1586937909123],
      [`CAST(${ts} AS TIMESTAMP(0))`, 1586937909000],
      [`CAST(${ts} AS DOUBLE)`, 1586937909.123],
      ['CAST(1586937909 AS TIMESTAMP(3))', 1586937909000],
      ["CAST(DATE '2020-04-15' AS TIMESTAMP(3))", Date.UTC(2020, 3, 15)],
    ]
    for (const [e, value] of cases) expect(v(e), e).toBe(value)
  })

  it('casts collections element-wise and rejects what Flink rejects', () => {
    expect(v('CAST(ARRAY[1, 2] AS ARRAY<STRING>)')).toEqual(['1', '2'])
    expect(v("CAST(ARRAY['1', NULL] AS ARRAY<INT>)")).toEqual([1, null])
    expect(errs("CAST(DATE '2020-04-15' AS INT)")).toEqual([['Cast function cannot convert value of type DATE NOT NULL to type INT', 1, 1]])
    expect(errs('CAST(1 AS DECIMAL(50))')[0]![0]).toMatch(/precision of DECIMAL/)
    expect(v('CAST(NULL AS INT)')).toBe(null)
    expect(t('CAST(NULL AS INT)')).toBe('INT')
  })
})
