/**
 * What the streaming join functions share: join types, conditions, key selectors, the NULL key
 * filter, joined rows and the state encoding of whole rows.
 *
 * @packageDocumentation
 */
import type { KeySelector } from '@strom/runtime'
import { ConfigError } from '@strom/runtime'
import type { Row, RowKind } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { keySelectorOf, plainJson } from '../keys.js'

/**
 * The kind of a join, as Flink's `FlinkJoinType`.
 *
 * @remarks
 * `SEMI` (`EXISTS`, `IN`) and `ANTI` (`NOT EXISTS`, `NOT IN`) emit left rows only, never right
 * fields.
 *
 * @category Joins
 * @since 0.1.0
 */
export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'SEMI' | 'ANTI'

/**
 * The non-equi part of a join condition, over the fields of a left row and a right row.
 *
 * @remarks
 * Called on the per-record path: it must not allocate or throw for ordinary values. SQL's
 * three-valued logic is the caller's: return `true` only when the condition is TRUE (UNKNOWN
 * does not join).
 *
 * @category Joins
 * @since 0.1.0
 */
export type JoinCondition = (left: readonly unknown[], right: readonly unknown[]) => boolean

/** Whether the left side of a join of this type keeps rows without a match (LEFT, FULL). */
export const isLeftOuter = (t: JoinType): boolean => t === 'LEFT' || t === 'FULL'

/** Whether the right side of a join of this type keeps rows without a match (RIGHT, FULL). */
export const isRightOuter = (t: JoinType): boolean => t === 'RIGHT' || t === 'FULL'

/** Whether a join of this type emits left rows only (SEMI, ANTI). */
export const isSemiOrAnti = (t: JoinType): boolean => t === 'SEMI' || t === 'ANTI'

/**
 * The key selectors of the two inputs of an equi-join: both encode their key fields with
 * `keySelectorOf`, so equal SQL key values meet in the same subtask and key.
 *
 * @remarks
 * Use them as `left.connect(right).keyBy(...joinKeySelectors(l, r)).process(fn)`.
 *
 * @throws ConfigError when the two key lists differ in length
 */
export const joinKeySelectors = (
  leftKeyIndices: readonly number[],
  rightKeyIndices: readonly number[],
): [KeySelector<Row, RowKey>, KeySelector<Row, RowKey>] => {
  if (leftKeyIndices.length !== rightKeyIndices.length)
    throw new ConfigError(
      `A join needs as many left key fields as right key fields, got ${leftKeyIndices.length} and ${rightKeyIndices.length}.`,
    )
  return [keySelectorOf(leftKeyIndices), keySelectorOf(rightKeyIndices)]
}

/**
 * Checks a join's key lists and NULL filters at construction time and returns the filter
 * positions (the key positions compared with `=`, where a NULL never matches).
 *
 * @param filterNullKeys - per key position, whether NULL never matches (`=`, the default) or
 *   NULL matches NULL (`IS NOT DISTINCT FROM`)
 * @throws ConfigError when the lists do not line up
 */
export const nullFilterPositions = (
  what: string,
  leftKeyIndices: readonly number[],
  rightKeyIndices: readonly number[],
  filterNullKeys: readonly boolean[] | undefined,
): number[] => {
  if (leftKeyIndices.length !== rightKeyIndices.length)
    throw new ConfigError(
      `${what}: the left key has ${leftKeyIndices.length} fields and the right key ${rightKeyIndices.length}; they must pair up.`,
    )
  if (filterNullKeys !== undefined && filterNullKeys.length !== leftKeyIndices.length)
    throw new ConfigError(
      `${what}: filterNullKeys has ${filterNullKeys.length} entries for a key of ${leftKeyIndices.length} fields.`,
    )
  const out: number[] = []
  for (let i = 0; i < leftKeyIndices.length; i++) if (filterNullKeys === undefined || filterNullKeys[i] === true) out.push(i)
  return out
}

/**
 * Whether a row has NULL in one of the filtered key positions, so that it joins nothing (Flink's
 * `JoinConditionWithNullFilters`).
 */
export const hasFilteredNull = (fields: readonly unknown[], keyIndices: readonly number[], positions: readonly number[]): boolean => {
  for (let i = 0; i < positions.length; i++) {
    const v = fields[keyIndices[positions[i]!]!]
    if (v === null || v === undefined) return true
  }
  return false
}

/** A condition that always holds, for joins without a non-equi part. */
export const ALWAYS: JoinCondition = () => true

/**
 * A new row of `leftWidth + rightWidth` fields: the left fields then the right ones, NULL for a
 * missing side.
 */
export const joinedRow = (
  kind: RowKind,
  left: readonly unknown[] | undefined,
  leftWidth: number,
  right: readonly unknown[] | undefined,
  rightWidth: number,
): Row => {
  const fields = new Array<unknown>(leftWidth + rightWidth)
  if (left === undefined) for (let i = 0; i < leftWidth; i++) fields[i] = null
  else for (let i = 0; i < leftWidth; i++) fields[i] = left[i]
  if (right === undefined) for (let i = 0; i < rightWidth; i++) fields[leftWidth + i] = null
  else for (let i = 0; i < rightWidth; i++) fields[leftWidth + i] = right[i]
  return { kind, fields }
}

const rowJsonValue = (_k: string, v: unknown): unknown => {
  switch (typeof v) {
    case 'number':
      return Number.isFinite(v) ? v : { $num: String(v) }
    case 'bigint':
      return { $bigint: v.toString() }
    case 'undefined':
      return null
    default:
      if (v instanceof Map) return { $map: [...v] }
      if (v instanceof Uint8Array) return { $bytes: Array.from(v) }
      return v
  }
}

/**
 * A state key for a whole row (or several fields): equal SQL values give equal strings.
 *
 * @remarks
 * JSON with tagged forms for what JSON lacks (non-finite numbers, BIGINT given as `bigint`, MAP,
 * BYTES), so `NaN`, `Infinity` and NULL stay apart. `-0` and `0` give the same key, as they compare
 * equal in SQL. Rows of plain values (strings, finite numbers, booleans, NULL) take JSON.stringify
 * without a replacer (the replacer's call per value made the encoding a tenth of a join's time);
 * the text is the same either way, so state written before reads the same.
 */
export const encodeFields = (fields: readonly unknown[]): string => {
  for (let i = 0; i < fields.length; i++) if (!plainJson(fields[i])) return JSON.stringify(fields, rowJsonValue)
  return JSON.stringify(fields)
}

/** The state key of the fields at `indices` of a row (a unique key), as {@link encodeFields}. */
export const fieldsEncoderOf = (indices: readonly number[]): ((fields: readonly unknown[]) => string) => {
  const n = indices.length
  if (n === 1) {
    const i = indices[0]!
    return (fields) => {
      const v = fields[i]
      return plainJson(v) ? JSON.stringify([v]) : JSON.stringify([v], rowJsonValue)
    }
  }
  return (fields) => {
    const picked = new Array<unknown>(n)
    for (let j = 0; j < n; j++) picked[j] = fields[indices[j]!]
    return encodeFields(picked)
  }
}

/** Checks that a count of fields is a non-negative integer; `what` names it in the error. */
export const checkWidth = (what: string, width: number): void => {
  if (!Number.isInteger(width) || width < 0) throw new ConfigError(`${what} must be a non-negative integer, got ${width}.`)
}

/** Checks that field indices lie within a row of `width` fields; `what` names them in the error. */
export const checkIndices = (what: string, indices: readonly number[], width: number): void => {
  for (const i of indices)
    if (!Number.isInteger(i) || i < 0 || i >= width) throw new ConfigError(`${what}: field index ${i} is outside a row of ${width} fields.`)
}
