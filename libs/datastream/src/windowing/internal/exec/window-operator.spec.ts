import { describe, expect, it } from 'vitest'
import { OutputTag, type Collector } from '@strom/runtime'
import { KeyedOneInputStreamOperatorTestHarness } from '@strom/runtime/testing'
import { EventTimeSessionWindows } from '../../session-windows.js'
import { SlidingEventTimeWindows } from '../../sliding-windows.js'
import { TumblingEventTimeWindows } from '../../tumbling-windows.js'
import { ProcessWindowFunction } from '../../window-functions.js'
import type { TimeWindow } from '../../windows.js'
import { windowFactory, windowHarness, type Ev } from '../../windows.fixture.js'

const byKey = (e: Ev): string => e.key
const sum = (a: Ev, b: Ev): Ev => ({ key: a.key, v: a.v + b.v })

class Describe extends ProcessWindowFunction<Ev, string, string, TimeWindow> {
  process(key: string, ctx: ProcessWindowFunction.Context<TimeWindow>, els: Iterable<Ev>, out: Collector<string>): void {
    out.collect(`${key}[${ctx.window.start},${ctx.window.end}):${[...els].map((e) => e.v).join(',')}`)
  }
}

describe('WindowOperator through the harness', () => {
  it('tumbling event-time reduce fires when the watermark passes the end, with maxTimestamp', () => {
    const h = windowHarness(byKey, TumblingEventTimeWindows.of(10), (ws) => ws.reduce(sum))
    h.processElement({ key: 'a', v: 1 }, 1)
    h.processElement({ key: 'a', v: 2 }, 9)
    h.processElement({ key: 'b', v: 5 }, 3)
    h.processElement({ key: 'a', v: 7 }, 12)
    h.processWatermark(8)
    expect(h.extractOutputRecords()).toEqual([])
    h.processWatermark(9)
    expect(h.extractOutputRecords()).toEqual(
      expect.arrayContaining([
        { value: { key: 'a', v: 3 }, timestamp: 9 },
        { value: { key: 'b', v: 5 }, timestamp: 9 },
      ]),
    )
    h.clearOutput()
    h.endInput()
    expect(h.extractOutputRecords()).toEqual([{ value: { key: 'a', v: 7 }, timestamp: 19 }])
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('late elements: late firing within the lateness, side output after it', () => {
    const late = new OutputTag<Ev>('late')
    const h = windowHarness(byKey, TumblingEventTimeWindows.of(10), (ws) =>
      ws.allowedLateness(5).sideOutputLateData(late).disableSlicing().process(new Describe()),
    )
    h.processElement({ key: 'a', v: 1 }, 1)
    h.processWatermark(10)
    expect(h.extractOutputValues()).toEqual(['a[0,10):1'])
    h.clearOutput()
    h.processElement({ key: 'a', v: 2 }, 3) // late, within lateness: fires again at once
    expect(h.extractOutputValues()).toEqual(['a[0,10):1,2'])
    h.clearOutput()
    h.processWatermark(14) // cleanup at 9 + 5
    h.processElement({ key: 'a', v: 3 }, 4) // past the lateness
    expect(h.extractOutputValues()).toEqual([])
    expect(h.getSideOutput(late)).toEqual([{ value: { key: 'a', v: 3 }, timestamp: 4 }])
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('counts dropped late elements without a side output', () => {
    const h = windowHarness(byKey, TumblingEventTimeWindows.of(10), (ws) => ws.reduce(sum))
    h.processWatermark(20)
    h.processElement({ key: 'a', v: 1 }, 5)
    expect(h.metrics.snapshot()['test-job.test-operator.0.numLateRecordsDropped']).toBe(1)
  })

  it('session windows merge, and a late element within the lateness bridges two sessions', () => {
    const h = windowHarness(byKey, EventTimeSessionWindows.withGap(3), (ws) => ws.allowedLateness(10).process(new Describe()))
    h.processElement({ key: 'a', v: 1 }, 1)
    h.processElement({ key: 'a', v: 2 }, 2)
    h.processElement({ key: 'a', v: 7 }, 7)
    h.processWatermark(5)
    expect(h.extractOutputValues()).toEqual(['a[1,5):1,2'])
    h.clearOutput()
    h.processElement({ key: 'a', v: 4 }, 4) // [4,7) touches [1,5) and [7,10): one session
    expect(h.extractOutputValues()).toEqual([])
    h.processWatermark(9)
    expect(h.extractOutputValues()).toEqual(['a[1,10):1,2,7,4'])
  })

  it('snapshot, restore into a fresh harness, continue: the same output as without', () => {
    const build = () => windowFactory<Ev, string, TimeWindow, string>(byKey, SlidingEventTimeWindows.of(10, 5), (ws) => ws.allowedLateness(3).process(new Describe()))
    const feed = (h: KeyedOneInputStreamOperatorTestHarness<Ev, string, string>, part: 1 | 2): void => {
      if (part === 1) {
        h.processElement({ key: 'a', v: 1 }, 1)
        h.processElement({ key: 'b', v: 2 }, 6)
        h.processWatermark(5)
      } else {
        h.processElement({ key: 'a', v: 3 }, 3)
        h.processElement({ key: 'a', v: 4 }, 11)
        h.processWatermark(12)
        h.processElement({ key: 'b', v: 5 }, 8)
        h.endInput()
      }
    }
    const straight = new KeyedOneInputStreamOperatorTestHarness(build()(), byKey).open()
    feed(straight, 1)
    feed(straight, 2)
    const first = new KeyedOneInputStreamOperatorTestHarness(build()(), byKey).open()
    feed(first, 1)
    const snap = first.snapshot()
    const restored = new KeyedOneInputStreamOperatorTestHarness(build()(), byKey, { restoreFrom: snap }).open()
    feed(restored, 2)
    expect([...first.extractOutputValues(), ...restored.extractOutputValues()].sort()).toEqual(straight.extractOutputValues().sort())
  })
})
