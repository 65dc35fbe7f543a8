/**
 * Data types as written in DDL and `CAST` ({@link TypeSyntax}) turned into {@link DataType}s,
 * with Flink's defaults and limits.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/Either'
import type { SqlProblem } from '../errors.js'
import type { Pos, TimeUnit, TypeSyntax } from '../sql/ast.js'
import { type DataType, MAX_LENGTH, type RowField } from './data-type.js'

/** The largest precision of `DECIMAL` (Flink's `DecimalType.MAX_PRECISION`). */
export const MAX_DECIMAL_PRECISION = 38

/** The largest fractional-second precision of `TIME`, `TIMESTAMP` and `TIMESTAMP_LTZ`. */
export const MAX_TIME_PRECISION = 9

/** The time units an interval type or literal may start or end with, coarsest first. */
const INTERVAL_UNITS: readonly TimeUnit[] = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND']

/** The interval qualifiers Flink accepts (`YEAR TO MONTH`, `DAY TO SECOND`, `HOUR`, ...). */
const VALID_RANGES: ReadonlySet<string> = new Set([
  'YEAR',
  'YEAR TO MONTH',
  'MONTH',
  'DAY',
  'DAY TO HOUR',
  'DAY TO MINUTE',
  'DAY TO SECOND',
  'HOUR',
  'HOUR TO MINUTE',
  'HOUR TO SECOND',
  'MINUTE',
  'MINUTE TO SECOND',
  'SECOND',
])

/**
 * Whether `from [TO to]` is a valid interval qualifier, and which family it belongs to.
 *
 * @returns `'YEAR_MONTH'`, `'DAY_TIME'`, or a message why it is not valid.
 */
export const intervalFamily = (from: TimeUnit, to?: TimeUnit): 'YEAR_MONTH' | 'DAY_TIME' | string => {
  const text = to === undefined ? from : `${from} TO ${to}`
  if (!VALID_RANGES.has(text)) {
    if (!INTERVAL_UNITS.includes(from)) return `'${from}' is not a valid interval unit; use one of ${INTERVAL_UNITS.join(', ')}`
    return `'INTERVAL ${text}' is not a valid interval qualifier`
  }
  return from === 'YEAR' || from === 'MONTH' ? 'YEAR_MONTH' : 'DAY_TIME'
}

const problem = (message: string, pos: Pos): SqlProblem => ({ message, pos })

const checkLength = (kind: string, length: number | undefined, dflt: number, pos: Pos, problems: SqlProblem[]): number => {
  if (length === undefined) return dflt
  if (!Number.isInteger(length) || length < 1 || length > MAX_LENGTH) {
    problems.push(problem(`The length of ${kind} must be between 1 and ${MAX_LENGTH} (both inclusive), but was ${length}.`, pos))
    return dflt
  }
  return length
}

const checkTimePrecision = (kind: string, precision: number | undefined, dflt: number, pos: Pos, problems: SqlProblem[]): number => {
  if (precision === undefined) return dflt
  if (!Number.isInteger(precision) || precision < 0 || precision > MAX_TIME_PRECISION) {
    problems.push(problem(`The precision of ${kind} must be between 0 and ${MAX_TIME_PRECISION} (both inclusive), but was ${precision}.`, pos))
    return dflt
  }
  return precision
}

const convert = (t: TypeSyntax, problems: SqlProblem[]): DataType => {
  const nullable = t.nullable
  switch (t.kind) {
    case 'BOOLEAN':
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DATE':
      return { kind: t.kind, nullable }
    case 'DECIMAL': {
      let precision = t.precision ?? 10
      let scale = t.scale ?? 0
      if (!Number.isInteger(precision) || precision < 1 || precision > MAX_DECIMAL_PRECISION) {
        problems.push(problem(`The precision of DECIMAL must be between 1 and ${MAX_DECIMAL_PRECISION} (both inclusive), but was ${precision}.`, t.pos))
        precision = 10
      }
      if (!Number.isInteger(scale) || scale < 0 || scale > precision) {
        problems.push(problem(`The scale of DECIMAL must be between 0 and the precision ${precision} (both inclusive), but was ${scale}.`, t.pos))
        scale = 0
      }
      return { kind: 'DECIMAL', precision, scale, nullable }
    }
    case 'CHAR':
    case 'BINARY':
      // Calcite's default length of CHAR and BINARY is 1
      return { kind: t.kind, length: checkLength(t.kind, t.length, 1, t.pos, problems), nullable }
    case 'VARCHAR':
    case 'VARBINARY':
      // Flink's type system makes VARCHAR and VARBINARY without a length STRING and BYTES
      return { kind: t.kind, length: checkLength(t.kind, t.length, MAX_LENGTH, t.pos, problems), nullable }
    case 'TIME':
      return { kind: 'TIME', precision: checkTimePrecision('TIME', t.precision, 0, t.pos, problems), nullable }
    case 'TIMESTAMP':
      return { kind: 'TIMESTAMP', precision: checkTimePrecision('TIMESTAMP', t.precision, 6, t.pos, problems), nullable }
    case 'TIMESTAMP_LTZ':
      return { kind: 'TIMESTAMP_LTZ', precision: checkTimePrecision('TIMESTAMP_LTZ', t.precision, 6, t.pos, problems), nullable }
    case 'INTERVAL': {
      const family = intervalFamily(t.from, t.to)
      if (family === 'YEAR_MONTH') return { kind: 'INTERVAL_YEAR_MONTH', nullable }
      if (family === 'DAY_TIME') return { kind: 'INTERVAL_DAY_TIME', nullable }
      problems.push(problem(`${family}.`, t.pos))
      return { kind: 'INTERVAL_DAY_TIME', nullable }
    }
    case 'ARRAY':
    case 'MULTISET':
      return { kind: t.kind, element: convert(t.element, problems), nullable }
    case 'MAP':
      return { kind: 'MAP', key: convert(t.key, problems), value: convert(t.value, problems), nullable }
    case 'ROW': {
      const seen = new Set<string>()
      const fields: RowField[] = []
      for (const f of t.fields) {
        if (seen.has(f.name)) problems.push(problem(`Field names of a ROW must be unique, but '${f.name}' appears twice.`, t.pos))
        seen.add(f.name)
        const type = convert(f.type, problems)
        fields.push(f.description === undefined ? { name: f.name, type } : { name: f.name, type, description: f.description })
      }
      return { kind: 'ROW', fields, nullable }
    }
  }
}

/**
 * The {@link DataType} a written type stands for.
 *
 * @remarks
 * Flink's defaults: `DECIMAL` is `DECIMAL(10, 0)` and `DECIMAL(p)` is `DECIMAL(p, 0)`; `CHAR` and
 * `BINARY` have length 1; `VARCHAR` and `VARBINARY` without a length are `STRING` and `BYTES`;
 * `TIME` has precision 0, `TIMESTAMP` and `TIMESTAMP_LTZ` precision 6. Every invalid length,
 * precision, scale or interval qualifier is reported with the type's position; all problems
 * of one type are collected.
 *
 * @category Types
 * @since 0.1.0
 */
export const typeFromSyntax = (t: TypeSyntax): E.Either<readonly SqlProblem[], DataType> => {
  const problems: SqlProblem[] = []
  const type = convert(t, problems)
  return problems.length === 0 ? E.right(type) : E.left(problems)
}
