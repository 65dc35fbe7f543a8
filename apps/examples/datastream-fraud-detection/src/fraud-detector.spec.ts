import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { StreamExecutionEnvironment, executeJob } from '@strom/datastream'
import { KeyedProcessFunctionHarness } from '@strom/process/testing'
import { FraudDetector, LARGE_AMOUNT, SMALL_AMOUNT, WINDOW_MS, type Alert } from './fraud-detector.js'
import { alerts, buildFraudJob, fraudJob } from './fraud-job.js'
import { transaction, type Transaction } from './transactions.js'

/** The alerts by brute force: per account, each small charge whose next charge is large, within the window. */
const bruteForce = (txns: readonly Transaction[]): string[] => {
  const last = new Map<string, Transaction>()
  const out: string[] = []
  for (const t of [...txns].sort((a, b) => a.ts - b.ts)) {
    const prev = last.get(t.accountId)
    if (prev !== undefined && prev.amount < SMALL_AMOUNT && t.amount > LARGE_AMOUNT && t.ts - prev.ts <= WINDOW_MS)
      out.push(`${t.accountId}:${prev.id}->${t.id}`)
    last.set(t.accountId, t)
  }
  return out.sort()
}

const ids = (as: readonly Alert[]): string[] => as.map((a) => `${a.accountId}:${a.small.id}->${a.large.id}`).sort()

describe('FraudDetector (harness)', () => {
  const txn = (id: number, amount: number, ts: number, accountId = 'acct-1'): Transaction => ({ id, accountId, amount, ts })
  const harness = () => KeyedProcessFunctionHarness.of(new FraudDetector(), (t: Transaction) => t.accountId)

  it('alerts on a small charge followed by a large one within a minute', () => {
    const h = harness()
    h.processElement(txn(1, 0.5, 1_000), 1_000)
    h.processElement(txn(2, 900, 30_000), 30_000)
    expect(ids(h.extractOutputValues())).toEqual(['acct-1:1->2'])
  })

  it('does not alert when something comes in between, or when the large charge is too late', () => {
    const h = harness()
    h.processElement(txn(1, 0.5, 1_000), 1_000)
    h.processElement(txn(2, 20, 2_000), 2_000)
    h.processElement(txn(3, 900, 3_000), 3_000)
    h.processElement(txn(4, 0.1, 10_000), 10_000)
    h.processElement(txn(5, 700, 10_000 + WINDOW_MS + 1), 10_000 + WINDOW_MS + 1)
    expect(h.extractOutputValues()).toEqual([])
  })

  it('forgets the small charge when the minute passes, keeping no state for idle accounts', () => {
    const h = harness()
    h.processElement(txn(1, 0.5, 1_000), 1_000)
    expect(h.numEventTimeTimers()).toBe(1)
    h.processWatermark(1_000 + WINDOW_MS)
    expect(h.numEventTimeTimers()).toBe(0)
    expect(h.numKeyedStateEntries()).toBe(0)
  })

  it('keeps working after a snapshot and restore', () => {
    const h = harness()
    h.processElement(txn(1, 0.5, 1_000), 1_000)
    const restored = KeyedProcessFunctionHarness.restore(new FraudDetector(), (t: Transaction) => t.accountId, h.snapshot())
    restored.processElement(txn(2, 900, 2_000), 2_000)
    expect(ids(restored.extractOutputValues())).toEqual(['acct-1:1->2'])
  })
})

describe('the fraud-detection job', () => {
  it('raises exactly the alerts a brute-force scan finds, at parallelism 1, 2 and 4', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(1, 2, 4), async (seed, parallelism) => {
        const count = 3_000
        const options = { seed, accounts: 20, fraudEvery: 50 }
        const env = StreamExecutionEnvironment.create({ parallelism })
        const got = await buildFraudJob(env, { ...options, count }).executeAndCollect()
        const all = Array.from({ length: count }, (_, i) => transaction(options)(i))
        const want = bruteForce(all)
        expect(want.length).toBeGreaterThan(0)
        expect(ids(got)).toEqual(want)
      }),
      { numRuns: 6 },
    )
  })

  it('runs on two worker threads with the same alerts', async () => {
    alerts.clear()
    const result = await executeJob(fraudJob, { count: 5_000, parallelism: 2 }).result
    expect(result.status).toBe('FINISHED')
    const all = Array.from({ length: 5_000 }, (_, i) => transaction()(i))
    expect(ids(alerts.values)).toEqual(bruteForce(all))
    expect(alerts.values.length).toBeGreaterThan(0)
  })
})
