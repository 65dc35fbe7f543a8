import { ConfigError } from '@strom/runtime'
import type { Key, KeySelector, OneInputStreamOperator, OperatorFactory } from '@strom/runtime'
import {
  KeyedOneInputStreamOperatorTestHarness,
  OneInputStreamOperatorTestHarness,
  type OperatorHarnessOptions,
} from '@strom/runtime/testing'
import type { DataStream, KeyedStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'

const operatorOf = <T, O>(input: DataStream<T>, out: SingleOutputStreamOperator<O>): OneInputStreamOperator<T, O> => {
  const t = out.transformation
  const source = input.refs[0]?.transformation
  if (t.kind !== 'one-input' || t.factory === undefined || t.inputs[0]?.[0]?.transformation !== source)
    throw new ConfigError(
      'The harness runs one operator: `build` must add exactly one one-input operator to the stream it gets ' +
        '(e.g. `s => s.window(...).reduce(...)` or `s => s.process(fn)`), not a chain of several.',
    )
  return (t.factory as OperatorFactory<OneInputStreamOperator<T, O>>)()
}

/**
 * Runs the keyed operator that a DataStream call builds (a window, a keyed process function, a
 * rolling aggregation...) in an operator test harness: push elements and watermarks, move
 * processing time, read the output and side outputs, take a snapshot and restore it into a new
 * harness.
 *
 * @remarks
 * `build` gets a keyed stream and must add exactly one operator to it, through the public API, so
 * the test runs the same operator a job would, with a manual clock. The harness is open when
 * returned. Pass `restoreFrom` in `options` to start from a snapshot.
 *
 * {@includeCode ./operator-harnesses.spec.ts#window}
 *
 * @typeParam T - the input type
 * @typeParam K - the key type
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export const keyedOperatorHarness = <T, K extends Key, O>(
  keySelector: KeySelector<T, K>,
  build: (keyed: KeyedStream<T, K>) => SingleOutputStreamOperator<O>,
  options?: OperatorHarnessOptions,
): KeyedOneInputStreamOperatorTestHarness<T, K, O> => {
  const keyed = StreamExecutionEnvironment.create().fromCollection<T>([]).keyBy(keySelector)
  const op = operatorOf(keyed, build(keyed))
  return new KeyedOneInputStreamOperatorTestHarness<T, K, O>(op, keySelector, options).open()
}

/**
 * Runs the non-keyed operator that a DataStream call builds (a map, a process function, async
 * I/O...) in an operator test harness; see {@link keyedOperatorHarness}.
 *
 * @typeParam T - the input type
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export const operatorHarness = <T, O>(
  build: (stream: DataStream<T>) => SingleOutputStreamOperator<O>,
  options?: OperatorHarnessOptions,
): OneInputStreamOperatorTestHarness<T, O> => {
  const stream = StreamExecutionEnvironment.create().fromCollection<T>([])
  const op = operatorOf(stream, build(stream))
  return new OneInputStreamOperatorTestHarness<T, O>(op, options).open()
}
