/**
 * Latency mode: a sink that records, for every row, how long after its event was due it arrived.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Sink, SinkWriter } from '@strom/runtime'
import type { ChangelogMode, OptionProblem, Row, TableConnectorFactory, TableSink } from '@strom/table'

/**
 * Latencies in ms, with percentiles.
 *
 * @category Runner
 * @since 0.1.0
 */
export class LatencyRecorder {
  private values = new Float64Array(1 << 16)
  private n = 0

  /** Records one latency. */
  record(ms: number): void {
    if (this.n === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2)
      bigger.set(this.values)
      this.values = bigger
    }
    this.values[this.n++] = ms
  }

  /** The number of latencies recorded. */
  get count(): number {
    return this.n
  }

  /** p50, p99 and max (ms), over the latencies recorded after the first `skip`. */
  summary(skip = 0): { readonly count: number; readonly p50: number; readonly p99: number; readonly max: number } {
    const xs = this.values.slice(Math.min(skip, this.n), this.n).sort()
    const at = (q: number): number => (xs.length === 0 ? Number.NaN : xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]!)
    return { count: xs.length, p50: at(0.5), p99: at(0.99), max: xs.length === 0 ? Number.NaN : xs[xs.length - 1]! }
  }
}

/**
 * When a result row was due: for a row of a projection its event's time (in latency mode an
 * event's time is its wall-clock emission time), for a window's row the time the event that lets
 * the watermark close the window was emitted. `undefined` for rows not measured.
 *
 * @category Runner
 * @since 0.1.0
 */
export type DueTime = (row: Row) => number | undefined

/** The sink connector identifier latency mode uses in place of `blackhole`. */
export const LATENCY_CONNECTOR = 'nexmark-latency'

/**
 * A sink connector (`'connector' = 'nexmark-latency'`) recording, for each row, `Date.now()`
 * minus its due time, in a run whose events carry their wall-clock emission time as event time.
 * Rows due after the latest event generated (windows closed by the end of input rather than by
 * a watermark) are not measured.
 *
 * @category Runner
 * @since 0.1.0
 */
export const latencyConnector = (due: DueTime, recorder: LatencyRecorder, lastEventTime: () => number): TableConnectorFactory => {
  const writer: SinkWriter<Row> = {
    write(row: Row) {
      const t = due(row)
      if (t !== undefined && t <= lastEventTime()) recorder.record(performance.timeOrigin + performance.now() - t)
    },
    flush() {},
    close() {},
  }
  const sink: Sink<Row> = { createWriter: () => writer }
  return {
    identifier: LATENCY_CONNECTOR,
    requiredOptions: [],
    optionalOptions: [],
    createSink: (): E.Either<readonly OptionProblem[], TableSink> => E.right({ acceptedChangelogMode: (m: ChangelogMode) => m, createSink: () => sink }),
  }
}
