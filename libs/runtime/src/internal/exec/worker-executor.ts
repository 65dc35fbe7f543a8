import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { buildJobGraph } from '../../graph/job-graph.js'
import type { StreamGraph } from '../../graph/stream-graph.js'
import type { JobDefinition } from '../../execution/job-definition.js'
import type { JobClient, JobResult } from '../../execution/job-client.js'
import { InternalError } from '../../core/errors.js'
import { JobCoordinator } from './coordinator.js'
import { channelsInto } from './deploy.js'
import { deserializeError, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js'

const here = import.meta.url
const ext = /\.ts$/.test(here) ? '.ts' : '.js'
const BOOT = new URL('./worker-boot.mjs', here)
const ENTRY = new URL(`./worker-main${ext}`, here).href

/**
 * Runs a job on worker threads, one per slot: slot s runs subtask s of every vertex (Flink's slot
 * sharing), so forward edges stay in a thread and other exchanges cross threads over MessagePorts.
 * The main thread runs the coordinator (split enumerators, sink coordinators) only.
 */
export const runOnWorkers = <P>(job: JobDefinition<P>, params: P, graph: StreamGraph): JobClient => {
  const jg = buildJobGraph(graph)
  const numSlots = Math.max(...jg.vertices.map((v) => v.parallelism))
  const coordinator = new JobCoordinator(jg)
  const ports: Record<string, MessagePort>[] = Array.from({ length: numSlots }, () => ({}))
  for (const v of jg.vertices)
    for (let j = 0; j < v.parallelism; j++)
      for (const s of channelsInto(jg, v, j)) {
        if (s.producer === j) continue
        const { port1, port2 } = new MessageChannel()
        const key = `${s.edge.id}:${s.producer}:${s.consumer}`
        ports[s.producer]![`${key}:out`] = port1
        ports[j]![`${key}:in`] = port2
      }
  const slotMetrics: Record<string, number>[] = Array.from({ length: numSlots }, () => ({}))
  const metrics = (): Record<string, number> => Object.assign({}, ...slotMetrics) as Record<string, number>
  const started = Date.now()
  let canceled = false
  const workers: Worker[] = []
  const result = new Promise<JobResult>((resolve, reject) => {
    let finished = 0
    let done = false
    const fail = (e: unknown): void => {
      if (done) return
      done = true
      coordinator.close()
      for (const w of workers) void w.terminate()
      reject(e)
    }
    coordinator.start()
    for (let slot = 0; slot < numSlots; slot++) {
      const init: WorkerInit = { entry: ENTRY, moduleUrl: job.moduleUrl, jobName: job.name, params, slot, ports: ports[slot]! }
      const w = new Worker(BOOT, { workerData: init, transferList: Object.values(ports[slot]!) })
      workers.push(w)
      const post = (m: ToWorker): void => w.postMessage(m)
      w.on('message', (m: FromWorker) => {
        try {
          switch (m.type) {
            case 'registerReader':
              coordinator.registerReader(m.vertexId, m.subtask, {
                addSplits: (splits) => post({ type: 'addSplits', vertexId: m.vertexId, subtask: m.subtask, splits }),
                noMoreSplits: () => post({ type: 'noMoreSplits', vertexId: m.vertexId, subtask: m.subtask }),
              })
              break
            case 'requestSplit':
              coordinator.requestSplit(m.vertexId, m.subtask)
              break
            case 'sink':
              coordinator.sinkMessage(m.nodeId, m.subtask, m.message)
              break
            case 'metrics':
              slotMetrics[slot] = m.metrics
              break
            case 'finished':
              slotMetrics[slot] = m.metrics
              if (++finished === numSlots && !done) {
                done = true
                coordinator.close()
                for (const x of workers) void x.terminate()
                resolve({
                  jobName: graph.jobName,
                  status: canceled ? 'CANCELED' : 'FINISHED',
                  durationMs: Date.now() - started,
                  metrics: metrics(),
                })
              }
              break
            case 'failed':
              fail(deserializeError(m.error))
              break
          }
        } catch (e) {
          fail(e)
        }
      })
      w.on('error', fail)
      w.on('exit', (code) => {
        if (!done) fail(new InternalError(`Worker thread of slot ${slot} exited with code ${code} before the job ended.`))
      })
    }
  })
  return {
    jobName: graph.jobName,
    result,
    cancel: () => {
      canceled = true
      for (const w of workers) w.postMessage({ type: 'cancel' } satisfies ToWorker)
    },
    metrics,
  }
}
