import { mkdtemp, readFile, readdir, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, ConnectorError } from '../core/errors.js'
import { FileLineSource } from '../source/file-line-source.js'
import { runBounded } from '../source/test-kit.js'
import { ManualClock, type Clock } from '../time/clock.js'
import { JsonLinesEncoder, SimpleStringEncoder } from './encoder.js'
import { FileSink, type FileCommittable, type FileWriterState } from './file-sink.js'
import { DefaultRollingPolicy, OnCheckpointRollingPolicy } from './rolling-policy.js'
import type { Sink } from './sink.js'
import { fakeWriterContext } from './test-kit.js'
import { isTwoPhaseCommittingSink, type PrecommittingSinkWriter } from './two-phase-commit.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-file-sink-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** The checkpoint id the runtime prepares the last committables with (Number.MAX_SAFE_INTEGER). */
const END = Number.MAX_SAFE_INTEGER

type Writer<T> = PrecommittingSinkWriter<T, FileCommittable, FileWriterState>

const freshDir = (): string => join(root, `out-${counter++}`)
const list = async (dir: string): Promise<string[]> => (await readdir(dir)).sort()
const text = (dir: string, name: string): Promise<string> => readFile(join(dir, name), 'utf8')

/** The writer of subtask `subtask`, made as the runtime makes it. */
const writer = <T>(sink: FileSink<T>, subtask = 0, parallelism = 1, clock?: Clock): Writer<T> =>
  sink.createWriter(fakeWriterContext(sink as Sink<unknown>, subtask, parallelism, clock))
const restoredWriter = <T>(sink: FileSink<T>, states: readonly FileWriterState[], subtask = 0, parallelism = 1, clock?: Clock): Writer<T> =>
  sink.restoreWriter(fakeWriterContext(sink as Sink<unknown>, subtask, parallelism, clock), states)

/** A committed part's name: `<prefix>-<subtask>-<writer id>-<n><suffix>`. */
const PART = /^part-(\d+)-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-(\d+)(.*)$/
/** A part not committed yet. */
const HIDDEN = /^\.part-(\d+)-([0-9a-f-]{36})-(\d+)(.*)\.inprogress$/

interface Part {
  readonly name: string
  readonly subtask: number
  readonly writerId: string
  readonly n: number
}

const parse = (pattern: RegExp, name: string): Part => {
  const m = pattern.exec(name)
  if (m === null) throw new Error(`'${name}' is not a part name`)
  return { name, subtask: Number(m[1]), writerId: m[2]!, n: Number(m[3]) }
}
/** The committed parts, by subtask, writer (in `writerOrder`, else by id) and number. */
const visibleParts = async (dir: string, writerOrder: readonly string[] = []): Promise<Part[]> => {
  const rank = (id: string): number => (writerOrder.includes(id) ? writerOrder.indexOf(id) : writerOrder.length)
  return (await list(dir))
    .filter((n) => !n.startsWith('.'))
    .map((n) => parse(PART, n))
    .sort((a, b) => a.subtask - b.subtask || rank(a.writerId) - rank(b.writerId) || a.writerId.localeCompare(b.writerId) || a.n - b.n)
}
const hiddenParts = async (dir: string): Promise<Part[]> =>
  (await list(dir))
    .filter((n) => n.startsWith('.'))
    .map((n) => parse(HIDDEN, n))
    .sort((a, b) => a.subtask - b.subtask || a.n - b.n)
/** The contents of the committed parts, in the order of {@link visibleParts}. */
const visibleContents = async (dir: string, writerOrder: readonly string[] = []): Promise<string[]> =>
  Promise.all((await visibleParts(dir, writerOrder)).map((p) => text(dir, p.name)))
/** The lines of all committed parts. */
const visibleLines = async (dir: string, writerOrder: readonly string[] = []): Promise<string[]> =>
  (await visibleContents(dir, writerOrder)).join('').split('\n').filter((l) => l !== '')

/** What the runtime does at the barrier of checkpoint `id`. */
const checkpoint = <T>(w: Writer<T>, id: number): { committables: FileCommittable[]; state: FileWriterState[] } => {
  w.flush(false)
  const committables = w.prepareCommit(id)
  return { committables, state: w.snapshotState(id) }
}
/** What the runtime does at the end of the input. */
const endOfInput = <T>(w: Writer<T>): FileCommittable[] => {
  w.flush(true)
  const committables = w.prepareCommit(END)
  w.close()
  return committables
}

interface Order {
  readonly id: number
  readonly amount: number
}

describe('FileSink', () => {
  it('example: writes orders as JSON lines, and strings as they are', async () => {
    const dir = freshDir()
    // #region example
    const orders = FileSink.forRowFormat(dir, new JsonLinesEncoder<Order>(), {
      rollingPolicy: DefaultRollingPolicy.builder().withMaxPartSize(16 * 1024 * 1024).withRolloverInterval(15 * 60_000).build(),
      partSuffix: '.jsonl',
    })
    // subtask 0 writes dir/.part-0-<writer id>-0.jsonl.inprogress, then -1, -2, ... (hidden), and
    // each becomes dir/part-0-<writer id>-<n>.jsonl when the checkpoint after it is complete
    // #endregion example
    const w = writer(orders)
    w.write({ id: 1, amount: 25 }, 0)
    const committables = endOfInput(w)
    expect((await list(dir)).filter((n) => !n.startsWith('.'))).toEqual([])
    await orders.createCommitter().commit(committables)
    const [part] = await visibleParts(dir)
    expect(part!.name).toMatch(/^part-0-.{36}-0\.jsonl$/)
    expect(await text(dir, part!.name)).toBe('{"id":1,"amount":25}\n')

    const textDir = freshDir()
    // #region simple
    const lines = FileSink.forRowFormat(textDir, new SimpleStringEncoder<string | number>())
    // #endregion simple
    const t = writer(lines)
    t.write('one', 0)
    t.write(2, 0)
    await lines.createCommitter().commit(endOfInput(t))
    expect(await visibleContents(textDir)).toEqual(['one\n2\n'])
  })

  it('writes each subtask into its own hidden part, visible only once committed', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new JsonLinesEncoder<{ id: number; name: string }>())
    const w0 = writer(sink, 0, 2)
    const w1 = writer(sink, 1, 2)
    w0.write({ id: 1, name: 'ä' }, 0)
    w1.write({ id: 2, name: 'b\nc' }, 0)
    w0.write({ id: 3, name: '😀' }, 0)
    w0.flush(false)
    w1.flush(false)
    const hidden = await hiddenParts(dir)
    expect(hidden.map((p) => [p.subtask, p.n])).toEqual([
      [0, 0],
      [1, 0],
    ])
    expect(hidden[0]!.writerId).not.toBe(hidden[1]!.writerId)
    expect(await text(dir, hidden[0]!.name)).toBe('{"id":1,"name":"ä"}\n{"id":3,"name":"😀"}\n')
    const committables = [...endOfInput(w0), ...endOfInput(w1)]
    // closed and handed over, but not committed: still hidden
    expect(await visibleParts(dir)).toEqual([])
    expect(committables).toEqual([
      { pendingPath: join(dir, hidden[0]!.name), finalPath: join(dir, hidden[0]!.name.slice(1, -'.inprogress'.length)), size: Buffer.byteLength('{"id":1,"name":"ä"}\n{"id":3,"name":"😀"}\n') },
      { pendingPath: join(dir, hidden[1]!.name), finalPath: join(dir, hidden[1]!.name.slice(1, -'.inprogress'.length)), size: Buffer.byteLength('{"id":2,"name":"b\\nc"}\n') },
    ])
    await sink.createCommitter().commit(committables)
    expect(await hiddenParts(dir)).toEqual([])
    expect(await visibleContents(dir)).toEqual(['{"id":1,"name":"ä"}\n{"id":3,"name":"😀"}\n', '{"id":2,"name":"b\\nc"}\n'])
  })

  it('buffers writes until 64 KiB have gathered or a flush comes', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>())
    const w = writer(sink)
    const line = 'y'.repeat(1023)
    for (let i = 0; i < 64; i++) w.write(line, 0)
    const [part] = await hiddenParts(dir)
    expect(await text(dir, part!.name)).toBe('')
    w.write(line, 0)
    expect(await text(dir, part!.name)).toBe(`${line}\n`.repeat(64))
    // a record larger than the buffer goes straight through
    const huge = 'z'.repeat(200_000)
    w.write(huge, 0)
    await sink.createCommitter().commit(endOfInput(w))
    expect(await visibleContents(dir)).toEqual([`${line}\n`.repeat(65) + `${huge}\n`])
  })

  it('rolls to a new part before a record would make a part bigger than maxPartSize', async () => {
    for (const options of [{ maxPartSize: 10 }, { rollingPolicy: DefaultRollingPolicy.builder().withMaxPartSize(10).build() }]) {
      const dir = freshDir()
      const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<number>(), { ...options, partSuffix: '.txt' })
      const w = writer(sink)
      for (const n of [1, 22, 333, 4444, 55555, 666666, 7777777, 1234567890123]) w.write(n, 0)
      w.flush(false)
      // the parts rolled so far are pending: closed, still hidden
      expect((await hiddenParts(dir)).map((p) => p.n)).toEqual([0, 1, 2, 3, 4, 5])
      const committables = endOfInput(w)
      expect(committables.map((c) => c.size)).toEqual([9, 5, 6, 7, 8, 14])
      await sink.createCommitter().commit(committables)
      const parts = await visibleParts(dir)
      expect(parts.map((p) => p.n)).toEqual([0, 1, 2, 3, 4, 5])
      for (const p of parts) expect(p.name).toMatch(/\.txt$/)
      const contents = await visibleContents(dir)
      expect(contents).toEqual(['1\n22\n333\n', '4444\n', '55555\n', '666666\n', '7777777\n', '1234567890123\n'])
      for (const c of contents.slice(0, -1)) expect(Buffer.byteLength(c)).toBeLessThanOrEqual(10)
    }
  })

  it('splits any lines into parts by their UTF-8 size exactly, short lines and lines past the buffer alike', async () => {
    // lines of multi-byte characters and lone surrogates (3 bytes each in UTF-8, as U+FFFD), short
    // ones that go straight into the buffer and long ones that do not fit what is left of it
    const unit = fc.constantFrom('a', 'é', '中', '😀', '\ud800', 'z')
    const line = fc.oneof(fc.string({ unit, maxLength: 40 }), fc.string({ unit, minLength: 5_000, maxLength: 30_000 }))
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 200_000 }), async (lines, maxPartSize) => {
        const dir = freshDir()
        const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize })
        const w = writer(sink)
        for (const l of lines) w.write(l, 0)
        const committables = endOfInput(w)
        // independently: a new part when a line would make a non-empty part bigger than the maximum
        const expected: string[] = []
        let part = ''
        let size = 0
        for (const l of lines) {
          const bytes = Buffer.byteLength(`${l}\n`)
          if (size > 0 && size + bytes > maxPartSize) {
            expected.push(part)
            part = ''
            size = 0
          }
          part += `${l}\n`
          size += bytes
        }
        expected.push(part)
        const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('utf8')
        expect(committables.map((c) => c.size)).toEqual(expected.map((e) => Buffer.byteLength(e)))
        await sink.createCommitter().commit(committables)
        expect(await visibleContents(dir)).toEqual(expected.map(utf8))
      }),
      { numRuns: 40 },
    )
  })

  it('rolls a part older than rolloverInterval by the writer clock, read at flushes', async () => {
    const dir = freshDir()
    const clock = new ManualClock()
    const policy = DefaultRollingPolicy.builder().withRolloverInterval(1000).withInactivityInterval(Infinity).build()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { rollingPolicy: policy })
    const w = writer(sink, 0, 1, clock)
    w.write('a', 0)
    clock.advance(999)
    w.flush(false)
    expect(w.prepareCommit(1)).toEqual([]) // still open, not due
    clock.advance(1)
    w.flush(false)
    w.write('b', 0) // a new part, opened at 1000
    clock.advance(1000)
    w.write('c', 0) // the clock is read at flushes only: 'c' joins 'b'
    w.flush(false) // now the part of 'b' is 1000 ms old
    w.write('d', 0)
    const committables = w.prepareCommit(2)
    expect(committables.length).toBe(2)
    await sink.createCommitter().commit(committables)
    expect(await visibleContents(dir)).toEqual(['a\n', 'b\nc\n'])
    await sink.createCommitter().commit(endOfInput(w))
    expect(await visibleContents(dir)).toEqual(['a\n', 'b\nc\n', 'd\n'])
  })

  it('rolls a part nothing was written into for inactivityInterval', async () => {
    const dir = freshDir()
    const clock = new ManualClock()
    const policy = DefaultRollingPolicy.builder().withInactivityInterval(1000).withRolloverInterval(Infinity).build()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { rollingPolicy: policy })
    const w = writer(sink, 0, 1, clock)
    // written every 600 ms, flushed every 200 ms: never inactive for 1000 ms
    for (let i = 0; i < 10; i++) {
      w.write(`r${i}`, 0)
      for (let f = 0; f < 3; f++) {
        clock.advance(200)
        w.flush(false)
      }
    }
    expect(w.prepareCommit(1)).toEqual([])
    // the last write (at 5400) was seen at the flush at 5600; it is 6000 now
    clock.advance(599) // 6599
    w.flush(false)
    expect(w.prepareCommit(2)).toEqual([])
    clock.advance(1) // 6600: inactive for 1000 ms since the flush that saw the last write
    w.flush(false)
    const committables = w.prepareCommit(3)
    expect(committables.length).toBe(1)
    await sink.createCommitter().commit(committables)
    expect(await visibleContents(dir)).toEqual([Array.from({ length: 10 }, (_, i) => `r${i}\n`).join('')])
  })

  it('with OnCheckpointRollingPolicy makes one part per writer and checkpoint', async () => {
    const dir = freshDir()
    const clock = new ManualClock()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { rollingPolicy: OnCheckpointRollingPolicy.build() })
    const w = writer(sink, 0, 1, clock)
    const big = 'x'.repeat(100_000)
    for (let i = 0; i < 30; i++) w.write(big, 0) // neither size ...
    clock.advance(24 * 3600_000)
    w.flush(false) // ... nor time rolls it
    expect((await hiddenParts(dir)).length).toBe(1)
    const first = checkpoint(w, 1)
    expect(first.committables.map((c) => c.size)).toEqual([30 * 100_001])
    expect(first.state).toEqual([expect.objectContaining({ nextPart: 1 })])
    expect(first.state[0]!.inProgress).toBeUndefined()
    expect(checkpoint(w, 2).committables).toEqual([]) // nothing written: no part
    w.write('after 2', 0)
    const third = checkpoint(w, 3)
    expect(third.committables.length).toBe(1)
    expect(endOfInput(w)).toEqual([])
    await sink.createCommitter().commit([...first.committables, ...third.committables])
    expect((await visibleContents(dir)).map((c) => c.length)).toEqual([30 * 100_001, 8])
  })

  it('with DefaultRollingPolicy keeps a part open across checkpoints, until it rolls', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize: 8 })
    const w = writer(sink)
    w.write('ab', 0)
    const one = checkpoint(w, 1)
    expect(one.committables).toEqual([])
    const [open] = await hiddenParts(dir)
    expect(one.state).toEqual([
      {
        directory: dir,
        subtaskIndex: 0,
        writerId: open!.writerId,
        partPrefix: 'part',
        partSuffix: '',
        nextPart: 1,
        inProgress: { pendingPath: join(dir, open!.name), finalPath: join(dir, open!.name.slice(1, -'.inprogress'.length)), size: 3 },
      },
    ])
    w.write('cde', 0) // 7 bytes now
    const two = checkpoint(w, 2)
    expect(two.committables).toEqual([])
    expect(two.state[0]!.inProgress!.size).toBe(7)
    w.write('f', 0) // 9 bytes would be too many: rolls first
    const three = checkpoint(w, 3)
    expect(three.committables.map((c) => c.size)).toEqual([7])
    w.write('ghi', 0) // 2 + 4 = 6 bytes
    w.write('j', 0) // 8 bytes: full
    const four = checkpoint(w, 4) // a full part rolls at the checkpoint
    expect(four.committables.map((c) => c.size)).toEqual([8])
    expect(four.state[0]!.inProgress).toBeUndefined()
    await sink.createCommitter().commit([...three.committables, ...four.committables])
    expect(await visibleContents(dir)).toEqual(['ab\ncde\n', 'f\nghi\nj\n'])
  })

  it('commits idempotently: committing again, with a new committer too, changes nothing', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize: 4 })
    const w = writer(sink)
    for (const s of ['aa', 'bb', 'cc']) w.write(s, 0)
    const committables = endOfInput(w)
    expect(committables.length).toBe(3)
    const committer = sink.createCommitter()
    await committer.commit(committables.slice(0, 1)) // a crash after the first part ...
    await committer.commit(committables) // ... and the whole checkpoint committed again
    const after = await visibleContents(dir)
    expect(after).toEqual(['aa\n', 'bb\n', 'cc\n'])
    await committer.commit(committables)
    await sink.createCommitter().commit(structuredClone(committables))
    expect(await visibleContents(dir)).toEqual(after)
    expect(await hiddenParts(dir)).toEqual([])
  })

  it("never makes a failed writer's output after its last checkpoint visible; a restored writer goes on exactly once", async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize: 12 })
    const committer = sink.createCommitter()
    const rec = (i: number): string => `r${String(i).padStart(3, '0')}` // 5 bytes a line: 2 lines a part
    const a = writer(sink)
    for (let i = 1; i <= 5; i++) a.write(rec(i), 0)
    const cp1 = checkpoint(a, 1) // parts 0 [1 2] and 1 [3 4] pending, part 2 [5] open
    expect(cp1.committables.length).toBe(2)
    expect(cp1.state[0]!.inProgress!.size).toBe(5)
    // the attempt goes on, then fails before checkpoint 2 completes
    for (let i = 6; i <= 9; i++) a.write(rec(i), 0) // part 2 [5 6], part 3 [7 8], part 4 [9]
    const aborted = checkpoint(a, 2) // prepared, but checkpoint 2 never completes
    expect(aborted.committables.map((c) => c.size)).toEqual([10, 10])
    a.write(rec(10), 0)
    a.flush(false)
    a.close()
    expect((await hiddenParts(dir)).map((p) => p.n)).toEqual([0, 1, 2, 3, 4])

    // the restart: the job commits checkpoint 1 (again, idempotently) and restores the writer
    await committer.commit(cp1.committables)
    await committer.commit(cp1.committables)
    const b = restoredWriter(sink, cp1.state)
    // parts 3 and 4 of the failed writer are gone, part 2 is cut back to [5]
    const left = await hiddenParts(dir)
    expect(left.map((p) => p.n)).toEqual([2])
    expect(await text(dir, left[0]!.name)).toBe('r005\n')
    expect(await visibleLines(dir)).toEqual(['r001', 'r002', 'r003', 'r004'])
    // the source replays from checkpoint 1
    for (let i = 6; i <= 10; i++) b.write(rec(i), 0)
    const cp3 = checkpoint(b, 3)
    expect(cp3.committables[0]!.pendingPath).toBe(join(dir, left[0]!.name)) // the restored part comes first
    await committer.commit(cp3.committables)
    for (let i = 11; i <= 12; i++) b.write(rec(i), 0)
    await committer.commit(endOfInput(b))
    const expected = Array.from({ length: 12 }, (_, i) => rec(i + 1))
    expect(await visibleLines(dir, [cp1.state[0]!.writerId, cp3.state[0]!.writerId])).toEqual(expected)
    expect(await hiddenParts(dir)).toEqual([])
    // the parts of checkpoint 2, had it been committed later, are gone: committing them fails loudly
    await expect(committer.commit(aborted.committables)).rejects.toThrow(ConnectorError)
  })

  it('restores from the same checkpoint twice when the restored writer fails before its first checkpoint', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<number>(), { maxPartSize: 100 })
    const committer = sink.createCommitter()
    const a = writer(sink)
    for (let i = 0; i < 5; i++) a.write(i, 0)
    const cp1 = checkpoint(a, 1)
    for (let i = 5; i < 10; i++) a.write(i, 0)
    a.close()
    await committer.commit(cp1.committables)
    const b = restoredWriter(sink, cp1.state)
    for (let i = 5; i < 8; i++) b.write(i, 0)
    b.flush(false)
    b.close() // fails too
    await committer.commit(cp1.committables)
    const c = restoredWriter(sink, cp1.state)
    for (let i = 5; i < 10; i++) c.write(i, 0)
    await committer.commit(endOfInput(c))
    const order = [cp1.state[0]!.writerId, c.snapshotState(0)[0]!.writerId]
    expect(await visibleLines(dir, order)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    // what b wrote is not known to any checkpoint: it stays behind, hidden
    const hidden = await hiddenParts(dir)
    expect(hidden.map((p) => p.writerId)).toEqual([b.snapshotState(0)[0]!.writerId])
    expect(await text(dir, hidden[0]!.name)).toBe('5\n6\n7\n')
  })

  it('restores the states of several writers into one (a lower parallelism)', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize: 1000 })
    const committer = sink.createCommitter()
    const w0 = writer(sink, 0, 2)
    const w1 = writer(sink, 1, 2)
    w0.write('0a', 0)
    w1.write('1a', 0)
    const states = [...checkpoint(w0, 1).state, ...checkpoint(w1, 1).state]
    w0.write('0b (after the checkpoint)', 0)
    w1.write('1b (after the checkpoint)', 0)
    w0.close()
    w1.close()
    const merged = restoredWriter(sink, states, 0, 1)
    merged.write('0b', 0)
    merged.write('1b', 0)
    await committer.commit(endOfInput(merged))
    const parts = await visibleParts(dir)
    // the restored parts keep their names (subtask 1 too); the restored writer has a new id
    expect(parts.map((p) => [p.subtask, p.n])).toEqual([
      [0, 0],
      [0, 0],
      [1, 0],
    ])
    const ids = new Set(parts.map((p) => p.writerId))
    expect(ids.size).toBe(3)
    expect((await visibleLines(dir)).sort()).toEqual(['0a', '0b', '1a', '1b'])
    expect(await hiddenParts(dir)).toEqual([])
  })

  it('skips a restored open part that a later checkpoint committed (restored from an older one)', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize: 1000 })
    const committer = sink.createCommitter()
    const a = writer(sink)
    a.write('x', 0)
    const cp1 = checkpoint(a, 1) // open part, 2 bytes
    a.write('y', 0)
    await committer.commit(endOfInput(a)) // the job went on and committed it, with 4 bytes
    const b = restoredWriter(sink, cp1.state) // e.g. from a savepoint taken at checkpoint 1
    expect(b.prepareCommit(2)).toEqual([])
    expect(await visibleContents(dir)).toEqual(['x\ny\n'])
  })

  it('fails to restore, naming it, a part that was open at the checkpoint and is gone', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>())
    const a = writer(sink)
    a.write('x', 0)
    const cp1 = checkpoint(a, 1)
    a.close()
    const path = cp1.state[0]!.inProgress!.pendingPath
    await truncate(path, 1)
    expect(() => restoredWriter(sink, cp1.state)).toThrow(/fewer than the 2/)
    await unlink(path)
    expect(() => restoredWriter(sink, cp1.state)).toThrow(ConnectorError)
    expect(() => restoredWriter(sink, cp1.state)).toThrow(path)
  })

  it('cuts a pending part back to its committed size, and fails loudly when it cannot commit a part', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { maxPartSize: 3 })
    const committer = sink.createCommitter()
    const w = writer(sink)
    for (const s of ['a', 'b', 'c', 'd']) w.write(s, 0)
    const [ca, cb, cc, cd] = endOfInput(w)
    // bytes appended after the part was closed (a writer that went on after a failure) are cut off
    await writeFile(ca!.pendingPath, 'a\ngarbage\n')
    await committer.commit([ca!])
    expect(await readFile(ca!.finalPath, 'utf8')).toBe('a\n')
    // gone under both names
    await unlink(cb!.pendingPath)
    await expect(committer.commit([cb!])).rejects.toThrow(ConnectorError)
    await expect(committer.commit([cb!])).rejects.toThrow(cb!.finalPath)
    // shorter than written
    await truncate(cc!.pendingPath, 1)
    await expect(committer.commit([cc!])).rejects.toThrow(/fewer than the 2/)
    // the final name is taken: never overwritten
    await writeFile(cd!.finalPath, 'someone else\n')
    await expect(committer.commit([cd!])).rejects.toThrow(/exists already/)
    expect(await readFile(cd!.finalPath, 'utf8')).toBe('someone else\n')
    // committed, then changed: not taken for committed
    await unlink(cd!.pendingPath)
    await expect(committer.commit([cd!])).rejects.toThrow(/has 13 bytes, not the 2/)
    await expect(committer.commit([ca!])).resolves.toBeUndefined()
  })

  it('never reuses a name: every writer has its own id', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>())
    const first = writer(sink)
    first.write('run 1', 0)
    first.close() // a failed run: its part stays hidden
    await writeFile(join(dir, 'part-0-4'), 'older\n')
    const second = writer(sink)
    second.write('run 2', 0)
    await sink.createCommitter().commit(endOfInput(second))
    const names = await list(dir)
    expect(names.length).toBe(3)
    expect(names).toContain('part-0-4')
    expect(await text(dir, 'part-0-4')).toBe('older\n')
    const [hidden] = await hiddenParts(dir)
    const visible = names.filter((n) => PART.test(n)).map((n) => parse(PART, n))
    expect(visible.length).toBe(1)
    expect(visible[0]!.writerId).not.toBe(hidden!.writerId)
    expect(await text(dir, visible[0]!.name)).toBe('run 2\n')
    expect(await text(dir, hidden!.name)).toBe('run 1\n')
  })

  it('writes nothing for a writer without records', async () => {
    const dir = freshDir()
    const w = writer(FileSink.forRowFormat(dir, new SimpleStringEncoder<string>()))
    const cp = checkpoint(w, 1)
    expect(cp.committables).toEqual([])
    expect(cp.state).toEqual([expect.objectContaining({ nextPart: 0 })])
    expect(cp.state[0]!.inProgress).toBeUndefined()
    expect(endOfInput(w)).toEqual([])
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/)
  })

  it('writes what FileLineSource reads back, committed parts only', async () => {
    const dir = freshDir()
    const values = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `wert ${i} ✓` }))
    const sink = FileSink.forRowFormat(dir, new JsonLinesEncoder<(typeof values)[number]>(), { maxPartSize: 100_000 })
    const ws = [0, 1, 2].map((s) => writer(sink, s, 3))
    values.forEach((v, k) => ws[k % 3]!.write(v, 0))
    await sink.createCommitter().commit(ws.flatMap((w) => endOfInput(w)))
    expect((await visibleParts(dir)).length).toBeGreaterThan(3)
    // a writer's uncommitted part is not read
    const crashed = writer(sink)
    crashed.write({ i: -1, s: 'not committed' }, 0)
    crashed.close()
    expect((await hiddenParts(dir)).length).toBe(1)
    const outputs = await runBounded(FileLineSource.forPaths(dir), 2)
    const read = outputs.flatMap((o) => o.values).map((l) => JSON.parse(l) as (typeof values)[number])
    expect(read.sort((a, b) => a.i - b.i)).toEqual(values)
  })

  it('fsyncs what it hands over: the sizes in the committables are those on disk', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { rollingPolicy: OnCheckpointRollingPolicy.build() })
    const w = writer(sink)
    w.write('ü'.repeat(10), 0)
    const [c] = checkpoint(w, 1).committables
    expect((await stat(c!.pendingPath)).size).toBe(21)
    expect(c!.size).toBe(21)
  })

  it('fails with a ConnectorError naming the directory it cannot create', async () => {
    const blocker = join(root, `blocker-${counter++}`)
    await writeFile(blocker, 'a file, not a directory')
    const w = writer(FileSink.forRowFormat(join(blocker, 'sub'), new SimpleStringEncoder<string>()))
    expect(() => w.write('x', 0)).toThrow(ConnectorError)
    expect(() => w.write('x', 0)).toThrow(join(blocker, 'sub'))
  })

  it('rejects options that cannot work', () => {
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { maxPartSize: 0 })).toThrow(ConfigError)
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { rolloverInterval: -1 })).toThrow(ConfigError)
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { partPrefix: 'a/b' })).toThrow(ConfigError)
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { partPrefix: '' })).toThrow(ConfigError)
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { rollingPolicy: OnCheckpointRollingPolicy.build(), maxPartSize: 10 })).toThrow(
      /either a rollingPolicy or maxPartSize/,
    )
  })

  it('is a two-phase-committing sink', () => {
    expect(isTwoPhaseCommittingSink(FileSink.forRowFormat('x', new SimpleStringEncoder()) as Sink<unknown>)).toBe(true)
  })
})
