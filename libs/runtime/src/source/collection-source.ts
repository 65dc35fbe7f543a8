import { AVAILABLE, Availability } from './availability.js'
import type { Boundedness, InputStatus, ReaderOutput, Source, SourceOutput, SourceReader, SourceSplit, SplitEnumerator, SplitEnumeratorContext } from './source.js'
import { OwnedSplitEnumerator, ownerByIndex } from './static-split-enumerators.js'

/** Records a reader emits per `pollNext` call at most. */
const BATCH_SIZE = 1024

/**
 * A contiguous range of a {@link CollectionSource}'s elements, with the index reading has reached.
 *
 * @remarks
 * Split `i` (its `splitId` is `"i"`) belongs to subtask `i mod parallelism`. A reader emits the
 * elements of a split in index order; `next` is the checkpointed position.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface CollectionSplit extends SourceSplit {
  /** The index of the next element to emit. */
  readonly next: number
  /** One past the index of the split's last element. */
  readonly end: number
}

/**
 * A bounded source of the elements of a fixed array, optionally with their timestamps (Flink's
 * `fromCollection`).
 *
 * @remarks
 * The elements are copied when the source is made. With parallelism `p` they are cut into `p`
 * contiguous ranges, one per subtask, so every element is emitted exactly once and each subtask
 * emits its range in the array's order. Each split's position (the next index) is checkpointed, so
 * a restored job continues after the last element of the checkpoint. The elements are read from
 * the source object, never sent with the splits.
 *
 * Example, from the tests:
 *
 * {@includeCode ./collection-source.spec.ts#example}
 *
 * @typeParam T - the element type
 * @category Sources
 * @since 0.1.0
 */
export class CollectionSource<T> implements Source<T, CollectionSplit, CollectionSplit[]> {
  /** Always `'bounded'`. */
  readonly boundedness: Boundedness = 'bounded'

  private constructor(
    private readonly values: readonly T[],
    private readonly timestamps: readonly number[] | undefined,
  ) {}

  /**
   * A source of the given elements, without timestamps.
   *
   * @typeParam T - the element type
   * @param values - the elements, copied
   */
  static of<T>(values: Iterable<T>): CollectionSource<T> {
    return new CollectionSource(Array.from(values), undefined)
  }

  /**
   * A source of the given elements, each emitted with its timestamp (ms of event time).
   *
   * @typeParam T - the element type
   * @param records - the elements with their timestamps, copied
   */
  static ofTimestamped<T>(records: Iterable<{ readonly value: T; readonly timestamp: number }>): CollectionSource<T> {
    const values: T[] = []
    const timestamps: number[] = []
    for (const r of records) {
      values.push(r.value)
      timestamps.push(r.timestamp)
    }
    return new CollectionSource(values, timestamps)
  }

  /** The number of elements. */
  get size(): number {
    return this.values.length
  }

  /** One split per subtask, covering contiguous index ranges of (nearly) equal size. */
  createEnumerator(context: SplitEnumeratorContext<CollectionSplit>): SplitEnumerator<CollectionSplit, CollectionSplit[]> {
    const parallelism = context.currentParallelism()
    const n = this.values.length
    const splits: CollectionSplit[] = []
    for (let i = 0; i < parallelism; i++) {
      splits.push({ splitId: String(i), next: Math.floor((i * n) / parallelism), end: Math.floor(((i + 1) * n) / parallelism) })
    }
    return new OwnedSplitEnumerator(context, splits, ownerByIndex)
  }

  /** Continues with the splits that were not assigned yet at the checkpoint. */
  restoreEnumerator(context: SplitEnumeratorContext<CollectionSplit>, state: CollectionSplit[]): SplitEnumerator<CollectionSplit, CollectionSplit[]> {
    return new OwnedSplitEnumerator(context, state, ownerByIndex)
  }

  /** A reader that emits its splits' elements in index order, up to 1024 per `pollNext`. */
  createReader(): SourceReader<T, CollectionSplit> {
    return new CollectionReader(this.values, this.timestamps)
  }
}

/** A split being read: the reader's own mutable copy. */
interface ActiveRange {
  readonly splitId: string
  next: number
  readonly end: number
}

class CollectionReader<T> implements SourceReader<T, CollectionSplit> {
  private readonly splits: ActiveRange[] = []
  private out: SourceOutput<T> | undefined
  private noMoreSplits = false
  private readonly availability = new Availability()

  constructor(
    private readonly values: readonly T[],
    private readonly timestamps: readonly number[] | undefined,
  ) {}

  start(): void {}

  pollNext(output: ReaderOutput<T>): InputStatus {
    this.availability.reset()
    const values = this.values
    const timestamps = this.timestamps
    let budget = BATCH_SIZE
    while (budget > 0 && this.splits.length > 0) {
      const split = this.splits[0]
      let i = split.next
      const stop = Math.min(split.end, i + budget)
      if (i < stop) {
        const out = this.out ?? (this.out = output.createOutputForSplit(split.splitId))
        if (timestamps === undefined) for (; i < stop; i++) out.collect(values[i])
        else for (; i < stop; i++) out.collect(values[i], timestamps[i])
        budget -= i - split.next
        split.next = i
      }
      if (i >= split.end) {
        if (this.out !== undefined) output.releaseOutputForSplit(split.splitId)
        this.out = undefined
        this.splits.shift()
      }
    }
    if (this.splits.length > 0) return 'MORE_AVAILABLE'
    if (!this.noMoreSplits) return 'NOTHING_AVAILABLE'
    return budget < BATCH_SIZE ? 'MORE_AVAILABLE' : 'END_OF_INPUT'
  }

  isAvailable(): Promise<void> {
    return this.splits.length > 0 || this.noMoreSplits ? AVAILABLE : this.availability.wait()
  }

  addSplits(splits: readonly CollectionSplit[]): void {
    for (const s of splits) this.splits.push({ splitId: s.splitId, next: s.next, end: Math.min(s.end, this.values.length) })
    this.availability.notify()
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true
    this.availability.notify()
  }

  snapshotState(_checkpointId: number): CollectionSplit[] {
    return this.splits.map((s) => ({ splitId: s.splitId, next: s.next, end: s.end }))
  }

  close(): void {}
}
