import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_WATERMARK } from '../../core/element.js'
import { StatusWatermarkValve, type WatermarkValveOutput } from './status-watermark-valve.js'

class LogOutput implements WatermarkValveOutput {
  readonly log: (number | 'idle' | 'active')[] = []
  emitWatermark(watermark: number): void {
    this.log.push(watermark)
  }
  emitWatermarkStatus(idle: boolean): void {
    this.log.push(idle ? 'idle' : 'active')
  }
}

describe('StatusWatermarkValve', () => {
  it('forwards the minimum over the channels only when it advances', () => {
    const out = new LogOutput()
    const v = new StatusWatermarkValve(3, out)
    v.inputWatermark(10, 0)
    v.inputWatermark(20, 1)
    expect(out.log).toEqual([])
    v.inputWatermark(5, 2)
    expect(out.log).toEqual([5])
    v.inputWatermark(15, 2)
    expect(out.log).toEqual([5, 10])
    v.inputWatermark(12, 0) // min is now 12
    v.inputWatermark(11, 0) // a channel going back is ignored
    expect(out.log).toEqual([5, 10, 12])
    for (let c = 0; c < 3; c++) v.inputWatermark(MAX_WATERMARK, c)
    expect(out.log).toEqual([5, 10, 12, 15, MAX_WATERMARK])
    expect(v.currentWatermark()).toBe(MAX_WATERMARK)
  })

  it('ignores idle channels, goes idle when all are, and active when one is', () => {
    const out = new LogOutput()
    const v = new StatusWatermarkValve(2, out)
    v.inputWatermark(10, 0)
    v.inputWatermark(30, 1)
    v.inputWatermarkStatus(true, 0) // the min holder goes idle: 30
    expect(out.log).toEqual([10, 30])
    v.inputWatermarkStatus(true, 0) // no change
    v.inputWatermarkStatus(true, 1)
    expect(out.log).toEqual([10, 30, 'idle'])
    expect(v.isIdle()).toBe(true)
    v.inputWatermarkStatus(false, 1)
    v.inputWatermarkStatus(false, 1)
    expect(out.log).toEqual([10, 30, 'idle', 'active'])
  })

  it('does not let a channel that comes back below the output make it go back', () => {
    const out = new LogOutput()
    const v = new StatusWatermarkValve(2, out)
    v.inputWatermark(10, 0)
    v.inputWatermarkStatus(true, 0)
    v.inputWatermark(50, 1) // min over active = 50
    expect(out.log).toEqual([50])
    v.inputWatermarkStatus(false, 0) // channel 0 is back at 10: unaligned, left out
    v.inputWatermark(60, 1)
    expect(out.log).toEqual([50, 60])
    v.inputWatermark(55, 0) // still below the output
    v.inputWatermark(70, 1)
    expect(out.log).toEqual([50, 60, 70])
    v.inputWatermark(65, 0) // below again
    v.inputWatermark(80, 0) // caught up: aligned, min(80, 70) = 70, no advance
    v.inputWatermark(90, 1)
    expect(out.log).toEqual([50, 60, 70, 80])
  })

  it('advances when a channel above the output comes back while the others are idle', () => {
    const out = new LogOutput()
    const v = new StatusWatermarkValve(2, out)
    v.inputWatermark(10, 0)
    v.inputWatermark(20, 1)
    v.inputWatermarkStatus(true, 1)
    v.inputWatermarkStatus(true, 0)
    v.inputWatermarkStatus(false, 1)
    expect(out.log).toEqual([10, 'idle', 'active', 20])
  })

  it('matches its law under random inputs (property): monotone, min over active aligned channels', () => {
    type Op = { kind: 'wm'; channel: number; value: number } | { kind: 'status'; channel: number; idle: boolean }
    const op = (n: number): fc.Arbitrary<Op> =>
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ kind: fc.constant<'wm'>('wm'), channel: fc.nat(n - 1), value: fc.integer({ min: 0, max: 60 }) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant<'status'>('status'), channel: fc.nat(n - 1), idle: fc.boolean() }) },
      )
    const scenario = fc.integer({ min: 1, max: 5 }).chain((n) => fc.tuple(fc.constant(n), fc.array(op(n), { maxLength: 100 })))
    fc.assert(
      fc.property(scenario, ([n, ops]) => {
        const out = new LogOutput()
        const v = new StatusWatermarkValve(n, out)
        // the model: channel watermarks and idleness, no notion of alignment
        const wm: number[] = Array(n).fill(-Infinity)
        const idle: boolean[] = Array(n).fill(false)
        let last = -Infinity
        let valveIdle = false
        for (const o of ops) {
          const before = out.log.length
          if (o.kind === 'wm') {
            wm[o.channel] = Math.max(wm[o.channel]!, o.value)
            v.inputWatermark(o.value, o.channel)
          } else {
            idle[o.channel] = o.idle
            v.inputWatermarkStatus(o.idle, o.channel)
          }
          const emitted = out.log.slice(before)
          const allIdle = idle.every((x) => x)
          // status: idle exactly when all channels are, reported once per change
          const statuses = emitted.filter((x) => typeof x === 'string')
          if (allIdle !== valveIdle) expect(statuses).toEqual([allIdle ? 'idle' : 'active'])
          else expect(statuses).toEqual([])
          valveIdle = allIdle
          expect(v.isIdle()).toBe(allIdle)
          // watermark: the min over active channels at or above the last output, when it advances
          const candidates = wm.filter((w, c) => !idle[c] && w >= last)
          const min = candidates.length === 0 ? -Infinity : Math.min(...candidates)
          const watermarks = emitted.filter((x): x is number => typeof x === 'number')
          if (!allIdle && candidates.length > 0 && min > last) {
            expect(watermarks).toEqual([min])
            last = min
          } else expect(watermarks).toEqual([])
          expect(v.currentWatermark()).toBe(last)
        }
        // monotone overall
        const all = out.log.filter((x): x is number => typeof x === 'number')
        for (let i = 1; i < all.length; i++) expect(all[i]!).toBeGreaterThan(all[i - 1]!)
      }),
      { numRuns: 300 },
    )
  })
})
