import type { Collector } from '../core/collector.js'
import { AbstractStreamOperator } from './abstract-stream-operator.js'
import type { Output } from './output.js'
import type { OneInputStreamOperator } from './stream-operator.js'

/**
 * Applies a function to every record (DataStream's `map`). The output keeps the input's timestamp.
 *
 * @typeParam IN - the input type
 * @typeParam OUT - the output type
 * @category Operators
 * @since 0.1.0
 */
export class MapOperator<IN, OUT> extends AbstractStreamOperator<OUT> implements OneInputStreamOperator<IN, OUT> {
  constructor(private readonly fn: (value: IN) => OUT) {
    super()
  }

  processElement(value: IN, timestamp: number): void {
    this.output.collect(this.fn(value), timestamp)
  }
}

/**
 * Keeps the records a predicate accepts (DataStream's `filter`).
 *
 * @typeParam T - the record type
 * @category Operators
 * @since 0.1.0
 */
export class FilterOperator<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
  constructor(private readonly predicate: (value: T) => boolean) {
    super()
  }

  processElement(value: T, timestamp: number): void {
    if (this.predicate(value)) this.output.collect(value, timestamp)
  }
}

/** A collector that emits with a fixed timestamp; one per operator, reused. */
class TimestampedCollector<T> implements Collector<T> {
  timestamp = Number.NaN
  constructor(private readonly output: Output<T>) {}
  collect(record: T): void {
    this.output.collect(record, this.timestamp)
  }
}

/**
 * Emits zero or more records per input record (DataStream's `flatMap`), each with the input's
 * timestamp: to the collector, or returned as an iterable (an array, a generator), or both.
 *
 * @remarks
 * The collector is reused between calls: emit during the call only.
 *
 * @typeParam IN - the input type
 * @typeParam OUT - the output type
 * @category Operators
 * @since 0.1.0
 */
export class FlatMapOperator<IN, OUT> extends AbstractStreamOperator<OUT> implements OneInputStreamOperator<IN, OUT> {
  private collector!: TimestampedCollector<OUT>

  constructor(private readonly fn: (value: IN, out: Collector<OUT>) => Iterable<OUT> | void) {
    super()
  }

  override open(): void {
    this.collector = new TimestampedCollector(this.output)
  }

  processElement(value: IN, timestamp: number): void {
    this.collector.timestamp = timestamp
    const returned = this.fn(value, this.collector)
    if (returned !== undefined) for (const o of returned) this.output.collect(o, timestamp)
  }
}
