// `strom savepoint <checkpointDirectory> <jobName>`: asks a running job, through the control
// directory it watches (`<checkpointDirectory>/<jobName>/control/`), for a savepoint.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ConfigError, requestSavepoint } from '@strom/runtime'
import { flagOption, positiveIntegerOption, stringOption, UsageError, type Command } from '../command.js'

/** How long `strom savepoint` waits for the job by default: the default of `requestSavepoint`. */
const DEFAULT_TIMEOUT_MS = 600_000

/** A job name as the checkpoint storage accepts it: a plain directory name. */
export const checkJobName = (jobName: string): void => {
  if (jobName === '' || jobName === '.' || jobName === '..' || /[/\\\0]/.test(jobName))
    throw new UsageError(`'${jobName}' is not a job name: a job name is a plain directory name, without '/' or '\\', not '.' or '..'.`)
}

const isDirectory = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/**
 * `strom savepoint`.
 *
 * @category CLI
 * @since 0.2.0
 */
export const savepointCommand: Command = {
  name: 'savepoint',
  summary: 'Take a savepoint of a running job (and stop it, with --stop)',
  description: [
    'Asks the running job <jobName>, started with checkpoints in <checkpointDirectory>',
    "(env.enableCheckpointing(interval, mode, { directory })), for a savepoint, and prints the savepoint's",
    'path on standard output once it is complete. The request goes through files in',
    '<checkpointDirectory>/<jobName>/control/, which the job watches: the job may run in another process.',
    'Resume a job from the savepoint with strom run <module> --restore <path>.',
    '',
    'Exit code: 0 with the path printed; 1 when the job refused the savepoint or did not answer in time.',
  ].join('\n'),
  arguments: [
    { name: 'checkpointDirectory', description: 'the checkpoint directory the job was started with' },
    { name: 'jobName', description: "the job's name" },
  ],
  options: {
    target: { type: 'string', valueName: '<dir>', description: 'where to write the savepoint (default <checkpointDirectory>/<jobName>/savepoints)' },
    stop: { type: 'boolean', description: 'stop the job right after the savepoint (it then ends with status STOPPED)' },
    timeout: { type: 'string', valueName: '<ms>', description: `how long to wait for the job, in milliseconds (default ${DEFAULT_TIMEOUT_MS})` },
  },
  examples: [
    'strom savepoint ./checkpoints orders                          # a savepoint; the job keeps running',
    'strom savepoint ./checkpoints orders --stop --target ./savepoints   # stop-with-savepoint',
  ],
  run: async (args, io) => {
    const [checkpointDirectory, jobName] = args.positionals as [string, string]
    checkJobName(jobName)
    const timeoutMs = positiveIntegerOption(args, 'timeout', 'milliseconds') ?? DEFAULT_TIMEOUT_MS
    const target = stringOption(args, 'target')
    const jobDirectory = resolve(io.cwd, checkpointDirectory, jobName)
    const deadline = Date.now() + timeoutMs
    // A job creates its directory when it starts: wait for it rather than create it for a typo.
    while (!(await isDirectory(jobDirectory))) {
      if (Date.now() >= deadline)
        throw new ConfigError(
          `No running job answered within ${timeoutMs} ms: ${jobDirectory} does not exist. Is job '${jobName}' running, ` +
            `with checkpoint directory ${resolve(io.cwd, checkpointDirectory)}?`,
        )
      await new Promise((r) => setTimeout(r, 100))
    }
    let path: string
    try {
      path = await requestSavepoint(
        jobDirectory,
        { ...(target === undefined ? {} : { directory: resolve(io.cwd, target) }), stop: flagOption(args, 'stop') },
        Math.max(1, deadline - Date.now()),
      )
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('No running job answered'))
        throw new ConfigError(
          `No running job answered within ${timeoutMs} ms through ${jobDirectory}/control. Is job '${jobName}' running, ` +
            `with checkpoint directory ${resolve(io.cwd, checkpointDirectory)}?`,
          { cause: e },
        )
      throw new ConfigError(`Job '${jobName}' could not take the savepoint: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
    }
    io.out(path)
    return 0
  },
}
