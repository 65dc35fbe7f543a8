import { describe, expectTypeOf, it } from 'vitest'
import { KeyedProcessFunction, MapStateDescriptor, OutputTag, ValueStateDescriptor, keyedProcessOperator } from '../index.js'
import type {
  BroadcastProcessFunction,
  Collector,
  KeyedBroadcastProcessFunction,
  KeyedProcessOperator,
  ListState,
  ListStateDescriptor,
  MapState,
  OperatorFactory,
  ReadOnlyBroadcastState,
  BroadcastState,
  RuntimeContext,
  TimeDomain,
  TimerService,
  ValueState,
} from '../index.js'
import { KeyedProcessFunctionHarness } from '../testing/index.js'

interface Click {
  user: string
  url: string
}
interface Alert {
  user: string
  count: number
}

describe('types flow through the process layer', () => {
  it('gives a KeyedProcessFunction typed state, key, collector and side outputs', () => {
    class Counter extends KeyedProcessFunction<string, Click, Alert> {
      override open(ctx: RuntimeContext): void {
        expectTypeOf(ctx.getState(new ValueStateDescriptor<number>('n'))).toEqualTypeOf<ValueState<number>>()
        expectTypeOf(ctx.getMapState(new MapStateDescriptor<string, Click>('m'))).toEqualTypeOf<MapState<string, Click>>()
        expectTypeOf(ctx.getListState<Click>).parameter(0).toEqualTypeOf<ListStateDescriptor<Click>>()
        expectTypeOf(ctx.getListState<Click>).returns.toEqualTypeOf<ListState<Click>>()
      }
      override processElement(click: Click, ctx: KeyedProcessFunction.Context<string>, out: Collector<Alert>): void {
        expectTypeOf(click).toEqualTypeOf<Click>()
        expectTypeOf(ctx.getCurrentKey()).toEqualTypeOf<string>()
        expectTypeOf(ctx.timestamp()).toEqualTypeOf<number>()
        expectTypeOf(ctx.timerService()).toEqualTypeOf<TimerService>()
        expectTypeOf(out.collect).parameter(0).toEqualTypeOf<Alert>()
        ctx.output(new OutputTag<Click>('raw'), click)
        // @ts-expect-error a side output takes records of its tag's type
        ctx.output(new OutputTag<number>('n'), click)
        // @ts-expect-error the collector takes the output type
        out.collect(click)
      }
      override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<Alert>): void {
        expectTypeOf(ts).toEqualTypeOf<number>()
        expectTypeOf(ctx.timeDomain()).toEqualTypeOf<TimeDomain>()
        out.collect({ user: ctx.getCurrentKey(), count: 1 })
      }
    }
    expectTypeOf(keyedProcessOperator(new Counter())).toEqualTypeOf<
      OperatorFactory<KeyedProcessOperator<string, Click, Alert>>
    >()
    const h = KeyedProcessFunctionHarness.of(new Counter(), (c: Click) => c.user)
    expectTypeOf(h.extractOutputValues()).toEqualTypeOf<Alert[]>()
    expectTypeOf(h.processElement).parameter(0).toEqualTypeOf<Click>()
    expectTypeOf(h.eventTimeTimers()).toEqualTypeOf<{ timestamp: number; key: string }[]>()
    // @ts-expect-error the key selector must give the function's key type
    KeyedProcessFunctionHarness.of(new Counter(), (c: Click) => c.url.length)
  })

  it('gives broadcast functions read-write state on the broadcast side only', () => {
    const d = new MapStateDescriptor<string, number>('rules')
    expectTypeOf<BroadcastProcessFunction.Context['getBroadcastState']>().returns.toEqualTypeOf<BroadcastState<unknown, unknown>>()
    const ro = null as unknown as KeyedBroadcastProcessFunction.ReadOnlyContext<string>
    expectTypeOf(ro.getBroadcastState(d)).toEqualTypeOf<ReadOnlyBroadcastState<string, number>>()
    // @ts-expect-error read-only broadcast state has no put
    ro.getBroadcastState(d).put('a', 1)
    const rw = null as unknown as KeyedBroadcastProcessFunction.Context<string>
    expectTypeOf(rw.getBroadcastState(d)).toEqualTypeOf<BroadcastState<string, number>>()
    rw.applyToKeyedState(new ValueStateDescriptor<number>('n'), (key, state) => {
      expectTypeOf(key).toEqualTypeOf<string>()
      expectTypeOf(state).toEqualTypeOf<ValueState<number>>()
    })
  })
})
