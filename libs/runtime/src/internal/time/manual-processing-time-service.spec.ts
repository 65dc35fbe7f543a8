import { describe, expect, it } from 'vitest'
import { ManualClock } from '../../time/clock.js'
import { ManualProcessingTimeService } from './manual-processing-time-service.js'

describe('ManualProcessingTimeService', () => {
  it('fires due callbacks in time order, each at its own time', () => {
    const clock = new ManualClock(0)
    const pts = new ManualProcessingTimeService(clock)
    const log: string[] = []
    const cb = (name: string) => (t: number) => log.push(`${name}@${t} now=${pts.getCurrentProcessingTime()}`)
    pts.registerTimer(30, cb('c'))
    pts.registerTimer(10, cb('a'))
    pts.registerTimer(10, cb('b'))
    pts.registerTimer(50, cb('late'))
    pts.advanceTo(40)
    expect(log).toEqual(['a@10 now=10', 'b@10 now=10', 'c@30 now=30'])
    expect(clock.now()).toBe(40)
    expect(pts.numScheduled()).toBe(1)
    pts.advance(10)
    expect(log.at(-1)).toBe('late@50 now=50')
  })

  it('never calls back synchronously: a passed time fires at the next advance or fireDue', () => {
    const pts = new ManualProcessingTimeService(new ManualClock(100))
    const log: number[] = []
    pts.registerTimer(50, (t) => log.push(t))
    expect(log).toEqual([])
    pts.fireDue()
    expect(log).toEqual([50])
    pts.registerTimer(60, (t) => log.push(t))
    pts.advanceTo(100)
    expect(log).toEqual([50, 60])
  })

  it('fires callbacks registered meanwhile within the same advance, and honours cancel', () => {
    const pts = new ManualProcessingTimeService()
    const log: number[] = []
    const handle = pts.registerTimer(20, (t) => log.push(t))
    pts.registerTimer(10, (t) => {
      log.push(t)
      pts.registerTimer(15, (u) => log.push(u))
      pts.registerTimer(500, (u) => log.push(u))
    })
    handle.cancel()
    pts.advanceTo(100)
    expect(log).toEqual([10, 15])
    expect(pts.nextScheduledTime()).toBe(500)
    expect(() => pts.advanceTo(99)).toThrow(RangeError)
  })
})
