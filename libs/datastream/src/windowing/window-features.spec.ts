import { describe, expect, it } from 'vitest'
import { ConfigError, ValueStateDescriptor, type Collector } from '@strom/runtime'
import { CountTrigger } from './count-trigger.js'
import { ContinuousProcessingTimeTrigger } from './continuous-triggers.js'
import { CountEvictor, DeltaEvictor, TimeEvictor } from './evictors.js'
import type { TimestampedValue } from './evictor.js'
import { GlobalWindows } from './global-windows.js'
import { EventTimeSessionWindows } from './session-windows.js'
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './tumbling-windows.js'
import { Trigger, TriggerResult, type TriggerContext } from './trigger.js'
import { ProcessWindowFunction } from './window-functions.js'
import { Duration } from './duration.js'
import { TimeWindow, type GlobalWindow } from './windows.js'
import { windowHarness, type Ev } from './windows.fixture.js'

const byKey = (e: Ev): string => e.key
const tv = (value: number, timestamp: number): TimestampedValue<number> => ({ value, timestamp })
const values = (xs: TimestampedValue<number>[]): number[] => xs.map((x) => x.value)

describe('evictors', () => {
  it('CountEvictor keeps the last n, before or after the function', () => {
    const xs = [tv(1, 1), tv(2, 2), tv(3, 3), tv(4, 4)]
    CountEvictor.of(2).evictBefore(xs, xs.length)
    expect(values(xs)).toEqual([3, 4])
    const ys = [tv(1, 1), tv(2, 2), tv(3, 3)]
    CountEvictor.of(1, true).evictBefore(ys, ys.length)
    expect(values(ys)).toEqual([1, 2, 3])
    CountEvictor.of(1, true).evictAfter(ys, ys.length)
    expect(values(ys)).toEqual([3])
  })

  it('TimeEvictor keeps the last span of time; DeltaEvictor drops what is far from the last element', () => {
    const xs = [tv(1, 10), tv(2, 25), tv(3, 12), tv(4, 30)]
    TimeEvictor.of(10).evictBefore(xs)
    expect(values(xs)).toEqual([2, 4])
    const noTs = [tv(1, NaN), tv(2, NaN)]
    TimeEvictor.of(0).evictBefore(noTs)
    expect(values(noTs)).toEqual([1, 2])
    const ds = [tv(1, 0), tv(8, 0), tv(5, 0), tv(9, 0)]
    DeltaEvictor.of(5, (a: number, b: number) => Math.abs(a - b)).evictBefore(ds)
    expect(values(ds)).toEqual([8, 5, 9])
  })

  it('an evictor in a window: reduce runs over what is left, and the eviction sticks', () => {
    const h = windowHarness(byKey, GlobalWindows.create(), (ws) =>
      ws
        .trigger(CountTrigger.of(2))
        .evictor(CountEvictor.of(3))
        .reduce((a, b) => ({ key: a.key, v: a.v + b.v })),
    )
    for (let v = 1; v <= 6; v++) h.processElement({ key: 'a', v }, v)
    // fires at 2, 4, 6 elements, over the last 3
    expect(h.extractOutputValues().map((e) => e.v)).toEqual([1 + 2, 2 + 3 + 4, 4 + 5 + 6])
  })

  it('TimeEvictor on event-time windows with process', () => {
    const h = windowHarness(byKey, TumblingEventTimeWindows.of(100), (ws) =>
      ws.evictor(TimeEvictor.of(10)).apply((k: string, _w: TimeWindow, els: Iterable<Ev>, out: Collector<string>) => out.collect(`${k}:${[...els].map((e) => e.v).join(',')}`)),
    )
    h.processElement({ key: 'a', v: 1 }, 5)
    h.processElement({ key: 'a', v: 2 }, 50)
    h.processElement({ key: 'a', v: 3 }, 45)
    h.processWatermark(99)
    expect(h.extractOutputValues()).toEqual(['a:2,3'])
  })
})

/** Fires on every element, and at the end of the window; counts firings in trigger state. */
class EagerTrigger extends Trigger<Ev, TimeWindow> {
  private readonly fired = new ValueStateDescriptor<number>('eager-fired')
  onElement(_e: Ev, _ts: number, w: TimeWindow, ctx: TriggerContext): TriggerResult {
    const s = ctx.getPartitionedState(this.fired)
    s.update((s.value() ?? 0) + 1)
    ctx.registerEventTimeTimer(w.maxTimestamp())
    return TriggerResult.FIRE
  }
  onEventTime(time: number, w: TimeWindow, ctx: TriggerContext): TriggerResult {
    if (time !== w.maxTimestamp()) return TriggerResult.CONTINUE
    return (ctx.getPartitionedState(this.fired).value() ?? 0) > 1 ? TriggerResult.FIRE_AND_PURGE : TriggerResult.PURGE
  }
  onProcessingTime(): TriggerResult {
    return TriggerResult.CONTINUE
  }
  override clear(w: TimeWindow, ctx: TriggerContext): void {
    ctx.deleteEventTimeTimer(w.maxTimestamp())
    ctx.getPartitionedState(this.fired).clear()
  }
}

describe('triggers', () => {
  it('a custom trigger with state and timers', () => {
    const h = windowHarness(byKey, TumblingEventTimeWindows.of(10), (ws) => ws.trigger(new EagerTrigger()).reduce((a, b) => ({ key: a.key, v: a.v + b.v })))
    h.processElement({ key: 'a', v: 1 }, 1)
    h.processElement({ key: 'a', v: 2 }, 2)
    h.processElement({ key: 'b', v: 5 }, 3)
    expect(h.extractOutputValues().map((e) => `${e.key}${e.v}`)).toEqual(['a1', 'a3', 'b5'])
    h.clearOutput()
    h.processWatermark(9) // a fired twice: fire and purge; b once: purge only
    expect(h.extractOutputValues().map((e) => `${e.key}${e.v}`)).toEqual(['a3'])
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('continuous processing-time trigger fires every interval on a global window', () => {
    const h = windowHarness(byKey, GlobalWindows.create(), (ws) =>
      ws.trigger(ContinuousProcessingTimeTrigger.of<GlobalWindow>(10)).reduce((a, b) => ({ key: a.key, v: a.v + b.v })),
    )
    h.setProcessingTime(3)
    h.processElement({ key: 'a', v: 1 })
    h.setProcessingTime(10)
    h.processElement({ key: 'a', v: 2 })
    h.setProcessingTime(25)
    expect(h.extractOutputRecords().map((r) => r.value.v)).toEqual([1, 3])
  })

  it('a merging assigner refuses a trigger that cannot merge; merging windows need merge()', () => {
    class NoMerge extends Trigger<Ev, TimeWindow> {
      onElement(): TriggerResult {
        return TriggerResult.CONTINUE
      }
      onEventTime(): TriggerResult {
        return TriggerResult.CONTINUE
      }
      onProcessingTime(): TriggerResult {
        return TriggerResult.CONTINUE
      }
    }
    expect(() => windowHarness(byKey, EventTimeSessionWindows.withGap(5), (ws) => ws.trigger(new NoMerge()).reduce((a) => a))).toThrow(ConfigError)
    expect(() =>
      windowHarness(byKey, EventTimeSessionWindows.withGap(5), (ws) =>
        ws.aggregate({ createAccumulator: () => 0, add: (e: Ev, a: number) => a + e.v, getResult: (a: number) => a }),
      ),
    ).toThrow(/merge/)
  })

  it('validates assigner and trigger parameters', () => {
    expect(() => TumblingEventTimeWindows.of(0)).toThrow(ConfigError)
    expect(() => TumblingEventTimeWindows.of(10, 10)).toThrow(ConfigError)
    expect(() => CountTrigger.of(0)).toThrow(ConfigError)
    expect(TumblingEventTimeWindows.of(Duration.ofMinutes(1), -Duration.ofSeconds(30)).getOffset()).toBe(-30_000)
    expect(TimeWindow.getWindowStartWithOffset(-1, 0, 10)).toBe(-10)
  })
})

/** Counts its firings per window in per-window state and the windows per key in global state. */
class Firings extends ProcessWindowFunction<Ev, string, string, TimeWindow> {
  private readonly perWindow = new ValueStateDescriptor<number>('firings')
  private readonly perKey = new ValueStateDescriptor<number>('windows-seen')
  cleared: string[] = []
  process(key: string, ctx: ProcessWindowFunction.Context<TimeWindow>, els: Iterable<Ev>, out: Collector<string>): void {
    const n = ctx.windowState().getState(this.perWindow)
    n.update((n.value() ?? 0) + 1)
    const seen = ctx.globalState().getState(this.perKey)
    if (n.value() === 1) seen.update((seen.value() ?? 0) + 1)
    out.collect(`${key}${String(ctx.window)} firing ${n.value()} of ${[...els].length}, ${seen.value()} windows, wm ${ctx.currentWatermark()}`)
  }
  override clear(ctx: ProcessWindowFunction.Context<TimeWindow>): void {
    ctx.windowState().getState(this.perWindow).clear()
  }
}

describe('ProcessWindowFunction', () => {
  it('sees its window, keeps per-window state (cleared with the window) and global state', () => {
    const h = windowHarness(byKey, TumblingEventTimeWindows.of(10), (ws) => ws.allowedLateness(5).process(new Firings()))
    h.processElement({ key: 'a', v: 1 }, 1)
    h.processWatermark(9)
    h.processElement({ key: 'a', v: 2 }, 2) // late firing
    h.processElement({ key: 'a', v: 3 }, 12)
    h.processWatermark(30)
    expect(h.extractOutputValues()).toEqual([
      'aTimeWindow[0, 10) firing 1 of 1, 1 windows, wm 9',
      'aTimeWindow[0, 10) firing 2 of 2, 1 windows, wm 9',
      'aTimeWindow[10, 20) firing 1 of 1, 2 windows, wm 30',
    ])
    // per-window state gone with the windows; the global count stays
    expect(h.numKeyedStateEntries()).toBe(1)
  })

  it('pre-aggregated: processing-time windows give the window function one element', () => {
    const h = windowHarness(byKey, TumblingProcessingTimeWindows.of(10), (ws) =>
      ws.reduce((a, b) => ({ key: a.key, v: a.v + b.v }), new Firings()),
    )
    h.processElement({ key: 'a', v: 1 })
    h.processElement({ key: 'a', v: 2 })
    h.setProcessingTime(9)
    expect(h.extractOutputValues()).toEqual(['aTimeWindow[0, 10) firing 1 of 1, 1 windows, wm -Infinity'])
  })
})
