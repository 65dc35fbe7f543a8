import { describe, expect, it } from 'vitest'
import { RateMeter, formatEventTime, formatSessionAlert, sessionTotals } from './report.js'

const m = (subtask: number, clicks: number, time: number, extra: Record<string, number> = {}): Record<string, number> => {
  const out: Record<string, number> = {
    [`session-alerts.sessions.${subtask}.clicks`]: clicks,
    [`session-alerts.sessions.${subtask}.metricsTime`]: time,
    'session-alerts.clicks.0.numRecordsOut': 999,
  }
  for (const [k, v] of Object.entries(extra)) out[`session-alerts.sessions.${subtask}.${k}`] = v
  return out
}

describe('the console report', () => {
  it('formats event times', () => {
    expect(formatEventTime(0)).toBe('00:00.000')
    expect(formatEventTime(75_042)).toBe('01:15.042')
    expect(formatEventTime(3_723_004)).toBe('1:02:03.004')
    expect(formatEventTime(Number.NEGATIVE_INFINITY)).toBe('-')
    expect(formatEventTime(Number.POSITIVE_INFINITY)).toBe('+inf')
  })

  it('formats a session alert', () => {
    expect(formatSessionAlert({ user: 'u042', start: 1_000, end: 6_250, clicks: 1_234, durationMs: 5_250 })).toBe(
      'session ended  u042  1,234 clicks in 5.3 s  (00:01.000 -> 00:06.250)',
    )
  })

  it('sums the session metrics over subtasks, with the lowest watermark', () => {
    const metrics = { ...m(0, 10, 0, { watermark: 500, sessionsEnded: 2, bursts: 1 }), ...m(1, 5, 0, { watermark: 300, lateClicks: 4 }) }
    expect(sessionTotals(metrics)).toEqual({ clicks: 15, lateClicks: 4, sessionsEnded: 2, bursts: 1, watermark: 300, checkpoints: 0, lastCheckpointMs: 0 })
    expect(sessionTotals({}).watermark).toBe(Number.NEGATIVE_INFINITY)
  })

  it('measures the rate per subtask between its own reports, whenever they arrived', () => {
    const meter = new RateMeter()
    // first reports: the rate since each subtask opened (subtask 1 does not say when: 0)
    expect(meter.update({ ...m(0, 500, 1_000, { openTime: 500 }), ...m(1, 0, 1_200) })).toBe(1_000)
    expect(meter.update({ ...m(0, 500, 1_000, { openTime: 500 }), ...m(1, 0, 1_200) })).toBe(1_000)
    // subtask 0 reported after 500 ms, subtask 1 after 250 ms
    expect(meter.update({ ...m(0, 1_500, 1_500), ...m(1, 1_000, 1_450) })).toBe(2_000 + 4_000)
    // no new report from subtask 1: it keeps its last rate
    expect(meter.update({ ...m(0, 2_500, 2_500), ...m(1, 1_000, 1_450) })).toBe(1_000 + 4_000)
  })
})
