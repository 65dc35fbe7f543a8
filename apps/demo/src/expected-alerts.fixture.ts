// For the specs: what the session function must emit, computed by brute force from the whole
// input at once (no state, no timers, no watermarks): sort each user's clicks by time, cut where
// the gap is at least gapMs, and count clicks per user and burst window.
import type { Click } from './clicks.js'
import type { BurstAlert, SessionAlert, SessionOptions } from './session-function.js'

/** Orders session alerts by user, then start. */
export const bySession = (a: SessionAlert, b: SessionAlert): number => (a.user < b.user ? -1 : a.user > b.user ? 1 : a.start - b.start)

/** Orders burst alerts by user, then window. */
export const byBurst = (a: BurstAlert, b: BurstAlert): number => (a.user < b.user ? -1 : a.user > b.user ? 1 : a.windowStart - b.windowStart)

/** The sessions and bursts of a set of clicks, each sorted. */
export const expectedAlerts = (
  clicks: Iterable<Click>,
  o: SessionOptions,
): { sessions: SessionAlert[]; bursts: BurstAlert[] } => {
  const times = new Map<string, number[]>()
  for (const c of clicks) {
    let list = times.get(c.user)
    if (list === undefined) times.set(c.user, (list = []))
    list.push(c.ts)
  }
  const sessions: SessionAlert[] = []
  const bursts: BurstAlert[] = []
  for (const [user, ts] of times) {
    ts.sort((a, b) => a - b)
    let start = ts[0]!
    let count = 0
    for (let i = 0; i < ts.length; i++) {
      if (i > 0 && ts[i]! - ts[i - 1]! >= o.gapMs) {
        sessions.push({ user, start, end: ts[i - 1]!, clicks: count, durationMs: ts[i - 1]! - start })
        start = ts[i]!
        count = 0
      }
      count++
    }
    sessions.push({ user, start, end: ts[ts.length - 1]!, clicks: count, durationMs: ts[ts.length - 1]! - start })
    const perWindow = new Map<number, number>()
    for (const t of ts) {
      const w = Math.floor(t / o.burstWindowMs)
      perWindow.set(w, (perWindow.get(w) ?? 0) + 1)
    }
    for (const [w, n] of perWindow)
      if (n >= o.burstClicks)
        bursts.push({ user, windowStart: w * o.burstWindowMs, windowEnd: (w + 1) * o.burstWindowMs, clicks: o.burstClicks })
  }
  return { sessions: sessions.sort(bySession), bursts: bursts.sort(byBurst) }
}
