import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { RowKind, isAccumulate, type Row, type RowKind as Kind } from '../data/row.js'
import { DataTypes } from '../types/data-type.js'
import type { ConnectorColumn } from '../connectors/table-connector.js'
import { debeziumJsonFormat } from './debezium-json.js'
import { FormatError, type RowDecoder, type RowEncoder } from './format.js'
import { ALL_COLUMNS, canonicalFields, col, fieldsOf } from './values.fixture.js'

const opts = (o: Record<string, string> = {}): Map<string, string> => new Map(Object.entries(o))
const COLUMNS = [col('id', DataTypes.INT(false)), col('name', DataTypes.STRING()), col('price', DataTypes.DECIMAL(10, 2))]

const decoder = (o: Record<string, string> = {}, columns: readonly ConnectorColumn[] = COLUMNS): RowDecoder => {
  const d = debeziumJsonFormat.createDecoder({ columns, options: opts(o) })
  if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
  return d.right
}
const encoder = (columns: readonly ConnectorColumn[] = COLUMNS): RowEncoder => {
  const e = debeziumJsonFormat.createEncoder({ columns, options: opts() })
  if (E.isLeft(e)) throw new Error(JSON.stringify(e.left))
  return e.right
}
const decode = (d: RowDecoder, ...lines: string[]): Row[] => {
  const rows: Row[] = []
  for (const line of lines) d.decode(line, { collect: (r) => rows.push(r) })
  return rows
}
const decodeError = (d: RowDecoder, line: string): string => {
  try {
    decode(d, line)
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError)
    return (e as Error).message
  }
  throw new Error(`decoding ${line} did not fail`)
}

describe('debezium-json format', () => {
  it('reads creates, snapshot reads, updates and deletes as +I, -U/+U and -D', () => {
    const rows = decode(
      decoder(),
      '{"before":null,"after":{"id":1,"name":"scooter","price":3.14},"op":"c","ts_ms":1589355606100}',
      '{"before":null,"after":{"id":2,"name":"car","price":10},"op":"r"}',
      '{"before":{"id":1,"name":"scooter","price":3.14},"after":{"id":1,"name":"scooter","price":5.18},"op":"u"}',
      '{"before":{"id":2,"name":"car","price":10},"after":null,"op":"d"}',
      '',
      'null',
    )
    expect(rows).toEqual([
      { kind: RowKind.INSERT, fields: [1, 'scooter', 3.14] },
      { kind: RowKind.INSERT, fields: [2, 'car', 10] },
      { kind: RowKind.UPDATE_BEFORE, fields: [1, 'scooter', 3.14] },
      { kind: RowKind.UPDATE_AFTER, fields: [1, 'scooter', 5.18] },
      { kind: RowKind.DELETE, fields: [2, 'car', 10] },
    ])
  })

  it('reads messages with a schema when schema-include is set', () => {
    const line = '{"schema":{"type":"struct"},"payload":{"before":null,"after":{"id":7,"name":null,"price":null},"op":"c"}}'
    expect(decode(decoder({ 'debezium-json.schema-include': 'true' }), line)).toEqual([{ kind: RowKind.INSERT, fields: [7, null, null] }])
    expect(decodeError(decoder(), line)).toMatch(/^Unknown "op" value undefined \(the message has a schema and a payload: set 'debezium-json.schema-include' to true\)/)
    expect(decodeError(decoder({ 'debezium-json.schema-include': 'true' }), line.replace('"id":7', '"id":null'))).toBe("Column 'id' (INT NOT NULL) is NOT NULL but the record has null.")
    expect(decodeError(decoder({ 'debezium-json.schema-include': 'true' }), '{"before":null,"after":{"id":7},"op":"c"}')).toMatch(/has no "payload" object/)
  })

  it('rejects malformed change events with Flink’s messages', () => {
    const d = decoder()
    expect(decodeError(d, '{"before":null,"after":{"id":1},"op":"u"}')).toMatch(/^The "before" field of an UPDATE message is null; .*REPLICA IDENTITY/)
    expect(decodeError(d, '{"before":null,"after":{"id":1},"op":"x"}')).toBe('Unknown "op" value "x". The Debezium JSON message is \'{"before":null,"after":{"id":1},"op":"x"}\'.')
    expect(decodeError(d, '{"before":null,"after":null,"op":"c"}')).toBe('Expected the "after" field to be a JSON object, got null.')
    expect(decodeError(d, '{"before":null,"after":{"id":"one"},"op":"c"}')).toBe('Column \'id\' (INT NOT NULL): cannot read "one" as INT NOT NULL.')
    expect(decodeError(d, '{"op":')).toMatch(/^Malformed JSON/)
  })

  it('writes +I and +U as creates, -U and -D as deletes, as Flink does', () => {
    const e = encoder()
    expect(e.encode({ kind: RowKind.INSERT, fields: [1, 'a', 1.5] })).toBe('{"before":null,"after":{"id":1,"name":"a","price":1.50},"op":"c"}')
    expect(e.encode({ kind: RowKind.UPDATE_BEFORE, fields: [1, 'a', 1.5] })).toBe('{"before":{"id":1,"name":"a","price":1.50},"after":null,"op":"d"}')
    expect(e.encode({ kind: RowKind.UPDATE_AFTER, fields: [1, 'b', 2] })).toBe('{"before":null,"after":{"id":1,"name":"b","price":2.00},"op":"c"}')
    expect(e.encode({ kind: RowKind.DELETE, fields: [1, 'b', 2] })).toBe('{"before":{"id":1,"name":"b","price":2.00},"after":null,"op":"d"}')
  })

  it('round trip: what it writes reads back as the same changes (updates as delete + insert), for every type', () => {
    const enc = encoder(ALL_COLUMNS)
    const dec = decoder({}, ALL_COLUMNS)
    const change = fc.tuple(fc.constantFrom<Kind>(RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE), fieldsOf(ALL_COLUMNS))
    fc.assert(
      fc.property(fc.array(change, { maxLength: 5 }), (changes) => {
        const read = decode(dec, ...changes.map(([kind, fields]) => enc.encode({ kind, fields })))
        expect(read.map((r) => ({ kind: r.kind, fields: canonicalFields(r.fields, ALL_COLUMNS) }))).toEqual(
          changes.map(([kind, fields]) => ({ kind: isAccumulate(kind) ? RowKind.INSERT : RowKind.DELETE, fields: canonicalFields(fields, ALL_COLUMNS) })),
        )
      }),
      { numRuns: 50 },
    )
  })

  it('reads its options under its own prefix', () => {
    const r = debeziumJsonFormat.createDecoder({ columns: COLUMNS, options: opts({ 'debezium-json.schema-include': 'perhaps' }) })
    expect(E.isLeft(r) && r.left).toEqual([{ option: 'debezium-json.schema-include', message: "Could not parse value 'perhaps' for option 'debezium-json.schema-include': expected 'true' or 'false'." }])
    expect(debeziumJsonFormat.optionalOptions).toContain('debezium-json.ignore-parse-errors')
    expect(debeziumJsonFormat.optionalOptions).not.toContain('debezium-json.fail-on-missing-field')
  })
})
