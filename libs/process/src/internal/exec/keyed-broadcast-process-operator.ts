import { VOID_NAMESPACE } from '@strom/runtime'
import type {
  BroadcastState,
  Key,
  KeyedStateBackend,
  KeySelector,
  MapStateDescriptor,
  Namespace,
  OperatorSetup,
  Output,
  ReadOnlyBroadcastState,
  State,
  StateDescriptor,
  TaskInfo,
  TimerService,
  Triggerable,
  TwoInputStreamOperator,
} from '@strom/runtime'
import type {
  KeyedBroadcastProcessFunction,
  KeyedStateFunction,
} from '../../functions/keyed-broadcast-process-function.js'
import { TimeDomain } from '../../functions/time-domain.js'
import { BroadcastContextBase } from './broadcast-process-operator.js'
import { AbstractKeyedProcessOperator } from './abstract-udf-operators.js'
import { requireKeySelector } from './function-utils.js'
import { BroadcastStateAccess } from './read-only-broadcast-state.js'
import type { KeyedTimerService } from './timer-services.js'
import type { TimestampedCollector } from './timestamped-collector.js'

class KeyedSideContext<K> extends BroadcastContextBase implements KeyedBroadcastProcessFunction.OnTimerContext<K> {
  key!: K
  domain: TimeDomain = TimeDomain.EVENT_TIME

  getBroadcastState<KB, VB>(descriptor: MapStateDescriptor<KB, VB>): ReadOnlyBroadcastState<KB, VB> {
    return this.broadcast.readOnly(descriptor)
  }

  timerService(): TimerService {
    return this.time
  }

  getCurrentKey(): K {
    return this.key
  }

  timeDomain(): TimeDomain {
    return this.domain
  }
}

class BroadcastSideContext<K extends Key> extends BroadcastContextBase implements KeyedBroadcastProcessFunction.Context<K> {
  constructor(
    out: Output<unknown>,
    collector: TimestampedCollector<unknown>,
    info: TaskInfo,
    time: TimerService,
    broadcast: BroadcastStateAccess,
    private readonly backend: KeyedStateBackend<K>,
  ) {
    super(out, collector, info, time, broadcast)
  }

  getBroadcastState<KB, VB>(descriptor: MapStateDescriptor<KB, VB>): BroadcastState<KB, VB> {
    return this.broadcast.readWrite(descriptor)
  }

  applyToKeyedState<S extends State>(descriptor: StateDescriptor<S>, fn: KeyedStateFunction<K, S>): void {
    this.backend.applyToAllKeys(VOID_NAMESPACE, descriptor, fn)
  }
}

/**
 * Runs a {@link KeyedBroadcastProcessFunction}: input 1 is the keyed stream, input 2 the
 * broadcast stream.
 *
 * @remarks
 * Input 1's records are keyed with `keySelectors[0]` (their key set as the backend's current key)
 * and see keyed state, timers and read-only broadcast state. Input 2's records have no current
 * key; they read and write broadcast state and can visit every key's keyed state with
 * `applyToKeyedState`. Timers are as in {@link KeyedProcessOperator}.
 *
 * @typeParam K - the key type of input 1
 * @typeParam I - the type of the keyed input (input 1)
 * @typeParam B - the type of the broadcast input (input 2)
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export class KeyedBroadcastProcessOperator<K extends Key, I, B, O>
  extends AbstractKeyedProcessOperator<K, O, KeyedSideContext<K>, KeyedBroadcastProcessFunction<K, I, B, O>>
  implements TwoInputStreamOperator<I, B, O>, Triggerable<K, Namespace>
{
  private keySelector!: KeySelector<I, K>
  private keyedContext!: KeyedSideContext<K>
  private broadcastContext!: BroadcastSideContext<K>

  processElement1(value: I, timestamp: number): void {
    const key = this.keySelector(value)
    this.backend.setCurrentKey(key)
    this.collector.timestamp = timestamp
    const c = this.keyedContext
    c.ts = timestamp
    c.key = key
    this.userFunction.processElement(value, c, this.collector)
  }

  processElement2(value: B, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.broadcastContext.ts = timestamp
    this.userFunction.processBroadcastElement(value, this.broadcastContext, this.collector)
  }

  /** @internal */
  protected override openKeySelectors(setup: OperatorSetup<O>): void {
    this.keySelector = requireKeySelector(setup, 0)
  }

  /** @internal */
  protected override createContexts(setup: OperatorSetup<O>, timers: KeyedTimerService): KeyedSideContext<K> {
    const access = new BroadcastStateAccess(setup.operatorStateStore)
    this.keyedContext = new KeyedSideContext<K>(setup.output, this.collector, setup.info, timers, access)
    this.broadcastContext = new BroadcastSideContext<K>(setup.output, this.collector, setup.info, timers, access, this.backend)
    return this.keyedContext
  }
}
