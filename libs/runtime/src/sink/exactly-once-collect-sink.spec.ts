import { describe, expect, it } from 'vitest'
import { ExactlyOnceCollectSink, type ExactlyOnceCollectCommittable } from './exactly-once-collect-sink.js'
import type { Sink } from './sink.js'
import { fakeWriterContext } from './test-kit.js'
import { isTwoPhaseCommittingSink, type PrecommittingSinkWriter } from './two-phase-commit.js'

/** The checkpoint id the runtime prepares the last committables with. */
const END = Number.MAX_SAFE_INTEGER

type Writer<T> = PrecommittingSinkWriter<T, ExactlyOnceCollectCommittable<T>>

const writer = <T>(sink: ExactlyOnceCollectSink<T>, subtask = 0, parallelism = 1): Writer<T> =>
  sink.createWriter(fakeWriterContext(sink as Sink<unknown>, subtask, parallelism))

/** What the runtime does at the barrier of checkpoint `id`; the committables travel structured-cloned. */
const checkpoint = <T>(w: Writer<T>, id: number): ExactlyOnceCollectCommittable<T>[] => {
  w.flush(false)
  const committables = w.prepareCommit(id)
  expect(w.snapshotState(id)).toEqual([])
  return structuredClone(committables)
}

describe('ExactlyOnceCollectSink', () => {
  it('example: holds what was committed, once', async () => {
    // #region example
    const sink = new ExactlyOnceCollectSink<string>()
    // ... build a job with .sinkTo(sink), checkpointing on, run it (with failures) to its end ...
    // sink.values: every record once, as committed; sink.committed: with timestamps and subtasks
    // #endregion example
    expect(isTwoPhaseCommittingSink(sink as Sink<unknown>)).toBe(true)
    const w = writer(sink)
    w.write('a', 10)
    w.write('b', 20)
    const cp1 = checkpoint(w, 1)
    expect(sink.values).toEqual([]) // not committed yet
    const committer = sink.createCommitter()
    await committer.commit(cp1)
    expect(sink.committed).toEqual([
      { value: 'a', timestamp: 10, subtaskIndex: 0 },
      { value: 'b', timestamp: 20, subtaskIndex: 0 },
    ])
  })

  it('hands over the records since the last checkpoint as one committable', () => {
    const sink = new ExactlyOnceCollectSink<number>()
    const w = writer(sink, 3, 4)
    w.write(1, Number.NaN)
    w.write(2, 5)
    const [c1, ...more] = w.prepareCommit(7)
    expect(more).toEqual([])
    expect(c1).toMatchObject({ writer: 3, checkpointId: 7, seq: 0, records: [{ value: 1, timestamp: Number.NaN }, { value: 2, timestamp: 5 }] })
    expect(w.prepareCommit(8)).toEqual([]) // nothing since
    w.write(3, 0)
    const [c2] = w.prepareCommit(9)
    expect(c2).toMatchObject({ writer: 3, writerId: c1!.writerId, checkpointId: 9, seq: 1 })
  })

  it('dedupes committables committed again, by any committer of the sink', async () => {
    const sink = new ExactlyOnceCollectSink<string>()
    const w0 = writer(sink, 0, 2)
    const w1 = writer(sink, 1, 2)
    w0.write('a', 0)
    w1.write('b', 0)
    const cp1 = [...checkpoint(w0, 1), ...checkpoint(w1, 1)]
    w0.write('c', 0)
    const cp2 = checkpoint(w0, 2)
    const committer = sink.createCommitter()
    await committer.commit(cp1)
    await committer.commit([...cp1, ...cp2]) // checkpoint 1 again, with 2
    await sink.createCommitter().commit(structuredClone([...cp2, ...cp1])) // after a restart: a new committer, copies
    expect(sink.values).toEqual(['a', 'b', 'c'])
    expect(sink.valuesOf(0)).toEqual(['a', 'c'])
    expect(sink.valuesOf(1)).toEqual(['b'])
    expect(sink.committedCount).toBe(3)
  })

  it('commits nothing of a failed writer after its last checkpoint; a restored writer goes on', async () => {
    const sink = new ExactlyOnceCollectSink<number>()
    const committer = sink.createCommitter()
    const a = writer(sink)
    a.write(1, 0)
    a.write(2, 0)
    const cp1 = checkpoint(a, 1)
    a.write(3, 0)
    checkpoint(a, 2) // prepared, but checkpoint 2 never completes
    a.write(4, 0)
    a.close()
    await committer.commit(cp1)
    const b = sink.restoreWriter(fakeWriterContext(sink as Sink<unknown>, 0, 1), [])
    for (const v of [3, 4, 5]) b.write(v, 0) // replayed from checkpoint 1
    const cp3 = checkpoint(b, 3)
    expect(cp3[0]!.writerId).not.toBe(cp1[0]!.writerId)
    b.write(6, 0)
    b.flush(true)
    const end = b.prepareCommit(END)
    await committer.commit([...cp1, ...cp3]) // a retried commit of 1 and 3
    await committer.commit(end)
    expect(sink.values).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('tells apart committables of different writer objects with the same subtask and checkpoint', async () => {
    // e.g. a job restored from a savepoint into the same sink object: its checkpoint ids start again
    const sink = new ExactlyOnceCollectSink<string>()
    const first = writer(sink)
    first.write('run 1', 0)
    await sink.createCommitter().commit(checkpoint(first, 5))
    const second = writer(sink)
    second.write('run 2', 0)
    await sink.createCommitter().commit(checkpoint(second, 5))
    expect(sink.values).toEqual(['run 1', 'run 2'])
  })

  it('forgets everything on clear()', async () => {
    const sink = new ExactlyOnceCollectSink<string>()
    const w = writer(sink)
    w.write('x', 0)
    const cp = checkpoint(w, 1)
    await sink.createCommitter().commit(cp)
    sink.clear()
    expect(sink.committed).toEqual([])
    expect(sink.committedCount).toBe(0)
    await sink.createCommitter().commit(cp)
    expect(sink.values).toEqual(['x'])
  })
})
