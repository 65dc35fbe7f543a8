import { describe, expect, it } from 'vitest'
import { CoProcessFunctionHarness, KeyedCoProcessFunctionHarness } from '../testing/index.js'
import { CoProcessFunction, KeyedCoProcessFunction, ListStateDescriptor, OutputTag, ValueStateDescriptor } from '../index.js'
import type { Collector, ListState, RuntimeContext, ValueState } from '../index.js'

describe('CoProcessFunction', () => {
  it('merges two inputs, with the minimum of their watermarks as the current watermark', () => {
    class Merge extends CoProcessFunction<number, string, string> {
      override processElement1(n: number, ctx: CoProcessFunction.Context, out: Collector<string>): void {
        out.collect(`1:${n} wm=${ctx.timerService().currentWatermark()}`)
      }
      override processElement2(s: string, ctx: CoProcessFunction.Context, out: Collector<string>): void {
        out.collect(`2:${s} wm=${ctx.timerService().currentWatermark()}`)
      }
    }
    const h = CoProcessFunctionHarness.of(new Merge())
    h.processElement1(1, 5).processWatermark1(10).processElement2('a', 6).processWatermark2(7).processElement1(2, 8)
    h.processWatermark2(20).processElement2('b', 21)
    expect(h.extractOutputRecords()).toEqual([
      { value: '1:1 wm=-Infinity', timestamp: 5 },
      { value: '2:a wm=-Infinity', timestamp: 6 },
      { value: '1:2 wm=7', timestamp: 8 },
      { value: '2:b wm=10', timestamp: 21 },
    ])
    expect(h.getWatermarks()).toEqual([7, 10])
  })
})

interface Order {
  readonly id: number
  readonly user: string
}
interface User {
  readonly user: string
  readonly name: string
}

const unmatched = new OutputTag<Order>('unmatched')

/** Enriches orders with the user's name; orders wait up to 100 ms of event time for it. */
class Enrich extends KeyedCoProcessFunction<string, Order, User, string> {
  private name!: ValueState<string>
  private waiting!: ListState<Order>

  override open(ctx: RuntimeContext): void {
    this.name = ctx.getState(new ValueStateDescriptor<string>('name'))
    this.waiting = ctx.getListState(new ListStateDescriptor<Order>('waiting'))
  }

  override processElement1(o: Order, ctx: KeyedCoProcessFunction.Context<string>, out: Collector<string>): void {
    const name = this.name.value()
    if (name !== undefined) out.collect(`order ${o.id} by ${name}`)
    else {
      this.waiting.add(o)
      ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 100)
    }
  }

  override processElement2(u: User, _ctx: KeyedCoProcessFunction.Context<string>, out: Collector<string>): void {
    this.name.update(u.name)
    for (const o of this.waiting.get()) out.collect(`order ${o.id} by ${u.name}`)
    this.waiting.clear()
  }

  override onTimer(ts: number, ctx: KeyedCoProcessFunction.OnTimerContext<string>): void {
    for (const o of this.waiting.get()) ctx.output(unmatched, o)
    this.waiting.clear()
    if (ctx.timeDomain() !== 'EVENT_TIME' || ctx.timestamp() !== ts) throw new Error('unexpected timer context')
  }
}

describe('KeyedCoProcessFunction', () => {
  const run = (
    h: KeyedCoProcessFunctionHarness<string, Order, User, string>,
    steps: readonly (readonly ['o', Order, number] | readonly ['u', User, number] | readonly ['w', number])[],
  ): void => {
    for (const s of steps)
      if (s[0] === 'o') h.processElement1(s[1], s[2])
      else if (s[0] === 'u') h.processElement2(s[1], s[2])
      else h.processWatermark(s[1])
  }
  const steps = [
    ['o', { id: 1, user: 'a' }, 10],
    ['o', { id: 2, user: 'b' }, 20],
    ['u', { user: 'a', name: 'Ann' }, 30],
    ['o', { id: 3, user: 'a' }, 40],
    ['o', { id: 4, user: 'c' }, 50],
    ['w', 100],
    ['o', { id: 5, user: 'b' }, 110],
    ['w', 125],
    ['u', { user: 'b', name: 'Bob' }, 130],
    ['u', { user: 'c', name: 'Cy' }, 140],
    ['w', 300],
  ] as const

  it('shares keyed state and timers between the inputs', () => {
    const h = KeyedCoProcessFunctionHarness.of(new Enrich(), (o: Order) => o.user, (u: User) => u.user)
    run(h, steps)
    // b's first timer (120) gives up on both of b's orders before Bob arrives; Cy arrives in time
    expect(h.extractOutputValues()).toEqual(['order 1 by Ann', 'order 3 by Ann', 'order 4 by Cy'])
    expect(h.getSideOutputRecords(unmatched)).toEqual([
      { value: { id: 2, user: 'b' }, timestamp: 120 },
      { value: { id: 5, user: 'b' }, timestamp: 120 },
    ])
    expect(h.numEventTimeTimers()).toBe(0)
    expect(h.getState('c', new ValueStateDescriptor<string>('name')).value()).toBe('Cy')
  })

  it('snapshot -> restore -> continue gives the output of an uninterrupted run', () => {
    const select = [(o: Order) => o.user, (u: User) => u.user] as const
    const whole = KeyedCoProcessFunctionHarness.of(new Enrich(), ...select)
    run(whole, steps)
    for (let cut = 0; cut <= steps.length; cut++) {
      const first = KeyedCoProcessFunctionHarness.of(new Enrich(), ...select)
      run(first, steps.slice(0, cut))
      const second = KeyedCoProcessFunctionHarness.restore(new Enrich(), ...select, first.snapshot())
      run(second, steps.slice(cut))
      expect([...first.extractOutputValues(), ...second.extractOutputValues()]).toEqual(whole.extractOutputValues())
      expect([...first.getSideOutput(unmatched), ...second.getSideOutput(unmatched)]).toEqual(whole.getSideOutput(unmatched))
    }
  })
})
