/**
 * Brute-force references for Nexmark q0–q8: the final result table of each published SQL query
 * (`libs/table/src/sql/fixtures/nexmark/q0.sql` … `q8.sql`, over the views of `ddl.sql`),
 * computed with plain loops over the whole list of events.
 *
 * @remarks
 * These are test oracles: written to be obviously right, not fast (several are quadratic), and
 * sharing no code with the DataStream versions (`../datastream/`). Each function takes the events
 * of a bounded run and returns the rows the query has produced once all of them are in and every
 * window has fired (a bounded run ends with a +infinity watermark).
 *
 * Conventions:
 * - A row is an array of the column values in the `SELECT` order; `TIMESTAMP(3)` values are
 *   epoch ms, `BIGINT` values numbers.
 * - Event time is `dateTime`, with the DDL's watermark `dateTime - 4 s`. The generator emits
 *   events in timestamp order, so no event is late and no row is lost to lateness.
 * - Append-only queries (q0–q3, q5, q7, q8) give a multiset of rows, in no particular order.
 * - Updating queries (q4, q6) give their final table (see {@link referenceQ4} and
 *   {@link referenceQ6}).
 * - `AVG` of a `BIGINT` is a `BIGINT`: the exact mean truncated toward zero (Flink's rule;
 *   Strom's SQL `AvgImpl` returns `Math.trunc(sum / count)` for integer types, which is the same
 *   for sums below 2^53).
 *
 * @packageDocumentation
 */
import type { Auction, Bid, NexmarkEvent } from '../generator/events.js'
import { auctionsOf, bidsOf, personsOf } from './views.js'

/**
 * The row type of each query's reference result, columns in `SELECT` order.
 *
 * @category Reference
 * @since 0.1.0
 */
export interface NexmarkReferenceRows {
  /** `SELECT auction, bidder, price, dateTime, extra FROM bid`. */
  readonly q0: readonly [auction: number, bidder: number, price: number, dateTime: number, extra: string]
  /** `SELECT auction, bidder, 0.908 * price, dateTime, extra FROM bid`; the price is the `DECIMAL(23, 3)` as the nearest double. */
  readonly q1: readonly [auction: number, bidder: number, price: number, dateTime: number, extra: string]
  /** `SELECT auction, price FROM bid WHERE MOD(auction, 123) = 0`. */
  readonly q2: readonly [auction: number, price: number]
  /** `SELECT P.name, P.city, P.state, A.id` of category-10 auctions of sellers in OR, ID or CA. */
  readonly q3: readonly [name: string, city: string, state: string, id: number]
  /** `SELECT Q.category, AVG(Q.final)`: per category, the truncated mean of the auctions' winning prices. */
  readonly q4: readonly [category: number, avgFinal: number]
  /** `SELECT auction, num`: the auctions with the most bids in a 10 s window sliding by 2 s. */
  readonly q5: readonly [auction: number, num: number]
  /** `SELECT seller, AVG(price) OVER (… ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)`. */
  readonly q6: readonly [seller: number, avgPrice: number]
  /** `SELECT B.auction, B.price, B.bidder, B.dateTime, B.extra` of the bids at a 10 s window's maximum price (note: price before bidder). */
  readonly q7: readonly [auction: number, price: number, bidder: number, dateTime: number, extra: string]
  /** `SELECT P.id, P.name, P.starttime`: persons who created an auction in the 10 s window they joined in. */
  readonly q8: readonly [id: number, name: string, starttime: number]
}

/**
 * The names of the queries that have a reference: `'q0'` … `'q8'`.
 *
 * @category Reference
 * @since 0.1.0
 */
export type NexmarkReferenceQuery = keyof NexmarkReferenceRows

// --- the views of ddl.sql ----------------------------------------------------------------------




/** `AVG` over `BIGINT` values: the exact mean, truncated toward zero. */
const avgBigint = (values: readonly number[]): number => {
  let sum = 0n
  for (const v of values) sum += BigInt(v)
  return Number(sum / BigInt(values.length)) // BigInt division truncates toward zero
}

/** The `TUMBLE`/`HOP` window start for a slide: the largest multiple of `slide` at or below `ts`. */
const alignDown = (ts: number, slide: number): number => Math.floor(ts / slide) * slide

// --- q0 – q2: stateless -----------------------------------------------------------------------

/**
 * q0, pass-through: every bid.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ0 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q0'][] =>
  bidsOf(events).map((b) => [b.auction, b.bidder, b.price, b.dateTime, b.extra] as const)

/**
 * q1, currency conversion: every bid with `0.908 * price`.
 *
 * @remarks
 * In SQL `0.908 * price` is exact: `DECIMAL(23, 3)`, `price × 908` thousandths. The reference
 * writes that decimal out as text and parses it, which gives the double nearest to the exact
 * value (the same double as `price * 908 / 1000`, but not always the same as `0.908 * price`).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ1 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q1'][] =>
  bidsOf(events).map((b) => {
    const thousandths = BigInt(b.price) * 908n
    const text = `${thousandths / 1000n}.${String(thousandths % 1000n).padStart(3, '0')}`
    return [b.auction, b.bidder, Number(text), b.dateTime, b.extra] as const
  })

/**
 * q2, selection: `auction, price` of the bids on every 123rd auction.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ2 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q2'][] =>
  bidsOf(events)
    .filter((b) => b.auction % 123 === 0)
    .map((b) => [b.auction, b.price] as const)

// --- q3: regular join ---------------------------------------------------------------------------

/**
 * q3, local item suggestion: the inner join of category-10 auctions with their sellers in OR, ID
 * or CA, one row per matching (auction, person) pair.
 *
 * @remarks
 * A regular join: time plays no part, a pair matches whichever event came first.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ3 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q3'][] => {
  const rows: NexmarkReferenceRows['q3'][] = []
  const persons = personsOf(events)
  for (const a of auctionsOf(events))
    for (const p of persons)
      if (a.seller === p.id && a.category === 10 && (p.state === 'OR' || p.state === 'ID' || p.state === 'CA'))
        rows.push([p.name, p.city, p.state, a.id])
  return rows
}

// --- q4, q6: winning bids -------------------------------------------------------------------------

/**
 * The pairs `FROM auction A, bid B WHERE A.id = B.auction AND B.dateTime BETWEEN A.dateTime AND
 * A.expires` (both bounds included), as `[A, B]`.
 */
const auctionBidPairs = (events: readonly NexmarkEvent[]): [Auction, Bid][] => {
  const pairs: [Auction, Bid][] = []
  const bids = bidsOf(events)
  for (const a of auctionsOf(events))
    for (const b of bids) if (a.id === b.auction && a.dateTime <= b.dateTime && b.dateTime <= a.expires) pairs.push([a, b])
  return pairs
}

/**
 * q4, average price for a category: per category, `AVG` of the winning (highest) price of each of
 * its auctions that has a bid between its start and its end.
 *
 * @remarks
 * An updating query (a join, then two group-bys); its final table has one row per category that
 * has such an auction. `AVG` of the `BIGINT` prices is truncated toward zero.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ4 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q4'][] => {
  // GROUP BY A.id, A.category: MAX(B.price) AS final
  const finals = new Map<string, { category: number; final: number }>()
  for (const [a, b] of auctionBidPairs(events)) {
    const key = `${a.id}|${a.category}`
    const q = finals.get(key)
    if (q === undefined) finals.set(key, { category: a.category, final: b.price })
    else if (b.price > q.final) q.final = b.price
  }
  // GROUP BY Q.category: AVG(Q.final)
  const byCategory = new Map<number, number[]>()
  for (const q of finals.values()) {
    const list = byCategory.get(q.category)
    if (list === undefined) byCategory.set(q.category, [q.final])
    else list.push(q.final)
  }
  return [...byCategory].map(([category, values]) => [category, avgBigint(values)] as const)
}

/**
 * One row of q6's subquery `Q`: an auction's winning bid (`rownum = 1` of
 * `ROW_NUMBER() OVER (PARTITION BY A.id, A.seller ORDER BY B.price DESC)`).
 */
interface WinningBid {
  readonly id: number
  readonly seller: number
  readonly price: number
  readonly dateTime: number
}

/**
 * The winning bid of each (auction, seller): the highest price; among bids of equal highest price
 * the earliest (`ROW_NUMBER` leaves the order of ties open; this is what Flink's top-1 keeps when
 * the bids arrive in time order).
 */
const winningBids = (events: readonly NexmarkEvent[]): WinningBid[] => {
  const best = new Map<string, WinningBid>()
  for (const [a, b] of auctionBidPairs(events)) {
    const key = `${a.id}|${a.seller}`
    const w = best.get(key)
    if (w === undefined || b.price > w.price || (b.price === w.price && b.dateTime < w.dateTime))
      best.set(key, { id: a.id, seller: a.seller, price: b.price, dateTime: b.dateTime })
  }
  return [...best.values()]
}

/**
 * q6's whole result as a batch query would give it: one row per winning bid `Q`, with the
 * truncated `AVG` of the seller's winning prices over the rows `ROWS BETWEEN 10 PRECEDING AND
 * CURRENT ROW` (up to 11) in `ORDER BY dateTime` order.
 *
 * @remarks
 * `dateTime` is the winning bid's. Rows of one seller with equal `dateTime` are ordered by
 * auction id (SQL leaves their order open).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ6AllRows = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q6'][] => {
  const bySeller = new Map<number, WinningBid[]>()
  for (const w of winningBids(events)) {
    const list = bySeller.get(w.seller)
    if (list === undefined) bySeller.set(w.seller, [w])
    else list.push(w)
  }
  const rows: NexmarkReferenceRows['q6'][] = []
  for (const [seller, list] of bySeller) {
    list.sort((x, y) => x.dateTime - y.dateTime || x.id - y.id)
    for (let i = 0; i < list.length; i++) {
      const frame = list.slice(Math.max(0, i - 10), i + 1).map((w) => w.price)
      rows.push([seller, avgBigint(frame)])
    }
  }
  return rows
}

/**
 * q6, average selling price by seller, as its final table: per seller, the value of the seller's
 * latest row (the `AVG` of its last 11 winning prices by the winning bids' `dateTime`).
 *
 * @remarks
 * The query is an updating one (its input `Q` is updated as higher bids come in; the reference
 * Flink cannot run it), so there is no append-only result to compare. What a streaming run
 * converges to, per seller, is the value for the seller's newest row; that is what this returns
 * (one row per seller), and what an implementation that emits the new average per seller on each
 * change ends with. {@link referenceQ6AllRows} has every row.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ6 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q6'][] => {
  const bySeller = new Map<number, WinningBid[]>()
  for (const w of winningBids(events)) {
    const list = bySeller.get(w.seller)
    if (list === undefined) bySeller.set(w.seller, [w])
    else list.push(w)
  }
  const rows: NexmarkReferenceRows['q6'][] = []
  for (const [seller, list] of bySeller) {
    list.sort((x, y) => x.dateTime - y.dateTime || x.id - y.id)
    const frame = list.slice(-11).map((w) => w.price)
    rows.push([seller, avgBigint(frame)])
  }
  return rows
}

// --- q5, q7, q8: windows ---------------------------------------------------------------------------

/**
 * q5, hot items: for each `HOP` window (10 s, sliding by 2 s) the auctions whose bid count in the
 * window is the window's largest, with that count.
 *
 * @remarks
 * One row per (window, auction) at the maximum; the window itself is not selected. Only windows
 * with bids exist.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ5 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q5'][] => {
  const SIZE = 10_000
  const SLIDE = 2_000
  // count(*) GROUP BY auction, window_start, window_end
  const counts = new Map<number, Map<number, number>>() // window start -> auction -> count
  for (const b of bidsOf(events))
    for (let start = alignDown(b.dateTime, SLIDE); start > b.dateTime - SIZE; start -= SLIDE) {
      let perAuction = counts.get(start)
      if (perAuction === undefined) counts.set(start, (perAuction = new Map()))
      perAuction.set(b.auction, (perAuction.get(b.auction) ?? 0) + 1)
    }
  const rows: NexmarkReferenceRows['q5'][] = []
  for (const perAuction of counts.values()) {
    const maxn = Math.max(...perAuction.values())
    for (const [auction, num] of perAuction) if (num >= maxn) rows.push([auction, num])
  }
  return rows
}

/**
 * q7, highest bid: the bids whose price is the highest of a 10 s `TUMBLE` window, where the bid's
 * time is `BETWEEN window_end - 10 s AND window_end`.
 *
 * @remarks
 * `BETWEEN` includes both ends, so a bid at exactly `window_end` (the first ms of the next window)
 * matches the window too when its price equals that window's maximum; a bid can then appear twice
 * (once per window it matches). Columns follow the `SELECT`: price before bidder.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ7 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q7'][] => {
  const SIZE = 10_000
  const bids = bidsOf(events)
  // SELECT MAX(price) AS maxprice, window_end AS dateTime … GROUP BY window_start, window_end
  const maxByEnd = new Map<number, number>()
  for (const b of bids) {
    const end = alignDown(b.dateTime, SIZE) + SIZE
    maxByEnd.set(end, Math.max(maxByEnd.get(end) ?? -Infinity, b.price))
  }
  const rows: NexmarkReferenceRows['q7'][] = []
  for (const [end, maxprice] of maxByEnd)
    for (const b of bids)
      if (b.price === maxprice && end - SIZE <= b.dateTime && b.dateTime <= end) rows.push([b.auction, b.price, b.bidder, b.dateTime, b.extra])
  return rows
}

/**
 * q8, monitor new users: persons (distinct `id, name` per 10 s `TUMBLE` window) who are the
 * seller of an auction in the same window, with the window's start.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ8 = (events: readonly NexmarkEvent[]): NexmarkReferenceRows['q8'][] => {
  const SIZE = 10_000
  // P: GROUP BY id, name, window_start, window_end
  const p = new Map<string, { id: number; name: string; start: number }>()
  for (const x of personsOf(events)) {
    const start = alignDown(x.dateTime, SIZE)
    p.set(JSON.stringify([x.id, x.name, start]), { id: x.id, name: x.name, start })
  }
  // A: GROUP BY seller, window_start, window_end
  const a = new Map<string, { seller: number; start: number }>()
  for (const x of auctionsOf(events)) {
    const start = alignDown(x.dateTime, SIZE)
    a.set(JSON.stringify([x.seller, start]), { seller: x.seller, start })
  }
  const rows: NexmarkReferenceRows['q8'][] = []
  for (const pp of p.values()) for (const aa of a.values()) if (pp.id === aa.seller && pp.start === aa.start) rows.push([pp.id, pp.name, pp.start])
  return rows
}

/**
 * Every reference by query name.
 *
 * @category Reference
 * @since 0.1.0
 */
export const nexmarkReferences: { readonly [Q in NexmarkReferenceQuery]: (events: readonly NexmarkEvent[]) => NexmarkReferenceRows[Q][] } = {
  q0: referenceQ0,
  q1: referenceQ1,
  q2: referenceQ2,
  q3: referenceQ3,
  q4: referenceQ4,
  q5: referenceQ5,
  q6: referenceQ6,
  q7: referenceQ7,
  q8: referenceQ8,
}
