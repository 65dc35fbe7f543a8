import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { clientCommandOf, relocateError, shiftPos, SqlSession, StatementError } from './session.js'
import { parseStatement, splitStatements, SqlError, type ScriptStatement } from './table-api.js'

const parseErrorOf = (sql: string): SqlError => {
  const r = parseStatement(sql)
  if (r._tag === 'Right') throw new Error(`expected a syntax error in ${sql}`)
  return r.left
}

describe('positions in a script', () => {
  it('moves a position in a statement to the script', () => {
    const at = { line: 3, column: 5, offset: 40 }
    expect(shiftPos({ line: 1, column: 8, offset: 7 }, at)).toEqual({ line: 3, column: 12, offset: 47 })
    expect(shiftPos({ line: 2, column: 3, offset: 12 }, at)).toEqual({ line: 4, column: 3, offset: 52 })
    expect(shiftPos({ line: 0, column: 0, offset: 0 }, at)).toEqual({ line: 0, column: 0, offset: 0 })
  })

  it('a relocated syntax error is the one the parser reports for the statement where it stands in the script (property)', () => {
    const bad = fc.constantFrom('SELECT a,\n  FROM t', 'SELECT * FROM t WHERE', 'SELEC 1', 'SELECT (1 + 2 FROM t', "INSERT INTO t VALUES (1, 'x'", 'SELECT a FROM t GROUP a')
    // the text before the statement on its first line, and the lines before it
    fc.assert(
      fc.property(fc.array(fc.constantFrom('\n', ' ', '\t', '-- note\n', '/* c */'), { maxLength: 8 }), bad, (prefix, stmt) => {
        const script = prefix.join('') + stmt
        const [st] = splitStatements(script)
        const moved = relocateError(parseErrorOf(st!.text), st!.pos)
        // the parser's own position for the statement's error, counted in the whole script
        const direct = parseErrorOf(script)
        expect(moved.pos).toEqual(direct.pos)
        expect(moved.message).toBe(direct.message)
      }),
    )
  })
})

describe('client commands', () => {
  it('recognizes HELP, QUIT, EXIT and CLEAR in any case', () => {
    expect(clientCommandOf(' help ')).toBe('HELP')
    expect(clientCommandOf('Quit')).toBe('QUIT')
    expect(clientCommandOf('EXIT')).toBe('QUIT')
    expect(clientCommandOf('clear')).toBe('CLEAR')
    expect(clientCommandOf('SELECT 1')).toBeUndefined()
    expect(clientCommandOf('quit now')).toBeUndefined()
  })
})

describe('SqlSession', () => {
  const at = (text: string, line = 1, column = 1, offset = 0): ScriptStatement => ({ text, pos: { line, column, offset } })

  it('says what each kind of statement gave', async () => {
    const s = new SqlSession()
    expect(await s.execute(at("CREATE TABLE t (a INT) WITH ('connector' = 'datagen', 'number-of-rows' = '3')"))).toEqual({ kind: 'status', message: 'Execute statement succeeded.' })
    expect(await s.execute(at("SET 'sql-client.execution.result-mode' = 'changelog'"))).toEqual({ kind: 'status', message: 'Session property has been set.' })
    expect(s.resultMode()).toBe('changelog')
    expect(await s.execute(at("RESET 'sql-client.execution.result-mode'"))).toEqual({ kind: 'status', message: 'Session property has been reset.' })
    expect(s.resultMode()).toBe('table')
    expect(await s.execute(at('help'))).toEqual({ kind: 'command', command: 'HELP' })
    const show = await s.execute(at('SHOW TABLES'))
    expect(show.kind).toBe('rows')
    const explain = await s.execute(at('EXPLAIN SELECT a FROM t'))
    expect(explain.kind).toBe('text')
    expect(explain.kind === 'text' && explain.text).toMatch(/^== Optimized Physical Plan ==\n/)
    const query = await s.execute(at('SELECT a FROM t'))
    expect(query.kind).toBe('query')
    if (query.kind === 'query') {
      let n = 0
      for await (const _ of query.result.collect()) n++
      expect(n).toBe(3)
    }
  })

  it('refuses a bad value of its own options, naming the statement', async () => {
    const s = new SqlSession()
    const e = await s.execute(at("SET 'sql-client.execution.result-mode' = 'pretty'", 4, 1, 50)).catch((x: unknown) => x)
    expect(e).toBeInstanceOf(StatementError)
    expect((e as StatementError).message).toBe("Invalid value for 'sql-client.execution.result-mode': 'pretty' is not one of 'table', 'changelog', 'tableau'.")
    expect((e as StatementError).pos).toEqual({ line: 4, column: 1, offset: 50 })
    await expect(s.execute(at("SET 'sql-client.display.max-column-width' = '0'"))).rejects.toThrow(/not a positive whole number/)
  })

  it('reports validation errors at their position in the script', async () => {
    const s = new SqlSession()
    await s.execute(at("CREATE TABLE t (a INT) WITH ('connector' = 'datagen')"))
    const e = (await s.execute(at('SELECT a,\n  nope FROM t', 7, 3, 100)).catch((x: unknown) => x)) as StatementError
    expect(e).toBeInstanceOf(StatementError)
    expect(e.pos).toMatchObject({ line: 8, column: 3 })
    expect(e.message).toMatch(/^SQL validation error at line 8, column 3: Column 'nope' not found/)
  })
})
