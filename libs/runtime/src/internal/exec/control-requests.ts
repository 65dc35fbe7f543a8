import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describeError } from '../../core/errors.js'

/**
 * A request to a running job, written as a file into its control directory
 * (`<checkpoint directory>/<job>/control/<id>.request.json`) by `strom savepoint` or any tool.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface ControlRequest {
  readonly type: 'savepoint'
  /** Where the savepoint goes (default: the job's savepoint directory). */
  readonly directory?: string
  /** Stop the job after the savepoint. */
  readonly stop?: boolean
}

/**
 * The job's answer, written next to the request as `<id>.response.json`.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export type ControlResponse = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly error: string }

/** The control directory of a job. */
export const controlDirectory = (jobDirectory: string): string => join(jobDirectory, 'control')

/**
 * Watches a job's control directory for request files and answers them, until stopped. A request
 * is taken by renaming it (so two watchers never both take it), handled, and answered with a
 * response file written atomically.
 */
export const watchControlRequests = (
  directory: string,
  handle: (request: ControlRequest) => Promise<string>,
  intervalMs = 200,
): { stop(): void } => {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const poll = async (): Promise<void> => {
    try {
      await mkdir(directory, { recursive: true })
      for (const name of await readdir(directory)) {
        if (!name.endsWith('.request.json')) continue
        const id = name.slice(0, -'.request.json'.length)
        const taken = join(directory, `${id}.taken.json`)
        try {
          await rename(join(directory, name), taken)
        } catch {
          continue
        }
        let response: ControlResponse
        try {
          const request = JSON.parse(await readFile(taken, 'utf8')) as ControlRequest
          if (request.type !== 'savepoint') throw new Error(`unknown request type ${JSON.stringify(request.type)}`)
          response = { ok: true, path: await handle(request) }
        } catch (e) {
          response = { ok: false, error: describeError(e) }
        }
        await writeFile(join(directory, `${id}.response.tmp`), JSON.stringify(response))
        await rename(join(directory, `${id}.response.tmp`), join(directory, `${id}.response.json`))
        await rm(taken, { force: true })
      }
    } catch {
      // the directory may vanish when the job ends; the next poll tries again
    }
    if (!stopped) timer = setTimeout(() => void poll(), intervalMs)
  }
  timer = setTimeout(() => void poll(), 0)
  return {
    stop: () => {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
    },
  }
}

/**
 * Sends a request to a running job through its control directory and waits for the answer.
 *
 * @param jobDirectory - `<checkpoint directory>/<job name>`
 * @param timeoutMs - how long to wait for the job to answer (default 10 minutes)
 * @returns the savepoint's path
 * @throws Error with the job's message when it could not take the savepoint, or after the timeout
 * @category Checkpoints
 * @since 0.2.0
 */
export const requestSavepoint = async (jobDirectory: string, request: Omit<ControlRequest, 'type'>, timeoutMs = 600_000): Promise<string> => {
  const dir = controlDirectory(jobDirectory)
  await mkdir(dir, { recursive: true })
  const id = `${Date.now()}-${process.pid}-${Math.floor(Math.random() * 1e9)}`
  await writeFile(join(dir, `${id}.tmp`), JSON.stringify({ type: 'savepoint', ...request } satisfies ControlRequest))
  await rename(join(dir, `${id}.tmp`), join(dir, `${id}.request.json`))
  const deadline = Date.now() + timeoutMs
  const responseFile = join(dir, `${id}.response.json`)
  for (;;) {
    try {
      const r = JSON.parse(await readFile(responseFile, 'utf8')) as ControlResponse
      await rm(responseFile, { force: true })
      if (r.ok) return r.path
      throw new Error(r.error)
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
    if (Date.now() > deadline) {
      await rm(join(dir, `${id}.request.json`), { force: true })
      throw new Error(`No running job answered in ${jobDirectory} within ${timeoutMs} ms (is the job running, with this checkpoint directory?).`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
