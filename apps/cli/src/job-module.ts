// Finding the job a module defines: `strom run <module> [jobName]` imports the module and looks
// for the job definitions among its exports (what `defineJob` and `defineStreamJob` return).
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError, describeError, type JobDefinition } from '@strom/runtime'

/**
 * Whether `x` is a job definition: an object with a `moduleUrl`, a `name` and a `build` function,
 * as `defineJob` (`@strom/runtime`) and `defineStreamJob` (`@strom/datastream`) create.
 *
 * @category CLI
 * @since 0.2.0
 */
export const isJobDefinition = (x: unknown): x is JobDefinition<unknown> => {
  if (typeof x !== 'object' || x === null) return false
  const d = x as Partial<Record<keyof JobDefinition<unknown>, unknown>>
  return typeof d.moduleUrl === 'string' && typeof d.name === 'string' && typeof d.build === 'function'
}

/**
 * The job definitions a module exports, each once (a job exported under two names counts once),
 * in the order of the module's export names.
 *
 * @category CLI
 * @since 0.2.0
 */
export const exportedJobs = (moduleExports: Readonly<Record<string, unknown>>): JobDefinition<unknown>[] => {
  const jobs: JobDefinition<unknown>[] = []
  for (const value of Object.values(moduleExports)) if (isJobDefinition(value) && !jobs.includes(value)) jobs.push(value)
  return jobs
}

/**
 * Chooses the job to run among those a module exports: the one named `jobName`, or the only one.
 *
 * @param modulePath - the module, for messages
 * @throws ConfigError when the module exports no job, no job of that name, or several jobs and
 *   no name was given; the message lists the jobs there are
 * @category CLI
 * @since 0.2.0
 */
export const selectJob = (modulePath: string, jobs: readonly JobDefinition<unknown>[], jobName?: string): JobDefinition<unknown> => {
  const names = jobs.map((j) => `'${j.name}'`).join(', ')
  if (jobs.length === 0)
    throw new ConfigError(
      `Module ${modulePath} exports no job. Define the job at the module's top level with defineStreamJob(import.meta.url, 'name', ...) ` +
        `(@strom/datastream) or defineJob(import.meta.url, 'name', ...) (@strom/runtime), and export it.`,
    )
  if (jobName !== undefined) {
    const job = jobs.find((j) => j.name === jobName)
    if (job === undefined) throw new ConfigError(`Module ${modulePath} exports no job named '${jobName}'; its jobs are ${names}.`)
    return job
  }
  if (jobs.length > 1)
    throw new ConfigError(`Module ${modulePath} exports several jobs (${names}): name the one to run, e.g. strom run ${modulePath} ${jobs[0]!.name}.`)
  return jobs[0]!
}

/**
 * Imports a job module (a `.ts` or `.js` file; `.ts` needs the tsx loader, which the `strom`
 * script registers) and returns its exports.
 *
 * @param path - the module's path, relative to `cwd` or absolute
 * @throws ConfigError when the file does not exist, is not a file, or fails to import
 * @category CLI
 * @since 0.2.0
 */
export const importJobModule = async (path: string, cwd: string): Promise<{ readonly path: string; readonly exports: Record<string, unknown> }> => {
  const absolute = resolve(cwd, path)
  let isFile: boolean
  try {
    isFile = (await stat(absolute)).isFile()
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new ConfigError(`Module not found: ${absolute} does not exist.`)
    throw new ConfigError(`Cannot read module ${absolute}: ${describeError(e)}`, { cause: e })
  }
  if (!isFile) throw new ConfigError(`Module ${absolute} is not a file: give the .ts or .js file that defines the job.`)
  try {
    return { path: absolute, exports: (await import(pathToFileURL(absolute).href)) as Record<string, unknown> }
  } catch (e) {
    throw new ConfigError(`Could not import module ${absolute}: ${describeError(e)}`, { cause: e })
  }
}
