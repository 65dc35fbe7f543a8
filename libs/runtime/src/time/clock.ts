/**
 * The source of processing time (wall-clock ms since the epoch).
 *
 * @remarks
 * Injected into every task so that tests can run processing time by hand with a
 * {@link ManualClock}.
 *
 * @category Time
 * @since 0.1.0
 */
export interface Clock {
  /** The current processing time in ms. */
  now(): number
}

/**
 * The system's wall clock.
 *
 * @category Time
 * @since 0.1.0
 */
export const SystemClock: Clock = { now: () => Date.now() }

/**
 * A clock that moves only when told to, for tests.
 *
 * @category Time
 * @since 0.1.0
 */
export class ManualClock implements Clock {
  constructor(private time = 0) {}

  /** The current time. */
  now(): number {
    return this.time
  }

  /** Sets the time; it never moves backwards. */
  setTime(time: number): void {
    if (time < this.time) throw new RangeError(`A ManualClock does not go back in time (from ${this.time} to ${time}).`)
    this.time = time
  }

  /** Moves the time forward by `ms`. */
  advance(ms: number): void {
    this.setTime(this.time + ms)
  }
}
