/**
 * `@strom/process/testing`: run one process function by hand, with a manual clock.
 *
 * @remarks
 * Each harness runs a copy of the function in its operator with a real heap state backend,
 * timer service and operator state store: feed records and watermarks, move processing time,
 * read the main and side outputs, inspect timers and state, snapshot and restore into a fresh
 * harness (also with another parallelism), as in a running job.
 *
 * @packageDocumentation
 */
export * from './function-harness.js'
export * from './process-function-harness.js'
export * from './co-process-function-harness.js'
export * from './broadcast-process-function-harness.js'
export type {
  OperatorHarnessOptions,
  OperatorSnapshot,
  OutputElement,
  TimestampedValue,
} from '@strom/runtime/testing'
