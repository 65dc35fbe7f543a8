import { NO_TIMESTAMP } from '@strom/runtime'
import type { Collector, Output } from '@strom/runtime'

/**
 * The collector handed to user functions: emits to the operator's output with the timestamp the
 * operator set for the call (the record's, the event-time timer's, or none).
 *
 * @remarks
 * One object per operator, reused for every call; the operator sets `timestamp` before calling
 * the user function.
 *
 * @typeParam T - the type of the records collected
 * @category Operators
 * @since 0.1.0
 */
export class TimestampedCollector<T> implements Collector<T> {
  /** The timestamp of the records collected from now on ({@link NO_TIMESTAMP} for none). */
  timestamp: number = NO_TIMESTAMP

  constructor(
    /** Where the records go. */
    private readonly output: Output<T>,
  ) {}

  collect(record: T): void {
    this.output.collect(record, this.timestamp)
  }
}
