import type { OneInputStreamOperator, OperatorSetup } from '@strom/runtime'
import type { ProcessFunction } from '../../functions/process-function.js'
import { AbstractNonKeyedProcessOperator } from './abstract-udf-operators.js'
import { TimerServiceContext } from './context-base.js'
import type { NonKeyedTimerService } from './timer-services.js'

/**
 * Runs a {@link ProcessFunction} on a non-keyed stream.
 *
 * @remarks
 * One context and one collector per operator, reused for every record; records collected get the
 * input record's timestamp. The watermark is tracked for `ctx.timerService().currentWatermark()`
 * and forwarded. Errors thrown by the function propagate to the task.
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export class ProcessOperator<I, O>
  extends AbstractNonKeyedProcessOperator<O, ProcessFunction<I, O>>
  implements OneInputStreamOperator<I, O>
{
  private context!: TimerServiceContext

  processElement(value: I, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.context.ts = timestamp
    this.userFunction.processElement(value, this.context, this.collector)
  }

  /** @internal */
  protected override createContexts(setup: OperatorSetup<O>, timers: NonKeyedTimerService): void {
    this.context = new TimerServiceContext(setup.output, this.collector, setup.info, timers)
  }
}
