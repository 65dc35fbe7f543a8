/**
 * Parsing SQL text into the syntax tree of `ast.ts`: the entry points of the planner and the SQL
 * client.
 *
 * @remarks
 * Every function returns an `Either`: the tree, or a {@link SqlError} with `phase: 'parse'` whose
 * one problem names the position (1-based line and column, 0-based offset), what was found there
 * and what would have been valid (`expected`). None of them throws, whatever the input: input
 * that nests deeper than {@link MAX_NESTING} levels is refused with an error rather than
 * overflowing the stack.
 *
 * @packageDocumentation
 */
import { EOF, type IRecognitionException, type IToken, type TokenType } from 'chevrotain'
import * as E from 'fp-ts/lib/Either.js'
import { SqlError, type SqlProblem } from '../errors.js'
import type { Expr, Pos, Query, Statement, TypeSyntax } from './ast.js'
import * as L from './lexer.js'
import { MAX_NESTING, NestingTooDeepError, sqlParser, SyntaxRuleError, type EncodedExpectation, type SqlParser } from './parser.js'

export { MAX_NESTING } from './parser.js'

type Entry = 'statements' | 'singleStatement' | 'singleQuery' | 'singleExpression' | 'singleType'

/**
 * Parses a script: statements separated by `;` (empty statements are skipped).
 *
 * @remarks
 * `BEGIN STATEMENT SET; INSERT ...; INSERT ...; END;` is one statement (a statement set), as in
 * Flink's SQL client. Comments and hints may appear anywhere a token may.
 *
 * @category SQL
 * @since 0.1.0
 */
export const parseStatements = (sql: string): E.Either<SqlError, readonly Statement[]> => run(sql, 'statements', (p) => p.statements())

/**
 * Parses exactly one statement (a trailing `;` is allowed).
 *
 * @category SQL
 * @since 0.1.0
 */
export const parseStatement = (sql: string): E.Either<SqlError, Statement> =>
  E.flatMap(parseStatements(sql), (statements) => {
    if (statements.length === 1) return E.right(statements[0]!)
    if (statements.length === 0) return E.left(parseError({ message: 'Expected a statement but found the end of the input.', pos: endPos(sql), expected: ['a statement'] }))
    return E.left(parseError({ message: `Expected one statement but found ${statements.length}: the first ends before line ${statements[1]!.pos.line}, column ${statements[1]!.pos.column}.`, pos: statements[1]!.pos, expected: ['the end of the input'] }))
  })

/**
 * Parses exactly one query (`SELECT`, `VALUES`, `WITH`, set operations; a trailing `;` is allowed).
 *
 * @category SQL
 * @since 0.1.0
 */
export const parseQuery = (sql: string): E.Either<SqlError, Query> => run(sql, 'singleQuery', (p) => p.singleQuery())

/**
 * Parses exactly one expression.
 *
 * @category SQL
 * @since 0.1.0
 */
export const parseExpression = (sql: string): E.Either<SqlError, Expr> => run(sql, 'singleExpression', (p) => p.singleExpression())

/**
 * Parses exactly one data type (`INT NOT NULL`, `ROW<a STRING, b ARRAY<INT>>`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`).
 *
 * @category SQL
 * @since 0.1.0
 */
export const parseType = (sql: string): E.Either<SqlError, TypeSyntax> => run(sql, 'singleType', (p) => p.singleType())

// ---------------------------------------------------------------------------------------------

const parseError = (problem: SqlProblem): SqlError => new SqlError('parse', [problem])

/** The position just after the last character of `sql`. */
const endPos = (sql: string): Pos => {
  let line = 1
  let lineStart = 0
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i)
    if (c === 10 || (c === 13 && sql.charCodeAt(i + 1) !== 10)) {
      line++
      lineStart = i + 1
    }
  }
  return { line, column: sql.length - lineStart + 1, offset: sql.length }
}

/** The position just after `t`. */
const afterToken = (t: IToken): Pos => ({ line: t.endLine ?? t.startLine ?? 1, column: (t.endColumn ?? t.startColumn ?? 0) + 1, offset: (t.endOffset ?? t.startOffset) + 1 })

function run<T>(sql: string, entry: Entry, parse: (p: SqlParser) => T): E.Either<SqlError, T> {
  let lexed: L.LexResult
  try {
    lexed = L.tokenize(sql)
  } catch (e) {
    return E.left(parseError({ message: `The SQL text could not be read: ${String(e)}`, pos: { line: 1, column: 1, offset: 0 } }))
  }
  if (lexed.problem !== undefined) return E.left(parseError({ message: lexed.problem.message, pos: lexed.problem.pos }))
  const tokens = lexed.tokens
  const parser = sqlParser()
  try {
    parser.setTokens(tokens)
    const result = parse(parser)
    if (parser.errors.length > 0) return E.left(fromRecognitionError(sql, tokens, parser, entry, parser.errors[0]!))
    return E.right(result)
  } catch (e) {
    if (e instanceof NestingTooDeepError) return E.left(parseError({ message: e.message, pos: e.pos }))
    if (e instanceof SyntaxRuleError) return E.left(parseError({ message: e.message, pos: e.pos, ...(e.expected !== undefined && { expected: e.expected }) }))
    if (e instanceof RangeError) return E.left(parseError({ message: `The statement nests too deeply to parse (more than ${MAX_NESTING} levels are refused).`, pos: tokens.length > 0 ? L.tokenPos(tokens[0]!) : { line: 1, column: 1, offset: 0 } }))
    return E.left(parseError({ message: `Internal parser error: ${e instanceof Error ? e.message : String(e)}`, pos: { line: 1, column: 1, offset: 0 } }))
  } finally {
    parser.setTokens([])
  }
}

// ---------------------------------------------------------------------------------------------
// Error messages
// ---------------------------------------------------------------------------------------------

const PUNCTUATION: Readonly<Record<string, string>> = {
  LParen: "'('",
  RParen: "')'",
  LBracket: "'['",
  RBracket: "']'",
  Comma: "','",
  Dot: "'.'",
  Semicolon: "';'",
  Equals: "'='",
  NotEquals: "'<>'",
  Less: "'<'",
  Greater: "'>'",
  LessEquals: "'<='",
  GreaterEquals: "'>='",
  Arrow: "'=>'",
  Concat: "'||'",
  Plus: "'+'",
  Minus: "'-'",
  Star: "'*'",
  Slash: "'/'",
  Percent: "'%'",
  HintStart: "'/*+'",
  HintEnd: "'*/'",
}

const GENERIC: Readonly<Record<string, string>> = {
  Identifier: 'an identifier',
  PlainIdentifier: 'an identifier',
  QuotedIdentifier: 'an identifier',
  AnyWord: 'a name',
  StringLiteral: 'a string',
  NumberLiteral: 'a number',
  BinaryLiteral: 'a binary string',
  EOF: 'the end of the input',
}

const TWO_WORDS: Readonly<Record<string, string>> = { GROUP: 'GROUP BY', ORDER: 'ORDER BY' }

const displayName = (tokenName: string): string => PUNCTUATION[tokenName] ?? GENERIC[tokenName] ?? TWO_WORDS[tokenName] ?? tokenName

const EXPRESSION_START = new Set([
  'NumberLiteral',
  'StringLiteral',
  'BinaryLiteral',
  'Identifier',
  'PlainIdentifier',
  'QuotedIdentifier',
  'TRUE',
  'FALSE',
  'NULL',
  'INTERVAL',
  'DATE',
  'TIME',
  'TIMESTAMP',
  'TIMESTAMP_LTZ',
  'CASE',
  'CAST',
  'TRY_CAST',
  'EXTRACT',
  'FLOOR',
  'CEIL',
  'CEILING',
  'TIMESTAMPADD',
  'TIMESTAMPDIFF',
  'POSITION',
  'TRIM',
  'SUBSTRING',
  'OVERLAY',
  'EXISTS',
  'ARRAY',
  'MAP',
  'ROW',
  'DESCRIPTOR',
  'CURRENT_TIMESTAMP',
  'CURRENT_DATE',
  'CURRENT_TIME',
  'LOCALTIMESTAMP',
  'LOCALTIME',
  'CURRENT_ROW_TIMESTAMP',
  'LParen',
  'Minus',
  'Plus',
  'NOT',
])
const OPERATORS = new Set(['Plus', 'Minus', 'Star', 'Slash', 'Percent', 'Concat', 'Equals', 'NotEquals', 'Less', 'Greater', 'LessEquals', 'GreaterEquals', 'AND', 'OR', 'IS', 'NOT', 'LIKE', 'SIMILAR', 'BETWEEN', 'IN', 'LBracket', 'Dot'])
const TYPE_START = new Set(['INTERVAL', 'ARRAY', 'MULTISET', 'MAP', 'ROW', 'TIMESTAMP', 'TIME', 'TIMESTAMP_LTZ', 'DATE', 'Identifier', 'PlainIdentifier', 'QuotedIdentifier'])
const UNITS = new Set(['MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'YEARS', 'QUARTER', 'QUARTERS', 'MONTH', 'MONTHS', 'WEEK', 'WEEKS', 'DAY', 'DAYS', 'HOUR', 'HOURS', 'MINUTE', 'MINUTES', 'SECOND', 'SECONDS', 'MILLISECOND', 'MILLISECONDS', 'MICROSECOND', 'MICROSECONDS', 'NANOSECOND', 'NANOSECONDS', 'DOW', 'DOY', 'EPOCH'])
const STATEMENT_START = new Set(['SELECT', 'WITH', 'VALUES', 'LParen', 'INSERT', 'CREATE', 'DROP', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'SET', 'RESET', 'USE', 'EXECUTE', 'BEGIN'])
/** Keywords that continue a query, in the order they are written. */
const CLAUSE_ORDER = ['FROM', 'WHERE', 'GROUP', 'HAVING', 'WINDOW', 'QUALIFY', 'UNION', 'INTERSECT', 'EXCEPT', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH']

/** Turns the expected token types into a short, ordered list of what would have been valid. */
export const describeExpected = (tokenNames: Iterable<string>): string[] => {
  const set = new Set(tokenNames)
  const generic: string[] = []
  const take = (members: ReadonlySet<string>, label: string): void => {
    for (const m of members) set.delete(m)
    generic.push(label)
  }
  if (set.has('INSERT') && set.has('CREATE') && set.has('SELECT')) take(STATEMENT_START, 'a statement')
  set.delete('PRECISION')
  set.delete('VARYING')
  if (set.has('MULTISET') && set.has('MAP') && set.has('INTERVAL')) take(TYPE_START, 'a data type')
  if (set.has('MILLENNIUM')) take(UNITS, 'a time unit')
  if (set.has('NumberLiteral') && set.has('StringLiteral') && (set.has('Identifier') || set.has('PlainIdentifier'))) take(EXPRESSION_START, 'an expression')
  const hasOperators = set.has('Plus') && set.has('Star') && set.has('Equals')
  if (hasOperators) for (const o of OPERATORS) set.delete(o)
  const end = set.delete('EOF')
  const clauses = CLAUSE_ORDER.filter((c) => set.delete(c)).map(displayName)
  const rest = [...set].map(displayName)
  const words = rest.filter((r) => !r.startsWith("'")).sort()
  const punctuation = rest.filter((r) => r.startsWith("'"))
  const out = [...generic, ...clauses, ...words, ...punctuation]
  if (hasOperators) out.push('an operator')
  if (end) out.push('the end of the input')
  return [...new Set(out)]
}

const describeFound = (t: IToken | undefined): string => {
  if (t === undefined || t.tokenType === EOF) return 'the end of the input'
  if (t.tokenType === L.StringLiteral) return `the string ${t.image.length > 30 ? `${t.image.slice(0, 27)}...'` : t.image}`
  if (t.tokenType === L.NumberLiteral) return `the number ${t.image}`
  const image = t.image.length > 30 ? `${t.image.slice(0, 27)}...` : t.image
  return `'${image}'`
}

/** Optimal string alignment distance (a transposition counts as one edit). */
const editDistance = (a: string, b: string): number => {
  const d: number[][] = []
  for (let i = 0; i <= a.length; i++) d.push([i])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1)
      d[i]![j] = v
    }
  return d[a.length]![b.length]!
}

/** A keyword among `expected` that `word` is probably a typo of. */
const didYouMean = (word: string, expected: readonly string[]): string | undefined => {
  const upper = word.toUpperCase()
  if (upper.length < 2) return undefined
  for (const e of expected) {
    if (!/^[A-Z_]+( BY)?$/.test(e)) continue
    const kw = e.split(' ')[0]!
    if (kw === upper) continue
    if (editDistance(upper, kw) <= (kw.length <= 4 ? 1 : 2)) return e
  }
  return undefined
}

/** The most tokens before an error that the expected set is computed over (beyond them, the error's own expectation is used). */
const CONTENT_ASSIST_LIMIT = 600

/** The index of the first token of the statement of a script that holds `tokens[index]` (a statement set's own `;` do not end it). */
const statementStart = (tokens: readonly IToken[], index: number): number => {
  let start = 0
  let words: string[] = []
  let block = false
  let segmentFirst: TokenType | undefined
  for (let i = 0; i < index; i++) {
    const t = tokens[i]!
    if (t.tokenType === L.Semicolon) {
      if (!block || segmentFirst === L.KW.END) {
        start = i + 1
        words = []
        block = false
      }
      segmentFirst = undefined
      continue
    }
    segmentFirst ??= t.tokenType
    if (words.length < 5) {
      words.push(t.tokenType.name)
      const w = words.join(' ')
      if (w === 'BEGIN STATEMENT SET' || w.endsWith('STATEMENT SET BEGIN')) block = true
    }
  }
  return start
}

/** Whether `tokens` alone parse as a whole `entry` (so that the end of the input would have been valid there). */
const parsesAsWhole = (parser: SqlParser, entry: Entry, tokens: IToken[]): boolean => {
  parser.setTokens(tokens)
  try {
    if (entry === 'statements') parser.statements()
    else if (entry === 'singleStatement') parser.singleStatement()
    else if (entry === 'singleQuery') parser.singleQuery()
    else if (entry === 'singleExpression') parser.singleExpression()
    else parser.singleType()
    return parser.errors.length === 0
  } catch {
    return false
  }
}

const fromRecognitionError = (sql: string, tokens: readonly IToken[], parser: SqlParser, entry: Entry, error: IRecognitionException): SqlError => {
  const found = error.token
  const atEnd = found === undefined || found.tokenType === EOF
  let index = atEnd ? tokens.length : tokens.indexOf(found)
  if (index < 0) index = tokens.findIndex((t) => t.startOffset >= found.startOffset)
  if (index < 0) index = tokens.length
  const pos: Pos = !atEnd ? L.tokenPos(found) : tokens.length > 0 ? afterToken(tokens[tokens.length - 1]!) : endPos(sql)

  let names: string[] = []
  try {
    names = (JSON.parse(error.message) as EncodedExpectation).expected.slice()
  } catch {
    names = []
  }
  // what could have come instead of the error token: the grammar's continuations of the
  // tokens before it (within the current statement of a script, to keep this cheap)
  const from = entry === 'statements' ? statementStart(tokens, index) : 0
  if (index - from <= CONTENT_ASSIST_LIMIT) {
    try {
      const prefix = tokens.slice(from, index) as IToken[]
      const rule: Entry = entry === 'statements' ? 'singleStatement' : entry
      const assisted = new Set<string>()
      for (const p of parser.computeContentAssist(rule, prefix)) assisted.add((p.nextTokenType as TokenType).name)
      const complete = prefix.length === 0 ? entry === 'statements' : parsesAsWhole(parser, rule, prefix)
      if (complete && entry === 'statements') assisted.add('Semicolon')
      if (complete && !atEnd) assisted.add('EOF')
      if (assisted.size > 0) names = [...assisted]
    } catch {
      // keep the error's own expectation
    }
  }
  const expected = describeExpected(names)
  const shown = expected.length <= 1 ? expected.join('') : `one of ${expected.slice(0, 9).join(', ')}${expected.length > 9 ? ', ...' : ''}`
  let message = expected.length === 0 ? `Unexpected ${describeFound(found)}.` : `Expected ${shown} but found ${describeFound(found)}.`
  const keywords = names.filter((n) => /^[A-Z_]+$/.test(n)).map(displayName)
  const typoOf = (t: IToken | undefined): string | undefined => (t !== undefined && t.tokenType !== EOF && (t.tokenType === L.PlainIdentifier || t.tokenType.CATEGORIES?.includes(L.Identifier)) ? didYouMean(t.image, keywords) : undefined)
  const here = typoOf(atEnd ? undefined : found)
  const before = index > 0 ? tokens[index - 1] : undefined
  const previous = here === undefined ? typoOf(before) : undefined
  if (here !== undefined) message += ` Did you mean ${here}?`
  else if (previous !== undefined) message += ` Did you mean ${previous} instead of '${before!.image}'?`
  return parseError({ message, pos, expected })
}
