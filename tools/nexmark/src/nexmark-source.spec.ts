import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { CollectSink, WatermarkStrategy } from '@strom/runtime'
import { StreamExecutionEnvironment } from '@strom/datastream'
import { eventTimeOf, type NexmarkEvent } from './generator/events.js'
import { DEFAULT_NEXMARK_CONFIG } from './generator/generator-config.js'
import { NexmarkGenerator } from './generator/nexmark-generator.js'
import { nexmarkSource } from './nexmark-source.js'

const run = async (parallelism: number, count: number): Promise<{ value: NexmarkEvent; timestamp: number | undefined }[]> => {
  const source = nexmarkSource({ numEvents: count })
  if (E.isLeft(source)) throw new Error(source.left.join(' '))
  const env = StreamExecutionEnvironment.create({ parallelism })
  const sink = new CollectSink<NexmarkEvent>()
  env.fromSource(source.right, WatermarkStrategy.forMonotonousTimestamps<NexmarkEvent>().withTimestampAssigner((e) => eventTimeOf(e)), 'nexmark').sinkTo(sink)
  await env.execute()
  return sink.records.map((r) => ({ value: r.value, timestamp: r.timestamp }))
}

describe('nexmarkSource', () => {
  it('emits the generator’s events, with their event time, whatever the parallelism', async () => {
    const g = new NexmarkGenerator({ ...DEFAULT_NEXMARK_CONFIG, numEvents: 300 })
    const expected = Array.from({ length: 300 }, (_, n) => g.eventAt(n))
    const key = (e: NexmarkEvent): string => JSON.stringify(e)
    for (const p of [1, 3]) {
      const got = await run(p, 300)
      expect(got.map((r) => key(r.value)).sort()).toEqual(expected.map(key).sort())
      for (const r of got) expect(r.timestamp).toBe(eventTimeOf(r.value))
    }
  })

  it('reports configuration problems', () => {
    expect(E.isLeft(nexmarkSource({ bidProportion: 0 }))).toBe(true)
  })
})
