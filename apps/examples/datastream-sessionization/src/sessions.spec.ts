import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { CollectSink, StreamExecutionEnvironment } from '@strom/datastream'
import { click, type Click } from './clicks.js'
import { SESSION_GAP_MS, lateClicks, sessionize, type Session } from './sessions.js'

/** Sessions by brute force: per user, clicks sorted by time, a new session after a gap of more than 30 min. */
const bruteSessions = (clicks: readonly Click[]): Session[] => {
  const byUser = new Map<string, Click[]>()
  for (const c of clicks) byUser.set(c.user, [...(byUser.get(c.user) ?? []), c])
  const out: Session[] = []
  for (const [user, cs] of byUser) {
    cs.sort((a, b) => a.ts - b.ts)
    let group: Click[] = []
    const flush = () => {
      if (group.length === 0) return
      const pages = [...new Set(group.map((c) => c.url))].sort()
      out.push({ user, start: group[0]!.ts, end: group.at(-1)!.ts + SESSION_GAP_MS, clicks: group.length, pages })
    }
    for (const c of cs) {
      // windows [ts, ts + gap) that touch or overlap merge
      if (group.length > 0 && c.ts > group.at(-1)!.ts + SESSION_GAP_MS) {
        flush()
        group = []
      }
      group.push(c)
    }
    flush()
  }
  return out
}

const key = (s: Session): string => `${s.user}@${s.start}`
const sortSessions = (xs: readonly Session[]): Session[] => [...xs].sort((a, b) => key(a).localeCompare(key(b)))

/** The last emission of each session: a late click within the allowed lateness updates it (a late firing). */
const finalEmissions = (xs: readonly Session[]): Session[] => sortSessions([...new Map(xs.map((s) => [key(s), s])).values()])

describe('clickstream sessionization', () => {
  it('on-time clicks form the brute-force sessions; offline clicks, hours late, all go to the late output', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(1, 2, 4), async (seed, parallelism) => {
        const count = 600 // ten hours of clicks
        const options = { seed, users: 12, offlineShare: 0.03 }
        const env = StreamExecutionEnvironment.create({ parallelism })
        const sessions = sessionize(env, { ...options, count })
        const late = new CollectSink<Click>()
        sessions.getSideOutput(lateClicks).sinkTo(late)
        const got = await sessions.executeAndCollect()

        const all = Array.from({ length: count }, (_, i) => click(options)(i))
        const offline = all.filter((c) => c.user.startsWith('offline-'))
        expect(offline.length).toBeGreaterThan(0)
        expect(late.values.map((c) => c.id).sort((a, b) => a - b)).toEqual(offline.map((c) => c.id))
        expect(finalEmissions(got)).toEqual(sortSessions(bruteSessions(all.filter((c) => !c.user.startsWith('offline-')))))
      }),
      { numRuns: 8 },
    )
  })

  it('clicks a minute apart form one session', async () => {
    const env = StreamExecutionEnvironment.create()
    const got = await sessionize(env, { seed: 3, users: 1, offlineShare: 0, count: 5 }).executeAndCollect()
    // one user clicking every minute: one session of five clicks
    expect(got).toHaveLength(1)
    expect(got[0]).toMatchObject({ user: 'user-0', clicks: 5 })
  })
})
