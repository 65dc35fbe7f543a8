import { ConfigError, ReducingStateDescriptor } from '@strom/runtime'
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js'
import type { Window } from './windows.js'

const sum = (a: number, b: number): number => a + b

/**
 * Fires a window every `maxCount` elements (and resets its count), as Flink's `CountTrigger`.
 *
 * @remarks
 * It does not purge: with a {@link GlobalWindow} the contents grow; wrap it in a
 * {@link PurgingTrigger} for tumbling count windows (that is what `countWindow(n)` does). The count
 * is kept in reducing state named `count-trigger-count`, so it is checkpointed and merges with
 * session windows.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class CountTrigger<W extends Window> extends Trigger<unknown, W> {
  private readonly countState = new ReducingStateDescriptor<number>('count-trigger-count', sum)

  private constructor(
    /** The number of elements that fire the window. */
    readonly maxCount: number,
  ) {
    super()
  }

  /**
   * A trigger that fires every `maxCount` elements.
   *
   * @typeParam W - the window type
   * @param maxCount - a positive integer
   */
  static of<W extends Window>(maxCount: number): CountTrigger<W> {
    if (!Number.isInteger(maxCount) || maxCount < 1)
      throw new ConfigError(`CountTrigger.of needs a positive integer count, got ${maxCount}.`)
    return new CountTrigger<W>(maxCount)
  }

  onElement(_element: unknown, _timestamp: number, _window: W, ctx: TriggerContext): TriggerResult {
    const count = ctx.getPartitionedState(this.countState)
    count.add(1)
    if (count.get()! >= this.maxCount) {
      count.clear()
      return TriggerResult.FIRE
    }
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

  override onMerge(_window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.countState)
  }

  override clear(_window: W, ctx: TriggerContext): void {
    ctx.getPartitionedState(this.countState).clear()
  }

  override toString(): string {
    return `CountTrigger(${this.maxCount})`
  }
}
