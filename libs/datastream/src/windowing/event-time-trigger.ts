import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js'
import type { TimeWindow } from './windows.js'

/**
 * Fires a window once the watermark passes its end: the default trigger of event-time windows.
 *
 * @remarks
 * As Flink's: for each element it registers an event-time timer at the window's
 * `maxTimestamp()` and fires when it goes off. An element added to a window the watermark has
 * already passed (a late element within the allowed lateness) fires the window at once: a late
 * firing, with everything the window holds.
 *
 * @category Windows
 * @since 0.1.0
 */
export class EventTimeTrigger extends Trigger<unknown, TimeWindow> {
  private static readonly instance = new EventTimeTrigger()

  /** The event-time trigger (it keeps no state, so one object serves every operator). */
  static create(): EventTimeTrigger {
    return EventTimeTrigger.instance
  }

  onElement(_element: unknown, _timestamp: number, window: TimeWindow, ctx: TriggerContext): TriggerResult {
    const max = window.maxTimestamp()
    if (max <= ctx.currentWatermark()) return TriggerResult.FIRE
    ctx.registerEventTimeTimer(max)
    return TriggerResult.CONTINUE
  }

  onEventTime(time: number, window: TimeWindow): TriggerResult {
    return time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  override canMerge(): boolean {
    return true
  }

  override onMerge(window: TimeWindow, ctx: OnMergeContext): void {
    // only register a timer if the watermark is not yet past the end of the merged window, or
    // the window would fire twice (once from the merge, once from the cleanup)
    const max = window.maxTimestamp()
    if (max > ctx.currentWatermark()) ctx.registerEventTimeTimer(max)
  }

  override clear(window: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp())
  }

  override toString(): string {
    return 'EventTimeTrigger'
  }
}
