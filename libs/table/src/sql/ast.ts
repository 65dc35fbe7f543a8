/**
 * The typed syntax tree of Strom's SQL (Flink's dialect), as the parser produces it.
 *
 * @remarks
 * Every node carries the position where it starts ({@link Pos}: 1-based line and column, 0-based
 * offset), so that later stages (name resolution, type checking, planning) report errors at the
 * right place. Identifiers keep the case they were written in (Flink's identifiers are case
 * sensitive); keywords are upper case. Nothing here is resolved: names are just names.
 *
 * @packageDocumentation
 */

/** A place in the SQL text: 1-based line and column, 0-based character offset. */
export interface Pos {
  readonly line: number
  readonly column: number
  readonly offset: number
}

export interface Node {
  /** Where the node starts. */
  readonly pos: Pos
}

/** A possibly qualified name: `t`, `db.t`, `cat.db.t`. `parts` has one entry per part. */
export interface QualifiedName extends Node {
  readonly parts: readonly string[]
}

// ---------------------------------------------------------------------------------------------
// Types as written
// ---------------------------------------------------------------------------------------------

/** A time unit of intervals, `EXTRACT`, `FLOOR(... TO ...)`, `TIMESTAMPADD`/`TIMESTAMPDIFF`. */
export type TimeUnit = 'MILLENNIUM' | 'CENTURY' | 'DECADE' | 'YEAR' | 'QUARTER' | 'MONTH' | 'WEEK' | 'DAY' | 'HOUR' | 'MINUTE' | 'SECOND' | 'MILLISECOND' | 'MICROSECOND' | 'NANOSECOND' | 'DOW' | 'DOY' | 'EPOCH'

/**
 * A data type as written in DDL or `CAST`. `nullable` is false only when `NOT NULL` was written.
 * `STRING` is `VARCHAR` with no length, `BYTES` is `VARBINARY` with no length, `INTEGER` is `INT`,
 * `DEC`/`NUMERIC` are `DECIMAL`, `REAL` is `FLOAT`, `DOUBLE PRECISION` is `DOUBLE`,
 * `TIMESTAMP(p) WITH LOCAL TIME ZONE` is `TIMESTAMP_LTZ`.
 */
export type TypeSyntax = Node & { readonly nullable: boolean } & (
    | { readonly kind: 'BOOLEAN' | 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'FLOAT' | 'DOUBLE' | 'DATE' }
    | { readonly kind: 'DECIMAL'; readonly precision?: number; readonly scale?: number }
    | { readonly kind: 'CHAR' | 'VARCHAR' | 'BINARY' | 'VARBINARY'; readonly length?: number }
    | { readonly kind: 'TIME' | 'TIMESTAMP' | 'TIMESTAMP_LTZ'; readonly precision?: number }
    /** `INTERVAL DAY TO SECOND(3)`, `INTERVAL YEAR TO MONTH`, `INTERVAL HOUR`. */
    | { readonly kind: 'INTERVAL'; readonly from: TimeUnit; readonly to?: TimeUnit }
    | { readonly kind: 'ARRAY' | 'MULTISET'; readonly element: TypeSyntax }
    | { readonly kind: 'MAP'; readonly key: TypeSyntax; readonly value: TypeSyntax }
    /** `ROW<a INT, b STRING>` or `ROW(a INT, b STRING)`. */
    | { readonly kind: 'ROW'; readonly fields: readonly { readonly name: string; readonly type: TypeSyntax; readonly description?: string }[] }
  )

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/** A SQL expression. */
export type Expr =
  | Literal
  | IdentifierExpr
  | StarExpr
  | BinaryExpr
  | UnaryExpr
  | FunctionCall
  | CaseExpr
  | CastExpr
  | ExtractExpr
  | FloorCeilExpr
  | TimestampAddDiffExpr
  | BetweenExpr
  | InListExpr
  | InSubqueryExpr
  | ExistsExpr
  | ScalarSubqueryExpr
  | LikeExpr
  | IsExpr
  | IsDistinctFromExpr
  | PositionExpr
  | TrimExpr
  | SubstringExpr
  | OverlayExpr
  | ArrayConstructor
  | MapConstructor
  | RowConstructor
  | ItemAccessExpr
  | FieldAccessExpr
  | DescriptorExpr
  | TableArgExpr
  | NamedArgExpr
  | ParenExpr

/**
 * A literal. Numbers keep their text, so that `1.10` stays `DECIMAL(3, 2)` and `1e3` a `DOUBLE`:
 * `numberKind` says which (`integer`: digits only; `decimal`: with a point; `approx`: with an
 * exponent). `INTERVAL '10' MINUTE`, `INTERVAL '1 10:30' DAY TO MINUTE` and `INTERVAL '10' MINUTES`
 * (Flink accepts the plural) keep the quoted text and the units; `TIMESTAMP '2020-01-01 00:00:00'`,
 * `DATE '...'`, `TIME '...'` keep the text.
 */
export type Literal = Node & { readonly type: 'literal' } & (
    | { readonly kind: 'number'; readonly text: string; readonly numberKind: 'integer' | 'decimal' | 'approx' }
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'boolean'; readonly value: boolean }
    | { readonly kind: 'null' }
    | { readonly kind: 'interval'; readonly text: string; readonly negative: boolean; readonly from: TimeUnit; readonly to?: TimeUnit }
    | { readonly kind: 'timestamp' | 'timestamp_ltz' | 'date' | 'time'; readonly text: string }
    /** `X'0AFF'`. */
    | { readonly kind: 'binary'; readonly hex: string }
  )

/** A column or a qualified column: `a`, `t.a`, `db.t.a`; also `CURRENT_TIMESTAMP` and friends when written without parentheses are {@link FunctionCall}s. */
export interface IdentifierExpr extends Node {
  readonly type: 'identifier'
  readonly parts: readonly string[]
}

/** `*` or `t.*` in a select list or in `COUNT(*)`. */
export interface StarExpr extends Node {
  readonly type: 'star'
  readonly qualifier?: readonly string[]
}

/** Binary operators. `||` is string concatenation; `<>` and `!=` are both `<>`. */
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'AND' | 'OR'

export interface BinaryExpr extends Node {
  readonly type: 'binary'
  readonly op: BinaryOp
  readonly left: Expr
  readonly right: Expr
}

export interface UnaryExpr extends Node {
  readonly type: 'unary'
  readonly op: 'NOT' | '-' | '+'
  readonly operand: Expr
}

/**
 * A function call: `f(a, b)`, `COUNT(*)` (args `[StarExpr]`), `COUNT(DISTINCT a)`,
 * `SUM(x) FILTER (WHERE y > 0)`, `ROW_NUMBER() OVER (...)`, `SUM(x) OVER w`. Niladic functions
 * written without parentheses (`CURRENT_TIMESTAMP`, `CURRENT_DATE`, `CURRENT_TIME`,
 * `LOCALTIMESTAMP`, `LOCALTIME`, `CURRENT_ROW_TIMESTAMP` when written so) have `noParens: true`.
 * The name is as written, qualified if it was (`db.f`); function names are case-insensitive.
 */
export interface FunctionCall extends Node {
  readonly type: 'call'
  readonly name: QualifiedName
  readonly args: readonly Expr[]
  readonly distinct: boolean
  readonly filter?: Expr
  readonly over?: WindowSpec | WindowRef
  readonly noParens?: boolean
  /** `WITHIN GROUP (ORDER BY ...)` (e.g. `LISTAGG`). */
  readonly withinGroup?: readonly OrderItem[]
}

/** `OVER w`: a reference to a window of the `WINDOW` clause. */
export interface WindowRef extends Node {
  readonly type: 'windowRef'
  readonly name: string
}

/** `OVER (PARTITION BY ... ORDER BY ... ROWS|RANGE ...)` or a named window's definition. */
export interface WindowSpec extends Node {
  readonly type: 'windowSpec'
  /** `OVER (w ORDER BY ...)`: a window this one extends. */
  readonly base?: string
  readonly partitionBy: readonly Expr[]
  readonly orderBy: readonly OrderItem[]
  readonly frame?: WindowFrame
}

/** `ROWS BETWEEN 10 PRECEDING AND CURRENT ROW`, `RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW`, `ROWS UNBOUNDED PRECEDING`. */
export interface WindowFrame extends Node {
  readonly unit: 'ROWS' | 'RANGE'
  readonly start: FrameBound
  /** Absent when written without `BETWEEN` (then it is `CURRENT ROW`). */
  readonly end?: FrameBound
}

export type FrameBound =
  | { readonly kind: 'UNBOUNDED_PRECEDING' | 'CURRENT_ROW' | 'UNBOUNDED_FOLLOWING' }
  | { readonly kind: 'PRECEDING' | 'FOLLOWING'; readonly offset: Expr }

/** `CASE [operand] WHEN ... THEN ... [ELSE ...] END`. */
export interface CaseExpr extends Node {
  readonly type: 'case'
  readonly operand?: Expr
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[]
  readonly else?: Expr
}

/** `CAST(x AS type)` and `TRY_CAST(x AS type)` (null instead of an error). */
export interface CastExpr extends Node {
  readonly type: 'cast'
  readonly expr: Expr
  readonly target: TypeSyntax
  readonly try: boolean
}

/** `EXTRACT(unit FROM x)`. */
export interface ExtractExpr extends Node {
  readonly type: 'extract'
  readonly unit: TimeUnit
  readonly expr: Expr
}

/** `FLOOR(x TO unit)`, `CEIL(x TO unit)` (plain `FLOOR(x)` is a {@link FunctionCall}). */
export interface FloorCeilExpr extends Node {
  readonly type: 'floorCeil'
  readonly fn: 'FLOOR' | 'CEIL'
  readonly expr: Expr
  readonly unit: TimeUnit
}

/** `TIMESTAMPADD(unit, n, ts)` and `TIMESTAMPDIFF(unit, a, b)`: the unit is a keyword, not an expression. */
export interface TimestampAddDiffExpr extends Node {
  readonly type: 'timestampAddDiff'
  readonly fn: 'TIMESTAMPADD' | 'TIMESTAMPDIFF'
  readonly unit: TimeUnit
  readonly args: readonly [Expr, Expr]
}

/** `x [NOT] BETWEEN [ASYMMETRIC|SYMMETRIC] a AND b`. */
export interface BetweenExpr extends Node {
  readonly type: 'between'
  readonly expr: Expr
  readonly low: Expr
  readonly high: Expr
  readonly negated: boolean
  readonly symmetric: boolean
}

/** `x [NOT] IN (a, b, c)`. */
export interface InListExpr extends Node {
  readonly type: 'inList'
  readonly expr: Expr
  readonly list: readonly Expr[]
  readonly negated: boolean
}

/** `x [NOT] IN (SELECT ...)`. */
export interface InSubqueryExpr extends Node {
  readonly type: 'inSubquery'
  readonly expr: Expr
  readonly query: Query
  readonly negated: boolean
}

/** `[NOT] EXISTS (SELECT ...)` (`NOT` arrives as a {@link UnaryExpr}). */
export interface ExistsExpr extends Node {
  readonly type: 'exists'
  readonly query: Query
}

/** `(SELECT ...)` used as a value. */
export interface ScalarSubqueryExpr extends Node {
  readonly type: 'scalarSubquery'
  readonly query: Query
}

/** `x [NOT] LIKE pattern [ESCAPE c]`, `x [NOT] SIMILAR TO pattern [ESCAPE c]`. */
export interface LikeExpr extends Node {
  readonly type: 'like'
  readonly op: 'LIKE' | 'SIMILAR'
  readonly expr: Expr
  readonly pattern: Expr
  readonly escape?: Expr
  readonly negated: boolean
}

/** `x IS [NOT] NULL|TRUE|FALSE|UNKNOWN`. */
export interface IsExpr extends Node {
  readonly type: 'is'
  readonly expr: Expr
  readonly test: 'NULL' | 'TRUE' | 'FALSE' | 'UNKNOWN'
  readonly negated: boolean
}

/** `a IS [NOT] DISTINCT FROM b`. */
export interface IsDistinctFromExpr extends Node {
  readonly type: 'isDistinctFrom'
  readonly left: Expr
  readonly right: Expr
  readonly negated: boolean
}

/** `POSITION(a IN b)`. */
export interface PositionExpr extends Node {
  readonly type: 'position'
  readonly needle: Expr
  readonly haystack: Expr
}

/** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM x)` and `TRIM(x)`. */
export interface TrimExpr extends Node {
  readonly type: 'trim'
  readonly side: 'BOTH' | 'LEADING' | 'TRAILING'
  readonly chars?: Expr
  readonly expr: Expr
}

/** `SUBSTRING(x FROM a [FOR b])` (the comma form `SUBSTRING(x, a, b)` is a {@link FunctionCall}). */
export interface SubstringExpr extends Node {
  readonly type: 'substring'
  readonly expr: Expr
  readonly from: Expr
  readonly for?: Expr
}

/** `OVERLAY(x PLACING y FROM a [FOR b])`. */
export interface OverlayExpr extends Node {
  readonly type: 'overlay'
  readonly expr: Expr
  readonly placing: Expr
  readonly from: Expr
  readonly for?: Expr
}

/** `ARRAY[a, b]`. */
export interface ArrayConstructor extends Node {
  readonly type: 'array'
  readonly elements: readonly Expr[]
}

/** `MAP[k1, v1, k2, v2]`. */
export interface MapConstructor extends Node {
  readonly type: 'map'
  readonly entries: readonly { readonly key: Expr; readonly value: Expr }[]
}

/** `ROW(a, b)` or `(a, b)` with two or more elements. */
export interface RowConstructor extends Node {
  readonly type: 'row'
  readonly fields: readonly Expr[]
}

/** `arr[1]`, `m['key']`. */
export interface ItemAccessExpr extends Node {
  readonly type: 'item'
  readonly expr: Expr
  readonly index: Expr
}

/** `(expr).field` where `expr` is not a plain identifier (plain `a.b.c` is an {@link IdentifierExpr}). */
export interface FieldAccessExpr extends Node {
  readonly type: 'field'
  readonly expr: Expr
  readonly field: string
}

/** `DESCRIPTOR(col, ...)` in a table-valued function's arguments. */
export interface DescriptorExpr extends Node {
  readonly type: 'descriptor'
  readonly columns: readonly string[]
}

/**
 * `TABLE t` in a table-valued function's arguments (`TUMBLE(TABLE bids, ...)`), or a subquery
 * passed as a table (`TUMBLE((SELECT ...), ...)`), optionally with `PARTITION BY` (session windows:
 * `SESSION(TABLE t PARTITION BY k, DESCRIPTOR(ts), INTERVAL '5' MINUTES)`).
 */
export interface TableArgExpr extends Node {
  readonly type: 'tableArg'
  readonly table: QualifiedName | Query
  readonly partitionBy?: readonly Expr[]
}

/** `name => value` in a call (`TUMBLE(DATA => TABLE t, TIMECOL => DESCRIPTOR(ts), SIZE => INTERVAL '1' MINUTE)`). */
export interface NamedArgExpr extends Node {
  readonly type: 'namedArg'
  readonly name: string
  readonly value: Expr
}

/** `(expr)`: kept so that errors and `EXPLAIN` can show what was written; semantically the inner expression. */
export interface ParenExpr extends Node {
  readonly type: 'paren'
  readonly expr: Expr
}

// ---------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------

/** `expr [ASC|DESC] [NULLS FIRST|LAST]`. */
export interface OrderItem extends Node {
  readonly expr: Expr
  readonly direction: 'ASC' | 'DESC'
  readonly nulls?: 'FIRST' | 'LAST'
}

/** A query: a `SELECT`, a set operation, `VALUES`, or a `WITH` around one; with `ORDER BY`/`LIMIT`/`OFFSET` at its level. */
export type Query = SelectQuery | SetOpQuery | ValuesQuery | WithQuery | ParenQuery

interface QueryTail {
  readonly orderBy?: readonly OrderItem[]
  /** `LIMIT n` or `FETCH FIRST n ROWS ONLY`. */
  readonly limit?: Expr
  readonly offset?: Expr
}

/** An item of a select list: `*`, `t.*`, or `expr [AS alias]`. */
export type SelectItem = StarExpr | (Node & { readonly type: 'item'; readonly expr: Expr; readonly alias?: string })

/** `GROUP BY` elements: plain expressions, `GROUPING SETS ((a, b), (a), ())`, `ROLLUP (a, b)`, `CUBE (a, b)`. */
export type GroupingElement =
  | (Node & { readonly type: 'expr'; readonly expr: Expr })
  | (Node & { readonly type: 'groupingSets'; readonly sets: readonly (readonly Expr[])[] })
  | (Node & { readonly type: 'rollup' | 'cube'; readonly exprs: readonly Expr[] })

export interface SelectQuery extends Node, QueryTail {
  readonly type: 'select'
  readonly distinct: boolean
  readonly items: readonly SelectItem[]
  readonly from?: TableRef
  readonly where?: Expr
  readonly groupBy?: readonly GroupingElement[]
  readonly having?: Expr
  /** `WINDOW w AS (...)`. */
  readonly windows?: readonly { readonly name: string; readonly spec: WindowSpec }[]
  /** `QUALIFY ...` (Flink does not have it, but it is handy for Top-N). */
  readonly qualify?: Expr
  /** `/*+ OPTIONS('k'='v') *\/`-style hints after `SELECT` (kept, mostly unused). */
  readonly hints?: readonly Hint[]
}

export interface SetOpQuery extends Node, QueryTail {
  readonly type: 'setOp'
  readonly op: 'UNION' | 'INTERSECT' | 'EXCEPT'
  /** `UNION ALL` (true) or `UNION [DISTINCT]` (false). */
  readonly all: boolean
  readonly left: Query
  readonly right: Query
}

/** `VALUES (1, 'a'), (2, 'b')`. */
export interface ValuesQuery extends Node, QueryTail {
  readonly type: 'values'
  readonly rows: readonly (readonly Expr[])[]
}

/** `WITH a AS (...), b (x, y) AS (...) query`. */
export interface WithQuery extends Node, QueryTail {
  readonly type: 'with'
  readonly ctes: readonly { readonly pos: Pos; readonly name: string; readonly columns?: readonly string[]; readonly query: Query }[]
  readonly body: Query
}

/** `(query)` with its own `ORDER BY`/`LIMIT` outside. */
export interface ParenQuery extends Node, QueryTail {
  readonly type: 'paren'
  readonly query: Query
}

/** A query hint: `/*+ NAME('a' = 'b', ...) *\/` or `/*+ NAME(x, y) *\/`. */
export interface Hint extends Node {
  readonly name: string
  readonly options: readonly string[] | Readonly<Record<string, string>>
}

/** What follows `FROM`. */
export type TableRef = NamedTableRef | SubqueryTableRef | JoinTableRef | TableFunctionRef | UnnestTableRef

/** `alias` and the optional column aliases `AS t (a, b)`. */
interface Aliased {
  readonly alias?: string
  readonly columnAliases?: readonly string[]
}

/** `db.t [FOR SYSTEM_TIME AS OF expr] [/*+ OPTIONS(...) *\/] [AS] alias`. */
export interface NamedTableRef extends Node, Aliased {
  readonly type: 'table'
  readonly name: QualifiedName
  readonly forSystemTimeAsOf?: Expr
  readonly hints?: readonly Hint[]
}

/** `(SELECT ...) [AS] alias`; `lateral` when written `LATERAL (SELECT ...)`. */
export interface SubqueryTableRef extends Node, Aliased {
  readonly type: 'subquery'
  readonly query: Query
  readonly lateral: boolean
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'CROSS'

/** `a [INNER|LEFT [OUTER]|RIGHT [OUTER]|FULL [OUTER]|CROSS] JOIN b [ON ... | USING (...)]`; `a, b` is a `CROSS` join with `comma: true`. */
export interface JoinTableRef extends Node {
  readonly type: 'join'
  readonly joinType: JoinType
  readonly left: TableRef
  readonly right: TableRef
  readonly on?: Expr
  readonly using?: readonly string[]
  readonly comma?: boolean
}

/**
 * `TABLE(f(args))` and `LATERAL TABLE(f(args))`: a table-valued function, e.g. the window TVFs
 * `TABLE(TUMBLE(TABLE bids, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))` or a user table function.
 */
export interface TableFunctionRef extends Node, Aliased {
  readonly type: 'tableFunction'
  readonly call: FunctionCall
  readonly lateral: boolean
}

/** `UNNEST(expr) [WITH ORDINALITY] [AS] t (a, b)`. */
export interface UnnestTableRef extends Node, Aliased {
  readonly type: 'unnest'
  readonly exprs: readonly Expr[]
  readonly withOrdinality: boolean
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/** A statement. */
export type Statement =
  | QueryStatement
  | InsertStatement
  | CreateTableStatement
  | CreateViewStatement
  | CreateFunctionStatement
  | DropStatement
  | ShowStatement
  | DescribeStatement
  | ExplainStatement
  | SetStatement
  | ResetStatement
  | StatementSetStatement
  | UseStatement

/** A query used as a statement (`SELECT ...;`). */
export interface QueryStatement extends Node {
  readonly type: 'query'
  readonly query: Query
}

/** `INSERT INTO|OVERWRITE t [PARTITION (...)] [(a, b)] query`. */
export interface InsertStatement extends Node {
  readonly type: 'insert'
  readonly target: QualifiedName
  readonly overwrite: boolean
  readonly columns?: readonly string[]
  readonly partition?: readonly { readonly column: string; readonly value: Literal }[]
  readonly query: Query
  readonly hints?: readonly Hint[]
}

/** A column of `CREATE TABLE`. */
export type ColumnDef =
  /** `name type [NOT NULL] [COMMENT '...']`. */
  | (Node & { readonly kind: 'physical'; readonly name: string; readonly dataType: TypeSyntax; readonly comment?: string })
  /** `name AS expr [COMMENT '...']`. */
  | (Node & { readonly kind: 'computed'; readonly name: string; readonly expr: Expr; readonly comment?: string })
  /** `name type METADATA [FROM 'key'] [VIRTUAL]`. */
  | (Node & { readonly kind: 'metadata'; readonly name: string; readonly dataType: TypeSyntax; readonly key?: string; readonly virtual: boolean; readonly comment?: string })

/**
 * `CREATE [TEMPORARY] TABLE [IF NOT EXISTS] name (columns, [WATERMARK FOR col AS expr],
 * [PRIMARY KEY (a, b) NOT ENFORCED]) [COMMENT '...'] [PARTITIONED BY (...)] WITH ('k' = 'v', ...)
 * [LIKE other]`; also `CREATE TABLE name WITH (...) AS query` (CTAS).
 */
export interface CreateTableStatement extends Node {
  readonly type: 'createTable'
  readonly name: QualifiedName
  readonly temporary: boolean
  readonly ifNotExists: boolean
  readonly columns: readonly ColumnDef[]
  readonly watermark?: { readonly pos: Pos; readonly column: string; readonly expr: Expr }
  /** The columns of `PRIMARY KEY (...) NOT ENFORCED` (as a table constraint or on a column). */
  readonly primaryKey?: { readonly pos: Pos; readonly columns: readonly string[]; readonly enforced: boolean }
  readonly partitionedBy?: readonly string[]
  readonly comment?: string
  /** The `WITH` options in written order (keys and values as written, unquoted). */
  readonly options: readonly { readonly pos: Pos; readonly key: string; readonly value: string }[]
  readonly like?: QualifiedName
  /** `LIKE other (INCLUDING ALL EXCLUDING OPTIONS ...)`: what to take from `like`, in written order. */
  readonly likeOptions?: readonly LikeOption[]
  readonly asQuery?: Query
}

/** One option of `CREATE TABLE ... LIKE other (...)`: `INCLUDING ALL`, `EXCLUDING OPTIONS`, `OVERWRITING WATERMARKS`, ... */
export interface LikeOption {
  readonly strategy: 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING'
  readonly feature: 'ALL' | 'CONSTRAINTS' | 'PARTITIONS' | 'WATERMARKS' | 'GENERATED' | 'OPTIONS' | 'METADATA'
}

/** `CREATE [TEMPORARY] VIEW [IF NOT EXISTS] name [(a, b)] [COMMENT '...'] AS query`. */
export interface CreateViewStatement extends Node {
  readonly type: 'createView'
  readonly name: QualifiedName
  readonly temporary: boolean
  readonly ifNotExists: boolean
  readonly columns?: readonly string[]
  readonly comment?: string
  readonly query: Query
}

/** `CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS 'identifier' [LANGUAGE ...]`. */
export interface CreateFunctionStatement extends Node {
  readonly type: 'createFunction'
  readonly name: QualifiedName
  readonly temporary: boolean
  readonly system: boolean
  readonly ifNotExists: boolean
  readonly identifier: string
  readonly language?: string
}

/** `DROP [TEMPORARY [SYSTEM]] TABLE|VIEW|FUNCTION [IF EXISTS] name`. */
export interface DropStatement extends Node {
  readonly type: 'drop'
  readonly objectType: 'TABLE' | 'VIEW' | 'FUNCTION'
  readonly name: QualifiedName
  readonly temporary: boolean
  readonly ifExists: boolean
  /** `DROP TEMPORARY SYSTEM FUNCTION` (present only when written). */
  readonly system?: boolean
}

/** `SHOW TABLES|VIEWS|FUNCTIONS|CATALOGS|DATABASES|JOBS`, `SHOW CREATE TABLE|VIEW name`, `SHOW COLUMNS FROM name`. */
export interface ShowStatement extends Node {
  readonly type: 'show'
  readonly what: 'TABLES' | 'VIEWS' | 'FUNCTIONS' | 'CATALOGS' | 'DATABASES' | 'JOBS' | 'CREATE_TABLE' | 'CREATE_VIEW' | 'COLUMNS' | 'CURRENT_CATALOG' | 'CURRENT_DATABASE'
  readonly name?: QualifiedName
  /** `SHOW TABLES LIKE '%x%'`. */
  readonly like?: string
}

/** `DESCRIBE name` or `DESC name`. */
export interface DescribeStatement extends Node {
  readonly type: 'describe'
  readonly name: QualifiedName
}

/** `EXPLAIN [PLAN FOR] statement` or `EXPLAIN CHANGELOG_MODE, ... statement`. */
export interface ExplainStatement extends Node {
  readonly type: 'explain'
  /** Details asked for: `ESTIMATED_COST`, `CHANGELOG_MODE`, `JSON_EXECUTION_PLAN`, `PLAN_ADVICE`. */
  readonly details: readonly string[]
  readonly statement: QueryStatement | InsertStatement | StatementSetStatement
}

/** `SET` (all), `SET 'key' = 'value'`. */
export interface SetStatement extends Node {
  readonly type: 'set'
  readonly key?: string
  readonly value?: string
}

/** `RESET` (all) or `RESET 'key'`. */
export interface ResetStatement extends Node {
  readonly type: 'reset'
  readonly key?: string
}

/** `EXECUTE STATEMENT SET BEGIN insert; insert; END` or `BEGIN STATEMENT SET; insert; ...; END`. */
export interface StatementSetStatement extends Node {
  readonly type: 'statementSet'
  readonly inserts: readonly InsertStatement[]
}

/** `USE [CATALOG] name`. */
export interface UseStatement extends Node {
  readonly type: 'use'
  readonly catalog: boolean
  readonly name: QualifiedName
}
