import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DataGenSource, ExactlyOnceCollectSink, loadCheckpoint, KeyedProcessFunction, ValueStateDescriptor, WatermarkStrategy, type Collector, type JobClient, type ValueState } from '../index.js'
import { StreamExecutionEnvironment, type StateBackendName } from '../environment/stream-execution-environment.js'

// Savepoint round trips: a job stopped with a savepoint and resumed with another parallelism (and
// another state backend) gives the same keyed results as a run that was never interrupted.
const N = 6000
const ev = (i: number): { key: string; v: number } => ({ key: `k${(i * 31) % 101}`, v: (i % 9) + 1 })

class RunningSum extends KeyedProcessFunction<string, { key: string; v: number }, string> {
  private sum!: ValueState<number>
  override open(): void {
    this.sum = this.getRuntimeContext().getState(new ValueStateDescriptor<number>('sum'))
  }
  processElement(e: { key: string; v: number }, _ctx: KeyedProcessFunction.Context<string>, out: Collector<string>): void {
    const s = (this.sum.value() ?? 0) + e.v
    this.sum.update(s)
    out.collect(`${e.key}=${s}`)
  }
}

const expected = (): string[] => {
  const sums = new Map<string, number>()
  const out: string[] = []
  for (let i = 0; i < N; i++) {
    const e = ev(i)
    const s = (sums.get(e.key) ?? 0) + e.v
    sums.set(e.key, s)
    out.push(`${e.key}=${s}`)
  }
  return out.sort()
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-savepoint-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Starts the job (one datagen split, so a key's records keep their order whatever the parallelism). */
const start = (sink: ExactlyOnceCollectSink<string>, parallelism: number, backend: StateBackendName, restoreFrom?: string): JobClient => {
  const env = StreamExecutionEnvironment.create({ parallelism })
  env.enableCheckpointing(30, 'EXACTLY_ONCE', { directory: join(dir, 'checkpoints') })
  env.setStateBackend(backend, { directory: join(dir, 'lmdb') })
  env
    .fromSource(DataGenSource.of(ev, { count: N, rowsPerSecond: 8000 }), WatermarkStrategy.noWatermarks(), 'events')
    .fixParallelism(1)
    .uid('events')
    .keyBy((e) => e.key)
    .process(new RunningSum())
    .uid('sums')
    .sinkTo(sink)
    .uid('sink')
  return env.executeAsync('savepoint-job', restoreFrom === undefined ? { log: () => {} } : { restoreFrom, log: () => {} })
}

const waitFor = async (cond: () => boolean): Promise<void> => {
  while (!cond()) await new Promise((r) => setTimeout(r, 10))
}

const roundTrip = async (backends: readonly [StateBackendName, StateBackendName, StateBackendName]): Promise<string[]> => {
  const sink = new ExactlyOnceCollectSink<string>()
  const first = start(sink, 1, backends[0])
  await waitFor(() => sink.values.length > 500)
  const sp1 = await first.stopWithSavepoint(join(dir, 'savepoints'))
  expect((await first.result).status).toBe('STOPPED')
  const committed1 = sink.values.length
  expect(committed1).toBeLessThan(N)

  const second = start(sink, 3, backends[1], sp1)
  await waitFor(() => sink.values.length > committed1 + 500)
  const sp2 = await second.stopWithSavepoint(join(dir, 'savepoints'))
  expect((await second.result).status).toBe('STOPPED')
  expect(sink.values.length).toBeLessThan(N)

  const third = start(sink, 2, backends[2], sp2)
  expect((await third.result).status).toBe('FINISHED')
  // the lmdb backend really ran: it made its directory (each subtask's environment is gone again)
  expect(existsSync(join(dir, 'lmdb'))).toBe(backends.includes('lmdb'))
  return [...sink.values].sort()
}

describe('savepoints', () => {
  it('parallelism 1 -> 3 -> 2 gives the results of an uninterrupted run', async () => {
    expect(await roundTrip(['heap', 'heap', 'heap'])).toEqual(expected())
  }, 30_000)

  it('heap and lmdb restore each other’s savepoints (heap -> lmdb -> heap)', async () => {
    expect(await roundTrip(['heap', 'lmdb', 'heap'])).toEqual(expected())
  }, 30_000)

  it('lmdb -> heap -> lmdb', async () => {
    expect(await roundTrip(['lmdb', 'heap', 'lmdb'])).toEqual(expected())
  }, 30_000)

  it('triggerSavepoint keeps the job running; the savepoint outlives the job', async () => {
    const sink = new ExactlyOnceCollectSink<string>()
    const job = start(sink, 2, 'heap')
    await waitFor(() => sink.values.length > 200)
    const sp = await job.triggerSavepoint(join(dir, 'savepoints'))
    expect(sp).toMatch(/savepoint-\d+-/)
    expect((await job.result).status).toBe('FINISHED')
    expect([...sink.values].sort()).toEqual(expected())
    const loaded = await loadCheckpoint(sp)
    expect(loaded.metadata.kind).toBe('savepoint')
    expect(loaded.metadata.operators.find((o) => o.uid === 'sums')?.subtasks).toHaveLength(2)
  }, 30_000)

  it('a savepoint without a directory to keep it in is refused clearly', async () => {
    const env = StreamExecutionEnvironment.create()
    env.enableCheckpointing(30)
    env.fromSource(DataGenSource.of(ev, { count: N, rowsPerSecond: 8000 }), WatermarkStrategy.noWatermarks(), 'events').sinkTo(new ExactlyOnceCollectSink<{ key: string; v: number }>())
    const job = env.executeAsync('no-dir', { log: () => {} })
    await expect(job.triggerSavepoint()).rejects.toThrow(/savepoint.*directory/i)
    job.cancel()
    expect((await job.result).status).toBe('CANCELED')
  }, 30_000)
})
