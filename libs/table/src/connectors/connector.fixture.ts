/**
 * Shared fixtures of the connector specs. Not exported from the package.
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/lib/Either.js'
import type { ConnectorColumn, ConnectorContext, OptionProblem } from './table-connector.js'

/** The context of table `t` with these options and columns. */
export const tableContext = (
  options: Record<string, string>,
  columns: readonly ConnectorColumn[],
  metadataColumns: readonly ConnectorColumn[] = [],
  runtimeMode: 'STREAMING' | 'BATCH' = 'STREAMING',
): ConnectorContext => ({
  tableName: 'default_catalog.default_database.t',
  columns,
  metadataColumns,
  options: new Map(Object.entries(options)),
  runtimeMode,
})

/** The right side of an Either, or a failure listing the problems. */
export const right = <T>(e: E.Either<readonly OptionProblem[], T>): T => {
  if (E.isLeft(e)) throw new Error(`expected no problems, got:\n${e.left.map((p) => `  ${p.option ?? '-'}: ${p.message}`).join('\n')}`)
  return e.right
}

/** The problems of a Left, as `option: message` lines (fails on a Right). */
export const problems = <T>(e: E.Either<readonly OptionProblem[], T>): string[] => {
  if (E.isRight(e)) throw new Error('expected problems, got none')
  return e.left.map((p) => `${p.option ?? '-'}: ${p.message}`)
}
