/**
 * Normalized SQL text of syntax trees, as `EXPLAIN` and error messages show them.
 *
 * @remarks
 * Keywords are upper case, identifiers keep their case and are back-quoted only when they must be
 * (a reserved keyword, a character that is not a letter, digit, `_` or `$`, or a word the parser
 * would otherwise read as special syntax), and parentheses are added only where precedence needs
 * them, besides those the tree keeps ({@link ParenExpr}, {@link ParenQuery}). Parsing the text
 * again gives the same tree, positions aside (and parentheses that precedence required, which
 * come back as `paren` nodes). One tree has no text of its own: an `IN` list whose only element
 * is a scalar subquery, `x IN ((SELECT ...))`, reads back as `IN` with a subquery (as in Calcite).
 *
 * @packageDocumentation
 */
import type * as A from './ast.js'
import { isPlainIdentifier } from './lexer.js'

/**
 * An identifier as SQL text: as it is when it can be written plain, back-quoted otherwise.
 *
 * @category SQL
 * @since 0.1.0
 */
export const quoteIdentifier = (name: string): string => (isPlainIdentifier(name) ? name : `\`${name.replace(/`/g, '``')}\``)

const quoteString = (s: string): string => `'${s.replace(/'/g, "''")}'`
const qname = (parts: readonly string[]): string => parts.map(quoteIdentifier).join('.')
const list = <T>(xs: readonly T[], f: (x: T) => string): string => xs.map(f).join(', ')

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/**
 * A data type as SQL text (`DECIMAL(10, 2) NOT NULL`, `ROW<a INT, b STRING>`).
 *
 * @category SQL
 * @since 0.1.0
 */
export const formatType = (t: A.TypeSyntax): string => {
  const suffix = t.nullable ? '' : ' NOT NULL'
  const p = (n: number | undefined): string => (n === undefined ? '' : `(${n})`)
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL${t.precision === undefined ? '' : t.scale === undefined ? `(${t.precision})` : `(${t.precision}, ${t.scale})`}${suffix}`
    case 'VARCHAR':
      return `${t.length === undefined ? 'STRING' : `VARCHAR(${t.length})`}${suffix}`
    case 'VARBINARY':
      return `${t.length === undefined ? 'BYTES' : `VARBINARY(${t.length})`}${suffix}`
    case 'CHAR':
    case 'BINARY':
      return `${t.kind}${p(t.length)}${suffix}`
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return `${t.kind}${p(t.precision)}${suffix}`
    case 'INTERVAL':
      return `INTERVAL ${t.from}${t.to === undefined ? '' : ` TO ${t.to}`}${suffix}`
    case 'ARRAY':
    case 'MULTISET':
      return `${t.kind}<${formatType(t.element)}>${suffix}`
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>${suffix}`
    case 'ROW':
      return `ROW<${list(t.fields, (f) => `${quoteIdentifier(f.name)} ${formatType(f.type)}${f.description === undefined ? '' : ` ${quoteString(f.description)}`}`)}>${suffix}`
    default:
      return `${t.kind}${suffix}`
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** Calcite's precedence of the operator at the top of `e` (100: a primary, never needs parentheses). */
const precedence = (e: A.Expr): number => {
  switch (e.type) {
    case 'binary':
      switch (e.op) {
        case 'OR':
          return 22
        case 'AND':
          return 24
        case '+':
        case '-':
          return 40
        case '*':
        case '/':
        case '%':
        case '||':
          return 60
        default:
          return 30
      }
    case 'unary':
      return e.op === 'NOT' ? 26 : 80
    case 'is':
      return 28
    case 'isDistinctFrom':
      return 30
    case 'like':
    case 'between':
    case 'inList':
    case 'inSubquery':
      return 32
    default:
      return 100
  }
}

/** `e` as text, in parentheses when its precedence is below `min`. */
const operand = (e: A.Expr, min: number): string => (precedence(e) < min ? `(${formatExpr(e)})` : formatExpr(e))

/** Function names the parser reads as special syntax when followed by `(`: written back-quoted when the call is a plain one. */
const SPECIAL_CALLS = new Set(['CAST', 'TRY_CAST', 'EXTRACT', 'TIMESTAMPADD', 'TIMESTAMPDIFF', 'TRIM', 'OVERLAY', 'ROW', 'DESCRIPTOR', 'FLOOR', 'CEIL', 'CEILING', 'POSITION', 'SUBSTRING'])
const NILADIC = new Set(['CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIMESTAMP', 'LOCALTIME', 'CURRENT_ROW_TIMESTAMP'])

const isPlainCall = (c: A.FunctionCall): boolean => !c.distinct && c.filter === undefined && c.over === undefined && c.withinGroup === undefined

const callName = (c: A.FunctionCall): string => {
  const parts = c.name.parts
  if (parts.length === 1) {
    const upper = parts[0]!.toUpperCase()
    if (NILADIC.has(upper)) return parts[0]!
    if (SPECIAL_CALLS.has(upper)) {
      const plain = isPlainCall(c) && !c.args.some((a) => a.type === 'star' || a.type === 'namedArg' || a.type === 'tableArg')
      const keepsMeaning =
        plain &&
        (((upper === 'FLOOR' || upper === 'CEIL' || upper === 'CEILING') && c.args.length === 1) ||
          (upper === 'SUBSTRING' && c.args.length >= 2) ||
          (upper === 'POSITION' && c.args.length >= 2 && precedence(c.args[0]!) > 32))
      if (!keepsMeaning) return `\`${parts[0]!.replace(/`/g, '``')}\``
    }
  }
  return qname(parts)
}

const formatOrderItem = (o: A.OrderItem): string => `${formatExpr(o.expr)}${o.direction === 'DESC' ? ' DESC' : ''}${o.nulls === undefined ? '' : ` NULLS ${o.nulls}`}`

const formatFrameBound = (b: A.FrameBound): string => {
  switch (b.kind) {
    case 'UNBOUNDED_PRECEDING':
      return 'UNBOUNDED PRECEDING'
    case 'UNBOUNDED_FOLLOWING':
      return 'UNBOUNDED FOLLOWING'
    case 'CURRENT_ROW':
      return 'CURRENT ROW'
    default: {
      const o = b.offset
      const text = o.type === 'identifier' && o.parts.length === 1 && /^(unbounded|current)$/i.test(o.parts[0]!) ? `\`${o.parts[0]}\`` : operand(o, 40)
      return `${text} ${b.kind}`
    }
  }
}

const formatWindowSpec = (w: A.WindowSpec): string => {
  const parts: string[] = []
  if (w.base !== undefined) parts.push(quoteIdentifier(w.base))
  if (w.partitionBy.length > 0) parts.push(`PARTITION BY ${list(w.partitionBy, formatExpr)}`)
  if (w.orderBy.length > 0) parts.push(`ORDER BY ${list(w.orderBy, formatOrderItem)}`)
  if (w.frame !== undefined) {
    const f = w.frame
    parts.push(f.end === undefined ? `${f.unit} ${formatFrameBound(f.start)}` : `${f.unit} BETWEEN ${formatFrameBound(f.start)} AND ${formatFrameBound(f.end)}`)
  }
  return `(${parts.join(' ')})`
}

const formatArg = (a: A.Expr): string => {
  if (a.type === 'namedArg') return `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(a.name) ? a.name : quoteIdentifier(a.name)} => ${formatArg(a.value)}`
  if (a.type === 'tableArg') {
    const table = 'parts' in a.table ? `TABLE ${qname(a.table.parts)}` : `(${formatQuery(a.table)})`
    if (a.partitionBy === undefined) return table
    return `${table} PARTITION BY ${a.partitionBy.length === 1 ? operand(a.partitionBy[0]!, 100) : `(${list(a.partitionBy, formatExpr)})`}`
  }
  return formatExpr(a)
}

const formatCall = (c: A.FunctionCall): string => {
  if (c.noParens === true && c.args.length === 0) return c.name.parts.join('.')
  let s = `${callName(c)}(${c.distinct ? 'DISTINCT ' : ''}${list(c.args, formatArg)})`
  if (c.withinGroup !== undefined) s += ` WITHIN GROUP (ORDER BY ${list(c.withinGroup, formatOrderItem)})`
  if (c.filter !== undefined) s += ` FILTER (WHERE ${formatExpr(c.filter)})`
  if (c.over !== undefined) s += c.over.type === 'windowRef' ? ` OVER ${quoteIdentifier(c.over.name)}` : ` OVER ${formatWindowSpec(c.over)}`
  return s
}

const formatLiteral = (l: A.Literal): string => {
  switch (l.kind) {
    case 'number':
      return l.text
    case 'string':
      return quoteString(l.value)
    case 'boolean':
      return l.value ? 'TRUE' : 'FALSE'
    case 'null':
      return 'NULL'
    case 'binary':
      return `X'${l.hex}'`
    case 'interval':
      return `INTERVAL ${l.negative ? '-' : ''}${quoteString(l.text)} ${l.from}${l.to === undefined ? '' : ` TO ${l.to}`}`
    case 'timestamp_ltz':
      return `TIMESTAMP WITH LOCAL TIME ZONE ${quoteString(l.text)}`
    default:
      return `${l.kind.toUpperCase()} ${quoteString(l.text)}`
  }
}

/** Whether the text of `e` ends with an interval literal that has no `TO` unit (a following `TO` would extend it). */
const endsWithOpenInterval = (e: A.Expr): boolean => {
  switch (e.type) {
    case 'literal':
      return e.kind === 'interval' && e.to === undefined
    case 'binary':
      return precedence(e.right) > precedence(e) && endsWithOpenInterval(e.right)
    case 'unary':
      return precedence(e.operand) >= precedence(e) && endsWithOpenInterval(e.operand)
    case 'isDistinctFrom':
      return precedence(e.right) > 30 && endsWithOpenInterval(e.right)
    case 'between':
      return precedence(e.high) >= 40 && endsWithOpenInterval(e.high)
    case 'like': {
      const last = e.escape ?? e.pattern
      return precedence(last) >= 40 && endsWithOpenInterval(last)
    }
    default:
      return false
  }
}

/**
 * An expression as SQL text, with the fewest parentheses its precedence needs.
 *
 * @category SQL
 * @since 0.1.0
 */
export const formatExpr = (e: A.Expr): string => {
  switch (e.type) {
    case 'literal':
      return formatLiteral(e)
    case 'identifier':
      return qname(e.parts)
    case 'star':
      return e.qualifier === undefined ? '*' : `${qname(e.qualifier)}.*`
    case 'binary': {
      const p = precedence(e)
      return `${operand(e.left, p)} ${e.op} ${operand(e.right, p + 1)}`
    }
    case 'unary': {
      if (e.op === 'NOT') return `NOT ${operand(e.operand, 26)}`
      const inner = operand(e.operand, 80)
      return inner.startsWith('-') || inner.startsWith('+') ? `${e.op} ${inner}` : `${e.op}${inner}`
    }
    case 'call':
      return formatCall(e)
    case 'case':
      return `CASE${e.operand === undefined ? '' : ` ${formatExpr(e.operand)}`}${e.whens.map((w) => ` WHEN ${formatExpr(w.when)} THEN ${formatExpr(w.then)}`).join('')}${e.else === undefined ? '' : ` ELSE ${formatExpr(e.else)}`} END`
    case 'cast':
      return `${e.try ? 'TRY_CAST' : 'CAST'}(${formatExpr(e.expr)} AS ${formatType(e.target)})`
    case 'extract':
      return `EXTRACT(${e.unit} FROM ${formatExpr(e.expr)})`
    case 'floorCeil': {
      // `FLOOR(x + INTERVAL '1' YEAR TO MONTH)` would read `TO MONTH` as part of the interval
      const inner = endsWithOpenInterval(e.expr) ? `(${formatExpr(e.expr)})` : formatExpr(e.expr)
      return `${e.fn}(${inner} TO ${e.unit})`
    }
    case 'timestampAddDiff':
      return `${e.fn}(${e.unit}, ${formatExpr(e.args[0])}, ${formatExpr(e.args[1])})`
    case 'between':
      return `${operand(e.expr, 32)} ${e.negated ? 'NOT ' : ''}BETWEEN ${e.symmetric ? 'SYMMETRIC ' : ''}${operand(e.low, 40)} AND ${operand(e.high, 40)}`
    case 'inList':
      return `${operand(e.expr, 32)} ${e.negated ? 'NOT ' : ''}IN (${list(e.list, formatExpr)})`
    case 'inSubquery':
      return `${operand(e.expr, 32)} ${e.negated ? 'NOT ' : ''}IN (${formatQuery(e.query)})`
    case 'exists':
      return `EXISTS (${formatQuery(e.query)})`
    case 'scalarSubquery':
      return `(${formatQuery(e.query)})`
    case 'like':
      return `${operand(e.expr, 32)} ${e.negated ? 'NOT ' : ''}${e.op === 'LIKE' ? 'LIKE' : 'SIMILAR TO'} ${operand(e.pattern, 40)}${e.escape === undefined ? '' : ` ESCAPE ${operand(e.escape, 40)}`}`
    case 'is':
      return `${operand(e.expr, 28)} IS ${e.negated ? 'NOT ' : ''}${e.test}`
    case 'isDistinctFrom':
      return `${operand(e.left, 30)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${operand(e.right, 32)}`
    case 'position':
      return `POSITION(${operand(e.needle, 33)} IN ${formatExpr(e.haystack)})`
    case 'trim':
      if (e.side === 'BOTH' && e.chars === undefined) return `TRIM(${formatExpr(e.expr)})`
      return `TRIM(${e.side} ${e.chars === undefined ? '' : `${formatExpr(e.chars)} `}FROM ${formatExpr(e.expr)})`
    case 'substring':
      return `SUBSTRING(${formatExpr(e.expr)} FROM ${formatExpr(e.from)}${e.for === undefined ? '' : ` FOR ${formatExpr(e.for)}`})`
    case 'overlay':
      return `OVERLAY(${formatExpr(e.expr)} PLACING ${formatExpr(e.placing)} FROM ${formatExpr(e.from)}${e.for === undefined ? '' : ` FOR ${formatExpr(e.for)}`})`
    case 'array':
      return `ARRAY[${list(e.elements, formatExpr)}]`
    case 'map':
      return `MAP[${list(e.entries, (en) => `${formatExpr(en.key)}, ${formatExpr(en.value)}`)}]`
    case 'row':
      return `ROW(${list(e.fields, formatExpr)})`
    case 'item': {
      const base = e.expr.type === 'identifier' && e.expr.parts.length === 1 && /^(array|map)$/i.test(e.expr.parts[0]!) ? `\`${e.expr.parts[0]}\`` : operand(e.expr, 100)
      return `${base}[${formatExpr(e.index)}]`
    }
    case 'field':
      return `${e.expr.type === 'identifier' || e.expr.type === 'star' || (e.expr.type === 'literal' && e.expr.kind === 'number') ? `(${formatExpr(e.expr)})` : operand(e.expr, 100)}.${quoteIdentifier(e.field)}`
    case 'descriptor':
      return `DESCRIPTOR(${list(e.columns, quoteIdentifier)})`
    case 'tableArg':
    case 'namedArg':
      return formatArg(e)
    case 'paren':
      return `(${formatExpr(e.expr)})`
  }
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

const formatHints = (hints: readonly A.Hint[]): string =>
  `/*+ ${list(hints, (h) => {
    const o = h.options
    const opts = Array.isArray(o) ? o.map(quoteString) : Object.entries(o).map(([k, v]) => `${quoteString(k)} = ${quoteString(v)}`)
    return opts.length === 0 ? quoteIdentifier(h.name) : `${quoteIdentifier(h.name)}(${opts.join(', ')})`
  })} */`

const hasTail = (q: A.Query): boolean => q.orderBy !== undefined || q.limit !== undefined || q.offset !== undefined

const formatTail = (q: A.Query): string => {
  let s = ''
  if (q.orderBy !== undefined) s += ` ORDER BY ${list(q.orderBy, formatOrderItem)}`
  if (q.limit !== undefined) s += ` LIMIT ${formatExpr(q.limit)}`
  if (q.offset !== undefined) s += ` OFFSET ${formatExpr(q.offset)}`
  return s
}

/** 1: `UNION`/`EXCEPT`, 2: `INTERSECT`, 3: anything that needs no parentheses as an operand. */
const setLevel = (q: A.Query): number => (q.type === 'setOp' ? (q.op === 'INTERSECT' ? 2 : 1) : 3)

const setOperand = (q: A.Query, min: number): string => (hasTail(q) || q.type === 'with' || setLevel(q) < min ? `(${formatQuery(q)})` : formatQuery(q))

const formatAlias = (r: { readonly alias?: string; readonly columnAliases?: readonly string[] }): string =>
  r.alias === undefined ? '' : ` AS ${quoteIdentifier(r.alias)}${r.columnAliases === undefined ? '' : ` (${list(r.columnAliases, quoteIdentifier)})`}`

const formatTableRef = (t: A.TableRef): string => {
  switch (t.type) {
    case 'table':
      return `${qname(t.name.parts)}${t.hints === undefined ? '' : ` ${formatHints(t.hints)}`}${t.forSystemTimeAsOf === undefined ? '' : ` FOR SYSTEM_TIME AS OF ${formatExpr(t.forSystemTimeAsOf)}`}${formatAlias(t)}`
    case 'subquery':
      return `${t.lateral ? 'LATERAL ' : ''}(${formatQuery(t.query)})${formatAlias(t)}`
    case 'tableFunction':
      return `${t.lateral ? 'LATERAL ' : ''}TABLE(${formatCall(t.call)})${formatAlias(t)}`
    case 'unnest':
      return `UNNEST(${list(t.exprs, formatExpr)})${t.withOrdinality ? ' WITH ORDINALITY' : ''}${formatAlias(t)}`
    case 'join': {
      if (t.comma === true) {
        const right = t.right.type === 'join' && t.right.comma === true ? `(${formatTableRef(t.right)})` : formatTableRef(t.right)
        return `${formatTableRef(t.left)}, ${right}`
      }
      const left = t.left.type === 'join' && t.left.comma === true ? `(${formatTableRef(t.left)})` : formatTableRef(t.left)
      const right = t.right.type === 'join' ? `(${formatTableRef(t.right)})` : formatTableRef(t.right)
      const op = t.joinType === 'INNER' ? 'JOIN' : `${t.joinType} JOIN`
      const cond = t.on !== undefined ? ` ON ${formatExpr(t.on)}` : t.using !== undefined ? ` USING (${list(t.using, quoteIdentifier)})` : ''
      return `${left} ${op} ${right}${cond}`
    }
  }
}

const formatGrouping = (g: A.GroupingElement): string => {
  switch (g.type) {
    case 'expr':
      return formatExpr(g.expr)
    case 'groupingSets':
      return `GROUPING SETS (${list(g.sets, (s) => `(${list(s, formatExpr)})`)})`
    default:
      return `${g.type.toUpperCase()} (${list(g.exprs, formatExpr)})`
  }
}

const formatSelect = (q: A.SelectQuery): string => {
  let s = 'SELECT'
  if (q.hints !== undefined && q.hints.length > 0) s += ` ${formatHints(q.hints)}`
  if (q.distinct) s += ' DISTINCT'
  s += ` ${list(q.items, (i) => (i.type === 'star' ? formatExpr(i) : `${formatExpr(i.expr)}${i.alias === undefined ? '' : ` AS ${quoteIdentifier(i.alias)}`}`))}`
  if (q.from !== undefined) s += ` FROM ${formatTableRef(q.from)}`
  if (q.where !== undefined) s += ` WHERE ${formatExpr(q.where)}`
  if (q.groupBy !== undefined) s += ` GROUP BY ${list(q.groupBy, formatGrouping)}`
  if (q.having !== undefined) s += ` HAVING ${formatExpr(q.having)}`
  if (q.windows !== undefined) s += ` WINDOW ${list(q.windows, (w) => `${quoteIdentifier(w.name)} AS ${formatWindowSpec(w.spec)}`)}`
  if (q.qualify !== undefined) s += ` QUALIFY ${formatExpr(q.qualify)}`
  return s
}

/**
 * A query as SQL text.
 *
 * @category SQL
 * @since 0.1.0
 */
export const formatQuery = (q: A.Query): string => {
  switch (q.type) {
    case 'select':
      return formatSelect(q) + formatTail(q)
    case 'values':
      return `VALUES ${list(q.rows, (r) => `(${list(r, formatExpr)})`)}${formatTail(q)}`
    case 'setOp': {
      const left = setOperand(q.left, q.op === 'INTERSECT' ? 2 : 1)
      const right = setOperand(q.right, q.op === 'INTERSECT' ? 3 : 2)
      return `${left} ${q.op}${q.all ? ' ALL' : ''} ${right}${formatTail(q)}`
    }
    case 'with': {
      const ctes = list(q.ctes, (c) => `${quoteIdentifier(c.name)}${c.columns === undefined ? '' : ` (${list(c.columns, quoteIdentifier)})`} AS (${formatQuery(c.query)})`)
      const body = hasTail(q.body) || q.body.type === 'with' ? `(${formatQuery(q.body)})` : formatQuery(q.body)
      return `WITH ${ctes} ${body}${formatTail(q)}`
    }
    case 'paren':
      return `(${formatQuery(q.query)})${formatTail(q)}`
  }
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

const formatColumn = (c: A.ColumnDef): string => {
  const comment = c.comment === undefined ? '' : ` COMMENT ${quoteString(c.comment)}`
  switch (c.kind) {
    case 'physical':
      return `${quoteIdentifier(c.name)} ${formatType(c.dataType)}${comment}`
    case 'computed':
      return `${quoteIdentifier(c.name)} AS ${formatExpr(c.expr)}${comment}`
    case 'metadata':
      return `${quoteIdentifier(c.name)} ${formatType(c.dataType)} METADATA${c.key === undefined ? '' : ` FROM ${quoteString(c.key)}`}${c.virtual ? ' VIRTUAL' : ''}${comment}`
  }
}

const formatInsert = (s: A.InsertStatement): string => {
  let t = `INSERT ${s.overwrite ? 'OVERWRITE' : 'INTO'} ${qname(s.target.parts)}`
  if (s.hints !== undefined && s.hints.length > 0) t += ` ${formatHints(s.hints)}`
  if (s.partition !== undefined) t += ` PARTITION (${list(s.partition, (p) => `${quoteIdentifier(p.column)} = ${formatLiteral(p.value)}`)})`
  if (s.columns !== undefined) t += ` (${list(s.columns, quoteIdentifier)})`
  return `${t} ${formatQuery(s.query)}`
}

const formatCreateTable = (s: A.CreateTableStatement): string => {
  let t = `CREATE ${s.temporary ? 'TEMPORARY ' : ''}TABLE ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qname(s.name.parts)}`
  const elements = s.columns.map(formatColumn)
  if (s.watermark !== undefined) elements.push(`WATERMARK FOR ${quoteIdentifier(s.watermark.column)} AS ${formatExpr(s.watermark.expr)}`)
  if (s.primaryKey !== undefined) elements.push(`PRIMARY KEY (${list(s.primaryKey.columns, quoteIdentifier)})${s.primaryKey.enforced ? '' : ' NOT'} ENFORCED`)
  if (elements.length > 0) t += ` (${elements.join(', ')})`
  if (s.comment !== undefined) t += ` COMMENT ${quoteString(s.comment)}`
  if (s.partitionedBy !== undefined) t += ` PARTITIONED BY (${list(s.partitionedBy, quoteIdentifier)})`
  if (s.options.length > 0) t += ` WITH (${list(s.options, (o) => `${quoteString(o.key)} = ${quoteString(o.value)}`)})`
  if (s.like !== undefined) t += ` LIKE ${qname(s.like.parts)}${s.likeOptions === undefined ? '' : ` (${s.likeOptions.map((o) => `${o.strategy} ${o.feature}`).join(' ')})`}`
  if (s.asQuery !== undefined) t += ` AS ${formatQuery(s.asQuery)}`
  return t
}

const SHOW_WORDS: Readonly<Record<A.ShowStatement['what'], string>> = {
  TABLES: 'TABLES',
  VIEWS: 'VIEWS',
  FUNCTIONS: 'FUNCTIONS',
  CATALOGS: 'CATALOGS',
  DATABASES: 'DATABASES',
  JOBS: 'JOBS',
  CREATE_TABLE: 'CREATE TABLE',
  CREATE_VIEW: 'CREATE VIEW',
  COLUMNS: 'COLUMNS FROM',
  CURRENT_CATALOG: 'CURRENT CATALOG',
  CURRENT_DATABASE: 'CURRENT DATABASE',
}

/**
 * A statement as SQL text (without a trailing `;`).
 *
 * @category SQL
 * @since 0.1.0
 */
export const formatStatement = (s: A.Statement): string => {
  switch (s.type) {
    case 'query':
      return formatQuery(s.query)
    case 'insert':
      return formatInsert(s)
    case 'createTable':
      return formatCreateTable(s)
    case 'createView':
      return `CREATE ${s.temporary ? 'TEMPORARY ' : ''}VIEW ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qname(s.name.parts)}${s.columns === undefined ? '' : ` (${list(s.columns, quoteIdentifier)})`}${s.comment === undefined ? '' : ` COMMENT ${quoteString(s.comment)}`} AS ${formatQuery(s.query)}`
    case 'createFunction':
      return `CREATE ${s.temporary ? 'TEMPORARY ' : ''}${s.system ? 'SYSTEM ' : ''}FUNCTION ${s.ifNotExists ? 'IF NOT EXISTS ' : ''}${qname(s.name.parts)} AS ${quoteString(s.identifier)}${s.language === undefined ? '' : ` LANGUAGE ${quoteIdentifier(s.language)}`}`
    case 'drop':
      return `DROP ${s.temporary ? 'TEMPORARY ' : ''}${s.system === true ? 'SYSTEM ' : ''}${s.objectType} ${s.ifExists ? 'IF EXISTS ' : ''}${qname(s.name.parts)}`
    case 'show': {
      let t = `SHOW ${SHOW_WORDS[s.what]}`
      if (s.name !== undefined) t += s.what === 'TABLES' ? ` FROM ${qname(s.name.parts)}` : ` ${qname(s.name.parts)}`
      if (s.like !== undefined) t += ` LIKE ${quoteString(s.like)}`
      return t
    }
    case 'describe':
      return `DESCRIBE ${qname(s.name.parts)}`
    case 'explain':
      return `EXPLAIN ${s.details.length > 0 ? `${s.details.join(', ')} ` : ''}${s.statement.type === 'statementSet' ? formatStatementSetBody(s.statement) : formatStatement(s.statement)}`
    case 'set':
      return s.key === undefined ? 'SET' : `SET ${quoteString(s.key)} = ${quoteString(s.value ?? '')}`
    case 'reset':
      return s.key === undefined ? 'RESET' : `RESET ${quoteString(s.key)}`
    case 'statementSet':
      return `EXECUTE ${formatStatementSetBody(s)}`
    case 'use':
      return `USE ${s.catalog ? 'CATALOG ' : ''}${qname(s.name.parts)}`
  }
}

const formatStatementSetBody = (s: A.StatementSetStatement): string => `STATEMENT SET BEGIN ${s.inserts.map((i) => `${formatInsert(i)}; `).join('')}END`
