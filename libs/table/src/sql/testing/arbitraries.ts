/**
 * fast-check generators of syntax trees, for the specs' round-trip properties (test-only: nothing
 * outside specs imports this module).
 *
 * @remarks
 * The trees have the shape the parser produces (every flag present, optional parts absent rather
 * than empty), positions set to a dummy value (compare with `withoutPositions...`).
 *
 * @packageDocumentation
 */
import fc from 'fast-check'
import type * as A from '../ast.js'

const P: A.Pos = { line: 1, column: 1, offset: 0 }

/** Names, including words that need quoting (reserved keywords, spaces, back-quotes) and non-reserved keywords. */
export const identifierArb: fc.Arbitrary<string> = fc.constantFrom(
  'a',
  'b',
  'c',
  't',
  'x1',
  'price',
  'Mixed_Case',
  'value',
  'year',
  'day',
  'position',
  'date',
  'timestamp',
  'key',
  'name',
  'data',
  'type',
  'first',
  'current',
  'row',
  'array',
  'map',
  'over_',
  'select',
  'from',
  'a b',
  'back`tick',
  'über',
  'CAST',
  'rows',
  'window',
  'unbounded',
)

const safeFunctionName = fc.constantFrom('f', 'g', 'MOD', 'count', 'SUM', 'my_udf', 'DATE_FORMAT', 'year')
const qualifiedParts = (max: number): fc.Arbitrary<string[]> => fc.array(identifierArb, { minLength: 1, maxLength: max })
const qnameArb: fc.Arbitrary<A.QualifiedName> = qualifiedParts(3).map((parts) => ({ pos: P, parts }))

const timeUnitArb: fc.Arbitrary<A.TimeUnit> = fc.constantFrom('MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND', 'DOW', 'DOY', 'EPOCH')
const intervalUnitArb: fc.Arbitrary<A.TimeUnit> = fc.constantFrom('YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND')

const textArb = fc.string({ maxLength: 6 })

/** Literals of every kind. */
export const literalArb: fc.Arbitrary<A.Literal> = fc.oneof(
  fc.constantFrom('0', '12', '1.5', '10.', '.25', '1e3', '2.5E-3').map((text): A.Literal => ({ type: 'literal', pos: P, kind: 'number', text, numberKind: /[eE]/.test(text) ? 'approx' : text.includes('.') ? 'decimal' : 'integer' })),
  textArb.map((value): A.Literal => ({ type: 'literal', pos: P, kind: 'string', value })),
  fc.boolean().map((value): A.Literal => ({ type: 'literal', pos: P, kind: 'boolean', value })),
  fc.constant<A.Literal>({ type: 'literal', pos: P, kind: 'null' }),
  fc
    .tuple(textArb, fc.boolean(), intervalUnitArb, fc.option(intervalUnitArb, { nil: undefined }))
    .map(([text, negative, from, to]): A.Literal => ({ type: 'literal', pos: P, kind: 'interval', text, negative, from, ...(to !== undefined && { to }) })),
  fc.tuple(fc.constantFrom('timestamp', 'timestamp_ltz', 'date', 'time') as fc.Arbitrary<'timestamp' | 'timestamp_ltz' | 'date' | 'time'>, textArb).map(([kind, text]): A.Literal => ({ type: 'literal', pos: P, kind, text })),
  fc.constantFrom('', '0A', 'FF00').map((hex): A.Literal => ({ type: 'literal', pos: P, kind: 'binary', hex })),
)

/** Data types of every kind, nested. */
export const typeArb: fc.Arbitrary<A.TypeSyntax> = fc.letrec<{ type: A.TypeSyntax }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom('BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DATE') as fc.Arbitrary<'INT'>, fc.boolean()).map(([kind, nullable]): A.TypeSyntax => ({ kind, pos: P, nullable })),
    fc
      .tuple(fc.option(fc.integer({ min: 1, max: 38 }), { nil: undefined }), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }), fc.boolean())
      .map(([precision, scale, nullable]): A.TypeSyntax => ({ kind: 'DECIMAL', pos: P, nullable, ...(precision !== undefined && { precision, ...(scale !== undefined && { scale }) }) })),
    fc
      .tuple(fc.constantFrom('CHAR', 'VARCHAR', 'BINARY', 'VARBINARY') as fc.Arbitrary<'CHAR'>, fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }), fc.boolean())
      .map(([kind, length, nullable]): A.TypeSyntax => ({ kind, pos: P, nullable, ...(length !== undefined && { length }) })),
    fc
      .tuple(fc.constantFrom('TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ') as fc.Arbitrary<'TIME'>, fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }), fc.boolean())
      .map(([kind, precision, nullable]): A.TypeSyntax => ({ kind, pos: P, nullable, ...(precision !== undefined && { precision }) })),
    fc.tuple(intervalUnitArb, fc.option(intervalUnitArb, { nil: undefined }), fc.boolean()).map(([from, to, nullable]): A.TypeSyntax => ({ kind: 'INTERVAL', pos: P, nullable, from, ...(to !== undefined && { to }) })),
    fc.tuple(fc.constantFrom('ARRAY', 'MULTISET') as fc.Arbitrary<'ARRAY'>, tie('type'), fc.boolean()).map(([kind, element, nullable]): A.TypeSyntax => ({ kind, pos: P, nullable, element })),
    fc.tuple(tie('type'), tie('type'), fc.boolean()).map(([key, value, nullable]): A.TypeSyntax => ({ kind: 'MAP', pos: P, nullable, key, value })),
    fc
      .tuple(fc.array(fc.tuple(identifierArb, tie('type'), fc.option(textArb, { nil: undefined })), { maxLength: 3 }), fc.boolean())
      .map(([fields, nullable]): A.TypeSyntax => ({ kind: 'ROW', pos: P, nullable, fields: fields.map(([name, type, description]) => ({ name, type, ...(description !== undefined && { description }) })) })),
  ),
})).type

const binaryOps: readonly A.BinaryOp[] = ['+', '-', '*', '/', '%', '||', '=', '<>', '<', '<=', '>', '>=', 'AND', 'OR']

const aliasArb: fc.Arbitrary<{ alias?: string; columnAliases?: string[] }> = fc.oneof(
  fc.constant({}),
  identifierArb.map((alias) => ({ alias })),
  fc.tuple(identifierArb, fc.array(identifierArb, { minLength: 1, maxLength: 2 })).map(([alias, columnAliases]) => ({ alias, columnAliases })),
)

const hintArb: fc.Arbitrary<A.Hint> = fc.tuple(fc.constantFrom('OPTIONS', 'BROADCAST', 'STATE_TTL'), fc.oneof(fc.array(textArb, { maxLength: 2 }), fc.dictionary(fc.constantFrom('a', 'b.c', 'k'), textArb, { minKeys: 1, maxKeys: 2 }))).map(([name, options]) => ({ pos: P, name, options }))

const namedTableArb = (expr: fc.Arbitrary<A.Expr>): fc.Arbitrary<A.TableRef> =>
  fc
    .tuple(qnameArb, fc.option(expr, { nil: undefined }), fc.option(fc.array(hintArb, { minLength: 1, maxLength: 2 }), { nil: undefined }), aliasArb)
    .map(([name, asOf, hints, alias]): A.TableRef => ({ type: 'table', pos: P, name, ...(asOf !== undefined && { forSystemTimeAsOf: asOf }), ...(hints !== undefined && { hints }), ...alias }))

const selectArb = (expr: fc.Arbitrary<A.Expr>, tableRef: fc.Arbitrary<A.TableRef>, orderItem: fc.Arbitrary<A.OrderItem>, windowSpec: fc.Arbitrary<A.WindowSpec>): fc.Arbitrary<A.Query> => {
  const item: fc.Arbitrary<A.SelectItem> = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(expr, fc.option(identifierArb, { nil: undefined })).map(([e, alias]): A.SelectItem => ({ type: 'item', pos: P, expr: e, ...(alias !== undefined && { alias }) })) },
    fc.constant<A.SelectItem>({ type: 'star', pos: P }),
    fc.array(identifierArb, { minLength: 1, maxLength: 2 }).map((qualifier): A.SelectItem => ({ type: 'star', pos: P, qualifier })),
  )
  const grouping: fc.Arbitrary<A.GroupingElement> = fc.oneof(
    { weight: 3, arbitrary: expr.map((e): A.GroupingElement => ({ type: 'expr', pos: P, expr: e })) },
    fc.array(fc.array(expr, { maxLength: 2 }), { minLength: 1, maxLength: 3 }).map((sets): A.GroupingElement => ({ type: 'groupingSets', pos: P, sets })),
    fc.tuple(fc.constantFrom('rollup', 'cube') as fc.Arbitrary<'rollup' | 'cube'>, fc.array(expr, { minLength: 1, maxLength: 2 })).map(([type, exprs]): A.GroupingElement => ({ type, pos: P, exprs })),
  )
  return fc
    .record(
      {
        distinct: fc.boolean(),
        items: fc.array(item, { minLength: 1, maxLength: 3 }),
        from: tableRef,
        where: expr,
        groupBy: fc.array(grouping, { minLength: 1, maxLength: 2 }),
        having: expr,
        windows: fc.array(fc.tuple(identifierArb, windowSpec).map(([name, spec]) => ({ name, spec })), { minLength: 1, maxLength: 2 }),
        qualify: expr,
        hints: fc.array(hintArb, { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: ['distinct', 'items'] },
    )
    .map((r): A.Query => ({ type: 'select', pos: P, ...r }))
}

type Trees = {
  expr: A.Expr
  query: A.Query
  tableRef: A.TableRef
}

/** Expressions, queries and table references, mutually recursive (depth kept small). */
export const trees = fc.letrec<Trees>((tie) => {
  const expr = tie('expr')
  const query = tie('query')
  const exprs = (min: number, max: number): fc.Arbitrary<A.Expr[]> => fc.array(expr, { minLength: min, maxLength: max })
  const orderItem: fc.Arbitrary<A.OrderItem> = fc
    .tuple(expr, fc.constantFrom('ASC', 'DESC') as fc.Arbitrary<'ASC' | 'DESC'>, fc.option(fc.constantFrom('FIRST', 'LAST') as fc.Arbitrary<'FIRST' | 'LAST'>, { nil: undefined }))
    .map(([e, direction, nulls]) => ({ pos: P, expr: e, direction, ...(nulls !== undefined && { nulls }) }))
  const frameBound: fc.Arbitrary<A.FrameBound> = fc.oneof(
    fc.constantFrom<A.FrameBound>({ kind: 'UNBOUNDED_PRECEDING' }, { kind: 'UNBOUNDED_FOLLOWING' }, { kind: 'CURRENT_ROW' }),
    fc.tuple(fc.constantFrom('PRECEDING', 'FOLLOWING') as fc.Arbitrary<'PRECEDING' | 'FOLLOWING'>, expr).map(([kind, offset]): A.FrameBound => ({ kind, offset })),
  )
  const windowSpec: fc.Arbitrary<A.WindowSpec> = fc
    .tuple(
      fc.option(identifierArb, { nil: undefined }),
      exprs(0, 2),
      fc.array(orderItem, { maxLength: 2 }),
      fc.option(fc.tuple(fc.constantFrom('ROWS', 'RANGE') as fc.Arbitrary<'ROWS' | 'RANGE'>, frameBound, fc.option(frameBound, { nil: undefined })), { nil: undefined }),
    )
    .map(([base, partitionBy, orderBy, frame]) => ({
      type: 'windowSpec',
      pos: P,
      ...(base !== undefined && { base }),
      partitionBy,
      orderBy,
      ...(frame !== undefined && { frame: { pos: P, unit: frame[0], start: frame[1], ...(frame[2] !== undefined && { end: frame[2] }) } }),
    }))
  const call: fc.Arbitrary<A.FunctionCall> = fc
    .tuple(
      fc.oneof(safeFunctionName.map((n) => [n]), fc.tuple(identifierArb, safeFunctionName).map(([a, b]) => [a, b])),
      fc.oneof({ weight: 4, arbitrary: exprs(0, 3) }, { weight: 1, arbitrary: fc.constant<A.Expr[]>([{ type: 'star', pos: P }]) }),
      fc.boolean(),
      fc.option(expr, { nil: undefined }),
      fc.option(fc.oneof(windowSpec, identifierArb.map((name): A.WindowRef => ({ type: 'windowRef', pos: P, name }))), { nil: undefined }),
      fc.option(fc.array(orderItem, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    )
    .map(([parts, args, distinct, filter, over, withinGroup]) => ({
      type: 'call',
      pos: P,
      name: { pos: P, parts },
      args,
      distinct: distinct && args.length > 0 && args[0]!.type !== 'star',
      ...(filter !== undefined && { filter }),
      ...(over !== undefined && { over }),
      ...(withinGroup !== undefined && { withinGroup }),
    }))
  const simple: fc.Arbitrary<A.Expr> = fc.oneof(
    literalArb,
    qualifiedParts(3).map((parts): A.Expr => ({ type: 'identifier', pos: P, parts })),
    fc.constantFrom('CURRENT_TIMESTAMP', 'current_date', 'LOCALTIME').map((n): A.Expr => ({ type: 'call', pos: P, name: { pos: P, parts: [n] }, args: [], distinct: false, noParens: true })),
  )
  return {
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 6, arbitrary: simple },
      fc.tuple(fc.constantFrom(...binaryOps), expr, expr).map(([op, left, right]): A.Expr => ({ type: 'binary', pos: P, op, left, right })),
      fc.tuple(fc.constantFrom('NOT', '-', '+') as fc.Arbitrary<'NOT' | '-' | '+'>, expr).map(([op, operand]): A.Expr => ({ type: 'unary', pos: P, op, operand })),
      call,
      fc
        .tuple(fc.option(expr, { nil: undefined }), fc.array(fc.tuple(expr, expr), { minLength: 1, maxLength: 2 }), fc.option(expr, { nil: undefined }))
        .map(([operand, whens, e]): A.Expr => ({ type: 'case', pos: P, ...(operand !== undefined && { operand }), whens: whens.map(([when, then]) => ({ when, then })), ...(e !== undefined && { else: e }) })),
      fc.tuple(expr, typeArb, fc.boolean()).map(([e, target, t]): A.Expr => ({ type: 'cast', pos: P, expr: e, target, try: t })),
      fc.tuple(timeUnitArb, expr).map(([unit, e]): A.Expr => ({ type: 'extract', pos: P, unit, expr: e })),
      fc.tuple(fc.constantFrom('FLOOR', 'CEIL') as fc.Arbitrary<'FLOOR' | 'CEIL'>, expr, timeUnitArb).map(([fn, e, unit]): A.Expr => ({ type: 'floorCeil', pos: P, fn, expr: e, unit })),
      fc.tuple(fc.constantFrom('TIMESTAMPADD', 'TIMESTAMPDIFF') as fc.Arbitrary<'TIMESTAMPADD' | 'TIMESTAMPDIFF'>, timeUnitArb, expr, expr).map(([fn, unit, a, b]): A.Expr => ({ type: 'timestampAddDiff', pos: P, fn, unit, args: [a, b] })),
      fc.tuple(expr, expr, expr, fc.boolean(), fc.boolean()).map(([e, low, high, negated, symmetric]): A.Expr => ({ type: 'between', pos: P, expr: e, low, high, negated, symmetric })),
      fc
        .tuple(expr, exprs(1, 3), fc.boolean())
        .filter(([, l]) => !(l.length === 1 && l[0]!.type === 'scalarSubquery'))
        .map(([e, l, negated]): A.Expr => ({ type: 'inList', pos: P, expr: e, list: l, negated })),
      fc.tuple(expr, query, fc.boolean()).map(([e, q, negated]): A.Expr => ({ type: 'inSubquery', pos: P, expr: e, query: q, negated })),
      query.map((q): A.Expr => ({ type: 'exists', pos: P, query: q })),
      query.map((q): A.Expr => ({ type: 'scalarSubquery', pos: P, query: q })),
      fc
        .tuple(fc.constantFrom('LIKE', 'SIMILAR') as fc.Arbitrary<'LIKE' | 'SIMILAR'>, expr, expr, fc.option(expr, { nil: undefined }), fc.boolean())
        .map(([op, e, pattern, escape, negated]): A.Expr => ({ type: 'like', pos: P, op, expr: e, pattern, ...(escape !== undefined && { escape }), negated })),
      fc.tuple(expr, fc.constantFrom('NULL', 'TRUE', 'FALSE', 'UNKNOWN') as fc.Arbitrary<'NULL'>, fc.boolean()).map(([e, test, negated]): A.Expr => ({ type: 'is', pos: P, expr: e, test, negated })),
      fc.tuple(expr, expr, fc.boolean()).map(([left, right, negated]): A.Expr => ({ type: 'isDistinctFrom', pos: P, left, right, negated })),
      fc.tuple(expr, expr).map(([needle, haystack]): A.Expr => ({ type: 'position', pos: P, needle, haystack })),
      fc
        .tuple(fc.constantFrom('BOTH', 'LEADING', 'TRAILING') as fc.Arbitrary<'BOTH'>, fc.option(expr, { nil: undefined }), expr)
        .map(([side, chars, e]): A.Expr => ({ type: 'trim', pos: P, side, ...(chars !== undefined && { chars }), expr: e })),
      fc.tuple(expr, expr, fc.option(expr, { nil: undefined })).map(([e, from, f]): A.Expr => ({ type: 'substring', pos: P, expr: e, from, ...(f !== undefined && { for: f }) })),
      fc.tuple(expr, expr, expr, fc.option(expr, { nil: undefined })).map(([e, placing, from, f]): A.Expr => ({ type: 'overlay', pos: P, expr: e, placing, from, ...(f !== undefined && { for: f }) })),
      exprs(0, 3).map((elements): A.Expr => ({ type: 'array', pos: P, elements })),
      fc.array(fc.tuple(expr, expr), { maxLength: 2 }).map((entries): A.Expr => ({ type: 'map', pos: P, entries: entries.map(([key, value]) => ({ key, value })) })),
      exprs(0, 3).map((fields): A.Expr => ({ type: 'row', pos: P, fields })),
      fc.tuple(expr, expr).map(([e, index]): A.Expr => ({ type: 'item', pos: P, expr: e, index })),
      fc.tuple(expr, identifierArb).map(([e, field]): A.Expr => ({ type: 'field', pos: P, expr: e, field })),
      expr.map((e): A.Expr => ({ type: 'paren', pos: P, expr: e })),
    ),
    query: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: selectArb(expr, tie('tableRef'), orderItem, windowSpec) },
      fc.array(exprs(1, 2), { minLength: 1, maxLength: 2 }).map((rows): A.Query => ({ type: 'values', pos: P, rows })),
      fc
        .tuple(fc.constantFrom('UNION', 'INTERSECT', 'EXCEPT') as fc.Arbitrary<'UNION'>, fc.boolean(), query, query)
        .map(([op, all, left, right]): A.Query => ({ type: 'setOp', pos: P, op, all, left, right })),
      fc
        .tuple(fc.array(fc.tuple(identifierArb, fc.option(fc.array(identifierArb, { minLength: 1, maxLength: 2 }), { nil: undefined }), query), { minLength: 1, maxLength: 2 }), query)
        .filter(([, body]) => body.type !== 'with')
        .map(([ctes, body]): A.Query => ({ type: 'with', pos: P, ctes: ctes.map(([name, columns, q]) => ({ pos: P, name, ...(columns !== undefined && { columns }), query: q })), body })),
      query.map((q): A.Query => ({ type: 'paren', pos: P, query: q })),
      fc
        .tuple(query, fc.option(fc.array(orderItem, { minLength: 1, maxLength: 2 }), { nil: undefined }), fc.option(literalArb, { nil: undefined }), fc.option(literalArb, { nil: undefined }))
        .map(([q, orderBy, limit, offset]): A.Query => ({ ...q, ...(orderBy !== undefined && { orderBy }), ...(limit !== undefined && { limit }), ...(offset !== undefined && { offset }) })),
    ),
    tableRef: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { weight: 4, arbitrary: namedTableArb(expr) },
      fc.tuple(query, aliasArb, fc.boolean()).map(([q, alias, lateral]): A.TableRef => ({ type: 'subquery', pos: P, query: q, lateral, ...alias })),
      fc
        .tuple(fc.constantFrom('INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS') as fc.Arbitrary<A.JoinType>, tie('tableRef'), tie('tableRef'), fc.oneof(fc.constant(undefined), expr.map((on) => ({ on })), fc.array(identifierArb, { minLength: 1, maxLength: 2 }).map((using) => ({ using }))))
        .map(([joinType, left, right, cond]): A.TableRef => ({ type: 'join', pos: P, joinType, left, right, ...cond })),
      fc.tuple(tie('tableRef'), tie('tableRef')).map(([left, right]): A.TableRef => ({ type: 'join', pos: P, joinType: 'CROSS', left, right, comma: true })),
      fc
        .tuple(qnameArb, identifierArb, fc.boolean(), aliasArb, fc.option(fc.array(qualifiedParts(1).map((parts): A.Expr => ({ type: 'identifier', pos: P, parts })), { minLength: 1, maxLength: 2 }), { nil: undefined }))
        .map(([table, col, lateral, alias, partitionBy]): A.TableRef => ({
          type: 'tableFunction',
          pos: P,
          lateral,
          call: {
            type: 'call',
            pos: P,
            name: { pos: P, parts: ['TUMBLE'] },
            args: [
              { type: 'tableArg', pos: P, table, ...(partitionBy !== undefined && { partitionBy }) },
              { type: 'descriptor', pos: P, columns: [col] },
              { type: 'namedArg', pos: P, name: 'SIZE', value: { type: 'literal', pos: P, kind: 'interval', text: '10', negative: false, from: 'MINUTE' } },
            ],
            distinct: false,
          },
          ...alias,
        })),
      fc.tuple(exprs(1, 2), fc.boolean(), aliasArb).map(([es, withOrdinality, alias]): A.TableRef => ({ type: 'unnest', pos: P, exprs: es, withOrdinality, ...alias })),
    ),
  }
})

const insertArb = (query: fc.Arbitrary<A.Query>): fc.Arbitrary<A.InsertStatement> =>
  fc
    .tuple(
      qnameArb,
      fc.boolean(),
      fc.option(fc.array(identifierArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
      fc.option(fc.array(fc.tuple(identifierArb, literalArb.filter((l) => l.kind !== 'interval' && l.kind !== 'timestamp' && l.kind !== 'timestamp_ltz' && l.kind !== 'date' && l.kind !== 'time')), { minLength: 1, maxLength: 2 }), { nil: undefined }),
      query,
      fc.option(fc.array(hintArb, { minLength: 1, maxLength: 1 }), { nil: undefined }),
    )
    .map(([target, overwrite, columns, partition, q, hints]) => ({
      type: 'insert',
      pos: P,
      target,
      overwrite,
      ...(columns !== undefined && { columns }),
      ...(partition !== undefined && { partition: partition.map(([column, value]) => ({ column, value })) }),
      query: q,
      ...(hints !== undefined && { hints }),
    }))

const columnArb = (expr: fc.Arbitrary<A.Expr>): fc.Arbitrary<A.ColumnDef> =>
  fc.oneof(
    fc.tuple(identifierArb, typeArb, fc.option(textArb, { nil: undefined })).map(([name, dataType, comment]): A.ColumnDef => ({ kind: 'physical', pos: P, name, dataType, ...(comment !== undefined && { comment }) })),
    fc.tuple(identifierArb, expr, fc.option(textArb, { nil: undefined })).map(([name, e, comment]): A.ColumnDef => ({ kind: 'computed', pos: P, name, expr: e, ...(comment !== undefined && { comment }) })),
    fc
      .tuple(identifierArb, typeArb, fc.option(textArb, { nil: undefined }), fc.boolean(), fc.option(textArb, { nil: undefined }))
      .map(([name, dataType, key, virtual, comment]): A.ColumnDef => ({ kind: 'metadata', pos: P, name, dataType, ...(key !== undefined && { key }), virtual, ...(comment !== undefined && { comment }) })),
  )

/** Statements of every kind. */
export const statementArb: fc.Arbitrary<A.Statement> = fc.oneof(
  trees.query.map((query): A.Statement => ({ type: 'query', pos: P, query })),
  insertArb(trees.query),
  fc
    .record(
      {
        temporary: fc.boolean(),
        ifNotExists: fc.boolean(),
        name: qnameArb,
        columns: fc.array(columnArb(trees.expr), { maxLength: 3 }),
        watermark: fc.tuple(identifierArb, trees.expr).map(([column, expr]) => ({ pos: P, column, expr })),
        primaryKey: fc.tuple(fc.array(identifierArb, { minLength: 1, maxLength: 2 }), fc.boolean()).map(([columns, enforced]) => ({ pos: P, columns, enforced })),
        partitionedBy: fc.array(identifierArb, { minLength: 1, maxLength: 2 }),
        comment: textArb,
        options: fc.array(fc.tuple(textArb, textArb).map(([key, value]) => ({ pos: P, key, value })), { maxLength: 2 }),
        like: qnameArb,
        likeOptions: fc.array(
          fc.record({
            strategy: fc.constantFrom('INCLUDING', 'EXCLUDING', 'OVERWRITING') as fc.Arbitrary<A.LikeOption['strategy']>,
            feature: fc.constantFrom('ALL', 'CONSTRAINTS', 'PARTITIONS', 'WATERMARKS', 'GENERATED', 'OPTIONS', 'METADATA') as fc.Arbitrary<A.LikeOption['feature']>,
          }),
          { minLength: 1, maxLength: 2 },
        ),
        asQuery: trees.query,
      },
      { requiredKeys: ['temporary', 'ifNotExists', 'name', 'columns', 'options'] },
    )
    .map((r): A.Statement => {
      const { likeOptions, like, ...rest } = r
      return { type: 'createTable', pos: P, ...rest, ...(like !== undefined && { like, ...(likeOptions !== undefined && { likeOptions }) }) }
    }),
  fc
    .tuple(fc.boolean(), fc.boolean(), qnameArb, fc.option(fc.array(identifierArb, { minLength: 1, maxLength: 2 }), { nil: undefined }), fc.option(textArb, { nil: undefined }), trees.query)
    .map(([temporary, ifNotExists, name, columns, comment, query]): A.Statement => ({ type: 'createView', pos: P, name, temporary, ifNotExists, ...(columns !== undefined && { columns }), ...(comment !== undefined && { comment }), query })),
  fc
    .tuple(fc.boolean(), fc.boolean(), fc.boolean(), qnameArb, textArb, fc.option(fc.constantFrom('JAVA', 'PYTHON'), { nil: undefined }))
    .map(([temporary, system, ifNotExists, name, identifier, language]): A.Statement => ({ type: 'createFunction', pos: P, name, temporary, system: temporary && system, ifNotExists, identifier, ...(language !== undefined && { language }) })),
  fc
    .tuple(fc.constantFrom('TABLE', 'VIEW', 'FUNCTION') as fc.Arbitrary<'TABLE' | 'VIEW' | 'FUNCTION'>, qnameArb, fc.boolean(), fc.boolean(), fc.boolean())
    .map(([objectType, name, temporary, ifExists, system]): A.Statement => ({ type: 'drop', pos: P, objectType, name, temporary, ifExists, ...(system && temporary && objectType === 'FUNCTION' && { system: true }) })),
  fc.oneof(
    fc.constantFrom('VIEWS', 'FUNCTIONS', 'CATALOGS', 'DATABASES', 'JOBS', 'CURRENT_CATALOG', 'CURRENT_DATABASE').map((what): A.Statement => ({ type: 'show', pos: P, what: what as 'VIEWS' })),
    fc.tuple(fc.option(qnameArb, { nil: undefined }), fc.option(textArb, { nil: undefined })).map(([name, like]): A.Statement => ({ type: 'show', pos: P, what: 'TABLES', ...(name !== undefined && { name }), ...(like !== undefined && { like }) })),
    fc.tuple(fc.constantFrom('CREATE_TABLE', 'CREATE_VIEW') as fc.Arbitrary<'CREATE_TABLE'>, qnameArb).map(([what, name]): A.Statement => ({ type: 'show', pos: P, what, name })),
    fc.tuple(qnameArb, fc.option(textArb, { nil: undefined })).map(([name, like]): A.Statement => ({ type: 'show', pos: P, what: 'COLUMNS', name, ...(like !== undefined && { like }) })),
  ),
  qnameArb.map((name): A.Statement => ({ type: 'describe', pos: P, name })),
  fc
    .tuple(fc.subarray(['ESTIMATED_COST', 'CHANGELOG_MODE', 'JSON_EXECUTION_PLAN', 'PLAN_ADVICE']), fc.oneof(trees.query.map((query): A.QueryStatement => ({ type: 'query', pos: P, query })), insertArb(trees.query)))
    .map(([details, statement]): A.Statement => ({ type: 'explain', pos: P, details, statement })),
  fc.option(fc.tuple(textArb, textArb), { nil: undefined }).map((kv): A.Statement => ({ type: 'set', pos: P, ...(kv !== undefined && { key: kv[0], value: kv[1] }) })),
  fc.option(textArb, { nil: undefined }).map((key): A.Statement => ({ type: 'reset', pos: P, ...(key !== undefined && { key }) })),
  fc.tuple(fc.boolean(), qnameArb).map(([catalog, name]): A.Statement => ({ type: 'use', pos: P, catalog, name })),
  fc.array(insertArb(trees.query), { maxLength: 2 }).map((inserts): A.Statement => ({ type: 'statementSet', pos: P, inserts })),
)
