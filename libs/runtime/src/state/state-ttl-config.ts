/**
 * When the TTL of a state entry is renewed.
 *
 * @category State
 * @since 0.1.0
 */
export type TtlUpdateType = 'OnCreateAndWrite' | 'OnReadAndWrite'

/**
 * Whether an expired entry that has not been cleaned up yet may still be read.
 *
 * @category State
 * @since 0.1.0
 */
export type TtlStateVisibility = 'NeverReturnExpired' | 'ReturnExpiredIfNotCleanedUp'

/**
 * Time-to-live of state entries (Flink's `StateTtlConfig`).
 *
 * @remarks
 * TTL runs on processing time (the operator's clock, so a manual clock in tests). An entry
 * expires `ttl` ms after its last renewal; with `NeverReturnExpired` it reads as absent from then
 * on, and it is removed on access and by the backend's incremental cleanup.
 *
 * @example
 * ```ts
 * const ttl = StateTtlConfig.newBuilder(60_000).setUpdateType('OnReadAndWrite').build()
 * new ValueStateDescriptor<number>('last-seen').enableTimeToLive(ttl)
 * ```
 *
 * @category State
 * @since 0.1.0
 */
export class StateTtlConfig {
  private constructor(
    /** How long an entry lives after its last renewal, in ms. */
    readonly ttl: number,
    /** When the TTL is renewed. */
    readonly updateType: TtlUpdateType,
    /** Whether expired entries may still be read. */
    readonly stateVisibility: TtlStateVisibility,
    /** How many entries the backend checks for expiry per state access (incremental cleanup). */
    readonly cleanupSize: number,
  ) {}

  /** Starts a builder for a TTL of `ttlMs` milliseconds. */
  static newBuilder(ttlMs: number): StateTtlConfig.Builder {
    return new StateTtlConfig.Builder(ttlMs)
  }

  /** @internal */
  static of(ttl: number, updateType: TtlUpdateType, visibility: TtlStateVisibility, cleanupSize: number): StateTtlConfig {
    if (!(ttl > 0) || !Number.isFinite(ttl)) throw new RangeError(`A state TTL must be a positive number of ms, got ${ttl}.`)
    return new StateTtlConfig(ttl, updateType, visibility, cleanupSize)
  }
}

/** @category State */
export namespace StateTtlConfig {
  /**
   * Builds a {@link StateTtlConfig}.
   *
   * @category State
   * @since 0.1.0
   */
  export class Builder {
    private updateType: TtlUpdateType = 'OnCreateAndWrite'
    private visibility: TtlStateVisibility = 'NeverReturnExpired'
    private cleanupSize = 5

    constructor(private readonly ttl: number) {}

    /** Sets when the TTL is renewed (default `OnCreateAndWrite`). */
    setUpdateType(updateType: TtlUpdateType): this {
      this.updateType = updateType
      return this
    }

    /** Sets whether expired entries may be read (default `NeverReturnExpired`). */
    setStateVisibility(visibility: TtlStateVisibility): this {
      this.visibility = visibility
      return this
    }

    /** Checks up to `entries` entries for expiry on each state access (default 5). */
    cleanupIncrementally(entries: number): this {
      this.cleanupSize = entries
      return this
    }

    /** The configuration. */
    build(): StateTtlConfig {
      return StateTtlConfig.of(this.ttl, this.updateType, this.visibility, this.cleanupSize)
    }
  }
}
