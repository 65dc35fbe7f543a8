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
export { PrintTableSink, createPrintConnector, printConnector, type PrintOutput } from './print.js'
export { blackholeConnector, blackholeTableSink } from './blackhole.js'
