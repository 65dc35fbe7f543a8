/**
 * The catalog: the tables, views and functions a table environment knows, by name.
 *
 * @remarks
 * One in-memory catalog, `default_catalog`, with one database, `default_database`, as Flink's
 * default. Names are case-sensitive. `CREATE TEMPORARY TABLE` and `CREATE TABLE` both register in
 * memory (there is no persistent catalog yet); a temporary object shadows a permanent one of the
 * same name, as in Flink.
 *
 * @packageDocumentation
 */
import type { UserAggregateFunction } from '../aggregate/aggregate-call.js'
import type { ChangelogMode } from '../data/row.js'
import type { ScalarFunctionDefinition } from '../expr/scope.js'
import type { CreateTableStatement, Expr, Query } from '../sql/ast.js'
import type { DataType } from '../types/data-type.js'

export const DEFAULT_CATALOG = 'default_catalog'
export const DEFAULT_DATABASE = 'default_database'

/** A column of a catalog table, resolved. */
export type CatalogColumn =
  | { readonly kind: 'physical'; readonly name: string; readonly type: DataType; readonly comment?: string }
  /** `name AS expr`: computed from the physical and metadata columns when the table is read. */
  | { readonly kind: 'computed'; readonly name: string; readonly type: DataType; readonly expr: Expr; readonly comment?: string }
  | { readonly kind: 'metadata'; readonly name: string; readonly type: DataType; readonly key: string; readonly virtual: boolean; readonly comment?: string }

/** A table defined by DDL (`CREATE TABLE`) and read or written through a connector. */
export interface CatalogTable {
  readonly kind: 'table'
  readonly name: string
  readonly temporary: boolean
  readonly columns: readonly CatalogColumn[]
  /** `WATERMARK FOR column AS expr`. */
  readonly watermark?: { readonly column: string; readonly expr: Expr; readonly text: string }
  readonly primaryKey?: readonly string[]
  readonly partitionedBy?: readonly string[]
  readonly options: ReadonlyMap<string, string>
  readonly comment?: string
  /** The statement that created it (for `SHOW CREATE TABLE`). */
  readonly ddl?: CreateTableStatement
}

/** A view: a named query, expanded where it is used. */
export interface CatalogView {
  readonly kind: 'view'
  readonly name: string
  readonly temporary: boolean
  readonly query: Query
  /** Column names given in `CREATE VIEW v (a, b) AS ...`. */
  readonly columnNames?: readonly string[]
  readonly text: string
  readonly comment?: string
}

/** A DataStream registered as a table (`createTemporaryView(name, stream)`). */
export interface CatalogStreamTable {
  readonly kind: 'stream'
  readonly name: string
  readonly temporary: true
  readonly fields: readonly { readonly name: string; readonly type: DataType }[]
  /** The `DataStream<Row>` (of the environment the table environment wraps). */
  readonly stream: unknown
  readonly changelogMode: ChangelogMode
  /** The rowtime field and how watermarks come (the stream's own watermarks: `SOURCE_WATERMARK()`). */
  readonly rowtime?: string
  readonly primaryKey?: readonly string[]
}

/** Anything a `FROM` clause can name. */
export type CatalogObject = CatalogTable | CatalogView | CatalogStreamTable

/** A user-defined table function: rows for each call. */
export interface TableFunctionDefinition {
  readonly name: string
  readonly fn: (...args: any[]) => Iterable<readonly unknown[] | unknown>
  /** The result fields for the given argument types, or a message why these arguments do not fit. */
  readonly resultFields: (argTypes: readonly DataType[]) => readonly { readonly name: string; readonly type: DataType }[] | string
}

/** A user-defined aggregate function. */
export interface AggregateFunctionDefinition {
  readonly name: string
  readonly create: () => UserAggregateFunction
  /** The result type for the given argument types, or a message why these arguments do not fit. */
  readonly resultType: (argTypes: readonly DataType[]) => DataType | string
}

/** The functions a user registered, by upper-case name. */
export interface FunctionCatalog {
  readonly scalar: ReadonlyMap<string, ScalarFunctionDefinition>
  readonly table: ReadonlyMap<string, TableFunctionDefinition>
  readonly aggregate: ReadonlyMap<string, AggregateFunctionDefinition>
}

/** Object names: `t`, `db.t` and `cat.db.t` all name `default_catalog.default_database.t`. */
export const objectName = (parts: readonly string[]): string | undefined => {
  if (parts.length === 1) return parts[0]
  if (parts.length === 2) return parts[0] === DEFAULT_DATABASE ? parts[1] : undefined
  if (parts.length === 3) return parts[0] === DEFAULT_CATALOG && parts[1] === DEFAULT_DATABASE ? parts[2] : undefined
  return undefined
}

/** The fully qualified name of an object: `default_catalog.default_database.t`. */
export const qualifiedName = (name: string): string => `${DEFAULT_CATALOG}.${DEFAULT_DATABASE}.${name}`

/**
 * The mutable in-memory catalog of one table environment.
 *
 * @category Catalog
 * @since 0.1.0
 */
export class Catalog {
  private readonly temporary = new Map<string, CatalogObject>()
  private readonly permanent = new Map<string, CatalogObject>()
  private readonly scalarFunctions = new Map<string, ScalarFunctionDefinition>()
  private readonly tableFunctions = new Map<string, TableFunctionDefinition>()
  private readonly aggregateFunctions = new Map<string, AggregateFunctionDefinition>()

  /** The object of that name (a temporary one first). */
  get(name: string): CatalogObject | undefined {
    return this.temporary.get(name) ?? this.permanent.get(name)
  }

  /** Whether an object of that name exists. */
  has(name: string): boolean {
    return this.temporary.has(name) || this.permanent.has(name)
  }

  /** Registers an object; returns false if one of that name and kind of registration exists. */
  add(obj: CatalogObject): boolean {
    const where = obj.temporary ? this.temporary : this.permanent
    if (where.has(obj.name)) return false
    where.set(obj.name, obj)
    return true
  }

  /** Removes an object (temporary first if `temporary`); returns what was removed. */
  remove(name: string, temporary: boolean): CatalogObject | undefined {
    const where = temporary ? this.temporary : this.permanent
    const obj = where.get(name)
    where.delete(name)
    return obj
  }

  /** Every object's name, sorted, with whether it is a view. */
  list(): { readonly name: string; readonly kind: CatalogObject['kind'] }[] {
    const names = new Map<string, CatalogObject['kind']>()
    for (const [n, o] of this.permanent) names.set(n, o.kind)
    for (const [n, o] of this.temporary) names.set(n, o.kind)
    return [...names].map(([name, kind]) => ({ name, kind })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  /** Registers a scalar function under its upper-case name (replacing one of that name). */
  addScalarFunction(def: ScalarFunctionDefinition): void {
    this.scalarFunctions.set(def.name.toUpperCase(), def)
  }

  /** Registers a table function under its upper-case name. */
  addTableFunction(def: TableFunctionDefinition): void {
    this.tableFunctions.set(def.name.toUpperCase(), def)
  }

  /** Registers an aggregate function under its upper-case name. */
  addAggregateFunction(def: AggregateFunctionDefinition): void {
    this.aggregateFunctions.set(def.name.toUpperCase(), def)
  }

  /** Whether a function of any kind has this name (case-insensitive). */
  hasFunction(name: string): boolean {
    const n = name.toUpperCase()
    return this.scalarFunctions.has(n) || this.tableFunctions.has(n) || this.aggregateFunctions.has(n)
  }

  /** Removes a function of any kind; returns whether one existed. */
  removeFunction(name: string): boolean {
    const n = name.toUpperCase()
    return [this.scalarFunctions.delete(n), this.tableFunctions.delete(n), this.aggregateFunctions.delete(n)].some((x) => x)
  }

  /** The registered functions. */
  get functions(): FunctionCatalog {
    return { scalar: this.scalarFunctions, table: this.tableFunctions, aggregate: this.aggregateFunctions }
  }
}

