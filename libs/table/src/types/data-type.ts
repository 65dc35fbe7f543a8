/**
 * SQL data types (Flink's logical types) and how their values look in JavaScript.
 *
 * @remarks
 * Values travel in {@link Row}s as plain JavaScript values, chosen for speed on the per-record
 * path and so that rows cross worker threads as structured clones:
 *
 * | SQL type | JavaScript value |
 * | --- | --- |
 * | `BOOLEAN` | `boolean` |
 * | `TINYINT`, `SMALLINT`, `INT` | `number` (an integer in the type's range) |
 * | `BIGINT` | `number` (an integer; exact up to 2^53, as JavaScript numbers are) |
 * | `FLOAT`, `DOUBLE` | `number` |
 * | `DECIMAL(p, s)` | `number`, rounded to `s` digits after each operation (exact to 15 significant digits) |
 * | `CHAR(n)`, `VARCHAR(n)`, `STRING` | `string` |
 * | `BINARY(n)`, `VARBINARY(n)`, `BYTES` | `Uint8Array` |
 * | `DATE` | `number`: days since 1970-01-01 |
 * | `TIME(p)` | `number`: milliseconds since midnight |
 * | `TIMESTAMP(p)` | `number`: milliseconds since 1970-01-01 00:00 of a wall clock with no time zone (read as UTC) |
 * | `TIMESTAMP_LTZ(p)` | `number`: milliseconds since the epoch (an instant) |
 * | `INTERVAL DAY TO SECOND` (any day-time interval) | `number`: milliseconds |
 * | `INTERVAL YEAR TO MONTH` (any year-month interval) | `number`: months |
 * | `ARRAY<T>`, `MULTISET<T>` | `T[]` |
 * | `MAP<K, V>` | `Map<K, V>` |
 * | `ROW<...>` | `unknown[]`: the fields by position |
 * | any type, when `NULL` | `null` |
 *
 * Conversions to friendlier shapes (`Date`, objects with field names) happen only at the edges:
 * `toDataStream`, `collect()`, the SQL client.
 *
 * @packageDocumentation
 */

/** What every type has. */
export interface TypeBase {
  /** Whether the type admits `NULL` (SQL's default: yes; `NOT NULL` makes it false). */
  readonly nullable: boolean
}

/** The time attribute a timestamp column carries: event time (`*ROWTIME*`) or processing time (`*PROCTIME*`). */
export type TimeAttribute = 'ROWTIME' | 'PROCTIME'

/**
 * A SQL data type.
 *
 * @category Types
 * @since 0.1.0
 */
export type DataType =
  | (TypeBase & { readonly kind: 'BOOLEAN' })
  | (TypeBase & { readonly kind: 'TINYINT' | 'SMALLINT' | 'INT' | 'BIGINT' | 'FLOAT' | 'DOUBLE' })
  | (TypeBase & { readonly kind: 'DECIMAL'; readonly precision: number; readonly scale: number })
  /** `STRING` is `VARCHAR(2147483647)`. */
  | (TypeBase & { readonly kind: 'CHAR' | 'VARCHAR'; readonly length: number })
  /** `BYTES` is `VARBINARY(2147483647)`. */
  | (TypeBase & { readonly kind: 'BINARY' | 'VARBINARY'; readonly length: number })
  | (TypeBase & { readonly kind: 'DATE' })
  | (TypeBase & { readonly kind: 'TIME'; readonly precision: number })
  | (TypeBase & { readonly kind: 'TIMESTAMP' | 'TIMESTAMP_LTZ'; readonly precision: number; readonly timeAttribute?: TimeAttribute })
  /** A day-time interval (`INTERVAL '1' HOUR`, `INTERVAL '1 10:00' DAY TO MINUTE`); its value is milliseconds. */
  | (TypeBase & { readonly kind: 'INTERVAL_DAY_TIME' })
  /** A year-month interval (`INTERVAL '2' YEAR`); its value is months. */
  | (TypeBase & { readonly kind: 'INTERVAL_YEAR_MONTH' })
  | (TypeBase & { readonly kind: 'ARRAY' | 'MULTISET'; readonly element: DataType })
  | (TypeBase & { readonly kind: 'MAP'; readonly key: DataType; readonly value: DataType })
  | (TypeBase & { readonly kind: 'ROW'; readonly fields: readonly RowField[] })
  /** The type of an untyped `NULL` literal; it becomes the type its context needs. */
  | (TypeBase & { readonly kind: 'NULL' })

/** A named field of a `ROW` type. */
export interface RowField {
  readonly name: string
  readonly type: DataType
  readonly description?: string
}

/** The kind tags of {@link DataType}. */
export type TypeKind = DataType['kind']

/** The largest length of `VARCHAR` and `VARBINARY`: what `STRING` and `BYTES` mean. */
export const MAX_LENGTH = 2147483647

/** Constructors of the common types, nullable unless said otherwise. */
export const DataTypes = {
  BOOLEAN: (nullable = true): DataType => ({ kind: 'BOOLEAN', nullable }),
  TINYINT: (nullable = true): DataType => ({ kind: 'TINYINT', nullable }),
  SMALLINT: (nullable = true): DataType => ({ kind: 'SMALLINT', nullable }),
  INT: (nullable = true): DataType => ({ kind: 'INT', nullable }),
  BIGINT: (nullable = true): DataType => ({ kind: 'BIGINT', nullable }),
  FLOAT: (nullable = true): DataType => ({ kind: 'FLOAT', nullable }),
  DOUBLE: (nullable = true): DataType => ({ kind: 'DOUBLE', nullable }),
  DECIMAL: (precision: number, scale: number, nullable = true): DataType => ({ kind: 'DECIMAL', precision, scale, nullable }),
  CHAR: (length: number, nullable = true): DataType => ({ kind: 'CHAR', length, nullable }),
  VARCHAR: (length: number, nullable = true): DataType => ({ kind: 'VARCHAR', length, nullable }),
  STRING: (nullable = true): DataType => ({ kind: 'VARCHAR', length: MAX_LENGTH, nullable }),
  BYTES: (nullable = true): DataType => ({ kind: 'VARBINARY', length: MAX_LENGTH, nullable }),
  DATE: (nullable = true): DataType => ({ kind: 'DATE', nullable }),
  TIME: (precision = 0, nullable = true): DataType => ({ kind: 'TIME', precision, nullable }),
  TIMESTAMP: (precision = 6, nullable = true): DataType => ({ kind: 'TIMESTAMP', precision, nullable }),
  TIMESTAMP_LTZ: (precision = 6, nullable = true): DataType => ({ kind: 'TIMESTAMP_LTZ', precision, nullable }),
  INTERVAL_DAY_TIME: (nullable = true): DataType => ({ kind: 'INTERVAL_DAY_TIME', nullable }),
  INTERVAL_YEAR_MONTH: (nullable = true): DataType => ({ kind: 'INTERVAL_YEAR_MONTH', nullable }),
  ARRAY: (element: DataType, nullable = true): DataType => ({ kind: 'ARRAY', element, nullable }),
  MULTISET: (element: DataType, nullable = true): DataType => ({ kind: 'MULTISET', element, nullable }),
  MAP: (key: DataType, value: DataType, nullable = true): DataType => ({ kind: 'MAP', key, value, nullable }),
  ROW: (fields: readonly RowField[], nullable = true): DataType => ({ kind: 'ROW', fields, nullable }),
  NULL: (): DataType => ({ kind: 'NULL', nullable: true }),
} as const

/** The same type, nullable or not. */
export const withNullability = (t: DataType, nullable: boolean): DataType => (t.nullable === nullable ? t : { ...t, nullable })

/** The same timestamp type without its time attribute (what an expression over a time attribute yields). */
export const withoutTimeAttribute = (t: DataType): DataType => {
  if ((t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute !== undefined) {
    const { timeAttribute: _, ...rest } = t
    return rest
  }
  return t
}

/** Whether `t` is an event-time or processing-time attribute. */
export const isTimeAttribute = (t: DataType): boolean => (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute !== undefined

/** Whether `t` is an event-time attribute (a `*ROWTIME*` column). */
export const isRowtime = (t: DataType): boolean => (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'ROWTIME'

/** Whether `t` is a processing-time attribute (a `*PROCTIME*` column). */
export const isProctime = (t: DataType): boolean => (t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute === 'PROCTIME'

const INTEGERS: ReadonlySet<TypeKind> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT'])
const NUMERICS: ReadonlySet<TypeKind> = new Set(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL'])

/** Whether `t` is an exact integer type. */
export const isInteger = (t: DataType): boolean => INTEGERS.has(t.kind)
/** Whether `t` is any numeric type. */
export const isNumeric = (t: DataType): boolean => NUMERICS.has(t.kind)
/** Whether `t` is a character string type. */
export const isString = (t: DataType): boolean => t.kind === 'CHAR' || t.kind === 'VARCHAR'
/** Whether `t` is `TIMESTAMP` or `TIMESTAMP_LTZ`. */
export const isTimestamp = (t: DataType): boolean => t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ'
/** Whether `t` is an interval type. */
export const isInterval = (t: DataType): boolean => t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH'

/**
 * The type as Flink prints it (`DESCRIBE`, `EXPLAIN`, errors): `INT NOT NULL`, `VARCHAR(10)`,
 * `STRING`, `DECIMAL(10, 2)`, `TIMESTAMP(3) *ROWTIME*`, `ROW<\`a\` INT, \`b\` STRING>`.
 */
export const formatType = (t: DataType): string => {
  const nn = t.nullable ? '' : ' NOT NULL'
  switch (t.kind) {
    case 'DECIMAL':
      return `DECIMAL(${t.precision}, ${t.scale})${nn}`
    case 'CHAR':
      return `CHAR(${t.length})${nn}`
    case 'VARCHAR':
      return t.length === MAX_LENGTH ? `STRING${nn}` : `VARCHAR(${t.length})${nn}`
    case 'BINARY':
      return `BINARY(${t.length})${nn}`
    case 'VARBINARY':
      return t.length === MAX_LENGTH ? `BYTES${nn}` : `VARBINARY(${t.length})${nn}`
    case 'TIME':
      return `TIME(${t.precision})${nn}`
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return `${t.kind}(${t.precision})${nn}${t.timeAttribute === undefined ? '' : ` *${t.timeAttribute}*`}`
    case 'INTERVAL_DAY_TIME':
      return `INTERVAL SECOND(3)${nn}`
    case 'INTERVAL_YEAR_MONTH':
      return `INTERVAL MONTH${nn}`
    case 'ARRAY':
    case 'MULTISET':
      return `${t.kind}<${formatType(t.element)}>${nn}`
    case 'MAP':
      return `MAP<${formatType(t.key)}, ${formatType(t.value)}>${nn}`
    case 'ROW':
      return `ROW<${t.fields.map((f) => `\`${f.name}\` ${formatType(f.type)}`).join(', ')}>${nn}`
    case 'NULL':
      return 'NULL'
    default:
      return `${t.kind}${nn}`
  }
}

/** Structural equality of two types (nullability and time attributes included). */
export const typeEquals = (a: DataType, b: DataType): boolean => formatType(a) === formatType(b)
