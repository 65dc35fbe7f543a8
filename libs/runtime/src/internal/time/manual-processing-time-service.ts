import { ManualClock } from '../../time/clock.js'
import type { ProcessingTimeService } from '../../time/timer-service.js'

/** One scheduled callback. */
class Scheduled {
  cancelled = false
  constructor(
    readonly time: number,
    readonly seq: number,
    readonly callback: (time: number) => void,
  ) {}
  cancel(): void {
    this.cancelled = true
  }
}

const before = (a: Scheduled, b: Scheduled): boolean => a.time < b.time || (a.time === b.time && a.seq < b.seq)

/**
 * A {@link ProcessingTimeService} on a {@link ManualClock}: processing time moves, and callbacks
 * fire, only when a test says so. This is what the test harnesses use.
 *
 * @remarks
 * - `registerTimer` never calls back synchronously, not even for a time already passed: such a
 *   callback fires at the next {@link ManualProcessingTimeService.advanceTo} or
 *   {@link ManualProcessingTimeService.fireDue} (as a task's mailbox would run it after the
 *   current call).
 * - `advanceTo(t)` fires every due callback with time `<= t` in time order (ties in registration
 *   order), moving the clock to each callback's time before calling it, so the callback sees the
 *   time it was scheduled for (or the current time if that is later); callbacks registered
 *   meanwhile for times `<= t` fire in the same call. The clock ends at `t`.
 * - A cancelled callback never fires.
 *
 * @category Time
 * @since 0.1.0
 */
export class ManualProcessingTimeService implements ProcessingTimeService {
  private readonly heap: Scheduled[] = []
  private nextSeq = 0

  /**
   * @param clock - the clock to drive; a new one at time 0 by default. Moving it directly
   *   (`clock.advance`) fires nothing until {@link ManualProcessingTimeService.fireDue}.
   */
  constructor(readonly clock: ManualClock = new ManualClock()) {}

  getCurrentProcessingTime(): number {
    return this.clock.now()
  }

  registerTimer(time: number, callback: (time: number) => void): { cancel(): void } {
    const s = new Scheduled(time, this.nextSeq++, callback)
    this.push(s)
    return s
  }

  /**
   * Moves processing time forward to `time`, firing due callbacks in time order. Throws a
   * RangeError if `time` lies before the current time.
   */
  advanceTo(time: number): void {
    if (time < this.clock.now())
      throw new RangeError(`Processing time does not go back (from ${this.clock.now()} to ${time}).`)
    this.fireUpTo(time)
    this.clock.setTime(time)
  }

  /** Moves processing time forward by `ms`, firing due callbacks. */
  advance(ms: number): void {
    this.advanceTo(this.clock.now() + ms)
  }

  /** Fires the callbacks due at the current time (those registered for a time already passed). */
  fireDue(): void {
    this.fireUpTo(this.clock.now())
  }

  /** The number of callbacks scheduled and not cancelled. */
  numScheduled(): number {
    let n = 0
    for (const s of this.heap) if (!s.cancelled) n++
    return n
  }

  /** The time of the earliest scheduled callback, or `undefined`. */
  nextScheduledTime(): number | undefined {
    this.dropCancelled()
    return this.heap[0]?.time
  }

  private fireUpTo(time: number): void {
    for (;;) {
      this.dropCancelled()
      const head = this.heap[0]
      if (head === undefined || !(head.time <= time)) return
      this.pop()
      if (head.time > this.clock.now()) this.clock.setTime(head.time)
      head.cancelled = true
      head.callback(head.time)
    }
  }

  private dropCancelled(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop()
  }

  private push(s: Scheduled): void {
    const heap = this.heap
    let i = heap.length
    heap.push(s)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!before(s, heap[p]!)) break
      heap[i] = heap[p]!
      i = p
    }
    heap[i] = s
  }

  private pop(): void {
    const heap = this.heap
    const last = heap.pop()!
    const n = heap.length
    if (n === 0) return
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && before(heap[r]!, heap[l]!) ? r : l
      if (!before(heap[c]!, last)) break
      heap[i] = heap[c]!
      i = c
    }
    heap[i] = last
  }
}
