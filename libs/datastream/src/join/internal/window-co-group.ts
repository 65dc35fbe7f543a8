import type { Collector, Key, KeySelector, OutputTag } from '@strom/runtime'
import type { DataStream, SingleOutputStreamOperator } from '../../datastream/data-stream.js'
import type { Evictor } from '../../windowing/evictor.js'
import type { Trigger } from '../../windowing/trigger.js'
import type { WindowAssigner } from '../../windowing/window-assigner.js'
import { WindowedStream } from '../../windowing/windowed-stream.js'
import type { Window } from '../../windowing/windows.js'
import type { CoGroupFunction } from '../join-functions.js'
import { coGroupTagged, tagOne, tagTwo } from './exec/tagged-union.js'
import type { TaggedUnion } from './exec/tagged-union.js'

/** Everything a window coGroup (or join) was configured with. @internal */
export interface WindowCoGroupSpec<T1, T2, K extends Key, W extends Window> {
  readonly input1: DataStream<T1>
  readonly input2: DataStream<T2>
  readonly key1: KeySelector<T1, K>
  readonly key2: KeySelector<T2, K>
  readonly assigner: WindowAssigner<TaggedUnion<T1, T2>, W>
  readonly trigger: Trigger<TaggedUnion<T1, T2>, W> | undefined
  readonly evictor: Evictor<TaggedUnion<T1, T2>, W> | undefined
  readonly allowedLateness: number | undefined
  readonly lateDataTag: OutputTag<TaggedUnion<T1, T2>> | undefined
}

/**
 * Builds a window coGroup as Flink does: both inputs tagged (`{tag: 1 | 2, value}`), unioned, keyed
 * by the key of their side, windowed, and a window function that splits each window by tag and
 * calls `fn`.
 *
 * @internal
 */
export const buildWindowCoGroup = <T1, T2, K extends Key, W extends Window, O>(
  spec: WindowCoGroupSpec<T1, T2, K, W>,
  fn: CoGroupFunction<T1, T2, O>,
  name: string,
): SingleOutputStreamOperator<O> => {
  const { key1, key2 } = spec
  const tagged1 = spec.input1.map<TaggedUnion<T1, T2>>(tagOne).name(`${name}: tag input 1`)
  const tagged2 = spec.input2.map<TaggedUnion<T1, T2>>(tagTwo).name(`${name}: tag input 2`)
  const keyed = tagged1
    .union(tagged2)
    .keyBy<K>((u: TaggedUnion<T1, T2>): K => (u.tag === 1 ? key1(u.value) : key2(u.value)))
  const windowed = new WindowedStream<TaggedUnion<T1, T2>, K, W>(keyed, spec.assigner)
  if (spec.trigger !== undefined) windowed.trigger(spec.trigger)
  if (spec.evictor !== undefined) windowed.evictor(spec.evictor)
  if (spec.allowedLateness !== undefined) windowed.allowedLateness(spec.allowedLateness)
  if (spec.lateDataTag !== undefined) windowed.sideOutputLateData(spec.lateDataTag)
  const windowFunction = (_key: K, _window: W, input: Iterable<TaggedUnion<T1, T2>>, out: Collector<O>): void =>
    coGroupTagged(input, fn, out)
  return windowed.apply<O>(windowFunction).name(`${name}(${spec.assigner.toString()})`)
}
