// `strom run <module> [jobName]`: imports a job module, picks its job and runs it to the end.
import { resolve } from 'node:path'
import { executeJob, type JobClient, type JobResult } from '@strom/runtime'
import { flagOption, stringOption, UsageError, type CliIo, type Command, type CommandArgs } from '../command.js'
import { formatDuration } from '../format.js'
import { exportedJobs, importJobModule, selectJob } from '../job-module.js'

/** The job's parameters from `--params <json>`; `undefined` when not given. */
const parseParams = (args: CommandArgs): unknown => {
  const text = stringOption(args, 'params')
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch (e) {
    throw new UsageError(`Option --params needs the job's parameters as JSON, e.g. --params '{"path":"in.txt"}': ${(e as Error).message}.`)
  }
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : `thrown value ${JSON.stringify(e) ?? String(e)}`)

/**
 * The lines `strom run` prints when a job ended.
 *
 * @category CLI
 * @since 0.2.0
 */
export const formatJobResult = (r: JobResult): string =>
  [
    `Job '${r.jobName}' ${r.status}`,
    `  status:            ${r.status}`,
    `  duration:          ${formatDuration(r.durationMs)} (${r.durationMs} ms)`,
    `  restarts:          ${r.restarts ?? 0}`,
    `  latest checkpoint: ${r.latestCheckpoint ?? 'none'}`,
  ].join('\n')

/** Waits for the job's result; the first SIGINT/SIGTERM cancels the job, a second one exits at once. */
const awaitResult = async (client: JobClient, io: CliIo): Promise<number> => {
  let cancelling = false
  const off = io.onSignal((signal) => {
    if (cancelling) {
      io.err(`${signal} again: exiting without waiting for job '${client.jobName}' to end.`)
      io.exit(130)
    }
    cancelling = true
    io.err(`${signal}: cancelling job '${client.jobName}' (${signal} again to exit at once)...`)
    client.cancel()
  })
  try {
    const result = await client.result
    io.out(formatJobResult(result))
    return 0
  } catch (e) {
    io.err(`Job '${client.jobName}' failed: ${errorMessage(e)}`)
    return 1
  } finally {
    off()
  }
}

/**
 * `strom run`.
 *
 * @category CLI
 * @since 0.2.0
 */
export const runCommand: Command = {
  name: 'run',
  summary: 'Run a job defined in a module, until it finishes or is stopped',
  description: [
    'Imports <module> (a .ts or .js file), finds the jobs it exports (created with defineStreamJob from',
    '@strom/datastream or defineJob from @strom/runtime, at the module\'s top level) and runs the one named',
    '[jobName], or the only one. Parallel jobs run on worker threads, each of which imports the module again.',
    '',
    'Prints "Job \'<name>\' started", then, when the job ends, its status, duration, restarts and latest',
    'checkpoint. Ctrl-C (SIGINT) or SIGTERM cancels the job; a second one exits at once.',
    'Exit code: 0 when the job FINISHED, was STOPPED (with a savepoint) or CANCELED; 1 when it failed',
    '(the error on standard error); 2 for a bad command line.',
  ].join('\n'),
  arguments: [
    { name: 'module', description: 'the .ts or .js module that exports the job' },
    { name: 'jobName', optional: true, description: 'the job to run, when the module exports several' },
  ],
  options: {
    params: { type: 'string', valueName: '<json>', description: "the job's parameters as JSON (passed to its build function)" },
    restore: { type: 'string', valueName: '<path>', description: 'start from this savepoint or checkpoint directory' },
    'allow-non-restored-state': {
      type: 'boolean',
      description: 'start even when the savepoint holds state of operators (uids) the job no longer has',
    },
  },
  examples: [
    "strom run jobs/word-count.ts --params '{\"input\":\"in.txt\"}'",
    'strom run jobs/all-jobs.ts orders --restore /var/strom/savepoints/savepoint-12-20250314T093015.123Z',
  ],
  run: async (args, io) => {
    const [modulePath, jobName] = args.positionals
    const params = parseParams(args)
    const restore = stringOption(args, 'restore')
    const module = await importJobModule(modulePath!, io.cwd)
    const job = selectJob(module.path, exportedJobs(module.exports), jobName)
    let client: JobClient
    try {
      client = executeJob(job, params, {
        ...(restore === undefined ? {} : { restoreFrom: resolve(io.cwd, restore) }),
        allowNonRestoredState: flagOption(args, 'allow-non-restored-state'),
      })
    } catch (e) {
      io.err(`Job '${job.name}' could not start: ${errorMessage(e)}`)
      return 1
    }
    io.out(`Job '${client.jobName}' started`)
    return awaitResult(client, io)
  },
}
