import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js'
import type { Window } from './windows.js'

const purging = (r: TriggerResult): TriggerResult => (TriggerResult.isFire(r) ? TriggerResult.FIRE_AND_PURGE : r)

/**
 * Turns every `FIRE` of another trigger into `FIRE_AND_PURGE`: the window's contents are dropped
 * each time it fires.
 *
 * @typeParam T - the type of the elements
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class PurgingTrigger<T, W extends Window> extends Trigger<T, W> {
  private constructor(
    /** The trigger whose firings purge. */
    readonly nested: Trigger<T, W>,
  ) {
    super()
  }

  /**
   * Wraps a trigger.
   *
   * @typeParam T - the type of the elements
   * @typeParam W - the window type
   */
  static of<T, W extends Window>(nested: Trigger<T, W>): PurgingTrigger<T, W> {
    return new PurgingTrigger(nested)
  }

  onElement(element: T, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onElement(element, timestamp, window, ctx))
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onEventTime(time, window, ctx))
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return purging(this.nested.onProcessingTime(time, window, ctx))
  }

  override canMerge(): boolean {
    return this.nested.canMerge()
  }

  override onMerge(window: W, ctx: OnMergeContext): void {
    this.nested.onMerge(window, ctx)
  }

  override clear(window: W, ctx: TriggerContext): void {
    this.nested.clear(window, ctx)
  }

  override toString(): string {
    return `PurgingTrigger(${this.nested.toString()})`
  }
}
