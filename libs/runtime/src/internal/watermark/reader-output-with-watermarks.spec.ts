import { describe, expect, it, vi } from 'vitest'
import { MAX_WATERMARK, NO_TIMESTAMP } from '../../core/element.js'
import type { OutputTag } from '../../core/output-tag.js'
import type { Output } from '../../operators/output.js'
import { ManualClock } from '../../time/clock.js'
import { WatermarkStrategy } from '../../watermark/watermark-strategy.js'
import { ReaderOutputWithWatermarks } from './reader-output-with-watermarks.js'

type Ev = { id: string; t: number }

/** The task's output, as a readable timeline: records as `id@ts`, watermarks as `W(n)`. */
class Timeline<T extends { id: string }> implements Output<T> {
  readonly log: string[] = []
  collect(value: T, timestamp: number): void {
    this.log.push(`${value.id}@${timestamp}`)
  }
  collectSide<S>(_tag: OutputTag<S>, _value: S, _timestamp: number): void {}
  emitWatermark(watermark: number): void {
    this.log.push(`W(${watermark})`)
  }
  emitWatermarkStatus(idle: boolean): void {
    this.log.push(idle ? 'IDLE' : 'ACTIVE')
  }
  take(): string[] {
    return this.log.splice(0)
  }
}

const ev = (id: string, t: number): Ev => ({ id, t })
const monotonous = WatermarkStrategy.forMonotonousTimestamps<Ev>().withTimestampAssigner((e) => e.t)

describe('ReaderOutputWithWatermarks', () => {
  it('emits the minimum over the splits whenever it advances, and never goes back', () => {
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, monotonous)
    const a = ro.createOutputForSplit('a')
    const b = ro.createOutputForSplit('b')
    expect(ro.createOutputForSplit('a')).toBe(a)
    a.collect(ev('a1', 100))
    a.collect(ev('a2', 200))
    b.collect(ev('b1', 50))
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual(['a1@100', 'a2@200', 'b1@50', 'W(49)'])
    b.collect(ev('b2', 300))
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual(['b2@300', 'W(199)'])
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual([])
    // releasing the split that holds the watermark back lets it advance
    ro.releaseOutputForSplit('a')
    expect(out.take()).toEqual(['W(299)'])
    // a new split holds it where it is (its -Infinity does not go back)
    const c = ro.createOutputForSplit('c')
    c.collect(ev('c1', 10))
    b.collect(ev('b3', 400))
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual(['c1@10', 'b3@400'])
    expect(ro.currentWatermark()).toBe(299)
    c.collect(ev('c2', 500))
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual(['c2@500', 'W(399)'])
  })

  it('assigns timestamps: the assigner, else the reader timestamp, else NO_TIMESTAMP', () => {
    const out = new Timeline<Ev>()
    const seen: number[] = []
    const withAssigner = new ReaderOutputWithWatermarks(
      out,
      WatermarkStrategy.noWatermarks<Ev>().withTimestampAssigner((e, ts) => {
        seen.push(ts)
        return e.t
      }),
    )
    withAssigner.collect(ev('x', 5), 99)
    withAssigner.createOutputForSplit('s').collect(ev('y', 6))
    expect(seen).toEqual([99, NO_TIMESTAMP])
    const plain = new ReaderOutputWithWatermarks(out, WatermarkStrategy.noWatermarks<Ev>())
    plain.collect(ev('z', 7), 70)
    plain.collect(ev('w', 8))
    expect(out.take()).toEqual(['x@5', 'y@6', 'z@70', 'w@NaN'])
  })

  it('counts punctuated watermarks (emitted on events) at once, after their record', () => {
    const out = new Timeline<Ev>()
    const punctuated = WatermarkStrategy.forGenerator<Ev>(() => ({
      onEvent: (e, ts, o) => {
        if (e.id.startsWith('p')) o.emitWatermark(ts)
      },
      onPeriodicEmit: () => {},
    })).withTimestampAssigner((e) => e.t)
    const ro = new ReaderOutputWithWatermarks(out, punctuated)
    const a = ro.createOutputForSplit('a')
    const b = ro.createOutputForSplit('b')
    a.collect(ev('p1', 10))
    b.collect(ev('p2', 20))
    a.collect(ev('p3', 30))
    expect(out.take()).toEqual(['p1@10', 'p2@20', 'W(10)', 'p3@30', 'W(20)'])
  })

  it('goes idle when every split is idle, and active before the next record', () => {
    const clock = new ManualClock(0)
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, monotonous.withIdleness(1000), { clock })
    const a = ro.createOutputForSplit('a')
    const b = ro.createOutputForSplit('b')
    a.collect(ev('a1', 100))
    b.collect(ev('b1', 200))
    const tick = (): void => {
      clock.advance(200)
      ro.emitPeriodicWatermark()
    }
    tick()
    expect(out.take()).toEqual(['a1@100', 'b1@200', 'W(99)'])
    for (let i = 0; i < 4; i++) {
      tick()
      b.collect(ev(`b${i + 2}`, 300 + i))
    }
    // a is idle (1000 ms without records), so b alone makes the watermark
    tick()
    expect(out.take()).toEqual(['b2@300', 'b3@301', 'b4@302', 'b5@303', 'W(302)'])
    for (let i = 0; i < 6; i++) tick()
    expect(out.take()).toEqual(['IDLE'])
    expect(ro.isIdle()).toBe(true)
    // a comes back below the watermark: active first, the watermark holds (no going back)
    a.collect(ev('a2', 150))
    tick()
    expect(out.take()).toEqual(['ACTIVE', 'a2@150'])
    a.collect(ev('a3', 400))
    tick()
    expect(out.take()).toEqual(['a3@400', 'W(399)'])
  })

  it('honours markIdle from the reader until the split emits again', () => {
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, monotonous)
    const a = ro.createOutputForSplit('a')
    const b = ro.createOutputForSplit('b')
    a.collect(ev('a1', 10))
    b.collect(ev('b1', 20))
    b.markIdle()
    ro.emitPeriodicWatermark()
    ro.emitPeriodicWatermark() // the generator re-emitting 19 for b does not wake it up
    expect(out.take()).toEqual(['a1@10', 'b1@20', 'W(9)'])
    a.markIdle()
    expect(out.take()).toEqual(['IDLE'])
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual([])
    // back: the watermark b kept while idle (19) counts at once, then its new record's
    b.collect(ev('b2', 30))
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual(['ACTIVE', 'W(19)', 'b2@30', 'W(29)'])
  })

  it('lets records collected on the reader output take part through a default output', () => {
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, monotonous)
    expect(ro.numOutputs()).toBe(0)
    ro.collect(ev('d1', 40))
    ro.emitPeriodicWatermark()
    const s = ro.createOutputForSplit('s')
    s.collect(ev('s1', 100))
    ro.collect(ev('d2', 60))
    ro.emitPeriodicWatermark()
    expect(ro.numOutputs()).toBe(2)
    expect(out.take()).toEqual(['d1@40', 'W(39)', 's1@100', 'd2@60', 'W(59)'])
    ro.markIdle()
    ro.emitPeriodicWatermark()
    expect(out.take()).toEqual(['W(99)'])
  })

  it('takes the fast path for noWatermarks: no generator at all', () => {
    const strategy = WatermarkStrategy.noWatermarks<Ev>()
    const spy = vi.spyOn(strategy, 'createWatermarkGenerator')
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, strategy)
    ro.createOutputForSplit('a').collect(ev('a', 1), 1)
    ro.collect(ev('b', 2), 2)
    ro.emitPeriodicWatermark()
    expect(spy).not.toHaveBeenCalled()
    expect(out.take()).toEqual(['a@1', 'b@2'])
  })

  it('in BATCH mode assigns timestamps but emits no watermark before the end', () => {
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, monotonous.withIdleness(10), { emitWatermarks: false })
    const a = ro.createOutputForSplit('a')
    a.collect(ev('a', 5))
    a.markIdle()
    ro.emitPeriodicWatermark()
    ro.endInput()
    expect(out.take()).toEqual(['a@5', `W(${MAX_WATERMARK})`])
  })

  it('ends with +Infinity and emits no watermark nor status after it', () => {
    const out = new Timeline<Ev>()
    const ro = new ReaderOutputWithWatermarks(out, monotonous)
    const a = ro.createOutputForSplit('a')
    a.collect(ev('a1', 10))
    a.markIdle()
    expect(out.take()).toEqual(['a1@10', 'IDLE'])
    ro.endInput()
    ro.endInput()
    expect(out.take()).toEqual(['ACTIVE', 'W(Infinity)'])
    a.collect(ev('a2', 20))
    ro.emitPeriodicWatermark()
    a.markIdle()
    ro.releaseOutputForSplit('a')
    expect(out.take()).toEqual(['a2@20'])
    expect(ro.currentWatermark()).toBe(MAX_WATERMARK)
  })
})
