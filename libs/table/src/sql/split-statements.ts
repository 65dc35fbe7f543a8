/**
 * Splitting a SQL script into statements, for the SQL client.
 *
 * @remarks
 * Works on text that need not be valid SQL: it only knows where strings (`'...'`), back-quoted
 * identifiers, comments (`-- ...`, `/* ... *\/`, hints) and statement-set blocks begin and end,
 * so that a `;` inside them does not end a statement. A statement set (`BEGIN STATEMENT SET;
 * ...; END;`, `EXECUTE STATEMENT SET BEGIN ...; END;`, also after `EXPLAIN`) is one statement: it
 * ends at the `;` after the `END` that follows one of its own `;`.
 *
 * @packageDocumentation
 */
import type { Pos } from './ast.js'

/** One statement of a script: its text (without the ending `;` and surrounding white space) and where that text starts in the script. */
export interface ScriptStatement {
  readonly text: string
  readonly pos: Pos
}

interface ScanResult {
  readonly statements: ScriptStatement[]
  /** Whether the script ends right after a statement's `;` (only white space and comments after it). */
  readonly complete: boolean
}

const isWordStart = (c: string): boolean => /[A-Za-z_\u00C0-\uFFFF]/.test(c)
const isWordPart = (c: string): boolean => /[A-Za-z0-9_$\u00C0-\uFFFF]/.test(c)

const scan = (script: string): ScanResult => {
  const statements: ScriptStatement[] = []
  const n = script.length
  let line = 1
  let lineStart = 0
  // the statement being read
  let start = -1 // offset of its first significant character (-1: none yet)
  let startPos: Pos = { line: 1, column: 1, offset: 0 }
  let words: string[] = [] // its first words (upper case), up to 5
  let block = false // inside a statement-set block
  let segmentFirstWord: string | undefined // the first word after the block's last `;`
  let complete = false

  const here = (i: number): Pos => ({ line, column: i - lineStart + 1, offset: i })
  const markSignificant = (i: number): void => {
    complete = false
    if (start < 0) {
      start = i
      startPos = here(i)
    }
  }
  const endStatement = (end: number): void => {
    if (start >= 0) statements.push({ text: script.slice(start, end).trimEnd(), pos: startPos })
    start = -1
    words = []
    block = false
    segmentFirstWord = undefined
  }
  const onWord = (word: string): void => {
    const upper = word.toUpperCase()
    if (words.length < 5) {
      words.push(upper)
      const w = words.join(' ')
      if (w === 'BEGIN STATEMENT SET' || w.endsWith('STATEMENT SET BEGIN')) block = true
    }
    if (block && segmentFirstWord === undefined) segmentFirstWord = upper
  }

  let i = 0
  while (i < n) {
    const c = script[i]!
    if (c === '\n' || (c === '\r' && script[i + 1] !== '\n')) {
      line++
      lineStart = i + 1
      i++
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++
      continue
    }
    if (c === '-' && script[i + 1] === '-') {
      while (i < n && script[i] !== '\n' && script[i] !== '\r') i++
      continue
    }
    if (c === '/' && script[i + 1] === '*') {
      const hint = script[i + 2] === '+'
      if (hint) markSignificant(i)
      const close = script.indexOf('*/', i + 2)
      const end = close < 0 ? n : close + 2
      for (let k = i; k < end; k++) {
        const ch = script[k]
        if (ch === '\n' || (ch === '\r' && script[k + 1] !== '\n')) {
          line++
          lineStart = k + 1
        }
      }
      if (close < 0 && !hint) markSignificant(i) // an unterminated comment swallows the rest: keep it, the parser reports it
      i = end
      continue
    }
    if (c === "'" || c === '`') {
      markSignificant(i)
      let k = i + 1
      for (;;) {
        if (k >= n) break
        const ch = script[k]!
        if (ch === c) {
          if (script[k + 1] === c) {
            k += 2
            continue
          }
          k++
          break
        }
        if (ch === '\n' || (ch === '\r' && script[k + 1] !== '\n')) {
          line++
          lineStart = k + 1
        }
        k++
      }
      if (block && segmentFirstWord === undefined) segmentFirstWord = ''
      i = k
      continue
    }
    if (c === ';') {
      if (block) {
        if (segmentFirstWord === 'END') {
          endStatement(i)
          complete = true
        } else segmentFirstWord = undefined
      } else if (start >= 0) {
        endStatement(i)
        complete = true
      }
      i++
      continue
    }
    markSignificant(i)
    if (isWordStart(c)) {
      let k = i + 1
      while (k < n && isWordPart(script[k]!)) k++
      onWord(script.slice(i, k))
      i = k
      continue
    }
    if (block && segmentFirstWord === undefined) segmentFirstWord = ''
    i++
  }
  endStatement(n)
  return { statements, complete }
}

/**
 * Splits a script into its statements at each `;` that ends one.
 *
 * @remarks
 * A `;` inside a string, a back-quoted identifier, a comment or a statement-set block does not
 * end a statement. Statements that hold nothing but white space and comments are left out.
 * `pos` is where `text` starts in the script, so a position within `text` maps back to the
 * script by adding its offset (and, on its first line, its column).
 *
 * @category SQL
 * @since 0.1.0
 */
export const splitStatements = (script: string): ScriptStatement[] => scan(script).statements

/**
 * Whether `buffer` ends with a complete statement: its last statement is closed by a `;` and
 * only white space and comments follow (the interactive client reads lines until this holds).
 *
 * @category SQL
 * @since 0.1.0
 */
export const isComplete = (buffer: string): boolean => scan(buffer).complete
