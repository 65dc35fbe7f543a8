/**
 * The fluent Table API: a `Table` is a query; its methods make new queries. They build the same
 * syntax tree SQL text does, so a Table program and the SQL it stands for plan alike.
 *
 * @packageDocumentation
 */
import { SqlError } from '../errors.js'
import type { Expr, GroupingElement, OrderItem, Query, SelectItem, TableRef } from '../sql/ast.js'
import { API_POS, Expression, exprOf, type ExpressionLike } from './expressions.js'
import type { TableResult } from './table-result.js'

/** What a Table needs from its environment. @internal */
export interface TableHost {
  runQueryAst(query: Query): Promise<TableResult>
  explainQueryAst(query: Query): string
  insertQueryAst(table: string, query: Query): Promise<TableResult>
  fieldsOfQuery(query: Query): readonly { readonly name: string }[]
}

let aliasCounter = 0
const freshAlias = (): string => `$t${aliasCounter++}`

const item = (e: ExpressionLike): SelectItem => {
  if (e instanceof Expression) return e.alias === undefined ? { type: 'item', pos: API_POS, expr: e.expr } : { type: 'item', pos: API_POS, expr: e.expr, alias: e.alias }
  return { type: 'item', pos: API_POS, expr: exprOf(e) }
}

const subquery = (q: Query): TableRef => ({ type: 'subquery', pos: API_POS, query: q, lateral: false, alias: freshAlias() })

/**
 * A table: the rows of a query, not yet run.
 *
 * @example
 * ```ts
 * tEnv.from('bids').where($('price').isGreater(2)).groupBy($('item')).select($('item'), $('price').sum().as('total'))
 * ```
 *
 * @category Table API
 * @since 0.1.0
 */
export class Table {
  /** @internal */
  constructor(
    /** @internal */
    readonly host: TableHost,
    /** The query this table stands for. */
    readonly query: Query,
  ) {}

  private select0(items: readonly SelectItem[], more: { where?: Expr; groupBy?: readonly GroupingElement[]; distinct?: boolean } = {}): Table {
    return new Table(this.host, {
      type: 'select',
      pos: API_POS,
      distinct: more.distinct ?? false,
      items,
      from: subquery(this.query),
      ...(more.where === undefined ? {} : { where: more.where }),
      ...(more.groupBy === undefined ? {} : { groupBy: more.groupBy }),
    })
  }

  /** The columns (and expressions) to keep: `select($('a'), $('b').plus(1).as('c'))`. */
  select(...fields: ExpressionLike[]): Table {
    return this.select0(fields.map(item))
  }

  /** Adds columns to all the existing ones. */
  addColumns(...fields: Expression[]): Table {
    return this.select0([{ type: 'star', pos: API_POS }, ...fields.map(item)])
  }

  /** The rows for which `predicate` is true. */
  filter(predicate: Expression): Table {
    return this.select0([{ type: 'star', pos: API_POS }], { where: predicate.expr })
  }

  /** Same as {@link Table.filter}. */
  where(predicate: Expression): Table {
    return this.filter(predicate)
  }

  /** Distinct rows. */
  distinct(): Table {
    return this.select0([{ type: 'star', pos: API_POS }], { distinct: true })
  }

  /** Groups by the given keys; aggregate with `.select(...)`. */
  groupBy(...keys: Expression[]): GroupedTable {
    return new GroupedTable(this, keys)
  }

  /**
   * A group window over a time attribute: `window(Tumble.over(interval(10, 'MINUTE')).on($('ts')).as('w'))`,
   * then `groupBy($('w'), ...)` and `select($('w').start(), ...)` (planned as Flink's window TVFs).
   */
  window(w: GroupWindow): WindowedTable {
    return new WindowedTable(this, w)
  }

  /** Writes the rows into a catalog table: `insertInto('t').execute()`. */
  insertInto(tableName: string): { execute(): Promise<TableResult> } {
    return { execute: () => this.executeInsert(tableName) }
  }

  /** Renames all columns, in order. */
  as(...names: string[]): Table {
    return new Table(this.host, {
      type: 'select',
      pos: API_POS,
      distinct: false,
      items: [{ type: 'star', pos: API_POS }],
      from: { type: 'subquery', pos: API_POS, query: this.query, lateral: false, alias: freshAlias(), columnAliases: names },
    })
  }

  /** An inner (or outer) join with `other` on `condition`; columns of both sides must have distinct names. */
  join(other: Table, condition: Expression, joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' = 'INNER'): Table {
    return new Table(this.host, {
      type: 'select',
      pos: API_POS,
      distinct: false,
      items: [{ type: 'star', pos: API_POS }],
      from: { type: 'join', pos: API_POS, joinType, left: subquery(this.query), right: subquery(other.query), on: condition.expr },
    })
  }

  /** A left outer join. */
  leftOuterJoin(other: Table, condition: Expression): Table {
    return this.join(other, condition, 'LEFT')
  }

  /** `UNION ALL` with a table of the same columns. */
  unionAll(other: Table): Table {
    return new Table(this.host, { type: 'setOp', pos: API_POS, op: 'UNION', all: true, left: this.query, right: other.query })
  }

  /** Sorts (bounded input, or with `limit` a Top-N in streaming). */
  orderBy(...keys: (Expression | { expr: Expression; desc: true })[]): Table {
    const orderBy: OrderItem[] = keys.map((k) =>
      k instanceof Expression ? { pos: API_POS, expr: k.expr, direction: 'ASC' } : { pos: API_POS, expr: k.expr.expr, direction: 'DESC' },
    )
    return new Table(this.host, { ...this.wrapped(), orderBy })
  }

  /** The first `n` rows (after `offset`). */
  limit(n: number, offset = 0): Table {
    const num = (v: number): Expr => ({ type: 'literal', pos: API_POS, kind: 'number', text: String(v), numberKind: 'integer' })
    // LIMIT applies to this query's ORDER BY, if it has one and no limit yet
    const q = this.query.type === 'select' && this.query.limit === undefined && this.query.offset === undefined ? this.query : this.wrapped()
    return new Table(this.host, { ...q, limit: num(n), ...(offset > 0 ? { offset: num(offset) } : {}) })
  }

  private wrapped(): Query {
    if (this.query.type === 'select' && this.query.orderBy === undefined && this.query.limit === undefined && this.query.offset === undefined) return this.query
    return { type: 'select', pos: API_POS, distinct: false, items: [{ type: 'star', pos: API_POS }], from: subquery(this.query) }
  }

  /** Runs the query; its rows come from the result's `collect()`. */
  execute(): Promise<TableResult> {
    return this.host.runQueryAst(this.query)
  }

  /** Writes the rows into a catalog table (`INSERT INTO name SELECT ...`). */
  executeInsert(tableName: string): Promise<TableResult> {
    return this.host.insertQueryAst(tableName, this.query)
  }

  /** The plan, as `EXPLAIN` prints it. */
  explain(): string {
    return this.host.explainQueryAst(this.query)
  }

  /** The column names. */
  columnNames(): string[] {
    return this.host.fieldsOfQuery(this.query).map((f) => f.name)
  }
}

/**
 * A group window of the Table API, built with {@link Tumble}, {@link Slide} or {@link Session}.
 *
 * @category Table API
 * @since 0.1.0
 */
export class GroupWindow {
  /** @internal */
  constructor(
    readonly fn: 'TUMBLE' | 'HOP' | 'SESSION',
    readonly size: Expression,
    readonly slide: Expression | undefined,
    readonly timeField: Expression | undefined,
    readonly alias: string | undefined,
  ) {}

  /** The time attribute the window is over. */
  on(timeField: Expression): GroupWindow {
    return new GroupWindow(this.fn, this.size, this.slide, timeField, this.alias)
  }

  /** The name that `groupBy` and `select` refer to the window by (`$('w').start()`). */
  as(alias: string): GroupWindow {
    return new GroupWindow(this.fn, this.size, this.slide, this.timeField, alias)
  }
}

/** Tumbling windows: `Tumble.over(interval(10, 'MINUTE')).on($('ts')).as('w')`. @category Table API */
export const Tumble = { over: (size: Expression): GroupWindow => new GroupWindow('TUMBLE', size, undefined, undefined, undefined) }

/** Sliding windows: `Slide.over(interval(10, 'SECOND')).every(interval(2, 'SECOND')).on($('ts')).as('w')`. @category Table API */
export const Slide = {
  over: (size: Expression): { every(slide: Expression): GroupWindow } => ({ every: (slide) => new GroupWindow('HOP', size, slide, undefined, undefined) }),
}

/** Session windows: `Session.withGap(interval(5, 'MINUTE')).on($('ts')).as('w')`. @category Table API */
export const Session = { withGap: (gap: Expression): GroupWindow => new GroupWindow('SESSION', gap, undefined, undefined, undefined) }

/**
 * A table with a group window, waiting for `groupBy`.
 *
 * @category Table API
 * @since 0.1.0
 */
export class WindowedTable {
  /** @internal */
  constructor(
    private readonly table: Table,
    private readonly window: GroupWindow,
  ) {}

  /** Groups by the window (by its alias) and other keys. */
  groupBy(...keys: Expression[]): WindowGroupedTable {
    return new WindowGroupedTable(this.table, this.window, keys)
  }
}

/**
 * A windowed, grouped table waiting for its aggregates: `select($('w').start(), $('a'), $('b').sum())`.
 *
 * @category Table API
 * @since 0.1.0
 */
export class WindowGroupedTable {
  /** @internal */
  constructor(
    private readonly table: Table,
    private readonly window: GroupWindow,
    private readonly keys: readonly Expression[],
  ) {}

  /** The keys, window properties (`$('w').start()`, `end()`, `rowtime()`) and aggregates per window. */
  select(...fields: ExpressionLike[]): Table {
    const w = this.window
    if (w.timeField === undefined || w.timeField.expr.type !== 'identifier') throw new SqlError('validate', [{ message: 'A group window needs on($(\'time_column\')).' }])
    const alias = w.alias ?? 'w'
    const col = (name: string): Expr => ({ type: 'identifier', pos: API_POS, parts: [name] })
    // $('w').start() and friends are written as w.start / w.end / w.rowtime: map them to the TVF's columns
    const props: Record<string, string> = { start: 'window_start', end: 'window_end', rowtime: 'window_time', proctime: 'window_time' }
    const rewrite = (e: Expr): Expr => {
      if (e.type === 'identifier' && e.parts.length === 2 && e.parts[0] === alias && props[e.parts[1]!] !== undefined) return col(props[e.parts[1]!]!)
      if (e.type === 'identifier' && e.parts.length === 1 && e.parts[0] === alias) throw new SqlError('validate', [{ message: `Select the window's properties ($('${alias}').start(), end(), rowtime()), not the window '${alias}' itself.` }])
      return mapExpr(e, rewrite)
    }
    const items: SelectItem[] = fields.map((f) => {
      const it = item(f)
      return it.type === 'item' ? { ...it, expr: rewrite(it.expr) } : it
    })
    const groupKeys: GroupingElement[] = [col('window_start'), col('window_end'), ...this.keys.filter((k) => !(k.expr.type === 'identifier' && k.expr.parts.length === 1 && k.expr.parts[0] === alias)).map((k) => k.expr)].map((expr) => ({
      type: 'expr',
      pos: API_POS,
      expr,
    }))
    const args: Expr[] = [
      { type: 'tableArg', pos: API_POS, table: this.table.query, ...(w.fn === 'SESSION' ? { partitionBy: this.keys.filter((k) => !(k.expr.type === 'identifier' && k.expr.parts[0] === alias)).map((k) => k.expr) } : {}) },
      { type: 'descriptor', pos: API_POS, columns: [(w.timeField.expr as Extract<Expr, { type: 'identifier' }>).parts.join('.')] },
      ...(w.fn === 'HOP' ? [w.slide!.expr, w.size.expr] : [w.size.expr]),
    ]
    const tvf: TableRef = {
      type: 'tableFunction',
      pos: API_POS,
      lateral: false,
      call: { type: 'call', pos: API_POS, name: { pos: API_POS, parts: [w.fn] }, args, distinct: false },
    }
    return new Table(this.table.host, { type: 'select', pos: API_POS, distinct: false, items, from: tvf, groupBy: groupKeys })
  }
}

/** A copy of an expression with `f` applied to its direct sub-expressions. */
const mapExpr = (e: Expr, f: (x: Expr) => Expr): Expr => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(e)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'type' in v && 'pos' in v) out[k] = f(v as Expr)
    else if (Array.isArray(v)) out[k] = v.map((x: unknown) => (x !== null && typeof x === 'object' && 'type' in (x as object) && 'pos' in (x as object) ? f(x as Expr) : x))
    else out[k] = v
  }
  return out as unknown as Expr
}

/**
 * A table grouped by keys, waiting for its aggregates.
 *
 * @category Table API
 * @since 0.1.0
 */
export class GroupedTable {
  /** @internal */
  constructor(
    private readonly table: Table,
    private readonly keys: readonly Expression[],
  ) {}

  /** The keys and aggregates per group: `select($('item'), $('price').sum().as('total'))`. */
  select(...fields: ExpressionLike[]): Table {
    const groupBy: GroupingElement[] = this.keys.map((k) => ({ type: 'expr', pos: API_POS, expr: k.expr }))
    return new Table(this.table.host, {
      type: 'select',
      pos: API_POS,
      distinct: false,
      items: fields.map(item),
      from: subquery(this.table.query),
      groupBy,
    })
  }
}
