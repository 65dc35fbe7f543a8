import * as E from 'fp-ts/Either'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Expr, TimeUnit } from '../sql/ast.js'
import { DataTypes as T } from '../types/data-type.js'
import { compilePredicate, compileProjection, compileScalar, generatedSource } from './compile.js'
import { evaluate } from './evaluate.js'
import { foldConstants } from './fold.js'
import { formatRex } from './format-rex.js'
import { resolveExpr } from './resolve.js'
import { call, inputRef, literal, type Rex } from './rex.js'
import { fixedRuntime } from './runtime.js'
import * as H from './test-support.js'

const schema: H.Schema = [
  ['i', T.INT()],
  ['j', T.INT(false)],
  ['b', T.BIGINT()],
  ['d', T.DOUBLE()],
  ['m', T.DECIMAL(10, 2)],
  ['s', T.STRING()],
  ['t', T.STRING(false)],
  ['p', T.BOOLEAN()],
  ['q', T.BOOLEAN(false)],
  ['ts', T.TIMESTAMP(3)],
  ['dt', T.DATE()],
]
const names = schema.map(([n]) => n)

const maybe = <V>(a: fc.Arbitrary<V>): fc.Arbitrary<V | null> => fc.option(a, { freq: 4, nil: null })
const int = fc.integer({ min: -1000, max: 1000 })
const rowArb = fc.tuple(
  maybe(int),
  int,
  maybe(fc.integer({ min: -1e6, max: 1e6 })),
  maybe(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constantFrom(0, 0.5, -2.25))),
  maybe(fc.integer({ min: -99999, max: 99999 }).map((n) => n / 100)),
  maybe(fc.constantFrom('', 'a', 'abc', ' ab ', 'hello world', '42', '1.5', 'x_y%z', 'ÄÖ')),
  fc.constantFrom('', 'b', 'abc', '7', 'world'),
  maybe(fc.boolean()),
  fc.boolean(),
  maybe(fc.integer({ min: 0, max: 4102444800000 })),
  maybe(fc.integer({ min: -3650, max: 36500 })),
)

const P = H.at(1)
const leaf = <V>(...xs: V[]): fc.Arbitrary<V> => fc.constantFrom(...xs)

/** Generators of expressions by result family: numbers, strings, booleans, timestamps. */
const { num, str, bool, ts } = fc.letrec<{ num: Expr; str: Expr; bool: Expr; ts: Expr }>((tie) => {
  const n = tie('num')
  const s = tie('str')
  const b = tie('bool')
  const t = tie('ts')
  const o = { depthSize: 'small' as const, withCrossShrink: true }
  return {
    num: fc.oneof(
      o,
      leaf(H.id('i'), H.id('j'), H.id('b'), H.id('d'), H.id('m'), H.num(0), H.num(3), H.num('1.5'), H.num('2.5e0'), H.un('-', H.num(7)), H.nul()),
      fc.tuple(fc.constantFrom('+', '-', '*', '/', '%' as const), n, n).map(([op, a, c]) => H.op(op as '+', a, c)),
      n.map((a) => H.un('-', a)),
      fc.tuple(fc.constantFrom('ABS', 'SIGN', 'FLOOR', 'CEIL'), n).map(([f, a]) => H.fn(f, a)),
      fc.tuple(b, n, n).map(([c, a, e]) => H.caseWhen([[c, a]], e)),
      fc.tuple(b, n).map(([c, a]) => H.caseWhen([[c, a]])),
      fc.tuple(n, n).map(([a, c]) => H.fn('COALESCE', a, c)),
      fc.tuple(n, n).map(([a, c]) => H.fn('NULLIF', a, c)),
      fc.tuple(n, n).map(([a, c]) => H.fn('GREATEST', a, c)),
      s.map((a) => H.fn('CHAR_LENGTH', a)),
      s.map((a) => H.cast(a, H.ty('INT'))),
      s.map((a) => H.cast(a, H.ty('DECIMAL', { precision: 6, scale: 1 }), true)),
      n.map((a) => H.cast(a, H.ty('INT'))),
      fc.tuple(n, fc.integer({ min: -1, max: 2 })).map(([a, d]) => H.fn('ROUND', a, H.num(d))),
      t.map((a) => ({ type: 'extract', unit: 'HOUR', expr: a, pos: P }) as Expr),
      fc.tuple(s, s).map(([a, c]) => H.fn('POSITION' === 'POSITION' ? 'LOCATE' : 'LOCATE', a, c)),
    ),
    str: fc.oneof(
      o,
      leaf(H.id('s'), H.id('t'), H.str('ab'), H.str(''), H.str('%b%'), H.nul()),
      fc.tuple(s, s).map(([a, c]) => H.op('||', a, c)),
      fc.tuple(fc.constantFrom('UPPER', 'LOWER', 'REVERSE', 'INITCAP', 'LTRIM'), s).map(([f, a]) => H.fn(f, a)),
      fc.tuple(s, n).map(([a, c]) => H.fn('SUBSTRING', a, c)),
      fc.tuple(s, n, n).map(([a, c, e]) => H.fn('SUBSTR', a, c, e)),
      fc.tuple(s, s, s).map(([a, c, e]) => H.fn('REPLACE', a, c, e)),
      fc.tuple(b, s, s).map(([c, a, e]) => H.caseWhen([[c, a]], e)),
      fc.tuple(s, s).map(([a, c]) => H.fn('COALESCE', a, c)),
      fc.tuple(s, s, s).map(([a, c, e]) => H.fn('CONCAT_WS', a, c, e)),
      n.map((a) => H.cast(a, H.ty('VARCHAR'))),
      t.map((a) => H.cast(a, H.ty('VARCHAR'))),
      fc.tuple(s, n, s).map(([a, c, e]) => H.fn('LPAD', a, c, e)),
      fc.tuple(b, s, s).map(([c, a, e]) => H.fn('IF', c, a, e)),
    ),
    bool: fc.oneof(
      o,
      leaf(H.id('p'), H.id('q'), H.bool(true), H.bool(false), H.nul()),
      fc.tuple(fc.constantFrom('=', '<>', '<', '<=', '>', '>=' as const), n, n).map(([op, a, c]) => H.op(op as '=', a, c)),
      fc.tuple(fc.constantFrom('=', '<' as const), s, s).map(([op, a, c]) => H.op(op as '=', a, c)),
      fc.tuple(fc.constantFrom('AND', 'OR' as const), b, b).map(([op, a, c]) => H.op(op as 'AND', a, c)),
      b.map((a) => H.un('NOT', a)),
      fc.tuple(n, fc.constantFrom('NULL', 'TRUE', 'FALSE' as const), fc.boolean()).map(([a, test, neg]) => (test === 'NULL' ? H.is(a, 'NULL', neg) : H.is(H.op('>', a, H.num(0)), test, neg))),
      fc.tuple(n, fc.array(n, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([a, xs, neg]) => H.inList(a, xs, neg)),
      fc.tuple(n, fc.boolean()).map(([a, neg]) => H.inList(a, [H.num(1), H.num(3), H.nul()], neg)),
      fc.tuple(n, n, n, fc.boolean()).map(([a, lo, hi, neg]) => H.between(a, lo, hi, neg)),
      fc.tuple(s, s).map(([a, c]) => H.like(a, c)),
      fc.tuple(n, n, fc.boolean()).map(([a, c, neg]) => ({ type: 'isDistinctFrom', left: a, right: c, negated: neg, pos: P }) as Expr),
      fc.tuple(t, t).map(([a, c]) => H.op('<', a, c)),
    ),
    ts: fc.oneof(
      o,
      leaf(H.id('ts'), H.tsLit('2020-02-29 23:59:59.999'), H.cast(H.id('dt'), H.ty('TIMESTAMP', { precision: 3 }))),
      fc.tuple(t, fc.constantFrom(H.interval('1', 'DAY'), H.interval('1-1', 'YEAR', 'MONTH'), H.interval('10:30', 'HOUR', 'MINUTE'))).map(([a, i]) => H.op('+', a, i)),
      fc.tuple(t, fc.constantFrom<TimeUnit>('HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'), fc.constantFrom('FLOOR', 'CEIL' as const)).map(([a, unit, f]) => ({ type: 'floorCeil', fn: f, expr: a, unit, pos: P }) as Expr),
      fc.tuple(b, t, t).map(([c, a, e]) => H.caseWhen([[c, a]], e)),
      s.map((a) => H.fn('TO_TIMESTAMP', a)),
    ),
  }
})

const anyExpr = fc.oneof(num, str, bool, ts)

const resolved = (e: Expr): Rex | undefined => {
  const r = resolveExpr(e, H.scopeOf(schema), H.selectCtx)
  return E.isRight(r) ? r.right : undefined
}

const rt = H.testRuntime
const outcome = (f: () => unknown): H.Outcome => {
  try {
    return { value: f() }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) }
  }
}
const json = (o: unknown): string => JSON.stringify(o, H.replacer)

describe('compiled expressions agree with the interpreter', () => {
  it('on generated expressions and rows (values, NULLs and errors)', () => {
    let checked = 0
    fc.assert(
      fc.property(anyExpr, fc.array(rowArb, { minLength: 1, maxLength: 4 }), (e, rows) => {
        const rex = resolved(e)
        if (rex === undefined) return
        checked++
        const compiled = compileScalar(rex, { fieldNames: names })(rt)
        const unfolded = compileScalar(rex, { fieldNames: names, fold: false })(rt)
        for (const row of rows) {
          const expected = json(outcome(() => evaluate(rex, row, [], rt, { left: names })))
          expect(json(outcome(() => compiled(row))), `${formatRex(rex)} on ${json(row)}`).toBe(expected)
          expect(json(outcome(() => unfolded(row))), `${formatRex(rex)} unfolded on ${json(row)}`).toBe(expected)
        }
      }),
      { numRuns: 600 },
    )
    // about half the generated expressions are well-typed (the rest, e.g. NULL = NULL, are rejected by the resolver)
    expect(checked).toBeGreaterThan(200)
  })

  it('for projections sharing subexpressions, and for predicates', () => {
    fc.assert(
      fc.property(fc.array(anyExpr, { minLength: 1, maxLength: 4 }), bool, rowArb, (es, cond, row) => {
        const rexes = es.map(resolved).filter((r): r is Rex => r !== undefined)
        const c = resolved(cond)
        if (rexes.length > 0) {
          // duplicate the projection so that every expression appears twice
          const proj = compileProjection([...rexes, ...rexes], { fieldNames: names })(rt)
          const one = rexes.map((r) => outcome(() => evaluate(r, row, [], rt, { left: names })))
          const failed = one.find((o) => 'error' in o)
          const got = outcome(() => proj(row))
          if (failed !== undefined) expect('error' in got).toBe(true)
          else expect(json(got)).toBe(json({ value: [...one, ...one].map((o) => (o as { value: unknown }).value) }))
        }
        if (c !== undefined) {
          const expected = outcome(() => evaluate(c, row, [], rt, { left: names }) === true)
          expect(json(outcome(() => compilePredicate(c, { fieldNames: names })(rt)(row)))).toBe(json(expected))
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('code generation', () => {
  const S: H.Schema = [
    ['a', T.INT()],
    ['s', T.STRING()],
  ]
  const rex = (e: Expr): Rex => H.resolveOk(e, S)

  it('computes a common subexpression once per record', () => {
    let calls = 0
    const counted: Rex = { kind: 'udf', name: 'counted', fn: (x: unknown) => (calls++, x), args: [inputRef(0, T.INT(), 0)], type: T.INT(), deterministic: true }
    const plus = call('+', [counted, literal(1, T.INT(false))], T.INT())
    const f = compileProjection([plus, call('*', [plus, counted], T.INT())])(rt)
    expect(f([3])).toEqual([4, 12])
    expect(calls).toBe(1)
    const source = generatedSource(compileProjection([plus, plus]))!
    expect(source.match(/\+ 1/g)).toHaveLength(1)
  })

  it('does not share non-deterministic calls', () => {
    const f = compileProjection([rex(H.fn('RAND')), rex(H.fn('RAND'))])(rt)
    const [x, y] = f([1, 'a'])
    expect(x).not.toBe(y)
  })

  it('shares a subexpression computed in one branch only within that branch', () => {
    // a / 0 appears in both branches of the CASE, and outside after it: only evaluated where taken
    const div = H.op('/', H.num(10), H.id('a'))
    const e = H.caseWhen([[H.op('=', H.id('a'), H.num(0)), H.num(-1)]], div)
    const f = compileProjection([rex(e), rex(H.caseWhen([[H.op('<>', H.id('a'), H.num(0)), div]], H.num(0)))])(rt)
    expect(f([0, ''])).toEqual([-1, 0])
    expect(f([5, ''])).toEqual([2, 2])
  })

  it('skips NULL checks for NOT NULL inputs', () => {
    const nn: H.Schema = [['x', T.INT(false)]]
    const src = generatedSource(compileScalar(H.resolveOk(H.op('+', H.id('x'), H.num(1)), nn)))!
    expect(src).not.toContain('!= null')
    const src2 = generatedSource(compileScalar(H.resolveOk(H.op('+', H.id('a'), H.num(1)), S)))!
    expect(src2).toContain('!= null')
  })

  it('folds deterministic calls over literals, but not clocks or failures', () => {
    expect(foldConstants(rex(H.op('+', H.num(1), H.op('*', H.num(2), H.num(3)))))).toEqual(literal(7, T.INT(false)))
    expect(foldConstants(rex(H.fn('UPPER', H.str('ab'))))).toEqual(literal('AB', T.CHAR(2, false)))
    expect(foldConstants(rex(H.fn('CURRENT_DATE'))).kind).toBe('call')
    expect(foldConstants(rex(H.fn('RAND'))).kind).toBe('call')
    const failing = rex(H.cast(H.str('abc'), H.ty('INT')))
    expect(foldConstants(failing)).toBe(failing)
    expect(foldConstants(rex(H.op('AND', H.bool(false), H.op('>', H.id('a'), H.num(1))))).kind).toBe('literal')
    expect(formatRex(foldConstants(rex(H.caseWhen([[H.bool(false), H.num(1)], [H.op('>', H.id('a'), H.num(0)), H.num(2)]], H.num(3)))))).toBe('CASE WHEN $0 > 0 THEN 2 ELSE 3 END')
    const src = generatedSource(compileScalar(rex(H.op('+', H.id('a'), H.op('*', H.num(2), H.num(3))))))!
    expect(src).toContain('+ 6')
  })

  it('predicates are true only for TRUE', () => {
    const f = compilePredicate(rex(H.op('>', H.id('a'), H.num(1))))(rt)
    expect([f([2, '']), f([0, '']), f([null, ''])]).toEqual([true, false, false])
  })

  it('reads the right row of two-input operators', () => {
    const cond = call('=', [inputRef(0, T.INT(), 0), inputRef(1, T.INT(), 1)], T.BOOLEAN())
    const f = compilePredicate(cond, { fieldNames: ['l0'], rightFieldNames: ['r0', 'r1'] })(rt)
    expect(f([1], [0, 1])).toBe(true)
    expect(f([1], [1, 2])).toBe(false)
    expect(formatRex(cond, { left: ['l0'], right: ['r0', 'r1'] })).toBe('l0 = r1')
  })

  it('passes a fresh runtime to each factory instance', () => {
    const f = compileScalar(rex(H.fn('NOW')))
    expect(f(fixedRuntime(5))([])).toBe(5)
    expect(f(fixedRuntime(6))([])).toBe(6)
  })

  it('handles very wide and deep expressions', () => {
    let e: Expr = H.id('a')
    for (let i = 0; i < 200; i++) e = H.op('+', e, H.num(1))
    expect(compileScalar(rex(e))(rt)([0, ''])).toBe(200)
    const wide = compileProjection(Array.from({ length: 300 }, (_, i) => rex(H.op('*', H.id('a'), H.num(i)))))(rt)([2, ''])
    expect(wide[299]).toBe(598)
  })
})
