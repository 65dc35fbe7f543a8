import type { Key, KeySelector, State, StateDescriptor } from '@strom/runtime'
import {
  KeyedTwoInputStreamOperatorTestHarness,
  TwoInputStreamOperatorTestHarness,
} from '@strom/runtime/testing'
import type { OperatorHarnessOptions, OperatorSnapshot } from '@strom/runtime/testing'
import { cloneFunction } from '../functions/clone-function.js'
import type { CoProcessFunction } from '../functions/co-process-function.js'
import type { KeyedCoProcessFunction } from '../functions/keyed-co-process-function.js'
import { CoProcessOperator } from '../internal/exec/co-process-operator.js'
import { KeyedCoProcessOperator } from '../internal/exec/keyed-co-process-operator.js'
import { FunctionHarness } from './function-harness.js'

/**
 * Runs a {@link CoProcessFunction} in one operator subtask, by hand.
 *
 * @remarks
 * Each input has its own watermark; the operator sees their minimum, as in a running job.
 * `processWatermark` advances both.
 *
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export class CoProcessFunctionHarness<I1, I2, O> extends FunctionHarness<O> {
  private constructor(
    private readonly harness: TwoInputStreamOperatorTestHarness<I1, I2, O>,
    /** The copy of the function the harness runs. */
    readonly userFunction: CoProcessFunction<I1, I2, O>,
  ) {
    super(harness)
  }

  /** A harness running a copy of `fn`, opened. */
  static of<I1, I2, O>(fn: CoProcessFunction<I1, I2, O>, options?: OperatorHarnessOptions): CoProcessFunctionHarness<I1, I2, O> {
    const copy = cloneFunction(fn)
    const h = new TwoInputStreamOperatorTestHarness<I1, I2, O>(new CoProcessOperator(copy), options)
    h.open()
    return new CoProcessFunctionHarness(h, copy)
  }

  /** A harness running a copy of `fn`, restored from a snapshot, opened. */
  static restore<I1, I2, O>(
    fn: CoProcessFunction<I1, I2, O>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options?: OperatorHarnessOptions,
  ): CoProcessFunctionHarness<I1, I2, O> {
    return CoProcessFunctionHarness.of(fn, { ...options, restoreFrom: snapshot })
  }

  /** Processes a record of the first input. */
  processElement1(value: I1, timestamp?: number): this {
    this.harness.processElement1(value, timestamp)
    return this
  }

  /** Processes a record of the second input. */
  processElement2(value: I2, timestamp?: number): this {
    this.harness.processElement2(value, timestamp)
    return this
  }

  /** Advances the watermark of the first input. */
  processWatermark1(watermark: number): this {
    this.harness.processWatermark1(watermark)
    return this
  }

  /** Advances the watermark of the second input. */
  processWatermark2(watermark: number): this {
    this.harness.processWatermark2(watermark)
    return this
  }

  /** Advances the watermark of both inputs. */
  processWatermark(watermark: number): this {
    this.harness.processWatermark(watermark)
    return this
  }
}

/**
 * Runs a {@link KeyedCoProcessFunction} in one operator subtask, by hand.
 *
 * @remarks
 * Each input has its own key selector; both must give keys of the same type. Each input has its
 * own watermark; the operator sees their minimum.
 *
 * @typeParam K - the key type
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export class KeyedCoProcessFunctionHarness<K extends Key, I1, I2, O> extends FunctionHarness<O> {
  private constructor(
    private readonly harness: KeyedTwoInputStreamOperatorTestHarness<I1, I2, K, O>,
    /** The copy of the function the harness runs. */
    readonly userFunction: KeyedCoProcessFunction<K, I1, I2, O>,
  ) {
    super(harness)
  }

  /** A harness running a copy of `fn` on inputs keyed by the two selectors, opened. */
  static of<K extends Key, I1, I2, O>(
    fn: KeyedCoProcessFunction<K, I1, I2, O>,
    keySelector1: KeySelector<I1, K>,
    keySelector2: KeySelector<I2, K>,
    options?: OperatorHarnessOptions,
  ): KeyedCoProcessFunctionHarness<K, I1, I2, O> {
    const copy = cloneFunction(fn)
    const h = new KeyedTwoInputStreamOperatorTestHarness<I1, I2, K, O>(
      new KeyedCoProcessOperator(copy),
      keySelector1,
      keySelector2,
      options,
    )
    h.open()
    return new KeyedCoProcessFunctionHarness(h, copy)
  }

  /** A harness running a copy of `fn`, restored from a snapshot (or several), opened. */
  static restore<K extends Key, I1, I2, O>(
    fn: KeyedCoProcessFunction<K, I1, I2, O>,
    keySelector1: KeySelector<I1, K>,
    keySelector2: KeySelector<I2, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options?: OperatorHarnessOptions,
  ): KeyedCoProcessFunctionHarness<K, I1, I2, O> {
    return KeyedCoProcessFunctionHarness.of(fn, keySelector1, keySelector2, { ...options, restoreFrom: snapshot })
  }

  /** Processes a record of the first input. */
  processElement1(value: I1, timestamp?: number): this {
    this.harness.processElement1(value, timestamp)
    return this
  }

  /** Processes a record of the second input. */
  processElement2(value: I2, timestamp?: number): this {
    this.harness.processElement2(value, timestamp)
    return this
  }

  /** Advances the watermark of the first input. */
  processWatermark1(watermark: number): this {
    this.harness.processWatermark1(watermark)
    return this
  }

  /** Advances the watermark of the second input. */
  processWatermark2(watermark: number): this {
    this.harness.processWatermark2(watermark)
    return this
  }

  /** Advances the watermark of both inputs. */
  processWatermark(watermark: number): this {
    this.harness.processWatermark(watermark)
    return this
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
