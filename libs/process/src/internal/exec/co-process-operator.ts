import type { OperatorSetup, TwoInputStreamOperator } from '@strom/runtime'
import type { CoProcessFunction } from '../../functions/co-process-function.js'
import { AbstractNonKeyedProcessOperator } from './abstract-udf-operators.js'
import { TimerServiceContext } from './context-base.js'
import type { NonKeyedTimerService } from './timer-services.js'

/**
 * Runs a {@link CoProcessFunction} on two connected non-keyed streams.
 *
 * @remarks
 * One context and one collector per operator, reused for the records of both inputs; records
 * collected get the input record's timestamp. The task combines the inputs' watermarks (the
 * minimum); the operator tracks the combined watermark and forwards it.
 *
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export class CoProcessOperator<I1, I2, O>
  extends AbstractNonKeyedProcessOperator<O, CoProcessFunction<I1, I2, O>>
  implements TwoInputStreamOperator<I1, I2, O>
{
  private context!: TimerServiceContext

  processElement1(value: I1, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.context.ts = timestamp
    this.userFunction.processElement1(value, this.context, this.collector)
  }

  processElement2(value: I2, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.context.ts = timestamp
    this.userFunction.processElement2(value, this.context, this.collector)
  }

  /** @internal */
  protected override createContexts(setup: OperatorSetup<O>, timers: NonKeyedTimerService): void {
    this.context = new TimerServiceContext(setup.output, this.collector, setup.info, timers)
  }
}
