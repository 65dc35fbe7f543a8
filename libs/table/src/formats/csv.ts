/**
 * The `csv` format: one record per line, fields by position, as Flink's CSV format (RFC 4180
 * quoting).
 *
 * @remarks
 * Options (all optional), as Flink's:
 *
 * | Option | Default | Meaning |
 * | --- | --- | --- |
 * | `csv.field-delimiter` | `,` | one character (`\t` may be written as backslash-t) |
 * | `csv.quote-character` | `"` | encloses fields holding delimiters, quotes or line breaks; doubled inside |
 * | `csv.disable-quote-character` | `false` | no quoting at all (not together with `csv.quote-character`) |
 * | `csv.escape-character` | none | makes the next character literal (inside or outside quotes) |
 * | `csv.allow-comments` | `false` | skip lines starting with `#` |
 * | `csv.ignore-parse-errors` | `false` | skip malformed records (counted by the connector) instead of failing |
 * | `csv.null-literal` | none | an unquoted field with this text is `NULL`, and `NULL` is written as it |
 * | `csv.array-element-delimiter` | `;` | separates the elements of `ARRAY`/`MULTISET` and the fields of `ROW` in one field |
 * | `csv.write-bigdecimal-in-scientific-notation` | `false` | accepted for compatibility; decimals are always written plainly |
 *
 * Values: `BOOLEAN` `true`/`false` (any case); integers and intervals (milliseconds, months) as
 * decimal integers; `FLOAT`/`DOUBLE` as Java prints and reads them (`NaN`, `Infinity`);
 * `DECIMAL` with exactly its scale's digits; `BINARY`/`VARBINARY` base64; `DATE` `yyyy-MM-dd`;
 * `TIME` `HH:mm:ss[.fff]`; `TIMESTAMP` `yyyy-MM-dd HH:mm:ss[.fff]` (`T` instead of the space is
 * read too); `TIMESTAMP_LTZ` the same in UTC followed by `Z` (optional when reading); `ARRAY`,
 * `MULTISET` and `ROW` of scalar values as their elements joined by the array element delimiter;
 * `MAP`, and collections holding collections (which Flink's CSV format does not support), as
 * JSON text (see the `json` format).
 *
 * `NULL`: without `csv.null-literal`, an empty unquoted field is `NULL` for every type but
 * `CHAR`/`VARCHAR`, where it is the empty string (as in Flink); `NULL` is written as an empty
 * field (or the null literal), and an empty value (string, bytes, array) as `""`. A quoted field
 * is never `NULL`. Elements are not quoted: an element holding the element delimiter does not
 * read back, nor does a `NULL` string element without a null literal, nor `['']` (read as `[]`).
 *
 * A record is one line, or several when a quoted field holds a line break (the reader joins
 * them). Blank lines are skipped. A record with more or fewer fields than the table has columns
 * is malformed (`Row length mismatch`). Unlike Flink, text that is not exactly a value of its
 * column's type is an error (Flink reads `yes` as `false` in a `BOOLEAN` column), a value too big
 * for its `DECIMAL` is an error rather than `NULL`, `NULL` in a `NOT NULL` column is an error, and
 * with `csv.ignore-parse-errors` a malformed record is skipped whole (Flink sets the bad field to
 * `NULL`).
 *
 * @packageDocumentation
 */
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { OptionReader } from '../connectors/options.js'
import type { ConnectorColumn } from '../connectors/table-connector.js'
import { formatType, isString, type DataType } from '../types/data-type.js'
import { FormatError, type FormatContext, type RowCollector, type RowDecoder, type RowEncoder, type RowFormatFactory } from './format.js'
import { DEFAULT_JSON_CODEC_OPTIONS, jsonValueDecoder, jsonValueEncoder } from './json.js'
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

const OPTIONS = [
  'csv.field-delimiter',
  'csv.quote-character',
  'csv.disable-quote-character',
  'csv.escape-character',
  'csv.allow-comments',
  'csv.ignore-parse-errors',
  'csv.null-literal',
  'csv.array-element-delimiter',
  'csv.write-bigdecimal-in-scientific-notation',
] as const

/** The CSV options, read. */
interface CsvOptions {
  readonly delimiter: number
  /** The quote character's code, or -1 when quoting is disabled. */
  readonly quote: number
  /** The escape character's code, or -1 for none. */
  readonly escape: number
  readonly allowComments: boolean
  readonly ignoreParseErrors: boolean
  readonly nullLiteral: string | undefined
  readonly elementDelimiter: string
}

const readCsvOptions = (r: OptionReader): CsvOptions => {
  const delimiter = r.char('csv.field-delimiter', ',') ?? ','
  const disableQuote = r.boolean('csv.disable-quote-character', false) ?? false
  if (disableQuote && r.has('csv.quote-character'))
    r.problem('csv.quote-character', "Format cannot define a quote character and disabled quote character at the same time (options 'csv.quote-character' and 'csv.disable-quote-character').")
  const quote = r.char('csv.quote-character', '"') ?? '"'
  const escape = r.char('csv.escape-character')
  const elementDelimiter = r.string('csv.array-element-delimiter', ';')
  if (elementDelimiter === '') r.problem('csv.array-element-delimiter', "Option 'csv.array-element-delimiter' must not be empty.")
  r.boolean('csv.write-bigdecimal-in-scientific-notation', false)
  if (!disableQuote && quote === delimiter) r.problem('csv.quote-character', `The quote character and the field delimiter are both '${quote}'.`)
  return {
    delimiter: delimiter.charCodeAt(0),
    quote: disableQuote ? -1 : quote.charCodeAt(0),
    escape: escape === undefined ? -1 : escape.charCodeAt(0),
    allowComments: r.boolean('csv.allow-comments', false) ?? false,
    ignoreParseErrors: r.boolean('csv.ignore-parse-errors', false) ?? false,
    nullLiteral: r.string('csv.null-literal'),
    elementDelimiter,
  }
}

// --- values -------------------------------------------------------------------------------

/** Reads the text of a non-null field of a type. */
type TextDecoder = (s: string) => unknown

const describe = (s: string): string => JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}...` : s)

const cannotRead = (path: string, t: DataType, s: string): FormatError =>
  new FormatError(`Column '${path}' (${formatType(t)}): cannot read ${describe(s)} as ${formatType(t)}.`)

const isScalar = (t: DataType): boolean => t.kind !== 'ARRAY' && t.kind !== 'MULTISET' && t.kind !== 'MAP' && t.kind !== 'ROW'

/** Whether a value of this type is written in the element-delimited form (a collection of scalars). */
const isDelimited = (t: DataType): boolean =>
  ((t.kind === 'ARRAY' || t.kind === 'MULTISET') && isScalar(t.element)) || (t.kind === 'ROW' && t.fields.every((f) => isScalar(f.type)))

/** The value of a field's text, `NULL` handling included (`quoted`: the text was in quotes). */
type FieldDecoder = (s: string, quoted: boolean) => unknown

const fieldDecoder = (t: DataType, path: string, o: CsvOptions): FieldDecoder => {
  const decode = textDecoder(t, path, o)
  const emptyIsNull = !isString(t)
  const nullLiteral = o.nullLiteral
  const notNull = !t.nullable
  return (s, quoted) => {
    if (!quoted && (s === nullLiteral || (s === '' && emptyIsNull))) {
      if (notNull) throw new FormatError(`Column '${path}' (${formatType(t)}) is NOT NULL but the record has null.`)
      return null
    }
    return decode(s)
  }
}

const textDecoder = (t: DataType, path: string, o: CsvOptions): TextDecoder => {
  switch (t.kind) {
    case 'NULL':
      return () => null
    case 'BOOLEAN':
      return (s) => {
        const v = s.trim().toLowerCase()
        if (v === 'true') return true
        if (v === 'false') return false
        throw cannotRead(path, t, s)
      }
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME': {
      const [min, max] = t.kind === 'INTERVAL_YEAR_MONTH' ? INTEGER_RANGES.INT : t.kind === 'INTERVAL_DAY_TIME' ? INTEGER_RANGES.BIGINT : INTEGER_RANGES[t.kind]
      return (s) => {
        const n = parseInteger(s, min, max)
        if (Number.isNaN(n)) throw cannotRead(path, t, s)
        return n
      }
    }
    case 'FLOAT':
    case 'DOUBLE': {
      const single = t.kind === 'FLOAT'
      return (s) => {
        const n = parseFloatText(s)
        if (n === undefined) throw cannotRead(path, t, s)
        return single ? Math.fround(n) : n
      }
    }
    case 'DECIMAL': {
      const { precision, scale } = t
      return (s) => {
        const n = parseFloatText(s)
        const d = n === undefined ? undefined : roundDecimal(n, precision, scale)
        if (d === undefined) throw cannotRead(path, t, s)
        return d
      }
    }
    case 'CHAR':
    case 'VARCHAR':
      return (s) => s
    case 'BINARY':
    case 'VARBINARY':
      return (s) => {
        const b = parseBase64(s.trim())
        if (b === undefined) throw cannotRead(path, t, s)
        return b
      }
    case 'DATE':
      return (s) => {
        const d = parseDate(s.trim())
        if (Number.isNaN(d)) throw cannotRead(path, t, s)
        return d
      }
    case 'TIME':
      return (s) => {
        const ms = parseTime(s.trim())
        if (Number.isNaN(ms)) throw cannotRead(path, t, s)
        return ms
      }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const zone = t.kind === 'TIMESTAMP' ? 'none' : 'utc'
      return (s) => {
        const ms = parseTimestamp(s.trim(), 'either', zone)
        if (Number.isNaN(ms)) throw cannotRead(path, t, s)
        return ms
      }
    }
    case 'ARRAY':
    case 'MULTISET':
    case 'ROW':
    case 'MAP': {
      if (isDelimited(t)) return delimitedDecoder(t, path, o)
      const json = jsonValueDecoder(t, path, DEFAULT_JSON_CODEC_OPTIONS)
      return (s) => {
        let parsed: unknown
        try {
          parsed = JSON.parse(s)
        } catch {
          throw cannotRead(path, t, s)
        }
        return json(parsed)
      }
    }
  }
}

/** `ARRAY`/`MULTISET`/`ROW` of scalars: elements joined by the element delimiter. */
const delimitedDecoder = (t: DataType, path: string, o: CsvOptions): TextDecoder => {
  const sep = o.elementDelimiter
  if (t.kind === 'ROW') {
    const fields = t.fields.map((f) => fieldDecoder(f.type, `${path}.${f.name}`, o))
    const n = fields.length
    return (s) => {
      const parts = s.split(sep)
      if (parts.length !== n) throw new FormatError(`Column '${path}' (${formatType(t)}): row length mismatch, ${n} fields expected but was ${parts.length} in ${describe(s)}.`)
      const out = new Array<unknown>(n)
      for (let i = 0; i < n; i++) out[i] = fields[i]!(parts[i]!, false)
      return out
    }
  }
  const element = fieldDecoder((t as { element: DataType }).element, `${path}[]`, o)
  return (s) => {
    if (s === '') return []
    const parts = s.split(sep)
    for (let i = 0; i < parts.length; i++) parts[i] = element(parts[i]!, false) as string
    return parts
  }
}

// --- decoding -----------------------------------------------------------------------------

class CsvDecoder implements RowDecoder {
  readonly ignoreParseErrors: boolean
  private readonly fields: FieldDecoder[]
  private readonly width: number
  private readonly n: number
  /** The fields of the record being decoded (reused). */
  private readonly cells: string[] = []
  private readonly quoted: boolean[] = []
  private count = 0

  constructor(
    columns: readonly ConnectorColumn[],
    private readonly o: CsvOptions,
    extraFields: number,
  ) {
    this.ignoreParseErrors = o.ignoreParseErrors
    this.fields = columns.map((c) => fieldDecoder(c.type, c.name, o))
    this.n = columns.length
    this.width = columns.length + extraFields
  }

  decode(text: string, out: RowCollector): boolean {
    if (text.length === 0) return true
    if (this.o.allowComments && text.charCodeAt(0) === 35 /* # */) return true
    if (!this.split(text)) return false
    const n = this.n
    if (this.count !== n) {
      if (this.count === 1 && this.cells[0]!.trim() === '' && !this.quoted[0]) return true // a blank line
      throw new FormatError(`Row length mismatch. ${n} fields expected but was ${this.count}.`)
    }
    const fields = new Array<unknown>(this.width)
    for (let i = 0; i < n; i++) fields[i] = this.fields[i]!(this.cells[i]!, this.quoted[i]!)
    for (let i = n; i < this.width; i++) fields[i] = null
    out.collect({ kind: RowKind.INSERT, fields })
    return true
  }

  /** Splits a record into `cells`; false when it ends inside quotes. */
  private split(text: string): boolean {
    const { delimiter, quote, escape } = this.o
    const len = text.length
    this.count = 0
    let i = 0
    for (;;) {
      // one field, starting at i
      let value = ''
      let quoted = false
      if (i < len && text.charCodeAt(i) === quote) {
        quoted = true
        i++
        let start = i
        for (;;) {
          if (i >= len) return false
          const c = text.charCodeAt(i)
          if (c === escape) {
            value += text.slice(start, i)
            if (i + 1 >= len) return false
            value += text[i + 1]
            i += 2
            start = i
          } else if (c === quote) {
            value += text.slice(start, i)
            if (i + 1 < len && text.charCodeAt(i + 1) === quote) {
              value += text[i]
              i += 2
              start = i
            } else {
              i++
              break
            }
          } else {
            i++
          }
        }
        if (i < len && text.charCodeAt(i) !== delimiter)
          throw new FormatError(`Unexpected character ${JSON.stringify(text[i])} after the closing quote of field ${this.count + 1}; expected the field delimiter.`)
      } else {
        let start = i
        while (i < len) {
          const c = text.charCodeAt(i)
          if (c === delimiter) break
          if (c === escape && i + 1 < len) {
            value += text.slice(start, i) + text[i + 1]
            i += 2
            start = i
          } else {
            i++
          }
        }
        value += text.slice(start, i)
      }
      this.cells[this.count] = value
      this.quoted[this.count] = quoted
      this.count++
      if (i >= len) return true
      i++ // the delimiter
      if (i === len) {
        // a trailing delimiter: one more, empty, field
        this.cells[this.count] = ''
        this.quoted[this.count] = false
        this.count++
        return true
      }
    }
  }
}

// --- encoding -----------------------------------------------------------------------------

/** The text of a non-null value of a type (before quoting). */
type TextEncoder = (v: unknown) => string

const textEncoder = (t: DataType, path: string, o: CsvOptions): TextEncoder => {
  switch (t.kind) {
    case 'NULL':
      return () => ''
    case 'BOOLEAN':
      return (v) => (v ? 'true' : 'false')
    case 'DECIMAL': {
      const scale = t.scale
      return (v) => formatDecimal(v as number, scale)
    }
    case 'CHAR':
    case 'VARCHAR':
      return (v) => v as string
    case 'BINARY':
    case 'VARBINARY':
      return (v) => formatBase64(v as Uint8Array)
    case 'DATE':
      return (v) => formatDate(v as number)
    case 'TIME':
      return (v) => formatTime(v as number)
    case 'TIMESTAMP':
      return (v) => formatTimestamp(v as number, ' ')
    case 'TIMESTAMP_LTZ':
      return (v) => `${formatTimestamp(v as number, ' ')}Z`
    case 'ARRAY':
    case 'MULTISET':
    case 'ROW':
    case 'MAP': {
      if (!isDelimited(t)) {
        const json = jsonValueEncoder(t, path, DEFAULT_JSON_CODEC_OPTIONS)
        return (v) => json(v)
      }
      const sep = o.elementDelimiter
      const nullText = o.nullLiteral ?? ''
      const types = t.kind === 'ROW' ? t.fields.map((f) => f.type) : undefined
      const element = t.kind === 'ROW' ? undefined : textEncoder((t as { element: DataType }).element, `${path}[]`, o)
      const fields = types?.map((ft, i) => textEncoder(ft, `${path}.${(t as { fields: readonly { name: string }[] }).fields[i]!.name}`, o))
      return (v) => {
        const a = v as readonly unknown[]
        let s = ''
        for (let i = 0; i < a.length; i++) {
          const e = a[i]
          s += (i === 0 ? '' : sep) + (e === null || e === undefined ? nullText : (element ?? fields![i]!)(e))
        }
        return s
      }
    }
    default:
      return (v) => String(v)
  }
}

/** The characters of the texts of numbers as `String` and the text-values formatters write them (`-1.5e+21`, `NaN`, `-Infinity`). */
const NUMBER_ALPHABET = '+-.0123456789eEINafinty'

/**
 * The characters a value's text is made of, when the type's texts are drawn from a fixed set
 * (numbers, booleans, dates, times); `undefined` for types whose texts may hold anything.
 */
const alphabetOf = (t: DataType): string | undefined => {
  switch (t.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
    case 'DATE':
      return NUMBER_ALPHABET
    case 'BOOLEAN':
      return 'truefals'
    case 'TIME':
      return `${NUMBER_ALPHABET}:`
    case 'TIMESTAMP':
      return `${NUMBER_ALPHABET}: T`
    case 'TIMESTAMP_LTZ':
      return `${NUMBER_ALPHABET}: TZ`
    default:
      return undefined
  }
}

/** The single-character strings of these character codes (negative codes, "none", are left out). */
const charsOf = (codes: readonly number[]): string[] => [...new Set(codes.filter((c) => c >= 0).map((c) => String.fromCharCode(c)))]

/** Whether `text` holds one of `chars` (one `indexOf` per character: a native scan each, faster than a loop over char codes or a regular expression). */
const holdsAny = (text: string, chars: readonly string[]): boolean => {
  for (let i = 0; i < chars.length; i++) if (text.indexOf(chars[i]!) >= 0) return true
  return false
}

class CsvEncoder implements RowEncoder {
  private readonly encoders: TextEncoder[]
  private readonly n: number
  private readonly nullText: string
  private readonly delimiter: string
  private readonly quote: string
  /** The characters that make a field quoted: the delimiter, the quote, line breaks, the escape. */
  private readonly quoteChars: readonly string[]
  /** The characters escaped when quoting is disabled: the delimiter, the escape, line breaks. */
  private readonly escapeChars: readonly string[]
  /**
   * Per column: its texts never need quoting or escaping (a number, date or time, when none of
   * the special characters can appear in it and it can never equal the null literal).
   */
  private readonly plain: readonly boolean[]

  constructor(
    columns: readonly ConnectorColumn[],
    private readonly o: CsvOptions,
  ) {
    this.encoders = columns.map((c) => textEncoder(c.type, c.name, o))
    this.n = columns.length
    this.nullText = o.nullLiteral ?? ''
    this.delimiter = String.fromCharCode(o.delimiter)
    this.quote = o.quote < 0 ? '' : String.fromCharCode(o.quote)
    this.quoteChars = charsOf([o.delimiter, o.quote, 10, 13, o.escape])
    this.escapeChars = charsOf([o.delimiter, o.escape, 10, 13])
    const special = charsOf([o.delimiter, o.quote, 10, 13, o.escape, 35 /* # of a comment */])
    const nullText = o.nullLiteral
    this.plain = columns.map((c) => {
      const alphabet = alphabetOf(c.type)
      if (alphabet === undefined || special.some((ch) => alphabet.includes(ch))) return false
      // a text that may equal the null literal is quoted, so it reads back as itself
      return nullText === undefined || [...nullText].some((ch) => !alphabet.includes(ch))
    })
  }

  encode(row: Row): string {
    if (row.kind !== RowKind.INSERT) throw new FormatError(`The 'csv' format writes only INSERT rows, got a row of kind ${['+I', '-U', '+U', '-D'][row.kind]}.`)
    const fields = row.fields
    let s = ''
    for (let i = 0; i < this.n; i++) {
      if (i > 0) s += this.delimiter
      const v = fields[i]
      if (v === null || v === undefined) {
        s += this.nullText
        continue
      }
      const text = this.encoders[i]!(v)
      if (this.plain[i] === true) s += text
      else s += this.needsQuotes(text, i) ? this.quoted(text) : this.o.quote < 0 && this.o.escape >= 0 ? this.escaped(text) : text
    }
    return s
  }

  /** Whether a field's text must be quoted to read back as itself. */
  private needsQuotes(text: string, column: number): boolean {
    const o = this.o
    if (o.quote < 0) return false
    if (text === '') return true // an empty string, array or byte string, not NULL
    if (text === o.nullLiteral) return true
    if (o.allowComments && column === 0 && text.charCodeAt(0) === 35) return true
    return holdsAny(text, this.quoteChars)
  }

  private quoted(text: string): string {
    const q = this.quote
    const o = this.o
    let s = q
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === o.quote || c === o.escape) {
        s += text.slice(start, i) + (c === o.escape ? text[i] : q) + text[i]
        start = i + 1
      }
    }
    return `${s}${text.slice(start)}${q}`
  }

  /** Without quoting: the escape character before delimiters, escapes and line breaks. */
  private escaped(text: string): string {
    if (!holdsAny(text, this.escapeChars)) return text
    const o = this.o
    const esc = String.fromCharCode(o.escape)
    let s = ''
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === o.delimiter || c === o.escape || c === 10 || c === 13) {
        s += text.slice(start, i) + esc + text[i]
        start = i + 1
      }
    }
    return s + text.slice(start)
  }
}

/**
 * The `csv` format, as Flink's `csv` format; see the module documentation for its options and
 * value forms.
 *
 * @category Formats
 * @since 0.1.0
 */
export const csvFormat: RowFormatFactory = {
  identifier: 'csv',
  optionalOptions: OPTIONS,
  decodedMode: ChangelogModes.INSERT_ONLY,
  encodedMode: ChangelogModes.INSERT_ONLY,
  createDecoder(ctx: FormatContext) {
    const r = new OptionReader('csv', ctx.options)
    const o = readCsvOptions(r)
    return r.result(() => new CsvDecoder(ctx.columns, o, ctx.extraFields ?? 0) as RowDecoder)
  },
  createEncoder(ctx: FormatContext) {
    const r = new OptionReader('csv', ctx.options)
    const o = readCsvOptions(r)
    return r.result(() => new CsvEncoder(ctx.columns, o) as RowEncoder)
  },
}
