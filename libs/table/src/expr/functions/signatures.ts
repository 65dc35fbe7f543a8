/**
 * A small language for the signatures of built-in functions: which argument families a form
 * accepts, and Calcite-style messages when none fits.
 *
 * @packageDocumentation
 */
import type { Rex } from '../rex.js'
import type { CallImpl, FunctionDefinition, SpecializeInput } from './definition.js'
import { type DataType, DataTypes, formatType, isInteger, isNumeric, isString, isTimestamp } from '../../types/data-type.js'

/** An argument family of a signature. */
export type ArgSpec =
  | 'ANY'
  | 'STRING'
  | 'BINARY'
  | 'STRING_OR_BINARY'
  | 'NUMERIC'
  | 'INTEGER'
  | 'EXACT'
  | 'BOOLEAN'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP'
  | 'DATETIME'
  | 'INTERVAL'
  | 'ARRAY'
  | 'MAP'
  | 'ROW'

const matches = (spec: ArgSpec, t: DataType): boolean => {
  if (t.kind === 'NULL') return true
  switch (spec) {
    case 'ANY':
      return true
    case 'STRING':
      return isString(t)
    case 'BINARY':
      return t.kind === 'BINARY' || t.kind === 'VARBINARY'
    case 'STRING_OR_BINARY':
      return isString(t) || t.kind === 'BINARY' || t.kind === 'VARBINARY'
    case 'NUMERIC':
      return isNumeric(t)
    case 'INTEGER':
      return isInteger(t)
    case 'EXACT':
      return isInteger(t) || t.kind === 'DECIMAL'
    case 'BOOLEAN':
      return t.kind === 'BOOLEAN'
    case 'DATE':
      return t.kind === 'DATE'
    case 'TIME':
      return t.kind === 'TIME'
    case 'TIMESTAMP':
      return isTimestamp(t)
    case 'DATETIME':
      return t.kind === 'DATE' || t.kind === 'TIME' || isTimestamp(t)
    case 'INTERVAL':
      return t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH'
    case 'ARRAY':
      return t.kind === 'ARRAY'
    case 'MAP':
      return t.kind === 'MAP'
    case 'ROW':
      return t.kind === 'ROW'
  }
}

/** The type a `NULL` literal argument becomes for a spec. */
export const defaultTypeOf = (spec: ArgSpec): DataType => {
  switch (spec) {
    case 'STRING':
    case 'STRING_OR_BINARY':
      return DataTypes.STRING()
    case 'BINARY':
      return DataTypes.BYTES()
    case 'INTEGER':
      return DataTypes.INT()
    case 'EXACT':
    case 'NUMERIC':
      return DataTypes.INT()
    case 'BOOLEAN':
      return DataTypes.BOOLEAN()
    case 'DATE':
      return DataTypes.DATE()
    case 'TIME':
      return DataTypes.TIME()
    case 'TIMESTAMP':
    case 'DATETIME':
      return DataTypes.TIMESTAMP(3)
    case 'INTERVAL':
      return DataTypes.INTERVAL_DAY_TIME()
    default:
      return DataTypes.NULL()
  }
}

const specName = (s: ArgSpec): string =>
  ({
    ANY: 'ANY',
    STRING: 'STRING',
    BINARY: 'BYTES',
    STRING_OR_BINARY: 'STRING',
    NUMERIC: 'NUMERIC',
    INTEGER: 'INTEGER',
    EXACT: 'EXACT_NUMERIC',
    BOOLEAN: 'BOOLEAN',
    DATE: 'DATE',
    TIME: 'TIME',
    TIMESTAMP: 'TIMESTAMP',
    DATETIME: 'DATETIME',
    INTERVAL: 'INTERVAL',
    ARRAY: 'ARRAY',
    MAP: 'MAP',
    ROW: 'ROW',
  })[s]

/** A message in Calcite's words: `Cannot apply 'UPPER' to arguments of type 'UPPER(<INT>)'. Supported form(s): 'UPPER(<STRING>)'`. */
export const signatureError = (name: string, argTypes: readonly DataType[], forms: readonly (readonly ArgSpec[])[]): string => {
  const given = `${name}(${argTypes.map((t) => `<${formatType(t)}>`).join(', ')})`
  const supported = forms.map((f) => `'${name}(${f.map((s) => `<${specName(s)}>`).join(', ')})'`).join(', ')
  return `Cannot apply '${name}' to arguments of type '${given}'. Supported form(s): ${supported}`
}

/** The first form the argument types match, or `undefined`. A form ending in `'...'` semantics is expressed by listing each arity. */
export const matchForm = (argTypes: readonly DataType[], forms: readonly (readonly ArgSpec[])[]): readonly ArgSpec[] | undefined =>
  forms.find((f) => f.length === argTypes.length && f.every((s, i) => matches(s, argTypes[i]!)))

/** Whether a type matches a spec. */
export const matchesSpec = matches

/**
 * Checks the argument types against the forms; gives the matched form or an error message.
 */
export const checkForms = (name: string, argTypes: readonly DataType[], forms: readonly (readonly ArgSpec[])[]): readonly ArgSpec[] | string =>
  matchForm(argTypes, forms) ?? signatureError(name, argTypes, forms)

/** Operand types that turn `NULL`-typed arguments into the default type of their spec and keep the rest. */
export const nullsToSpec = (argTypes: readonly DataType[], form: readonly ArgSpec[]): readonly DataType[] =>
  argTypes.map((t, i) => (t.kind === 'NULL' ? defaultTypeOf(form[i]!) : t))

// ---------------------------------------------------------------------------------------------
// Simple functions
// ---------------------------------------------------------------------------------------------


/** The description of a function with a fixed list of forms. */
export interface SimpleFunction {
  readonly name: string
  readonly forms: readonly (readonly ArgSpec[])[]
  /** The result type (nullability is added for `strict` functions by the resolver). */
  readonly returns: DataType | ((argTypes: readonly DataType[], args: readonly Rex[]) => DataType | string)
  /** The implementation when it does not depend on the call site. */
  readonly fn?: (...args: any[]) => unknown
  readonly inline?: (args: readonly string[], k: (value: unknown) => string) => string
  readonly specialize?: (input: SpecializeInput) => CallImpl
  readonly nulls?: 'strict' | 'total'
  readonly deterministic?: boolean
  readonly nullableResult?: boolean
  readonly runtime?: boolean
  readonly perRecord?: boolean
}

/** A {@link FunctionDefinition} from a list of forms and an implementation. */
export const simple = (o: SimpleFunction): FunctionDefinition => ({
  name: o.name,
  nulls: o.nulls ?? 'strict',
  deterministic: o.deterministic ?? true,
  ...(o.perRecord === undefined ? {} : { perRecord: o.perRecord }),
  ...(o.runtime === undefined ? {} : { runtime: o.runtime }),
  ...(o.nullableResult === undefined ? {} : { nullableResult: o.nullableResult }),
  infer: (argTypes, args) => {
    const form = checkForms(o.name, argTypes, o.forms)
    if (typeof form === 'string') return form
    return typeof o.returns === 'function' ? o.returns(argTypes, args) : o.returns
  },
  operandTypes: (argTypes) => {
    const form = matchForm(argTypes, o.forms)
    return form === undefined ? argTypes : nullsToSpec(argTypes, form)
  },
  specialize:
    o.specialize ??
    (() => {
      const fn = o.fn
      if (fn === undefined) throw new Error(`function ${o.name} has no implementation`)
      return o.inline === undefined ? { fn } : { fn, inline: o.inline }
    }),
})
