/**
 * The tokens of Strom's SQL (Flink's dialect) and the lexer that produces them.
 *
 * @remarks
 * Keywords are case-insensitive; unquoted identifiers keep the case they were written in;
 * back-quoted identifiers (`` `a``b` ``) may hold any character, a doubled back-quote standing for
 * one. String literals are single-quoted with `''` for a quote; `X'0A'` is a binary literal.
 * Comments (`-- ...` and `/* ... *\/`) are skipped; a hint comment `/*+ ... *\/` is kept as tokens
 * (`/*+`, its content, `*\/`) so the parser can read it.
 *
 * Keywords come in two kinds. A *reserved* keyword can only be used as an identifier when
 * back-quoted (`SELECT`, `FROM`, `TABLE`, `INTERVAL`, ...). A *non-reserved* keyword is a
 * keyword only where the grammar needs it and an identifier everywhere else, so columns named
 * `value`, `year`, `day`, `position`, `date`, `timestamp`, `key`, `name`, `data`, `type` ... need
 * no quotes. Strom reserves fewer words than Flink (which follows Calcite and reserves e.g.
 * `YEAR`, `VALUE`, `POSITION`): a word is reserved only where it could otherwise be read two
 * ways; every query Flink accepts is accepted too.
 *
 * @packageDocumentation
 */
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain'
import type { Pos } from './ast.js'

// ---------------------------------------------------------------------------------------------
// Categories
// ---------------------------------------------------------------------------------------------

/** The category of every token usable as an identifier: plain and back-quoted identifiers and the non-reserved keywords. */
export const Identifier = createToken({ name: 'Identifier', pattern: Lexer.NA })
/** The category of every keyword, reserved or not. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA })
/** The category of every word-like token (identifiers and all keywords): names of named arguments and hint options. */
export const AnyWord = createToken({ name: 'AnyWord', pattern: Lexer.NA })

// ---------------------------------------------------------------------------------------------
// Keywords
// ---------------------------------------------------------------------------------------------

/** Reserved keywords: usable as identifiers only when back-quoted. */
const RESERVED = [
  'ALL', 'AND', 'AS', 'ASC', 'ASYMMETRIC', 'BETWEEN', 'BOTH', 'BY', 'CASE', 'CROSS',
  'CURRENT_DATE', 'CURRENT_ROW_TIMESTAMP', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'DESC', 'DISTINCT', 'ELSE', 'END', 'ESCAPE', 'EXCEPT', 'EXISTS',
  'FALSE', 'FETCH', 'FILTER', 'FOR', 'FROM', 'FULL', 'GROUP', 'HAVING', 'IN', 'INNER', 'INTERSECT', 'INTERVAL', 'INTO', 'IS',
  'JOIN', 'LATERAL', 'LEADING', 'LEFT', 'LIKE', 'LIMIT', 'LOCALTIME', 'LOCALTIMESTAMP', 'NATURAL', 'NOT', 'NULL', 'OFFSET', 'ON',
  'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'QUALIFY', 'RANGE', 'RIGHT', 'ROWS', 'SELECT', 'SIMILAR', 'SYMMETRIC', 'TABLE', 'THEN', 'TO',
  'TRAILING', 'TRUE', 'UNION', 'UNKNOWN', 'UNNEST', 'USING', 'VALUES', 'WHEN', 'WHERE', 'WINDOW', 'WITH', 'WITHIN',
] as const

/** Non-reserved keywords: keywords where the grammar expects them, identifiers elsewhere. */
const NON_RESERVED = [
  // special-syntax functions and constructors (special only when followed by `(` or `[`)
  'ARRAY', 'MAP', 'MULTISET', 'ROW', 'DESCRIPTOR', 'CAST', 'TRY_CAST', 'EXTRACT', 'FLOOR', 'CEIL', 'CEILING', 'TIMESTAMPADD',
  'TIMESTAMPDIFF', 'POSITION', 'TRIM', 'SUBSTRING', 'OVERLAY', 'PLACING',
  // typed literals and types
  'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'WITHOUT', 'LOCAL', 'ZONE', 'PRECISION', 'VARYING',
  // time units
  'MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'YEARS', 'QUARTER', 'QUARTERS', 'MONTH', 'MONTHS', 'WEEK', 'WEEKS', 'DAY', 'DAYS', 'HOUR', 'HOURS',
  'MINUTE', 'MINUTES', 'SECOND', 'SECONDS', 'MILLISECOND', 'MILLISECONDS', 'MICROSECOND', 'MICROSECONDS', 'NANOSECOND', 'NANOSECONDS',
  'DOW', 'DOY', 'EPOCH',
  // queries
  'CURRENT', 'UNBOUNDED', 'PRECEDING', 'FOLLOWING', 'NULLS', 'FIRST', 'LAST', 'NEXT', 'ONLY', 'ORDINALITY', 'GROUPING',
  'SETS', 'ROLLUP', 'CUBE', 'SYSTEM_TIME', 'OF',
  // statements
  'CREATE', 'TEMPORARY', 'SYSTEM', 'IF', 'VIEW', 'FUNCTION', 'LANGUAGE', 'WATERMARK', 'PRIMARY', 'KEY',
  'CONSTRAINT', 'ENFORCED', 'COMMENT', 'PARTITIONED', 'METADATA', 'VIRTUAL', 'INCLUDING', 'EXCLUDING', 'OVERWRITING',
  'CONSTRAINTS', 'PARTITIONS', 'WATERMARKS', 'GENERATED', 'OPTIONS', 'INSERT', 'OVERWRITE', 'DROP', 'SHOW', 'TABLES',
  'VIEWS', 'FUNCTIONS', 'CATALOGS', 'DATABASES', 'JOBS', 'COLUMNS', 'CATALOG', 'DATABASE', 'DESCRIBE', 'EXTENDED', 'EXPLAIN',
  'PLAN', 'SET', 'RESET', 'USE', 'EXECUTE', 'STATEMENT', 'BEGIN', 'ESTIMATED_COST', 'CHANGELOG_MODE', 'JSON_EXECUTION_PLAN',
  'PLAN_ADVICE',
] as const

/** A keyword's name. */
export type KeywordName = (typeof RESERVED)[number] | (typeof NON_RESERVED)[number]

const keywordTokens = new Map<string, TokenType>()
for (const name of RESERVED) keywordTokens.set(name, createToken({ name, pattern: Lexer.NA, categories: [Keyword, AnyWord] }))
for (const name of NON_RESERVED) keywordTokens.set(name, createToken({ name, pattern: Lexer.NA, categories: [Keyword, Identifier, AnyWord] }))

/** The token type of each keyword, by upper-case name. */
export const KW: { readonly [K in KeywordName]: TokenType } = Object.fromEntries(keywordTokens) as { [K in KeywordName]: TokenType }

/** The reserved keywords (upper case): an identifier spelled like one must be back-quoted. */
export const RESERVED_KEYWORDS: ReadonlySet<string> = new Set<string>(RESERVED)

/** Whether `word` (any case) is a keyword, reserved or not. */
export const isKeyword = (word: string): boolean => keywordTokens.has(word.toUpperCase())

// ---------------------------------------------------------------------------------------------
// Tokens with a pattern
// ---------------------------------------------------------------------------------------------

const LETTER = 'A-Za-z_\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u1FFF\\u3040-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFDC'

/** Spaces, tabs, line breaks. */
export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v\u00A0\u2028\u2029\uFEFF]+/, group: Lexer.SKIPPED, line_breaks: true })
/** `-- ...` up to the end of the line. */
export const LineComment = createToken({ name: 'LineComment', pattern: /--[^\n\r]*/, group: Lexer.SKIPPED })
/** `/*+`: the start of a hint. */
export const HintStart = createToken({ name: 'HintStart', pattern: /\/\*\+/, push_mode: 'hint' })
/** `*\/`: the end of a hint. */
export const HintEnd = createToken({ name: 'HintEnd', pattern: /\*\//, pop_mode: true })
/** `/* ... *\/`. */
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[^]*?\*\//, group: Lexer.SKIPPED, line_breaks: true })
/** A block comment without its end: reported as an error. */
export const UnterminatedComment = createToken({ name: 'UnterminatedComment', pattern: /\/\*[^]*/, line_breaks: true })
/** `X'0AFF'`. */
export const BinaryLiteral = createToken({ name: 'BinaryLiteral', pattern: /[xX]'[^']*'/, line_breaks: true })
/** `'it''s'`. */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: /'(?:[^']|'')*'/, line_breaks: true })
/** A string literal without its closing quote: reported as an error. */
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /'(?:[^']|'')*/, line_breaks: true })
/** `` `any name` `` (a doubled back-quote stands for one). */
export const QuotedIdentifier = createToken({ name: 'QuotedIdentifier', pattern: /`(?:[^`]|``)*`/, categories: [Identifier, AnyWord], line_breaks: true })
/** A back-quoted identifier without its closing quote: reported as an error. */
export const UnterminatedIdentifier = createToken({ name: 'UnterminatedIdentifier', pattern: /`(?:[^`]|``)*/, line_breaks: true })
/** `12`, `1.5`, `.5`, `1e3`, `1.5E-3`. */
export const NumberLiteral = createToken({ name: 'NumberLiteral', pattern: /(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/ })
/** An unquoted identifier (the lexer turns keywords into their keyword tokens). */
export const PlainIdentifier = createToken({ name: 'PlainIdentifier', pattern: new RegExp(`[${LETTER}][${LETTER}0-9$]*`), categories: [Identifier, AnyWord] })

/** `<>` or `!=`. */
export const NotEquals = createToken({ name: 'NotEquals', pattern: /<>|!=/ })
/** `<=`. */
export const LessEquals = createToken({ name: 'LessEquals', pattern: /<=/ })
/** `>=`. */
export const GreaterEquals = createToken({ name: 'GreaterEquals', pattern: />=/ })
/** `=>` (named arguments). */
export const Arrow = createToken({ name: 'Arrow', pattern: /=>/ })
/** `||` (string concatenation). */
export const Concat = createToken({ name: 'Concat', pattern: /\|\|/ })
/** `<`. */
export const Less = createToken({ name: 'Less', pattern: /</ })
/** `>`. */
export const Greater = createToken({ name: 'Greater', pattern: />/ })
/** `=`. */
export const Equals = createToken({ name: 'Equals', pattern: /=/ })
/** `+`. */
export const Plus = createToken({ name: 'Plus', pattern: /\+/ })
/** `-`. */
export const Minus = createToken({ name: 'Minus', pattern: /-/ })
/** `*`. */
export const Star = createToken({ name: 'Star', pattern: /\*/ })
/** `/`. */
export const Slash = createToken({ name: 'Slash', pattern: /\// })
/** `%`. */
export const Percent = createToken({ name: 'Percent', pattern: /%/ })
/** `(`. */
export const LParen = createToken({ name: 'LParen', pattern: /\(/ })
/** `)`. */
export const RParen = createToken({ name: 'RParen', pattern: /\)/ })
/** `[`. */
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/ })
/** `]`. */
export const RBracket = createToken({ name: 'RBracket', pattern: /\]/ })
/** `,`. */
export const Comma = createToken({ name: 'Comma', pattern: /,/ })
/** `.`. */
export const Dot = createToken({ name: 'Dot', pattern: /\./ })
/** `;` (ends a statement). */
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/ })

const OPERATORS = [NotEquals, LessEquals, GreaterEquals, Arrow, Concat, Less, Greater, Equals, Plus, Minus, Star, Slash, Percent, LParen, RParen, LBracket, RBracket, Comma, Dot, Semicolon]
const ATOMS = [BinaryLiteral, StringLiteral, UnterminatedString, QuotedIdentifier, UnterminatedIdentifier, NumberLiteral, PlainIdentifier]

const sqlLexer = new Lexer(
  {
    modes: {
      sql: [WhiteSpace, LineComment, HintStart, BlockComment, UnterminatedComment, ...ATOMS, ...OPERATORS],
      hint: [WhiteSpace, LineComment, HintEnd, HintStart, BlockComment, UnterminatedComment, ...ATOMS, ...OPERATORS],
    },
    defaultMode: 'sql',
  },
  { positionTracking: 'full', ensureOptimizations: false, skipValidations: true },
)

/** Every token type the parser may meet (its vocabulary). */
export const ALL_TOKENS: readonly TokenType[] = [
  Identifier,
  Keyword,
  AnyWord,
  ...keywordTokens.values(),
  WhiteSpace,
  LineComment,
  HintStart,
  HintEnd,
  BlockComment,
  UnterminatedComment,
  ...ATOMS,
  ...OPERATORS,
]

/** A problem found while splitting the text into tokens. */
export interface LexProblem {
  readonly message: string
  readonly pos: Pos
}

/** The tokens of a SQL text, or the first problem found (an unexpected character, an unterminated string, identifier or comment). */
export type LexResult = { readonly tokens: IToken[]; readonly problem?: undefined } | { readonly tokens?: undefined; readonly problem: LexProblem }

/** The position where a token starts. */
export const tokenPos = (t: IToken): Pos => ({ line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset })

const UNTERMINATED: ReadonlyMap<TokenType, string> = new Map([
  [UnterminatedString, 'String literal is not terminated: a closing quote (\') is missing.'],
  [UnterminatedIdentifier, 'Quoted identifier is not terminated: a closing back-quote (`) is missing.'],
  [UnterminatedComment, 'Comment is not terminated: a closing */ is missing.'],
])

/**
 * Splits `sql` into tokens, keywords recognized case-insensitively.
 *
 * @remarks
 * Never throws: an unexpected character or an unterminated string, identifier, comment or hint
 * is returned as a {@link LexProblem} with its position.
 */
export const tokenize = (sql: string): LexResult => {
  const result = sqlLexer.tokenize(sql)
  if (result.errors.length > 0) {
    const e = result.errors[0]!
    const ch = sql.charAt(e.offset)
    return { problem: { message: `Unexpected character '${ch}'.`, pos: { line: e.line ?? 1, column: e.column ?? 1, offset: e.offset } } }
  }
  const tokens = result.tokens
  let inHint = false
  let hintStart: IToken | undefined
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!
    const type = t.tokenType
    if (type === PlainIdentifier) {
      const kw = keywordTokens.get(t.image.toUpperCase())
      if (kw !== undefined) {
        t.tokenType = kw
        t.tokenTypeIdx = kw.tokenTypeIdx!
      }
      continue
    }
    const unterminated = UNTERMINATED.get(type)
    if (unterminated !== undefined) return { problem: { message: unterminated, pos: tokenPos(t) } }
    if (type === HintStart) {
      if (inHint) return { problem: { message: 'A hint cannot contain another hint.', pos: tokenPos(t) } }
      inHint = true
      hintStart = t
    } else if (type === HintEnd) inHint = false
  }
  if (inHint) return { problem: { message: 'Hint is not terminated: a closing */ is missing.', pos: tokenPos(hintStart!) } }
  return { tokens }
}

/** The text of a back-quoted identifier token without its quotes, doubled back-quotes undone. */
export const unquoteIdentifier = (image: string): string => image.slice(1, -1).replace(/``/g, '`')

/** The value of a string literal token without its quotes, doubled quotes undone. */
export const unquoteString = (image: string): string => image.slice(1, -1).replace(/''/g, "'")

const PLAIN_IDENTIFIER = new RegExp(`^[${LETTER}][${LETTER}0-9$]*$`)

/** Whether `name` can be written without back-quotes: it has the shape of a plain identifier and is not a reserved keyword. */
export const isPlainIdentifier = (name: string): boolean => PLAIN_IDENTIFIER.test(name) && !RESERVED_KEYWORDS.has(name.toUpperCase())
