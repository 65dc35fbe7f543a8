import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NexmarkEvent } from './events.js'
import { DEFAULT_NEXMARK_CONFIG, FIRST_AUCTION_ID, FIRST_PERSON_ID, nexmarkConfig, type NexmarkConfig } from './generator-config.js'
import { NexmarkGenerator, splitRange } from './nexmark-generator.js'
import { JavaRandom } from './java-random.js'
import { priceOf, referencePriceOf } from './model-generators.js'
import * as E from 'fp-ts/lib/Either.js'

/** One line per event, fields separated by '|', as the reference fixture files. */
const line = (e: NexmarkEvent): string => {
  if (e.type === 'person') {
    const p = e.person
    return ['P', p.id, p.name, p.emailAddress, p.creditCard, p.city, p.state, p.dateTime, p.extra].join('|')
  }
  if (e.type === 'auction') {
    const a = e.auction
    return ['A', a.id, a.itemName, a.description, a.initialBid, a.reserve, a.dateTime, a.expires, a.seller, a.category, a.extra].join('|')
  }
  const b = e.bid
  return ['B', b.auction, b.bidder, b.price, b.dateTime, b.extra].join('|')
}

const fixture = (name: string): string[] => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').split('\n').filter((l) => l.length > 0)

const gen = (overrides: Partial<NexmarkConfig> = {}): NexmarkGenerator => new NexmarkGenerator({ ...DEFAULT_NEXMARK_CONFIG, ...overrides })

describe('NexmarkGenerator', () => {
  // The fixtures were printed by a Java program running the reference generator's model code
  // (PersonGenerator, AuctionGenerator, BidGenerator, PriceGenerator, StringsGenerator, LongGenerator)
  // with `new java.util.Random(eventId)` per event, default configuration, base time 2015-07-15.
  it('generates the reference Java generator’s events bit for bit (events 0..99)', () => {
    const g = gen({ exactExtra: true })
    const expected = fixture('reference-events-0.txt')
    expect(expected).toHaveLength(100)
    expect(expected.map((_, n) => line(g.eventAt(n)))).toEqual(expected)
  })

  it('generates the reference’s events far into the stream (events 123456789..123456838)', () => {
    const g = gen({ exactExtra: true })
    const expected = fixture('reference-events-123456789.txt')
    expect(expected.map((_, i) => line(g.eventAt(123456789 + i)))).toEqual(expected)
  })

  it('by default takes the padding from a pool: every other field as the reference, the padding of the same length and alphabet', () => {
    const exact = gen({ exactExtra: true })
    const pooled = gen()
    const alphabet = new Set<string>()
    const pooledChars = new Set<string>()
    const extraOf = (e: NexmarkEvent): string => (e.type === 'person' ? e.person.extra : e.type === 'auction' ? e.auction.extra : e.bid.extra)
    const without = (e: NexmarkEvent): string => line(e).split('|').slice(0, -1).join('|')
    let differing = 0
    for (let n = 0; n < 5000; n++) {
      const a = exact.eventAt(n)
      const b = pooled.eventAt(n)
      expect(without(b)).toBe(without(a))
      expect(extraOf(b)).toHaveLength(extraOf(a).length)
      if (extraOf(b) !== extraOf(a)) differing++
      for (const c of extraOf(a)) alphabet.add(c)
      for (const c of extraOf(b)) pooledChars.add(c)
      if (a.type === 'bid' && b.type === 'bid') expect([b.bid.channel, b.bid.url]).toEqual([a.bid.channel, a.bid.url])
    }
    expect(differing).toBeGreaterThan(4900)
    expect([...pooledChars].sort()).toEqual([...alphabet].sort())
  })

  it('gives bids the channels and URLs of Nexmark 0.2: half from four hot channels, the rest from 10 000 numbered ones', () => {
    const g = gen()
    const counts = new Map<string, number>()
    let bids = 0
    let withId = 0
    for (let n = 0; n < 20000; n++) {
      const e = g.eventAt(n)
      if (e.type !== 'bid') continue
      bids++
      const { channel, url } = e.bid
      const hot = ['Google', 'Facebook', 'Baidu', 'Apple'].includes(channel)
      counts.set(hot ? channel : 'numbered', (counts.get(hot ? channel : 'numbered') ?? 0) + 1)
      expect(url).toMatch(/^https:\/\/www\.nexmark\.com\/[a-z_]{1,4}\/[a-z_]{1,4}\/[a-z_]{1,4}\/item\.htm\?query=1(&channel_id=\d+)?$/)
      if (!hot) {
        expect(channel).toMatch(/^channel-\d{1,4}$/)
        const m = /&channel_id=(\d+)$/.exec(url)
        if (m !== null) {
          withId++
          const n = Number(channel.slice('channel-'.length))
          let r = 0
          for (let i = 0; i < 32; i++) r = (r << 1) | ((n >>> i) & 1)
          expect(Number(m[1])).toBe(Math.abs(r | 0))
        }
      } else expect(url).not.toContain('channel_id')
    }
    const numbered = counts.get('numbered') ?? 0
    expect(numbered / bids).toBeGreaterThan(0.47)
    expect(numbered / bids).toBeLessThan(0.53)
    for (const c of ['Google', 'Facebook', 'Baidu', 'Apple']) expect((counts.get(c) ?? 0) / bids).toBeGreaterThan(0.1)
    expect(withId / numbered).toBeGreaterThan(0.85)
    expect(withId / numbered).toBeLessThan(0.95)
  })

  it('computes prices as the reference’s Math.round(Math.pow(10, 6u) * 100), for a million draws and at the edges', () => {
    const r = new JavaRandom(7)
    for (let k = 0; k < 1_000_000; k++) {
      const u = r.nextDouble()
      if (priceOf(u) !== referencePriceOf(u)) expect(priceOf(u)).toBe(referencePriceOf(u))
    }
    for (const u of [0, 1 - 2 ** -53, 0.5, 1 / 6, 2 / 3, Math.log10(2.5) / 6, Math.log10(1234.5) / 6 - 1e-17]) expect(priceOf(u)).toBe(referencePriceOf(u))
  })

  it('pins the first events (golden snapshot)', () => {
    const g = gen()
    expect(g.eventAt(0)).toMatchObject({ type: 'person', person: { id: 1000, name: 'Peter Jones', emailAddress: 'nhd@xcat.com', creditCard: '7241 7320 9143 4888', city: 'Portland', state: 'WY', dateTime: 1436918400000 } })
    expect(g.eventAt(1)).toMatchObject({ type: 'auction', auction: { id: 1000, itemName: 'wkx mgee', initialBid: 28873, reserve: 29448, expires: 1436918400011, seller: 1000, category: 13 } })
    expect(g.eventAt(4)).toMatchObject({ type: 'bid', bid: { auction: 1000, bidder: 1001, price: 32530001, dateTime: 1436918400000 } })
  })

  it('is deterministic: the same configuration gives the same events', () => {
    const a = gen()
    const b = gen()
    for (let n = 0; n < 500; n++) expect(a.eventAt(n)).toEqual(b.eventAt(n))
  })

  it('gives the same events whatever the split of the event numbers', () => {
    const count = 400
    const whole = Array.from({ length: count }, (_, n) => line(gen().eventAt(n)))
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 13 }), (splits) => {
        const parts: string[] = []
        for (let i = 0; i < splits; i++) {
          const g = gen()
          const { start, end } = splitRange(count, splits, i)
          // generate each split backwards to show no event depends on the previous one
          const part: string[] = []
          for (let n = end - 1; n >= start; n--) part.unshift(line(g.eventAt(n)))
          parts.push(...part)
        }
        expect(parts).toEqual(whole)
      }),
      { numRuns: 20 },
    )
  })

  it('has exactly 1 person, 3 auctions and 46 bids in any 50 consecutive events', () => {
    const g = gen()
    for (const start of [0, 1, 17, 49, 1000, 987654]) {
      const counts = { person: 0, auction: 0, bid: 0 }
      for (let n = start; n < start + 50; n++) counts[g.eventAt(n).type]++
      expect(counts).toEqual({ person: 1, auction: 3, bid: 46 })
    }
    const custom = gen({ personProportion: 2, auctionProportion: 5, bidProportion: 13 })
    const counts = { person: 0, auction: 0, bid: 0 }
    for (let n = 0; n < 200; n++) counts[custom.eventAt(n).type]++
    expect(counts).toEqual({ person: 20, auction: 50, bid: 130 })
  })

  it('numbers persons and auctions consecutively and refers to existing ones or a few ahead (the id leads)', () => {
    const g = gen()
    let lastPerson = FIRST_PERSON_ID - 1
    let lastAuction = FIRST_AUCTION_ID - 1
    let bidsOnExisting = 0
    let bids = 0
    for (let n = 0; n < 20000; n++) {
      const e = g.eventAt(n)
      if (e.type === 'person') {
        expect(e.person.id).toBe(lastPerson + 1)
        lastPerson = e.person.id
      } else if (e.type === 'auction') {
        expect(e.auction.id).toBe(lastAuction + 1)
        lastAuction = e.auction.id
        expect(e.auction.seller).toBeGreaterThanOrEqual(FIRST_PERSON_ID)
        expect(e.auction.seller).toBeLessThanOrEqual(lastPerson + 10)
        expect(e.auction.category).toBeGreaterThanOrEqual(10)
        expect(e.auction.category).toBeLessThan(15)
        expect(e.auction.reserve).toBeGreaterThanOrEqual(e.auction.initialBid)
        expect(e.auction.expires).toBeGreaterThan(e.auction.dateTime)
      } else {
        bids++
        const b = e.bid
        expect(b.auction).toBeGreaterThanOrEqual(Math.max(FIRST_AUCTION_ID, lastAuction - 100))
        expect(b.auction).toBeLessThanOrEqual(lastAuction + 10)
        expect(b.bidder).toBeGreaterThanOrEqual(Math.max(FIRST_PERSON_ID, lastPerson - 1000))
        expect(b.bidder).toBeLessThanOrEqual(lastPerson + 10)
        expect(b.price).toBeGreaterThanOrEqual(100)
        expect(b.price).toBeLessThanOrEqual(100_000_000)
        if (b.auction <= lastAuction && b.bidder <= lastPerson) bidsOnExisting++
      }
    }
    expect(bidsOnExisting / bids).toBeGreaterThan(0.9)
  })

  it('timestamps events from the event number: 10000 events/s of event time by default', () => {
    const g = gen()
    expect(g.timestamp(0)).toBe(DEFAULT_NEXMARK_CONFIG.baseTime)
    expect(g.timestamp(9)).toBe(DEFAULT_NEXMARK_CONFIG.baseTime)
    expect(g.timestamp(10)).toBe(DEFAULT_NEXMARK_CONFIG.baseTime + 1)
    expect(g.timestamp(123456)).toBe(DEFAULT_NEXMARK_CONFIG.baseTime + 12345)
    const slow = gen({ firstEventRate: 3, baseTime: 0 })
    expect([0, 1, 2, 3, 4].map((n) => slow.timestamp(n))).toEqual([0, 333, 666, 1000, 1333])
  })

  it('shuffles within out-of-order groups, never before the watermark', () => {
    const g = gen({ outOfOrderGroupSize: 5 }) // (with 7, 953 ≡ 1 mod 7 and the reference formula keeps the order)
    const ids = Array.from({ length: 70 }, (_, n) => g.eventId(n))
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 70 }, (_, n) => n))
    expect(ids).not.toEqual(Array.from({ length: 70 }, (_, n) => n))
    for (let n = 0; n < 70; n++) for (let m = n; m < 70; m++) expect(g.timestamp(m)).toBeGreaterThanOrEqual(g.watermark(n))
  })

  it('validates its configuration, reporting every problem', () => {
    const r = nexmarkConfig({ personProportion: 0, firstEventRate: 1.5, numEvents: -1 })
    expect(E.isLeft(r) && r.left).toEqual([
      "The Nexmark setting 'firstEventRate' must be a positive integer, got 1.5.",
      "The Nexmark setting 'personProportion' must be a positive integer, got 0.",
      "The Nexmark setting 'numEvents' must be a non-negative integer, got -1.",
    ])
    expect(nexmarkConfig()).toEqual(E.right(DEFAULT_NEXMARK_CONFIG))
  })
})
