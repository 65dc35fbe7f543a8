import type { DataStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import type { AsyncFunction, AsyncLookupFunction } from './async-function.js'
import type { AsyncRetryStrategy } from './async-retry-strategy.js'
import { asyncWaitOperator, type AsyncOutputMode } from './async-wait-operator.js'

/** The default number of records an async operator holds at once. */
const DEFAULT_CAPACITY = 100

/**
 * Async I/O (as in Flink): enriches a stream by calling an external system (a database, a key
 * value store, an HTTP service) for each record, with many calls in flight at once, so that the
 * task never waits for one answer before starting the next call.
 *
 * @remarks
 * Both methods add an {@link AsyncWaitOperator} after `stream` and return its output stream;
 * each output record carries the timestamp of the input record it was made from.
 *
 * - **Ordering.** {@link AsyncDataStream.orderedWait} emits results in input order;
 *   {@link AsyncDataStream.unorderedWait} emits them as calls complete, but never across a
 *   watermark: results of records before a watermark come before it, so event time stays correct
 *   downstream (see {@link AsyncOutputMode}).
 * - **Capacity and backpressure.** At most `capacity` records are held at once (calls in flight
 *   plus results waiting for their turn). When that is reached the task stops taking input until
 *   a call completes; upstream operators then slow down by the usual credit-based flow control.
 * - **Timeouts.** A call not completed after `timeoutMs` (processing time) goes to the function's
 *   `timeout` handler, which may complete it with a fallback; without one, the job fails with an
 *   {@link AsyncTimeoutError} naming the operator, subtask, timeout and input. `0` disables it.
 * - **End of input.** The job does not end before every call has completed and its results are
 *   emitted.
 * - **Checkpoints.** Records whose results were not emitted yet are part of the checkpoint; after
 *   a restore their calls are made again, in order, before new input (see
 *   {@link AsyncWaitOperator}), so each result reaches the output once.
 * - **Failures.** A call completed exceptionally (or a rejected lookup) fails the job with a
 *   `UserFunctionError` naming the operator, subtask and input; the `...WithRetry` variants first
 *   call again as an {@link AsyncRetryStrategy} says.
 *
 * `fn` is an {@link AsyncFunction} (or {@link RichAsyncFunction}, for `open`/`close`), or a
 * plain {@link AsyncLookupFunction} `input => Promise<result>` with exactly one result per
 * record. On a keyed stream the operator runs keyed, but async functions get no keyed state.
 *
 * {@includeCode ./async-io.example.ts#lookup}
 *
 * @category Async I/O
 * @since 0.1.0
 */
export class AsyncDataStream {
  private constructor() {}

  /**
   * Calls `fn` for every record of `stream`, several calls at once, and emits the results in the
   * order of the input records.
   *
   * @typeParam I - the input type
   * @typeParam O - the output type
   * @param stream - the input
   * @param fn - the asynchronous function, or a lookup function (one result per record)
   * @param timeoutMs - how long a call may take (processing time, ms); 0 for no timeout
   * @param capacity - the most records held at once (default 100)
   * @returns the stream of results, named `'Async Wait'` (rename it with `.name()`)
   */
  static orderedWait<I, O>(
    stream: DataStream<I>,
    fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>,
    timeoutMs: number,
    capacity: number = DEFAULT_CAPACITY,
  ): SingleOutputStreamOperator<O> {
    return addAsyncWait(stream, fn, 'ordered', timeoutMs, capacity)
  }

  /**
   * Calls `fn` for every record of `stream`, several calls at once, and emits each result as soon
   * as its call completes, without moving results across watermarks.
   *
   * @typeParam I - the input type
   * @typeParam O - the output type
   * @param stream - the input
   * @param fn - the asynchronous function, or a lookup function (one result per record)
   * @param timeoutMs - how long a call may take (processing time, ms); 0 for no timeout
   * @param capacity - the most records held at once (default 100)
   * @returns the stream of results, named `'Async Wait'` (rename it with `.name()`)
   */
  static unorderedWait<I, O>(
    stream: DataStream<I>,
    fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>,
    timeoutMs: number,
    capacity: number = DEFAULT_CAPACITY,
  ): SingleOutputStreamOperator<O> {
    return addAsyncWait(stream, fn, 'unordered', timeoutMs, capacity)
  }

  /**
   * {@link AsyncDataStream.orderedWait} that calls `fn` again for a record after an error (or
   * results the strategy rejects), as `retryStrategy` says; the timeout covers all attempts.
   *
   * @typeParam I - the input type
   * @typeParam O - the output type
   * @param stream - the input
   * @param fn - the asynchronous function, or a lookup function (one result per record)
   * @param timeoutMs - how long all attempts for a record may take (processing time, ms); 0 for none
   * @param capacity - the most records held at once
   * @param retryStrategy - when to retry and how long to wait, see {@link AsyncRetryStrategies}
   * @returns the stream of results, named `'Async Wait'`
   */
  static orderedWaitWithRetry<I, O>(
    stream: DataStream<I>,
    fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>,
    timeoutMs: number,
    capacity: number,
    retryStrategy: AsyncRetryStrategy<O>,
  ): SingleOutputStreamOperator<O> {
    return addAsyncWait(stream, fn, 'ordered', timeoutMs, capacity, retryStrategy)
  }

  /**
   * {@link AsyncDataStream.unorderedWait} that calls `fn` again for a record after an error (or
   * results the strategy rejects), as `retryStrategy` says; the timeout covers all attempts.
   *
   * @typeParam I - the input type
   * @typeParam O - the output type
   * @param stream - the input
   * @param fn - the asynchronous function, or a lookup function (one result per record)
   * @param timeoutMs - how long all attempts for a record may take (processing time, ms); 0 for none
   * @param capacity - the most records held at once
   * @param retryStrategy - when to retry and how long to wait, see {@link AsyncRetryStrategies}
   * @returns the stream of results, named `'Async Wait'`
   */
  static unorderedWaitWithRetry<I, O>(
    stream: DataStream<I>,
    fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>,
    timeoutMs: number,
    capacity: number,
    retryStrategy: AsyncRetryStrategy<O>,
  ): SingleOutputStreamOperator<O> {
    return addAsyncWait(stream, fn, 'unordered', timeoutMs, capacity, retryStrategy)
  }
}

const addAsyncWait = <I, O>(
  stream: DataStream<I>,
  fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>,
  outputMode: AsyncOutputMode,
  timeoutMs: number,
  capacity: number,
  retryStrategy?: AsyncRetryStrategy<O>,
): SingleOutputStreamOperator<O> =>
  stream.transform<O>(
    'Async Wait',
    asyncWaitOperator<I, O>(fn, retryStrategy === undefined ? { outputMode, timeoutMs, capacity } : { outputMode, timeoutMs, capacity, retryStrategy }),
  )
