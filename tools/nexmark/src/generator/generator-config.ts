/**
 * The Nexmark generator's configuration: the reference's `NexmarkConfiguration` defaults and
 * `GeneratorConfig` arithmetic (event numbers, ids, timestamps).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'

/** The first auction id (the reference's `FIRST_AUCTION_ID`). */
export const FIRST_AUCTION_ID = 1000
/** The first person id (the reference's `FIRST_PERSON_ID`). */
export const FIRST_PERSON_ID = 1000
/** The first category id (the reference's `FIRST_CATEGORY_ID`). */
export const FIRST_CATEGORY_ID = 10
/** The default base time: 2015-07-15T00:00:00Z, Beam Nexmark's `BASE_TIME` (deterministic). */
export const DEFAULT_BASE_TIME = Date.UTC(2015, 6, 15)

/**
 * What the generator produces: the reference's `NexmarkConfiguration` fields the generator uses.
 *
 * @remarks
 * Defaults are the reference's. Unlike the reference, whose table source takes the wall clock as
 * base time, `baseTime` defaults to a fixed instant so that the same configuration always gives
 * the same events, timestamps included.
 *
 * @category Generator
 * @since 0.1.0
 */
export interface NexmarkConfig {
  /** Events per second of event time (`first-event.rate`, default 10000): sets the inter-event delay. */
  readonly firstEventRate: number
  /** The rate after a rate change (`next-event.rate`, default 10000); accepted, unused as in the reference generator. */
  readonly nextEventRate: number
  /** Average serialized person size in bytes (default 200); drives the `extra` field's length. */
  readonly avgPersonByteSize: number
  /** Average auction size in bytes (default 500). */
  readonly avgAuctionByteSize: number
  /** Average bid size in bytes (default 100). */
  readonly avgBidByteSize: number
  /** Persons per cycle of events (default 1). */
  readonly personProportion: number
  /** Auctions per cycle (default 3). */
  readonly auctionProportion: number
  /** Bids per cycle (default 46). */
  readonly bidProportion: number
  /** One bid in this many goes to a random auction, the others to the hot one (default 2). */
  readonly hotAuctionRatio: number
  /** One auction in this many has a random seller, the others the hot one (default 4). */
  readonly hotSellersRatio: number
  /** One bid in this many has a random bidder, the others the hot one (default 4). */
  readonly hotBiddersRatio: number
  /** Persons a random person id is drawn from (default 1000). */
  readonly numActivePeople: number
  /** Auctions a random auction id is drawn from (default 100). */
  readonly numInFlightAuctions: number
  /** Events shuffled together in event time (default 1: in order). */
  readonly outOfOrderGroupSize: number
  /** The number of events, 0 for endless (`events.num`, default 0). */
  readonly numEvents: number
  /** Event time of event number 0, epoch ms (default {@link DEFAULT_BASE_TIME}). */
  readonly baseTime: number
  /** Added to the event number to make the event id, the seed of its random values (default 0). */
  readonly firstEventId: number
  /**
   * Draw each `extra` padding string character by character as the reference does (`true`), or
   * take it as a slice of one shared pool of such characters (`false`, the default): same length
   * rule, same character distribution, several times cheaper (with the defaults, events come ~3x
   * faster); every other field is the reference's either way.
   */
  readonly exactExtra: boolean
  /**
   * Stamp each event with the wall-clock time it is generated at (`Date.now()`) instead of its
   * place on the generated timeline (default `false`). For latency runs at a fixed rate: an
   * event's time is then its emission time. Not reproducible, by nature.
   */
  readonly wallClockTime: boolean
}

/**
 * The reference's defaults.
 *
 * @category Generator
 * @since 0.1.0
 */
export const DEFAULT_NEXMARK_CONFIG: NexmarkConfig = {
  firstEventRate: 10000,
  nextEventRate: 10000,
  avgPersonByteSize: 200,
  avgAuctionByteSize: 500,
  avgBidByteSize: 100,
  personProportion: 1,
  auctionProportion: 3,
  bidProportion: 46,
  hotAuctionRatio: 2,
  hotSellersRatio: 4,
  hotBiddersRatio: 4,
  numActivePeople: 1000,
  numInFlightAuctions: 100,
  outOfOrderGroupSize: 1,
  numEvents: 0,
  baseTime: DEFAULT_BASE_TIME,
  firstEventId: 0,
  exactExtra: false,
  wallClockTime: false,
}

const POSITIVE_INT_KEYS = [
  'firstEventRate',
  'nextEventRate',
  'personProportion',
  'auctionProportion',
  'bidProportion',
  'hotAuctionRatio',
  'hotSellersRatio',
  'hotBiddersRatio',
  'numActivePeople',
  'numInFlightAuctions',
  'outOfOrderGroupSize',
] as const satisfies readonly (keyof NexmarkConfig)[]

const NON_NEGATIVE_INT_KEYS = ['avgPersonByteSize', 'avgAuctionByteSize', 'avgBidByteSize', 'numEvents', 'firstEventId'] as const satisfies readonly (keyof NexmarkConfig)[]

/**
 * The defaults overridden by `overrides`, or every problem found (each a sentence naming the field).
 *
 * @category Generator
 * @since 0.1.0
 */
export const nexmarkConfig = (overrides: Partial<NexmarkConfig> = {}): E.Either<readonly string[], NexmarkConfig> => {
  const c: NexmarkConfig = { ...DEFAULT_NEXMARK_CONFIG, ...overrides }
  const problems: string[] = []
  for (const k of POSITIVE_INT_KEYS) {
    if (!(Number.isSafeInteger(c[k]) && c[k] >= 1)) problems.push(`The Nexmark setting '${k}' must be a positive integer, got ${c[k]}.`)
  }
  for (const k of NON_NEGATIVE_INT_KEYS) {
    if (!(Number.isSafeInteger(c[k]) && c[k] >= 0)) problems.push(`The Nexmark setting '${k}' must be a non-negative integer, got ${c[k]}.`)
  }
  if (typeof c.wallClockTime !== 'boolean') problems.push(`The Nexmark setting 'wallClockTime' must be a boolean, got ${String(c.wallClockTime)}.`)
  if (typeof c.exactExtra !== 'boolean') problems.push(`The Nexmark setting 'exactExtra' must be a boolean, got ${String(c.exactExtra)}.`)
  if (!Number.isSafeInteger(c.baseTime)) problems.push(`The Nexmark setting 'baseTime' must be an integer (epoch ms), got ${c.baseTime}.`)
  return problems.length > 0 ? E.left(problems) : E.right(c)
}

/**
 * The derived quantities of a {@link NexmarkConfig} (the reference's `GeneratorConfig`).
 *
 * @remarks
 * Event numbers are global (0, 1, 2, … over the whole stream, whatever the parallelism), so an
 * event is a pure function of its number. (The reference gives each parallel generator its own
 * timeline with an inter-event delay multiplied by the parallelism; here there is one timeline,
 * which is what makes the output independent of the split.)
 *
 * @category Generator
 * @since 0.1.0
 */
export class GeneratorConfig {
  /** `personProportion + auctionProportion + bidProportion`. */
  readonly totalProportion: number
  /** Microseconds of event time between consecutive events: `1e6 / firstEventRate`. */
  readonly interEventDelayUs: number

  /** Derives from a validated configuration. */
  constructor(readonly config: NexmarkConfig) {
    this.totalProportion = config.personProportion + config.auctionProportion + config.bidProportion
    this.interEventDelayUs = 1000000.0 / config.firstEventRate
  }

  /** The event number, adjusted for the out-of-order groups (`nextAdjustedEventNumber`). */
  adjustedEventNumber(eventNumber: number): number {
    const n = this.config.outOfOrderGroupSize
    if (n === 1) return eventNumber
    const base = Math.floor(eventNumber / n) * n
    return base + ((eventNumber * 953) % n)
  }

  /** The event number whose timestamp is a watermark for events from `eventNumber` on. */
  eventNumberForWatermark(eventNumber: number): number {
    const n = this.config.outOfOrderGroupSize
    return Math.floor(eventNumber / n) * n
  }

  /** The event time of an event number (`timestampForEvent`): `baseTime + trunc(n × delayUs) / 1000`, integer division. */
  timestampForEvent(eventNumber: number): number {
    return this.config.baseTime + Math.trunc(Math.trunc(eventNumber * this.interEventDelayUs) / 1000)
  }
}
