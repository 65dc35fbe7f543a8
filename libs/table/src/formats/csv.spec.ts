import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { RowKind, type Row } from '../data/row.js'
import type { ConnectorColumn } from '../connectors/table-connector.js'
import { DataTypes } from '../types/data-type.js'
import { csvFormat } from './csv.js'
import { FormatError, type RowDecoder, type RowEncoder } from './format.js'
import { daysFromCivil } from './text-values.js'
import { ALL_COLUMNS, canonicalFields, col, fieldsOf } from './values.fixture.js'

const opts = (o: Record<string, string> = {}): Map<string, string> => new Map(Object.entries(o))

const decoder = (columns: readonly ConnectorColumn[], o: Record<string, string> = {}): RowDecoder => {
  const d = csvFormat.createDecoder({ columns, options: opts(o) })
  if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
  return d.right
}
const encoder = (columns: readonly ConnectorColumn[], o: Record<string, string> = {}): RowEncoder => {
  const e = csvFormat.createEncoder({ columns, options: opts(o) })
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}

/** Decodes a text line by line as the filesystem source does: a record cut inside quotes continues on the next line. */
const decodeText = (d: RowDecoder, text: string): Row[] => {
  const rows: Row[] = []
  const out = { collect: (r: Row) => void rows.push(r) }
  let partial: string | undefined
  for (const line of text.split('\n')) {
    const record = partial === undefined ? line : `${partial}\n${line}`
    partial = d.decode(record, out) ? undefined : record
  }
  if (partial !== undefined) throw new Error(`unterminated record ${JSON.stringify(partial)}`)
  return rows
}
const fieldsOfText = (d: RowDecoder, text: string): unknown[][] => decodeText(d, text).map((r) => r.fields)
const decodeError = (d: RowDecoder, text: string): string => {
  try {
    decodeText(d, text)
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError)
    return (e as Error).message
  }
  throw new Error(`decoding ${text} did not fail`)
}

const ts = (y: number, mo: number, d: number, h: number, mi: number, s = 0, ms = 0): number => Date.UTC(y, mo - 1, d, h, mi, s, ms)

describe('csv format', () => {
  it('reads a record of every scalar type', () => {
    const columns = ALL_COLUMNS.slice(0, 19)
    const line = 'TRUE,-5,300,42,9007199254740991,1.5,NaN,12.345,abc,"a,b",x y,AQIDBA==,,2020-04-15,08:05:01.5,2020-04-15 08:05:00.123,2020-04-15T08:05:00Z,14,3600000'
    expect(fieldsOfText(decoder(columns), line)).toEqual([
      [
        true,
        -5,
        300,
        42,
        9007199254740991,
        1.5,
        Number.NaN,
        12.35,
        'abc',
        'a,b',
        'x y',
        new Uint8Array([1, 2, 3, 4]),
        null,
        daysFromCivil(2020, 4, 15),
        (8 * 3600 + 5 * 60 + 1) * 1000 + 500,
        ts(2020, 4, 15, 8, 5, 0, 123),
        ts(2020, 4, 15, 8, 5),
        14,
        3_600_000,
      ],
    ])
  })

  it('reads collections: scalars by the element delimiter, others as JSON', () => {
    const columns = [
      col('arr', DataTypes.ARRAY(DataTypes.INT())),
      col('r', DataTypes.ROW([{ name: 'x', type: DataTypes.INT() }, { name: 'y', type: DataTypes.STRING() }])),
      col('m', DataTypes.MAP(DataTypes.STRING(), DataTypes.INT())),
    ]
    expect(fieldsOfText(decoder(columns), '1;;3,7;seven,"{""a"":1}"')).toEqual([[[1, null, 3], [7, 'seven'], new Map([['a', 1]])]])
    expect(fieldsOfText(decoder(columns, { 'csv.array-element-delimiter': '|' }), '1|2,7|x,{}')).toEqual([[[1, 2], [7, 'x'], new Map()]])
    expect(fieldsOfText(decoder(columns), '"",,')).toEqual([[[], null, null]])
  })

  it('reads NULL as Flink does: empty unquoted fields, or the null literal', () => {
    const columns = [col('s', DataTypes.STRING()), col('i', DataTypes.INT()), col('t', DataTypes.STRING())]
    expect(fieldsOfText(decoder(columns), ',,""')).toEqual([['', null, '']])
    expect(fieldsOfText(decoder(columns, { 'csv.null-literal': 'n/a' }), 'n/a,n/a,"n/a"')).toEqual([[null, null, 'n/a']])
  })

  it('follows the quoting, escaping, delimiter and comment options', () => {
    const columns = [col('a', DataTypes.STRING()), col('b', DataTypes.STRING())]
    expect(fieldsOfText(decoder(columns), '"say ""hi""","x"')).toEqual([['say "hi"', 'x']])
    expect(fieldsOfText(decoder(columns, { 'csv.field-delimiter': '\\t' }), 'a,b\tc')).toEqual([['a,b', 'c']])
    expect(fieldsOfText(decoder(columns, { 'csv.field-delimiter': '|', 'csv.quote-character': "'" }), "'a|b'|\"c\"")).toEqual([['a|b', '"c"']])
    expect(fieldsOfText(decoder(columns, { 'csv.disable-quote-character': 'true' }), '"a","b"')).toEqual([['"a"', '"b"']])
    expect(fieldsOfText(decoder(columns, { 'csv.escape-character': '\\' }), 'a\\,b,c\\\\')).toEqual([['a,b', 'c\\']])
    expect(fieldsOfText(decoder(columns, { 'csv.allow-comments': 'true' }), '# a comment\nx,y')).toEqual([['x', 'y']])
    expect(() => fieldsOfText(decoder(columns), '# a comment\nx,y')).toThrow('Row length mismatch. 2 fields expected but was 1.')
  })

  it('reads a quoted line break as part of the field', () => {
    const columns = [col('a', DataTypes.STRING()), col('b', DataTypes.INT())]
    expect(fieldsOfText(decoder(columns), '"one\ntwo\n",1\nx,2')).toEqual([
      ['one\ntwo\n', 1],
      ['x', 2],
    ])
  })

  it('skips blank lines', () => {
    expect(fieldsOfText(decoder([col('a', DataTypes.INT()), col('b', DataTypes.INT())]), '\n1,2\n   \n')).toEqual([[1, 2]])
  })

  it('names the column and the value in errors', () => {
    const columns = [col('id', DataTypes.INT()), col('price', DataTypes.DECIMAL(5, 2)), col('ok', DataTypes.BOOLEAN(false))]
    const d = decoder(columns)
    expect(decodeError(d, 'x,1.5,true')).toBe('Column \'id\' (INT): cannot read "x" as INT.')
    expect(decodeError(d, '1,1000,true')).toBe('Column \'price\' (DECIMAL(5, 2)): cannot read "1000" as DECIMAL(5, 2).')
    expect(decodeError(d, '1,2,yes')).toBe('Column \'ok\' (BOOLEAN NOT NULL): cannot read "yes" as BOOLEAN NOT NULL.')
    expect(decodeError(d, '1,2,')).toBe("Column 'ok' (BOOLEAN NOT NULL) is NOT NULL but the record has null.")
    expect(decodeError(d, '1,2')).toBe('Row length mismatch. 3 fields expected but was 2.')
    expect(decodeError(d, '1,2,true,4')).toBe('Row length mismatch. 3 fields expected but was 4.')
    expect(decodeError(d, '"1"x,2,true')).toBe('Unexpected character "x" after the closing quote of field 1; expected the field delimiter.')
    expect(() => decodeText(d, '"1,2,true')).toThrow('unterminated record')
  })

  it('writes values as Flink does, quoting only where needed', () => {
    const columns = [
      col('s', DataTypes.STRING()),
      col('e', DataTypes.STRING()),
      col('n', DataTypes.INT()),
      col('dec', DataTypes.DECIMAL(10, 2)),
      col('ts', DataTypes.TIMESTAMP(3)),
      col('ltz', DataTypes.TIMESTAMP_LTZ(3)),
      col('arr', DataTypes.ARRAY(DataTypes.INT())),
      col('m', DataTypes.MAP(DataTypes.STRING(), DataTypes.INT())),
    ]
    const fields = ['a "b", c', '', null, 1.5, ts(2020, 4, 15, 8, 5), ts(2020, 4, 15, 8, 5, 1, 500), [1, null, 3], new Map([['k', 1]])]
    expect(encoder(columns).encode({ kind: RowKind.INSERT, fields })).toBe('"a ""b"", c","",,1.50,2020-04-15 08:05:00,2020-04-15 08:05:01.5Z,1;;3,"{""k"":1}"')
    expect(encoder(columns, { 'csv.null-literal': 'NULL', 'csv.field-delimiter': ';', 'csv.array-element-delimiter': '|' }).encode({ kind: RowKind.INSERT, fields })).toBe(
      '"a ""b"", c";"";NULL;1.50;2020-04-15 08:05:00;2020-04-15 08:05:01.5Z;1|NULL|3;"{""k"":1}"',
    )
    expect(encoder(columns.slice(0, 1), { 'csv.null-literal': 'NULL' }).encode({ kind: RowKind.INSERT, fields: ['NULL'] })).toBe('"NULL"')
    expect(encoder(columns.slice(0, 1), { 'csv.disable-quote-character': 'true', 'csv.escape-character': '\\' }).encode({ kind: RowKind.INSERT, fields: ['a,b'] })).toBe('a\\,b')
    expect(() => encoder(columns.slice(0, 1)).encode({ kind: RowKind.UPDATE_AFTER, fields: ['x'] })).toThrow("The 'csv' format writes only INSERT rows, got a row of kind +U.")
  })

  it('reads back what it writes, for every type', () => {
    for (const o of [
      { 'csv.null-literal': 'NULL' } as Record<string, string>,
      { 'csv.null-literal': 'NULL', 'csv.field-delimiter': '\\t', 'csv.quote-character': "'", 'csv.allow-comments': 'true', 'csv.escape-character': '\\' },
    ]) {
      const enc = encoder(ALL_COLUMNS, o)
      const dec = decoder(ALL_COLUMNS, o)
      fc.assert(
        fc.property(fieldsOf(ALL_COLUMNS, { excludeChars: ';', excludeStrings: ['', 'NULL'] }), (fields) => {
          const text = enc.encode({ kind: RowKind.INSERT, fields })
          const rows = decodeText(dec, text)
          expect(rows.length).toBe(1)
          expect(canonicalFields(rows[0]!.fields, ALL_COLUMNS)).toEqual(canonicalFields(fields, ALL_COLUMNS))
        }),
        { numRuns: 100 },
      )
    }
  })

  it('reads back any string, quoted as needed, with the default options', () => {
    const columns = [col('a', DataTypes.STRING()), col('b', DataTypes.STRING(false))]
    const enc = encoder(columns)
    const dec = decoder(columns)
    fc.assert(
      fc.property(fieldsOf(columns), (fields) => {
        const expected = [fields[0] ?? '', fields[1]] // without a null literal a NULL string reads back as ''
        expect(decodeText(dec, enc.encode({ kind: RowKind.INSERT, fields }))[0]!.fields).toEqual(expected)
      }),
    )
  })

  it('quotes and escapes exactly as its rules say, whatever the delimiter, quote, escape and null literal', () => {
    // numbers, dates and times skip the search for special characters unless one of those could
    // appear in them: delimiters, quotes, escapes and null literals made of their characters
    const columns = [
      col('n', DataTypes.BIGINT()),
      col('x', DataTypes.DOUBLE()),
      col('ok', DataTypes.BOOLEAN()),
      col('d', DataTypes.DATE()),
      col('t', DataTypes.TIME(3)),
      col('ts', DataTypes.TIMESTAMP(3)),
      col('ltz', DataTypes.TIMESTAMP_LTZ(3)),
      col('s', DataTypes.STRING()),
    ]
    const iso = (ms: number): string => new Date(ms).toISOString()
    const minimal = (fraction: string): string => (fraction === '000' ? '' : `.${fraction.replace(/0+$/, '')}`)
    // the text of each value, independently of the format's code
    const texts: ((v: never) => string)[] = [
      (v: number) => String(v),
      (v: number) => String(v),
      (v: boolean) => String(v),
      (v: number) => iso(v * 86_400_000).slice(0, 10),
      (v: number) => iso(v).slice(11, 19) + minimal(iso(v).slice(20, 23)),
      (v: number) => `${iso(v).slice(0, 10)} ${iso(v).slice(11, 19)}${minimal(iso(v).slice(20, 23))}`,
      (v: number) => `${iso(v).slice(0, 10)} ${iso(v).slice(11, 19)}${minimal(iso(v).slice(20, 23))}Z`,
      (v: string) => v,
    ]
    const value = fc.tuple(
      fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.maxSafeInteger()),
      fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -99, max: 99 }).map((n) => n / 4)),
      fc.boolean(),
      fc.integer({ min: daysFromCivil(1000, 1, 1), max: daysFromCivil(9999, 12, 31) }),
      fc.integer({ min: 0, max: 86_399_999 }),
      fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }),
      fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }),
      fc.string({ unit: fc.constantFrom('a', '1', '-', ':', '.', ' ', 'e', 'Z', ',', '"', "'", '\\', '\n', '#', 't'), maxLength: 6 }),
    )
    const fields = fc.array(fc.option(value.map((vs) => vs as unknown[]), { nil: undefined }), { minLength: 1, maxLength: 4 })
    const special = [',', ';', '|', '-', '1', ':', '.', 'e', ' ', 't', 'Z', 'T', '"', "'", '0', '\\', '5', 'N']
    const options = fc
      .record({
        delimiter: fc.constantFrom(...special),
        quote: fc.option(fc.constantFrom(...special), { nil: undefined }),
        escape: fc.option(fc.constantFrom(...special), { nil: undefined }),
        nullLiteral: fc.option(fc.constantFrom('null', '0', '1', 'true', '-', 'N', '1970-01-01', 'NaN', '1.5', ''), { nil: undefined }),
        comments: fc.boolean(),
      })
      .filter((o) => o.quote !== o.delimiter && o.escape !== o.delimiter && (o.escape === undefined || o.escape !== o.quote))
    fc.assert(
      fc.property(options, fields, (o, rows) => {
        const enc = encoder(columns, {
          'csv.field-delimiter': o.delimiter,
          ...(o.quote === undefined ? { 'csv.disable-quote-character': 'true' } : { 'csv.quote-character': o.quote }),
          ...(o.escape === undefined ? {} : { 'csv.escape-character': o.escape }),
          ...(o.nullLiteral === undefined ? {} : { 'csv.null-literal': o.nullLiteral }),
          'csv.allow-comments': String(o.comments),
        })
        const quoteChars = [o.delimiter, o.quote, '\n', '\r', o.escape].filter((c) => c !== undefined)
        const escapeChars = [o.delimiter, o.escape, '\n', '\r'].filter((c) => c !== undefined)
        const field = (text: string, column: number): string => {
          const q = o.quote
          if (q !== undefined) {
            const needs = text === '' || text === o.nullLiteral || (o.comments && column === 0 && text.startsWith('#')) || [...text].some((c) => quoteChars.includes(c))
            if (!needs) return text
            return `${q}${[...text].map((c) => (c === q ? q + q : c === o.escape ? c + c : c)).join('')}${q}`
          }
          return o.escape === undefined ? text : [...text].map((c) => (escapeChars.includes(c) ? o.escape + c : c)).join('')
        }
        for (const row of rows) {
          const values = row ?? columns.map(() => null)
          const expected = values.map((v, i) => (v === null ? (o.nullLiteral ?? '') : field((texts[i] as (v: unknown) => string)(v), i))).join(o.delimiter)
          expect(enc.encode({ kind: RowKind.INSERT, fields: values })).toBe(expected)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('reports each bad option', () => {
    const r = csvFormat.createDecoder({
      columns: [],
      options: opts({ 'csv.field-delimiter': ';;', 'csv.disable-quote-character': 'true', 'csv.quote-character': "'", 'csv.allow-comments': 'maybe', 'csv.array-element-delimiter': '' }),
    })
    expect(E.isLeft(r) && r.left.map((p) => `${p.option}: ${p.message}`)).toEqual([
      "csv.field-delimiter: Option 'csv.field-delimiter' must be a string with a single character, but was: ;;",
      "csv.quote-character: Format cannot define a quote character and disabled quote character at the same time (options 'csv.quote-character' and 'csv.disable-quote-character').",
      "csv.array-element-delimiter: Option 'csv.array-element-delimiter' must not be empty.",
      "csv.allow-comments: Could not parse value 'maybe' for option 'csv.allow-comments': expected 'true' or 'false'.",
    ])
  })
})
