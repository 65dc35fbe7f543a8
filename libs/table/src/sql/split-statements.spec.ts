import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { withoutPositions } from './ast-compare.js'
import { parseStatements } from './parse.js'
import { isComplete, splitStatements } from './split-statements.js'

const texts = (script: string): string[] => splitStatements(script).map((s) => s.text)

describe('splitStatements', () => {
  it('splits at semicolons and leaves out empty statements', () => {
    expect(texts('SELECT 1; SELECT 2;\n\n;  SELECT 3')).toEqual(['SELECT 1', 'SELECT 2', 'SELECT 3'])
    expect(texts(' ;; -- only a comment\n ; /* and another */')).toEqual([])
  })

  it('ignores semicolons in strings, quoted identifiers and comments', () => {
    expect(texts("SELECT ';', `a;b` FROM t -- c; d\n WHERE x = 'it''s;'; SELECT /* ; */ 2")).toEqual(["SELECT ';', `a;b` FROM t -- c; d\n WHERE x = 'it''s;'", 'SELECT /* ; */ 2'])
  })

  it('keeps statement sets whole, in both forms, also with CASE ... END inside', () => {
    const script = `BEGIN STATEMENT SET;
INSERT INTO a SELECT CASE WHEN x THEN 1 END FROM t;
INSERT INTO b SELECT 2;
END;
EXECUTE STATEMENT SET BEGIN INSERT INTO c SELECT 3; END;
EXPLAIN STATEMENT SET BEGIN INSERT INTO d SELECT 4; END;
SELECT 5`
    const parts = texts(script)
    expect(parts).toHaveLength(4)
    expect(parts[0]).toMatch(/^BEGIN STATEMENT SET;[\s\S]*END$/)
    expect(parts[1]).toBe('EXECUTE STATEMENT SET BEGIN INSERT INTO c SELECT 3; END')
    expect(parts[3]).toBe('SELECT 5')
    for (const p of parts) expect(E.isRight(parseStatements(p)), p).toBe(true)
  })

  it("gives each statement's position, from which positions inside it map back to the script", () => {
    const script = '-- header\nSELECT 1;\n  SELECT\n  x FROM t;'
    expect(splitStatements(script)).toEqual([
      { text: 'SELECT 1', pos: { line: 2, column: 1, offset: 10 } },
      { text: 'SELECT\n  x FROM t', pos: { line: 3, column: 3, offset: 22 } },
    ])
  })

  it('parses each piece as the whole script parses (every fixture)', () => {
    const dir = new URL('./fixtures/', import.meta.url)
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.sql'))) {
      const script = readFileSync(new URL(f, dir), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen')
      const whole = parseStatements(script)
      if (E.isLeft(whole)) throw whole.left
      const pieces = splitStatements(script).flatMap((s) => {
        const r = parseStatements(s.text)
        if (E.isLeft(r)) throw new Error(`${f}: ${r.left.message}`)
        return r.right
      })
      expect(withoutPositions(pieces), f).toEqual(withoutPositions(whole.right))
    }
  })

  it('never loses or invents text: the pieces appear in order in the script at their positions', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('SELECT', ' ', ';', "'", '`', '--', '\n', '/*', '*/', 'BEGIN', 'STATEMENT', 'SET', 'END', 'x', '\r\n'), { maxLength: 30 }), (parts) => {
        const script = parts.join('')
        let last = -1
        for (const s of splitStatements(script)) {
          expect(script.startsWith(s.text, s.pos.offset)).toBe(true)
          expect(s.pos.offset).toBeGreaterThan(last)
          expect(s.text.trim()).toBe(s.text)
          last = s.pos.offset
        }
      }),
      { numRuns: 300 },
    )
  })
})

describe('isComplete', () => {
  it('is true only when the last statement is closed by a semicolon outside strings, comments and statement sets', () => {
    expect(isComplete('SELECT 1;')).toBe(true)
    expect(isComplete('SELECT 1;  -- done\n')).toBe(true)
    expect(isComplete('SELECT 1')).toBe(false)
    expect(isComplete('')).toBe(false)
    expect(isComplete("SELECT ';")).toBe(false)
    expect(isComplete('SELECT 1 -- ;')).toBe(false)
    expect(isComplete('SELECT 1 /* ; */')).toBe(false)
    expect(isComplete('SELECT 1; SELECT')).toBe(false)
    expect(isComplete('BEGIN STATEMENT SET;')).toBe(false)
    expect(isComplete('BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;')).toBe(false)
    expect(isComplete('BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nEND;')).toBe(true)
    expect(isComplete('EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END;')).toBe(true)
  })
})
