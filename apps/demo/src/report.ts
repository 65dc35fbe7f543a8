import { sumMetric } from '@strom/runtime'
import type { BurstAlert, SessionAlert } from './session-function.js'
import { SESSIONS_OPERATOR, SESSION_JOB_NAME } from './session-job.js'

const n = (x: number): string => Math.round(x).toLocaleString('en-US')

/**
 * Formats an event time (ms since event time 0) as `mm:ss.SSS`, or `h:mm:ss.SSS` from an hour on.
 *
 * @category Demo
 * @since 0.1.0
 */
export const formatEventTime = (ms: number): string => {
  if (!Number.isFinite(ms)) return ms > 0 ? '+inf' : '-'
  const sign = ms < 0 ? '-' : ''
  const t = Math.abs(Math.round(ms))
  const h = Math.floor(t / 3_600_000)
  const m = Math.floor(t / 60_000) % 60
  const s = Math.floor(t / 1_000) % 60
  const pad = (x: number, w = 2): string => String(x).padStart(w, '0')
  return `${sign}${h > 0 ? `${h}:` : ''}${pad(m)}:${pad(s)}.${pad(t % 1_000, 3)}`
}

/**
 * One line for a session alert.
 *
 * @category Demo
 * @since 0.1.0
 */
export const formatSessionAlert = (a: SessionAlert): string =>
  `session ended  ${a.user}  ${n(a.clicks)} clicks in ${(a.durationMs / 1000).toFixed(1)} s  ` +
  `(${formatEventTime(a.start)} -> ${formatEventTime(a.end)})`

/**
 * One line for a burst alert.
 *
 * @category Demo
 * @since 0.1.0
 */
export const formatBurstAlert = (b: BurstAlert): string =>
  `BURST          ${b.user}  ${n(b.clicks)}+ clicks in [${formatEventTime(b.windowStart)}, ${formatEventTime(b.windowEnd)})`

/** The metric name prefix of the session operator's subtask `i`. */
const scopeOf = (i: number): string => `${SESSION_JOB_NAME}.${SESSIONS_OPERATOR}.${i}.`

/**
 * The totals the session operator reports in its metrics, summed over its subtasks.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface SessionTotals {
  readonly clicks: number
  readonly lateClicks: number
  readonly sessionsEnded: number
  readonly bursts: number
  /** The lowest watermark over the subtasks (`-Infinity` before the first). */
  readonly watermark: number
  /** Checkpoints completed (0 without checkpointing). */
  readonly checkpoints?: number
  /** How long the last checkpoint took, in ms. */
  readonly lastCheckpointMs?: number
}

/** The indices of the session operator's subtasks that appear in the metrics. */
const subtasksIn = (metrics: Readonly<Record<string, number>>): number[] => {
  const prefix = `${SESSION_JOB_NAME}.${SESSIONS_OPERATOR}.`
  const out: number[] = []
  for (const k of Object.keys(metrics))
    if (k.startsWith(prefix) && k.endsWith('.clicks')) out.push(Number(k.slice(prefix.length, -'.clicks'.length)))
  return out
}

/**
 * Reads the session operator's totals from the job's metrics (`client.metrics()` or the job
 * result's).
 *
 * @category Demo
 * @since 0.1.0
 */
export const sessionTotals = (metrics: Readonly<Record<string, number>>): SessionTotals => {
  const op = SESSIONS_OPERATOR
  let watermark = Number.POSITIVE_INFINITY
  for (const i of subtasksIn(metrics)) watermark = Math.min(watermark, metrics[`${scopeOf(i)}watermark`] ?? Number.NEGATIVE_INFINITY)
  return {
    clicks: sumMetric(metrics, 'clicks', op),
    lateClicks: sumMetric(metrics, 'lateClicks', op),
    sessionsEnded: sumMetric(metrics, 'sessionsEnded', op),
    bursts: sumMetric(metrics, 'bursts', op),
    watermark: watermark === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : watermark,
    checkpoints: metrics[`${SESSION_JOB_NAME}.numberOfCompletedCheckpoints`] ?? 0,
    lastCheckpointMs: metrics[`${SESSION_JOB_NAME}.lastCheckpointDuration`] ?? 0,
  }
}

/**
 * Measures clicks per second from successive metric snapshots.
 *
 * @remarks
 * Metrics of subtasks on worker threads reach the main thread about every 500 ms, so a value read
 * now may be up to half a second old. Each subtask therefore reports the wall-clock time its
 * metrics were read (the `metricsTime` gauge), and the meter divides each subtask's new clicks by
 * the time between its two reports (for the first report, since the `openTime` gauge), then sums
 * over the subtasks. A subtask without a new report keeps its last rate.
 *
 * @category Demo
 * @since 0.1.0
 */
export class RateMeter {
  private readonly last = new Map<number, { time: number; clicks: number; rate: number }>()

  /** Clicks per second over all subtasks, from each subtask's last two reports. */
  update(metrics: Readonly<Record<string, number>>): number {
    let total = 0
    for (const i of subtasksIn(metrics)) {
      const clicks = metrics[`${scopeOf(i)}clicks`] ?? 0
      const time = metrics[`${scopeOf(i)}metricsTime`] ?? Date.now()
      const prev = this.last.get(i)
      if (prev === undefined) {
        // the first report: the rate since the subtask opened
        const opened = metrics[`${scopeOf(i)}openTime`] ?? time
        const rate = time > opened ? (clicks * 1000) / (time - opened) : 0
        this.last.set(i, { time, clicks, rate })
        total += rate
      } else if (time > prev.time) {
        prev.rate = ((clicks - prev.clicks) * 1000) / (time - prev.time)
        prev.time = time
        prev.clicks = clicks
        total += prev.rate
      } else total += prev.rate
    }
    return total
  }
}

/**
 * The live line printed every second.
 *
 * @category Demo
 * @since 0.1.0
 */
export const formatLiveLine = (elapsedMs: number, rate: number, totals: SessionTotals, sessionsPerSecond: number): string =>
  `[${String(Math.round(elapsedMs / 1000)).padStart(4)}s] ${n(rate).padStart(9)} clicks/s  total ${n(totals.clicks)}` +
  `  | sessions ended ${n(totals.sessionsEnded)} (${n(sessionsPerSecond)}/s)  bursts ${n(totals.bursts)}  late ${n(totals.lateClicks)}` +
  `  | watermark ${formatEventTime(totals.watermark)}` +
  ((totals.checkpoints ?? 0) > 0 ? `  | checkpoints ${n(totals.checkpoints!)} (last ${n(totals.lastCheckpointMs ?? 0)} ms)` : '')

/**
 * The summary printed when the job has ended.
 *
 * @category Demo
 * @since 0.1.0
 */
export const formatSummary = (why: string, status: string, durationMs: number, totals: SessionTotals): string =>
  `${why}: job ${status} after ${(durationMs / 1000).toFixed(1)} s. ` +
  `${n(totals.clicks)} clicks (${n((totals.clicks * 1000) / Math.max(1, durationMs))}/s on average), ` +
  `${n(totals.sessionsEnded)} sessions ended, ${n(totals.bursts)} bursts, ${n(totals.lateClicks)} late clicks; ` +
  `watermark at the last click ${formatEventTime(totals.watermark)}.`
