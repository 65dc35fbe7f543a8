import type { JobEdge, JobGraph, JobVertex } from '../../graph/job-graph.js'
import { InputGate, LocalChannel, type ChannelSender } from './channels.js'
import { RecordWriter } from './record-writer.js'
import { StreamTask, type TaskServices } from './task.js'

/** The consumer subtasks producer `i` of a job edge has a channel to. */
export const edgeTargets = (e: JobEdge, producer: number, consumerParallelism: number): number[] => {
  switch (e.edge.partitioner.kind) {
    case 'forward':
      return [producer]
    default:
      // every other partitioner, `global` included, has a channel to every consumer: records go
      // where the partitioner says, watermarks and the end of input go to all of them
      return Array.from({ length: consumerParallelism }, (_, j) => j)
  }
}

/** One channel into a consumer subtask: which edge, which producer, its index in the gate. */
export interface ChannelSlot {
  readonly edge: JobEdge
  readonly producer: number
  readonly consumer: number
  readonly channelIndex: number
}

/** The channels into subtask `consumer` of a vertex, in gate order. */
export const channelsInto = (jg: JobGraph, vertex: JobVertex, consumer: number): ChannelSlot[] => {
  const out: ChannelSlot[] = []
  for (const e of vertex.inputs) {
    const pUp = jg.vertices[e.sourceVertex]!.parallelism
    for (let i = 0; i < pUp; i++)
      if (edgeTargets(e, i, vertex.parallelism).includes(consumer))
        out.push({ edge: e, producer: i, consumer, channelIndex: out.length })
  }
  return out
}

/** Makes the sending end of a channel; the receiving end is registered by the same factory. */
export interface ChannelFactory {
  /** Whether subtask `index` of the vertex runs here. */
  isLocal(vertexId: number, index: number): boolean
  /** The sender for a channel whose consumer runs elsewhere. */
  remoteSender(slot: ChannelSlot): ChannelSender
  /** Attaches a channel whose producer runs elsewhere to a local gate. */
  remoteReceiver(slot: ChannelSlot, gate: InputGate): void
}

/**
 * Creates the tasks of every subtask that runs here (all of them in-thread, one slot's in a
 * worker), their gates, channels and record writers.
 */
export const deployTasks = (jg: JobGraph, factory: ChannelFactory, services: TaskServices): StreamTask[] => {
  const graph = jg.streamGraph
  const credits = graph.channelCredits
  const gates = new Map<string, InputGate>()
  const gateSlots = new Map<string, ChannelSlot[]>()
  // gates of local consumers
  for (const v of jg.vertices) {
    if (v.inputs.length === 0) continue
    for (let j = 0; j < v.parallelism; j++) {
      if (!factory.isLocal(v.id, j)) continue
      const slots = channelsInto(jg, v, j)
      const gate = new InputGate(
        slots.length,
        slots.map((s) => s.edge.edge.inputIndex),
      )
      gates.set(`${v.id}:${j}`, gate)
      gateSlots.set(`${v.id}:${j}`, slots)
      for (const s of slots) if (!factory.isLocal(s.edge.sourceVertex, s.producer)) factory.remoteReceiver(s, gate)
    }
  }
  // writers of local producers
  const tasks: StreamTask[] = []
  for (const v of jg.vertices) {
    for (let i = 0; i < v.parallelism; i++) {
      if (!factory.isLocal(v.id, i)) continue
      const writers = new Map<number, RecordWriter>()
      for (const e of v.outputs) {
        const target = jg.vertices[e.targetVertex]!
        const senders: ChannelSender[] = edgeTargets(e, i, target.parallelism).map((j) => {
          const slot = channelsInto(jg, target, j).find((s) => s.edge === e && s.producer === i)!
          if (factory.isLocal(target.id, j)) return new LocalChannel(gates.get(`${target.id}:${j}`)!, slot.channelIndex, credits)
          return factory.remoteSender(slot)
        })
        writers.set(e.id, new RecordWriter(senders, e.edge.partitioner, graph.maxParallelism, graph.batchSize, i, v.parallelism))
      }
      tasks.push(new StreamTask(jg, v, i, gates.get(`${v.id}:${i}`), writers, services))
    }
  }
  return tasks
}

/**
 * Runs tasks to their end. When one fails, the others are cancelled and, once they have stopped,
 * the failure is rethrown. The tasks' state stays until {@link disposeTasks}: a task that
 * finished before the others still answers checkpoints with its final state.
 */
export const runAllTasks = async (tasks: readonly StreamTask[]): Promise<void> => {
  const runs = tasks.map((t) => t.run())
  try {
    await Promise.all(runs)
  } catch (e) {
    for (const t of tasks) t.cancel()
    await Promise.allSettled(runs)
    throw e
  } finally {
    // state files still being written (and read out of the backends) finish first
    await Promise.all(tasks.map((t) => t.quiesce()))
  }
}

/** The current metrics of all tasks, merged. */
export const tasksMetrics = (tasks: readonly StreamTask[]): Record<string, number> =>
  Object.assign({}, ...tasks.map((t) => t.metricsSnapshot())) as Record<string, number>

/** Releases the state of tasks that have stopped (after {@link runAllTasks}). */
export const disposeTasks = async (tasks: readonly StreamTask[]): Promise<void> => {
  await Promise.all(tasks.map((t) => t.quiesce()))
  for (const t of tasks) t.dispose()
}
