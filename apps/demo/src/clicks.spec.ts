import { describe, expect, it } from 'vitest'
import { DEFAULT_CLICK_STREAM, clickGenerator } from './clicks.js'

describe('the click stream', () => {
  const options = { ...DEFAULT_CLICK_STREAM, users: 1_000, eventsPerSecond: 10_000, latePerMillion: 0 }
  const clicks = Array.from({ length: 50_000 }, (_, i) => clickGenerator(options)(i))

  it('is a pure function of the options and the index', () => {
    const again = clickGenerator(options)
    expect(again(12_345)).toEqual(clicks[12_345])
    expect(again(2 ** 40)).toEqual(clickGenerator(options)(2 ** 40))
    expect(clickGenerator({ ...options, seed: 1 })(12_345)).not.toEqual(clicks[12_345])
  })

  it('runs at eventsPerSecond of event time, out of order by at most maxOutOfOrdernessMs', () => {
    expect(clicks[0]!.ts).toBe(0)
    expect(clicks[49_999]!.ts).toBeGreaterThan(5_000 - 1 - options.maxOutOfOrdernessMs)
    let max = Number.NEGATIVE_INFINITY
    let disorder = 0
    for (const c of clicks) {
      disorder = Math.max(disorder, max - c.ts)
      max = Math.max(max, c.ts)
    }
    expect(disorder).toBeGreaterThan(options.maxOutOfOrdernessMs / 2)
    expect(disorder).toBeLessThanOrEqual(options.maxOutOfOrdernessMs)
  })

  it('names users u000 to u999, a subset of them active at a time, with one bot per epoch', () => {
    const users = new Set(clicks.map((c) => c.user))
    expect([...users].every((u) => /^u\d{3}$/.test(u))).toBe(true)
    const firstSecond = new Map<string, number>()
    for (const c of clicks.slice(0, 10_000)) firstSecond.set(c.user, (firstSecond.get(c.user) ?? 0) + 1)
    expect(firstSecond.size).toBeLessThan(500) // about a quarter (x overlaps) of 1,000
    const top = Math.max(...firstSecond.values())
    expect(top).toBeGreaterThan(10_000 * 0.01) // the bot: 1% of the clicks
  })

  it('delivers latePerMillion clicks lateByMs behind', () => {
    const late = clickGenerator({ ...options, latePerMillion: 100_000 })
    let behind = 0
    for (let i = 20_000; i < 30_000; i++) if (late(i).ts < Math.floor(i / 10) - options.maxOutOfOrdernessMs) behind++
    expect(behind).toBeGreaterThan(800)
    expect(behind).toBeLessThan(1_200)
  })

  it('rejects bad options', () => {
    expect(() => clickGenerator({ ...options, users: 0 })).toThrow(RangeError)
    expect(() => clickGenerator({ ...options, eventsPerSecond: 0 })).toThrow(/eventsPerSecond/)
  })
})
