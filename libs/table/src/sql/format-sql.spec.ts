import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type * as A from './ast.js'
import { withoutPositions, withoutPositionsAndParens } from './ast-compare.js'
import { formatExpr, formatQuery, formatStatement, formatType, quoteIdentifier } from './format-sql.js'
import { parseExpression, parseQuery, parseStatements, parseType } from './parse.js'
import { statementArb, trees, typeArb } from './testing/arbitraries.js'

const ok = <T>(r: E.Either<Error, T>, text: string): T => {
  if (E.isLeft(r)) throw new Error(`${r.left.message}\n  in: ${text}`)
  return r.right
}

const fixtureDir = new URL('./fixtures/', import.meta.url)
const fixtureScripts = (): [string, string][] =>
  readdirSync(fixtureDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.sql'))
    .map((f) => [f, readFileSync(new URL(f, fixtureDir), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen')])

describe('formatting', () => {
  it('writes keywords upper case, quotes identifiers only when needed, and adds parentheses only where precedence needs them', () => {
    const f = (sql: string): string => formatExpr(ok(parseExpression(sql), sql))
    expect(f('a+b*c')).toBe('a + b * c')
    expect(f('(a + b) * c')).toBe('(a + b) * c')
    expect(f("x not between 1 and 2 or y is not null and z like 'a%'")).toBe("x NOT BETWEEN 1 AND 2 OR y IS NOT NULL AND z LIKE 'a%'")
    expect(f('count(distinct a) filter (where b > 0)')).toBe('count(DISTINCT a) FILTER (WHERE b > 0)')
    expect(f('`select` + `a b` + `x``y` + value + `Mixed`')).toBe('`select` + `a b` + `x``y` + value + Mixed')
    expect(f("cast(a as varchar(10)) || trim(both 'x' from b)")).toBe("CAST(a AS VARCHAR(10)) || TRIM(BOTH 'x' FROM b)")
    expect(f("interval '10' minutes")).toBe("INTERVAL '10' MINUTE")
    expect(f('- -a')).toBe('- -a')
    expect(f('current_timestamp')).toBe('current_timestamp')
    expect(quoteIdentifier('window')).toBe('`window`')
    expect(quoteIdentifier('year')).toBe('year')
  })

  it('adds the parentheses a tree built by hand needs', () => {
    const id = (n: string): A.Expr => ({ type: 'identifier', pos: { line: 1, column: 1, offset: 0 }, parts: [n] })
    const P = { line: 1, column: 1, offset: 0 }
    const sum: A.Expr = { type: 'binary', pos: P, op: '+', left: id('a'), right: id('b') }
    expect(formatExpr({ type: 'binary', pos: P, op: '*', left: sum, right: sum })).toBe('(a + b) * (a + b)')
    expect(formatExpr({ type: 'binary', pos: P, op: '-', left: id('a'), right: { type: 'binary', pos: P, op: '-', left: id('b'), right: id('c') } })).toBe('a - (b - c)')
    expect(formatExpr({ type: 'field', pos: P, expr: id('r'), field: 'f' })).toBe('(r).f')
    expect(formatExpr({ type: 'unary', pos: P, op: 'NOT', operand: { type: 'binary', pos: P, op: 'AND', left: id('a'), right: id('b') } })).toBe('NOT (a AND b)')
  })

  it('writes types, queries and statements', () => {
    expect(formatType(ok(parseType('row<a int not null, `b c` array<string>>'), ''))).toBe('ROW<a INT NOT NULL, `b c` ARRAY<STRING>>')
    expect(formatQuery(ok(parseQuery('select 1 union (select 2 intersect select 3) order by 1'), ''))).toBe('SELECT 1 UNION (SELECT 2 INTERSECT SELECT 3) ORDER BY 1')
    expect(formatStatement(ok(parseStatements("create table t (id int primary key not enforced, ts timestamp(3), watermark for ts as ts - interval '5' second) with ('connector' = 'x')"), '')[0]!)).toBe(
      "CREATE TABLE t (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'x')",
    )
    expect(formatStatement(ok(parseStatements('begin statement set; insert into a select 1; end'), '')[0]!)).toBe('EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; END')
  })
})

describe('parse(format(tree)) = tree', () => {
  it('holds for every fixture statement (positions aside)', () => {
    let count = 0
    for (const [name, sql] of fixtureScripts()) {
      for (const s of ok(parseStatements(sql), name)) {
        const text = formatStatement(s)
        const again = ok(parseStatements(text), `${name}: ${text}`)
        expect(withoutPositions(again), `${name}: ${text}`).toEqual([withoutPositions(s)])
        count++
      }
    }
    expect(count).toBeGreaterThan(60)
  }, 60_000)

  it('holds for generated expressions (positions and precedence parentheses aside)', () => {
    fc.assert(
      fc.property(trees.expr, (e) => {
        const text = formatExpr(e)
        expect(withoutPositionsAndParens(ok(parseExpression(text), text))).toEqual(withoutPositionsAndParens(e))
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('holds for generated queries', () => {
    fc.assert(
      fc.property(trees.query, (q) => {
        const text = formatQuery(q)
        expect(withoutPositionsAndParens(ok(parseQuery(text), text))).toEqual(withoutPositionsAndParens(q))
      }),
      { numRuns: 80 },
    )
  }, 60_000)

  it('holds for generated statements of every kind', () => {
    fc.assert(
      fc.property(statementArb, (s) => {
        const text = formatStatement(s)
        expect(withoutPositionsAndParens(ok(parseStatements(text), text))).toEqual([withoutPositionsAndParens(s)])
      }),
      { numRuns: 120 },
    )
  }, 60_000)

  it('holds for generated types', () => {
    fc.assert(
      fc.property(typeArb, (t) => {
        const text = formatType(t)
        expect(withoutPositions(ok(parseType(text), text))).toEqual(withoutPositions(t))
      }),
      { numRuns: 200 },
    )
  }, 60_000)

  it('is idempotent on the fixtures: formatting the parse of a formatted text gives the same text', () => {
    for (const [name, sql] of fixtureScripts()) {
      for (const s of ok(parseStatements(sql), name)) {
        const text = formatStatement(s)
        expect(formatStatement(ok(parseStatements(text), text)[0]!)).toBe(text)
      }
    }
  }, 60_000)
})
