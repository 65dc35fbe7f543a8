import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SqlError } from '../errors.js'
import { tokenize } from './lexer.js'
import { parseExpression, parseQuery, parseStatements, parseType } from './parse.js'

const fixtureDir = new URL('./fixtures/', import.meta.url)
const fixtures: string[] = readdirSync(fixtureDir, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => readFileSync(new URL(f, fixtureDir), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen'))

/** The line and column of `offset` in `text`, counted as the parser does. */
const lineColumn = (text: string, offset: number): { line: number; column: number } => {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i)
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: offset - lineStart + 1 }
}

/** Parsing never throws; a failure is a parse SqlError whose one problem points inside the text, with a consistent line and column. */
const wellBehaved = (text: string, parse: (s: string) => E.Either<SqlError, unknown> = parseStatements): void => {
  let r: E.Either<SqlError, unknown>
  expect(() => (r = parse(text)), text).not.toThrow()
  if (E.isRight(r!)) return
  const e = r!.left
  expect(e).toBeInstanceOf(SqlError)
  expect(e.phase).toBe('parse')
  expect(e.problems).toHaveLength(1)
  const p = e.problems[0]!
  expect(p.message.length).toBeGreaterThan(0)
  expect(p.message).not.toMatch(/Internal parser error|undefined|\[object/)
  expect(p.pos, `${text}\n${p.message}`).toBeDefined()
  expect(p.pos!.offset).toBeGreaterThanOrEqual(0)
  expect(p.pos!.offset).toBeLessThanOrEqual(text.length)
  expect({ line: p.pos!.line, column: p.pos!.column }, `${text}\n${p.message}`).toEqual(lineColumn(text, p.pos!.offset))
}

const VOCABULARY = [
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'ORDER', 'LIMIT', 'UNION', 'ALL', 'JOIN', 'LEFT', 'ON', 'AS', 'AND', 'OR', 'NOT',
  'IN', 'IS', 'NULL', 'BETWEEN', 'LIKE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST', 'INTERVAL', "'10'", 'MINUTES', 'DAY', 'TO',
  'TABLE', 'TUMBLE', 'DESCRIPTOR', 'LATERAL', 'UNNEST', 'OVER', 'PARTITION', 'ROWS', 'PRECEDING', 'CURRENT', 'ROW', 'WITH', 'VALUES',
  'CREATE', 'VIEW', 'INSERT', 'INTO', 'WATERMARK', 'FOR', 'PRIMARY', 'KEY', 'ENFORCED', 'SET', 'BEGIN', 'STATEMENT', 'EXECUTE',
  'EXPLAIN', 'SHOW', 'TABLES', 'INT', 'STRING', 'ARRAY', 'MAP', '<', '>', '(', ')', '[', ']', ',', ';', '.', '*', '+', '-', '=', '=>',
  '<>', '||', '1', '2.5', "'x'", "'it''s'", 'a', 'b', 't', '`q q`', '/*+', '*/', 'OPTIONS', '-- c\n', '/* c */', 'X\'0A\'', 'TRUE',
  'POSITION', 'TRIM', 'BOTH', 'EXTRACT', 'FLOOR', 'TIMESTAMPADD', 'DISTINCT', 'FILTER', 'WITHIN', 'SYSTEM_TIME', 'OF', '?', '$', '"',
]

describe('fuzzing: the parser never throws and always points inside the text', () => {
  it('on random token sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 25 }), (words) => wellBehaved(words.join(' '))),
      { numRuns: 300 },
    )
  }, 60_000)

  it('on random token sequences as expressions, queries and types', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 12 }), fc.constantFrom(parseExpression, parseQuery, parseType), (words, parse) => wellBehaved(words.join(' '), parse)),
      { numRuns: 200 },
    )
  }, 60_000)

  it('on random strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => wellBehaved(s)),
      { numRuns: 60 },
    )
  }, 60_000)

  it('on mutations of every fixture: deleted, duplicated and swapped tokens, truncation', () => {
    const tokenized = fixtures.map((text) => ({ text, tokens: tokenize(text).tokens ?? [] }))
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), with: fc.nat() }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    )
    fc.assert(
      fc.property(fc.nat({ max: tokenized.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 3 }), (which, mutations) => {
        const { text, tokens } = tokenized[which]!
        let pieces = tokens.map((t) => text.slice(t.startOffset, t.endOffset! + 1))
        for (const m of mutations) {
          if (pieces.length === 0) break
          const i = m.at % pieces.length
          if (m.kind === 'delete') pieces = [...pieces.slice(0, i), ...pieces.slice(i + 1)]
          else if (m.kind === 'duplicate') pieces = [...pieces.slice(0, i + 1), pieces[i]!, ...pieces.slice(i + 1)]
          else if (m.kind === 'swap') {
            const j = m.with % pieces.length
            pieces = pieces.slice()
            ;[pieces[i], pieces[j]] = [pieces[j]!, pieces[i]!]
          } else pieces = pieces.slice(0, i)
        }
        wellBehaved(pieces.join(' '))
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('on truncations of the raw text at any character (unterminated strings, comments, hints)', () => {
    fc.assert(
      fc.property(fc.nat({ max: fixtures.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (which, at) => {
        const text = fixtures[which]!
        wellBehaved(text.slice(0, Math.floor(at * text.length)))
      }),
      { numRuns: 100 },
    )
  }, 60_000)
})
