// Jobs for the recovery tests. Worker threads import this module to rebuild the same graphs, so it
// only defines jobs at top level.
import { existsSync, writeFileSync } from 'node:fs'
import {
  DataGenSource,
  Duration,
  FileSink,
  JsonLinesEncoder,
  KeyedProcessFunction,
  OnCheckpointRollingPolicy,
  ProcessFunction,
  RestartStrategies,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  WatermarkStrategy,
  type CheckpointListener,
  type Collector,
  type ValueState,
} from '../index.js'
import { defineStreamJob } from '../environment/define-stream-job.js'
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import type { DataStream } from '../datastream/data-stream.js'

export const N = 6000

/** Event i; a bounded datagen at parallelism 2 reads [0, N/2) and [N/2, N), and a key's events all come from one half. */
export interface Ev {
  readonly key: string
  readonly amount: number
  readonly ts: number
}
export const ev = (i: number): Ev => ({ key: `${i < N / 2 ? 'a' : 'b'}${i % 7}`, amount: (i % 5) + 1, ts: (i % (N / 2)) * 10 })

/** Results: window sums, running sums per key (keyed state), and event-time timer firings. */
export type Out = string

/** Throws once, in the whole process, after a checkpoint completed and `after` more records passed. */
export class FailAfterCheckpoint<T> extends ProcessFunction<T, T> implements CheckpointListener {
  static armed = false
  static failures = 0
  private seen = 0
  constructor(
    private readonly after: number,
    private readonly marker?: string,
  ) {
    super()
  }
  processElement(value: T, _ctx: ProcessFunction.Context, out: Collector<T>): void {
    if (FailAfterCheckpoint.armed && ++this.seen >= this.after) {
      if (this.marker === undefined) {
        if (FailAfterCheckpoint.failures === 0) {
          FailAfterCheckpoint.failures++
          throw new Error('injected failure after a checkpoint')
        }
      } else if (!existsSync(this.marker)) {
        writeFileSync(this.marker, 'failed once')
        throw new Error('injected failure after a checkpoint (worker)')
      }
    }
    out.collect(value)
  }
  notifyCheckpointComplete(): void {
    FailAfterCheckpoint.armed = true
  }
}

class RunningSum extends KeyedProcessFunction<string, Ev, Out> {
  private sum!: ValueState<number>
  override open(): void {
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum'))
  }
  processElement(e: Ev, ctx: KeyedProcessFunction.Context<string>, out: Collector<Out>): void {
    const s = (this.sum.value() ?? 0) + e.amount
    this.sum.update(s)
    out.collect(`sum ${e.key} ${s}`)
    ctx.timerService().registerEventTimeTimer(Math.floor(e.ts / 100) * 100 + 150)
  }
  override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<Out>): void {
    out.collect(`timer ${ctx.getCurrentKey()} ${ts}`)
  }
}

/** The pipeline: failing pass-through, then keyed windows and keyed state with timers. */
export const recoveryPipeline = (env: StreamExecutionEnvironment, failAfter: number, marker?: string): DataStream<Out> => {
  const events = env
    .fromSource(
      DataGenSource.of(ev, { count: N, rowsPerSecond: N * 2 }),
      WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.ts),
      'events',
    )
    .uid('events')
    .process(new FailAfterCheckpoint<Ev>(failAfter, marker))
    .uid('fail')
  const windows = events
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(Duration.ofMillis(1000)))
    .aggregate(
      { createAccumulator: () => 0, add: (e: Ev, s: number) => s + e.amount, getResult: (s: number) => s, merge: (a: number, b: number) => a + b },
      (key: string, w, sums: Iterable<number>, out: Collector<Out>) => {
        for (const s of sums) out.collect(`window ${key} ${w.end} ${s}`)
      },
    )
    .uid('windows')
  const sums = events.keyBy((e) => e.key).process(new RunningSum()).uid('sums')
  return windows.union(sums)
}

/** What an uninterrupted run emits, computed directly. */
export const expectedOutput = (): Out[] => {
  const out: Out[] = []
  const sums = new Map<string, number>()
  const windows = new Map<string, number>()
  const timers = new Set<string>()
  for (let i = 0; i < N; i++) {
    const e = ev(i)
    const s = (sums.get(e.key) ?? 0) + e.amount
    sums.set(e.key, s)
    out.push(`sum ${e.key} ${s}`)
    const end = Math.floor(e.ts / 1000) * 1000 + 1000
    windows.set(`${e.key} ${end}`, (windows.get(`${e.key} ${end}`) ?? 0) + e.amount)
    timers.add(`timer ${e.key} ${Math.floor(e.ts / 100) * 100 + 150}`)
  }
  for (const [k, s] of windows) out.push(`window ${k} ${s}`)
  out.push(...timers)
  return out.sort()
}

/** The same pipeline on worker threads, writing to an exactly-once file sink; fails once (marker file). */
export const recoveryOnWorkers = defineStreamJob(
  import.meta.url,
  'recovery-on-workers',
  (env, p: { output: string; checkpoints: string; marker: string }) => {
    env.enableCheckpointing(20, 'EXACTLY_ONCE', { directory: p.checkpoints })
    env.setRestartStrategy(RestartStrategies.fixedDelay(3, 0))
    recoveryPipeline(env, 500, p.marker)
      // parts roll at every checkpoint: output is committed while the job runs, before the failure
      .sinkTo(FileSink.forRowFormat<Out>(p.output, new JsonLinesEncoder<Out>(), { rollingPolicy: OnCheckpointRollingPolicy.build() }))
      .uid('files')
  },
  { parallelism: 2 },
)
