import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { SqlError } from '../errors.js'
import { MAX_NESTING, parseExpression, parseQuery, parseStatement, parseStatements, parseType } from './parse.js'

const fail = (r: E.Either<SqlError, unknown>): SqlError => {
  if (E.isRight(r)) throw new Error('expected a parse error')
  expect(r.left).toBeInstanceOf(SqlError)
  expect(r.left.phase).toBe('parse')
  expect(r.left.problems).toHaveLength(1)
  return r.left
}
const problem = (sql: string) => fail(parseStatements(sql)).problems[0]!

describe('syntax errors name the place, what was found and what was expected', () => {
  it.each([
    [
      'SELECT a FORM t',
      { line: 1, column: 15, offset: 14 },
      "Expected one of FROM, WHERE, GROUP BY, HAVING, WINDOW, QUALIFY, UNION, INTERSECT, EXCEPT, ... but found 't'. Did you mean FROM instead of 'FORM'?",
      ['FROM', 'WHERE', 'GROUP BY', 'HAVING', 'WINDOW', 'QUALIFY', 'UNION', 'INTERSECT', 'EXCEPT', 'ORDER BY', 'LIMIT', 'OFFSET', 'FETCH', "','", "';'", 'the end of the input'],
    ],
    ['SELECT a FROM t WHERE', { line: 1, column: 22, offset: 21 }, 'Expected an expression but found the end of the input.', ['an expression']],
    ['SELECT a,, b FROM t', { line: 1, column: 10, offset: 9 }, "Expected one of an expression, '*' but found ','.", ['an expression', "'*'"]],
    ['SELECT a\nFROM t\nGROUP a', { line: 3, column: 7, offset: 22 }, "Expected BY but found 'a'.", ['BY']],
    ['SELEC 1', { line: 1, column: 1, offset: 0 }, "Expected one of a statement, ';', the end of the input but found 'SELEC'. Did you mean SELECT?", ['a statement', "';'", 'the end of the input']],
    ['SELECT (a + 1 FROM t', { line: 1, column: 15, offset: 14 }, "Expected one of ',', ')', an operator but found 'FROM'.", ["','", "')'", 'an operator']],
    ['CREATE TABLE t (a INT,) WITH ()', { line: 1, column: 23, offset: 22 }, "Expected one of CONSTRAINT, PRIMARY, WATERMARK, an identifier but found ')'.", ['CONSTRAINT', 'PRIMARY', 'WATERMARK', 'an identifier']],
    ["CREATE TABLE t (a INT) WITH ('x' 'y')", { line: 1, column: 34, offset: 33 }, "Expected '=' but found the string 'y'.", ["'='"]],
    ['INSERT t SELECT 1', { line: 1, column: 8, offset: 7 }, "Expected one of INTO, OVERWRITE but found 't'.", ['INTO', 'OVERWRITE']],
    ["SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' MINUTS))", { line: 1, column: 67, offset: 66 }, "Expected a time unit but found 'MINUTS'. Did you mean MINUTE?", ['a time unit']],
    ['SELECT COUNT(*) FILTER (a > 1) FROM t', { line: 1, column: 25, offset: 24 }, "Expected WHERE but found 'a'.", ['WHERE']],
    ['SELECT 1 FROM t WHERE a IN 1', { line: 1, column: 28, offset: 27 }, "Expected '(' but found the number 1.", ["'('"]],
    ['SELECT CASE WHEN a THEN b FROM t', { line: 1, column: 27, offset: 26 }, "Expected one of ELSE, END, WHEN, '(', an operator but found 'FROM'.", ['ELSE', 'END', 'WHEN', "'('", 'an operator']],
    ['CREATE TABLE t (a INT PRIMARY KEY ENFORCD)', { line: 1, column: 35, offset: 34 }, "Expected one of ENFORCED, NOT but found 'ENFORCD'. Did you mean ENFORCED?", ['ENFORCED', 'NOT']],
    ['SELECT a FROM t;\nSELECT b FROM u WHERE', { line: 2, column: 22, offset: 38 }, 'Expected an expression but found the end of the input.', ['an expression']],
  ])('%s', (sql, pos, message, expected) => {
    const p = problem(sql)
    expect(p.pos).toEqual(pos)
    expect(p.message).toBe(message)
    expect(p.expected).toEqual(expected)
  })

  it('puts the position in the message as line and column', () => {
    expect(fail(parseStatements('SELECT a FROM t WHERE')).message).toBe('SQL parse error at line 1, column 22: Expected an expression but found the end of the input.')
  })

  it('reports lexical errors at the offending character', () => {
    expect(problem("SELECT a FROM t WHERE a = 'x")).toEqual({ message: "String literal is not terminated: a closing quote (') is missing.", pos: { line: 1, column: 27, offset: 26 } })
    expect(problem('SELECT `a FROM t')).toMatchObject({ message: 'Quoted identifier is not terminated: a closing back-quote (`) is missing.', pos: { column: 8 } })
    expect(problem('SELECT 1 /* x')).toMatchObject({ message: 'Comment is not terminated: a closing */ is missing.', pos: { column: 10 } })
    expect(problem('SELECT /*+ A(x)')).toMatchObject({ message: 'Hint is not terminated: a closing */ is missing.', pos: { column: 8 } })
    expect(problem('SELECT $x FROM t')).toEqual({ message: "Unexpected character '$'.", pos: { line: 1, column: 8, offset: 7 } })
  })

  it('reports rule violations the grammar alone cannot catch', () => {
    expect(problem('SELECT CAST(a AS INTT) FROM t')).toEqual({ message: "Unknown data type 'INTT'.", pos: { line: 1, column: 18, offset: 17 }, expected: ['a data type'] })
    expect(problem("SELECT X'0A0'").message).toBe('A binary literal needs an even number of hexadecimal digits.')
    expect(problem('SELECT MAP[1]').message).toBe('MAP[...] needs an even number of elements: key, value, key, value, ...')
    expect(problem('SELECT a FROM t NATURAL JOIN u')).toMatchObject({ message: 'NATURAL JOIN is not supported: name the join columns with USING (...) or write an ON condition.', pos: { column: 17 } })
    expect(problem("SELECT INTERVAL '1' DOW").message).toBe('DOW is not a unit of an interval.')
    expect(problem('SELECT CAST(a AS INT(3))').message).toBe('INT takes no parameters.')
    expect(problem('SELECT CAST(a AS VARCHAR(1.5))').message).toBe('A type parameter must be a whole number, not 1.5.')
    expect(problem('SELECT t.* AS x FROM t').message).toBe("'t.*' cannot have an alias.")
    expect(problem('SELECT 1 LIMIT 1 FETCH FIRST 2 ROWS ONLY').message).toBe('A query cannot have both LIMIT and FETCH.')
    expect(problem('CREATE TEMPORARY SYSTEM TABLE t (a INT)').message).toBe('SYSTEM applies to functions only: write CREATE TEMPORARY TABLE.')
  })

  it('checks the number of statements, queries and expressions', () => {
    expect(fail(parseStatement('')).problems[0]).toEqual({ message: 'Expected a statement but found the end of the input.', pos: { line: 1, column: 1, offset: 0 }, expected: ['a statement'] })
    expect(fail(parseStatement('SELECT 1; SELECT 2')).problems[0]!.pos).toEqual({ line: 1, column: 11, offset: 10 })
    expect(fail(parseQuery('INSERT INTO t SELECT 1')).problems[0]!.message).toContain("but found 'INSERT'")
    expect(fail(parseExpression('a b')).problems[0]).toMatchObject({ pos: { column: 3 }, message: "Expected one of '(', an operator, the end of the input but found 'b'." })
    expect(fail(parseType('INT INT')).problems[0]!.pos).toMatchObject({ column: 5 })
  })
})

describe('nesting', () => {
  const deep = (n: number): string[] => [
    `SELECT ${'('.repeat(n)}1${')'.repeat(n)}`,
    `SELECT ${'f('.repeat(n)}1${')'.repeat(n)}`,
    `SELECT ${'NOT '.repeat(n)}a`,
    `SELECT ${'- '.repeat(n)}a`,
    `SELECT ${'a['.repeat(n)}1${']'.repeat(n)}`,
    `SELECT ${'CASE WHEN '.repeat(n)}a${' THEN 1 END'.repeat(n)}`,
    `SELECT * FROM ${'(SELECT * FROM '.repeat(n)}t${') x'.repeat(n)}`,
    `SELECT CAST(a AS ${'ARRAY<'.repeat(n)}INT${'>'.repeat(n)})`,
  ]

  it(`accepts nesting up to a depth of the order of ${MAX_NESTING} levels`, () => {
    for (const sql of deep(Math.floor(MAX_NESTING / 2) - 2)) expect(E.isRight(parseStatements(sql)), sql.slice(0, 40)).toBe(true)
  })

  it('refuses deeper nesting with an error instead of overflowing the stack', () => {
    for (const n of [MAX_NESTING + 1, 5_000]) {
      for (const sql of deep(n)) {
        const e = fail(parseStatements(sql))
        expect(e.problems[0]!.message).toMatch(/nests .*(more than|too deeply)/)
        expect(e.problems[0]!.pos!.offset).toBeLessThanOrEqual(sql.length)
      }
    }
  })

  it('parses long flat chains without recursion limits', () => {
    const sql = `SELECT ${Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' + ')} FROM t WHERE ${Array.from({ length: 5_000 }, (_, i) => `b = ${i}`).join(' OR ')}`
    expect(E.isRight(parseStatements(sql))).toBe(true)
  })
})
