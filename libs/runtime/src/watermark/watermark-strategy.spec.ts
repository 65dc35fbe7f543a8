import { describe, expect, it } from 'vitest'
import { ConfigError } from '../core/errors.js'
import { NO_TIMESTAMP } from '../core/element.js'
import { ManualClock } from '../time/clock.js'
import type { WatermarkGenerator } from './watermark-generator.js'
import type { WatermarkOutput } from './watermark-output.js'
import { WatermarkStrategy } from './watermark-strategy.js'

/** Records what a generator emits, as a readable log. */
class LogOutput implements WatermarkOutput {
  readonly log: (number | 'idle' | 'active')[] = []
  emitWatermark(watermark: number): void {
    this.log.push(watermark)
  }
  markIdle(): void {
    this.log.push('idle')
  }
  markActive(): void {
    this.log.push('active')
  }
}

const feed = <T>(g: WatermarkGenerator<T>, out: WatermarkOutput, events: [T, number][]): void => {
  for (const [e, ts] of events) g.onEvent(e, ts, out)
}

describe('WatermarkStrategy', () => {
  it('builds a strategy with an assigner and idleness (the doc example)', () => {
    type Bid = { auction: number; price: number; dateTime: number }
    // #region example
    const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Bid>(5_000)
      .withTimestampAssigner((bid) => bid.dateTime)
      .withIdleness(60_000)
    // #endregion example
    const bid: Bid = { auction: 1, price: 10, dateTime: 1_000_000 }
    expect(strategy.createTimestampAssigner()?.(bid, NO_TIMESTAMP)).toBe(1_000_000)
    const g = strategy.createWatermarkGenerator({ clock: new ManualClock() })
    const out = new LogOutput()
    g.onEvent(bid, 1_000_000, out)
    g.onPeriodicEmit(out)
    expect(out.log).toEqual([994_999])
  })

  it('bounded out-of-orderness emits maxTimestamp - outOfOrderness - 1 periodically', () => {
    const g = WatermarkStrategy.forBoundedOutOfOrderness<string>(5).createWatermarkGenerator()
    const out = new LogOutput()
    g.onPeriodicEmit(out)
    feed(g, out, [['a', 100], ['b', 120], ['c', 110], ['d', NO_TIMESTAMP]])
    expect(out.log).toEqual([-Infinity]) // nothing on events
    g.onPeriodicEmit(out)
    g.onPeriodicEmit(out)
    expect(out.log).toEqual([-Infinity, 114, 114])
  })

  it('monotonous timestamps is out-of-orderness 0', () => {
    const g = WatermarkStrategy.forMonotonousTimestamps<number>().createWatermarkGenerator()
    const out = new LogOutput()
    feed(g, out, [[1, 10], [2, 20]])
    g.onPeriodicEmit(out)
    expect(out.log).toEqual([19])
  })

  it('keeps the timestamp assigner and makes fresh generators per call', () => {
    const s = WatermarkStrategy.forMonotonousTimestamps<{ t: number }>().withTimestampAssigner((e) => e.t)
    expect(s.createTimestampAssigner()?.({ t: 7 }, NO_TIMESTAMP)).toBe(7)
    expect(WatermarkStrategy.noWatermarks().createTimestampAssigner()).toBeUndefined()
    const g1 = s.createWatermarkGenerator()
    const g2 = s.createWatermarkGenerator()
    expect(g1).not.toBe(g2)
    // order of withIdleness / withTimestampAssigner does not matter
    const s2 = WatermarkStrategy.forMonotonousTimestamps<{ t: number }>().withIdleness(10).withTimestampAssigner((e) => e.t)
    expect(s2.createTimestampAssigner()).toBeDefined()
  })

  it('noWatermarks emits nothing and is recognised for the fast path', () => {
    const s = WatermarkStrategy.noWatermarks<string>()
    const out = new LogOutput()
    const g = s.createWatermarkGenerator()
    feed(g, out, [['a', 5]])
    g.onPeriodicEmit(out)
    expect(out.log).toEqual([])
    expect(s.emitsNothing).toBe(true)
    expect(s.withIdleness(5).emitsNothing).toBe(false)
    expect(WatermarkStrategy.forMonotonousTimestamps().emitsNothing).toBe(false)
  })

  it('forGenerator passes the context to the supplier', () => {
    const clock = new ManualClock(42)
    let seen = -1
    const s = WatermarkStrategy.forGenerator<string>(({ clock: c }) => {
      seen = c.now()
      return {
        onEvent: (_e, ts, out) => out.emitWatermark(ts), // punctuated
        onPeriodicEmit: () => {},
      }
    })
    const out = new LogOutput()
    feed(s.createWatermarkGenerator({ clock }), out, [['x', 3]])
    expect(seen).toBe(42)
    expect(out.log).toEqual([3])
  })

  it('rejects bad durations with a ConfigError', () => {
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(-1)).toThrow(ConfigError)
    expect(() => WatermarkStrategy.forBoundedOutOfOrderness(Number.NaN)).toThrow(ConfigError)
    expect(() => WatermarkStrategy.forMonotonousTimestamps().withIdleness(0)).toThrow(ConfigError)
    expect(() => WatermarkStrategy.forMonotonousTimestamps().withIdleness(Infinity)).toThrow(/idle timeout/)
  })
})

describe('idleness', () => {
  it('marks idle after the timeout without events, checked at periodic emits, and active on the next event', () => {
    const clock = new ManualClock(0)
    const g = WatermarkStrategy.forBoundedOutOfOrderness<string>(0).withIdleness(1000).createWatermarkGenerator({ clock })
    const out = new LogOutput()
    const tick = (ms: number): void => {
      clock.advance(ms)
      g.onPeriodicEmit(out)
    }
    g.onEvent('a', 10, out)
    tick(200) // activity seen at 200
    tick(200) // 400
    tick(600) // 1000: 800 since last activity
    expect(out.log).toEqual([9, 9, 9])
    tick(200) // 1200: 1000 without events
    expect(out.log.at(-1)).toBe('idle')
    tick(200)
    tick(200)
    expect(out.log.filter((x) => x === 'idle')).toHaveLength(1) // once, and no watermarks meanwhile
    expect(out.log).toEqual([9, 9, 9, 'idle'])
    g.onEvent('b', 20, out)
    expect(out.log.at(-1)).toBe('active')
    tick(200)
    expect(out.log.at(-1)).toBe(19)
  })

  it('marks a generator that never saw an event idle after the timeout', () => {
    const clock = new ManualClock(5000)
    const g = WatermarkStrategy.forMonotonousTimestamps<string>().withIdleness(300).createWatermarkGenerator({ clock })
    const out = new LogOutput()
    clock.advance(200)
    g.onPeriodicEmit(out)
    clock.advance(200)
    g.onPeriodicEmit(out)
    expect(out.log).toEqual([-Infinity, 'idle'])
  })
})
