// Runs the crash job in child processes, kills them with SIGKILL at random moments, and reads the
// committed output. Used by crash.spec.ts (20 runs) and tools/crash-test (as many as asked).
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CheckpointStorage } from '@strom/runtime'
import type { CrashJobOptions, CrashOutput } from './crash-job.js'

const JOB = fileURLToPath(new URL('./crash-job.ts', import.meta.url))
const CWD = fileURLToPath(new URL('..', import.meta.url))

/** A run of the crash job: how often it was killed, and what it committed. */
export interface CrashRun {
  readonly kills: number
  readonly starts: number
  readonly output: CrashOutput[]
  readonly killTimesMs: number[]
  /** After each kill: the checkpoint the next start resumed from (undefined: none yet), and whether the job had finished. */
  readonly resumedFrom: { readonly id: number | undefined; readonly finished: boolean }[]
}

const runChild = (o: CrashJobOptions, killAfterMs: number | undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', JOB, JSON.stringify(o)], { cwd: CWD, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    let timer: NodeJS.Timeout | undefined
    child.stdout.on('data', (d: Buffer) => {
      if (killAfterMs !== undefined && timer === undefined && d.toString().includes('started')) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      resolve({ code, signal, stderr })
    })
  })

/** Lines of every visible (committed) file in the output directory. */
export const readCommitted = async (dir: string): Promise<CrashOutput[]> => {
  const out: CrashOutput[] = []
  let names: string[]
  try {
    names = await readdir(dir)
  } catch {
    return out
  }
  for (const name of names.sort()) {
    if (name.startsWith('.')) continue
    const text = await readFile(join(dir, name), 'utf8')
    for (const line of text.split('\n')) if (line.length > 0) out.push(JSON.parse(line) as CrashOutput)
  }
  return out
}

/**
 * Starts the job, kills it `kills` times after random delays from the moment the job starts
 * (drawn with `random` between `minKillMs` and `maxKillMs`), then lets the last start run to its end; returns the committed output.
 */
export const crashRun = async (
  job: Omit<CrashJobOptions, 'output' | 'checkpoints'>,
  kills: number,
  random: () => number,
  minKillMs: number,
  maxKillMs: number,
): Promise<CrashRun> => {
  const base = await mkdtemp(join(tmpdir(), 'strom-crash-'))
  const o: CrashJobOptions = { ...job, output: join(base, 'out'), checkpoints: join(base, 'checkpoints') }
  const killTimesMs: number[] = []
  const resumedFrom: { id: number | undefined; finished: boolean }[] = []
  const storage = new CheckpointStorage({ directory: o.checkpoints, jobName: 'crash-job', retained: 2 })
  try {
    let starts = 0
    for (let k = 0; k < kills; k++) {
      const after = Math.round(minKillMs + random() * (maxKillMs - minKillMs))
      killTimesMs.push(after)
      starts++
      const r = await runChild(o, after)
      if (r.signal !== 'SIGKILL' && r.code !== 0) throw new Error(`The crash job failed (exit ${r.code}):\n${r.stderr}`)
      const latest = await storage.latest(() => {})
      resumedFrom.push({ id: latest?.metadata.checkpointId, finished: latest?.metadata.finished ?? false })
    }
    starts++
    const last = await runChild(o, undefined)
    if (last.code !== 0) throw new Error(`The crash job's last run failed (exit ${last.code}, ${last.signal}):\n${last.stderr}`)
    return { kills, starts, output: await readCommitted(o.output), killTimesMs, resumedFrom }
  } finally {
    await rm(base, { recursive: true, force: true })
  }
}

/** A deterministic random number generator (mulberry32). */
export const seededRandom = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Sorts records into a canonical order for comparing multisets. */
export const canonical = (rows: readonly CrashOutput[]): string[] => rows.map((r) => JSON.stringify(r)).sort()
