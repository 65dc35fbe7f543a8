import { describe, expect, it } from 'vitest'
import { goldenOutput } from './crash-job.js'
import { canonical, crashRun, seededRandom } from './crash-harness.js'

// A real crash: a child process runs a checkpointed job (keyed windows, keyed state, exactly-once
// file sink) and is killed with SIGKILL at random moments; each start resumes from the checkpoint
// directory. The committed output must equal the golden output: nothing lost, nothing twice.
const COUNT = 6000
const JOB = { count: COUNT, rowsPerSecond: 6000, parallelism: 2, intervalMs: 40 }
const RUNS = 20
const golden = canonical(goldenOutput(COUNT))
const resumed: { id: number | undefined; finished: boolean }[] = []

describe('exactly-once under SIGKILL', () => {
  for (let run = 0; run < RUNS; run++) {
    it.concurrent(`run ${run + 1}/${RUNS}: killed at random moments, the committed output equals the golden output`, { timeout: 60_000 }, async () => {
      const random = seededRandom(1000 + run)
      const kills = 1 + Math.floor(random() * 2)
      const r = await crashRun(JOB, kills, random, 0, 1300)
      resumed.push(...r.resumedFrom)
      const got = canonical(r.output)
      expect(got.length, `kills after ${r.killTimesMs.join(', ')} ms`).toBe(golden.length)
      expect(got).toEqual(golden)
    })
  }

  it('the kills landed mid-job: many restarts resumed from a checkpoint of an unfinished job', () => {
    const midJob = resumed.filter((r) => r.id !== undefined && !r.finished).length
    expect(resumed.length).toBeGreaterThanOrEqual(RUNS)
    // (the others came before the first checkpoint or after the end, which must work too)
    expect(midJob).toBeGreaterThanOrEqual(resumed.length / 4)
  })
})
