import type { Key, OutputTag, State, StateDescriptor } from '@strom/runtime'
import { USER_TIMERS } from '../internal/exec/keyed-process-operator.js'
import type {
  AbstractStreamOperatorTestHarness,
  OperatorSnapshot,
  OutputElement,
  TimestampedValue,
} from '@strom/runtime/testing'

/**
 * What every function harness offers: time, output, timers, state and snapshots of the one
 * operator subtask it runs.
 *
 * @remarks
 * A harness runs a copy of the function (made with `cloneFunction`, as the runtime does for each
 * subtask) in its operator, with a real heap state backend, timer service and operator state
 * store, a manual processing-time clock starting at 0 (or at the snapshot's time when restored)
 * and an output that records everything. It is opened when created.
 *
 * @typeParam O - the function's output type
 * @category Testing
 * @since 0.1.0
 */
export abstract class FunctionHarness<O> {
  protected constructor(
    /** The operator harness underneath, for what this one does not wrap. */
    readonly operatorHarness: AbstractStreamOperatorTestHarness<O>,
  ) {}

  /**
   * Sets the processing time, firing every processing-time timer due by then, in timestamp
   * order.
   */
  setProcessingTime(time: number): this {
    this.operatorHarness.setProcessingTime(time)
    return this
  }

  /** The current processing time of the harness' manual clock. */
  getProcessingTime(): number {
    return this.operatorHarness.getProcessingTime()
  }

  /**
   * Ends the input: a +Infinity watermark on every input (firing every event-time timer), then
   * the operator's `finish`.
   */
  endInput(): this {
    this.operatorHarness.endInput()
    return this
  }

  /** The records of the main output, in order. */
  extractOutputValues(): O[] {
    return this.operatorHarness.extractOutputValues()
  }

  /** The records of the main output with their timestamps (`NaN` for none), in order. */
  extractOutputRecords(): TimestampedValue<O>[] {
    return this.operatorHarness.extractOutputRecords()
  }

  /** Everything on the main output (records and watermarks), in order. */
  getOutput(): OutputElement<O>[] {
    return this.operatorHarness.getOutput()
  }

  /** The watermarks forwarded, in order. */
  getWatermarks(): number[] {
    return this.operatorHarness.getWatermarks()
  }

  /** The records emitted to a side output, in order (empty if none). */
  getSideOutput<S>(tag: OutputTag<S>): S[] {
    return this.operatorHarness.getSideOutput(tag).map((r) => r.value)
  }

  /** The records emitted to a side output, with their timestamps, in order. */
  getSideOutputRecords<S>(tag: OutputTag<S>): TimestampedValue<S>[] {
    return this.operatorHarness.getSideOutput(tag)
  }

  /** Forgets the output recorded so far (main and side outputs). */
  clearOutput(): this {
    this.operatorHarness.clearOutput()
    return this
  }

  /** The number of pending event-time timers. */
  numEventTimeTimers(): number {
    return this.operatorHarness.numEventTimeTimers()
  }

  /** The number of pending processing-time timers. */
  numProcessingTimeTimers(): number {
    return this.operatorHarness.numProcessingTimeTimers()
  }

  /** The number of (key, namespace) entries over all keyed state (0 when not keyed). */
  numKeyedStateEntries(): number {
    return this.operatorHarness.numKeyedStateEntries()
  }

  /**
   * Snapshots the operator's state (keyed state, timers, operator and broadcast state) as a
   * checkpoint would; restore it into a fresh harness with the harness class' `restore`.
   */
  snapshot(): OperatorSnapshot {
    return this.operatorHarness.snapshot()
  }

  /** Closes the operator (and the function). */
  close(): void {
    this.operatorHarness.close()
  }

  /** The pending timers of the function (in its timer service), in firing order. */
  protected timersOf<K>(domain: 'event' | 'processing'): { timestamp: number; key: K }[] {
    return this.operatorHarness.timers(domain, USER_TIMERS).map((t) => ({ timestamp: t.timestamp, key: t.key as K }))
  }

  /**
   * The state of a key for a descriptor: sets `key` as the current key and returns the state
   * object, valid until the harness processes something else.
   */
  protected keyedState<K extends Key, S extends State>(key: K, descriptor: StateDescriptor<S>): S {
    const backend = this.operatorHarness.keyedStateBackend
    if (backend === undefined) throw new TypeError('This harness runs a non-keyed function: it has no keyed state.')
    backend.setCurrentKey(key)
    return backend.getOrCreateKeyedState(descriptor).state
  }
}
