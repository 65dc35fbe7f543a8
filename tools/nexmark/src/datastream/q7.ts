/**
 * Nexmark q7 in the DataStream API: highest bid.
 *
 * @packageDocumentation
 */
import {
  KeyedProcessFunction,
  TumblingEventTimeWindows,
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
 * A row of q7: `auction, price, bidder, dateTime, extra` of a bid at a window's highest price
 * (the `SELECT` order: price before bidder).
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q7Row = readonly [auction: number, price: number, bidder: number, dateTime: number, extra: string]

/** The window size, ms. */
const SIZE = 10_000
/** Shards of the first, parallel phase of the maximum (Beam's `Combine.withFanout`). */
const FANOUT = 64

/**
 * Bids that may be at a window's highest price, keyed downstream by the window's end.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export interface Q7Candidates {
  /** The window's end (excluded), epoch ms. */
  readonly windowEnd: number
  /**
   * `true`: the highest-priced bids of one shard of the window, all at `price`. `false`: one bid
   * made at exactly `windowEnd` (in the next window), which `BETWEEN` still matches with this one.
   */
  readonly inWindow: boolean
  /** The price of `bids`. */
  readonly price: number
  /** The bids. */
  readonly bids: readonly Bid[]
}

/** The highest price of a shard's bids in a window, and the bids at it. */
interface MaxBids {
  price: number
  bids: Bid[]
}

/** An incremental `MAX(price)` that also keeps the bids at the maximum (usually one). */
const maxBids: WindowAggregateFunction<Bid, MaxBids, MaxBids> = {
  createAccumulator: () => ({ price: -Infinity, bids: [] }),
  add: (b, acc) => {
    if (b.price > acc.price) {
      acc.price = b.price
      acc.bids = [b]
    } else if (b.price === acc.price) acc.bids.push(b)
    return acc
  },
  getResult: (acc) => acc,
  merge: (a, b) => {
    if (b.price > a.price) {
      a.price = b.price
      a.bids = b.bids.slice()
    } else if (b.price === a.price) a.bids.push(...b.bids)
    return a
  },
}

/**
 * Per window (the key: its end), the bids at the window's highest price: combines the shards'
 * maxima, keeps the bids made at exactly the window's end, and when the watermark reaches the end
 * (all shards' results, stamped `end - 1`, and the bids at `end` are in) emits the bids of either
 * kind at the window's maximum.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class Q7HighestBidsFunction extends KeyedProcessFunction<number, Q7Candidates, Q7Row> {
  private max!: ValueState<number>
  private top!: ValueState<Bid[]>
  private atEnd!: ValueState<Bid[]>

  override open(ctx: RuntimeContext): void {
    this.max = ctx.getState(new ValueStateDescriptor<number>('max-price'))
    this.top = ctx.getState(new ValueStateDescriptor<Bid[]>('bids-at-max'))
    this.atEnd = ctx.getState(new ValueStateDescriptor<Bid[]>('bids-at-window-end'))
  }

  processElement(c: Q7Candidates, ctx: KeyedProcessFunction.Context<number>, _out: Collector<Q7Row>): void {
    ctx.timerService().registerEventTimeTimer(c.windowEnd)
    if (!c.inWindow) {
      const atEnd = this.atEnd.value()
      if (atEnd === undefined) this.atEnd.update(c.bids.slice())
      else {
        atEnd.push(...c.bids)
        this.atEnd.update(atEnd)
      }
      return
    }
    const max = this.max.value()
    if (max === undefined || c.price > max) {
      this.max.update(c.price)
      this.top.update(c.bids.slice())
    } else if (c.price === max) {
      const top = this.top.value()!
      top.push(...c.bids)
      this.top.update(top)
    }
  }

  override onTimer(_timestamp: number, _ctx: KeyedProcessFunction.OnTimerContext<number>, out: Collector<Q7Row>): void {
    const max = this.max.value()
    // no bid in the window: no maximum, so nothing matches (not even the bids at its end)
    if (max !== undefined) {
      for (const b of this.top.value()!) out.collect([b.auction, b.price, b.bidder, b.dateTime, b.extra])
      const atEnd = this.atEnd.value()
      if (atEnd !== undefined) for (const b of atEnd) if (b.price === max) out.collect([b.auction, b.price, b.bidder, b.dateTime, b.extra])
    }
    this.max.clear()
    this.top.clear()
    this.atEnd.clear()
  }
}

/**
 * Nexmark q7, highest bid: the bids at the highest price of each 10 s tumbling window (`SELECT
 * B.auction, B.price, B.bidder, B.dateTime, B.extra FROM bid B JOIN (SELECT MAX(price) AS
 * maxprice, window_end AS dateTime FROM TUMBLE(…, 10 s) GROUP BY window_start, window_end) B1 ON
 * B.price = B1.maxprice WHERE B.dateTime BETWEEN B1.dateTime - 10 s AND B1.dateTime`).
 *
 * @remarks
 * Two-phase maximum, as Beam's q7 does with a fanout: bids are spread over 64 shards by price and
 * each shard's tumbling window keeps its maximum and the bids at it incrementally (no bid is
 * buffered unless it is at the maximum so far); the shard results, keyed by window end, meet in
 * {@link Q7HighestBidsFunction}. `BETWEEN` includes `window_end`, the first ms of the next window,
 * so bids made exactly then also go straight to the window they end, as candidates. Append-only;
 * a bid made at a window's end with the price of both windows' maxima appears twice, as in SQL.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q7 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q7Row> => {
  const shardMaxima = events
    .flatMap<Bid>((e, out) => {
      if (e.type === 'bid') out.collect(e.bid)
    })
    .name('q7: bids')
    .keyBy((b) => b.price % FANOUT)
    .window(TumblingEventTimeWindows.of(SIZE))
    .aggregate(maxBids, (_shard: number, window: TimeWindow, results: Iterable<MaxBids>, out: Collector<Q7Candidates>) => {
      for (const m of results) out.collect({ windowEnd: window.end, inWindow: true, price: m.price, bids: m.bids })
    })
    .name('q7: highest bids per shard and window')
    .uid('q7-shard-max')
  const atWindowEnds = events
    .flatMap<Q7Candidates>((e, out) => {
      if (e.type === 'bid' && e.bid.dateTime % SIZE === 0) out.collect({ windowEnd: e.bid.dateTime, inWindow: false, price: e.bid.price, bids: [e.bid] })
    })
    .name('q7: bids at a window end')
  return shardMaxima
    .union(atWindowEnds)
    .keyBy((c) => c.windowEnd)
    .process(new Q7HighestBidsFunction())
    .name('q7: highest bids per window')
    .uid('q7-max')
}
