import type { Collector, Key, TimerService } from '@strom/runtime'
import { AbstractRichFunction } from './abstract-rich-function.js'
import type { BaseContext } from './base-context.js'
import type { TimeDomain } from './time-domain.js'

/**
 * Processes each record of a keyed stream with keyed state and timers.
 *
 * @remarks
 * The function behind most stateful logic. For each record the key is set as the current key:
 * keyed state obtained in `open` reads and writes that key's entry, and timers registered through
 * `ctx.timerService()` are for that key.
 *
 * Timers: a timer is identified by (timestamp, key); registering the same one twice gives one
 * firing. An event-time timer fires once the watermark reaches its timestamp
 * (`watermark >= timestamp`), a processing-time timer once the clock does; timers fire in
 * timestamp order, exactly once, with their key as the current key, calling `onTimer`. Records
 * emitted from an event-time timer get the timer's timestamp, records emitted from a
 * processing-time timer get none. Timers are part of checkpoints.
 *
 * The contexts and the collector are reused between calls: use them inside the call, never keep
 * them.
 *
 * Example: alert when a user has not clicked for 30 s of event time (this code runs in
 * `keyed-process-function.spec.ts`):
 *
 * {@includeCode ../examples/idle-alert.ts#idle-alert}
 *
 * @typeParam K - the key type
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export abstract class KeyedProcessFunction<K extends Key, I, O> extends AbstractRichFunction {
  /**
   * Processes one record, with its key set as the current key.
   *
   * @param value - the record
   * @param ctx - the key, timestamp, timers and side outputs; reused between calls
   * @param out - emits records, with the input record's timestamp; reused between calls
   */
  abstract processElement(value: I, ctx: KeyedProcessFunction.Context<K>, out: Collector<O>): void

  /**
   * Called when a timer fires, with the timer's key set as the current key. Does nothing unless
   * overridden.
   *
   * @param timestamp - the timer's timestamp
   * @param ctx - the key, time domain, timers and side outputs; reused between calls
   * @param out - emits records, with the timer's timestamp for event-time timers and none for
   *   processing-time timers
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  onTimer(timestamp: number, ctx: KeyedProcessFunction.OnTimerContext<K>, out: Collector<O>): void {}
}

/**
 * The types that go with {@link KeyedProcessFunction}.
 *
 * @category Functions
 * @since 0.1.0
 */
export namespace KeyedProcessFunction {
  /**
   * What `processElement` of a {@link KeyedProcessFunction} can see and do besides emitting
   * records.
   *
   * @remarks
   * One object per operator subtask, reused for every record.
   *
   * @typeParam K - the key type
   * @category Functions
   * @since 0.1.0
   */
  export interface Context<K> extends BaseContext {
    /** Time and timers, scoped to the current key. */
    timerService(): TimerService
    /** The key of the record (or timer) being processed. */
    getCurrentKey(): K
  }

  /**
   * What `onTimer` of a {@link KeyedProcessFunction} can see: the context plus the time domain
   * of the firing timer.
   *
   * @remarks
   * `timestamp()` is the timer's timestamp, in both time domains.
   *
   * @typeParam K - the key type
   * @category Functions
   * @since 0.1.0
   */
  export interface OnTimerContext<K> extends Context<K> {
    /** Whether the firing timer is an event-time or a processing-time timer. */
    timeDomain(): TimeDomain
  }
}
