// Problems inside a planning stage: thrown as a `Problems` error deep in the conversion and turned
// into an `Either` at the stage's boundary, so the conversion code stays readable.
import * as E from 'fp-ts/lib/Either.js'
import type { SqlProblem } from '../errors.js'
import type { Expr, Pos } from '../sql/ast.js'

/** Problems found while planning; caught at the stage boundary. */
export class Problems extends Error {
  constructor(readonly problems: readonly SqlProblem[]) {
    super(problems.map((p) => p.message).join('; '))
  }
}

/** Stops the stage with one problem at `pos`. */
export const fail = (message: string, pos?: Pos): never => {
  throw new Problems([pos === undefined ? { message } : { message, pos }])
}

/** The value of a Right, or throws the Left's problems. */
export const unwrap = <T>(e: E.Either<readonly SqlProblem[], T>): T => {
  if (E.isLeft(e)) throw new Problems(e.left)
  return e.right
}

/** Runs a stage: its value as a Right, its `Problems` as a Left; anything else is rethrown. */
export const stage = <T>(f: () => T): E.Either<readonly SqlProblem[], T> => {
  try {
    return E.right(f())
  } catch (e) {
    if (e instanceof Problems) return E.left(e.problems)
    throw e
  }
}

/** A key for an expression that ignores positions: two expressions written alike get the same key. */
export const exprKey = (e: Expr): string =>
  JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v))
