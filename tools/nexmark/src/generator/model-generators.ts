/**
 * Ports of the reference's `PersonGenerator`, `AuctionGenerator`, `BidGenerator`,
 * `PriceGenerator`, `StringsGenerator` and `LongGenerator`, drawing from a {@link JavaRandom} in
 * the same order as the Java code.
 *
 * @packageDocumentation
 */
import { FIRST_AUCTION_ID, FIRST_CATEGORY_ID, FIRST_PERSON_ID, type GeneratorConfig } from './generator-config.js'
import type { Auction, Bid, Person } from './events.js'
import { JavaRandom } from './java-random.js'

const PERSON_ID_LEAD = 10
const AUCTION_ID_LEAD = 10
const NUM_CATEGORIES = 5
const HOT_SELLER_RATIO = 100
const HOT_AUCTION_RATIO = 100
const HOT_BIDDER_RATIO = 100
const MIN_STRING_LENGTH = 3
const INT_MAX = 2147483647

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY']
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne']
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter']
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris']

/** Java's `Math.round(double)` for the values used here: `floor(x + 0.5)`. */
const javaRound = (x: number): number => Math.floor(x + 0.5)

// --- LongGenerator, PriceGenerator, StringsGenerator ---------------------------------------

/** A random long in `[0, n)` (`LongGenerator.nextLong`; its skewed `abs(nextLong % n)` for huge `n`). */
export const nextLong = (random: JavaRandom, n: number): number => {
  if (n < INT_MAX) return random.nextIntBounded(n)
  const r = random.nextLong() % BigInt(n)
  return Number(r < 0n ? -r : r)
}

/** A random price in cents, log-uniform over `[100, 10^8]` (`PriceGenerator.nextPrice`). */
export const nextPrice = (random: JavaRandom): number => priceOf(random.nextDouble())

/** `Math.round(Math.pow(10.0, u * 6.0) * 100.0)`, the reference's price of the uniform draw `u`. */
export const referencePriceOf = (u: number): number => javaRound(Math.pow(10.0, u * 6.0) * 100.0)

/** Steps of the exponent per table entry. */
const POW_STEPS = 4096
/** `10^(i / POW_STEPS)` for `i` in `[0, 6 × POW_STEPS]`. */
const POW10_TABLE = Float64Array.from({ length: 6 * POW_STEPS + 1 }, (_, i) => Math.pow(10.0, i / POW_STEPS))

/**
 * The reference's price of the uniform draw `u`, without `Math.pow` in the common case (~5 ns
 * instead of ~55): `10^t = 10^(i / 4096) × e^(r ln 10)` from a table and a short series (a few
 * ulps from the exact value); only when the price in cents lies within 1e-6 of a rounding boundary
 * could that error change the rounded result, and then the reference's own expression decides.
 * (Checked against `referencePriceOf` in the spec.)
 */
export const priceOf = (u: number): number => {
  const t = u * 6.0
  const i = Math.floor(t * POW_STEPS)
  const x = (t - i / POW_STEPS) * Math.LN10
  const cents = POW10_TABLE[i]! * (1 + x * (1 + (x / 2) * (1 + (x / 3) * (1 + (x / 4) * (1 + x / 5))))) * 100.0
  const f = cents - Math.floor(cents)
  if (f > 0.4999990 && f < 0.5000010) return referencePriceOf(u)
  return Math.floor(cents + 0.5)
}

/**
 * A random string of lowercase letters and `special` characters (one in 13), trimmed, of up to
 * `maxLength` (`nextString`; the reference's `special` is a space, `_` in URLs).
 */
export const nextString = (random: JavaRandom, maxLength: number, special = ' '): string => {
  const len = MIN_STRING_LENGTH + random.nextIntBounded(maxLength - MIN_STRING_LENGTH)
  const buf = len <= LETTER_BUFFER.length ? LETTER_BUFFER : Buffer.alloc(len)
  random.fillLetters(buf, len, special.charCodeAt(0))
  let start = 0
  let end = len
  while (start < end && buf[start] === 32) start++
  while (end > start && buf[end - 1] === 32) end--
  return buf.toString("latin1", start, end)
}

/** The characters of `nextString`, before they become a string. */
const LETTER_BUFFER = Buffer.alloc(256)

/** A string of exactly `length` characters from `nextInt()` digits in base 26 (`nextExactString`; Java's signed remainders included). */
export const nextExactString = (random: JavaRandom, length: number): string => {
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

/** A padding string making `currentSize + length` average `desiredAverageSize` (`nextExtra`), drawn character by character. */
export const nextExtra = (random: JavaRandom, currentSize: number, desiredAverageSize: number): string => {
  const size = nextExtraLength(random, currentSize, desiredAverageSize)
  return size <= 0 ? '' : nextExactString(random, size)
}

/** The length rule of `nextExtra`: one draw. */
const nextExtraLength = (random: JavaRandom, currentSize: number, desiredAverageSize: number): number => {
  if (currentSize > desiredAverageSize) return 0
  desiredAverageSize -= currentSize
  const delta = javaRound(desiredAverageSize * 0.2)
  const minSize = desiredAverageSize - delta
  return minSize + (delta === 0 ? 0 : random.nextIntBounded(2 * delta))
}

/** Distinct start offsets into the padding pool. */
const POOL_OFFSETS = 1 << 16
/** The pool's seed ("NXMK"). */
const POOL_SEED = 0x4e584d4b
let pool = ''

/** The padding pool, at least `POOL_OFFSETS + length` characters (a longer pool has the shorter one as its prefix). */
const paddingPool = (length: number): string => {
  if (pool.length < POOL_OFFSETS + length) {
    const s = nextExactString(new JavaRandom(POOL_SEED), POOL_OFFSETS + Math.max(length, 1024))
    // flatten once: later slices of a flat string are views, not copies
    pool = Buffer.from(s, 'latin1').toString('latin1')
  }
  return pool
}

/**
 * `nextExtra`'s length rule with the characters taken from a shared pool of `nextExactString`
 * characters at a random offset (two draws): the same lengths and character distribution as the
 * reference's padding, without drawing every character.
 */
export const nextPooledExtra = (random: JavaRandom, currentSize: number, desiredAverageSize: number): string => {
  const size = nextExtraLength(random, currentSize, desiredAverageSize)
  if (size <= 0) return ''
  const offset = random.nextIntBounded(POOL_OFFSETS)
  return paddingPool(size).substring(offset, offset + size)
}

/** The padding of an event: exact (the reference's draws) or pooled, as configured. */
const extraOf = (random: JavaRandom, currentSize: number, desiredAverageSize: number, config: GeneratorConfig): string =>
  config.config.exactExtra ? nextExtra(random, currentSize, desiredAverageSize) : nextPooledExtra(random, currentSize, desiredAverageSize)

// --- channels (Nexmark 0.2+) ---------------------------------------------------------------

const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple']
const HOT_CHANNELS_RATIO = 2
const CHANNELS_NUMBER = 10_000
/** Seeds of the URLs' random parts (the reference draws them from unseeded generators, once per run). */
const URL_SEED = 0x75726c00

/** `https://www.nexmark.com/<a>/<b>/<c>/item.htm?query=1` (`getBaseUrl`). */
const baseUrl = (random: JavaRandom): string =>
  `https://www.nexmark.com/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/${nextString(random, 5, '_')}/item.htm?query=1`

/** Java's `Integer.reverse`. */
const reverseBits = (n: number): number => {
  let x = n >>> 0
  let r = 0
  for (let i = 0; i < 32; i++) {
    r = (r << 1) | (x & 1)
    x >>>= 1
  }
  return r | 0
}

/** Channel names and URLs: the four hot channels, then the numbered ones (filled on first use, `''` until then). */
const CHANNEL_NAMES: string[] = [...HOT_CHANNELS, ...new Array<string>(CHANNELS_NUMBER).fill('')]
const CHANNEL_URLS: string[] = [...HOT_CHANNELS.map((_, i) => baseUrl(new JavaRandom(URL_SEED + i))), ...new Array<string>(CHANNELS_NUMBER).fill('')]

/** The index in `CHANNEL_NAMES`/`CHANNEL_URLS` of channel `n` (`getNextChannelAndurl`): nine URLs in ten carry `&channel_id=<abs(reverse(n))>`. */
const numberedChannel = (n: number): number => {
  const i = HOT_CHANNELS.length + n
  if (CHANNEL_URLS[i] === '') {
    const random = new JavaRandom(URL_SEED + i)
    let url = baseUrl(random)
    if (random.nextIntBounded(10) > 0) url += `&channel_id=${Math.abs(reverseBits(n))}`
    CHANNEL_NAMES[i] = `channel-${n}`
    CHANNEL_URLS[i] = url
  }
  return i
}

const channelRandom = new JavaRandom(0)
/** A salt separating a bid's channel draws from its other draws. */
const CHANNEL_SALT = 0x6368616e

/** murmur3's 32-bit finalizer. */
const fmix32 = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** A 48-bit seed scrambled from an event id (Java's generator correlates the first draws of consecutive seeds). */
const channelSeed = (eventId: number): number => {
  const h1 = fmix32((eventId >>> 0) ^ CHANNEL_SALT)
  const h2 = fmix32(Math.floor(eventId / 4294967296) ^ h1)
  return h2 * 65536 + (h1 & 0xffff)
}

/**
 * The channel of the bid with id `eventId` (`BidGenerator`, Nexmark 0.2+), as an index into the
 * channel names and URLs: half the bids come from one of four hot channels, the others from one
 * of 10 000 numbered ones. Drawn from their own generator seeded by the event id, so adding them
 * left the reference's other fields (and the fixtures printed by the older reference) unchanged.
 */
const nextChannelIndex = (eventId: number): number => {
  const random = channelRandom
  random.setSeed(channelSeed(eventId))
  if (random.nextIntBounded(HOT_CHANNELS_RATIO) > 0) return random.nextIntBounded(HOT_CHANNELS.length)
  return numberedChannel(random.nextIntBounded(CHANNELS_NUMBER))
}

/** The channel and URL of the bid with id `eventId` (see `nextBid`). */
export const nextChannel = (eventId: number): { readonly channel: string; readonly url: string } => {
  const i = nextChannelIndex(eventId)
  return { channel: CHANNEL_NAMES[i]!, url: CHANNEL_URLS[i]! }
}

// --- ids -------------------------------------------------------------------------------

/** The last person id (base 0) at an event id; the new person's own id for a person event. */
export const lastBase0PersonId = (config: GeneratorConfig, eventId: number): number => {
  const total = config.totalProportion
  const pp = config.config.personProportion
  const epoch = Math.floor(eventId / total)
  let offset = eventId % total
  if (offset >= pp) offset = pp - 1
  return epoch * pp + offset
}

/** A random person id (base 0) among the active people plus a few ids not generated yet. */
export const nextBase0PersonId = (eventId: number, random: JavaRandom, config: GeneratorConfig): number => {
  const numPeople = lastBase0PersonId(config, eventId) + 1
  const activePeople = Math.min(numPeople, config.config.numActivePeople)
  const n = nextLong(random, activePeople + PERSON_ID_LEAD)
  return numPeople - activePeople + n
}

/** The last auction id (base 0) at an event id; the new auction's own id for an auction event. */
export const lastBase0AuctionId = (config: GeneratorConfig, eventId: number): number => {
  const total = config.totalProportion
  const pp = config.config.personProportion
  const ap = config.config.auctionProportion
  let epoch = Math.floor(eventId / total)
  let offset = eventId % total
  if (offset < pp) {
    epoch--
    offset = ap - 1
  } else if (offset >= pp + ap) {
    offset = ap - 1
  } else {
    offset -= pp
  }
  return epoch * ap + offset
}

/** A random auction id (base 0) among those likely in flight plus a few not generated yet. */
export const nextBase0AuctionId = (eventId: number, random: JavaRandom, config: GeneratorConfig): number => {
  const maxAuction = lastBase0AuctionId(config, eventId)
  const minAuction = Math.max(maxAuction - config.config.numInFlightAuctions, 0)
  return minAuction + nextLong(random, maxAuction - minAuction + 1 + AUCTION_ID_LEAD)
}

// --- persons, auctions, bids ----------------------------------------------------------------

/** The person of event id `eventId` at `timestamp` (`PersonGenerator.nextPerson`). */
export const nextPerson = (eventId: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): Person => {
  const id = lastBase0PersonId(config, eventId) + FIRST_PERSON_ID
  const name = FIRST_NAMES[random.nextIntBounded(FIRST_NAMES.length)] + ' ' + LAST_NAMES[random.nextIntBounded(LAST_NAMES.length)]
  const emailAddress = nextString(random, 7) + '@' + nextString(random, 5) + '.com'
  let creditCard = ''
  for (let i = 0; i < 4; i++) {
    if (i > 0) creditCard += ' '
    creditCard += String(random.nextIntBounded(10000)).padStart(4, '0')
  }
  const city = US_CITIES[random.nextIntBounded(US_CITIES.length)]!
  const state = US_STATES[random.nextIntBounded(US_STATES.length)]!
  const currentSize = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length
  const extra = extraOf(random, currentSize, config.config.avgPersonByteSize, config)
  return { id, name, emailAddress, creditCard, city, state, dateTime: timestamp, extra }
}

/** A random auction length in ms averaging the time until `numInFlightAuctions` more auctions exist. */
const nextAuctionLengthMs = (eventNumber: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): number => {
  const currentEventNumber = config.adjustedEventNumber(eventNumber)
  const numEventsForAuctions = Math.floor((config.config.numInFlightAuctions * config.totalProportion) / config.config.auctionProportion)
  const futureAuction = config.timestampForEvent(currentEventNumber + numEventsForAuctions)
  const horizonMs = futureAuction - timestamp
  return 1 + nextLong(random, Math.max(horizonMs * 2, 1))
}

/** The auction of event id `eventId` (event number `eventNumber`) at `timestamp` (`AuctionGenerator.nextAuction`). */
export const nextAuction = (eventNumber: number, eventId: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): Auction => {
  const id = lastBase0AuctionId(config, eventId) + FIRST_AUCTION_ID
  let seller: number
  if (random.nextIntBounded(config.config.hotSellersRatio) > 0) {
    seller = Math.floor(lastBase0PersonId(config, eventId) / HOT_SELLER_RATIO) * HOT_SELLER_RATIO
  } else {
    seller = nextBase0PersonId(eventId, random, config)
  }
  seller += FIRST_PERSON_ID
  const category = FIRST_CATEGORY_ID + random.nextIntBounded(NUM_CATEGORIES)
  const initialBid = nextPrice(random)
  const expires = timestamp + nextAuctionLengthMs(eventNumber, random, timestamp, config)
  const itemName = nextString(random, 20)
  const description = nextString(random, 100)
  const reserve = initialBid + nextPrice(random)
  const currentSize = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8
  const extra = extraOf(random, currentSize, config.config.avgAuctionByteSize, config)
  return { id, itemName, description, initialBid, reserve, dateTime: timestamp, expires, seller, category, extra }
}

/** The bid of event id `eventId` at `timestamp` (`BidGenerator.nextBid`). */
export const nextBid = (eventId: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): Bid => {
  let auction: number
  if (random.nextIntBounded(config.config.hotAuctionRatio) > 0) {
    auction = Math.floor(lastBase0AuctionId(config, eventId) / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO
  } else {
    auction = nextBase0AuctionId(eventId, random, config)
  }
  auction += FIRST_AUCTION_ID
  let bidder: number
  if (random.nextIntBounded(config.config.hotBiddersRatio) > 0) {
    bidder = Math.floor(lastBase0PersonId(config, eventId) / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1
  } else {
    bidder = nextBase0PersonId(eventId, random, config)
  }
  bidder += FIRST_PERSON_ID
  const price = nextPrice(random)
  const extra = extraOf(random, 8 + 8 + 8 + 8, config.config.avgBidByteSize, config)
  const c = nextChannelIndex(eventId)
  return { auction, bidder, price, channel: CHANNEL_NAMES[c]!, url: CHANNEL_URLS[c]!, dateTime: timestamp, extra }
}
