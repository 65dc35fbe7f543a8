/**
 * Errors of the Table API and SQL layer.
 *
 * @packageDocumentation
 */
import { StreamError } from '@strom/runtime'
import type { Pos } from './sql/ast.js'

/**
 * One problem found in a statement: what is wrong, where (1-based line and column), and for
 * syntax errors what the parser expected there.
 *
 * @category Errors
 * @since 0.1.0
 */
export interface SqlProblem {
  readonly message: string
  readonly pos?: Pos
  /** For syntax errors: what would have been valid at `pos` (`"FROM"`, `"an expression"`, ...). */
  readonly expected?: readonly string[]
}

/** A problem as one line: `line 2, column 17: Column 'x' not found in any table.` */
export const formatProblem = (p: SqlProblem): string =>
  p.pos === undefined || p.pos.line === 0 ? p.message : `line ${p.pos.line}, column ${p.pos.column}: ${p.message}`

/**
 * A statement that cannot run as written: a syntax error (`phase: 'parse'`), a name or type that
 * does not resolve (`'validate'`), or a query the planner cannot run in streaming (`'plan'`,
 * e.g. an operator that cannot consume the updates its input produces).
 *
 * @remarks
 * `problems` holds every problem found, each with its position; the message lists them. Nothing
 * ran: the catalog and running jobs are unchanged.
 *
 * @category Errors
 * @since 0.1.0
 */
export class SqlError extends StreamError {
  readonly _tag = 'SqlError'
  readonly domain = 'plan'
  constructor(
    readonly phase: 'parse' | 'validate' | 'plan',
    readonly problems: readonly SqlProblem[],
    options?: { cause?: unknown },
  ) {
    super(SqlError.describe(phase, problems), options)
  }

  /** The first problem's position, if it has one. */
  get pos(): Pos | undefined {
    return this.problems.find((p) => p.pos !== undefined)?.pos
  }

  private static describe(phase: 'parse' | 'validate' | 'plan', problems: readonly SqlProblem[]): string {
    const what = phase === 'parse' ? 'SQL parse error' : phase === 'validate' ? 'SQL validation error' : 'SQL planning error'
    if (problems.length === 1) return `${what} at ${formatProblem(problems[0]!)}`
    return `${what}s:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`
  }
}

/**
 * A value that a SQL operation could not handle at run time: a failed `CAST`, a division by
 * zero in `DECIMAL`, a malformed record read by a table source. The message names the
 * expression's position or the record's source and offset.
 *
 * @category Errors
 * @since 0.1.0
 */
export class SqlRuntimeError extends StreamError {
  readonly _tag = 'SqlRuntimeError'
  readonly domain = 'user'
}
