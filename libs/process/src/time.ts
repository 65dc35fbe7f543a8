import { NO_TIMESTAMP as RUNTIME_NO_TIMESTAMP } from '@strom/runtime'

/**
 * The timestamp of a record that carries none (`NaN`); the same value as the runtime's.
 *
 * @remarks
 * Records read without a timestamp assigner have no timestamp. `ctx.timestamp()` throws a
 * `MissingTimestampError` for them; test with `ctx.hasTimestamp()` or {@link hasTimestamp}.
 * Records emitted from a processing-time timer carry none either.
 *
 * @category Time
 * @since 0.1.0
 */
export const NO_TIMESTAMP: number = RUNTIME_NO_TIMESTAMP
