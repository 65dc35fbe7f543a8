import type { Key, KeySelector, State, StateDescriptor } from '@strom/runtime'
import {
  KeyedOneInputStreamOperatorTestHarness,
  OneInputStreamOperatorTestHarness,
} from '@strom/runtime/testing'
import type { OperatorHarnessOptions, OperatorSnapshot } from '@strom/runtime/testing'
import { cloneFunction } from '../functions/clone-function.js'
import type { KeyedProcessFunction } from '../functions/keyed-process-function.js'
import type { ProcessFunction } from '../functions/process-function.js'
import { KeyedProcessOperator } from '../internal/exec/keyed-process-operator.js'
import { ProcessOperator } from '../internal/exec/process-operator.js'
import { FunctionHarness } from './function-harness.js'

/**
 * Runs a {@link ProcessFunction} in one operator subtask, by hand.
 *
 * @remarks
 * See {@link FunctionHarness} for what every harness offers. Example (from
 * `process-function.spec.ts`):
 *
 * {@includeCode ../functions/process-function.spec.ts#harness}
 *
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export class ProcessFunctionHarness<I, O> extends FunctionHarness<O> {
  private constructor(
    private readonly harness: OneInputStreamOperatorTestHarness<I, O>,
    /** The copy of the function the harness runs. */
    readonly userFunction: ProcessFunction<I, O>,
  ) {
    super(harness)
  }

  /** A harness running a copy of `fn`, opened. */
  static of<I, O>(fn: ProcessFunction<I, O>, options?: OperatorHarnessOptions): ProcessFunctionHarness<I, O> {
    const copy = cloneFunction(fn)
    const h = new OneInputStreamOperatorTestHarness<I, O>(new ProcessOperator(copy), options)
    h.open()
    return new ProcessFunctionHarness(h, copy)
  }

  /** A harness running a copy of `fn`, restored from a snapshot (or the snapshots of several subtasks), opened. */
  static restore<I, O>(
    fn: ProcessFunction<I, O>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options?: OperatorHarnessOptions,
  ): ProcessFunctionHarness<I, O> {
    return ProcessFunctionHarness.of(fn, { ...options, restoreFrom: snapshot })
  }

  /** Processes a record with a timestamp (none when omitted). */
  processElement(value: I, timestamp?: number): this {
    this.harness.processElement(value, timestamp)
    return this
  }

  /** Processes a watermark. */
  processWatermark(watermark: number): this {
    this.harness.processWatermark(watermark)
    return this
  }
}

/**
 * Runs a {@link KeyedProcessFunction} in one operator subtask, by hand: records, watermarks,
 * processing time, timers, keyed state, snapshot and restore.
 *
 * @remarks
 * By default the harness is subtask 0 of 1 and holds every key group. Created with
 * `{ parallelism, subtaskIndex }` it holds only that subtask's key groups, and a record whose key
 * lies outside them is an error; restoring from snapshots then keeps only the state of its key
 * groups, which is how a test rescales.
 *
 * Example (from `keyed-process-function.spec.ts`):
 *
 * {@includeCode ../functions/keyed-process-function.spec.ts#harness}
 *
 *
 * @typeParam K - the key type
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Testing
 * @since 0.1.0
 */
export class KeyedProcessFunctionHarness<K extends Key, I, O> extends FunctionHarness<O> {
  private constructor(
    private readonly harness: KeyedOneInputStreamOperatorTestHarness<I, K, O>,
    /** The copy of the function the harness runs. */
    readonly userFunction: KeyedProcessFunction<K, I, O>,
  ) {
    super(harness)
  }

  /** A harness running a copy of `fn` on records keyed by `keySelector`, opened. */
  static of<K extends Key, I, O>(
    fn: KeyedProcessFunction<K, I, O>,
    keySelector: KeySelector<I, K>,
    options?: OperatorHarnessOptions,
  ): KeyedProcessFunctionHarness<K, I, O> {
    const copy = cloneFunction(fn)
    const h = new KeyedOneInputStreamOperatorTestHarness<I, K, O>(new KeyedProcessOperator(copy), keySelector, options)
    h.open()
    return new KeyedProcessFunctionHarness(h, copy)
  }

  /**
   * A harness running a copy of `fn`, restored from a snapshot (or the snapshots of several
   * subtasks; it keeps the key groups of its own range), opened.
   */
  static restore<K extends Key, I, O>(
    fn: KeyedProcessFunction<K, I, O>,
    keySelector: KeySelector<I, K>,
    snapshot: OperatorSnapshot | readonly OperatorSnapshot[],
    options?: OperatorHarnessOptions,
  ): KeyedProcessFunctionHarness<K, I, O> {
    return KeyedProcessFunctionHarness.of(fn, keySelector, { ...options, restoreFrom: snapshot })
  }

  /** Processes a record with a timestamp (none when omitted). */
  processElement(value: I, timestamp?: number): this {
    this.harness.processElement(value, timestamp)
    return this
  }

  /** Processes a watermark, firing the event-time timers it reaches. */
  processWatermark(watermark: number): this {
    this.harness.processWatermark(watermark)
    return this
  }

  /**
   * The state of `key` for a descriptor, to inspect (or prepare) it; the object is valid until
   * the harness processes something else.
   */
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
