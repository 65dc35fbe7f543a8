import { AbstractRichFunction } from '@strom/process'

/**
 * Where an asynchronous call delivers its outcome: the results for one input record, or an
 * error.
 *
 * @remarks
 * Each input record gets its own `ResultFuture`. Complete it exactly once, from any callback
 * (a promise's `then`, a driver's callback, a timer) or right away inside
 * {@link AsyncFunction.asyncInvoke}; the first completion wins and later ones are ignored, so a
 * call that answers after its {@link AsyncFunction.timeout | timeout} has completed the future
 * does no harm. The results are emitted later on the task's thread, with the timestamp of the
 * input record.
 *
 * @typeParam O - the type of the results
 * @category Async I/O
 * @since 0.1.0
 */
export interface ResultFuture<O> {
  /**
   * Completes the call with its results: none, one or several records, emitted in the order
   * given. The array is read when the results are emitted (on the task's thread, later), so do
   * not change it afterwards.
   */
  complete(results: readonly O[]): void
  /**
   * Completes the call with an error: the job fails with a `UserFunctionError` that names the
   * operator, the subtask and the input, with `error` as its cause.
   */
  completeExceptionally(error: unknown): void
}

/**
 * A function that starts an asynchronous operation (a database lookup, an HTTP call) for each
 * input record, without blocking the task: the operator behind
 * {@link AsyncDataStream.orderedWait} / {@link AsyncDataStream.unorderedWait} keeps several calls
 * in flight at once.
 *
 * @remarks
 * `asyncInvoke` must return quickly: start the operation and arrange for its callback to
 * complete the {@link ResultFuture}. It runs on the task's thread, like every other function;
 * the callback may run anywhere, as the future is safe to complete from any callback.
 * Throwing from `asyncInvoke` fails the job, as a rejected call does.
 *
 * `timeout`, when defined, is called (on the task's thread) for a call that has not completed
 * within the operator's timeout; it should complete the future, with a fallback value or an
 * error. Without it a timed-out call fails the job with an {@link AsyncTimeoutError} naming the
 * operator, the subtask, the timeout and the input. If `timeout` does not complete the future,
 * the call keeps its place until the original operation completes it.
 *
 * For a plain `input => Promise<result>` lookup, pass an {@link AsyncLookupFunction} instead. For
 * `open`/`close` (to create and release a connection pool per subtask), extend
 * {@link RichAsyncFunction}.
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Async I/O
 * @since 0.1.0
 */
export interface AsyncFunction<I, O> {
  /** Starts the asynchronous operation for `input`; completes `resultFuture` when it ends. */
  asyncInvoke(input: I, resultFuture: ResultFuture<O>): void
  /** Called for a call that timed out; complete `resultFuture` with a fallback or an error. */
  timeout?(input: I, resultFuture: ResultFuture<O>): void
}

/**
 * An {@link AsyncFunction} with a life cycle: `open` once per subtask before the first record
 * (create the client or connection pool there), `close` after the last (release it).
 *
 * @remarks
 * Each parallel subtask runs its own shallow copy of the function (see `cloneFunction` in
 * `@strom/process`): create per-subtask things in `open`, not in the constructor. The runtime
 * context gives the subtask's index, parallelism, metrics and configuration; keyed state is not
 * available to async functions (as in Flink): the results arrive after the record's key has gone
 * out of scope.
 *
 * {@includeCode ./async-io.example.ts#rich}
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Async I/O
 * @since 0.1.0
 */
export abstract class RichAsyncFunction<I, O> extends AbstractRichFunction implements AsyncFunction<I, O> {
  /** Starts the asynchronous operation for `input`; completes `resultFuture` when it ends. */
  abstract asyncInvoke(input: I, resultFuture: ResultFuture<O>): void
  /**
   * Called for a call that timed out; complete `resultFuture` with a fallback or an error.
   * Leave it undefined to fail the job with an {@link AsyncTimeoutError}.
   */
  timeout?(input: I, resultFuture: ResultFuture<O>): void
}

/**
 * The short form of an {@link AsyncFunction}: a function from an input record to a promise of
 * exactly one result (or the result itself, when it is at hand, say from a cache).
 *
 * @remarks
 * A rejected promise (or a throw) fails the job with a `UserFunctionError` naming the operator,
 * the subtask and the input. For zero or several results per input, or for a fallback on
 * timeout, implement {@link AsyncFunction} instead.
 *
 * {@includeCode ./async-io.example.ts#lookup}
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Async I/O
 * @since 0.1.0
 */
export type AsyncLookupFunction<I, O> = (input: I) => PromiseLike<O> | O
