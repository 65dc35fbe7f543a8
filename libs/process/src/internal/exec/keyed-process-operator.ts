import type { Key, KeySelector, Namespace, OneInputStreamOperator, OperatorSetup, Triggerable } from '@strom/runtime'
import type { KeyedProcessFunction } from '../../functions/keyed-process-function.js'
import { AbstractKeyedProcessOperator } from './abstract-udf-operators.js'
import { requireKeySelector } from './function-utils.js'
import { KeyedContext } from './keyed-contexts.js'
import type { KeyedTimerService } from './timer-services.js'

export { USER_TIMERS } from './abstract-udf-operators.js'

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
  extends AbstractKeyedProcessOperator<K, O, KeyedContext<K>, KeyedProcessFunction<K, I, O>>
  implements OneInputStreamOperator<I, O>, Triggerable<K, Namespace>
{
  private keySelector!: KeySelector<I, K>
  private context!: KeyedContext<K>

  processElement(value: I, timestamp: number): void {
    const key = this.keySelector(value)
    this.backend.setCurrentKey(key)
    this.collector.timestamp = timestamp
    const c = this.context
    c.ts = timestamp
    c.key = key
    this.userFunction.processElement(value, c, this.collector)
  }

  /** @internal */
  protected override openKeySelectors(setup: OperatorSetup<O>): void {
    this.keySelector = requireKeySelector(setup, 0)
  }

  /** @internal */
  protected override createContexts(setup: OperatorSetup<O>, timers: KeyedTimerService): KeyedContext<K> {
    return (this.context = new KeyedContext<K>(setup.output, this.collector, setup.info, timers))
  }
}
