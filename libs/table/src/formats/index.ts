/**
 * Row formats: the format contract and the built-in formats (`csv`, `json`, `debezium-json`).
 *
 * @packageDocumentation
 */
import { csvFormat } from './csv.js'
import { debeziumJsonFormat } from './debezium-json.js'
import { FormatRegistry } from './format.js'
import { jsonFormat } from './json.js'

export { FormatError, FormatRegistry, type FormatContext, type RowCollector, type RowDecoder, type RowEncoder, type RowFormatFactory } from './format.js'
export { csvFormat } from './csv.js'
export { jsonFormat } from './json.js'
export { debeziumJsonFormat } from './debezium-json.js'

/**
 * A registry of the built-in formats: `csv`, `json` and `debezium-json`.
 *
 * @category Formats
 * @since 0.1.0
 */
export const builtinFormats = (): FormatRegistry => new FormatRegistry([csvFormat, jsonFormat, debeziumJsonFormat])
