/**
 * Hand-written loops doing the work of q0-q2 without Strom: generate the events, keep the bids,
 * project (and convert, and filter) them. The runner measures them in the same run, as the
 * yardstick of what the generator alone allows.
 *
 * @packageDocumentation
 */
import { DEFAULT_NEXMARK_CONFIG } from '../generator/generator-config.js'
import { NexmarkGenerator } from '../generator/nexmark-generator.js'
import type { NexmarkQuery } from '../sql/queries.js'

/** The queries with a hand-written loop. */
export const LOOP_QUERIES: readonly NexmarkQuery[] = ['q0', 'q1', 'q2']

/**
 * Runs the loop of `query` over `events` events; returns the number of result rows (and keeps
 * the last one reachable so nothing is optimized away).
 *
 * @category Runner
 * @since 0.1.0
 */
export const runLoop = (query: NexmarkQuery, events: number): { rows: number; last: unknown } => {
  const g = new NexmarkGenerator({ ...DEFAULT_NEXMARK_CONFIG, numEvents: events })
  let rows = 0
  let last: unknown
  for (let n = 0; n < events; n++) {
    const e = g.eventAt(n)
    if (e.type !== 'bid') continue
    const b = e.bid
    if (query === 'q0') last = [b.auction, b.bidder, b.price, b.dateTime, b.extra]
    else if (query === 'q1') last = [b.auction, b.bidder, 0.908 * b.price, b.dateTime, b.extra]
    else if (b.auction % 123 === 0) last = [b.auction, b.price]
    else continue
    rows++
  }
  return { rows, last }
}
