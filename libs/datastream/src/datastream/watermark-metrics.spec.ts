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

describe('idleness in mid-stream', () => {
  it('an idle input of assignTimestampsAndWatermarks(...withIdleness) stops holding back the watermark', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1, autoWatermarkInterval: 5 })
    const strategy = (idle: boolean) => {
      const s = WatermarkStrategy.forMonotonousTimestamps<number>().withTimestampAssigner((i) => i)
      return idle ? s.withIdleness(30) : s
    }
    // the active input counts up; the quiet one emits one record and then (almost) nothing
    const active = env
      .fromSource(DataGenSource.of((i) => 1_000 + i, { rowsPerSecond: 20_000 }), WatermarkStrategy.noWatermarks(), 'active')
      .assignTimestampsAndWatermarks(strategy(false))
    const quiet = env
      .fromSource(DataGenSource.of((i) => i, { rowsPerSecond: 0.01 }), WatermarkStrategy.noWatermarks(), 'quiet')
      .assignTimestampsAndWatermarks(strategy(true))
    active
      .union(quiet)
      .map((x) => x)
      .name('after-union')
      .disableChaining()
      .sinkTo({ createWriter: () => ({ write() {}, flush() {}, close() {} }) }, 'drop')
    const client = env.executeAsync('idleness')
    const watermark = (): number => client.metrics()['idleness.after-union.0.currentInputWatermark'] ?? Number.NaN
    const deadline = Date.now() + 5_000
    while (!(watermark() > 1_100) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
    const seen = watermark()
    client.cancel()
    await client.result
    // the quiet input's watermark is at most 0 - 1: only its idleness lets the active one through
    expect(seen).toBeGreaterThan(1_100)
  })
})
