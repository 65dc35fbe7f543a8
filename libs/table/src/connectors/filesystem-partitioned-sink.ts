/**
 * The sink of a partitioned filesystem table: rows go to part files in the directory of their
 * partition (`k1=v1/k2=v2`), and partitions are committed (a `_SUCCESS` file) by Flink's
 * partition commit trigger.
 *
 * @packageDocumentation
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  ConnectorError,
  FileCommitter,
  FileSink,
  type Committer,
  type Encoder,
  type FileCommittable,
  type FileWriterState,
  type PrecommittingSinkWriter,
  type RollingPolicy,
  type SinkWriterContext,
  type TwoPhaseCommittingSink,
} from '@strom/runtime'
import type { Row, RowKind } from '../data/row.js'
import type { DataType } from '../types/data-type.js'
import { parsePartitionPath, partitionPath, partitionValueText, type PartitionTimeExtractor } from './filesystem-partitions.js'

/**
 * When a partition of a filesystem sink is committed (Flink's `sink.partition-commit.*` options).
 *
 * @category Connectors
 * @since 0.2.0
 */
export interface PartitionCommitOptions {
  /**
   * `process-time`: once the processing time has passed the time the partition got its (first
   * open) part file plus `delayMs`. `partition-time`: once the watermark has passed the time
   * extracted from the partition values plus `delayMs`.
   */
  readonly trigger: 'process-time' | 'partition-time'
  /** `sink.partition-commit.delay` in ms. */
  readonly delayMs: number
  /** The name of the file a committed partition gets (`sink.partition-commit.success-file.name`, `_SUCCESS`). */
  readonly successFileName: string
  /** The time of a partition, for the `partition-time` trigger. */
  readonly timeExtractor: PartitionTimeExtractor
  /**
   * The offset (ms) of `sink.partition-commit.watermark-time-zone` at an instant: the watermark
   * (an instant) plus it is the wall-clock time compared with partition times.
   */
  readonly watermarkOffset: (epochMs: number) => number
}

/** How a partitioned sink writes: the layout of its rows and its partitions. */
export interface PartitionedWriteSpec {
  readonly tableName: string
  /** The base directory. */
  readonly path: string
  /** The partition columns: their names, indices in the row, and types. */
  readonly partitionKeys: readonly string[]
  readonly partitionIndices: readonly number[]
  readonly partitionTypes: readonly DataType[]
  /** The indices of the columns written into the files, in order. */
  readonly dataIndices: readonly number[]
  /** `partition.default-name`. */
  readonly defaultPartitionName: string
  /** When part files roll. */
  readonly rollingPolicy: RollingPolicy
  /** Absent: partitions are never committed (no `sink.partition-commit.policy.kind`). */
  readonly commit?: PartitionCommitOptions
}

/** A partition a writer reports at a checkpoint. */
export interface ReportedPartition {
  /** The relative directory, `k1=v1/k2=v2`. */
  readonly path: string
  /** The partition time (epoch ms), for the `partition-time` trigger. */
  readonly time?: number
  /** Whether the writer's own commit predicate held at the checkpoint (its open part was closed then). */
  readonly ready: boolean
}

/**
 * What a writer of a partitioned filesystem sink hands over at a checkpoint: its closed part
 * files, and the partitions it wrote with its watermark.
 *
 * @category Connectors
 * @since 0.2.0
 */
export interface PartitionCommittable {
  readonly subtask: number
  readonly parallelism: number
  readonly checkpointId: number
  /** The writer's watermark (null: none yet). */
  readonly watermark: number | null
  /** Whether the writer's input ended. */
  readonly endOfInput: boolean
  readonly files: readonly FileCommittable[]
  readonly partitions: readonly ReportedPartition[]
}

/**
 * The checkpointed state of a writer of a partitioned filesystem sink: the `FileSink` writer
 * states of its partition directories, and the partitions it has not reported ready yet.
 *
 * @category Connectors
 * @since 0.2.0
 */
export interface PartitionedWriterState {
  readonly files: readonly FileWriterState[]
  readonly partitions: readonly { readonly path: string; readonly time?: number; readonly createdAt: number }[]
}

/** A projection of the data columns of a row, into one reused row (the encoder does not keep it). */
class DataProjection {
  private readonly scratch: { kind: RowKind; fields: unknown[] }

  constructor(private readonly indices: readonly number[]) {
    this.scratch = { kind: 0, fields: new Array<unknown>(indices.length) }
  }

  project(row: Row): Row {
    const s = this.scratch
    const idx = this.indices
    const from = row.fields
    for (let i = 0; i < idx.length; i++) s.fields[i] = from[idx[i]!]
    s.kind = row.kind
    return s
  }
}

interface Bucket {
  readonly path: string
  /** The partition values, unescaped. */
  readonly values: readonly string[]
  readonly writer: PrecommittingSinkWriter<Row, FileCommittable, FileWriterState>
  /** Whether its partition is known open (pending commit): saves a map lookup per row. */
  tracked: boolean
}

interface OpenPartition {
  readonly path: string
  readonly time: number | undefined
  /** Processing time of its first row since it was last reported ready. */
  readonly createdAt: number
}

/**
 * A two-phase-commit sink writing each row into the part files of its partition's directory
 * (one runtime `FileSink` writer per partition directory a subtask writes), and committing
 * partitions by a {@link PartitionCommitOptions} trigger.
 *
 * @remarks
 * Part files are committed exactly once with checkpoints, as the `FileSink`'s. With a commit
 * policy, at each checkpoint a writer closes the open part file of every partition its commit
 * predicate holds for (`partition-time`: its watermark is past the partition time plus the
 * delay; `process-time`: its clock is past the time the partition's part was opened plus the
 * delay), so the partition's files are committed with that checkpoint, and reports the partitions
 * it wrote. The committer (one per job, in the main thread) renames the part files, then commits
 * the partitions: with `partition-time` those whose time plus delay the watermark (the least over
 * the subtasks) has passed, with `process-time` those every writer reported ready; all of them at
 * the end of the input. Committing writes the success file into the partition directory. A
 * partition that gets rows after it was committed is committed again.
 *
 * The committer remembers, for the job's lifetime (across restarts of its tasks), the partitions
 * reported and not committed yet. A writer keeps a partition in its checkpointed state until it
 * has reported it ready, so a job restored into a new process still commits the partitions its
 * writers had open. (A partition every writer had reported ready but the least watermark had not
 * passed at the restored checkpoint is then committed at the end of the input, or when it gets
 * rows again.) Part files of a partition a subtask began after its last checkpoint stay hidden
 * after a failure, as the `FileSink`'s files of writers that failed before their first checkpoint.
 *
 * @category Connectors
 * @since 0.2.0
 */
export class PartitionedFileSink implements TwoPhaseCommittingSink<Row, PartitionCommittable, PartitionedWriterState> {
  readonly twoPhaseCommit = true as const

  constructor(
    /** How rows are laid out and partitions committed. */
    readonly spec: PartitionedWriteSpec,
    private readonly makeEncoder: () => Encoder<Row>,
  ) {}

  createWriter(context: SinkWriterContext): PartitionedFileWriter {
    return new PartitionedFileWriter(this.spec, this.makeEncoder(), context)
  }

  restoreWriter(context: SinkWriterContext, states: readonly PartitionedWriterState[]): PartitionedFileWriter {
    const w = this.createWriter(context)
    w.restore(states)
    return w
  }

  createCommitter(): PartitionCommitter {
    return new PartitionCommitter(this.spec)
  }
}

/** Writes one subtask's rows into the part files of their partitions. */
export class PartitionedFileWriter implements PrecommittingSinkWriter<Row, PartitionCommittable, PartitionedWriterState> {
  private readonly buckets = new Map<string, Bucket>()
  private readonly open = new Map<string, OpenPartition>()
  private readonly projection: DataProjection
  private readonly encoder: Encoder<Row>
  private watermark: number | null = null
  private ended = false
  /** The partition values of the last row and its bucket: consecutive rows of one partition skip the path. */
  private readonly lastValues: unknown[]
  private lastBucket: Bucket | undefined

  constructor(
    private readonly spec: PartitionedWriteSpec,
    encoder: Encoder<Row>,
    private readonly context: SinkWriterContext,
  ) {
    this.projection = new DataProjection(spec.dataIndices)
    const projection = this.projection
    this.encoder = { encode: (row: Row) => encoder.encode(projection.project(row)) }
    this.lastValues = new Array<unknown>(spec.partitionIndices.length)
  }

  write(row: Row, timestamp: number): void {
    const bucket = this.bucketOf(row)
    if (!bucket.tracked && this.spec.commit !== undefined) {
      if (!this.open.has(bucket.path)) this.openPartition(bucket)
      bucket.tracked = true
    }
    bucket.writer.write(row, timestamp)
  }

  writeWatermark(watermark: number): void {
    this.watermark = watermark
  }

  flush(endOfInput: boolean): void {
    if (endOfInput) this.ended = true
    for (const b of this.buckets.values()) b.writer.flush(endOfInput)
  }

  prepareCommit(checkpointId: number): PartitionCommittable[] {
    const partitions: ReportedPartition[] = []
    const commit = this.spec.commit
    if (commit !== undefined) {
      const now = this.context.clock.now()
      const wm = this.watermark
      for (const p of this.open.values()) {
        const ready =
          this.ended || (commit.trigger === 'partition-time' ? wm !== null && p.time !== undefined && localTime(wm, commit) > p.time + commit.delayMs : commit.delayMs === 0 || now > p.createdAt + commit.delayMs)
        // a committable partition's open part is closed, so it is committed with this checkpoint
        if (ready) this.buckets.get(p.path)?.writer.flush(true)
        partitions.push(p.time === undefined ? { path: p.path, ready } : { path: p.path, time: p.time, ready })
      }
      for (const p of partitions) {
        if (!p.ready) continue
        this.open.delete(p.path)
        const b = this.buckets.get(p.path)
        if (b !== undefined) b.tracked = false
      }
    }
    const files: FileCommittable[] = []
    for (const b of this.buckets.values()) files.push(...b.writer.prepareCommit(checkpointId))
    return [
      {
        subtask: this.context.subtaskIndex,
        parallelism: this.context.parallelism,
        checkpointId,
        watermark: this.watermark,
        endOfInput: this.ended,
        files,
        partitions,
      },
    ]
  }

  snapshotState(checkpointId: number): PartitionedWriterState[] {
    const files: FileWriterState[] = []
    for (const [path, b] of this.buckets) {
      const states = b.writer.snapshotState(checkpointId)
      // a partition without an open part needs no writer any more
      if (states.every((s) => s.inProgress === undefined)) {
        b.writer.close()
        this.buckets.delete(path)
        if (this.lastBucket === b) this.lastBucket = undefined
      }
      files.push(...states)
    }
    return [{ files, partitions: [...this.open.values()].map((p) => (p.time === undefined ? { path: p.path, createdAt: p.createdAt } : { path: p.path, time: p.time, createdAt: p.createdAt })) }]
  }

  close(): void {
    for (const b of this.buckets.values()) b.writer.close()
    this.buckets.clear()
  }

  /** Takes over the part files and open partitions of restored writers. */
  restore(states: readonly PartitionedWriterState[]): void {
    const byDirectory = new Map<string, FileWriterState[]>()
    for (const s of states) {
      for (const f of s.files) byDirectory.set(f.directory, [...(byDirectory.get(f.directory) ?? []), f])
      for (const p of s.partitions) this.open.set(p.path, p.time === undefined ? { path: p.path, time: undefined, createdAt: p.createdAt } : { path: p.path, time: p.time, createdAt: p.createdAt })
    }
    for (const [directory, fileStates] of byDirectory) {
      const rel = relativePartition(this.spec.path, directory)
      const values = parsePartitionPath(this.spec.partitionKeys, rel) ?? []
      const sink = FileSink.forRowFormat(directory, this.encoder, { rollingPolicy: this.spec.rollingPolicy })
      this.buckets.set(rel, { path: rel, values, writer: sink.restoreWriter(this.context, fileStates), tracked: false })
    }
  }

  private bucketOf(row: Row): Bucket {
    const spec = this.spec
    const idx = spec.partitionIndices
    const fields = row.fields
    const last = this.lastValues
    let same = this.lastBucket !== undefined
    for (let i = 0; i < idx.length && same; i++) same = fields[idx[i]!] === last[i]
    if (same) return this.lastBucket!
    const texts = new Array<string>(idx.length)
    for (let i = 0; i < idx.length; i++) {
      const v = fields[idx[i]!]
      last[i] = v
      texts[i] = partitionValueText(v, spec.partitionTypes[i]!, spec.defaultPartitionName)
    }
    const path = partitionPath(spec.partitionKeys, texts)
    let bucket = this.buckets.get(path)
    if (bucket === undefined) {
      const sink = FileSink.forRowFormat(join(spec.path, path), this.encoder, { rollingPolicy: spec.rollingPolicy })
      bucket = { path, values: texts, writer: sink.createWriter(this.context), tracked: false }
      this.buckets.set(path, bucket)
    }
    // a value like an array is not === next time: only primitives are remembered
    this.lastBucket = idx.every((i) => typeof fields[i] !== 'object' || fields[i] === null) ? bucket : undefined
    return bucket
  }

  private openPartition(bucket: Bucket): void {
    const commit = this.spec.commit!
    const path = bucket.path
    let time: number | undefined
    if (commit.trigger === 'partition-time') {
      const texts = bucket.values
      time = commit.timeExtractor.extract(texts)
      if (time === undefined)
        throw new ConnectorError(
          `Table '${this.spec.tableName}' cannot read the time of partition '${path}': '${commit.timeExtractor.text(texts)}' (the 'partition.time-extractor.timestamp-pattern' ${commit.timeExtractor.timestampPattern === undefined ? '(default: the first partition value)' : `'${commit.timeExtractor.timestampPattern}'`} filled in) does not fit the 'partition.time-extractor.timestamp-formatter' '${commit.timeExtractor.timestampFormatter}'.`,
        )
    }
    this.open.set(path, { path, time, createdAt: this.context.clock.now() })
  }
}

/** A watermark as wall-clock time of the commit time zone (infinities stay). */
const localTime = (watermark: number, commit: PartitionCommitOptions): number => (Number.isFinite(watermark) ? watermark + commit.watermarkOffset(watermark) : watermark)

/** The partition directory `directory` relative to `base` (forward slashes). */
const relativePartition = (base: string, directory: string): string => {
  const b = base.endsWith('/') ? base : `${base}/`
  return directory.startsWith(b) ? directory.slice(b.length) : directory
}

interface PendingPartition {
  readonly time: number | undefined
  /** The subtasks that reported it and not yet ready. */
  readonly notReady: Set<number>
}

/**
 * Commits a {@link PartitionedFileSink}'s part files and partitions; one per job, in the main
 * thread.
 *
 * @remarks
 * Idempotent, as committers must be: part files as the `FileSink`'s committer, partitions by
 * (re)writing their success file. It remembers, for the job's lifetime, the partitions reported
 * and not yet committed and each subtask's latest watermark.
 *
 * @category Connectors
 * @since 0.2.0
 */
export class PartitionCommitter implements Committer<PartitionCommittable> {
  private readonly files = new FileCommitter()
  private readonly pending = new Map<string, PendingPartition>()
  private readonly watermarks = new Map<number, number>()
  private readonly ended = new Set<number>()
  private parallelism = 0
  /** The partitions committed so far, in order (for tests and metrics). */
  readonly committed: string[] = []

  constructor(private readonly spec: PartitionedWriteSpec) {}

  async commit(committables: readonly PartitionCommittable[]): Promise<void> {
    const sorted = [...committables].sort((a, b) => a.checkpointId - b.checkpointId)
    await this.files.commit(sorted.flatMap((c) => c.files))
    const commit = this.spec.commit
    if (commit === undefined) return
    for (const c of sorted) {
      this.parallelism = c.parallelism
      if (c.watermark !== null) this.watermarks.set(c.subtask, Math.max(c.watermark, this.watermarks.get(c.subtask) ?? -Infinity))
      if (c.endOfInput) this.ended.add(c.subtask)
      for (const p of c.partitions) {
        let e = this.pending.get(p.path)
        if (e === undefined) {
          e = { time: p.time, notReady: new Set() }
          this.pending.set(p.path, e)
        }
        if (p.ready) e.notReady.delete(c.subtask)
        else e.notReady.add(c.subtask)
      }
    }
    const all = this.parallelism > 0 && this.ended.size >= this.parallelism
    let watermark = -Infinity
    if (this.parallelism > 0 && this.watermarks.size >= this.parallelism) {
      watermark = Infinity
      for (let s = 0; s < this.parallelism; s++) watermark = Math.min(watermark, this.watermarks.get(s) ?? -Infinity)
    }
    for (const [path, e] of [...this.pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const due = all || (commit.trigger === 'partition-time' ? e.time !== undefined && localTime(watermark, commit) > e.time + commit.delayMs : e.notReady.size === 0)
      if (!due) continue
      await this.commitPartition(path, commit)
      this.pending.delete(path)
      this.committed.push(path)
    }
  }

  /** The success-file policy: an empty file in the partition directory. */
  private async commitPartition(path: string, commit: PartitionCommitOptions): Promise<void> {
    const dir = join(this.spec.path, path)
    const file = join(dir, commit.successFileName)
    try {
      await mkdir(dir, { recursive: true })
      await writeFile(file, '')
    } catch (e) {
      throw new ConnectorError(`Table '${this.spec.tableName}' cannot commit partition '${path}': writing '${file}' failed: ${e instanceof Error ? e.message : String(e)}.`, { cause: e, retriable: true })
    }
  }
}
