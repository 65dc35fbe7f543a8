// Bordered text tables as Flink's SQL client prints them (its "tableau" style): cells right-aligned
// in columns whose width comes from the column types (while rows stream in) or from the rows (when
// they are all known), long values cut to the width with "...", wide characters counted twice.
import { formatValue, type DataType, type ResultColumn } from './table-api.js'

/**
 * The widest a column gets by default, as Flink's `sql-client.display.max-column-width`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const DEFAULT_MAX_COLUMN_WIDTH = 30

/**
 * What a cut cell ends with.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const TRUNCATED_FLAG = '...'

/** The name of the changelog kind column of a streaming tableau. */
const ROW_KIND_COLUMN = 'op'

/** Control characters (C0 and DEL). */
const CONTROL = /[\u0000-\u001f\u007f]/
const CONTROLS = /[\u0000-\u001f\u007f]/g

/** What `NULL` prints as in a table. */
const NULL_TEXT = '<NULL>'

/** Whether a code point takes two terminal cells (East Asian Wide or Fullwidth, and emoji). */
const isFullWidth = (cp: number): boolean =>
  (cp >= 0x1100 && cp <= 0x115f) ||
  (cp >= 0x2e80 && cp <= 0x303e) ||
  (cp >= 0x3041 && cp <= 0x33ff) ||
  (cp >= 0x3400 && cp <= 0x4dbf) ||
  (cp >= 0x4e00 && cp <= 0x9fff) ||
  (cp >= 0xa000 && cp <= 0xa4cf) ||
  (cp >= 0xac00 && cp <= 0xd7a3) ||
  (cp >= 0xf900 && cp <= 0xfaff) ||
  (cp >= 0xfe30 && cp <= 0xfe4f) ||
  (cp >= 0xff00 && cp <= 0xff60) ||
  (cp >= 0xffe0 && cp <= 0xffe6) ||
  (cp >= 0x1f300 && cp <= 0x1f64f) ||
  (cp >= 0x1f900 && cp <= 0x1f9ff) ||
  (cp >= 0x20000 && cp <= 0x3fffd)

/**
 * The number of terminal cells `text` takes: one per character, two per wide (CJK, fullwidth,
 * emoji) character.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const displayWidth = (text: string): number => {
  let w = 0
  for (const ch of text) w += isFullWidth(ch.codePointAt(0)!) ? 2 : 1
  return w
}

/**
 * The longest start of `text` that fits in `width` cells.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const takeWidth = (text: string, width: number): string => {
  let w = 0
  let end = 0
  for (const ch of text) {
    const cw = isFullWidth(ch.codePointAt(0)!) ? 2 : 1
    if (w + cw > width) break
    w += cw
    end += ch.length
  }
  return text.slice(0, end)
}

/**
 * A cell of exactly `width` cells: `text` right-aligned, or, when it is wider, its start cut to
 * `width - 3` cells followed by `...` (as Flink's tableau).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const fitCell = (text: string, width: number): string => {
  const w = displayWidth(text)
  if (w <= width) return ' '.repeat(width - w) + text
  if (width <= TRUNCATED_FLAG.length) return TRUNCATED_FLAG.slice(0, Math.max(0, width))
  const head = takeWidth(text, width - TRUNCATED_FLAG.length)
  return ' '.repeat(width - TRUNCATED_FLAG.length - displayWidth(head)) + head + TRUNCATED_FLAG
}

/**
 * `text` with line breaks, tabs and other control characters made visible (`\n`, `\t`, `\r`,
 * `\u0001`), so that one value stays on one line of a table.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const singleLine = (text: string): string =>
  CONTROL.test(text) ? text.replace(CONTROLS, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)) : text

/**
 * A value as a table cell shows it: Flink's tableau format (`<NULL>`, `TRUE`, `2020-04-15 08:05:00.000`)
 * on one line.
 *
 * @param raw - the value as Strom keeps it (`ResultRow.raw`)
 * @category SQL client
 * @since 0.2.0
 */
export const cellText = (raw: unknown, type: DataType): string => singleLine(formatValue(raw, type, 'tableau'))

/**
 * The border line of a table: `+----+-----+`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const borderLine = (widths: readonly number[]): string => {
  let s = '+'
  for (const w of widths) s += `${'-'.repeat(w + 2)}+`
  return s
}

/**
 * One line of a table: `| a |  1 |`, each cell fitted to its width ({@link fitCell}).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const rowLine = (widths: readonly number[], cells: readonly string[]): string => {
  let s = '|'
  for (let i = 0; i < widths.length; i++) s += ` ${fitCell(cells[i] ?? '', widths[i]!)} |`
  return s
}

/**
 * The widths of the columns of a table whose rows are not known yet (a streaming tableau), from
 * the column types, as Flink's `columnWidthsByType`.
 *
 * @remarks
 * A column is as wide as its name and at least as wide as its widest value: `TINYINT` 4,
 * `SMALLINT` 6, `INT` 11, `BIGINT` 20, `DECIMAL(p, s)` p + 2, `BOOLEAN` 5, `DATE` 10,
 * `TIME(p)` 8 or p + 9, `TIMESTAMP(p)` 19, 23, 26 or 29; every other type `maxColumnWidth`; and
 * never narrower than `<NULL>`. With `rowKind`, an `op` column (width 2) comes first.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const columnWidthsByType = (columns: readonly ResultColumn[], maxColumnWidth: number, rowKind: boolean): number[] => {
  const widths = columns.map((c) => {
    const t = c.type
    let len: number
    switch (t.kind) {
      case 'TINYINT':
        len = 4
        break
      case 'SMALLINT':
        len = 6
        break
      case 'INT':
        len = 11
        break
      case 'BIGINT':
        len = 20
        break
      case 'DECIMAL':
        len = t.precision + 2
        break
      case 'BOOLEAN':
        len = 5
        break
      case 'DATE':
        len = 10
        break
      case 'TIME':
        len = t.precision === 0 ? 8 : t.precision + 9
        break
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ':
        len = t.precision === 0 ? 19 : t.precision <= 3 ? 23 : t.precision <= 6 ? 26 : 29
        break
      default:
        len = maxColumnWidth
    }
    return Math.max(displayWidth(c.name), len, NULL_TEXT.length)
  })
  return rowKind ? [ROW_KIND_COLUMN.length, ...widths] : widths
}

/**
 * The widths of the columns of a table whose rows are known: the widest of the name and the
 * cells, at most `maxColumnWidth` (Flink's `columnWidthsByContent`).
 *
 * @category SQL client
 * @since 0.2.0
 */
export const columnWidthsByContent = (header: readonly string[], rows: readonly (readonly string[])[], maxColumnWidth: number): number[] => {
  const widths = header.map((h) => displayWidth(h))
  for (const r of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, displayWidth(r[i] ?? ''))
  return widths.map((w) => Math.min(w, maxColumnWidth))
}

/**
 * `row` or `rows`, after a count.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const rowTerm = (n: number): string => (n === 1 ? 'row' : 'rows')

/**
 * A complete table of known rows (`SHOW TABLES`, `DESCRIBE`, a batch query), as Flink prints it:
 * borders, the header, the rows, and `N rows in set` (or only `Empty set`).
 *
 * @param rows - the cells, already text ({@link cellText})
 * @category SQL client
 * @since 0.2.0
 */
export const staticTableau = (header: readonly string[], rows: readonly (readonly string[])[], maxColumnWidth = DEFAULT_MAX_COLUMN_WIDTH): string[] => {
  if (rows.length === 0) return ['Empty set']
  const widths = columnWidthsByContent(header, rows, maxColumnWidth)
  const border = borderLine(widths)
  return [border, rowLine(widths, header), border, ...rows.map((r) => rowLine(widths, r)), border, `${rows.length} ${rowTerm(rows.length)} in set`]
}

/**
 * Prints a streaming tableau line by line: the header first, a line per changelog row as it
 * arrives (with its `op`), and at the end the bottom border and `Received a total of N rows`.
 *
 * @remarks
 * The widths come from the column types ({@link columnWidthsByType}), since the rows are not
 * known when the header is printed.
 *
 * @category SQL client
 * @since 0.2.0
 */
export class StreamingTableau {
  private readonly widths: number[]
  private count = 0
  private readonly cells: string[]

  constructor(
    private readonly columns: readonly ResultColumn[],
    maxColumnWidth = DEFAULT_MAX_COLUMN_WIDTH,
  ) {
    this.widths = columnWidthsByType(columns, maxColumnWidth, true)
    this.cells = new Array<string>(columns.length + 1)
  }

  /** The header: border, column names, border. */
  header(): string[] {
    const border = borderLine(this.widths)
    return [border, rowLine(this.widths, [ROW_KIND_COLUMN, ...this.columns.map((c) => c.name)]), border]
  }

  /** The line of one changelog row. */
  row(kind: string, raw: readonly unknown[]): string {
    this.count++
    this.cells[0] = kind
    for (let i = 0; i < this.columns.length; i++) this.cells[i + 1] = cellText(raw[i], this.columns[i]!.type)
    return rowLine(this.widths, this.cells)
  }

  /** The closing lines: the bottom border and `Received a total of N rows`. */
  footer(): string[] {
    return [borderLine(this.widths), `Received a total of ${this.count} ${rowTerm(this.count)}`]
  }
}
