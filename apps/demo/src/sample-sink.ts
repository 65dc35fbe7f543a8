import type { Sink, SinkWriter, SinkWriterContext } from '@strom/runtime'

/**
 * What a {@link SampleSink} hands out: how many records arrived, and the most recent ones.
 *
 * @typeParam T - the record type
 * @category Demo
 * @since 0.1.0
 */
export interface Sample<T> {
  /** The number of records received since the previous {@link SampleSink.drain}. */
  readonly count: number
  /** The most recent of them, oldest first (at most the sink's `keep`). */
  readonly latest: readonly T[]
}

/** What a writer sends to the sink object: its count and latest records since its last flush. */
interface SampleMessage<T> {
  readonly count: number
  readonly latest: T[]
}

/**
 * A sink for a live display: it counts the records and keeps only the most recent few, so an
 * endless, fast stream can be shown without printing (or keeping) all of it.
 *
 * @remarks
 * Each writer counts its records and keeps its `keep` latest in a ring buffer; on every flush
 * (the runtime flushes sink writers about every 200 ms) it sends them to the sink object in the
 * main thread, which keeps the count and the `keep` latest records over all writers until
 * {@link SampleSink.drain} takes them. Records must be structured-clonable when the sink runs on
 * worker threads.
 *
 * @typeParam T - the record type
 * @category Demo
 * @since 0.1.0
 */
export class SampleSink<T> implements Sink<T> {
  private count = 0
  private received = 0
  private latest: T[] = []

  /** @param keep - how many of the most recent records to keep (>= 1) */
  constructor(readonly keep: number) {
    if (!(Number.isSafeInteger(keep) && keep >= 1)) throw new RangeError(`A SampleSink keeps at least 1 record, got ${keep}.`)
  }

  /** The number of records received since the sink was created or last reset. */
  get total(): number {
    return this.received
  }

  /** Takes the count and the latest records received since the previous call. */
  drain(): Sample<T> {
    const sample: Sample<T> = { count: this.count, latest: this.latest }
    this.count = 0
    this.latest = []
    return sample
  }

  /** Forgets everything (to reuse the sink for another run). */
  reset(): void {
    this.count = 0
    this.received = 0
    this.latest = []
  }

  /** A writer that counts and samples its records. */
  createWriter(context: SinkWriterContext): SinkWriter<T> {
    return new SampleWriter<T>(this.keep, context)
  }

  /** Adds what a writer sent. */
  onWriterMessage(_subtaskIndex: number, message: unknown): void {
    const m = message as SampleMessage<T>
    this.count += m.count
    this.received += m.count
    const latest = this.latest
    for (const v of m.latest) latest.push(v)
    if (latest.length > this.keep) latest.splice(0, latest.length - this.keep)
  }
}

class SampleWriter<T> implements SinkWriter<T> {
  private count = 0
  /** A ring buffer: the next record goes to `ring[count % keep]`. */
  private ring: T[] = []

  constructor(
    private readonly keep: number,
    private readonly context: SinkWriterContext,
  ) {}

  write(value: T, _timestamp: number): void {
    this.ring[this.count % this.keep] = value
    this.count++
  }

  flush(_endOfInput: boolean): void {
    const n = this.count
    if (n === 0) return
    const ring = this.ring
    const latest = n <= this.keep ? ring : [...ring.slice(n % this.keep), ...ring.slice(0, n % this.keep)]
    this.count = 0
    this.ring = []
    this.context.sendToCoordinator({ count: n, latest } satisfies SampleMessage<T>)
  }

  close(): void {}
}
