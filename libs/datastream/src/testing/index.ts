/**
 * `@strom/datastream/testing`: run the operators a DataStream program builds (windows, keyed
 * process functions, async I/O...) in an operator harness with a manual clock, and a whole
 * bounded job with `executeAndCollect()`.
 *
 * @packageDocumentation
 */
export * from './operator-harnesses.js'
