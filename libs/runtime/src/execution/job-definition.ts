import { ConfigError } from '../core/errors.js'
import type { StreamGraph } from '../graph/stream-graph.js'

/**
 * A job that can be rebuilt in any thread: a name, the module that defines it, and a function that
 * builds its graph from parameters.
 *
 * @remarks
 * JavaScript cannot send functions to another thread, so to run subtasks on worker threads each
 * worker imports the job's module and builds the same graph again (as every Flink TaskManager
 * deserialises the same job). The module must therefore define the job at top level with
 * {@link defineJob}, without starting it there; start it from another module or behind
 * `isMainThread`. `build` must be deterministic: the same parameters give the same graph.
 *
 * @example
 * ```ts
 * export const wordCount = defineJob(import.meta.url, 'word-count', (p: { path: string }) => {
 *   const graph = new StreamGraph({ parallelism: 2 })
 *   // ... add sources, operators and sinks
 *   return graph
 * })
 * ```
 *
 * @typeParam P - the parameters (structured-clonable: they are sent to each worker)
 * @category Execution
 * @since 0.1.0
 */
export interface JobDefinition<P> {
  /** The URL of the module that defines the job (`import.meta.url`). */
  readonly moduleUrl: string
  /** The job's name, unique among the jobs its module defines. */
  readonly name: string
  /** Builds the job's graph. */
  readonly build: (params: P) => StreamGraph
}

const registry = new Map<string, JobDefinition<any>>()

/**
 * Defines a job (see {@link JobDefinition}) and registers it, so that worker threads that import
 * its module find it by name.
 *
 * @category Execution
 * @since 0.1.0
 */
export const defineJob = <P = void>(
  moduleUrl: string,
  name: string,
  build: (params: P) => StreamGraph,
): JobDefinition<P> => {
  const def: JobDefinition<P> = { moduleUrl, name, build }
  registry.set(`${moduleUrl}#${name}`, def)
  return def
}

/** Finds a job defined by an imported module. @internal */
export const lookupJob = (moduleUrl: string, name: string): JobDefinition<unknown> => {
  const def = registry.get(`${moduleUrl}#${name}`)
  if (def === undefined)
    throw new ConfigError(
      `Module ${moduleUrl} defines no job named '${name}'. Define it at the module's top level with defineJob(import.meta.url, '${name}', ...).`,
    )
  return def
}
