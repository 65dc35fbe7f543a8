// `strom sql`: Strom's SQL client, like Flink's. With -f (or a script piped in) it runs a script
// and prints query rows to standard output; on a terminal it is an interactive client.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { positiveIntegerOption, stringOption, stringOptions, UsageError, type CliIo, type Command, type CommandArgs } from '../command.js'
import { defaultHistoryFile, History } from '../sql/history.js'
import { runInteractive } from '../sql/interactive.js'
import type { TerminalOutput } from '../sql/live-table.js'
import type { RowFormat } from '../sql/row-format.js'
import { runScript } from '../sql/script-runner.js'
import { SqlSession } from '../sql/session.js'

/**
 * The terminal `strom sql` talks to: standard input and output (`process.stdin` and
 * `process.stdout`; fake streams in tests).
 *
 * @category CLI
 * @since 0.2.0
 */
export interface SqlTerminal {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean }
  readonly stdout: NodeJS.WritableStream & TerminalOutput & { readonly isTTY?: boolean }
  /** The history file when `--history` is not given (default `~/.strom_sql_history`). */
  readonly historyFile?: () => string
  /** The live table's least time between frames in ms (default 100). */
  readonly refreshIntervalMs?: number
  /** Calls `handler` when the reader of `stdout` goes away (EPIPE), until the returned function is called. */
  readonly onOutputClosed?: (handler: () => void) => () => void
}

const FORMATS: readonly RowFormat[] = ['changelog', 'json']

/** The table environment's settings from `--mode`, `--parallelism` and `-D key=value`. */
const sessionOf = (args: CommandArgs): SqlSession => {
  const mode = stringOption(args, 'mode')
  if (mode !== undefined && mode !== 'streaming' && mode !== 'batch') throw new UsageError(`Option --mode needs 'streaming' or 'batch', got '${mode}'.`)
  const parallelism = positiveIntegerOption(args, 'parallelism', 'parallel subtasks')
  const config: Record<string, string> = {}
  for (const d of stringOptions(args, 'define')) {
    const eq = d.indexOf('=')
    if (eq <= 0) throw new UsageError(`Option -D needs a configuration entry as key=value, e.g. -D parallelism.default=2, got '${d}'.`)
    config[d.slice(0, eq).trim()] = d.slice(eq + 1).trim()
  }
  return new SqlSession({ ...(mode === undefined ? {} : { mode }), ...(parallelism === undefined ? {} : { parallelism }), config })
}

/** Reads a script file; a missing or unreadable file is a usage error (exit code 2). */
const readScript = async (path: string, cwd: string): Promise<string> => {
  const absolute = resolve(cwd, path)
  try {
    return await readFile(absolute, 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new UsageError(`Script file not found: ${absolute} does not exist.`)
    if (code === 'EISDIR') throw new UsageError(`Script file ${absolute} is a directory.`)
    throw new UsageError(`Script file ${absolute} cannot be read: ${(e as Error).message}`)
  }
}

const readAll = async (input: NodeJS.ReadableStream): Promise<string> => {
  const chunks: Buffer[] = []
  for await (const chunk of input) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * `strom sql` on the given terminal.
 *
 * @category CLI
 * @since 0.2.0
 */
export const createSqlCommand = (terminal: SqlTerminal): Command => ({
  name: 'sql',
  summary: 'Run SQL: a script with -f, or an interactive SQL client',
  description: [
    'Strom\'s SQL client, like Flink\'s. With -f <script.sql>, or with a script piped into standard input, it runs',
    'the statements one after the other and exits: query rows go to standard output as changelog rows',
    '(+I[...], -U[...], +U[...], -D[...]) or, with --format json, as one JSON object per row; messages',
    '("[INFO] Execute statement succeeded.", "[INFO] Job \'...\' finished in ...") go to standard error. An INSERT',
    'waits for its job to end. The first statement that fails stops the script, with its error as',
    '<file>:<line>:<column>: <message> (positions in the file).',
    '',
    'On a terminal, without -f, it is an interactive client: statements end with ";" and may span lines,',
    'HELP; lists the commands, QUIT; (or Ctrl-D) exits, up and down recall the history (~/.strom_sql_history).',
    "A query's result is shown as a table that updates as its changelog arrives; Ctrl-C stops it.",
    "SET 'sql-client.execution.result-mode' = 'changelog' (or 'tableau') prints the changes instead.",
    '',
    'Exit code: 0 when every statement ran; 1 when one failed; 2 for a bad command line or a missing',
    'script file; 130 after Ctrl-C (SIGINT) or 143 after SIGTERM stopped a script (the job is cancelled).',
  ].join('\n'),
  arguments: [],
  options: {
    file: { type: 'string', short: 'f', valueName: '<script.sql>', description: 'run the statements of this file, then exit' },
    init: { type: 'string', short: 'i', valueName: '<init.sql>', description: 'run this file first (e.g. its CREATE TABLEs), then -f or the interactive client' },
    format: { type: 'string', valueName: '<changelog|json>', description: 'how a script prints query rows (default changelog)' },
    parallelism: { type: 'string', short: 'p', valueName: '<n>', description: 'the parallelism of the jobs (default 1)' },
    mode: { type: 'string', valueName: '<streaming|batch>', description: 'the runtime mode (default streaming)' },
    define: { type: 'string', short: 'D', multiple: true, valueName: '<key=value>', description: "a configuration entry, as SET 'key' = 'value'; repeatable" },
    history: { type: 'string', valueName: '<path>', description: 'the history file of the interactive client (default ~/.strom_sql_history)' },
  },
  examples: [
    'strom sql                                   # the interactive client',
    'strom sql -f report.sql                     # run a script, rows as +I[...] lines',
    'strom sql -f report.sql --format json | jq  # rows as JSON objects',
    "echo 'SELECT 1 + 1;' | strom sql            # a script from standard input",
    'strom sql -i tables.sql -D parallelism.default=2',
  ],
  run: async (args: CommandArgs, io: CliIo) => {
    const format = stringOption(args, 'format') ?? 'changelog'
    if (!FORMATS.includes(format as RowFormat)) throw new UsageError(`Option --format needs 'changelog' or 'json', got '${format}'.`)
    const session = sessionOf(args)
    const file = stringOption(args, 'file')
    const init = stringOption(args, 'init')
    const initScript = init === undefined ? undefined : await readScript(init, io.cwd)
    const script = file === undefined ? undefined : await readScript(file, io.cwd)
    const interactive = script === undefined && terminal.stdin.isTTY === true
    const scriptOptions = { format: format as RowFormat }
    const scriptIo = terminal.onOutputClosed === undefined ? io : { ...io, onOutputClosed: terminal.onOutputClosed }
    if (initScript !== undefined) {
      const code = await runScript(session, initScript, { ...scriptOptions, label: init! }, scriptIo)
      if (code !== 0) return code
    }
    if (script !== undefined) return runScript(session, script, { ...scriptOptions, label: file! }, scriptIo)
    if (!interactive) return runScript(session, await readAll(terminal.stdin), { ...scriptOptions, label: '<stdin>' }, scriptIo)
    const historyPath = stringOption(args, 'history')
    const history = new History(historyPath === undefined ? (terminal.historyFile ?? defaultHistoryFile)() : resolve(io.cwd, historyPath), (m) => io.err(m))
    return runInteractive(session, {
      input: terminal.stdin,
      output: terminal.stdout,
      terminal: terminal.stdin.isTTY === true && terminal.stdout.isTTY === true,
      history,
      onSignal: io.onSignal,
      ...(terminal.refreshIntervalMs === undefined ? {} : { refreshIntervalMs: terminal.refreshIntervalMs }),
    })
  },
})

/**
 * `strom sql` on the process's standard input and output.
 *
 * @category CLI
 * @since 0.2.0
 */
export const sqlCommand: Command = createSqlCommand({
  // read lazily: touching process.stdin creates its handle, which other commands do not need
  get stdin() {
    return process.stdin
  },
  get stdout() {
    return process.stdout
  },
  onOutputClosed: (handler) => {
    let active = true
    // stays attached: writes still buffered when the reader went away fail later, quietly
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e
      if (active) handler()
    })
    return () => {
      active = false
    }
  },
})
