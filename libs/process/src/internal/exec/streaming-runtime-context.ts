import { StateError } from '@strom/runtime'
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  MetricGroup,
  OperatorSetup,
  ReducingState,
  ReducingStateDescriptor,
  State,
  StateDescriptor,
  TaskInfo,
  ValueState,
  ValueStateDescriptor,
} from '@strom/runtime'
import type { RuntimeContext } from '../../functions/runtime-context.js'

/**
 * The runtime context of a function run by an operator: state from the operator's keyed backend.
 *
 * @category Operators
 * @since 0.1.0
 */
export class StreamingRuntimeContext implements RuntimeContext {
  constructor(private readonly setup: OperatorSetup<unknown>) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.keyedState(descriptor)
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.keyedState(descriptor)
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.keyedState(descriptor)
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.keyedState(descriptor)
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.keyedState(descriptor)
  }

  getTaskInfo(): TaskInfo {
    return this.setup.info
  }

  getIndexOfThisSubtask(): number {
    return this.setup.info.subtaskIndex
  }

  getNumberOfParallelSubtasks(): number {
    return this.setup.info.parallelism
  }

  getMaxNumberOfParallelSubtasks(): number {
    return this.setup.info.maxParallelism
  }

  getOperatorName(): string {
    return this.setup.info.operatorName
  }

  getMetricGroup(): MetricGroup {
    return this.setup.metrics
  }

  getJobConfiguration(): ReadonlyMap<string, string> {
    return this.setup.config
  }

  private keyedState<S extends State>(descriptor: StateDescriptor<S>): S {
    const backend = this.setup.keyedStateBackend
    if (backend === undefined)
      throw new StateError(
        `Keyed state '${descriptor.name}' is only available on a keyed stream: operator ` +
          `${this.setup.info.operatorName} is not keyed. Use keyBy() before it.`,
      )
    return backend.getOrCreateKeyedState(descriptor).state
  }
}
