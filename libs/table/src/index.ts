/**
 * `@strom/table`: the Table API and SQL layer of Strom.
 *
 * @remarks
 * Flink's SQL dialect and a fluent Table API, planned into changelog operators built from the
 * process layer's keyed state and timers, and run by the same runtime as DataStream jobs.
 *
 * @packageDocumentation
 */
export * from './types/data-type.js'
export * from './data/row.js'
export * from './errors.js'
export type * from './sql/ast.js'
export type { UserAggregateFunction } from './aggregate/aggregate-call.js'
