import { describe, expect, it } from 'vitest'
import { ProcessFunctionHarness } from '../testing/index.js'
import { OutputTag, ProcessFunction, StateError, ValueStateDescriptor } from '../index.js'
import { emptyLines, SplitWords } from '../examples/split-words.js'
import type { Collector, RuntimeContext } from '../index.js'

const odd = new OutputTag<number>('odd')

class Evens extends ProcessFunction<number, string> {
  override processElement(n: number, ctx: ProcessFunction.Context, out: Collector<string>): void {
    if (n % 2 === 0) out.collect(`${n} @wm ${ctx.timerService().currentWatermark()}`)
    else ctx.output(odd, n)
  }
}

describe('ProcessFunction', () => {
  it('runs the SplitWords example', () => {
    // #region harness
    const h = ProcessFunctionHarness.of(new SplitWords())
    h.processElement('to be  or', 1_000)
    h.processElement('   ', 2_000)
    expect(h.extractOutputRecords()).toEqual([
      { value: 'to', timestamp: 1_000 },
      { value: 'be', timestamp: 1_000 },
      { value: 'or', timestamp: 1_000 },
    ])
    expect(h.getSideOutput(emptyLines)).toEqual(['   '])
    // #endregion harness
  })

  it('emits records with the input timestamp, side outputs, and forwards watermarks', () => {
    const h = ProcessFunctionHarness.of(new Evens())
    h.processElement(2, 10).processElement(3, 11).processWatermark(11).processElement(4)
    expect(h.extractOutputRecords()).toEqual([
      { value: '2 @wm -Infinity', timestamp: 10 },
      { value: '4 @wm 11', timestamp: NaN },
    ])
    expect(h.getSideOutputRecords(odd)).toEqual([{ value: 3, timestamp: 11 }])
    expect(h.getWatermarks()).toEqual([11])
    h.endInput()
    expect(h.getWatermarks()).toEqual([11, Infinity])
  })

  it('reports processing time from the manual clock', () => {
    class Now extends ProcessFunction<string, number> {
      override processElement(_v: string, ctx: ProcessFunction.Context, out: Collector<number>): void {
        out.collect(ctx.timerService().currentProcessingTime())
      }
    }
    const h = ProcessFunctionHarness.of(new Now())
    h.processElement('a')
    h.setProcessingTime(1_234)
    h.processElement('b')
    expect(h.extractOutputValues()).toEqual([0, 1_234])
  })

  it('explains that timers and keyed state need a keyed stream', () => {
    class Timers extends ProcessFunction<string, number> {
      override processElement(_v: string, ctx: ProcessFunction.Context): void {
        ctx.timerService().registerEventTimeTimer(1)
      }
    }
    const h = ProcessFunctionHarness.of(new Timers(), { operatorName: 'timers' })
    expect(() => h.processElement('a', 1)).toThrow(StateError)
    expect(() => h.processElement('a', 1)).toThrow(/Operator timers is not keyed: timers are only supported on keyed streams/)

    class KeyedState extends ProcessFunction<string, number> {
      override open(ctx: RuntimeContext): void {
        ctx.getState(new ValueStateDescriptor<number>('count'))
      }
      override processElement(): void {}
    }
    expect(() => ProcessFunctionHarness.of(new KeyedState(), { operatorName: 'ks' })).toThrow(
      /Keyed state 'count' is only available on a keyed stream: operator ks is not keyed/,
    )
  })

  it('gives the function the task info of its subtask', () => {
    let info = ''
    class Info extends ProcessFunction<string, string> {
      override open(ctx: RuntimeContext): void {
        info = `${ctx.getOperatorName()} ${ctx.getIndexOfThisSubtask()}/${ctx.getNumberOfParallelSubtasks()} max ${ctx.getMaxNumberOfParallelSubtasks()}`
        ctx.getMetricGroup().counter('opened').inc()
      }
      override processElement(): void {}
    }
    const h = ProcessFunctionHarness.of(new Info(), { operatorName: 'info', parallelism: 4, subtaskIndex: 2 })
    expect(info).toBe('info 2/4 max 128')
    expect(h.operatorHarness.metrics.snapshot()).toMatchObject({ [`${h.operatorHarness.metrics.scope}.opened`]: 1 })
  })

  it('lets errors of the function propagate', () => {
    class Boom extends ProcessFunction<string, string> {
      override processElement(v: string): void {
        throw new Error(`boom ${v}`)
      }
    }
    const h = ProcessFunctionHarness.of(new Boom())
    expect(() => h.processElement('x')).toThrow('boom x')
  })
})
