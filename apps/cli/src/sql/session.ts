// A SQL client session: one table environment, and the statements of a script or of what was
// typed, run one at a time. Errors name positions in the whole script (or typed buffer), not in
// the statement alone.
import {
  parseStatement,
  SqlError,
  TableEnvironment,
  type Pos,
  type ScriptStatement,
  type Statement,
  type TableEnvironmentOptions,
  type TableResult,
} from './table-api.js'

/**
 * The configuration key of the interactive client's result mode (`table`, `changelog`,
 * `tableau`), as Flink's.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const RESULT_MODE_KEY = 'sql-client.execution.result-mode'

/**
 * The configuration key of the widest column of a table, as Flink's.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const MAX_COLUMN_WIDTH_KEY = 'sql-client.display.max-column-width'

/**
 * The configuration key of the most rows the "table" result mode keeps, as Flink's.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const MAX_TABLE_ROWS_KEY = 'sql-client.execution.max-table-result.rows'

/**
 * How the interactive client shows query results.
 *
 * @remarks
 * `table`: the rows the changelog leaves, redrawn in place as changes arrive; `changelog`: each
 * change as a line `+I[...]`; `tableau`: each change as a row of a bordered table with an `op`
 * column (in batch mode, the final rows as a table once the query ends).
 *
 * @category SQL client
 * @since 0.2.0
 */
export type ResultMode = 'table' | 'changelog' | 'tableau'

/**
 * A command of the client itself rather than SQL: `HELP`, `QUIT` (or `EXIT`), `CLEAR`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export type ClientCommand = 'HELP' | 'QUIT' | 'CLEAR'

/**
 * The client command a statement's text is, if it is one (`help`, `QUIT`, `exit`, any case).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const clientCommandOf = (text: string): ClientCommand | undefined => {
  const word = text.trim().toUpperCase()
  if (word === 'HELP') return 'HELP'
  if (word === 'QUIT' || word === 'EXIT') return 'QUIT'
  if (word === 'CLEAR') return 'CLEAR'
  return undefined
}

/**
 * A position inside a statement moved to the script the statement starts in at `at`.
 *
 * @remarks
 * Lines add up; the column moves only on the statement's first line. A position with line 0
 * (Table API code, no SQL text) stays as it is.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const shiftPos = (p: Pos, at: Pos): Pos =>
  p.line === 0 ? p : { line: at.line + p.line - 1, column: p.line === 1 ? at.column + p.column - 1 : p.column, offset: at.offset + p.offset }

/**
 * A {@link SqlError} about a statement, its positions (and so its message) moved to the script
 * the statement starts in at `at`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const relocateError = (e: SqlError, at: Pos): SqlError =>
  new SqlError(
    e.phase,
    e.problems.map((p) => (p.pos === undefined ? p : { ...p, pos: shiftPos(p.pos, at) })),
    e.cause === undefined ? undefined : { cause: e.cause },
  )

/**
 * A statement of a script that could not run: where (in the script) and why.
 *
 * @remarks
 * `pos` is the first problem's position for a {@link SqlError} (moved to the script), else where
 * the statement starts. `cause` is the original error.
 *
 * @category SQL client
 * @since 0.2.0
 */
export class StatementError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = 'StatementError'
  }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : `thrown value ${JSON.stringify(e) ?? String(e)}`)

/** The error of a statement at `at`, as a {@link StatementError} with script positions. */
const statementError = (e: unknown, at: Pos): StatementError => {
  if (e instanceof StatementError) return e
  if (e instanceof SqlError) {
    const moved = relocateError(e, at)
    const pos = moved.pos
    return new StatementError(moved.message, pos === undefined || pos.line === 0 ? at : pos, { cause: e })
  }
  return new StatementError(errorMessage(e), at, { cause: e })
}

/**
 * What running one statement gave.
 *
 * - `command`: a client command, for the front end to carry out;
 * - `status`: DDL, `SET`, `RESET`, `USE`: a message (`Execute statement succeeded.`);
 * - `text`: `EXPLAIN`, `SHOW CREATE TABLE`: text to show as it is;
 * - `rows`: rows known at once (`SHOW`, `DESCRIBE`, `SET;`);
 * - `query`: a running query, whose changelog `result.collect()` yields;
 * - `insert`: a running `INSERT` or statement set, whose job `result.await()` waits for.
 *
 * @category SQL client
 * @since 0.2.0
 */
export type Executed =
  | { readonly kind: 'command'; readonly command: ClientCommand }
  | { readonly kind: 'status'; readonly message: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'rows'; readonly result: TableResult }
  | { readonly kind: 'query'; readonly result: TableResult }
  | { readonly kind: 'insert'; readonly result: TableResult }

const RESULT_MODES: readonly ResultMode[] = ['table', 'changelog', 'tableau']

/** Checks the values of the client's own configuration keys before they are set. */
const checkClientOption = (key: string, value: string, at: Pos): void => {
  const fail = (why: string): never => {
    throw new StatementError(`Invalid value for '${key}': ${why}`, at)
  }
  if (key === RESULT_MODE_KEY && !RESULT_MODES.includes(value.toLowerCase() as ResultMode))
    fail(`'${value}' is not one of ${RESULT_MODES.map((m) => `'${m}'`).join(', ')}.`)
  if ((key === MAX_COLUMN_WIDTH_KEY || key === MAX_TABLE_ROWS_KEY) && !/^[1-9][0-9]*$/.test(value.trim())) fail(`'${value}' is not a positive whole number.`)
}

const statusMessage = (s: Statement): string => {
  if (s.type === 'set') return 'Session property has been set.'
  if (s.type === 'reset') return s.key === undefined ? 'All session properties have been set to their default values.' : 'Session property has been reset.'
  return 'Execute statement succeeded.'
}

/**
 * A SQL client session: a table environment and the statements run in it, one at a time.
 *
 * @category SQL client
 * @since 0.2.0
 */
export class SqlSession {
  /** The environment statements run in (its catalog lives as long as the session). */
  readonly env: TableEnvironment

  constructor(options: TableEnvironmentOptions = {}) {
    this.env = TableEnvironment.create({ jobName: 'strom-sql', ...options })
  }

  /** The result mode the interactive client shows queries in (`SET 'sql-client.execution.result-mode'`). */
  resultMode(): ResultMode {
    const m = (this.env.getConfig(RESULT_MODE_KEY) ?? 'table').toLowerCase()
    return RESULT_MODES.includes(m as ResultMode) ? (m as ResultMode) : 'table'
  }

  /** The widest a table column is drawn (`sql-client.display.max-column-width`, default 30). */
  maxColumnWidth(): number {
    const n = Number(this.env.getConfig(MAX_COLUMN_WIDTH_KEY) ?? 30)
    return Number.isSafeInteger(n) && n > 0 ? n : 30
  }

  /** The most rows the table result mode keeps (`sql-client.execution.max-table-result.rows`, default 1,000,000). */
  maxTableRows(): number {
    const n = Number(this.env.getConfig(MAX_TABLE_ROWS_KEY) ?? 1_000_000)
    return Number.isSafeInteger(n) && n > 0 ? n : 1_000_000
  }

  /** Whether queries run in streaming mode (`execution.runtime-mode`). */
  isStreaming(): boolean {
    return (this.env.getConfig('execution.runtime-mode') ?? 'streaming').toLowerCase() !== 'batch'
  }

  /**
   * Runs one statement of a script: parses it, runs it, and says what came of it. A query or an
   * `INSERT` is running when this returns.
   *
   * @throws StatementError - the statement does not parse, validate or plan, or could not start;
   *   its message and position refer to the script (nothing ran)
   */
  async execute(statement: ScriptStatement): Promise<Executed> {
    const command = clientCommandOf(statement.text)
    if (command !== undefined) return { kind: 'command', command }
    const parsed = parseStatement(statement.text)
    if (parsed._tag === 'Left') throw statementError(parsed.left, statement.pos)
    const s = parsed.right
    if (s.type === 'set' && s.key !== undefined && s.value !== undefined) checkClientOption(s.key, s.value, statement.pos)
    let result: TableResult
    try {
      result = await this.env.executeStatement(s)
    } catch (e) {
      throw statementError(e, statement.pos)
    }
    if (s.type === 'insert' || s.type === 'statementSet') return { kind: 'insert', result }
    if (s.type === 'query') return { kind: 'query', result }
    if (result.resultKind === 'SUCCESS') return { kind: 'status', message: statusMessage(s) }
    if (s.type === 'explain' || (s.type === 'show' && (s.what === 'CREATE_TABLE' || s.what === 'CREATE_VIEW'))) {
      const lines: string[] = []
      for await (const r of result.collect()) lines.push(String(r.fields[0] ?? ''))
      return { kind: 'text', text: lines.join('\n').replace(/\n+$/, '') }
    }
    return { kind: 'rows', result }
  }

  /**
   * The error of a statement at `at` as a {@link StatementError} (a job that failed while its rows
   * were read, for instance).
   */
  errorAt(e: unknown, at: Pos): StatementError {
    return statementError(e, at)
  }
}

/**
 * The help text of the client commands and statements (`HELP;`).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const HELP_TEXT = [
  'The following commands are available:',
  '',
  'HELP                  Prints the available commands.',
  'QUIT/EXIT             Quits the SQL client (also Ctrl-D).',
  'CLEAR                 Clears the terminal.',
  "SET                   Sets a session property. Syntax: \"SET '<key>' = '<value>';\". Use \"SET;\" to list all properties.",
  "RESET                 Resets a session property. Syntax: \"RESET '<key>';\". Use \"RESET;\" to reset all of them.",
  'CREATE TABLE/VIEW     Declares a table (with a connector) or a view. DROP TABLE/VIEW removes it.',
  'SHOW TABLES           Lists the tables and views; also SHOW VIEWS, SHOW FUNCTIONS, SHOW CREATE TABLE <name>.',
  'DESCRIBE              Shows the columns of a table or view. Syntax: "DESCRIBE <name>;".',
  'SELECT                Runs a query and shows its result as it changes; Ctrl-C stops it.',
  'INSERT INTO           Runs a query into a table and waits for the job to end; Ctrl-C cancels it.',
  'EXPLAIN               Shows the execution plan of a query or an INSERT.',
  'BEGIN STATEMENT SET   Begins a statement set of INSERTs run as one job: "BEGIN STATEMENT SET; INSERT ...; END;".',
  '',
  'Hint: Make sure that a statement ends with ";" for finalizing (multi-line) statements.',
  "Query results show as a table that updates in place; SET 'sql-client.execution.result-mode' = 'changelog'",
  "prints each change instead, and 'tableau' prints the changes as rows of a bordered table.",
].join('\n')
