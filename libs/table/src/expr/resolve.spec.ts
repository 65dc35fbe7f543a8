import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Expr, FunctionCall } from '../sql/ast.js'
import { type DataType, DataTypes as T, formatType } from '../types/data-type.js'
import { formatRex } from './format-rex.js'
import { resolveExpr } from './resolve.js'
import { call, inputRef, literal } from './rex.js'
import type { ResolveContext, Scope } from './scope.js'
import { at, bin, errs, fn, fnAt, id, interval, num, op, resolveErr, resolveOk, run, selectCtx, sql, str, t, tsLit, typeOf, v } from './test-support.js'

const rowtime: DataType = { kind: 'TIMESTAMP', precision: 3, nullable: false, timeAttribute: 'ROWTIME' }

/** Two tables, `b` (bids) and `p` (persons), joined: fields of the right side read `side: 1`. */
const joined: Scope = {
  fields: [
    { name: 'id', qualifier: 'b', type: T.BIGINT(false), side: 0, index: 0 },
    { name: 'price', qualifier: 'b', type: T.DECIMAL(10, 2), side: 0, index: 1 },
    { name: 'ts', qualifier: 'b', type: rowtime, side: 0, index: 2 },
    { name: 'bid', qualifier: 'b', type: T.ROW([{ name: 'price', type: T.INT() }, { name: 'channel', type: T.STRING() }]), side: 0, index: 3 },
    { name: 'id', qualifier: 'p', type: T.BIGINT(false), side: 1, index: 0 },
    { name: 'name', qualifier: 'p', type: T.STRING(), side: 1, index: 1 },
    { name: 'secret', qualifier: 'p', type: T.STRING(), side: 1, index: 2, hidden: true },
  ],
}

const resolve = (e: Expr, ctx: ResolveContext = selectCtx, scope: Scope = joined) => resolveExpr(e, scope, ctx)
const ok = (e: Expr, ctx?: ResolveContext) => {
  const r = resolve(e, ctx)
  if (E.isLeft(r)) throw new Error(r.left.map((p) => p.message).join('; '))
  return r.right
}
const problems = (e: Expr, ctx?: ResolveContext) => {
  const r = resolve(e, ctx)
  if (E.isRight(r)) throw new Error(`expected problems, got ${formatRex(r.right)}`)
  return r.left
}

describe('names', () => {
  it('resolves unqualified, qualified and hidden columns to input references', () => {
    expect(ok(sql('price'))).toEqual(inputRef(1, T.DECIMAL(10, 2), 0))
    expect(ok(sql('name'))).toEqual(inputRef(1, T.STRING(), 1))
    expect(ok(sql('p.id'))).toEqual(inputRef(0, T.BIGINT(false), 1))
    expect(ok(sql('b.id'))).toEqual(inputRef(0, T.BIGINT(false), 0))
    expect(ok(sql('secret'))).toEqual(inputRef(2, T.STRING(), 1))
  })

  it('resolves fields of ROW columns, qualified or not', () => {
    expect(ok(sql('bid.price'))).toEqual({ kind: 'field', expr: inputRef(3, joined.fields[3]!.type, 0), index: 0, type: T.INT() })
    expect(ok(sql('b.bid.channel')).type).toEqual(T.STRING())
  })

  it('reports ambiguous, unknown and misspelt names at their position, with suggestions', () => {
    const at = (text: string) => problems(sql(text)).map((p) => [p.message, p.pos?.line, p.pos?.column])
    expect(at('1 + id')).toEqual([["Column 'id' is ambiguous; qualify it: b.id, p.id", 1, 5]])
    expect(at('price +\n  pricee')).toEqual([["Column 'pricee' not found in any table; did you mean 'price'?", 2, 3]])
    expect(at('zzz')).toEqual([["Column 'zzz' not found in any table", 1, 1]])
    expect(at('p.nam')).toEqual([["Column 'nam' not found in table 'p'; did you mean 'name'?", 1, 1]])
    expect(at('pp.name')).toEqual([["Table 'pp' not found; did you mean 'p'?", 1, 1]])
    expect(at('Price')).toEqual([["Column 'Price' not found in any table; did you mean 'price'?", 1, 1]])
    expect(ok(sql('`price`'))).toEqual(inputRef(1, T.DECIMAL(10, 2), 0))
  })

  it('collects independent problems from all over an expression', () => {
    const ps = problems(sql("nope + price * nada - UPPER(1) + CAST('x' AS DECIMAL(99))"))
    expect(ps.map((p) => [p.message, p.pos?.column])).toEqual([
      ["Column 'nope' not found in any table", 1],
      ["Column 'nada' not found in any table", 16],
      ["Cannot apply 'UPPER' to arguments of type 'UPPER(<INT NOT NULL>)'. Supported form(s): 'UPPER(<STRING>)'", 23],
      ['The precision of DECIMAL must be between 1 and 38 (both inclusive), but was 99.', 46],
    ])
  })

  it('reports correlated references to an outer query', () => {
    const scope: Scope = { fields: [{ name: 'a', type: T.INT(), side: 0, index: 0 }], outer: { fields: [{ name: 'o', type: T.INT(), side: 0, index: 0 }] } }
    const r = resolveExpr(sql('a + o'), scope, selectCtx)
    expect(E.isLeft(r) && r.left[0]).toEqual({ message: "Correlated subqueries are not supported: column 'o' belongs to an outer query", pos: { line: 1, column: 5, offset: 4 } })
  })
})

describe('time attributes', () => {
  it('keep their attribute only when passed through unchanged', () => {
    expect(formatType(ok(sql('ts')).type)).toBe('TIMESTAMP(3) NOT NULL *ROWTIME*')
    expect(formatType(ok(sql('(ts)')).type)).toBe('TIMESTAMP(3) NOT NULL *ROWTIME*')
    expect(formatType(ok(sql("ts + INTERVAL '1' SECOND")).type)).toBe('TIMESTAMP(3) NOT NULL')
    expect(formatType(ok(sql("COALESCE(ts, TIMESTAMP '2020-01-01 00:00:00.000')")).type)).toBe('TIMESTAMP(3) NOT NULL')
    expect(formatType(ok(sql('CAST(ts AS TIMESTAMP(3))')).type)).toBe('TIMESTAMP(3) NOT NULL')
    expect(formatType(ok(sql('PROCTIME()')).type)).toBe('TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*')
  })
})

describe('literals', () => {
  it('type literals as Flink', () => {
    const cases: [string, string][] = [
      ['1', 'INT NOT NULL'],
      ['2147483648', 'BIGINT NOT NULL'],
      ['-2147483648', 'INT NOT NULL'],
      ['99999999999999999999', 'DECIMAL(20, 0) NOT NULL'],
      ['1.10', 'DECIMAL(3, 2) NOT NULL'],
      ['0.5', 'DECIMAL(1, 1) NOT NULL'],
      ['1e3', 'DOUBLE NOT NULL'],
      ["'abc'", 'CHAR(3) NOT NULL'],
      ["TIMESTAMP '2020-04-15 08:05:00'", 'TIMESTAMP(0) NOT NULL'],
      ["TIMESTAMP '2020-04-15 08:05:00.123'", 'TIMESTAMP(3) NOT NULL'],
      ["DATE '2020-04-15'", 'DATE NOT NULL'],
      ["TIME '08:05:00'", 'TIME(0) NOT NULL'],
      ["INTERVAL '10' MINUTE", 'INTERVAL SECOND(3) NOT NULL'],
      ["INTERVAL '1-2' YEAR TO MONTH", 'INTERVAL MONTH NOT NULL'],
      ["X'0aff'", 'BINARY(2) NOT NULL'],
      ['NULL', 'NULL'],
    ]
    for (const [e, type] of cases) expect(t(e), e).toBe(type)
    expect(formatType(typeOf(tsLit('2020-04-15 08:05:00.1', 'timestamp_ltz')))).toBe('TIMESTAMP_LTZ(1) NOT NULL')
  })

  it('convert literals to runtime values', () => {
    const cases: [string, unknown][] = [
      ['-2147483648', -2147483648],
      ['1.10', 1.1],
      ["TIMESTAMP '2020-04-15 08:05:00.123'", Date.UTC(2020, 3, 15, 8, 5, 0, 123)],
      ["DATE '1969-12-31'", -1],
      ["TIME '08:05:00.5'", 29100500],
      ["INTERVAL '10' MINUTE", 600000],
      ["INTERVAL '10' MINUTES", 600000],
      ["INTERVAL '1 10:30' DAY TO MINUTE", ((24 + 10) * 60 + 30) * 60000],
      ["INTERVAL '1 10:30:15.25' DAY TO SECOND", (((24 + 10) * 60 + 30) * 60 + 15) * 1000 + 250],
      ["INTERVAL '-1:30' HOUR TO MINUTE", -90 * 60000],
      ["INTERVAL '1.5' SECOND", 1500],
      ["INTERVAL '1-6' YEAR TO MONTH", 18],
      ["-INTERVAL '2' YEAR", -24],
      ["X'0aff'", new Uint8Array([10, 255])],
    ]
    for (const [e, value] of cases) expect(v(e), e).toEqual(value)
    expect(run(interval('2', 'WEEK'))).toBe(14 * 86400000)
  })

  it('reports malformed literals at their position', () => {
    const cases: [string, string][] = [
      ["TIMESTAMP '2020-13-01 00:00:00'", "Illegal TIMESTAMP literal '2020-13-01 00:00:00': use the format 'yyyy-MM-dd HH:mm:ss[.fffffffff]'"],
      ["TIMESTAMP '2020-04-15T08:05:00'", "Illegal TIMESTAMP literal '2020-04-15T08:05:00': use the format 'yyyy-MM-dd HH:mm:ss[.fffffffff]'"],
      ["DATE '2020-02-30'", "Illegal DATE literal '2020-02-30': use the format 'yyyy-MM-dd'"],
      ["TIME '25:00:00'", "Illegal TIME literal '25:00:00': use the format 'HH:mm:ss[.fff]'"],
      ["INTERVAL '1:30' DAY TO HOUR", "Illegal interval literal format '1:30' for INTERVAL DAY TO HOUR"],
      ["INTERVAL 'abc' MINUTE", "Illegal interval literal format 'abc' for INTERVAL MINUTE"],
      ["INTERVAL '1 25' DAY TO HOUR", "Illegal interval literal format '1 25' for INTERVAL DAY TO HOUR: HOUR field 25 is out of range"],
      [`${'1'.repeat(40)}`, `Numeric literal '${'1'.repeat(40)}' is out of range`],
    ]
    for (const [e, m] of cases) expect(errs(`1 + ${e}`), e).toEqual([[m, 1, 5]])
    expect(resolveErr(bin('abc', at(4)))).toEqual([{ message: "Illegal binary literal X'abc': it needs an even number of hexadecimal digits", pos: at(4) }])
  })
})

describe('hooks', () => {
  const count: FunctionCall = { type: 'call', name: { parts: ['COUNT'], pos: at(8) }, args: [{ type: 'star', pos: at(14) }], distinct: false, pos: at(8) }
  const over: FunctionCall = { ...count, over: { type: 'windowRef', name: 'w', pos: at(20) } }

  it('hands aggregates, OVER calls and subqueries to the context, or reports them as not allowed', () => {
    const where: ResolveContext = { clause: 'WHERE', aggregateNames: new Set(['COUNT']) }
    expect(problems(op('>', count, num(1)), where)).toEqual([{ message: 'Aggregate functions are not allowed in WHERE', pos: at(8) }])
    expect(problems(over, where)).toEqual([{ message: 'OVER windows are not allowed in WHERE', pos: at(8) }])
    const agg = literal(7, T.BIGINT(false))
    const having: ResolveContext = { clause: 'HAVING', aggregateNames: new Set(['COUNT']), onAggregate: () => E.right(agg), onOver: () => E.left([{ message: 'no windows here', pos: at(20) }]) }
    expect(ok(op('>', count, num(1)), having)).toEqual(call('>', [agg, literal(1, T.BIGINT(false))], T.BOOLEAN(false), at(1)))
    expect(problems(over, having)).toEqual([{ message: 'no windows here', pos: at(20) }])
    const sub: Expr = { type: 'scalarSubquery', query: { type: 'values', rows: [], pos: at(30) }, pos: at(29) }
    expect(problems(sub, where)).toEqual([{ message: 'Subqueries are not allowed in WHERE', pos: at(29) }])
    expect(ok(sub, { ...where, onSubquery: () => E.right(literal(1, T.INT())) })).toEqual(literal(1, T.INT()))
  })

  it('substitutes whole expressions (GROUP BY keys)', () => {
    const key = op('+', id('price'), num(1))
    const ctx: ResolveContext = { ...selectCtx, substitute: (e) => (e === key ? inputRef(0, T.DECIMAL(13, 2), 0) : undefined) }
    expect(formatRex(ok(op('*', key, num(2)), ctx))).toBe('$0 * 2')
  })

  it('calls user-defined functions, built-ins first', () => {
    const ctx: ResolveContext = {
      ...selectCtx,
      functions: new Map([
        ['TWICE', { name: 'twice', fn: (x: number) => x * 2, resultType: (ts: readonly DataType[]) => (ts.length === 1 && ts[0]!.kind === 'INT' ? T.INT() : 'expects one INT'), deterministic: true }],
        ['UPPER', { name: 'upper', fn: () => 'shadowed', resultType: () => T.STRING(), deterministic: true }],
      ]),
    }
    const twice = resolveExpr(fn('twice', num(21)), { fields: [] }, ctx)
    expect(E.isRight(twice) && twice.right.kind).toBe('udf')
    expect(E.isRight(twice) && run.length).toBeTruthy()
    const upper = resolveExpr(fn('upper', str('a')), { fields: [] }, ctx)
    expect(E.isRight(upper) && upper.right.kind).toBe('call')
    const bad = resolveExpr(fnAt(at(3), 'twice', str('x')), { fields: [] }, ctx)
    expect(E.isLeft(bad) && bad.left).toEqual([{ message: 'Invalid arguments for function twice: expects one INT', pos: at(3) }])
  })

  it('rejects DISTINCT, FILTER and * outside aggregates', () => {
    const distinct: FunctionCall = { type: 'call', name: { parts: ['UPPER'], pos: at(1) }, args: [str('a')], distinct: true, pos: at(1) }
    expect(resolveErr(distinct)[0]!.message).toBe('DISTINCT is only allowed in aggregate functions, and UPPER is not one')
    expect(resolveErr({ type: 'star', pos: at(2) })).toEqual([{ message: "'*' is only allowed in a select list and in COUNT(*)", pos: at(2) }])
  })
})

describe('implicit casts', () => {
  it('widen operands to the common type of a comparison or CASE', () => {
    const r = resolveOk(op('=', id('i'), num('1.5')), [['i', T.INT()]])
    expect(formatRex(r)).toBe('CAST(i AS DECIMAL(11, 1)) = 1.5'.replace('i', '$0'))
    expect(r.kind === 'call' && r.args[0]!.type).toEqual(T.DECIMAL(11, 1))
  })
})
