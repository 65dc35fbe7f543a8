// The "keyed-sum" job: datagen -> map -> filter -> keyBy -> keyed sum (KeyedProcessFunction with
// ValueState) -> a counting sink. Worker threads import this module to rebuild the graph
// (`executeJob`), so it defines things at top level and starts nothing.
import { DataGenSource, FilterOperator, MAX_WATERMARK, MapOperator, Partitioners, StreamGraph, defineJob } from '@strom/runtime'
import type { JobOptions, Sink, SinkWriter, SinkWriterContext } from '@strom/runtime'
import { KeyedProcessFunction, ValueStateDescriptor, keyedProcessOperator } from '@strom/process'
import type { Collector, RuntimeContext, ValueState } from '@strom/process'

// ---- the work, shared by the engine, the hand loop and RxJS ----

/** What the generator makes: one small object per index. */
export interface Event {
  readonly id: number
  readonly key: string
  readonly amount: number
}

/** The key strings, made once per key count so every implementation gets the same string objects. */
const keyTables = new Map<number, readonly string[]>()
export const keyTable = (keys: number): readonly string[] => {
  let t = keyTables.get(keys)
  if (t === undefined) {
    t = Array.from({ length: keys }, (_, k) => `user-${k}`)
    keyTables.set(keys, t)
  }
  return t
}

/** The generator: index -> event; keys are scattered (a prime stride), amounts cycle 1..13. */
export const makeGenerator = (keys: number): ((i: number) => Event) => {
  const table = keyTable(keys)
  return (i: number): Event => ({ id: i, key: table[(i * 7919) % keys]!, amount: (i % 13) + 1 })
}

/** The map step: doubles the amount (a new object, as a real map would). */
export const double = (e: Event): Event => ({ id: e.id, key: e.key, amount: e.amount * 2 })

/** The filter step: drops the records whose doubled amount is 26 (1 in 13). */
export const notTwentySix = (e: Event): boolean => e.amount !== 26

/** The key selector. */
export const byKey = (e: Event): string => e.key

// ---- the result every implementation must produce ----

/**
 * What a keyed sum produced: the number of running sums emitted (one per record past the filter),
 * the total of those running sums (a checksum of the per-key order), and each key's final sum.
 */
export interface KeyedSumResult {
  count: number
  checksum: number
  readonly finals: Map<string, number>
}

export const emptyResult = (): KeyedSumResult => ({ count: 0, checksum: 0, finals: new Map() })

// ---- the engine job ----

/** What the keyed sum emits: a running sum per record, and `[key, final sum]` at the end of input. */
export type SumRecord = number | readonly [string, number]

/**
 * Keeps the sum per key in a ValueState and emits the running sum. On a key's first record it
 * registers one event-time timer at the end of time; the final watermark of the bounded input fires
 * it, and `onTimer` emits the key's final sum.
 */
export class KeyedSum extends KeyedProcessFunction<string, Event, SumRecord> {
  private sum!: ValueState<number>

  override open(ctx: RuntimeContext): void {
    this.sum = ctx.getState(new ValueStateDescriptor<number>('sum'))
  }

  processElement(e: Event, ctx: KeyedProcessFunction.Context<string>, out: Collector<SumRecord>): void {
    const prev = this.sum.value()
    if (prev === undefined) ctx.timerService().registerEventTimeTimer(MAX_WATERMARK)
    const s = (prev ?? 0) + e.amount
    this.sum.update(s)
    out.collect(s)
  }

  override onTimer(_ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<SumRecord>): void {
    out.collect([ctx.getCurrentKey(), this.sum.value() ?? 0])
  }
}

interface SumReport {
  readonly count: number
  readonly checksum: number
  readonly finals: readonly (readonly [string, number])[]
}

class CountingWriter implements SinkWriter<SumRecord> {
  private count = 0
  private checksum = 0
  private readonly finals: (readonly [string, number])[] = []

  constructor(private readonly ctx: SinkWriterContext) {}

  write(value: SumRecord): void {
    if (typeof value === 'number') {
      this.count++
      this.checksum += value
    } else this.finals.push(value)
  }

  flush(endOfInput: boolean): void {
    if (endOfInput) this.ctx.sendToCoordinator({ count: this.count, checksum: this.checksum, finals: this.finals } satisfies SumReport)
  }

  close(): void {}
}

/**
 * Counts the running sums and adds them up, and collects the final sums; each writer reports once,
 * at the end of input, to this object in the main thread.
 */
export class CountingSink implements Sink<SumRecord> {
  result: KeyedSumResult = emptyResult()
  reports = 0

  createWriter(context: SinkWriterContext): SinkWriter<SumRecord> {
    return new CountingWriter(context)
  }

  onWriterMessage(_subtask: number, message: unknown): void {
    const m = message as SumReport
    this.result.count += m.count
    this.result.checksum += m.checksum
    for (const [k, s] of m.finals) this.result.finals.set(k, s)
    this.reports++
  }

  reset(): void {
    this.result = emptyResult()
    this.reports = 0
  }
}

export interface KeyedSumParams {
  /** Events in total, split over the datagen subtasks. */
  readonly events: number
  readonly keys: number
  readonly parallelism: number
}

/**
 * The keyed-sum graph. `options` adds job options to it, e.g. checkpointing and the state backend's
 * configuration (the `checkpoints` scenario); the graph itself stays the same.
 */
export const keyedSumGraph = (p: KeyedSumParams, sink: CountingSink, options: Pick<JobOptions, 'checkpointing' | 'config'> = {}): StreamGraph => {
  const g = new StreamGraph({ ...options, jobName: 'keyed-sum', parallelism: p.parallelism })
  const src = g.addSource(DataGenSource.of(makeGenerator(p.keys), { count: p.events }), undefined, { name: 'datagen' })
  const mapped = g.addOperator(() => new MapOperator(double), [{ from: src, partitioner: Partitioners.forward() }], { name: 'double' })
  const filtered = g.addOperator(() => new FilterOperator(notTwentySix), [{ from: mapped, partitioner: Partitioners.forward() }], {
    name: 'drop-26',
  })
  const summed = g.addOperator(keyedProcessOperator(new KeyedSum()), [{ from: filtered, partitioner: Partitioners.hash(byKey) }], {
    name: 'keyed-sum',
    keySelectors: [byKey],
  })
  g.addSink(sink, [{ from: summed, partitioner: Partitioners.forward() }], { name: 'count' })
  return g
}

/** The sink of {@link keyedSumJob}: lives in the main thread, where the writers report to it. */
export const keyedSumSink = new CountingSink()

/** The keyed-sum job, runnable on worker threads with `executeJob`. */
export const keyedSumJob = defineJob(import.meta.url, 'keyed-sum', (p: KeyedSumParams) => keyedSumGraph(p, keyedSumSink))
