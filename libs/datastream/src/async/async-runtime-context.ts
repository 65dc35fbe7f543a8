import { StateError } from '@strom/runtime'
import type { MetricGroup, OperatorSetup, TaskInfo } from '@strom/runtime'
import type { RuntimeContext } from '@strom/process'

/**
 * The runtime context of a {@link RichAsyncFunction}: where it runs, its metrics and the job's
 * configuration, but no keyed state (as in Flink): results arrive after the record's key has gone
 * out of scope, so state read or written in a callback would belong to another key.
 */
export class AsyncRuntimeContext implements RuntimeContext {
  constructor(private readonly setup: OperatorSetup<unknown>) {}

  getState(): never {
    return this.noState()
  }

  getListState(): never {
    return this.noState()
  }

  getMapState(): never {
    return this.noState()
  }

  getReducingState(): never {
    return this.noState()
  }

  getAggregatingState(): never {
    return this.noState()
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

  private noState(): never {
    throw new StateError(
      `State is not supported in async functions (operator ${this.setup.info.operatorName}): ` +
        'results arrive after the key of their record has gone out of scope. Keep state in an operator before or after it.',
    )
  }
}
