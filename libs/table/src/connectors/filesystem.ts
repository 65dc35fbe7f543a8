/**
 * The `filesystem` connector: tables stored as text files in a format (`csv`, `json`,
 * `debezium-json`), as Flink's filesystem connector.
 *
 * @remarks
 * Options:
 *
 * | Option | Default | Meaning |
 * | --- | --- | --- |
 * | `path` | required | reading: a file, or a directory whose files are read; writing: the directory part files go to |
 * | `format` | required | `'csv'`, `'json'`, `'debezium-json'` (or a registered format), with its own options (`csv.field-delimiter`, ...) |
 * | `sink.rolling-policy.file-size` | `128mb` | a part file is closed before it grows past this size |
 * | `sink.rolling-policy.rollover-interval` | `30 min` | a part file is closed once it is this old ... |
 * | `sink.rolling-policy.inactivity-interval` | `30 min` | ... or has not been written to for this long ... |
 * | `sink.rolling-policy.check-interval` | `1 min` | ... checked at this interval (ticks of the writer's clock) |
 * | `sink.parallelism` | the job's | the sink's parallelism |
 * | `partition.default-name` | `__DEFAULT_PARTITION__` | the directory name of a NULL (or empty) partition value |
 * | `sink.partition-commit.policy.kind` | none | `'success-file'`: a committed partition gets a success file (`'metastore'` and `'custom'` are not supported); none: partitions are not committed |
 * | `sink.partition-commit.trigger` | `process-time` | `'process-time'` or `'partition-time'`: see below |
 * | `sink.partition-commit.delay` | `0 s` | how long after its time a partition is committed |
 * | `sink.partition-commit.watermark-time-zone` | `UTC` | the zone watermarks are read in to compare them with partition times |
 * | `sink.partition-commit.success-file.name` | `_SUCCESS` | the success file's name |
 * | `partition.time-extractor.timestamp-pattern` | the first partition value | the partition time from the values, `$key` standing for one (`'$dt $hm:00'`) |
 * | `partition.time-extractor.timestamp-formatter` | `yyyy-MM-dd HH:mm:ss` | how that text is read (`y M d H m s S` and literals; a date alone is midnight) |
 * | `partition.time-extractor.kind` | `default` | only `default` |
 * | `lookup.join.cache.ttl` | `60 min` | lookup joins: how long the table read into memory is used before it is read again |
 *
 * Paths are local: `/dir`, `file:///dir` or `file:/dir`; Flink's legacy keys (`connector.type`,
 * `connector.path`, `format.type`) are translated when the table is created (see
 * `translateLegacyOptions`).
 *
 * **Reading** is a bounded scan: each file is a split (the runtime's `FileLineSource`: readers
 * ask for the next file when they finish one, and a checkpoint holds each file's byte offset);
 * a directory stands for the files directly in it, sorted by name, without hidden files (names
 * starting with `.` or `_`, e.g. part files still being written). Records are lines (a CSV record
 * may continue on the next lines inside a quoted field). The changelog mode is the format's:
 * insert-only, or all kinds for `debezium-json`. A malformed record fails the job with a
 * `ConnectorError` naming the table, the file, the line number and the column; with the format's
 * `ignore-parse-errors` option it is skipped and counted in
 * {@link FileSystemTableSource.malformedRecords} instead (never silently). Line numbers survive
 * restores: the split state carries them. Metadata columns (read-only, as in Flink): `file.path`
 * (`STRING`), `file.name` (`STRING`), `file.size` (`BIGINT`, bytes) and `file.modification-time`
 * (`TIMESTAMP_LTZ(3)`).
 *
 * **Writing** uses the runtime's exactly-once `FileSink`: each subtask writes hidden part files
 * into `path`, which become visible (renamed to `part-<subtask>-<writer id>-<n>`) when the
 * checkpoint after they were closed completes, or at the end of a bounded job. Parts roll by the
 * rolling options (by size when a record would overflow, by age and inactivity at the check
 * ticks); as in Flink for row formats, a checkpoint does not close a part smaller than
 * `file-size`: it is committed once it rolls. The sink accepts the changelog its format can write:
 * only inserts for `csv` and `json` (the planner reports a query that updates into such a table),
 * all kinds for `debezium-json`. Only the physical columns are written.
 *
 * **Partitioned tables** (`PARTITIONED BY (k1, k2)`, physical columns): a row is written under
 * `path/k1=v1/k2=v2/`, the values as `CAST(v AS STRING)` (NULL and empty text as
 * `partition.default-name`) with Flink's path escaping (`:` is `%3A`, so `hm=08:00` is the
 * directory `hm=08%3A00`), and the files hold the other columns only. Reading walks the
 * `k=v` directories under `path` (listed when the job starts) and fills the partition columns in
 * from them, read as their types. Each subtask keeps one `FileSink` writer per partition it writes;
 * files are committed exactly once with checkpoints as above. With a commit policy, partitions are
 * committed too (see {@link PartitionedFileSink}): `partition-time` commits a partition once the
 * watermark (the least over the sink's subtasks) is past the partition time plus the delay, and
 * `process-time` once the writer's clock is past the time the partition got its open part file
 * plus the delay; at the end of the input every partition is committed. At each checkpoint a
 * writer closes the open part file of every partition due by its own watermark or clock, so the
 * partition's files are committed with that checkpoint and before its success file is written.
 *
 * **Lookups** (`JOIN t FOR SYSTEM_TIME AS OF o.proctime`) read the whole table into memory,
 * indexed by the lookup key, and read it again once `lookup.join.cache.ttl` has passed (see
 * {@link FileSystemLookupSource}).
 *
 * Not supported (yet): continuous monitoring of a directory (`source.monitor-interval`), bulk
 * formats, compaction, the `metastore` and custom commit policies.
 *
 * @packageDocumentation
 */
import { statSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import {
  ConnectorError,
  FileLineSource,
  FileSink,
  InternalError,
  SimpleCounter,
  type Counter,
  type Encoder,
  type FileSplit,
  type InputStatus,
  type PartFileInfo,
  type ReaderOutput,
  type RollingPolicy,
  type Sink,
  type Source,
  type SourceOutput,
  type SourceReader,
  type SourceReaderContext,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from '@strom/runtime'
import { ChangelogModes, ROW_KIND_SHORT, isInsertOnly, type ChangelogMode, type Row } from '../data/row.js'
import { FormatError, formatOptionPrefix, type FormatRegistry, type RowCollector, type RowDecoder, type RowEncoder, type RowFormatFactory } from '../formats/format.js'
import { builtinFormats } from '../formats/index.js'
import { DataTypes, formatType, type DataType } from '../types/data-type.js'
import { FileSystemLookupSource } from './filesystem-lookup.js'
import { PartitionedFileSink, type PartitionCommitOptions, type PartitionedWriteSpec } from './filesystem-partitioned-sink.js'
import {
  DEFAULT_PARTITION_NAME,
  DEFAULT_TIMESTAMP_FORMATTER,
  listPartitionFiles,
  partitionValueParser,
  PartitionRowLayout,
  PartitionTimeExtractor,
  zoneOffset,
  type PartitionFile,
} from './filesystem-partitions.js'
import { OptionReader, validateOptions } from './options.js'
import type { ConnectorColumn, ConnectorContext, LookupTableSource, OptionProblem, ScanTableSource, TableConnectorFactory, TableSink } from './table-connector.js'

const IDENTIFIER = 'filesystem'

const FILESYSTEM_OPTIONS = [
  'path',
  'format',
  'sink.rolling-policy.file-size',
  'sink.rolling-policy.rollover-interval',
  'sink.rolling-policy.inactivity-interval',
  'sink.rolling-policy.check-interval',
  'sink.parallelism',
  'partition.default-name',
  'sink.partition-commit.trigger',
  'sink.partition-commit.delay',
  'sink.partition-commit.watermark-time-zone',
  'sink.partition-commit.policy.kind',
  'sink.partition-commit.success-file.name',
  'partition.time-extractor.kind',
  'partition.time-extractor.timestamp-pattern',
  'partition.time-extractor.timestamp-formatter',
  'lookup.join.cache.ttl',
] as const

/** The options that only mean something for a partitioned table. */
const PARTITION_OPTIONS: readonly string[] = FILESYSTEM_OPTIONS.filter((o) => o.startsWith('sink.partition-commit.') || o.startsWith('partition.'))

const MB = 1024 * 1024
const MINUTE = 60_000

// --- rolling --------------------------------------------------------------------------------

/**
 * The rolling policy of the filesystem sink (Flink's `TableRollingPolicy` for row formats).
 *
 * @remarks
 * A part rolls before a record that would make it bigger than `fileSize` (a record bigger on its
 * own gets a part of its own), at a checkpoint once it has reached `fileSize`, and at a check
 * tick (the multiples of `checkInterval` on the writer's clock, seen at the writer's periodic
 * flushes) once it is `rolloverInterval` old or `inactivityInterval` idle. Stateless, as policies
 * must be: the tick is computed from the time.
 *
 * @category Connectors
 * @since 0.1.0
 */
export class TableRollingPolicy implements RollingPolicy {
  constructor(
    /** The largest part in bytes. */
    readonly fileSize: number,
    /** The longest time in ms a part stays open. */
    readonly rolloverInterval: number,
    /** The longest time in ms a part stays open without a write. */
    readonly inactivityInterval: number,
    /** How often (ms) the time limits are checked. */
    readonly checkInterval: number,
  ) {}

  /** At a checkpoint: whether the part is full. */
  shouldRollOnCheckpoint(part: PartFileInfo): boolean {
    return part.size >= this.fileSize
  }

  /** Before a record: whether it would make a non-empty part bigger than the file size. */
  shouldRollOnEvent(part: PartFileInfo, elementSize: number): boolean {
    return part.size > 0 && part.size + elementSize > this.fileSize
  }

  /** At a flush: whether, at the last check tick, the part was too old or idle too long. */
  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean {
    const tick = this.checkInterval > 0 ? Math.floor(now / this.checkInterval) * this.checkInterval : now
    return tick - part.creationTime >= this.rolloverInterval || tick - part.lastUpdateTime >= this.inactivityInterval
  }
}

// --- reading --------------------------------------------------------------------------------

/**
 * A file being read by a filesystem table source: the runtime's `FileSplit` (path and byte
 * offset) and where in the file's lines that offset is.
 *
 * @category Connectors
 * @since 0.1.0
 */
export interface TableFileSplit extends FileSplit {
  /** The lines before `offset` (the next line is line `line + 1`); 0 when absent. */
  readonly line?: number
  /** The part of a record (CSV with a quoted line break) read before `offset`, if it was cut by the checkpoint. */
  readonly partial?: string
  /** The line the partial record starts on. */
  readonly partialLine?: number
}

/** Metadata keys the filesystem source can read, and the type families they fit. */
const METADATA: ReadonlyMap<string, readonly DataType['kind'][]> = new Map([
  ['file.path', ['VARCHAR', 'CHAR']],
  ['file.name', ['VARCHAR', 'CHAR']],
  ['file.size', ['BIGINT', 'DECIMAL', 'DOUBLE']],
  ['file.modification-time', ['TIMESTAMP_LTZ', 'TIMESTAMP']],
])

/** What the reader of a file needs to know, the same for every reader. */
interface ReadPlan {
  readonly tableName: string
  readonly formatId: string
  readonly makeDecoder: () => RowDecoder
  /** The metadata keys of the metadata columns, in order. */
  readonly metadataKeys: readonly string[]
  readonly physicalCount: number
  readonly malformed: Counter
  /** For a partitioned table: how partition values go into rows, and each file's values. */
  readonly partitions?: { readonly layout: PartitionRowLayout; readonly valuesOf: ReadonlyMap<string, readonly unknown[]> }
}

const snippet = (text: string): string => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}...` : text)

/** Puts the metadata values of a file into the rows decoded from it, and passes them on. */
class SplitRows implements RowCollector {
  private readonly values: unknown[]
  private readonly partitionValues: readonly unknown[] | undefined

  constructor(
    private readonly out: SourceOutput<Row>,
    path: string,
    private readonly plan: ReadPlan,
  ) {
    const keys = plan.metadataKeys
    this.values = []
    this.partitionValues = plan.partitions === undefined ? undefined : (plan.partitions.valuesOf.get(path) ?? [])
    if (keys.length === 0) return
    let stat: { size: number; mtimeMs: number } | undefined
    const statOnce = (): { size: number; mtimeMs: number } => {
      if (stat === undefined) {
        try {
          stat = statSync(path)
        } catch (e) {
          throw new ConnectorError(`Table '${plan.tableName}' cannot read the metadata of '${path}': ${e instanceof Error ? e.message : String(e)}.`, { cause: e })
        }
      }
      return stat
    }
    for (const key of keys) {
      switch (key) {
        case 'file.path':
          this.values.push(path)
          break
        case 'file.name':
          this.values.push(basename(path))
          break
        case 'file.size':
          this.values.push(statOnce().size)
          break
        default:
          this.values.push(Math.floor(statOnce().mtimeMs))
      }
    }
  }

  collect(row: Row): void {
    const pv = this.partitionValues
    if (pv !== undefined) this.plan.partitions!.layout.fill(row.fields, pv)
    const values = this.values
    if (values.length > 0) {
      const fields = row.fields
      const base = this.plan.physicalCount
      for (let i = 0; i < values.length; i++) fields[base + i] = values[i]
    }
    this.out.collect(row)
  }
}

/** Decodes the lines of one file: counts them, joins continued records, reports malformed ones. */
class SplitDecoder implements SourceOutput<string> {
  private readonly rows: SplitRows
  /** Lines consumed so far. */
  line: number
  /** A record begun on earlier lines and not finished yet. */
  partial: string | undefined
  partialLine = 0

  constructor(
    out: SourceOutput<Row>,
    private readonly path: string,
    private readonly decoder: RowDecoder,
    private readonly plan: ReadPlan,
    restored: TableFileSplit | undefined,
  ) {
    this.rows = new SplitRows(out, path, plan)
    this.line = restored?.line ?? 0
    this.partial = restored?.partial
    this.partialLine = restored?.partialLine ?? 0
    this.markIdle = () => out.markIdle()
  }

  readonly markIdle: () => void

  collect(text: string): void {
    const line = ++this.line
    let record = text
    let recordLine = line
    if (this.partial !== undefined) {
      record = `${this.partial}\n${text}`
      recordLine = this.partialLine
    }
    try {
      if (this.decoder.decode(record, this.rows)) {
        this.partial = undefined
      } else {
        this.partial = record
        this.partialLine = recordLine
      }
    } catch (e) {
      this.partial = undefined
      this.malformed(e, recordLine, record)
    }
  }

  /** The end of the file: a record still open is malformed. */
  finish(): void {
    const partial = this.partial
    if (partial === undefined) return
    this.partial = undefined
    this.malformed(new FormatError('The file ends inside a quoted field.'), this.partialLine, partial)
  }

  private malformed(e: unknown, line: number, record: string): void {
    if (!(e instanceof FormatError)) throw e
    if (this.decoder.ignoreParseErrors) {
      this.plan.malformed.inc()
      return
    }
    throw new ConnectorError(
      `Table '${this.plan.tableName}' cannot read line ${line} of '${this.path}' as '${this.plan.formatId}': ${e.message} The record: ${snippet(record)}.`,
      { cause: e },
    )
  }
}

/** The reader output handed to the line reader: makes a {@link SplitDecoder} per file. */
class LineOutput implements ReaderOutput<string> {
  target: ReaderOutput<Row> | undefined

  constructor(private readonly reader: DecodingFileReader) {}

  createOutputForSplit(splitId: string): SourceOutput<string> {
    return this.reader.openSplit(splitId, this.target!.createOutputForSplit(splitId))
  }

  releaseOutputForSplit(splitId: string): void {
    this.reader.closeSplit(splitId)
    this.target!.releaseOutputForSplit(splitId)
  }

  collect(): void {
    throw new InternalError('The filesystem table source emits lines through split outputs only.')
  }

  markIdle(): void {
    this.target?.markIdle()
  }
}

class DecodingFileReader implements SourceReader<Row, TableFileSplit> {
  private readonly output = new LineOutput(this)
  private readonly decoder: RowDecoder
  /** Splits added with a position inside the file, by id, until they are opened. */
  private readonly restored = new Map<string, TableFileSplit>()
  private readonly open = new Map<string, SplitDecoder>()

  constructor(
    private readonly lines: SourceReader<string, FileSplit>,
    private readonly plan: ReadPlan,
  ) {
    this.decoder = plan.makeDecoder()
  }

  start(): void {
    this.lines.start()
  }

  pollNext(output: ReaderOutput<Row>): InputStatus {
    this.output.target = output
    return this.lines.pollNext(this.output)
  }

  isAvailable(): Promise<void> {
    return this.lines.isAvailable()
  }

  addSplits(splits: readonly TableFileSplit[]): void {
    for (const s of splits) if (s.line !== undefined || s.partial !== undefined) this.restored.set(s.splitId, s)
    this.lines.addSplits(splits)
  }

  notifyNoMoreSplits(): void {
    this.lines.notifyNoMoreSplits()
  }

  snapshotState(checkpointId: number): TableFileSplit[] {
    return this.lines.snapshotState(checkpointId).map((s): TableFileSplit => {
      const d = this.open.get(s.splitId)
      if (d !== undefined) {
        return d.partial === undefined ? { ...s, line: d.line } : { ...s, line: d.line, partial: d.partial, partialLine: d.partialLine }
      }
      return this.restored.get(s.splitId) === undefined ? s : { ...this.restored.get(s.splitId)!, ...s }
    })
  }

  close(): void | Promise<void> {
    return this.lines.close()
  }

  openSplit(splitId: string, out: SourceOutput<Row>): SplitDecoder {
    const restored = this.restored.get(splitId)
    this.restored.delete(splitId)
    const d = new SplitDecoder(out, splitId, this.decoder, this.plan, restored)
    this.open.set(splitId, d)
    return d
  }

  closeSplit(splitId: string): void {
    const d = this.open.get(splitId)
    this.open.delete(splitId)
    d?.finish()
  }
}

/** The runtime source of a filesystem table: the lines of its files, decoded. */
class DecodingFileSource implements Source<Row, TableFileSplit, FileSplit[]> {
  readonly boundedness = 'bounded' as const
  private readonly lines: FileLineSource

  constructor(
    paths: readonly string[],
    private readonly plan: ReadPlan,
  ) {
    this.lines = FileLineSource.forPaths(...paths)
  }

  createEnumerator(context: SplitEnumeratorContext<TableFileSplit>): SplitEnumerator<TableFileSplit, FileSplit[]> {
    return this.lines.createEnumerator(context) as SplitEnumerator<TableFileSplit, FileSplit[]>
  }

  restoreEnumerator(context: SplitEnumeratorContext<TableFileSplit>, state: FileSplit[]): SplitEnumerator<TableFileSplit, FileSplit[]> {
    return this.lines.restoreEnumerator(context, state) as SplitEnumerator<TableFileSplit, FileSplit[]>
  }

  createReader(context: SourceReaderContext): SourceReader<Row, TableFileSplit> {
    return new DecodingFileReader(this.lines.createReader(context), this.plan)
  }
}

/**
 * The scan source of a filesystem table.
 *
 * @category Connectors
 * @since 0.1.0
 */
export class FileSystemTableSource implements ScanTableSource {
  /** Always bounded: the files listed when the job starts. */
  readonly bounded = true
  /**
   * Malformed records skipped because of the format's `ignore-parse-errors` option.
   *
   * @remarks
   * Counts the records skipped by the readers of this source object: all of them when the job
   * runs in one thread; with worker threads each worker rebuilds the source and counts its own.
   */
  readonly malformedRecords: Counter = new SimpleCounter()

  /** @internal built by the filesystem connector */
  constructor(
    /** The file or directory read. */
    readonly path: string,
    /** The format's changelog mode. */
    readonly changelogMode: ChangelogMode,
    private readonly plan: Omit<ReadPlan, 'malformed' | 'partitions'>,
    /** The partition keys (empty: not partitioned). */
    readonly partitionKeys: readonly string[] = [],
    private readonly physicalNames: readonly string[] = [],
    private readonly partitionParsers: readonly ((text: string) => unknown)[] = [],
  ) {}

  /**
   * A new runtime source over the files. The files of a partitioned table are listed now (the
   * `k=v` directories under the path).
   */
  createSource(): Source<Row, TableFileSplit, FileSplit[]> {
    const keys = this.partitionKeys
    if (keys.length === 0) return new DecodingFileSource([this.path], { ...this.plan, malformed: this.malformedRecords })
    const files = listPartitionFiles(this.plan.tableName, this.path, keys)
    const valuesOf = new Map<string, readonly unknown[]>()
    for (const f of files) valuesOf.set(f.path, parsePartitionValues(this.plan.tableName, keys, this.partitionParsers, f))
    const partitions = { layout: new PartitionRowLayout(this.physicalNames, keys), valuesOf }
    // no partition yet: the (empty of files) base directory, so a missing one is still reported
    return new DecodingFileSource(files.length === 0 ? [this.path] : files.map((f) => f.path), { ...this.plan, malformed: this.malformedRecords, partitions })
  }
}

// --- writing --------------------------------------------------------------------------------

/** Writes rows as lines of the format; a row the format cannot write fails with a {@link ConnectorError}. */
class RowLineEncoder implements Encoder<Row> {
  constructor(
    private readonly encoder: RowEncoder,
    private readonly accepted: ChangelogMode,
    private readonly tableName: string,
    private readonly formatId: string,
  ) {}

  encode(row: Row): string {
    if (!this.accepted.kinds.has(row.kind))
      throw new ConnectorError(`Table '${this.tableName}' (format '${this.formatId}') accepts only INSERT rows, got a ${ROW_KIND_SHORT[row.kind]} row.`)
    try {
      return this.encoder.encode(row)
    } catch (e) {
      if (!(e instanceof FormatError)) throw e
      throw new ConnectorError(`Table '${this.tableName}' cannot write a row as '${this.formatId}': ${e.message}`, { cause: e })
    }
  }
}

/**
 * The sink of a filesystem table: an exactly-once `FileSink` of the format's lines.
 *
 * @category Connectors
 * @since 0.1.0
 */
export class FileSystemTableSink implements TableSink {
  /** @internal built by the filesystem connector */
  constructor(
    /** The directory written into. */
    readonly path: string,
    /** The row kinds the format can write. */
    readonly formatMode: ChangelogMode,
    /** When part files roll. */
    readonly rollingPolicy: TableRollingPolicy,
    private readonly makeEncoder: () => RowLineEncoder,
    /** The sink's parallelism (`sink.parallelism`), if set. */
    readonly parallelism?: number,
    /** For a partitioned table: the layout of its partitions and when they are committed. */
    readonly partitioned?: PartitionedWriteSpec,
  ) {}

  /** Inserts only for `csv` and `json`; whatever is requested for a changelog format (`debezium-json`). */
  acceptedChangelogMode(requested: ChangelogMode): ChangelogMode {
    return isInsertOnly(this.formatMode) ? ChangelogModes.INSERT_ONLY : requested
  }

  /**
   * A two-phase-commit `FileSink` writing part files into the directory, or for a partitioned
   * table a {@link PartitionedFileSink} writing into the partitions' directories.
   */
  createSink(): Sink<Row> {
    if (this.partitioned !== undefined) return new PartitionedFileSink(this.partitioned, this.makeEncoder)
    return FileSink.forRowFormat(this.path, this.makeEncoder(), { rollingPolicy: this.rollingPolicy })
  }
}

// --- the factory ----------------------------------------------------------------------------

/** How a filesystem table is partitioned, checked. */
interface PartitionPlan {
  readonly keys: readonly string[]
  readonly indices: readonly number[]
  readonly types: readonly DataType[]
  /** The physical columns written into (and read from) the files. */
  readonly dataIndices: readonly number[]
  readonly defaultName: string
}

interface CommonPlan {
  readonly path: string
  readonly format: RowFormatFactory
  readonly policy: TableRollingPolicy
  readonly sinkParallelism: number | undefined
  readonly partitions: PartitionPlan | undefined
}

/**
 * The local path of a `path` option: `file:///tmp/t` and `file:/tmp/t` are `/tmp/t` (Flink's
 * paths are URIs); another scheme is a problem.
 */
const localPath = (r: OptionReader, path: string): string | undefined => {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):(.*)$/.exec(path)
  if (m === null || /^[a-zA-Z]$/.test(m[1]!)) return path // no scheme (or a Windows drive letter)
  if (m[1]!.toLowerCase() !== 'file') {
    r.problem('path', `The path '${path}' uses the scheme '${m[1]}:'; the filesystem connector reads and writes local files only (a plain path or 'file://').`)
    return undefined
  }
  let rest = m[2]!
  if (rest.startsWith('//')) {
    rest = rest.slice(2)
    // file://host/path: only the local host
    const slash = rest.indexOf('/')
    const host = slash < 0 ? rest : rest.slice(0, slash)
    if (host !== '' && host !== 'localhost') {
      r.problem('path', `The path '${path}' names the host '${host}'; the filesystem connector reads and writes local files only (write 'file:///path').`)
      return undefined
    }
    rest = slash < 0 ? '/' : rest.slice(slash)
  }
  try {
    return decodeURIComponent(rest)
  } catch {
    return rest
  }
}

/** Reads and checks the options both sides share; problems go to `r`. */
const readCommon = (r: OptionReader, ctx: ConnectorContext, formats: FormatRegistry): CommonPlan | undefined => {
  const rawPath = r.required('path')
  if (rawPath !== undefined && rawPath.trim() === '') r.problem('path', "Option 'path' of connector 'filesystem' must not be empty.")
  const path = rawPath === undefined || rawPath.trim() === '' ? undefined : localPath(r, rawPath)
  const formatId = r.required('format')
  const format = formatId === undefined ? undefined : formats.find(formatId)
  if (formatId !== undefined && format === undefined)
    r.problem('format', `Could not find any format factory for identifier '${formatId}'. Available format identifiers are: ${formats.identifiers().join(', ')}.`)
  const formatOptions = format?.optionalOptions ?? []
  const prefix = formatId === undefined ? undefined : formatOptionPrefix(formatId)
  const options = format === undefined && prefix !== undefined ? new Map([...ctx.options].filter(([k]) => !k.startsWith(prefix))) : ctx.options
  for (const p of validateOptions(IDENTIFIER, options, [], [...FILESYSTEM_OPTIONS, ...formatOptions])) r.problem(p.option, p.message)
  const fileSize = r.memorySize('sink.rolling-policy.file-size', 128 * MB) ?? 128 * MB
  const rollover = r.duration('sink.rolling-policy.rollover-interval', 30 * MINUTE) ?? 30 * MINUTE
  const inactivity = r.duration('sink.rolling-policy.inactivity-interval', 30 * MINUTE) ?? 30 * MINUTE
  const check = r.duration('sink.rolling-policy.check-interval', MINUTE) ?? MINUTE
  for (const [key, v] of [
    ['sink.rolling-policy.file-size', fileSize],
    ['sink.rolling-policy.rollover-interval', rollover],
    ['sink.rolling-policy.inactivity-interval', inactivity],
    ['sink.rolling-policy.check-interval', check],
  ] as const) {
    if (r.has(key) && !(v > 0)) r.problem(key, `The value '${r.string(key)}' of option '${key}' must be positive.`)
  }
  const sinkParallelism = r.int('sink.parallelism', undefined, 1)
  const partitions = readPartitions(r, ctx)
  if (path === undefined || format === undefined) return undefined
  return { path: resolve(path), format, policy: new TableRollingPolicy(fileSize, rollover, inactivity, check), sinkParallelism, partitions }
}

/** The partition columns (`PARTITIONED BY`): physical columns, not all of them; partition options need them. */
const readPartitions = (r: OptionReader, ctx: ConnectorContext): PartitionPlan | undefined => {
  const keys = ctx.partitionKeys ?? []
  if (keys.length === 0) {
    for (const key of PARTITION_OPTIONS)
      if (r.has(key)) r.problem(key, `Option '${key}' is for partitioned tables, but table '${ctx.tableName}' has no PARTITIONED BY clause.`)
    return undefined
  }
  const names = ctx.columns.map((c) => c.name)
  const seen = new Set<string>()
  for (const k of keys) {
    if (!names.includes(k)) r.problem(undefined, `The partition column '${k}' of table '${ctx.tableName}' is not a physical column (the physical columns are ${names.join(', ')}).`)
    if (seen.has(k)) r.problem(undefined, `The partition column '${k}' of table '${ctx.tableName}' is listed twice in PARTITIONED BY.`)
    seen.add(k)
  }
  if (keys.length >= names.length) r.problem(undefined, `Table '${ctx.tableName}' is partitioned by all its columns; the files need at least one column that is not a partition column.`)
  const defaultName = r.string('partition.default-name', DEFAULT_PARTITION_NAME)
  if (defaultName === '') r.problem('partition.default-name', "Option 'partition.default-name' must not be empty.")
  const indices = keys.map((k) => names.indexOf(k))
  return {
    keys,
    indices,
    types: indices.map((i) => ctx.columns[i]?.type ?? DataTypes.STRING()),
    dataIndices: names.map((_, i) => i).filter((i) => !indices.includes(i)),
    defaultName,
  }
}

/** The partition commit options of a sink (none without `sink.partition-commit.policy.kind`). */
const readCommit = (r: OptionReader, partitions: PartitionPlan | undefined): PartitionCommitOptions | undefined => {
  const trigger = r.oneOf('sink.partition-commit.trigger', ['process-time', 'partition-time'] as const, 'process-time') ?? 'process-time'
  const delayMs = r.duration('sink.partition-commit.delay', 0) ?? 0
  const zoneText = r.string('sink.partition-commit.watermark-time-zone', 'UTC')
  const watermarkOffset = zoneOffset(zoneText)
  if (watermarkOffset === undefined) r.problem('sink.partition-commit.watermark-time-zone', `The time zone '${zoneText}' of option 'sink.partition-commit.watermark-time-zone' is not known (use 'UTC', an IANA zone such as 'Asia/Shanghai', or an offset such as '+08:00').`)
  const successFileName = r.string('sink.partition-commit.success-file.name', '_SUCCESS')
  if (successFileName === '' || /[/\\]/.test(successFileName)) r.problem('sink.partition-commit.success-file.name', `The success file name '${successFileName}' must be a file name (not empty, no path separator).`)
  const extractorKind = r.oneOf('partition.time-extractor.kind', ['default', 'custom'] as const, 'default')
  if (extractorKind === 'custom') r.problem('partition.time-extractor.kind', "A 'custom' partition time extractor (a Java class) is not supported: use the 'default' extractor with 'partition.time-extractor.timestamp-pattern'.")
  const pattern = r.string('partition.time-extractor.timestamp-pattern')
  const formatter = r.string('partition.time-extractor.timestamp-formatter', DEFAULT_TIMESTAMP_FORMATTER)
  let timeExtractor: PartitionTimeExtractor | undefined
  try {
    timeExtractor = new PartitionTimeExtractor(partitions?.keys ?? [], pattern, formatter)
  } catch (e) {
    r.problem('partition.time-extractor.timestamp-formatter', `The timestamp formatter '${formatter}' cannot be used: ${(e as Error).message}.`)
  }
  if (pattern !== undefined && partitions !== undefined && !partitions.keys.some((k) => pattern.includes(`$${k}`)))
    r.problem('partition.time-extractor.timestamp-pattern', `The timestamp pattern '${pattern}' names no partition column ($${partitions.keys.join(', $')}).`)
  const kinds = r.string('sink.partition-commit.policy.kind')
  if (kinds === undefined) {
    for (const key of ['sink.partition-commit.trigger', 'sink.partition-commit.delay'])
      if (r.has(key)) r.problem(key, `Option '${key}' needs 'sink.partition-commit.policy.kind' (e.g. 'success-file'): without a commit policy, partitions are never committed.`)
    return undefined
  }
  for (const kind of kinds.split(',').map((k) => k.trim().toLowerCase())) {
    if (kind === 'success-file') continue
    if (kind === 'metastore') r.problem('sink.partition-commit.policy.kind', "The partition commit policy 'metastore' adds partitions to a Hive metastore, which Strom does not have: use 'success-file'.")
    else if (kind === 'custom') r.problem('sink.partition-commit.policy.kind', "A 'custom' partition commit policy (a Java class in 'sink.partition-commit.policy.class') is not supported: use 'success-file'.")
    else r.problem('sink.partition-commit.policy.kind', `Unknown partition commit policy '${kind}' in option 'sink.partition-commit.policy.kind': the supported one is 'success-file'.`)
  }
  if (timeExtractor === undefined || watermarkOffset === undefined) return undefined
  return { trigger, delayMs, successFileName, timeExtractor, watermarkOffset }
}

/** The partition values of a file, read as the columns' types. */
const parsePartitionValues = (tableName: string, keys: readonly string[], parsers: readonly ((text: string) => unknown)[], f: PartitionFile): unknown[] =>
  f.values.map((text, i) => {
    try {
      return parsers[i]!(text)
    } catch (e) {
      throw new ConnectorError(`Table '${tableName}' cannot read the value of partition column '${keys[i]}' in '${f.path}': ${(e as Error).message}.`, { cause: e })
    }
  })

const collectProblems = <T>(r: OptionReader, e: E.Either<readonly OptionProblem[], T>): T | undefined => {
  if (E.isRight(e)) return e.right
  for (const p of e.left) r.problem(p.option, p.message)
  return undefined
}

const checkMetadata = (r: OptionReader, ctx: ConnectorContext): void => {
  for (const c of ctx.metadataColumns) {
    const key = c.metadataKey ?? c.name
    const kinds = METADATA.get(key)
    if (kinds === undefined) {
      r.problem(
        undefined,
        `Invalid metadata key '${key}' in column '${c.name}' of table '${ctx.tableName}': the connector 'filesystem' supports the metadata keys ${[...METADATA.keys()].join(', ')}.`,
      )
    } else if (!kinds.includes(c.type.kind)) {
      r.problem(undefined, `The metadata column '${c.name}' of table '${ctx.tableName}' has type ${formatType(c.type)}, which cannot hold the metadata '${key}'.`)
    }
  }
}

/** What the files hold: the physical columns but the partition columns. */
const dataColumns = (ctx: ConnectorContext, partitions: PartitionPlan | undefined): readonly ConnectorColumn[] =>
  partitions === undefined ? ctx.columns : partitions.dataIndices.map((i) => ctx.columns[i]!)

/** A decoder factory, checked once already. */
const decoderMaker = (format: RowFormatFactory, formatCtx: Parameters<RowFormatFactory['createDecoder']>[0], tableName: string) => (): RowDecoder => {
  const d = format.createDecoder(formatCtx)
  if (E.isLeft(d)) throw new InternalError(`The '${format.identifier}' decoder of table '${tableName}' failed after it was checked.`)
  return d.right
}

/**
 * A `filesystem` connector factory reading formats from `formats` (default: the built-in `csv`,
 * `json`, `debezium-json`); see the module documentation for its options.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const createFileSystemConnector = (formats: FormatRegistry = builtinFormats()): TableConnectorFactory => ({
  identifier: IDENTIFIER,
  requiredOptions: ['path', 'format'],
  optionalOptions: FILESYSTEM_OPTIONS.filter((o) => o !== 'path' && o !== 'format'),

  createScanSource(ctx: ConnectorContext): E.Either<readonly OptionProblem[], ScanTableSource> {
    const r = new OptionReader(IDENTIFIER, ctx.options)
    const common = readCommon(r, ctx, formats)
    checkMetadata(r, ctx)
    const partitions = common?.partitions
    const formatCtx = { columns: dataColumns(ctx, partitions), options: ctx.options, extraFields: ctx.metadataColumns.length + (partitions?.keys.length ?? 0) }
    if (common !== undefined) collectProblems(r, common.format.createDecoder(formatCtx))
    return r.result(() => {
      const { path, format } = common!
      return new FileSystemTableSource(
        path,
        format.decodedMode,
        {
          tableName: ctx.tableName,
          formatId: format.identifier,
          makeDecoder: decoderMaker(format, formatCtx, ctx.tableName),
          metadataKeys: ctx.metadataColumns.map((c) => c.metadataKey ?? c.name),
          physicalCount: ctx.columns.length,
        },
        partitions?.keys ?? [],
        ctx.columns.map((c) => c.name),
        partitions?.types.map((t) => partitionValueParser(t, partitions.defaultName)) ?? [],
      )
    })
  },

  createLookupSource(ctx: ConnectorContext): E.Either<readonly OptionProblem[], LookupTableSource> {
    const r = new OptionReader(IDENTIFIER, ctx.options)
    const common = readCommon(r, ctx, formats)
    const ttl = r.duration('lookup.join.cache.ttl', 60 * MINUTE) ?? 60 * MINUTE
    if (r.has('lookup.join.cache.ttl') && !(ttl > 0)) r.problem('lookup.join.cache.ttl', `The value '${r.string('lookup.join.cache.ttl')}' of option 'lookup.join.cache.ttl' must be positive.`)
    const partitions = common?.partitions
    const formatCtx = { columns: dataColumns(ctx, partitions), options: ctx.options, extraFields: partitions?.keys.length ?? 0 }
    if (common !== undefined) collectProblems(r, common.format.createDecoder(formatCtx))
    if (common !== undefined && !isInsertOnly(common.format.decodedMode))
      r.problem('format', `A lookup join reads table '${ctx.tableName}' as a plain table, so its format must be insert-only; '${common.format.identifier}' is a changelog format.`)
    return r.result(() => {
      const { path, format } = common!
      return new FileSystemLookupSource(path, ttl, {
        tableName: ctx.tableName,
        formatId: format.identifier,
        makeDecoder: decoderMaker(format, formatCtx, ctx.tableName),
        physicalNames: ctx.columns.map((c) => c.name),
        partitionKeys: partitions?.keys ?? [],
        partitionParsers: partitions?.types.map((t) => partitionValueParser(t, partitions.defaultName)) ?? [],
      })
    })
  },

  createSink(ctx: ConnectorContext): E.Either<readonly OptionProblem[], TableSink> {
    const r = new OptionReader(IDENTIFIER, ctx.options)
    const common = readCommon(r, ctx, formats)
    const partitions = common?.partitions
    const commit = ctx.partitionKeys !== undefined && ctx.partitionKeys.length > 0 ? readCommit(r, partitions) : undefined
    const columns = dataColumns(ctx, partitions)
    const encoder = common === undefined ? undefined : collectProblems(r, common.format.createEncoder({ columns, options: ctx.options }))
    if (common !== undefined) {
      try {
        const stat = statSync(common.path, { throwIfNoEntry: false })
        if (stat !== undefined && !stat.isDirectory())
          r.problem('path', `The path '${common.path}' of the filesystem sink of table '${ctx.tableName}' is a file; a sink writes part files into a directory.`)
      } catch {
        // unreadable: the sink reports it when it writes
      }
    }
    if (partitions !== undefined && common !== undefined && !isInsertOnly(common.format.encodedMode))
      r.problem('format', `A partitioned filesystem table is written insert-only; the format '${common.format.identifier}' writes changelogs.`)
    return r.result(() => {
      const { path, format, policy, sinkParallelism } = common!
      const enc = encoder!
      const makeEncoder = (): RowLineEncoder => new RowLineEncoder(enc, format.encodedMode, ctx.tableName, format.identifier)
      if (partitions === undefined) return new FileSystemTableSink(path, format.encodedMode, policy, makeEncoder, sinkParallelism)
      const spec: PartitionedWriteSpec = {
        tableName: ctx.tableName,
        path,
        partitionKeys: partitions.keys,
        partitionIndices: partitions.indices,
        partitionTypes: partitions.types,
        dataIndices: partitions.dataIndices,
        defaultPartitionName: partitions.defaultName,
        rollingPolicy: policy,
        ...(commit === undefined ? {} : { commit }),
      }
      return new FileSystemTableSink(path, format.encodedMode, policy, makeEncoder, sinkParallelism, spec)
    })
  },
})

/**
 * The `filesystem` connector factory with the built-in formats.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const fileSystemConnector: TableConnectorFactory = createFileSystemConnector()
