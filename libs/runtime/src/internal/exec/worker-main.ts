// The body of a Strom worker thread: rebuilds the job's graph from its module, runs the subtasks of
// its slot, and talks to the main thread's coordinator over the parent port.
import { parentPort, workerData } from 'node:worker_threads'
import { buildJobGraph } from '../../graph/job-graph.js'
import { lookupJob } from '../../execution/job-definition.js'
import { SystemClock } from '../../time/clock.js'
import { RemoteChannelReceiver, RemoteChannelSender } from './channels.js'
import { loadStateBackend } from './services.js'
import { deployTasks, disposeTasks, runAllTasks, tasksMetrics, type ChannelSlot } from './deploy.js'
import type { CoordinatorLink, ReaderHandlers } from './task.js'
import { serializeError, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js'
import { InternalError } from '../../core/errors.js'

const init = workerData as WorkerInit
const port = parentPort!
const send = (m: FromWorker): void => port.postMessage(m)

const main = async (): Promise<void> => {
  await import(init.moduleUrl)
  const def = lookupJob(init.moduleUrl, init.jobName)
  const graph = def.build(init.params)
  const jg = buildJobGraph(graph)
  await loadStateBackend(graph.config)
  const readers = new Map<string, ReaderHandlers>()
  const coordinator: CoordinatorLink = {
    registerReader: (vertexId, subtask, handlers) => {
      readers.set(`${vertexId}:${subtask}`, handlers)
      send({ type: 'registerReader', vertexId, subtask })
    },
    requestSplit: (vertexId, subtask) => send({ type: 'requestSplit', vertexId, subtask }),
    sinkMessage: (nodeId, subtask, message) => send({ type: 'sink', nodeId, subtask, message }),
    acknowledgeCheckpoint: (ack) => send({ type: 'ack', ack }),
    declineCheckpoint: (checkpointId, vertexId, subtask, reason, finished) => send({ type: 'decline', checkpointId, vertexId, subtask, reason, finished }),
    taskFinished: (report) => send({ type: 'taskFinished', report }),
  }
  const portOf = (slot: ChannelSlot, side: 'out' | 'in') => {
    const p = init.ports[`${slot.edge.id}:${slot.producer}:${slot.consumer}:${side}`]
    if (p === undefined) throw new InternalError(`Worker ${init.slot} has no port for channel ${slot.edge.id}:${slot.producer}:${slot.consumer}.`)
    return p
  }
  const tasks = deployTasks(
    jg,
    {
      isLocal: (_v, index) => index === init.slot,
      remoteSender: (slot) => new RemoteChannelSender(portOf(slot, 'out'), graph.channelCredits),
      remoteReceiver: (slot, gate) => void new RemoteChannelReceiver(portOf(slot, 'in'), gate, slot.channelIndex),
    },
    { clock: SystemClock, coordinator, checkpointing: init.checkpointing, restore: init.restore },
  )
  let canceled = false
  port.on('message', (m: ToWorker) => {
    switch (m.type) {
      case 'addSplits':
        readers.get(`${m.vertexId}:${m.subtask}`)?.addSplits(m.splits)
        break
      case 'noMoreSplits':
        readers.get(`${m.vertexId}:${m.subtask}`)?.noMoreSplits()
        break
      case 'control':
        for (const t of tasks) t.onControl(m.control)
        break
      case 'cancel':
        canceled = true
        for (const t of tasks) t.cancel()
        break
      case 'shutdown':
        // the job has ended (every slot finished, or it failed): release the state, then end the thread
        void disposeTasks(tasks).finally(() => process.exit(0))
        break
    }
  })
  const metrics = (): Record<string, number> => tasksMetrics(tasks)
  const reporter = setInterval(() => send({ type: 'metrics', metrics: metrics() }), 500)
  try {
    await runAllTasks(tasks)
  } finally {
    clearInterval(reporter)
  }
  // finished tasks keep their state: checkpoints of the slots still running need it, until 'shutdown'
  send({ type: 'finished', metrics: metrics(), canceled })
}

main().catch((e: unknown) => send({ type: 'failed', error: serializeError(e) }))
