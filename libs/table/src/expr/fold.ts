/**
 * Constant folding: deterministic calls over literals replaced by their value before code is
 * generated (Calcite's `ReduceExpressionsRule`, in small).
 *
 * @packageDocumentation
 */
import { evaluate } from './evaluate.js'
import { lookupFunction } from './functions/registry.js'
import { rememberOrigin } from './origin.js'
import { literal, type Rex, type RexCall } from './rex.js'

const isLiteral = (r: Rex): r is Extract<Rex, { kind: 'literal' }> => r.kind === 'literal'

const foldable = (call: RexCall): boolean => {
  const def = lookupFunction(call.op)
  return def !== undefined && def.deterministic && def.runtime !== true && call.args.every(isLiteral)
}

const tryEvaluate = (r: Rex): Rex => {
  try {
    return literal(evaluate(r, []), r.type)
  } catch {
    // a call that fails on its constants fails at run time, with its position, as written
    return r
  }
}

/**
 * The expression with every deterministic call whose arguments are all literals replaced by a
 * literal of its value (bottom-up), and a few lazy forms simplified where their leading
 * arguments are constant (`FALSE AND x`, `CASE WHEN TRUE ...`, `COALESCE(1, x)`).
 *
 * @remarks
 * Calls that would fail (`CAST('abc' AS INT)`) are left as they are, so that they fail at run
 * time with their position. Clock functions, `RAND`, `UUID` and non-deterministic UDFs are never
 * folded. The result has the same type as the input.
 *
 * @category Expressions
 * @since 0.1.0
 */
export const foldConstants = (rex: Rex): Rex => {
  switch (rex.kind) {
    case 'input':
    case 'literal':
      return rex
    case 'field': {
      const e = foldConstants(rex.expr)
      const r = e === rex.expr ? rex : { ...rex, expr: e }
      return isLiteral(e) ? tryEvaluate(r) : r
    }
    case 'udf': {
      const args = rex.args.map(foldConstants)
      const r = args.every((a, i) => a === rex.args[i]) ? rex : { ...rex, args }
      return rex.deterministic && args.every(isLiteral) ? tryEvaluate(r) : r
    }
    case 'call':
      break
  }
  const args = rex.args.map(foldConstants)
  const call: RexCall = args.every((a, i) => a === rex.args[i]) ? rex : rememberOrigin({ ...rex, args }, rex)
  if (foldable(call)) return tryEvaluate(call)
  switch (call.op) {
    case 'AND':
    case 'OR': {
      const stop = call.op === 'AND' ? false : true
      const first = args[0]!
      if (isLiteral(first) && first.value === stop) return literal(stop, call.type)
      if (isLiteral(first) && first.value === !stop && args.length === 2 && args[1]!.type.nullable === call.type.nullable) return args[1]!
      return call
    }
    case 'CASE': {
      const kept: Rex[] = []
      for (let i = 0; i + 1 < args.length; i += 2) {
        const w = args[i]!
        if (isLiteral(w)) {
          if (w.value === true && kept.length === 0) return retype(args[i + 1]!, call)
          if (w.value !== true) continue
        }
        kept.push(w, args[i + 1]!)
      }
      const otherwise = args[args.length - 1]!
      if (kept.length === 0) return retype(otherwise, call)
      return kept.length + 1 === args.length ? call : rememberOrigin({ ...call, args: [...kept, otherwise] }, call)
    }
    case 'COALESCE': {
      const first = args[0]!
      if (isLiteral(first) && first.value !== null) return retype(first, call)
      return call
    }
    default:
      return call
  }
}

/** A branch standing for the whole call: keeps the call's (wider) type when the branch is a literal. */
const retype = (branch: Rex, call: RexCall): Rex => (isLiteral(branch) ? literal(branch.value, call.type) : branch.type.kind === call.type.kind && branch.type.nullable === call.type.nullable ? branch : { ...call, op: 'COALESCE', args: [branch] })
