import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type * as A from './ast.js'
import { parseExpression } from './parse.js'

/** The tree with every operator application in parentheses: shows how the parser grouped it. */
const group = (e: A.Expr): string => {
  switch (e.type) {
    case 'identifier':
      return e.parts.join('.')
    case 'literal':
      return e.kind === 'number' ? e.text : e.kind === 'boolean' ? String(e.value).toUpperCase() : e.kind === 'null' ? 'NULL' : `'${e.kind}'`
    case 'binary':
      return `(${group(e.left)} ${e.op} ${group(e.right)})`
    case 'unary':
      return `(${e.op}${e.op === 'NOT' ? ' ' : ''}${group(e.operand)})`
    case 'is':
      return `(${group(e.expr)} IS ${e.negated ? 'NOT ' : ''}${e.test})`
    case 'isDistinctFrom':
      return `(${group(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${group(e.right)})`
    case 'like':
      return `(${group(e.expr)} ${e.negated ? 'NOT ' : ''}${e.op} ${group(e.pattern)}${e.escape === undefined ? '' : ` ESCAPE ${group(e.escape)}`})`
    case 'between':
      return `(${group(e.expr)} ${e.negated ? 'NOT ' : ''}BETWEEN ${group(e.low)} AND ${group(e.high)})`
    case 'inList':
      return `(${group(e.expr)} ${e.negated ? 'NOT ' : ''}IN [${e.list.map(group).join(', ')}])`
    case 'item':
      return `${group(e.expr)}[${group(e.index)}]`
    case 'field':
      return `${group(e.expr)}.${e.field}`
    case 'paren':
      return group(e.expr)
    case 'call':
      return `${e.name.parts.join('.')}(${e.args.map(group).join(', ')})`
    default:
      return e.type
  }
}

const grouped = (sql: string): string => {
  const r = parseExpression(sql)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return group(r.right)
}

describe("operator precedence (Calcite's)", () => {
  it.each([
    ['a OR b AND c', '(a OR (b AND c))'],
    ['a AND b OR c', '((a AND b) OR c)'],
    ['a OR b OR c', '((a OR b) OR c)'],
    ['NOT a AND b', '((NOT a) AND b)'],
    ['NOT a = b', '(NOT (a = b))'],
    ['NOT NOT a', '(NOT (NOT a))'],
    ['NOT a IS NULL', '(NOT (a IS NULL))'],
    ['a = b IS NULL', '((a = b) IS NULL)'],
    ['a IS NULL = b', '((a IS NULL) = b)'],
    ['a IS NULL IS NOT TRUE', '((a IS NULL) IS NOT TRUE)'],
    ['a = b = c', '((a = b) = c)'],
    ['a < b + 1', '(a < (b + 1))'],
    ['a = b IS DISTINCT FROM c', '((a = b) IS DISTINCT FROM c)'],
    ['a IS NOT DISTINCT FROM b + 1', '(a IS NOT DISTINCT FROM (b + 1))'],
    ["a LIKE 'x' = b", "((a LIKE 'string') = b)"],
    ["a = b LIKE 'x'", "(a = (b LIKE 'string'))"],
    ["a || b LIKE c || 'x' ESCAPE '!'", "((a || b) LIKE (c || 'string') ESCAPE 'string')"],
    ['a BETWEEN 1 AND 2 AND b', '((a BETWEEN 1 AND 2) AND b)'],
    ['a BETWEEN b + 1 AND c * 2 OR d', '((a BETWEEN (b + 1) AND (c * 2)) OR d)'],
    ['a NOT BETWEEN 1 AND 2 = TRUE', '((a NOT BETWEEN 1 AND 2) = TRUE)'],
    ['a + 1 IN (1, 2) = b', '(((a + 1) IN [1, 2]) = b)'],
    ['a - b - c', '((a - b) - c)'],
    ['a - b + c', '((a - b) + c)'],
    ['a + b * c', '(a + (b * c))'],
    ['a * b + c', '((a * b) + c)'],
    ['a / b * c % d', '(((a / b) * c) % d)'],
    ['a || b * c', '((a || b) * c)'],
    ['a + b || c', '(a + (b || c))'],
    ['-a * b', '((-a) * b)'],
    ['- - a', '(-(-a))'],
    ['-a[1]', '(-a[1])'],
    ['a[1].f[2]', 'a[1].f[2]'],
    ['-(a + b) * c', '((-(a + b)) * c)'],
    ['a = NOT b', '(a = (NOT b))'],
    ['a = NOT b AND c', '((a = (NOT b)) AND c)'],
    ['a IS NULL + 1', '((a IS NULL) + 1)'],
    ['a = b ORR c', 'error'],
    ['a AND NOT b OR c', '((a AND (NOT b)) OR c)'],
    ['f(a + b, c) * 2', '(f((a + b), c) * 2)'],
  ])('%s  ->  %s', (sql, expected) => {
    if (expected === 'error') expect(E.isLeft(parseExpression(sql))).toBe(true)
    else expect(grouped(sql)).toBe(expected)
  })

  it('groups chains of binary operators like a reference precedence-climbing parser (property)', () => {
    const ops = ['OR', 'AND', '=', '<>', '<', '>=', '+', '-', '*', '/', '%', '||'] as const
    const prec: Record<string, number> = { OR: 22, AND: 24, '=': 30, '<>': 30, '<': 30, '>=': 30, '+': 40, '-': 40, '*': 60, '/': 60, '%': 60, '||': 60 }
    // reference: classic precedence climbing over a flat list, all operators left-associative
    const reference = (operands: string[], operators: string[]): string => {
      let i = 0
      const parse = (min: number): string => {
        let left = operands[i]!
        while (i < operators.length && prec[operators[i]!]! >= min) {
          const op = operators[i]!
          i++
          const right = parseRight(prec[op]! + 1)
          left = `(${left} ${op} ${right})`
        }
        return left
      }
      const parseRight = (min: number): string => parse(min)
      return parse(0)
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ops), { minLength: 1, maxLength: 8 }), (operators) => {
        const operands = Array.from({ length: operators.length + 1 }, (_, k) => `x${k}`)
        const sql = operands.map((o, k) => (k < operators.length ? `${o} ${operators[k]}` : o)).join(' ')
        expect(grouped(sql)).toBe(reference(operands, operators))
      }),
      { numRuns: 300 },
    )
  })
})
