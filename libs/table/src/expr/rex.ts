/**
 * Resolved, typed scalar expressions ("row expressions", as Calcite's `RexNode`): what the
 * validator makes of the syntax tree's expressions once names are bound to input fields and
 * every function and operator has its argument and result types.
 *
 * @remarks
 * An expression reads fields of one input row by position (`input`), or of a second row in
 * two-input operators such as join conditions (`side: 1`: the right row). The planner compiles
 * expressions into plain JavaScript functions (`compile.ts`) before a job runs; nothing here is
 * evaluated per record.
 *
 * Function and operator names are upper case and canonical: arithmetic and comparison operators
 * use their symbols (`+`, `-`, `*`, `/`, `%`, `=`, `<>`, `<`, `<=`, `>`, `>=`), the rest their SQL
 * names (`AND`, `OR`, `NOT`, `IS NULL`, `IS NOT NULL`, `IS TRUE`, `IS DISTINCT FROM`, `LIKE`,
 * `SIMILAR TO`, `IN`, `BETWEEN`, `CASE`, `CAST`, `TRY_CAST`, `||`, `UPPER`, `COALESCE`, ...).
 * `CASE` takes `[when1, then1, when2, then2, ..., else]` (an absent `ELSE` is a `NULL` literal).
 * `CAST` takes one argument; the target is the call's `type`.
 *
 * @packageDocumentation
 */
import type { Pos } from '../sql/ast.js'
import type { DataType } from '../types/data-type.js'

/** A field of an input row. */
export interface InputRef {
  readonly kind: 'input'
  /** Which input: 0 (the only one, or the left side of a join) or 1 (the right side). */
  readonly side: 0 | 1
  readonly index: number
  readonly type: DataType
}

/** A constant, already in its runtime representation (see `data-type.ts`). */
export interface RexLiteral {
  readonly kind: 'literal'
  readonly value: unknown
  readonly type: DataType
}

/** A call of a built-in function or operator. */
export interface RexCall {
  readonly kind: 'call'
  /** The canonical name (see the module's remarks). */
  readonly op: string
  readonly args: readonly Rex[]
  readonly type: DataType
  /** Where the call was written, for runtime errors (a failing `CAST`). */
  readonly pos?: Pos
}

/** A call of a user-defined scalar function registered from TypeScript. */
export interface RexUdfCall {
  readonly kind: 'udf'
  readonly name: string
  readonly fn: (...args: unknown[]) => unknown
  readonly args: readonly Rex[]
  readonly type: DataType
  /** Whether the same arguments always give the same result (allows constant folding). */
  readonly deterministic: boolean
}

/** `row.field` of a `ROW` value, by position. */
export interface RexFieldAccess {
  readonly kind: 'field'
  readonly expr: Rex
  readonly index: number
  readonly type: DataType
}

/** A resolved expression. */
export type Rex = InputRef | RexLiteral | RexCall | RexUdfCall | RexFieldAccess

/** A reference to field `index` of input `side`. */
export const inputRef = (index: number, type: DataType, side: 0 | 1 = 0): InputRef => ({ kind: 'input', side, index, type })

/** A literal of `type`. */
export const literal = (value: unknown, type: DataType): RexLiteral => ({ kind: 'literal', value, type })

/** A call of the built-in `op`. */
export const call = (op: string, args: readonly Rex[], type: DataType, pos?: Pos): RexCall =>
  pos === undefined ? { kind: 'call', op, args, type } : { kind: 'call', op, args, type, pos }
