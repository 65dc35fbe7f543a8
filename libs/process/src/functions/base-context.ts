import type { OutputTag } from '@strom/runtime'

/**
 * What every process function context offers: the timestamp of the record (or timer) being
 * processed, and side outputs.
 *
 * @remarks
 * A context is one object per operator subtask, reused for every call: read it inside the call
 * it was passed to, never keep it.
 *
 * @category Functions
 * @since 0.1.0
 */
export interface BaseContext {
  /**
   * The event-time timestamp of the record being processed, or the timestamp of the timer firing.
   *
   * @throws `MissingTimestampError` when the record has none (test with {@link BaseContext.hasTimestamp}).
   */
  timestamp(): number
  /** Whether the record being processed has an event-time timestamp. */
  hasTimestamp(): boolean
  /**
   * Emits a record to a side output. It gets the same timestamp as the main output would (the
   * record's, the event-time timer's, or none in a processing-time timer).
   */
  output<X>(tag: OutputTag<X>, value: X): void
}
