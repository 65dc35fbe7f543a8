/**
 * Brute-force references for Nexmark q9–q22: the final result table of each published SQL query
 * (`libs/table/src/sql/fixtures/nexmark/q9.sql` … `q22.sql`, over the views of `ddl_views.sql`
 * on Nexmark 0.2's `ddl_gen_v2.sql`, whose bids have `channel` and `url`), computed with plain
 * loops and maps over the whole list of events.
 *
 * @remarks
 * These are test oracles: written to be obviously right, not fast, and sharing no code with the
 * SQL engine. Each function takes the events of a bounded run and returns what the query has
 * produced once all of them are in and every window has fired (a bounded run ends with a
 * +infinity watermark).
 *
 * Conventions, as Flink defines the functions the queries use:
 * - A row is an array of the column values in the `SELECT` order; `TIMESTAMP(3)` values are
 *   epoch ms, `BIGINT` values numbers, `DECIMAL` values the nearest double.
 * - `TIMESTAMP(3)` values have no time zone: `DATE_FORMAT` and `HOUR` read them as UTC wall-clock
 *   time (Strom's session time zone is UTC, see `libs/table/src/expr/functions/temporal.ts`).
 * - `AVG` of a `BIGINT` is a `BIGINT`: the exact mean truncated toward zero (Flink divides the
 *   `BIGINT` sum by the count; Strom's `AvgImpl` returns `Math.trunc(sum / count)`).
 * - Where the SQL leaves the result open (ties in a `ROW_NUMBER` order), the reference gives every
 *   admissible row ({@link referenceQ9}, {@link referenceQ18}, {@link referenceQ19}); a test
 *   checks that the engine picked one of them.
 * - q12 windows by processing time, so only its per-bidder totals are determined
 *   ({@link referenceQ12}).
 *
 * @packageDocumentation
 */
import type { Bid, NexmarkEvent } from '../generator/events.js'
import { auctionsOf, bidsOf } from './views.js'

/**
 * The row type of each query's reference result, columns in `SELECT` order.
 *
 * @category Reference
 * @since 0.1.0
 */
export interface NexmarkReferenceRowsQ9Q22 {
  /** The auction's columns (`A.*`), then the winning bid's `auction, bidder, price, bid_dateTime, bid_extra`. */
  readonly q9: readonly [
    id: number,
    itemName: string,
    description: string,
    initialBid: number,
    reserve: number,
    dateTime: number,
    expires: number,
    seller: number,
    category: number,
    extra: string,
    auction: number,
    bidder: number,
    price: number,
    bidDateTime: number,
    bidExtra: string,
  ]
  /** q0's columns and `DATE_FORMAT(dateTime, 'yyyy-MM-dd')`, `DATE_FORMAT(dateTime, 'HH:mm')`. */
  readonly q10: readonly [auction: number, bidder: number, price: number, dateTime: number, extra: string, dt: string, hm: string]
  /** `bidder, count(*), SESSION_START, SESSION_END` of the 10 s session windows per bidder. */
  readonly q11: readonly [bidder: number, bidCount: number, starttime: number, endtime: number]
  /** Not a row of q12 but what is determined of it: per bidder, the sum of its windows' counts. */
  readonly q12: readonly [bidder: number, totalBidCount: number]
  /** `B.auction, B.bidder, B.price, B.dateTime, S.value` of the bids joined with the side input on `mod(auction, 10000) = key`. */
  readonly q13: readonly [auction: number, bidder: number, price: number, dateTime: number, value: string]
  /** `auction, bidder, 0.908 * price, bidTimeType, dateTime, extra, count_char(extra, 'c')`. */
  readonly q14: readonly [auction: number, bidder: number, price: number, bidTimeType: string, dateTime: number, extra: string, cCounts: number]
  /** `day` and the twelve counts of {@link BidStatistics}, in that order. */
  readonly q15: readonly [day: string, ...counts: BidStatistics]
  /** `channel, day, max(DATE_FORMAT(dateTime, 'HH:mm'))` and the twelve counts of {@link BidStatistics}. */
  readonly q16: readonly [channel: string, day: string, minute: string, ...counts: BidStatistics]
  /** `auction, day, total_bids, rank1_bids, rank2_bids, rank3_bids, min_price, max_price, avg_price, sum_price`. */
  readonly q17: readonly [
    auction: number,
    day: string,
    totalBids: number,
    rank1Bids: number,
    rank2Bids: number,
    rank3Bids: number,
    minPrice: number,
    maxPrice: number,
    avgPrice: number,
    sumPrice: number,
  ]
  /** `auction, bidder, price, channel, url, dateTime, extra` of a bid. */
  readonly q18: readonly [auction: number, bidder: number, price: number, channel: string, url: string, dateTime: number, extra: string]
  /** `auction, bidder, price, channel, url, dateTime, extra, rank_number`. */
  readonly q19: readonly [auction: number, bidder: number, price: number, channel: string, url: string, dateTime: number, extra: string, rankNumber: number]
  /** The bid's `auction, bidder, price, channel, url, dateTime, extra`, then the auction's `itemName, description, initialBid, reserve, dateTime, expires, seller, category, extra`. */
  readonly q20: readonly [
    auction: number,
    bidder: number,
    price: number,
    channel: string,
    url: string,
    bidDateTime: number,
    bidExtra: string,
    itemName: string,
    description: string,
    initialBid: number,
    reserve: number,
    auctionDateTime: number,
    expires: number,
    seller: number,
    category: number,
    auctionExtra: string,
  ]
  /** `auction, bidder, price, channel, channel_id`. */
  readonly q21: readonly [auction: number, bidder: number, price: number, channel: string, channelId: string]
  /** `auction, bidder, price, channel, SPLIT_INDEX(url, '/', 3), SPLIT_INDEX(url, '/', 4), SPLIT_INDEX(url, '/', 5)`. */
  readonly q22: readonly [auction: number, bidder: number, price: number, channel: string, dir1: string | null, dir2: string | null, dir3: string | null]
}

/**
 * The twelve counts of q15 and q16, in `SELECT` order: `total_bids`, `rank1_bids` (price below
 * 10 000), `rank2_bids` (10 000 to below 1 000 000), `rank3_bids` (1 000 000 and more), then the
 * same four for distinct bidders and for distinct auctions.
 *
 * @category Reference
 * @since 0.1.0
 */
export type BidStatistics = readonly [
  totalBids: number,
  rank1Bids: number,
  rank2Bids: number,
  rank3Bids: number,
  totalBidders: number,
  rank1Bidders: number,
  rank2Bidders: number,
  rank3Bidders: number,
  totalAuctions: number,
  rank1Auctions: number,
  rank2Auctions: number,
  rank3Auctions: number,
]

/**
 * q19's reference for one auction: what is determined of its top-10 rows.
 *
 * @category Reference
 * @since 0.1.0
 */
export interface Q19Auction {
  /** The auction id. */
  readonly auction: number
  /** The prices of the rows ranked 1, 2, … (at most 10): the auction's highest prices, highest first. */
  readonly topPrices: readonly number[]
  /** Every bid of the auction as `auction, bidder, price, channel, url, dateTime, extra`: the rows are some of these. */
  readonly bids: readonly NexmarkReferenceRowsQ9Q22['q18'][]
}

// --- the views of ddl_views.sql ----------------------------------------------------------------



// --- functions, as Flink defines them -----------------------------------------------------------

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** `DATE_FORMAT(ts, 'yyyy-MM-dd')` of a `TIMESTAMP(3)` (UTC wall clock). */
const formatDay = (ms: number): string => {
  const d = new Date(ms)
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

/** `DATE_FORMAT(ts, 'HH:mm')` of a `TIMESTAMP(3)` (UTC wall clock). */
const formatHourMinute = (ms: number): string => {
  const d = new Date(ms)
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`
}

/** `HOUR(ts)` of a `TIMESTAMP(3)`: 0–23 (UTC wall clock). */
const hourOf = (ms: number): number => new Date(ms).getUTCHours()

/** `0.908 * price` as the exact `DECIMAL(23, 3)`, in thousandths. */
const times0908 = (price: number): bigint => BigInt(price) * 908n

/** A number of thousandths as the nearest double (via its decimal text). */
const thousandthsToNumber = (t: bigint): number => {
  const sign = t < 0n ? '-' : ''
  const a = t < 0n ? -t : t
  return Number(`${sign}${a / 1000n}.${String(a % 1000n).padStart(3, '0')}`)
}

/** `AVG` over `BIGINT` values: the exact mean, truncated toward zero. */
const avgBigint = (values: readonly number[]): number => {
  let sum = 0n
  for (const v of values) sum += BigInt(v)
  return Number(sum / BigInt(values.length)) // BigInt division truncates toward zero
}

/** Nexmark's `CountChar` UDF (`count_char(s, c)`): how many characters of `s` equal the first of `c`. */
const countChar = (s: string, c: string): number => {
  let n = 0
  for (let i = 0; i < s.length; i++) if (s[i] === c[0]) n++
  return n
}

/**
 * `REGEXP_EXTRACT(url, '(&|^)channel_id=([^&]*)', 2)` without a regular expression: the text after
 * the first `channel_id=` that starts the string or follows a `&`, up to the next `&` (possibly
 * empty); `null` when there is none (Java's `Matcher.find`, then `group(2)`).
 */
const extractChannelId = (url: string): string | null => {
  const key = 'channel_id='
  for (let at = url.indexOf(key); at >= 0; at = url.indexOf(key, at + 1)) {
    if (at === 0 || url[at - 1] === '&') {
      const start = at + key.length
      const end = url.indexOf('&', start)
      return end < 0 ? url.slice(start) : url.slice(start, end)
    }
  }
  return null
}

/**
 * `SPLIT_INDEX(s, sep, i)`: the `i`-th (0-based) piece of `s` split at every `sep`, empty pieces
 * kept (commons-lang's `splitByWholeSeparatorPreserveAllTokens`, which Flink uses); `null` when
 * there are fewer pieces.
 */
const splitIndex = (s: string, sep: string, i: number): string | null => {
  const pieces: string[] = []
  let start = 0
  for (let at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, start)) {
    pieces.push(s.slice(start, at))
    start = at + sep.length
  }
  pieces.push(s.slice(start))
  return i >= 0 && i < pieces.length ? pieces[i]! : null
}

/** A map's list for a key, created empty on first use. */
const listIn = <K, V>(m: Map<K, V[]>, k: K): V[] => {
  let l = m.get(k)
  if (l === undefined) m.set(k, (l = []))
  return l
}

const bidRow = (b: Bid): NexmarkReferenceRowsQ9Q22['q18'] => [b.auction, b.bidder, b.price, b.channel, b.url, b.dateTime, b.extra]

// --- q9: winning bids -----------------------------------------------------------------------

/**
 * q9, winning bids: per auction, the bid ranked first by `price DESC, dateTime ASC` among its bids
 * between the auction's start and its end (both included), with the auction's columns.
 *
 * @remarks
 * Returns one group per auction that has such a bid: every row tied for first place (the same
 * price and time; usually one). `ROW_NUMBER` picks one of a tie, which one the SQL leaves open
 * (Flink keeps the one that arrived first); the query's row for the auction is one of the group.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ9 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q9'][][] => {
  const bids = bidsOf(events)
  const groups: NexmarkReferenceRowsQ9Q22['q9'][][] = []
  for (const a of auctionsOf(events)) {
    let best: Bid[] = []
    for (const b of bids) {
      if (b.auction !== a.id || b.dateTime < a.dateTime || b.dateTime > a.expires) continue
      const top = best[0]
      if (top === undefined || b.price > top.price || (b.price === top.price && b.dateTime < top.dateTime)) best = [b]
      else if (b.price === top.price && b.dateTime === top.dateTime) best.push(b)
    }
    if (best.length > 0)
      groups.push(
        best.map((b) => [a.id, a.itemName, a.description, a.initialBid, a.reserve, a.dateTime, a.expires, a.seller, a.category, a.extra, b.auction, b.bidder, b.price, b.dateTime, b.extra] as const),
      )
  }
  return groups
}

// --- q10, q13, q14, q20 – q22: row by row ---------------------------------------------------------

/**
 * q10, log to file system: every bid with its day (`yyyy-MM-dd`) and minute (`HH:mm`), the rows
 * the query writes into its partitioned files.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ10 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q10'][] =>
  bidsOf(events).map((b) => [b.auction, b.bidder, b.price, b.dateTime, b.extra, formatDay(b.dateTime), formatHourMinute(b.dateTime)] as const)

/**
 * q13, bounded side input join: every bid whose `mod(auction, 10000)` is a key of the side input,
 * with that key's value.
 *
 * @remarks
 * A processing-time lookup join into a side input that never changes: an inner join. Nexmark's
 * `SideInputGenerator` writes the lines `i,i` for `i` below its row count.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ13 = (events: readonly NexmarkEvent[], sideInput: ReadonlyMap<number, string>): NexmarkReferenceRowsQ9Q22['q13'][] => {
  const rows: NexmarkReferenceRowsQ9Q22['q13'][] = []
  for (const b of bidsOf(events)) {
    const value = sideInput.get(b.auction % 10000)
    if (value !== undefined) rows.push([b.auction, b.bidder, b.price, b.dateTime, value])
  }
  return rows
}

/**
 * q14, calculation: the bids whose `0.908 * price` is strictly between 1 000 000 and 50 000 000,
 * with that price, the time of day of the bid (`dayTime` for hours 8–18, `nightTime` for hours
 * up to 6 and from 20, else `otherTime`) and the number of `c` in `extra`.
 *
 * @remarks
 * The comparisons are exact (`DECIMAL`); the price is the `DECIMAL(23, 3)` as the nearest double.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ14 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q14'][] => {
  const rows: NexmarkReferenceRowsQ9Q22['q14'][] = []
  for (const b of bidsOf(events)) {
    const p = times0908(b.price)
    if (!(p > 1_000_000_000n && p < 50_000_000_000n)) continue
    const h = hourOf(b.dateTime)
    const type = h >= 8 && h <= 18 ? 'dayTime' : h <= 6 || h >= 20 ? 'nightTime' : 'otherTime'
    rows.push([b.auction, b.bidder, thousandthsToNumber(p), type, b.dateTime, b.extra, countChar(b.extra, 'c')])
  }
  return rows
}

/**
 * q20, expand bid with auction: every (bid, auction) pair with `B.auction = A.id` and
 * `A.category = 10` (a regular join: whichever came first).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ20 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q20'][] => {
  const rows: NexmarkReferenceRowsQ9Q22['q20'][] = []
  const auctions = auctionsOf(events)
  for (const b of bidsOf(events))
    for (const a of auctions)
      if (b.auction === a.id && a.category === 10)
        rows.push([b.auction, b.bidder, b.price, b.channel, b.url, b.dateTime, b.extra, a.itemName, a.description, a.initialBid, a.reserve, a.dateTime, a.expires, a.seller, a.category, a.extra])
  return rows
}

/**
 * q21, add channel id: the bids from one of the four hot channels (by lower-case name: `0` Apple,
 * `1` Google, `2` Facebook, `3` Baidu) or whose URL has a `channel_id` parameter (its value).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ21 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q21'][] => {
  const hot: Record<string, string> = { apple: '0', google: '1', facebook: '2', baidu: '3' }
  const rows: NexmarkReferenceRowsQ9Q22['q21'][] = []
  for (const b of bidsOf(events)) {
    const lower = b.channel.toLowerCase()
    const fromUrl = extractChannelId(b.url)
    const id = Object.hasOwn(hot, lower) ? hot[lower]! : fromUrl
    if (fromUrl !== null || Object.hasOwn(hot, lower)) rows.push([b.auction, b.bidder, b.price, b.channel, id!])
  }
  return rows
}

/**
 * q22, URL directories: every bid with the 4th, 5th and 6th `/`-separated pieces of its URL
 * (`SPLIT_INDEX` counts from 0; `https:` and the empty piece before `www.nexmark.com` come first).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ22 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q22'][] =>
  bidsOf(events).map((b) => [b.auction, b.bidder, b.price, b.channel, splitIndex(b.url, '/', 3), splitIndex(b.url, '/', 4), splitIndex(b.url, '/', 5)] as const)

// --- q11, q12: windows ------------------------------------------------------------------------------

/**
 * q11, user sessions: per bidder, its bids grouped into event-time sessions with a 10 s gap, with
 * the count of bids, the session's start (its first bid's time) and end (its last bid's time plus
 * 10 s).
 *
 * @remarks
 * As Flink's session windows: each bid opens the window `[t, t + 10 s)`, and windows that overlap
 * or touch (`start <= other.end && end >= other.start`, Flink's `TimeWindow.intersects`) merge.
 * So a bid exactly 10 s after the previous one of the same bidder continues its session.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ11 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q11'][] => {
  const GAP = 10_000
  const times = new Map<number, number[]>()
  for (const b of bidsOf(events)) listIn(times, b.bidder).push(b.dateTime)
  const rows: NexmarkReferenceRowsQ9Q22['q11'][] = []
  for (const [bidder, ts] of times) {
    ts.sort((x, y) => x - y)
    let start = ts[0]!
    let end = start + GAP
    let count = 0
    for (const t of ts) {
      if (t > end) {
        rows.push([bidder, count, start, end])
        start = t
        count = 0
      }
      count++
      end = Math.max(end, t + GAP)
    }
    rows.push([bidder, count, start, end])
  }
  return rows
}

/**
 * q12, processing-time windows: what is determined of the result, per bidder the total of its
 * windows' `bid_count` (its number of bids). Which 10 s processing-time window a bid falls in
 * depends on the wall clock.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ12 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q12'][] => {
  const counts = new Map<number, number>()
  for (const b of bidsOf(events)) counts.set(b.bidder, (counts.get(b.bidder) ?? 0) + 1)
  return [...counts]
}

// --- q15 – q17: group aggregations ------------------------------------------------------------------

/** The twelve counts of q15/q16 over a group's bids. */
const statisticsOf = (bids: readonly Bid[]): BidStatistics => {
  const rank = (p: number): 1 | 2 | 3 => (p < 10_000 ? 1 : p < 1_000_000 ? 2 : 3)
  const count = [0, 0, 0, 0]
  const bidders = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()]
  const auctions = [new Set<number>(), new Set<number>(), new Set<number>(), new Set<number>()]
  for (const b of bids) {
    for (const i of [0, rank(b.price)]) {
      count[i]!++
      bidders[i]!.add(b.bidder)
      auctions[i]!.add(b.auction)
    }
  }
  return [...count, ...bidders.map((s) => s.size), ...auctions.map((s) => s.size)] as unknown as BidStatistics
}

/**
 * q15, bidding statistics report: per day (`yyyy-MM-dd`), the number of bids, of distinct bidders
 * and of distinct auctions, in total and for each of three price ranges (`FILTER`).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ15 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q15'][] => {
  const byDay = new Map<string, Bid[]>()
  for (const b of bidsOf(events)) listIn(byDay, formatDay(b.dateTime)).push(b)
  return [...byDay].map(([day, bids]) => [day, ...statisticsOf(bids)] as const)
}

/**
 * q16, channel statistics report: q15's counts per channel and day, with the latest `HH:mm` of the
 * group's bids.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ16 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q16'][] => {
  const groups = new Map<string, { channel: string; day: string; bids: Bid[] }>()
  for (const b of bidsOf(events)) {
    const day = formatDay(b.dateTime)
    const key = JSON.stringify([b.channel, day])
    let g = groups.get(key)
    if (g === undefined) groups.set(key, (g = { channel: b.channel, day, bids: [] }))
    g.bids.push(b)
  }
  return [...groups.values()].map((g) => {
    let minute = ''
    for (const b of g.bids) if (formatHourMinute(b.dateTime) > minute) minute = formatHourMinute(b.dateTime)
    return [g.channel, g.day, minute, ...statisticsOf(g.bids)] as const
  })
}

/**
 * q17, auction statistics report: per auction and day, the number of bids in total and per price
 * range, and the minimum, maximum, truncated average and sum of their prices.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ17 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q17'][] => {
  const groups = new Map<string, { auction: number; day: string; prices: number[] }>()
  for (const b of bidsOf(events)) {
    const day = formatDay(b.dateTime)
    const key = JSON.stringify([b.auction, day])
    let g = groups.get(key)
    if (g === undefined) groups.set(key, (g = { auction: b.auction, day, prices: [] }))
    g.prices.push(b.price)
  }
  return [...groups.values()].map((g) => {
    const ps = g.prices
    let sum = 0
    for (const p of ps) sum += p
    return [
      g.auction,
      g.day,
      ps.length,
      ps.filter((p) => p < 10_000).length,
      ps.filter((p) => p >= 10_000 && p < 1_000_000).length,
      ps.filter((p) => p >= 1_000_000).length,
      Math.min(...ps),
      Math.max(...ps),
      avgBigint(ps),
      sum,
    ] as const
  })
}

// --- q18, q19: Top-N ----------------------------------------------------------------------------------

/**
 * q18, find last bid: per (bidder, auction), the bid with the latest `dateTime`.
 *
 * @remarks
 * Returns one group per (bidder, auction): the bids tied for the latest time, in event order
 * (usually one). `ROW_NUMBER() … ORDER BY dateTime DESC` picks one of a tie, which one the SQL
 * leaves open; Flink's row-time deduplication keeps the one that arrived last (a row replaces the
 * kept one when its time is not smaller), the group's last.
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ18 = (events: readonly NexmarkEvent[]): NexmarkReferenceRowsQ9Q22['q18'][][] => {
  const latest = new Map<string, Bid[]>()
  for (const b of bidsOf(events)) {
    const key = `${b.bidder}|${b.auction}`
    const kept = latest.get(key)
    if (kept === undefined || b.dateTime > kept[0]!.dateTime) latest.set(key, [b])
    else if (b.dateTime === kept[0]!.dateTime) kept.push(b)
  }
  return [...latest.values()].map((group) => group.map(bidRow))
}

/**
 * q19, auction top-10 price: per auction, its 10 highest bids by price, ranked 1 to 10.
 *
 * @remarks
 * Which of several bids of equal price get which rank, and which make the cut at rank 10, the SQL
 * leaves open; what is determined is the prices by rank ({@link Q19Auction.topPrices}) and that
 * each row is a distinct bid of the auction ({@link Q19Auction.bids}).
 *
 * @category Reference
 * @since 0.1.0
 */
export const referenceQ19 = (events: readonly NexmarkEvent[]): Q19Auction[] => {
  const byAuction = new Map<number, Bid[]>()
  for (const b of bidsOf(events)) listIn(byAuction, b.auction).push(b)
  return [...byAuction].map(([auction, bids]) => ({
    auction,
    topPrices: bids
      .map((b) => b.price)
      .sort((x, y) => y - x)
      .slice(0, 10),
    bids: bids.map(bidRow),
  }))
}
