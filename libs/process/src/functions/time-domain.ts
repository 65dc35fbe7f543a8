/**
 * The time a timer was set in: event time (fires with the watermark) or processing time (fires
 * with the clock).
 *
 * @remarks
 * Use it as a value (`TimeDomain.EVENT_TIME`) or as the string it stands for (`'EVENT_TIME'`).
 *
 * @category Time
 * @since 0.1.0
 */
export const TimeDomain = {
  /** Event time: the timer fires when the watermark reaches its timestamp. */
  EVENT_TIME: 'EVENT_TIME',
  /** Processing time: the timer fires when the operator's clock reaches its timestamp. */
  PROCESSING_TIME: 'PROCESSING_TIME',
} as const

/**
 * The time a timer was set in: `'EVENT_TIME'` or `'PROCESSING_TIME'`.
 *
 * @category Time
 * @since 0.1.0
 */
export type TimeDomain = (typeof TimeDomain)[keyof typeof TimeDomain]
