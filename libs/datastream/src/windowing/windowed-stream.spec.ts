import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CollectionSource, CollectSink, OutputTag, WatermarkStrategy, type Collector } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import type { RuntimeExecutionMode } from '../environment/runtime-execution-mode.js'
import { AllWindowedStream } from './all-windowed-stream.js'
import { EventTimeSessionWindows } from './session-windows.js'
import { SlidingEventTimeWindows } from './sliding-windows.js'
import { TumblingEventTimeWindows } from './tumbling-windows.js'
import type { WindowAssigner } from './window-assigner.js'
import { ProcessAllWindowFunction, ProcessWindowFunction, type WindowAggregateFunction } from './window-functions.js'
import { WindowedStream } from './windowed-stream.js'
import type { GlobalWindow, TimeWindow } from './windows.js'
import { renderFiring, renderSum, timeModel, type Ev, type Step } from './windows.fixture.js'

interface TsEv extends Ev {
  readonly ts: number
}

const byKey = (e: TsEv): string => e.key
const sumAgg: WindowAggregateFunction<TsEv, { key: string; sum: number }, string> = {
  createAccumulator: () => ({ key: '', sum: 0 }),
  add: (e, acc) => ({ key: e.key, sum: acc.sum + e.v }),
  getResult: (acc) => acc.key + '|' + acc.sum,
  merge: (a, b) => ({ key: a.key || b.key, sum: a.sum + b.sum }),
}

class Describe extends ProcessWindowFunction<TsEv, string, string, TimeWindow> {
  process(key: string, ctx: ProcessWindowFunction.Context<TimeWindow>, els: Iterable<TsEv>, out: Collector<string>): void {
    out.collect(`${key}|${ctx.window.start}|${ctx.window.end}|${[...els].map((e) => e.v).sort((a, b) => a - b).join(',')}`)
  }
}

const source = (env: StreamExecutionEnvironment, events: readonly TsEv[], outOfOrderness = 100_000) =>
  env.fromSource(
    CollectionSource.ofTimestamped(events.map((e) => ({ value: e, timestamp: e.ts }))),
    WatermarkStrategy.forBoundedOutOfOrderness<TsEv>(outOfOrderness),
    'events',
  )

describe('windows in jobs (executeAndCollect)', () => {
  it('any parallelism and BATCH or STREAMING give the brute-force results', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e'), ts: fc.integer({ min: 0, max: 200 }), v: fc.integer({ min: 1, max: 9 }) }), { maxLength: 40 }),
        fc.constantFrom(1, 2, 4),
        fc.constantFrom<RuntimeExecutionMode>('STREAMING', 'BATCH'),
        fc.constantFrom('tumbling', 'sliding', 'session'),
        fc.constantFrom('reduce', 'aggregate', 'process'),
        async (events, parallelism, runtimeMode, kind, fn) => {
          const env = StreamExecutionEnvironment.create({ parallelism, runtimeMode })
          const assigner = (kind === 'tumbling'
            ? TumblingEventTimeWindows.of(10)
            : kind === 'sliding'
              ? SlidingEventTimeWindows.of(20, 5)
              : EventTimeSessionWindows.withGap(4)) as WindowAssigner<TsEv, TimeWindow>
          const ws = source(env, events).keyBy(byKey).window(assigner)
          const got =
            fn === 'reduce'
              ? (await ws.reduce((a, b) => ({ key: a.key, ts: a.ts, v: a.v + b.v }), (k: string, w: TimeWindow, it: Iterable<TsEv>, out: Collector<string>) => {
                  for (const e of it) out.collect(`${k}|${w.maxTimestamp()}|${e.v}`)
                }).executeAndCollect())
              : fn === 'aggregate'
                ? (await ws.aggregate(sumAgg, (_k: string, w: TimeWindow, it: Iterable<string>, out: Collector<string>) => {
                    for (const r of it) out.collect(`${r.split('|')[0]}|${w.maxTimestamp()}|${r.split('|')[1]}`)
                  }).executeAndCollect())
                : await ws.process(new Describe()).executeAndCollect()
          const steps: Step[] = [...events.map((e) => ({ kind: 'el' as const, ...e })), { kind: 'wm', t: Infinity }]
          const windows = kind === 'session' ? { gap: 4 } : kind === 'tumbling' ? { size: 10, slide: 10 } : { size: 20, slide: 5 }
          const model = timeModel(steps, { time: 'event', windows, lateness: 0 }).outputs.flat()
          expect(got.sort()).toEqual(model.map(fn === 'process' ? renderFiring : renderSum).sort())
        },
      ),
      { numRuns: 25 },
    )
  })

  it('late data goes to the side output, in a job with a watermark per element', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 })
    const late = new OutputTag<TsEv>('late')
    const events: TsEv[] = [
      { key: 'a', ts: 1, v: 1 },
      { key: 'a', ts: 12, v: 2 }, // watermark 12: [0,10) fires
      { key: 'a', ts: 3, v: 3 }, // late
      { key: 'a', ts: 14, v: 4 },
    ]
    const perElement = WatermarkStrategy.forGenerator<TsEv>(() => ({
      onEvent: (_e, ts, out) => out.emitWatermark(ts),
      onPeriodicEmit: () => {},
    }))
    const windowed = env
      .fromSource(CollectionSource.ofTimestamped(events.map((e) => ({ value: e, timestamp: e.ts }))), perElement, 'events')
      .keyBy(byKey)
      .window(TumblingEventTimeWindows.of(10))
      .sideOutputLateData(late)
      .reduce((a, b) => ({ key: a.key, ts: a.ts, v: a.v + b.v }))
    const lateSink = new CollectSink<TsEv>()
    windowed.getSideOutput(late).sinkTo(lateSink)
    const main = await windowed.executeAndCollect()
    expect(main.map((e) => e.v).sort()).toEqual([1, 6])
    expect(lateSink.values).toEqual([{ key: 'a', ts: 3, v: 3 }])
  })

  it('windowAll runs one subtask over the whole stream, at any parallelism', async () => {
    for (const parallelism of [1, 3]) {
      const env = StreamExecutionEnvironment.create({ parallelism })
      const events: TsEv[] = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 4}`, ts: i, v: i }))
      const out = new AllWindowedStream(source(env, events), TumblingEventTimeWindows.of(10)).process(
        new (class extends ProcessAllWindowFunction<TsEv, string, TimeWindow> {
          process(ctx: ProcessAllWindowFunction.Context<TimeWindow>, els: Iterable<TsEv>, o: Collector<string>): void {
            o.collect(`${ctx.window.start}:${[...els].reduce((s, e) => s + e.v, 0)}:${this.getRuntimeContext().getNumberOfParallelSubtasks()}`)
          }
        })(),
      )
      expect(out.getParallelism()).toBe(1)
      expect((await out.executeAndCollect()).sort()).toEqual(['0:45:1', '10:145:1', '20:245:1'])
    }
  })

  it('count windows and countWindowAll', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const events: TsEv[] = Array.from({ length: 10 }, (_, i) => ({ key: i % 2 === 0 ? 'even' : 'odd', ts: i, v: i }))
    const perKey = await WindowedStream.countWindow(source(env, events).keyBy(byKey), 2)
      .reduce((a, b) => ({ ...a, v: a.v + b.v }))
      .executeAndCollect()
    expect(perKey.map((e) => `${e.key}:${e.v}`).sort()).toEqual(['even:10', 'even:2', 'odd:12', 'odd:4'].sort())
    const env2 = StreamExecutionEnvironment.create({ parallelism: 1 })
    const sliding = await AllWindowedStream.countWindowAll(env2.fromCollection([1, 2, 3, 4, 5, 6]), 3, 2)
      .apply((_w: GlobalWindow, els: Iterable<number>, out: Collector<string>) => out.collect([...els].join(',')))
      .executeAndCollect()
    expect(sliding).toEqual(['1,2', '2,3,4', '4,5,6'])
  })
})
