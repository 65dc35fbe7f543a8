// The interactive client's "table" result mode: the rows a query's changelog leaves, redrawn in
// place (ANSI cursor movement) as changes arrive, at most ten times a second.
import { MaterializedTable } from './changelog-table.js'
import { borderLine, cellText, columnWidthsByContent, DEFAULT_MAX_COLUMN_WIDTH, displayWidth, rowLine, rowTerm, takeWidth } from './tableau.js'
import type { ResultColumn, ResultRow } from './table-api.js'

/**
 * Where a live query stands: its job runs, finished (bounded input read), was stopped with
 * Ctrl-C, or failed.
 *
 * @category SQL client
 * @since 0.2.0
 */
export type LiveStatus = 'running' | 'finished' | 'stopped' | 'failed'

/**
 * What one frame of the live table shows.
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface LiveFrame {
  readonly columns: readonly ResultColumn[]
  /** The first rows of the table (as many as fit), as Strom keeps their values. */
  readonly rows: readonly (readonly unknown[])[]
  /** How many rows the table holds in all. */
  readonly totalRows: number
  /** How many changes have been received. */
  readonly changes: number
  readonly status: LiveStatus
}

/**
 * The size of the terminal a frame is drawn for, in character cells.
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface ScreenSize {
  readonly columns: number
  readonly rows: number
}

/**
 * The title line of the live table.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const LIVE_TABLE_TITLE = 'SQL Query Result (Table)'

/** The lines of a frame other than its rows: title, border, header, border, border, footer. */
const CHROME_LINES = 6

/**
 * How many rows a frame shows on a screen of `screenRows` lines: all lines of a frame but one fit
 * on the screen (the cursor stays below it, so that the frame can be redrawn in place).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const rowCapacity = (screenRows: number): number => Math.max(1, screenRows - 1 - CHROME_LINES)

const STATUS_TEXT: Readonly<Record<LiveStatus, string>> = {
  running: 'Press Ctrl-C to stop.',
  finished: 'Job finished.',
  stopped: 'Query stopped.',
  failed: 'Job failed.',
}

/**
 * The footer of a frame: `3 rows, 17 changes received. Press Ctrl-C to stop.`
 *
 * @category SQL client
 * @since 0.2.0
 */
export const liveFooter = (frame: Pick<LiveFrame, 'rows' | 'totalRows' | 'changes' | 'status'>): string => {
  const shown = frame.rows.length < frame.totalRows ? ` (the first ${frame.rows.length} shown)` : ''
  return `${frame.totalRows} ${rowTerm(frame.totalRows)}${shown}, ${frame.changes} ${frame.changes === 1 ? 'change' : 'changes'} received. ${STATUS_TEXT[frame.status]}`
}

/**
 * The lines of one frame of the live table, and the column widths used.
 *
 * @remarks
 * Columns are as wide as their name and widest value shown, at most `maxColumnWidth`
 * (longer values are cut with `...`), and never narrower than `minWidths` (the widths of the
 * previous frame, so that columns do not jitter while values change). Values are right-aligned
 * and printed as Flink's tableau (`<NULL>`). Every line is cut to the screen's width.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const renderLiveTable = (
  frame: LiveFrame,
  screen: ScreenSize,
  maxColumnWidth = DEFAULT_MAX_COLUMN_WIDTH,
  minWidths: readonly number[] = [],
): { readonly lines: string[]; readonly widths: number[] } => {
  const header = frame.columns.map((c) => c.name)
  const cells = frame.rows.map((r) => frame.columns.map((c, i) => cellText(r[i], c.type)))
  const widths = columnWidthsByContent(header, cells, maxColumnWidth).map((w, i) => Math.max(w, Math.min(minWidths[i] ?? 0, maxColumnWidth)))
  const border = borderLine(widths)
  const lines = [LIVE_TABLE_TITLE, border, rowLine(widths, header), border, ...cells.map((c) => rowLine(widths, c)), border, liveFooter(frame)]
  const width = Math.max(1, screen.columns)
  return { lines: lines.map((l) => (displayWidth(l) > width ? takeWidth(l, width) : l)), widths }
}

/** ANSI: hide and show the cursor, move it up `n` lines, erase from it to the end of the screen. */
const HIDE_CURSOR = '\x1b[?25l'
const SHOW_CURSOR = '\x1b[?25h'
const up = (n: number): string => (n > 0 ? `\x1b[${n}A` : '')
const ERASE_DOWN = '\r\x1b[J'

/**
 * A terminal the live table is drawn on: something to write to, and its size (when known).
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface TerminalOutput {
  write(text: string): unknown
  readonly columns?: number | undefined
  readonly rows?: number | undefined
}

/**
 * Options of a {@link LiveTableView}.
 *
 * @category SQL client
 * @since 0.2.0
 */
export interface LiveTableOptions {
  /** The widest a column is drawn (default 30). */
  readonly maxColumnWidth?: number
  /** The most rows the table keeps (default 1,000,000); the oldest are dropped past it. */
  readonly maxRows?: number
  /** The least time between two frames, in ms (default 100: at most ten frames a second). */
  readonly intervalMs?: number
  /** The clock (default `Date.now`). */
  readonly now?: () => number
}

/**
 * Shows a query's result as a table that is redrawn in place as its changelog arrives.
 *
 * @remarks
 * `add` applies a change to the {@link MaterializedTable} and schedules a frame: at once when
 * the last one is older than the interval, else when it is; so a burst of changes costs one
 * frame. Each frame moves the cursor back up over the previous one and erases it. `finish` draws
 * the last frame with the final status and leaves it on the screen, the cursor below it.
 *
 * @category SQL client
 * @since 0.2.0
 */
export class LiveTableView {
  private readonly table: MaterializedTable
  private readonly maxColumnWidth: number
  private readonly intervalMs: number
  private readonly now: () => number
  private drawn = 0
  private lastDraw = Number.NEGATIVE_INFINITY
  private timer: ReturnType<typeof setTimeout> | undefined
  private widths: number[] = []
  private done = false

  constructor(
    private readonly out: TerminalOutput,
    private readonly columns: readonly ResultColumn[],
    options: LiveTableOptions = {},
  ) {
    this.table = new MaterializedTable(options.maxRows ?? 1_000_000)
    this.maxColumnWidth = options.maxColumnWidth ?? DEFAULT_MAX_COLUMN_WIDTH
    this.intervalMs = options.intervalMs ?? 100
    this.now = options.now ?? Date.now
  }

  /** The table the changes have built so far. */
  get rows(): MaterializedTable {
    return this.table
  }

  /** Hides the cursor and draws the first (empty) frame. */
  start(): void {
    this.out.write(HIDE_CURSOR)
    this.draw('running')
  }

  /** Applies one change and schedules a frame. */
  add(row: ResultRow): void {
    this.table.apply(row.kind, row.raw)
    if (this.timer !== undefined || this.done) return
    const wait = this.lastDraw + this.intervalMs - this.now()
    if (wait <= 0) this.draw('running')
    else
      this.timer = setTimeout(() => {
        this.timer = undefined
        if (!this.done) this.draw('running')
      }, wait)
  }

  /** Draws the last frame with `status`, leaves it on the screen and shows the cursor again. */
  finish(status: Exclude<LiveStatus, 'running'>): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.draw(status)
    this.done = true
    this.out.write(SHOW_CURSOR)
  }

  private draw(status: LiveStatus): void {
    const screen: ScreenSize = { columns: this.out.columns ?? 80, rows: this.out.rows ?? 24 }
    const frame: LiveFrame = {
      columns: this.columns,
      rows: this.table.rows(rowCapacity(screen.rows)),
      totalRows: this.table.size,
      changes: this.table.changes,
      status,
    }
    const { lines, widths } = renderLiveTable(frame, screen, this.maxColumnWidth, this.widths)
    this.widths = widths
    this.out.write(`${up(this.drawn)}${ERASE_DOWN}${lines.join('\n')}\n`)
    this.drawn = lines.length
    this.lastDraw = this.now()
  }
}
