import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const demoDir = fileURLToPath(new URL('..', import.meta.url))
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const LIVE_LINE = /^\[\s*\d+s\]\s+[\d,]+ clicks\/s {2}total [\d,]+ {2}\| sessions ended [\d,]+/m

interface Run {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `tsx src/main.ts <args>` in apps/demo, as `npm start` does; `onOutput` sees stdout as it
 * grows and may signal the child.
 */
const runMain = (args: readonly string[], onOutput?: (stdout: string, kill: (s: NodeJS.Signals) => void) => void): Promise<Run> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, 'src/main.ts', ...args], { cwd: demoDir, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000)
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
      onOutput?.(stdout, (s) => child.kill(s))
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(guard)
      resolve({ code, signal, stdout, stderr })
    })
  })

describe('npm start (tsx src/main.ts)', () => {
  it('prints a throughput line and stops by itself after --seconds, with exit code 0', async () => {
    const run = await runMain(['--seconds', '2', '--rate', '20000'])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/^Strom demo: per-user session alerts, 20,000 clicks\/s, parallelism 1/)
    expect(run.stdout).toMatch(LIVE_LINE)
    const rate = Number(/([\d,]+) clicks\/s {2}total/.exec(run.stdout)![1]!.replaceAll(',', ''))
    expect(rate).toBeGreaterThan(10_000) // ~20,000: the source is rate-limited
    expect(rate).toBeLessThan(30_000)
    expect(run.stdout).toMatch(/Stopped after --seconds 2: job CANCELED after 2\.\d s\. [\d,]+ clicks/)
  }, 40_000)

  it('cancels the job on SIGINT (Ctrl-C), prints a summary and exits with code 0', async () => {
    let sent = false
    const run = await runMain(['--rate', '20000', '--parallelism', '2'], (stdout, kill) => {
      if (!sent && LIVE_LINE.test(stdout)) {
        sent = true
        kill('SIGINT')
      }
    })
    expect(sent).toBe(true)
    expect(run.stderr).toBe('')
    expect(run.signal).toBeNull()
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/2 worker threads/)
    expect(run.stdout).toMatch(/SIGINT: cancelling the job/)
    expect(run.stdout).toMatch(/Interrupted \(Ctrl-C\): job CANCELED after [\d.]+ s\. [\d,]+ clicks/)
  }, 40_000)

  it('finishes a bounded run (--count), reporting every session', async () => {
    const run = await runMain(['--count', '50000', '--rate', 'max', '--users', '1000'])
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/Input ended: job FINISHED after [\d.]+ s\. 50,000 clicks/)
  }, 40_000)

  it('explains a bad command line and exits with code 2', async () => {
    const run = await runMain(['--rate', 'fast'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/--rate needs a number, got 'fast'\.[\s\S]*usage: npm start/)
  }, 40_000)
})
