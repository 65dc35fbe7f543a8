import { ConfigError, ReducingStateDescriptor } from '@strom/runtime'
import { Trigger, TriggerResult, type OnMergeContext, type TriggerContext } from './trigger.js'
import type { Window } from './windows.js'

const min = (a: number, b: number): number => Math.min(a, b)

const checkInterval = (what: string, interval: number): void => {
  if (!(interval > 0) || !Number.isFinite(interval))
    throw new ConfigError(`${what}.of needs a positive interval in ms, got ${interval}.`)
}

/**
 * Fires a window every `interval` ms of event time while it is open, and at its end: early
 * results for long windows.
 *
 * @remarks
 * As Flink's: the first element of a window registers a firing at the next multiple of the
 * interval (`timestamp - timestamp % interval + interval`, at most the window's end); each firing
 * registers the next. Firings do not purge. The next firing time is kept in reducing state named
 * `continuous-trigger-fire-time`.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class ContinuousEventTimeTrigger<W extends Window> extends Trigger<unknown, W> {
  private readonly fireTime = new ReducingStateDescriptor<number>('continuous-trigger-fire-time', min)

  private constructor(
    /** The interval between firings, in ms. */
    readonly interval: number,
  ) {
    super()
  }

  /**
   * A trigger that fires every `interval` ms of event time.
   *
   * @typeParam W - the window type
   */
  static of<W extends Window>(interval: number): ContinuousEventTimeTrigger<W> {
    checkInterval('ContinuousEventTimeTrigger', interval)
    return new ContinuousEventTimeTrigger<W>(interval)
  }

  onElement(_element: unknown, timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    if (window.maxTimestamp() <= ctx.currentWatermark()) return TriggerResult.FIRE
    ctx.registerEventTimeTimer(window.maxTimestamp())
    const state = ctx.getPartitionedState(this.fireTime)
    if (state.get() === undefined) this.registerNext(timestamp - (timestamp % this.interval), window, ctx)
    return TriggerResult.CONTINUE
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE
    const state = ctx.getPartitionedState(this.fireTime)
    const next = state.get()
    if (next === time) {
      state.clear()
      this.registerNext(time, window, ctx)
      return TriggerResult.FIRE
    }
    return TriggerResult.CONTINUE
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  override canMerge(): boolean {
    return true
  }

  override onMerge(_window: W, ctx: OnMergeContext): void {
    ctx.mergePartitionedState(this.fireTime)
    const next = ctx.getPartitionedState(this.fireTime).get()
    if (next !== undefined) ctx.registerEventTimeTimer(next)
  }

  override clear(_window: W, ctx: TriggerContext): void {
    const state = ctx.getPartitionedState(this.fireTime)
    const next = state.get()
    if (next !== undefined) {
      ctx.deleteEventTimeTimer(next)
      state.clear()
    }
  }

  override toString(): string {
    return `ContinuousEventTimeTrigger(${this.interval})`
  }

  private registerNext(time: number, window: W, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp())
    ctx.getPartitionedState(this.fireTime).add(next)
    ctx.registerEventTimeTimer(next)
  }
}

/**
 * Fires a window every `interval` ms of processing time while it is open: early results of
 * processing-time (or global) windows.
 *
 * @remarks
 * As Flink's: the first element registers a firing at the next multiple of the interval after the
 * current processing time (at most the window's end); each firing registers the next. Firings do
 * not purge.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class ContinuousProcessingTimeTrigger<W extends Window> extends Trigger<unknown, W> {
  private readonly fireTime = new ReducingStateDescriptor<number>('continuous-trigger-fire-time', min)

  private constructor(
    /** The interval between firings, in ms. */
    readonly interval: number,
  ) {
    super()
  }

  /**
   * A trigger that fires every `interval` ms of processing time.
   *
   * @typeParam W - the window type
   */
  static of<W extends Window>(interval: number): ContinuousProcessingTimeTrigger<W> {
    checkInterval('ContinuousProcessingTimeTrigger', interval)
    return new ContinuousProcessingTimeTrigger<W>(interval)
  }

  onElement(_element: unknown, _timestamp: number, window: W, ctx: TriggerContext): TriggerResult {
    const state = ctx.getPartitionedState(this.fireTime)
    const now = ctx.currentProcessingTime()
    if (state.get() === undefined) this.registerNext(now - (now % this.interval), window, ctx)
    return TriggerResult.CONTINUE
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
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
    if (next !== undefined) ctx.registerProcessingTimeTimer(next)
  }

  override clear(_window: W, ctx: TriggerContext): void {
    const state = ctx.getPartitionedState(this.fireTime)
    const next = state.get()
    if (next !== undefined) {
      ctx.deleteProcessingTimeTimer(next)
      state.clear()
    }
  }

  override toString(): string {
    return `ContinuousProcessingTimeTrigger(${this.interval})`
  }

  private registerNext(time: number, window: W, ctx: TriggerContext): void {
    const next = Math.min(time + this.interval, window.maxTimestamp())
    ctx.getPartitionedState(this.fireTime).add(next)
    ctx.registerProcessingTimeTimer(next)
  }
}
