/**
 * Nexmark q5 in the DataStream API: hot items.
 *
 * @packageDocumentation
 */
import {
  KeyedProcessFunction,
  SlidingEventTimeWindows,
  ValueStateDescriptor,
  type Collector,
  type DataStream,
  type RuntimeContext,
  type StreamExecutionEnvironment,
  type TimeWindow,
  type ValueState,
  type WindowAggregateFunction,
} from '@strom/datastream'
import type { Bid, NexmarkEvent } from '../generator/events.js'

/**
 * A row of q5: an `auction` with the most bids in a window, and that number of bids.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q5Row = readonly [auction: number, num: number]

/**
 * The bid count of one auction in one window, keyed downstream by the window's end.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export interface AuctionBidCount {
  /** The auction. */
  readonly auction: number
  /** Its bids in the window. */
  readonly count: number
  /** The window's end (excluded), epoch ms. */
  readonly windowEnd: number
}

/** `count(*)`: a number accumulator; `merge` lets the window operator keep one count per 2 s slice. */
const countBids: WindowAggregateFunction<Bid, number, number> = {
  createAccumulator: () => 0,
  add: (_bid, n) => n + 1,
  getResult: (n) => n,
  merge: (a, b) => a + b,
}

/**
 * Per window (the key: its end), the auctions with the most bids: keeps the largest count so far
 * and the auctions that have it, and emits them when the watermark passes the window's last ms
 * (`end - 1`, the timestamp of the window's counts, so all of them are in).
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class Q5HottestFunction extends KeyedProcessFunction<number, AuctionBidCount, Q5Row> {
  private max!: ValueState<number>
  private hottest!: ValueState<number[]>

  override open(ctx: RuntimeContext): void {
    this.max = ctx.getState(new ValueStateDescriptor<number>('max-count'))
    this.hottest = ctx.getState(new ValueStateDescriptor<number[]>('auctions-at-max'))
  }

  processElement(c: AuctionBidCount, ctx: KeyedProcessFunction.Context<number>, _out: Collector<Q5Row>): void {
    const max = this.max.value()
    if (max === undefined || c.count > max) {
      if (max === undefined) ctx.timerService().registerEventTimeTimer(c.windowEnd - 1)
      this.max.update(c.count)
      this.hottest.update([c.auction])
    } else if (c.count === max) {
      const hottest = this.hottest.value()!
      hottest.push(c.auction)
      this.hottest.update(hottest)
    }
  }

  override onTimer(_timestamp: number, _ctx: KeyedProcessFunction.OnTimerContext<number>, out: Collector<Q5Row>): void {
    const max = this.max.value()
    const hottest = this.hottest.value()
    if (max !== undefined && hottest !== undefined) for (const auction of hottest) out.collect([auction, max])
    this.max.clear()
    this.hottest.clear()
  }
}

/**
 * Nexmark q5, hot items: for every 10 s window sliding by 2 s, the auctions with the most bids
 * (`HOP(TABLE bid, DESCRIPTOR(dateTime), INTERVAL '2' SECOND, INTERVAL '10' SECOND)`, the count per
 * auction joined with the maximum count per window).
 *
 * @remarks
 * Bids keyed by auction go through a sliding event-time window with an incremental count (the
 * window operator keeps one count per auction and 2 s slice, and sums five slices per window when
 * it fires); the counts, keyed by window end, go to {@link Q5HottestFunction}, which emits the
 * auctions at the window's maximum once all counts of the window are in. Append-only: one row per
 * (window, hottest auction).
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q5 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q5Row> =>
  events
    .flatMap<Bid>((e, out) => {
      if (e.type === 'bid') out.collect(e.bid)
    })
    .name('q5: bids')
    .keyBy((b) => b.auction)
    .window(SlidingEventTimeWindows.of(10_000, 2_000))
    .aggregate(countBids, (auction: number, window: TimeWindow, counts: Iterable<number>, out: Collector<AuctionBidCount>) => {
      for (const count of counts) out.collect({ auction, count, windowEnd: window.end })
    })
    .name('q5: bids per auction and window')
    .uid('q5-count')
    .keyBy((c) => c.windowEnd)
    .process(new Q5HottestFunction())
    .name('q5: hottest auctions per window')
    .uid('q5-hottest')
