/**
 * `@strom/runtime/testing`: run one operator with a manual clock, or a whole job on bounded input.
 *
 * @remarks
 * The operator harnesses set up ONE operator subtask with the real heap keyed state backend,
 * timer service manager and operator state store, a {@link ManualProcessingTimeService} on a
 * manual clock, and an output that records records (with timestamps), watermarks and side
 * outputs in order. Snapshots restore into a fresh harness, also with another parallelism.
 *
 * @packageDocumentation
 */
export * from './recording-output.js'
export * from './operator-snapshot.js'
export * from './stream-operator-test-harness.js'
export * from './one-input-stream-operator-test-harness.js'
export * from './two-input-stream-operator-test-harness.js'
export { ManualProcessingTimeService } from '../internal/time/manual-processing-time-service.js'
