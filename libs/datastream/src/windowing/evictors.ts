import { ConfigError } from '@strom/runtime'
import type { Evictor, TimestampedValue } from './evictor.js'
import type { Window } from './windows.js'

/** Keeps the elements `keep` accepts, in order, in place. */
const retain = <T>(elements: TimestampedValue<T>[], keep: (e: TimestampedValue<T>) => boolean): void => {
  let w = 0
  for (let r = 0; r < elements.length; r++) {
    const e = elements[r]!
    if (keep(e)) elements[w++] = e
  }
  elements.length = w
}

/**
 * Keeps at most `maxCount` elements in a window: evicts the oldest (first added) ones.
 *
 * @remarks
 * Sliding count windows (`countWindow(size, slide)`) are a global window with a
 * `CountEvictor.of(size)` and a `CountTrigger.of(slide)`.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class CountEvictor<W extends Window> implements Evictor<unknown, W> {
  private constructor(
    /** The number of elements kept. */
    readonly maxCount: number,
    /** Whether to evict after the window function rather than before. */
    readonly doEvictAfter: boolean,
  ) {}

  /**
   * An evictor that keeps the last `maxCount` elements.
   *
   * @typeParam W - the window type
   * @param maxCount - a positive integer
   * @param doEvictAfter - evict after the window function (default: before)
   */
  static of<W extends Window>(maxCount: number, doEvictAfter = false): CountEvictor<W> {
    if (!Number.isInteger(maxCount) || maxCount < 1)
      throw new ConfigError(`CountEvictor.of needs a positive integer count, got ${maxCount}.`)
    return new CountEvictor<W>(maxCount, doEvictAfter)
  }

  evictBefore(elements: TimestampedValue<unknown>[], size: number): void {
    if (!this.doEvictAfter) this.evict(elements, size)
  }

  evictAfter(elements: TimestampedValue<unknown>[], size: number): void {
    if (this.doEvictAfter) this.evict(elements, size)
  }

  /** Renders as `CountEvictor(n)`. */
  toString(): string {
    return `CountEvictor(${this.maxCount})`
  }

  private evict(elements: TimestampedValue<unknown>[], size: number): void {
    if (size > this.maxCount) elements.splice(0, size - this.maxCount)
  }
}

/**
 * Keeps the elements of the last `windowSize` ms of a window: evicts every element whose
 * timestamp is at most `max(timestamp) - windowSize`.
 *
 * @remarks
 * Windows whose elements have no timestamps are left alone.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class TimeEvictor<W extends Window> implements Evictor<unknown, W> {
  private constructor(
    /** The span of time kept, in ms. */
    readonly windowSize: number,
    /** Whether to evict after the window function rather than before. */
    readonly doEvictAfter: boolean,
  ) {}

  /**
   * An evictor that keeps the last `windowSize` ms.
   *
   * @typeParam W - the window type
   * @param windowSize - ms, `>= 0`
   * @param doEvictAfter - evict after the window function (default: before)
   */
  static of<W extends Window>(windowSize: number, doEvictAfter = false): TimeEvictor<W> {
    if (!(windowSize >= 0) || !Number.isFinite(windowSize))
      throw new ConfigError(`TimeEvictor.of needs a span of time >= 0 ms, got ${windowSize}.`)
    return new TimeEvictor<W>(windowSize, doEvictAfter)
  }

  evictBefore(elements: TimestampedValue<unknown>[]): void {
    if (!this.doEvictAfter) this.evict(elements)
  }

  evictAfter(elements: TimestampedValue<unknown>[]): void {
    if (this.doEvictAfter) this.evict(elements)
  }

  /** Renders as `TimeEvictor(ms)`. */
  toString(): string {
    return `TimeEvictor(${this.windowSize})`
  }

  private evict(elements: TimestampedValue<unknown>[]): void {
    const first = elements[0]
    if (first === undefined || first.timestamp !== first.timestamp) return
    let max = -Infinity
    for (const e of elements) if (e.timestamp > max) max = e.timestamp
    const cutoff = max - this.windowSize
    retain(elements, (e) => e.timestamp > cutoff)
  }
}

/**
 * Measures how far apart two elements are, for a {@link DeltaEvictor}.
 *
 * @typeParam T - the element type
 * @category Windows
 * @since 0.1.0
 */
export type DeltaFunction<T> = (oldElement: T, newElement: T) => number

/**
 * Evicts the elements whose delta to the last element of the window is at least `threshold`.
 *
 * @typeParam T - the element type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class DeltaEvictor<T, W extends Window> implements Evictor<T, W> {
  private constructor(
    /** The smallest delta that evicts. */
    readonly threshold: number,
    private readonly deltaFunction: DeltaFunction<T>,
    /** Whether to evict after the window function rather than before. */
    readonly doEvictAfter: boolean,
  ) {}

  /**
   * An evictor by delta to the last element.
   *
   * @typeParam T - the element type
   * @typeParam W - the window type
   * @param threshold - the smallest delta that evicts
   * @param deltaFunction - `(element, lastElement) => delta`
   * @param doEvictAfter - evict after the window function (default: before)
   */
  static of<T, W extends Window>(threshold: number, deltaFunction: DeltaFunction<T>, doEvictAfter = false): DeltaEvictor<T, W> {
    return new DeltaEvictor<T, W>(threshold, deltaFunction, doEvictAfter)
  }

  evictBefore(elements: TimestampedValue<T>[]): void {
    if (!this.doEvictAfter) this.evict(elements)
  }

  evictAfter(elements: TimestampedValue<T>[]): void {
    if (this.doEvictAfter) this.evict(elements)
  }

  /** Renders as `DeltaEvictor(threshold)`. */
  toString(): string {
    return `DeltaEvictor(${this.threshold})`
  }

  private evict(elements: TimestampedValue<T>[]): void {
    const last = elements[elements.length - 1]
    if (last === undefined) return
    retain(elements, (e) => this.deltaFunction(e.value, last.value) < this.threshold)
  }
}
