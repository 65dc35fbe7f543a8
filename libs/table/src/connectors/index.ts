/**
 * Table connectors: the connector contract, the registry, option helpers and the built-in
 * connectors (`datagen`, `filesystem`, `print`, `blackhole`).
 *
 * @packageDocumentation
 */
export type * from './table-connector.js'
export { ConnectorRegistry } from './connector-registry.js'
export { CONNECTOR_OPTION, OptionReader, optionMatches, parseDuration, parseMemorySize, unsupportedOptionMessage, validateOptions } from './options.js'
export { dataGenConnector } from './datagen.js'
export { FileSystemTableSink, FileSystemTableSource, TableRollingPolicy, createFileSystemConnector, fileSystemConnector, type TableFileSplit } from './filesystem.js'
export { FileSystemLookupSource } from './filesystem-lookup.js'
export {
  PartitionedFileSink,
  PartitionedFileWriter,
  PartitionCommitter,
  type PartitionCommitOptions,
  type PartitionCommittable,
  type PartitionedWriterState,
  type PartitionedWriteSpec,
  type ReportedPartition,
} from './filesystem-partitioned-sink.js'
export { escapePathName, unescapePathName, PartitionTimeExtractor, TimestampPattern, DEFAULT_PARTITION_NAME } from './filesystem-partitions.js'
export { translateLegacyOptions } from './legacy-options.js'
export { PrintTableSink, createPrintConnector, printConnector, type PrintOutput } from './print.js'
export { blackholeConnector, blackholeTableSink } from './blackhole.js'
