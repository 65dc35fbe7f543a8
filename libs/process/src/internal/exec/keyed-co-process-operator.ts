import type { Key, KeySelector, Namespace, OperatorSetup, Triggerable, TwoInputStreamOperator } from '@strom/runtime'
import type { KeyedCoProcessFunction } from '../../functions/keyed-co-process-function.js'
import { AbstractKeyedProcessOperator } from './abstract-udf-operators.js'
import { requireKeySelector } from './function-utils.js'
import { KeyedContext } from './keyed-contexts.js'
import type { KeyedTimerService } from './timer-services.js'

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
  extends AbstractKeyedProcessOperator<K, O, KeyedContext<K>, KeyedCoProcessFunction<K, I1, I2, O>>
  implements TwoInputStreamOperator<I1, I2, O>, Triggerable<K, Namespace>
{
  private keySelector1!: KeySelector<I1, K>
  private keySelector2!: KeySelector<I2, K>
  private context!: KeyedContext<K>

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

  /** @internal */
  protected override openKeySelectors(setup: OperatorSetup<O>): void {
    this.keySelector1 = requireKeySelector(setup, 0)
    this.keySelector2 = requireKeySelector(setup, 1)
  }

  /** @internal */
  protected override createContexts(setup: OperatorSetup<O>, timers: KeyedTimerService): KeyedContext<K> {
    return (this.context = new KeyedContext<K>(setup.output, this.collector, setup.info, timers))
  }
}
