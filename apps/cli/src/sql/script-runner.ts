// `strom sql -f script.sql` (and a script piped into `strom sql`): the statements of a script run
// one after the other; query rows go to standard output, everything else to standard error.
import type { JobResult } from '@strom/runtime'
import { formatDuration } from '../format.js'
import { rowFormatter, type RowFormat } from './row-format.js'
import { HELP_TEXT, type SqlSession, type StatementError } from './session.js'
import { splitStatements, type ScriptStatement, type TableResult } from './table-api.js'

/**
 * Where a script run prints and how it learns of Ctrl-C: a subset of the CLI's `CliIo`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface ScriptIo {
  /** Prints a line of query results (standard output). */
  readonly out: (text: string) => void
  /** Prints a line of information or an error (standard error). */
  readonly err: (text: string) => void
  /** Calls `handler` on SIGINT and SIGTERM until the returned function is called. */
  readonly onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void
  /** Ends the process at once (a second Ctrl-C). */
  readonly exit: (code: number) => never
  /**
   * Calls `handler` when standard output is closed by its reader (`strom sql -f q.sql | head`:
   * EPIPE) until the returned function is called.
   */
  readonly onOutputClosed?: (handler: () => void) => () => void
}

/**
 * How to run a script.
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface ScriptOptions {
  /** How query rows are printed. */
  readonly format: RowFormat
  /** The script's name in error messages (`script.sql:3:17: ...`): the file as given, or `<stdin>`. */
  readonly label: string
}

/**
 * The exit code of a process that ends because of a signal: 128 + its number (130 for SIGINT,
 * 143 for SIGTERM), as shells report it.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGTERM' ? 143 : signal === 'SIGHUP' ? 129 : 130)

/**
 * The line that reports a statement's error: `script.sql:3:17: SQL parse error at line 3, column 17: ...`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const formatScriptError = (label: string, e: StatementError): string => `${label}:${e.pos.line}:${e.pos.column}: ${e.message}`

/**
 * The line that reports how a job ended: `[INFO] Job 'strom-sql-2' finished in 1.20 s.`
 *
 * @category SQL client
 * @since 0.2.0
 */
export const formatJobEnd = (r: JobResult): string =>
  r.status === 'CANCELED'
    ? `[INFO] Job '${r.jobName}' was cancelled after ${formatDuration(r.durationMs)}.`
    : `[INFO] Job '${r.jobName}' ${r.status === 'FINISHED' ? 'finished' : `ended (${r.status})`} in ${formatDuration(r.durationMs)}.`


const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : `thrown value ${JSON.stringify(e) ?? String(e)}`)

/**
 * Runs a script statement by statement and resolves with the exit code.
 *
 * @remarks
 * - Query rows (`SELECT`, `SHOW`, `DESCRIBE`, `SET;`) are printed to `out` as they arrive, as
 *   changelog lines or JSON objects ({@link ScriptOptions.format}); `EXPLAIN` and
 *   `SHOW CREATE TABLE` print their text. A query runs until its job ends.
 * - DDL, `SET`, `RESET` print Flink's message (`[INFO] Execute statement succeeded.`) to `err`; an
 *   `INSERT` waits for its job to end and prints `[INFO] Job '...' finished in ...` to `err`.
 * - `HELP` prints the help to `err`, `QUIT` ends the script (exit code 0), `CLEAR` is ignored.
 * - The first statement that fails stops the script: its error is printed to `err` as
 *   `<label>:<line>:<column>: <message>`, positions counted in the whole script, and the exit
 *   code is 1. Nothing after it runs.
 * - The first SIGINT or SIGTERM cancels the running job (if any) and stops the script after it
 *   with exit code 130 (SIGINT) or 143 (SIGTERM); a second one exits at once.
 * - When the reader of standard output goes away (`| head`), the running job is cancelled and
 *   the script stops quietly with exit code 0.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const runScript = async (session: SqlSession, script: string, options: ScriptOptions, io: ScriptIo): Promise<number> => {
  let interrupted: NodeJS.Signals | undefined
  let running: TableResult | undefined
  const off = io.onSignal((signal) => {
    if (interrupted !== undefined) {
      io.err(`${signal} again: exiting at once.`)
      io.exit(signalExitCode(signal))
    }
    interrupted = signal
    const job = running?.jobClient
    if (job !== undefined) {
      io.err(`[INFO] ${signal}: cancelling job '${job.jobName}' (${signal} again to exit at once)...`)
      job.cancel()
    } else io.err(`[INFO] ${signal}: stopping the script.`)
  })
  let outputClosed = false
  const offOutput =
    io.onOutputClosed?.(() => {
      if (outputClosed) return
      outputClosed = true
      running?.jobClient?.cancel()
    }) ?? (() => {})
  const out = (text: string): void => {
    if (!outputClosed) io.out(text)
  }
  const fail = (e: unknown, st: ScriptStatement): number => {
    io.err(formatScriptError(options.label, session.errorAt(e, st.pos)))
    return 1
  }
  try {
    for (const st of splitStatements(script)) {
      if (interrupted !== undefined) return signalExitCode(interrupted)
      if (outputClosed) return 0
      let executed
      try {
        executed = await session.execute(st)
      } catch (e) {
        return fail(e, st)
      }
      switch (executed.kind) {
        case 'command':
          if (executed.command === 'QUIT') return 0
          if (executed.command === 'HELP') io.err(HELP_TEXT)
          break
        case 'status':
          io.err(`[INFO] ${executed.message}`)
          break
        case 'text':
          out(executed.text)
          break
        case 'rows':
        case 'query': {
          const result = executed.result
          running = result
          const format = rowFormatter(options.format, result.columns)
          try {
            for await (const row of result.collect()) out(format(row))
          } catch (e) {
            const job = result.jobClient
            return fail(job === undefined ? e : new Error(`Job '${job.jobName}' failed: ${errorMessage(e)}`, { cause: e }), st)
          } finally {
            running = undefined
          }
          if (interrupted !== undefined && result.jobClient !== undefined) {
            const r = await result.await()
            if (r !== undefined) io.err(formatJobEnd(r))
          }
          break
        }
        case 'insert': {
          const result = executed.result
          const job = result.jobClient
          running = result
          io.err(`[INFO] Submitting SQL update statement as job '${job?.jobName ?? '?'}'.`)
          try {
            const r = await result.await()
            if (r !== undefined) io.err(formatJobEnd(r))
          } catch (e) {
            return fail(new Error(`Job '${job?.jobName ?? '?'}' failed: ${errorMessage(e)}`, { cause: e }), st)
          } finally {
            running = undefined
          }
          break
        }
      }
    }
    return interrupted === undefined ? 0 : signalExitCode(interrupted)
  } finally {
    off()
    offOutput()
  }
}
