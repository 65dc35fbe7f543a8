/**
 * Helpers for the expression specs: small constructors of syntax trees, a scope from a schema,
 * and `run`, which resolves an expression, compiles it, interprets it, and checks that the
 * compiled code and the interpreter agree.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/Either'
import type { SqlProblem } from '../errors.js'
import type * as A from '../sql/ast.js'
import { parseExpression } from '../sql/parse.js'
import { type DataType, formatType } from '../types/data-type.js'
import { compileScalar } from './compile.js'
import { evaluate } from './evaluate.js'
import { resolveExpr } from './resolve.js'
import type { Rex } from './rex.js'
import { type ExprRuntime, fixedRuntime } from './runtime.js'
import type { ResolveContext, Scope, ScopeField } from './scope.js'

/** An expression parsed from SQL text (the test fails on a syntax error). */
export const sql = (text: string): A.Expr => {
  const r = parseExpression(text)
  if (E.isLeft(r)) throw new Error(`the test's SQL does not parse: ${r.left.message}`)
  return r.right
}

/** Parses, resolves, and runs SQL text on a row (see {@link run}). */
export const v = (text: string, schema: Schema = [], row: readonly unknown[] = [], rt?: ExprRuntime): unknown => run(sql(text), schema, row, rt)

/** The type of an expression written in SQL, as `formatType` prints it. */
export const t = (text: string, schema: Schema = []): string => formatType(resolveOk(sql(text), schema).type)

/** The problems of SQL text that must not resolve, as `[message, line, column]`. */
export const errs = (text: string, schema: Schema = [], ctx: ResolveContext = selectCtx): [string, number | undefined, number | undefined][] =>
  resolveErr(sql(text), schema, ctx).map((p) => [p.message, p.pos?.line, p.pos?.column])

/** A position (line 1 unless given). */
export const at = (column: number, line = 1): A.Pos => ({ line, column, offset: column - 1 })
const P = at(1)

/** Numeric literal from its text. */
export const num = (text: string | number, pos: A.Pos = P): A.Expr => {
  const t = String(text)
  return { type: 'literal', kind: 'number', text: t, numberKind: /[eE]/.test(t) ? 'approx' : t.includes('.') ? 'decimal' : 'integer', pos }
}
/** String literal. */
export const str = (value: string, pos: A.Pos = P): A.Expr => ({ type: 'literal', kind: 'string', value, pos })
/** Boolean literal. */
export const bool = (value: boolean, pos: A.Pos = P): A.Expr => ({ type: 'literal', kind: 'boolean', value, pos })
/** `NULL`. */
export const nul = (pos: A.Pos = P): A.Expr => ({ type: 'literal', kind: 'null', pos })
/** `TIMESTAMP '...'`, `DATE '...'`, `TIME '...'`, `TIMESTAMP_LTZ '...'`. */
export const tsLit = (text: string, kind: 'timestamp' | 'timestamp_ltz' | 'date' | 'time' = 'timestamp', pos: A.Pos = P): A.Expr => ({ type: 'literal', kind, text, pos })
/** `INTERVAL 'text' from [TO to]`. */
export const interval = (text: string, from: A.TimeUnit, to?: A.TimeUnit, pos: A.Pos = P): A.Expr =>
  to === undefined ? { type: 'literal', kind: 'interval', text, negative: false, from, pos } : { type: 'literal', kind: 'interval', text, negative: false, from, to, pos }
/** `X'..'`. */
export const bin = (hex: string, pos: A.Pos = P): A.Expr => ({ type: 'literal', kind: 'binary', hex, pos })
/** A column or qualified column. */
export const id = (name: string, pos: A.Pos = P): A.Expr => ({ type: 'identifier', parts: name.split('.'), pos })
/** A binary operator. */
export const op = (o: A.BinaryOp, left: A.Expr, right: A.Expr, pos: A.Pos = P): A.Expr => ({ type: 'binary', op: o, left, right, pos })
/** `NOT x`, `-x`. */
export const un = (o: 'NOT' | '-' | '+', operand: A.Expr, pos: A.Pos = P): A.Expr => ({ type: 'unary', op: o, operand, pos })
/** `f(args)`. */
export const fn = (name: string, ...args: A.Expr[]): A.Expr => ({ type: 'call', name: { parts: [name], pos: P }, args, distinct: false, pos: P })
/** `f(args)` at a position. */
export const fnAt = (pos: A.Pos, name: string, ...args: A.Expr[]): A.Expr => ({ type: 'call', name: { parts: [name], pos }, args, distinct: false, pos })
/** `CASE WHEN .. THEN .. [ELSE ..] END`. */
export const caseWhen = (whens: [A.Expr, A.Expr][], otherwise?: A.Expr, operand?: A.Expr): A.Expr => ({
  type: 'case',
  whens: whens.map(([when, then]) => ({ when, then })),
  ...(otherwise === undefined ? {} : { else: otherwise }),
  ...(operand === undefined ? {} : { operand }),
  pos: P,
})
/** `CAST(x AS t)` / `TRY_CAST`. */
export const cast = (expr: A.Expr, target: A.TypeSyntax, tryCast = false, pos: A.Pos = P): A.Expr => ({ type: 'cast', expr, target, try: tryCast, pos })
/** `x IS [NOT] test`. */
export const is = (expr: A.Expr, test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN', negated = false): A.Expr => ({ type: 'is', expr, test, negated, pos: P })
/** `x [NOT] IN (...)`. */
export const inList = (expr: A.Expr, list: A.Expr[], negated = false): A.Expr => ({ type: 'inList', expr, list, negated, pos: P })
/** `x [NOT] BETWEEN a AND b`. */
export const between = (expr: A.Expr, low: A.Expr, high: A.Expr, negated = false, symmetric = false): A.Expr => ({ type: 'between', expr, low, high, negated, symmetric, pos: P })
/** `x [NOT] LIKE p [ESCAPE e]`. */
export const like = (expr: A.Expr, pattern: A.Expr, negated = false, escape?: A.Expr, o: 'LIKE' | 'SIMILAR' = 'LIKE'): A.Expr => ({
  type: 'like',
  op: o,
  expr,
  pattern,
  negated,
  ...(escape === undefined ? {} : { escape }),
  pos: P,
})

/** Type syntax: `ty('INT')`, `ty('DECIMAL', {precision: 10, scale: 2})`. */
export const ty = (kind: string, extra: Record<string, unknown> = {}, nullable = true): A.TypeSyntax => ({ kind, nullable, pos: P, ...extra }) as A.TypeSyntax

/** A schema: names and types of the input fields. */
export type Schema = readonly (readonly [string, DataType])[]

/** The scope of a schema (side 0, unqualified, or qualified by `qualifier`). */
export const scopeOf = (schema: Schema, qualifier?: string): Scope => ({
  fields: schema.map(([name, type], index): ScopeField => (qualifier === undefined ? { name, type, side: 0, index } : { name, type, side: 0, index, qualifier })),
})

/** A context for the `SELECT` clause with no aggregates. */
export const selectCtx: ResolveContext = { clause: 'SELECT', aggregateNames: new Set(['COUNT', 'SUM', 'AVG', 'MIN', 'MAX']) }

/** Resolves, failing the test with the problems if it does not resolve. */
export const resolveOk = (expr: A.Expr, schema: Schema = [], ctx: ResolveContext = selectCtx): Rex => {
  const r = resolveExpr(expr, scopeOf(schema), ctx)
  if (E.isLeft(r)) throw new Error(`expected the expression to resolve, got: ${r.left.map((p) => p.message).join('; ')}`)
  return r.right
}

/** The problems of an expression that must not resolve. */
export const resolveErr = (expr: A.Expr, schema: Schema = [], ctx: ResolveContext = selectCtx): readonly SqlProblem[] => {
  const r = resolveExpr(expr, scopeOf(schema), ctx)
  if (E.isRight(r)) throw new Error(`expected a problem, got a ${r.right.type.kind}`)
  return r.left
}

/** The runtime of the specs: processing time 2020-04-15 08:05:00.123 UTC, watermark one second earlier. */
export const testRuntime: ExprRuntime = fixedRuntime(Date.UTC(2020, 3, 15, 8, 5, 0, 123), Date.UTC(2020, 3, 15, 8, 4, 59, 123))

/** The outcome of running an expression: its value, or the message it failed with. */
export type Outcome = { readonly value: unknown } | { readonly error: string }

const outcome = (f: () => unknown): Outcome => {
  try {
    return { value: f() }
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * Resolves `expr`, evaluates it on `row` both compiled (with and without constant folding) and
 * interpreted, checks the three agree, and returns the value (or throws the error they share).
 */
export const run = (expr: A.Expr, schema: Schema = [], row: readonly unknown[] = [], rt: ExprRuntime = testRuntime): unknown => {
  const rex = resolveOk(expr, schema)
  return runRex(rex, row, rt, schema.map(([n]) => n))
}

/** Resolves and runs compiled code only (for non-deterministic expressions). */
export const runCompiled = (expr: A.Expr, schema: Schema = [], row: readonly unknown[] = [], rt: ExprRuntime = testRuntime): unknown =>
  compileScalar(resolveOk(expr, schema))(rt)(row)

/** As {@link run}, for a resolved expression. */
export const runRex = (rex: Rex, row: readonly unknown[] = [], rt: ExprRuntime = testRuntime, fieldNames?: readonly string[]): unknown => {
  const interpreted = outcome(() => evaluate(rex, row, [], rt, fieldNames === undefined ? undefined : { left: fieldNames }))
  const options = fieldNames === undefined ? {} : { fieldNames }
  const compiled = outcome(() => compileScalar(rex, options)(rt)(row))
  const unfolded = outcome(() => compileScalar(rex, { ...options, fold: false })(rt)(row))
  const same = (a: Outcome, b: Outcome): boolean => JSON.stringify(a, replacer) === JSON.stringify(b, replacer)
  if (!same(interpreted, compiled) || !same(interpreted, unfolded))
    throw new Error(`compiled and interpreted results differ: interpreted ${JSON.stringify(interpreted, replacer)}, compiled ${JSON.stringify(compiled, replacer)}, unfolded ${JSON.stringify(unfolded, replacer)}`)
  if ('error' in interpreted) throw new Error(interpreted.error)
  return interpreted.value
}

/** JSON of values that keeps `NaN`, `-0`, `Map`s, bytes and `undefined` apart. */
export const replacer = (_k: string, v: unknown): unknown => {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '-0' : v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : v
  if (v instanceof Map) return { $map: [...v] }
  if (v instanceof Uint8Array) return { $bytes: [...v] }
  if (v === undefined) return '$undefined'
  return v
}

/** The type of a resolved expression. */
export const typeOf = (expr: A.Expr, schema: Schema = []): DataType => resolveOk(expr, schema).type
