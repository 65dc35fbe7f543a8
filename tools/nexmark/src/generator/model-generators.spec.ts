/**
 * The generator against a plain transcription of the reference's model code (`PersonGenerator`,
 * `AuctionGenerator`, `BidGenerator`, `PriceGenerator`, `StringsGenerator`, `LongGenerator` with
 * a BigInt `java.util.Random`), for any configuration and any event numbers: the fast paths
 * (the limbs of the random generator, ids from one division, strings drawn into a shared buffer,
 * the price table, a bid's padding rule worked out once) must not change a single field.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Auction, Bid, NexmarkEvent, Person } from './events.js'
import { DEFAULT_NEXMARK_CONFIG, type NexmarkConfig } from './generator-config.js'
import { JavaRandom } from './java-random.js'
import { nextString } from './model-generators.js'
import { NexmarkGenerator } from './nexmark-generator.js'

const MASK = (1n << 48n) - 1n

/** `java.util.Random`, transcribed with BigInt. */
class Random {
  private seed: bigint
  constructor(seed: number | bigint) {
    this.seed = (BigInt(seed) ^ 0x5deece66dn) & MASK
  }
  next(bits: number): number {
    this.seed = (this.seed * 0x5deece66dn + 0xbn) & MASK
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)))
  }
  nextInt(bound?: number): number {
    if (bound === undefined) return this.next(32)
    let r = this.next(31)
    const m = bound - 1
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n)
    for (let u = r; BigInt.asIntN(32, BigInt(u - (r = u % bound) + m)) < 0n; u = this.next(31));
    return r
  }
  nextLong(): bigint {
    return BigInt.asIntN(64, (BigInt(this.next(32)) << 32n) + BigInt(this.next(32)))
  }
  nextDouble(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) / 2 ** 53
  }
}

// --- the reference's model code, line by line (longs as BigInt) ----------------------------------

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY']
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne']
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter']
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris']

const longOf = (random: Random, n: bigint): bigint => {
  if (n < 2147483647n) return BigInt(random.nextInt(Number(n)))
  const r = random.nextLong() % n
  return r < 0n ? -r : r
}
const priceOf = (random: Random): number => Math.floor(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0 + 0.5)
const stringOf = (random: Random, maxLength: number, special = ' '): string => {
  const len = 3 + random.nextInt(maxLength - 3)
  let s = ''
  for (let i = 0; i < len; i++) s += random.nextInt(13) === 0 ? special : String.fromCharCode(97 + random.nextInt(26))
  return s.replace(/^ +| +$/g, '') // String.trim: only spaces can be drawn
}
const exactStringOf = (random: Random, length: number): string => {
  let s = ''
  let rnd = 0
  let n = 0
  while (length-- > 0) {
    if (n === 0) {
      rnd = random.nextInt()
      n = 6
    }
    s += String.fromCharCode(97 + (rnd % 26))
    rnd = Math.trunc(rnd / 26)
    n--
  }
  return s
}

/** The default padding pool: `nextExactString` characters of `new Random("NXMK")`, a prefix of any longer pool. */
const POOL = exactStringOf(new Random(0x4e584d4b), (1 << 16) + 4096)

/** `nextExtra`, or the pooled padding: the same length rule, then a slice of the pool at a drawn offset. */
const extraOf = (random: Random, currentSize: number, desiredAverageSize: number, exact: boolean): string => {
  if (currentSize > desiredAverageSize) return ''
  desiredAverageSize -= currentSize
  const delta = Math.floor(desiredAverageSize * 0.2 + 0.5)
  const size = desiredAverageSize - delta + (delta === 0 ? 0 : random.nextInt(2 * delta))
  if (size <= 0) return ''
  if (exact) return exactStringOf(random, size)
  const offset = random.nextInt(1 << 16)
  return POOL.substring(offset, offset + size)
}

interface Ids {
  readonly total: bigint
  readonly pp: bigint
  readonly ap: bigint
}
const idsOf = (c: NexmarkConfig): Ids => ({ total: BigInt(c.personProportion + c.auctionProportion + c.bidProportion), pp: BigInt(c.personProportion), ap: BigInt(c.auctionProportion) })
const lastPerson = (ids: Ids, eventId: bigint): bigint => {
  const epoch = eventId / ids.total
  let offset = eventId % ids.total
  if (offset >= ids.pp) offset = ids.pp - 1n
  return epoch * ids.pp + offset
}
const lastAuction = (ids: Ids, eventId: bigint): bigint => {
  let epoch = eventId / ids.total
  let offset = eventId % ids.total
  if (offset < ids.pp) {
    epoch--
    offset = ids.ap - 1n
  } else if (offset >= ids.pp + ids.ap) offset = ids.ap - 1n
  else offset -= ids.pp
  return epoch * ids.ap + offset
}
const randomPerson = (ids: Ids, eventId: bigint, random: Random, c: NexmarkConfig): bigint => {
  const numPeople = lastPerson(ids, eventId) + 1n
  const active = numPeople < BigInt(c.numActivePeople) ? numPeople : BigInt(c.numActivePeople)
  return numPeople - active + longOf(random, active + 10n)
}
const randomAuction = (ids: Ids, eventId: bigint, random: Random, c: NexmarkConfig): bigint => {
  const max = lastAuction(ids, eventId)
  const min = max - BigInt(c.numInFlightAuctions) > 0n ? max - BigInt(c.numInFlightAuctions) : 0n
  return min + longOf(random, max - min + 1n + 10n)
}

const referencePerson = (c: NexmarkConfig, eventId: bigint, timestamp: number): Person => {
  const ids = idsOf(c)
  const random = new Random(eventId)
  const id = Number(lastPerson(ids, eventId) + 1000n)
  const name = FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + ' ' + LAST_NAMES[random.nextInt(LAST_NAMES.length)]
  const emailAddress = stringOf(random, 7) + '@' + stringOf(random, 5) + '.com'
  const creditCard = Array.from({ length: 4 }, () => String(random.nextInt(10000)).padStart(4, '0')).join(' ')
  const city = US_CITIES[random.nextInt(US_CITIES.length)]!
  const state = US_STATES[random.nextInt(US_STATES.length)]!
  const currentSize = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length
  const extra = extraOf(random, currentSize, c.avgPersonByteSize, c.exactExtra)
  return { id, name, emailAddress, creditCard, city, state, dateTime: timestamp, extra }
}

const referenceAuction = (c: NexmarkConfig, g: NexmarkGenerator, eventNumber: number, eventId: bigint, timestamp: number): Auction => {
  const ids = idsOf(c)
  const random = new Random(eventId)
  const id = Number(lastAuction(ids, eventId) + 1000n)
  const seller = Number((random.nextInt(c.hotSellersRatio) > 0 ? (lastPerson(ids, eventId) / 100n) * 100n : randomPerson(ids, eventId, random, c)) + 1000n)
  const category = 10 + random.nextInt(5)
  const initialBid = priceOf(random)
  // nextAuctionLengthMs: the time until numInFlightAuctions more auctions, on the adjusted event number's timeline
  const numEventsForAuctions = (BigInt(c.numInFlightAuctions) * ids.total) / ids.ap
  const adjusted = Number(BigInt(g.eventId(eventNumber)) - BigInt(c.firstEventId))
  const futureAuction = c.baseTime + Math.trunc(Math.trunc((adjusted + Number(numEventsForAuctions)) * (1000000.0 / c.firstEventRate)) / 1000)
  const horizonMs = BigInt(futureAuction - timestamp)
  const expires = timestamp + Number(1n + longOf(random, horizonMs * 2n > 1n ? horizonMs * 2n : 1n))
  const itemName = stringOf(random, 20)
  const description = stringOf(random, 100)
  const reserve = initialBid + priceOf(random)
  const currentSize = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8
  const extra = extraOf(random, currentSize, c.avgAuctionByteSize, c.exactExtra)
  return { id, itemName, description, initialBid, reserve, dateTime: timestamp, expires, seller, category, extra }
}

/** A bid without its channel and URL (Nexmark 0.2's, drawn apart: see the channel test). */
const referenceBid = (c: NexmarkConfig, eventId: bigint, timestamp: number): Omit<Bid, 'channel' | 'url'> => {
  const ids = idsOf(c)
  const random = new Random(eventId)
  const auction = Number((random.nextInt(c.hotAuctionRatio) > 0 ? (lastAuction(ids, eventId) / 100n) * 100n : randomAuction(ids, eventId, random, c)) + 1000n)
  const bidder = Number((random.nextInt(c.hotBiddersRatio) > 0 ? (lastPerson(ids, eventId) / 100n) * 100n + 1n : randomPerson(ids, eventId, random, c)) + 1000n)
  const price = priceOf(random)
  const extra = extraOf(random, 8 + 8 + 8 + 8, c.avgBidByteSize, c.exactExtra)
  return { auction, bidder, price, dateTime: timestamp, extra }
}

/** The reference's event of an event number, with the generator's event id and time (pinned by their own tests). */
const referenceEvent = (c: NexmarkConfig, g: NexmarkGenerator, n: number): NexmarkEvent | Omit<Bid, 'channel' | 'url'> => {
  const eventId = BigInt(g.eventId(n))
  const timestamp = g.timestamp(n)
  const ids = idsOf(c)
  const rem = eventId % ids.total
  if (rem < ids.pp) return { type: 'person', person: referencePerson(c, eventId, timestamp) }
  if (rem < ids.pp + ids.ap) return { type: 'auction', auction: referenceAuction(c, g, n, eventId, timestamp) }
  return referenceBid(c, eventId, timestamp)
}

const withoutChannel = (e: NexmarkEvent): NexmarkEvent | Omit<Bid, 'channel' | 'url'> => {
  if (e.type !== 'bid') return e
  const { channel: _channel, url: _url, ...rest } = e.bid
  return rest
}

const configArb: fc.Arbitrary<NexmarkConfig> = fc
  .record({
    personProportion: fc.integer({ min: 1, max: 4 }),
    auctionProportion: fc.integer({ min: 1, max: 6 }),
    bidProportion: fc.integer({ min: 1, max: 50 }),
    hotAuctionRatio: fc.integer({ min: 1, max: 5 }),
    hotSellersRatio: fc.integer({ min: 1, max: 5 }),
    hotBiddersRatio: fc.integer({ min: 1, max: 5 }),
    numActivePeople: fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.constant(2 ** 31 + 5)),
    numInFlightAuctions: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.constant(2 ** 31 + 100)),
    avgPersonByteSize: fc.integer({ min: 0, max: 600 }),
    avgAuctionByteSize: fc.integer({ min: 0, max: 900 }),
    avgBidByteSize: fc.integer({ min: 0, max: 300 }),
    outOfOrderGroupSize: fc.integer({ min: 1, max: 9 }),
    firstEventRate: fc.integer({ min: 1, max: 50000 }),
    firstEventId: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 ** 31 + 1000 }), fc.integer({ min: 2 ** 31 - 100, max: 2 ** 31 + 100 }), fc.integer({ min: 0, max: 2 ** 46 })),
    exactExtra: fc.boolean(),
  })
  .map((o) => ({ ...DEFAULT_NEXMARK_CONFIG, ...o }))

describe('model generators', () => {
  it('make the reference’s persons, auctions and bids, field for field, for any configuration and event numbers', () => {
    fc.assert(
      fc.property(configArb, fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 44 })), (config, start) => {
        const g = new NexmarkGenerator(config)
        for (let n = start; n < start + 60; n++) expect(withoutChannel(g.eventAt(n))).toEqual(referenceEvent(config, g, n))
      }),
      { numRuns: 100 },
    )
  })

  it('make the reference’s default events (the mix of the benchmarks), exact and pooled padding', () => {
    for (const exactExtra of [false, true]) {
      const config = { ...DEFAULT_NEXMARK_CONFIG, exactExtra }
      const g = new NexmarkGenerator(config)
      for (const start of [0, 3_000_000, 2 ** 32 - 20]) for (let n = start; n < start + 200; n++) expect(withoutChannel(g.eventAt(n))).toEqual(referenceEvent(config, g, n))
    }
  })

  it('draw nextString as the reference, longer ones than the shared buffer too', () => {
    for (const maxLength of [4, 5, 7, 20, 100, 513, 700]) {
      for (let seed = 0; seed < 50; seed++) {
        expect(nextString(new JavaRandom(seed), maxLength)).toBe(stringOf(new Random(seed), maxLength))
        expect(nextString(new JavaRandom(seed), maxLength, '_')).toBe(stringOf(new Random(seed), maxLength, '_'))
      }
    }
  })

  it('spread bids over the channels uniformly: the four hot ones a quarter of half each, every numbered one alike', () => {
    const g = new NexmarkGenerator(DEFAULT_NEXMARK_CONFIG)
    const hot = new Map<string, number>()
    const numbered = new Map<string, number>()
    let bids = 0
    for (let n = 0; n < 250_000; n++) {
      const e = g.eventAt(n)
      if (e.type !== 'bid') continue
      bids++
      const counts = e.bid.channel.startsWith('channel-') ? numbered : hot
      counts.set(e.bid.channel, (counts.get(e.bid.channel) ?? 0) + 1)
    }
    expect([...hot.keys()].sort()).toEqual(['Apple', 'Baidu', 'Facebook', 'Google'])
    for (const count of hot.values()) expect(Math.abs(count / bids - 1 / 8)).toBeLessThan(0.004) // ~5 standard deviations
    // ~11.5 bids per numbered channel: a Poisson spread (none missing, none far out)
    expect(numbered.size).toBe(10_000)
    const mean = [...numbered.values()].reduce((a, b) => a + b, 0) / 10_000
    const variance = [...numbered.values()].reduce((a, b) => a + (b - mean) ** 2, 0) / 10_000
    expect(Math.abs(variance / mean - 1)).toBeLessThan(0.1)
    expect(Math.max(...numbered.values())).toBeLessThan(35)
  })
})
