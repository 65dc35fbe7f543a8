import { describe, expect, it } from 'vitest'
import { ConfigError } from '../core/errors.js'
import { RestartBackoff, RestartStrategies } from './restart-strategy.js'

describe('RestartBackoff', () => {
  it('noRestart fails at the first failure', () => {
    expect(new RestartBackoff(RestartStrategies.noRestart()).onFailure(0)).toBeUndefined()
  })

  it('fixedDelay grants exactly `attempts` restarts with the delay', () => {
    const b = new RestartBackoff(RestartStrategies.fixedDelay(2, 50))
    expect([b.onFailure(0), b.onFailure(1), b.onFailure(2)]).toEqual([50, 50, undefined])
    expect(b.restarts).toBe(2)
  })

  it('exponentialDelay doubles up to the maximum and resets after a quiet period', () => {
    const b = new RestartBackoff(RestartStrategies.exponentialDelay({ initialDelayMs: 10, maxDelayMs: 35, multiplier: 2, resetAfterMs: 1000, jitter: 0 }))
    expect([b.onFailure(0), b.onFailure(10), b.onFailure(20), b.onFailure(30)]).toEqual([10, 20, 35, 35])
    expect(b.onFailure(5000)).toBe(10)
  })

  it('exponentialDelay jitter stays within its share of the delay', () => {
    const lo = new RestartBackoff(RestartStrategies.exponentialDelay({ initialDelayMs: 100, jitter: 0.5 }), () => 0)
    const hi = new RestartBackoff(RestartStrategies.exponentialDelay({ initialDelayMs: 100, jitter: 0.5 }), () => 1)
    expect(lo.onFailure(0)).toBe(50)
    expect(hi.onFailure(0)).toBe(150)
  })

  it('failureRate fails once more than maxFailures fall into the interval', () => {
    const b = new RestartBackoff(RestartStrategies.failureRate(2, 100, 5))
    expect([b.onFailure(0), b.onFailure(50)]).toEqual([5, 5])
    expect(b.onFailure(90)).toBeUndefined()
    const c = new RestartBackoff(RestartStrategies.failureRate(2, 100, 5))
    expect([c.onFailure(0), c.onFailure(50), c.onFailure(150), c.onFailure(200)]).toEqual([5, 5, 5, 5])
  })

  it('rejects bad options with a clear error', () => {
    expect(() => RestartStrategies.fixedDelay(-1, 0)).toThrow(ConfigError)
    expect(() => RestartStrategies.failureRate(0, 10, 0)).toThrow(/maxFailures/)
  })
})
