import { AbstractStreamOperator } from '@strom/runtime'
import type { OneInputStreamOperator, OperatorSetup, Output, TaskInfo, TimerService } from '@strom/runtime'
import type { ProcessFunction } from '../../functions/process-function.js'
import { ContextBase } from './context-base.js'
import { closeFunction, openFunction } from './function-utils.js'
import { NonKeyedTimerService } from './timer-services.js'
import { TimestampedCollector } from './timestamped-collector.js'

class ProcessContext extends ContextBase implements ProcessFunction.Context {
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
export class ProcessOperator<I, O> extends AbstractStreamOperator<O> implements OneInputStreamOperator<I, O> {
  private collector!: TimestampedCollector<O>
  private context!: ProcessContext
  private timers!: NonKeyedTimerService

  constructor(
    /** The function this operator runs (its own copy). */
    readonly userFunction: ProcessFunction<I, O>,
  ) {
    super()
  }

  override setup(setup: OperatorSetup<O>): void {
    super.setup(setup)
    this.collector = new TimestampedCollector(setup.output)
    this.timers = new NonKeyedTimerService(setup.processingTimeService, setup.info)
    this.context = new ProcessContext(setup.output, this.collector, setup.info, this.timers)
  }

  override open(): void {
    super.open()
    openFunction(this.userFunction, this.ctx)
  }

  processElement(value: I, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.context.ts = timestamp
    this.userFunction.processElement(value, this.context, this.collector)
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
