// The dispatcher and the command-line errors, in process: every message a user gets for a bad
// command line is pinned here.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandHelp, globalHelp, runCli, VERSION } from './cli.js'
import type { CliIo } from './command.js'
import { COMMANDS } from './commands/index.js'
import { exportedJobs, importJobModule, selectJob } from './job-module.js'
import { fixture } from './fixtures/strom-process.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Runs a command line in process; resolves with the exit code and what it printed. */
const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    out: (t) => void out.push(t),
    err: (t) => void err.push(t),
    cwd: dir,
    onSignal: () => () => {},
    exit: (code) => {
      throw new Error(`exit ${code}`)
    },
  }
  const code = await runCli(argv, io)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('help and version', () => {
  it('strom --help lists every command', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await cli(...argv)
      expect(r).toEqual({ code: 0, out: globalHelp(), err: '' })
    }
    for (const c of COMMANDS) expect(globalHelp()).toContain(`  ${c.name} `)
  })

  it('strom <command> --help shows its arguments and options', async () => {
    for (const c of COMMANDS) {
      for (const argv of [[c.name, '--help'], [c.name, '-h'], ['help', c.name], [c.name, 'x', '--help']]) {
        const r = await cli(...argv)
        expect(r).toEqual({ code: 0, out: commandHelp(c), err: '' })
      }
    }
    const run = commandHelp(COMMANDS.find((c) => c.name === 'run')!)
    expect(run).toMatch(/^Usage: strom run <module> \[jobName\] \[options\]$/m)
    expect(run).toMatch(/^ {6}--params <json> +the job's parameters as JSON/m)
    expect(run).toMatch(/^ {6}--allow-non-restored-state +start even when/m)
    expect(run).toMatch(/^ {2}-h, --help +show this help$/m)
  })

  it('strom --version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: VERSION, err: '' })
    expect(await cli('-V')).toEqual({ code: 0, out: VERSION, err: '' })
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('command-line errors (exit code 2)', () => {
  it('no command, an unknown command, an option before the command', async () => {
    const none = await cli()
    expect(none.code).toBe(2)
    expect(none.err).toMatch(/^strom: no command given\.\n\nstrom /)
    expect(await cli('deploy')).toEqual({
      code: 2,
      out: '',
      err: "strom: unknown command 'deploy'. The commands are run, sql, savepoint, checkpoints. See 'strom --help'.",
    })
    expect((await cli('help', 'deploy')).err).toBe("strom: unknown command 'deploy'. The commands are run, sql, savepoint, checkpoints.")
    expect((await cli('--params', 'x')).err).toBe("strom: unknown option '--params'. Give a command first: strom <command> [options]. See 'strom --help'.")
  })

  it('an unknown option names it and the options there are', async () => {
    expect(await cli('run', 'job.ts', '--paramz', '{}')).toEqual({
      code: 2,
      out: '',
      err:
        "strom run: Unknown option '--paramz'. The options of 'strom run' are --params, --restore, --allow-non-restored-state, --help.\n" +
        "See 'strom run --help'.",
    })
    expect((await cli('checkpoints', 'cp', 'job', '-x')).err).toMatch(/^strom checkpoints: Unknown option '-x'\. The options of 'strom checkpoints' are --savepoints, --json, --help\./)
  })

  it('an option without its value, a flag with one', async () => {
    expect((await cli('run', 'job.ts', '--params')).err).toMatch(/^strom run: Option --params needs a value: --params <json>\./)
    expect((await cli('savepoint', 'cp', 'job', '--stop=yes')).err).toMatch(/^strom savepoint: Option --stop is a flag and takes no value\./)
    expect((await cli('savepoint', 'cp', 'job', '--timeout', '-5')).err).toMatch(
      /^strom savepoint: Option --timeout needs a value, and the next argument starts with '-': write a value that starts with '-' as --timeout=<value>\./,
    )
  })

  it('a missing or an extra argument', async () => {
    expect(await cli('run')).toEqual({ code: 2, out: '', err: "strom run: Missing argument <module>: strom run <module> [jobName].\nSee 'strom run --help'." })
    expect((await cli('savepoint', 'cp')).err).toMatch(/^strom savepoint: Missing argument <jobName>: strom savepoint <checkpointDirectory> <jobName>\./)
    expect((await cli('checkpoints')).err).toMatch(/^strom checkpoints: Missing arguments <checkpointDirectory> <jobName>:/)
    expect((await cli('run', 'a.ts', 'job', 'extra')).err).toMatch(/^strom run: Unexpected argument 'extra': strom run takes <module> \[jobName\]\./)
  })

  it('values that cannot be parsed', async () => {
    const params = await cli('run', fixture('no-jobs.ts'), '--params', '{nope}')
    expect(params.code).toBe(2)
    expect(params.err).toMatch(/^strom run: Option --params needs the job's parameters as JSON, e\.g\. --params '\{"path":"in\.txt"\}': /)
    for (const t of ['0', '-5', '1.5', 'soon']) {
      const r = await cli('savepoint', 'cp', 'job', `--timeout=${t}`)
      expect(r.code).toBe(2)
      expect(r.err).toMatch(new RegExp(`^strom savepoint: Option --timeout needs a positive whole number of milliseconds, got '${t.replace('.', '\\.')}'\\.`))
    }
    expect((await cli('savepoint', 'cp', '../job')).err).toMatch(/^strom savepoint: '\.\.\/job' is not a job name: a job name is a plain directory name/)
  })
})

describe('finding the job of a module', () => {
  it('the only job, the named one, and every way to get it wrong', async () => {
    const two = await importJobModule(fixture('two-jobs.ts'), dir)
    const jobs = exportedJobs(two.exports)
    expect(jobs.map((j) => j.name)).toEqual(['first', 'second']) // `alias` is the same job as `first`
    expect(selectJob(two.path, jobs, 'second').name).toBe('second')
    expect(() => selectJob(two.path, jobs)).toThrow(
      `Module ${two.path} exports several jobs ('first', 'second'): name the one to run, e.g. strom run ${two.path} first.`,
    )
    expect(() => selectJob(two.path, jobs, 'third')).toThrow(`Module ${two.path} exports no job named 'third'; its jobs are 'first', 'second'.`)
    expect(selectJob(two.path, jobs.slice(1)).name).toBe('second')

    const none = await importJobModule(fixture('no-jobs.ts'), dir)
    expect(exportedJobs(none.exports)).toEqual([])
    expect(() => selectJob(none.path, [])).toThrow(/^Module \S+no-jobs\.ts exports no job\./)
  })

  it('strom run reports each of them with exit code 1', async () => {
    const several = await cli('run', fixture('two-jobs.ts'))
    expect(several.code).toBe(1)
    expect(several.err).toMatch(/^strom run: Module \S+two-jobs\.ts exports several jobs \('first', 'second'\): name the one to run/)
    expect((await cli('run', fixture('two-jobs.ts'), 'third')).err).toMatch(/exports no job named 'third'; its jobs are 'first', 'second'\.$/)
    expect(await cli('run', 'missing.ts')).toEqual({ code: 1, out: '', err: `strom run: Module not found: ${join(dir, 'missing.ts')} does not exist.` })
    expect((await cli('run', dir)).err).toBe(`strom run: Module ${dir} is not a file: give the .ts or .js file that defines the job.`)
  })
})

describe('strom checkpoints', () => {
  it('a job without a checkpoint directory', async () => {
    expect(await cli('checkpoints', 'cp', 'orders')).toEqual({
      code: 1,
      out: '',
      err: `strom checkpoints: Job 'orders' has no checkpoints in ${join(dir, 'cp')}: ${join(dir, 'cp', 'orders')} does not exist.`,
    })
  })
})
