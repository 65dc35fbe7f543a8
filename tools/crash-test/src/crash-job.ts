// A checkpointed job that the crash tests run in a child process and kill with SIGKILL. Started
// again with the same checkpoint directory, it resumes from its latest completed checkpoint; its
// committed output (the file sink's visible part files) must equal `goldenOutput`.
import { pathToFileURL } from 'node:url'
import {
  DataGenSource,
  Duration,
  FileSink,
  JsonLinesEncoder,
  KeyedProcessFunction,
  OnCheckpointRollingPolicy,
  RestartStrategies,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type ValueState,
} from '@strom/datastream'

/** One generated event: deterministic in its index. */
export interface CrashEvent {
  readonly key: string
  readonly amount: number
  readonly ts: number
}

export const crashEvent = (i: number): CrashEvent => ({ key: `k${(i * 7) % 23}`, amount: (i % 11) + 1, ts: i * 5 })

/** What the job writes: window sums and, per key, a running count emitted every 100th event of that key. */
export type CrashOutput =
  | { readonly kind: 'window'; readonly key: string; readonly end: number; readonly sum: number }
  | { readonly kind: 'every100'; readonly key: string; readonly count: number }

export interface CrashJobOptions {
  readonly count: number
  readonly rowsPerSecond: number
  readonly parallelism: number
  readonly output: string
  readonly checkpoints: string
  readonly intervalMs: number
}

/** Emits (key, count) at every 100th event of a key: keyed state the checkpoints must keep exactly. */
class Every100 extends KeyedProcessFunction<string, CrashEvent, CrashOutput> {
  private count!: ValueState<number>
  override open(): void {
    this.count = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('count'))
  }
  processElement(e: CrashEvent, _ctx: KeyedProcessFunction.Context<string>, out: Collector<CrashOutput>): void {
    const n = (this.count.value() ?? 0) + 1
    this.count.update(n)
    if (n % 100 === 0) out.collect({ kind: 'every100', key: e.key, count: n })
  }
}

export const buildCrashJob = (o: CrashJobOptions): StreamExecutionEnvironment => {
  const env = StreamExecutionEnvironment.create({ parallelism: o.parallelism })
  env.enableCheckpointing(o.intervalMs, 'EXACTLY_ONCE', { directory: o.checkpoints })
  env.setRestartStrategy(RestartStrategies.noRestart())
  const events = env
    .fromSource(
      DataGenSource.of(crashEvent, { count: o.count, rowsPerSecond: o.rowsPerSecond }),
      WatermarkStrategy.forBoundedOutOfOrderness<CrashEvent>(Duration.ofMillis(50)).withTimestampAssigner((e) => e.ts),
      'events',
    )
    .uid('events')
  // two sinks into one directory, to exercise both ways parts become visible: the window sums
  // roll at every checkpoint (committed while the job runs, so a replay after a kill must not
  // write them twice); the counts roll by size, so parts stay open across checkpoints and a
  // restore cuts them back to their checkpointed length
  const windowSink = FileSink.forRowFormat<CrashOutput>(o.output, new JsonLinesEncoder<CrashOutput>(), { rollingPolicy: OnCheckpointRollingPolicy.build() })
  const countSink = FileSink.forRowFormat<CrashOutput>(o.output, new JsonLinesEncoder<CrashOutput>(), { maxPartSize: 1500 })
  events
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(Duration.ofMillis(1000)))
    .aggregate(
      { createAccumulator: () => 0, add: (e: CrashEvent, s: number) => s + e.amount, getResult: (s: number) => s, merge: (a: number, b: number) => a + b },
      (key: string, w, sums: Iterable<number>, out: Collector<CrashOutput>) => {
        for (const sum of sums) out.collect({ kind: 'window', key, end: w.end, sum })
      },
    )
    .uid('window-sums')
    .sinkTo(windowSink)
    .uid('window-sink')
  events
    .keyBy((e) => e.key)
    .process(new Every100())
    .uid('every-100')
    .sinkTo(countSink)
    .uid('count-sink')
  return env
}

/** The output of an uninterrupted run, computed directly. */
export const goldenOutput = (count: number): CrashOutput[] => {
  const windows = new Map<string, number>()
  const counts = new Map<string, number>()
  const out: CrashOutput[] = []
  for (let i = 0; i < count; i++) {
    const e = crashEvent(i)
    const end = Math.floor(e.ts / 1000) * 1000 + 1000
    const k = `${e.key}@${end}`
    windows.set(k, (windows.get(k) ?? 0) + e.amount)
    const n = (counts.get(e.key) ?? 0) + 1
    counts.set(e.key, n)
    if (n % 100 === 0) out.push({ kind: 'every100', key: e.key, count: n })
  }
  for (const [k, sum] of windows) {
    const [key, end] = k.split('@') as [string, string]
    out.push({ kind: 'window', key, end: Number(end), sum })
  }
  return out
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const o = JSON.parse(process.argv[2] ?? '{}') as CrashJobOptions
  const env = buildCrashJob(o)
  process.stdout.write('started\n') // the harness times its kill from here, not from the process start
  const result = await env.execute('crash-job')
  process.stdout.write(`${JSON.stringify({ status: result.status, restarts: result.restarts })}\n`)
}
