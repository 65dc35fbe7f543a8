/**
 * The timestamp of a record that carries none.
 *
 * @remarks
 * Records read without a {@link WatermarkStrategy} timestamp assigner have no timestamp. Internally
 * that is `NaN`, so arithmetic on it stays `NaN` and time-based code can reject it with a clear
 * error instead of using a wrong time. Test with {@link hasTimestamp}.
 *
 * @category Time
 * @since 0.1.0
 */
export const NO_TIMESTAMP = Number.NaN

/**
 * Whether a timestamp is a real one (not {@link NO_TIMESTAMP}).
 *
 * @category Time
 * @since 0.1.0
 */
export const hasTimestamp = (timestamp: number): boolean => timestamp === timestamp

/**
 * The watermark before any watermark arrived: no event time has passed yet.
 *
 * @category Time
 * @since 0.1.0
 */
export const MIN_WATERMARK = Number.NEGATIVE_INFINITY

/**
 * The watermark a bounded input ends with: all of event time has passed, every event-time timer
 * and window fires.
 *
 * @category Time
 * @since 0.1.0
 */
export const MAX_WATERMARK = Number.POSITIVE_INFINITY
