import { randomUUID } from 'node:crypto'
import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { open, rename, stat, truncate } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { ConfigError, ConnectorError } from '../core/errors.js'
import type { Clock } from '../time/clock.js'
import { ioReason, isRetriableIoError } from '../source/io-errors.js'
import type { Encoder } from './encoder.js'
import { DefaultRollingPolicy, type PartFileInfo, type RollingPolicy } from './rolling-policy.js'
import type { SinkWriterContext } from './sink.js'
import type { Committer, PrecommittingSinkWriter, TwoPhaseCommittingSink } from './two-phase-commit.js'

/** Bytes a writer buffers before it writes them to its part file. */
const BUFFER_BYTES = 64 * 1024

/** The end of the name of a part that is not committed yet (in progress or pending). */
const IN_PROGRESS_SUFFIX = '.inprogress'

/**
 * How a {@link FileSink} names and rolls its part files.
 *
 * @category Sinks
 * @since 0.1.0
 */
export interface FileSinkOptions {
  /**
   * When a writer closes its part and starts a new one (default:
   * `DefaultRollingPolicy.builder().build()`, i.e. 128 MiB, 60 s, 60 s of inactivity).
   *
   * @since 0.2.0
   */
  readonly rollingPolicy?: RollingPolicy
  /**
   * Shorthand for a {@link DefaultRollingPolicy} with this `maxPartSize` (and the defaults, or
   * `rolloverInterval`, for the rest). Not together with `rollingPolicy`.
   */
  readonly maxPartSize?: number
  /**
   * Shorthand for a {@link DefaultRollingPolicy} with this `rolloverInterval` in ms (and the
   * defaults, or `maxPartSize`, for the rest). Not together with `rollingPolicy`.
   */
  readonly rolloverInterval?: number
  /** The start of part file names (default `'part'`). */
  readonly partPrefix?: string
  /** The end of part file names, e.g. `'.jsonl'` (default none). */
  readonly partSuffix?: string
}

/**
 * A part file the writer has closed, to be made visible by the {@link FileCommitter}.
 *
 * @category Sinks
 * @since 0.2.0
 */
export interface FileCommittable {
  /** The hidden file the writer wrote, `<directory>/.<name>.inprogress`. */
  readonly pendingPath: string
  /** The visible name it is renamed to, `<directory>/<name>`. */
  readonly finalPath: string
  /** Its size in bytes: what belongs to the part (bytes past it are cut off when committing). */
  readonly size: number
}

/**
 * What a {@link FileSink} writer keeps in a checkpoint: who it was, how far it numbered its
 * parts, and the part it had open.
 *
 * @remarks
 * A restored writer uses it to clean up after the writer it replaces (its parts numbered from
 * `nextPart` on were written after the checkpoint and are deleted) and to hand the part that was
 * open over for committing, cut back to the bytes written before the checkpoint.
 *
 * @category Sinks
 * @since 0.2.0
 */
export interface FileWriterState {
  /** The directory the writer wrote into. */
  readonly directory: string
  /** The subtask of the writer. */
  readonly subtaskIndex: number
  /** The writer's id, part of its part names. */
  readonly writerId: string
  /** The start of its part names. */
  readonly partPrefix: string
  /** The end of its part names. */
  readonly partSuffix: string
  /** The number its next part would have had. */
  readonly nextPart: number
  /** The part open at the checkpoint, with the size it had then. */
  readonly inProgress?: FileCommittable
}

/**
 * An exactly-once sink that writes records as lines into part files in a directory (Flink's
 * `FileSink` in row format).
 *
 * @remarks
 * **Parts and their names.** Every writer (subtask `s`) takes a fresh random id `w` when it is
 * created or restored, and numbers its parts `0, 1, 2, …`. Part `n` is written as the hidden file
 * `.<prefix>-<s>-<w>-<n><suffix>.inprogress` ({@link FileLineSource} and most tools skip hidden
 * files) and becomes visible only when it is committed: renamed to `<prefix>-<s>-<w>-<n><suffix>`.
 * As no two writers share an id, no name is ever used twice, however often a job restarts, from
 * whichever checkpoint or savepoint, or how many jobs write into the directory: a restored writer
 * never reuses a name an earlier attempt may have written or committed. (Names sort by writer,
 * not by time.) A writer never opens a name that exists, and the committer never renames over a
 * file.
 *
 * **Rolling.** The {@link RollingPolicy} decides when the open part is closed: before a record
 * (`shouldRollOnEvent`, e.g. by size), at a flush (`shouldRollOnProcessingTime`; a running job
 * flushes its sink writers every 200 ms) and at a checkpoint (`shouldRollOnCheckpoint`). A closed
 * part is "pending": still hidden, handed over as a {@link FileCommittable} at the next
 * checkpoint, and renamed by the {@link FileCommitter} once that checkpoint is complete. A part
 * that stays open across a checkpoint keeps growing; the writer state records its size at the
 * checkpoint (after an fsync), and a restore cuts it back to that size and commits it with the
 * next checkpoint. At the end of the input every part is closed and committed when the job
 * finishes. Without checkpoints everything is committed when a bounded job finishes, and an
 * unbounded one commits nothing.
 *
 * **Exactly once.** Output of records after the last complete checkpoint is never committed:
 * after a failure, a restored writer deletes the parts its predecessor wrote after the checkpoint
 * and cuts the part it had open back, and the source replays those records into new parts. Hidden
 * files of writers that failed before their first checkpoint are not known to anyone and stay
 * behind (they never become visible; delete `.*.inprogress` files when no job writes into the
 * directory). Pending parts are fsynced before they are handed over, and the directory after
 * renames.
 *
 * Writes are synchronous and buffered: the writer calls `fs.writeSync` when 64 KiB have gathered
 * and on every flush. The directory is created at the first record.
 *
 * Example, from the tests:
 *
 * {@includeCode ./file-sink.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export class FileSink<T> implements TwoPhaseCommittingSink<T, FileCommittable, FileWriterState> {
  /**
   * Marks the sink as two-phase-committing.
   *
   * @since 0.2.0
   */
  readonly twoPhaseCommit = true as const

  private constructor(
    /** The directory the parts go to (created when missing). */
    readonly directory: string,
    private readonly encoder: Encoder<T>,
    /** When parts roll. @since 0.2.0 */
    readonly rollingPolicy: RollingPolicy,
    private readonly partPrefix: string,
    private readonly partSuffix: string,
  ) {}

  /**
   * A sink that writes each record as the line its encoder makes.
   *
   * @typeParam T - the record type
   * @param directory - where the part files go
   * @param encoder - turns a record into a line, e.g. {@link JsonLinesEncoder} or {@link SimpleStringEncoder}
   * @param options - rolling policy and part names
   * @throws {@link ConfigError} when `maxPartSize` or `rolloverInterval` is not a positive number,
   * when they come with a `rollingPolicy`, or when a name part holds a path separator
   */
  static forRowFormat<T>(directory: string, encoder: Encoder<T>, options: FileSinkOptions = {}): FileSink<T> {
    const { rollingPolicy, maxPartSize, rolloverInterval, partPrefix = 'part', partSuffix = '' } = options
    if (rollingPolicy !== undefined && (maxPartSize !== undefined || rolloverInterval !== undefined))
      throw new ConfigError('FileSink takes either a rollingPolicy or maxPartSize/rolloverInterval, not both: set the limits on the policy.')
    if (maxPartSize !== undefined && !(maxPartSize > 0))
      throw new ConfigError(`FileSink needs a maxPartSize that is a positive number of bytes, got ${maxPartSize}.`)
    if (rolloverInterval !== undefined && !(rolloverInterval > 0))
      throw new ConfigError(`FileSink needs a rolloverInterval that is a positive number of ms, got ${rolloverInterval}.`)
    for (const name of [partPrefix, partSuffix]) {
      if (/[/\\]/.test(name)) throw new ConfigError(`FileSink part names cannot hold a path separator, got '${name}'.`)
    }
    if (partPrefix === '') throw new ConfigError('FileSink needs a non-empty partPrefix.')
    const policy = rollingPolicy ?? new DefaultRollingPolicy({ maxPartSize, rolloverInterval })
    return new FileSink(resolve(directory), encoder, policy, partPrefix, partSuffix)
  }

  /** A writer for one subtask's part files, with a fresh writer id. */
  createWriter(context: SinkWriterContext): PrecommittingSinkWriter<T, FileCommittable, FileWriterState> {
    return new RowFileWriter(this.directory, this.encoder, this.rollingPolicy, context.subtaskIndex, context.clock, this.partPrefix, this.partSuffix)
  }

  /**
   * A writer after a restore, with a fresh writer id. For each state it got, it deletes the hidden
   * parts that writer numbered from `nextPart` on (written after the checkpoint, never committed),
   * and takes the part that was open over: cut back to its size at the checkpoint and handed over
   * with the next checkpoint. A part that is gone but exists under its final name was committed
   * by a later checkpoint (the job was restored from an older one) and is skipped.
   *
   * @throws {@link ConnectorError} when the part that was open is gone under both names, or
   * shorter than at the checkpoint
   * @since 0.2.0
   */
  restoreWriter(context: SinkWriterContext, states: readonly FileWriterState[]): PrecommittingSinkWriter<T, FileCommittable, FileWriterState> {
    const writer = this.createWriter(context) as RowFileWriter<T>
    for (const s of states) writer.takeOver(s)
    return writer
  }

  /**
   * A committer that renames pending parts to their final names.
   *
   * @since 0.2.0
   */
  createCommitter(): FileCommitter {
    return new FileCommitter()
  }
}

/**
 * Commits the parts of a {@link FileSink}: renames each pending part to its final name.
 *
 * @remarks
 * Idempotent, as a committer must be: a part whose pending file is gone and whose final file has
 * the committed size was committed before and is skipped. Before the rename, a pending file longer
 * than its committable is cut back to its size (bytes a failed writer may have appended). Fails
 * with a {@link ConnectorError} naming the file when a part is gone under both names, is shorter
 * than committed, has a different size under its final name, or when its final name is taken.
 * Parts are committed one after the other; afterwards each directory is fsynced (where the
 * platform allows it).
 *
 * @category Sinks
 * @since 0.2.0
 */
export class FileCommitter implements Committer<FileCommittable> {
  /** Renames the pending parts that are not committed yet. */
  async commit(committables: readonly FileCommittable[]): Promise<void> {
    const renamedIn = new Set<string>()
    for (const c of committables) if (await commitPart(c)) renamedIn.add(dirname(c.finalPath))
    for (const d of renamedIn) await syncDirectory(d)
  }
}

/** Commits one part; false when it was committed before. */
const commitPart = async (c: FileCommittable): Promise<boolean> => {
  const pendingSize = await sizeOf(c.pendingPath)
  if (pendingSize === undefined) {
    const finalSize = await sizeOf(c.finalPath)
    if (finalSize === c.size) return false
    if (finalSize === undefined)
      throw new ConnectorError(
        `FileSink cannot commit the part '${c.finalPath}': neither it nor its pending file '${c.pendingPath}' exists (were they deleted or moved?), so ${c.size} bytes of committed output are lost.`,
      )
    throw new ConnectorError(
      `FileSink cannot commit the part '${c.finalPath}': its pending file '${c.pendingPath}' is gone and the part has ${finalSize} bytes, not the ${c.size} it was committed with (was it changed?).`,
    )
  }
  if (pendingSize < c.size)
    throw new ConnectorError(`FileSink cannot commit the part '${c.finalPath}': its pending file '${c.pendingPath}' has ${pendingSize} bytes, fewer than the ${c.size} it was written with.`)
  if ((await sizeOf(c.finalPath)) !== undefined)
    throw new ConnectorError(`FileSink will not commit the pending file '${c.pendingPath}' over the file '${c.finalPath}', which exists already.`)
  try {
    if (pendingSize > c.size) {
      await truncate(c.pendingPath, c.size)
      await syncFile(c.pendingPath)
    }
    await rename(c.pendingPath, c.finalPath)
  } catch (e) {
    throw new ConnectorError(`FileSink cannot rename '${c.pendingPath}' to '${c.finalPath}': ${ioReason(e)}.`, { cause: e, retriable: isRetriableIoError(e) })
  }
  return true
}

const isNotFound = (e: unknown): boolean => (e as { code?: unknown } | null)?.code === 'ENOENT'

/** The size of a file, undefined when it does not exist. */
const sizeOf = async (path: string): Promise<number | undefined> => {
  try {
    return (await stat(path)).size
  } catch (e) {
    if (isNotFound(e)) return undefined
    throw new ConnectorError(`FileSink cannot read the size of '${path}': ${ioReason(e)}.`, { cause: e, retriable: isRetriableIoError(e) })
  }
}

const syncFile = async (path: string): Promise<void> => {
  const f = await open(path, 'r+')
  try {
    await f.sync()
  } finally {
    await f.close()
  }
}

/** Fsyncs a directory, so renames in it survive a crash; a no-op where directories cannot be fsynced. */
const syncDirectory = async (path: string): Promise<void> => {
  let f
  try {
    f = await open(path, 'r')
    await f.sync()
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code
    if (code === 'EISDIR' || code === 'EPERM' || code === 'EINVAL' || code === 'EBADF' || code === 'EACCES') return
    throw new ConnectorError(`FileSink cannot fsync the directory '${path}': ${ioReason(e)}.`, { cause: e, retriable: isRetriableIoError(e) })
  } finally {
    await f?.close()
  }
}

/** The open part's figures, updated in place (the {@link PartFileInfo} the policy sees). */
class OpenPartInfo implements PartFileInfo {
  creationTime = 0
  lastUpdateTime = 0
  size = 0
}

/**
 * Writes one subtask's records into part files, and hands closed parts over at checkpoints.
 */
class RowFileWriter<T> implements PrecommittingSinkWriter<T, FileCommittable, FileWriterState> {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private buffered = 0
  /** This writer's id: unique to it, so its part names are too. */
  private readonly writerId = randomUUID()
  /** The start of this writer's part names, `<prefix>-<subtask>-<writer id>-`. */
  private readonly nameStart: string
  /** The open part, if any. */
  private fd: number | undefined
  private inProgressPath = ''
  private finalPath = ''
  private readonly part = new OpenPartInfo()
  /** Records were written since the clock was last read. */
  private written = false
  /** The number of the next part. */
  private nextPart = 0
  /** Whether the directory has been made. */
  private directoryMade = false
  /** Parts closed since the last `prepareCommit`. */
  private pending: FileCommittable[] = []

  constructor(
    private readonly directory: string,
    private readonly encoder: Encoder<T>,
    private readonly policy: RollingPolicy,
    private readonly subtaskIndex: number,
    private readonly clock: Clock,
    private readonly partPrefix: string,
    private readonly partSuffix: string,
  ) {
    this.nameStart = `${partPrefix}-${subtaskIndex}-${this.writerId}-`
  }

  write(value: T, _timestamp: number): void {
    const line = this.encoder.encode(value)
    const start = this.buffered
    // room for any line of this length (3 UTF-8 bytes per UTF-16 unit at most): encode it
    // straight into the buffer, and learn its size from that, without a pass to measure it
    if (start + line.length * 3 + 1 <= BUFFER_BYTES) {
      const n = this.buffer.write(line, start, 'utf8')
      const size = n + 1
      let at = start
      if (this.fd !== undefined && this.policy.shouldRollOnEvent(this.part, size)) {
        this.closePart() // writes the bytes before the line
        this.buffer.copyWithin(0, start, start + n)
        at = 0
      }
      if (this.fd === undefined) this.openPart()
      this.part.size += size
      this.written = true
      this.buffered = at + n
      this.buffer[this.buffered++] = 0x0a
      return
    }
    const size = Buffer.byteLength(line, 'utf8') + 1
    if (this.fd !== undefined && this.policy.shouldRollOnEvent(this.part, size)) this.closePart()
    if (this.fd === undefined) this.openPart()
    this.part.size += size
    this.written = true
    if (this.buffered + size > BUFFER_BYTES) {
      this.writeBuffer()
      if (size > BUFFER_BYTES) {
        this.writeOut(Buffer.from(line + '\n', 'utf8'), size)
        return
      }
    }
    this.buffered += this.buffer.write(line, this.buffered, 'utf8')
    this.buffer[this.buffered++] = 0x0a
  }

  flush(endOfInput: boolean): void {
    if (this.fd === undefined) return
    if (endOfInput) {
      this.closePart()
      return
    }
    this.writeBuffer()
    const now = this.clock.now()
    if (this.written) {
      this.part.lastUpdateTime = now
      this.written = false
    }
    if (this.policy.shouldRollOnProcessingTime(this.part, now)) this.closePart()
  }

  prepareCommit(_checkpointId: number): FileCommittable[] {
    if (this.fd !== undefined && this.policy.shouldRollOnCheckpoint(this.part)) this.closePart()
    const parts = this.pending
    this.pending = []
    for (const p of parts) this.syncPending(p.pendingPath)
    return parts
  }

  snapshotState(_checkpointId: number): FileWriterState[] {
    const state = {
      directory: this.directory,
      subtaskIndex: this.subtaskIndex,
      writerId: this.writerId,
      partPrefix: this.partPrefix,
      partSuffix: this.partSuffix,
      nextPart: this.nextPart,
    }
    const fd = this.fd
    if (fd === undefined) return [state]
    this.writeBuffer()
    try {
      fsyncSync(fd)
    } catch (e) {
      throw this.error(`cannot fsync '${this.inProgressPath}'`, e)
    }
    return [{ ...state, inProgress: { pendingPath: this.inProgressPath, finalPath: this.finalPath, size: this.part.size } }]
  }

  close(): void {
    const fd = this.fd
    if (fd === undefined) return
    this.writeBuffer()
    this.fd = undefined
    this.closeFd(fd)
  }

  /** Restores after the writer a state comes from: removes its parts after the checkpoint, and takes its open part over. */
  takeOver(s: FileWriterState): void {
    const start = `.${s.partPrefix}-${s.subtaskIndex}-${s.writerId}-`
    const end = `${s.partSuffix}${IN_PROGRESS_SUFFIX}`
    let names: string[] = []
    try {
      names = readdirSync(s.directory)
    } catch (e) {
      if (!isNotFound(e)) throw this.error(`cannot list the directory '${s.directory}'`, e)
    }
    for (const name of names) {
      if (!name.startsWith(start) || !name.endsWith(end) || name.length <= start.length + end.length) continue
      const number = name.slice(start.length, name.length - end.length)
      if (!/^\d+$/.test(number) || Number(number) < s.nextPart) continue
      const path = join(s.directory, name)
      try {
        unlinkSync(path)
      } catch (e) {
        if (!isNotFound(e)) throw this.error(`cannot delete '${path}', written after the checkpoint it restores from`, e)
      }
    }
    if (s.inProgress !== undefined) this.takeOverOpenPart(s.inProgress)
  }

  /** Cuts a part that was open at the checkpoint back to its size then, and hands it over with the next checkpoint. */
  private takeOverOpenPart(p: FileCommittable): void {
    let fd: number
    try {
      fd = openSync(p.pendingPath, 'r+')
    } catch (e) {
      if (!isNotFound(e)) throw this.error(`cannot open '${p.pendingPath}', which it restores`, e)
      if (this.exists(p.finalPath)) return // committed by a later checkpoint than the one restored
      throw new ConnectorError(
        `FileSink subtask ${this.subtaskIndex} cannot restore the part '${p.pendingPath}': neither it nor '${p.finalPath}' exists (were they deleted or moved?), so the ${p.size} bytes written before the checkpoint are lost.`,
      )
    }
    try {
      const size = fstatSync(fd).size
      if (size < p.size)
        throw new ConnectorError(`FileSink subtask ${this.subtaskIndex} cannot restore the part '${p.pendingPath}': it has ${size} bytes, fewer than the ${p.size} it had at the checkpoint.`)
      if (size > p.size) {
        ftruncateSync(fd, p.size)
        fsyncSync(fd)
      }
    } catch (e) {
      if (e instanceof ConnectorError) throw e
      throw this.error(`cannot cut '${p.pendingPath}' back to ${p.size} bytes`, e)
    } finally {
      closeSync(fd)
    }
    this.pending.push({ pendingPath: p.pendingPath, finalPath: p.finalPath, size: p.size })
  }

  private exists(path: string): boolean {
    try {
      return statSync(path, { throwIfNoEntry: false }) !== undefined
    } catch (e) {
      throw this.error(`cannot read '${path}'`, e)
    }
  }

  private openPart(): void {
    if (!this.directoryMade) {
      try {
        mkdirSync(this.directory, { recursive: true })
      } catch (e) {
        throw this.error(`cannot create the directory '${this.directory}'`, e)
      }
      this.directoryMade = true
    }
    const name = `${this.nameStart}${this.nextPart++}${this.partSuffix}`
    this.finalPath = join(this.directory, name)
    this.inProgressPath = join(this.directory, `.${name}${IN_PROGRESS_SUFFIX}`)
    try {
      // 'wx': never open a name that exists (ids are random, so this is only a safety net)
      this.fd = openSync(this.inProgressPath, 'wx')
    } catch (e) {
      throw this.error(`cannot create the part file '${this.inProgressPath}'`, e)
    }
    const now = this.clock.now()
    this.part.creationTime = now
    this.part.lastUpdateTime = now
    this.part.size = 0
    this.written = false
  }

  /** Writes out and closes the open part; it is pending until the next `prepareCommit`. */
  private closePart(): void {
    this.writeBuffer()
    const fd = this.fd
    if (fd === undefined) return
    this.fd = undefined
    this.closeFd(fd)
    this.pending.push({ pendingPath: this.inProgressPath, finalPath: this.finalPath, size: this.part.size })
  }

  /** Fsyncs a closed part before it is handed over. */
  private syncPending(path: string): void {
    let fd: number | undefined
    try {
      fd = openSync(path, 'r+')
      fsyncSync(fd)
    } catch (e) {
      throw this.error(`cannot fsync '${path}'`, e)
    } finally {
      if (fd !== undefined) closeSync(fd)
    }
  }

  private writeBuffer(): void {
    if (this.buffered === 0) return
    const n = this.buffered
    this.buffered = 0
    this.writeOut(this.buffer, n)
  }

  private writeOut(bytes: Buffer, length: number): void {
    const fd = this.fd
    if (fd === undefined) return
    let written = 0
    try {
      while (written < length) written += writeSync(fd, bytes, written, length - written)
    } catch (e) {
      throw this.error(`cannot write to '${this.inProgressPath}'`, e)
    }
  }

  private closeFd(fd: number): void {
    try {
      closeSync(fd)
    } catch (e) {
      throw this.error(`cannot close '${this.inProgressPath}'`, e)
    }
  }

  private error(what: string, e: unknown): ConnectorError {
    return new ConnectorError(`FileSink subtask ${this.subtaskIndex} ${what}: ${ioReason(e)}.`, { cause: e, retriable: isRetriableIoError(e) })
  }
}
