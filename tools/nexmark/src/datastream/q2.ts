/**
 * Nexmark q2 in the DataStream API: selection.
 *
 * @packageDocumentation
 */
import type { DataStream, StreamExecutionEnvironment } from '@strom/datastream'
import type { NexmarkEvent } from '../generator/events.js'

/**
 * A row of q2: `auction, price` of a bid.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q2Row = readonly [auction: number, price: number]

/**
 * Nexmark q2, selection (`SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0`): the bids
 * on every 123rd auction.
 *
 * @remarks
 * One chained flatMap that allocates only for the selected bids. Stateless; any parallelism.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q2 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q2Row> =>
  events
    .flatMap<Q2Row>((e, out) => {
      if (e.type === 'bid' && e.bid.auction % 123 === 0) out.collect([e.bid.auction, e.bid.price])
    })
    .name('q2: bids of every 123rd auction')
