import { describe, expect, it } from 'vitest'
import { isKeyword, isPlainIdentifier, RESERVED_KEYWORDS, tokenize, unquoteIdentifier, unquoteString } from './lexer.js'

const kinds = (sql: string): string[] => {
  const r = tokenize(sql)
  if (r.problem !== undefined) throw new Error(r.problem.message)
  return r.tokens.map((t) => `${t.tokenType.name}:${t.image}`)
}

describe('lexer', () => {
  it('recognizes keywords in any case and keeps identifiers as written', () => {
    expect(kinds('select Select SELECT dateTime `from`')).toEqual(['SELECT:select', 'SELECT:Select', 'SELECT:SELECT', 'PlainIdentifier:dateTime', 'QuotedIdentifier:`from`'])
    expect(isKeyword('window')).toBe(true)
    expect(isKeyword('dateTime')).toBe(false)
  })

  it('reads strings, back-quoted identifiers with doubled quotes, numbers of every form and binary strings', () => {
    expect(kinds("'it''s' `a``b` 12 1.5 .5 1. 1e3 2.5E-3 X'0A' x''")).toEqual([
      "StringLiteral:'it''s'",
      'QuotedIdentifier:`a``b`',
      'NumberLiteral:12',
      'NumberLiteral:1.5',
      'NumberLiteral:.5',
      'NumberLiteral:1.',
      'NumberLiteral:1e3',
      'NumberLiteral:2.5E-3',
      "BinaryLiteral:X'0A'",
      "BinaryLiteral:x''",
    ])
    expect(unquoteString("'it''s'")).toBe("it's")
    expect(unquoteIdentifier('`a``b`')).toBe('a`b')
  })

  it('reads operators longest first', () => {
    expect(kinds('<> != <= >= => || < > = - + * / % ( ) [ ] , . ;').map((k) => k.split(':')[0])).toEqual([
      'NotEquals', 'NotEquals', 'LessEquals', 'GreaterEquals', 'Arrow', 'Concat', 'Less', 'Greater', 'Equals', 'Minus', 'Plus', 'Star', 'Slash', 'Percent', 'LParen', 'RParen', 'LBracket', 'RBracket', 'Comma', 'Dot', 'Semicolon',
    ])
  })

  it('skips comments but keeps hints as tokens', () => {
    expect(kinds("a -- comment ; 'x'\n/* block ; */ b /*+ OPTIONS('k'='v') */ c")).toEqual([
      'PlainIdentifier:a',
      'PlainIdentifier:b',
      'HintStart:/*+',
      'OPTIONS:OPTIONS',
      'LParen:(',
      "StringLiteral:'k'",
      'Equals:=',
      "StringLiteral:'v'",
      'RParen:)',
      'HintEnd:*/',
      'PlainIdentifier:c',
    ])
  })

  it('accepts letters beyond ASCII in identifiers', () => {
    expect(kinds('über 名前 _x1$')).toEqual(['PlainIdentifier:über', 'PlainIdentifier:名前', 'PlainIdentifier:_x1$'])
  })

  it('gives 1-based lines and columns and 0-based offsets', () => {
    const r = tokenize('SELECT\n  a,\r\n\tb')
    expect(r.tokens!.map((t) => [t.image, t.startLine, t.startColumn, t.startOffset])).toEqual([
      ['SELECT', 1, 1, 0],
      ['a', 2, 3, 9],
      [',', 2, 4, 10],
      ['b', 3, 2, 14],
    ])
  })

  it('reports unterminated strings, identifiers, comments and hints, and unexpected characters', () => {
    expect(tokenize("a 'x").problem).toEqual({ message: "String literal is not terminated: a closing quote (') is missing.", pos: { line: 1, column: 3, offset: 2 } })
    expect(tokenize('a `x').problem?.pos.column).toBe(3)
    expect(tokenize('a /* x').problem?.message).toBe('Comment is not terminated: a closing */ is missing.')
    expect(tokenize('a /*+ x').problem?.message).toBe('Hint is not terminated: a closing */ is missing.')
    expect(tokenize('a\n  #').problem).toEqual({ message: "Unexpected character '#'.", pos: { line: 2, column: 3, offset: 4 } })
  })

  it('quotes only what must be quoted', () => {
    expect(isPlainIdentifier('value')).toBe(true)
    expect(isPlainIdentifier('year')).toBe(true)
    expect(isPlainIdentifier('SELECT')).toBe(false)
    expect(isPlainIdentifier('a b')).toBe(false)
    expect(isPlainIdentifier('1a')).toBe(false)
    expect(isPlainIdentifier('')).toBe(false)
    for (const k of ['SELECT', 'FROM', 'TABLE', 'INTERVAL', 'CASE', 'AND']) expect(RESERVED_KEYWORDS.has(k)).toBe(true)
    for (const k of ['VALUE', 'YEAR', 'DAY', 'POSITION', 'DATE', 'TIMESTAMP', 'KEY', 'NAME', 'DATA', 'TYPE']) expect(RESERVED_KEYWORDS.has(k)).toBe(false)
  })
})
