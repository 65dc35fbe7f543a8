import { describe, expect, it } from 'vitest'
import { handSliding, handTumbling, windowDifferences, withEngine, windowsScenario } from './windows.js'
import { SLIDE_MS, SLIDE_SIZE_MS, TUMBLE_MS, addResult, emptyWindowResult, makeEvent, type WindowResult } from './windows-job.js'

// Correctness only: the benchmark must compute the same thing every way. No timing is asserted.

const p = { events: 20_000, keys: 53 }

/** Window counts the obvious way: every (key, window) pair an event belongs to, counted in a Map. */
const reference = (size: number, slide: number): WindowResult => {
  const gen = makeEvent(p.keys)
  const counts = new Map<string, number>()
  for (let i = 0; i < p.events; i++) {
    const e = gen(i)
    const lastStart = e.ts - (e.ts % slide)
    for (let start = lastStart; start > e.ts - size; start -= slide) {
      const id = `${e.key}|${start + size}`
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
  }
  const r = emptyWindowResult()
  for (const [id, c] of counts) {
    const [key, end] = id.split('|').map(Number) as [number, number]
    addResult(r, key, end, c)
  }
  return r
}

describe('windows benchmark', () => {
  it('the hand loops compute the reference results', () => {
    const tumbling = reference(TUMBLE_MS, TUMBLE_MS)
    const sliding = reference(SLIDE_SIZE_MS, SLIDE_MS)
    expect(tumbling.total).toBe(p.events)
    expect(sliding.total).toBe(p.events * (SLIDE_SIZE_MS / SLIDE_MS))
    expect(windowDifferences(tumbling, handTumbling(p))).toBeUndefined()
    expect(windowDifferences(sliding, handSliding(p))).toBeUndefined()
  })

  it('the engine computes the same results, at parallelism 1 and 2', async () => {
    for (const parallelism of [1, 2]) {
      expect(windowDifferences(handTumbling(p), await withEngine({ ...p, kind: 'tumbling', parallelism }))).toBeUndefined()
      expect(windowDifferences(handSliding(p), await withEngine({ ...p, kind: 'sliding', parallelism }))).toBeUndefined()
    }
  }, 60_000)

  it('the scenario reports all four series and the ratios with their targets', async () => {
    const report = await windowsScenario.run({ events: 5_000, keys: 10, rounds: 1, warmup: 0, parallel: false, only: [] }, () => {})
    expect(report.series.map((s) => s.id)).toEqual(['hand-tumbling', 'engine-tumbling', 'hand-sliding', 'engine-sliding'])
    expect(report.ratios.map((r) => [r.id, r.target])).toEqual([
      ['tumbling/hand', 1 / 3],
      ['sliding/hand', undefined],
      ['sliding/tumbling', 0.5],
    ])
  }, 60_000)
})
