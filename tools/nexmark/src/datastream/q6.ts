/**
 * Nexmark q6 in the DataStream API: average selling price by seller.
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
import type { NexmarkEvent } from '../generator/events.js'
import { winningBids, type WinningBid } from './q4.js'

/**
 * A row of q6: the `seller` and the truncated average of its latest (up to) 11 winning prices.
 *
 * @remarks
 * q6 is an updating query: each row is the new value for its seller (an upsert keyed by the
 * seller), and the result table is the latest row per seller.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q6Row = readonly [seller: number, avgPrice: number]

/** The rows of `ROWS BETWEEN 10 PRECEDING AND CURRENT ROW`. */
const FRAME = 11

/** Whether winning bid `x` comes after `y` in q6's order: the bid's time, then the auction id. */
const after = (x: WinningBid, y: WinningBid): boolean =>
  x.bid.dateTime > y.bid.dateTime || (x.bid.dateTime === y.bid.dateTime && x.auction.id > y.auction.id)

/**
 * Per seller, the average of the latest 11 winning prices in the order of the winning bids'
 * times (then auction ids): keeps those 11 sorted in keyed state and emits the new average,
 * truncated toward zero as `BIGINT` `AVG` is, whenever they change.
 *
 * @remarks
 * Auctions close in the order of their ends, not of their winning bids' times, so a winning bid
 * can arrive older than some kept ones: it is inserted in order, or ignored when it is older than
 * all 11 kept (it can never be among the latest 11 again).
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class Q6AverageFunction extends KeyedProcessFunction<number, WinningBid, Q6Row> {
  private latest!: ValueState<WinningBid[]>

  override open(ctx: RuntimeContext): void {
    this.latest = ctx.getState(new ValueStateDescriptor<WinningBid[]>('latest-winning-bids'))
  }

  processElement(w: WinningBid, ctx: KeyedProcessFunction.Context<number>, out: Collector<Q6Row>): void {
    let latest = this.latest.value()
    if (latest === undefined) latest = []
    else if (latest.length === FRAME && !after(w, latest[0]!)) return
    let i = latest.length
    latest.push(w)
    while (i > 0 && after(latest[i - 1]!, w)) {
      latest[i] = latest[i - 1]!
      i--
    }
    latest[i] = w
    if (latest.length > FRAME) latest.shift()
    this.latest.update(latest)
    let sum = 0
    for (const x of latest) sum += x.bid.price
    out.collect([ctx.getCurrentKey(), Math.trunc(sum / latest.length)])
  }
}

/**
 * Nexmark q6, average selling price by seller: per seller, the average winning price of its last
 * 11 closed auctions (`AVG(Q.price) OVER (PARTITION BY Q.seller ORDER BY Q.dateTime ROWS BETWEEN
 * 10 PRECEDING AND CURRENT ROW)` over the winning bids `Q`).
 *
 * @remarks
 * The winning bids are q4's ({@link winningBids}: an auction's highest bid in `[dateTime,
 * expires]`, the earliest of equal ones, emitted when the auction closes), keyed by seller into
 * {@link Q6AverageFunction}. The output is an update stream: each row is the seller's new average
 * and replaces its previous row; the latest row per seller is the value of the seller's newest
 * winning bid's `OVER` row, which is the result table the tests compare. (Flink cannot run the
 * SQL: its `OVER` aggregate does not take the updates its input makes.)
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q6 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q6Row> =>
  winningBids(events, 'q6')
    .keyBy((w) => w.auction.seller)
    .process(new Q6AverageFunction())
    .name('q6: average of the latest winning prices per seller')
    .uid('q6-average')
