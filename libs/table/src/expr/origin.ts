/**
 * The expression a rewritten call stands for (constant folding rebuilds calls), so that runtime
 * errors name the expression as it was written.
 *
 * @packageDocumentation
 */
import type { RexCall } from './rex.js'

const origins = new WeakMap<RexCall, RexCall>()

/** Records that `rewritten` stands for `original` (or for what `original` stands for). */
export const rememberOrigin = (rewritten: RexCall, original: RexCall): RexCall => {
  if (rewritten !== original) origins.set(rewritten, origins.get(original) ?? original)
  return rewritten
}

/** The call as written, before rewriting. */
export const originOf = (call: RexCall): RexCall => origins.get(call) ?? call
