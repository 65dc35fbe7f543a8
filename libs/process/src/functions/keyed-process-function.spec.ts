import { describe, expect, it } from 'vitest'
import { KeyedProcessFunctionHarness } from '../testing/index.js'
import { IdleAlert } from '../examples/idle-alert.js'
import type { Click } from '../examples/idle-alert.js'
import {
  KeyedProcessFunction,
  ListStateDescriptor,
  MapStateDescriptor,
  MissingTimestampError,
  OutputTag,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  StateTtlConfig,
  TimeDomain,
  ValueStateDescriptor,
} from '../index.js'
import type {
  AggregatingState,
  Collector,
  ListState,
  MapState,
  ReducingState,
  RuntimeContext,
  ValueState,
} from '../index.js'

interface Ev {
  readonly key: string
  readonly v: number
}
const byKey = (e: Ev): string => e.key

/** Registers the timers it is told to, and reports every firing. */
class TimerProbe extends KeyedProcessFunction<string, { key: string; at: number[]; domain?: 'proc' }, string> {
  override processElement(e: { key: string; at: number[]; domain?: 'proc' }, ctx: KeyedProcessFunction.Context<string>): void {
    for (const t of e.at)
      if (e.domain === 'proc') ctx.timerService().registerProcessingTimeTimer(t)
      else ctx.timerService().registerEventTimeTimer(t)
  }

  override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()}@${ts}:${ctx.timeDomain()}:${ctx.timestamp()}`)
  }
}

describe('KeyedProcessFunction', () => {
  it('runs the IdleAlert example of API.md', () => {
    // #region harness
    const h = KeyedProcessFunctionHarness.of(new IdleAlert(), (c: Click) => c.user)
    h.processElement({ user: 'a', url: '/', ts: 1_000 }, 1_000)
    h.processWatermark(31_000)
    expect(h.extractOutputValues()).toEqual([{ user: 'a', idleSince: 1_000 }])
    const snapshot = h.snapshot() // restore into a fresh harness and go on
    const restored = KeyedProcessFunctionHarness.restore(new IdleAlert(), (c: Click) => c.user, snapshot)
    restored.processElement({ user: 'a', url: '/', ts: 40_000 }, 40_000)
    restored.processWatermark(70_000)
    expect(restored.extractOutputValues()).toEqual([{ user: 'a', idleSince: 40_000 }])
    // #endregion harness
    expect(h.extractOutputRecords()[0]!.timestamp).toBe(31_000)
  })

  it('alerts only when the user stayed idle', () => {
    const h = KeyedProcessFunctionHarness.of(new IdleAlert(), (c: Click) => c.user)
    h.processElement({ user: 'a', url: '/', ts: 1_000 }, 1_000)
    h.processElement({ user: 'b', url: '/', ts: 2_000 }, 2_000)
    h.processElement({ user: 'a', url: '/x', ts: 20_000 }, 20_000)
    h.processWatermark(40_000)
    expect(h.extractOutputValues()).toEqual([{ user: 'b', idleSince: 2_000 }])
    h.processWatermark(50_000)
    expect(h.extractOutputValues()).toEqual([
      { user: 'b', idleSince: 2_000 },
      { user: 'a', idleSince: 20_000 },
    ])
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('fires timers in timestamp order, exactly once, also when registered twice', () => {
    const h = KeyedProcessFunctionHarness.of(new TimerProbe(), (e) => e.key)
    h.processElement({ key: 'a', at: [30, 10, 20, 10] })
    h.processElement({ key: 'b', at: [15, 30] })
    h.processElement({ key: 'a', at: [20] })
    expect(h.numEventTimeTimers()).toBe(5)
    expect(h.eventTimeTimers().map((t) => `${t.key}@${t.timestamp}`).sort()).toEqual(['a@10', 'a@20', 'a@30', 'b@15', 'b@30'])
    expect(h.eventTimeTimers().map((t) => t.timestamp)).toEqual([10, 15, 20, 30, 30])
    h.processWatermark(9)
    expect(h.extractOutputValues()).toEqual([])
    h.processWatermark(20)
    h.processWatermark(20)
    expect(h.extractOutputValues()).toEqual(['a@10:EVENT_TIME:10', 'b@15:EVENT_TIME:15', 'a@20:EVENT_TIME:20'])
    h.processWatermark(100)
    h.processWatermark(200)
    expect(h.extractOutputValues().slice(3).sort()).toEqual(['a@30:EVENT_TIME:30', 'b@30:EVENT_TIME:30'])
    expect(h.numEventTimeTimers()).toBe(0)
    // the watermarks are forwarded after the timers they fire
    expect(h.getOutput().map((e) => (e.kind === 'record' ? e.value : e.kind === 'watermark' ? e.watermark : e.idle))).toEqual([
      9,
      'a@10:EVENT_TIME:10',
      'b@15:EVENT_TIME:15',
      'a@20:EVENT_TIME:20',
      20,
      20,
      'a@30:EVENT_TIME:30',
      'b@30:EVENT_TIME:30',
      100,
      200,
    ])
  })

  it('fires processing-time timers with the manual clock; their output has no timestamp', () => {
    const h = KeyedProcessFunctionHarness.of(new TimerProbe(), (e) => e.key)
    h.processElement({ key: 'a', at: [100, 50, 100], domain: 'proc' }, 5)
    expect(h.numProcessingTimeTimers()).toBe(2)
    h.setProcessingTime(60)
    expect(h.extractOutputRecords()).toEqual([{ value: 'a@50:PROCESSING_TIME:50', timestamp: NaN }])
    h.setProcessingTime(1_000)
    expect(h.extractOutputValues()).toEqual(['a@50:PROCESSING_TIME:50', 'a@100:PROCESSING_TIME:100'])
    expect(h.numProcessingTimeTimers()).toBe(0)
  })

  it('deletes timers', () => {
    class Deleter extends KeyedProcessFunction<string, Ev, number> {
      override processElement(e: Ev, ctx: KeyedProcessFunction.Context<string>): void {
        if (e.v > 0) ctx.timerService().registerEventTimeTimer(e.v)
        else ctx.timerService().deleteEventTimeTimer(-e.v)
      }
      override onTimer(ts: number, _ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<number>): void {
        out.collect(ts)
      }
    }
    const h = KeyedProcessFunctionHarness.of(new Deleter(), byKey)
    h.processElement({ key: 'a', v: 10 }).processElement({ key: 'a', v: 20 }).processElement({ key: 'b', v: 10 })
    h.processElement({ key: 'a', v: -10 }).processElement({ key: 'a', v: -99 })
    expect(h.numEventTimeTimers()).toBe(2)
    h.endInput()
    expect(h.extractOutputValues()).toEqual([10, 20])
  })

  it('keeps state per key, for every kind of state', () => {
    class AllStates extends KeyedProcessFunction<string, Ev, string> {
      private value!: ValueState<number>
      private list!: ListState<number>
      private map!: MapState<number, number>
      private reducing!: ReducingState<number>
      private aggregating!: AggregatingState<number, number>

      override open(ctx: RuntimeContext): void {
        this.value = ctx.getState(new ValueStateDescriptor<number>('value'))
        this.list = ctx.getListState(new ListStateDescriptor<number>('list'))
        this.map = ctx.getMapState(new MapStateDescriptor<number, number>('map'))
        this.reducing = ctx.getReducingState(new ReducingStateDescriptor<number>('max', (a, b) => Math.max(a, b)))
        this.aggregating = ctx.getAggregatingState(
          new AggregatingStateDescriptor<number, { n: number; sum: number }, number>('avg', {
            createAccumulator: () => ({ n: 0, sum: 0 }),
            add: (v, acc) => ({ n: acc.n + 1, sum: acc.sum + v }),
            getResult: (acc) => acc.sum / acc.n,
            merge: (a, b) => ({ n: a.n + b.n, sum: a.sum + b.sum }),
          }),
        )
      }

      override processElement(e: Ev, ctx: KeyedProcessFunction.Context<string>, out: Collector<string>): void {
        this.value.update((this.value.value() ?? 0) + e.v)
        this.list.add(e.v)
        this.map.put(e.v, (this.map.get(e.v) ?? 0) + 1)
        this.reducing.add(e.v)
        this.aggregating.add(e.v)
        out.collect(
          `${ctx.getCurrentKey()} sum=${this.value.value()} list=${[...this.list.get()].join(',')} ` +
            `distinct=${[...this.map.keys()].length} max=${this.reducing.get()} avg=${this.aggregating.get()}`,
        )
      }
    }
    const h = KeyedProcessFunctionHarness.of(new AllStates(), byKey)
    h.processElement({ key: 'a', v: 1 }).processElement({ key: 'b', v: 10 }).processElement({ key: 'a', v: 3 })
    h.processElement({ key: 'a', v: 3 }).processElement({ key: 'b', v: 20 })
    expect(h.extractOutputValues()).toEqual([
      'a sum=1 list=1 distinct=1 max=1 avg=1',
      'b sum=10 list=10 distinct=1 max=10 avg=10',
      'a sum=4 list=1,3 distinct=2 max=3 avg=2',
      'a sum=7 list=1,3,3 distinct=2 max=3 avg=2.3333333333333335',
      'b sum=30 list=10,20 distinct=2 max=20 avg=15',
    ])
    expect(h.getState('a', new ValueStateDescriptor<number>('value')).value()).toBe(7)
    expect(h.getState('b', new ValueStateDescriptor<number>('value')).value()).toBe(30)
    expect(h.getState('c', new ValueStateDescriptor<number>('value')).value()).toBeUndefined()
    expect(h.numKeyedStateEntries()).toBe(10)
  })

  it('expires state by its TTL on the manual clock', () => {
    class Remember extends KeyedProcessFunction<string, Ev, string> {
      private last!: ValueState<number>
      override open(ctx: RuntimeContext): void {
        this.last = ctx.getState(
          new ValueStateDescriptor<number>('last').enableTimeToLive(StateTtlConfig.newBuilder(1_000).build()),
        )
      }
      override processElement(e: Ev, _ctx: KeyedProcessFunction.Context<string>, out: Collector<string>): void {
        out.collect(`${e.key}: ${this.last.value() ?? 'none'}`)
        this.last.update(e.v)
      }
    }
    const h = KeyedProcessFunctionHarness.of(new Remember(), byKey)
    h.setProcessingTime(0)
    h.processElement({ key: 'a', v: 1 })
    h.setProcessingTime(500)
    h.processElement({ key: 'a', v: 2 })
    h.setProcessingTime(1_400)
    h.processElement({ key: 'a', v: 3 })
    h.setProcessingTime(2_400)
    h.processElement({ key: 'a', v: 4 })
    expect(h.extractOutputValues()).toEqual(['a: none', 'a: 1', 'a: 2', 'a: none'])
  })

  it('sees late records through the current watermark and sends them to a side output', () => {
    const late = new OutputTag<Ev>('late')
    class SplitLate extends KeyedProcessFunction<string, Ev, Ev> {
      override processElement(e: Ev, ctx: KeyedProcessFunction.Context<string>, out: Collector<Ev>): void {
        if (ctx.timestamp() <= ctx.timerService().currentWatermark()) ctx.output(late, e)
        else out.collect(e)
      }
    }
    const h = KeyedProcessFunctionHarness.of(new SplitLate(), byKey)
    h.processElement({ key: 'a', v: 1 }, 100)
    h.processWatermark(150)
    h.processElement({ key: 'a', v: 2 }, 120)
    h.processElement({ key: 'b', v: 3 }, 200)
    expect(h.extractOutputValues()).toEqual([
      { key: 'a', v: 1 },
      { key: 'b', v: 3 },
    ])
    expect(h.getSideOutput(late)).toEqual([{ key: 'a', v: 2 }])
    expect(h.getSideOutputRecords(late)).toEqual([{ value: { key: 'a', v: 2 }, timestamp: 120 }])
    expect(h.getSideOutput(new OutputTag<Ev>('other'))).toEqual([])
  })

  it('gives side outputs from timers the timer timestamp in event time and none in processing time', () => {
    const tag = new OutputTag<string>('side')
    class Side extends KeyedProcessFunction<string, Ev, string> {
      override processElement(_e: Ev, ctx: KeyedProcessFunction.Context<string>): void {
        ctx.timerService().registerEventTimeTimer(10)
        ctx.timerService().registerProcessingTimeTimer(10)
      }
      override onTimer(_ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>): void {
        ctx.output(tag, ctx.timeDomain())
      }
    }
    const h = KeyedProcessFunctionHarness.of(new Side(), byKey)
    h.processElement({ key: 'a', v: 1 }, 1)
    h.processWatermark(10)
    h.setProcessingTime(10)
    expect(h.getSideOutputRecords(tag)).toEqual([
      { value: TimeDomain.EVENT_TIME, timestamp: 10 },
      { value: TimeDomain.PROCESSING_TIME, timestamp: NaN },
    ])
  })

  it('throws a clear error for ctx.timestamp() on a record without timestamp', () => {
    const seen: boolean[] = []
    class Stamp extends KeyedProcessFunction<string, Ev, number> {
      override processElement(_e: Ev, ctx: KeyedProcessFunction.Context<string>, out: Collector<number>): void {
        seen.push(ctx.hasTimestamp())
        out.collect(ctx.timestamp())
      }
    }
    const h = KeyedProcessFunctionHarness.of(new Stamp(), byKey, { operatorName: 'stamp' })
    h.processElement({ key: 'a', v: 1 }, 5)
    expect(() => h.processElement({ key: 'a', v: 1 })).toThrow(MissingTimestampError)
    expect(() => h.processElement({ key: 'a', v: 1 })).toThrow(/operator stamp .*has no timestamp.*hasTimestamp/)
    expect(seen).toEqual([true, false, false])
    expect(h.extractOutputRecords()).toEqual([{ value: 5, timestamp: 5 }])
  })

  it('reuses one context and one collector for every call, and opens and closes the function', () => {
    const contexts = new Set<object>()
    const collectors = new Set<object>()
    const events: string[] = []
    class Reuse extends KeyedProcessFunction<string, Ev, string> {
      override open(ctx: RuntimeContext): void {
        events.push(`open ${ctx.getOperatorName()} ${ctx.getIndexOfThisSubtask()}/${ctx.getNumberOfParallelSubtasks()}`)
        expect(this.getRuntimeContext()).toBe(ctx)
      }
      override processElement(_e: Ev, ctx: KeyedProcessFunction.Context<string>, out: Collector<string>): void {
        contexts.add(ctx)
        collectors.add(out)
        ctx.timerService().registerEventTimeTimer(1)
      }
      override close(): void {
        events.push('close')
      }
    }
    const h = KeyedProcessFunctionHarness.of(new Reuse(), byKey, { operatorName: 'reuse' })
    for (let i = 0; i < 10; i++) h.processElement({ key: `k${i % 3}`, v: i }, i)
    h.close()
    expect(contexts.size).toBe(1)
    expect(collectors.size).toBe(1)
    expect(events).toEqual(['open reuse 0/1', 'close'])
  })

  it('snapshot -> restore -> continue gives the output of an uninterrupted run', () => {
    const input: { click: Click; ts: number }[] = []
    for (let i = 0; i < 40; i++) {
      const ts = i * 4_000 + (i % 3) * 1_000
      input.push({ click: { user: `u${(i * 7) % 5}`, url: '/', ts }, ts })
    }
    const feed = (h: KeyedProcessFunctionHarness<string, Click, unknown>, from: number, to: number): void => {
      for (let i = from; i < to; i++) {
        h.processElement(input[i]!.click, input[i]!.ts)
        if (i % 4 === 3) h.processWatermark(input[i]!.ts - 2_000)
      }
    }
    const whole = KeyedProcessFunctionHarness.of(new IdleAlert(), (c: Click) => c.user)
    feed(whole, 0, 40)
    whole.endInput()

    const first = KeyedProcessFunctionHarness.of(new IdleAlert(), (c: Click) => c.user)
    feed(first, 0, 17)
    const snapshot = first.snapshot()
    const emitted = first.extractOutputValues().length
    const timers = first.numEventTimeTimers()
    const entries = first.numKeyedStateEntries()
    feed(first, 17, 20) // what it does after the snapshot is lost with it

    const second = KeyedProcessFunctionHarness.restore(new IdleAlert(), (c: Click) => c.user, snapshot)
    expect(second.numEventTimeTimers()).toBe(timers)
    expect(second.numKeyedStateEntries()).toBe(entries)
    feed(second, 17, 40)
    second.endInput()
    expect([...first.extractOutputValues().slice(0, emitted), ...second.extractOutputValues()]).toEqual(
      whole.extractOutputValues(),
    )
    expect(whole.extractOutputValues().length).toBeGreaterThan(emitted)
  })
})

