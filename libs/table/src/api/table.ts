/**
 * The fluent Table API: a `Table` is a query; its methods make new queries. They build the same
 * syntax tree SQL text does, so a Table program and the SQL it stands for plan alike.
 *
 * @packageDocumentation
 */
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
