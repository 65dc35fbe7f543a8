import type { Collector, Key, TimerService } from '@strom/runtime'
import { AbstractRichFunction } from './abstract-rich-function.js'
import type { BaseContext } from './base-context.js'
import type { TimeDomain } from './time-domain.js'

/**
 * Processes the records of two connected keyed streams with shared keyed state and timers.
 *
 * @remarks
 * Both inputs are keyed with the same key type; records of either input with the same key see
 * the same keyed state and timers (the typical shape of a join or enrichment). Timers behave as in
 * {@link KeyedProcessFunction}. The contexts and collector are reused between calls.
 *
 * @typeParam K - the key type
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export abstract class KeyedCoProcessFunction<K extends Key, I1, I2, O> extends AbstractRichFunction {
  /** Processes a record of the first input, with its key set as the current key. */
  abstract processElement1(value: I1, ctx: KeyedCoProcessFunction.Context<K>, out: Collector<O>): void
  /** Processes a record of the second input, with its key set as the current key. */
  abstract processElement2(value: I2, ctx: KeyedCoProcessFunction.Context<K>, out: Collector<O>): void
  /**
   * Called when a timer fires, with its key set as the current key. Does nothing unless
   * overridden.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  onTimer(timestamp: number, ctx: KeyedCoProcessFunction.OnTimerContext<K>, out: Collector<O>): void {}
}

/**
 * The types that go with {@link KeyedCoProcessFunction}.
 *
 * @category Functions
 * @since 0.1.0
 */
export namespace KeyedCoProcessFunction {
  /**
   * What a {@link KeyedCoProcessFunction} can see and do besides emitting records.
   *
   * @remarks
   * One object per operator subtask, reused for every record of both inputs.
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
   * What `onTimer` of a {@link KeyedCoProcessFunction} can see.
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
