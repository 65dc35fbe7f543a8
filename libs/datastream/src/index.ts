/**
 * `@strom/datastream`: the DataStream API of Strom.
 *
 * @remarks
 * Programs start at a {@link StreamExecutionEnvironment}: sources make {@link DataStream}s,
 * transformations (`map`, `filter`, `keyBy`, windows, joins, `process`) make new ones, sinks end
 * them, and `execute()` runs the job on Strom's runtime. Types flow through every call: a
 * `keyBy` gives a `KeyedStream<T, K>` with a typed key. Windows and joins are built from the
 * process layer's keyed state and timers, and any stream can continue in a process function.
 *
 * @packageDocumentation
 */

// --- environment ---
export * from './environment/runtime-execution-mode.js'
export * from './environment/stream-execution-environment.js'

// --- streams ---
export * from './datastream/data-stream.js'
export * from './datastream/connected-streams.js'
export type { StreamRef, Transformation } from './datastream/transformation.js'
