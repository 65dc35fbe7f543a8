import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ExactlyOnceCollectSink, executeJob, RestartStrategies } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import { expectedOutput, FailAfterCheckpoint, recoveryOnWorkers, recoveryPipeline, type Out } from './recovery-jobs.fixture.js'

// Flink's failing-source / validating-sink tests: an operator throws after a checkpoint; after
// the restart from the latest checkpoint, the committed output equals the output of a run without
// failure, exactly: windows, keyed state and event-time timers, nothing lost, nothing twice.
const expected = expectedOutput()

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-recovery-'))
  FailAfterCheckpoint.armed = false
  FailAfterCheckpoint.failures = 0
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('recovery from the latest checkpoint', () => {
  it('in one thread: windows, keyed state and timers are exactly once after an operator failure', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    env.enableCheckpointing(15)
    env.setRestartStrategy(RestartStrategies.fixedDelay(3, 0))
    const sink = new ExactlyOnceCollectSink<Out>()
    recoveryPipeline(env, 700).sinkTo(sink)
    const result = await env.execute('recovery', { log: () => {} })
    expect(FailAfterCheckpoint.failures).toBe(1)
    expect(result.restarts).toBe(1)
    expect([...sink.values].sort()).toEqual(expected)
  }, 30_000)

  it('without restarts allowed, the failure fails the job with the error', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    env.enableCheckpointing(15)
    env.setRestartStrategy(RestartStrategies.noRestart())
    recoveryPipeline(env, 700).sinkTo(new ExactlyOnceCollectSink<Out>())
    await expect(env.execute('recovery-fails', { log: () => {} })).rejects.toThrow(/injected failure after a checkpoint/)
  }, 30_000)

  it('on worker threads: the exactly-once file sink holds the same output after a failure', async () => {
    const output = join(dir, 'out')
    const result = await executeJob(recoveryOnWorkers, { output, checkpoints: join(dir, 'cp'), marker: join(dir, 'failed') }, { log: () => {} }).result
    expect(result.status).toBe('FINISHED')
    expect(result.restarts).toBe(1)
    const lines: Out[] = []
    for (const f of await readdir(output)) {
      if (f.startsWith('.')) continue
      for (const l of (await readFile(join(output, f), 'utf8')).split('\n')) if (l !== '') lines.push(JSON.parse(l) as Out)
    }
    expect(lines.sort()).toEqual(expected)
  }, 60_000)
})
