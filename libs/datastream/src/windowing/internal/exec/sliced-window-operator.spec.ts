import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { OutputTag } from '@strom/runtime'
import { KeyedOneInputStreamOperatorTestHarness } from '@strom/runtime/testing'
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from '../../sliding-windows.js'
import { TumblingEventTimeWindows } from '../../tumbling-windows.js'
import type { WindowAggregateFunction } from '../../window-functions.js'
import type { TimeWindow } from '../../windows.js'
import type { SingleOutputStreamOperator } from '../../../datastream/data-stream.js'
import { monotone, runSteps, windowFactory, windowHarness, type Ev, type Step } from '../../windows.fixture.js'
import { SlicedWindowOperator, WINDOW_SLICE_RING, type SliceRing } from './sliced-window-operator.js'
import { WindowOperator } from './window-operator.js'

const byKey = (e: Ev): string => e.key
const late = new OutputTag<Ev>('late')

/** A sum of values and a count, non-commutative parts excluded, that counts its calls. */
const countingSum = (calls: { add: number; merge: number }): WindowAggregateFunction<Ev, number[], string> => ({
  createAccumulator: () => [0, 0],
  add: (e, acc) => {
    calls.add++
    return [acc[0]! + e.v, acc[1]! + 1]
  },
  getResult: (acc) => `${acc[0]}/${acc[1]}`,
  merge: (a, b) => {
    calls.merge++
    return [a[0]! + b[0]!, a[1]! + b[1]!]
  },
})

const steps = (processingTime: boolean, keys = ['a', 'b', 'c', 'd'], maxTs = 300, maxLength = 80): fc.Arbitrary<Step[]> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('el' as const), key: fc.constantFrom(...keys), ts: fc.integer({ min: -50, max: maxTs }), v: fc.integer({ min: 1, max: 99 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant(processingTime ? ('clock' as const) : ('wm' as const)), t: fc.integer({ min: -60, max: maxTs + 20 }) }) },
      ),
      { maxLength },
    )
    .map((s) => [...monotone(s), processingTime ? { kind: 'clock' as const, t: 100_000 } : { kind: 'wm' as const, t: Infinity }])

describe('SlicedWindowOperator', () => {
  it('is what tumbling and sliding windows with reduce/aggregate and the default trigger run on', () => {
    const sliced = windowFactory(byKey, SlidingEventTimeWindows.of(10, 2), (ws) => ws.aggregate(countingSum({ add: 0, merge: 0 })))()
    expect(sliced).toBeInstanceOf(SlicedWindowOperator)
    expect(windowFactory(byKey, TumblingEventTimeWindows.of(10), (ws) => ws.reduce((a) => a))()).toBeInstanceOf(SlicedWindowOperator)
    // not sliced: disabled, an aggregate without merge on sliding windows, slide > size
    expect(windowFactory(byKey, SlidingEventTimeWindows.of(10, 2), (ws) => ws.disableSlicing().reduce((a) => a))()).toBeInstanceOf(WindowOperator)
    const { merge: _m, ...noMerge } = countingSum({ add: 0, merge: 0 })
    expect(windowFactory(byKey, SlidingEventTimeWindows.of(10, 2), (ws) => ws.aggregate(noMerge))()).toBeInstanceOf(WindowOperator)
    expect(windowFactory(byKey, TumblingEventTimeWindows.of(10), (ws) => ws.aggregate(noMerge))()).toBeInstanceOf(SlicedWindowOperator)
    expect(windowFactory(byKey, SlidingEventTimeWindows.of(5, 10), (ws) => ws.reduce((a) => a))()).toBeInstanceOf(WindowOperator)
  })

  it('adds each element once, however many windows it falls into (per-record work does not grow with size / slide)', () => {
    for (const [size, slide] of [[10, 10], [100, 1], [60, 4]] as const) {
      const run = (slicing: boolean) => {
        const calls = { add: 0, merge: 0 }
        const h = windowHarness(byKey, SlidingEventTimeWindows.of(size, slide), (ws) =>
          (slicing ? ws : ws.disableSlicing()).aggregate(countingSum(calls)),
        )
        for (let i = 0; i < 500; i++) h.processElement({ key: `k${i % 7}`, v: 1 }, i)
        const addsPerRecord = calls.add / 500
        h.endInput()
        return { addsPerRecord, out: h.extractOutputValues().sort() }
      }
      const sliced = run(true)
      const general = run(false)
      expect(sliced.addsPerRecord).toBe(1)
      expect(general.addsPerRecord).toBe(size / slide)
      expect(sliced.out).toEqual(general.out)
    }
  })

  it('gives the same results as the general operator on random input (event time, with lateness)', () => {
    fc.assert(
      fc.property(
        steps(false),
        fc.constantFrom<[number, number, number]>([10, 10, 0], [10, 5, 0], [12, 8, 0], [30, 4, 3], [7, 7, -3], [9, 6, 2]),
        fc.constantFrom(0, 5, 40),
        fc.boolean(),
        (input, [size, slide, offset], lateness, useReduce) => {
          const run = (slicing: boolean): { outputs: string[][]; late: string[] } => {
            const calls = { add: 0, merge: 0 }
            const h = windowHarness(byKey, SlidingEventTimeWindows.of(size, slide, offset), (ws): SingleOutputStreamOperator<unknown> => {
              const c = ws.allowedLateness(lateness).sideOutputLateData(late)
              if (!slicing) c.disableSlicing()
              return useReduce ? (c.reduce((a, b) => ({ key: a.key, v: a.v + b.v })) as unknown as SingleOutputStreamOperator<unknown>) : (c.aggregate(countingSum(calls)) as unknown as SingleOutputStreamOperator<unknown>)
            })
            expect(h.operator).toBeInstanceOf(slicing ? SlicedWindowOperator : WindowOperator)
            return runSteps(h as KeyedOneInputStreamOperatorTestHarness<Ev, string, unknown>, input, (v, ts) => `${JSON.stringify(v)}@${ts}`, late)
          }
          expect(run(true)).toEqual(run(false))
        },
      ),
      { numRuns: 300 },
    )
  })

  it('gives the same results as the general operator on random input (processing time, manual clock)', () => {
    fc.assert(
      fc.property(steps(true), fc.constantFrom<[number, number]>([10, 10], [10, 5], [12, 8], [30, 4]), (input, [size, slide]) => {
        const run = (slicing: boolean): { outputs: string[][]; late: string[] } => {
          const h = windowHarness(byKey, SlidingProcessingTimeWindows.of(size, slide), (ws) => {
            if (!slicing) ws.disableSlicing()
            return ws.reduce((a, b) => ({ key: a.key, v: a.v + b.v }))
          })
          return runSteps(h, input, (v, ts) => `${JSON.stringify(v)}@${ts}`)
        }
        expect(run(true)).toEqual(run(false))
      }),
      { numRuns: 300 },
    )
  })

  it('snapshot, restore, continue: the same output as an uninterrupted run', () => {
    fc.assert(
      fc.property(steps(false), fc.nat(), fc.constantFrom(0, 10), (input, cut, lateness) => {
        const at = cut % input.length
        const make = () =>
          windowFactory<Ev, string, TimeWindow, Ev>(byKey, SlidingEventTimeWindows.of(20, 5), (ws) =>
            ws.allowedLateness(lateness).reduce((a, b) => ({ key: a.key, v: a.v + b.v })),
          )()
        const render = (v: Ev, ts: number) => `${v.key}:${v.v}@${ts}`
        const straight = runSteps(new KeyedOneInputStreamOperatorTestHarness(make(), byKey).open(), input, render)
        const first = new KeyedOneInputStreamOperatorTestHarness(make(), byKey).open()
        const before = runSteps(first, input.slice(0, at), render)
        const restored = new KeyedOneInputStreamOperatorTestHarness(make(), byKey, { restoreFrom: first.snapshot() }).open()
        // the watermark is not part of a snapshot (as in Flink): the input brings it again
        if (first.currentWatermark() > -Infinity) restored.processWatermark(first.currentWatermark())
        expect(restored.extractOutputValues()).toEqual([])
        const after = runSteps(restored, input.slice(at), render)
        expect([...before.outputs, ...after.outputs]).toEqual(straight.outputs)
      }),
      { numRuns: 150 },
    )
  })

  it('keeps no state or timers once every window is cleaned up', () => {
    const h = windowHarness(byKey, SlidingEventTimeWindows.of(20, 5), (ws) => ws.allowedLateness(7).reduce((a, b) => ({ key: a.key, v: a.v + b.v })))
    for (let i = 0; i < 100; i++) h.processElement({ key: `k${i % 3}`, v: 1 }, i * 3)
    h.processWatermark(1_000)
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  describe('sliding windows keep a key\'s slices in one ring', () => {
    const sum = (a: Ev, b: Ev): Ev => ({ key: a.key, v: a.v + b.v })
    const render = (v: Ev, ts: number) => `${v.key}:${v.v}@${ts}`
    const make = (slicing: boolean, lateness = 0) =>
      windowFactory<Ev, string, TimeWindow, Ev>(byKey, SlidingEventTimeWindows.of(10, 2), (ws) => {
        const c = ws.allowedLateness(lateness)
        if (!slicing) c.disableSlicing()
        return c.reduce(sum)
      })()
    const rings = (h: { snapshot(): { keyedState?: { keyGroups: readonly { states: readonly { name: string; entries: readonly { key: unknown; value: unknown }[] }[] }[] } | undefined } }) => {
      const out = new Map<string, SliceRing<Ev>>()
      for (const g of h.snapshot().keyedState?.keyGroups ?? [])
        for (const st of g.states) if (st.name === WINDOW_SLICE_RING) for (const e of st.entries) out.set(e.key as string, e.value as SliceRing<Ev>)
      return out
    }

    it('grows the ring for dense out-of-order data, keeps sparse far-apart slices aside, and restores both', () => {
      // 'a': 31 slices at once (a ring starts with 8 slots here); 'b': 3 slices that all want slot 0
      const input: Step[] = []
      for (let i = 0; i <= 30; i++) input.push({ kind: 'el', key: 'a', ts: ((i * 17) % 31) * 2, v: i + 1 })
      for (const ts of [0, 16, 32, 33]) input.push({ kind: 'el', key: 'b', ts, v: ts + 1 })
      const cut = input.length
      input.push({ kind: 'wm', t: 20 }, { kind: 'el', key: 'b', ts: 48, v: 5 }, { kind: 'el', key: 'a', ts: 19, v: 7 }, { kind: 'wm', t: 40 }, { kind: 'wm', t: Infinity })

      const straight = runSteps(new KeyedOneInputStreamOperatorTestHarness(make(true), byKey).open(), input, render)
      expect(straight).toEqual(runSteps(new KeyedOneInputStreamOperatorTestHarness(make(false), byKey).open(), input, render))

      const first = new KeyedOneInputStreamOperatorTestHarness(make(true), byKey).open()
      const before = runSteps(first, input.slice(0, cut), render)
      const r = rings(first)
      expect(r.get('a')!.starts.length).toBeGreaterThanOrEqual(32)
      expect(r.get('a')!.live).toBe(31)
      expect(r.get('a')!.more).toBeNull()
      expect(r.get('b')!.live).toBe(3)
      expect([...r.get('b')!.more!.keys()].sort()).toEqual([16, 32])
      const restored = new KeyedOneInputStreamOperatorTestHarness(make(true), byKey, { restoreFrom: first.snapshot() }).open()
      const after = runSteps(restored, input.slice(cut), render)
      expect([...before.outputs, ...after.outputs]).toEqual(straight.outputs)
      expect(restored.numKeyedStateEntries()).toBe(0)
    })

    it('gives the same results as the general operator on widely spread out-of-order input, across snapshot and restore', () => {
      fc.assert(
        fc.property(steps(false, ['a', 'b'], 600, 200), fc.nat(), fc.constantFrom(0, 7, 100), (input, cut, lateness) => {
          const at = cut % input.length
          const general = runSteps(new KeyedOneInputStreamOperatorTestHarness(make(false, lateness), byKey).open(), input, render)
          const first = new KeyedOneInputStreamOperatorTestHarness(make(true, lateness), byKey).open()
          const before = runSteps(first, input.slice(0, at), render)
          const restored = new KeyedOneInputStreamOperatorTestHarness(make(true, lateness), byKey, { restoreFrom: first.snapshot() }).open()
          if (first.currentWatermark() > -Infinity) restored.processWatermark(first.currentWatermark())
          const after = runSteps(restored, input.slice(at), render)
          expect([...before.outputs, ...after.outputs]).toEqual(general.outputs)
          expect(restored.numKeyedStateEntries()).toBe(0)
        }),
        { numRuns: 200 },
      )
    })
  })
})
