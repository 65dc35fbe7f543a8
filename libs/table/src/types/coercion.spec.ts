import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type DataType, DataTypes as T, formatType } from './data-type.js'
import { arithmeticType, canCast, commonType, comparisonType, decimalDivideType, decimalPlusType, decimalRoundType, decimalTimesType, supportsImplicitCast } from './coercion.js'

const f = (t: DataType | undefined): string => (t === undefined ? '-' : formatType(t))

describe('commonType', () => {
  it.each([
    [[T.INT(false), T.BIGINT(false)], 'BIGINT NOT NULL'],
    [[T.INT(), T.BIGINT(false)], 'BIGINT'],
    [[T.TINYINT(false), T.SMALLINT(false)], 'SMALLINT NOT NULL'],
    [[T.INT(false), T.DECIMAL(5, 2, false)], 'DECIMAL(12, 2) NOT NULL'],
    [[T.INT(), T.BIGINT(), T.DECIMAL(2, 2)], 'DECIMAL(21, 2)'],
    [[T.DECIMAL(38, 0), T.DECIMAL(38, 10)], 'DECIMAL(38, 0)'],
    [[T.INT(), T.DOUBLE()], 'DOUBLE'],
    [[T.DECIMAL(10, 2), T.DOUBLE()], 'DOUBLE'],
    [[T.DECIMAL(10, 2), T.FLOAT()], 'DOUBLE'],
    [[T.INT(), T.FLOAT()], 'FLOAT'],
    [[T.FLOAT(), T.DOUBLE()], 'DOUBLE'],
    [[T.CHAR(1, false), T.CHAR(3, false)], 'VARCHAR(3) NOT NULL'],
    [[T.CHAR(3, false), T.CHAR(3, false)], 'CHAR(3) NOT NULL'],
    [[T.CHAR(3), T.VARCHAR(10)], 'VARCHAR(10)'],
    [[T.CHAR(3), T.STRING()], 'STRING'],
    [[T.TIMESTAMP(3), T.TIMESTAMP(6)], 'TIMESTAMP(6)'],
    [[T.TIMESTAMP(3), T.TIMESTAMP_LTZ(3)], 'TIMESTAMP_LTZ(3)'],
    [[T.TIME(0), T.TIME(3)], 'TIME(3)'],
    [[T.DATE(), T.DATE(false)], 'DATE'],
    [[T.NULL(), T.INT(false)], 'INT'],
    [[T.INT(false), T.NULL()], 'INT'],
    [[T.NULL(), T.NULL()], '-'],
    [[T.INT(), T.STRING()], '-'],
    [[T.BOOLEAN(), T.INT()], '-'],
    [[T.ARRAY(T.INT()), T.ARRAY(T.BIGINT())], 'ARRAY<BIGINT>'],
    [[T.MAP(T.STRING(), T.INT()), T.MAP(T.CHAR(2), T.DOUBLE())], 'MAP<STRING, DOUBLE>'],
    [[T.ROW([{ name: 'a', type: T.INT() }]), T.ROW([{ name: 'b', type: T.DECIMAL(5, 1) }])], 'ROW<`a` DECIMAL(11, 1)>'],
    [[T.ARRAY(T.INT()), T.INT()], '-'],
    [[T.INTERVAL_DAY_TIME(), T.INTERVAL_DAY_TIME(false)], 'INTERVAL SECOND(3)'],
  ] as [DataType[], string][])('%j -> %s', (types, expected) => {
    expect(f(commonType(types))).toBe(expected)
  })

  it('drops time attributes', () => {
    const rowtime: DataType = { kind: 'TIMESTAMP', precision: 3, nullable: false, timeAttribute: 'ROWTIME' }
    expect(f(commonType([rowtime, T.TIMESTAMP(3, false)]))).toBe('TIMESTAMP(3) NOT NULL')
    expect(f(commonType([rowtime]))).toBe('TIMESTAMP(3) NOT NULL')
  })

  const atomic = fc.constantFrom<DataType>(
    T.TINYINT(),
    T.SMALLINT(false),
    T.INT(),
    T.BIGINT(false),
    T.FLOAT(),
    T.DOUBLE(),
    T.DECIMAL(5, 2),
    T.DECIMAL(38, 10, false),
    T.DECIMAL(20, 0),
    T.CHAR(1),
    T.CHAR(3, false),
    T.VARCHAR(5),
    T.STRING(),
    T.BOOLEAN(),
    T.DATE(),
    T.TIME(0),
    T.TIMESTAMP(3),
    T.TIMESTAMP_LTZ(6),
    T.INTERVAL_DAY_TIME(),
    T.BYTES(),
    T.NULL(),
  )

  it('is commutative, and every input casts implicitly to the result', () => {
    fc.assert(
      fc.property(atomic, atomic, (a, b) => {
        const c1 = commonType([a, b])
        const c2 = commonType([b, a])
        expect(f(c1)).toBe(f(c2))
        if (c1 !== undefined) {
          expect(supportsImplicitCast(a, c1)).toBe(true)
          expect(supportsImplicitCast(b, c1)).toBe(true)
          expect(c1.nullable).toBe(a.nullable || b.nullable)
        }
      }),
    )
  })

  it('is idempotent: the common type of a type and itself is the type, nullable or not', () => {
    fc.assert(
      fc.property(atomic, (a) => {
        if (a.kind === 'NULL') return
        expect(f(commonType([a, a]))).toBe(f(a))
      }),
    )
  })
})

describe('arithmeticType', () => {
  it.each([
    ['+', T.INT(false), T.BIGINT(false), 'BIGINT NOT NULL'],
    ['+', T.INT(false), T.INT(false), 'INT NOT NULL'],
    ['+', T.TINYINT(), T.TINYINT(false), 'TINYINT'],
    ['+', T.INT(false), T.DECIMAL(5, 2, false), 'DECIMAL(13, 2) NOT NULL'],
    ['-', T.DECIMAL(10, 2), T.DECIMAL(5, 4), 'DECIMAL(13, 4)'],
    ['*', T.DECIMAL(10, 2), T.DECIMAL(10, 2), 'DECIMAL(21, 4)'],
    ['*', T.INT(), T.DECIMAL(10, 2), 'DECIMAL(21, 2)'],
    ['/', T.DECIMAL(10, 2), T.DECIMAL(10, 2), 'DECIMAL(23, 13)'],
    ['/', T.DECIMAL(38, 10), T.DECIMAL(38, 10), 'DECIMAL(38, 6)'],
    ['/', T.INT(), T.INT(), 'INT'],
    ['/', T.INT(), T.BIGINT(), 'BIGINT'],
    ['/', T.INT(), T.DOUBLE(), 'DOUBLE'],
    ['%', T.DECIMAL(10, 2), T.INT(), 'DECIMAL(10, 2)'],
    ['%', T.BIGINT(), T.INT(), 'INT'],
    ['%', T.INT(), T.DOUBLE(), '-'],
    ['+', T.INT(), T.DOUBLE(), 'DOUBLE'],
    ['+', T.DECIMAL(10, 2), T.DOUBLE(), 'DOUBLE'],
    ['+', T.DECIMAL(10, 2), T.FLOAT(), 'DOUBLE'],
    ['+', T.INT(), T.FLOAT(), 'FLOAT'],
    ['+', T.STRING(), T.INT(), '-'],
  ] as ['+' | '-' | '*' | '/' | '%', DataType, DataType, string][])('%s of %j and %j -> %s', (op, a, b, expected) => {
    expect(f(arithmeticType(op, a, b))).toBe(expected)
  })

  it('follows the documented DECIMAL rules and never exceeds precision 38', () => {
    const ps = fc.integer({ min: 1, max: 38 }).chain((p) => fc.tuple(fc.constant(p), fc.integer({ min: 0, max: p })))
    fc.assert(
      fc.property(ps, ps, ([p1, s1], [p2, s2]) => {
        for (const t of [decimalPlusType(p1, s1, p2, s2), decimalTimesType(p1, s1, p2, s2), decimalDivideType(p1, s1, p2, s2)]) {
          const d = t as { precision: number; scale: number }
          expect(d.precision).toBeLessThanOrEqual(38)
          expect(d.scale).toBeLessThanOrEqual(d.precision)
          expect(d.scale).toBeGreaterThanOrEqual(0)
        }
        const plus = decimalPlusType(p1, s1, p2, s2) as { precision: number; scale: number }
        if (Math.max(p1 - s1, p2 - s2) + Math.max(s1, s2) + 1 <= 38) {
          expect(plus.scale).toBe(Math.max(s1, s2))
          expect(plus.precision).toBe(Math.max(p1 - s1, p2 - s2) + Math.max(s1, s2) + 1)
        }
      }),
    )
  })

  it('derives ROUND types as Flink', () => {
    expect(f(decimalRoundType(10, 3, 1))).toBe('DECIMAL(9, 1)')
    expect(f(decimalRoundType(10, 3, 5))).toBe('DECIMAL(10, 3)')
    expect(f(decimalRoundType(10, 3, -1))).toBe('DECIMAL(8, 0)')
  })
})

describe('casts', () => {
  it.each([
    [T.INT(), T.BIGINT(), true, true],
    [T.BIGINT(), T.INT(), false, true],
    [T.INT(), T.DECIMAL(3, 1), true, true],
    [T.DECIMAL(10, 2), T.FLOAT(), true, true],
    [T.DOUBLE(), T.FLOAT(), false, true],
    [T.INT(), T.STRING(), false, true],
    [T.STRING(), T.INT(), false, true],
    [T.STRING(), T.BOOLEAN(), false, true],
    [T.INT(), T.BOOLEAN(), false, true],
    [T.BOOLEAN(), T.INT(), false, true],
    [T.CHAR(3), T.STRING(), true, true],
    [T.STRING(), T.CHAR(3), false, true],
    [T.STRING(), T.BYTES(), false, true],
    [T.BYTES(), T.STRING(), false, true],
    [T.TIMESTAMP(3), T.TIMESTAMP_LTZ(3), true, true],
    [T.TIMESTAMP_LTZ(3), T.TIMESTAMP(3), true, true],
    [T.TIMESTAMP(3), T.DATE(), true, true],
    [T.DATE(), T.TIMESTAMP(3), false, true],
    [T.TIME(), T.DATE(), false, false],
    [T.DATE(), T.TIME(), false, false],
    [T.STRING(), T.TIMESTAMP(3), false, true],
    [T.BIGINT(), T.TIMESTAMP(3), false, true],
    [T.TIMESTAMP(3), T.BIGINT(), false, true],
    [T.DATE(), T.INT(), false, false],
    [T.BOOLEAN(), T.DATE(), false, false],
    [T.INT(), T.INTERVAL_DAY_TIME(), false, true],
    [T.INTERVAL_YEAR_MONTH(), T.INT(), false, true],
    [T.INTERVAL_YEAR_MONTH(), T.INTERVAL_DAY_TIME(), false, false],
    [T.ARRAY(T.INT()), T.ARRAY(T.STRING()), false, true],
    [T.ARRAY(T.INT()), T.ARRAY(T.BIGINT()), true, true],
    [T.ARRAY(T.INT()), T.STRING(), false, true],
    [T.ARRAY(T.INT()), T.MAP(T.INT(), T.INT()), false, false],
    [T.ROW([{ name: 'a', type: T.INT() }]), T.ROW([{ name: 'x', type: T.STRING() }]), false, true],
    [T.ROW([{ name: 'a', type: T.INT() }]), T.ROW([{ name: 'a', type: T.INT() }, { name: 'b', type: T.INT() }]), false, false],
    [T.NULL(), T.DATE(), true, true],
    [T.INT(), T.INT(false), false, true],
  ] as [DataType, DataType, boolean, boolean][])('%j to %j: implicit %s, explicit %s', (from, to, implicit, explicit) => {
    expect(supportsImplicitCast(from, to)).toBe(implicit)
    expect(canCast(from, to)).toBe(explicit)
  })
})

describe('comparisonType', () => {
  it.each([
    [T.INT(), T.DECIMAL(5, 2), 'DECIMAL(12, 2)'],
    [T.INT(), T.DOUBLE(false), 'DOUBLE'],
    [T.CHAR(3), T.STRING(), 'STRING'],
    [T.TIMESTAMP(3), T.TIMESTAMP_LTZ(3), 'TIMESTAMP_LTZ(3)'],
    [T.NULL(), T.INT(false), 'INT'],
    [T.STRING(), T.INT(), '-'],
    [T.DATE(), T.TIMESTAMP(3), '-'],
    [T.BOOLEAN(), T.INT(), '-'],
    [T.ARRAY(T.INT()), T.ARRAY(T.BIGINT()), 'ARRAY<BIGINT>'],
  ] as [DataType, DataType, string][])('%j vs %j -> %s', (a, b, expected) => {
    expect(f(comparisonType(a, b))).toBe(expected)
  })
})
