import { performance } from 'node:perf_hooks'

/** The timings of one implementation over the measured rounds (warm-up rounds excluded). */
export interface Series {
  readonly id: string
  readonly label: string
  /** Events each run processed. */
  readonly events: number
  /** Wall-clock time of each measured round, in ms. */
  readonly runsMs: number[]
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Events per second of the median round. */
export const eventsPerSecond = (s: Series): number => s.events / (median(s.runsMs) / 1000)

/** Runs `fn` and returns its result and its wall-clock time in ms. */
export const timed = async <T>(fn: () => T | Promise<T>): Promise<{ value: T; ms: number }> => {
  const t0 = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - t0 }
}

/** Asks V8 for a full collection between runs when node runs with --expose-gc; else does nothing. */
export const collectGarbage = (): void => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (typeof gc === 'function') gc()
}
