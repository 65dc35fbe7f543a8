import { AbstractStreamOperator, NO_TIMESTAMP } from '@strom/runtime'
import type {
  Collector,
  InternalTimer,
  Key,
  KeyedStateBackend,
  Namespace,
  OperatorSetup,
  Triggerable,
} from '@strom/runtime'
import type { AbstractRichFunction } from '../../functions/abstract-rich-function.js'
import { TimeDomain } from '../../functions/time-domain.js'
import { closeFunction, openFunction } from './function-utils.js'
import { KeyedTimerService, NonKeyedTimerService } from './timer-services.js'
import { TimestampedCollector } from './timestamped-collector.js'

/**
 * The name of the timer service that process functions' timers live in (and are checkpointed
 * under).
 *
 * @category Operators
 * @since 0.1.0
 */
export const USER_TIMERS = 'user-timers'

/**
 * The common part of the process operators: the user function, its reused collector, and
 * opening and closing the function with the operator.
 *
 * @internal
 */
export abstract class AbstractUdfProcessOperator<O, F extends AbstractRichFunction> extends AbstractStreamOperator<O> {
  /** @internal */
  protected collector!: TimestampedCollector<O>

  constructor(
    /** The function this operator runs (its own copy). */
    readonly userFunction: F,
  ) {
    super()
  }

  override setup(setup: OperatorSetup<O>): void {
    super.setup(setup)
    this.collector = new TimestampedCollector(setup.output)
  }

  /** The user function, whose `CheckpointedFunction` / `CheckpointListener` hooks run with checkpoints. */
  protected override checkpointedFunction(): unknown {
    return this.userFunction
  }

  override open(): void {
    super.open()
    this.openOperator(this.ctx)
    openFunction(this.userFunction, this.ctx)
  }

  override close(): void {
    closeFunction(this.userFunction)
    super.close()
  }

  /** @internal Prepares the operator before the function is opened. */
  protected openOperator(_setup: OperatorSetup<O>): void {}
}

/**
 * The common part of the non-keyed process operators: a timer service that reports time and
 * tracks the watermark (and refuses timers).
 *
 * @internal
 */
export abstract class AbstractNonKeyedProcessOperator<O, F extends AbstractRichFunction> extends AbstractUdfProcessOperator<
  O,
  F
> {
  /** @internal */
  protected timers!: NonKeyedTimerService

  override setup(setup: OperatorSetup<O>): void {
    super.setup(setup)
    this.timers = new NonKeyedTimerService(setup.processingTimeService, setup.info)
    this.createContexts(setup, this.timers)
  }

  override processWatermark(watermark: number): void {
    this.timers.watermark = watermark
    super.processWatermark(watermark)
  }

  /** @internal Creates the operator's reused contexts. */
  protected abstract createContexts(setup: OperatorSetup<O>, timers: NonKeyedTimerService): void
}

/** The context a keyed operator fires timers with. @internal */
export interface TimerFiringContext<K> {
  ts: number
  key: K
  domain: TimeDomain
}

/** A keyed function with timers. @internal */
export type TimerFunction<K, O, C extends TimerFiringContext<K>> = AbstractRichFunction & {
  onTimer(timestamp: number, ctx: C, out: Collector<O>): void
}

/**
 * The common part of the keyed process operators: the keyed backend, the user timers (in the
 * timer service named {@link USER_TIMERS}, this operator the triggerable) and their firing; an
 * event-time timer's output gets the timer's timestamp, a processing-time timer's output none.
 *
 * @internal
 */
export abstract class AbstractKeyedProcessOperator<
    K extends Key,
    O,
    C extends TimerFiringContext<K>,
    F extends TimerFunction<K, O, C>,
  >
  extends AbstractUdfProcessOperator<O, F>
  implements Triggerable<K, Namespace>
{
  /** @internal */
  protected backend!: KeyedStateBackend<K>
  /** @internal */
  protected timerContext!: C

  override openOperator(setup: OperatorSetup<O>): void {
    this.openKeySelectors(setup)
    this.backend = this.keyedBackend() as KeyedStateBackend<K>
    const timers = new KeyedTimerService(
      this.timeServiceManager().getInternalTimerService<Namespace>(USER_TIMERS, this as Triggerable<Key, Namespace>),
    )
    this.timerContext = this.createContexts(setup, timers)
  }

  onEventTime(timer: InternalTimer<K, Namespace>): void {
    this.collector.timestamp = timer.timestamp
    this.fire(timer, TimeDomain.EVENT_TIME)
  }

  onProcessingTime(timer: InternalTimer<K, Namespace>): void {
    this.collector.timestamp = NO_TIMESTAMP
    this.fire(timer, TimeDomain.PROCESSING_TIME)
  }

  /** @internal Reads the inputs' key selectors. */
  protected abstract openKeySelectors(setup: OperatorSetup<O>): void

  /** @internal Creates the operator's reused contexts; returns the one timers fire with. */
  protected abstract createContexts(setup: OperatorSetup<O>, timers: KeyedTimerService): C

  private fire(timer: InternalTimer<K, Namespace>, domain: TimeDomain): void {
    const c = this.timerContext
    const ts = timer.timestamp
    c.ts = ts
    c.key = timer.key
    c.domain = domain
    this.userFunction.onTimer(ts, c, this.collector)
  }
}
