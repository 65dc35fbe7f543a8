import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { RowKind, type Row } from '../data/row.js'
import { DataTypes } from '../types/data-type.js'
import type { ConnectorColumn } from '../connectors/table-connector.js'
import { FormatError, type RowDecoder, type RowEncoder } from './format.js'
import { jsonFormat } from './json.js'
import { daysFromCivil } from './text-values.js'
import { ALL_COLUMNS, canonicalFields, col, fieldsOf } from './values.fixture.js'

const opts = (o: Record<string, string> = {}): Map<string, string> => new Map(Object.entries(o))

const decoder = (columns: readonly ConnectorColumn[], o: Record<string, string> = {}, extraFields = 0): RowDecoder => {
  const d = jsonFormat.createDecoder({ columns, options: opts(o), extraFields })
  if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
  return d.right
}
const encoder = (columns: readonly ConnectorColumn[], o: Record<string, string> = {}): RowEncoder => {
  const e = jsonFormat.createEncoder({ columns, options: opts(o) })
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const decodeAll = (d: RowDecoder, text: string): Row[] => {
  const rows: Row[] = []
  expect(d.decode(text, { collect: (r) => rows.push(r) })).toBe(true)
  return rows
}
const decodeError = (d: RowDecoder, text: string): string => {
  try {
    d.decode(text, { collect: () => {} })
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError)
    return (e as Error).message
  }
  throw new Error(`decoding ${text} did not fail`)
}

const ts = (y: number, mo: number, d: number, h: number, mi: number, s = 0, ms = 0): number => Date.UTC(y, mo - 1, d, h, mi, s, ms)

describe('json format', () => {
  it('reads a record of every type', () => {
    const line = JSON.stringify({
      b: true,
      ti: -5,
      si: '300',
      i: 42,
      bi: 9007199254740991,
      f: 1.5,
      d: 'NaN',
      dec: 12.345,
      c: 'abc',
      s: { nested: [1, 2] },
      vc: 7,
      bin: 'AQIDBA==',
      vb: '',
      dt: '2020-04-15',
      tm: '08:05:01.5',
      ts: '2020-04-15 08:05:00.123',
      ltz: '2020-04-15 08:05:00Z',
      ym: 14,
      dtm: '3600000',
      arr: [1, null, 3],
      sarr: ['x'],
      ms: { a: 2, b: 1 },
      m: { k: 1.25, n: null },
      mi: { '5': ['2020-01-01 00:00:00'] },
      r: { x: 1, when: '1970-01-02' },
      nested: { tags: null, bytes: 'AA==' },
      nn: 0,
    })
    const [row] = decodeAll(decoder(ALL_COLUMNS), line)
    expect(row).toEqual({
      kind: RowKind.INSERT,
      fields: [
        true,
        -5,
        300,
        42,
        9007199254740991,
        1.5,
        Number.NaN,
        12.35,
        'abc',
        '{"nested":[1,2]}',
        '7',
        new Uint8Array([1, 2, 3, 4]),
        new Uint8Array([]),
        daysFromCivil(2020, 4, 15),
        (8 * 3600 + 5 * 60 + 1) * 1000 + 500,
        ts(2020, 4, 15, 8, 5, 0, 123),
        ts(2020, 4, 15, 8, 5),
        14,
        3_600_000,
        [1, null, 3],
        ['x'],
        ['a', 'a', 'b'],
        new Map([
          ['k', 1.25],
          ['n', null],
        ]),
        new Map([[5, [ts(2020, 1, 1, 0, 0)]]]),
        [1, 1],
        [null, new Uint8Array([0])],
        0,
      ],
    })
  })

  it('reads a missing field as NULL, or fails with fail-on-missing-field', () => {
    const columns = [col('a', DataTypes.INT()), col('b', DataTypes.STRING())]
    expect(decodeAll(decoder(columns), '{"a":1}')[0]!.fields).toEqual([1, null])
    expect(decodeError(decoder(columns, { 'json.fail-on-missing-field': 'true' }), '{"a":1}')).toBe("Could not find field with name 'b'.")
  })

  it('leaves room for the connector after the physical fields', () => {
    expect(decodeAll(decoder([col('a', DataTypes.INT())], {}, 2), '{"a":1}')[0]!.fields).toEqual([1, null, null])
  })

  it('names the column and the value in errors', () => {
    const columns = [col('id', DataTypes.INT()), col('price', DataTypes.DECIMAL(5, 2)), col('at', DataTypes.TIMESTAMP(3)), col('r', DataTypes.ROW([{ name: 'x', type: DataTypes.TINYINT() }]))]
    const d = decoder(columns)
    expect(decodeError(d, '{"id":1.5}')).toBe("Column 'id' (INT): cannot read 1.5 as INT.")
    expect(decodeError(d, '{"id":"x"}')).toBe('Column \'id\' (INT): cannot read "x" as INT.')
    expect(decodeError(d, '{"price":1000}')).toBe("Column 'price' (DECIMAL(5, 2)): cannot read 1000 as DECIMAL(5, 2).")
    expect(decodeError(d, '{"at":"2020-04-15T08:05:00"}')).toBe('Column \'at\' (TIMESTAMP(3)): cannot read "2020-04-15T08:05:00" as TIMESTAMP(3).')
    expect(decodeError(d, '{"r":{"x":300}}')).toBe("Column 'r.x' (TINYINT): cannot read 300 as TINYINT.")
    expect(decodeError(d, '{"id":')).toMatch(/^Malformed JSON: /)
    expect(decodeError(d, '[1,2]')).toBe('Expected the record to be a JSON object, got [1,2].')
    expect(decodeError(decoder([col('k', DataTypes.INT(false))]), '{}')).toBe("Column 'k' (INT NOT NULL) is NOT NULL but the record has null.")
  })

  it('skips blank lines', () => {
    expect(decodeAll(decoder([col('a', DataTypes.INT())]), '   ')).toEqual([])
  })

  it('writes values as Flink does', () => {
    const columns = [
      col('a', DataTypes.INT()),
      col('s', DataTypes.STRING()),
      col('dec', DataTypes.DECIMAL(10, 2)),
      col('d', DataTypes.DOUBLE()),
      col('ts', DataTypes.TIMESTAMP(3)),
      col('ltz', DataTypes.TIMESTAMP_LTZ(3)),
      col('dt', DataTypes.DATE()),
      col('b', DataTypes.BYTES()),
      col('m', DataTypes.MAP(DataTypes.INT(), DataTypes.BOOLEAN())),
      col('ms', DataTypes.MULTISET(DataTypes.STRING())),
    ]
    const fields = [1, 'a"b', 1.5, Number.POSITIVE_INFINITY, ts(2020, 4, 15, 8, 5), ts(2020, 4, 15, 8, 5, 0, 120), 0, new Uint8Array([255]), new Map([[1, true]]), ['x', 'y', 'x']]
    expect(encoder(columns).encode({ kind: RowKind.INSERT, fields })).toBe(
      '{"a":1,"s":"a\\"b","dec":1.50,"d":"Infinity","ts":"2020-04-15 08:05:00","ltz":"2020-04-15 08:05:00.12Z","dt":"1970-01-01","b":"/w==","m":{"1":true},"ms":{"x":2,"y":1}}',
    )
    expect(encoder(columns.slice(4, 6), { 'json.timestamp-format.standard': 'ISO-8601' }).encode({ kind: RowKind.INSERT, fields: fields.slice(4, 6) })).toBe(
      '{"ts":"2020-04-15T08:05:00","ltz":"2020-04-15T08:05:00.12Z"}',
    )
    expect(encoder(columns.slice(0, 2), { 'json.encode.ignore-null-fields': 'true' }).encode({ kind: RowKind.INSERT, fields: [null, 'x'] })).toBe('{"s":"x"}')
  })

  it('writes NULL map keys as the map-null-key mode says', () => {
    const columns = [col('m', DataTypes.MAP(DataTypes.STRING(), DataTypes.INT()))]
    const row = { kind: RowKind.INSERT, fields: [new Map<string | null, number>([[null, 1], ['a', 2]])] }
    expect(() => encoder(columns).encode(row)).toThrow(/doesn't support to serialize map data with null keys/)
    expect(encoder(columns, { 'json.map-null-key.mode': 'DROP' }).encode(row)).toBe('{"m":{"a":2}}')
    expect(encoder(columns, { 'json.map-null-key.mode': 'LITERAL', 'json.map-null-key.literal': 'NIL' }).encode(row)).toBe('{"m":{"NIL":1,"a":2}}')
  })

  it('writes only INSERT rows', () => {
    expect(() => encoder([col('a', DataTypes.INT())]).encode({ kind: RowKind.DELETE, fields: [1] })).toThrow("The 'json' format writes only INSERT rows, got a row of kind -D.")
  })

  it('reads back what it writes, for every type and both timestamp standards', () => {
    for (const standard of ['SQL', 'ISO-8601']) {
      const o = { 'json.timestamp-format.standard': standard }
      const enc = encoder(ALL_COLUMNS, o)
      const dec = decoder(ALL_COLUMNS, o)
      fc.assert(
        fc.property(fieldsOf(ALL_COLUMNS), (fields) => {
          const line = enc.encode({ kind: RowKind.INSERT, fields })
          expect(line).not.toContain('\n')
          const [row] = decodeAll(dec, line)
          expect(canonicalFields(row!.fields, ALL_COLUMNS)).toEqual(canonicalFields(fields, ALL_COLUMNS))
        }),
        { numRuns: 150 },
      )
    }
  })

  it('reports each bad option', () => {
    const r = jsonFormat.createDecoder({
      columns: [],
      options: opts({ 'json.fail-on-missing-field': 'true', 'json.ignore-parse-errors': 'true', 'json.timestamp-format.standard': 'RFC', 'json.map-null-key.mode': 'x' }),
    })
    expect(E.isLeft(r) && r.left.map((p) => p.message)).toEqual([
      "'json.fail-on-missing-field' and 'json.ignore-parse-errors' shouldn't both be true.",
      "Could not parse value 'RFC' for option 'json.timestamp-format.standard': expected one of 'SQL', 'ISO-8601'.",
      "Could not parse value 'x' for option 'json.map-null-key.mode': expected one of 'FAIL', 'DROP', 'LITERAL'.",
    ])
  })
})
