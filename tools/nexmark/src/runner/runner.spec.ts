import { describe, expect, it } from 'vitest'
import { runTask } from './child.js'
import { runDataStreamTask } from './datastream.js'
import { LatencyRecorder } from './latency.js'
import { runLoop } from './loops.js'

describe('the Nexmark runner', () => {
  it('reports a query’s figures from the first generated event to the end of the job', async () => {
    const r = await runTask({ query: 'q2', api: 'sql', events: 20_000, parallelism: 1, checkpointMs: undefined, latencyRate: undefined })
    expect(r.status).toBe('ok')
    expect(r.events).toBe(20_000)
    expect(r.seconds).toBeGreaterThan(0)
    expect(r.eventsPerSecond).toBeCloseTo(20_000 / r.seconds, 3)
    expect(r.cpuSecondsPerMillion).toBeGreaterThan(0)
    expect(r.peakRssMiB).toBeGreaterThan(10)
  })

  it('says what a query needs when it cannot run (the published q6 is not valid SQL)', async () => {
    const r = await runTask({ query: 'q6', api: 'sql', events: 1000, parallelism: 1, checkpointMs: undefined, latencyRate: undefined })
    expect(r.status).toBe('unsupported')
    expect(r.error).toMatch(/line 15, column 11: Column 'rownum' not found/)
  })

  it('runs the DataStream version with exactly-once checkpoints', async () => {
    const r = await runTask({ query: 'q5', api: 'datastream', events: 300_000, parallelism: 1, checkpointMs: 20, latencyRate: undefined }, runDataStreamTask)
    expect(r.status).toBe('ok')
    expect(r.checkpoints).toBeGreaterThanOrEqual(1)
  })

  it('runs the hand-written loops: q0 keeps every bid, q2 the bids of auctions divisible by 123', () => {
    expect(runLoop('q0', 5000).rows).toBe(4600)
    const q2 = runLoop('q2', 50_000)
    expect(q2.rows).toBeGreaterThan(0)
    expect((q2.last as number[])[0]! % 123).toBe(0)
  })

  it('summarizes latencies as p50, p99 and max, leaving the warm-up out', () => {
    const l = new LatencyRecorder()
    for (let i = 0; i < 100_000; i++) l.record(i < 1000 ? 1e6 : (i % 100) + 1)
    expect(l.count).toBe(100_000)
    expect(l.summary(1000)).toEqual({ count: 99_000, p50: 51, p99: 100, max: 100 })
    expect(l.summary().max).toBe(1e6)
  })
})
