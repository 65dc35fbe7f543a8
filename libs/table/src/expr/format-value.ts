/**
 * Values as Flink prints them (`+I[...]` rows, the SQL client's tableau, `CAST(... AS STRING)`),
 * and the conversions of values between their runtime form and the friendlier form the edges
 * of the Table API hand out (`toDataStream`, `collect()`) and take in (`fromDataStream`).
 *
 * @packageDocumentation
 */
import { ROW_KIND_SHORT, type Row } from '../data/row.js'
import { SqlRuntimeError } from '../errors.js'
import { type DataType, formatType } from '../types/data-type.js'
import {
  formatDate,
  formatIntervalDayTime,
  formatIntervalYearMonth,
  formatTime,
  formatTimestamp,
  MS_PER_DAY,
  parseDate,
  parseTime,
  parseTimestamp,
} from './functions/datetime.js'
import { formatDecimal, formatDouble, formatFloat, roundHalfUp } from './functions/numbers.js'

/**
 * How to print values.
 *
 * - `tableau`: the SQL client's table (`TRUE`, `<NULL>` for a `NULL` field, `NULL` inside
 *   collections, `x'0aff'` for bytes).
 * - `row`: `Row.toString`-like, used by {@link formatRow} (`true`, `null`).
 * - `cast`: `CAST(x AS STRING)` (`TRUE`, `NULL` inside collections, bytes decoded as UTF-8).
 */
export type FormatStyle = 'tableau' | 'row' | 'cast'

const hex = (b: Uint8Array): string => {
  let s = ''
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16)
  return s
}

const utf8 = new TextDecoder('utf-8')

const nested = (value: unknown, type: DataType, style: FormatStyle): string => {
  if (value === null || value === undefined) return style === 'row' ? 'null' : 'NULL'
  return formatNonNull(value, type, style)
}

const formatNonNull = (value: unknown, type: DataType, style: FormatStyle): string => {
  switch (type.kind) {
    case 'BOOLEAN':
      return style === 'row' ? String(value) : value ? 'TRUE' : 'FALSE'
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      return typeof value === 'bigint' ? value.toString() : String(value)
    case 'FLOAT':
      return formatFloat(value as number)
    case 'DOUBLE':
      return formatDouble(value as number)
    case 'DECIMAL':
      return formatDecimal(value as number, type.scale)
    case 'CHAR':
    case 'VARCHAR':
      return value as string
    case 'BINARY':
    case 'VARBINARY':
      return style === 'cast' ? utf8.decode(value as Uint8Array) : `x'${hex(value as Uint8Array)}'`
    case 'DATE':
      return formatDate(value as number)
    case 'TIME':
      return formatTime(value as number, type.precision)
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return formatTimestamp(value as number, type.precision)
    case 'INTERVAL_DAY_TIME':
      return formatIntervalDayTime(value as number)
    case 'INTERVAL_YEAR_MONTH':
      return formatIntervalYearMonth(value as number)
    case 'ARRAY':
    case 'MULTISET': {
      const arr = value as readonly unknown[]
      let s = '['
      for (let i = 0; i < arr.length; i++) s += (i > 0 ? ', ' : '') + nested(arr[i], type.element, style)
      return `${s}]`
    }
    case 'MAP': {
      let s = '{'
      let first = true
      for (const [k, v] of value as Map<unknown, unknown>) {
        s += `${first ? '' : ', '}${nested(k, type.key, style)}=${nested(v, type.value, style)}`
        first = false
      }
      return `${s}}`
    }
    case 'ROW': {
      const fields = value as readonly unknown[]
      let s = '('
      for (let i = 0; i < type.fields.length; i++) s += (i > 0 ? ', ' : '') + nested(fields[i], type.fields[i]!.type, style)
      return `${s})`
    }
    case 'NULL':
      return style === 'row' ? 'null' : 'NULL'
  }
}

/**
 * A value as Flink prints it.
 *
 * @remarks
 * `TIMESTAMP(3)` prints as `2020-04-15 08:05:00.000` (the fraction padded to the precision;
 * `TIMESTAMP_LTZ` in the session time zone, UTC), `DATE` as `2020-04-15`, `TIME(0)` as
 * `08:05:00`, `DECIMAL(10, 2)` as `1.50`, `DOUBLE` as Java's `Double.toString` (`1.0`,
 * `1.0E10`), `BOOLEAN` as `TRUE` (`true` in the `row` style), intervals as `+1 10:30:00.000`
 * and `+1-02`, `ARRAY` as `[1, 2]`, `MAP` as `{a=1}`, `ROW` as `(1, a)`. `NULL` prints as
 * `<NULL>` in the `tableau` style and `null` in the `row` style (`NULL` in `cast`, where it
 * only occurs inside collections).
 *
 * @category Expressions
 * @since 0.1.0
 */
export const formatValue = (value: unknown, type: DataType, style: FormatStyle = 'tableau'): string => {
  if (value === null || value === undefined) return style === 'tableau' ? '<NULL>' : style === 'row' ? 'null' : 'NULL'
  return formatNonNull(value, type, style)
}

/**
 * A row as Flink's `Row.toString` prints it in test results and `print()`: `+I[1, a, 2020-04-15 08:05:00.000]`.
 *
 * @remarks
 * Values use the `row` style of {@link formatValue} (`true`, `null`), with SQL's formats for
 * time values.
 */
export const formatRow = (row: Row, types: readonly DataType[]): string => {
  let s = `${ROW_KIND_SHORT[row.kind]}[`
  for (let i = 0; i < row.fields.length; i++) s += (i > 0 ? ', ' : '') + formatValue(row.fields[i], types[i] ?? { kind: 'NULL', nullable: true }, 'row')
  return `${s}]`
}

// ---------------------------------------------------------------------------------------------
// External values
// ---------------------------------------------------------------------------------------------

/**
 * A runtime value in the form handed to user code at the edges (`toDataStream`, `collect()`).
 *
 * @remarks
 * - `TIMESTAMP`, `TIMESTAMP_LTZ`: a `Date` (a `TIMESTAMP`'s wall clock read as UTC).
 * - `DATE`: a `yyyy-MM-dd` string; `TIME`: an `HH:mm:ss[.SSS]` string (no time zone to get wrong).
 * - `ROW`: a plain object keyed by field name (nested rows too).
 * - `ARRAY`, `MULTISET`: arrays, `MAP`: a `Map`, of external values.
 * - numbers (`DECIMAL` and `BIGINT` included), strings, booleans, `Uint8Array`, intervals
 *   (milliseconds or months): unchanged. `NULL` is `null`.
 */
export const toExternal = (value: unknown, type: DataType): unknown => {
  if (value === null || value === undefined) return null
  switch (type.kind) {
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return new Date(value as number)
    case 'DATE':
      return formatDate(value as number)
    case 'TIME': {
      const ms = value as number
      const frac = ((ms % 1000) + 1000) % 1000
      return frac === 0 ? formatTime(ms, 0) : `${formatTime(ms, 0)}.${String(frac).padStart(3, '0')}`
    }
    case 'ARRAY':
    case 'MULTISET':
      return (value as readonly unknown[]).map((v) => toExternal(v, type.element))
    case 'MAP': {
      const m = new Map<unknown, unknown>()
      for (const [k, v] of value as Map<unknown, unknown>) m.set(toExternal(k, type.key), toExternal(v, type.value))
      return m
    }
    case 'ROW': {
      const o: Record<string, unknown> = {}
      const fields = value as readonly unknown[]
      type.fields.forEach((f, i) => {
        o[f.name] = toExternal(fields[i], f.type)
      })
      return o
    }
    default:
      return value
  }
}

const bad = (value: unknown, type: DataType, why = ''): SqlRuntimeError =>
  new SqlRuntimeError(`Cannot convert ${typeof value === 'string' ? `'${value}'` : String(value)} (${typeof value}) to ${formatType(type)}${why}.`)

const toMillis = (value: unknown, type: DataType): number => {
  if (value instanceof Date) return value.getTime()
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string') {
    const s = value.endsWith('Z') ? value.slice(0, -1) : value
    const ms = parseTimestamp(s)
    if (ms !== undefined) return ms
  }
  throw bad(value, type)
}

/**
 * A value from user code (`fromDataStream`, `fromValues`) in its runtime form for `type`.
 *
 * @remarks
 * Accepts what {@link toExternal} produces and a few more: timestamps from `Date`, epoch
 * milliseconds or `yyyy-MM-dd HH:mm:ss[.SSS]` / ISO strings (a trailing `Z` is ignored), dates
 * from `yyyy-MM-dd` strings, `Date`s (their UTC day) or day numbers, times from `HH:mm:ss`
 * strings or milliseconds, rows from objects (by field name) or arrays (by position), maps from
 * `Map`s or plain objects, numbers from numbers or `bigint`s (`DECIMAL` rounded to its scale).
 * `undefined` is `NULL`.
 *
 * @throws SqlRuntimeError when the value does not fit the type.
 */
export const fromExternal = (value: unknown, type: DataType): unknown => {
  if (value === null || value === undefined) return null
  switch (type.kind) {
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value
      throw bad(value, type)
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
      if (typeof value === 'bigint') return Number(value)
      if (typeof value === 'number' && Number.isInteger(value)) return value
      throw bad(value, type)
    case 'FLOAT':
      if (typeof value === 'number') return Math.fround(value)
      throw bad(value, type)
    case 'DOUBLE':
      if (typeof value === 'number') return value
      if (typeof value === 'bigint') return Number(value)
      throw bad(value, type)
    case 'DECIMAL':
      if (typeof value === 'number') return roundHalfUp(value, type.scale)
      if (typeof value === 'bigint') return Number(value)
      if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return roundHalfUp(Number(value), type.scale)
      throw bad(value, type)
    case 'CHAR':
    case 'VARCHAR':
      if (typeof value === 'string') return value
      throw bad(value, type)
    case 'BINARY':
    case 'VARBINARY':
      if (value instanceof Uint8Array) return value
      throw bad(value, type)
    case 'DATE': {
      if (typeof value === 'number' && Number.isInteger(value)) return value
      if (value instanceof Date) return Math.floor(value.getTime() / MS_PER_DAY)
      if (typeof value === 'string') {
        const d = parseDate(value)
        if (d !== undefined) return d
      }
      throw bad(value, type)
    }
    case 'TIME': {
      if (typeof value === 'number') return value
      if (typeof value === 'string') {
        const t = parseTime(value)
        if (t !== undefined) return t
      }
      throw bad(value, type)
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return toMillis(value, type)
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      if (typeof value === 'number') return value
      throw bad(value, type)
    case 'ARRAY':
    case 'MULTISET':
      if (Array.isArray(value)) return value.map((v) => fromExternal(v, type.element))
      throw bad(value, type)
    case 'MAP': {
      const m = new Map<unknown, unknown>()
      if (value instanceof Map) {
        for (const [k, v] of value) m.set(fromExternal(k, type.key), fromExternal(v, type.value))
        return m
      }
      if (typeof value === 'object') {
        for (const [k, v] of Object.entries(value as object)) m.set(fromExternal(k, type.key), fromExternal(v, type.value))
        return m
      }
      throw bad(value, type)
    }
    case 'ROW': {
      if (Array.isArray(value)) {
        if (value.length !== type.fields.length) throw bad(value, type, `: expected ${type.fields.length} fields, got ${value.length}`)
        return type.fields.map((f, i) => fromExternal(value[i], f.type))
      }
      if (typeof value === 'object') {
        const o = value as Record<string, unknown>
        return type.fields.map((f) => fromExternal(o[f.name], f.type))
      }
      throw bad(value, type)
    }
    case 'NULL':
      throw bad(value, type)
  }
}
