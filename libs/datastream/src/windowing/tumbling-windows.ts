import { ConfigError } from '@strom/runtime'
import { EventTimeTrigger } from './event-time-trigger.js'
import { FixedTimeWindows, tumblingWindow } from './internal/fixed-time-windows.js'
import { ProcessingTimeTrigger } from './processing-time-trigger.js'
import type { Trigger } from './trigger.js'
import { noTimestamp, type WindowAssignerContext } from './window-assigner.js'
import type { TimeWindow } from './windows.js'

const check = (what: string, size: number, offset: number): void => {
  if (!(size > 0) || !Number.isFinite(size) || !Number.isFinite(offset) || Math.abs(offset) >= size)
    throw new ConfigError(`${what} needs 0 < size and abs(offset) < size (ms), got size ${size} and offset ${offset}.`)
}

/**
 * Tumbling windows in event time: fixed-size, non-overlapping windows `[start, start + size)`
 * aligned to the epoch plus `offset`; each element falls into exactly one.
 *
 * @remarks
 * ```
 * size = 5, offset = 0
 * time    0    5    10   15
 *         |----|----|----|
 * windows [0,5)[5,10)[10,15)
 * ```
 * With an offset, windows start at `offset + k * size`: `of(Duration.ofDays(1), -Duration.ofHours(8))`
 * gives days that start at midnight in UTC+8. The default trigger fires a window when the
 * watermark passes its end. With `reduce` or `aggregate`, the window operator keeps one
 * accumulator per window and key (see docs/windows.md).
 *
 * @category Windows
 * @since 0.1.0
 */
export class TumblingEventTimeWindows extends FixedTimeWindows {
  private constructor(size: number, offset: number) {
    super('TumblingEventTimeWindows', size, offset)
  }

  /**
   * Tumbling event-time windows.
   *
   * @param size - the window size in ms (`> 0`)
   * @param offset - where windows start relative to the epoch, in ms (`abs(offset) < size`, default 0)
   */
  static of(size: number, offset = 0): TumblingEventTimeWindows {
    check('TumblingEventTimeWindows', size, offset)
    return new TumblingEventTimeWindows(size, offset)
  }

  assignWindows(_element: unknown, timestamp: number): readonly TimeWindow[] {
    if (timestamp !== timestamp) throw noTimestamp('TumblingEventTimeWindows')
    return tumblingWindow(timestamp, this.size, this.offset)
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return EventTimeTrigger.create()
  }

  isEventTime(): boolean {
    return true
  }
}

/**
 * Tumbling windows in processing time: each element goes into the window `[start, start + size)`
 * that contains the processing time at which it arrives; windows fire when the clock passes their
 * end.
 *
 * @category Windows
 * @since 0.1.0
 */
export class TumblingProcessingTimeWindows extends FixedTimeWindows {
  private constructor(size: number, offset: number) {
    super('TumblingProcessingTimeWindows', size, offset)
  }

  /**
   * Tumbling processing-time windows.
   *
   * @param size - the window size in ms (`> 0`)
   * @param offset - where windows start relative to the epoch, in ms (`abs(offset) < size`, default 0)
   */
  static of(size: number, offset = 0): TumblingProcessingTimeWindows {
    check('TumblingProcessingTimeWindows', size, offset)
    return new TumblingProcessingTimeWindows(size, offset)
  }

  assignWindows(_element: unknown, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    return tumblingWindow(context.getCurrentProcessingTime(), this.size, this.offset)
  }

  getDefaultTrigger(): Trigger<unknown, TimeWindow> {
    return ProcessingTimeTrigger.create()
  }

  isEventTime(): boolean {
    return false
  }
}
