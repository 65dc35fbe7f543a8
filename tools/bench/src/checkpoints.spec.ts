import { describe, expect, it } from 'vitest'
import { checkpointsScenarioWith, engineSavepointRound, handLoopWithSnapshots, handSavepointRound, runKeyedSum } from './checkpoints.js'
import { differences, handLoop } from './keyed-sum.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// Correctness and sanity only: the runs compute the hand loop's result, checkpoints really complete,
// sizes are positive. No timing is asserted.

const p = { events: 200_000, keys: 31, parallelism: 1 }

describe('checkpoints benchmark', () => {
  it('the hand loop with snapshots computes the plain hand loop result and writes snapshots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'strom-bench-spec-'))
    try {
      const r = handLoopWithSnapshots(p, join(dir, 'snap'), 0)
      expect(differences(handLoop(p), r.result)).toBeUndefined()
      expect(r.checkpoints!.completed).toBeGreaterThan(0)
      expect(r.checkpoints!.durationsMs).toHaveLength(r.checkpoints!.completed)
      expect(r.checkpoints!.lastSizeBytes).toBeGreaterThan(0)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('the keyed-sum job computes the same result with and without checkpoints, on heap and lmdb', async () => {
    const want = handLoop(p)
    const longer = { ...p, events: 4_000_000 }
    const wantLonger = handLoop(longer)
    for (const backend of ['heap', 'lmdb'] as const) {
      const off = await runKeyedSum(p, backend, undefined, () => {})
      expect(differences(want, off.result)).toBeUndefined()
      expect(off.checkpoints).toBeUndefined()
      // long enough a run (a few 100 ms) for a checkpoint to complete: one takes about 100 ms even when small
      const on = await runKeyedSum(longer, backend, 1, () => {})
      expect(differences(wantLonger, on.result)).toBeUndefined()
      expect(on.checkpoints!.completed).toBeGreaterThan(0)
      expect(on.checkpoints!.durationsMs.length).toBeGreaterThan(0)
      for (const d of on.checkpoints!.durationsMs) expect(d).toBeGreaterThanOrEqual(0)
      expect(on.checkpoints!.lastSizeBytes).toBeGreaterThan(0)
    }
  }, 60_000)

  it('saves and restores every key, by hand and on both backends', async () => {
    const hand = await handSavepointRound(3_000)
    expect(hand.restoredEntries).toBe(3_000)
    expect(hand.savepointBytes).toBeGreaterThan(0)
    for (const backend of ['heap', 'lmdb'] as const) {
      const r = await engineSavepointRound(3_000, backend, () => {})
      expect(r.restoredEntries).toBe(3_000)
      expect(r.savepointBytes).toBeGreaterThan(3_000) // more than a byte a key
      for (const ms of [r.fillMs, r.savepointMs, r.restoreMs, r.emptyMs]) expect(ms).toBeGreaterThanOrEqual(0)
    }
  }, 60_000)

  it('runs the whole scenario small and reports every series, ratio and figure', async () => {
    const lines: string[] = []
    const scenario = checkpointsScenarioWith({ intervalMs: 1, stateKeys: 2_000, lmdbShare: 0.5 })
    const report = await scenario.run({ events: 4_000_000, keys: 31, rounds: 1, warmup: 0, parallel: false, only: [] }, (l) => lines.push(l))
    expect(report.series.map((s) => s.id)).toEqual(['hand', 'hand-cp', 'heap', 'heap-cp', 'lmdb', 'lmdb-cp'])
    expect(report.series.map((s) => s.events)).toEqual([4_000_000, 4_000_000, 4_000_000, 4_000_000, 2_000_000, 2_000_000])
    for (const s of report.series) expect(s.runsMs).toHaveLength(1)
    expect(report.ratios.find((r) => r.id === 'heap-cp/heap')?.target).toBe(0.9)
    expect(report.ratios.map((r) => r.id)).toEqual([
      'heap-cp/heap',
      'heap-cp/heap-cpu',
      'hand-cp/hand',
      'heap/hand',
      'heap-cp/hand-cp',
      'lmdb/heap',
      'lmdb-cp/heap-cp',
      'lmdb-cp/lmdb',
      'lmdb-cp/lmdb-cpu',
    ])
    for (const s of report.series) expect(s.cpuMs).toHaveLength(1)
    const figure = (id: string): readonly number[] => {
      const f = report.figures?.find((x) => x.id === id)
      if (f === undefined) throw new Error(`no figure ${id}`)
      return f.values
    }
    for (const id of ['heap-cp', 'lmdb-cp']) {
      expect(figure(`${id}-completed`)[0]).toBeGreaterThan(0)
      expect(figure(`${id}-size`)[0]).toBeGreaterThan(0)
    }
    for (const id of ['state-hand', 'state-heap', 'state-lmdb']) {
      expect(figure(`${id}-size`)).toHaveLength(1)
      expect(figure(`${id}-size`)[0]).toBeGreaterThan(0)
      expect(figure(`${id}-restore`)[0]).toBeGreaterThanOrEqual(0)
    }
    expect(lines).toEqual([expect.stringMatching(/^ {2}round 1\/1: hand \d+ ms, hand-cp \d+ ms \(\d+ cp\), heap/), expect.stringMatching(/^ {2}2,000 keys, round 1\/1: state-hand/)])
  }, 60_000)
})
