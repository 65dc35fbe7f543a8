import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CollectSink, CollectionSource, StreamExecutionEnvironment } from '@strom/datastream'
import { MAX_DISORDER_MS, click, type Click, type ClickOptions } from './clicks.js'
import { ALLOWED_LATENESS_MS, SESSION_GAP_MS, clickWatermarks, lateClicks, sessionize, sessionizeClicks, type Session } from './sessions.js'

const MIN = 60_000

/**
 * Session windows by brute force: replays the clicks in arrival order with the watermark the
 * source makes (newest timestamp - 10 s - 1 ms, after each click), with no windows, triggers,
 * timers or state backend. Per user, the live sessions are `[first click, last click + gap)`; a
 * click's `[ts, ts + gap)` merges with every live session it touches or overlaps; a session is
 * closed for good once the watermark reaches `end - 1 + allowed lateness`; a click that joins no
 * live session and whose own window is past that is late. Returns each session's final contents.
 */
const replay = (clicks: readonly Click[]): { sessions: Session[]; late: Click[] } => {
  type Live = { start: number; end: number; clicks: Click[] }
  const live = new Map<string, Live[]>()
  const closed: [string, Live][] = []
  const late: Click[] = []
  let watermark = Number.NEGATIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const c of clicks) {
    const mine = (live.get(c.user) ?? []).filter((s) => {
      const open = s.end - 1 + ALLOWED_LATENESS_MS > watermark
      if (!open) closed.push([c.user, s])
      return open
    })
    let merged: Live = { start: c.ts, end: c.ts + SESSION_GAP_MS, clicks: [c] }
    for (let touched = true; touched; ) {
      touched = false
      for (let k = 0; k < mine.length; k++) {
        const s = mine[k]!
        if (s.start <= merged.end && s.end >= merged.start) {
          merged = { start: Math.min(s.start, merged.start), end: Math.max(s.end, merged.end), clicks: [...s.clicks, ...merged.clicks] }
          mine.splice(k--, 1)
          touched = true
        }
      }
    }
    if (merged.clicks.length === 1 && merged.end - 1 + ALLOWED_LATENESS_MS <= watermark) late.push(c)
    else mine.push(merged)
    live.set(c.user, mine)
    max = Math.max(max, c.ts)
    watermark = max - MAX_DISORDER_MS - 1
  }
  for (const [user, ss] of live) for (const s of ss) closed.push([user, s])
  const sessions = closed.map(([user, s]) => ({
    user,
    start: s.start,
    end: s.end,
    clicks: s.clicks.length,
    pages: [...new Set(s.clicks.map((c) => c.url))].sort(),
  }))
  return { sessions: sortSessions(sessions), late }
}

const sortSessions = (xs: readonly Session[]): Session[] => [...xs].sort((a, b) => a.user.localeCompare(b.user) || a.start - b.start || a.end - b.end)

/**
 * What the emitted sessions say in the end: per user, in emission order, an emission replaces
 * the earlier ones it covers (a late firing of the same session, or the merge of sessions that
 * a late click joined).
 */
const finalSessions = (emitted: readonly Session[]): Session[] => {
  const byUser = new Map<string, Session[]>()
  for (const s of emitted) {
    const kept = (byUser.get(s.user) ?? []).filter((e) => !(s.start <= e.start && e.end <= s.end))
    kept.push(s)
    byUser.set(s.user, kept)
  }
  return sortSessions([...byUser.values()].flat())
}

const ids = (cs: readonly Click[]): number[] => cs.map((c) => c.id).sort((a, b) => a - b)

/** Runs the job on generated clicks; returns every emission and the late clicks. */
const run = async (options: Partial<ClickOptions> & { count: number }, parallelism: number) => {
  const env = StreamExecutionEnvironment.create({ parallelism })
  const sessions = sessionize(env, options)
  const late = new CollectSink<Click>()
  sessions.getSideOutput(lateClicks).sinkTo(late)
  const emitted = await sessions.executeAndCollect()
  return { emitted, late: late.values }
}

describe('session windows on a hand-written timeline (gap 30 min, lateness 5 min, watermark 10 s behind)', () => {
  let id = 0
  const at = (user: string, minute: number, url: string): Click => ({ id: id++, user, url, ts: minute * MIN })
  // arrival order                                  watermark after it     what happens
  const timeline = [
    at('ann', 0, '/'), //                             -0:10
    at('ann', 10, '/search'), //                       9:50
    at('bob', 5, '/'), //                              9:50
    at('cy', 41, '/'), //                             40:50              ann [0, 40) and bob [5, 35) fire; bob's is gone
    at('ann', 8, '/cart'), //                         40:50              joins ann [0, 40): a late firing
    at('bob', 4, '/cart'), //                         40:50              bob's session is gone: late output
    at('ann', 50, '/'), //                            49:50              ann [0, 40) is gone; ann [50, 80) opens
    at('ann', 83, '/product/1'), //                   82:50              ann [50, 80) and cy [41, 71) fire; ann [83, 113) opens
    at('ann', 65, '/cart'), //                        82:50              [65, 95) joins ann [50, 80) and [83, 113): one session
    at('ann', 15, '/help'), //                        82:50              ann [0, 40) is gone: late output
  ]

  it('emits on time, again for a late click, merges sessions a late click joins, and sets too-late clicks aside', async () => {
    const env = StreamExecutionEnvironment.create()
    const sessions = sessionizeClicks(env.fromSource(CollectionSource.of(timeline), clickWatermarks(), 'timeline'))
    const late = new CollectSink<Click>()
    sessions.getSideOutput(lateClicks).sinkTo(late)
    const emitted = await sessions.executeAndCollect()

    const s = (user: string, start: number, end: number, clicks: number, pages: string[]): Session => ({ user, start: start * MIN, end: end * MIN, clicks, pages })
    // stable sort by user: each user's emissions stay in emission order
    expect([...emitted].sort((a, b) => a.user.localeCompare(b.user))).toEqual([
      s('ann', 0, 40, 2, ['/', '/search']), //                    on time
      s('ann', 0, 40, 3, ['/', '/cart', '/search']), //           late firing: the same session, updated
      s('ann', 50, 80, 1, ['/']), //                              on time
      s('ann', 50, 113, 3, ['/', '/cart', '/product/1']), //      two sessions merged by a late click
      s('bob', 5, 35, 1, ['/']),
      s('cy', 41, 71, 1, ['/']),
    ])
    expect(late.values.map((c) => `${c.user} ${c.ts / MIN} ${c.url}`)).toEqual(['bob 4 /cart', 'ann 15 /help'])
    expect(finalSessions(emitted)).toEqual(replay(timeline).sessions)
    expect(late.values).toEqual(replay(timeline).late)
  })
})

describe('clickstream sessionization (generated clicks)', () => {
  it('equals a brute-force replay of the clicks, at parallelism 1, 2 and 4', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(1, 2, 4), async (seed, parallelism) => {
        const count = 600 // ten hours of clicks
        const options = { seed, users: 12, offlineShare: 0.03, slowShare: 0.1 }
        const { emitted, late } = await run({ ...options, count }, parallelism)

        const all = Array.from({ length: count }, (_, i) => click(options)(i))
        const want = replay(all)
        expect(finalSessions(emitted)).toEqual(want.sessions)
        expect(ids(late)).toEqual(ids(want.late))
        // offline clicks are hours late: all of them go to the late output
        const offline = all.filter((c) => c.user.startsWith('offline-'))
        expect(offline.length).toBeGreaterThan(0)
        expect(ids(late)).toEqual(expect.arrayContaining(ids(offline)))
      }),
      { numRuns: 10 },
    )
  })

  it('with the default mix, exercises every case: late firings, merges, late clicks of regular users', async () => {
    const count = 3_000
    const { emitted, late } = await run({ count }, 2)
    const final = finalSessions(emitted)
    const all = Array.from({ length: count }, (_, i) => click()(i))
    expect(final).toEqual(replay(all).sessions)
    const firings = new Map<string, number>()
    for (const s of emitted) firings.set(`${s.user}@${s.start}`, (firings.get(`${s.user}@${s.start}`) ?? 0) + 1)
    expect([...firings.values()].some((n) => n > 1)).toBe(true) // a late firing updated a session
    expect(emitted.length).toBeGreaterThan(final.length)
    expect(late.some((c) => c.user.startsWith('user-'))).toBe(true) // a slow click missed its session
    expect(final.reduce((n, s) => n + s.clicks, 0) + late.length).toBe(count) // every click counted once or late
  })

  it('clicks a minute apart form one session', async () => {
    const { emitted } = await run({ seed: 3, users: 1, offlineShare: 0, slowShare: 0, count: 5 }, 1)
    // one user clicking every minute: one session of five clicks
    expect(emitted).toHaveLength(1)
    expect(emitted[0]).toMatchObject({ user: 'user-0', clicks: 5 })
  })
})
