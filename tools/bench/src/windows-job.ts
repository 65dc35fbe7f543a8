// The "windows" jobs: datagen -> keyBy -> tumbling (1 s) or sliding (10 s / 1 s) event-time window
// counting the events of each key -> a counting sink. Worker threads import this module to rebuild
// the graph (`executeJob`), so it defines things at top level and starts nothing.
import {
  DataGenSource,
  ProcessWindowFunction,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  defineStreamJob,
  type Collector,
  type Sink,
  type SinkWriter,
  type SinkWriterContext,
  type TimeWindow,
} from '@strom/datastream'

// ---- the work, shared by the engine and the hand loops ----

/** Events per millisecond of event time: 100,000 events per second of event time. */
export const EVENTS_PER_MS = 100

/** The tumbling window's size, and the sliding window's size and slide, in ms. */
export const TUMBLE_MS = 1_000
export const SLIDE_SIZE_MS = 10_000
export const SLIDE_MS = 1_000

export interface WindowEvent {
  readonly key: number
  readonly ts: number
}

/** Event `i`: a key spread over `keys`, and an event time that grows with `i` (in order). */
export const makeEvent =
  (keys: number) =>
  (i: number): WindowEvent => ({ key: (i * 7919) % keys, ts: Math.floor(i / EVENTS_PER_MS) })

/** What every implementation must produce: how many window results, and checksums over them. */
export interface WindowResult {
  results: number
  /** The sum of all counts (each event counts once per window it is in). */
  total: number
  /** A sum that depends on which key and window each count belongs to. */
  checksum: number
}

export const emptyWindowResult = (): WindowResult => ({ results: 0, total: 0, checksum: 0 })

/** Adds one window result (key, window end, count) to a result. */
export const addResult = (r: WindowResult, key: number, end: number, count: number): void => {
  r.results++
  r.total += count
  r.checksum += count * (((key * 31 + end / SLIDE_MS) % 1009) + 1)
}

// ---- the engine job ----

/** One window result: [key, window end, count]. */
export type WindowCount = readonly [number, number, number]

/** Counts a window's events incrementally (one number per key and window, or per slice). */
export const countAggregate = {
  createAccumulator: (): number => 0,
  add: (_e: WindowEvent, acc: number): number => acc + 1,
  getResult: (acc: number): number => acc,
  merge: (a: number, b: number): number => a + b,
}

/** Emits the count with the key and the window's end. */
export class EmitCount extends ProcessWindowFunction<number, WindowCount, number, TimeWindow> {
  process(key: number, ctx: ProcessWindowFunction.Context<TimeWindow>, counts: Iterable<number>, out: Collector<WindowCount>): void {
    for (const c of counts) out.collect([key, ctx.window.end, c])
  }
}

class CountingWriter implements SinkWriter<WindowCount> {
  private readonly r = emptyWindowResult()
  constructor(private readonly ctx: SinkWriterContext) {}
  write(v: WindowCount): void {
    addResult(this.r, v[0], v[1], v[2])
  }
  flush(endOfInput: boolean): void {
    if (endOfInput) this.ctx.sendToCoordinator(this.r)
  }
  close(): void {}
}

/** Sums the subtasks' results on the main thread. */
export class WindowCountingSink implements Sink<WindowCount> {
  result = emptyWindowResult()
  reports = 0
  createWriter(context: SinkWriterContext): SinkWriter<WindowCount> {
    return new CountingWriter(context)
  }
  onWriterMessage(_subtask: number, message: unknown): void {
    const m = message as WindowResult
    this.result.results += m.results
    this.result.total += m.total
    this.result.checksum += m.checksum
    this.reports++
  }
  reset(): void {
    this.result = emptyWindowResult()
    this.reports = 0
  }
}

export interface WindowParams {
  readonly events: number
  readonly keys: number
  readonly kind: 'tumbling' | 'sliding'
  readonly parallelism: number
}

export const windowSink = new WindowCountingSink()

export const windowJob = defineStreamJob(import.meta.url, 'windows', (env, p: WindowParams) => {
  env.setParallelism(p.parallelism)
  env
    .fromSource(
      DataGenSource.of(makeEvent(p.keys), { count: p.events }),
      WatermarkStrategy.forMonotonousTimestamps<WindowEvent>().withTimestampAssigner((e) => e.ts),
      'datagen',
    )
    .keyBy((e) => e.key)
    .window(p.kind === 'tumbling' ? TumblingEventTimeWindows.of(TUMBLE_MS) : SlidingEventTimeWindows.of(SLIDE_SIZE_MS, SLIDE_MS))
    .aggregate(countAggregate, new EmitCount())
    .name(`${p.kind}-count`)
    .sinkTo(windowSink, 'count')
})
