import type { StateTtlConfig } from '../../state/state-ttl-config.js'

/**
 * A state's TTL configuration flattened into fields, with the time provider.
 *
 * @internal
 */
export class TtlSettings {
  /** Time to live in ms. */
  readonly ttl: number
  /** Whether reads renew the TTL (`OnReadAndWrite`). */
  readonly updateOnRead: boolean
  /** Whether an expired entry is still returned once before it is removed. */
  readonly returnExpired: boolean
  /** Entries checked for expiry per state access. */
  readonly cleanupSize: number

  constructor(
    config: StateTtlConfig,
    /** The processing-time clock. */
    readonly clock: () => number,
  ) {
    this.ttl = config.ttl
    this.updateOnRead = config.updateType === 'OnReadAndWrite'
    this.returnExpired = config.stateVisibility === 'ReturnExpiredIfNotCleanedUp'
    this.cleanupSize = Math.max(0, Math.floor(config.cleanupSize))
  }

  /** Whether an entry last renewed at `ts` has expired at `now`. */
  expired(ts: number, now: number): boolean {
    return ts + this.ttl <= now
  }
}
