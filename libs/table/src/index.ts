/**
 * `@strom/table`: the Table API and SQL layer of Strom.
 *
 * @remarks
 * Flink's SQL dialect and a fluent Table API, planned into changelog operators built from the
 * process layer's keyed state and timers, and run by the same runtime as DataStream jobs. Start
 * at {@link TableEnvironment} (SQL and Table programs that run their own jobs) or
 * {@link StreamTableEnvironment} (mixed with a DataStream program).
 *
 * @packageDocumentation
 */

// --- environments, tables, results ---
export * from './api/table-environment.js'
export type { FunctionClass, ScalarFunctionClass, TableFunctionClass, AggregateFunctionClass } from './api/function-classes.js'
export * from './api/stream-table-environment.js'
export * from './api/table.js'
export { $, lit, callSql, interval, Expression, type ExpressionLike } from './api/expressions.js'
export { formatResultRow, type TableResult, type ResultRow, type ResultColumn } from './api/table-result.js'

// --- data and types ---
export * from './types/data-type.js'
export * from './data/row.js'
export { formatValue, formatRow, toExternal, fromExternal, type FormatStyle } from './expr/format-value.js'

// --- SQL text ---
export { parseStatements, parseStatement, parseQuery, parseExpression, parseType } from './sql/parse.js'
export { splitStatements, isComplete, type ScriptStatement } from './sql/split-statements.js'
export { formatExpr, formatQuery, formatStatement } from './sql/format-sql.js'
export type * from './sql/ast.js'

// --- catalog, functions, connectors, formats ---
export { Catalog, DEFAULT_CATALOG, DEFAULT_DATABASE, type CatalogObject, type CatalogTable, type CatalogView, type CatalogStreamTable, type CatalogColumn, type TableFunctionDefinition, type AggregateFunctionDefinition, type FunctionCatalog } from './catalog/catalog.js'
export type { ScalarFunctionDefinition } from './expr/scope.js'
export type { UserAggregateFunction } from './aggregate/aggregate-call.js'
export * from './connectors/index.js'
export * from './formats/index.js'
export { jsonValueEncoder, DEFAULT_JSON_CODEC_OPTIONS, type JsonCodecOptions } from './formats/json.js'

// --- errors ---
export * from './errors.js'
