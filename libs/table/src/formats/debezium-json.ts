/**
 * The `debezium-json` format: Debezium's change events as JSON, read as a changelog, as Flink's
 * `debezium-json` format.
 *
 * @remarks
 * A record is `{"before": {...}, "after": {...}, "op": "c"}` (or, with
 * `debezium-json.schema-include`, the same inside `{"schema": ..., "payload": {...}}`). Reading:
 *
 * | `op` | rows |
 * | --- | --- |
 * | `c` (create), `r` (snapshot read) | `+I` of `after` |
 * | `u` (update) | `-U` of `before`, then `+U` of `after` |
 * | `d` (delete) | `-D` of `before` |
 *
 * A `null` record (a Kafka tombstone) and blank lines are skipped. An update whose `before` is
 * `null` is an error (the source table must log full rows: Postgres `REPLICA IDENTITY FULL`),
 * as in Flink. Writing, as Flink: `+I` and `+U` become `{"before":null,"after":{...},"op":"c"}`,
 * `-U` and `-D` become `{"before":{...},"after":null,"op":"d"}`; so an update is written as a
 * delete and a create, which reads back as `-D`, `+I` (the same table contents).
 *
 * Options: `debezium-json.schema-include` (default `false`), `debezium-json.ignore-parse-errors`,
 * `debezium-json.timestamp-format.standard`, `debezium-json.map-null-key.mode`,
 * `debezium-json.map-null-key.literal`, `debezium-json.encode.decimal-as-plain-number`,
 * `debezium-json.encode.ignore-null-fields`: the JSON options (see the `json` format) under this
 * format's prefix. Values inside `before` and `after` are read and written as the `json` format
 * does.
 *
 * @packageDocumentation
 */
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { OptionReader } from '../connectors/options.js'
import { FormatError, type FormatContext, type RowCollector, type RowDecoder, type RowEncoder, type RowFormatFactory } from './format.js'
import { JsonRowReader, JsonRowWriter, isBlank, jsonOptionKeys, parseJson, readJsonOptions } from './json.js'

const ID = 'debezium-json'

const snippet = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}...` : text)

class DebeziumJsonDecoder implements RowDecoder {
  constructor(
    private readonly reader: JsonRowReader,
    private readonly schemaInclude: boolean,
    readonly ignoreParseErrors: boolean,
  ) {}

  decode(text: string, out: RowCollector): boolean {
    if (isBlank(text)) return true
    let message = parseJson(text)
    if (message === null) return true // a tombstone
    if (typeof message !== 'object' || Array.isArray(message)) throw new FormatError(`Expected a Debezium JSON object, got ${snippet(text)}.`)
    if (this.schemaInclude) {
      const payload = (message as Record<string, unknown>)['payload']
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        throw new FormatError(
          `The Debezium JSON message has no "payload" object, but 'debezium-json.schema-include' is true (set it to false if the messages carry no schema): ${snippet(text)}`,
        )
      message = payload
    }
    const m = message as Record<string, unknown>
    const op = m['op']
    switch (op) {
      case 'c':
      case 'r':
        out.collect({ kind: RowKind.INSERT, fields: this.reader.fields(m['after'], 'the "after" field') })
        return true
      case 'u': {
        const before = m['before']
        if (before === null || before === undefined)
          throw new FormatError(
            'The "before" field of an UPDATE message is null; if you are using the Debezium Postgres connector, please check that the Postgres table has REPLICA IDENTITY set to FULL.',
          )
        const old = this.reader.fields(before, 'the "before" field')
        const now = this.reader.fields(m['after'], 'the "after" field')
        out.collect({ kind: RowKind.UPDATE_BEFORE, fields: old })
        out.collect({ kind: RowKind.UPDATE_AFTER, fields: now })
        return true
      }
      case 'd':
        out.collect({ kind: RowKind.DELETE, fields: this.reader.fields(m['before'], 'the "before" field') })
        return true
      default: {
        const hint = op === undefined && !this.schemaInclude && 'payload' in m ? " (the message has a schema and a payload: set 'debezium-json.schema-include' to true)" : ''
        throw new FormatError(`Unknown "op" value ${JSON.stringify(op) ?? 'undefined'}${hint}. The Debezium JSON message is '${snippet(text)}'.`)
      }
    }
  }
}

class DebeziumJsonEncoder implements RowEncoder {
  constructor(private readonly writer: JsonRowWriter) {}

  encode(row: Row): string {
    const data = this.writer.object(row.fields)
    switch (row.kind) {
      case RowKind.INSERT:
      case RowKind.UPDATE_AFTER:
        return `{"before":null,"after":${data},"op":"c"}`
      default:
        return `{"before":${data},"after":null,"op":"d"}`
    }
  }
}

/**
 * The `debezium-json` changelog format, as Flink's; see the module documentation.
 *
 * @category Formats
 * @since 0.1.0
 */
export const debeziumJsonFormat: RowFormatFactory = {
  identifier: ID,
  optionalOptions: [`${ID}.schema-include`, ...jsonOptionKeys(ID).filter((k) => k !== `${ID}.fail-on-missing-field` && k !== `${ID}.decode.json-parser.enabled`)],
  decodedMode: ChangelogModes.ALL,
  encodedMode: ChangelogModes.ALL,
  createDecoder(ctx: FormatContext) {
    const r = new OptionReader(ID, ctx.options)
    const o = readJsonOptions(r, ID)
    const schemaInclude = r.boolean(`${ID}.schema-include`, false) ?? false
    return r.result(() => new DebeziumJsonDecoder(new JsonRowReader(ctx.columns, o, ctx.extraFields ?? 0), schemaInclude, o.ignoreParseErrors) as RowDecoder)
  },
  createEncoder(ctx: FormatContext) {
    const r = new OptionReader(ID, ctx.options)
    const o = readJsonOptions(r, ID)
    r.boolean(`${ID}.schema-include`, false)
    return r.result(() => new DebeziumJsonEncoder(new JsonRowWriter(ctx.columns, o)) as RowEncoder)
  },
}
