/**
 * Nexmark q0 in the DataStream API: pass-through.
 *
 * @packageDocumentation
 */
import type { DataStream, StreamExecutionEnvironment } from '@strom/datastream'
import type { NexmarkEvent } from '../generator/events.js'

/**
 * A row of q0: `auction, bidder, price, dateTime, extra` of a bid.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q0Row = readonly [auction: number, bidder: number, price: number, dateTime: number, extra: string]

/**
 * Nexmark q0, pass-through (`SELECT auction, bidder, price, dateTime, extra FROM bid`): every bid
 * as a row.
 *
 * @remarks
 * One chained flatMap: it measures the cost of the source, the engine and the sink. Stateless; any
 * parallelism.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q0 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q0Row> =>
  events
    .flatMap<Q0Row>((e, out) => {
      if (e.type === 'bid') {
        const b = e.bid
        out.collect([b.auction, b.bidder, b.price, b.dateTime, b.extra])
      }
    })
    .name('q0: bids')
