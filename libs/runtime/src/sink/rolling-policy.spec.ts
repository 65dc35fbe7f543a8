import { describe, expect, it } from 'vitest'
import { ConfigError } from '../core/errors.js'
import { DefaultRollingPolicy, OnCheckpointRollingPolicy, type PartFileInfo } from './rolling-policy.js'

const part = (size: number, creationTime = 0, lastUpdateTime = creationTime): PartFileInfo => ({ size, creationTime, lastUpdateTime })

describe('DefaultRollingPolicy', () => {
  it('example: rolls by size, age and inactivity', () => {
    // #region default
    const policy = DefaultRollingPolicy.builder()
      .withMaxPartSize(64 * 1024 * 1024) // bytes
      .withRolloverInterval(15 * 60_000) // a part is open 15 minutes at most
      .withInactivityInterval(5 * 60_000) // or until nothing came for 5 minutes
      .build()
    // #endregion default
    expect(policy.maxPartSize).toBe(64 * 1024 * 1024)
    expect(policy.rolloverInterval).toBe(15 * 60_000)
    expect(policy.inactivityInterval).toBe(5 * 60_000)
  })

  it("has Flink's defaults: 128 MiB, 60 s, 60 s", () => {
    const policy = DefaultRollingPolicy.builder().build()
    expect([policy.maxPartSize, policy.rolloverInterval, policy.inactivityInterval]).toEqual([128 * 1024 * 1024, 60_000, 60_000])
    expect(new DefaultRollingPolicy()).toEqual(policy)
    expect(new DefaultRollingPolicy({ maxPartSize: 10 })).toEqual(DefaultRollingPolicy.builder().withMaxPartSize(10).build())
  })

  it('rolls before a record that would make a non-empty part bigger than maxPartSize', () => {
    const policy = DefaultRollingPolicy.builder().withMaxPartSize(10).build()
    expect(policy.shouldRollOnEvent(part(0), 50)).toBe(false) // a big record gets an empty part
    expect(policy.shouldRollOnEvent(part(6), 4)).toBe(false) // exactly full is fine
    expect(policy.shouldRollOnEvent(part(6), 5)).toBe(true)
    expect(policy.shouldRollOnEvent(part(10), 1)).toBe(true)
  })

  it('rolls at a checkpoint only a full part', () => {
    const policy = DefaultRollingPolicy.builder().withMaxPartSize(10).build()
    expect(policy.shouldRollOnCheckpoint(part(9))).toBe(false)
    expect(policy.shouldRollOnCheckpoint(part(10))).toBe(true)
    expect(policy.shouldRollOnCheckpoint(part(11))).toBe(true)
  })

  it('rolls by processing time: older than rolloverInterval, or inactive for inactivityInterval', () => {
    const policy = DefaultRollingPolicy.builder().withRolloverInterval(1000).withInactivityInterval(300).build()
    // created at 100, last written at 900
    expect(policy.shouldRollOnProcessingTime(part(5, 100, 900), 1099)).toBe(false)
    expect(policy.shouldRollOnProcessingTime(part(5, 100, 900), 1100)).toBe(true) // 1000 ms old
    expect(policy.shouldRollOnProcessingTime(part(5, 100, 500), 799)).toBe(false)
    expect(policy.shouldRollOnProcessingTime(part(5, 100, 500), 800)).toBe(true) // 300 ms inactive
    const never = DefaultRollingPolicy.builder().withRolloverInterval(Infinity).withInactivityInterval(Infinity).build()
    expect(never.shouldRollOnProcessingTime(part(5, 0, 0), Number.MAX_SAFE_INTEGER)).toBe(false)
  })

  it('has an immutable builder', () => {
    const base = DefaultRollingPolicy.builder().withMaxPartSize(10)
    const other = base.withMaxPartSize(20)
    expect(base.build().maxPartSize).toBe(10)
    expect(other.build().maxPartSize).toBe(20)
  })

  it('rejects limits that are not positive numbers, naming them', () => {
    expect(() => DefaultRollingPolicy.builder().withMaxPartSize(0)).toThrow(ConfigError)
    expect(() => DefaultRollingPolicy.builder().withMaxPartSize(Number.NaN)).toThrow(/maxPartSize.*NaN/)
    expect(() => DefaultRollingPolicy.builder().withRolloverInterval(-1)).toThrow(/rolloverInterval.*-1/)
    expect(() => DefaultRollingPolicy.builder().withInactivityInterval(0)).toThrow(/inactivityInterval/)
    expect(() => new DefaultRollingPolicy({ maxPartSize: -5 })).toThrow(ConfigError)
  })
})

describe('OnCheckpointRollingPolicy', () => {
  it('rolls at every checkpoint and at nothing else', () => {
    const policy = OnCheckpointRollingPolicy.build()
    expect(policy.shouldRollOnCheckpoint(part(0))).toBe(true)
    expect(policy.shouldRollOnCheckpoint(part(1e12))).toBe(true)
    expect(policy.shouldRollOnEvent(part(1e12), 1e12)).toBe(false)
    expect(policy.shouldRollOnProcessingTime(part(1, 0, 0), Number.MAX_SAFE_INTEGER)).toBe(false)
  })
})
