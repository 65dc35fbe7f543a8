import { StateError } from '@strom/runtime'
import type { OperatorSetup } from '@strom/runtime'
import { StreamingRuntimeContext } from '@strom/process'

/**
 * The runtime context of a {@link RichAsyncFunction}: where it runs, its metrics and the job's
 * configuration, but no keyed state (as in Flink): results arrive after the record's key has gone
 * out of scope, so state read or written in a callback would belong to another key.
 */
export class AsyncRuntimeContext extends StreamingRuntimeContext {
  constructor(private readonly operatorSetup: OperatorSetup<unknown>) {
    super(operatorSetup)
  }

  override getState(): never {
    return this.noState()
  }

  override getListState(): never {
    return this.noState()
  }

  override getMapState(): never {
    return this.noState()
  }

  override getReducingState(): never {
    return this.noState()
  }

  override getAggregatingState(): never {
    return this.noState()
  }

  private noState(): never {
    throw new StateError(
      `State is not supported in async functions (operator ${this.operatorSetup.info.operatorName}): ` +
        'results arrive after the key of their record has gone out of scope. Keep state in an operator before or after it.',
    )
  }
}
