import { performance } from 'node:perf_hooks'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

/** The timings of one implementation over the measured rounds (warm-up rounds excluded). */
export interface Series {
  readonly id: string
  readonly label: string
  /** Events each run processed. */
  readonly events: number
  /** Wall-clock time of each measured round, in ms. */
  readonly runsMs: number[]
  /**
   * The process's CPU time (user + system, all threads) of each measured round, in ms, where the
   * scenario measures it: on a shared machine it is less disturbed by other processes than the
   * wall-clock time.
   */
  readonly cpuMs?: number[]
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}

/** Events per second of the median round. */
export const eventsPerSecond = (s: Series): number => s.events / (median(s.runsMs) / 1000)

/** Events per second of CPU time (median round), or NaN without CPU times. */
export const eventsPerCpuSecond = (s: Series): number => (s.cpuMs === undefined || s.cpuMs.length === 0 ? Number.NaN : s.events / (median(s.cpuMs) / 1000))

/** Starts a stopwatch of wall-clock and CPU time; `stop()` reads both, in ms. */
export const stopwatch = (): { stop: () => { ms: number; cpuMs: number } } => {
  const t0 = performance.now()
  const c0 = process.cpuUsage()
  return {
    stop: () => {
      const c = process.cpuUsage(c0)
      return { ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }
    },
  }
}

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

let exposedGc: (() => void) | undefined

/**
 * A full collection between runs, whether or not node runs with --expose-gc: so that a run does not
 * pay for collecting the garbage of the run before it (e.g. a whole job's state), which would
 * favour the implementations that happen to follow a light one.
 */
export const forceGarbageCollection = (): void => {
  if (exposedGc === undefined) {
    const gc = (globalThis as { gc?: () => void }).gc
    if (typeof gc === 'function') exposedGc = gc
    else {
      // the flag makes `gc` a global of contexts created from now on
      setFlagsFromString('--expose-gc')
      exposedGc = runInNewContext('gc') as () => void
    }
  }
  exposedGc()
}
