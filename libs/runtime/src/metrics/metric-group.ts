/**
 * A count that only goes up (records in, late records dropped...).
 *
 * @category Metrics
 * @since 0.1.0
 */
export interface Counter {
  /** Adds `n` (default 1). */
  inc(n?: number): void
  /** The current count. */
  readonly count: number
}

/**
 * The metrics of one operator subtask, under a scope like `job.operator.0`.
 *
 * @category Metrics
 * @since 0.1.0
 */
export interface MetricGroup {
  /** The scope the metric names are relative to. */
  readonly scope: string
  /** The counter with this name, created on first use. */
  counter(name: string): Counter
  /** Registers a gauge: a value read when the metrics are reported. */
  gauge(name: string, read: () => number): void
}

/**
 * A plain counter.
 *
 * @category Metrics
 * @since 0.1.0
 */
export class SimpleCounter implements Counter {
  count = 0
  inc(n = 1): void {
    this.count += n
  }
}

/**
 * A metric group that keeps its metrics in maps; {@link MapMetricGroup.snapshot} reads them all.
 *
 * @category Metrics
 * @since 0.1.0
 */
export class MapMetricGroup implements MetricGroup {
  private readonly counters = new Map<string, SimpleCounter>()
  private readonly gauges = new Map<string, () => number>()

  constructor(readonly scope: string) {}

  counter(name: string): Counter {
    let c = this.counters.get(name)
    if (c === undefined) this.counters.set(name, (c = new SimpleCounter()))
    return c
  }

  gauge(name: string, read: () => number): void {
    this.gauges.set(name, read)
  }

  /** Every metric's current value, named `scope.name`. */
  snapshot(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [n, c] of this.counters) out[`${this.scope}.${n}`] = c.count
    for (const [n, g] of this.gauges) out[`${this.scope}.${n}`] = g()
    return out
  }
}
