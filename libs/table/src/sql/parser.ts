/**
 * The grammar of Strom's SQL (Flink's dialect) as a chevrotain parser that builds the syntax tree
 * of `ast.ts` directly (embedded actions).
 *
 * @remarks
 * Operator precedence is Calcite's (lowest first): `OR` (22), `AND` (24), `NOT` (26), the
 * postfix `IS [NOT] NULL|TRUE|FALSE|UNKNOWN` (28), comparisons and `IS [NOT] DISTINCT FROM` (30),
 * `LIKE`, `SIMILAR TO`, `BETWEEN`, `IN` (32), `+ -` (40), `* / % ||` (60), unary `- +` (80), then
 * item and field access. Binary operators are left-associative. `INTERSECT` binds tighter than
 * `UNION` and `EXCEPT`; `JOIN` binds tighter than the comma of a `FROM` list.
 *
 * The parser is internal: use `parse.ts`, which turns chevrotain's errors into {@link SqlError}s.
 * It never keeps state between parses beyond its input.
 *
 * @packageDocumentation
 */
import { EmbeddedActionsParser, EOF, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain'
import type * as A from './ast.js'
import * as L from './lexer.js'

const K = L.KW

/** How deeply expressions, queries and table references may nest before the parser refuses (and so never overflows the stack). */
export const MAX_NESTING = 100

/** Thrown by the parser when the input nests more than {@link MAX_NESTING} levels. */
export class NestingTooDeepError extends Error {
  constructor(readonly pos: A.Pos) {
    super(`The statement nests expressions or queries more than ${MAX_NESTING} levels deep.`)
  }
}

/** Thrown by the parser for input that fits the grammar's shape but not its rules (an unknown type, an odd `MAP[...]`, ...). */
export class SyntaxRuleError extends Error {
  constructor(
    message: string,
    readonly pos: A.Pos,
    readonly expected?: readonly string[],
  ) {
    super(message)
  }
}

/** What a chevrotain error message carries from {@link errorMessageProvider} to `parse.ts`: the expected token types. */
export interface EncodedExpectation {
  readonly expected: readonly string[]
}

const names = (paths: readonly (readonly TokenType[])[]): string[] => paths.filter((p) => p.length > 0).map((p) => p[0]!.name)

/** Encodes the expected token types of each chevrotain error as JSON, for `parse.ts` to decode. */
export const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify({ expected: [expected.name] } satisfies EncodedExpectation),
  buildNotAllInputParsedMessage: () => JSON.stringify({ expected: [] } satisfies EncodedExpectation),
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) => JSON.stringify({ expected: expectedPathsPerAlt.flatMap(names) } satisfies EncodedExpectation),
  buildEarlyExitMessage: ({ expectedIterationPaths }) => JSON.stringify({ expected: names(expectedIterationPaths) } satisfies EncodedExpectation),
}

const pos = L.tokenPos

type Mutable<T> = { -readonly [P in keyof T]: T[P] }

interface Tail {
  orderBy?: readonly A.OrderItem[]
  limit?: A.Expr
  offset?: A.Expr
}

type TableElement =
  | { readonly el: 'column'; readonly column: A.ColumnDef; readonly primaryKey?: { readonly pos: A.Pos; readonly enforced: boolean } }
  | { readonly el: 'watermark'; readonly watermark: NonNullable<A.CreateTableStatement['watermark']> }
  | { readonly el: 'primaryKey'; readonly primaryKey: NonNullable<A.CreateTableStatement['primaryKey']> }

const UNIT_TOKENS: readonly [TokenType, A.TimeUnit][] = [
  [K.MILLENNIUM, 'MILLENNIUM'],
  [K.CENTURY, 'CENTURY'],
  [K.DECADE, 'DECADE'],
  [K.YEAR, 'YEAR'],
  [K.YEARS, 'YEAR'],
  [K.QUARTER, 'QUARTER'],
  [K.QUARTERS, 'QUARTER'],
  [K.MONTH, 'MONTH'],
  [K.MONTHS, 'MONTH'],
  [K.WEEK, 'WEEK'],
  [K.WEEKS, 'WEEK'],
  [K.DAY, 'DAY'],
  [K.DAYS, 'DAY'],
  [K.HOUR, 'HOUR'],
  [K.HOURS, 'HOUR'],
  [K.MINUTE, 'MINUTE'],
  [K.MINUTES, 'MINUTE'],
  [K.SECOND, 'SECOND'],
  [K.SECONDS, 'SECOND'],
  [K.MILLISECOND, 'MILLISECOND'],
  [K.MILLISECONDS, 'MILLISECOND'],
  [K.MICROSECOND, 'MICROSECOND'],
  [K.MICROSECONDS, 'MICROSECOND'],
  [K.NANOSECOND, 'NANOSECOND'],
  [K.NANOSECONDS, 'NANOSECOND'],
  [K.DOW, 'DOW'],
  [K.DOY, 'DOY'],
  [K.EPOCH, 'EPOCH'],
]
const UNIT_BY_TOKEN = new Map(UNIT_TOKENS)
/** Units an interval literal or type may be written in. */
const INTERVAL_UNITS: ReadonlySet<A.TimeUnit> = new Set(['YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND'])

/** Simple type names (the upper-case word) and what they mean. */
const SIMPLE_TYPES: Readonly<Record<string, string>> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INT',
  INTEGER: 'INT',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DECIMAL: 'DECIMAL',
  DEC: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  CHAR: 'CHAR',
  CHARACTER: 'CHAR',
  VARCHAR: 'VARCHAR',
  STRING: 'STRING',
  BINARY: 'BINARY',
  VARBINARY: 'VARBINARY',
  BYTES: 'BYTES',
  DATE: 'DATE',
  TIME: 'TIME',
  TIMESTAMP: 'TIMESTAMP',
  TIMESTAMP_LTZ: 'TIMESTAMP_LTZ',
}

const numberKind = (text: string): 'integer' | 'decimal' | 'approx' => (/[eE]/.test(text) ? 'approx' : text.includes('.') ? 'decimal' : 'integer')

const identName = (t: IToken): string => (t.tokenType === L.QuotedIdentifier ? L.unquoteIdentifier(t.image) : t.image)

/** One element of an expression's flat list of operands and operators. */
type Item =
  | { readonly kind: 'operand'; readonly expr: A.Expr }
  | { readonly kind: 'prefix'; readonly op: 'NOT' | '-' | '+'; readonly pos: A.Pos }
  | { readonly kind: 'binary'; readonly op: A.BinaryOp | 'IS DISTINCT FROM' | 'IS NOT DISTINCT FROM'; readonly prec: number }
  | { readonly kind: 'postfix'; readonly prec: number; readonly apply: (e: A.Expr) => A.Expr }

const BINARY_OPS: ReadonlyMap<TokenType, A.BinaryOp> = new Map<TokenType, A.BinaryOp>([
  [K.OR, 'OR'],
  [K.AND, 'AND'],
  [L.Equals, '='],
  [L.NotEquals, '<>'],
  [L.Less, '<'],
  [L.LessEquals, '<='],
  [L.Greater, '>'],
  [L.GreaterEquals, '>='],
  [L.Plus, '+'],
  [L.Minus, '-'],
  [L.Star, '*'],
  [L.Slash, '/'],
  [L.Percent, '%'],
  [L.Concat, '||'],
])

/** Calcite's precedence of each binary operator (all left-associative). */
const BINARY_PRECEDENCE: Readonly<Record<A.BinaryOp, number>> = { OR: 22, AND: 24, '=': 30, '<>': 30, '<': 30, '<=': 30, '>': 30, '>=': 30, '+': 40, '-': 40, '*': 60, '/': 60, '%': 60, '||': 60 }
const PREFIX_PRECEDENCE = { NOT: 26, '-': 80, '+': 80 } as const

/** Groups a flat list of operands and operators by precedence (precedence climbing; binary operators are left-associative). */
const buildExpression = (items: readonly Item[]): A.Expr => {
  let i = 0
  const parse = (min: number): A.Expr => {
    const first = items[i++]!
    let left: A.Expr
    if (first.kind === 'prefix') {
      const operand = parse(PREFIX_PRECEDENCE[first.op])
      left = { type: 'unary', pos: first.pos, op: first.op, operand }
    } else left = (first as { expr: A.Expr }).expr
    while (i < items.length) {
      const item = items[i]!
      if (item.kind === 'postfix') {
        if (item.prec < min) break
        i++
        left = item.apply(left)
      } else if (item.kind === 'binary') {
        if (item.prec < min) break
        i++
        const right = parse(item.prec + 1)
        left =
          item.op === 'IS DISTINCT FROM' || item.op === 'IS NOT DISTINCT FROM'
            ? { type: 'isDistinctFrom', pos: left.pos, left, right, negated: item.op === 'IS NOT DISTINCT FROM' }
            : { type: 'binary', pos: left.pos, op: item.op, left, right }
      } else break
    }
    return left
  }
  return parse(0)
}

/** Chevrotain's parser for Strom's SQL: one instance, reused for every parse. */
export class SqlParser extends EmbeddedActionsParser {
  private depth = 0
  /** The depth at which `IN` is not an operator (the needle of `POSITION(a IN b)`). */
  private noInDepth = -1

  constructor() {
    super(L.ALL_TOKENS as TokenType[], { maxLookahead: 2, recoveryEnabled: false, errorMessageProvider })
    this.performSelfAnalysis()
  }

  /** Counts one level of nesting; throws {@link NestingTooDeepError} past {@link MAX_NESTING}. */
  private enter(): void {
    if (this.RECORDING_PHASE) return
    this.depth++
    if (this.depth > MAX_NESTING) {
      const t = this.LA(1)
      throw new NestingTooDeepError(t.tokenType === EOF ? { line: 1, column: 1, offset: 0 } : pos(t))
    }
  }

  private leave(): void {
    if (!this.RECORDING_PHASE) this.depth--
  }

  /** Resets the per-parse state (called through `input`). */
  override reset(): void {
    super.reset()
    this.depth = 0
    this.noInDepth = -1
  }

  private tokens: readonly IToken[] = []
  private tokenIndex = new Map<IToken, number>()
  /** For each `(` token, the index of its matching `)` (-1 when it has none). */
  private matching = new Int32Array(0)

  /** Sets the tokens to parse (and indexes their parentheses for {@link queryAt}). */
  setTokens(tokens: IToken[]): void {
    this.input = tokens
    this.tokens = tokens
    this.tokenIndex = new Map()
    this.matching = new Int32Array(tokens.length).fill(-1)
    const open: number[] = []
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!
      this.tokenIndex.set(t, i)
      if (t.tokenType === L.LParen) open.push(i)
      else if (t.tokenType === L.RParen && open.length > 0) this.matching[open.pop()!] = i
    }
  }

  /** Whether the `(` at `LA(i)` opens a query (`(SELECT ...`, `((SELECT ...) UNION ...`, `(WITH ...`, `(VALUES ...`) rather than an expression or a join. */
  private queryAt(i: number): boolean {
    let open = this.tokenIndex.get(this.LA(i))
    if (open === undefined) return false
    const tokens = this.tokens
    for (let steps = 0; steps <= MAX_NESTING; steps++) {
      const next = tokens[open + 1]?.tokenType
      if (next === K.SELECT || next === K.WITH || next === K.VALUES) return true
      if (next !== L.LParen) return false
      const close = this.matching[open + 1]!
      if (close < 0) return false
      const after = tokens[close + 1]?.tokenType
      if (after === K.UNION || after === K.INTERSECT || after === K.EXCEPT || after === K.ORDER || after === K.LIMIT || after === K.OFFSET || after === K.FETCH) return true
      if (after !== L.RParen) return false
      open++
    }
    return false
  }

  /** Whether a hint option `key = value` starts at `LA(1)` (the key may be dotted: `a.b = 'c'`). */
  private keyValueAhead(): boolean {
    let i = 1
    if (this.LA(1).tokenType === L.StringLiteral || this.LA(1).tokenType === L.NumberLiteral) i = 2
    else {
      i = 2
      while (this.LA(i).tokenType === L.Dot) i += 2
    }
    return this.LA(i).tokenType === L.Equals
  }

  // -------------------------------------------------------------------------------------------
  // Top-level entry points
  // -------------------------------------------------------------------------------------------

  /** A script: statements separated by `;`, empty ones skipped. */
  readonly statements = this.RULE('statements', (): A.Statement[] => {
    const out: A.Statement[] = []
    this.OPTION(() => out.push(this.SUBRULE(this.statement)))
    this.MANY(() => {
      this.CONSUME(L.Semicolon)
      this.OPTION2(() => out.push(this.SUBRULE2(this.statement)))
    })
    return out
  })

  /** Exactly one statement (used to find what may follow a statement's beginning). */
  readonly singleStatement = this.RULE('singleStatement', (): A.Statement => this.SUBRULE(this.statement))

  /** Exactly one query, optionally followed by `;`. */
  readonly singleQuery = this.RULE('singleQuery', (): A.Query => {
    const q = this.SUBRULE(this.queryExpr)
    this.OPTION(() => this.CONSUME(L.Semicolon))
    return q
  })

  /** Exactly one expression. */
  readonly singleExpression = this.RULE('singleExpression', (): A.Expr => this.SUBRULE(this.expression))

  /** Exactly one data type. */
  readonly singleType = this.RULE('singleType', (): A.TypeSyntax => this.SUBRULE(this.dataType))

  // -------------------------------------------------------------------------------------------
  // Statements
  // -------------------------------------------------------------------------------------------

  readonly statement = this.RULE('statement', (): A.Statement =>
    this.OR([
      { ALT: () => this.SUBRULE(this.queryStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      { ALT: () => this.SUBRULE(this.createStatement) },
      { ALT: () => this.SUBRULE(this.dropStatement) },
      { ALT: () => this.SUBRULE(this.showStatement) },
      { ALT: () => this.SUBRULE(this.describeStatement) },
      { ALT: () => this.SUBRULE(this.explainStatement) },
      { ALT: () => this.SUBRULE(this.setStatement) },
      { ALT: () => this.SUBRULE(this.resetStatement) },
      { ALT: () => this.SUBRULE(this.useStatement) },
      { ALT: () => this.SUBRULE(this.executeStatement) },
      { ALT: () => this.SUBRULE(this.beginStatementSet) },
    ]),
  )

  private readonly queryStatement = this.RULE('queryStatement', (): A.QueryStatement => {
    const q = this.SUBRULE(this.queryExpr)
    return this.ACTION(() => ({ type: 'query', pos: q.pos, query: q }))
  })

  private readonly insertStatement = this.RULE('insertStatement', (): A.InsertStatement => {
    const start = this.CONSUME(K.INSERT)
    const overwrite = this.OR([{ ALT: () => (this.CONSUME(K.INTO), false) }, { ALT: () => (this.CONSUME(K.OVERWRITE), true) }])
    const target = this.SUBRULE(this.qualifiedName)
    let hints: A.Hint[] | undefined
    this.OPTION(() => (hints = this.SUBRULE(this.hints)))
    let partition: { column: string; value: A.Literal }[] | undefined
    this.OPTION2(() => {
      this.CONSUME(K.PARTITION)
      this.CONSUME(L.LParen)
      partition = []
      this.AT_LEAST_ONE_SEP({
        SEP: L.Comma,
        DEF: () => {
          const column = this.SUBRULE(this.identifier)
          this.CONSUME(L.Equals)
          const value = this.SUBRULE(this.literal)
          partition!.push({ column, value })
        },
      })
      this.CONSUME(L.RParen)
    })
    let columns: string[] | undefined
    this.OPTION3(() => (columns = this.SUBRULE(this.parenIdentifiers)))
    const query = this.SUBRULE(this.queryExpr)
    return this.ACTION(() => ({
      type: 'insert',
      pos: pos(start),
      target,
      overwrite,
      ...(columns !== undefined && { columns }),
      ...(partition !== undefined && { partition }),
      query,
      ...(hints !== undefined && { hints }),
    }))
  })

  private readonly createStatement = this.RULE('createStatement', (): A.Statement => {
    const start = this.CONSUME(K.CREATE)
    let temporary = false
    let system = false
    this.OPTION(() => {
      this.CONSUME(K.TEMPORARY)
      temporary = true
      this.OPTION2(() => (this.CONSUME(K.SYSTEM), (system = true)))
    })
    const systemTok = this.LA(1)
    return this.OR([
      {
        ALT: () => {
          const rest = this.SUBRULE(this.createTableRest)
          return this.ACTION(() => {
            if (system) throw new SyntaxRuleError('SYSTEM applies to functions only: write CREATE TEMPORARY TABLE.', pos(systemTok))
            return { ...rest, pos: pos(start), temporary }
          })
        },
      },
      {
        ALT: () => {
          const rest = this.SUBRULE(this.createViewRest)
          return this.ACTION(() => {
            if (system) throw new SyntaxRuleError('SYSTEM applies to functions only: write CREATE TEMPORARY VIEW.', pos(systemTok))
            return { ...rest, pos: pos(start), temporary }
          })
        },
      },
      {
        ALT: () => {
          const rest = this.SUBRULE(this.createFunctionRest)
          return this.ACTION(() => ({ ...rest, pos: pos(start), temporary, system }))
        },
      },
    ])
  })

  private readonly ifNotExists = this.RULE('ifNotExists', (): boolean => {
    let present = false
    this.OPTION(() => {
      this.CONSUME(K.IF)
      this.CONSUME(K.NOT)
      this.CONSUME(K.EXISTS)
      present = true
    })
    return present
  })

  private readonly ifExists = this.RULE('ifExists', (): boolean => {
    let present = false
    this.OPTION(() => {
      this.CONSUME(K.IF)
      this.CONSUME(K.EXISTS)
      present = true
    })
    return present
  })

  private readonly createTableRest = this.RULE('createTableRest', (): Omit<A.CreateTableStatement, 'pos' | 'temporary'> => {
    this.CONSUME(K.TABLE)
    const ifNotExists = this.SUBRULE(this.ifNotExists)
    const name = this.SUBRULE(this.qualifiedName)
    const elements: TableElement[] = []
    this.OPTION(() => {
      this.CONSUME(L.LParen)
      this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => elements.push(this.SUBRULE(this.tableElement)) })
      this.CONSUME(L.RParen)
    })
    let comment: string | undefined
    this.OPTION2(() => (comment = this.SUBRULE(this.commentClause)))
    let partitionedBy: string[] | undefined
    this.OPTION3(() => {
      this.CONSUME(K.PARTITIONED)
      this.CONSUME(K.BY)
      partitionedBy = this.SUBRULE(this.parenIdentifiers)
    })
    let options: { pos: A.Pos; key: string; value: string }[] = []
    this.OPTION4(() => {
      this.CONSUME(K.WITH)
      options = this.SUBRULE(this.tableOptions)
    })
    let like: A.QualifiedName | undefined
    let likeOptions: A.LikeOption[] | undefined
    this.OPTION5(() => {
      this.CONSUME(K.LIKE)
      like = this.SUBRULE2(this.qualifiedName)
      this.OPTION6(() => {
        this.CONSUME2(L.LParen)
        likeOptions = []
        this.MANY(() => likeOptions!.push(this.SUBRULE(this.likeOption)))
        this.CONSUME2(L.RParen)
      })
    })
    let asQuery: A.Query | undefined
    this.OPTION7(() => {
      this.CONSUME(K.AS)
      asQuery = this.SUBRULE(this.queryExpr)
    })
    return this.ACTION(() => {
      const columns: A.ColumnDef[] = []
      let watermark: A.CreateTableStatement['watermark']
      let primaryKey: A.CreateTableStatement['primaryKey']
      for (const e of elements) {
        if (e.el === 'column') {
          columns.push(e.column)
          if (e.primaryKey !== undefined) {
            if (primaryKey !== undefined) throw new SyntaxRuleError('Duplicate primary key definition.', e.primaryKey.pos)
            primaryKey = { pos: e.primaryKey.pos, columns: [e.column.name], enforced: e.primaryKey.enforced }
          }
        } else if (e.el === 'watermark') {
          if (watermark !== undefined) throw new SyntaxRuleError('Duplicate watermark definition: a table has at most one WATERMARK.', e.watermark.pos)
          watermark = e.watermark
        } else {
          if (primaryKey !== undefined) throw new SyntaxRuleError('Duplicate primary key definition.', e.primaryKey.pos)
          primaryKey = e.primaryKey
        }
      }
      return {
        type: 'createTable' as const,
        name,
        ifNotExists,
        columns,
        ...(watermark !== undefined && { watermark }),
        ...(primaryKey !== undefined && { primaryKey }),
        ...(partitionedBy !== undefined && { partitionedBy }),
        ...(comment !== undefined && { comment }),
        options,
        ...(like !== undefined && { like }),
        ...(likeOptions !== undefined && { likeOptions }),
        ...(asQuery !== undefined && { asQuery }),
      }
    })
  })

  private readonly likeOption = this.RULE('likeOption', (): A.LikeOption => {
    const strategy = this.OR([
      { ALT: () => (this.CONSUME(K.INCLUDING), 'INCLUDING' as const) },
      { ALT: () => (this.CONSUME(K.EXCLUDING), 'EXCLUDING' as const) },
      { ALT: () => (this.CONSUME(K.OVERWRITING), 'OVERWRITING' as const) },
    ])
    const feature = this.OR2([
      { ALT: () => (this.CONSUME(K.ALL), 'ALL' as const) },
      { ALT: () => (this.CONSUME(K.CONSTRAINTS), 'CONSTRAINTS' as const) },
      { ALT: () => (this.CONSUME(K.PARTITIONS), 'PARTITIONS' as const) },
      { ALT: () => (this.CONSUME(K.WATERMARKS), 'WATERMARKS' as const) },
      { ALT: () => (this.CONSUME(K.GENERATED), 'GENERATED' as const) },
      { ALT: () => (this.CONSUME(K.OPTIONS), 'OPTIONS' as const) },
      { ALT: () => (this.CONSUME(K.METADATA), 'METADATA' as const) },
    ])
    return { strategy, feature }
  })

  private readonly tableOptions = this.RULE('tableOptions', (): { pos: A.Pos; key: string; value: string }[] => {
    const out: { pos: A.Pos; key: string; value: string }[] = []
    this.CONSUME(L.LParen)
    this.MANY_SEP({
      SEP: L.Comma,
      DEF: () => {
        const k = this.CONSUME(L.StringLiteral)
        this.CONSUME(L.Equals)
        const v = this.CONSUME2(L.StringLiteral)
        out.push({ pos: pos(k), key: L.unquoteString(k.image), value: L.unquoteString(v.image) })
      },
    })
    this.CONSUME(L.RParen)
    return out
  })

  private readonly commentClause = this.RULE('commentClause', (): string => {
    this.CONSUME(K.COMMENT)
    return L.unquoteString(this.CONSUME(L.StringLiteral).image)
  })

  private readonly tableElement = this.RULE('tableElement', (): TableElement =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.LA(2).tokenType === K.FOR,
          ALT: () => {
            const start = this.CONSUME(K.WATERMARK)
            this.CONSUME(K.FOR)
            const column = this.SUBRULE(this.identifier)
            this.CONSUME(K.AS)
            const expr = this.SUBRULE(this.expression)
            return { el: 'watermark' as const, watermark: { pos: pos(start), column, expr } }
          },
        },
        {
          GATE: () => (this.LA(1).tokenType === K.PRIMARY && this.LA(2).tokenType === K.KEY) || (this.LA(1).tokenType === K.CONSTRAINT && this.LA(3).tokenType === K.PRIMARY),
          ALT: () => {
            let start: IToken | undefined
            this.OPTION(() => {
              start = this.CONSUME(K.CONSTRAINT)
              this.SUBRULE2(this.identifier)
            })
            const pk = this.CONSUME(K.PRIMARY)
            this.CONSUME(K.KEY)
            const columns = this.SUBRULE(this.parenIdentifiers)
            const enforced = this.SUBRULE(this.enforcement)
            return { el: 'primaryKey' as const, primaryKey: { pos: pos(start ?? pk), columns, enforced } }
          },
        },
        { ALT: () => this.SUBRULE(this.columnDef) },
      ],
    }),
  )

  private readonly enforcement = this.RULE('enforcement', (): boolean => {
    let enforced = true
    this.OPTION(() => (this.CONSUME(K.NOT), (enforced = false)))
    this.CONSUME(K.ENFORCED)
    return enforced
  })

  private readonly columnDef = this.RULE('columnDef', (): TableElement => {
    const nameTok = this.LA(1)
    const name = this.SUBRULE(this.identifier)
    return this.OR([
      {
        ALT: () => {
          this.CONSUME(K.AS)
          const expr = this.SUBRULE(this.expression)
          let comment: string | undefined
          this.OPTION(() => (comment = this.SUBRULE(this.commentClause)))
          return this.ACTION(() => ({ el: 'column' as const, column: { kind: 'computed' as const, pos: pos(nameTok), name, expr, ...(comment !== undefined && { comment }) } }))
        },
      },
      {
        ALT: () => {
          const dataType = this.SUBRULE(this.dataType)
          let metadata: { key?: string; virtual: boolean } | undefined
          this.OPTION2(() => {
            this.CONSUME(K.METADATA)
            metadata = { virtual: false }
            this.OPTION3(() => {
              this.CONSUME(K.FROM)
              // Flink's grammar wants a string; its documentation also writes a back-quoted name
              const key = this.OR3([{ ALT: () => L.unquoteString(this.CONSUME(L.StringLiteral).image) }, { ALT: () => this.SUBRULE3(this.identifier) }])
              this.ACTION(() => (metadata!.key = key))
            })
            this.OPTION4(() => (this.CONSUME(K.VIRTUAL), (metadata!.virtual = true)))
          })
          let comment: string | undefined
          let primaryKey: { pos: A.Pos; enforced: boolean } | undefined
          this.MANY(() =>
            this.OR2([
              { ALT: () => (comment = this.SUBRULE2(this.commentClause)) },
              {
                ALT: () => {
                  let start: IToken | undefined
                  this.OPTION5(() => {
                    start = this.CONSUME(K.CONSTRAINT)
                    this.SUBRULE2(this.identifier)
                  })
                  const pk = this.CONSUME(K.PRIMARY)
                  this.CONSUME(K.KEY)
                  const enforced = this.SUBRULE(this.enforcement)
                  primaryKey = { pos: pos(start ?? pk), enforced }
                },
              },
            ]),
          )
          return this.ACTION(() => {
            const c = { pos: pos(nameTok), name, dataType, ...(comment !== undefined && { comment }) }
            const column: A.ColumnDef =
              metadata !== undefined ? { kind: 'metadata', ...c, ...(metadata.key !== undefined && { key: metadata.key }), virtual: metadata.virtual } : { kind: 'physical', ...c }
            return { el: 'column' as const, column, ...(primaryKey !== undefined && { primaryKey }) }
          })
        },
      },
    ])
  })

  private readonly createViewRest = this.RULE('createViewRest', (): Omit<A.CreateViewStatement, 'pos' | 'temporary'> => {
    this.CONSUME(K.VIEW)
    const ifNotExists = this.SUBRULE(this.ifNotExists)
    const name = this.SUBRULE(this.qualifiedName)
    let columns: string[] | undefined
    this.OPTION(() => (columns = this.SUBRULE(this.parenIdentifiers)))
    let comment: string | undefined
    this.OPTION2(() => (comment = this.SUBRULE(this.commentClause)))
    this.CONSUME(K.AS)
    const query = this.SUBRULE(this.queryExpr)
    return { type: 'createView', name, ifNotExists, ...(columns !== undefined && { columns }), ...(comment !== undefined && { comment }), query }
  })

  private readonly createFunctionRest = this.RULE('createFunctionRest', (): Omit<A.CreateFunctionStatement, 'pos' | 'temporary' | 'system'> => {
    this.CONSUME(K.FUNCTION)
    const ifNotExists = this.SUBRULE(this.ifNotExists)
    const name = this.SUBRULE(this.qualifiedName)
    this.CONSUME(K.AS)
    const identifier = L.unquoteString(this.CONSUME(L.StringLiteral).image)
    let language: string | undefined
    this.OPTION(() => {
      this.CONSUME(K.LANGUAGE)
      const lang = this.SUBRULE(this.identifier)
      language = this.ACTION(() => lang.toUpperCase())
    })
    return { type: 'createFunction', name, ifNotExists, identifier, ...(language !== undefined && { language }) }
  })

  private readonly dropStatement = this.RULE('dropStatement', (): A.DropStatement => {
    const start = this.CONSUME(K.DROP)
    let temporary = false
    let system = false
    this.OPTION(() => {
      this.CONSUME(K.TEMPORARY)
      temporary = true
      this.OPTION2(() => (this.CONSUME(K.SYSTEM), (system = true)))
    })
    const objTok = this.LA(1)
    const objectType = this.OR([
      { ALT: () => (this.CONSUME(K.TABLE), 'TABLE' as const) },
      { ALT: () => (this.CONSUME(K.VIEW), 'VIEW' as const) },
      { ALT: () => (this.CONSUME(K.FUNCTION), 'FUNCTION' as const) },
    ])
    const ifExists = this.SUBRULE(this.ifExists)
    const name = this.SUBRULE(this.qualifiedName)
    return this.ACTION(() => {
      if (system && objectType !== 'FUNCTION') throw new SyntaxRuleError('SYSTEM applies to functions only.', pos(objTok))
      return { type: 'drop', pos: pos(start), objectType, name, temporary, ifExists, ...(system && { system }) }
    })
  })

  private readonly showStatement = this.RULE('showStatement', (): A.ShowStatement => {
    const start = this.CONSUME(K.SHOW)
    const rest = this.OR([
      {
        ALT: () => {
          this.CONSUME(K.TABLES)
          let name: A.QualifiedName | undefined
          this.OPTION(() => {
            this.OR2([{ ALT: () => this.CONSUME(K.FROM) }, { ALT: () => this.CONSUME(K.IN) }])
            name = this.SUBRULE(this.qualifiedName)
          })
          let like: string | undefined
          this.OPTION2(() => {
            this.CONSUME(K.LIKE)
            like = L.unquoteString(this.CONSUME(L.StringLiteral).image)
          })
          return { what: 'TABLES' as const, ...(name !== undefined && { name }), ...(like !== undefined && { like }) }
        },
      },
      { ALT: () => (this.CONSUME(K.VIEWS), { what: 'VIEWS' as const }) },
      { ALT: () => (this.CONSUME(K.FUNCTIONS), { what: 'FUNCTIONS' as const }) },
      { ALT: () => (this.CONSUME(K.CATALOGS), { what: 'CATALOGS' as const }) },
      { ALT: () => (this.CONSUME(K.DATABASES), { what: 'DATABASES' as const }) },
      { ALT: () => (this.CONSUME(K.JOBS), { what: 'JOBS' as const }) },
      {
        ALT: () => {
          this.CONSUME(K.CREATE)
          const what = this.OR3([{ ALT: () => (this.CONSUME(K.TABLE), 'CREATE_TABLE' as const) }, { ALT: () => (this.CONSUME(K.VIEW), 'CREATE_VIEW' as const) }])
          const name = this.SUBRULE2(this.qualifiedName)
          return { what, name }
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.COLUMNS)
          this.OR4([{ ALT: () => this.CONSUME2(K.FROM) }, { ALT: () => this.CONSUME2(K.IN) }])
          const name = this.SUBRULE3(this.qualifiedName)
          let like: string | undefined
          this.OPTION3(() => {
            this.CONSUME2(K.LIKE)
            like = L.unquoteString(this.CONSUME2(L.StringLiteral).image)
          })
          return { what: 'COLUMNS' as const, name, ...(like !== undefined && { like }) }
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.CURRENT)
          return this.OR5([
            { ALT: () => (this.CONSUME(K.CATALOG), { what: 'CURRENT_CATALOG' as const }) },
            { ALT: () => (this.CONSUME(K.DATABASE), { what: 'CURRENT_DATABASE' as const }) },
          ])
        },
      },
    ])
    return this.ACTION(() => ({ type: 'show', pos: pos(start), ...rest }))
  })

  private readonly describeStatement = this.RULE('describeStatement', (): A.DescribeStatement => {
    const start = this.OR([{ ALT: () => this.CONSUME(K.DESCRIBE) }, { ALT: () => this.CONSUME(K.DESC) }])
    this.OPTION(() => this.CONSUME(K.EXTENDED))
    const name = this.SUBRULE(this.qualifiedName)
    return this.ACTION(() => ({ type: 'describe', pos: pos(start), name }))
  })

  private readonly explainStatement = this.RULE('explainStatement', (): A.ExplainStatement => {
    const start = this.CONSUME(K.EXPLAIN)
    const details: string[] = []
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.PLAN)
            this.CONSUME(K.FOR)
          },
        },
        {
          ALT: () => {
            this.AT_LEAST_ONE_SEP({
              SEP: L.Comma,
              DEF: () =>
                this.OR2([
                  { ALT: () => details.push(this.CONSUME(K.ESTIMATED_COST).image.toUpperCase()) },
                  { ALT: () => details.push(this.CONSUME(K.CHANGELOG_MODE).image.toUpperCase()) },
                  { ALT: () => details.push(this.CONSUME(K.JSON_EXECUTION_PLAN).image.toUpperCase()) },
                  { ALT: () => details.push(this.CONSUME(K.PLAN_ADVICE).image.toUpperCase()) },
                ]),
            })
          },
        },
      ]),
    )
    const statement = this.OR3([
      { ALT: () => this.SUBRULE(this.queryStatement) },
      { ALT: () => this.SUBRULE(this.insertStatement) },
      {
        ALT: () => {
          let execute: IToken | undefined
          this.OPTION2(() => (execute = this.CONSUME(K.EXECUTE)))
          const set = this.SUBRULE(this.statementSetBody)
          return this.ACTION(() => ({ ...set, pos: execute !== undefined ? pos(execute) : set.pos }))
        },
      },
    ])
    return this.ACTION(() => ({ type: 'explain', pos: pos(start), details, statement }))
  })

  /** `STATEMENT SET BEGIN insert; ... END`. */
  private readonly statementSetBody = this.RULE('statementSetBody', (): A.StatementSetStatement => {
    const start = this.CONSUME(K.STATEMENT)
    this.CONSUME(K.SET)
    this.CONSUME(K.BEGIN)
    const inserts: A.InsertStatement[] = []
    this.MANY(() => {
      inserts.push(this.SUBRULE(this.insertStatement))
      this.CONSUME(L.Semicolon)
    })
    this.CONSUME(K.END)
    return this.ACTION(() => ({ type: 'statementSet', pos: pos(start), inserts }))
  })

  private readonly executeStatement = this.RULE('executeStatement', (): A.StatementSetStatement | A.InsertStatement => {
    const start = this.CONSUME(K.EXECUTE)
    return this.OR([
      {
        ALT: () => {
          const set = this.SUBRULE(this.statementSetBody)
          return this.ACTION(() => ({ ...set, pos: pos(start) }))
        },
      },
      { ALT: () => this.SUBRULE(this.insertStatement) },
    ])
  })

  /** `BEGIN STATEMENT SET; insert; ...; END` (the SQL client's form). */
  private readonly beginStatementSet = this.RULE('beginStatementSet', (): A.StatementSetStatement => {
    const start = this.CONSUME(K.BEGIN)
    this.CONSUME(K.STATEMENT)
    this.CONSUME(K.SET)
    this.CONSUME(L.Semicolon)
    const inserts: A.InsertStatement[] = []
    this.MANY(() => {
      inserts.push(this.SUBRULE(this.insertStatement))
      this.CONSUME2(L.Semicolon)
    })
    this.CONSUME(K.END)
    return this.ACTION(() => ({ type: 'statementSet', pos: pos(start), inserts }))
  })

  private readonly setStatement = this.RULE('setStatement', (): A.SetStatement => {
    const start = this.CONSUME(K.SET)
    let key: string | undefined
    let value: string | undefined
    this.OPTION(() => {
      key = L.unquoteString(this.CONSUME(L.StringLiteral).image)
      this.CONSUME(L.Equals)
      value = L.unquoteString(this.CONSUME2(L.StringLiteral).image)
    })
    return this.ACTION(() => ({ type: 'set', pos: pos(start), ...(key !== undefined && { key, value }) }))
  })

  private readonly resetStatement = this.RULE('resetStatement', (): A.ResetStatement => {
    const start = this.CONSUME(K.RESET)
    let key: string | undefined
    this.OPTION(() => (key = L.unquoteString(this.CONSUME(L.StringLiteral).image)))
    return this.ACTION(() => ({ type: 'reset', pos: pos(start), ...(key !== undefined && { key }) }))
  })

  private readonly useStatement = this.RULE('useStatement', (): A.UseStatement => {
    const start = this.CONSUME(K.USE)
    let catalog = false
    this.OPTION({ GATE: () => this.LA(2).tokenType !== L.Dot && this.LA(2).tokenType !== L.Semicolon && this.LA(2).tokenType !== EOF, DEF: () => (this.CONSUME(K.CATALOG), (catalog = true)) })
    const name = this.SUBRULE(this.qualifiedName)
    return this.ACTION(() => ({ type: 'use', pos: pos(start), catalog, name }))
  })

  // -------------------------------------------------------------------------------------------
  // Names and hints
  // -------------------------------------------------------------------------------------------

  /** An identifier: plain (case kept), back-quoted, or a non-reserved keyword (as written). */
  private readonly identifier = this.RULE('identifier', (): string => identName(this.CONSUME(L.Identifier)))

  private readonly identifierWithPos = this.RULE('identifierWithPos', (): { name: string; pos: A.Pos } => {
    const t = this.CONSUME(L.Identifier)
    return { name: identName(t), pos: pos(t) }
  })

  private readonly qualifiedName = this.RULE('qualifiedName', (): A.QualifiedName => {
    const first = this.CONSUME(L.Identifier)
    const parts = [identName(first)]
    this.MANY(() => {
      this.CONSUME(L.Dot)
      parts.push(this.SUBRULE(this.identifier))
    })
    return { pos: pos(first), parts }
  })

  private readonly parenIdentifiers = this.RULE('parenIdentifiers', (): string[] => {
    const out: string[] = []
    this.CONSUME(L.LParen)
    this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => out.push(this.SUBRULE(this.identifier)) })
    this.CONSUME(L.RParen)
    return out
  })

  /** `/*+ NAME, NAME(a, b), NAME('k' = 'v') *\/`. */
  private readonly hints = this.RULE('hints', (): A.Hint[] => {
    const out: A.Hint[] = []
    this.CONSUME(L.HintStart)
    this.AT_LEAST_ONE(() => {
      out.push(this.SUBRULE(this.hint))
      this.OPTION(() => this.CONSUME(L.Comma))
    })
    this.CONSUME(L.HintEnd)
    return out
  })

  private readonly hint = this.RULE('hint', (): A.Hint => {
    const nameTok = this.CONSUME(L.AnyWord)
    let options: string[] | Record<string, string> = []
    this.OPTION(() => {
      this.CONSUME(L.LParen)
      this.OPTION2(() => {
        options = this.OR({
          IGNORE_AMBIGUITIES: true,
          DEF: [
          {
            GATE: () => this.keyValueAhead(),
            ALT: () => {
              const kv: Record<string, string> = {}
              this.AT_LEAST_ONE_SEP({
                SEP: L.Comma,
                DEF: () => {
                  const k = this.SUBRULE(this.hintValue)
                  this.CONSUME(L.Equals)
                  const v = this.SUBRULE2(this.hintValue)
                  kv[k] = v
                },
              })
              return kv
            },
          },
          {
            ALT: () => {
              const list: string[] = []
              this.AT_LEAST_ONE_SEP2({ SEP: L.Comma, DEF: () => list.push(this.SUBRULE3(this.hintValue)) })
              return list
            },
          },
        ]})
      })
      this.CONSUME(L.RParen)
    })
    return this.ACTION(() => ({ pos: pos(nameTok), name: identName(nameTok), options }))
  })

  private readonly hintValue = this.RULE('hintValue', (): string =>
    this.OR([
      { ALT: () => L.unquoteString(this.CONSUME(L.StringLiteral).image) },
      { ALT: () => this.CONSUME(L.NumberLiteral).image },
      {
        ALT: () => {
          const parts = [identName(this.CONSUME(L.AnyWord))]
          this.MANY(() => {
            this.CONSUME(L.Dot)
            parts.push(identName(this.CONSUME2(L.AnyWord)))
          })
          return parts.join('.')
        },
      },
    ]),
  )

  // -------------------------------------------------------------------------------------------
  // Queries
  // -------------------------------------------------------------------------------------------

  /** `[WITH ...] setExpr [ORDER BY ...] [LIMIT ...] [OFFSET ...] [FETCH ...]`. */
  private readonly queryExpr = this.RULE('queryExpr', (): A.Query => {
    this.enter()
    let withTok: IToken | undefined
    const ctes: Mutable<A.WithQuery['ctes'][number]>[] = []
    this.OPTION(() => {
      withTok = this.CONSUME(K.WITH)
      this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => ctes.push(this.SUBRULE(this.cte)) })
    })
    const body = this.SUBRULE(this.setExpr)
    const tail = this.SUBRULE(this.queryTail)
    this.leave()
    return this.ACTION(() => {
      const q: A.Query = withTok !== undefined ? { type: 'with', pos: pos(withTok), ctes, body } : body
      return tail.orderBy === undefined && tail.limit === undefined && tail.offset === undefined ? q : { ...q, ...tail }
    })
  })

  private readonly cte = this.RULE('cte', (): A.WithQuery['ctes'][number] => {
    const name = this.SUBRULE(this.identifierWithPos)
    let columns: string[] | undefined
    this.OPTION(() => (columns = this.SUBRULE(this.parenIdentifiers)))
    this.CONSUME(K.AS)
    this.CONSUME(L.LParen)
    const query = this.SUBRULE(this.queryExpr)
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ pos: name.pos, name: name.name, ...(columns !== undefined && { columns }), query }))
  })

  private readonly queryTail = this.RULE('queryTail', (): Tail => {
    const tail: Tail = {}
    this.OPTION(() => {
      this.CONSUME(K.ORDER)
      this.CONSUME(K.BY)
      tail.orderBy = this.SUBRULE(this.orderItems)
    })
    this.OPTION2(() => {
      this.CONSUME(K.LIMIT)
      tail.limit = this.SUBRULE(this.expression)
    })
    this.OPTION3(() => {
      this.CONSUME(K.OFFSET)
      tail.offset = this.SUBRULE2(this.expression)
      this.OPTION4(() => this.OR([{ ALT: () => this.CONSUME(K.ROW) }, { ALT: () => this.CONSUME(K.ROWS) }]))
    })
    this.OPTION5(() => {
      const fetch = this.CONSUME(K.FETCH)
      this.OR2([{ ALT: () => this.CONSUME(K.FIRST) }, { ALT: () => this.CONSUME(K.NEXT) }])
      let count: A.Expr | undefined
      this.OPTION6({ GATE: () => this.LA(1).tokenType !== K.ROW && this.LA(1).tokenType !== K.ROWS, DEF: () => (count = this.SUBRULE3(this.expression)) })
      this.OR3([{ ALT: () => this.CONSUME2(K.ROW) }, { ALT: () => this.CONSUME2(K.ROWS) }])
      this.CONSUME(K.ONLY)
      this.ACTION(() => {
        if (tail.limit !== undefined) throw new SyntaxRuleError('A query cannot have both LIMIT and FETCH.', pos(fetch))
        tail.limit = count ?? { type: 'literal', pos: pos(fetch), kind: 'number', text: '1', numberKind: 'integer' }
      })
    })
    return tail
  })

  private readonly orderItems = this.RULE('orderItems', (): A.OrderItem[] => {
    const out: A.OrderItem[] = []
    this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => out.push(this.SUBRULE(this.orderItem)) })
    return out
  })

  private readonly orderItem = this.RULE('orderItem', (): A.OrderItem => {
    const expr = this.SUBRULE(this.expression)
    let direction: 'ASC' | 'DESC' = 'ASC'
    this.OPTION(() => (direction = this.OR([{ ALT: () => (this.CONSUME(K.ASC), 'ASC' as const) }, { ALT: () => (this.CONSUME(K.DESC), 'DESC' as const) }])))
    let nulls: 'FIRST' | 'LAST' | undefined
    this.OPTION2(() => {
      this.CONSUME(K.NULLS)
      nulls = this.OR2([{ ALT: () => (this.CONSUME(K.FIRST), 'FIRST' as const) }, { ALT: () => (this.CONSUME(K.LAST), 'LAST' as const) }])
    })
    return this.ACTION(() => ({ pos: expr.pos, expr, direction, ...(nulls !== undefined && { nulls }) }))
  })

  /** `a UNION b EXCEPT c` (left-associative; `INTERSECT` binds tighter). */
  private readonly setExpr = this.RULE('setExpr', (): A.Query => {
    let left = this.SUBRULE(this.intersectExpr)
    this.MANY(() => {
      const op = this.OR([{ ALT: () => (this.CONSUME(K.UNION), 'UNION' as const) }, { ALT: () => (this.CONSUME(K.EXCEPT), 'EXCEPT' as const) }])
      const all = this.SUBRULE(this.setQuantifier)
      const right = this.SUBRULE2(this.intersectExpr)
      left = this.ACTION(() => ({ type: 'setOp', pos: left.pos, op, all, left, right }))
    })
    return left
  })

  private readonly intersectExpr = this.RULE('intersectExpr', (): A.Query => {
    let left = this.SUBRULE(this.queryPrimary)
    this.MANY(() => {
      this.CONSUME(K.INTERSECT)
      const all = this.SUBRULE(this.setQuantifier)
      const right = this.SUBRULE2(this.queryPrimary)
      left = this.ACTION(() => ({ type: 'setOp', pos: left.pos, op: 'INTERSECT', all, left, right }))
    })
    return left
  })

  private readonly setQuantifier = this.RULE('setQuantifier', (): boolean => {
    let all = false
    this.OPTION(() => this.OR([{ ALT: () => (this.CONSUME(K.ALL), (all = true)) }, { ALT: () => this.CONSUME(K.DISTINCT) }]))
    return all
  })

  private readonly queryPrimary = this.RULE('queryPrimary', (): A.Query =>
    this.OR([
      { ALT: () => this.SUBRULE(this.selectQuery) },
      { ALT: () => this.SUBRULE(this.valuesQuery) },
      {
        ALT: () => {
          const open = this.CONSUME(L.LParen)
          const query = this.SUBRULE(this.queryExpr)
          this.CONSUME(L.RParen)
          return this.ACTION(() => ({ type: 'paren', pos: pos(open), query }))
        },
      },
    ]),
  )

  private readonly valuesQuery = this.RULE('valuesQuery', (): A.ValuesQuery => {
    const start = this.CONSUME(K.VALUES)
    const rows: A.Expr[][] = []
    this.AT_LEAST_ONE_SEP({
      SEP: L.Comma,
      DEF: () =>
        rows.push(
          this.OR({
            IGNORE_AMBIGUITIES: true,
            DEF: [
              {
                GATE: () => !this.queryAt(1),
                ALT: () => {
                  this.CONSUME(L.LParen)
                  const row = this.SUBRULE(this.expressionList)
                  this.CONSUME(L.RParen)
                  return row
                },
              },
              { ALT: () => [this.SUBRULE(this.expression)] },
            ],
          }),
        ),
    })
    return this.ACTION(() => ({ type: 'values', pos: pos(start), rows }))
  })

  private readonly selectQuery = this.RULE('selectQuery', (): A.SelectQuery => {
    const start = this.CONSUME(K.SELECT)
    let hints: A.Hint[] | undefined
    this.OPTION(() => (hints = this.SUBRULE(this.hints)))
    let distinct = false
    this.OPTION2(() => this.OR([{ ALT: () => this.CONSUME(K.ALL) }, { ALT: () => (this.CONSUME(K.DISTINCT), (distinct = true)) }]))
    const items: A.SelectItem[] = []
    this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => items.push(this.SUBRULE(this.selectItem)) })
    let from: A.TableRef | undefined
    this.OPTION3(() => {
      this.CONSUME(K.FROM)
      from = this.SUBRULE(this.fromClause)
    })
    let where: A.Expr | undefined
    this.OPTION4(() => {
      this.CONSUME(K.WHERE)
      where = this.SUBRULE(this.expression)
    })
    let groupBy: A.GroupingElement[] | undefined
    this.OPTION5(() => {
      this.CONSUME(K.GROUP)
      this.CONSUME(K.BY)
      groupBy = []
      this.AT_LEAST_ONE_SEP2({ SEP: L.Comma, DEF: () => groupBy!.push(this.SUBRULE(this.groupingElement)) })
    })
    let having: A.Expr | undefined
    this.OPTION6(() => {
      this.CONSUME(K.HAVING)
      having = this.SUBRULE2(this.expression)
    })
    let windows: { name: string; spec: A.WindowSpec }[] | undefined
    this.OPTION7(() => {
      this.CONSUME(K.WINDOW)
      windows = []
      this.AT_LEAST_ONE_SEP3({
        SEP: L.Comma,
        DEF: () => {
          const name = this.SUBRULE(this.identifier)
          this.CONSUME(K.AS)
          const spec = this.SUBRULE(this.windowSpec)
          windows!.push({ name, spec })
        },
      })
    })
    let qualify: A.Expr | undefined
    this.OPTION8(() => {
      this.CONSUME(K.QUALIFY)
      qualify = this.SUBRULE3(this.expression)
    })
    return this.ACTION(() => ({
      type: 'select',
      pos: pos(start),
      distinct,
      items,
      ...(from !== undefined && { from }),
      ...(where !== undefined && { where }),
      ...(groupBy !== undefined && { groupBy }),
      ...(having !== undefined && { having }),
      ...(windows !== undefined && { windows }),
      ...(qualify !== undefined && { qualify }),
      ...(hints !== undefined && { hints }),
    }))
  })

  private readonly selectItem = this.RULE('selectItem', (): A.SelectItem =>
    this.OR([
      { ALT: () => ({ type: 'star' as const, pos: pos(this.CONSUME(L.Star)) }) },
      {
        ALT: () => {
          const expr = this.SUBRULE(this.expression)
          let alias: string | undefined
          const aliasTok = this.LA(1)
          this.OPTION(() => {
            this.OPTION2(() => this.CONSUME(K.AS))
            alias = this.SUBRULE(this.identifier)
          })
          return this.ACTION((): A.SelectItem => {
            if (expr.type === 'star') {
              if (alias !== undefined) throw new SyntaxRuleError(`'${(expr.qualifier ?? []).join('.')}.*' cannot have an alias.`, pos(aliasTok))
              return expr
            }
            return { type: 'item', pos: expr.pos, expr, ...(alias !== undefined && { alias }) }
          })
        },
      },
    ]),
  )

  private readonly groupingElement = this.RULE('groupingElement', (): A.GroupingElement =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const start = this.CONSUME(K.GROUPING)
            this.CONSUME(K.SETS)
            this.CONSUME(L.LParen)
            const sets: A.Expr[][] = []
            this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => sets.push(this.SUBRULE(this.groupingSet)) })
            this.CONSUME(L.RParen)
            return this.ACTION(() => ({ type: 'groupingSets' as const, pos: pos(start), sets }))
          },
        },
        {
          ALT: () => {
            const start = this.OR2([{ ALT: () => this.CONSUME(K.ROLLUP) }, { ALT: () => this.CONSUME(K.CUBE) }])
            this.CONSUME2(L.LParen)
            const exprs = this.SUBRULE(this.expressionList)
            this.CONSUME2(L.RParen)
            return this.ACTION(() => ({ type: start.tokenType === K.ROLLUP ? ('rollup' as const) : ('cube' as const), pos: pos(start), exprs }))
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME3(L.LParen)
            this.CONSUME3(L.RParen)
            return this.ACTION(() => ({ type: 'groupingSets' as const, pos: pos(open), sets: [[]] }))
          },
        },
        {
          ALT: () => {
            const expr = this.SUBRULE(this.expression)
            return this.ACTION(() => ({ type: 'expr' as const, pos: expr.pos, expr }))
          },
        },
      ],
    }),
  )

  private readonly groupingSet = this.RULE('groupingSet', (): A.Expr[] =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => !this.queryAt(1),
          ALT: () => {
            this.CONSUME(L.LParen)
            let exprs: A.Expr[] = []
            this.OPTION(() => (exprs = this.SUBRULE(this.expressionList)))
            this.CONSUME(L.RParen)
            return exprs
          },
        },
        { ALT: () => [this.SUBRULE(this.expression)] },
      ],
    }),
  )

  // -------------------------------------------------------------------------------------------
  // FROM
  // -------------------------------------------------------------------------------------------

  /** `a, b JOIN c ON ...`: comma joins of join chains (JOIN binds tighter than the comma). */
  private readonly fromClause = this.RULE('fromClause', (): A.TableRef => {
    let left = this.SUBRULE(this.joinChain)
    this.MANY(() => {
      const comma = this.CONSUME(L.Comma)
      const right = this.SUBRULE2(this.joinChain)
      left = this.ACTION(() => ({ type: 'join', pos: left.pos ?? pos(comma), joinType: 'CROSS', left, right, comma: true }))
    })
    return left
  })

  private readonly joinChain = this.RULE('joinChain', (): A.TableRef => {
    let left = this.SUBRULE(this.tablePrimary)
    this.MANY(() => {
      const joinType = this.SUBRULE(this.joinOperator)
      const right = this.SUBRULE2(this.tablePrimary)
      let on: A.Expr | undefined
      let using: string[] | undefined
      this.OPTION(() =>
        this.OR([
          {
            ALT: () => {
              this.CONSUME(K.ON)
              on = this.SUBRULE(this.expression)
            },
          },
          {
            ALT: () => {
              this.CONSUME(K.USING)
              using = this.SUBRULE(this.parenIdentifiers)
            },
          },
        ]),
      )
      left = this.ACTION(() => ({ type: 'join', pos: left.pos, joinType, left, right, ...(on !== undefined && { on }), ...(using !== undefined && { using }) }))
    })
    return left
  })

  private readonly joinOperator = this.RULE('joinOperator', (): A.JoinType =>
    this.OR([
      { ALT: () => (this.CONSUME(K.CROSS), this.CONSUME(K.JOIN), 'CROSS' as const) },
      { ALT: () => (this.CONSUME(K.INNER), this.CONSUME2(K.JOIN), 'INNER' as const) },
      {
        ALT: () => {
          const t = this.OR2([
            { ALT: () => (this.CONSUME(K.LEFT), 'LEFT' as const) },
            { ALT: () => (this.CONSUME(K.RIGHT), 'RIGHT' as const) },
            { ALT: () => (this.CONSUME(K.FULL), 'FULL' as const) },
          ])
          this.OPTION(() => this.CONSUME(K.OUTER))
          this.CONSUME3(K.JOIN)
          return t
        },
      },
      { ALT: () => (this.CONSUME4(K.JOIN), 'INNER' as const) },
      {
        ALT: () => {
          const natural = this.CONSUME(K.NATURAL)
          return this.ACTION(() => {
            throw new SyntaxRuleError('NATURAL JOIN is not supported: name the join columns with USING (...) or write an ON condition.', pos(natural))
          })
        },
      },
    ]),
  )

  private readonly tablePrimary = this.RULE('tablePrimary', (): A.TableRef => {
    this.enter()
    const ref = this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.queryAt(1),
          ALT: () => {
            const open = this.CONSUME(L.LParen)
            const query = this.SUBRULE(this.queryExpr)
            this.CONSUME(L.RParen)
            const alias = this.SUBRULE(this.tableAlias)
            return this.ACTION((): A.TableRef => ({ type: 'subquery', pos: pos(open), query, lateral: false, ...alias }))
          },
        },
        {
          ALT: () => {
            this.CONSUME2(L.LParen)
            const inner = this.SUBRULE(this.fromClause)
            this.CONSUME2(L.RParen)
            return inner
          },
        },
        {
          ALT: () => {
            const lateral = this.CONSUME(K.LATERAL)
            return this.OR2([
              {
                ALT: () => {
                  this.CONSUME(K.TABLE)
                  const call = this.SUBRULE(this.tableFunctionCall)
                  const alias = this.SUBRULE2(this.tableAlias)
                  return this.ACTION((): A.TableRef => ({ type: 'tableFunction', pos: pos(lateral), call, lateral: true, ...alias }))
                },
              },
              {
                ALT: () => {
                  this.CONSUME3(L.LParen)
                  const query = this.SUBRULE2(this.queryExpr)
                  this.CONSUME3(L.RParen)
                  const alias = this.SUBRULE3(this.tableAlias)
                  return this.ACTION((): A.TableRef => ({ type: 'subquery', pos: pos(lateral), query, lateral: true, ...alias }))
                },
              },
            ])
          },
        },
        {
          ALT: () => {
            const start = this.CONSUME2(K.TABLE)
            const call = this.SUBRULE2(this.tableFunctionCall)
            const alias = this.SUBRULE4(this.tableAlias)
            return this.ACTION((): A.TableRef => ({ type: 'tableFunction', pos: pos(start), call, lateral: false, ...alias }))
          },
        },
        {
          ALT: () => {
            const start = this.CONSUME(K.UNNEST)
            this.CONSUME4(L.LParen)
            const exprs = this.SUBRULE(this.expressionList)
            this.CONSUME4(L.RParen)
            let withOrdinality = false
            this.OPTION(() => {
              this.CONSUME(K.WITH)
              this.CONSUME(K.ORDINALITY)
              withOrdinality = true
            })
            const alias = this.SUBRULE5(this.tableAlias)
            return this.ACTION((): A.TableRef => ({ type: 'unnest', pos: pos(start), exprs, withOrdinality, ...alias }))
          },
        },
        {
          ALT: () => {
            const name = this.SUBRULE(this.qualifiedName)
            const hints: A.Hint[] = []
            this.OPTION2(() => {
              const h = this.SUBRULE(this.hints)
              this.ACTION(() => hints.push(...h))
            })
            let asOf: A.Expr | undefined
            this.OPTION3(() => {
              this.CONSUME(K.FOR)
              this.CONSUME(K.SYSTEM_TIME)
              this.CONSUME(K.AS)
              this.CONSUME(K.OF)
              asOf = this.SUBRULE(this.expression)
            })
            this.OPTION4(() => {
              const h = this.SUBRULE2(this.hints)
              this.ACTION(() => hints.push(...h))
            })
            const alias = this.SUBRULE6(this.tableAlias)
            return this.ACTION(
              (): A.TableRef => ({
                type: 'table',
                pos: name.pos,
                name,
                ...(asOf !== undefined && { forSystemTimeAsOf: asOf }),
                ...(hints.length > 0 && { hints }),
                ...alias,
              }),
            )
          },
        },
      ],
    })
    this.leave()
    return ref
  })

  private readonly tableAlias = this.RULE('tableAlias', (): { alias?: string; columnAliases?: string[] } => {
    const out: { alias?: string; columnAliases?: string[] } = {}
    this.OPTION(() => {
      this.OPTION2(() => this.CONSUME(K.AS))
      out.alias = this.SUBRULE(this.identifier)
      this.OPTION3(() => (out.columnAliases = this.SUBRULE(this.parenIdentifiers)))
    })
    return out
  })

  /** The call inside `TABLE(...)`: a subquery argument is a table argument there. */
  private readonly tableFunctionCall = this.RULE('tableFunctionCall', (): A.FunctionCall => {
    this.CONSUME(L.LParen)
    const name = this.SUBRULE(this.qualifiedName)
    const args = this.SUBRULE(this.callArgs)
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({
      type: 'call',
      pos: name.pos,
      name,
      args: args.args.map((a) => (a.type === 'scalarSubquery' ? { type: 'tableArg', pos: a.pos, table: a.query } : a.type === 'namedArg' && a.value.type === 'scalarSubquery' ? { ...a, value: { type: 'tableArg', pos: a.value.pos, table: a.value.query } } : a)),
      distinct: args.distinct,
    }))
  })

  // -------------------------------------------------------------------------------------------
  // Expressions
  // -------------------------------------------------------------------------------------------

  /**
   * An expression: operands and operators read as a flat list, then grouped by precedence
   * (Calcite does the same), so that one level of parentheses costs few stack frames.
   */
  private readonly expression = this.RULE('expression', (): A.Expr => {
    this.enter()
    const items: Item[] = []
    this.SUBRULE(this.prefixOperators, { ARGS: [items, true] })
    items.push({ kind: 'operand', expr: this.SUBRULE(this.postfixExpr) })
    this.MANY({
      GATE: () => this.noInDepth !== this.depth || !(this.LA(1).tokenType === K.IN || (this.LA(1).tokenType === K.NOT && this.LA(2).tokenType === K.IN)),
      DEF: () =>
        this.OR([
          {
            ALT: () => {
              const op = this.SUBRULE(this.binaryOperator)
              items.push(op)
              this.SUBRULE2(this.prefixOperators, { ARGS: [items, true] })
              items.push({ kind: 'operand', expr: this.SUBRULE2(this.postfixExpr) })
            },
          },
          {
            ALT: () => {
              this.CONSUME(K.IS)
              let negated = false
              this.OPTION(() => (this.CONSUME(K.NOT), (negated = true)))
              this.OR2([
                {
                  ALT: () => {
                    this.CONSUME(K.DISTINCT)
                    this.CONSUME(K.FROM)
                    items.push({ kind: 'binary', op: negated ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', prec: 30 })
                    this.SUBRULE3(this.prefixOperators, { ARGS: [items, true] })
                    items.push({ kind: 'operand', expr: this.SUBRULE3(this.postfixExpr) })
                  },
                },
                {
                  ALT: () => {
                    const test = this.OR3([
                      { ALT: () => (this.CONSUME(K.NULL), 'NULL' as const) },
                      { ALT: () => (this.CONSUME(K.TRUE), 'TRUE' as const) },
                      { ALT: () => (this.CONSUME(K.FALSE), 'FALSE' as const) },
                      { ALT: () => (this.CONSUME(K.UNKNOWN), 'UNKNOWN' as const) },
                    ])
                    items.push({ kind: 'postfix', prec: 28, apply: (e) => ({ type: 'is', pos: e.pos, expr: e, test, negated }) })
                  },
                },
              ])
            },
          },
          {
            ALT: () => {
              let negated = false
              this.OPTION2(() => (this.CONSUME2(K.NOT), (negated = true)))
              items.push(this.SUBRULE(this.predicate, { ARGS: [negated] }))
            },
          },
        ]),
    })
    this.leave()
    return this.ACTION(() => buildExpression(items))
  })

  /** `NOT`, unary `-` and `+` before an operand (only `-`/`+` when `withNot` is false). */
  private readonly prefixOperators = this.RULE('prefixOperators', (items: Item[], withNot: boolean): void => {
    let count = 0
    this.MANY({
      GATE: () => withNot || this.LA(1).tokenType !== K.NOT,
      DEF: () => {
        const t = this.OR([{ ALT: () => this.CONSUME(K.NOT) }, { ALT: () => this.CONSUME(L.Minus) }, { ALT: () => this.CONSUME(L.Plus) }])
        this.ACTION(() => {
          if (++count > MAX_NESTING) throw new NestingTooDeepError(pos(t))
          items.push({ kind: 'prefix', op: t.tokenType === K.NOT ? 'NOT' : t.tokenType === L.Minus ? '-' : '+', pos: pos(t) })
        })
      },
    })
  })

  private readonly binaryOperator = this.RULE('binaryOperator', (): Item => {
    const t = this.OR([
      { ALT: () => this.CONSUME(K.OR) },
      { ALT: () => this.CONSUME(K.AND) },
      { ALT: () => this.CONSUME(L.Equals) },
      { ALT: () => this.CONSUME(L.NotEquals) },
      { ALT: () => this.CONSUME(L.Less) },
      { ALT: () => this.CONSUME(L.LessEquals) },
      { ALT: () => this.CONSUME(L.Greater) },
      { ALT: () => this.CONSUME(L.GreaterEquals) },
      { ALT: () => this.CONSUME(L.Plus) },
      { ALT: () => this.CONSUME(L.Minus) },
      { ALT: () => this.CONSUME(L.Star) },
      { ALT: () => this.CONSUME(L.Slash) },
      { ALT: () => this.CONSUME(L.Percent) },
      { ALT: () => this.CONSUME(L.Concat) },
    ])
    return this.ACTION(() => {
      const op = BINARY_OPS.get(t.tokenType)!
      return { kind: 'binary', op, prec: BINARY_PRECEDENCE[op] }
    })
  })

  /** `LIKE`, `SIMILAR TO`, `BETWEEN`, `IN` after their left operand (and after `NOT` when `negated`). */
  private readonly predicate = this.RULE('predicate', (negated: boolean): Item =>
    this.OR([
      {
        ALT: () => {
          const op = this.OR2([{ ALT: () => (this.CONSUME(K.LIKE), 'LIKE' as const) }, { ALT: () => (this.CONSUME(K.SIMILAR), this.CONSUME(K.TO), 'SIMILAR' as const) }])
          const pattern = this.SUBRULE(this.arithmetic)
          let escape: A.Expr | undefined
          this.OPTION(() => {
            this.CONSUME(K.ESCAPE)
            escape = this.SUBRULE2(this.arithmetic)
          })
          return { kind: 'postfix' as const, prec: 32, apply: (e: A.Expr): A.Expr => ({ type: 'like', pos: e.pos, op, expr: e, pattern, ...(escape !== undefined && { escape }), negated }) }
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.BETWEEN)
          let symmetric = false
          this.OPTION2(() => this.OR3([{ ALT: () => (this.CONSUME(K.SYMMETRIC), (symmetric = true)) }, { ALT: () => this.CONSUME(K.ASYMMETRIC) }]))
          const low = this.SUBRULE3(this.arithmetic)
          this.CONSUME(K.AND)
          const high = this.SUBRULE4(this.arithmetic)
          return { kind: 'postfix' as const, prec: 32, apply: (e: A.Expr): A.Expr => ({ type: 'between', pos: e.pos, expr: e, low, high, negated, symmetric }) }
        },
      },
      {
        ALT: () => {
          this.CONSUME(K.IN)
          return this.OR4({
            IGNORE_AMBIGUITIES: true,
            DEF: [
              {
                GATE: () => this.queryAt(1),
                ALT: () => {
                  this.CONSUME(L.LParen)
                  const query = this.SUBRULE(this.queryExpr)
                  this.CONSUME(L.RParen)
                  return { kind: 'postfix' as const, prec: 32, apply: (e: A.Expr): A.Expr => ({ type: 'inSubquery', pos: e.pos, expr: e, query, negated }) }
                },
              },
              {
                ALT: () => {
                  this.CONSUME2(L.LParen)
                  const list = this.SUBRULE(this.expressionList)
                  this.CONSUME2(L.RParen)
                  return { kind: 'postfix' as const, prec: 32, apply: (e: A.Expr): A.Expr => ({ type: 'inList', pos: e.pos, expr: e, list, negated }) }
                },
              },
            ],
          })
        },
      },
    ]),
  )

  /** An expression of arithmetic operators only (`+ - * / % ||`, unary `- +`): the operands of `BETWEEN`, `LIKE`, frame offsets. */
  private readonly arithmetic = this.RULE('arithmetic', (): A.Expr => {
    this.enter()
    const items: Item[] = []
    this.SUBRULE(this.prefixOperators, { ARGS: [items, false] })
    items.push({ kind: 'operand', expr: this.SUBRULE(this.postfixExpr) })
    this.MANY(() => {
      const t = this.OR([
        { ALT: () => this.CONSUME(L.Plus) },
        { ALT: () => this.CONSUME(L.Minus) },
        { ALT: () => this.CONSUME(L.Star) },
        { ALT: () => this.CONSUME(L.Slash) },
        { ALT: () => this.CONSUME(L.Percent) },
        { ALT: () => this.CONSUME(L.Concat) },
      ])
      this.ACTION(() => {
        const op = BINARY_OPS.get(t.tokenType)!
        items.push({ kind: 'binary', op, prec: BINARY_PRECEDENCE[op] })
      })
      this.SUBRULE2(this.prefixOperators, { ARGS: [items, false] })
      items.push({ kind: 'operand', expr: this.SUBRULE2(this.postfixExpr) })
    })
    this.leave()
    return this.ACTION(() => buildExpression(items))
  })

  private readonly expressionList = this.RULE('expressionList', (): A.Expr[] => {
    const out: A.Expr[] = []
    this.AT_LEAST_ONE_SEP({ SEP: L.Comma, DEF: () => out.push(this.SUBRULE(this.expression)) })
    return out
  })

  /** A primary followed by `[index]` and `.field`. */
  private readonly postfixExpr = this.RULE('postfixExpr', (): A.Expr => {
    let e = this.SUBRULE(this.primary)
    this.MANY(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(L.LBracket)
            const index = this.SUBRULE(this.expression)
            this.CONSUME(L.RBracket)
            e = this.ACTION(() => ({ type: 'item', pos: e.pos, expr: e, index }))
          },
        },
        {
          ALT: () => {
            this.CONSUME(L.Dot)
            const field = this.SUBRULE(this.identifier)
            e = this.ACTION(() => ({ type: 'field', pos: e.pos, expr: e, field }))
          },
        },
      ]),
    )
    return e
  })

  private readonly primary = this.RULE('primary', (): A.Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => this.SUBRULE(this.intervalLiteral) },
        { ALT: () => this.SUBRULE(this.typedLiteral) },
        { ALT: () => this.SUBRULE(this.caseExpr) },
        { ALT: () => this.SUBRULE(this.castExpr) },
        { ALT: () => this.SUBRULE(this.extractExpr) },
        { ALT: () => this.SUBRULE(this.floorCeilExpr) },
        { ALT: () => this.SUBRULE(this.timestampAddDiffExpr) },
        { ALT: () => this.SUBRULE(this.positionExpr) },
        { ALT: () => this.SUBRULE(this.trimExpr) },
        { ALT: () => this.SUBRULE(this.substringExpr) },
        { ALT: () => this.SUBRULE(this.overlayExpr) },
        { ALT: () => this.SUBRULE(this.existsExpr) },
        { ALT: () => this.SUBRULE(this.arrayConstructor) },
        { ALT: () => this.SUBRULE(this.mapConstructor) },
        { ALT: () => this.SUBRULE(this.rowConstructor) },
        { ALT: () => this.SUBRULE(this.descriptorExpr) },
        { ALT: () => this.SUBRULE(this.niladicCall) },
        { ALT: () => this.SUBRULE(this.parenthesized) },
        { ALT: () => this.SUBRULE(this.identifierOrCall) },
      ],
    }),
  )

  private readonly literal = this.RULE('literal', (): A.Literal =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(L.NumberLiteral)
          return { type: 'literal' as const, pos: pos(t), kind: 'number' as const, text: t.image, numberKind: numberKind(t.image) }
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.StringLiteral)
          return { type: 'literal' as const, pos: pos(t), kind: 'string' as const, value: L.unquoteString(t.image) }
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(L.BinaryLiteral)
          return this.ACTION(() => {
            const hex = t.image.slice(2, -1)
            if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new SyntaxRuleError('A binary literal needs an even number of hexadecimal digits.', pos(t))
            return { type: 'literal' as const, pos: pos(t), kind: 'binary' as const, hex: hex.toUpperCase() }
          })
        },
      },
      { ALT: () => ({ type: 'literal' as const, pos: pos(this.CONSUME(K.TRUE)), kind: 'boolean' as const, value: true }) },
      { ALT: () => ({ type: 'literal' as const, pos: pos(this.CONSUME(K.FALSE)), kind: 'boolean' as const, value: false }) },
      { ALT: () => ({ type: 'literal' as const, pos: pos(this.CONSUME(K.NULL)), kind: 'null' as const }) },
    ]),
  )

  private readonly intervalLiteral = this.RULE('intervalLiteral', (): A.Literal => {
    const start = this.CONSUME(K.INTERVAL)
    let negative = false
    this.OPTION(() => this.OR([{ ALT: () => (this.CONSUME(L.Minus), (negative = true)) }, { ALT: () => this.CONSUME(L.Plus) }]))
    const text = L.unquoteString(this.CONSUME(L.StringLiteral).image)
    const q = this.SUBRULE(this.intervalQualifier)
    return this.ACTION(() => ({ type: 'literal', pos: pos(start), kind: 'interval', text, negative, from: q.from, ...(q.to !== undefined && { to: q.to }) }))
  })

  /** `DAY`, `DAY(2) TO SECOND(3)`, `MINUTES` (plural units are accepted, as Flink does). */
  private readonly intervalQualifier = this.RULE('intervalQualifier', (): { from: A.TimeUnit; to?: A.TimeUnit } => {
    const fromTok = this.LA(1)
    const from = this.SUBRULE(this.timeUnit)
    this.OPTION(() => this.SUBRULE(this.unitPrecision))
    let to: A.TimeUnit | undefined
    let toTok: IToken | undefined
    this.OPTION2(() => {
      this.CONSUME(K.TO)
      toTok = this.LA(1)
      to = this.SUBRULE2(this.timeUnit)
      this.OPTION3(() => this.SUBRULE2(this.unitPrecision))
    })
    return this.ACTION(() => {
      if (!INTERVAL_UNITS.has(from)) throw new SyntaxRuleError(`${from} is not a unit of an interval.`, pos(fromTok))
      if (to !== undefined && !INTERVAL_UNITS.has(to)) throw new SyntaxRuleError(`${to} is not a unit of an interval.`, pos(toTok!))
      return { from, ...(to !== undefined && { to }) }
    })
  })

  private readonly unitPrecision = this.RULE('unitPrecision', (): void => {
    this.CONSUME(L.LParen)
    this.CONSUME(L.NumberLiteral)
    this.OPTION(() => {
      this.CONSUME(L.Comma)
      this.CONSUME2(L.NumberLiteral)
    })
    this.CONSUME(L.RParen)
  })

  private readonly timeUnit = this.RULE('timeUnit', (): A.TimeUnit => {
    const t = this.OR(UNIT_TOKENS.map(([tok]) => ({ ALT: () => this.CONSUME(tok) })))
    return UNIT_BY_TOKEN.get(t.tokenType) ?? 'SECOND'
  })

  private readonly typedLiteral = this.RULE('typedLiteral', (): A.Literal => {
    const start = this.LA(1)
    const kind = this.OR([
      { ALT: () => (this.CONSUME(K.DATE), 'date' as const) },
      { ALT: () => (this.CONSUME(K.TIME), 'time' as const) },
      {
        ALT: () => {
          this.CONSUME(K.TIMESTAMP)
          let ltz = false
          this.OPTION(() => {
            this.CONSUME(K.WITH)
            this.CONSUME(K.LOCAL)
            this.CONSUME2(K.TIME)
            this.CONSUME(K.ZONE)
            ltz = true
          })
          return ltz ? ('timestamp_ltz' as const) : ('timestamp' as const)
        },
      },
      { ALT: () => (this.CONSUME(K.TIMESTAMP_LTZ), 'timestamp_ltz' as const) },
    ])
    const text = L.unquoteString(this.CONSUME(L.StringLiteral).image)
    return this.ACTION(() => ({ type: 'literal', pos: pos(start), kind, text }))
  })

  private readonly caseExpr = this.RULE('caseExpr', (): A.CaseExpr => {
    const start = this.CONSUME(K.CASE)
    let operand: A.Expr | undefined
    this.OPTION(() => (operand = this.SUBRULE(this.expression)))
    const whens: { when: A.Expr; then: A.Expr }[] = []
    this.AT_LEAST_ONE(() => {
      this.CONSUME(K.WHEN)
      const when = this.SUBRULE2(this.expression)
      this.CONSUME(K.THEN)
      const then = this.SUBRULE3(this.expression)
      whens.push({ when, then })
    })
    let elseExpr: A.Expr | undefined
    this.OPTION2(() => {
      this.CONSUME(K.ELSE)
      elseExpr = this.SUBRULE4(this.expression)
    })
    this.CONSUME(K.END)
    return this.ACTION(() => ({ type: 'case', pos: pos(start), ...(operand !== undefined && { operand }), whens, ...(elseExpr !== undefined && { else: elseExpr }) }))
  })

  private readonly castExpr = this.RULE('castExpr', (): A.CastExpr => {
    const start = this.OR([{ ALT: () => this.CONSUME(K.CAST) }, { ALT: () => this.CONSUME(K.TRY_CAST) }])
    this.CONSUME(L.LParen)
    const expr = this.SUBRULE(this.expression)
    this.CONSUME(K.AS)
    const target = this.SUBRULE(this.dataType)
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'cast', pos: pos(start), expr, target, try: start.tokenType === K.TRY_CAST }))
  })

  private readonly extractExpr = this.RULE('extractExpr', (): A.ExtractExpr => {
    const start = this.CONSUME(K.EXTRACT)
    this.CONSUME(L.LParen)
    const unit = this.SUBRULE(this.timeUnit)
    this.CONSUME(K.FROM)
    const expr = this.SUBRULE(this.expression)
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'extract', pos: pos(start), unit, expr }))
  })

  private readonly floorCeilExpr = this.RULE('floorCeilExpr', (): A.Expr => {
    const start = this.OR([{ ALT: () => this.CONSUME(K.FLOOR) }, { ALT: () => this.CONSUME(K.CEIL) }, { ALT: () => this.CONSUME(K.CEILING) }])
    this.CONSUME(L.LParen)
    const expr = this.SUBRULE(this.expression)
    let unit: A.TimeUnit | undefined
    this.OPTION(() => {
      this.CONSUME(K.TO)
      unit = this.SUBRULE(this.timeUnit)
    })
    this.CONSUME(L.RParen)
    return this.ACTION((): A.Expr => {
      if (unit === undefined) return { type: 'call', pos: pos(start), name: { pos: pos(start), parts: [start.image] }, args: [expr], distinct: false }
      return { type: 'floorCeil', pos: pos(start), fn: start.tokenType === K.FLOOR ? 'FLOOR' : 'CEIL', expr, unit }
    })
  })

  private readonly timestampAddDiffExpr = this.RULE('timestampAddDiffExpr', (): A.TimestampAddDiffExpr => {
    const start = this.OR([{ ALT: () => this.CONSUME(K.TIMESTAMPADD) }, { ALT: () => this.CONSUME(K.TIMESTAMPDIFF) }])
    this.CONSUME(L.LParen)
    const unit = this.SUBRULE(this.timeUnit)
    this.CONSUME(L.Comma)
    const a = this.SUBRULE(this.expression)
    this.CONSUME2(L.Comma)
    const b = this.SUBRULE2(this.expression)
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'timestampAddDiff', pos: pos(start), fn: start.tokenType === K.TIMESTAMPADD ? 'TIMESTAMPADD' : 'TIMESTAMPDIFF', unit, args: [a, b] }))
  })

  private readonly positionExpr = this.RULE('positionExpr', (): A.Expr => {
    const start = this.CONSUME(K.POSITION)
    this.CONSUME(L.LParen)
    const saved = this.noInDepth
    this.noInDepth = this.depth + 1
    const needle = this.SUBRULE(this.expression)
    this.noInDepth = saved
    const result = this.OR([
      {
        ALT: () => {
          this.CONSUME(K.IN)
          const haystack = this.SUBRULE2(this.expression)
          return this.ACTION((): A.Expr => ({ type: 'position', pos: pos(start), needle, haystack }))
        },
      },
      {
        ALT: () => {
          const rest: A.Expr[] = []
          this.MANY(() => {
            this.CONSUME(L.Comma)
            rest.push(this.SUBRULE3(this.expression))
          })
          return this.ACTION((): A.Expr => ({ type: 'call', pos: pos(start), name: { pos: pos(start), parts: [start.image] }, args: [needle, ...rest], distinct: false }))
        },
      },
    ])
    this.CONSUME(L.RParen)
    return result
  })

  private readonly trimExpr = this.RULE('trimExpr', (): A.TrimExpr => {
    const start = this.CONSUME(K.TRIM)
    this.CONSUME(L.LParen)
    let side: 'BOTH' | 'LEADING' | 'TRAILING' = 'BOTH'
    this.OPTION(() => {
      side = this.OR([
        { ALT: () => (this.CONSUME(K.BOTH), 'BOTH' as const) },
        { ALT: () => (this.CONSUME(K.LEADING), 'LEADING' as const) },
        { ALT: () => (this.CONSUME(K.TRAILING), 'TRAILING' as const) },
      ])
    })
    const r = this.OR2<{ chars?: A.Expr; expr: A.Expr }>([
      {
        ALT: () => {
          this.CONSUME(K.FROM)
          return { expr: this.SUBRULE(this.expression) }
        },
      },
      {
        ALT: () => {
          const first = this.SUBRULE2(this.expression)
          let second: A.Expr | undefined
          this.OPTION2(() => {
            this.CONSUME2(K.FROM)
            second = this.SUBRULE3(this.expression)
          })
          return second === undefined ? { expr: first } : { chars: first, expr: second }
        },
      },
    ])
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'trim', pos: pos(start), side, ...(r.chars !== undefined && { chars: r.chars }), expr: r.expr }))
  })

  private readonly substringExpr = this.RULE('substringExpr', (): A.Expr => {
    const start = this.CONSUME(K.SUBSTRING)
    this.CONSUME(L.LParen)
    const expr = this.SUBRULE(this.expression)
    const result = this.OR([
      {
        ALT: () => {
          this.CONSUME(K.FROM)
          const from = this.SUBRULE2(this.expression)
          let forExpr: A.Expr | undefined
          this.OPTION(() => {
            this.CONSUME(K.FOR)
            forExpr = this.SUBRULE3(this.expression)
          })
          return this.ACTION((): A.Expr => ({ type: 'substring', pos: pos(start), expr, from, ...(forExpr !== undefined && { for: forExpr }) }))
        },
      },
      {
        ALT: () => {
          const rest: A.Expr[] = []
          this.MANY(() => {
            this.CONSUME(L.Comma)
            rest.push(this.SUBRULE4(this.expression))
          })
          return this.ACTION((): A.Expr => ({ type: 'call', pos: pos(start), name: { pos: pos(start), parts: [start.image] }, args: [expr, ...rest], distinct: false }))
        },
      },
    ])
    this.CONSUME(L.RParen)
    return result
  })

  private readonly overlayExpr = this.RULE('overlayExpr', (): A.OverlayExpr => {
    const start = this.CONSUME(K.OVERLAY)
    this.CONSUME(L.LParen)
    const expr = this.SUBRULE(this.expression)
    this.CONSUME(K.PLACING)
    const placing = this.SUBRULE2(this.expression)
    this.CONSUME(K.FROM)
    const from = this.SUBRULE3(this.expression)
    let forExpr: A.Expr | undefined
    this.OPTION(() => {
      this.CONSUME(K.FOR)
      forExpr = this.SUBRULE4(this.expression)
    })
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'overlay', pos: pos(start), expr, placing, from, ...(forExpr !== undefined && { for: forExpr }) }))
  })

  private readonly existsExpr = this.RULE('existsExpr', (): A.ExistsExpr => {
    const start = this.CONSUME(K.EXISTS)
    this.CONSUME(L.LParen)
    const query = this.SUBRULE(this.queryExpr)
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'exists', pos: pos(start), query }))
  })

  private readonly arrayConstructor = this.RULE('arrayConstructor', (): A.ArrayConstructor => {
    const start = this.CONSUME(K.ARRAY)
    this.CONSUME(L.LBracket)
    let elements: A.Expr[] = []
    this.OPTION(() => (elements = this.SUBRULE(this.expressionList)))
    this.CONSUME(L.RBracket)
    return this.ACTION(() => ({ type: 'array', pos: pos(start), elements }))
  })

  private readonly mapConstructor = this.RULE('mapConstructor', (): A.MapConstructor => {
    const start = this.CONSUME(K.MAP)
    this.CONSUME(L.LBracket)
    let elements: A.Expr[] = []
    this.OPTION(() => (elements = this.SUBRULE(this.expressionList)))
    const close = this.CONSUME(L.RBracket)
    return this.ACTION(() => {
      if (elements.length % 2 !== 0) throw new SyntaxRuleError('MAP[...] needs an even number of elements: key, value, key, value, ...', pos(close))
      const entries: { key: A.Expr; value: A.Expr }[] = []
      for (let i = 0; i < elements.length; i += 2) entries.push({ key: elements[i]!, value: elements[i + 1]! })
      return { type: 'map', pos: pos(start), entries }
    })
  })

  private readonly rowConstructor = this.RULE('rowConstructor', (): A.RowConstructor => {
    const start = this.CONSUME(K.ROW)
    this.CONSUME(L.LParen)
    let fields: A.Expr[] = []
    this.OPTION(() => (fields = this.SUBRULE(this.expressionList)))
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'row', pos: pos(start), fields }))
  })

  private readonly descriptorExpr = this.RULE('descriptorExpr', (): A.DescriptorExpr => {
    const start = this.CONSUME(K.DESCRIPTOR)
    const columns = this.SUBRULE(this.parenIdentifiers)
    return this.ACTION(() => ({ type: 'descriptor', pos: pos(start), columns }))
  })

  private readonly niladicCall = this.RULE('niladicCall', (): A.FunctionCall => {
    const t = this.OR([
      { ALT: () => this.CONSUME(K.CURRENT_TIMESTAMP) },
      { ALT: () => this.CONSUME(K.CURRENT_DATE) },
      { ALT: () => this.CONSUME(K.CURRENT_TIME) },
      { ALT: () => this.CONSUME(K.LOCALTIMESTAMP) },
      { ALT: () => this.CONSUME(K.LOCALTIME) },
      { ALT: () => this.CONSUME(K.CURRENT_ROW_TIMESTAMP) },
    ])
    let args: A.Expr[] | undefined
    this.OPTION(() => {
      this.CONSUME(L.LParen)
      args = []
      this.OPTION2(() => (args = this.SUBRULE(this.expressionList)))
      this.CONSUME(L.RParen)
    })
    return this.ACTION(() => ({ type: 'call', pos: pos(t), name: { pos: pos(t), parts: [t.image] }, args: args ?? [], distinct: false, ...(args === undefined && { noParens: true }) }))
  })

  /** `(SELECT ...)` (a scalar subquery), `(expr)`, or `(a, b)` (a row). */
  private readonly parenthesized = this.RULE('parenthesized', (): A.Expr =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          GATE: () => this.queryAt(1),
          ALT: () => {
            const open = this.CONSUME(L.LParen)
            const query = this.SUBRULE(this.queryExpr)
            this.CONSUME(L.RParen)
            return this.ACTION((): A.Expr => ({ type: 'scalarSubquery', pos: pos(open), query }))
          },
        },
        {
          ALT: () => {
            const open = this.CONSUME2(L.LParen)
            const list = this.SUBRULE(this.expressionList)
            this.CONSUME2(L.RParen)
            return this.ACTION((): A.Expr => (list.length === 1 ? { type: 'paren', pos: pos(open), expr: list[0]! } : { type: 'row', pos: pos(open), fields: list }))
          },
        },
      ],
    }),
  )

  /** `a`, `t.a`, `t.*`, `f(...)` with `WITHIN GROUP`, `FILTER` and `OVER`. */
  private readonly identifierOrCall = this.RULE('identifierOrCall', (): A.Expr => {
    const first = this.CONSUME(L.Identifier)
    const parts = [identName(first)]
    let star = false
    this.MANY({
      GATE: () => !star,
      DEF: () => {
        this.CONSUME(L.Dot)
        this.OR([{ ALT: () => parts.push(this.SUBRULE(this.identifier)) }, { ALT: () => (this.CONSUME(L.Star), (star = true)) }])
      },
    })
    let call: A.FunctionCall | undefined
    this.OPTION({
      GATE: () => !star,
      DEF: () => {
        const args = this.SUBRULE(this.callArgs)
        let withinGroup: A.OrderItem[] | undefined
        this.OPTION2(() => {
          this.CONSUME(K.WITHIN)
          this.CONSUME(K.GROUP)
          this.CONSUME(L.LParen)
          this.CONSUME(K.ORDER)
          this.CONSUME(K.BY)
          withinGroup = this.SUBRULE(this.orderItems)
          this.CONSUME(L.RParen)
        })
        let filter: A.Expr | undefined
        this.OPTION3(() => {
          this.CONSUME(K.FILTER)
          this.CONSUME2(L.LParen)
          this.CONSUME(K.WHERE)
          filter = this.SUBRULE(this.expression)
          this.CONSUME2(L.RParen)
        })
        let over: A.WindowSpec | A.WindowRef | undefined
        this.OPTION4(() => {
          this.CONSUME(K.OVER)
          over = this.OR2([
            {
              ALT: () => {
                const w = this.SUBRULE(this.identifierWithPos)
                return { type: 'windowRef' as const, pos: w.pos, name: w.name }
              },
            },
            { ALT: () => this.SUBRULE(this.windowSpec) },
          ])
        })
        call = this.ACTION(() => ({
          type: 'call',
          pos: pos(first),
          name: { pos: pos(first), parts },
          args: args.args,
          distinct: args.distinct,
          ...(filter !== undefined && { filter }),
          ...(over !== undefined && { over }),
          ...(withinGroup !== undefined && { withinGroup }),
        }))
      },
    })
    return this.ACTION((): A.Expr => {
      if (call !== undefined) return call
      if (star) return { type: 'star', pos: pos(first), qualifier: parts }
      return { type: 'identifier', pos: pos(first), parts }
    })
  })

  /** `(...)` of a call: `*`, `[DISTINCT|ALL] arg, ...`, named arguments `name => value`, `TABLE t [PARTITION BY ...]` (one rule, to keep nesting cheap on the stack). */
  private readonly callArgs = this.RULE('callArgs', (): { args: A.Expr[]; distinct: boolean } => {
    this.CONSUME(L.LParen)
    let distinct = false
    const args: A.Expr[] = []
    this.OPTION(() =>
      this.OR([
        { ALT: () => args.push({ type: 'star', pos: pos(this.CONSUME(L.Star)) }) },
        {
          ALT: () => {
            this.OPTION2(() => this.OR2([{ ALT: () => (this.CONSUME(K.DISTINCT), (distinct = true)) }, { ALT: () => this.CONSUME(K.ALL) }]))
            this.AT_LEAST_ONE_SEP({
              SEP: L.Comma,
              DEF: () =>
                this.OR3({
                  IGNORE_AMBIGUITIES: true,
                  DEF: [
                    {
                      ALT: () => {
                        const name = this.CONSUME(L.AnyWord)
                        this.CONSUME(L.Arrow)
                        const value = this.OR4([{ ALT: () => this.SUBRULE(this.tableArg) }, { ALT: () => this.SUBRULE(this.expression) }])
                        this.ACTION(() => args.push({ type: 'namedArg', pos: pos(name), name: identName(name), value }))
                      },
                    },
                    { ALT: () => args.push(this.SUBRULE2(this.tableArg)) },
                    { ALT: () => args.push(this.SUBRULE2(this.expression)) },
                  ],
                }),
            })
          },
        },
      ]),
    )
    this.CONSUME(L.RParen)
    return { args, distinct }
  })

  /** `TABLE t [PARTITION BY k | PARTITION BY (k1, k2)]`. */
  private readonly tableArg = this.RULE('tableArg', (): A.Expr => {
    const start = this.CONSUME(K.TABLE)
    const table = this.SUBRULE(this.qualifiedName)
    let key: A.Expr | undefined
    this.OPTION(() => {
      this.CONSUME(K.PARTITION)
      this.CONSUME(K.BY)
      key = this.SUBRULE(this.postfixExpr)
    })
    return this.ACTION((): A.Expr => {
      const partitionBy = key === undefined ? undefined : key.type === 'row' ? key.fields : [key]
      return { type: 'tableArg', pos: pos(start), table, ...(partitionBy !== undefined && { partitionBy }) }
    })
  })

  private readonly windowSpec = this.RULE('windowSpec', (): A.WindowSpec => {
    const open = this.CONSUME(L.LParen)
    let base: string | undefined
    this.OPTION(() => (base = this.SUBRULE(this.identifier)))
    let partitionBy: A.Expr[] = []
    this.OPTION2(() => {
      this.CONSUME(K.PARTITION)
      this.CONSUME(K.BY)
      partitionBy = this.SUBRULE(this.expressionList)
    })
    let orderBy: A.OrderItem[] = []
    this.OPTION3(() => {
      this.CONSUME(K.ORDER)
      this.CONSUME2(K.BY)
      orderBy = this.SUBRULE(this.orderItems)
    })
    let frame: A.WindowFrame | undefined
    this.OPTION4(() => (frame = this.SUBRULE(this.windowFrame)))
    this.CONSUME(L.RParen)
    return this.ACTION(() => ({ type: 'windowSpec', pos: pos(open), ...(base !== undefined && { base }), partitionBy, orderBy, ...(frame !== undefined && { frame }) }))
  })

  private readonly windowFrame = this.RULE('windowFrame', (): A.WindowFrame => {
    const unitTok = this.OR([{ ALT: () => this.CONSUME(K.ROWS) }, { ALT: () => this.CONSUME(K.RANGE) }])
    const bounds = this.OR2<{ start: A.FrameBound; end?: A.FrameBound }>([
      {
        ALT: () => {
          this.CONSUME(K.BETWEEN)
          const start = this.SUBRULE(this.frameBound)
          this.CONSUME(K.AND)
          const end = this.SUBRULE2(this.frameBound)
          return { start, end }
        },
      },
      { ALT: () => ({ start: this.SUBRULE3(this.frameBound) }) },
    ])
    return this.ACTION(() => ({ pos: pos(unitTok), unit: unitTok.tokenType === K.ROWS ? 'ROWS' : 'RANGE', start: bounds.start, ...(bounds.end !== undefined && { end: bounds.end }) }))
  })

  private readonly frameBound = this.RULE('frameBound', (): A.FrameBound =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(K.UNBOUNDED)
            return this.OR2([
              { ALT: () => (this.CONSUME(K.PRECEDING), { kind: 'UNBOUNDED_PRECEDING' as const }) },
              { ALT: () => (this.CONSUME(K.FOLLOWING), { kind: 'UNBOUNDED_FOLLOWING' as const }) },
            ])
          },
        },
        {
          ALT: () => {
            this.CONSUME(K.CURRENT)
            this.CONSUME(K.ROW)
            return { kind: 'CURRENT_ROW' as const }
          },
        },
        {
          ALT: () => {
            const offset = this.SUBRULE(this.arithmetic)
            const kind = this.OR3([{ ALT: () => (this.CONSUME2(K.PRECEDING), 'PRECEDING' as const) }, { ALT: () => (this.CONSUME2(K.FOLLOWING), 'FOLLOWING' as const) }])
            return { kind, offset }
          },
        },
      ],
    }),
  )

  // -------------------------------------------------------------------------------------------
  // Data types
  // -------------------------------------------------------------------------------------------

  /** A type with its `ARRAY`/`MULTISET` suffixes and `[NOT] NULL`. */
  private readonly dataType = this.RULE('dataType', (): A.TypeSyntax => {
    this.enter()
    let t = this.SUBRULE(this.baseType)
    let nullable = this.SUBRULE(this.nullability)
    this.MANY(() => {
      const suffix = this.OR([{ ALT: () => this.CONSUME(K.ARRAY) }, { ALT: () => this.CONSUME(K.MULTISET) }])
      const element = this.ACTION(() => ({ ...t, nullable }))
      t = this.ACTION(() => ({ kind: suffix.tokenType === K.ARRAY ? 'ARRAY' : 'MULTISET', pos: element.pos, nullable: true, element }) as A.TypeSyntax)
      nullable = this.SUBRULE2(this.nullability)
    })
    this.leave()
    return this.ACTION(() => ({ ...t, nullable }))
  })

  private readonly nullability = this.RULE('nullability', (): boolean => {
    let nullable = true
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(K.NOT)
            this.CONSUME(K.NULL)
            nullable = false
          },
        },
        { ALT: () => this.CONSUME2(K.NULL) },
      ]),
    )
    return nullable
  })

  private readonly typeParams = this.RULE('typeParams', (): number[] => {
    const out: number[] = []
    this.CONSUME(L.LParen)
    this.AT_LEAST_ONE_SEP({
      SEP: L.Comma,
      DEF: () => {
        const t = this.CONSUME(L.NumberLiteral)
        this.ACTION(() => {
          if (!/^\d+$/.test(t.image)) throw new SyntaxRuleError(`A type parameter must be a whole number, not ${t.image}.`, pos(t))
          out.push(Number(t.image))
        })
      },
    })
    this.CONSUME(L.RParen)
    return out
  })

  /** A type without suffixes; `nullable` is filled in by {@link dataType}. */
  private readonly baseType = this.RULE('baseType', (): A.TypeSyntax =>
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            const start = this.CONSUME(K.INTERVAL)
            const q = this.SUBRULE(this.intervalQualifier)
            return this.ACTION((): A.TypeSyntax => ({ kind: 'INTERVAL', pos: pos(start), nullable: true, from: q.from, ...(q.to !== undefined && { to: q.to }) }))
          },
        },
        {
          ALT: () => {
            const start = this.OR2([{ ALT: () => this.CONSUME(K.ARRAY) }, { ALT: () => this.CONSUME(K.MULTISET) }])
            this.CONSUME(L.Less)
            const element = this.SUBRULE(this.dataType)
            this.CONSUME(L.Greater)
            return this.ACTION((): A.TypeSyntax => ({ kind: start.tokenType === K.ARRAY ? 'ARRAY' : 'MULTISET', pos: pos(start), nullable: true, element }))
          },
        },
        {
          ALT: () => {
            const start = this.CONSUME(K.MAP)
            this.CONSUME2(L.Less)
            const key = this.SUBRULE2(this.dataType)
            this.CONSUME(L.Comma)
            const value = this.SUBRULE3(this.dataType)
            this.CONSUME2(L.Greater)
            return this.ACTION((): A.TypeSyntax => ({ kind: 'MAP', pos: pos(start), nullable: true, key, value }))
          },
        },
        {
          ALT: () => {
            const start = this.CONSUME(K.ROW)
            const fields = this.OR3([
              { ALT: () => (this.CONSUME(L.NotEquals), []) },
              {
                ALT: () => {
                  this.CONSUME3(L.Less)
                  const f = this.SUBRULE(this.rowFields)
                  this.CONSUME3(L.Greater)
                  return f
                },
              },
              {
                ALT: () => {
                  this.CONSUME(L.LParen)
                  const f = this.SUBRULE2(this.rowFields)
                  this.CONSUME(L.RParen)
                  return f
                },
              },
            ])
            return this.ACTION((): A.TypeSyntax => ({ kind: 'ROW', pos: pos(start), nullable: true, fields }))
          },
        },
        {
          ALT: () => {
            const start = this.CONSUME(K.TIMESTAMP)
            let precision: number | undefined
            this.OPTION(() => (precision = this.SUBRULE(this.typeParams)[0]))
            let ltz = false
            this.OPTION2(() =>
              this.OR4([
                {
                  ALT: () => {
                    this.CONSUME(K.WITH)
                    this.CONSUME(K.LOCAL)
                    this.CONSUME(K.TIME)
                    this.CONSUME(K.ZONE)
                    ltz = true
                  },
                },
                {
                  ALT: () => {
                    this.CONSUME(K.WITHOUT)
                    this.CONSUME2(K.TIME)
                    this.CONSUME2(K.ZONE)
                  },
                },
              ]),
            )
            return this.ACTION((): A.TypeSyntax => ({ kind: ltz ? 'TIMESTAMP_LTZ' : 'TIMESTAMP', pos: pos(start), nullable: true, ...(precision !== undefined && { precision }) }))
          },
        },
        {
          ALT: () => {
            const start = this.CONSUME3(K.TIME)
            let precision: number | undefined
            this.OPTION3(() => (precision = this.SUBRULE2(this.typeParams)[0]))
            this.OPTION4(() => {
              this.CONSUME2(K.WITHOUT)
              this.CONSUME4(K.TIME)
              this.CONSUME3(K.ZONE)
            })
            return this.ACTION((): A.TypeSyntax => ({ kind: 'TIME', pos: pos(start), nullable: true, ...(precision !== undefined && { precision }) }))
          },
        },
        {
          ALT: () => {
            const nameTok = this.CONSUME(L.Identifier)
            let second: IToken | undefined
            this.OPTION5(() => (second = this.OR5([{ ALT: () => this.CONSUME(K.PRECISION) }, { ALT: () => this.CONSUME(K.VARYING) }])))
            let params: number[] = []
            this.OPTION6(() => (params = this.SUBRULE3(this.typeParams)))
            return this.ACTION(() => typeFromName(nameTok, second, params))
          },
        },
      ],
    }),
  )

  private readonly rowFields = this.RULE('rowFields', (): { name: string; type: A.TypeSyntax; description?: string }[] => {
    const out: { name: string; type: A.TypeSyntax; description?: string }[] = []
    this.MANY_SEP({
      SEP: L.Comma,
      DEF: () => {
        const name = this.SUBRULE(this.identifier)
        const type = this.SUBRULE(this.dataType)
        let description: string | undefined
        this.OPTION(() => (description = L.unquoteString(this.CONSUME(L.StringLiteral).image)))
        out.push({ name, type, ...(description !== undefined && { description }) })
      },
    })
    return out
  })
}

const typeFromName = (nameTok: IToken, second: IToken | undefined, params: readonly number[]): A.TypeSyntax => {
  const written = identName(nameTok)
  const upper = written.toUpperCase()
  const p = pos(nameTok)
  const secondWord = second?.image.toUpperCase()
  let kind = nameTok.tokenType === L.QuotedIdentifier ? undefined : SIMPLE_TYPES[upper]
  if (secondWord === 'PRECISION') kind = upper === 'DOUBLE' ? 'DOUBLE' : undefined
  if (secondWord === 'VARYING') kind = kind === 'CHAR' ? 'VARCHAR' : kind === 'BINARY' ? 'VARBINARY' : undefined
  const fullName = second === undefined ? written : `${written} ${second.image}`
  if (kind === undefined) throw new SyntaxRuleError(`Unknown data type '${fullName}'.`, p, ['a data type'])
  const maxParams = kind === 'DECIMAL' ? 2 : ['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ'].includes(kind) ? 1 : 0
  if (params.length > maxParams) throw new SyntaxRuleError(maxParams === 0 ? `${fullName} takes no parameters.` : `${fullName} takes at most ${maxParams} parameter${maxParams > 1 ? 's' : ''}.`, p)
  switch (kind) {
    case 'STRING':
      return { kind: 'VARCHAR', pos: p, nullable: true }
    case 'BYTES':
      return { kind: 'VARBINARY', pos: p, nullable: true }
    case 'DECIMAL':
      return { kind: 'DECIMAL', pos: p, nullable: true, ...(params[0] !== undefined && { precision: params[0] }), ...(params[1] !== undefined && { scale: params[1] }) }
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      return { kind, pos: p, nullable: true, ...(params[0] !== undefined && { length: params[0] }) }
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return { kind, pos: p, nullable: true, ...(params[0] !== undefined && { precision: params[0] }) }
    default:
      return { kind: kind as 'BOOLEAN', pos: p, nullable: true }
  }
}

let instance: SqlParser | undefined

/** The shared parser instance (built on first use: building analyses the grammar once). */
export const sqlParser = (): SqlParser => (instance ??= new SqlParser())
