import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { StreamGraph } from '../../graph/stream-graph.js'
import { Partitioners } from '../../graph/partitioner.js'
import { DataGenSource } from '../../source/datagen-source.js'
import { WatermarkStrategy } from '../../watermark/watermark-strategy.js'
import { executeGraph } from '../../execution/execute.js'
import { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js'
import type { OneInputStreamOperator } from '../../operators/stream-operator.js'
import { ValueStateDescriptor } from '../../state/state-descriptor.js'
import type { ValueState } from '../../state/state.js'
import { ValidatingSink } from './validating-sink.fixture.js'

/** Emits (key, count) per record; keyed state the restore must bring back. */
class Count extends AbstractStreamOperator<string> implements OneInputStreamOperator<number, string> {
  private count!: ValueState<number>
  override open(): void {
    this.count = this.keyedBackend().getOrCreateKeyedState(new ValueStateDescriptor<number>('count')).state
  }
  processElement(i: number, ts: number): void {
    this.keyedBackend().setCurrentKey(i % 10)
    const c = (this.count.value() ?? 0) + 1
    this.count.update(c)
    this.output.collect(`${i % 10}:${c}`, ts)
  }
}

const N = 4000
const job = (directory: string, sink: ValidatingSink<string>): StreamGraph => {
  const g = new StreamGraph({ jobName: 'corrupt', checkpointing: { intervalMs: 10, directory, retained: 3 } })
  const src = g.addSource(DataGenSource.of((i) => i, { count: N, rowsPerSecond: 8000 }), WatermarkStrategy.noWatermarks(), { name: 'gen', uid: 'gen' })
  const key = (i: number): number => i % 10
  const c = g.addOperator(() => new Count(), [{ from: src, partitioner: Partitioners.hash(key) }], { name: 'count', uid: 'count', keySelectors: [key] })
  g.addSink(sink, [{ from: c, partitioner: Partitioners.forward() }], { name: 'sink', uid: 'sink' })
  return g
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-corrupt-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a corrupt latest checkpoint', () => {
  it('is detected by its checksum, reported, and the job resumes from the previous complete one', async () => {
    const first = new ValidatingSink<string>()
    const run1 = executeGraph(job(dir, first), { log: () => {} })
    while (first.commits.length < 4) await new Promise((r) => setTimeout(r, 5))
    run1.cancel()
    expect((await run1.result).status).toBe('CANCELED')

    const jobDir = join(dir, 'corrupt')
    const chks = (await readdir(jobDir)).filter((d) => /^chk-\d+$/.test(d)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    expect(chks.length).toBeGreaterThanOrEqual(2)
    const newest = chks.at(-1)!
    const previous = Number(chks.at(-2)!.slice(4))
    const stateFile = (await readdir(join(jobDir, newest))).find((f) => f.endsWith('.state') && f.includes('op-1-'))!
    const bytes = await readFile(join(jobDir, newest, stateFile))
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0xff // one flipped bit pattern in the body
    await writeFile(join(jobDir, newest, stateFile), bytes)

    const logs: string[] = []
    const second = new ValidatingSink<string>()
    const result = await executeGraph(job(dir, second), { log: (m) => logs.push(m) }).result
    expect(result.status).toBe('FINISHED')
    expect(logs.join('\n')).toMatch(new RegExp(`${newest}[\\s\\S]*${stateFile}[\\s\\S]*checksum`, 'i'))
    // resumed from the previous checkpoint: its state continues the counts, so together the two runs
    // produced every count, the ones between the two checkpoints twice (they had been committed)
    const all = [...first.committed, ...second.committed]
    const expected = Array.from({ length: N }, (_, i) => `${i % 10}:${Math.floor(i / 10) + 1}`)
    expect(new Set(all)).toEqual(new Set(expected))
    expect(second.committed.length).toBeLessThan(N)
    // the restore re-commits what the previous checkpoint holds (commits are idempotent), never the corrupt one's
    expect(second.commits).toContain(previous)
    expect(second.commits).not.toContain(Number(newest.slice(4)))
  }, 30_000)
})
