import { describe, expect, it } from 'vitest'
import { executeJob } from '@strom/runtime'
import { sumPerKey, totals } from '../examples/parallel-job.example.js'

describe('defineStreamJob', () => {
  it('runs a DataStream job on worker threads with the same results as a plain loop', async () => {
    totals.clear()
    const result = await executeJob(sumPerKey, { count: 1000 }).result
    expect(result.status).toBe('FINISHED')
    const expected = new Map<number, number>()
    for (let i = 0; i < 1000; i++) expected.set(i % 10, (expected.get(i % 10) ?? 0) + i)
    expect(new Map(totals.values.map((r) => [r.key, r.total]))).toEqual(expected)
    expect(totals.values).toHaveLength(10)
    expect(totals.finishedSubtasks.size).toBe(2)
  }, 30_000)
})
