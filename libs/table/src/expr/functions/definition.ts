/**
 * The contract of a built-in function: its type inference, its NULL behaviour, and its
 * implementation (a JavaScript function, optionally an inline code template for the code
 * generator).
 *
 * @packageDocumentation
 */
import { SqlRuntimeError } from '../../errors.js'
import type { Pos } from '../../sql/ast.js'
import type { DataType } from '../../types/data-type.js'
import type { Rex } from '../rex.js'

/** Where a call was written, for runtime errors: the expression as text and its position. */
export interface CallSite {
  readonly text: string
  readonly pos?: Pos
}

/** The error a call raises at run time: `Failed to evaluate <expr> at line 1, column 8: <message>`. */
export const runtimeError = (site: CallSite, message: string, cause?: unknown): SqlRuntimeError => {
  const where = site.pos === undefined ? '' : ` at line ${site.pos.line}, column ${site.pos.column}`
  return new SqlRuntimeError(`Failed to evaluate ${site.text}${where}: ${message}`, cause === undefined ? undefined : { cause })
}

/** What a function's implementation is specialised for: one call site, its argument types and result type. */
export interface SpecializeInput {
  /** The arguments (literals can be read at construction: a constant pattern is compiled once). */
  readonly args: readonly Rex[]
  readonly argTypes: readonly DataType[]
  readonly type: DataType
  readonly site: CallSite
}

/**
 * The implementation of one call site.
 *
 * @remarks
 * `fn` takes the argument values (never `NULL` for a `strict` function) and returns the result
 * (`null` for SQL `NULL`); a function with `runtime: true` takes the {@link ExprRuntime} first.
 * `inline`, when present, gives an equivalent JavaScript expression over the argument
 * expressions, for the code generator; `k(value)` names a constant (a helper function, a
 * compiled pattern) the expression may use. Both must agree: the compiler's tests check
 * compiled code against `fn`.
 */
export interface CallImpl {
  readonly fn: (...args: any[]) => unknown
  readonly inline?: (args: readonly string[], k: (value: unknown) => string) => string
}

/**
 * A built-in scalar function or operator.
 *
 * @remarks
 * NULL handling (`nulls`):
 * - `strict`: the result is `NULL` when any argument is `NULL`; `fn` never sees `NULL`; the
 *   result type is nullable when an argument type is (or `nullableResult`).
 * - `total`: `fn` sees `NULL`s and decides (`IS NULL`, `CONCAT_WS`, `IS DISTINCT FROM`); `infer`
 *   gives the nullability.
 * - `special`: evaluated lazily by the compiler and the interpreter themselves (`AND`, `OR`,
 *   `CASE`, `COALESCE`, `IF`, `IN`, `TRY_CAST`); `infer` gives the nullability.
 */
export interface FunctionDefinition {
  /** The canonical upper-case name (`+`, `=`, `SUBSTRING`, ...). */
  readonly name: string
  readonly nulls: 'strict' | 'total' | 'special'
  /** Whether equal arguments always give equal results (constant folding, common subexpressions). */
  readonly deterministic: boolean
  /** Non-deterministic but fixed within one record (`CURRENT_TIMESTAMP`): computed once per record. */
  readonly perRecord?: boolean
  /** Whether `fn` takes the runtime context first (clock, watermark). */
  readonly runtime?: boolean
  /** Whether the result may be `NULL` for non-`NULL` arguments (a `strict` function's type is then always nullable). */
  readonly nullableResult?: boolean
  /** The result type for these argument types, or a message why they do not fit. */
  readonly infer: (argTypes: readonly DataType[], args: readonly Rex[]) => DataType | string
  /** The types the arguments are implicitly cast to before the call (same length as the arguments). */
  readonly operandTypes?: (argTypes: readonly DataType[], type: DataType) => readonly DataType[]
  /** The implementation for one call site (absent for `special` functions, which the compiler handles). */
  readonly specialize?: (input: SpecializeInput) => CallImpl
}

/** Defines a function (identity helper for type checking). */
export const defineFunction = (def: FunctionDefinition): FunctionDefinition => def

/** A function implementation without an inline template. */
export const impl = (fn: (...args: any[]) => unknown): CallImpl => ({ fn })

/** A function implementation with an inline template. */
export const inlined = (fn: (...args: any[]) => unknown, inline: (args: readonly string[], k: (value: unknown) => string) => string): CallImpl => ({ fn, inline })

/** The literal value of an argument, or `undefined` when it is not a literal. */
export const literalArg = (args: readonly Rex[], i: number): unknown => {
  const a = args[i]
  return a !== undefined && a.kind === 'literal' ? a.value : undefined
}

/** Formats a list of argument types for messages: `<INT>, <STRING>`. */
export const describeArgs = (types: readonly DataType[], format: (t: DataType) => string): string => types.map((t) => `<${format(t)}>`).join(', ')
