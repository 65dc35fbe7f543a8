import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { keyGroupOf, subtaskForKeyGroup } from '@strom/runtime'
import { KeyedProcessFunctionHarness } from '../testing/index.js'
import type { OperatorSnapshot } from '../testing/index.js'
import { KeyedProcessFunction, ValueStateDescriptor } from '../index.js'
import type { Collector, RuntimeContext, ValueState } from '../index.js'

interface Ev {
  readonly key: string
  readonly v: number
  readonly ts: number
}

/** A per-key running sum; a timer 10 ms after each record reports the sum then. */
class RunningSum extends KeyedProcessFunction<string, Ev, string> {
  private sum!: ValueState<number>
  override open(ctx: RuntimeContext): void {
    this.sum = ctx.getState(new ValueStateDescriptor<number>('sum'))
  }
  override processElement(e: Ev, ctx: KeyedProcessFunction.Context<string>, out: Collector<string>): void {
    const s = (this.sum.value() ?? 0) + e.v
    this.sum.update(s)
    out.collect(`${e.key} sum ${s}`)
    ctx.timerService().registerEventTimeTimer(e.ts + 10)
  }
  override onTimer(ts: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<string>): void {
    out.collect(`${ctx.getCurrentKey()} timer ${ts} sum ${this.sum.value()}`)
  }
}

const MAX_P = 128
const selectKey = (e: Ev): string => e.key
const keyOf = (line: string): string => line.slice(0, line.indexOf(' '))

/** Groups output lines by key, keeping their order within each key. */
const perKey = (lines: readonly string[]): Map<string, string[]> => {
  const m = new Map<string, string[]>()
  for (const l of lines) {
    const k = keyOf(l)
    let list = m.get(k)
    if (list === undefined) m.set(k, (list = []))
    list.push(l)
  }
  return new Map([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

/** Runs the events over `p` subtasks (routing each by key group), optionally rescaling to `p2` after `cut` events. */
const runParallel = (events: readonly Ev[], p: number, rescale?: { cut: number; p2: number }): string[] => {
  const open = (parallelism: number, restoreFrom?: readonly OperatorSnapshot[]) =>
    Array.from({ length: parallelism }, (_, subtaskIndex) =>
      KeyedProcessFunctionHarness.of(new RunningSum(), selectKey, {
        parallelism,
        subtaskIndex,
        maxParallelism: MAX_P,
        ...(restoreFrom === undefined ? {} : { restoreFrom }),
      }),
    )
  const out: string[] = []
  let hs = open(p)
  const feed = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const e = events[i]!
      hs[subtaskForKeyGroup(MAX_P, hs.length, keyGroupOf(e.key, MAX_P))]!.processElement(e, e.ts)
    }
  }
  if (rescale === undefined) feed(0, events.length)
  else {
    feed(0, rescale.cut)
    const snapshots = hs.map((h) => h.snapshot())
    for (const h of hs) out.push(...h.extractOutputValues())
    hs = open(rescale.p2, snapshots)
    feed(rescale.cut, events.length)
  }
  for (const h of hs) {
    h.endInput()
    out.push(...h.extractOutputValues())
  }
  return out
}

/** Shuffles the events, keeping the order of each key's events. */
const interleave = (events: readonly Ev[], picks: readonly number[]): Ev[] => {
  const queues = perKeyEvents(events)
  const out: Ev[] = []
  let i = 0
  while (queues.length > 0) {
    const q = (picks[i++ % Math.max(1, picks.length)] ?? 0) % queues.length
    out.push(queues[q]!.shift()!)
    if (queues[q]!.length === 0) queues.splice(q, 1)
  }
  return out
}

const perKeyEvents = (events: readonly Ev[]): Ev[][] => {
  const m = new Map<string, Ev[]>()
  for (const e of events) {
    let l = m.get(e.key)
    if (l === undefined) m.set(e.key, (l = []))
    l.push(e)
  }
  return [...m.values()]
}

const eventsArb = fc.array(
  fc.record({
    key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'user-1', 'user-22', 'z'),
    v: fc.integer({ min: -5, max: 5 }),
    ts: fc.integer({ min: 0, max: 1_000 }),
  }),
  { maxLength: 60 },
)

describe('keyed results do not depend on interleaving or parallelism', () => {
  it('per-key results are the same for any interleaving of keys and parallelism 1, 2 and 4', () => {
    fc.assert(
      fc.property(eventsArb, fc.array(fc.nat(), { minLength: 1, maxLength: 30 }), (events, picks) => {
        const expected = perKey(runParallel(events, 1))
        expect(perKey(runParallel(interleave(events, picks), 1))).toEqual(expected)
        expect(perKey(runParallel(events, 2))).toEqual(expected)
        expect(perKey(runParallel(interleave(events, picks), 4))).toEqual(expected)
      }),
      { numRuns: 150 },
    )
  })

  it('per-key results are the same when the job is rescaled from a snapshot', () => {
    fc.assert(
      fc.property(
        eventsArb,
        fc.nat(),
        fc.constantFrom(1, 2, 4),
        fc.constantFrom(1, 2, 3, 4),
        (events, cutSeed, p, p2) => {
          const cut = events.length === 0 ? 0 : cutSeed % (events.length + 1)
          expect(perKey(runParallel(events, p, { cut, p2 }))).toEqual(perKey(runParallel(events, 1)))
        },
      ),
      { numRuns: 150 },
    )
  })
})
