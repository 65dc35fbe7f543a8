import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { buildJobGraph, type JobGraph } from '../../graph/job-graph.js'
import type { StreamGraph } from '../../graph/stream-graph.js'
import type { JobDefinition } from '../../execution/job-definition.js'
import type { JobClient } from '../../execution/job-client.js'
import { InternalError } from '../../core/errors.js'
import { runJob, type DeployAttempt, type JobRunOptions } from './job-master.js'
import { channelsInto } from './deploy.js'
import { deserializeError, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js'

const here = import.meta.url
const ext = /\.ts$/.test(here) ? '.ts' : '.js'
const BOOT = new URL('./worker-boot.mjs', here)
const ENTRY = new URL(`./worker-main${ext}`, here).href

/**
 * Deploys a job on worker threads, once: one worker per slot, where slot s runs subtask s of every
 * vertex (Flink's slot sharing), so forward edges stay in a thread and other exchanges cross
 * threads over MessagePorts. The main thread runs the coordinator (split enumerators, sink
 * coordinators, checkpoints) only.
 */
export const deployOnWorkers =
  <P>(job: JobDefinition<P>, params: P, jg: JobGraph): DeployAttempt =>
  (coordinator, checkpointing, restore) => {
    const numSlots = Math.max(...jg.vertices.map((v) => v.parallelism))
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
    const workers: Worker[] = []
    const alive = new Set<Worker>()
    let ended = false
    const done = new Promise<void>((resolve, reject) => {
      let finished = 0
      /** Asks every worker to release its state and end; terminates those still there after a grace period. */
      const shutdown = (): Promise<void> =>
        new Promise((done) => {
          let left = alive.size
          if (left === 0) return done()
          const timer = setTimeout(() => {
            for (const w of workers) void w.terminate()
            done()
          }, 2000)
          for (const w of alive) {
            w.once('exit', () => {
              if (--left === 0) {
                clearTimeout(timer)
                done()
              }
            })
            w.postMessage({ type: 'shutdown' } satisfies ToWorker)
          }
        })
      const fail = (e: unknown): void => {
        if (ended) return
        ended = true
        void shutdown().then(() => reject(e))
      }
      for (let slot = 0; slot < numSlots; slot++) {
        const init: WorkerInit = {
          entry: ENTRY,
          moduleUrl: job.moduleUrl,
          jobName: job.name,
          params,
          slot,
          ports: ports[slot]!,
          checkpointing,
          restore,
        }
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
              case 'ack':
                coordinator.acknowledgeCheckpoint(m.ack)
                break
              case 'decline':
                coordinator.declineCheckpoint(m.checkpointId, m.vertexId, m.subtask, m.reason, m.finished)
                break
              case 'taskFinished':
                coordinator.taskFinished(m.report)
                break
              case 'metrics':
                slotMetrics[slot] = m.metrics
                break
              case 'finished':
                slotMetrics[slot] = m.metrics
                if (++finished === numSlots && !ended) {
                  ended = true
                  void shutdown().then(() => resolve())
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
        alive.add(w)
        w.on('exit', (code) => {
          alive.delete(w)
          if (!ended) fail(new InternalError(`Worker thread of slot ${slot} exited with code ${code} before the job ended.`))
        })
      }
    })
    return {
      done,
      gateway: {
        broadcast: (m) => {
          for (const w of workers) w.postMessage({ type: 'control', control: m } satisfies ToWorker)
        },
      },
      cancel: () => {
        for (const w of workers) w.postMessage({ type: 'cancel' } satisfies ToWorker)
      },
      metrics,
    }
  }

/** Runs a job on worker threads (see {@link deployOnWorkers}), with checkpoints and restarts. */
export const runOnWorkers = <P>(job: JobDefinition<P>, params: P, graph: StreamGraph, options: JobRunOptions = {}): JobClient => {
  const jg = buildJobGraph(graph)
  return runJob(jg, deployOnWorkers(job, params, jg), options)
}
