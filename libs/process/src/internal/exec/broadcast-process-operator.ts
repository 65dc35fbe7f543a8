import type {
  BroadcastState,
  MapStateDescriptor,
  OperatorSetup,
  Output,
  ReadOnlyBroadcastState,
  TaskInfo,
  TimerService,
  TwoInputStreamOperator,
} from '@strom/runtime'
import type { BroadcastProcessFunction } from '../../functions/broadcast-process-function.js'
import { ContextBase } from './context-base.js'
import { AbstractNonKeyedProcessOperator } from './abstract-udf-operators.js'
import { BroadcastStateAccess } from './read-only-broadcast-state.js'
import type { NonKeyedTimerService } from './timer-services.js'
import type { TimestampedCollector } from './timestamped-collector.js'

/** The reused context of either side of a broadcast function: time reads and broadcast state. */
export abstract class BroadcastContextBase extends ContextBase {
  constructor(
    out: Output<unknown>,
    collector: TimestampedCollector<unknown>,
    info: TaskInfo,
    protected readonly time: TimerService,
    protected readonly broadcast: BroadcastStateAccess,
  ) {
    super(out, collector, info)
  }

  currentProcessingTime(): number {
    return this.time.currentProcessingTime()
  }

  currentWatermark(): number {
    return this.time.currentWatermark()
  }
}

class ReadWriteContext extends BroadcastContextBase implements BroadcastProcessFunction.Context {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.broadcast.readWrite(descriptor)
  }
}

class ReadOnlyContext extends BroadcastContextBase implements BroadcastProcessFunction.ReadOnlyContext {
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    return this.broadcast.readOnly(descriptor)
  }
}

/**
 * Runs a {@link BroadcastProcessFunction}: input 1 is the non-keyed stream, input 2 the broadcast
 * stream.
 *
 * @remarks
 * Input 1's records see broadcast state read-only; input 2's records read and write it. Broadcast
 * state lives in the operator state store and is checkpointed with it. One context per side and
 * one collector, reused; records collected get the input record's timestamp.
 *
 * @typeParam I - the type of the non-broadcast input (input 1)
 * @typeParam B - the type of the broadcast input (input 2)
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export class BroadcastProcessOperator<I, B, O>
  extends AbstractNonKeyedProcessOperator<O, BroadcastProcessFunction<I, B, O>>
  implements TwoInputStreamOperator<I, B, O>
{
  private readOnlyContext!: ReadOnlyContext
  private readWriteContext!: ReadWriteContext

  processElement1(value: I, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.readOnlyContext.ts = timestamp
    this.userFunction.processElement(value, this.readOnlyContext, this.collector)
  }

  processElement2(value: B, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.readWriteContext.ts = timestamp
    this.userFunction.processBroadcastElement(value, this.readWriteContext, this.collector)
  }

  /** @internal */
  protected override createContexts(setup: OperatorSetup<O>, timers: NonKeyedTimerService): void {
    const access = new BroadcastStateAccess(setup.operatorStateStore)
    this.readOnlyContext = new ReadOnlyContext(setup.output, this.collector, setup.info, timers, access)
    this.readWriteContext = new ReadWriteContext(setup.output, this.collector, setup.info, timers, access)
  }
}
