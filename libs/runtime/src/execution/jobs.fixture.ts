// Jobs for the executor tests. Worker threads import this module to rebuild the same graphs, so it
// only defines jobs at top level.
import { ValueStateDescriptor } from '../state/state-descriptor.js'
import type { ValueState } from '../state/state.js'
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js'
import type { OneInputStreamOperator } from '../operators/stream-operator.js'
import { FilterOperator, MapOperator } from '../operators/simple-operators.js'
import { StreamGraph } from '../graph/stream-graph.js'
import { Partitioners } from '../graph/partitioner.js'
import { defineJob } from './job-definition.js'
import { CollectionSource } from '../source/collection-source.js'
import { DataGenSource } from '../source/datagen-source.js'
import { CollectSink } from '../sink/collect-sink.js'
import { WatermarkStrategy } from '../watermark/watermark-strategy.js'
import type { InternalTimer, InternalTimerService } from '../time/timer-service.js'
import { VOID_NAMESPACE } from '../state/keyed-state-backend.js'

export interface Event {
  readonly key: string
  readonly amount: number
  readonly ts: number
}

/** Emits (key, running sum) per record, and (key, final sum) from an event-time timer at the record's time + 1000. */
export class KeyedSumOperator extends AbstractStreamOperator<[string, number, 'running' | 'timer']> implements OneInputStreamOperator<Event, [string, number, 'running' | 'timer']> {
  private sum!: ValueState<number>
  private timers!: InternalTimerService
  failOn: string | undefined

  override open(): void {
    this.sum = this.keyedBackend().getOrCreateKeyedState(new ValueStateDescriptor<number>('sum')).state
    this.timers = this.timeServiceManager().getInternalTimerService('t', {
      onEventTime: (t: InternalTimer<unknown>) => this.output.collect([t.key as string, this.sum.value() ?? 0, 'timer'], t.timestamp),
      onProcessingTime: () => {},
    })
  }

  processElement(e: Event, ts: number): void {
    this.keyedBackend().setCurrentKey(e.key)
    if (e.key === this.failOn) throw new Error(`bad record ${JSON.stringify(e)}`)
    const s = (this.sum.value() ?? 0) + e.amount
    this.sum.update(s)
    this.timers.registerEventTimeTimer(VOID_NAMESPACE, ts + 1000)
    this.output.collect([e.key, s, 'running'], ts)
  }
}

export const events = (n: number, keys: number): Event[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${(i * 7919) % keys}`, amount: (i % 13) + 1, ts: 1_000 * Math.floor(i / 10) }))

export interface KeyedSumParams {
  readonly n: number
  readonly keys: number
  readonly parallelism: number
  readonly failOn?: string
}

/** source -> map -> filter -> keyBy -> keyed sum (with timers) -> collect */
export const keyedSumGraph = (p: KeyedSumParams, sink: CollectSink<[string, number, string]>): StreamGraph => {
  const g = new StreamGraph({ jobName: 'keyed-sum', parallelism: p.parallelism })
  const src = g.addSource(
    CollectionSource.of(events(p.n, p.keys)),
    WatermarkStrategy.forMonotonousTimestamps<Event>().withTimestampAssigner((e) => e.ts),
    { name: 'events' },
  )
  const mapped = g.addOperator(() => new MapOperator((e: Event) => ({ ...e, amount: e.amount * 2 })), [{ from: src, partitioner: Partitioners.forward() }], { name: 'double' })
  const filtered = g.addOperator(() => new FilterOperator((e: Event) => e.amount !== 26), [{ from: mapped, partitioner: Partitioners.forward() }], { name: 'drop-13s' })
  const byKey = (e: Event): string => e.key
  const summed = g.addOperator(
    () => {
      const op = new KeyedSumOperator()
      op.failOn = p.failOn
      return op
    },
    [{ from: filtered, partitioner: Partitioners.hash(byKey) }],
    { name: 'keyed-sum', keySelectors: [byKey] },
  )
  g.addSink(sink, [{ from: summed, partitioner: Partitioners.forward() }], { name: 'collect' })
  return g
}

/** Shared with the main thread: the sink object lives there, workers send it their records. */
export const keyedSumSink = new CollectSink<[string, number, string]>()
export const keyedSumJob = defineJob(import.meta.url, 'keyed-sum', (p: KeyedSumParams) => keyedSumGraph(p, keyedSumSink))

/** A fast unbounded generator into a deliberately slow sink behind a network edge. */
export const slowSinkGraph = (sink: CollectSink<number>, count: number): StreamGraph => {
  const g = new StreamGraph({ jobName: 'backpressure', batchSize: 64, channelCredits: 4 })
  const src = g.addSource(DataGenSource.of((i) => i, { count }), undefined, { name: 'gen' })
  const slow = g.addOperator(
    () =>
      new MapOperator((x: number) => {
        let acc = x
        for (let i = 0; i < 2_000; i++) acc = (acc * 31 + i) % 1_000_003
        return acc >= 0 ? x : -1
      }),
    [{ from: src, partitioner: Partitioners.rebalance() }],
    { name: 'slow', chaining: 'never' },
  )
  g.addSink(sink, [{ from: slow, partitioner: Partitioners.forward() }], { name: 'collect' })
  return g
}
