// Every window type and trigger against a brute-force model of Flink's semantics, on random,
// out-of-order inputs with random watermarks (or processing-time clock moves): what fires at
// each step, with what contents, and which elements are late.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { OutputTag, type Collector } from '@strom/runtime'
import { ContinuousEventTimeTrigger } from './continuous-triggers.js'
import { PurgingTrigger } from './purging-trigger.js'
import { EventTimeSessionWindows, ProcessingTimeSessionWindows } from './session-windows.js'
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from './sliding-windows.js'
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from './tumbling-windows.js'
import type { WindowAssigner } from './window-assigner.js'
import { ProcessWindowFunction, type WindowAggregateFunction } from './window-functions.js'
import { WindowedStream } from './windowed-stream.js'
import type { GlobalWindow, TimeWindow, Window } from './windows.js'
import {
  countModel,
  monotone,
  renderFiring,
  renderSum,
  runSteps,
  timeModel,
  windowHarness,
  type Ev,
  type Firing,
  type Step,
  type TimeModelConfig,
} from './windows.fixture.js'

const RUNS = Number(process.env['STROM_PROPERTY_RUNS'] ?? 120)
const byKey = (e: Ev): string => e.key
const sum = (a: Ev, b: Ev): Ev => ({ key: a.key, v: a.v + b.v })
const late = new OutputTag<Ev>('late')

/** A sum whose `add` and `merge` change the accumulator they get (allowed for the first argument). */
const sumAgg: WindowAggregateFunction<Ev, { key: string; sum: number }, { key: string; sum: number }> = {
  createAccumulator: () => ({ key: '', sum: 0 }),
  add: (e, acc) => {
    acc.key = e.key
    acc.sum += e.v
    return acc
  },
  getResult: (acc) => ({ key: acc.key, sum: acc.sum }),
  merge: (a, b) => {
    a.key = a.key === '' ? b.key : a.key
    a.sum += b.sum
    return a
  },
}

class Describe<W extends Window> extends ProcessWindowFunction<Ev, string, string, W> {
  process(key: string, ctx: ProcessWindowFunction.Context<W>, els: Iterable<Ev>, out: Collector<string>): void {
    const w = ctx.window as unknown as TimeWindow
    const vs = [...els].map((e) => e.v).sort((a, b) => a - b)
    out.collect(`${key}|${w.start ?? 0}|${w.end ?? 0}|${vs.join(',')}`)
  }
}

/** Emits the pre-aggregated sum with the window's maxTimestamp, like a plain reduce. */
class SumWithWindow extends ProcessWindowFunction<Ev, string, string, TimeWindow> {
  process(key: string, ctx: ProcessWindowFunction.Context<TimeWindow>, els: Iterable<Ev>, out: Collector<string>): void {
    const only = [...els]
    if (only.length !== 1) throw new Error('a pre-aggregated window gives one element')
    out.collect(`${key}|${ctx.window.maxTimestamp()}|${only[0]!.v}`)
  }
}

const renderEv = (e: Ev, ts: number): string => `${e.key}|${ts}|${e.v}`
const renderAgg = (r: { key: string; sum: number }, ts: number): string => `${r.key}|${ts}|${r.sum}`
const renderString = (s: string): string => s

const key = fc.constantFrom('a', 'b', 'c')
const eventSteps = (maxTs = 120): fc.Arbitrary<Step[]> =>
  fc
    .array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('el' as const), key, ts: fc.integer({ min: 0, max: maxTs }), v: fc.integer({ min: 1, max: 9 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('wm' as const), t: fc.integer({ min: -5, max: maxTs + 20 }) }) },
      ),
      { maxLength: 60 },
    )
    .map((s) => [...monotone(s), { kind: 'wm' as const, t: Infinity }])
const clockSteps = (): fc.Arbitrary<Step[]> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('el' as const), key, ts: fc.constant(0), v: fc.integer({ min: 1, max: 9 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('clock' as const), t: fc.integer({ min: 0, max: 150 }) }) },
      ),
      { maxLength: 60 },
    )
    .map((s) => [...monotone(s), { kind: 'clock' as const, t: 10_000 }])

type Fn = 'reduce' | 'aggregate' | 'reduce+process' | 'aggregate+process' | 'process' | 'apply'
const fns: Fn[] = ['reduce', 'aggregate', 'reduce+process', 'aggregate+process', 'process', 'apply']

/** Runs a window with one of the window functions; renders the output like the model's firings. */
const runWindow = <W extends Window>(
  assigner: WindowAssigner<Ev, W>,
  fn: Fn,
  steps: readonly Step[],
  configure: (ws: WindowedStream<Ev, string, W>) => WindowedStream<Ev, string, W>,
): { outputs: string[][]; late: string[] } => {
  switch (fn) {
    case 'reduce':
      return runSteps(windowHarness(byKey, assigner, (ws) => configure(ws).reduce(sum)), steps, renderEv, late)
    case 'aggregate':
      return runSteps(windowHarness(byKey, assigner, (ws) => configure(ws).aggregate(sumAgg)), steps, renderAgg, late)
    case 'reduce+process':
      return runSteps(
        windowHarness(byKey, assigner, (ws) => configure(ws).reduce(sum, new SumWithWindow() as unknown as ProcessWindowFunction<Ev, string, string, W>)),
        steps,
        renderString,
        late,
      )
    case 'aggregate+process':
      return runSteps(
        windowHarness(byKey, assigner, (ws) =>
          configure(ws).aggregate(sumAgg, (k: string, w: W, input: Iterable<{ key: string; sum: number }>, out: Collector<string>) => {
            for (const r of input) out.collect(`${k}|${w.maxTimestamp()}|${r.sum}`)
          }),
        ),
        steps,
        renderString,
        late,
      )
    case 'process':
      return runSteps(windowHarness(byKey, assigner, (ws) => configure(ws).process(new Describe<W>())), steps, renderString, late)
    case 'apply':
      return runSteps(
        windowHarness(byKey, assigner, (ws) =>
          configure(ws).apply((k: string, w: W, els: Iterable<Ev>, out: Collector<string>) => {
            const t = w as unknown as TimeWindow
            out.collect(`${k}|${t.start ?? 0}|${t.end ?? 0}|${[...els].map((e) => e.v).sort((a, b) => a - b).join(',')}`)
          }),
        ),
        steps,
        renderString,
        late,
      )
  }
}

const expected = (fn: Fn, model: { outputs: Firing[][]; late: string[] }): { outputs: string[][]; late: string[] } => ({
  outputs: model.outputs.map((fs) => fs.map(fn === 'process' || fn === 'apply' ? renderFiring : renderSum).sort()),
  late: model.late,
})

const checkTime = <W extends Window>(
  steps: Step[],
  fn: Fn,
  assigner: WindowAssigner<Ev, W>,
  cfg: TimeModelConfig,
  configure: (ws: WindowedStream<Ev, string, W>) => WindowedStream<Ev, string, W> = (ws) => ws,
): void => {
  const got = runWindow(assigner, fn, steps, (ws) => configure(ws.allowedLateness(cfg.lateness).sideOutputLateData(late)))
  const want = expected(fn, timeModel(steps, cfg))
  expect(got.outputs).toEqual(want.outputs)
  expect(got.late).toEqual(want.late)
}

describe('windows against a brute-force model (random out-of-order input, random watermarks)', () => {
  it('tumbling event-time windows, every window function, with and without allowed lateness', () => {
    fc.assert(
      fc.property(eventSteps(), fc.constantFrom(...fns), fc.constantFrom(5, 7, 10), fc.constantFrom(0, 3, 12), (steps, fn, size, lateness) => {
        checkTime(steps, fn, TumblingEventTimeWindows.of(size), { time: 'event', windows: { size, slide: size }, lateness })
      }),
      { numRuns: RUNS },
    )
  })

  it('sliding event-time windows (sliced and general), every window function, with and without lateness', () => {
    fc.assert(
      fc.property(
        eventSteps(),
        fc.constantFrom(...fns),
        fc.constantFrom<[number, number]>([10, 5], [10, 4], [9, 3], [6, 6], [5, 8]),
        fc.constantFrom(0, 3, 12),
        (steps, fn, [size, slide], lateness) => {
          checkTime(steps, fn, SlidingEventTimeWindows.of(size, slide), { time: 'event', windows: { size, slide }, lateness })
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('event-time session windows, with and without lateness (late elements can bridge sessions)', () => {
    fc.assert(
      fc.property(eventSteps(60), fc.constantFrom<Fn>('reduce', 'aggregate', 'process', 'apply'), fc.integer({ min: 1, max: 6 }), fc.constantFrom(0, 4, 15), (steps, fn, gap, lateness) => {
        checkTime(steps, fn, EventTimeSessionWindows.withGap(gap), { time: 'event', windows: { gap }, lateness })
      }),
      { numRuns: RUNS },
    )
  })

  it('continuous event-time trigger on tumbling windows (early firings), plain and purging', () => {
    fc.assert(
      fc.property(eventSteps(), fc.constantFrom(10, 12), fc.constantFrom(3, 4, 20), fc.boolean(), (steps, size, interval, purging) => {
        const trigger = ContinuousEventTimeTrigger.of<TimeWindow>(interval)
        const got = runWindow(TumblingEventTimeWindows.of(size), 'process', steps, (ws) =>
          ws.sideOutputLateData(late).trigger(purging ? PurgingTrigger.of(trigger) : trigger),
        )
        const want = timeModel(steps, { time: 'event', windows: { size, slide: size }, lateness: 0, continuous: interval, purge: purging })
        expect(got.outputs).toEqual(expected('process', want).outputs)
        expect(got.late).toEqual(want.late)
      }),
      { numRuns: RUNS },
    )
  })

  it('processing-time tumbling, sliding and session windows on a manual clock', () => {
    fc.assert(
      fc.property(
        clockSteps(),
        fc.constantFrom<Fn>('reduce', 'aggregate', 'process'),
        fc.constantFrom<[string, number, number]>(['tumbling', 10, 10], ['sliding', 10, 5], ['sliding', 9, 3], ['session', 4, 0]),
        (steps, fn, [kind, a, b]) => {
          const assigner =
            kind === 'tumbling'
              ? TumblingProcessingTimeWindows.of(a)
              : kind === 'sliding'
                ? SlidingProcessingTimeWindows.of(a, b)
                : ProcessingTimeSessionWindows.withGap(a)
          const windows = kind === 'session' ? { gap: a } : { size: a, slide: b }
          const got = runWindow(assigner as WindowAssigner<Ev, TimeWindow>, fn, steps, (ws) => ws)
          expect(got.outputs).toEqual(expected(fn, timeModel(steps, { time: 'processing', windows, lateness: 0 })).outputs)
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('count windows, tumbling (purging count trigger) and sliding (count evictor + count trigger)', () => {
    fc.assert(
      fc.property(eventSteps(), fc.integer({ min: 1, max: 5 }), fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }), fc.constantFrom<Fn>('reduce', 'process'), (steps, size, slide, fn) => {
        const h = windowHarness<Ev, string, GlobalWindow, string>(byKey, { toString: () => 'count' } as never, (ws) => {
          const cw = WindowedStream.countWindow(ws.input, size, slide)
          return fn === 'process'
            ? cw.process(new Describe<GlobalWindow>())
            : cw.reduce(sum, (k: string, _w: GlobalWindow, els: Iterable<Ev>, out: Collector<string>) => {
                for (const e of els) out.collect(`${k}|-1|${e.v}`)
              })
        })
        const got = runSteps(h, steps, renderString)
        const want = countModel(steps, size, slide).map((fs) => fs.map(fn === 'process' ? renderFiring : renderSum).sort())
        expect(got.outputs).toEqual(want)
      }),
      { numRuns: RUNS },
    )
  })
})
