/**
 * Sinks: the sink contract and the built-in sinks.
 *
 * @packageDocumentation
 */
export * from './sink.js'
export * from './two-phase-commit.js'
export * from './collect-sink.js'
export * from './exactly-once-collect-sink.js'
export * from './print-sink.js'
export * from './encoder.js'
export * from './rolling-policy.js'
export * from './file-sink.js'
