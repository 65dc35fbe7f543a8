/**
 * The streaming join operators of the SQL runtime: regular (unbounded) joins, interval joins,
 * window joins, event-time temporal joins and lookup joins, built on the process layer's keyed
 * two-input functions (and the DataStream async I/O operator for async lookups).
 *
 * @packageDocumentation
 */
export * from './join-util.js'
export * from './regular-join-function.js'
export * from './interval-join-function.js'
export * from './window-join-function.js'
export * from './temporal-join-function.js'
export * from './lookup-join-function.js'
