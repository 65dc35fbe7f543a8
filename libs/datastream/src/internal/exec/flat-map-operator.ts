import { AbstractStreamOperator } from '@strom/runtime'
import type { Collector, OneInputStreamOperator, Output } from '@strom/runtime'

/** A collector that emits with the current record's timestamp; one per operator, reused. */
class TimestampedCollector<T> implements Collector<T> {
  timestamp = Number.NaN
  constructor(private readonly output: Output<T>) {}
  collect(record: T): void {
    this.output.collect(record, this.timestamp)
  }
}

/**
 * `flatMap`: the function emits to the collector, or returns an iterable of outputs (or both);
 * every output gets the input's timestamp.
 */
export class FlatMapOperator<I, O> extends AbstractStreamOperator<O> implements OneInputStreamOperator<I, O> {
  private collector!: TimestampedCollector<O>

  constructor(private readonly fn: (value: I, out: Collector<O>) => Iterable<O> | void) {
    super()
  }

  override open(): void {
    this.collector = new TimestampedCollector(this.output)
  }

  processElement(value: I, timestamp: number): void {
    this.collector.timestamp = timestamp
    const returned = this.fn(value, this.collector)
    if (returned !== undefined) for (const o of returned) this.output.collect(o, timestamp)
  }
}
