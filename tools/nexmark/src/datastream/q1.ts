/**
 * Nexmark q1 in the DataStream API: currency conversion.
 *
 * @packageDocumentation
 */
import type { DataStream, StreamExecutionEnvironment } from '@strom/datastream'
import type { NexmarkEvent } from '../generator/events.js'

/**
 * A row of q1: `auction, bidder, price (euros), dateTime, extra` of a bid.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q1Row = readonly [auction: number, bidder: number, price: number, dateTime: number, extra: string]

/**
 * Nexmark q1, currency conversion (`SELECT auction, bidder, 0.908 * price, dateTime, extra FROM
 * bid`): every bid with its price converted from dollars to euros.
 *
 * @remarks
 * SQL's `0.908 * price` is the exact `DECIMAL(23, 3)` `price × 908 / 1000`; here it is
 * `price * 908 / 1000` in doubles, which is the double nearest to that decimal (`price * 908` is
 * an exact integer below 2^53, and the division rounds correctly), whereas `0.908 * price` can be
 * one ulp off. Stateless; any parallelism.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q1 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q1Row> =>
  events
    .flatMap<Q1Row>((e, out) => {
      if (e.type === 'bid') {
        const b = e.bid
        out.collect([b.auction, b.bidder, (b.price * 908) / 1000, b.dateTime, b.extra])
      }
    })
    .name('q1: bids in euros')
