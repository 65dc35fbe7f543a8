/**
 * Fake writer contexts for the specs of the built-in sinks. Not exported from the package.
 *
 * @internal
 * @module
 */
import { ManualClock, type Clock } from '../time/clock.js'
import type { Sink, SinkWriter, SinkWriterContext } from './sink.js'

/**
 * A writer context for subtask `subtaskIndex` of `parallelism`, whose messages go to the sink's
 * `onWriterMessage` structured-cloned, as they would from a worker thread.
 */
export const fakeWriterContext = (sink: Sink<unknown>, subtaskIndex: number, parallelism: number, clock: Clock = new ManualClock()): SinkWriterContext => ({
  subtaskIndex,
  parallelism,
  operatorName: 'Sink: test',
  clock,
  sendToCoordinator: (message) => sink.onWriterMessage?.(subtaskIndex, structuredClone(message)),
})

/** The writers of a sink for `parallelism` subtasks. */
export const writers = <T>(sink: Sink<T>, parallelism: number, clock?: Clock): SinkWriter<T>[] =>
  Array.from({ length: parallelism }, (_, i) => sink.createWriter(fakeWriterContext(sink as Sink<unknown>, i, parallelism, clock)))
