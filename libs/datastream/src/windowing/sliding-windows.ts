import { ConfigError } from '@strom/runtime'
import { EventTimeTrigger } from './event-time-trigger.js'
import { slidingWindows, SlidingTimeWindows } from './internal/fixed-time-windows.js'
import { ProcessingTimeTrigger } from './processing-time-trigger.js'
import type { Trigger } from './trigger.js'
import { noTimestamp, type WindowAssignerContext } from './window-assigner.js'
import type { TimeWindow } from './windows.js'

const check = (what: string, size: number, slide: number, offset: number): void => {
  if (
    !(size > 0) ||
    !(slide > 0) ||
    !Number.isFinite(size) ||
    !Number.isFinite(slide) ||
    !Number.isFinite(offset) ||
    Math.abs(offset) >= slide
  )
    throw new ConfigError(
      `${what} needs 0 < size, 0 < slide and abs(offset) < slide (ms), got size ${size}, slide ${slide} and offset ${offset}.`,
    )
}

/**
 * Sliding windows in event time: windows of `size` ms that start every `slide` ms, so an element
 * falls into about `size / slide` of them.
 *
 * @remarks
 * ```
 * size = 10, slide = 5
 * time     0    5    10   15   20
 *          |----|----|----|----|
 *          [0 ......10)
 *               [5 ......15)
 *                    [10 .....20)
 * ```
 * The default trigger fires each window when the watermark passes its end. With `reduce` or
 * `aggregate` the window operator does not copy each element into every window: it keeps one
 * accumulator per slice of `gcd(size, slide)` ms and combines the slices of a window when it
 * fires (see docs/windows.md), so the cost per element does not grow with `size / slide`.
 *
 * @category Windows
 * @since 0.1.0
 */
export class SlidingEventTimeWindows extends SlidingTimeWindows {
  private constructor(size: number, slide: number, offset: number) {
    super('SlidingEventTimeWindows', size, slide, offset)
  }

  /**
   * Sliding event-time windows.
   *
   * @param size - the window size in ms (`> 0`)
   * @param slide - how often a window starts, in ms (`> 0`)
   * @param offset - where windows start relative to the epoch, in ms (`abs(offset) < slide`, default 0)
   */
  static of(size: number, slide: number, offset = 0): SlidingEventTimeWindows {
    check('SlidingEventTimeWindows', size, slide, offset)
    return new SlidingEventTimeWindows(size, slide, offset)
  }

  assignWindows(_element: unknown, timestamp: number): readonly TimeWindow[] {
    if (timestamp !== timestamp) throw noTimestamp('SlidingEventTimeWindows')
    return slidingWindows(timestamp, this.size, this.slide, this.offset)
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create()
  }

  isEventTime(): boolean {
    return true
  }
}

/**
 * Sliding windows in processing time: the windows of `size` ms, starting every `slide` ms, that
 * contain the processing time at which an element arrives.
 *
 * @category Windows
 * @since 0.1.0
 */
export class SlidingProcessingTimeWindows extends SlidingTimeWindows {
  private constructor(size: number, slide: number, offset: number) {
    super('SlidingProcessingTimeWindows', size, slide, offset)
  }

  /**
   * Sliding processing-time windows.
   *
   * @param size - the window size in ms (`> 0`)
   * @param slide - how often a window starts, in ms (`> 0`)
   * @param offset - where windows start relative to the epoch, in ms (`abs(offset) < slide`, default 0)
   */
  static of(size: number, slide: number, offset = 0): SlidingProcessingTimeWindows {
    check('SlidingProcessingTimeWindows', size, slide, offset)
    return new SlidingProcessingTimeWindows(size, slide, offset)
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return slidingWindows(context.getCurrentProcessingTime(), this.size, this.slide, this.offset)
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create()
  }

  isEventTime(): boolean {
    return false
  }
}
