import type {
  AggregatingState,
  AggregatingStateDescriptor,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  MetricGroup,
  ReducingState,
  ReducingStateDescriptor,
  TaskInfo,
  ValueState,
  ValueStateDescriptor,
} from '@strom/runtime'

/**
 * What a rich function learns about where it runs, and where it gets its keyed state from.
 *
 * @remarks
 * A function receives it in {@link AbstractRichFunction.open}. Obtain state there, once, and keep
 * the state objects in fields: a state object always reads and writes the entry of the key being
 * processed (the current key), so the same object serves every key.
 *
 * Keyed state exists only on keyed streams (after `keyBy()`); asking for it in a function of a
 * non-keyed stream throws a `StateError`. Asking twice with the same descriptor name returns the
 * same state; the same name with another kind of state is an error.
 *
 * @category Functions
 * @since 0.1.0
 */
export interface RuntimeContext {
  /** A value per key. */
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>
  /** A list per key. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>
  /** A map per key. */
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>
  /** A value per key that added values are reduced into. */
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>
  /** An accumulator per key that added values are aggregated into. */
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>
  /** Who and where this subtask is: job, operator, index, parallelism, max parallelism. */
  getTaskInfo(): TaskInfo
  /** This subtask's index, `0 <= index < parallelism`. */
  getIndexOfThisSubtask(): number
  /** The number of parallel subtasks of the operator. */
  getNumberOfParallelSubtasks(): number
  /** The job's number of key groups (the largest parallelism keyed state can be rescaled to). */
  getMaxNumberOfParallelSubtasks(): number
  /** The operator's name. */
  getOperatorName(): string
  /** The metrics of this operator subtask. */
  getMetricGroup(): MetricGroup
  /** The job-wide configuration values. */
  getJobConfiguration(): ReadonlyMap<string, string>
}
