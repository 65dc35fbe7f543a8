import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js'
import type { TimeWindow } from './windows.js'

/**
 * Fires a window once processing time passes its end: the default trigger of processing-time
 * windows.
 *
 * @category Windows
 * @since 0.1.0
 */
export class ProcessingTimeTrigger extends Trigger<unknown, TimeWindow> {
  private static readonly instance = new ProcessingTimeTrigger()

  /** The processing-time trigger (stateless, shared). */
  static create(): ProcessingTimeTrigger {
    return ProcessingTimeTrigger.instance
  }

  onElement(_element: unknown, _timestamp: number, window: TimeWindow, ctx: TriggerContext): TriggerResult {
    ctx.registerProcessingTimeTimer(window.maxTimestamp())
    return TriggerResult.CONTINUE
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.FIRE
  }

  override canMerge(): boolean {
    return true
  }

  override onMerge(window: TimeWindow, ctx: OnMergeContext): void {
    const max = window.maxTimestamp()
    if (max > ctx.currentProcessingTime()) ctx.registerProcessingTimeTimer(max)
  }

  override clear(window: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteProcessingTimeTimer(window.maxTimestamp())
  }

  override toString(): string {
    return 'ProcessingTimeTrigger'
  }
}
