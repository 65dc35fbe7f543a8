import { ConnectorError } from '../../core/errors.js'
import type { JobGraph } from '../../graph/job-graph.js'
import type { SourceSplit, SplitEnumerator, SplitEnumeratorContext } from '../../source/source.js'
import type { CoordinatorLink, ReaderHandlers } from './task.js'
import type { TaskCheckpointAck, TaskFinalReport } from './checkpoint-messages.js'

/** Where a job coordinator sends what tasks say about checkpoints. */
export interface CheckpointEvents {
  acknowledge(ack: TaskCheckpointAck): void
  decline(checkpointId: number, vertexId: number, subtaskIndex: number, reason: string, finished: boolean): void
  taskFinished(report: TaskFinalReport): void
}

/**
 * The job's coordinator, in the main thread: runs the split enumerators of the sources, routes
 * splits to readers, and hands sink writers' messages to their sinks.
 */
export class JobCoordinator implements CoordinatorLink {
  private readonly enumerators = new Map<number, SplitEnumerator<SourceSplit, unknown>>()
  private readonly readers = new Map<string, ReaderHandlers>()
  private readonly registered = new Map<number, Set<number>>()
  private readonly pending = new Map<string, { splits: SourceSplit[]; noMore: boolean }>()

  private readonly uids = new Map<number, string>()

  constructor(
    private readonly jg: JobGraph,
    private readonly checkpoints?: CheckpointEvents,
  ) {}

  /**
   * Creates and starts every enumerator: from its checkpointed state where `restored` holds one
   * for the source's uid, else fresh.
   */
  start(restored?: ReadonlyMap<string, unknown>): void {
    for (const v of this.jg.vertices) {
      const head = v.nodes[0]!
      if (head.spec.kind !== 'source') continue
      const readers = new Set<number>()
      this.registered.set(v.id, readers)
      const ctx: SplitEnumeratorContext<SourceSplit> = {
        currentParallelism: () => v.parallelism,
        registeredReaders: () => readers,
        assignSplit: (split, subtask) => this.deliver(v.id, subtask, (h) => h.addSplits([split]), (p) => p.splits.push(split)),
        signalNoMoreSplits: (subtask) => this.deliver(v.id, subtask, (h) => h.noMoreSplits(), (p) => (p.noMore = true)),
      }
      const uid = this.jg.streamGraph.uidOf(head)
      this.uids.set(v.id, uid)
      const e = (
        restored?.has(uid) === true ? head.spec.source.restoreEnumerator(ctx, restored.get(uid)) : head.spec.source.createEnumerator(ctx)
      ) as SplitEnumerator<SourceSplit, unknown>
      this.enumerators.set(v.id, e)
      e.start()
    }
  }

  private deliver(
    vertexId: number,
    subtask: number,
    now: (h: ReaderHandlers) => void,
    later: (p: { splits: SourceSplit[]; noMore: boolean }) => void,
  ): void {
    const key = `${vertexId}:${subtask}`
    const h = this.readers.get(key)
    if (h !== undefined) now(h)
    else {
      let p = this.pending.get(key)
      if (p === undefined) this.pending.set(key, (p = { splits: [], noMore: false }))
      later(p)
    }
  }

  registerReader(vertexId: number, subtaskIndex: number, handlers: ReaderHandlers): void {
    const key = `${vertexId}:${subtaskIndex}`
    this.readers.set(key, handlers)
    const p = this.pending.get(key)
    if (p !== undefined) {
      this.pending.delete(key)
      if (p.splits.length > 0) handlers.addSplits(p.splits)
      if (p.noMore) handlers.noMoreSplits()
    }
    this.registered.get(vertexId)?.add(subtaskIndex)
    this.enumerator(vertexId).addReader(subtaskIndex)
  }

  requestSplit(vertexId: number, subtaskIndex: number): void {
    this.enumerator(vertexId).handleSplitRequest(subtaskIndex)
  }

  sinkMessage(nodeId: number, subtaskIndex: number, message: unknown): void {
    const node = this.jg.streamGraph.node(nodeId)
    if (node.spec.kind === 'sink') node.spec.sink.onWriterMessage?.(subtaskIndex, message)
  }

  acknowledgeCheckpoint(ack: TaskCheckpointAck): void {
    this.checkpoints?.acknowledge(ack)
  }

  declineCheckpoint(checkpointId: number, vertexId: number, subtaskIndex: number, reason: string, finished: boolean): void {
    this.checkpoints?.decline(checkpointId, vertexId, subtaskIndex, reason, finished)
  }

  taskFinished(report: TaskFinalReport): void {
    this.checkpoints?.taskFinished(report)
  }

  /** Whether every source subtask's reader has registered (a checkpoint can reach them all). */
  allReadersRegistered(): boolean {
    for (const v of this.jg.vertices) {
      if (v.nodes[0]!.spec.kind !== 'source') continue
      if ((this.registered.get(v.id)?.size ?? 0) < v.parallelism) return false
    }
    return true
  }

  /** The state of every enumerator, by source uid, for checkpoint `checkpointId`. */
  snapshotEnumerators(checkpointId: number): { uid: string; state: unknown }[] {
    const out: { uid: string; state: unknown }[] = []
    for (const [vertexId, e] of this.enumerators) out.push({ uid: this.uids.get(vertexId)!, state: structuredClone(e.snapshotState(checkpointId)) })
    return out
  }

  private enumerator(vertexId: number): SplitEnumerator<SourceSplit, unknown> {
    const e = this.enumerators.get(vertexId)
    if (e === undefined) throw new ConnectorError(`Vertex ${vertexId} has no source enumerator.`)
    return e
  }

  /** Closes every enumerator. */
  close(): void {
    for (const e of this.enumerators.values()) {
      try {
        e.close()
      } catch {
        // closing must not hide the job's outcome
      }
    }
  }
}
