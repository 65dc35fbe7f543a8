import { ConfigError } from '@strom/runtime'
import { EventTimeTrigger } from './event-time-trigger.js'
import { ProcessingTimeTrigger } from './processing-time-trigger.js'
import type { Trigger } from './trigger.js'
import { MergingWindowAssigner, noTimestamp, type WindowAssignerContext } from './window-assigner.js'
import { TimeWindow, WindowSerializers, type MergeCallback, type WindowSerializer } from './windows.js'

/**
 * Extracts the session gap (ms) of an element, for sessions whose gap depends on the data.
 *
 * @typeParam T - the type of the elements
 * @category Windows
 * @since 0.1.0
 */
export type SessionWindowTimeGapExtractor<T> = (element: T) => number

const checkGap = (what: string, gap: number): void => {
  if (!(gap > 0) || !Number.isFinite(gap)) throw new ConfigError(`${what} needs a session gap > 0 ms, got ${gap}.`)
}

const dynamicGap = <T>(what: string, extractor: SessionWindowTimeGapExtractor<T>, element: T): number => {
  const gap = extractor(element)
  if (!(gap > 0) || !Number.isFinite(gap))
    throw new ConfigError(`The dynamic gap of ${what} must be a number of ms > 0, but was ${gap} for ${JSON.stringify(element)}.`)
  return gap
}

/**
 * Session windows in event time: each element opens a window `[timestamp, timestamp + gap)`, and
 * windows of a key that overlap or touch merge, so a session ends after `gap` ms without elements.
 *
 * @remarks
 * ```
 * gap = 3
 * elements   1  2        7    9          15
 * windows   [1..4)             [15..18)
 *              [2..5)
 *                       [7..10)
 *                            [9..12)
 * sessions  [1 ..... 5) [7 ...... 12)   [15..18)
 * ```
 * Merging windows merge their state (accumulators or element lists) and their triggers' state. A
 * late element (within the allowed lateness) can join two sessions into one.
 *
 * @typeParam T - the type of the elements
 * @category Windows
 * @since 0.1.0
 */
export class EventTimeSessionWindows<T = unknown> extends MergingWindowAssigner<T, TimeWindow> {
  private constructor(
    private readonly gap: number,
    private readonly extractor: SessionWindowTimeGapExtractor<T> | undefined,
  ) {
    super()
  }

  /** Sessions that end after `gap` ms without elements. */
  static withGap(gap: number): EventTimeSessionWindows {
    checkGap('EventTimeSessionWindows', gap)
    return new EventTimeSessionWindows(gap, undefined)
  }

  /**
   * Sessions whose gap each element sets: an element opens `[timestamp, timestamp + extractor(element))`.
   *
   * @typeParam T - the type of the elements
   */
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>): EventTimeSessionWindows<T> {
    return new EventTimeSessionWindows<T>(0, extractor)
  }

  assignWindows(element: T, timestamp: number): readonly TimeWindow[] {
    if (timestamp !== timestamp) throw noTimestamp('EventTimeSessionWindows')
    const gap = this.extractor === undefined ? this.gap : dynamicGap('EventTimeSessionWindows', this.extractor, element)
    return [new TimeWindow(timestamp, timestamp + gap)]
  }

  mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    TimeWindow.mergeWindows(windows, callback)
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return EventTimeTrigger.create()
  }

  getWindowSerializer(): WindowSerializer<TimeWindow> {
    return WindowSerializers.timeWindow
  }

  isEventTime(): boolean {
    return true
  }

  override toString(): string {
    return this.extractor === undefined ? `EventTimeSessionWindows(${this.gap})` : 'EventTimeSessionWindows(dynamic gap)'
  }
}

/**
 * Session windows in processing time: an element arriving at processing time `now` opens
 * `[now, now + gap)`; overlapping windows merge.
 *
 * @typeParam T - the type of the elements
 * @category Windows
 * @since 0.1.0
 */
export class ProcessingTimeSessionWindows<T = unknown> extends MergingWindowAssigner<T, TimeWindow> {
  private constructor(
    private readonly gap: number,
    private readonly extractor: SessionWindowTimeGapExtractor<T> | undefined,
  ) {
    super()
  }

  /** Sessions that end after `gap` ms of processing time without elements. */
  static withGap(gap: number): ProcessingTimeSessionWindows {
    checkGap('ProcessingTimeSessionWindows', gap)
    return new ProcessingTimeSessionWindows(gap, undefined)
  }

  /**
   * Sessions whose gap each element sets.
   *
   * @typeParam T - the type of the elements
   */
  static withDynamicGap<T>(extractor: SessionWindowTimeGapExtractor<T>): ProcessingTimeSessionWindows<T> {
    return new ProcessingTimeSessionWindows<T>(0, extractor)
  }

  assignWindows(element: T, _timestamp: number, context: WindowAssignerContext): readonly TimeWindow[] {
    const now = context.getCurrentProcessingTime()
    const gap = this.extractor === undefined ? this.gap : dynamicGap('ProcessingTimeSessionWindows', this.extractor, element)
    return [new TimeWindow(now, now + gap)]
  }

  mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    TimeWindow.mergeWindows(windows, callback)
  }

  getDefaultTrigger(): Trigger<T, TimeWindow> {
    return ProcessingTimeTrigger.create()
  }

  getWindowSerializer(): WindowSerializer<TimeWindow> {
    return WindowSerializers.timeWindow
  }

  isEventTime(): boolean {
    return false
  }

  override toString(): string {
    return this.extractor === undefined ? `ProcessingTimeSessionWindows(${this.gap})` : 'ProcessingTimeSessionWindows(dynamic gap)'
  }
}
