import { ConfigError } from '../core/errors.js'
import type { Clock } from '../time/clock.js'
import { AVAILABLE, Availability } from './availability.js'
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
import { OwnedSplitEnumerator, ownerByIndex } from './static-split-enumerators.js'

/** Records a reader emits per `pollNext` call at most. */
const BATCH_SIZE = 1024

/**
 * How a {@link DataGenSource} generates.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface DataGenOptions {
  /** How many records to generate (indices `0` to `count - 1`); without it the source is unbounded. */
  readonly count?: number
  /** The most records per second, summed over all subtasks; without it, as fast as possible. */
  readonly rowsPerSecond?: number
  /** Splits per subtask (default 1); more splits mean more, smaller checkpointed positions. */
  readonly splitsPerSubtask?: number
}

/**
 * A part of a {@link DataGenSource}'s index sequence, with the index reading has reached.
 *
 * @remarks
 * A bounded source's splits are contiguous ranges (`step` 1, `end` set). An unbounded source's
 * splits interleave: split `i` of `k` generates `i, i + k, i + 2k, …` (`step` is `k`, no `end`).
 * Split `i` (its `splitId` is `"i"`) belongs to subtask `i mod parallelism`; `next` is the
 * checkpointed position.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface DataGenSplit extends SourceSplit {
  /** The next index to generate. */
  readonly next: number
  /** One past the split's last index; absent for an endless split. */
  readonly end?: number
  /** The distance between consecutive indices of the split. */
  readonly step: number
}

/**
 * A source that calls a generator function for each index of a sequence, optionally at a limited
 * rate (Flink's `DataGeneratorSource`).
 *
 * @remarks
 * Indices run from 0 to `count - 1`, or without end when `count` is not given. They are divided
 * into splits (one per subtask unless `splitsPerSubtask` says otherwise), so across all subtasks
 * every index is generated exactly once, and each split in increasing order. The generator must be
 * a pure function of the index for a restored job to produce the same records again.
 *
 * With `rowsPerSecond`, each reader runs a token bucket on its subtask's clock, for its share of
 * the total: the readers together emit at most `rowsPerSecond × t` records in `t` seconds, and at
 * most one second's share in a burst after a pause. A reader with nothing due returns
 * `NOTHING_AVAILABLE` and its `isAvailable()` resolves, from a timer, when the next record is due.
 * Without a rate a reader emits 1024 records per `pollNext`.
 *
 * Records carry no timestamp; assign them with a watermark strategy.
 *
 * Example, from the tests:
 *
 * {@includeCode ./datagen-source.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Sources
 * @since 0.1.0
 */
export class DataGenSource<T> implements Source<T, DataGenSplit, DataGenSplit[]> {
  /** `'bounded'` when a count is given. */
  readonly boundedness: Boundedness

  private constructor(
    private readonly generator: (index: number) => T,
    /** The number of records, or undefined for an endless sequence. */
    readonly count: number | undefined,
    /** The total rate limit, or undefined for none. */
    readonly rowsPerSecond: number | undefined,
    private readonly splitsPerSubtask: number,
  ) {
    this.boundedness = count === undefined ? 'unbounded' : 'bounded'
  }

  /**
   * A source of `generator(0)`, `generator(1)`, ….
   *
   * @typeParam T - the record type
   * @param generator - makes the record of an index; called once per index, on the reader's thread
   * @param options - the count, the rate and the number of splits
   * @throws {@link ConfigError} when `count` is not a non-negative integer, `rowsPerSecond` not a
   * positive number or `splitsPerSubtask` not a positive integer
   */
  static of<T>(generator: (index: number) => T, options: DataGenOptions = {}): DataGenSource<T> {
    const { count, rowsPerSecond, splitsPerSubtask = 1 } = options
    if (count !== undefined && !(Number.isSafeInteger(count) && count >= 0)) {
      throw new ConfigError(`DataGenSource needs a count that is a non-negative integer, got ${count}.`)
    }
    if (rowsPerSecond !== undefined && !(Number.isFinite(rowsPerSecond) && rowsPerSecond > 0)) {
      throw new ConfigError(`DataGenSource needs a rowsPerSecond that is a positive number, got ${rowsPerSecond}.`)
    }
    if (!(Number.isSafeInteger(splitsPerSubtask) && splitsPerSubtask >= 1)) {
      throw new ConfigError(`DataGenSource needs a splitsPerSubtask that is a positive integer, got ${splitsPerSubtask}.`)
    }
    return new DataGenSource(generator, count, rowsPerSecond, splitsPerSubtask)
  }

  /** `splitsPerSubtask × parallelism` splits, each owned by one subtask. */
  createEnumerator(context: SplitEnumeratorContext<DataGenSplit>): SplitEnumerator<DataGenSplit, DataGenSplit[]> {
    const k = context.currentParallelism() * this.splitsPerSubtask
    const splits: DataGenSplit[] = []
    const count = this.count
    for (let i = 0; i < k; i++) {
      splits.push(
        count === undefined
          ? { splitId: String(i), next: i, step: k }
          : { splitId: String(i), next: Math.floor((i * count) / k), end: Math.floor(((i + 1) * count) / k), step: 1 },
      )
    }
    return new OwnedSplitEnumerator(context, splits, ownerByIndex)
  }

  /** Continues with the splits that were not assigned yet at the checkpoint. */
  restoreEnumerator(context: SplitEnumeratorContext<DataGenSplit>, state: DataGenSplit[]): SplitEnumerator<DataGenSplit, DataGenSplit[]> {
    return new OwnedSplitEnumerator(context, state, ownerByIndex)
  }

  /** A reader for one subtask, rate-limited to its share of `rowsPerSecond`. */
  createReader(context: SourceReaderContext): SourceReader<T, DataGenSplit> {
    const limiter =
      this.rowsPerSecond === undefined ? undefined : new RateLimiter(context.clock, this.rowsPerSecond, context.parallelism, context.subtaskIndex)
    return new DataGenReader(this.generator, limiter)
  }
}

/**
 * A token bucket for one reader's share of a total rate.
 *
 * @remarks
 * Reader `i` of `p` may have emitted `floor((elapsed × R + 1000 i) / (1000 p))` records after
 * `elapsed` ms: by Hermite's identity the readers' allowances sum to exactly `floor(elapsed × R / 1000)`,
 * and with integer times and rate the arithmetic is exact. The bucket holds at most one second's
 * share; tokens beyond that are dropped (the start of the bucket moves forward).
 */
class RateLimiter {
  private start = Number.NaN
  private emitted = 0
  private readonly capacity: number

  constructor(
    private readonly clock: Clock,
    private readonly rowsPerSecond: number,
    private readonly parallelism: number,
    private readonly subtaskIndex: number,
  ) {
    this.capacity = Math.max(1, Math.ceil(rowsPerSecond / parallelism))
  }

  begin(): void {
    if (Number.isNaN(this.start)) this.start = this.clock.now()
  }

  /** How many records may be emitted now. */
  due(): number {
    this.begin()
    const now = this.clock.now()
    const due = this.allowed(now - this.start) - this.emitted
    if (due <= this.capacity) return due
    this.start = now
    this.emitted = this.allowed(0) - this.capacity
    return this.capacity
  }

  consume(n: number): void {
    this.emitted += n
  }

  /** Ms from now until the next record is due (at least 1). */
  delayToNext(): number {
    this.begin()
    const p = this.parallelism
    const elapsed = Math.ceil(((this.emitted + 1) * 1000 * p - 1000 * this.subtaskIndex) / this.rowsPerSecond)
    return Math.max(1, this.start + elapsed - this.clock.now())
  }

  private allowed(elapsed: number): number {
    return Math.floor((elapsed * this.rowsPerSecond + 1000 * this.subtaskIndex) / (1000 * this.parallelism))
  }
}

/** A split being read: the reader's own mutable copy. */
interface ActiveSequence<T> {
  readonly splitId: string
  next: number
  /** `Infinity` for an endless split. */
  readonly end: number
  readonly step: number
  out: SourceOutput<T> | undefined
}

class DataGenReader<T> implements SourceReader<T, DataGenSplit> {
  private readonly splits: ActiveSequence<T>[] = []
  /** The split the next `pollNext` starts with (round robin, so endless splits all advance). */
  private turn = 0
  private noMoreSplits = false
  private readonly availability = new Availability()
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly generator: (index: number) => T,
    private readonly limiter: RateLimiter | undefined,
  ) {}

  start(): void {
    this.limiter?.begin()
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    this.availability.reset()
    if (this.splits.length === 0) return this.noMoreSplits ? 'END_OF_INPUT' : 'NOTHING_AVAILABLE'
    const limiter = this.limiter
    const budget = limiter === undefined ? BATCH_SIZE : Math.min(BATCH_SIZE, limiter.due())
    const generator = this.generator
    let emitted = 0
    while (emitted < budget && this.splits.length > 0) {
      if (this.turn >= this.splits.length) this.turn = 0
      const split = this.splits[this.turn]
      const remaining = split.end === Infinity ? Infinity : Math.max(0, Math.ceil((split.end - split.next) / split.step))
      const n = Math.min(budget - emitted, remaining)
      if (n > 0) {
        const out = split.out ?? (split.out = output.createOutputForSplit(split.splitId))
        const step = split.step
        let index = split.next
        for (let j = 0; j < n; j++) {
          out.collect(generator(index))
          index += step
        }
        split.next = index
        emitted += n
      }
      if (n === remaining) {
        if (split.out !== undefined) output.releaseOutputForSplit(split.splitId)
        this.splits.splice(this.turn, 1)
      } else {
        this.turn++
      }
    }
    limiter?.consume(emitted)
    if (this.splits.length === 0) {
      if (!this.noMoreSplits) return 'NOTHING_AVAILABLE'
      return emitted > 0 ? 'MORE_AVAILABLE' : 'END_OF_INPUT'
    }
    return limiter === undefined || limiter.due() > 0 ? 'MORE_AVAILABLE' : 'NOTHING_AVAILABLE'
  }

  isAvailable(): Promise<void> {
    if (this.splits.length === 0) return this.noMoreSplits ? AVAILABLE : this.availability.wait()
    const limiter = this.limiter
    if (limiter === undefined || limiter.due() > 0) return AVAILABLE
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined
        this.availability.notify()
      }, limiter.delayToNext())
    }
    return this.availability.wait()
  }

  addSplits(splits: readonly DataGenSplit[]): void {
    for (const s of splits) {
      this.splits.push({ splitId: s.splitId, next: s.next, end: s.end ?? Infinity, step: s.step, out: undefined })
    }
    this.availability.notify()
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true
    this.availability.notify()
  }

  snapshotState(_checkpointId: number): DataGenSplit[] {
    return this.splits.map((s) =>
      s.end === Infinity ? { splitId: s.splitId, next: s.next, step: s.step } : { splitId: s.splitId, next: s.next, end: s.end, step: s.step },
    )
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
  }
}
