// End to end, with real processes: the failures users meet first (a module without a job, a
// savepoint request that no job answers), Ctrl-C, and the help of the installed script.
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fixture, runStrom, startStrom } from './fixtures/strom-process.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('strom (process)', () => {
  it('--help and --version', async () => {
    const help = await runStrom(['--help'], dir)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage: strom <command>/m)
    expect(help.stdout).toMatch(/^ {2}run +/m)
    expect(help.stdout).toMatch(/^ {2}savepoint +/m)
    expect(help.stdout).toMatch(/^ {2}checkpoints +/m)
    const version = await runStrom(['--version'], dir)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('run: a module that exports no job fails with a clear message and exit code 1', async () => {
    const r = await runStrom(['run', fixture('no-jobs.ts')], dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^strom run: Module \S+no-jobs\.ts exports no job\. Define the job at the module's top level with defineStreamJob/)
  })

  it('run: a module that does not exist', async () => {
    const r = await runStrom(['run', 'nowhere/job.ts'], dir)
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`Module not found: ${join(dir, 'nowhere/job.ts')} does not exist.`)
  })

  it('run: the named job of a module with several', async () => {
    const r = await runStrom(['run', fixture('two-jobs.ts'), 'second'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^Job 'second' started$/m)
    expect(r.stdout).toMatch(/status: +FINISHED/)
    expect(r.stdout).toMatch(/latest checkpoint: none/)
  })

  it('savepoint: no running job answers within --timeout', async () => {
    await mkdir(join(dir, 'checkpoints', 'idle'), { recursive: true })
    const started = Date.now()
    const r = await runStrom(['savepoint', join(dir, 'checkpoints'), 'idle', '--timeout', '300'], dir)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`strom savepoint: No running job answered within 300 ms through ${join(dir, 'checkpoints', 'idle')}/control.`)
    expect(r.stderr).toContain(`Is job 'idle' running, with checkpoint directory ${join(dir, 'checkpoints')}?`)
    const missing = await runStrom(['savepoint', 'checkpoints', 'nojob', '--timeout', '200'], dir)
    expect(missing.code).toBe(1)
    expect(missing.stderr).toContain(`${join(dir, 'checkpoints', 'nojob')} does not exist`)
    expect(Date.now() - started).toBeLessThan(20_000)
  })

  it('run: SIGINT cancels the job, which ends CANCELED with exit code 0', async () => {
    const params = { output: join(dir, 'sigint-out'), checkpoints: join(dir, 'sigint-checkpoints'), count: 1_000_000, rowsPerSecond: 5000 }
    const p = startStrom(['run', fixture('counting-job.ts'), '--params', JSON.stringify(params)], dir)
    await p.waitForOutput(/Job 'counting' started/)
    await new Promise((r) => setTimeout(r, 500))
    p.child.kill('SIGINT')
    const r = await p.exited
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain("SIGINT: cancelling job 'counting'")
    expect(r.stdout).toMatch(/status: +CANCELED/)
  })
})
