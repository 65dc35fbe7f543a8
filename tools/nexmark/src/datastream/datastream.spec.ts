import { describe, expect, it } from 'vitest'
import { CollectionSource, CollectSink, StreamExecutionEnvironment, type Source } from '@strom/datastream'
import type { Auction, Bid, NexmarkEvent, Person } from '../generator/events.js'
import { DEFAULT_BASE_TIME, DEFAULT_NEXMARK_CONFIG, type NexmarkConfig } from '../generator/generator-config.js'
import { NexmarkGenerator } from '../generator/nexmark-generator.js'
import { nexmarkSourceOf } from '../nexmark-source.js'
import { keyedOperatorHarness } from '@strom/datastream/testing'
import { nexmarkReferences, referenceQ6AllRows } from '../reference/q0-q8.js'
import { buildNexmarkDataStreamJob, CountingSink, NEXMARK_UPDATING_QUERIES, nexmarkDataStreamQueries, WinningBidFunction, type NexmarkDataStreamQueryName, type WinningBid } from './index.js'

type Row = readonly (string | number)[]

const QUERIES = Object.keys(nexmarkDataStreamQueries) as NexmarkDataStreamQueryName[]

/** Runs one query on a source at a parallelism and returns every row it emitted. */
const run = async (query: NexmarkDataStreamQueryName, source: Source<NexmarkEvent, any, any>, parallelism: number, runtimeMode: 'STREAMING' | 'BATCH' = 'STREAMING'): Promise<Row[]> => {
  // watermarks every ms of wall time, so windows fire and auctions close mid-run too
  const env = StreamExecutionEnvironment.create({ parallelism, autoWatermarkInterval: 1, runtimeMode })
  const sink = new CollectSink<Row>()
  buildNexmarkDataStreamJob(env, query, source, sink)
  await env.execute(`nexmark-${query}`)
  return [...sink.values]
}

/** The result table of a query's output: the rows, or for an update stream the latest row per key (the first column). */
const resultTable = (query: NexmarkDataStreamQueryName, rows: readonly Row[]): Row[] => {
  if (!NEXMARK_UPDATING_QUERIES.has(query)) return [...rows]
  const latest = new Map<string | number, Row>()
  for (const r of rows) latest.set(r[0]!, r) // one key's rows come from one subtask, in order
  return [...latest.values()]
}

/** A multiset of rows in a comparable form. */
const canonical = (rows: readonly Row[]): string[] => rows.map((r) => JSON.stringify(r)).sort()

const generate = (config: NexmarkConfig): NexmarkEvent[] => {
  const g = new NexmarkGenerator(config)
  return Array.from({ length: config.numEvents }, (_, n) => g.eventAt(n))
}

// The reference's default rate (10 000 events/s of event time: 2 s, auctions last ~0.2 s), and a
// slow one (500 events/s: 36 s, so several 10 s windows, fifteen 2 s hops, auctions lasting seconds).
const CONFIGS: readonly { readonly label: string; readonly config: NexmarkConfig }[] = [
  { label: '20 000 events at 10 000/s', config: { ...DEFAULT_NEXMARK_CONFIG, numEvents: 20_000 } },
  { label: '18 000 events at 500/s', config: { ...DEFAULT_NEXMARK_CONFIG, numEvents: 18_000, firstEventRate: 500 } },
]

/** The fewest rows each query's result has on the inputs below. */
const AT_LEAST: Readonly<Record<NexmarkDataStreamQueryName, number>> = { q0: 10_000, q1: 10_000, q2: 20, q3: 20, q4: 5, q5: 5, q6: 50, q7: 1, q8: 20 }

describe('Nexmark q0–q8 in the DataStream API', () => {
  for (const { label, config } of CONFIGS) {
    const events = generate(config)
    for (const query of QUERIES) {
      it(`${query} equals the brute-force reference at parallelism 1 and 2 (${label})`, async () => {
        const expected = canonical(nexmarkReferences[query](events))
        // the run must say something: every query has rows on these inputs (q4: all 5 categories)
        expect(expected.length).toBeGreaterThanOrEqual(AT_LEAST[query])
        for (const p of [1, 2]) {
          const got = await run(query, nexmarkSourceOf(config), p)
          expect(canonical(resultTable(query, got)), `${query} at parallelism ${p}`).toEqual(expected)
        }
      })
    }
  }

  it('BATCH mode gives the same result tables as the references, at parallelism 2', async () => {
    const { config } = CONFIGS[1]!
    const events = generate(config)
    for (const query of QUERIES) {
      const got = await run(query, nexmarkSourceOf(config), 2, 'BATCH')
      expect(canonical(resultTable(query, got)), query).toEqual(canonical(nexmarkReferences[query](events)))
    }
  })

  it('q4 and q6 emit updates: several rows per key, of which the latest is the result', async () => {
    const config = CONFIGS[1]!.config
    for (const query of ['q4', 'q6'] as const) {
      const rows = await run(query, nexmarkSourceOf(config), 2)
      expect(new Set(rows.map((r) => r[0])).size).toBeLessThan(rows.length)
    }
  })

  it('a CountingSink counts every row of a job, at parallelism 2', async () => {
    const config = CONFIGS[0]!.config
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const sink = new CountingSink<unknown>()
    buildNexmarkDataStreamJob(env, 'q0', nexmarkSourceOf(config), sink)
    await env.execute('count')
    expect(sink.count).toBe(generate(config).filter((e) => e.type === 'bid').length)
  })
})

// --- hand-made timelines: the edge cases the generator rarely produces -----------------------------

const T0 = DEFAULT_BASE_TIME // a multiple of 10 s
// Casts: the event types may gain fields the queries do not read.
const person = (id: number, dateTime: number, state = 'OR', name = `P${id}`): NexmarkEvent => ({
  type: 'person',
  person: { id, name, emailAddress: 'e', creditCard: 'c', city: 'Bend', state, dateTime, extra: '' } as Person,
})
const auction = (id: number, seller: number, dateTime: number, expires: number, category = 10): NexmarkEvent => ({
  type: 'auction',
  auction: { id, itemName: 'i', description: 'd', initialBid: 1, reserve: 2, dateTime, expires, seller, category, extra: '' } as Auction,
})
const bid = (auctionId: number, price: number, dateTime: number, bidder = 1): NexmarkEvent => ({
  type: 'bid',
  bid: { auction: auctionId, bidder, price, dateTime, extra: `x${dateTime}` } as Bid,
})

/** The rows of a query on hand-made events (in list order, as one split or two), checked against the reference first. */
const runOn = async (query: NexmarkDataStreamQueryName, events: readonly NexmarkEvent[]): Promise<string[]> => {
  const expected = canonical(nexmarkReferences[query](events))
  for (const p of [1, 2]) expect(canonical(resultTable(query, await run(query, CollectionSource.of(events), p))), `parallelism ${p}`).toEqual(expected)
  return expected
}

describe('Nexmark DataStream queries and references on hand-made timelines', () => {
  it('q0–q2: projection, the exact DECIMAL price, and selection', async () => {
    const events = [bid(1107, 3, T0 + 1), bid(1108, 100, T0 + 2), person(1, T0 + 3), bid(246, 1, T0 + 4, 9)]
    expect(await runOn('q0', events)).toEqual(canonical([[1107, 1, 3, T0 + 1, `x${T0 + 1}`], [1108, 1, 100, T0 + 2, `x${T0 + 2}`], [246, 9, 1, T0 + 4, `x${T0 + 4}`]]))
    // 0.908 * 3 is 2.724 exactly in SQL (DECIMAL), not 2.7240000000000002 as in doubles
    expect(await runOn('q1', events)).toContain(JSON.stringify([1107, 1, 2.724, T0 + 1, `x${T0 + 1}`]))
    expect(await runOn('q2', events)).toEqual(canonical([[1107, 3], [246, 1]]))
  })

  it('q3: a regular join, whichever side comes first, filtered by category and state', async () => {
    const events = [
      auction(30, 3, T0 + 1, T0 + 2), // before its seller, who comes 20 s later
      person(1, T0 + 5, 'OR', 'Ann'),
      auction(10, 1, T0 + 6, T0 + 7),
      auction(11, 1, T0 + 8, T0 + 9, 11), // category 11
      person(2, T0 + 10, 'WA'),
      auction(20, 2, T0 + 11, T0 + 12), // seller in WA
      person(3, T0 + 20_000, 'CA', 'Cy'),
    ]
    expect(await runOn('q3', events)).toEqual(canonical([['Ann', 'Bend', 'OR', 10], ['Cy', 'Bend', 'CA', 30]]))
  })

  // auction 1: bids at both inclusive bounds and one before the auction arrived; auction 2: a tie
  const winning = [
    bid(1, 5000, T0 + 99), // before auction 1 started: excluded
    bid(1, 50, T0 + 150), // arrives before auction 1 (not late: within the 4 s watermark delay)
    auction(1, 7, T0 + 100, T0 + 1100),
    bid(1, 70, T0 + 100), // at the start: included
    auction(2, 7, T0 + 200, T0 + 300),
    bid(2, 91, T0 + 250),
    bid(2, 91, T0 + 260), // same price, later: not the winner
    bid(99, 1, T0 + 270), // no such auction
    bid(3, 40, T0 + 320), // before auction 3 arrives, and its winner
    auction(3, 8, T0 + 300, T0 + 5000, 11),
    auction(4, 8, T0 + 301, T0 + 400, 11), // no bids
    bid(1, 90, T0 + 1100), // at the end: included, the winner
    bid(1, 1000, T0 + 1101), // after the end: excluded
    bid(3, 33, T0 + 4000),
  ]

  it('q4: winning bids within [dateTime, expires], then the truncated average per category', async () => {
    // category 10: (90 + 91) / 2 = 90.5 -> 90; category 11: 40
    expect(await runOn('q4', winning)).toEqual(canonical([[10, 90], [11, 40]]))
  })

  it('q6: the average of the latest 11 winning prices in the order of the winning bids’ times', async () => {
    // seller 7: 91 (at +250), 90 (at +1100) -> 90; seller 8: 40
    expect(await runOn('q6', winning)).toEqual(canonical([[7, 90], [8, 40]]))
    // seller 9: 14 auctions closing in the reverse order of their winning bids' times
    const many: NexmarkEvent[] = []
    const prices = [500, 1, 7, 1000, 13, 250, 42, 999, 3, 77, 600, 5, 8, 123]
    prices.forEach((price, k) => {
      many.push(auction(100 + k, 9, T0 + 1000 + 10 * k, T0 + 3000 - 100 * k))
      many.push(bid(100 + k, price, T0 + 1005 + 10 * k))
    })
    const last11 = prices.slice(-11)
    const avg = Math.trunc(last11.reduce((a, b) => a + b, 0) / 11)
    expect(await runOn('q6', many)).toEqual(canonical([[9, avg]]))
    // the reference's whole OVER result: one row per winning bid, its frame the up-to-11 rows ending there
    expect(referenceQ6AllRows(many).map((r) => r[1])).toEqual(prices.map((_, i) => Math.trunc(prices.slice(Math.max(0, i - 10), i + 1).reduce((a, b) => a + b, 0) / Math.min(i + 1, 11))))
  })

  it('q6: of equal highest bids the earliest wins, which decides whether its auction is among the latest 11', async () => {
    const events: NexmarkEvent[] = [
      auction(200, 10, T0 + 1000, T0 + 9000),
      auction(201, 10, T0 + 1000, T0 + 9000),
      bid(200, 500, T0 + 2010), // arrives first, but is later than the other bid of 500
      bid(201, 1, T0 + 2005),
      bid(200, 500, T0 + 2000), // the winner of auction 200: the oldest winning bid of seller 10
    ]
    const others = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    others.forEach((price, k) => {
      events.push(auction(202 + k, 10, T0 + 2100 + k, T0 + 9000))
      events.push(bid(202 + k, price, T0 + 2200 + k))
    })
    // the latest 11: auction 201's 1 and the ten others (550); 200's 500 at T0 + 2000 is the 12th
    expect(await runOn('q6', events)).toEqual(canonical([[10, Math.trunc((1 + 550) / 11)]]))
  })

  it('q5: the auctions with the most bids per 10 s window sliding by 2 s, ties included', async () => {
    const events = [bid(1, 1, T0 + 100), bid(1, 1, T0 + 110), bid(2, 1, T0 + 120), bid(2, 1, T0 + 130), bid(3, 1, T0 + 3000), bid(3, 1, T0 + 3001), bid(3, 1, T0 + 3002)]
    // the window starting at T0 - 8 s sees auctions 1 and 2 twice each; the five windows from
    // T0 - 6 s to T0 + 2 s see auction 3 three times
    expect(await runOn('q5', events)).toEqual(canonical([[1, 2], [2, 2], [3, 3], [3, 3], [3, 3], [3, 3], [3, 3]]))
  })

  it('q7: BETWEEN includes the window end, so a bid made then can match two windows', async () => {
    const events = [
      bid(1, 10, T0 + 5),
      bid(2, 30, T0 + 7000),
      bid(3, 30, T0 + 9999),
      bid(4, 30, T0 + 10_000), // the first ms of window 2, at window 1's maximum: matches both
      bid(5, 20, T0 + 12_000),
      bid(6, 20, T0 + 20_000), // window 3's only bid, not at window 2's maximum
      bid(7, 99, T0 + 40_000), // at the end of window 4, which has no bid: matches window 5 only
    ]
    const row = (auctionId: number, price: number, ts: number): string => JSON.stringify([auctionId, price, 1, ts, `x${ts}`])
    expect(await runOn('q7', events)).toEqual(
      [row(2, 30, T0 + 7000), row(3, 30, T0 + 9999), row(4, 30, T0 + 10_000), row(4, 30, T0 + 10_000), row(6, 20, T0 + 20_000), row(7, 99, T0 + 40_000)].sort(),
    )
  })

  it('q8: persons (distinct id and name) who sell in the 10 s window they joined in', async () => {
    const events = [
      person(5, T0 + 100, 'OR', 'A'),
      auction(50, 5, T0 + 200, T0 + 300),
      auction(51, 5, T0 + 250, T0 + 300), // a second auction: still one row
      person(5, T0 + 260, 'OR', 'A'), // the same id and name again: still one row
      auction(70, 7, T0 + 300, T0 + 400), // before the person, same window
      person(7, T0 + 400, 'OR', 'G'),
      person(6, T0 + 9000, 'OR', 'F'),
      auction(60, 6, T0 + 10_001, T0 + 10_002), // the next window
      person(8, T0 + 10_100, 'OR', 'B'),
      person(8, T0 + 10_200, 'OR', 'C'), // another name of the same id
      auction(80, 8, T0 + 10_300, T0 + 10_400),
    ]
    expect(await runOn('q8', events)).toEqual(canonical([[5, 'A', T0], [7, 'G', T0], [8, 'B', T0 + 10_000], [8, 'C', T0 + 10_000]]))
  })
})

describe('WinningBidFunction', () => {
  const key = (e: NexmarkEvent): number => (e.type === 'auction' ? e.auction.id : e.type === 'bid' ? e.bid.auction : e.person.id)
  const harness = (restoreFrom?: ReturnType<ReturnType<typeof keyedOperatorHarness>['snapshot']>) =>
    keyedOperatorHarness<NexmarkEvent, number, WinningBid>(key, (s) => s.process(new WinningBidFunction()), restoreFrom === undefined ? {} : { restoreFrom })
  const at = (e: NexmarkEvent): number => (e.type === 'auction' ? e.auction.dateTime : e.type === 'bid' ? e.bid.dateTime : e.person.dateTime)

  it('keeps bids that come before their auction until the watermark passes them, closes at expires, and forgets the auction', () => {
    const h = harness()
    const early = [bid(5, 1, T0 + 500), bid(5, 77, T0 + 1600)] // before auction 5 started; in time, but before auction 5 arrived
    for (const e of early) h.processElement(e, at(e))
    h.processWatermark(T0 + 1000) // no auction started by T0 + 500 arrived: the first bid goes, the second stays
    const h2 = harness(h.snapshot())
    const rest = [auction(5, 3, T0 + 1500, T0 + 3000), bid(5, 60, T0 + 2000), bid(5, 77, T0 + 2500)] // the last: the same price, later
    for (const e of rest) h2.processElement(e, at(e))
    h2.processWatermark(T0 + 2999)
    expect(h2.extractOutputValues()).toEqual([])
    h2.processWatermark(T0 + 3000)
    expect(h2.extractOutputRecords().map((r) => [r.value.auction.id, r.value.bid.price, r.value.bid.dateTime, r.timestamp])).toEqual([[5, 77, T0 + 1600, T0 + 3000]])
    expect([h2.numKeyedStateEntries(), h2.numEventTimeTimers()]).toEqual([0, 0])
    const late = bid(5, 999, T0 + 3500) // after the end: kept as if early, then dropped
    h2.processElement(late, at(late))
    h2.processWatermark(T0 + 4000)
    expect(h2.extractOutputValues()).toHaveLength(1)
    expect([h2.numKeyedStateEntries(), h2.numEventTimeTimers()]).toEqual([0, 0])
  })
})
