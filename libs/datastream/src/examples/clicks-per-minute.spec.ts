import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { clicksPerMinute, type Click, type UserMinute } from './clicks-per-minute.js'

const sortRows = (rows: readonly UserMinute[]): UserMinute[] =>
  [...rows].sort((a, b) => a.user.localeCompare(b.user) || a.minute - b.minute)

/** The counts a plain loop computes for the clicks that were not late. */
const bruteForce = (clicks: readonly Click[]): UserMinute[] => {
  const m = new Map<string, number>()
  for (const c of clicks) {
    const id = `${c.user}|${Math.floor(c.ts / 60_000)}`
    m.set(id, (m.get(id) ?? 0) + 1)
  }
  return sortRows([...m].map(([id, clicks]) => ({ user: id.split('|')[0]!, minute: Number(id.split('|')[1]), clicks })))
}

describe('the README example: clicks per user and minute', () => {
  it('counts in-order clicks per user and minute', async () => {
    const clicks: Click[] = [
      { user: 'ann', ts: 1_000 },
      { user: 'bob', ts: 2_000 },
      { user: 'ann', ts: 59_999 },
      { user: 'ann', ts: 60_000 },
      { user: 'bob', ts: 185_000 },
    ]
    const { counts, late } = await clicksPerMinute(clicks)
    expect(sortRows(counts)).toEqual([
      { user: 'ann', minute: 0, clicks: 2 },
      { user: 'ann', minute: 1, clicks: 1 },
      { user: 'bob', minute: 0, clicks: 1 },
      { user: 'bob', minute: 3, clicks: 1 },
    ])
    expect(late).toEqual([])
  })

  it('on out-of-order input at any parallelism, counts what was not late, and every click is counted or late', async () => {
    const clicks = fc.array(
      fc.record({ user: fc.constantFrom('ann', 'bob', 'cy'), ts: fc.integer({ min: 0, max: 400_000 }) }),
      { maxLength: 80 },
    )
    await fc.assert(
      fc.asyncProperty(clicks, fc.constantFrom(1, 2, 4), async (cs, p) => {
        const { counts, late } = await clicksPerMinute(cs, p)
        const lateSet = new Set(late)
        // late clicks are the very objects of the input, so the rest is what was counted
        expect(sortRows(counts)).toEqual(bruteForce(cs.filter((c) => !lateSet.has(c))))
      }),
      { numRuns: 20 },
    )
  })

  it('is what the README shows', () => {
    const source = readFileSync(new URL('./clicks-per-minute.ts', import.meta.url), 'utf8')
    const fn = source.slice(source.indexOf('/** Counts clicks per user and minute'))
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
    expect(fn.length).toBeGreaterThan(500)
    expect(readme).toContain(fn.trim())
  })
})
