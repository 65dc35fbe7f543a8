import type { MetricGroup } from '@strom/runtime'
import type { Window } from './windows.js'

/**
 * An element of a window with its timestamp (`NaN` when it has none), as evictors see it.
 *
 * @typeParam T - the element type
 * @category Windows
 * @since 0.1.0
 */
export interface TimestampedValue<T> {
  /** The element. */
  readonly value: T
  /** Its event-time timestamp, or `NaN`. */
  readonly timestamp: number
}

/**
 * What an {@link Evictor} may ask.
 *
 * @category Windows
 * @since 0.1.0
 */
export interface EvictorContext {
  /** The current processing time. */
  currentProcessingTime(): number
  /** The current watermark. */
  currentWatermark(): number
  /** The metrics of the window operator's subtask. */
  getMetricGroup(): MetricGroup
}

/**
 * Removes elements from a window when it fires: before the window function sees them
 * ({@link Evictor.evictBefore}), after it ({@link Evictor.evictAfter}), or both.
 *
 * @remarks
 * With an evictor the window operator keeps every element of a window (as with `process`), even
 * for `reduce` and `aggregate`, which then run over the elements left when the window fires.
 * Evictors remove elements by changing the array they get, in place (`splice`); the elements come
 * in the order they were added. What is left after `evictAfter` stays in the window.
 *
 * @typeParam T - the element type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export interface Evictor<T, W extends Window> {
  /**
   * Removes elements before the window function runs.
   *
   * @param elements - the window's elements; remove from it in place
   * @param size - the number of elements
   * @param window - the window firing
   * @param ctx - time and metrics
   */
  evictBefore(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void
  /** Removes elements after the window function ran; see {@link Evictor.evictBefore}. */
  evictAfter(elements: TimestampedValue<T>[], size: number, window: W, ctx: EvictorContext): void
}
