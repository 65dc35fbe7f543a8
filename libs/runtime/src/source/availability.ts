/** A promise that is already resolved, returned by `isAvailable` when a reader has work. @internal */
export const AVAILABLE: Promise<void> = Promise.resolve()

/**
 * The wake-up signal behind a reader's `isAvailable()`.
 *
 * @remarks
 * `pollNext` calls {@link Availability.reset} first; events that happen afterwards (a chunk read, a
 * split added, a rate timer) call {@link Availability.notify}. An event between the end of
 * `pollNext` and the call to `isAvailable` is not lost: {@link Availability.wait} then returns a
 * resolved promise. One promise is allocated per wait, never per record.
 *
 * @internal
 */
export class Availability {
  private signaled = false
  private promise: Promise<void> | undefined
  private resolvePromise: (() => void) | undefined

  /** Forgets earlier events: the caller has seen their effect. */
  reset(): void {
    this.signaled = false
  }

  /** Records an event and wakes the waiter, if any. */
  notify(): void {
    this.signaled = true
    const resolve = this.resolvePromise
    if (resolve !== undefined) {
      this.promise = undefined
      this.resolvePromise = undefined
      resolve()
    }
  }

  /** Resolves at the next event, or at once if one happened since the last reset. */
  wait(): Promise<void> {
    if (this.signaled) return AVAILABLE
    if (this.promise === undefined) {
      this.promise = new Promise<void>((resolve) => {
        this.resolvePromise = resolve
      })
    }
    return this.promise
  }
}
