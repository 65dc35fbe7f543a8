import { ConfigError } from '@strom/runtime'

/**
 * When and how often an async operator calls its function again for the same record (Flink's
 * `AsyncRetryStrategy`), for `orderedWaitWithRetry` / `unorderedWaitWithRetry`.
 *
 * @remarks
 * After an attempt completes, the operator asks `retryOnError` (for an error) or `retryOnResult`
 * (for results) whether to try again; while attempts are left, it waits `backoffMs(attempt)` of
 * processing time and calls `asyncInvoke` again with a fresh result future (an answer of an
 * earlier attempt arriving late is ignored). When no attempts are left, the last outcome counts:
 * results are emitted, an error fails the job. The operator's timeout covers all attempts of a
 * record, measured from the first: a timed-out record is not retried. A record being retried
 * keeps its place in the queue (and counts towards the capacity).
 *
 * Build one with {@link AsyncRetryStrategies}.
 *
 * @typeParam O - the output type of the function
 * @category Async I/O
 * @since 0.1.0
 */
export interface AsyncRetryStrategy<O> {
  /** Attempts in all per record, the first included (1 means no retry). */
  readonly maxAttempts: number
  /** How long to wait before the next attempt, after `attempt` attempts have been made (1, 2...). */
  backoffMs(attempt: number): number
  /** Whether to try again after these results (default: never; e.g. retry an empty lookup). */
  retryOnResult?(results: readonly O[]): boolean
  /** Whether to try again after this error (default: always). */
  retryOnError?(error: unknown): boolean
}

/**
 * Which outcomes an {@link AsyncRetryStrategy} made by {@link AsyncRetryStrategies} retries.
 *
 * @typeParam O - the output type of the function
 * @category Async I/O
 * @since 0.1.0
 */
export interface AsyncRetryPredicates<O> {
  /** Retry after these results (default: never). */
  readonly retryOnResult?: (results: readonly O[]) => boolean
  /** Retry after this error (default: always). */
  readonly retryOnError?: (error: unknown) => boolean
}

const checkAttempts = (maxAttempts: number): void => {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new ConfigError(`An async retry strategy needs maxAttempts to be a positive integer, got ${maxAttempts}.`)
}

const checkDelay = (what: string, ms: number): void => {
  if (!Number.isFinite(ms) || ms < 0) throw new ConfigError(`The ${what} of an async retry strategy must be a number of milliseconds >= 0, got ${ms}.`)
}

/**
 * Ready-made {@link AsyncRetryStrategy | retry strategies}: a fixed delay, or an exponential
 * backoff.
 *
 * @category Async I/O
 * @since 0.1.0
 */
export const AsyncRetryStrategies = {
  /**
   * Up to `maxAttempts` attempts, `delayMs` apart.
   *
   * @typeParam O - the output type of the function
   */
  fixedDelay<O>(maxAttempts: number, delayMs: number, predicates: AsyncRetryPredicates<O> = {}): AsyncRetryStrategy<O> {
    checkAttempts(maxAttempts)
    checkDelay('delay', delayMs)
    return { maxAttempts, backoffMs: () => delayMs, ...predicates }
  },

  /**
   * Up to `maxAttempts` attempts; the first retry waits `initialDelayMs`, each next one
   * `multiplier` times longer, at most `maxDelayMs`.
   *
   * @typeParam O - the output type of the function
   */
  exponentialBackoff<O>(
    maxAttempts: number,
    initialDelayMs: number,
    maxDelayMs: number,
    multiplier = 2,
    predicates: AsyncRetryPredicates<O> = {},
  ): AsyncRetryStrategy<O> {
    checkAttempts(maxAttempts)
    checkDelay('initial delay', initialDelayMs)
    checkDelay('maximum delay', maxDelayMs)
    if (!Number.isFinite(multiplier) || multiplier < 1)
      throw new ConfigError(`The multiplier of an exponential backoff must be a number >= 1, got ${multiplier}.`)
    return {
      maxAttempts,
      backoffMs: (attempt) => Math.min(maxDelayMs, initialDelayMs * multiplier ** (attempt - 1)),
      ...predicates,
    }
  },
} as const
