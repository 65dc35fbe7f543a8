// A deterministic clickstream: click i is a pure function of (seed, i).

/** A page view. `ts` is when it happened (event time, ms); it may arrive late. */
export interface Click {
  readonly id: number
  readonly user: string
  readonly url: string
  readonly ts: number
}

/** Event time between two consecutive clicks (over all users). */
export const CLICK_INTERVAL_MS = 60_000
/** How far out of order on-time clicks arrive, at most. */
export const MAX_DISORDER_MS = 10_000
/** How far behind offline devices upload their clicks. */
export const OFFLINE_DELAY_MS = 3 * 3_600_000
/** Slow clicks (a phone on a bad connection) arrive between 20 and 40 minutes after they happened. */
export const SLOW_DELAY_MIN_MS = 20 * 60_000
export const SLOW_DELAY_MAX_MS = 40 * 60_000

const PAGES = ['/', '/search', '/product/1', '/product/2', '/product/3', '/cart', '/checkout', '/help']

const random = (seed: number, i: number, salt: number): number => {
  let h = Math.imul(seed ^ 0x3c6ef372, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b) ^ Math.imul(salt + 3, 0xc2b2ae35)
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b)
  h ^= h >>> 16
  return (h >>> 0) / 4_294_967_296
}

export interface ClickOptions {
  readonly seed: number
  /** Users with on-time clicks. */
  readonly users: number
  /** The share of clicks that come from offline devices, hours late. */
  readonly offlineShare: number
  /**
   * The share of clicks of the regular users that arrive 20 to 40 minutes late: around the time
   * their session closes, so they extend it, update it after it was emitted (a late firing), or
   * miss it (the late output).
   */
  readonly slowShare: number
}

export const DEFAULT_CLICK_OPTIONS: ClickOptions = { seed: 1, users: 20, offlineShare: 0.01, slowShare: 0.02 }

/**
 * Click `i`: around `i` minutes of event time, from one of `users` users, up to 10 s out of order.
 * A few (after the first four hours) come from offline devices (users `offline-*`) that upload
 * clicks made three hours earlier: they arrive after their sessions could have closed. Some clicks
 * of the regular users (after the first hour) are slow: they happened 20 to 40 minutes earlier.
 */
export const click =
  (o: ClickOptions = DEFAULT_CLICK_OPTIONS) =>
  (i: number): Click => {
    const now = i * CLICK_INTERVAL_MS
    const url = PAGES[Math.floor(random(o.seed, i, 1) * PAGES.length)]!
    if (now >= 4 * 3_600_000 && random(o.seed, i, 2) < o.offlineShare)
      return { id: i, user: `offline-${Math.floor(random(o.seed, i, 3) * 5)}`, url, ts: now - OFFLINE_DELAY_MS }
    const user = `user-${Math.floor(random(o.seed, i, 4) * o.users)}`
    if (now >= 3_600_000 && random(o.seed, i, 6) < o.slowShare)
      return { id: i, user, url, ts: now - SLOW_DELAY_MIN_MS - Math.floor(random(o.seed, i, 7) * (SLOW_DELAY_MAX_MS - SLOW_DELAY_MIN_MS)) }
    return { id: i, user, url, ts: now - Math.floor(random(o.seed, i, 5) * MAX_DISORDER_MS) }
  }
