import type { StreamGraph } from '../../graph/stream-graph.js'
import { buildJobGraph } from '../../graph/job-graph.js'
import type { JobClient, JobResult } from '../../execution/job-client.js'
import type { Clock } from '../../time/clock.js'
import { JobCoordinator } from './coordinator.js'
import { deployTasks, runAllTasks, tasksMetrics, type ChannelFactory } from './deploy.js'
import { InternalError } from '../../core/errors.js'

const IN_THREAD: ChannelFactory = {
  isLocal: () => true,
  remoteSender: () => {
    throw new InternalError('In-thread execution has no remote channels.')
  },
  remoteReceiver: () => {
    throw new InternalError('In-thread execution has no remote channels.')
  },
}

/**
 * Runs every subtask of a graph in the calling thread: parallel subtasks take turns (cooperative
 * scheduling at batch boundaries), with the same exchanges and flow control as across threads.
 */
export const runInThread = (graph: StreamGraph, clock: Clock): JobClient => {
  const jg = buildJobGraph(graph)
  const coordinator = new JobCoordinator(jg)
  const tasks = deployTasks(jg, IN_THREAD, { clock, coordinator })
  let canceled = false
  const metrics = (): Record<string, number> => tasksMetrics(tasks)
  const started = Date.now()
  coordinator.start()
  const result = (async (): Promise<JobResult> => {
    try {
      await runAllTasks(tasks)
    } finally {
      coordinator.close()
    }
    return { jobName: graph.jobName, status: canceled ? 'CANCELED' : 'FINISHED', durationMs: Date.now() - started, metrics: metrics() }
  })()
  return {
    jobName: graph.jobName,
    result,
    cancel: () => {
      canceled = true
      for (const t of tasks) t.cancel()
    },
    metrics,
  }
}
