/**
 * Name resolution and type checking of expressions: the syntax tree's {@link Expr} turned into
 * a typed {@link Rex} over the fields of a {@link Scope}.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/Either'
import type { SqlProblem } from '../errors.js'
import type { Expr, FunctionCall, IdentifierExpr, Pos, TimeUnit } from '../sql/ast.js'
import { canCast, sameTypeIgnoringNullability } from '../types/coercion.js'
import { type DataType, DataTypes, formatType, withNullability, withoutTimeAttribute } from '../types/data-type.js'
import { typeFromSyntax } from '../types/type-from-syntax.js'
import { isNoopCast } from './functions/cast.js'
import type { FunctionDefinition } from './functions/definition.js'
import { builtinFunctionNames, lookupFunction } from './functions/registry.js'
import { literalValue, numericLiteral } from './literals.js'
import { call, inputRef, literal, type Rex } from './rex.js'
import type { ResolveContext, Scope, ScopeField } from './scope.js'

/** Functions that are `EXTRACT` of a unit (`YEAR(ts)` is `EXTRACT(YEAR FROM ts)`). */
const EXTRACT_ALIASES: Readonly<Record<string, TimeUnit>> = {
  YEAR: 'YEAR',
  QUARTER: 'QUARTER',
  MONTH: 'MONTH',
  WEEK: 'WEEK',
  DAYOFYEAR: 'DOY',
  DAYOFMONTH: 'DAY',
  DAYOFWEEK: 'DOW',
  HOUR: 'HOUR',
  MINUTE: 'MINUTE',
  SECOND: 'SECOND',
}

/** Function names that are other functions (`IFNULL(a, b)` is `COALESCE(a, b)`). */
const RENAMES: Readonly<Record<string, string>> = { IFNULL: 'COALESCE', NVL: 'COALESCE', CEILING: 'CEIL' }

/** Niladic functions that may be written without parentheses, and so may arrive as identifiers. */
const NILADIC = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME', 'CURRENT_ROW_TIMESTAMP'])

// ---------------------------------------------------------------------------------------------
// "Did you mean"
// ---------------------------------------------------------------------------------------------

const levenshtein = (a: string, b: string): number => {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!
    prev[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1))
      diag = tmp
    }
  }
  return prev[b.length]!
}

/** The closest of `candidates` to `name` (case-insensitive edit distance), if close enough. */
export const closestName = (name: string, candidates: Iterable<string>): string | undefined => {
  let best: string | undefined
  let bestD = Infinity
  const lower = name.toLowerCase()
  for (const c of candidates) {
    const d = levenshtein(lower, c.toLowerCase())
    if (d < bestD) {
      best = c
      bestD = d
    }
  }
  if (best === undefined) return undefined
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)))
  return bestD <= limit ? best : undefined
}

const didYouMean = (name: string, candidates: Iterable<string>): string => {
  const c = closestName(name, candidates)
  return c === undefined ? '' : `; did you mean '${c}'?`
}

// ---------------------------------------------------------------------------------------------
// The resolver
// ---------------------------------------------------------------------------------------------

const unitLiteral = (unit: TimeUnit): Rex => literal(unit, DataTypes.VARCHAR(unit.length, false))

class Resolver {
  readonly problems: SqlProblem[] = []

  constructor(
    private readonly scope: Scope,
    private readonly ctx: ResolveContext,
  ) {}

  private fail(message: string, pos: Pos | undefined): undefined {
    const p = pos ?? this.ctx.pos
    this.problems.push(p === undefined ? { message } : { message, pos: p })
    return undefined
  }

  /** Resolves all, collecting the problems of each; `undefined` if any failed. */
  private all(exprs: readonly Expr[]): Rex[] | undefined {
    const out = exprs.map((e) => this.resolve(e))
    return out.every((r): r is Rex => r !== undefined) ? out : undefined
  }

  resolve(expr: Expr): Rex | undefined {
    const sub = this.ctx.substitute?.(expr)
    if (sub !== undefined) return sub
    switch (expr.type) {
      case 'literal': {
        const v = literalValue(expr)
        return typeof v === 'string' ? this.fail(v, expr.pos) : literal(v.value, v.type)
      }
      case 'identifier':
        return this.identifier(expr)
      case 'paren':
        return this.resolve(expr.expr)
      case 'star':
        return this.fail(`'*' is only allowed in a select list and in COUNT(*)`, expr.pos)
      case 'binary': {
        const args = this.all([expr.left, expr.right])
        return args === undefined ? undefined : this.call(expr.op, args, expr.pos)
      }
      case 'unary': {
        if (expr.op === '-' && expr.operand.type === 'literal' && expr.operand.kind === 'number') {
          const v = numericLiteral(expr.operand.text, expr.operand.numberKind, true)
          return typeof v === 'string' ? this.fail(v, expr.pos) : literal(v.value, v.type)
        }
        if (expr.op === '-' && expr.operand.type === 'literal' && expr.operand.kind === 'interval') {
          const v = literalValue(expr.operand, true)
          return typeof v === 'string' ? this.fail(v, expr.pos) : literal(v.value, v.type)
        }
        const a = this.resolve(expr.operand)
        if (a === undefined) return undefined
        if (expr.op === '+') {
          const t = a.type
          if (t.kind !== 'NULL' && !['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'INTERVAL_DAY_TIME', 'INTERVAL_YEAR_MONTH'].includes(t.kind))
            return this.fail(`Cannot apply '+' to arguments of type '+<${formatType(t)}>'. Supported form(s): '+<NUMERIC>', '+<INTERVAL>'`, expr.pos)
          return a
        }
        return this.call(expr.op, [a], expr.pos)
      }
      case 'call':
        return this.functionCall(expr)
      case 'case':
        return this.caseExpr(expr)
      case 'cast':
        return this.cast(expr)
      case 'extract': {
        const x = this.resolve(expr.expr)
        return x === undefined ? undefined : this.call('EXTRACT', [unitLiteral(expr.unit), x], expr.pos)
      }
      case 'floorCeil': {
        const x = this.resolve(expr.expr)
        return x === undefined ? undefined : this.call(expr.fn, [x, unitLiteral(expr.unit)], expr.pos)
      }
      case 'timestampAddDiff': {
        const args = this.all(expr.args)
        return args === undefined ? undefined : this.call(expr.fn, [unitLiteral(expr.unit), ...args], expr.pos)
      }
      case 'between':
        return this.between(expr)
      case 'inList': {
        const args = this.all([expr.expr, ...expr.list])
        if (args === undefined) return undefined
        const r = this.call('IN', args, expr.pos)
        return r === undefined || !expr.negated ? r : this.call('NOT', [r], expr.pos)
      }
      case 'inSubquery':
      case 'exists':
      case 'scalarSubquery': {
        if (this.ctx.onSubquery === undefined) return this.fail(`Subqueries are not allowed in ${this.ctx.clause}`, expr.pos)
        return this.lift(this.ctx.onSubquery(expr))
      }
      case 'like': {
        const args = this.all(expr.escape === undefined ? [expr.expr, expr.pattern] : [expr.expr, expr.pattern, expr.escape])
        if (args === undefined) return undefined
        const r = this.call(expr.op === 'LIKE' ? 'LIKE' : 'SIMILAR TO', args, expr.pos)
        return r === undefined || !expr.negated ? r : this.call('NOT', [r], expr.pos)
      }
      case 'is': {
        const x = this.resolve(expr.expr)
        if (x === undefined) return undefined
        const test = expr.test
        if (test === 'UNKNOWN' && x.type.kind !== 'BOOLEAN' && x.type.kind !== 'NULL')
          return this.fail(`Cannot apply 'IS ${expr.negated ? 'NOT ' : ''}UNKNOWN' to arguments of type '<${formatType(x.type)}> IS ${expr.negated ? 'NOT ' : ''}UNKNOWN'. Supported form(s): '<BOOLEAN> IS UNKNOWN'`, expr.pos)
        const op = test === 'NULL' || test === 'UNKNOWN' ? (expr.negated ? 'IS NOT NULL' : 'IS NULL') : `IS ${expr.negated ? 'NOT ' : ''}${test}`
        return this.call(op, [x], expr.pos)
      }
      case 'isDistinctFrom': {
        const args = this.all([expr.left, expr.right])
        return args === undefined ? undefined : this.call(expr.negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', args, expr.pos)
      }
      case 'position': {
        const args = this.all([expr.needle, expr.haystack])
        return args === undefined ? undefined : this.call('POSITION', args, expr.pos)
      }
      case 'trim': {
        const args = this.all(expr.chars === undefined ? [expr.expr] : [expr.expr, expr.chars])
        return args === undefined ? undefined : this.call(expr.side === 'BOTH' ? 'TRIM' : expr.side === 'LEADING' ? 'LTRIM' : 'RTRIM', args, expr.pos)
      }
      case 'substring': {
        const args = this.all(expr.for === undefined ? [expr.expr, expr.from] : [expr.expr, expr.from, expr.for])
        return args === undefined ? undefined : this.call('SUBSTRING', args, expr.pos)
      }
      case 'overlay': {
        const args = this.all(expr.for === undefined ? [expr.expr, expr.placing, expr.from] : [expr.expr, expr.placing, expr.from, expr.for])
        return args === undefined ? undefined : this.call('OVERLAY', args, expr.pos)
      }
      case 'array': {
        const args = this.all(expr.elements)
        return args === undefined ? undefined : this.call('ARRAY', args, expr.pos)
      }
      case 'map': {
        const args = this.all(expr.entries.flatMap((e) => [e.key, e.value]))
        return args === undefined ? undefined : this.call('MAP', args, expr.pos)
      }
      case 'row': {
        const args = this.all(expr.fields)
        return args === undefined ? undefined : this.call('ROW', args, expr.pos)
      }
      case 'item':
        return this.item(expr.expr, expr.index, expr.pos)
      case 'field': {
        const x = this.resolve(expr.expr)
        return x === undefined ? undefined : this.fieldOf(x, expr.field, expr.pos, undefined)
      }
      case 'descriptor':
        return this.fail(`DESCRIPTOR(...) is only allowed as an argument of a table-valued function`, expr.pos)
      case 'tableArg':
        return this.fail(`TABLE ... is only allowed as an argument of a table-valued function`, expr.pos)
      case 'namedArg':
        return this.fail(`Named arguments (${expr.name} => ...) are only allowed in calls of table-valued functions`, expr.pos)
    }
  }

  private lift(r: E.Either<readonly SqlProblem[], Rex>): Rex | undefined {
    if (E.isRight(r)) return r.right
    this.problems.push(...r.left)
    return undefined
  }

  // -------------------------------------------------------------------------------------------
  // Names
  // -------------------------------------------------------------------------------------------

  private visible(): readonly ScopeField[] {
    return this.scope.fields
  }

  private ref(f: ScopeField): Rex {
    return inputRef(f.index, f.type, f.side)
  }

  private inOuter(name: string): boolean {
    for (let s = this.scope.outer; s !== undefined; s = s.outer) if (s.fields.some((f) => f.name === name)) return true
    return false
  }

  private identifier(expr: IdentifierExpr): Rex | undefined {
    const parts = expr.parts
    const fields = this.visible()
    const first = parts[0]!
    if (parts.length >= 2) {
      // qualifier.column[.field...]
      const byQualifier = fields.filter((f) => f.qualifier === first)
      if (byQualifier.length > 0) {
        const col = byQualifier.filter((f) => f.name === parts[1])
        if (col.length === 1) return this.nested(this.ref(col[0]!), parts.slice(2), expr.pos, `${first}.${parts[1]}`)
        if (col.length > 1) return this.fail(`Column '${first}.${parts[1]}' is ambiguous`, expr.pos)
        // a column named like the qualifier, with a ROW field?
        const asColumn = fields.filter((f) => f.name === first)
        if (asColumn.length === 0)
          return this.fail(`Column '${parts[1]}' not found in table '${first}'${didYouMean(parts[1]!, byQualifier.map((f) => f.name))}`, expr.pos)
      }
    }
    const matches = fields.filter((f) => f.name === first)
    if (matches.length > 1) {
      const qualifiers = matches.map((f) => f.qualifier).filter((q): q is string => q !== undefined)
      return this.fail(`Column '${first}' is ambiguous${qualifiers.length > 1 ? `; qualify it: ${qualifiers.map((q) => `${q}.${first}`).join(', ')}` : ''}`, expr.pos)
    }
    if (matches.length === 1) return this.nested(this.ref(matches[0]!), parts.slice(1), expr.pos, first)
    if (parts.length === 1 && NILADIC.has(first.toUpperCase())) return this.call(first.toUpperCase(), [], expr.pos)
    if (this.inOuter(first)) return this.fail(`Correlated subqueries are not supported: column '${first}' belongs to an outer query`, expr.pos)
    if (parts.length >= 2 && !fields.some((f) => f.qualifier === first)) {
      const qualifiers = new Set(fields.map((f) => f.qualifier).filter((q): q is string => q !== undefined))
      return this.fail(`Table '${first}' not found${didYouMean(first, qualifiers)}`, expr.pos)
    }
    return this.fail(`Column '${first}' not found in any table${didYouMean(first, new Set(fields.map((f) => f.name)))}`, expr.pos)
  }

  /** `col.a.b`: nested field access on ROW values. */
  private nested(base: Rex, path: readonly string[], pos: Pos, written: string): Rex | undefined {
    let r: Rex | undefined = base
    let text = written
    for (const name of path) {
      r = this.fieldOf(r!, name, pos, text)
      if (r === undefined) return undefined
      text = `${text}.${name}`
    }
    return r
  }

  private fieldOf(x: Rex, name: string, pos: Pos, written: string | undefined): Rex | undefined {
    const t = x.type
    const what = written === undefined ? 'the expression' : `'${written}'`
    if (t.kind !== 'ROW') return this.fail(`Cannot access field '${name}' of ${what}: it is of type ${formatType(t)}, not a ROW`, pos)
    const i = t.fields.findIndex((f) => f.name === name)
    if (i < 0) return this.fail(`Unknown field '${name}' of ${what} of type ${formatType(t)}${didYouMean(name, t.fields.map((f) => f.name))}`, pos)
    const ft = t.fields[i]!.type
    return { kind: 'field', expr: x, index: i, type: t.nullable ? withNullability(ft, true) : ft }
  }

  private item(container: Expr, index: Expr, pos: Pos): Rex | undefined {
    const args = this.all([container, index])
    if (args === undefined) return undefined
    const [c, i] = args as [Rex, Rex]
    if (c.type.kind === 'ROW' && i.kind === 'literal') {
      if (typeof i.value === 'string') return this.fieldOf(c, i.value, pos, undefined)
      if (typeof i.value === 'number') {
        const fields = c.type.fields
        if (!Number.isInteger(i.value) || i.value < 1 || i.value > fields.length) return this.fail(`Field position ${i.value} is out of range 1..${fields.length} of ${formatType(c.type)}`, pos)
        return this.fieldOf(c, fields[i.value - 1]!.name, pos, undefined)
      }
    }
    return this.call('ITEM', [c, i], pos)
  }

  // -------------------------------------------------------------------------------------------
  // Calls
  // -------------------------------------------------------------------------------------------

  /** A call of a built-in with type inference and implicit casts of its arguments. */
  call(name: string, args: readonly Rex[], pos: Pos): Rex | undefined {
    const def = lookupFunction(name)
    if (def === undefined) return this.fail(`No match found for function signature ${name}(${args.map((a) => `<${formatType(a.type)}>`).join(', ')})`, pos)
    return this.typed(def, args, pos)
  }

  private typed(def: FunctionDefinition, args: readonly Rex[], pos: Pos): Rex | undefined {
    const types = args.map((a) => a.type)
    const inferred = def.infer(types, args)
    if (typeof inferred === 'string') return this.fail(inferred, pos)
    const operands = def.operandTypes?.(types, inferred) ?? types
    const cast = args.map((a, i) => coerce(a, operands[i] ?? a.type))
    const type = def.nulls === 'strict' ? withNullability(inferred, cast.some((a) => a.type.nullable) || def.nullableResult === true) : inferred
    return call(def.name, cast, type, pos)
  }

  private functionCall(fc: FunctionCall): Rex | undefined {
    const written = fc.name.parts[fc.name.parts.length - 1]!
    const upper = written.toUpperCase()
    const clause = this.ctx.clause
    if (fc.over !== undefined) {
      if (this.ctx.onOver === undefined) return this.fail(`OVER windows are not allowed in ${clause}`, fc.pos)
      return this.lift(this.ctx.onOver(fc))
    }
    if (this.ctx.aggregateNames.has(upper)) {
      if (this.ctx.onAggregate === undefined) return this.fail(`Aggregate functions are not allowed in ${clause}`, fc.pos)
      return this.lift(this.ctx.onAggregate(fc))
    }
    if (fc.distinct) return this.fail(`DISTINCT is only allowed in aggregate functions, and ${written} is not one`, fc.pos)
    if (fc.filter !== undefined) return this.fail(`FILTER is only allowed with aggregate functions, and ${written} is not one`, fc.pos)
    if (fc.withinGroup !== undefined) return this.fail(`WITHIN GROUP is only allowed with aggregate functions, and ${written} is not one`, fc.pos)
    if (fc.args.some((a) => a.type === 'star')) return this.fail(`'*' is only allowed in COUNT(*)`, fc.pos)
    const args = this.all(fc.args)
    if (args === undefined) return undefined
    const unit = EXTRACT_ALIASES[upper]
    if (unit !== undefined && args.length === 1) return this.call('EXTRACT', [unitLiteral(unit), args[0]!], fc.pos)
    const name = RENAMES[upper] ?? upper
    const builtin = lookupFunction(name)
    if (builtin !== undefined && name !== 'CAST' && name !== 'TRY_CAST' && name !== 'ITEM') return this.typed(builtin, args, fc.pos)
    const udf = this.ctx.functions?.get(upper)
    if (udf !== undefined) {
      const t = udf.resultType(args.map((a) => a.type))
      if (typeof t === 'string') return this.fail(`Invalid arguments for function ${udf.name}: ${t}`, fc.pos)
      return { kind: 'udf', name: udf.name, fn: udf.fn, args, type: t, deterministic: udf.deterministic }
    }
    const known = [...builtinFunctionNames().filter((n) => /^[A-Z_0-9]+$/.test(n)), ...Object.keys(EXTRACT_ALIASES), ...Object.keys(RENAMES), ...(this.ctx.functions?.keys() ?? [])]
    return this.fail(`No match found for function signature ${written}(${args.map((a) => `<${formatType(a.type)}>`).join(', ')})${didYouMean(upper, known)}`, fc.pos)
  }

  private caseExpr(expr: Extract<Expr, { type: 'case' }>): Rex | undefined {
    const operand = expr.operand === undefined ? undefined : this.resolve(expr.operand)
    if (expr.operand !== undefined && operand === undefined) {
      // keep collecting problems of the branches
      for (const w of expr.whens) {
        this.resolve(w.when)
        this.resolve(w.then)
      }
      return undefined
    }
    const args: Rex[] = []
    let ok = true
    for (const w of expr.whens) {
      const when = this.resolve(w.when)
      const then = this.resolve(w.then)
      if (when === undefined || then === undefined) {
        ok = false
        continue
      }
      if (operand !== undefined) {
        const eq = this.call('=', [operand, when], w.when.pos)
        if (eq === undefined) {
          ok = false
          continue
        }
        args.push(eq, then)
      } else args.push(when, then)
    }
    const otherwise = expr.else === undefined ? literal(null, DataTypes.NULL()) : this.resolve(expr.else)
    if (!ok || otherwise === undefined) return undefined
    return this.call('CASE', [...args, otherwise], expr.pos)
  }

  private cast(expr: Extract<Expr, { type: 'cast' }>): Rex | undefined {
    const x = this.resolve(expr.expr)
    const target = typeFromSyntax(expr.target)
    if (E.isLeft(target)) {
      this.problems.push(...target.left)
      return undefined
    }
    if (x === undefined) return undefined
    const to = target.right
    if (!canCast(x.type, to)) return this.fail(`Cast function cannot convert value of type ${formatType(x.type)} to type ${formatType(to)}`, expr.pos)
    const nullable = expr.try || x.type.nullable
    const type = withNullability(to, nullable)
    if (x.kind === 'literal' && (x.value === null || x.value === undefined)) return literal(null, type)
    return call(expr.try ? 'TRY_CAST' : 'CAST', [x], type, expr.pos)
  }

  private between(expr: Extract<Expr, { type: 'between' }>): Rex | undefined {
    const args = this.all([expr.expr, expr.low, expr.high])
    if (args === undefined) return undefined
    const [x, lo, hi] = args as [Rex, Rex, Rex]
    const range = (a: Rex, b: Rex): Rex | undefined => {
      const ge = this.call('>=', [x, a], expr.pos)
      const le = this.call('<=', [x, b], expr.pos)
      return ge === undefined || le === undefined ? undefined : this.call('AND', [ge, le], expr.pos)
    }
    let r = range(lo, hi)
    if (r !== undefined && expr.symmetric) {
      const other = range(hi, lo)
      r = other === undefined ? undefined : this.call('OR', [r, other], expr.pos)
    }
    if (r === undefined || !expr.negated) return r
    return this.call('NOT', [r], expr.pos)
  }
}

/** The argument implicitly cast to `target` (a `NULL` literal becomes a typed `NULL`; no cast when only nullability differs). */
const coerce = (a: Rex, target: DataType): Rex => {
  if (a.kind === 'literal' && (a.value === null || a.value === undefined)) return a.type.kind === 'NULL' && target.kind !== 'NULL' ? literal(null, withNullability(target, true)) : a
  if (sameTypeIgnoringNullability(withoutTimeAttribute(a.type), withoutTimeAttribute(target))) return a
  if (target.kind === 'NULL') return a
  const to = withNullability(withoutTimeAttribute(target), a.type.nullable)
  // a literal whose value needs no conversion just takes the type
  if (a.kind === 'literal' && isNoopCast(a.type, to) && to.kind !== 'CHAR') return literal(a.value, to)
  return call('CAST', [a], to)
}

/**
 * Resolves an expression: binds names to the scope's fields, types every call, inserts implicit
 * casts, and hands aggregates, `OVER` calls and subqueries to the context's hooks.
 *
 * @remarks
 * Names are case-sensitive (as Flink's); function names are not. A column is found unqualified
 * (`price`), qualified by its table or alias (`b.price`), or as a field of a `ROW` column
 * (`bid.price`, `bid.price.amount`). Literals become runtime values (`DECIMAL` as numbers,
 * intervals as milliseconds or months, `TIMESTAMP '...'` as epoch milliseconds). A time attribute
 * keeps its attribute only when the expression is the column itself; any expression over it is
 * a plain timestamp. Every problem is reported at the position of the node that causes it;
 * independent problems (two unknown columns) are all reported.
 *
 * @category Expressions
 * @since 0.1.0
 */
export const resolveExpr = (expr: Expr, scope: Scope, ctx: ResolveContext): E.Either<readonly SqlProblem[], Rex> => {
  const r = new Resolver(scope, ctx)
  const rex = r.resolve(expr)
  if (r.problems.length > 0 || rex === undefined) return E.left(r.problems.length > 0 ? r.problems : [{ message: 'Invalid expression', pos: expr.pos }])
  return E.right(rex)
}
