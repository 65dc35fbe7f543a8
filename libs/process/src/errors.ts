import { StreamError } from '@strom/runtime'

/**
 * A function asked for the timestamp of a record that carries none.
 *
 * @remarks
 * Thrown by `ctx.timestamp()` when the record being processed has no event-time timestamp
 * (it was read without a timestamp assigner, so its timestamp is `NO_TIMESTAMP`). Assign
 * timestamps with a `WatermarkStrategy`, or test `ctx.hasTimestamp()` first.
 *
 * @category Errors
 * @since 0.1.0
 */
export class MissingTimestampError extends StreamError {
  readonly _tag = 'MissingTimestampError'
  readonly domain = 'user'
}
