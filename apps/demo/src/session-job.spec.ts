import { describe, expect, it } from 'vitest'
import { executeGraph, executeJob, sumMetric } from '@strom/runtime'
import { DEFAULT_CLICK_STREAM, clickGenerator } from './clicks.js'
import type { Click } from './clicks.js'
import { SESSIONS_OPERATOR, buildSessionGraph, collectSinks, sessionJob } from './session-job.js'
import type { SessionJobParams } from './session-job.js'
import { byBurst, bySession, expectedAlerts } from './expected-alerts.fixture.js'

const COUNT = 40_000

/**
 * 20 s of event time: 300 users, about 75 active at a time in bouts of 3 s, 25 clicks/s each,
 * out of order by up to 100 ms; a session gap of 150 ms, so bouts also break up inside; a bot
 * with 5% of the clicks (100/s) against a burst threshold of 40 clicks/s.
 */
const params = (parallelism: number, latePerMillion = 0): SessionJobParams => ({
  clicks: {
    ...DEFAULT_CLICK_STREAM,
    users: 300,
    eventsPerSecond: 2_000,
    seed: 7,
    maxOutOfOrdernessMs: 100,
    epochMs: 3_000,
    botPerMillion: 50_000,
    latePerMillion,
    lateByMs: 2_000,
  },
  session: { gapMs: 150, burstWindowMs: 1_000, burstClicks: 40 },
  parallelism,
  count: COUNT,
  output: 'collect',
})

/** Every click of a bounded run, by brute force from the generator. */
const allClicks = (p: SessionJobParams): Click[] => Array.from({ length: p.count! }, (_, i) => clickGenerator(p.clicks)(i))

const clearSinks = (): void => {
  collectSinks.alerts.clear()
  collectSinks.bursts.clear()
  collectSinks.late.clear()
}

describe('the session job on a bounded click stream', () => {
  const p1 = params(1)
  const want = expectedAlerts(allClicks(p1), p1.session)

  it('has an input that exercises the job: sessions, splits inside bouts, bursts, no late data', () => {
    expect(want.sessions.length).toBeGreaterThan(500)
    expect(want.sessions.reduce((n, s) => n + s.clicks, 0)).toBe(COUNT)
    // more sessions than bouts: pauses of a gap or more inside a bout cut sessions too
    expect(new Set(want.sessions.map((s) => s.user)).size).toBeLessThan(want.sessions.length)
    expect(want.bursts.length).toBeGreaterThan(5)
  })

  it.each([
    ['parallelism 1, executeJob (in the main thread)', 1, 'job'],
    ['parallelism 2, executeJob (worker threads)', 2, 'job'],
    ['parallelism 2, executeGraph (subtasks share the main thread)', 2, 'graph'],
  ] as const)('emits exactly the brute-force alerts at %s', async (_name, parallelism, how) => {
    const p = params(parallelism)
    clearSinks()
    const client = how === 'job' ? executeJob(sessionJob, p) : executeGraph(buildSessionGraph(p, collectSinks))
    const result = await client.result
    expect(result.status).toBe('FINISHED')
    expect(collectSinks.late.values).toEqual([])
    expect([...collectSinks.alerts.values].sort(bySession)).toEqual(want.sessions)
    expect([...collectSinks.bursts.values].sort(byBurst)).toEqual(want.bursts)
    // each alert carries the time of the timer that emitted it: after the session's end + gap
    for (const r of collectSinks.alerts.records) expect(r.timestamp).toBeGreaterThanOrEqual(r.value.end + p.session.gapMs)
    const op = SESSIONS_OPERATOR
    expect(sumMetric(result.metrics, 'clicks', op)).toBe(COUNT)
    expect(sumMetric(result.metrics, 'sessionsEnded', op)).toBe(want.sessions.length)
    expect(sumMetric(result.metrics, 'bursts', op)).toBe(want.bursts.length)
    expect(sumMetric(result.metrics, 'lateClicks', op)).toBe(0)
  }, 60_000)

  it.each([1, 2])('with late clicks at parallelism %i: late ones go to the side output, the rest make the brute-force alerts', async (parallelism) => {
    // Which clicks end up late depends on when watermarks are emitted (every 200 ms of wall
    // clock), so the check is: the alerts are what the clicks that were not late make.
    const p = { ...params(parallelism, 20_000), rowsPerSecond: 40_000 }
    clearSinks()
    const result = await executeJob(sessionJob, p).result
    const late = collectSinks.late.values
    expect(late.length).toBeGreaterThan(0)
    const remaining = new Map<string, number>()
    const keyOf = (c: Click): string => `${c.user} ${c.page} ${c.ts}`
    for (const c of late) remaining.set(keyOf(c), (remaining.get(keyOf(c)) ?? 0) + 1)
    const onTime = allClicks(p).filter((c) => {
      const n = remaining.get(keyOf(c)) ?? 0
      if (n === 0) return true
      remaining.set(keyOf(c), n - 1)
      return false
    })
    expect(onTime.length).toBe(COUNT - late.length) // every late click is one of the generated ones
    const expected = expectedAlerts(onTime, p.session)
    expect([...collectSinks.alerts.values].sort(bySession)).toEqual(expected.sessions)
    expect([...collectSinks.bursts.values].sort(byBurst)).toEqual(expected.bursts)
    expect(sumMetric(result.metrics, 'lateClicks', SESSIONS_OPERATOR)).toBe(late.length)
  }, 60_000)
})
