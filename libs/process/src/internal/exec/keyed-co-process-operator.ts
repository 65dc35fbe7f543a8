import { AbstractStreamOperator, NO_TIMESTAMP } from '@strom/runtime'
import type {
  InternalTimer,
  Key,
  KeyedStateBackend,
  KeySelector,
  Namespace,
  OperatorSetup,
  Triggerable,
  TwoInputStreamOperator,
} from '@strom/runtime'
import type { KeyedCoProcessFunction } from '../../functions/keyed-co-process-function.js'
import { TimeDomain } from '../../functions/time-domain.js'
import { closeFunction, openFunction, requireKeySelector } from './function-utils.js'
import { KeyedContext } from './keyed-contexts.js'
import { USER_TIMERS } from './keyed-process-operator.js'
import { KeyedTimerService } from './timer-services.js'
import { TimestampedCollector } from './timestamped-collector.js'

/**
 * Runs a {@link KeyedCoProcessFunction} on two connected keyed streams: shared keyed state and
 * timers per key.
 *
 * @remarks
 * Each input has its own key selector (`keySelectors[0]` and `[1]`); the key of each record is
 * set as the backend's current key before the function is called, so both inputs see the same
 * state for the same key. Timers are as in {@link KeyedProcessOperator}.
 *
 * @typeParam K - the key type
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export class KeyedCoProcessOperator<K extends Key, I1, I2, O>
  extends AbstractStreamOperator<O>
  implements TwoInputStreamOperator<I1, I2, O>, Triggerable<K, Namespace>
{
  private collector!: TimestampedCollector<O>
  private keySelector1!: KeySelector<I1, K>
  private keySelector2!: KeySelector<I2, K>
  private backend!: KeyedStateBackend<K>
  private context!: KeyedContext<K>

  constructor(
    /** The function this operator runs (its own copy). */
    readonly userFunction: KeyedCoProcessFunction<K, I1, I2, O>,
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
    this.keySelector1 = requireKeySelector(setup, 0)
    this.keySelector2 = requireKeySelector(setup, 1)
    this.backend = this.keyedBackend() as KeyedStateBackend<K>
    const timers = new KeyedTimerService(
      this.timeServiceManager().getInternalTimerService<Namespace>(USER_TIMERS, this as Triggerable<Key, Namespace>),
    )
    this.context = new KeyedContext<K>(setup.output, this.collector, setup.info, timers)
    openFunction(this.userFunction, setup)
  }

  processElement1(value: I1, timestamp: number): void {
    const key = this.keySelector1(value)
    this.backend.setCurrentKey(key)
    this.collector.timestamp = timestamp
    const c = this.context
    c.ts = timestamp
    c.key = key
    this.userFunction.processElement1(value, c, this.collector)
  }

  processElement2(value: I2, timestamp: number): void {
    const key = this.keySelector2(value)
    this.backend.setCurrentKey(key)
    this.collector.timestamp = timestamp
    const c = this.context
    c.ts = timestamp
    c.key = key
    this.userFunction.processElement2(value, c, this.collector)
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
