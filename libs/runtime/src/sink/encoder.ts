/**
 * Turns a record into one line of text for a row-format {@link FileSink}.
 *
 * @remarks
 * `encode` is on the per-record path. The line is returned without its terminator (the sink adds
 * `\n`) and should hold no `\n` itself, or a line reader will see several records.
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export interface Encoder<T> {
  /** The line of a record, without `\n`. */
  encode(value: T): string
}

/**
 * Encodes a record as its `String(value)` (Flink's `SimpleStringEncoder`).
 *
 * @remarks
 * Example, from the tests:
 *
 * {@includeCode ./file-sink.spec.ts#simple}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export class SimpleStringEncoder<T = unknown> implements Encoder<T> {
  /** `String(value)`. */
  encode(value: T): string {
    return String(value)
  }
}

/**
 * Encodes a record as one line of JSON (JSON Lines).
 *
 * @remarks
 * `JSON.stringify` never puts a newline in its output without indentation, so each record is one
 * line. Values JSON cannot encode (`undefined`, a function) are written as `null`; a `bigint`
 * or a cycle makes `encode` throw.
 *
 * Example, from the tests:
 *
 * {@includeCode ./file-sink.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export class JsonLinesEncoder<T = unknown> implements Encoder<T> {
  /** `JSON.stringify(value)`, or `null`. */
  encode(value: T): string {
    return JSON.stringify(value) ?? 'null'
  }
}
