import type { Key } from '../core/key.js'
import type { Namespace } from '../state/keyed-state-backend.js'

/**
 * Time and timers, as a process function sees them through its context.
 *
 * @remarks
 * Timers are scoped to the current key: a timer registered while processing a record of key `k`
 * fires with `k` as the current key. Registering the same (timestamp, key) twice gives one timer.
 * Event-time timers fire when the watermark reaches their timestamp (`watermark >= timestamp`);
 * processing-time timers when the clock does.
 *
 * @category Time
 * @since 0.1.0
 */
export interface TimerService {
  /** The current processing time. */
  currentProcessingTime(): number
  /** The current event time: the last watermark this operator received (-Infinity before any). */
  currentWatermark(): number
  /** Registers an event-time timer for the current key. */
  registerEventTimeTimer(time: number): void
  /** Registers a processing-time timer for the current key. */
  registerProcessingTimeTimer(time: number): void
  /** Deletes an event-time timer of the current key; nothing happens if there is none. */
  deleteEventTimeTimer(time: number): void
  /** Deletes a processing-time timer of the current key; nothing happens if there is none. */
  deleteProcessingTimeTimer(time: number): void
}

/**
 * A timer: when, for which key, in which namespace.
 *
 * @remarks
 * Timer objects may be reused by the timer service between firings: read them in the callback,
 * never keep them.
 *
 * @category Time
 * @since 0.1.0
 */
export interface InternalTimer<K, N extends Namespace = Namespace> {
  readonly timestamp: number
  readonly key: K
  readonly namespace: N
}

/**
 * What an operator implements to be called back by its timers.
 *
 * @category Time
 * @since 0.1.0
 */
export interface Triggerable<K, N extends Namespace = Namespace> {
  /** An event-time timer fired; the key is already set as the current key. */
  onEventTime(timer: InternalTimer<K, N>): void
  /** A processing-time timer fired; the key is already set as the current key. */
  onProcessingTime(timer: InternalTimer<K, N>): void
}

/**
 * The timers of one operator for one purpose, scoped by key (the backend's current key) and
 * namespace.
 *
 * @category Time
 * @since 0.1.0
 */
export interface InternalTimerService<N extends Namespace = Namespace> {
  currentProcessingTime(): number
  currentWatermark(): number
  registerEventTimeTimer(namespace: N, time: number): void
  registerProcessingTimeTimer(namespace: N, time: number): void
  deleteEventTimeTimer(namespace: N, time: number): void
  deleteProcessingTimeTimer(namespace: N, time: number): void
  /** The number of event-time timers pending. */
  numEventTimeTimers(): number
  /** The number of processing-time timers pending. */
  numProcessingTimeTimers(): number
  /** Visits every pending event-time timer in firing order (for tests and snapshots). */
  forEachEventTimeTimer(fn: (timestamp: number, key: Key, namespace: N) => void): void
  /** Visits every pending processing-time timer in firing order. */
  forEachProcessingTimeTimer(fn: (timestamp: number, key: Key, namespace: N) => void): void
}

/**
 * Schedules callbacks at processing times. The task implements it on its mailbox, so a callback
 * never runs concurrently with record processing; a test harness implements it on a manual clock.
 *
 * @category Time
 * @since 0.1.0
 */
export interface ProcessingTimeService {
  /** The current processing time. */
  getCurrentProcessingTime(): number
  /**
   * Calls `callback(time)` once processing time reaches `time` (at once, via the mailbox, if it
   * already has). Returns a handle that cancels it.
   */
  registerTimer(time: number, callback: (time: number) => void): { cancel(): void }
}

/**
 * Owns every timer service of one operator subtask and moves them with the watermark.
 *
 * @category Time
 * @since 0.1.0
 */
export interface InternalTimeServiceManager<K extends Key> {
  /**
   * The timer service with this name, created on first use; timers call `triggerable` with the
   * key set as the backend's current key.
   */
  getInternalTimerService<N extends Namespace>(name: string, triggerable: Triggerable<K, N>): InternalTimerService<N>
  /** Fires every event-time timer with timestamp <= watermark, in timestamp order. */
  advanceWatermark(watermark: number): void
  /**
   * Fires every pending processing-time timer now, in timestamp order, also those registered while
   * firing up to the latest timestamp pending when called: BATCH mode's end of input, where every
   * timer fires once, as in Flink.
   */
  fireAllProcessingTimers(): void
  /** The last watermark passed to {@link advanceWatermark}. */
  currentWatermark(): number
  /** Total pending timers, for metrics and tests. */
  numTimers(): number
}
