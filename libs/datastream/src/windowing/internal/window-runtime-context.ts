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
import type { AbstractRichFunction, RuntimeContext } from '@strom/process'

/**
 * The runtime context of window functions: keyed state of the current key, shared by all of its
 * windows (the same scope as `globalState()`).
 *
 * @internal
 */
export class WindowRuntimeContext implements RuntimeContext {
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
        `Keyed state '${descriptor.name}' is only available on a keyed stream: window operator ` +
          `${this.setup.info.operatorName} is not keyed.`,
      )
    return backend.getOrCreateKeyedState(descriptor).state
  }
}

/** Gives a window function its runtime context and opens it. @internal */
export const openWindowFunction = (fn: AbstractRichFunction, setup: OperatorSetup<unknown>): void => {
  const rc = new WindowRuntimeContext(setup)
  fn.setRuntimeContext(rc)
  fn.open(rc)
}

/** Closes a window function and forgets its runtime context. @internal */
export const closeWindowFunction = (fn: AbstractRichFunction): void => {
  try {
    fn.close()
  } finally {
    fn.setRuntimeContext(undefined)
  }
}
