// Examples that the docs include ({@includeCode}) and the specs run, so every snippet is tested.
// #region idle-alert
import { KeyedProcessFunction, ValueStateDescriptor } from '../index.js'
import type { Collector, RuntimeContext, ValueState } from '../index.js'

export interface Click {
  readonly user: string
  readonly url: string
  readonly ts: number
}

export interface Alert {
  readonly user: string
  readonly idleSince: number
}

/** Alerts when a user has not clicked for 30 s of event time. */
export class IdleAlert extends KeyedProcessFunction<string, Click, Alert> {
  private lastSeen!: ValueState<number>

  override open(ctx: RuntimeContext): void {
    this.lastSeen = ctx.getState(new ValueStateDescriptor<number>('last-seen'))
  }

  override processElement(click: Click, ctx: KeyedProcessFunction.Context<string>, _out: Collector<Alert>): void {
    this.lastSeen.update(ctx.timestamp())
    ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 30_000)
  }

  override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<Alert>): void {
    if (this.lastSeen.value() === ts - 30_000) out.collect({ user: ctx.getCurrentKey(), idleSince: ts - 30_000 })
  }
}
// #endregion idle-alert
