import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TimerQueue } from './timer-queue.js'

type Op =
  | { readonly op: 'add'; readonly ts: number; readonly key: number; readonly ns: string }
  | { readonly op: 'remove'; readonly ts: number; readonly key: number; readonly ns: string }
  | { readonly op: 'poll' }

const timer = { ts: fc.integer({ min: 0, max: 6 }), key: fc.integer({ min: 0, max: 3 }), ns: fc.constantFrom('', 'w1', 'w2') }
const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('add' as const), ...timer }),
    fc.record({ op: fc.constant('remove' as const), ...timer }),
    fc.record({ op: fc.constant('poll' as const) }),
  ),
  { maxLength: 120 },
)

describe('TimerQueue', () => {
  it('behaves as a sorted list of unique (timestamp, key, namespace) in registration order', () => {
    fc.assert(
      fc.property(ops, (script) => {
        const q = new TimerQueue<number, string>()
        // the model: pending timers in firing order (timestamp, then registration)
        let model: { ts: number; key: number; ns: string; seq: number }[] = []
        let seq = 0
        const sameAs = (t: { ts: number; key: number; ns: string }) => (m: { ts: number; key: number; ns: string }) =>
          m.ts === t.ts && m.key === t.key && m.ns === t.ns
        for (const o of script) {
          if (o.op === 'add') {
            const fresh = !model.some(sameAs(o))
            expect(q.add(o.ts, o.key, o.ns, 0)).toBe(fresh)
            if (fresh) model.push({ ts: o.ts, key: o.key, ns: o.ns, seq: seq++ })
          } else if (o.op === 'remove') {
            const had = model.some(sameAs(o))
            expect(q.remove(o.ts, o.key, o.ns)).toBe(had)
            model = model.filter((m) => !sameAs(o)(m))
          } else {
            model.sort((a, b) => a.ts - b.ts || a.seq - b.seq)
            const want = model.shift()
            const got = q.poll()
            expect(got === undefined ? undefined : [got.timestamp, got.key, got.namespace]).toEqual(
              want === undefined ? undefined : [want.ts, want.key, want.ns],
            )
          }
          model.sort((a, b) => a.ts - b.ts || a.seq - b.seq)
          expect(q.size).toBe(model.length)
          const head = q.peek()
          expect(head === undefined ? undefined : [head.timestamp, head.key, head.namespace]).toEqual(
            model[0] === undefined ? undefined : [model[0].ts, model[0].key, model[0].ns],
          )
          expect(q.toSortedArray().map((e) => [e.timestamp, e.key, e.namespace])).toEqual(model.map((m) => [m.ts, m.key, m.ns]))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('a timer added while its timestamp is being drained fires in the same drain, after the others', () => {
    const q = new TimerQueue<string, string>()
    q.add(5, 'a', '', 0)
    q.add(5, 'b', '', 0)
    expect(q.poll()?.key).toBe('a')
    expect(q.add(5, 'a', '', 0)).toBe(true) // a fired, so it may be registered again
    expect([q.poll()?.key, q.poll()?.key, q.poll()]).toEqual(['b', 'a', undefined])
  })

  it('deleting many timers of a long-lived timestamp does not keep them', () => {
    const q = new TimerQueue<number, string>()
    q.add(Infinity, -1, '', 0)
    for (let k = 0; k < 10_000; k++) {
      q.add(Infinity, k, '', 0)
      q.remove(Infinity, k, '')
    }
    expect(q.size).toBe(1)
    expect(q.toSortedArray()).toHaveLength(1)
    expect(q.poll()?.key).toBe(-1)
  })
})
