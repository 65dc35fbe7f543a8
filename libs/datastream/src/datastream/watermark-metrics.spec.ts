import { describe, expect, it } from 'vitest'
import { DataGenSource, WatermarkStrategy } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'

describe('per-operator watermark metrics', () => {
  it('every operator reports its current input and output watermark while the job runs', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1, autoWatermarkInterval: 5 })
    env
      .fromSource(
        DataGenSource.of((i) => i, { rowsPerSecond: 20_000 }),
        WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((i) => i),
        'numbers',
      )
      .map((x) => x + 1)
      .name('inc')
      .disableChaining()
      .filter((x) => x % 2 === 0)
      .name('even')
      .sinkTo({ createWriter: () => ({ write() {}, flush() {}, close() {} }) }, 'drop')
    const client = env.executeAsync('watermarks')
    const metric = (name: string): number => client.metrics()[`watermarks.${name}`] ?? Number.NaN
    const deadline = Date.now() + 5_000
    while (!(metric('even.0.currentOutputWatermark') > 100) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    const m = client.metrics() // one snapshot, so the values are consistent
    const at = (name: string): number => m[`watermarks.${name}`] ?? Number.NaN
    const source = at('numbers.0.currentOutputWatermark')
    const incIn = at('inc.0.currentInputWatermark')
    const incOut = at('inc.0.currentOutputWatermark')
    const evenIn = at('even.0.currentInputWatermark')
    const evenOut = at('even.0.currentOutputWatermark')
    client.cancel()
    await client.result
    expect(evenOut).toBeGreaterThan(100)
    expect(Number.isFinite(source) && Number.isFinite(evenOut)).toBe(true)
    // downstream never ahead of upstream: each operator forwards what it got
    expect(incIn).toBeLessThanOrEqual(source)
    expect(incOut).toBeLessThanOrEqual(incIn)
    expect(evenIn).toBeLessThanOrEqual(incOut)
    expect(evenOut).toBeLessThanOrEqual(evenIn)
  })

  it('at the end of bounded input every watermark is +infinity', async () => {
    const env = StreamExecutionEnvironment.create()
    const out = env.fromSequence(1, 10).map((x) => x).name('m')
    out.print({ output: () => {} })
    const result = await env.execute('ended')
    expect(result.metrics['ended.m.0.currentInputWatermark']).toBe(Number.POSITIVE_INFINITY)
    expect(result.metrics['ended.m.0.currentOutputWatermark']).toBe(Number.POSITIVE_INFINITY)
  })
})
