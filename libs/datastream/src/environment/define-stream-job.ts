import { defineJob, type JobDefinition } from '@strom/runtime'
import { StreamExecutionEnvironment, type EnvironmentOptions } from './stream-execution-environment.js'

/**
 * Defines a DataStream job that can run its parallel subtasks on worker threads: run it with
 * `executeJob(job, params)`.
 *
 * @remarks
 * JavaScript cannot send functions to another thread, so each worker imports the module that
 * defines the job and runs `program` again to build the same graph (as every Flink TaskManager
 * deserialises the same job). Call it at the top level of a module, with `import.meta.url`, and
 * start the job from another module (or behind `isMainThread`). `program` must build the same
 * program for the same parameters. Sinks that collect to the main thread (a `CollectSink`)
 * must be module-level objects, so that the main thread's copy receives the records.
 *
 * {@includeCode ../examples/parallel-job.example.ts#define}
 *
 * @typeParam P - the job's parameters (structured-clonable: they are sent to each worker)
 * @param moduleUrl - `import.meta.url` of the defining module
 * @param name - the job's name, unique in its module
 * @param program - builds the program on a fresh environment
 * @param options - the environment's options (parallelism, runtime mode...)
 * @category Environment
 * @since 0.1.0
 */
export const defineStreamJob = <P = void>(
  moduleUrl: string,
  name: string,
  program: (env: StreamExecutionEnvironment, params: P) => void,
  options: EnvironmentOptions = {},
): JobDefinition<P> =>
  defineJob<P>(moduleUrl, name, (params) => {
    const env = StreamExecutionEnvironment.create(options)
    program(env, params)
    return env.getStreamGraph(name)
  })
