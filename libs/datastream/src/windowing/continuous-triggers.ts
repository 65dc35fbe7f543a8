import { ConfigError } from '@strom/runtime'
import { ContinuousTrigger } from './internal/continuous-trigger.js'
import { TriggerResult, type TriggerContext } from './trigger.js'
import type { Window } from './windows.js'

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
export class ContinuousEventTimeTrigger<W extends Window> extends ContinuousTrigger<W> {
  private constructor(interval: number) {
    super('ContinuousEventTimeTrigger', interval)
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
    this.startFiring(timestamp, window, ctx)
    return TriggerResult.CONTINUE
  }

  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  onEventTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    if (time === window.maxTimestamp()) return TriggerResult.FIRE
    return this.fireAt(time, window, ctx)
  }

  /** @internal */
  protected registerTimer(ctx: TriggerContext, time: number): void {
    ctx.registerEventTimeTimer(time)
  }

  /** @internal */
  protected deleteTimer(ctx: TriggerContext, time: number): void {
    ctx.deleteEventTimeTimer(time)
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
export class ContinuousProcessingTimeTrigger<W extends Window> extends ContinuousTrigger<W> {
  private constructor(interval: number) {
    super('ContinuousProcessingTimeTrigger', interval)
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
    this.startFiring(ctx.currentProcessingTime(), window, ctx)
    return TriggerResult.CONTINUE
  }

  onEventTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }

  onProcessingTime(time: number, window: W, ctx: TriggerContext): TriggerResult {
    return this.fireAt(time, window, ctx)
  }

  /** @internal */
  protected registerTimer(ctx: TriggerContext, time: number): void {
    ctx.registerProcessingTimeTimer(time)
  }

  /** @internal */
  protected deleteTimer(ctx: TriggerContext, time: number): void {
    ctx.deleteProcessingTimeTimer(time)
  }
}
