/**
 * Shared fixtures of the format and connector specs: a schema with every data type, and
 * fast-check arbitraries of runtime values of a type. Not exported from the package.
 *
 * @internal
 * @module
 */
import fc from 'fast-check'
import type { ConnectorColumn } from '../connectors/table-connector.js'
import { DataTypes, type DataType } from '../types/data-type.js'
import { daysFromCivil } from './text-values.js'

const MIN_DAY = daysFromCivil(1, 1, 1)
const MAX_DAY = daysFromCivil(9999, 12, 31)
const MS_PER_DAY = 86_400_000

/** How values may look, for formats that cannot hold every string. */
export interface ValueLimits {
  /** Characters strings must not contain. */
  readonly excludeChars?: string
  /** Strings that must not occur (e.g. a CSV null literal). */
  readonly excludeStrings?: readonly string[]
  /** Whether strings are whole graphemes (no lone surrogates: what survives UTF-8 files). */
  readonly graphemes?: boolean
}

const noNegativeZero = (v: number): number => (Object.is(v, -0) ? 0 : v)

/** An arbitrary non-null value of `t`, in its runtime form. */
export const valueOf = (t: DataType, limits: ValueLimits = {}): fc.Arbitrary<unknown> => {
  switch (t.kind) {
    case 'BOOLEAN':
      return fc.boolean()
    case 'TINYINT':
      return fc.integer({ min: -128, max: 127 })
    case 'SMALLINT':
      return fc.integer({ min: -32768, max: 32767 })
    case 'INT':
    case 'INTERVAL_YEAR_MONTH':
      return fc.integer()
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
      return fc.maxSafeInteger()
    case 'FLOAT':
      return fc.float().map((v) => noNegativeZero(Math.fround(v)))
    case 'DOUBLE':
      return fc.double().map(noNegativeZero)
    case 'DECIMAL': {
      const bound = Math.min(10 ** t.precision - 1, Number.MAX_SAFE_INTEGER)
      return fc.integer({ min: -bound, max: bound }).map((n) => noNegativeZero(Number(`${n}e-${t.scale}`)))
    }
    case 'CHAR':
    case 'VARCHAR': {
      const excluded = limits.excludeChars ?? ''
      const strings = limits.excludeStrings ?? []
      const tricky = ['a', 'Z', '0', ',', ';', '"', "'", '\\', '#', ' ', '\t', '\n', '\r', 'é', '中', '😀', '\u0000', '=', ':', '{', '[']
      const units = limits.graphemes === true ? tricky : [...tricky, '\ud800', '\udc00']
      return fc
        .string({ unit: fc.oneof(fc.constantFrom(...units), fc.integer({ min: 32, max: 126 }).map((c) => String.fromCharCode(c))), maxLength: 12 })
        .filter((s) => ![...excluded].some((c) => s.includes(c)) && !strings.includes(s))
    }
    case 'BINARY':
    case 'VARBINARY':
      return fc.uint8Array({ maxLength: 12 })
    case 'DATE':
      return fc.integer({ min: MIN_DAY, max: MAX_DAY })
    case 'TIME':
      return fc.integer({ min: 0, max: MS_PER_DAY - 1 })
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return fc.integer({ min: MIN_DAY * MS_PER_DAY, max: (MAX_DAY + 1) * MS_PER_DAY - 1 })
    case 'ARRAY':
      return fc.array(nullableValueOf(t.element, limits), { maxLength: 4 })
    case 'MULTISET':
      return fc.array(valueOf(t.element, limits), { maxLength: 4 })
    case 'MAP':
      return fc.array(fc.tuple(valueOf(t.key, limits), nullableValueOf(t.value, limits)), { maxLength: 3 }).map((entries) => new Map(entries))
    case 'ROW':
      return fc.tuple(...t.fields.map((f) => nullableValueOf(f.type, limits)))
    case 'NULL':
      return fc.constant(null)
  }
}

/** An arbitrary value of `t`: `null` too when the type is nullable. */
export const nullableValueOf = (t: DataType, limits: ValueLimits = {}): fc.Arbitrary<unknown> =>
  t.nullable ? fc.option(valueOf(t, limits), { nil: null, freq: 5 }) : valueOf(t, limits)

/** A column. */
export const col = (name: string, type: DataType): ConnectorColumn => ({ name, type })

/** Columns of every scalar type. */
export const SCALAR_COLUMNS: readonly ConnectorColumn[] = [
  col('b', DataTypes.BOOLEAN()),
  col('ti', DataTypes.TINYINT()),
  col('si', DataTypes.SMALLINT()),
  col('i', DataTypes.INT()),
  col('bi', DataTypes.BIGINT()),
  col('f', DataTypes.FLOAT()),
  col('d', DataTypes.DOUBLE()),
  col('dec', DataTypes.DECIMAL(10, 2)),
  col('c', DataTypes.CHAR(3)),
  col('s', DataTypes.STRING()),
  col('vc', DataTypes.VARCHAR(20)),
  col('bin', { kind: 'BINARY', length: 4, nullable: true }),
  col('vb', DataTypes.BYTES()),
  col('dt', DataTypes.DATE()),
  col('tm', DataTypes.TIME(3)),
  col('ts', DataTypes.TIMESTAMP(3)),
  col('ltz', DataTypes.TIMESTAMP_LTZ(3)),
  col('ym', DataTypes.INTERVAL_YEAR_MONTH()),
  col('dtm', DataTypes.INTERVAL_DAY_TIME()),
]

/** Columns of the collection types, nested too. */
export const COLLECTION_COLUMNS: readonly ConnectorColumn[] = [
  col('arr', DataTypes.ARRAY(DataTypes.INT())),
  col('sarr', DataTypes.ARRAY(DataTypes.STRING())),
  col('ms', DataTypes.MULTISET(DataTypes.STRING(false))),
  col('m', DataTypes.MAP(DataTypes.STRING(false), DataTypes.DOUBLE())),
  col('mi', DataTypes.MAP(DataTypes.INT(false), DataTypes.ARRAY(DataTypes.TIMESTAMP(3)))),
  col('r', DataTypes.ROW([{ name: 'x', type: DataTypes.INT() }, { name: 'when', type: DataTypes.DATE() }])),
  col('nested', DataTypes.ROW([{ name: 'tags', type: DataTypes.ARRAY(DataTypes.STRING()) }, { name: 'bytes', type: DataTypes.BYTES() }])),
  col('nn', DataTypes.INT(false)),
]

/** Columns of every type. */
export const ALL_COLUMNS: readonly ConnectorColumn[] = [...SCALAR_COLUMNS, ...COLLECTION_COLUMNS]

/** An arbitrary row's fields for the columns. */
export const fieldsOf = (columns: readonly ConnectorColumn[], limits: ValueLimits = {}): fc.Arbitrary<unknown[]> =>
  fc.tuple(...columns.map((c) => nullableValueOf(c.type, limits)))

/** A value with its multisets sorted, to compare values whose multisets a format regroups. */
export const canonical = (v: unknown, t: DataType): unknown => {
  if (v === null || v === undefined) return v
  switch (t.kind) {
    case 'MULTISET':
      return (v as unknown[]).map((e) => canonical(e, t.element)).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    case 'ARRAY':
      return (v as unknown[]).map((e) => canonical(e, t.element))
    case 'ROW':
      return t.fields.map((f, i) => canonical((v as unknown[])[i], f.type))
    case 'MAP':
      return new Map([...(v as Map<unknown, unknown>)].map(([k, x]) => [canonical(k, t.key), canonical(x, t.value)]))
    default:
      return v
  }
}

/** The fields of a row with their multisets sorted. */
export const canonicalFields = (fields: readonly unknown[], columns: readonly ConnectorColumn[]): unknown[] => columns.map((c, i) => canonical(fields[i], c.type))
