/**
 * The `json` format: one JSON object per record (JSON Lines), fields by column name, as Flink's
 * JSON format.
 *
 * @remarks
 * Options (all optional), as Flink's:
 *
 * | Option | Default | Meaning |
 * | --- | --- | --- |
 * | `json.fail-on-missing-field` | `false` | a column missing from the object is an error (else `NULL`) |
 * | `json.ignore-parse-errors` | `false` | skip malformed records (counted by the connector) instead of failing |
 * | `json.timestamp-format.standard` | `'SQL'` | `'SQL'`: `2020-04-15 08:05:00.123`; `'ISO-8601'`: `2020-04-15T08:05:00.123` |
 * | `json.map-null-key.mode` | `'FAIL'` | writing a `MAP` with a `NULL` key: `'FAIL'`, `'DROP'` the entry, or `'LITERAL'` |
 * | `json.map-null-key.literal` | `'null'` | the key written for a `NULL` key in `'LITERAL'` mode |
 * | `json.encode.decimal-as-plain-number` | `false` | accepted for compatibility; decimals are always written plainly |
 * | `json.encode.ignore-null-fields` | `false` | leave `NULL` fields out of written objects |
 *
 * Values: `BOOLEAN` as `true`/`false`; numbers as JSON numbers (strings holding numbers are read
 * too, as Flink does; `NaN` and infinities are written as the strings `"NaN"`, `"Infinity"`);
 * `DECIMAL` written with exactly its scale's digits; `CHAR`/`VARCHAR` from a string, or the JSON
 * text of any other value (`{"a":1}` in a `STRING` column reads as that text); `BINARY`/`VARBINARY`
 * as base64; `DATE` `yyyy-MM-dd`; `TIME` `HH:mm:ss[.fff]`; `TIMESTAMP` per the standard option;
 * `TIMESTAMP_LTZ` the same in UTC with a `Z` (a missing `Z` is accepted when reading); intervals
 * as integer numbers (milliseconds or months; Flink's JSON format has no intervals); `ARRAY` as
 * an array; `MAP` as an object (keys are text, read back as the key type); `MULTISET` as an
 * object from element to count (an array is accepted when reading); `ROW` as an object.
 *
 * Unlike Flink: text that is not exactly a value of the column's type is an error rather than
 * truncated or guessed (`1.5` in an `INT` column, `"yes"` in a `BOOLEAN` one); a value that does
 * not fit `DECIMAL(p, s)` is an error rather than `NULL`; `NULL` (or a missing field) in a
 * `NOT NULL` column is an error; and with `json.ignore-parse-errors` a malformed record is
 * skipped whole (Flink sets the bad field to `NULL`). Blank lines are skipped.
 *
 * @packageDocumentation
 */
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { OptionReader } from '../connectors/options.js'
import type { ConnectorColumn } from '../connectors/table-connector.js'
import { formatType, type DataType } from '../types/data-type.js'
import { FormatError, formatOptionPrefix, type FormatContext, type RowCollector, type RowDecoder, type RowEncoder, type RowFormatFactory } from './format.js'
import {
  INTEGER_RANGES,
  formatBase64,
  formatDate,
  formatDecimal,
  formatTime,
  formatTimestamp,
  parseBase64,
  parseDate,
  parseFloatText,
  parseInteger,
  parseTime,
  parseTimestamp,
  roundDecimal,
} from './text-values.js'

/** How JSON values are read and written; shared by `json` and `debezium-json`. */
export interface JsonCodecOptions {
  readonly failOnMissingField: boolean
  readonly timestampStandard: 'SQL' | 'ISO-8601'
  readonly mapNullKeyMode: 'FAIL' | 'DROP' | 'LITERAL'
  readonly mapNullKeyLiteral: string
  readonly ignoreNullFields: boolean
}

/** The option keys of a JSON-like format with this identifier (`json`, `debezium-json`). */
export const jsonOptionKeys = (identifier: string): string[] => {
  const p = formatOptionPrefix(identifier)
  return [
    `${p}fail-on-missing-field`,
    `${p}ignore-parse-errors`,
    `${p}timestamp-format.standard`,
    `${p}map-null-key.mode`,
    `${p}map-null-key.literal`,
    `${p}encode.decimal-as-plain-number`,
    `${p}encode.ignore-null-fields`,
    `${p}decode.json-parser.enabled`,
  ]
}

/** Reads the JSON options under `identifier.`; problems go to `r`. */
export const readJsonOptions = (r: OptionReader, identifier: string): JsonCodecOptions & { readonly ignoreParseErrors: boolean } => {
  const p = formatOptionPrefix(identifier)
  const failOnMissingField = r.boolean(`${p}fail-on-missing-field`, false) ?? false
  const ignoreParseErrors = r.boolean(`${p}ignore-parse-errors`, false) ?? false
  if (failOnMissingField && ignoreParseErrors)
    r.problem(`${p}ignore-parse-errors`, `'${p}fail-on-missing-field' and '${p}ignore-parse-errors' shouldn't both be true.`)
  r.boolean(`${p}encode.decimal-as-plain-number`, false)
  r.boolean(`${p}decode.json-parser.enabled`, true)
  return {
    failOnMissingField,
    ignoreParseErrors,
    timestampStandard: r.oneOf(`${p}timestamp-format.standard`, ['SQL', 'ISO-8601'] as const, 'SQL') ?? 'SQL',
    mapNullKeyMode: r.oneOf(`${p}map-null-key.mode`, ['FAIL', 'DROP', 'LITERAL'] as const, 'FAIL') ?? 'FAIL',
    mapNullKeyLiteral: r.string(`${p}map-null-key.literal`, 'null'),
    ignoreNullFields: r.boolean(`${p}encode.ignore-null-fields`, false) ?? false,
  }
}

// --- decoding -----------------------------------------------------------------------------

/** Reads one parsed JSON value (never `undefined`) of a type. */
type ValueDecoder = (v: unknown) => unknown

const describe = (v: unknown): string => {
  const text = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))
  return text.length > 100 ? `${text.slice(0, 100)}...` : text
}

const cannotRead = (path: string, t: DataType, v: unknown): FormatError =>
  new FormatError(`Column '${path}' (${formatType(t)}): cannot read ${describe(v)} as ${formatType(t)}.`)

const hasOwn = Object.prototype.hasOwnProperty

/** Compiles the decoder of a nullable value of type `t` at `path` (named in errors). */
const nullable = (t: DataType, path: string, o: JsonCodecOptions): ValueDecoder => {
  const decode = valueDecoder(t, path, o)
  if (!t.nullable) {
    return (v) => {
      if (v === null) throw new FormatError(`Column '${path}' (${formatType(t)}) is NOT NULL but the record has null.`)
      return decode(v)
    }
  }
  return (v) => (v === null ? null : decode(v))
}

/** Decodes the fields of a JSON object into `fields[0..n)` by name. */
const objectFieldsDecoder = (fields: readonly { name: string; type: DataType }[], prefix: string, o: JsonCodecOptions) => {
  const names = fields.map((f) => f.name)
  const paths = fields.map((f) => `${prefix}${f.name}`)
  const decoders = fields.map((f, i) => nullable(f.type, paths[i]!, o))
  const n = fields.length
  const failOnMissing = o.failOnMissingField
  return (obj: Record<string, unknown>, out: unknown[]): void => {
    for (let i = 0; i < n; i++) {
      const name = names[i]!
      if (hasOwn.call(obj, name)) out[i] = decoders[i]!(obj[name])
      else if (failOnMissing) throw new FormatError(`Could not find field with name '${paths[i]}'.`)
      else out[i] = decoders[i]!(null)
    }
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const valueDecoder = (t: DataType, path: string, o: JsonCodecOptions): ValueDecoder => {
  switch (t.kind) {
    case 'NULL':
      return () => null
    case 'BOOLEAN':
      return (v) => {
        if (typeof v === 'boolean') return v
        if (typeof v === 'string') {
          const s = v.trim().toLowerCase()
          if (s === 'true') return true
          if (s === 'false') return false
        }
        throw cannotRead(path, t, v)
      }
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT': {
      const [min, max] = INTEGER_RANGES[t.kind]
      return (v) => {
        if (typeof v === 'number') {
          if (Number.isInteger(v) && v >= min && v <= max) return v
        } else if (typeof v === 'string') {
          const n = parseInteger(v, min, max)
          if (!Number.isNaN(n)) return n
        }
        throw cannotRead(path, t, v)
      }
    }
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME': {
      const [min, max] = t.kind === 'INTERVAL_YEAR_MONTH' ? INTEGER_RANGES.INT : INTEGER_RANGES.BIGINT
      return (v) => {
        if (typeof v === 'number' && Number.isInteger(v)) return v
        if (typeof v === 'string') {
          const n = parseInteger(v, min, max)
          if (!Number.isNaN(n)) return n
        }
        throw cannotRead(path, t, v)
      }
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const single = t.kind === 'FLOAT'
      return (v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloatText(v) : undefined
        if (n === undefined) throw cannotRead(path, t, v)
        return single ? Math.fround(n) : n
      }
    }
    case 'DECIMAL': {
      const { precision, scale } = t
      return (v) => {
        const n = typeof v === 'number' ? v : typeof v === 'string' ? parseFloatText(v) : undefined
        const d = n === undefined ? undefined : roundDecimal(n, precision, scale)
        if (d === undefined) throw cannotRead(path, t, v)
        return d
      }
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => (typeof v === 'string' ? v : JSON.stringify(v))
    case 'BINARY':
    case 'VARBINARY':
      return (v) => {
        const b = typeof v === 'string' ? parseBase64(v) : undefined
        if (b === undefined) throw cannotRead(path, t, v)
        return b
      }
    case 'DATE':
      return (v) => {
        const d = typeof v === 'string' ? parseDate(v) : Number.NaN
        if (Number.isNaN(d)) throw cannotRead(path, t, v)
        return d
      }
    case 'TIME':
      return (v) => {
        const ms = typeof v === 'string' ? parseTime(v) : Number.NaN
        if (Number.isNaN(ms)) throw cannotRead(path, t, v)
        return ms
      }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const sep = o.timestampStandard === 'SQL' ? 'space' : 'T'
      const zone = t.kind === 'TIMESTAMP' ? 'none' : 'utc'
      return (v) => {
        const ms = typeof v === 'string' ? parseTimestamp(v, sep, zone) : Number.NaN
        if (Number.isNaN(ms)) throw cannotRead(path, t, v)
        return ms
      }
    }
    case 'ARRAY':
    case 'MULTISET': {
      const element = nullable(t.element, `${path}[]`, o)
      if (t.kind === 'ARRAY') {
        return (v) => {
          if (!Array.isArray(v)) throw cannotRead(path, t, v)
          const out = new Array<unknown>(v.length)
          for (let i = 0; i < v.length; i++) out[i] = element(v[i])
          return out
        }
      }
      const key = keyDecoder(t.element, `${path}[]`, o)
      return (v) => {
        if (Array.isArray(v)) {
          const out = new Array<unknown>(v.length)
          for (let i = 0; i < v.length; i++) out[i] = element(v[i])
          return out
        }
        if (!isObject(v)) throw cannotRead(path, t, v)
        const out: unknown[] = []
        for (const k in v) {
          const count = v[k]
          if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) throw cannotRead(`${path}[${k}]`, DATA_INT, count)
          const e = key(k)
          for (let i = 0; i < count; i++) out.push(e)
        }
        return out
      }
    }
    case 'MAP': {
      const key = keyDecoder(t.key, `${path}.key`, o)
      const value = nullable(t.value, `${path}.value`, o)
      return (v) => {
        if (!isObject(v)) throw cannotRead(path, t, v)
        const out = new Map<unknown, unknown>()
        for (const k in v) out.set(key(k), value(v[k]))
        return out
      }
    }
    case 'ROW': {
      const decodeFields = objectFieldsDecoder(t.fields, `${path}.`, o)
      const n = t.fields.length
      return (v) => {
        if (!isObject(v)) throw cannotRead(path, t, v)
        const out = new Array<unknown>(n)
        decodeFields(v, out)
        return out
      }
    }
  }
}

const DATA_INT: DataType = { kind: 'INT', nullable: false }

/** Reads a JSON object key (text) as a value of the key type. */
const keyDecoder = (t: DataType, path: string, o: JsonCodecOptions): ((k: string) => unknown) => {
  const decode = nullable(t, path, o)
  switch (t.kind) {
    case 'ARRAY':
    case 'MULTISET':
    case 'MAP':
    case 'ROW':
      return (k) => {
        let parsed: unknown
        try {
          parsed = JSON.parse(k)
        } catch {
          throw cannotRead(path, t, k)
        }
        return decode(parsed)
      }
    default:
      return (k) => decode(k)
  }
}

/**
 * Decodes the JSON object of a row into fields by column name: for `json`, and for the `before`
 * and `after` objects of `debezium-json`.
 */
export class JsonRowReader {
  private readonly decodeFields: (obj: Record<string, unknown>, out: unknown[]) => void
  private readonly width: number

  constructor(columns: readonly ConnectorColumn[], options: JsonCodecOptions, extraFields: number) {
    this.decodeFields = objectFieldsDecoder(columns, '', options)
    this.width = columns.length + extraFields
  }

  /** The fields of a row from a parsed JSON value, which must be an object. */
  fields(value: unknown, what: string): unknown[] {
    if (!isObject(value)) throw new FormatError(`Expected ${what} to be a JSON object, got ${describe(value)}.`)
    const fields = new Array<unknown>(this.width).fill(null)
    this.decodeFields(value, fields)
    return fields
  }
}

/** Whether a record holds only spaces (a blank line, skipped). */
export const isBlank = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return false
  }
  return true
}

/** `JSON.parse`, failing with a {@link FormatError}. */
export const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new FormatError(`Malformed JSON: ${e instanceof Error ? e.message : String(e)}.`)
  }
}

class JsonDecoder implements RowDecoder {
  constructor(
    private readonly reader: JsonRowReader,
    readonly ignoreParseErrors: boolean,
  ) {}

  decode(text: string, out: RowCollector): boolean {
    if (isBlank(text)) return true
    const value = parseJson(text)
    out.collect({ kind: RowKind.INSERT, fields: this.reader.fields(value, 'the record') })
    return true
  }
}

// --- encoding -----------------------------------------------------------------------------

/** Writes one non-null value of a type as JSON text. */
type ValueEncoder = (v: unknown) => string

const nullableEncoder = (t: DataType, path: string, o: JsonCodecOptions): ValueEncoder => {
  const encode = valueEncoder(t, path, o)
  return (v) => (v === null || v === undefined ? 'null' : encode(v))
}

/** Writes fields `[0, n)` as an object with the given names. */
const objectEncoder = (fields: readonly { name: string; type: DataType }[], prefix: string, o: JsonCodecOptions): ((values: readonly unknown[]) => string) => {
  const keys = fields.map((f) => JSON.stringify(f.name))
  const encoders = fields.map((f) => valueEncoder(f.type, `${prefix}${f.name}`, o))
  const n = fields.length
  const skipNulls = o.ignoreNullFields
  return (values) => {
    let s = '{'
    let first = true
    for (let i = 0; i < n; i++) {
      const v = values[i]
      if (v === null || v === undefined) {
        if (skipNulls) continue
        s += `${first ? '' : ','}${keys[i]}:null`
      } else {
        s += `${first ? '' : ','}${keys[i]}:${encoders[i]!(v)}`
      }
      first = false
    }
    return `${s}}`
  }
}

const quoteIfBare = (json: string): string => (json.charCodeAt(0) === 34 ? json : `"${json}"`)

/** Writes a value as a JSON object key (a JSON string). */
const keyEncoder = (t: DataType, path: string, o: JsonCodecOptions): ValueEncoder => {
  const encode = valueEncoder(t, path, o)
  switch (t.kind) {
    case 'ARRAY':
    case 'MULTISET':
    case 'MAP':
    case 'ROW':
      return (v) => JSON.stringify(encode(v))
    default:
      return (v) => quoteIfBare(encode(v))
  }
}

const valueEncoder = (t: DataType, path: string, o: JsonCodecOptions): ValueEncoder => {
  switch (t.kind) {
    case 'NULL':
      return () => 'null'
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false')
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return (v) => String(v)
    case 'FLOAT':
    case 'DOUBLE':
      return (v) => (Number.isFinite(v) ? String(v) : `"${String(v)}"`)
    case 'DECIMAL': {
      const scale = t.scale
      return (v) => formatDecimal(v as number, scale)
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => JSON.stringify(v)
    case 'BINARY':
    case 'VARBINARY':
      return (v) => `"${formatBase64(v as Uint8Array)}"`
    case 'DATE':
      return (v) => `"${formatDate(v as number)}"`
    case 'TIME':
      return (v) => `"${formatTime(v as number)}"`
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const sep = o.timestampStandard === 'SQL' ? ' ' : 'T'
      const z = t.kind === 'TIMESTAMP_LTZ' ? 'Z' : ''
      return (v) => `"${formatTimestamp(v as number, sep)}${z}"`
    }
    case 'ARRAY': {
      const element = nullableEncoder(t.element, `${path}[]`, o)
      return (v) => {
        const a = v as readonly unknown[]
        let s = '['
        for (let i = 0; i < a.length; i++) s += (i === 0 ? '' : ',') + element(a[i])
        return `${s}]`
      }
    }
    case 'MULTISET': {
      const key = keyEncoder(t.element, `${path}[]`, o)
      return (v) => {
        const counts = new Map<unknown, number>()
        for (const e of v as readonly unknown[]) counts.set(e, (counts.get(e) ?? 0) + 1)
        let s = '{'
        let first = true
        for (const [e, n] of counts) {
          const k = e === null || e === undefined ? nullKey(path, o) : key(e)
          if (k === undefined) continue
          s += `${first ? '' : ','}${k}:${n}`
          first = false
        }
        return `${s}}`
      }
    }
    case 'MAP': {
      const key = keyEncoder(t.key, `${path}.key`, o)
      const value = nullableEncoder(t.value, `${path}.value`, o)
      return (v) => {
        let s = '{'
        let first = true
        for (const [k, val] of v as ReadonlyMap<unknown, unknown>) {
          const ks = k === null || k === undefined ? nullKey(path, o) : key(k)
          if (ks === undefined) continue
          s += `${first ? '' : ','}${ks}:${value(val)}`
          first = false
        }
        return `${s}}`
      }
    }
    case 'ROW': {
      const encode = objectEncoder(t.fields, `${path}.`, o)
      return (v) => encode(v as readonly unknown[])
    }
  }
}

/** The key text of a `NULL` map key, or undefined to drop the entry. */
const nullKey = (path: string, o: JsonCodecOptions): string | undefined => {
  switch (o.mapNullKeyMode) {
    case 'DROP':
      return undefined
    case 'LITERAL':
      return JSON.stringify(o.mapNullKeyLiteral)
    default:
      throw new FormatError(
        `Column '${path}': JSON format doesn't support to serialize map data with null keys. You can drop null key entries or encode null in literals by specifying the 'map-null-key.mode' option.`,
      )
  }
}

/** Writes the physical fields of a row as a JSON object by column name; for `json` and `debezium-json`. */
export class JsonRowWriter {
  /** The JSON object of the first `columns.length` fields. */
  readonly object: (fields: readonly unknown[]) => string

  constructor(columns: readonly ConnectorColumn[], options: JsonCodecOptions) {
    this.object = objectEncoder(columns, '', options)
  }
}

class JsonEncoder implements RowEncoder {
  constructor(private readonly writer: JsonRowWriter) {}

  encode(row: Row): string {
    if (row.kind !== RowKind.INSERT) throw new FormatError(`The 'json' format writes only INSERT rows, got a row of kind ${['+I', '-U', '+U', '-D'][row.kind]}.`)
    return this.writer.object(row.fields)
  }
}

/**
 * The `json` format (JSON Lines), as Flink's `json` format; see the module documentation for its
 * options and value forms.
 *
 * @category Formats
 * @since 0.1.0
 */
export const jsonFormat: RowFormatFactory = {
  identifier: 'json',
  optionalOptions: jsonOptionKeys('json'),
  decodedMode: ChangelogModes.INSERT_ONLY,
  encodedMode: ChangelogModes.INSERT_ONLY,
  createDecoder(ctx: FormatContext) {
    const r = new OptionReader('json', ctx.options)
    const o = readJsonOptions(r, 'json')
    return r.result(() => new JsonDecoder(new JsonRowReader(ctx.columns, o, ctx.extraFields ?? 0), o.ignoreParseErrors) as RowDecoder)
  },
  createEncoder(ctx: FormatContext) {
    const r = new OptionReader('json', ctx.options)
    const o = readJsonOptions(r, 'json')
    return r.result(() => new JsonEncoder(new JsonRowWriter(ctx.columns, o)) as RowEncoder)
  },
}

/** The decoder of a (nullable) value of type `t` from parsed JSON, for formats that embed JSON (CSV's `MAP` cells). */
export const jsonValueDecoder = (t: DataType, path: string, options: JsonCodecOptions): ((v: unknown) => unknown) => nullable(t, path, options)

/** The JSON text of a (nullable) value of type `t`, for formats that embed JSON (CSV's `MAP` cells). */
export const jsonValueEncoder = (t: DataType, path: string, options: JsonCodecOptions): ((v: unknown) => string) => nullableEncoder(t, path, options)

/** The JSON options used where a format embeds JSON values: Flink's defaults, `SQL` timestamps. */
export const DEFAULT_JSON_CODEC_OPTIONS: JsonCodecOptions = {
  failOnMissingField: false,
  timestampStandard: 'SQL',
  mapNullKeyMode: 'FAIL',
  mapNullKeyLiteral: 'null',
  ignoreNullFields: false,
}
