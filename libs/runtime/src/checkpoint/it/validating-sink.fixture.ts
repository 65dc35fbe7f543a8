// A minimal two-phase-commit sink for the runtime's own checkpoint tests.
import type { Committer, PrecommittingSinkWriter, TwoPhaseCommittingSink } from '../../sink/two-phase-commit.js'
import type { SinkWriterContext } from '../../sink/sink.js'

interface Batch<T> {
  readonly writer: number
  readonly checkpointId: number
  readonly records: T[]
}

export class ValidatingSink<T> implements TwoPhaseCommittingSink<T, Batch<T>> {
  readonly twoPhaseCommit = true
  readonly committed: T[] = []
  readonly commits: number[] = []
  private readonly seen = new Set<string>()

  createWriter(ctx: SinkWriterContext): PrecommittingSinkWriter<T, Batch<T>> {
    let buffer: T[] = []
    return {
      write: (v) => void buffer.push(v),
      flush: () => {},
      close: () => {},
      prepareCommit: (checkpointId) => {
        const b = { writer: ctx.subtaskIndex, checkpointId, records: buffer }
        buffer = []
        return b.records.length > 0 ? [b] : []
      },
      snapshotState: () => [],
    }
  }

  restoreWriter(ctx: SinkWriterContext): PrecommittingSinkWriter<T, Batch<T>> {
    return this.createWriter(ctx)
  }

  createCommitter(): Committer<Batch<T>> {
    return {
      commit: async (batches) => {
        for (const b of batches) {
          const id = `${b.writer}:${b.checkpointId}`
          if (this.seen.has(id)) continue
          this.seen.add(id)
          this.committed.push(...b.records)
          this.commits.push(b.checkpointId)
        }
      },
    }
  }
}
