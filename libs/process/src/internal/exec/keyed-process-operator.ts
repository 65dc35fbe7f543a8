import { AbstractStreamOperator, NO_TIMESTAMP } from '@strom/runtime'
import type {
  InternalTimer,
  Key,
  KeyedStateBackend,
  KeySelector,
  Namespace,
  OneInputStreamOperator,
  OperatorSetup,
  Triggerable,
} from '@strom/runtime'
import type { KeyedProcessFunction } from '../../functions/keyed-process-function.js'
import { TimeDomain } from '../../functions/time-domain.js'
import { closeFunction, openFunction, requireKeySelector } from './function-utils.js'
import { KeyedContext } from './keyed-contexts.js'
import { KeyedTimerService } from './timer-services.js'
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
 * Runs a {@link KeyedProcessFunction} on a keyed stream: keyed state and timers per key.
 *
 * @remarks
 * For each record it extracts the key with the input's key selector and sets it as the backend's
 * current key, then calls the function. Timers live in the timer service named
 * {@link USER_TIMERS} with this operator as the triggerable; an event-time timer's output gets the
 * timer's timestamp, a processing-time timer's output none. One context and one collector per
 * operator, reused for records and timers.
 *
 * @typeParam K - the key type
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export class KeyedProcessOperator<K extends Key, I, O>
  extends AbstractStreamOperator<O>
  implements OneInputStreamOperator<I, O>, Triggerable<K, Namespace>
{
  private collector!: TimestampedCollector<O>
  private keySelector!: KeySelector<I, K>
  private backend!: KeyedStateBackend<K>
  private context!: KeyedContext<K>

  constructor(
    /** The function this operator runs (its own copy). */
    readonly userFunction: KeyedProcessFunction<K, I, O>,
  ) {
    super()
  }

  override setup(setup: OperatorSetup<O>): void {
    super.setup(setup)
    this.collector = new TimestampedCollector(setup.output)
  }

  override open(): void {
    super.open()
    const setup = this.ctx
    this.keySelector = requireKeySelector(setup, 0)
    this.backend = this.keyedBackend() as KeyedStateBackend<K>
    const timers = new KeyedTimerService(
      this.timeServiceManager().getInternalTimerService<Namespace>(USER_TIMERS, this as Triggerable<Key, Namespace>),
    )
    this.context = new KeyedContext<K>(setup.output, this.collector, setup.info, timers)
    openFunction(this.userFunction, setup)
  }

  processElement(value: I, timestamp: number): void {
    const key = this.keySelector(value)
    this.backend.setCurrentKey(key)
    this.collector.timestamp = timestamp
    const c = this.context
    c.ts = timestamp
    c.key = key
    this.userFunction.processElement(value, c, this.collector)
  }

  onEventTime(timer: InternalTimer<K, Namespace>): void {
    this.collector.timestamp = timer.timestamp
    this.fire(timer, TimeDomain.EVENT_TIME)
  }

  onProcessingTime(timer: InternalTimer<K, Namespace>): void {
    this.collector.timestamp = NO_TIMESTAMP
    this.fire(timer, TimeDomain.PROCESSING_TIME)
  }

  override close(): void {
    closeFunction(this.userFunction)
    super.close()
  }

  private fire(timer: InternalTimer<K, Namespace>, domain: TimeDomain): void {
    const c = this.context
    const ts = timer.timestamp
    c.ts = ts
    c.key = timer.key
    c.domain = domain
    this.userFunction.onTimer(ts, c, this.collector)
  }
}
