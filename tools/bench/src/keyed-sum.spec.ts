import { describe, expect, it } from 'vitest'
import { assertSame, differences, handLoop, keyedSumScenario, withEngine, withRxjs } from './keyed-sum.js'
import type { KeyedSumResult } from './keyed-sum-job.js'

// Correctness only: the benchmark must compute the same thing three ways. No timing is asserted.

const p = { events: 5_000, keys: 37 }

/** The keyed sum computed the slow, obvious way, independent of the benchmark's code. */
const reference = (): KeyedSumResult => {
  const sums = new Map<string, number>()
  let count = 0
  let checksum = 0
  for (let i = 0; i < p.events; i++) {
    const amount = ((i % 13) + 1) * 2
    if (amount === 26) continue
    const key = `user-${(i * 7919) % p.keys}`
    const s = (sums.get(key) ?? 0) + amount
    sums.set(key, s)
    count++
    checksum += s
  }
  return { count, checksum, finals: sums }
}

describe('keyed-sum', () => {
  it('hand loop computes the reference result', () => {
    const want = reference()
    expect(want.count).toBeGreaterThan(0)
    expect(differences(want, handLoop(p))).toBeUndefined()
  })

  it('RxJS computes the same result as the hand loop', async () => {
    expect(differences(handLoop(p), await withRxjs(p))).toBeUndefined()
  })

  it('the engine at parallelism 1 computes the same result, running sums included', async () => {
    expect(differences(handLoop(p), await withEngine({ ...p, parallelism: 1 }))).toBeUndefined()
  })

  it('the engine on worker threads computes the same counts and final sums at parallelism 1 and 2', async () => {
    const want = handLoop(p)
    expect(differences(want, await withEngine({ ...p, parallelism: 1 }, true))).toBeUndefined()
    expect(differences(want, await withEngine({ ...p, parallelism: 2 }), false)).toBeUndefined()
  })

  it('notices a result that differs', () => {
    const want = handLoop(p)
    const finals = new Map(want.finals)
    const [k, s] = finals.entries().next().value!
    finals.set(k, s + 1)
    expect(differences(want, { ...want, finals })).toMatch(/1 wrong final sums \(key user-\d+: \d+ instead of \d+\)/)
    expect(differences(want, { ...want, checksum: want.checksum + 1 })).toMatch(/running sums adding up to/)
    expect(differences(want, { ...want, checksum: want.checksum + 1 }, false)).toBeUndefined()
    expect(differences(want, { ...want, count: want.count - 1 })).toMatch(/running sums instead of/)
    expect(() => assertSame('the engine', want, { ...want, finals: new Map() })).toThrow(/the engine computed another result than the hand-written loop: 0 keys instead of 37/)
  })

  it('runs the whole scenario at a tiny size, checking every implementation on every round', async () => {
    const lines: string[] = []
    const report = await keyedSumScenario.run({ events: 2_000, keys: 11, rounds: 1, warmup: 0, parallel: true, only: [] }, (l) => lines.push(l))
    expect(report.series.map((s) => s.id)).toEqual(['hand', 'engine', 'rxjs', 'engine-p1-worker', 'engine-p2'])
    for (const s of report.series) expect(s.runsMs).toHaveLength(1)
    expect(report.ratios.map((r) => r.id)).toEqual(['engine/hand', 'rxjs/hand', 'p2/p1', 'p2/p1-worker', 'p2-net/p1'])
    expect(Object.keys(report.startupMs)).toEqual(['engine-p1-worker', 'engine-p2'])
    expect(lines).toEqual([expect.stringMatching(/^ {2}worker start-up/), expect.stringMatching(/^ {2}round 1\/1: hand \d+ ms, engine \d+ ms, rxjs/)])
  })
})
