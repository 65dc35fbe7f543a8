/**
 * Nexmark q4 in the DataStream API: average price for a category; and the winning bids that q4
 * and q6 share.
 *
 * @packageDocumentation
 */
import {
  KeyedProcessFunction,
  ValueStateDescriptor,
  type Collector,
  type DataStream,
  type RuntimeContext,
  type StreamExecutionEnvironment,
  type ValueState,
} from '@strom/datastream'
import type { Auction, Bid, NexmarkEvent } from '../generator/events.js'

/**
 * A row of q4: `category` and the truncated average of its auctions' winning prices.
 *
 * @remarks
 * q4 is an updating query: each row is the new value for its category (an upsert keyed by the
 * category), and the result table is the latest row per category.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q4Row = readonly [category: number, avgFinal: number]

/**
 * An auction and its winning bid: the highest bid made between the auction's start and its end
 * (`expires`), both included; among bids of equal price, the earliest.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export interface WinningBid {
  /** The auction. */
  readonly auction: Auction
  /** Its winning bid. */
  readonly bid: Bid
}

/** Whether bid `b` beats the best so far: a higher price, or the same price earlier. */
const beats = (b: Bid, best: Bid | undefined): boolean =>
  best === undefined || b.price > best.price || (b.price === best.price && b.dateTime < best.dateTime)

/** Bids that came before their auction are dropped in rounds, at multiples of this (ms), one timer per round. */
const EARLY_BIDS_ROUND_MS = 1_000

/**
 * Finds each auction's winning bid (the join and `MAX(price)` at the core of q4 and q6): auctions
 * and bids (other events are ignored), keyed by auction id; emits a {@link WinningBid} when the
 * auction closes, that is when the watermark reaches `expires`, if the auction had a bid in
 * `[dateTime, expires]`.
 *
 * @remarks
 * Per auction id the state is the auction while it is open, the best bid so far (kept
 * incrementally: two state reads per bid, no allocation), and the bids that came before the
 * auction:
 *
 * - An auction is closed by an event-time timer at `expires`, and its state cleared then.
 * - A bid whose auction is unknown is kept (the auction may still come, from another source
 *   subtask), with a timer at the next whole second after the bid's time (one timer per auction
 *   and second): once the watermark passes the bid's time, an auction that started at or before
 *   the bid would have arrived, so if none did (the bid is for an auction that closed already, or
 *   that starts later) the bid is dropped. (Remembering closed auctions for a while, to drop
 *   their bids at once, measured slower.)
 *
 * Feed auctions and bids as one keyed stream (as {@link winningBids} does) rather than as two
 * connected ones: the records of one source subtask then keep their order, so a bid rarely
 * arrives before its auction.
 *
 * This relies on no record being late (a record's timestamp is above the watermark when it
 * arrives), which holds for the Nexmark source with a watermark strategy that bounds its
 * out-of-orderness (events are in time order within a split). A bounded run ends with a
 * +infinity watermark, which closes every auction, so the winning bids of a bounded run are those
 * of every auction that got a bid in time.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class WinningBidFunction extends KeyedProcessFunction<number, NexmarkEvent, WinningBid> {
  private auction!: ValueState<Auction>
  private best!: ValueState<Bid>
  private early!: ValueState<Bid[]>

  override open(ctx: RuntimeContext): void {
    this.auction = ctx.getState(new ValueStateDescriptor<Auction>('auction'))
    this.best = ctx.getState(new ValueStateDescriptor<Bid>('best-bid'))
    this.early = ctx.getState(new ValueStateDescriptor<Bid[]>('bids-before-auction'))
  }

  processElement(e: NexmarkEvent, ctx: KeyedProcessFunction.Context<number>, _out: Collector<WinningBid>): void {
    if (e.type === 'bid') this.onBid(e.bid, ctx)
    else if (e.type === 'auction') this.onAuction(e.auction, ctx)
  }

  private onAuction(a: Auction, ctx: KeyedProcessFunction.Context<number>): void {
    this.auction.update(a)
    ctx.timerService().registerEventTimeTimer(a.expires)
    const early = this.early.value()
    if (early === undefined) return
    let best: Bid | undefined
    for (const b of early) if (a.dateTime <= b.dateTime && b.dateTime <= a.expires && beats(b, best)) best = b
    if (best !== undefined) this.best.update(best)
    this.early.clear()
  }

  private onBid(b: Bid, ctx: KeyedProcessFunction.Context<number>): void {
    const a = this.auction.value()
    if (a !== undefined) {
      if (a.dateTime <= b.dateTime && b.dateTime <= a.expires && beats(b, this.best.value())) this.best.update(b)
      return
    }
    const early = this.early.value()
    if (early === undefined) this.early.update([b])
    else {
      early.push(b)
      this.early.update(early)
    }
    ctx.timerService().registerEventTimeTimer(b.dateTime - (b.dateTime % EARLY_BIDS_ROUND_MS) + EARLY_BIDS_ROUND_MS)
  }

  override onTimer(timestamp: number, _ctx: KeyedProcessFunction.OnTimerContext<number>, out: Collector<WinningBid>): void {
    const a = this.auction.value()
    if (a !== undefined) {
      // while the auction is open there are no early bids: only its closing timer matters
      if (timestamp !== a.expires) return
      const best = this.best.value()
      if (best !== undefined) out.collect({ auction: a, bid: best })
      this.auction.clear()
      this.best.clear()
      return
    }
    const early = this.early.value()
    if (early === undefined) return
    let kept = 0
    for (const b of early) if (b.dateTime > timestamp) early[kept++] = b
    if (kept === 0) this.early.clear()
    else if (kept < early.length) {
      early.length = kept
      this.early.update(early)
    }
  }
}

/**
 * The winning bid of every auction (see {@link WinningBidFunction}), from the events.
 *
 * @param events - the Nexmark events, with timestamps and watermarks
 * @param query - the query's name, for operator names and uids
 * @category DataStream queries
 * @since 0.1.0
 */
export const winningBids = (events: DataStream<NexmarkEvent>, query: string): DataStream<WinningBid> =>
  events
    .filter((e) => e.type !== 'person')
    .name(`${query}: auctions and bids`)
    .keyBy((e) => (e.type === 'auction' ? e.auction.id : e.type === 'bid' ? e.bid.auction : e.person.id))
    .process(new WinningBidFunction())
    .name(`${query}: winning bids`)
    .uid(`${query}-winning-bids`)

/**
 * The running average of the winning prices per category, as `BIGINT` `AVG` does it: the sum and
 * count in keyed state, the mean truncated toward zero; emits the new average for every winning
 * bid.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class Q4AverageFunction extends KeyedProcessFunction<number, WinningBid, Q4Row> {
  private sum!: ValueState<number>
  private count!: ValueState<number>

  override open(ctx: RuntimeContext): void {
    this.sum = ctx.getState(new ValueStateDescriptor<number>('sum'))
    this.count = ctx.getState(new ValueStateDescriptor<number>('count'))
  }

  processElement(w: WinningBid, ctx: KeyedProcessFunction.Context<number>, out: Collector<Q4Row>): void {
    const sum = (this.sum.value() ?? 0) + w.bid.price
    const count = (this.count.value() ?? 0) + 1
    this.sum.update(sum)
    this.count.update(count)
    out.collect([ctx.getCurrentKey(), Math.trunc(sum / count)])
  }
}

/**
 * Nexmark q4, average price for a category: per category, the average of the winning prices of
 * its auctions (`SELECT Q.category, AVG(Q.final) FROM (SELECT MAX(B.price) AS final, A.category
 * FROM auction A, bid B WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND A.expires
 * GROUP BY A.id, A.category) Q GROUP BY Q.category`).
 *
 * @remarks
 * {@link winningBids} closes each auction at its end, then {@link Q4AverageFunction} keeps a
 * running average per category. The output is an update stream: each row is the category's new
 * average (it replaces the previous row of the category); the latest row per category is the
 * query's result table. Unlike the SQL, which revises an auction's maximum with every higher bid,
 * an auction counts once, when it closes; after a bounded run (which closes all auctions) the
 * result tables are the same.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q4 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q4Row> =>
  winningBids(events, 'q4')
    .keyBy((w) => w.auction.category)
    .process(new Q4AverageFunction())
    .name('q4: average per category')
    .uid('q4-average')
