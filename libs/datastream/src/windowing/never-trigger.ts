import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js'
import type { GlobalWindow } from './windows.js'

/**
 * Never fires: the default trigger of {@link GlobalWindows}, which needs a trigger of your own
 * (`countWindow` sets a count trigger).
 *
 * @category Windows
 * @since 0.1.0
 */
export class NeverTrigger extends Trigger<unknown, GlobalWindow> {
  private static readonly instance = new NeverTrigger()

  /** The trigger that never fires. */
  static create(): NeverTrigger {
    return NeverTrigger.instance
  }

  onElement(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  override canMerge(): boolean {
    return true
  }

  override onMerge(_window: GlobalWindow, _ctx: OnMergeContext): void {}

  override toString(): string {
    return 'NeverTrigger'
  }
}

/**
 * Fires the global window once, at the end of a bounded input (when the watermark reaches
 * +Infinity), as Flink's `GlobalWindows.createWithEndOfStreamTrigger()`.
 *
 * @category Windows
 * @since 0.1.0
 */
export class EndOfStreamTrigger extends Trigger<unknown, GlobalWindow> {
  private static readonly instance = new EndOfStreamTrigger()

  /** The end-of-stream trigger. */
  static create(): EndOfStreamTrigger {
    return EndOfStreamTrigger.instance
  }

  onElement(_element: unknown, _timestamp: number, window: GlobalWindow, ctx: TriggerContext): TriggerResult {
    ctx.registerEventTimeTimer(window.maxTimestamp())
    return TriggerResult.CONTINUE
  }

  onEventTime(time: number, window: GlobalWindow): TriggerResult {
    return time === window.maxTimestamp() ? TriggerResult.FIRE : TriggerResult.CONTINUE
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  override clear(window: GlobalWindow, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(window.maxTimestamp())
  }

  override toString(): string {
    return 'EndOfStreamTrigger'
  }
}
