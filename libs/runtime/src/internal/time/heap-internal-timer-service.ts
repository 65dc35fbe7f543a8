import { InternalError, StateError } from '../../core/errors.js'
import { MIN_WATERMARK } from '../../core/element.js'
import type { Key } from '../../core/key.js'
import type { KeyedStateBackend, Namespace } from '../../state/keyed-state-backend.js'
import type { InternalTimerService, ProcessingTimeService, Triggerable } from '../../time/timer-service.js'
import { TimerQueue, type TimerCapture, type TimerEntry } from './timer-queue.js'

/**
 * The timers of one operator for one purpose (e.g. a window operator's window timers), kept on
 * the heap in two priority queues, one for event time and one for processing time.
 *
 * @remarks
 * - Timers are keyed by (timestamp, current key of the backend, namespace) and deduplicated:
 *   registering an existing timer changes nothing and allocates nothing.
 * - Event-time timers fire from {@link HeapInternalTimerService.advanceWatermark}, in timestamp
 *   order (ties in registration order), each exactly once, when `timestamp <= watermark`. A timer
 *   registered while firing for a time at or below the watermark fires in the same advance; one
 *   registered later for a time already passed fires at the next advance.
 * - Processing-time timers: the service keeps exactly one callback registered with the
 *   {@link ProcessingTimeService}, for its earliest timer, and moves it as that changes. The
 *   callback for time `t` fires every timer with `timestamp <= t`, in order.
 * - Before each firing the timer's key is set as the backend's current key. The timer object the
 *   triggerable receives must not be kept.
 * - Timestamps must be numbers (`±Infinity` included); `NaN` ({@link NO_TIMESTAMP}) is an error.
 *
 * Created by {@link InternalTimeServiceManagerImpl}; timers fire only once
 * {@link HeapInternalTimerService.startTimerService} gave the service its triggerable.
 *
 * @typeParam K - the key type
 * @typeParam N - the namespace type
 * @category Time
 * @since 0.1.0
 */
export class HeapInternalTimerService<K extends Key, N extends Namespace = Namespace>
  implements InternalTimerService<N>
{
  private readonly eventTimeTimers = new TimerQueue<K, N>()
  private readonly processingTimeTimers = new TimerQueue<K, N>()
  private triggerable: Triggerable<K, N> | undefined
  private watermark = MIN_WATERMARK
  /** The callback registered with the processing time service, and its time. */
  private scheduled: { cancel(): void } | undefined
  private scheduledTime = Number.NaN
  private firingProcessingTime = false
  private readonly onProcessingTimeCallback = (time: number): void => this.onProcessingTime(time)

  /**
   * @param name - the service's name, unique within its operator (timers are checkpointed by it)
   * @param backend - the operator's keyed state backend: gives the current key, and is set to the
   *   timer's key before each firing
   * @param processingTimeService - schedules the processing-time callbacks
   */
  constructor(
    readonly name: string,
    private readonly backend: KeyedStateBackend<K>,
    private readonly processingTimeService: ProcessingTimeService,
  ) {}

  /**
   * Gives the service the target of its timers; timers fire only from then on. Schedules the
   * earliest processing-time timer (e.g. restored ones). Starting again with the same triggerable
   * does nothing; with another one it is an error.
   */
  startTimerService(triggerable: Triggerable<K, N>): void {
    if (this.triggerable === triggerable) return
    if (this.triggerable !== undefined)
      throw new StateError(`Timer service '${this.name}' is already started with another triggerable.`)
    this.triggerable = triggerable
    this.syncProcessingTimeCallback()
  }

  /** Whether {@link HeapInternalTimerService.startTimerService} was called. */
  isStarted(): boolean {
    return this.triggerable !== undefined
  }

  currentProcessingTime(): number {
    return this.processingTimeService.getCurrentProcessingTime()
  }

  currentWatermark(): number {
    return this.watermark
  }

  registerEventTimeTimer(namespace: N, time: number): void {
    if (time !== time) throw noTimestamp(this.name, 'event-time')
    const key = this.backend.getCurrentKey()
    if (this.eventTimeTimers.contains(time, key, namespace)) return
    this.eventTimeTimers.add(time, key, namespace, this.backend.getCurrentKeyGroup())
  }

  registerProcessingTimeTimer(namespace: N, time: number): void {
    if (time !== time) throw noTimestamp(this.name, 'processing-time')
    const key = this.backend.getCurrentKey()
    const q = this.processingTimeTimers
    if (q.contains(time, key, namespace)) return
    q.add(time, key, namespace, this.backend.getCurrentKeyGroup())
    if (q.peek()!.timestamp !== this.scheduledTime) this.syncProcessingTimeCallback()
  }

  deleteEventTimeTimer(namespace: N, time: number): void {
    this.eventTimeTimers.remove(time, this.backend.getCurrentKey(), namespace)
  }

  deleteProcessingTimeTimer(namespace: N, time: number): void {
    if (this.processingTimeTimers.remove(time, this.backend.getCurrentKey(), namespace))
      this.syncProcessingTimeCallback()
  }

  numEventTimeTimers(): number {
    return this.eventTimeTimers.size
  }

  numProcessingTimeTimers(): number {
    return this.processingTimeTimers.size
  }

  forEachEventTimeTimer(fn: (timestamp: number, key: Key, namespace: N) => void): void {
    for (const t of this.eventTimeTimers.toSortedArray()) fn(t.timestamp, t.key, t.namespace)
  }

  forEachProcessingTimeTimer(fn: (timestamp: number, key: Key, namespace: N) => void): void {
    for (const t of this.processingTimeTimers.toSortedArray()) fn(t.timestamp, t.key, t.namespace)
  }

  /**
   * Fires every event-time timer with `timestamp <= watermark`, in order, including those
   * registered meanwhile. The service's watermark only goes up: a lower `watermark` fires
   * timers up to the current one (e.g. timers registered late) and leaves it.
   */
  advanceWatermark(watermark: number): void {
    if (watermark > this.watermark) this.watermark = watermark
    const wm = this.watermark
    const q = this.eventTimeTimers
    let head = q.peek()
    if (head === undefined || !(head.timestamp <= wm)) return
    const target = this.started()
    const backend = this.backend
    while (head !== undefined && head.timestamp <= wm) {
      q.poll()
      backend.setCurrentKey(head.key)
      target.onEventTime(head)
      head = q.peek()
    }
  }

  /** Cancels the scheduled processing-time callback; the timers stay (for a snapshot). */
  dispose(): void {
    this.scheduled?.cancel()
    this.scheduled = undefined
    this.scheduledTime = Number.NaN
  }

  /** Adds a restored timer, without a current key. @internal */
  restoreTimer(eventTime: boolean, timestamp: number, key: K, namespace: N, keyGroup: number): void {
    if (eventTime) this.eventTimeTimers.add(timestamp, key, namespace, keyGroup)
    else if (this.processingTimeTimers.add(timestamp, key, namespace, keyGroup)) this.syncProcessingTimeCallback()
  }

  /** The pending timers now, for a snapshot (cheap: read them later). @internal */
  captureTimers(eventTime: boolean): TimerCapture<K, N> {
    return (eventTime ? this.eventTimeTimers : this.processingTimeTimers).capture()
  }

  /** The pending timers in firing order, with their key groups. @internal */
  sortedTimers(eventTime: boolean): readonly TimerEntry<K, N>[] {
    return (eventTime ? this.eventTimeTimers : this.processingTimeTimers).toSortedArray()
  }

  private started(): Triggerable<K, N> {
    const t = this.triggerable
    if (t === undefined)
      throw new InternalError(
        `Timer service '${this.name}' has timers due but was never started: the operator did not ask for it (getInternalTimerService) after a restore.`,
      )
    return t
  }

  /**
   * Fires every pending processing-time timer, in timestamp order, including those registered while
   * firing up to the latest timestamp pending now (BATCH mode's end of input).
   */
  fireAllProcessingTimers(): void {
    const pending = this.processingTimeTimers.toSortedArray()
    const last = pending[pending.length - 1]
    if (last !== undefined) this.onProcessingTime(last.timestamp)
  }

  private onProcessingTime(time: number): void {
    this.scheduled = undefined
    this.scheduledTime = Number.NaN
    const q = this.processingTimeTimers
    let head = q.peek()
    if (head !== undefined && head.timestamp <= time) {
      const target = this.started()
      const backend = this.backend
      this.firingProcessingTime = true
      try {
        while (head !== undefined && head.timestamp <= time) {
          q.poll()
          backend.setCurrentKey(head.key)
          target.onProcessingTime(head)
          head = q.peek()
        }
      } finally {
        this.firingProcessingTime = false
      }
    }
    this.syncProcessingTimeCallback()
  }

  /** Keeps exactly one callback scheduled, for the earliest processing-time timer. */
  private syncProcessingTimeCallback(): void {
    if (this.firingProcessingTime || this.triggerable === undefined) return
    const head = this.processingTimeTimers.peek()
    if (head === undefined) {
      this.dispose()
      return
    }
    if (this.scheduled !== undefined && this.scheduledTime === head.timestamp) return
    this.scheduled?.cancel()
    this.scheduledTime = head.timestamp
    this.scheduled = this.processingTimeService.registerTimer(head.timestamp, this.onProcessingTimeCallback)
  }
}

const noTimestamp = (name: string, kind: string): StateError =>
  new StateError(
    `Cannot register a ${kind} timer at NaN in timer service '${name}': the record has no timestamp. ` +
      'Assign timestamps with a WatermarkStrategy (withTimestampAssigner) before event-time operations.',
  )
