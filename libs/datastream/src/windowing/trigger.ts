import { ConfigError } from '@strom/runtime'
import type { MetricGroup, State, StateDescriptor } from '@strom/runtime'
import type { Window } from './windows.js'

/**
 * What a {@link Trigger} decides for a window: nothing, emit it, drop its contents, or both.
 *
 * - `CONTINUE`: do nothing.
 * - `FIRE`: call the window function with the window's contents; keep them.
 * - `PURGE`: drop the window's contents (the window itself and its trigger state stay).
 * - `FIRE_AND_PURGE`: fire, then purge.
 *
 * @category Windows
 * @since 0.1.0
 */
export type TriggerResult = 'CONTINUE' | 'FIRE' | 'PURGE' | 'FIRE_AND_PURGE'

/**
 * The values of {@link TriggerResult} as constants, and tests on them.
 *
 * @category Windows
 * @since 0.1.0
 */
export const TriggerResult = {
  CONTINUE: 'CONTINUE',
  FIRE: 'FIRE',
  PURGE: 'PURGE',
  FIRE_AND_PURGE: 'FIRE_AND_PURGE',
  /** Whether the result fires the window (`FIRE` or `FIRE_AND_PURGE`). */
  isFire: (r: TriggerResult): boolean => r === 'FIRE' || r === 'FIRE_AND_PURGE',
  /** Whether the result purges the window (`PURGE` or `FIRE_AND_PURGE`). */
  isPurge: (r: TriggerResult): boolean => r === 'PURGE' || r === 'FIRE_AND_PURGE',
} as const

/**
 * What a {@link Trigger} can do for the window (and key) it is called for: read time, set and
 * delete timers, keep state.
 *
 * @remarks
 * Timers and state are scoped to the current key and to the window the trigger is called for: a
 * timer registered here calls the trigger back for that window. The context is one object per
 * operator, reused for every call: never keep it.
 *
 * @category Windows
 * @since 0.1.0
 */
export interface TriggerContext {
  /** The current processing time. */
  currentProcessingTime(): number
  /** The current watermark (-Infinity before the first one). */
  currentWatermark(): number
  /** Calls `onEventTime` for this window when the watermark reaches `time`. */
  registerEventTimeTimer(time: number): void
  /** Calls `onProcessingTime` for this window when processing time reaches `time`. */
  registerProcessingTimeTimer(time: number): void
  /** Deletes an event-time timer of this window (nothing happens if there is none). */
  deleteEventTimeTimer(time: number): void
  /** Deletes a processing-time timer of this window (nothing happens if there is none). */
  deleteProcessingTimeTimer(time: number): void
  /**
   * State of the current key and window, by descriptor (a count, the next firing time...).
   *
   * @remarks
   * Ask for it in each call rather than keeping it: the object is switched to the window of the
   * call. Names starting with `window-` are reserved for the window operator.
   *
   * @typeParam S - the state interface
   */
  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S
  /** The metrics of the window operator's subtask. */
  getMetricGroup(): MetricGroup
}

/**
 * The context of {@link Trigger.onMerge}: a {@link TriggerContext} for the merged window that can
 * also merge the state of the windows that were merged into it.
 *
 * @category Windows
 * @since 0.1.0
 */
export interface OnMergeContext extends TriggerContext {
  /**
   * Merges this state of the windows merged away into the merged window (reducing, aggregating
   * and list state only).
   *
   * @typeParam S - the state interface
   */
  mergePartitionedState<S extends State>(descriptor: StateDescriptor<S>): void
}

/**
 * Decides when a window is evaluated (fired) and when its contents are dropped (purged).
 *
 * @remarks
 * The window operator calls the trigger for every element added to a window
 * ({@link Trigger.onElement}) and for every timer the trigger registered
 * ({@link Trigger.onEventTime}, {@link Trigger.onProcessingTime}); the result says what happens to
 * the window. A trigger keeps what it needs between calls in partitioned state
 * ({@link TriggerContext.getPartitionedState}), never in fields: one trigger object serves every
 * key and window of an operator.
 *
 * {@link Trigger.clear} is called when the window is removed (its cleanup time passed, or it was
 * merged into another); delete the timers and state the trigger created there. Triggers of
 * merging (session) windows must support {@link Trigger.onMerge}.
 *
 * Every window assigner has a default trigger (event-time windows fire when the watermark passes
 * their end); `WindowedStream.trigger()` replaces it.
 *
 * @example
 * A trigger that fires every element at once, and once more at the end of the window:
 * ```ts
 * class EagerTrigger extends Trigger<unknown, TimeWindow> {
 *   onElement(_e: unknown, _ts: number, w: TimeWindow, ctx: TriggerContext): TriggerResult {
 *     ctx.registerEventTimeTimer(w.maxTimestamp())
 *     return TriggerResult.FIRE
 *   }
 *   onEventTime(time: number, w: TimeWindow): TriggerResult {
 *     return time === w.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE
 *   }
 *   onProcessingTime(): TriggerResult {
 *     return TriggerResult.CONTINUE
 *   }
 *   override clear(w: TimeWindow, ctx: TriggerContext): void {
 *     ctx.deleteEventTimeTimer(w.maxTimestamp())
 *   }
 * }
 * ```
 *
 * @typeParam T - the type of the elements
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export abstract class Trigger<T, W extends Window> {
  /**
   * An element was added to `window`.
   *
   * @param element - the element
   * @param timestamp - its timestamp (`NaN` when it has none)
   * @param window - the window it was added to
   * @param ctx - timers and state of the window; reused, never keep it
   */
  abstract onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult

  /** An event-time timer of `window` fired at `time`. */
  abstract onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult

  /** A processing-time timer of `window` fired at `time`. */
  abstract onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult

  /** Whether the trigger supports merging windows (sessions); `false` unless overridden. */
  canMerge(): boolean {
    return false
  }

  /**
   * Windows were merged into `window`: merge their trigger state
   * ({@link OnMergeContext.mergePartitionedState}) and register the timers the merged window
   * needs. The windows merged away are cleared ({@link Trigger.clear}) afterwards.
   */
  onMerge(window: W, ctx: OnMergeContext): void {
    void window
    void ctx
    throw new ConfigError(`Trigger ${this.toString()} does not support merging windows (canMerge() is false).`)
  }

  /** The window is removed: delete the timers and state the trigger keeps for it. Nothing by default. */
  clear(window: W, ctx: TriggerContext): void {
    void window
    void ctx
  }

  /** The trigger's name, for operator names and messages. */
  toString(): string {
    return this.constructor.name
  }
}
