import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MapStateDescriptor, ValueStateDescriptor } from '@strom/process'
import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import { sumMetric } from '@strom/runtime'
import type { Click } from './clicks.js'
import { BURSTS, LATE_CLICKS, SessionAlertFunction } from './session-function.js'
import type { OpenSession, SessionAlert, SessionOptions } from './session-function.js'
import { byBurst, bySession, expectedAlerts } from './expected-alerts.fixture.js'

const OPTIONS: SessionOptions = { gapMs: 1_000, burstWindowMs: 1_000, burstClicks: 1_000 }
const byUser = (c: Click): string => c.user
const click = (user: string, ts: number): Click => ({ user, page: '/', ts })
const harness = (options: SessionOptions = OPTIONS) => KeyedProcessFunctionHarness.of(new SessionAlertFunction(options), byUser)
type Harness = ReturnType<typeof harness>
const feed = (h: Harness, user: string, ...times: number[]): Harness => {
  for (const t of times) h.processElement(click(user, t), t)
  return h
}
const alert = (user: string, start: number, end: number, clicks: number): SessionAlert => ({ user, start, end, clicks, durationMs: end - start })
const SESSIONS = new ValueStateDescriptor<OpenSession[]>('open-sessions')
const WINDOWS = new MapStateDescriptor<number, number>('burst-windows')
const metric = (h: Harness, name: string): number => sumMetric(h.operatorHarness.metrics.snapshot(), name)

describe('SessionAlertFunction', () => {
  it('ends a session when the watermark passes its last click + the gap, with one timer at a time', () => {
    const h = feed(harness(), 'a', 1_000, 1_500, 2_200)
    expect(h.getState('a', SESSIONS).value()).toEqual([{ start: 1_000, end: 2_200, clicks: 3 }])
    // one timer, at the first click + gap; it does not move with every click
    expect(h.eventTimeTimers()).toEqual([{ timestamp: 2_000, key: 'a' }])
    h.processWatermark(2_500)
    // the timer fired, the session had grown: a new timer at its end + gap
    expect(h.extractOutputValues()).toEqual([])
    expect(h.eventTimeTimers()).toEqual([{ timestamp: 3_200, key: 'a' }])
    h.processWatermark(3_199)
    expect(h.extractOutputValues()).toEqual([])
    h.processWatermark(3_200)
    expect(h.extractOutputRecords()).toEqual([{ value: alert('a', 1_000, 2_200, 3), timestamp: 3_200 }])
    // nothing is left behind once the burst window closes too
    h.processWatermark(10_000)
    expect(h.numEventTimeTimers()).toBe(0)
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(metric(h, 'sessionsEnded')).toBe(1)
    expect(metric(h, 'clicks')).toBe(3)
  })

  it('cuts sessions at a pause of exactly the gap, keeps users apart, and ends all at the end of input', () => {
    const h = harness()
    feed(h, 'a', 0, 999, 1_999) // pauses of 999 and 1000 ms: the second one cuts
    feed(h, 'b', 500, 600)
    h.endInput()
    expect(h.extractOutputValues().sort(bySession)).toEqual([alert('a', 0, 999, 2), alert('a', 1_999, 1_999, 1), alert('b', 500, 600, 2)])
  })

  it('handles clicks out of order: a later session first, then a click that bridges the two', () => {
    const h = harness()
    feed(h, 'a', 5_000, 5_100) // ahead of the watermark (e.g. from a faster source split)
    feed(h, 'a', 3_000) // an earlier session: more than the gap before the first
    expect(h.getState('a', SESSIONS).value()).toEqual([
      { start: 3_000, end: 3_000, clicks: 1 },
      { start: 5_000, end: 5_100, clicks: 2 },
    ])
    feed(h, 'a', 3_900) // 900 after the first, 1100 before the second: extends the first only
    feed(h, 'a', 4_500, 2_500) // bridges the gap, then extends the merged session backwards
    expect(h.getState('a', SESSIONS).value()).toEqual([{ start: 2_500, end: 5_100, clicks: 6 }])
    // timers at the first click of each session that was opened, + the gap
    expect(h.eventTimeTimers().map((t) => t.timestamp)).toEqual([4_000, 6_000])
    h.processWatermark(6_099)
    expect(h.extractOutputValues()).toEqual([])
    h.processWatermark(6_100)
    expect(h.extractOutputValues()).toEqual([alert('a', 2_500, 5_100, 6)])
  })

  it('ends an earlier session while a later one of the same user stays open', () => {
    const h = feed(harness(), 'a', 8_000, 1_000, 1_200)
    h.processWatermark(2_200)
    expect(h.extractOutputValues()).toEqual([alert('a', 1_000, 1_200, 2)])
    expect(h.getState('a', SESSIONS).value()).toEqual([{ start: 8_000, end: 8_000, clicks: 1 }])
    h.processWatermark(9_000)
    expect(h.extractOutputValues()).toEqual([alert('a', 1_000, 1_200, 2), alert('a', 8_000, 8_000, 1)])
  })

  it('sends clicks at or below the watermark to the late side output, changing nothing', () => {
    const h = feed(harness(), 'a', 10_000)
    h.processWatermark(9_000)
    feed(h, 'a', 8_500, 9_000, 9_001)
    expect(h.getSideOutput(LATE_CLICKS)).toEqual([click('a', 8_500), click('a', 9_000)])
    expect(h.getSideOutputRecords(LATE_CLICKS).map((r) => r.timestamp)).toEqual([8_500, 9_000])
    expect(h.getState('a', SESSIONS).value()).toEqual([{ start: 9_001, end: 10_000, clicks: 2 }])
    // a late click does not open a session for a user without state either
    feed(h, 'b', 100)
    expect(h.getState('b', SESSIONS).value()).toBeUndefined()
    h.endInput()
    expect(h.extractOutputValues()).toEqual([alert('a', 9_001, 10_000, 2)])
    expect(metric(h, 'lateClicks')).toBe(3)
  })

  it('reports a burst once per user and window, and drops the window once it closed', () => {
    const h = harness({ gapMs: 1_000, burstWindowMs: 1_000, burstClicks: 3 })
    feed(h, 'a', 100, 900, 999) // three in [0, 1000)
    feed(h, 'a', 998, 1_000, 1_001) // a fourth in [0, 1000): no second alert; two in [1000, 2000)
    feed(h, 'b', 100, 200)
    expect(h.getSideOutput(BURSTS)).toEqual([{ user: 'a', windowStart: 0, windowEnd: 1_000, clicks: 3 }])
    expect(h.getSideOutputRecords(BURSTS)[0]!.timestamp).toBe(999)
    expect([...h.getState('a', WINDOWS).entries()]).toEqual([
      [0, 4],
      [1, 2],
    ])
    // a's session timer at 1100 fires (the session goes on): window 0 has closed, window 1 not yet
    h.processWatermark(1_100)
    expect([...h.getState('a', WINDOWS).entries()]).toEqual([[1, 2]])
    feed(h, 'a', 2_500) // a new session, in window 2
    h.processWatermark(2_001)
    expect(h.extractOutputValues()).toEqual([alert('b', 100, 200, 2), alert('a', 100, 1_001, 6)])
    expect([...h.getState('a', WINDOWS).entries()]).toEqual([[2, 1]])
    h.endInput()
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
    expect(metric(h, 'bursts')).toBe(1)
  })

  it('cleans up the burst windows of a user whose last session ended before they closed', () => {
    const h = harness({ gapMs: 100, burstWindowMs: 10_000, burstClicks: 99 })
    feed(h, 'a', 1_000, 1_050)
    h.processWatermark(1_150)
    expect(h.extractOutputValues()).toEqual([alert('a', 1_000, 1_050, 2)])
    // window [0, 10000) is still open: a click at 9000 would count in it
    expect(h.eventTimeTimers()).toEqual([{ timestamp: 9_999, key: 'a' }])
    expect(h.numKeyedStateEntries()).toBe(1)
    h.processWatermark(9_999)
    expect(h.numKeyedStateEntries()).toBe(0)
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('restores from a snapshot in the middle of a session and goes on', () => {
    const h = feed(harness(), 'a', 1_000, 1_400)
    feed(h, 'b', 1_100)
    h.processWatermark(1_500)
    const restored = KeyedProcessFunctionHarness.restore(new SessionAlertFunction(OPTIONS), byUser, h.snapshot())
    feed(restored, 'a', 2_000)
    restored.processWatermark(2_100)
    expect(restored.extractOutputValues()).toEqual([alert('b', 1_100, 1_100, 1)])
    restored.endInput()
    expect(restored.extractOutputValues()).toEqual([alert('b', 1_100, 1_100, 1), alert('a', 1_000, 2_000, 3)])
  })

  it('rejects bad options', () => {
    expect(() => new SessionAlertFunction({ ...OPTIONS, gapMs: 0 })).toThrow(/session gap must be a positive integer/)
    expect(() => new SessionAlertFunction({ ...OPTIONS, burstWindowMs: 1.5 })).toThrow(/burst window/)
    expect(() => new SessionAlertFunction({ ...OPTIONS, burstClicks: 0 })).toThrow(/burst threshold/)
  })

  it('emits what the brute force computes, for clicks in any order above a watermark that lags', () => {
    // Clicks arrive in any order, and the watermark moves up now and then, but never to or past
    // a click still to come (as a bounded out-of-orderness strategy guarantees): no click is late,
    // so the result must not depend on the order.
    const clickArb = fc.record({ user: fc.constantFrom('a', 'b', 'c'), page: fc.constant('/'), ts: fc.integer({ min: 0, max: 3_000 }) })
    const stepArb = fc.record({ click: clickArb, watermark: fc.boolean() })
    const optionsArb = fc.record({
      gapMs: fc.integer({ min: 1, max: 400 }),
      burstWindowMs: fc.integer({ min: 1, max: 1_000 }),
      burstClicks: fc.integer({ min: 1, max: 6 }),
    })
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 80 }), optionsArb, (steps, options) => {
        const h = harness(options)
        let watermark = Number.NEGATIVE_INFINITY
        steps.forEach((step, i) => {
          h.processElement(step.click, step.click.ts)
          if (step.watermark) {
            const rest = steps.slice(i + 1).map((s) => s.click.ts)
            const next = Math.min(...rest) - 1 // below every click still to come
            if (next > watermark && Number.isFinite(next)) h.processWatermark((watermark = next))
          }
        })
        h.endInput()
        const want = expectedAlerts(
          steps.map((s) => s.click),
          options,
        )
        expect(h.getSideOutput(LATE_CLICKS)).toEqual([])
        expect(h.extractOutputValues().sort(bySession)).toEqual(want.sessions)
        expect(h.getSideOutput(BURSTS).sort(byBurst)).toEqual(want.bursts)
        expect(h.numKeyedStateEntries()).toBe(0)
      }),
      { numRuns: 300 },
    )
  })
})
