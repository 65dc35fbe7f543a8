// The example of the repository's README, kept here so that it is compiled and tested
// (count-per-user.spec.ts runs it).
import { CollectSink, CollectionSource, Partitioners, StreamGraph, WatermarkStrategy, executeGraph } from '@strom/runtime'
import { KeyedProcessFunction, ValueStateDescriptor, keyedProcessOperator } from '@strom/process'
import type { Collector, RuntimeContext, ValueState } from '@strom/process'

/** A click of a user at an event time. */
export interface Click {
  readonly user: string
  readonly ts: number
}

/** Counts the clicks of each user; emits `[user, count]` per click. */
export class CountPerUser extends KeyedProcessFunction<string, Click, [string, number]> {
  private count!: ValueState<number>

  override open(ctx: RuntimeContext): void {
    this.count = ctx.getState(new ValueStateDescriptor<number>('count'))
  }

  override processElement(click: Click, _ctx: KeyedProcessFunction.Context<string>, out: Collector<[string, number]>): void {
    const n = (this.count.value() ?? 0) + 1
    this.count.update(n)
    out.collect([click.user, n])
  }
}

/** Runs the count over a bounded list of clicks and returns what the sink received. */
export const countPerUser = async (clicks: readonly Click[]): Promise<readonly [string, number][]> => {
  const graph = new StreamGraph({ jobName: 'count-per-user' })
  const source = graph.addSource(
    CollectionSource.of(clicks),
    WatermarkStrategy.forMonotonousTimestamps<Click>().withTimestampAssigner((c) => c.ts),
    { name: 'clicks' },
  )
  const byUser = (c: Click): string => c.user
  const counts = graph.addOperator(
    keyedProcessOperator(new CountPerUser()),
    [{ from: source, partitioner: Partitioners.hash(byUser) }],
    { name: 'count', keySelectors: [byUser] },
  )
  const sink = new CollectSink<[string, number]>()
  graph.addSink(sink, [{ from: counts, partitioner: Partitioners.forward() }], { name: 'print' })
  await executeGraph(graph).result // resolves when the bounded input is done
  return sink.values
}
