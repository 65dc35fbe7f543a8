/**
 * The contract between the planner and table connectors: how a `CREATE TABLE ... WITH
 * ('connector' = '...')` becomes a runtime source or sink of {@link Row}s.
 *
 * @remarks
 * A connector package registers a {@link TableConnectorFactory} under its identifier (the value
 * of the `connector` option). When a query reads or writes the table, the planner calls the
 * factory with the table's resolved schema and options; the factory checks the options
 * (returning every problem, each naming the option) and returns a source and/or sink.
 * Rows carry the table's *physical* columns in declared order, then its metadata columns; the
 * planner computes computed columns and watermarks itself.
 *
 * @packageDocumentation
 */
import type { Either } from 'fp-ts/Either'
import type { Sink, Source } from '@strom/runtime'
import type { ChangelogMode, Row } from '../data/row.js'
import type { DataType } from '../types/data-type.js'

/** A column as a connector sees it. */
export interface ConnectorColumn {
  readonly name: string
  readonly type: DataType
  /** For metadata columns: the metadata key (`METADATA FROM 'key'`, or the column name). */
  readonly metadataKey?: string
}

/** What a factory is given to build a source or a sink. */
export interface ConnectorContext {
  /** The table's name as written in the catalog (`default_catalog.default_database.bids`). */
  readonly tableName: string
  /** The physical columns, in declared order. */
  readonly columns: readonly ConnectorColumn[]
  /** The metadata columns (after the physical ones in each row), in declared order. */
  readonly metadataColumns: readonly ConnectorColumn[]
  /** The primary key's columns, if the table declares one. */
  readonly primaryKey?: readonly string[]
  /**
   * The partition columns (`PARTITIONED BY (...)`), if the table declares them: physical column
   * names, in order. A connector that cannot partition may ignore them.
   *
   * @since 0.2.0
   */
  readonly partitionKeys?: readonly string[]
  /** The `WITH` options (keys as written), including `connector`. */
  readonly options: ReadonlyMap<string, string>
  /** Whether the job runs in `BATCH` or `STREAMING` mode. */
  readonly runtimeMode: 'STREAMING' | 'BATCH'
}

/** A problem with a table's options: which option, and what is wrong with it. */
export interface OptionProblem {
  /** The option involved (`'path'`), if it is one option. */
  readonly option?: string
  readonly message: string
}

/** A table source that scans rows. */
export interface ScanTableSource {
  /** Which row kinds it produces (`INSERT_ONLY` for append sources; a CDC source produces all). */
  readonly changelogMode: ChangelogMode
  /** Whether it ends (a file) or runs forever (a live source). */
  readonly bounded: boolean
  /** The runtime source; `parallelism` is the source's parallelism if it has a preferred one. */
  createSource(): Source<Row>
  /** A preferred parallelism (e.g. one per file), if any. */
  readonly parallelism?: number
}

/** A table source that answers lookups by key (for lookup joins). */
export interface LookupTableSource {
  /**
   * A lookup function for the columns at `keyIndices` (physical column indices): given the key
   * values in that order, the matching rows (all `+I`). May return a promise.
   */
  createLookup(keyIndices: readonly number[]): (key: readonly unknown[]) => readonly Row[] | Promise<readonly Row[]>
}

/** A table sink. */
export interface TableSink {
  /**
   * Which row kinds the sink accepts, given what the query produces: an append sink accepts
   * `INSERT_ONLY` only, an upsert sink (with a primary key) `UPSERT`, a retract sink all kinds.
   */
  acceptedChangelogMode(requested: ChangelogMode): ChangelogMode
  /** The runtime sink (a two-phase-commit sink where the connector supports exactly-once). */
  createSink(): Sink<Row>
  /** A preferred parallelism, if any. */
  readonly parallelism?: number
}

/**
 * A table connector: builds sources and/or sinks for tables whose `connector` option is its
 * `identifier`.
 *
 * @category Connectors
 * @since 0.1.0
 */
export interface TableConnectorFactory {
  /** The value of the `connector` option (`'datagen'`, `'filesystem'`, `'print'`). */
  readonly identifier: string
  /** Options that must be set (listed in errors). */
  readonly requiredOptions: readonly string[]
  /** Options that may be set; others are rejected with the list of known ones (prefixes such as `fields.#.` end with `.`). */
  readonly optionalOptions: readonly string[]
  /** A scan source over the table, or why not. Absent: the connector cannot be read. */
  createScanSource?(ctx: ConnectorContext): Either<readonly OptionProblem[], ScanTableSource>
  /** A lookup source over the table, or why not. Absent: no lookup joins against it. */
  createLookupSource?(ctx: ConnectorContext): Either<readonly OptionProblem[], LookupTableSource>
  /** A sink into the table, or why not. Absent: the connector cannot be written. */
  createSink?(ctx: ConnectorContext): Either<readonly OptionProblem[], TableSink>
}
