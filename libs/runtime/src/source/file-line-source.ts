import { readdirSync, statSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { ConfigError, ConnectorError } from '../core/errors.js'
import { AVAILABLE, Availability } from './availability.js'
import { ioReason, isRetriableIoError } from './io-errors.js'
import type {
  Boundedness,
  InputStatus,
  ReaderOutput,
  Source,
  SourceOutput,
  SourceReader,
  SourceReaderContext,
  SourceSplit,
  SplitEnumerator,
  SplitEnumeratorContext,
} from './source.js'
import { SplitQueueEnumerator } from './static-split-enumerators.js'

/** Lines a reader emits per `pollNext` call at most. */
const BATCH_SIZE = 1024
/** The default size of one read. */
const DEFAULT_CHUNK_SIZE = 64 * 1024
const LF = 0x0a
const CR = 0x0d

/**
 * One file of a {@link FileLineSource}, with the byte offset where its next line starts.
 *
 * @remarks
 * The split id is the file's absolute path. A reader given a split at an offset reads on from
 * exactly that byte, so the offset is the checkpointed position.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface FileSplit extends SourceSplit {
  /** The file's absolute path. */
  readonly path: string
  /** The byte offset of the next line to read. */
  readonly offset: number
}

/**
 * A bounded source of the lines of text files (UTF-8), one record per line.
 *
 * @remarks
 * Each file is one split; readers ask the enumerator for the next file when they finish one, so
 * big and small files balance over the subtasks. Within a file the lines are emitted in order.
 * A path that names a directory stands for the regular files directly in it, sorted by name,
 * leaving out hidden files (names starting with `.` or `_`, which is how {@link FileSink} marks
 * files still being written).
 *
 * Lines end with `\n` or `\r\n`; the terminator is not part of the record; a last line without a
 * terminator is emitted too; a UTF-8 byte order mark at the start of a file is skipped. Readers
 * read chunks (64 KiB by default) asynchronously and split them into lines on the bytes, so a
 * character cut by a chunk boundary is decoded whole.
 *
 * Paths are resolved and listed when the job starts (in the enumerator's `start`); a path that
 * does not exist or cannot be read fails the job with a {@link ConnectorError} that names it.
 *
 * Example, from the tests:
 *
 * {@includeCode ./file-line-source.spec.ts#example}
 *
 * @category Sources
 * @since 0.1.0
 */
export class FileLineSource implements Source<string, FileSplit, FileSplit[]> {
  /** Always `'bounded'`. */
  readonly boundedness: Boundedness = 'bounded'

  private constructor(
    /** The paths as given, files or directories. */
    readonly paths: readonly string[],
    /** The size of one read in bytes. */
    readonly chunkSize: number,
  ) {}

  /**
   * A source of the lines of the given files, and of the files in the given directories.
   *
   * @param paths - files or directories, read in this order
   * @throws {@link ConfigError} when no path is given
   */
  static forPaths(...paths: string[]): FileLineSource {
    if (paths.length === 0) throw new ConfigError('FileLineSource.forPaths needs at least one path.')
    return new FileLineSource(paths.slice(), DEFAULT_CHUNK_SIZE)
  }

  /**
   * The same source reading `bytes` per chunk (default 64 KiB). Lines longer than a chunk are fine.
   *
   * @throws {@link ConfigError} when `bytes` is not a positive integer
   */
  withChunkSize(bytes: number): FileLineSource {
    if (!(Number.isSafeInteger(bytes) && bytes > 0)) throw new ConfigError(`FileLineSource needs a chunk size that is a positive integer, got ${bytes}.`)
    return new FileLineSource(this.paths, bytes)
  }

  /** An enumerator that lists the files when it starts and hands them out one by one on request. */
  createEnumerator(context: SplitEnumeratorContext<FileSplit>): SplitEnumerator<FileSplit, FileSplit[]> {
    return new SplitQueueEnumerator(context, () => discoverFiles(this.paths))
  }

  /** Continues with the files that were not assigned yet at the checkpoint. */
  restoreEnumerator(context: SplitEnumeratorContext<FileSplit>, state: FileSplit[]): SplitEnumerator<FileSplit, FileSplit[]> {
    return new SplitQueueEnumerator(context, () => state)
  }

  /** A reader that asks for a file, reads its lines, and asks for the next. */
  createReader(context: SourceReaderContext): SourceReader<string, FileSplit> {
    return new FileLineReader(context, this.chunkSize)
  }
}

const readError = (path: string, e: unknown): ConnectorError =>
  new ConnectorError(`FileLineSource cannot read '${path}': ${ioReason(e)}.`, { cause: e, retriable: isRetriableIoError(e) })

const isListed = (name: string): boolean => !name.startsWith('.') && !name.startsWith('_')

/** The splits of the given paths, each file once. */
const discoverFiles = (paths: readonly string[]): FileSplit[] => {
  const seen = new Set<string>()
  const splits: FileSplit[] = []
  const add = (path: string): void => {
    if (seen.has(path)) return
    seen.add(path)
    splits.push({ splitId: path, path, offset: 0 })
  }
  for (const given of paths) {
    const path = resolve(given)
    try {
      if (!statSync(path).isDirectory()) {
        add(path)
        continue
      }
      const names = readdirSync(path).filter(isListed).sort()
      for (const name of names) {
        const file = join(path, name)
        if (statSync(file).isFile()) add(file)
      }
    } catch (e) {
      throw readError(path, e)
    }
  }
  return splits
}

/**
 * Reads the lines of one file after another.
 *
 * @remarks
 * Bytes from the file go into one growable buffer: `[head, tail)` holds what is read and not yet
 * emitted (from the file offset `offset` on), and at most one read is in flight, filling the buffer
 * after `tail`. `pollNext` only looks at `[head, tail)`, so it never races with the read; the
 * buffer is compacted or grown only while no read is in flight.
 */
class FileLineReader implements SourceReader<string, FileSplit> {
  private readonly queue: FileSplit[] = []
  private noMoreSplits = false
  private requested = false
  private failure: ConnectorError | undefined
  private closed = false
  private readonly availability = new Availability()

  // the file being read
  private path: string | undefined
  private handle: FileHandle | undefined
  private out: SourceOutput<string> | undefined
  /** File offset of `buffer[head]`: where the next line starts. */
  private offset = 0
  /** File offset of the next read. */
  private readPosition = 0
  private eof = false
  private bomChecked = false
  /** Bumped per file, so that late callbacks of an earlier file are ignored. */
  private generation = 0
  private inFlight: Promise<unknown> | undefined
  private readonly pendingCloses = new Set<Promise<void>>()

  private buffer: Buffer
  /** `buffer.subarray(0, tail)`, remade when `tail` or `buffer` changes, to search for line ends. */
  private view: Buffer
  /** Index in `buffer` of the next unread byte. */
  private head = 0
  /** Index in `buffer` after the last read byte. */
  private tail = 0
  /** Where to search for the next `\n`: everything in `[head, scan)` has none. */
  private scan = 0

  constructor(
    private readonly context: SourceReaderContext,
    private readonly chunkSize: number,
  ) {
    this.buffer = Buffer.allocUnsafe(2 * chunkSize)
    this.view = this.buffer.subarray(0, 0)
  }

  start(): void {
    this.request()
  }

  pollNext(output: ReaderOutput<string>): InputStatus {
    this.availability.reset()
    if (this.failure !== undefined) throw this.failure
    let emitted = 0
    for (;;) {
      let path = this.path
      if (path === undefined) {
        const next = this.queue.shift()
        if (next === undefined) {
          if (this.noMoreSplits) return emitted > 0 ? 'MORE_AVAILABLE' : 'END_OF_INPUT'
          this.request()
          return 'NOTHING_AVAILABLE'
        }
        this.open(next)
        path = next.path
      }
      if (this.handle === undefined) return 'NOTHING_AVAILABLE'
      const out = this.out ?? (this.out = output.createOutputForSplit(path))
      this.maybeRead()
      if (!this.bomChecked) this.skipByteOrderMark()
      emitted += this.emitLines(out, BATCH_SIZE - emitted)
      if (emitted >= BATCH_SIZE) return 'MORE_AVAILABLE'
      // no complete line is buffered
      if (!this.eof) {
        this.maybeRead()
        return 'NOTHING_AVAILABLE'
      }
      if (this.tail > this.head) {
        out.collect(this.buffer.toString('utf8', this.head, this.tail))
        this.offset += this.tail - this.head
        this.head = this.scan = this.tail
        emitted++
      }
      output.releaseOutputForSplit(path)
      this.finishFile()
    }
  }

  isAvailable(): Promise<void> {
    if (this.failure !== undefined) return AVAILABLE
    if (this.path === undefined) return this.queue.length > 0 || this.noMoreSplits ? AVAILABLE : this.availability.wait()
    if (this.handle !== undefined && (this.eof || this.view.indexOf(LF, this.scan) >= 0)) return AVAILABLE
    return this.availability.wait()
  }

  addSplits(splits: readonly FileSplit[]): void {
    for (const s of splits) this.queue.push({ splitId: s.splitId, path: s.path, offset: s.offset })
    this.requested = false
    this.availability.notify()
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true
    this.availability.notify()
  }

  snapshotState(_checkpointId: number): FileSplit[] {
    const splits = this.queue.map((s) => ({ splitId: s.splitId, path: s.path, offset: s.offset }))
    if (this.path !== undefined) splits.unshift({ splitId: this.path, path: this.path, offset: this.offset })
    return splits
  }

  async close(): Promise<void> {
    this.closed = true
    this.generation++
    const handle = this.handle
    this.handle = undefined
    this.path = undefined
    if (this.inFlight !== undefined) await this.inFlight
    if (handle !== undefined) await handle.close().catch(() => undefined)
    await Promise.all(this.pendingCloses)
  }

  private request(): void {
    if (this.requested || this.noMoreSplits) return
    this.requested = true
    this.context.sendSplitRequest()
  }

  /** Emits up to `max` complete lines from the buffer; returns how many. */
  private emitLines(out: SourceOutput<string>, max: number): number {
    const buffer = this.buffer
    const view = this.view
    let start = this.head
    let n = 0
    while (n < max) {
      const lf = view.indexOf(LF, this.scan)
      if (lf < 0) {
        this.scan = this.tail
        break
      }
      const lineEnd = lf > start && buffer[lf - 1] === CR ? lf - 1 : lf
      out.collect(buffer.toString('utf8', start, lineEnd))
      this.offset += lf + 1 - start
      start = this.scan = lf + 1
      this.head = start
      n++
    }
    return n
  }

  private skipByteOrderMark(): void {
    if (this.offset !== 0) {
      this.bomChecked = true
      return
    }
    if (this.tail - this.head < 3 && !this.eof) return
    this.bomChecked = true
    const b = this.buffer
    const s = this.head
    if (this.tail - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) {
      this.head = s + 3
      this.scan = Math.max(this.scan, this.head)
      this.offset = 3
    }
  }

  private open(split: FileSplit): void {
    const generation = ++this.generation
    this.path = split.path
    this.offset = split.offset
    this.readPosition = split.offset
    this.eof = false
    this.bomChecked = false
    this.head = this.tail = this.scan = 0
    this.view = this.buffer.subarray(0, 0)
    this.out = undefined
    this.inFlight = open(split.path, 'r').then(
      (handle) => {
        this.inFlight = undefined
        if (generation !== this.generation) {
          void handle.close().catch(() => undefined)
          return
        }
        this.handle = handle
        this.maybeRead()
      },
      (e: unknown) => this.fail(generation, e),
    )
  }

  /** Starts a read if none is in flight, the file has more, and less than two chunks are buffered or no line end is. */
  private maybeRead(): void {
    const handle = this.handle
    if (handle === undefined || this.inFlight !== undefined || this.eof || this.closed) return
    const buffered = this.tail - this.head
    if (buffered >= 2 * this.chunkSize && this.scan < this.tail) return
    if (this.buffer.length - this.tail < this.chunkSize) this.makeRoom()
    const generation = this.generation
    this.inFlight = handle.read(this.buffer, this.tail, this.chunkSize, this.readPosition).then(
      ({ bytesRead }) => {
        this.inFlight = undefined
        if (generation !== this.generation) return
        if (bytesRead === 0) this.eof = true
        else {
          this.tail += bytesRead
          this.readPosition += bytesRead
          this.view = this.buffer.subarray(0, this.tail)
        }
        this.availability.notify()
      },
      (e: unknown) => this.fail(generation, e),
    )
  }

  /** Moves the unread bytes to the front of the buffer, and grows it when they fill most of it. */
  private makeRoom(): void {
    const used = this.tail - this.head
    if (used + this.chunkSize > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, used + this.chunkSize))
      this.buffer.copy(bigger, 0, this.head, this.tail)
      this.buffer = bigger
    } else {
      this.buffer.copyWithin(0, this.head, this.tail)
    }
    this.scan -= this.head
    this.tail = used
    this.head = 0
    this.view = this.buffer.subarray(0, this.tail)
  }

  private fail(generation: number, e: unknown): void {
    this.inFlight = undefined
    if (generation !== this.generation) return
    this.failure = readError(this.path ?? '?', e)
    this.availability.notify()
  }

  private finishFile(): void {
    const handle = this.handle
    if (handle !== undefined) {
      const closing = handle.close().catch(() => undefined)
      this.pendingCloses.add(closing)
      void closing.then(() => this.pendingCloses.delete(closing))
    }
    this.generation++
    this.handle = undefined
    this.path = undefined
    this.out = undefined
    this.head = this.tail = this.scan = 0
    this.view = this.buffer.subarray(0, 0)
  }
}
