/**
 * Extracts the event-time timestamp of a record (ms since the epoch).
 *
 * @remarks
 * Called once per record on the per-record path: keep it a cheap field read. `recordTimestamp`
 * is the timestamp the source gave the record (e.g. a Kafka record's timestamp), or
 * {@link NO_TIMESTAMP} (`NaN`) when it gave none. Returning `recordTimestamp` keeps the source's
 * timestamp.
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export type TimestampAssigner<T> = (event: T, recordTimestamp: number) => number
