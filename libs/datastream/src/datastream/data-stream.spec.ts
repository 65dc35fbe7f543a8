import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  BroadcastProcessFunction,
  CoProcessFunction,
  KeyedBroadcastProcessFunction,
  KeyedCoProcessFunction,
  KeyedProcessFunction,
  MapStateDescriptor,
  OutputTag,
  ProcessFunction,
  ValueStateDescriptor,
  type Collector,
  type ValueState,
} from '@strom/process'
import {
  buildJobGraph,
  CollectionSource,
  CollectSink,
  ConfigError,
  DataGenSource,
  describeJobGraph,
  GraphError,
  WatermarkStrategy,
} from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import type { RuntimeExecutionMode } from '../environment/runtime-execution-mode.js'
import { TumblingEventTimeWindows } from '../windowing/tumbling-windows.js'
import type { DataStream, SingleOutputStreamOperator } from './data-stream.js'

interface Sale {
  readonly shop: string
  readonly item: number
  readonly amount: number
}

const env = (parallelism = 1, runtimeMode: RuntimeExecutionMode = 'STREAMING') =>
  StreamExecutionEnvironment.create({ parallelism, runtimeMode })

const byJson = <T>(xs: readonly T[]): T[] => [...xs].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))

/** Records a ProcessFunction saw with their subtask. */
class TagSubtask<T> extends ProcessFunction<T, { v: T; subtask: number }> {
  processElement(v: T, _ctx: ProcessFunction.Context, out: Collector<{ v: T; subtask: number }>): void {
    out.collect({ v, subtask: this.getRuntimeContext().getIndexOfThisSubtask() })
  }
}

describe('record-at-a-time transformations', () => {
  it('map, filter and flatMap compose and keep timestamps', async () => {
    const e = env(2)
    const sink = new CollectSink<string>()
    e.fromSource(
      CollectionSource.ofTimestamped([1, 2, 3, 4, 5].map((v) => ({ value: v, timestamp: v * 10 }))),
      WatermarkStrategy.noWatermarks(),
      'numbers',
    )
      .map((x) => x * 3)
      .filter((x) => x % 2 === 1)
      .flatMap((x: number, out: Collector<string>) => {
        out.collect(`${x}a`)
        out.collect(`${x}b`)
      })
      .sinkTo(sink)
    await e.execute()
    expect(byJson(sink.records.map((r) => [r.value, r.timestamp]))).toEqual(
      byJson([
        ['3a', 10],
        ['3b', 10],
        ['9a', 30],
        ['9b', 30],
        ['15a', 50],
        ['15b', 50],
      ]),
    )
  })

  it('executeAndCollect returns what the stream produced and the environment can run again', async () => {
    const e = env()
    expect(await e.fromElements(1, 2, 3).map((x) => x * 2).executeAndCollect()).toEqual([2, 4, 6])
    expect(await e.fromSequence(1, 4).executeAndCollect()).toEqual([1, 2, 3, 4])
  })

  it('a job without a sink is refused with a clear error', async () => {
    const e = env()
    e.fromElements(1).map((x) => x)
    await expect(e.execute('no-sink')).rejects.toThrow(/no sink/)
  })
})

describe('keyed rolling aggregations', () => {
  const sales = fc.array(
    fc.record({ shop: fc.constantFrom('a', 'b', 'c', 'd', 'e'), item: fc.integer({ min: 0, max: 9 }), amount: fc.integer({ min: -50, max: 50 }) }),
    { maxLength: 60 },
  )

  /** The running values per key that a rolling aggregation must emit, in input order per key. */
  const rolling = (xs: readonly Sale[], step: (acc: Sale, s: Sale) => Sale): Map<string, Sale[]> => {
    const acc = new Map<string, Sale>()
    const out = new Map<string, Sale[]>()
    for (const s of xs) {
      const prev = acc.get(s.shop)
      const next = prev === undefined ? s : step(prev, s)
      acc.set(s.shop, next)
      out.set(s.shop, [...(out.get(s.shop) ?? []), next])
    }
    return out
  }
  const perKey = (xs: readonly Sale[]): Map<string, Sale[]> => {
    const m = new Map<string, Sale[]>()
    for (const s of xs) m.set(s.shop, [...(m.get(s.shop) ?? []), s])
    return m
  }

  const cases: [string, (s: DataStream<Sale>) => SingleOutputStreamOperator<Sale>, (a: Sale, b: Sale) => Sale][] = [
    ['sum', (s) => s.keyBy((x: Sale) => x.shop).sum('amount'), (a, b) => ({ ...a, amount: a.amount + b.amount })],
    ['min', (s) => s.keyBy((x: Sale) => x.shop).min('amount'), (a, b) => (b.amount < a.amount ? { ...a, amount: b.amount } : a)],
    ['max', (s) => s.keyBy((x: Sale) => x.shop).max('amount'), (a, b) => (b.amount > a.amount ? { ...a, amount: b.amount } : a)],
    ['minBy', (s) => s.keyBy((x: Sale) => x.shop).minBy('amount'), (a, b) => (b.amount < a.amount ? b : a)],
    ['maxBy last', (s) => s.keyBy((x: Sale) => x.shop).maxBy('amount', false), (a, b) => (b.amount >= a.amount ? b : a)],
    ['reduce', (s) => s.keyBy((x: Sale) => x.shop).reduce((a, b) => ({ ...b, amount: a.amount * 2 + b.amount })), (a, b) => ({ ...b, amount: a.amount * 2 + b.amount })],
  ]

  for (const [name, build, step] of cases)
    it(`${name}: every parallelism emits the running values of a plain loop, and BATCH emits the last of them`, async () => {
      await fc.assert(
        fc.asyncProperty(sales, fc.constantFrom(1, 2, 4), async (xs, p) => {
          const expected = rolling(xs, step)
          const streamed = await build(env(p).fromCollection<Sale>(xs)).executeAndCollect()
          expect(perKey(streamed)).toEqual(expected)
          const batched = await build(env(p, "BATCH").fromCollection<Sale>(xs)).executeAndCollect()
          expect(byJson(batched)).toEqual(byJson([...expected.values()].map((v) => v[v.length - 1]!)))
        }),
        { numRuns: 15 },
      )
    })

  it('sum() without a field adds up a stream of numbers per key', async () => {
    const out = await env(2)
      .fromElements(1, 2, 3, 4, 5, 6)
      .keyBy((x) => x % 2)
      .sum()
      .executeAndCollect()
    expect(byJson(out)).toEqual(byJson([1, 4, 9, 2, 6, 12]))
  })
})

describe('process functions mix in at every level', () => {
  class CountAndAlert extends KeyedProcessFunction<string, Sale, string> {
    static readonly big = new OutputTag<Sale>('big')
    private count!: ValueState<number>
    override open(): void {
      this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count'))
    }
    processElement(s: Sale, ctx: KeyedProcessFunction.Context<string>, out: Collector<string>): void {
      const c = (this.count.value() ?? 0) + 1
      this.count.update(c)
      if (s.amount > 40) ctx.output(CountAndAlert.big, s)
      ctx.timerService().registerEventTimeTimer(100)
      out.collect(`${ctx.getCurrentKey()}#${c}`)
    }
    override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<string>): void {
      out.collect(`${ctx.getCurrentKey()} final ${this.count.value()} at ${ts}`)
    }
  }

  it('a keyed process function keeps state per key, fires timers at the end of input and sends side outputs', async () => {
    for (const mode of ['STREAMING', 'BATCH'] as const) {
      const e = env(2, mode)
      const sales: Sale[] = [
        { shop: 'a', item: 1, amount: 50 },
        { shop: 'b', item: 1, amount: 5 },
        { shop: 'a', item: 2, amount: 10 },
      ]
      const main = e.fromCollection(sales).keyBy((s) => s.shop).process(new CountAndAlert())
      const big = new CollectSink<Sale>()
      main.getSideOutput(CountAndAlert.big).sinkTo(big)
      const out = await main.executeAndCollect()
      expect(out.sort()).toEqual(['a final 2 at 100', 'a#1', 'a#2', 'b final 1 at 100', 'b#1'])
      expect(big.values).toEqual([sales[0]])
    }
  })

  it('assignTimestampsAndWatermarks mid-stream drives event-time timers', async () => {
    class FireAt extends KeyedProcessFunction<string, { k: string; t: number }, string> {
      processElement(v: { k: string; t: number }, ctx: KeyedProcessFunction.Context<string>): void {
        ctx.timerService().registerEventTimeTimer(v.t + 10)
      }
      override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<string>): void {
        out.collect(`${ctx.getCurrentKey()}@${ts} wm=${ctx.timerService().currentWatermark()}`)
      }
    }
    const out = await env(1)
      .fromElements({ k: 'x', t: 5 }, { k: 'y', t: 20 }, { k: 'x', t: 40 })
      .assignTimestampsAndWatermarks(
        WatermarkStrategy.forGenerator<{ k: string; t: number }>(() => ({
          onEvent: (_e, ts, o) => o.emitWatermark(ts),
          onPeriodicEmit: () => {},
        })).withTimestampAssigner((v) => v.t),
      )
      .keyBy((v) => v.k)
      .process(new FireAt())
      .executeAndCollect()
    // the timer at 15 fires on the watermark 20, the one at 30 on 40, the one at 50 at the end
    expect(out).toEqual(['x@15 wm=20', 'y@30 wm=40', 'x@50 wm=Infinity'])
  })
})

describe('several streams', () => {
  it('union merges streams, also of different parallelism', async () => {
    const e = env(2)
    const a = e.fromElements(1, 2, 3)
    const b = e.fromSequence(10, 12)
    const c = e.fromElements(100).map((x) => x + 1)
    expect((await a.union(b, c).map((x) => x).executeAndCollect()).sort((x, y) => x - y)).toEqual([1, 2, 3, 10, 11, 12, 101])
  })

  it('connect: co-map and co-flatMap see both inputs', async () => {
    const e = env(2)
    const nums = e.fromElements(1, 2)
    const words = e.fromElements('x', 'yy')
    const mapped = await nums.connect(words).map((n) => `n${n}`, (w) => `w${w.length}`).executeAndCollect()
    expect(mapped.sort()).toEqual(['n1', 'n2', 'w1', 'w2'])
    const flat = await e
      .fromElements(3)
      .connect(e.fromElements('ab'))
      .flatMap(
        (n: number, out: Collector<string>) => {
          for (let i = 0; i < n; i++) out.collect('n')
        },
        (w: string, out: Collector<string>) => {
          for (const ch of w) out.collect(ch)
        },
      )
      .executeAndCollect()
    expect(flat.sort()).toEqual(['a', 'b', 'n', 'n', 'n'])
  })

  it('connected keyed streams share keyed state between the inputs', async () => {
    class Enrich extends KeyedCoProcessFunction<string, { user: string; click: string }, { user: string; name: string }, string> {
      private name!: ValueState<string>
      override open(): void {
        this.name = this.getRuntimeContext().getState(new ValueStateDescriptor<string>('name'))
      }
      processElement1(c: { user: string; click: string }, _ctx: KeyedCoProcessFunction.Context<string>, out: Collector<string>): void {
        out.collect(`${this.name.value() ?? '?'}:${c.click}`)
      }
      processElement2(p: { user: string; name: string }): void {
        this.name.update(p.name)
      }
    }
    const e = env(4)
    // profiles first: one source subtask reads them before clicks are produced by the sequence below
    const profiles = e.fromElements({ user: 'u1', name: 'Ann' }, { user: 'u2', name: 'Bob' })
    const clicks = e.fromElements({ user: 'u1', click: 'c1' }, { user: 'u2', click: 'c2' }, { user: 'u3', click: 'c3' })
    const joined = clicks.keyBy((c) => c.user).connect(profiles.keyBy((p) => p.user)).process(new Enrich())
    const out = await joined.executeAndCollect()
    expect(out).toHaveLength(3)
    for (const line of out) expect(line).toMatch(/^(Ann:c1|\?:c1|Bob:c2|\?:c2|\?:c3)$/)
    expect(() =>
      e.fromElements(1).connect(e.fromElements(2)).process(new (class extends KeyedCoProcessFunction<string, number, number, number> {
        processElement1(): void {}
        processElement2(): void {}
      })()),
    ).toThrow(ConfigError)
    e.transformations.length = 0
  })

  it('a non-keyed CoProcessFunction sees both inputs with their timestamps', async () => {
    class Both extends CoProcessFunction<number, string, string> {
      processElement1(v: number, _ctx: CoProcessFunction.Context, out: Collector<string>): void {
        out.collect(`n${v}`)
      }
      processElement2(v: string, _ctx: CoProcessFunction.Context, out: Collector<string>): void {
        out.collect(`s${v}`)
      }
    }
    const e = env(1)
    expect((await e.fromElements(1).connect(e.fromElements('z')).process(new Both()).executeAndCollect()).sort()).toEqual(['n1', 'sz'])
  })

  it('broadcast state reaches every subtask of a keyed and of a non-keyed stream', async () => {
    const rules = new MapStateDescriptor<string, number>('rules')
    class Keyed extends KeyedBroadcastProcessFunction<string, Sale, { name: string; limit: number }, string> {
      processElement(s: Sale, ctx: KeyedBroadcastProcessFunction.ReadOnlyContext<string>, out: Collector<string>): void {
        const limit = ctx.getBroadcastState(rules).get('limit')
        out.collect(`${s.shop}:${limit === undefined ? 'none' : s.amount > limit}`)
      }
      processBroadcastElement(r: { name: string; limit: number }, ctx: KeyedBroadcastProcessFunction.Context<string>): void {
        ctx.getBroadcastState(rules).put(r.name, r.limit)
      }
    }
    class Plain extends BroadcastProcessFunction<number, { name: string; limit: number }, number> {
      processElement(): void {}
      processBroadcastElement(r: { name: string; limit: number }, ctx: BroadcastProcessFunction.Context, out: Collector<number>): void {
        ctx.getBroadcastState(rules).put(r.name, r.limit)
        out.collect(this.getRuntimeContext().getIndexOfThisSubtask())
      }
    }
    const e = env(3)
    const ruleStream = e.fromElements({ name: 'limit', limit: 10 }).broadcast(rules)
    const sales = e.fromElements<Sale>({ shop: 'a', item: 1, amount: 20 }).keyBy((s) => s.shop)
    const keyed = await sales.connect(ruleStream).process(new Keyed()).executeAndCollect()
    expect(keyed).toHaveLength(1)
    expect(keyed[0]).toMatch(/^a:(true|none)$/)
    const subtasks = await e.fromSequence(1, 3).connect(e.fromElements({ name: 'limit', limit: 1 }).broadcast(rules)).process(new Plain()).executeAndCollect()
    expect(subtasks.sort()).toEqual([0, 1, 2])
  })
})

describe('partitioning', () => {
  const subtasksOf = async (build: (s: DataStream<number>) => DataStream<number>): Promise<Map<number, number[]>> => {
    const out = await build(env(3).fromSequence(0, 29)).process(new TagSubtask<number>()).executeAndCollect()
    const m = new Map<number, number[]>()
    for (const { v, subtask } of out) m.set(subtask, [...(m.get(subtask) ?? []), v])
    return m
  }

  it('global sends everything to subtask 0; broadcast to every subtask', async () => {
    expect([...(await subtasksOf((s) => s.global())).keys()]).toEqual([0])
    const b = await subtasksOf((s) => s.broadcast())
    expect([...b.keys()].sort()).toEqual([0, 1, 2])
    for (const vs of b.values()) expect(vs.sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i))
  })

  it('rebalance spreads evenly; partitionCustom follows the function; keyBy keeps each key on one subtask', async () => {
    const r = await subtasksOf((s) => s.rebalance())
    expect([...r.values()].map((v) => v.length).sort()).toEqual([10, 10, 10])
    const c = await subtasksOf((s) => s.partitionCustom((k: number, n: number) => k % n, (x: number) => x))
    for (const [subtask, vs] of c) for (const v of vs) expect(v % 3).toBe(subtask)
    const k = await subtasksOf((s) => s.keyBy((x: number) => x % 5))
    const home = new Map<number, number>()
    for (const [subtask, vs] of k)
      for (const v of vs) {
        expect(home.get(v % 5) ?? subtask).toBe(subtask)
        home.set(v % 5, subtask)
      }
    const sh = await subtasksOf((s) => s.shuffle())
    expect([...sh.values()].flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, i) => i))
    const rs = await subtasksOf((s) => s.rescale())
    expect([...rs.values()].flat()).toHaveLength(30)
  })
})

describe('operator settings and the job graph', () => {
  it('names, uids, parallelism and chaining reach the graph', () => {
    const e = env(2)
    const src = e.fromSequence(1, 10).name('numbers').uid('numbers-uid')
    const doubled = src.map((x) => x * 2).name('double').uid('double-uid')
    const filtered = doubled.filter((x) => x > 4).name('big').disableChaining()
    filtered.map((x) => x).name('tail').startNewChain().setParallelism(1).print().name('out')
    const graph = e.getStreamGraph('settings')
    expect(graph.nodes.map((n) => [n.name, n.parallelism, n.chaining, n.uid])).toEqual([
      ['numbers', 2, 'always', 'numbers-uid'],
      ['double', 2, 'always', 'double-uid'],
      ['big', 2, 'never', undefined],
      ['tail', 1, 'head', undefined],
      ['out', 2, 'always', undefined],
    ])
    const described = describeJobGraph(buildJobGraph(graph))
    expect(described).toContain('numbers -> double')
    expect(graph.edges.map((x) => x.partitioner.kind)).toEqual(['forward', 'forward', 'rebalance', 'rebalance'])
  })

  it('a forward edge between different parallelisms is reported when the job is built', async () => {
    const e = env(2)
    e.fromSequence(1, 3).forward().map((x) => x).setParallelism(1).print()
    await expect(e.execute()).rejects.toThrow(GraphError)
  })

  it('bad settings fail at once with a message naming them', () => {
    const e = env()
    expect(() => e.fromElements(1).map((x) => x).setParallelism(0)).toThrow(/positive integer/)
    expect(() => StreamExecutionEnvironment.create({ parallelism: -1 })).toThrow(ConfigError)
    expect(() => e.setRuntimeMode('FAST' as RuntimeExecutionMode)).toThrow(/Unknown runtime mode 'FAST'/)
    expect(() => e.fromElements(1).setParallelism(2)).toThrow(/fixed at 1/)
  })
})

describe('runtime modes', () => {
  it('AUTOMATIC is BATCH for bounded sources and STREAMING otherwise; BATCH refuses unbounded sources', () => {
    const bounded = env(1, 'AUTOMATIC')
    bounded.fromElements(1).print()
    expect(bounded.effectiveRuntimeMode()).toBe('BATCH')
    const unbounded = env(1, 'AUTOMATIC')
    unbounded.fromSource(DataGenSource.of((i) => i), WatermarkStrategy.noWatermarks(), 'endless').print()
    expect(unbounded.effectiveRuntimeMode()).toBe('STREAMING')
    unbounded.setRuntimeMode('BATCH')
    expect(() => unbounded.effectiveRuntimeMode()).toThrow(/source 'endless' is unbounded/)
  })

  it('BATCH keeps the timestamps of the strategy’s assigner: event-time windows give STREAMING’s results', async () => {
    const run = (mode: RuntimeExecutionMode): Promise<number[]> =>
      env(1, mode)
        .fromSource(CollectionSource.of([1, 2, 3, 11, 25]), WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((x) => x * 1000), 'numbers')
        .keyBy(() => 0)
        .window(TumblingEventTimeWindows.of(10_000))
        .reduce((a, b) => a + b)
        .executeAndCollect()
    expect(await run('STREAMING')).toEqual([6, 11, 25])
    expect(await run('BATCH')).toEqual([6, 11, 25])
  })

  it('BATCH makes no watermarks before the end of input; STREAMING does', async () => {
    class Watermarks extends ProcessFunction<number, number> {
      processElement(_v: number, ctx: ProcessFunction.Context, out: Collector<number>): void {
        out.collect(ctx.timerService().currentWatermark())
      }
    }
    const run = (mode: RuntimeExecutionMode) => {
      const e = env(1, mode)
      return e
        .fromSource(
          CollectionSource.ofTimestamped([1, 2, 3].map((v) => ({ value: v, timestamp: v * 100 }))),
          WatermarkStrategy.forGenerator<number>(() => ({ onEvent: (_e, ts, o) => o.emitWatermark(ts), onPeriodicEmit: () => {} })),
          'timed',
        )
        .process(new Watermarks())
        .executeAndCollect()
    }
    expect(await run('STREAMING')).toEqual([Number.NEGATIVE_INFINITY, 100, 200])
    expect(await run('BATCH')).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY])
  })

  it('BATCH fires pending processing-time timers at the end of input, in order, before finishing', async () => {
    class Later extends KeyedProcessFunction<string, string, string> {
      private again = true
      processElement(v: string, ctx: KeyedProcessFunction.Context<string>): void {
        const now = ctx.timerService().currentProcessingTime()
        ctx.timerService().registerProcessingTimeTimer(now + (v === 'a' ? 3_600_000 : 7_200_000))
      }
      override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<string>): void {
        out.collect(`${ctx.getCurrentKey()}:${ctx.timeDomain()}`)
        // a timer registered while firing, before the latest pending one, fires too
        if (ctx.getCurrentKey() === 'a' && this.again) {
          this.again = false
          ctx.timerService().registerProcessingTimeTimer(ts + 1)
        }
      }
    }
    const run = (mode: RuntimeExecutionMode) => env(1, mode).fromElements('b', 'a').keyBy((v) => v).process(new Later()).executeAndCollect()
    expect(await run('BATCH')).toEqual(['a:PROCESSING_TIME', 'a:PROCESSING_TIME', 'b:PROCESSING_TIME'])
    // STREAMING ends with the input: processing time has not reached the timers, so none fires
    expect(await run('STREAMING')).toEqual([])
  })
})

describe('assignTimestampsAndWatermarks order', () => {
  it('passes the record on before the watermark it causes, so that record is not late', async () => {
    const { TumblingEventTimeWindows } = await import('../windowing/tumbling-windows.js')
    const out = await StreamExecutionEnvironment.create()
      .fromElements(9, 19, 29) // each the last ms of its window
      .assignTimestampsAndWatermarks(
        // a watermark equal to each record's timestamp, right after it
        WatermarkStrategy.forGenerator<number>(() => ({ onEvent: (_e, ts, o) => o.emitWatermark(ts), onPeriodicEmit: () => {} })).withTimestampAssigner(
          (v) => v,
        ),
      )
      .windowAll(TumblingEventTimeWindows.of(10))
      .sum()
      .executeAndCollect()
    expect(out).toEqual([9, 19, 29])
  })
})

describe('executeAndCollect with a limit', () => {
  it('takes the first records of an unbounded stream and cancels the job', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const firsts = await env
      .fromSource(DataGenSource.of((i) => i, { rowsPerSecond: 50_000 }), WatermarkStrategy.noWatermarks(), 'endless')
      .map((i) => i * 2)
      .executeAndCollect({ limit: 100 })
    expect(firsts).toHaveLength(100)
    for (const x of firsts) expect(x % 2).toBe(0)
    expect(new Set(firsts).size).toBe(100)
  })

  it('returns everything when a bounded stream ends first, and refuses a bad limit', async () => {
    expect(await StreamExecutionEnvironment.create().fromElements(1, 2, 3).executeAndCollect({ limit: 10 })).toEqual([1, 2, 3])
    expect(await StreamExecutionEnvironment.create().fromElements(1, 2, 3).executeAndCollect({ limit: 2 })).toEqual([1, 2])
    await expect(StreamExecutionEnvironment.create().fromElements(1).executeAndCollect({ limit: -1 })).rejects.toThrow(/limit/)
  })
})
