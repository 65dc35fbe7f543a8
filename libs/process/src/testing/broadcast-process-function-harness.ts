import type { Key, KeySelector, MapStateDescriptor, ReadOnlyBroadcastState, State, StateDescriptor } from '@strom/runtime'
import {
  KeyedTwoInputStreamOperatorTestHarness,
  TwoInputStreamOperatorTestHarness,
} from '@strom/runtime/testing'
import type { OperatorHarnessOptions, OperatorSnapshot } from '@strom/runtime/testing'
import type { BroadcastProcessFunction } from '../functions/broadcast-process-function.js'
import { cloneFunction } from '../functions/clone-function.js'
import type { KeyedBroadcastProcessFunction } from '../functions/keyed-broadcast-process-function.js'
import { BroadcastProcessOperator } from '../internal/exec/broadcast-process-operator.js'
import { KeyedBroadcastProcessOperator } from '../internal/exec/keyed-broadcast-process-operator.js'
import { FunctionHarness } from './function-harness.js'

/**
 * Runs a {@link BroadcastProcessFunction} in one operator subtask, by hand: `processElement` for
 * the non-broadcast input, `processBroadcastElement` for the broadcast one.
 *
 * @typeParam I - the type of the non-broadcast input
 * @typeParam B - the type of the broadcast input
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export class BroadcastProcessFunctionHarness<I, B, O> extends FunctionHarness<O> {
  private constructor(
    private readonly harness: TwoInputStreamOperatorTestHarness<I, B, O>,
    /** The copy of the function the harness runs. */
    readonly userFunction: BroadcastProcessFunction<I, B, O>,
  ) {
    super(harness)
  }

  /** A harness running a copy of `fn`, opened. */
  static of<I, B, O>(fn: BroadcastProcessFunction<I, B, O>, options?: OperatorHarnessOptions): BroadcastProcessFunctionHarness<I, B, O> {
    const copy = cloneFunction(fn)
    const h = new TwoInputStreamOperatorTestHarness<I, B, O>(new BroadcastProcessOperator(copy), options)
    h.open()
    return new BroadcastProcessFunctionHarness(h, copy)
  }

  /** A harness running a copy of `fn`, restored from a snapshot, opened. */
  static restore<I, B, O>(
    fn: BroadcastProcessFunction<I, B, O>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options?: OperatorHarnessOptions,
  ): BroadcastProcessFunctionHarness<I, B, O> {
    return BroadcastProcessFunctionHarness.of(fn, { ...options, restoreFrom: snapshot })
  }

  /** Processes a record of the non-broadcast input. */
  processElement(value: I, timestamp?: number): this {
    this.harness.processElement1(value, timestamp)
    return this
  }

  /** Processes a record of the broadcast input. */
  processBroadcastElement(value: B, timestamp?: number): this {
    this.harness.processElement2(value, timestamp)
    return this
  }

  /** Advances the watermark of both inputs. */
  processWatermark(watermark: number): this {
    this.harness.processWatermark(watermark)
    return this
  }

  /** The broadcast state named by the descriptor, to inspect. */
  getBroadcastState<KB, VB>(descriptor: MapStateDescriptor<KB, VB>): ReadOnlyBroadcastState<KB, VB> {
    return this.harness.operatorStateStore.getBroadcastState(descriptor)
  }
}

/**
 * Runs a {@link KeyedBroadcastProcessFunction} in one operator subtask, by hand:
 * `processElement` for the keyed input, `processBroadcastElement` for the broadcast one.
 *
 * @typeParam K - the key type of the keyed input
 * @typeParam I - the type of the keyed input
 * @typeParam B - the type of the broadcast input
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export class KeyedBroadcastProcessFunctionHarness<K extends Key, I, B, O> extends FunctionHarness<O> {
  private constructor(
    private readonly harness: KeyedTwoInputStreamOperatorTestHarness<I, B, K, O>,
    /** The copy of the function the harness runs. */
    readonly userFunction: KeyedBroadcastProcessFunction<K, I, B, O>,
  ) {
    super(harness)
  }

  /** A harness running a copy of `fn` with the keyed input keyed by `keySelector`, opened. */
  static of<K extends Key, I, B, O>(
    fn: KeyedBroadcastProcessFunction<K, I, B, O>,
    keySelector: KeySelector<I, K>,
    options?: OperatorHarnessOptions,
  ): KeyedBroadcastProcessFunctionHarness<K, I, B, O> {
    const copy = cloneFunction(fn)
    const h = new KeyedTwoInputStreamOperatorTestHarness<I, B, K, O>(
      new KeyedBroadcastProcessOperator(copy),
      keySelector,
      undefined,
      options,
    )
    h.open()
    return new KeyedBroadcastProcessFunctionHarness(h, copy)
  }

  /** A harness running a copy of `fn`, restored from a snapshot (or several), opened. */
  static restore<K extends Key, I, B, O>(
    fn: KeyedBroadcastProcessFunction<K, I, B, O>,
    keySelector: KeySelector<I, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options?: OperatorHarnessOptions,
  ): KeyedBroadcastProcessFunctionHarness<K, I, B, O> {
    return KeyedBroadcastProcessFunctionHarness.of(fn, keySelector, { ...options, restoreFrom: snapshot })
  }

  /** Processes a record of the keyed input. */
  processElement(value: I, timestamp?: number): this {
    this.harness.processElement1(value, timestamp)
    return this
  }

  /** Processes a record of the broadcast input. */
  processBroadcastElement(value: B, timestamp?: number): this {
    this.harness.processElement2(value, timestamp)
    return this
  }

  /** Advances the watermark of both inputs. */
  processWatermark(watermark: number): this {
    this.harness.processWatermark(watermark)
    return this
  }

  /** The broadcast state named by the descriptor, to inspect. */
  getBroadcastState<KB, VB>(descriptor: MapStateDescriptor<KB, VB>): ReadOnlyBroadcastState<KB, VB> {
    return this.harness.operatorStateStore.getBroadcastState(descriptor)
  }

  /** The state of `key` for a descriptor, valid until the harness processes something else. */
  getState<S extends State>(key: K, descriptor: StateDescriptor<S>): S {
    return this.keyedState(key, descriptor)
  }

  /** The pending event-time timers of the function, in firing order. */
  eventTimeTimers(): { timestamp: number; key: K }[] {
    return this.timersOf<K>('event')
  }

  /** The pending processing-time timers of the function, in firing order. */
  processingTimeTimers(): { timestamp: number; key: K }[] {
    return this.timersOf<K>('processing')
  }
}
