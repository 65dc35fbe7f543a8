import { AbstractStreamOperator } from '@strom/runtime'
import type { OperatorSetup, Output, TaskInfo, TimerService, TwoInputStreamOperator } from '@strom/runtime'
import type { CoProcessFunction } from '../../functions/co-process-function.js'
import { ContextBase } from './context-base.js'
import { closeFunction, openFunction } from './function-utils.js'
import { NonKeyedTimerService } from './timer-services.js'
import { TimestampedCollector } from './timestamped-collector.js'

class CoProcessContext extends ContextBase implements CoProcessFunction.Context {
  constructor(
    out: Output<unknown>,
    collector: TimestampedCollector<unknown>,
    info: TaskInfo,
    private readonly timers: TimerService,
  ) {
    super(out, collector, info)
  }

  timerService(): TimerService {
    return this.timers
  }
}

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
export class CoProcessOperator<I1, I2, O> extends AbstractStreamOperator<O> implements TwoInputStreamOperator<I1, I2, O> {
  private collector!: TimestampedCollector<O>
  private context!: CoProcessContext
  private timers!: NonKeyedTimerService

  constructor(
    /** The function this operator runs (its own copy). */
    readonly userFunction: CoProcessFunction<I1, I2, O>,
  ) {
    super()
  }

  override setup(setup: OperatorSetup<O>): void {
    super.setup(setup)
    this.collector = new TimestampedCollector(setup.output)
    this.timers = new NonKeyedTimerService(setup.processingTimeService, setup.info)
    this.context = new CoProcessContext(setup.output, this.collector, setup.info, this.timers)
  }

  override open(): void {
    super.open()
    openFunction(this.userFunction, this.ctx)
  }

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

  override processWatermark(watermark: number): void {
    this.timers.watermark = watermark
    super.processWatermark(watermark)
  }

  override close(): void {
    closeFunction(this.userFunction)
    super.close()
  }
}
