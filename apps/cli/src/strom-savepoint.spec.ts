// End to end, with real processes: `strom run` a job, stop it with `strom savepoint --stop` from
// another process, list its checkpoints with `strom checkpoints`, resume it with
// `strom run --restore`, and check that the committed output is exactly that of one
// uninterrupted run: nothing lost, nothing doubled.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CheckpointEntry } from './commands/checkpoints-command.js'
import { COUNTING_JOB, event, type CountingJobParams } from './fixtures/counting-job.js'
import { fixture, runStrom, startStrom } from './fixtures/strom-process.js'

const COUNT = 20_000

/** What an uninterrupted run commits: for every key, the counts 1 to its number of events. */
const expectedOutput = (): string[] => {
  const counts = new Map<string, number>()
  const lines: string[] = []
  for (let i = 0; i < COUNT; i++) {
    const { key } = event(i)
    const n = (counts.get(key) ?? 0) + 1
    counts.set(key, n)
    lines.push(JSON.stringify({ key, count: n }))
  }
  return lines.sort()
}

/** The committed output: the lines of the visible files (not starting with '.'). */
const committedOutput = async (dir: string): Promise<string[]> => {
  const lines: string[] = []
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.')))
    lines.push(...(await readFile(join(dir, name), 'utf8')).split('\n').filter((l) => l !== ''))
  return lines.sort()
}

let dir: string
let params: CountingJobParams
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-cli-'))
  params = { output: join(dir, 'out'), checkpoints: join(dir, 'checkpoints'), count: COUNT, rowsPerSecond: 5000 }
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('strom run / savepoint / checkpoints', () => {
  it('stop-with-savepoint, then resume from the savepoint: the output is exactly once', async () => {
    const job = fixture('counting-job.ts')
    const checkpoints = join(dir, 'checkpoints')
    const savepoints = join(dir, 'savepoints')

    // 1. run the job, stop it with a savepoint from another process
    const first = startStrom(['run', job, '--params', JSON.stringify(params)], dir)
    await first.waitForOutput(/Job 'counting' started/)
    await new Promise((r) => setTimeout(r, 500))
    const savepoint = await runStrom(['savepoint', checkpoints, COUNTING_JOB, '--stop', '--target', savepoints], dir)
    expect(savepoint.stderr).toBe('')
    expect(savepoint.code).toBe(0)
    const path = savepoint.stdout.trim()
    expect(path.startsWith(join(savepoints, 'savepoint-'))).toBe(true)
    expect(existsSync(join(path, '_metadata'))).toBe(true)
    const stopped = await first.exited
    expect(stopped.code, stopped.stderr).toBe(0)
    expect(stopped.stdout).toMatch(/status: +STOPPED/)
    expect(stopped.stdout).toContain(`latest checkpoint: ${path}`)
    const partial = await committedOutput(params.output)
    expect(partial.length).toBeGreaterThan(0)
    expect(partial.length).toBeLessThan(COUNT)

    // 2. the savepoint and the retained checkpoints are listed and valid
    const listed = await runStrom(['checkpoints', checkpoints, COUNTING_JOB, '--savepoints', savepoints], dir)
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toMatch(/^ID +KIND +TIME \(UTC\) +FINISHED +OPERATORS +STATE +VALID +PATH$/m)
    expect(listed.stdout).toContain(path)
    expect(listed.stdout).toMatch(/^\d+ +checkpoint +\S+Z +no +\d+ +[\d.]+ (B|KiB) +yes +\S+chk-\d+$/m)
    expect(listed.stdout).toMatch(/^\d+ +savepoint +\S+Z +no +3 +[\d.]+ (B|KiB) +yes +\S+savepoint-\d+-\S+$/m)

    // 3. resume from the savepoint and run to the end
    const second = await runStrom(['run', job, '--params', JSON.stringify(params), '--restore', path], dir)
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toMatch(/Job 'counting' started/)
    expect(second.stdout).toMatch(/status: +FINISHED/)
    expect(second.stdout).toMatch(/duration: +\S+ (ms|s) \(\d+ ms\)/)
    expect(second.stdout).toMatch(/restarts: +0\b/) // no task failed on the way
    expect(second.stdout).toMatch(/latest checkpoint: +\S+chk-\d+/)
    const output = await committedOutput(params.output)
    expect(output.length).toBe(COUNT)
    expect(output).toEqual(expectedOutput())

    // 4. --json, and a damaged checkpoint is reported with its problem
    const json = await runStrom(['checkpoints', checkpoints, COUNTING_JOB, '--savepoints', savepoints, '--json'], dir)
    expect(json.code, json.stderr).toBe(0)
    const report = JSON.parse(json.stdout) as { jobName: string; checkpoints: CheckpointEntry[] }
    expect(report.jobName).toBe(COUNTING_JOB)
    const savepointEntry = report.checkpoints.find((c) => c.path === path)
    expect(savepointEntry).toMatchObject({ kind: 'savepoint', valid: true, finished: false, operators: 3 })
    const latest = report.checkpoints.filter((c) => c.kind === 'checkpoint').at(-1)!
    expect(latest).toMatchObject({ valid: true, finished: true })
    expect(latest.id).toBeGreaterThan(savepointEntry!.id)

    const metadata = join(latest.path, '_metadata')
    const bytes = await readFile(metadata)
    bytes[bytes.length - 1] ^= 0xff
    await writeFile(metadata, bytes)
    const [damaged, text] = await Promise.all([
      runStrom(['checkpoints', checkpoints, COUNTING_JOB, '--json'], dir),
      runStrom(['checkpoints', checkpoints, COUNTING_JOB], dir),
    ])
    const entry = (JSON.parse(damaged.stdout) as { checkpoints: CheckpointEntry[] }).checkpoints.find((c) => c.path === latest.path)
    expect(entry).toMatchObject({ id: latest.id, kind: 'checkpoint', valid: false })
    expect(entry?.problem).toMatch(/checksum mismatch/)
    expect(text.stdout).toMatch(new RegExp(`^${latest.id} +checkpoint +- +- +- +- +NO +\\S+chk-${latest.id}\\n +problem: Metadata file \\S+ is damaged`, 'm'))
  }, 30_000)
})
