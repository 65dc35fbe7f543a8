// The interactive client's history: the statements typed, newest last, kept in a file between
// sessions (~/.strom_sql_history by default), at most 1000 of them.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/**
 * How many statements the history keeps.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const HISTORY_SIZE = 1000

/**
 * The default history file: `~/.strom_sql_history`.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const defaultHistoryFile = (): string => join(homedir(), '.strom_sql_history')

/**
 * A statement as one history entry: its lines joined by single spaces (so that up and down recall
 * a multi-line statement whole), surrounding white space removed.
 *
 * @category SQL client
 * @since 0.2.0
 */
export const historyEntry = (statement: string): string =>
  statement
    .split(/\r\n|\r|\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ')

/**
 * The statements typed, oldest first, at most {@link HISTORY_SIZE}; loaded from and saved to a
 * file with one entry per line.
 *
 * @remarks
 * An entry equal to the newest one is not added again. A file that cannot be read starts an empty
 * history; one that cannot be written is reported once through `onProblem` and otherwise ignored
 * (the client works without a history).
 *
 * @category SQL client
 * @since 0.2.0
 */
export class History {
  private entries: string[] = []
  private reported = false

  constructor(
    /** The file, or `undefined` for a history that is not kept. */
    readonly file: string | undefined,
    private readonly onProblem: (message: string) => void = () => {},
    private readonly size = HISTORY_SIZE,
  ) {
    if (file === undefined) return
    try {
      this.entries = readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-size)
    } catch {
      this.entries = []
    }
  }

  /** The entries, oldest first. */
  list(): readonly string[] {
    return this.entries
  }

  /** The entries newest first, as node:readline's `history` takes them. */
  newestFirst(): string[] {
    return [...this.entries].reverse()
  }

  /** Adds a statement ({@link historyEntry}) and saves the file. */
  add(statement: string): void {
    const entry = historyEntry(statement)
    if (entry === '' || this.entries[this.entries.length - 1] === entry) return
    this.entries.push(entry)
    if (this.entries.length > this.size) this.entries.splice(0, this.entries.length - this.size)
    this.save()
  }

  private save(): void {
    if (this.file === undefined) return
    try {
      mkdirSync(dirname(this.file), { recursive: true })
      writeFileSync(this.file, this.entries.map((e) => `${e}\n`).join(''), { mode: 0o600 })
    } catch (e) {
      if (!this.reported) this.onProblem(`[WARNING] Could not save the history to ${this.file}: ${(e as Error).message}`)
      this.reported = true
    }
  }
}
