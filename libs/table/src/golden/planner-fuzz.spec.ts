// Fuzzing through the planner: statements of the golden cases, mutated token by token (a token
// dropped, duplicated, swapped with its neighbour or replaced), are parsed, validated and planned
// (not run). Whatever the mutation, the outcome is a plan or a typed SqlError with a position in
// the text; never another exception (a crash of the planner).
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { TableEnvironment } from '../api/table-environment.js'
import { SqlError } from '../errors.js'
import { tokenize } from '../sql/lexer.js'
import { parseStatements } from '../sql/parse.js'
import { formatStatement } from '../sql/format-sql.js'
import type { Statement } from '../sql/ast.js'

const here = dirname(fileURLToPath(import.meta.url))
const casesDir = join(here, 'cases')
const dataDir = join(here, 'data')
const scripts = readdirSync(casesDir)
  .filter((f) => f.endsWith('.sql'))
  .sort()
  .map((f) => readFileSync(join(casesDir, f), 'utf8').replaceAll('${DATA}', dataDir).replaceAll('${TMP}', '/nonexistent-strom-fuzz'))

/** A table environment with every table and view of the golden cases (their DDL run, nothing else). */
const catalogEnv = async (): Promise<TableEnvironment> => {
  const env = TableEnvironment.create()
  for (const script of scripts) {
    const parsed = parseStatements(script)
    if (E.isLeft(parsed)) continue
    for (const s of parsed.right) if ((s.type === 'createTable' || s.type === 'createView') && !env.listTables().includes(s.name.parts.at(-1)!)) await env.executeStatement(s).catch(() => undefined)
  }
  return env
}

/** The query, insert and statement-set statements of the golden cases, as SQL text. */
const statements: string[] = scripts.flatMap((script) => {
  const parsed = parseStatements(script)
  if (E.isLeft(parsed)) return []
  return parsed.right.filter((s: Statement) => s.type === 'query' || s.type === 'insert' || s.type === 'explain').map((s) => formatStatement(s.type === 'explain' ? s.statement : s))
})

/** Plans a statement without running it: a plan, or the error it throws. */
const plan = (env: TableEnvironment, sql: string): unknown => {
  try {
    env.explainSql(sql)
    return undefined
  } catch (e) {
    return e
  }
}

const tokensOf = (sql: string): string[] => {
  const r = tokenize(sql)
  return (r.tokens ?? []).map((t) => t.image)
}

describe('planner fuzzing', () => {
  it('the golden statements plan as they are', async () => {
    const env = await catalogEnv()
    expect(statements.length).toBeGreaterThan(20)
    for (const sql of statements) {
      const e = plan(env, sql)
      // a few golden statements fail on purpose (the -- fail: cases); they fail with a SqlError
      if (e !== undefined) expect(e, sql).toBeInstanceOf(SqlError)
    }
  })

  it('mutated statements give a plan or a SqlError with a position inside the text, never a crash', async () => {
    const env = await catalogEnv()
    const vocabulary = [...new Set(statements.flatMap(tokensOf))]
    const mutation = fc.record({
      statement: fc.integer({ min: 0, max: statements.length - 1 }),
      edits: fc.array(
        fc.record({ kind: fc.constantFrom('drop', 'dup', 'swap', 'replace'), at: fc.nat(), word: fc.constantFrom(...vocabulary) }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    let errors = 0
    fc.assert(
      fc.property(mutation, ({ statement, edits }) => {
        const tokens = tokensOf(statements[statement]!)
        for (const { kind, at, word } of edits) {
          const i = at % tokens.length
          if (kind === 'drop') tokens.splice(i, 1)
          else if (kind === 'dup') tokens.splice(i, 0, tokens[i]!)
          else if (kind === 'swap' && i + 1 < tokens.length) [tokens[i], tokens[i + 1]] = [tokens[i + 1]!, tokens[i]!]
          else tokens[i] = word
          if (tokens.length === 0) tokens.push(word)
        }
        const sql = tokens.join(' ')
        const e = plan(env, sql)
        if (e === undefined) return
        errors++
        expect(e, `${sql}\n${String(e)}`).toBeInstanceOf(SqlError)
        const err = e as SqlError
        const pos = err.problems.find((p) => p.pos !== undefined)?.pos
        // parse errors always have a position; validation and plan errors have one unless they concern no place in the text
        if (err.phase === 'parse') expect(pos, err.message).toBeDefined()
        if (pos !== undefined) expect(pos.offset, err.message).toBeLessThanOrEqual(sql.length)
      }),
      { numRuns: Number(process.env['FUZZ_RUNS'] ?? 300), seed: 20261124 },
    )
    expect(errors).toBeGreaterThan(0)
  }, 120_000)
})
