/**
 * What names an expression can see, and the hooks through which the planner handles what is
 * not a scalar expression (aggregates, OVER windows, subqueries) when the expression resolver
 * meets them.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/Either'
import type { SqlProblem } from '../errors.js'
import type { ExistsExpr, FunctionCall, InSubqueryExpr, Pos, ScalarSubqueryExpr } from '../sql/ast.js'
import type { DataType } from '../types/data-type.js'
import type { Rex } from './rex.js'

/** A field visible to an expression. */
export interface ScopeField {
  /** The column name (case-sensitive, as Flink's). */
  readonly name: string
  /** The table name or alias it can be qualified with (`b` in `b.price`), if any. */
  readonly qualifier?: string
  readonly type: DataType
  /** Which input row it is read from (0, or 1 for the right side of a join condition). */
  readonly side: 0 | 1
  /** Its position in that row. */
  readonly index: number
  /** Not expanded by `*` (e.g. a system column), but resolvable by name. */
  readonly hidden?: boolean
}

/** The fields an expression can see; `outer` for correlated subqueries (not supported yet: report "correlated subqueries are not supported"). */
export interface Scope {
  readonly fields: readonly ScopeField[]
  readonly outer?: Scope
}

/** A user-defined scalar function, as registered from TypeScript. */
export interface ScalarFunctionDefinition {
  readonly name: string
  readonly fn: (...args: any[]) => unknown
  /** The result type for the given argument types, or a message why these arguments do not fit. */
  readonly resultType: (argTypes: readonly DataType[]) => DataType | string
  readonly deterministic: boolean
}

/** The hooks and catalogs an expression is resolved with. */
export interface ResolveContext {
  /** The clause being resolved, for messages: `'WHERE'`, `'SELECT'`, `'GROUP BY'`, `'ON'`, `'HAVING'`, ... */
  readonly clause: string
  /** User-defined scalar functions, by upper-case name. */
  readonly functions?: ReadonlyMap<string, ScalarFunctionDefinition>
  /** Names (upper case) of aggregate functions, built-in and user-defined: a call of one goes to `onAggregate`. */
  readonly aggregateNames: ReadonlySet<string>
  /**
   * An aggregate call (`SUM(x)`, `COUNT(*)`, `COUNT(DISTINCT a) FILTER (WHERE b)`): the Rex that
   * stands for its result. Absent: aggregates are not allowed in this clause (report
   * "Aggregate functions are not allowed in <clause>" at the call).
   */
  readonly onAggregate?: (call: FunctionCall) => Either<readonly SqlProblem[], Rex>
  /** A call with `OVER`: the Rex that stands for its result. Absent: not allowed here. */
  readonly onOver?: (call: FunctionCall) => Either<readonly SqlProblem[], Rex>
  /** A subquery used as a value or predicate. Absent: not allowed here. */
  readonly onSubquery?: (expr: ScalarSubqueryExpr | InSubqueryExpr | ExistsExpr) => Either<readonly SqlProblem[], Rex>
  /**
   * Replaces a whole expression before it is resolved, e.g. a `GROUP BY` expression by a
   * reference to the aggregation's output; `undefined` to resolve it as usual.
   */
  readonly substitute?: (expr: import('../sql/ast.js').Expr) => Rex | undefined
  /** Where to report problems that have no better position. */
  readonly pos?: Pos
}
