import { ConfigError } from '../core/errors.js'

/**
 * What a job does when it fails: restart from the latest completed checkpoint after a delay, or
 * give up and fail.
 *
 * @remarks
 * Build one with {@link RestartStrategies}. The default is `exponentialDelay()` when
 * checkpointing is enabled and `noRestart()` otherwise, as in Flink.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export type RestartStrategy =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly kind: 'exponential-delay'
      readonly initialDelayMs: number
      readonly maxDelayMs: number
      readonly multiplier: number
      /** After this long without a failure, the delay goes back to `initialDelayMs`. */
      readonly resetAfterMs: number
      /** A random share of the delay, 0..1, added or taken off so that restarts spread. */
      readonly jitter: number
      readonly attempts: number
    }
  | { readonly kind: 'failure-rate'; readonly maxFailures: number; readonly intervalMs: number; readonly delayMs: number }

const check = (name: string, v: number, min: number, integer = true): number => {
  if (Number.isNaN(v) || v < min || (integer && !Number.isInteger(v) && v !== Number.POSITIVE_INFINITY))
    throw new ConfigError(`Restart strategy option '${name}' must be ${integer ? 'an integer ' : 'a number '}>= ${min}, got ${v}.`)
  return v
}

/**
 * The restart strategies (Flink's `RestartStrategies`).
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const RestartStrategies = {
  /** Never restart: the first failure fails the job. */
  noRestart: (): RestartStrategy => ({ kind: 'none' }),
  /** Restart up to `attempts` times in all, waiting `delayMs` before each. */
  fixedDelay: (attempts: number, delayMs: number): RestartStrategy => ({
    kind: 'fixed-delay',
    attempts: check('attempts', attempts, 0),
    delayMs: check('delayMs', delayMs, 0),
  }),
  /**
   * Restart with a delay that grows by `multiplier` after each failure, up to `maxDelayMs`, and
   * starts over after `resetAfterMs` without failures (defaults: 1 s, 5 min, 2, 1 h, jitter 0.1,
   * unlimited attempts).
   */
  exponentialDelay: (
    o: {
      readonly initialDelayMs?: number
      readonly maxDelayMs?: number
      readonly multiplier?: number
      readonly resetAfterMs?: number
      readonly jitter?: number
      readonly attempts?: number
    } = {},
  ): RestartStrategy => ({
    kind: 'exponential-delay',
    initialDelayMs: check('initialDelayMs', o.initialDelayMs ?? 1000, 0),
    maxDelayMs: check('maxDelayMs', o.maxDelayMs ?? 300_000, 0),
    multiplier: check('multiplier', o.multiplier ?? 2, 1, false),
    resetAfterMs: check('resetAfterMs', o.resetAfterMs ?? 3_600_000, 0),
    jitter: Math.min(1, check('jitter', o.jitter ?? 0.1, 0, false)),
    attempts: check('attempts', o.attempts ?? Number.POSITIVE_INFINITY, 0),
  }),
  /** Restart after `delayMs` unless more than `maxFailures` failures happened within `intervalMs`. */
  failureRate: (maxFailures: number, intervalMs: number, delayMs: number): RestartStrategy => ({
    kind: 'failure-rate',
    maxFailures: check('maxFailures', maxFailures, 1),
    intervalMs: check('intervalMs', intervalMs, 1),
    delayMs: check('delayMs', delayMs, 0),
  }),
} as const

/**
 * Decides, failure by failure, whether and after how long a job restarts.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export class RestartBackoff {
  private failures = 0
  private readonly failureTimes: number[] = []
  private delay = 0
  private lastFailure = Number.NEGATIVE_INFINITY

  constructor(
    readonly strategy: RestartStrategy,
    private readonly random: () => number = Math.random,
  ) {}

  /** How many restarts were granted so far. */
  get restarts(): number {
    return this.failures
  }

  /**
   * A failure happened at `now` (ms): the delay before the restart, or `undefined` when the job
   * must fail instead.
   */
  onFailure(now: number): number | undefined {
    const s = this.strategy
    switch (s.kind) {
      case 'none':
        return undefined
      case 'fixed-delay':
        if (this.failures >= s.attempts) return undefined
        this.failures++
        return s.delayMs
      case 'exponential-delay': {
        if (this.failures >= s.attempts) return undefined
        if (now - this.lastFailure >= s.resetAfterMs) this.delay = s.initialDelayMs
        else this.delay = Math.min(s.maxDelayMs, Math.max(s.initialDelayMs, this.delay * s.multiplier))
        this.lastFailure = now
        this.failures++
        const spread = this.delay * s.jitter
        return Math.max(0, Math.round(this.delay + (this.random() * 2 - 1) * spread))
      }
      case 'failure-rate': {
        this.failureTimes.push(now)
        while (this.failureTimes.length > 0 && this.failureTimes[0]! <= now - s.intervalMs) this.failureTimes.shift()
        if (this.failureTimes.length > s.maxFailures) return undefined
        this.failures++
        return s.delayMs
      }
    }
  }
}
