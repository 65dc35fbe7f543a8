/**
 * Where an error comes from: the user's code or data, a configuration, a plan (SQL, graph),
 * an external system, or Strom itself.
 *
 * @category Errors
 * @since 0.1.0
 */
export type ErrorDomain = 'user' | 'config' | 'plan' | 'connector' | 'internal'

/**
 * The base class of every error Strom raises on purpose.
 *
 * @remarks
 * Each subclass has a stable `_tag` to match on, a {@link ErrorDomain | domain}, and a retry hint
 * that a restart strategy reads: `retriable` errors (a dead connection) may succeed on restart,
 * others (a bug in a user function, a bad configuration) will fail again. Messages are full
 * sentences that name the operator, subtask, key, file or position involved; the original error
 * is kept as `cause`.
 *
 * @category Errors
 * @since 0.1.0
 */
export abstract class StreamError extends Error {
  /** A stable tag that names the kind of error. */
  abstract readonly _tag: string
  /** Where the error comes from. */
  abstract readonly domain: ErrorDomain
  /** Whether running the same work again may succeed. */
  readonly retriable: boolean

  constructor(message: string, options?: { cause?: unknown; retriable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.retriable = options?.retriable ?? false
    this.name = new.target.name
  }
}

/**
 * A job, operator or connector was configured with values that cannot work.
 *
 * @category Errors
 * @since 0.1.0
 */
export class ConfigError extends StreamError {
  readonly _tag = 'ConfigError'
  readonly domain = 'config'
}

/**
 * The job graph cannot be built or executed as described (a cycle, an edge that does not fit).
 *
 * @category Errors
 * @since 0.1.0
 */
export class GraphError extends StreamError {
  readonly _tag = 'GraphError'
  readonly domain = 'plan'
}

/**
 * A user function threw while processing a record, a watermark or a timer.
 *
 * @remarks
 * The message names the operator, the subtask (index/parallelism) and, for keyed operators,
 * the key being processed. `cause` is what the user function threw.
 *
 * @category Errors
 * @since 0.1.0
 */
export class UserFunctionError extends StreamError {
  readonly _tag = 'UserFunctionError'
  readonly domain = 'user'
  constructor(
    message: string,
    /** The operator whose function failed. */
    readonly operatorName: string,
    /** The failing subtask's index. */
    readonly subtaskIndex: number,
    /** The key being processed, where the operator is keyed. */
    readonly key: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/**
 * A state access broke the state contract (no current key, wrong namespace, bad descriptor).
 *
 * @category Errors
 * @since 0.1.0
 */
export class StateError extends StreamError {
  readonly _tag = 'StateError'
  readonly domain = 'user'
}

/**
 * A source, sink or format failed (a missing file, a malformed record, a closed connection).
 *
 * @category Errors
 * @since 0.1.0
 */
export class ConnectorError extends StreamError {
  readonly _tag = 'ConnectorError'
  readonly domain = 'connector'
}

/**
 * Strom itself reached a state it should never reach. Please report it.
 *
 * @category Errors
 * @since 0.1.0
 */
export class InternalError extends StreamError {
  readonly _tag = 'InternalError'
  readonly domain = 'internal'
}

/** Describes a thrown value in one line, for error messages. @internal */
export const describeError = (e: unknown): string =>
  e instanceof Error ? `${e.name}: ${e.message}` : `thrown value ${JSON.stringify(e) ?? String(e)}`
