/**
 * What `CREATE FUNCTION name AS '<identifier>'` names: implementations of user-defined functions
 * registered under an identifier string (in Flink, a Java class name).
 *
 * @packageDocumentation
 */
import type { UserAggregateFunction } from '../aggregate/aggregate-call.js'
import type { AggregateFunctionDefinition, TableFunctionDefinition } from '../catalog/catalog.js'
import type { ScalarFunctionDefinition } from '../expr/scope.js'
import type { DataType } from '../types/data-type.js'

/**
 * A scalar function implementation: one value per call.
 *
 * @category Functions
 * @since 0.2.0
 */
export interface ScalarFunctionClass {
  readonly kind: 'scalar'
  /** The function; it gets the argument values (`null` for SQL `NULL`) and returns the result value. */
  readonly fn: (...args: any[]) => unknown
  /** The result type, or a function of the argument types giving it (or a message why these arguments do not fit). */
  readonly resultType: DataType | ((argTypes: readonly DataType[]) => DataType | string)
  /** Whether equal arguments always give equal results (default true). */
  readonly deterministic?: boolean
}

/**
 * A table function implementation: rows for each call (`LATERAL TABLE(f(...))`).
 *
 * @category Functions
 * @since 0.2.0
 */
export interface TableFunctionClass {
  readonly kind: 'table'
  /** The rows of a call: arrays of field values (or single values for a one-field result). */
  readonly fn: (...args: any[]) => Iterable<readonly unknown[] | unknown>
  /** The result fields for the given argument types, or a message why these arguments do not fit. */
  readonly resultFields: (argTypes: readonly DataType[]) => readonly { readonly name: string; readonly type: DataType }[] | string
}

/**
 * An aggregate function implementation.
 *
 * @category Functions
 * @since 0.2.0
 */
export interface AggregateFunctionClass {
  readonly kind: 'aggregate'
  /** A new instance of the function (one per aggregate call in a plan). */
  readonly create: () => UserAggregateFunction
  /** The result type for the given argument types, or a message why these arguments do not fit. */
  readonly resultType: (argTypes: readonly DataType[]) => DataType | string
}

/**
 * The implementation of a user-defined function that `CREATE FUNCTION name AS '<identifier>'`
 * can name: a scalar, table or aggregate function (what `createTemporarySystemFunction`,
 * `createTableFunction` and `createAggregateFunction` take, without the name).
 *
 * @remarks
 * Flink's `CREATE FUNCTION` names a Java class; Strom has no class path, so a table environment
 * is given the implementations by identifier ({@link TableEnvironmentOptions.functionClasses} or
 * {@link TableEnvironment.registerFunctionClass}), and `CREATE FUNCTION` registers the one its
 * `AS` string names under the function's name.
 *
 * @category Functions
 * @since 0.2.0
 */
export type FunctionClass = ScalarFunctionClass | TableFunctionClass | AggregateFunctionClass

/** The catalog definition of a function class registered under `name`. @internal */
export const functionDefinition = (
  name: string,
  c: FunctionClass,
): { readonly kind: 'scalar'; readonly def: ScalarFunctionDefinition } | { readonly kind: 'table'; readonly def: TableFunctionDefinition } | { readonly kind: 'aggregate'; readonly def: AggregateFunctionDefinition } => {
  switch (c.kind) {
    case 'scalar': {
      const rt = c.resultType
      return { kind: 'scalar', def: { name, fn: c.fn, resultType: typeof rt === 'function' ? rt : () => rt, deterministic: c.deterministic ?? true } }
    }
    case 'table':
      return { kind: 'table', def: { name, fn: c.fn, resultFields: c.resultFields } }
    case 'aggregate':
      return { kind: 'aggregate', def: { name, create: c.create, resultType: c.resultType } }
  }
}
