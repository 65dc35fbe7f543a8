/**
 * The contract of row formats: how a line of text becomes {@link Row}s of a table's schema and
 * back, for connectors that read and write text records (the filesystem connector; message
 * queues later).
 *
 * @remarks
 * A table names its format with the connector's `format` option (`'format' = 'csv'`); the
 * format's own options start with its identifier (`'csv.field-delimiter'`), as in Flink. The
 * factory checks the options at planning time; decoders and encoders then work per record.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/Either'
import { ConfigError } from '@strom/runtime'
import type { ChangelogMode, Row } from '../data/row.js'
import type { ConnectorColumn, OptionProblem } from '../connectors/table-connector.js'

/**
 * Where a decoder puts the rows it decodes.
 *
 * @category Formats
 * @since 0.1.0
 */
export interface RowCollector {
  /** Takes a decoded row (the collector owns it from then on). */
  collect(row: Row): void
}

/**
 * Turns records (one line of text each, or several for a CSV record with a quoted line break)
 * into rows.
 *
 * @remarks
 * Per-record code: one decoder per reader, used from one thread. A malformed record makes
 * `decode` throw a {@link FormatError} naming the column; the connector adds the file and line
 * (as a `ConnectorError`), or, when {@link RowDecoder.ignoreParseErrors} is set, skips the record
 * and counts it.
 *
 * @category Formats
 * @since 0.1.0
 */
export interface RowDecoder {
  /** Whether malformed records are to be skipped (and counted) rather than fail the job. */
  readonly ignoreParseErrors: boolean
  /**
   * Decodes one record into zero or more rows (a Debezium update gives two).
   *
   * @returns `true` when `text` was a whole record; `false` when it ends inside a quoted field and
   * the caller should call again with the next line appended after a `\n`
   * @throws {@link FormatError} when the record is malformed
   */
  decode(text: string, out: RowCollector): boolean
}

/**
 * Turns rows into records of text (one line each, without its terminator).
 *
 * @category Formats
 * @since 0.1.0
 */
export interface RowEncoder {
  /**
   * The record of a row.
   *
   * @throws {@link FormatError} when the row's kind or a value cannot be written in this format
   */
  encode(row: Row): string
}

/**
 * What a format factory is given.
 *
 * @category Formats
 * @since 0.1.0
 */
export interface FormatContext {
  /** The physical columns, in the order of the row's fields. */
  readonly columns: readonly ConnectorColumn[]
  /** The table's options (the format's own start with its identifier and a dot). */
  readonly options: ReadonlyMap<string, string>
  /**
   * Fields a decoder leaves room for after the physical columns (the connector fills them, e.g.
   * with metadata); decoded rows have `columns.length + extraFields` fields. Default 0.
   */
  readonly extraFields?: number
}

/**
 * A row format: its options, and decoders and encoders for a schema.
 *
 * @category Formats
 * @since 0.1.0
 */
export interface RowFormatFactory {
  /** The value of a connector's `format` option (`'csv'`, `'json'`, `'debezium-json'`). */
  readonly identifier: string
  /** The format's options, full keys (`'csv.field-delimiter'`). */
  readonly optionalOptions: readonly string[]
  /** The row kinds decoded records produce (`INSERT_ONLY`, or all kinds for a changelog format). */
  readonly decodedMode: ChangelogMode
  /** The row kinds the encoder can write. */
  readonly encodedMode: ChangelogMode
  /** A decoder for the schema, or the problems with the options. */
  createDecoder(ctx: FormatContext): Either<readonly OptionProblem[], RowDecoder>
  /** An encoder for the schema, or the problems with the options. */
  createEncoder(ctx: FormatContext): Either<readonly OptionProblem[], RowEncoder>
}

/**
 * A record that a format cannot decode, or a row it cannot encode: the message names the column
 * (or field path, `address.city`) and what is wrong.
 *
 * @remarks
 * Thrown by decoders and encoders on the per-record path and caught by the connector, which
 * reports it as a `ConnectorError` naming the file and line (or counts it, with
 * `ignore-parse-errors`). Not a `StreamError` itself: it never leaves a connector.
 *
 * @category Formats
 * @since 0.1.0
 */
export class FormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FormatError'
  }
}

/**
 * The formats a connector can use, by identifier.
 *
 * @category Formats
 * @since 0.1.0
 */
export class FormatRegistry {
  private readonly factories = new Map<string, RowFormatFactory>()

  /** A registry holding `factories`. */
  constructor(factories: Iterable<RowFormatFactory> = []) {
    for (const f of factories) this.register(f)
  }

  /**
   * Adds a format.
   *
   * @throws ConfigError when a format with the same identifier is registered already
   */
  register(factory: RowFormatFactory): this {
    if (this.factories.has(factory.identifier)) throw new ConfigError(`A format with the identifier '${factory.identifier}' is registered already.`)
    this.factories.set(factory.identifier, factory)
    return this
  }

  /** The format with this identifier, if registered. */
  find(identifier: string): RowFormatFactory | undefined {
    return this.factories.get(identifier)
  }

  /** The registered identifiers, sorted. */
  identifiers(): string[] {
    return [...this.factories.keys()].sort()
  }
}

/** The prefix of a format's own options: `'csv.'`. */
export const formatOptionPrefix = (identifier: string): string => `${identifier}.`
