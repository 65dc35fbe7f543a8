import { GraphError } from '../core/errors.js'
import type { StreamGraph } from '../graph/stream-graph.js'
import { SystemClock, type Clock } from '../time/clock.js'
import { runInThread } from '../internal/exec/local-executor.js'
import { runOnWorkers } from '../internal/exec/worker-executor.js'
import type { JobDefinition } from './job-definition.js'
import type { JobClient } from './job-client.js'

/**
 * How a job is run.
 *
 * @category Execution
 * @since 0.1.0
 */
export interface ExecutionOptions {
  /** The processing-time clock (in-thread execution only; default the system clock). */
  readonly clock?: Clock
  /**
   * Whether subtasks run on worker threads. Default: yes when some operator's parallelism is above
   * 1. With `false`, parallel subtasks share the calling thread (same results, no speed-up).
   */
  readonly threads?: boolean
  /**
   * A checkpoint or savepoint directory to start from. When the job's checkpoint directory holds
   * a newer completed checkpoint (the job ran from this savepoint and crashed), that one is used.
   */
  readonly restoreFrom?: string
  /** Start even when the checkpoint holds state of operators (uids) the job no longer has. */
  readonly allowNonRestoredState?: boolean
  /** Where checkpoint problems and restarts are reported (default `console.warn`). */
  readonly log?: (message: string) => void
}

const validated = (graph: StreamGraph): StreamGraph => {
  const v = graph.validate()
  if (v._tag === 'Left')
    throw new GraphError(
      `The job graph of '${graph.jobName}' is invalid:\n${v.left.map((e) => `  - ${e.message}`).join('\n')}`,
      { cause: v.left },
    )
  return graph
}

/**
 * Runs a graph in the calling thread (all subtasks, whatever their parallelism).
 *
 * @remarks
 * Throws a `GraphError` listing every problem if the graph is invalid. The returned client's
 * `result` resolves when the job ends.
 *
 * @category Execution
 * @since 0.1.0
 */
export const executeGraph = (graph: StreamGraph, options: ExecutionOptions = {}): JobClient =>
  runInThread(validated(graph), options.clock ?? SystemClock, options)

/**
 * Builds a defined job and runs it: on worker threads when it has parallel operators (each worker
 * imports the job's module to rebuild the graph), else in the calling thread.
 *
 * @category Execution
 * @since 0.1.0
 */
export const executeJob = <P>(job: JobDefinition<P>, params: P, options: ExecutionOptions = {}): JobClient => {
  const graph = validated(job.build(params))
  const parallel = graph.nodes.some((n) => n.parallelism > 1)
  if (options.threads ?? parallel) return runOnWorkers(job, params, graph, options)
  return runInThread(graph, options.clock ?? SystemClock, options)
}
