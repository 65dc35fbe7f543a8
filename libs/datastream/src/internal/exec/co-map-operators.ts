import { AbstractStreamOperator } from '@strom/runtime'
import type { Collector, Output, TwoInputStreamOperator } from '@strom/runtime'

/** `ConnectedStreams.map(fn1, fn2)`: one function per input, outputs keep the input's timestamp. */
export class CoMapOperator<I1, I2, O> extends AbstractStreamOperator<O> implements TwoInputStreamOperator<I1, I2, O> {
  constructor(
    private readonly fn1: (value: I1) => O,
    private readonly fn2: (value: I2) => O,
  ) {
    super()
  }

  processElement1(value: I1, timestamp: number): void {
    this.output.collect(this.fn1(value), timestamp)
  }

  processElement2(value: I2, timestamp: number): void {
    this.output.collect(this.fn2(value), timestamp)
  }
}

class TimestampedCollector<T> implements Collector<T> {
  timestamp = Number.NaN
  constructor(private readonly output: Output<T>) {}
  collect(record: T): void {
    this.output.collect(record, this.timestamp)
  }
}

/** `ConnectedStreams.flatMap(fn1, fn2)`: zero or more outputs per record, with the input's timestamp. */
export class CoFlatMapOperator<I1, I2, O>
  extends AbstractStreamOperator<O>
  implements TwoInputStreamOperator<I1, I2, O>
{
  private collector!: TimestampedCollector<O>

  constructor(
    private readonly fn1: (value: I1, out: Collector<O>) => void,
    private readonly fn2: (value: I2, out: Collector<O>) => void,
  ) {
    super()
  }

  override open(): void {
    this.collector = new TimestampedCollector(this.output)
  }

  processElement1(value: I1, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.fn1(value, this.collector)
  }

  processElement2(value: I2, timestamp: number): void {
    this.collector.timestamp = timestamp
    this.fn2(value, this.collector)
  }
}
