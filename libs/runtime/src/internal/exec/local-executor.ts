import type { StreamGraph } from '../../graph/stream-graph.js'
import { buildJobGraph, type JobGraph } from '../../graph/job-graph.js'
import type { JobClient } from '../../execution/job-client.js'
import type { Clock } from '../../time/clock.js'
import { deployTasks, disposeTasks, runAllTasks, tasksMetrics, type ChannelFactory } from './deploy.js'
import { InternalError } from '../../core/errors.js'
import { runJob, type DeployAttempt, type JobRunOptions } from './job-master.js'

const IN_THREAD: ChannelFactory = {
  isLocal: () => true,
  remoteSender: () => {
    throw new InternalError('In-thread execution has no remote channels.')
  },
  remoteReceiver: () => {
    throw new InternalError('In-thread execution has no remote channels.')
  },
}

/** Deploys every subtask of a job in the calling thread, once. */
export const deployInThread =
  (jg: JobGraph, clock: Clock): DeployAttempt =>
  (coordinator, checkpointing, restore) => {
    const tasks = deployTasks(jg, IN_THREAD, { clock, coordinator, checkpointing, restore })
    return {
      done: runAllTasks(tasks).finally(() => disposeTasks(tasks)),
      gateway: {
        broadcast: (m) => {
          for (const t of tasks) t.onControl(m)
        },
      },
      cancel: () => {
        for (const t of tasks) t.cancel()
      },
      metrics: () => tasksMetrics(tasks),
    }
  }

/**
 * Runs every subtask of a graph in the calling thread: parallel subtasks take turns (cooperative
 * scheduling at batch boundaries), with the same exchanges and flow control as across threads.
 */
export const runInThread = (graph: StreamGraph, clock: Clock, options: JobRunOptions = {}): JobClient => {
  const jg = buildJobGraph(graph)
  return runJob(jg, deployInThread(jg, clock), options)
}
