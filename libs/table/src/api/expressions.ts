/**
 * Expression builders of the Table API: `$('price').times(2).as('doubled')`, `lit(1)`,
 * `$('price').sum()`. They build the same syntax tree as SQL text, so the Table API and SQL share
 * the planner, its types and its errors.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import type { BinaryOp, Expr, Literal, Pos, TimeUnit } from '../sql/ast.js'
import { parseType } from '../sql/parse.js'

/** Table API expressions have no place in a SQL text: line 0 marks that. */
export const API_POS: Pos = { line: 0, column: 0, offset: 0 }

const fn = (name: string, args: readonly Expr[], distinct = false): Expr => ({
  type: 'call',
  pos: API_POS,
  name: { pos: API_POS, parts: [name] },
  args,
  distinct,
})

/** A value that can stand where an expression is expected. */
export type ExpressionLike = Expression | string | number | boolean | null | Date

/** A literal of a JavaScript value. */
const literalOf = (v: string | number | boolean | null | Date): Literal => {
  if (v === null) return { type: 'literal', pos: API_POS, kind: 'null' }
  if (typeof v === 'boolean') return { type: 'literal', pos: API_POS, kind: 'boolean', value: v }
  if (typeof v === 'string') return { type: 'literal', pos: API_POS, kind: 'string', value: v }
  if (v instanceof Date) return { type: 'literal', pos: API_POS, kind: 'timestamp', text: v.toISOString().replace('T', ' ').replace('Z', '') }
  const text = String(v)
  return { type: 'literal', pos: API_POS, kind: 'number', text, numberKind: /[eE]/.test(text) ? 'approx' : text.includes('.') ? 'decimal' : 'integer' }
}

const toExpr = (x: ExpressionLike): Expr => (x instanceof Expression ? x.expr : literalOf(x))

/**
 * A Table API expression.
 *
 * @category Table API
 * @since 0.1.0
 */
export class Expression {
  /** @internal */
  constructor(
    readonly expr: Expr,
    /** The name given with {@link Expression.as}. */
    readonly alias?: string,
  ) {}

  private bin(op: BinaryOp, other: ExpressionLike): Expression {
    return new Expression({ type: 'binary', pos: API_POS, op, left: this.expr, right: toExpr(other) })
  }

  /** Names the expression's column. */
  as(name: string): Expression {
    return new Expression(this.expr, name)
  }

  plus(o: ExpressionLike): Expression {
    return this.bin('+', o)
  }
  minus(o: ExpressionLike): Expression {
    return this.bin('-', o)
  }
  times(o: ExpressionLike): Expression {
    return this.bin('*', o)
  }
  dividedBy(o: ExpressionLike): Expression {
    return this.bin('/', o)
  }
  mod(o: ExpressionLike): Expression {
    return this.bin('%', o)
  }
  isEqual(o: ExpressionLike): Expression {
    return this.bin('=', o)
  }
  isNotEqual(o: ExpressionLike): Expression {
    return this.bin('<>', o)
  }
  isGreater(o: ExpressionLike): Expression {
    return this.bin('>', o)
  }
  isGreaterOrEqual(o: ExpressionLike): Expression {
    return this.bin('>=', o)
  }
  isLess(o: ExpressionLike): Expression {
    return this.bin('<', o)
  }
  isLessOrEqual(o: ExpressionLike): Expression {
    return this.bin('<=', o)
  }
  and(o: ExpressionLike): Expression {
    return this.bin('AND', o)
  }
  or(o: ExpressionLike): Expression {
    return this.bin('OR', o)
  }
  not(): Expression {
    return new Expression({ type: 'unary', pos: API_POS, op: 'NOT', operand: this.expr })
  }
  isNull(): Expression {
    return new Expression({ type: 'is', pos: API_POS, expr: this.expr, test: 'NULL', negated: false })
  }
  isNotNull(): Expression {
    return new Expression({ type: 'is', pos: API_POS, expr: this.expr, test: 'NULL', negated: true })
  }
  like(pattern: string): Expression {
    return new Expression({ type: 'like', pos: API_POS, op: 'LIKE', expr: this.expr, pattern: literalOf(pattern), negated: false })
  }
  between(low: ExpressionLike, high: ExpressionLike): Expression {
    return new Expression({ type: 'between', pos: API_POS, expr: this.expr, low: toExpr(low), high: toExpr(high), negated: false, symmetric: false })
  }
  in(...values: ExpressionLike[]): Expression {
    return new Expression({ type: 'inList', pos: API_POS, expr: this.expr, list: values.map(toExpr), negated: false })
  }
  concat(o: ExpressionLike): Expression {
    return this.bin('||', o)
  }
  upperCase(): Expression {
    return new Expression(fn('UPPER', [this.expr]))
  }
  lowerCase(): Expression {
    return new Expression(fn('LOWER', [this.expr]))
  }
  charLength(): Expression {
    return new Expression(fn('CHAR_LENGTH', [this.expr]))
  }
  abs(): Expression {
    return new Expression(fn('ABS', [this.expr]))
  }
  /** `CAST(this AS type)`, the type as SQL text (`'BIGINT'`, `'DECIMAL(10, 2)'`). @throws SqlError for a type that does not parse */
  cast(type: string): Expression {
    const t = parseType(type)
    if (E.isLeft(t)) throw t.left
    return new Expression({ type: 'cast', pos: API_POS, expr: this.expr, target: t.right, try: false })
  }
  // window properties of a group window alias: $('w').start()
  /** The start of the group window this expression names (`$('w').start()`). */
  start(): Expression {
    return this.windowProperty('start')
  }
  /** The end of the group window (`$('w').end()`). */
  end(): Expression {
    return this.windowProperty('end')
  }
  /** The rowtime of the group window (`$('w').rowtime()`: its end minus 1 ms, an event-time attribute). */
  rowtime(): Expression {
    return this.windowProperty('rowtime')
  }
  private windowProperty(p: string): Expression {
    if (this.expr.type !== 'identifier' || this.expr.parts.length !== 1) throw new Error(`${p}() applies to a group window alias, e.g. $('w').${p}().`)
    return new Expression({ type: 'identifier', pos: API_POS, parts: [this.expr.parts[0]!, p] })
  }
  // aggregates
  sum(): Expression {
    return new Expression(fn('SUM', [this.expr]))
  }
  count(): Expression {
    return new Expression(fn('COUNT', [this.expr]))
  }
  countDistinct(): Expression {
    return new Expression(fn('COUNT', [this.expr], true))
  }
  avg(): Expression {
    return new Expression(fn('AVG', [this.expr]))
  }
  min(): Expression {
    return new Expression(fn('MIN', [this.expr]))
  }
  max(): Expression {
    return new Expression(fn('MAX', [this.expr]))
  }
}

/**
 * A column by name: `$('price')`.
 *
 * @category Table API
 * @since 0.1.0
 */
export const $ = (name: string): Expression => new Expression({ type: 'identifier', pos: API_POS, parts: name.split('.') })

/**
 * A literal value: `lit(1)`, `lit('a')`, `lit(new Date(...))` (a `TIMESTAMP`).
 *
 * @category Table API
 * @since 0.1.0
 */
export const lit = (v: string | number | boolean | null | Date): Expression => new Expression(literalOf(v))

/**
 * A call of any function by name: `call('REGEXP_EXTRACT', $('url'), lit('id=(\\d+)'), lit(1))`.
 *
 * @category Table API
 * @since 0.1.0
 */
export const callSql = (name: string, ...args: ExpressionLike[]): Expression => new Expression(fn(name, args.map(toExpr)))

/**
 * An interval literal: `interval(10, 'MINUTE')`.
 *
 * @category Table API
 * @since 0.1.0
 */
export const interval = (n: number, unit: TimeUnit): Expression =>
  new Expression({ type: 'literal', pos: API_POS, kind: 'interval', text: String(Math.abs(n)), negative: n < 0, from: unit })

/** The syntax tree of an expression-like value. @internal */
export const exprOf = toExpr
