import { ConnectorError } from '../../core/errors.js'
import type { JobGraph } from '../../graph/job-graph.js'
import type { SourceSplit, SplitEnumerator, SplitEnumeratorContext } from '../../source/source.js'
import type { CoordinatorLink, ReaderHandlers } from './task.js'

/**
 * The job's coordinator, in the main thread: runs the split enumerators of the sources, routes
 * splits to readers, and hands sink writers' messages to their sinks.
 */
export class JobCoordinator implements CoordinatorLink {
  private readonly enumerators = new Map<number, SplitEnumerator<SourceSplit, unknown>>()
  private readonly readers = new Map<string, ReaderHandlers>()
  private readonly registered = new Map<number, Set<number>>()
  private readonly pending = new Map<string, { splits: SourceSplit[]; noMore: boolean }>()

  constructor(private readonly jg: JobGraph) {}

  /** Creates and starts every enumerator. */
  start(): void {
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
      const e = head.spec.source.createEnumerator(ctx) as SplitEnumerator<SourceSplit, unknown>
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
