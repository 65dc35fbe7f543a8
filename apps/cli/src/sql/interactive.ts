// `strom sql` on a terminal: a read-eval-print loop over node:readline. Statements may span lines
// and end with `;`; queries show as a live table (or changelog lines, or a tableau); Ctrl-C stops
// a query and returns to the prompt; history is kept in a file.
import { createInterface, type Interface } from 'node:readline'
import { Writable } from 'node:stream'
import { History, HISTORY_SIZE } from './history.js'
import { LiveTableView, type TerminalOutput } from './live-table.js'
import { formatJobEnd, signalExitCode } from './script-runner.js'
import { clientCommandOf, HELP_TEXT, type SqlSession, type StatementError } from './session.js'
import { cellText, staticTableau, StreamingTableau } from './tableau.js'
import { formatResultRow, isComplete, splitStatements, type ResultRow, type ScriptStatement, type TableResult } from './table-api.js'

/**
 * The prompt of the interactive client.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const PROMPT = 'Strom SQL> '

/**
 * The prompt of the lines that continue a statement (as wide as {@link PROMPT}).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const CONTINUATION_PROMPT = '       > '

/**
 * What the client prints when it starts.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const WELCOME = "Welcome to the Strom SQL client! Enter 'HELP;' to list all available commands, 'QUIT;' to exit."

/**
 * What the client prints when it ends.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const GOODBYE = 'Exiting the Strom SQL client...'

/**
 * The streams and settings of an interactive session.
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface InteractiveOptions {
  /** What the user types (the terminal; a PassThrough in tests). */
  readonly input: NodeJS.ReadableStream
  /** The terminal everything is shown on; `columns` and `rows` size the live table. */
  readonly output: NodeJS.WritableStream & TerminalOutput
  /**
   * Whether `input` and `output` are a terminal: line editing, history with up and down, Ctrl-C
   * and Ctrl-D as keys. Without it lines are read as they come (tests, pipes).
   */
  readonly terminal: boolean
  /** The history (loaded from and saved to its file). */
  readonly history: History
  /** Process signals (SIGINT, SIGTERM) sent to the client by other means than its keyboard. */
  readonly onSignal?: (handler: (signal: NodeJS.Signals) => void) => () => void
  /** The live table's least time between frames in ms (default 100). */
  readonly refreshIntervalMs?: number
}

/** A Writable that passes what readline writes to the terminal, unless muted (while a statement runs). */
class MutableOutput extends Writable {
  muted = false

  constructor(private readonly target: NodeJS.WritableStream & TerminalOutput) {
    super()
    ;(target as Partial<NodeJS.EventEmitter>).on?.('resize', () => this.emit('resize'))
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (!this.muted) this.target.write(chunk)
    callback()
  }

  get columns(): number | undefined {
    return this.target.columns
  }

  get rows(): number | undefined {
    return this.target.rows
  }

  get isTTY(): boolean {
    return (this.target as { isTTY?: boolean }).isTTY === true
  }
}

const INTERRUPTED = Symbol('interrupted')

/** Lines from readline, one at a time on request, with Ctrl-C and end of input. */
class LineSource {
  private readonly queue: string[] = []
  private waiter: ((line: string | undefined | typeof INTERRUPTED) => void) | undefined
  private closed = false
  /** A statement runs: typed lines are dropped (on a terminal), Ctrl-C goes to `onBusyInterrupt`. */
  busy = false
  onBusyInterrupt: (() => void) | undefined

  constructor(
    private readonly rl: Interface,
    private readonly terminal: boolean,
    private readonly write: (text: string) => void,
    private readonly mute: (muted: boolean) => void,
  ) {
    rl.on('line', (line: string) => {
      if (this.busy && this.terminal) return
      const w = this.waiter
      this.waiter = undefined
      if (w !== undefined) w(line)
      else this.queue.push(line)
    })
    rl.on('close', () => {
      this.closed = true
      const w = this.waiter
      this.waiter = undefined
      w?.(undefined)
    })
    rl.on('SIGINT', () => this.interrupt())
  }

  /** Ctrl-C: stops the running statement, or drops what was typed at the prompt. */
  interrupt(): void {
    if (this.busy) {
      this.onBusyInterrupt?.()
      return
    }
    // like a shell: what was typed stays on the screen, followed by ^C, and is forgotten
    this.write('^C\n')
    this.mute(true)
    this.clearTypedText()
    this.mute(false)
    const w = this.waiter
    this.waiter = undefined
    w?.(INTERRUPTED)
  }

  /** Forgets the text typed but not entered. */
  clearTypedText(): void {
    if (!this.terminal || this.closed) return
    this.rl.write(null, { ctrl: true, name: 'e' })
    this.rl.write(null, { ctrl: true, name: 'u' })
  }

  /**
   * The next line, after showing `prompt`; `undefined` at the end of the input (Ctrl-D). Without
   * a terminal (nothing echoes what is typed), the prompt and the line are written as a
   * transcript.
   */
  async read(prompt: string): Promise<string | undefined | typeof INTERRUPTED> {
    let line: string | undefined | typeof INTERRUPTED
    if (this.queue.length > 0) {
      if (!this.terminal) this.write(prompt)
      line = this.queue.shift()
    } else if (this.closed) {
      if (!this.terminal) this.write(prompt)
      return undefined
    } else {
      this.rl.setPrompt(prompt)
      this.rl.prompt()
      line = await new Promise<string | undefined | typeof INTERRUPTED>((resolve) => {
        this.waiter = resolve
      })
    }
    if (!this.terminal && typeof line === 'string') this.write(`${line}\n`)
    return line
  }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : `thrown value ${JSON.stringify(e) ?? String(e)}`)

/**
 * Runs the interactive client until `QUIT;`, `EXIT;` or the end of the input (Ctrl-D), and
 * resolves with the exit code (0; 143 after SIGTERM).
 *
 * @remarks
 * - Lines are read with the prompt `Strom SQL> `, then `       > ` until the statement is
 *   complete (it ends with `;`, outside strings and comments). Several statements on one line run
 *   one after the other; the first that fails stops the rest.
 * - `HELP;` lists the commands, `CLEAR;` clears the screen, `QUIT;`/`EXIT;` (also without `;`)
 *   and Ctrl-D end the session. Ctrl-C at the prompt drops what was typed.
 * - A query shows in the result mode `SET 'sql-client.execution.result-mode'` chose: `table`
 *   (default; a {@link LiveTableView}), `changelog` (a `+I[...]` line per change) or `tableau`
 *   (a bordered table with an `op` column; in batch mode the final rows once the query ends).
 *   Ctrl-C cancels its job and returns to the prompt.
 * - An `INSERT` waits for its job to end; Ctrl-C cancels it.
 * - `SHOW`, `DESCRIBE` and `SET;` print a table; DDL prints `[INFO] Execute statement succeeded.`;
 *   an error prints `[ERROR] Could not execute SQL statement. Reason:` and the message, whose
 *   positions count lines from the first line of the statement as typed.
 * - Each statement is added to the history (a multi-line statement as one line).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const runInteractive = async (session: SqlSession, options: InteractiveOptions): Promise<number> => {
  const out = options.output
  const muted = new MutableOutput(out)
  const rl = createInterface({
    input: options.input,
    output: muted,
    terminal: options.terminal,
    history: options.history.newestFirst(),
    historySize: HISTORY_SIZE,
    tabSize: 2,
  })
  const print = (text: string): void => void out.write(`${text}\n`)
  const lines = new LineSource(
    rl,
    options.terminal,
    (t) => void out.write(t),
    (m) => {
      muted.muted = m
    },
  )
  let terminatedBy: NodeJS.Signals | undefined
  const offSignal =
    options.onSignal?.((signal) => {
      if (signal === 'SIGINT') return lines.interrupt()
      terminatedBy = signal
      lines.onBusyInterrupt?.()
      rl.close()
    }) ?? (() => {})

  const syncHistory = (): void => {
    const h = (rl as unknown as { history?: string[] }).history
    if (Array.isArray(h)) h.splice(0, h.length, ...options.history.newestFirst())
  }
  const printError = (e: StatementError | string): void =>
    print(`[ERROR] Could not execute SQL statement. Reason:\n${typeof e === 'string' ? e : e.message}`)

  /** Runs `work` as a busy statement: typed text is hidden and dropped, Ctrl-C calls `onInterrupt`. */
  const busy = async <T>(onInterrupt: () => void, work: () => Promise<T>): Promise<T> => {
    lines.busy = true
    lines.onBusyInterrupt = onInterrupt
    muted.muted = true
    try {
      return await work()
    } finally {
      lines.clearTypedText()
      muted.muted = false
      lines.busy = false
      lines.onBusyInterrupt = undefined
    }
  }

  const showQuery = async (result: TableResult): Promise<void> => {
    const job = result.jobClient
    let stopped = false
    const stop = (): void => {
      if (stopped) return
      stopped = true
      job?.cancel()
    }
    const columns = result.columns
    const mode = session.resultMode()
    await busy(stop, async () => {
      if (mode === 'table') {
        const view = new LiveTableView(out, columns, {
          maxColumnWidth: session.maxColumnWidth(),
          maxRows: session.maxTableRows(),
          ...(options.refreshIntervalMs === undefined ? {} : { intervalMs: options.refreshIntervalMs }),
        })
        view.start()
        try {
          for await (const row of result.collect()) view.add(row)
          view.finish(stopped ? 'stopped' : 'finished')
        } catch (e) {
          view.finish('failed')
          printError(`Job '${job?.jobName ?? '?'}' failed: ${errorMessage(e)}`)
        }
        return
      }
      let count = 0
      const tableau = mode === 'tableau' && session.isStreaming() ? new StreamingTableau(columns, session.maxColumnWidth()) : undefined
      const batchRows: string[][] = []
      if (tableau !== undefined) for (const l of tableau.header()) print(l)
      try {
        for await (const row of result.collect()) {
          count++
          if (tableau !== undefined) print(tableau.row(row.kind, row.raw))
          else if (mode === 'tableau') batchRows.push(columns.map((c, i) => cellText(row.raw[i], c.type)))
          else print(formatResultRow(row, columns))
        }
      } catch (e) {
        printError(`Job '${job?.jobName ?? '?'}' failed: ${errorMessage(e)}`)
        return
      }
      if (tableau !== undefined) {
        const [border, total] = tableau.footer()
        print(border!)
        print(stopped ? `Query terminated, received a total of ${count} ${count === 1 ? 'row' : 'rows'}` : total!)
      } else if (mode === 'tableau') {
        for (const l of staticTableau(columns.map((c) => c.name), batchRows, session.maxColumnWidth())) print(l)
        if (stopped) print('Query terminated.')
      } else print(`${stopped ? 'Query terminated, received' : 'Received'} a total of ${count} ${count === 1 ? 'row' : 'rows'}`)
    })
  }

  const runInsert = async (result: TableResult): Promise<void> => {
    const job = result.jobClient
    print(`[INFO] Submitting SQL update statement as job '${job?.jobName ?? '?'}'. Press Ctrl-C to cancel it.`)
    await busy(
      () => job?.cancel(),
      async () => {
        try {
          const r = await result.await()
          if (r !== undefined) print(formatJobEnd(r))
        } catch (e) {
          printError(`Job '${job?.jobName ?? '?'}' failed: ${errorMessage(e)}`)
        }
      },
    )
  }

  const printRows = async (result: TableResult): Promise<void> => {
    const rows: string[][] = []
    for await (const r of result.collect() as AsyncIterable<ResultRow>) rows.push(result.columns.map((c, i) => cellText(r.raw[i], c.type)))
    for (const l of staticTableau(result.columns.map((c) => c.name), rows, session.maxColumnWidth())) print(l)
  }

  /** Runs one statement; `'quit'` ends the session, `'error'` skips the rest of the line. */
  const runStatement = async (st: ScriptStatement): Promise<'ok' | 'quit' | 'error'> => {
    let executed
    try {
      executed = await session.execute(st)
    } catch (e) {
      printError(session.errorAt(e, st.pos))
      return 'error'
    }
    switch (executed.kind) {
      case 'command':
        if (executed.command === 'QUIT') return 'quit'
        if (executed.command === 'HELP') print(HELP_TEXT)
        else out.write('\x1b[2J\x1b[3J\x1b[H')
        return 'ok'
      case 'status':
        print(`[INFO] ${executed.message}`)
        return 'ok'
      case 'text':
        print(executed.text)
        return 'ok'
      case 'rows':
        await printRows(executed.result)
        return 'ok'
      case 'query':
        await showQuery(executed.result)
        return 'ok'
      case 'insert':
        await runInsert(executed.result)
        return 'ok'
    }
  }

  print(WELCOME)
  let buffer: string[] = []
  try {
    for (;;) {
      const line = await lines.read(buffer.length === 0 ? PROMPT : CONTINUATION_PROMPT)
      if (line === INTERRUPTED) {
        buffer = []
        syncHistory()
        continue
      }
      if (line === undefined) {
        print('') // the cursor is after a prompt
        print(GOODBYE)
        return terminatedBy === undefined ? 0 : signalExitCode(terminatedBy)
      }
      buffer.push(line)
      const text = buffer.join('\n')
      const bare = buffer.length === 1 ? clientCommandOf(line) : undefined
      if (bare === undefined) {
        if (splitStatements(text).length === 0) {
          // only white space and comments so far
          buffer = []
          continue
        }
        if (!isComplete(text)) continue
      }
      buffer = []
      options.history.add(text)
      syncHistory()
      const statements: readonly ScriptStatement[] = bare !== undefined ? [{ text: line.trim(), pos: { line: 1, column: 1, offset: 0 } }] : splitStatements(text)
      for (const st of statements) {
        const outcome = await runStatement(st)
        if (outcome === 'quit') {
          print(GOODBYE)
          return 0
        }
        if (outcome === 'error') break
      }
    }
  } finally {
    offSignal()
    rl.close()
  }
}
