/**
 * A tree-walking interpreter of resolved expressions: the obviously-correct reference the code
 * generator is tested against, and the evaluator of constant folding.
 *
 * @remarks
 * Slow (it walks the tree and allocates argument arrays per call): not for the per-record path.
 * Semantics are those of the compiled code: SQL `NULL`s, three-valued logic, lazy `AND`, `OR`,
 * `CASE`, `COALESCE`, `IF` and `IN`.
 *
 * @packageDocumentation
 */
import { type CallImpl, type CallSite, type FunctionDefinition } from './functions/definition.js'
import { lookupFunction } from './functions/registry.js'
import { formatRex, type RexNames } from './format-rex.js'
import { originOf } from './origin.js'
import type { Rex, RexCall } from './rex.js'
import { type ExprRuntime, systemRuntime } from './runtime.js'

const implCache = new WeakMap<RexCall, CallImpl>()

/** The definition of a call's operator; throws for an unknown one (the resolver never makes one). */
export const definitionOf = (op: string): FunctionDefinition => {
  const def = lookupFunction(op)
  if (def === undefined) throw new Error(`Unknown built-in function or operator '${op}'`)
  return def
}

/** The call site of a call, for runtime errors. */
export const siteOf = (call: RexCall, names?: RexNames): CallSite => {
  const text = formatRex(originOf(call), names)
  return call.pos === undefined ? { text } : { text, pos: call.pos }
}

/** The implementation of a call, specialised for its argument and result types. */
export const specializeCall = (call: RexCall, names?: RexNames): CallImpl => {
  const def = definitionOf(call.op)
  if (def.specialize === undefined) throw new Error(`'${call.op}' is evaluated by the compiler itself`)
  return def.specialize({ args: call.args, argTypes: call.args.map((a) => a.type), type: call.type, site: siteOf(call, names) })
}

const implOf = (call: RexCall, names: RexNames | undefined): CallImpl => {
  if (names !== undefined) return specializeCall(call, names)
  let i = implCache.get(call)
  if (i === undefined) {
    i = specializeCall(call)
    implCache.set(call, i)
  }
  return i
}

const isNull = (v: unknown): boolean => v === null || v === undefined

/** Equality of `IN`: primitives by value (`NaN` equal to itself, as Java's `HashSet`), others structurally. */
export const inEquals = (a: unknown, b: unknown, eq: (a: unknown, b: unknown) => boolean): boolean =>
  typeof a === 'object' ? eq(a, b) : a === b || (a !== a && b !== b)

/**
 * Evaluates an expression over one row (and the right row of a two-input operator).
 *
 * @remarks
 * `rt` gives the clock and the watermark (default: the wall clock, no watermark); `names`, the
 * field names used in runtime error messages.
 *
 * @category Expressions
 * @since 0.1.0
 */
export const evaluate = (rex: Rex, fields: readonly unknown[], right: readonly unknown[] = [], rt: ExprRuntime = systemRuntime, names?: RexNames): unknown => {
  const ev = (r: Rex): unknown => evaluate(r, fields, right, rt, names)
  switch (rex.kind) {
    case 'input': {
      const v = (rex.side === 0 ? fields : right)[rex.index]
      return v === undefined ? null : v
    }
    case 'literal':
      return rex.value === undefined ? null : rex.value
    case 'field': {
      const v = ev(rex.expr)
      if (isNull(v)) return null
      const x = (v as readonly unknown[])[rex.index]
      return x === undefined ? null : x
    }
    case 'udf': {
      const out = rex.fn(...rex.args.map(ev))
      return out === undefined ? null : out
    }
    case 'call':
      break
  }
  const args = rex.args
  switch (rex.op) {
    case 'AND': {
      let acc: boolean | null = true
      for (const a of args) {
        const x = ev(a)
        if (x === false) return false
        if (isNull(x)) acc = null
      }
      return acc
    }
    case 'OR': {
      let acc: boolean | null = false
      for (const a of args) {
        const x = ev(a)
        if (x === true) return true
        if (isNull(x)) acc = null
      }
      return acc
    }
    case 'CASE': {
      for (let i = 0; i + 1 < args.length; i += 2) if (ev(args[i]!) === true) return ev(args[i + 1]!)
      return ev(args[args.length - 1]!)
    }
    case 'COALESCE': {
      for (const a of args) {
        const x = ev(a)
        if (!isNull(x)) return x
      }
      return null
    }
    case 'IF':
      return ev(args[0]!) === true ? ev(args[1]!) : ev(args[2]!)
    case 'IN': {
      const x = ev(args[0]!)
      if (isNull(x)) return null
      const eq = implOfEquals(rex)
      let sawNull = false
      for (let i = 1; i < args.length; i++) {
        const e = ev(args[i]!)
        if (isNull(e)) sawNull = true
        else if (inEquals(x, e, eq)) return true
      }
      return sawNull ? null : false
    }
    default:
      break
  }
  const def = definitionOf(rex.op)
  const values = args.map(ev)
  if (def.nulls === 'strict' && values.some(isNull)) return null
  const fn = implOf(rex, names).fn
  const out = def.runtime === true ? fn(rt, ...values) : fn(...values)
  return out === undefined ? null : out
}

const equalsCache = new WeakMap<RexCall, (a: unknown, b: unknown) => boolean>()

/** The `=` of an `IN`'s operand type. */
const implOfEquals = (call: RexCall): ((a: unknown, b: unknown) => boolean) => {
  let eq = equalsCache.get(call)
  if (eq === undefined) {
    const t = call.args[0]!.type
    const fn = definitionOf('=').specialize!({ args: [call.args[0]!, call.args[0]!], argTypes: [t, t], type: call.type, site: siteOf(call) }).fn
    eq = (a, b) => fn(a, b) === true
    equalsCache.set(call, eq)
  }
  return eq
}

/** Whether an expression reads the runtime (the clock or the watermark) anywhere. */
export const usesRuntime = (rex: Rex): boolean => {
  switch (rex.kind) {
    case 'input':
    case 'literal':
      return false
    case 'field':
      return usesRuntime(rex.expr)
    case 'udf':
      return rex.args.some(usesRuntime)
    case 'call':
      return lookupFunction(rex.op)?.runtime === true || rex.args.some(usesRuntime)
  }
}

/** Whether an expression always gives the same value for the same input (no clock, no `RAND`, no non-deterministic UDF). */
export const isDeterministic = (rex: Rex): boolean => {
  switch (rex.kind) {
    case 'input':
    case 'literal':
      return true
    case 'field':
      return isDeterministic(rex.expr)
    case 'udf':
      return rex.deterministic && rex.args.every(isDeterministic)
    case 'call':
      return (lookupFunction(rex.op)?.deterministic ?? false) && rex.args.every(isDeterministic)
  }
}
