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
const SPACE = 32

const US_STATES = ['AZ', 'CA', 'ID', 'OR', 'WA', 'WY']
const US_CITIES = ['Phoenix', 'Los Angeles', 'San Francisco', 'Boise', 'Portland', 'Bend', 'Redmond', 'Seattle', 'Kent', 'Cheyenne']
const FIRST_NAMES = ['Peter', 'Paul', 'Luke', 'John', 'Saul', 'Vicky', 'Kate', 'Julie', 'Sarah', 'Deiter', 'Walter']
const LAST_NAMES = ['Shultz', 'Abrams', 'Spencer', 'White', 'Bartels', 'Walton', 'Smith', 'Jones', 'Noris']
/** `FIRST_NAMES[i] + ' ' + LAST_NAMES[j]` at `i × LAST_NAMES.length + j`. */
const FULL_NAMES = FIRST_NAMES.flatMap((first) => LAST_NAMES.map((last) => `${first} ${last}`))

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

/** Steps of the exponent per table entry: `10^(i / 4096)` is `PRICE_HI[i >> 6] × POW10_LO[i & 63] / 100`. */
const POW_STEPS = 4096
/** `100 × 10^(j / 64)` for `j` in `[0, 6 × 64]`. */
const PRICE_HI = Float64Array.from({ length: 6 * 64 + 1 }, (_, j) => Math.pow(10.0, j / 64) * 100.0)
/** `10^(k / 4096)` for `k` in `[0, 64)`. */
const POW10_LO = Float64Array.from({ length: 64 }, (_, k) => Math.pow(10.0, k / POW_STEPS))
/** `ln 10 / 4096`, the exponent step as a power of e (an exact scaling of `Math.LN10`). */
const LN10_STEP = Math.LN10 / POW_STEPS
/** Taylor coefficients of `e^x`: `1/2`, `1/6`, `1/24`. */
const E2 = 1 / 2
const E3 = 1 / 6
const E4 = 1 / 24
/** How close to a rounding boundary (in cents) the approximation defers to the reference's expression. */
const PRICE_MARGIN = 1e-6

/**
 * The reference's price of the uniform draw `u`, without `Math.pow` in the common case (~5 ns
 * instead of ~55): with `t = u × 6` as the reference computes it and `t × 4096 = i + r`,
 * `10^t = 10^(i / 4096) × e^(r ln 10 / 4096)`, the first factor from two small tables, the second
 * from its Taylor series to `x^4` (`x < 5.7e-4`, so the series is off by less than 1e-18). The
 * result is a few ulps from the exact value, ~1e-7 cents at most; only when the price in cents
 * lies within 1e-6 of a rounding boundary could that error change the rounded result, and then
 * the reference's own expression decides. (Checked against `referencePriceOf` in the spec.)
 */
export const priceOf = (u: number): number => {
  const t = u * 6.0 * POW_STEPS // u × 6 rounded as the reference's, then an exact scaling
  const i = t | 0
  const x = (t - i) * LN10_STEP
  const x2 = x * x
  // 1 + x + x²/2 + x³/6 + x⁴/24, in Estrin's order (shorter dependency chains than Horner's)
  const cents = PRICE_HI[i >> 6]! * POW10_LO[i & 63]! * (1 + x + x2 * (E2 + x * E3 + x2 * E4))
  const rounded = Math.floor(cents + 0.5)
  const f = cents + 0.5 - rounded
  if (f < PRICE_MARGIN || f > 1 - PRICE_MARGIN) return referencePriceOf(u)
  return rounded
}

/** The characters of strings being drawn, before they become strings (large enough for every `nextString` of an event). */
const LETTERS = Buffer.alloc(512)

/** Where the string `drawLetters` drew last starts, after its leading spaces (a variable rather than a result, so drawing allocates nothing). */
let trimStart = 0

/**
 * Draws a `nextString` of up to `maxLength` into `LETTERS` from index `at`, trims its spaces and
 * returns where it ends; it starts at `trimStart`.
 */
const drawLetters = (random: JavaRandom, maxLength: number, special: number, at: number): number => {
  const len = MIN_STRING_LENGTH + random.nextIntBounded(maxLength - MIN_STRING_LENGTH)
  const buf = LETTERS
  random.fillLetters(buf, len, special, at)
  let start = at
  let end = at + len
  if (special === SPACE) {
    while (start < end && buf[start] === SPACE) start++
    while (end > start && buf[end - 1] === SPACE) end--
  }
  trimStart = start
  return end
}

/**
 * A random string of lowercase letters and `special` characters (one in 13), trimmed, of up to
 * `maxLength` (`nextString`; the reference's `special` is a space, `_` in URLs).
 */
export const nextString = (random: JavaRandom, maxLength: number, special = ' '): string => {
  if (maxLength > LETTERS.length) {
    const len = MIN_STRING_LENGTH + random.nextIntBounded(maxLength - MIN_STRING_LENGTH)
    const buf = Buffer.alloc(len)
    random.fillLetters(buf, len, special.charCodeAt(0))
    return buf.toString('latin1').replace(/^ +| +$/g, '')
  }
  const end = drawLetters(random, maxLength, special.charCodeAt(0), 0)
  return LETTERS.toString('latin1', trimStart, end)
}

/** The characters of `nextExactString`, before they become a string. */
const EXACT_CHARS = Buffer.alloc(4096)

/** A string of exactly `length` characters from `nextInt()` digits in base 26 (`nextExactString`; Java's signed remainders included). */
export const nextExactString = (random: JavaRandom, length: number): string => {
  if (length <= 0) return ''
  const buf = length <= EXACT_CHARS.length ? EXACT_CHARS : Buffer.alloc(length)
  let rnd = 0
  let n = 0
  for (let k = 0; k < length; k++) {
    if (n === 0) {
      rnd = random.nextInt()
      n = 6
    }
    buf[k] = 97 + (rnd % 26) // 'H' to 'z': Java's remainder keeps the sign
    rnd = (rnd / 26) | 0 // Java's int division: towards zero
    n--
  }
  return buf.toString('latin1', 0, length)
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
    // a flat string (made from a buffer): its slices are views, not copies
    pool = nextExactString(new JavaRandom(POOL_SEED), POOL_OFFSETS + Math.max(length, 1024))
  }
  return pool
}

/** `size` characters of the pool at a random offset (one draw). */
const pooledString = (random: JavaRandom, size: number): string => {
  const offset = random.nextIntBounded(POOL_OFFSETS)
  return (pool.length >= POOL_OFFSETS + size ? pool : paddingPool(size)).substring(offset, offset + size)
}

/**
 * `nextExtra`'s length rule with the characters taken from a shared pool of `nextExactString`
 * characters at a random offset (two draws): the same lengths and character distribution as the
 * reference's padding, without drawing every character.
 */
export const nextPooledExtra = (random: JavaRandom, currentSize: number, desiredAverageSize: number): string => {
  const size = nextExtraLength(random, currentSize, desiredAverageSize)
  return size <= 0 ? '' : pooledString(random, size)
}

/** The padding of an event: exact (the reference's draws) or pooled. */
const extraOf = (random: JavaRandom, currentSize: number, desiredAverageSize: number, exact: boolean): string =>
  exact ? nextExtra(random, currentSize, desiredAverageSize) : nextPooledExtra(random, currentSize, desiredAverageSize)

// --- channels (Nexmark 0.2+) ---------------------------------------------------------------

const HOT_CHANNELS = ['Google', 'Facebook', 'Baidu', 'Apple']
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

/** A salt separating a bid's channel from its other draws. */
const CHANNEL_SALT = 0x6368616e

/** murmur3's 32-bit finalizer: a bijection of 32-bit integers in which every input bit flips every output bit with probability ~1/2. */
const fmix32 = (h: number): number => {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

/** 32 well-mixed bits of an event id (any safe integer; a single `fmix32` below 2^32). */
const channelHash = (eventId: number): number => (eventId >= 0 && eventId <= 0xffffffff ? fmix32((eventId ^ CHANNEL_SALT) >>> 0) : wideChannelHash(eventId))

/** `channelHash` of an id outside `[0, 2^32)`: its high part hashed into its low one. */
const wideChannelHash = (eventId: number): number => {
  const high = Math.floor(eventId / 4294967296)
  return fmix32(((eventId - high * 4294967296) ^ fmix32((high ^ CHANNEL_SALT) >>> 0)) >>> 0)
}

/** `2^-31`. */
const INV_TWO_31 = 1 / 2147483648

/**
 * The channel of the bid with id `eventId` (`BidGenerator`, Nexmark 0.2+), as an index into the
 * channel names and URLs: half the bids come from one of four hot channels (uniformly), the
 * others from one of 10 000 numbered ones (uniformly, within 5e-6). A hash of the event id, so
 * adding channels left the reference's other fields (and the fixtures printed by the older
 * reference, which had no channels) unchanged: the reference draws them from the bid's random
 * generator, before the price.
 */
const nextChannelIndex = (eventId: number): number => {
  const h = channelHash(eventId)
  // the top bit picks hot or numbered, the low two bits a hot channel, the low 31 bits a numbered one
  if (h >= 2147483648) return h & 3
  return numberedChannel(Math.floor(h * CHANNELS_NUMBER * INV_TWO_31))
}

/** The channel and URL of the bid with id `eventId` (see `nextBid`). */
export const nextChannel = (eventId: number): { readonly channel: string; readonly url: string } => {
  const i = nextChannelIndex(eventId)
  return { channel: CHANNEL_NAMES[i]!, url: CHANNEL_URLS[i]! }
}

// --- ids -------------------------------------------------------------------------------

/** `eventId / total` rounded down, as the reference computes it. */
const epochOf = (eventId: number, total: number): number => Math.floor(eventId / total)

/** `eventId mod total`, given `epoch = epochOf(eventId, total)` (a subtraction below 2^31, where the quotient is exact). */
const offsetOf = (eventId: number, total: number, epoch: number): number => (eventId <= INT_MAX ? eventId - epoch * total : eventId % total)

/** The last person id (base 0) at an event id of the given epoch and offset in it. */
const lastPersonOf = (epoch: number, offset: number, pp: number): number => epoch * pp + (offset >= pp ? pp - 1 : offset)

/** The last auction id (base 0) at an event id of the given epoch and offset in it. */
const lastAuctionOf = (epoch: number, offset: number, pp: number, ap: number): number =>
  offset < pp ? (epoch - 1) * ap + ap - 1 : offset >= pp + ap ? epoch * ap + ap - 1 : epoch * ap + offset - pp

/** The last person id (base 0) at an event id; the new person's own id for a person event. */
export const lastBase0PersonId = (config: GeneratorConfig, eventId: number): number => {
  const epoch = epochOf(eventId, config.totalProportion)
  return lastPersonOf(epoch, offsetOf(eventId, config.totalProportion, epoch), config.config.personProportion)
}

/** A random person id (base 0), given the last one, among the active people plus a few ids not generated yet. */
const randomPerson = (lastPerson: number, random: JavaRandom, numActivePeople: number): number => {
  const numPeople = lastPerson + 1
  const activePeople = Math.min(numPeople, numActivePeople)
  const n = nextLong(random, activePeople + PERSON_ID_LEAD)
  return numPeople - activePeople + n
}

/** A random person id (base 0) among the active people plus a few ids not generated yet. */
export const nextBase0PersonId = (eventId: number, random: JavaRandom, config: GeneratorConfig): number =>
  randomPerson(lastBase0PersonId(config, eventId), random, config.config.numActivePeople)

/** The last auction id (base 0) at an event id; the new auction's own id for an auction event. */
export const lastBase0AuctionId = (config: GeneratorConfig, eventId: number): number => {
  const epoch = epochOf(eventId, config.totalProportion)
  return lastAuctionOf(epoch, offsetOf(eventId, config.totalProportion, epoch), config.config.personProportion, config.config.auctionProportion)
}

/** A random auction id (base 0), given the last one, among those likely in flight plus a few not generated yet. */
const randomAuction = (maxAuction: number, random: JavaRandom, numInFlightAuctions: number): number => {
  const minAuction = Math.max(maxAuction - numInFlightAuctions, 0)
  return minAuction + nextLong(random, maxAuction - minAuction + 1 + AUCTION_ID_LEAD)
}

/** A random auction id (base 0) among those likely in flight plus a few not generated yet. */
export const nextBase0AuctionId = (eventId: number, random: JavaRandom, config: GeneratorConfig): number =>
  randomAuction(lastBase0AuctionId(config, eventId), random, config.config.numInFlightAuctions)

// --- persons, auctions, bids ----------------------------------------------------------------

/**
 * The model generators of one configuration, with its numbers at hand: the per-event work of a
 * `NexmarkGenerator`, given an event's id, its epoch (`floor(id / totalProportion)`) and
 * offset in the epoch.
 *
 * @remarks
 * Draws from the `random` it is given, already seeded with the event id, in the reference's
 * order. Not reentrant: the strings of an event are drawn in a buffer shared by all instances.
 *
 * @internal
 */
export class ModelGenerator {
  private readonly pp: number
  private readonly ap: number
  private readonly total: number
  private readonly hotAuctionRatio: number
  private readonly hotBiddersRatio: number
  private readonly hotSellersRatio: number
  private readonly numActivePeople: number
  private readonly numInFlightAuctions: number
  private readonly exactExtra: boolean
  private readonly avgPersonByteSize: number
  private readonly avgAuctionByteSize: number
  private readonly avgBidByteSize: number
  /** A bid's padding: `bidExtraMin + nextInt(bidExtraSpan)` characters (no draw if the span is 0; none if the length is not positive). */
  private readonly bidExtraMin: number
  private readonly bidExtraSpan: number
  private readonly numEventsForAuctions: number

  /** The model generators of a configuration. */
  constructor(private readonly gc: GeneratorConfig) {
    const c = gc.config
    this.pp = c.personProportion
    this.ap = c.auctionProportion
    this.total = gc.totalProportion
    this.hotAuctionRatio = c.hotAuctionRatio
    this.hotBiddersRatio = c.hotBiddersRatio
    this.hotSellersRatio = c.hotSellersRatio
    this.numActivePeople = c.numActivePeople
    this.numInFlightAuctions = c.numInFlightAuctions
    this.exactExtra = c.exactExtra
    this.avgPersonByteSize = c.avgPersonByteSize
    this.avgAuctionByteSize = c.avgAuctionByteSize
    this.avgBidByteSize = c.avgBidByteSize
    const bidSize = 8 + 8 + 8 + 8
    const desired = c.avgBidByteSize - bidSize
    const delta = desired < 0 ? 0 : javaRound(desired * 0.2)
    this.bidExtraMin = desired < 0 ? 0 : desired - delta
    this.bidExtraSpan = 2 * delta
    this.numEventsForAuctions = Math.floor((c.numInFlightAuctions * gc.totalProportion) / c.auctionProportion)
    if (!c.exactExtra) paddingPool(this.bidExtraMin + this.bidExtraSpan)
  }

  /** The epoch of an event id. */
  epoch(eventId: number): number {
    return epochOf(eventId, this.total)
  }

  /** The offset of an event id in its epoch (given the epoch). */
  offset(eventId: number, epoch: number): number {
    return offsetOf(eventId, this.total, epoch)
  }

  /** Whether an offset in an epoch is a person's. */
  isPerson(offset: number): boolean {
    return offset < this.pp
  }

  /** Whether an offset in an epoch is an auction's (given it is not a person's). */
  isAuction(offset: number): boolean {
    return offset < this.pp + this.ap
  }

  /** The person of event id `eventId` at `timestamp` (`PersonGenerator.nextPerson`). */
  person(eventId: number, epoch: number, offset: number, random: JavaRandom, timestamp: number): Person {
    const id = lastPersonOf(epoch, offset, this.pp) + FIRST_PERSON_ID
    const first = random.nextIntBounded(FIRST_NAMES.length)
    const name = FULL_NAMES[first * LAST_NAMES.length + random.nextIntBounded(LAST_NAMES.length)]!
    // <a>@<b>.com and the credit card's digits, drawn into one buffer, made into one string
    const buf = LETTERS
    const userEnd = drawLetters(random, 7, SPACE, 0)
    const start = trimStart
    buf[userEnd] = 64 // '@'
    let end = drawLetters(random, 5, SPACE, userEnd + 1)
    if (trimStart > userEnd + 1) {
      // leading spaces trimmed: close the gap after the '@'
      buf.copyWithin(userEnd + 1, trimStart, end)
      end = userEnd + 1 + (end - trimStart)
    }
    buf[end] = 46 // '.com'
    buf[end + 1] = 99
    buf[end + 2] = 111
    buf[end + 3] = 109
    const emailEnd = end + 4
    let at = emailEnd
    for (let i = 0; i < 4; i++) {
      if (i > 0) buf[at++] = SPACE
      const d = random.nextIntBounded(10000)
      buf[at] = 48 + Math.floor(d / 1000)
      buf[at + 1] = 48 + (Math.floor(d / 100) % 10)
      buf[at + 2] = 48 + (Math.floor(d / 10) % 10)
      buf[at + 3] = 48 + (d % 10)
      at += 4
    }
    const both = buf.toString('latin1', start, at)
    const emailAddress = both.substring(0, emailEnd - start)
    const creditCard = both.substring(emailEnd - start)
    const city = US_CITIES[random.nextIntBounded(US_CITIES.length)]!
    const state = US_STATES[random.nextIntBounded(US_STATES.length)]!
    const currentSize = 8 + name.length + emailAddress.length + creditCard.length + city.length + state.length
    const extra = extraOf(random, currentSize, this.avgPersonByteSize, this.exactExtra)
    return { id, name, emailAddress, creditCard, city, state, dateTime: timestamp, extra }
  }

  /** The auction of event id `eventId` (event number `eventNumber`) at `timestamp` (`AuctionGenerator.nextAuction`). */
  auction(eventNumber: number, eventId: number, epoch: number, offset: number, random: JavaRandom, timestamp: number): Auction {
    const id = lastAuctionOf(epoch, offset, this.pp, this.ap) + FIRST_AUCTION_ID
    const lastPerson = lastPersonOf(epoch, offset, this.pp)
    let seller: number
    if (random.nextIntBounded(this.hotSellersRatio) > 0) seller = Math.floor(lastPerson / HOT_SELLER_RATIO) * HOT_SELLER_RATIO
    else seller = randomPerson(lastPerson, random, this.numActivePeople)
    seller += FIRST_PERSON_ID
    const category = FIRST_CATEGORY_ID + random.nextIntBounded(NUM_CATEGORIES)
    const initialBid = priceOf(random.nextDouble())
    // nextAuctionLengthMs
    const gc = this.gc
    const futureAuction = gc.timestampForEvent(gc.adjustedEventNumber(eventNumber) + this.numEventsForAuctions)
    const expires = timestamp + (1 + nextLong(random, Math.max((futureAuction - timestamp) * 2, 1)))
    // the item name and the description, drawn into one buffer, made into one string
    const nameEnd = drawLetters(random, 20, SPACE, 0)
    const start = trimStart
    const end = drawLetters(random, 100, SPACE, nameEnd)
    const both = LETTERS.toString('latin1', start, end)
    const itemName = both.substring(0, nameEnd - start)
    const description = both.substring(trimStart - start)
    const reserve = initialBid + priceOf(random.nextDouble())
    const currentSize = 8 + itemName.length + description.length + 8 + 8 + 8 + 8 + 8
    const extra = extraOf(random, currentSize, this.avgAuctionByteSize, this.exactExtra)
    return { id, itemName, description, initialBid, reserve, dateTime: timestamp, expires, seller, category, extra }
  }

  /** The bid of event id `eventId` at `timestamp` (`BidGenerator.nextBid`). */
  bid(eventId: number, epoch: number, offset: number, random: JavaRandom, timestamp: number): Bid {
    const lastAuction = lastAuctionOf(epoch, offset, this.pp, this.ap)
    const auction =
      FIRST_AUCTION_ID +
      (random.nextIntBounded(this.hotAuctionRatio) > 0 ? Math.floor(lastAuction / HOT_AUCTION_RATIO) * HOT_AUCTION_RATIO : randomAuction(lastAuction, random, this.numInFlightAuctions))
    const lastPerson = lastPersonOf(epoch, offset, this.pp)
    const bidder =
      FIRST_PERSON_ID +
      (random.nextIntBounded(this.hotBiddersRatio) > 0 ? Math.floor(lastPerson / HOT_BIDDER_RATIO) * HOT_BIDDER_RATIO + 1 : randomPerson(lastPerson, random, this.numActivePeople))
    const price = priceOf(random.nextDouble())
    const extra = this.exactExtra ? nextExtra(random, 8 + 8 + 8 + 8, this.avgBidByteSize) : this.bidPadding(random)
    const c = nextChannelIndex(eventId)
    return { auction, bidder, price, channel: CHANNEL_NAMES[c]!, url: CHANNEL_URLS[c]!, dateTime: timestamp, extra }
  }

  /** A bid's pooled padding (`nextPooledExtra` for the fixed size of a bid, its length rule worked out once). */
  private bidPadding(random: JavaRandom): string {
    const size = this.bidExtraSpan === 0 ? this.bidExtraMin : this.bidExtraMin + random.nextIntBounded(this.bidExtraSpan)
    return size <= 0 ? '' : pooledString(random, size)
  }
}

/** The generators of a configuration, for the free functions below (made once per configuration object). */
const generators = new WeakMap<GeneratorConfig, ModelGenerator>()
const generatorOf = (config: GeneratorConfig): ModelGenerator => {
  let g = generators.get(config)
  if (g === undefined) generators.set(config, (g = new ModelGenerator(config)))
  return g
}

/** The person of event id `eventId` at `timestamp` (`PersonGenerator.nextPerson`). */
export const nextPerson = (eventId: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): Person => {
  const g = generatorOf(config)
  const epoch = g.epoch(eventId)
  return g.person(eventId, epoch, g.offset(eventId, epoch), random, timestamp)
}

/** The auction of event id `eventId` (event number `eventNumber`) at `timestamp` (`AuctionGenerator.nextAuction`). */
export const nextAuction = (eventNumber: number, eventId: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): Auction => {
  const g = generatorOf(config)
  const epoch = g.epoch(eventId)
  return g.auction(eventNumber, eventId, epoch, g.offset(eventId, epoch), random, timestamp)
}

/** The bid of event id `eventId` at `timestamp` (`BidGenerator.nextBid`). */
export const nextBid = (eventId: number, random: JavaRandom, timestamp: number, config: GeneratorConfig): Bid => {
  const g = generatorOf(config)
  const epoch = g.epoch(eventId)
  return g.bid(eventId, epoch, g.offset(eventId, epoch), random, timestamp)
}
