/**
 * Nexmark q0–q8 written in the DataStream API, the way a performance-aware Flink user writes
 * them (keyed state and timers, windows with incremental aggregation), with what a benchmark or a
 * test needs to run them: the event stream, the queries by name, and a counting sink.
 *
 * @remarks
 * Every query is a function `(env, events) => DataStream<row>`, where `events` carries the
 * events' times as timestamps and watermarks that no event is late for ({@link nexmarkEventStream}
 * makes such a stream: the DDL's `dateTime - 4 s`). Rows are arrays of the SQL `SELECT`'s columns
 * in order, `TIMESTAMP` values as epoch ms. q0–q3, q5, q7 and q8 are append-only; q4 and q6 emit
 * updates: each row is the new value for its key (its first column) and replaces the key's
 * previous row, so the result table is the latest row per key.
 *
 * @packageDocumentation
 */
import { WatermarkStrategy, type DataStream, type DataStreamSink, type Sink, type SinkWriter, type SinkWriterContext, type Source, type StreamExecutionEnvironment } from '@strom/datastream'
import { eventTimeOf, type NexmarkEvent } from '../generator/events.js'
import { q0, type Q0Row } from './q0.js'
import { q1, type Q1Row } from './q1.js'
import { q2, type Q2Row } from './q2.js'
import { q3, type Q3Row } from './q3.js'
import { q4, type Q4Row } from './q4.js'
import { q5, type Q5Row } from './q5.js'
import { q6, type Q6Row } from './q6.js'
import { q7, type Q7Row } from './q7.js'
import { q8, type Q8Row } from './q8.js'

export { q0, type Q0Row } from './q0.js'
export { q1, type Q1Row } from './q1.js'
export { q2, type Q2Row } from './q2.js'
export { q3, Q3JoinFunction, type Q3Row } from './q3.js'
export { q4, winningBids, WinningBidFunction, Q4AverageFunction, type Q4Row, type WinningBid } from './q4.js'
export { q5, Q5HottestFunction, type Q5Row, type AuctionBidCount } from './q5.js'
export { q6, Q6AverageFunction, type Q6Row } from './q6.js'
export { q7, Q7HighestBidsFunction, type Q7Row, type Q7Candidates } from './q7.js'
export { q8, Q8JoinFunction, type Q8Row } from './q8.js'

/**
 * A Nexmark query in the DataStream API: adds its operators after the event stream and returns
 * its result stream.
 *
 * @typeParam R - the row type
 * @category DataStream queries
 * @since 0.1.0
 */
export type NexmarkDataStreamQuery<R> = (env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>) => DataStream<R>

/**
 * The row type of each DataStream query.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export interface NexmarkDataStreamRows {
  /** See {@link q0}. */
  readonly q0: Q0Row
  /** See {@link q1}. */
  readonly q1: Q1Row
  /** See {@link q2}. */
  readonly q2: Q2Row
  /** See {@link q3}. */
  readonly q3: Q3Row
  /** See {@link q4} (updates keyed by category). */
  readonly q4: Q4Row
  /** See {@link q5}. */
  readonly q5: Q5Row
  /** See {@link q6} (updates keyed by seller). */
  readonly q6: Q6Row
  /** See {@link q7}. */
  readonly q7: Q7Row
  /** See {@link q8}. */
  readonly q8: Q8Row
}

/**
 * The names of the DataStream queries: `'q0'` … `'q8'`.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type NexmarkDataStreamQueryName = keyof NexmarkDataStreamRows

/**
 * Every DataStream query by name, for a benchmark runner to pick one.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export const nexmarkDataStreamQueries: { readonly [Q in NexmarkDataStreamQueryName]: NexmarkDataStreamQuery<NexmarkDataStreamRows[Q]> } = {
  q0,
  q1,
  q2,
  q3,
  q4,
  q5,
  q6,
  q7,
  q8,
}

/**
 * The queries whose output is a stream of updates keyed by the row's first column (the latest row
 * per key is the result), rather than append-only rows.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export const NEXMARK_UPDATING_QUERIES: ReadonlySet<NexmarkDataStreamQueryName> = new Set(['q4', 'q6'])

/**
 * The Nexmark DDL's watermark delay: `WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND`.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export const NEXMARK_WATERMARK_DELAY_MS = 4_000

/**
 * The stream of a Nexmark source with each event's `dateTime` as its timestamp and watermarks
 * `outOfOrdernessMs` (default 4 s, the DDL's) behind the largest time seen, per split.
 *
 * @remarks
 * Make the source with `nexmarkSource` / `nexmarkSourceOf`. The generator emits each split in
 * time order (with `outOfOrderGroupSize` 1), so with any delay `>= 0` no event is late, which
 * the queries rely on.
 *
 * @param env - the environment
 * @param source - a Nexmark source
 * @param outOfOrdernessMs - the watermark delay, ms
 * @category DataStream queries
 * @since 0.1.0
 */
export const nexmarkEventStream = (
  env: StreamExecutionEnvironment,
  source: Source<NexmarkEvent, any, any>,
  outOfOrdernessMs: number = NEXMARK_WATERMARK_DELAY_MS,
): DataStream<NexmarkEvent> =>
  env.fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness<NexmarkEvent>(outOfOrdernessMs).withTimestampAssigner(eventTimeOf), 'nexmark')

/**
 * Builds a whole Nexmark job in `env`: the source's event stream ({@link nexmarkEventStream}),
 * the query, and the sink; run it with `env.execute()`.
 *
 * @typeParam Q - the query's name
 * @param env - the environment
 * @param query - which query
 * @param source - a Nexmark source
 * @param sink - where the rows go (a {@link CountingSink} for a benchmark, a `CollectSink` for a test)
 * @category DataStream queries
 * @since 0.1.0
 */
export const buildNexmarkDataStreamJob = <Q extends NexmarkDataStreamQueryName>(
  env: StreamExecutionEnvironment,
  query: Q,
  source: Source<NexmarkEvent, any, any>,
  sink: Sink<NexmarkDataStreamRows[Q]>,
): DataStreamSink<NexmarkDataStreamRows[Q]> => {
  const run = nexmarkDataStreamQueries[query] as NexmarkDataStreamQuery<NexmarkDataStreamRows[Q]>
  return run(env, nexmarkEventStream(env, source)).sinkTo(sink, `${query}: sink`)
}

/**
 * A sink that only counts the records it gets (like Flink's `DiscardingSink`, or the Nexmark
 * `blackhole` connector, plus a count).
 *
 * @remarks
 * Each writer counts locally and sends its count to the sink object the job was built with on
 * every flush, so {@link CountingSink.count} is exact once the job has finished, whatever thread
 * the writers ran in.
 *
 * @typeParam T - the record type
 * @category DataStream queries
 * @since 0.1.0
 */
export class CountingSink<T> implements Sink<T> {
  private total = 0

  /** The records counted so far, over all writers. */
  get count(): number {
    return this.total
  }

  /** A writer that counts. */
  createWriter(context: SinkWriterContext): SinkWriter<T> {
    return new CountingWriter<T>(context)
  }

  /** Adds a writer's count. */
  onWriterMessage(_subtaskIndex: number, message: unknown): void {
    this.total += message as number
  }
}

class CountingWriter<T> implements SinkWriter<T> {
  private n = 0

  constructor(private readonly context: SinkWriterContext) {}

  write(_value: T, _timestamp: number): void {
    this.n++
  }

  flush(_endOfInput: boolean): void {
    if (this.n === 0) return
    this.context.sendToCoordinator(this.n)
    this.n = 0
  }

  close(): void {}
}
