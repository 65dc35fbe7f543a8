import { StreamError } from '@strom/runtime'

/**
 * An asynchronous call of an {@link AsyncFunction} did not complete within the operator's
 * timeout, and the function defines no {@link AsyncFunction.timeout} to complete it otherwise.
 *
 * @remarks
 * The job fails with a `UserFunctionError` whose `cause` is this error; the message names the
 * operator, the subtask, the timeout and the input. It counts as retriable: the external system
 * may answer in time after a restart.
 *
 * @category Async I/O
 * @since 0.1.0
 */
export class AsyncTimeoutError extends StreamError {
  readonly _tag = 'AsyncTimeoutError'
  readonly domain = 'connector'

  constructor(
    message: string,
    /** The operator whose call timed out. */
    readonly operatorName: string,
    /** The timeout, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(message, { retriable: true })
  }
}
