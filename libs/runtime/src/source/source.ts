import type { Clock } from '../time/clock.js'

/**
 * Whether a source ends.
 *
 * @category Sources
 * @since 0.1.0
 */
export type Boundedness = 'bounded' | 'unbounded'

/**
 * A piece of a source's input (a file, a partition, a range of a sequence) with the position
 * reading has reached in it. Splits are plain data (structured-clonable): they travel between
 * threads and go into checkpoints.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface SourceSplit {
  /** Unique within the source. */
  readonly splitId: string
}

/**
 * What `pollNext` says about the reader's input after it returns.
 *
 * - `MORE_AVAILABLE`: call `pollNext` again right away.
 * - `NOTHING_AVAILABLE`: wait for `isAvailable()` before calling again.
 * - `END_OF_INPUT`: the reader has read all its splits and got no more; it is done.
 *
 * @category Sources
 * @since 0.1.0
 */
export type InputStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT'

/**
 * A split-based source (Flink's FLIP-27 design): an enumerator, running once per job in the
 * coordinator, discovers splits and assigns them to readers, which run in each parallel subtask.
 *
 * @typeParam T - the record type
 * @typeParam Split - the split type
 * @typeParam EnumState - the enumerator's checkpointed state
 * @category Sources
 * @since 0.1.0
 */
export interface Source<T, Split extends SourceSplit = SourceSplit, EnumState = unknown> {
  /** Whether the source ends. */
  readonly boundedness: Boundedness
  /** Creates the enumerator for a fresh start. */
  createEnumerator(context: SplitEnumeratorContext<Split>): SplitEnumerator<Split, EnumState>
  /** Creates the enumerator from checkpointed state. */
  restoreEnumerator(context: SplitEnumeratorContext<Split>, state: EnumState): SplitEnumerator<Split, EnumState>
  /** Creates a reader for one parallel subtask. */
  createReader(context: SourceReaderContext): SourceReader<T, Split>
  /** @internal keeps T in the type, never set */
  readonly _type?: T
}

/**
 * What an enumerator can do: see the readers and assign splits to them.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface SplitEnumeratorContext<Split extends SourceSplit> {
  /** The source's parallelism. */
  currentParallelism(): number
  /** The subtasks whose reader has registered. */
  registeredReaders(): ReadonlySet<number>
  /** Gives a split to a reader. */
  assignSplit(split: Split, subtaskIndex: number): void
  /** Tells a reader it gets no more splits (a bounded reader then ends when it has read its splits). */
  signalNoMoreSplits(subtaskIndex: number): void
}

/**
 * Discovers splits and assigns them to readers. Runs in the coordinator (the main thread).
 *
 * @category Sources
 * @since 0.1.0
 */
export interface SplitEnumerator<Split extends SourceSplit, EnumState> {
  /** Starts discovery. */
  start(): void
  /** A reader asks for a split. */
  handleSplitRequest(subtaskIndex: number): void
  /** Splits given to a reader that failed come back to be reassigned. */
  addSplitsBack(splits: readonly Split[], subtaskIndex: number): void
  /** A reader registered. */
  addReader(subtaskIndex: number): void
  /** The enumerator's state for a checkpoint. */
  snapshotState(checkpointId: number): EnumState
  /** Releases resources. */
  close(): void
}

/**
 * What a reader can do and know.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface SourceReaderContext {
  /** This reader's subtask index. */
  readonly subtaskIndex: number
  /** The source's parallelism. */
  readonly parallelism: number
  /** Processing time. */
  readonly clock: Clock
  /** Asks the enumerator for a split. */
  sendSplitRequest(): void
}

/**
 * Where a reader emits records.
 *
 * @remarks
 * Records of one split should go through that split's own output ({@link createOutputForSplit}),
 * so that watermarks are generated per split and the source's watermark is the minimum over them.
 *
 * @typeParam T - the record type
 * @category Sources
 * @since 0.1.0
 */
export interface ReaderOutput<T> extends SourceOutput<T> {
  /** The output for one split, created on first use. */
  createOutputForSplit(splitId: string): SourceOutput<T>
  /** Drops a finished split's output so it no longer holds back the watermark. */
  releaseOutputForSplit(splitId: string): void
}

/**
 * Where a reader emits the records of one split.
 *
 * @typeParam T - the record type
 * @category Sources
 * @since 0.1.0
 */
export interface SourceOutput<T> {
  /**
   * Emits a record. `timestamp` is the source's own timestamp for it (e.g. a Kafka record's
   * timestamp); the watermark strategy's timestamp assigner may replace it.
   */
  collect(value: T, timestamp?: number): void
  /** Marks this output idle: it does not hold back the watermark until it emits again. */
  markIdle(): void
}

/**
 * Reads the splits assigned to one subtask.
 *
 * @remarks
 * `pollNext` is synchronous and should emit a batch of records (hundreds to thousands) per call;
 * blocking I/O happens elsewhere (a promise that `isAvailable` returns). The reader is used from one
 * thread only.
 *
 * @typeParam T - the record type
 * @typeParam Split - the split type
 * @category Sources
 * @since 0.1.0
 */
export interface SourceReader<T, Split extends SourceSplit> {
  /** Starts reading (asks for splits). */
  start(): void
  /** Emits available records and says whether more are. */
  pollNext(output: ReaderOutput<T>): InputStatus
  /** Resolves when `pollNext` may emit again after `NOTHING_AVAILABLE`. */
  isAvailable(): Promise<void>
  /** Receives splits from the enumerator. */
  addSplits(splits: readonly Split[]): void
  /** The enumerator has no more splits for this reader. */
  notifyNoMoreSplits(): void
  /** The splits this reader holds, with their current positions, for a checkpoint. */
  snapshotState(checkpointId: number): Split[]
  /** Releases resources. */
  close(): void | Promise<void>
}
