import { closeSync, mkdirSync, openSync, readdirSync, renameSync, writeSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ConfigError, ConnectorError } from '../core/errors.js'
import type { Clock } from '../time/clock.js'
import { ioReason, isRetriableIoError } from '../source/io-errors.js'
import type { Encoder } from './encoder.js'
import type { Sink, SinkWriter, SinkWriterContext } from './sink.js'

/** Bytes a writer buffers before it writes them to its part file. */
const BUFFER_BYTES = 64 * 1024

/**
 * How a {@link FileSink} names and rolls its part files.
 *
 * @category Sinks
 * @since 0.1.0
 */
export interface FileSinkOptions {
  /**
   * The largest part file in bytes (default 128 MiB): a record that would make the part bigger
   * goes into a new part. A single record larger than this gets a part of its own.
   */
  readonly maxPartSize?: number
  /**
   * Ms after which an open part file is finished at the next record or flush, by the writer's
   * clock (default: no time limit).
   */
  readonly rolloverInterval?: number
  /** The start of part file names (default `'part'`). */
  readonly partPrefix?: string
  /** The end of part file names, e.g. `'.jsonl'` (default none). */
  readonly partSuffix?: string
}

/**
 * A sink that writes records as lines into part files in a directory (Flink's `FileSink` in row
 * format).
 *
 * @remarks
 * Subtask `s` writes parts numbered `0, 1, 2, …`: each is first an in-progress file,
 * `.part-<s>-<n>.inprogress` (hidden, so {@link FileLineSource} and most tools skip it), renamed to
 * `part-<s>-<n>` when it is finished. A part is finished when the next record would make it larger
 * than `maxPartSize`, when it is older than `rolloverInterval`, and when the writer is flushed at
 * its end of input. A writer that is closed without reaching its end of input (a failing or
 * cancelled job) leaves its last part in progress. A new writer numbers its parts after the ones
 * already in the directory, so it never overwrites them.
 *
 * Writes are synchronous and buffered: the writer calls `fs.writeSync` when 64 KiB have gathered
 * and on every flush.
 *
 * Delivery is at-least-once: after a restart from a checkpoint the records since the checkpoint
 * are written again into new parts. Exactly-once (parts committed with checkpoints) comes with
 * two-phase-commit sinks.
 *
 * Example, from the tests:
 *
 * {@includeCode ./file-sink.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export class FileSink<T> implements Sink<T> {
  private constructor(
    /** The directory the parts go to (created when missing). */
    readonly directory: string,
    private readonly encoder: Encoder<T>,
    private readonly options: Required<Omit<FileSinkOptions, 'rolloverInterval'>> & { readonly rolloverInterval: number },
  ) {}

  /**
   * A sink that writes each record as the line its encoder makes.
   *
   * @typeParam T - the record type
   * @param directory - where the part files go
   * @param encoder - turns a record into a line, e.g. {@link JsonLinesEncoder} or {@link SimpleStringEncoder}
   * @param options - part size, rollover interval and part names
   * @throws {@link ConfigError} when `maxPartSize` or `rolloverInterval` is not a positive number, or a
   * name part holds a path separator
   */
  static forRowFormat<T>(directory: string, encoder: Encoder<T>, options: FileSinkOptions = {}): FileSink<T> {
    const { maxPartSize = 128 * 1024 * 1024, rolloverInterval = Infinity, partPrefix = 'part', partSuffix = '' } = options
    if (!(maxPartSize > 0)) throw new ConfigError(`FileSink needs a maxPartSize that is a positive number of bytes, got ${maxPartSize}.`)
    if (!(rolloverInterval > 0)) throw new ConfigError(`FileSink needs a rolloverInterval that is a positive number of ms, got ${rolloverInterval}.`)
    for (const name of [partPrefix, partSuffix]) {
      if (/[/\\]/.test(name)) throw new ConfigError(`FileSink part names cannot hold a path separator, got '${name}'.`)
    }
    if (partPrefix === '') throw new ConfigError('FileSink needs a non-empty partPrefix.')
    return new FileSink(resolve(directory), encoder, { maxPartSize, rolloverInterval, partPrefix, partSuffix })
  }

  /** A writer for one subtask's part files. */
  createWriter(context: SinkWriterContext): SinkWriter<T> {
    const { maxPartSize, rolloverInterval, partPrefix, partSuffix } = this.options
    return new RowFileWriter(this.directory, this.encoder, context.subtaskIndex, context.clock, maxPartSize, rolloverInterval, partPrefix, partSuffix)
  }
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Writes one subtask's records into part files.
 *
 * @remarks
 * The structure is the one a two-phase-commit writer needs: one in-progress part at a time, and
 * `finishPart` as the single step that turns it into a finished part. A committer will take over
 * that step (the rename) when checkpoints complete.
 */
class RowFileWriter<T> implements SinkWriter<T> {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES)
  private buffered = 0
  /** The open in-progress part, if any. */
  private fd: number | undefined
  private inProgressPath = ''
  private finishedPath = ''
  /** Bytes in the open part, buffered ones included. */
  private partSize = 0
  private partOpenedAt = 0
  /** The number of the next part; undefined until the directory is scanned. */
  private nextPart: number | undefined

  constructor(
    private readonly directory: string,
    private readonly encoder: Encoder<T>,
    private readonly subtaskIndex: number,
    private readonly clock: Clock,
    private readonly maxPartSize: number,
    private readonly rolloverInterval: number,
    private readonly partPrefix: string,
    private readonly partSuffix: string,
  ) {}

  write(value: T, _timestamp: number): void {
    const line = this.encoder.encode(value)
    const size = Buffer.byteLength(line, 'utf8') + 1
    if (this.fd !== undefined && this.shouldRoll(size)) this.finishPart()
    if (this.fd === undefined) this.openPart()
    this.partSize += size
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
    if (endOfInput || this.clock.now() - this.partOpenedAt >= this.rolloverInterval) this.finishPart()
    else this.writeBuffer()
  }

  close(): void {
    if (this.fd === undefined) return
    this.writeBuffer()
    const fd = this.fd
    this.fd = undefined
    this.closeFd(fd)
  }

  private shouldRoll(size: number): boolean {
    return (this.partSize > 0 && this.partSize + size > this.maxPartSize) || this.clock.now() - this.partOpenedAt >= this.rolloverInterval
  }

  private openPart(): void {
    if (this.nextPart === undefined) this.nextPart = this.scanParts()
    const name = `${this.partPrefix}-${this.subtaskIndex}-${this.nextPart++}${this.partSuffix}`
    this.finishedPath = join(this.directory, name)
    this.inProgressPath = join(this.directory, `.${name}.inprogress`)
    try {
      this.fd = openSync(this.inProgressPath, 'w')
    } catch (e) {
      throw this.error(`cannot create the part file '${this.inProgressPath}'`, e)
    }
    this.partSize = 0
    this.partOpenedAt = this.clock.now()
  }

  /** Writes out and closes the open part and gives it its finished name. */
  private finishPart(): void {
    this.writeBuffer()
    const fd = this.fd
    this.fd = undefined
    if (fd !== undefined) this.closeFd(fd)
    try {
      renameSync(this.inProgressPath, this.finishedPath)
    } catch (e) {
      throw this.error(`cannot rename '${this.inProgressPath}' to '${this.finishedPath}'`, e)
    }
  }

  /** The number after the highest part of this subtask already in the directory (creating it when missing). */
  private scanParts(): number {
    let names: string[]
    try {
      mkdirSync(this.directory, { recursive: true })
      names = readdirSync(this.directory)
    } catch (e) {
      throw this.error(`cannot create or list the directory '${this.directory}'`, e)
    }
    const pattern = new RegExp(
      `^\\.?${escapeRegExp(this.partPrefix)}-${this.subtaskIndex}-(\\d+)${escapeRegExp(this.partSuffix)}(\\.inprogress)?$`,
    )
    let next = 0
    for (const name of names) {
      const m = pattern.exec(name)
      if (m !== null) next = Math.max(next, Number(m[1]) + 1)
    }
    return next
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
