import { ReducingStateDescriptor } from '@strom/runtime'
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from '../trigger.js'
import type { Window } from '../windows.js'

const min = (a: number, b: number): number => Math.min(a, b)

/**
 * What the continuous event-time and processing-time triggers share: the next firing time in
 * reducing state named `continuous-trigger-fire-time`, a timer for it, and the next firing
 * registered by each one. A subclass says which clock its timers use.
 *
 * @internal
 */
export abstract class ContinuousTrigger<W extends Window> extends Trigger<unknown, W> {
  private readonly fireTime = new ReducingStateDescriptor<number>('continuous-trigger-fire-time', min)

  /** @internal */
  protected constructor(
    private readonly name: string,
    /** The interval between firings, in ms. */
    readonly interval: number,
  ) {
    super()
  }

  /** @internal Registers a timer of the trigger's clock. */
  protected abstract registerTimer(ctx: TriggerContext, time: number): void

  /** @internal Deletes a timer of the trigger's clock. */
  protected abstract deleteTimer(ctx: TriggerContext, time: number): void

  /**
   * @internal Registers the first firing of the window (after `time`, at the next multiple of the
   * interval) unless it has one.
   */
  protected startFiring(time: number, window: W, ctx: TriggerContext): void {
    if (ctx.getPartitionedState(this.fireTime).get() === undefined) this.registerNext(time - (time % this.interval), window, ctx)
  }

  /** @internal A timer of the trigger's clock went off: fires (and registers the next firing) if it is the firing time. */
  protected fireAt(time: number, window: W, ctx: TriggerContext): TriggerResult {
    const state = ctx.getPartitionedState(this.fireTime)
    if (state.get() === time) {
      state.clear()
      this.registerNext(time, window, ctx)
      return TriggerResult.FIRE
    }
    return TriggerResult.CONTINUE
  }

  override canMerge(): boolean {
    return true
  }

  override onMerge(_window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTime)
    const next = ctx.getPartitionedState(this.fireTime).get()
    if (next !== undefined) this.registerTimer(ctx, next)
  }

  override clear(_window: W, ctx: TriggerContext): void {
    const state = ctx.getPartitionedState(this.fireTime)
    const next = state.get()
    if (next !== undefined) {
      this.deleteTimer(ctx, next)
      state.clear()
    }
  }

  override toString(): string {
    return `${this.name}(${this.interval})`
  }

  private registerNext(time: number, window: W, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp())
    ctx.getPartitionedState(this.fireTime).add(next)
    this.registerTimer(ctx, next)
  }
}
