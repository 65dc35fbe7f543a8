/**
 * Ports of the reference's `PersonGenerator`, `AuctionGenerator`, `BidGenerator`,
 * `PriceGenerator`, `StringsGenerator` and `LongGenerator`, drawing from a {@link JavaRandom} in
 * the same order as the Java code.
 *
 * @packageDocumentation
 */
import { FIRST_AUCTION_ID, FIRST_CATEGORY_ID, FIRST_PERSON_ID, type GeneratorConfig } from './generator-config.js'
import type { Auction, Bid, Person } from './events.js'
import type { JavaRandom } from './java-random.js'

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
export const nextPrice = (random: JavaRandom): number => javaRound(Math.pow(10.0, random.nextDouble() * 6.0) * 100.0)

/** A random string of lowercase letters and spaces, trimmed, of up to `maxLength` (`nextString`). */
export const nextString = (random: JavaRandom, maxLength: number): string => {
  let len = MIN_STRING_LENGTH + random.nextIntBounded(maxLength - MIN_STRING_LENGTH)
  let s = ''
  while (len-- > 0) {
    if (random.nextIntBounded(13) === 0) s += ' '
    else s += String.fromCharCode(97 + random.nextIntBounded(26))
  }
  return s.trim()
}

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

/** A padding string making `currentSize + length` average `desiredAverageSize` (`nextExtra`). */
export const nextExtra = (random: JavaRandom, currentSize: number, desiredAverageSize: number): string => {
  if (currentSize > desiredAverageSize) return ''
  desiredAverageSize -= currentSize
  const delta = javaRound(desiredAverageSize * 0.2)
  const minSize = desiredAverageSize - delta
  const desiredSize = minSize + (delta === 0 ? 0 : random.nextIntBounded(2 * delta))
  return nextExactString(random, desiredSize)
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
  const extra = nextExtra(random, currentSize, config.config.avgPersonByteSize)
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
  const extra = nextExtra(random, currentSize, config.config.avgAuctionByteSize)
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
  const extra = nextExtra(random, 8 + 8 + 8 + 8, config.config.avgBidByteSize)
  return { auction, bidder, price, dateTime: timestamp, extra }
}
