import fc from 'fast-check'
import { deserialize, serialize } from 'node:v8'
import { describe, expect, it } from 'vitest'
import { StateError } from '../../core/errors.js'
import { MAX_WATERMARK, NO_TIMESTAMP } from '../../core/element.js'
import type { Key } from '../../core/key.js'
import { KeyGroupRange, keyGroupOf, keyGroupRangeForSubtask } from '../../core/key-groups.js'
import type { KeyedStateBackend, Namespace } from '../../state/keyed-state-backend.js'
import type { InternalTimer, InternalTimerService, Triggerable } from '../../time/timer-service.js'
import { InternalTimeServiceManagerImpl } from './internal-time-service-manager-impl.js'
import { ManualProcessingTimeService } from './manual-processing-time-service.js'

/** A tiny keyed state backend: only the current key and its key group. */
class FakeKeyBackend<K extends Key> implements KeyedStateBackend<K> {
  private key: K | undefined
  private keyGroup = -1

  constructor(
    readonly maxParallelism = 128,
    readonly keyGroupRange: KeyGroupRange = KeyGroupRange.all(maxParallelism),
  ) {}

  setCurrentKey(key: K): void {
    const kg = keyGroupOf(key, this.maxParallelism)
    if (!this.keyGroupRange.contains(kg)) throw new StateError(`key ${String(key)} is outside ${this.keyGroupRange}`)
    this.key = key
    this.keyGroup = kg
  }
  getCurrentKey(): K {
    if (this.key === undefined) throw new StateError('no current key')
    return this.key
  }
  getCurrentKeyGroup(): number {
    return this.keyGroup
  }
  getOrCreateKeyedState(): never {
    throw new Error('not in the fake')
  }
  getKeys(): never {
    throw new Error('not in the fake')
  }
  applyToAllKeys(): never {
    throw new Error('not in the fake')
  }
  numEntries(): number {
    return 0
  }
  dispose(): void {}
}

type Fired = [kind: 'event' | 'proc', timestamp: number, key: Key, namespace: Namespace, currentKey: Key]

/** Records firings, with the backend's current key at the time; `onFire` may act on the service. */
class Recorder implements Triggerable<string, Namespace> {
  readonly fired: Fired[] = []
  onFire: ((t: InternalTimer<string, Namespace>, kind: 'event' | 'proc') => void) | undefined
  constructor(private readonly backend: KeyedStateBackend<string>) {}
  onEventTime(t: InternalTimer<string, Namespace>): void {
    this.fired.push(['event', t.timestamp, t.key, t.namespace, this.backend.getCurrentKey()])
    this.onFire?.(t, 'event')
  }
  onProcessingTime(t: InternalTimer<string, Namespace>): void {
    this.fired.push(['proc', t.timestamp, t.key, t.namespace, this.backend.getCurrentKey()])
    this.onFire?.(t, 'proc')
  }
}

const setup = (range?: KeyGroupRange) => {
  const backend = new FakeKeyBackend<string>(128, range)
  const pts = new ManualProcessingTimeService()
  const manager = new InternalTimeServiceManagerImpl<string>(backend, pts)
  const rec = new Recorder(backend)
  const timers = manager.getInternalTimerService<Namespace>('timers', rec)
  const at = (key: string, f: () => void): void => {
    backend.setCurrentKey(key)
    f()
  }
  return { backend, pts, manager, rec, timers, at }
}

describe('HeapInternalTimerService', () => {
  it('fires event-time timers in timestamp order, exactly once, with their key set', () => {
    const { manager, rec, timers, at, backend } = setup()
    at('a', () => timers.registerEventTimeTimer('', 30))
    at('b', () => timers.registerEventTimeTimer('', 10))
    at('c', () => timers.registerEventTimeTimer('w1', 20))
    at('a', () => timers.registerEventTimeTimer('', 20))
    expect(timers.numEventTimeTimers()).toBe(4)

    backend.setCurrentKey('zzz')
    manager.advanceWatermark(19)
    expect(rec.fired).toEqual([['event', 10, 'b', '', 'b']])
    manager.advanceWatermark(20)
    // equal timestamps fire in registration order
    expect(rec.fired.slice(1)).toEqual([
      ['event', 20, 'c', 'w1', 'c'],
      ['event', 20, 'a', '', 'a'],
    ])
    manager.advanceWatermark(20)
    manager.advanceWatermark(100)
    manager.advanceWatermark(MAX_WATERMARK)
    expect(rec.fired.map((f) => f[1])).toEqual([10, 20, 20, 30])
    expect(timers.numEventTimeTimers()).toBe(0)
    expect(manager.currentWatermark()).toBe(MAX_WATERMARK)
    expect(timers.currentWatermark()).toBe(MAX_WATERMARK)
  })

  it('deduplicates (timestamp, key, namespace) and deletes', () => {
    const { manager, rec, timers, at } = setup()
    at('a', () => {
      timers.registerEventTimeTimer('w', 5)
      timers.registerEventTimeTimer('w', 5)
      timers.registerEventTimeTimer('w', 6)
      timers.registerEventTimeTimer('v', 5)
    })
    at('b', () => timers.registerEventTimeTimer('w', 5))
    expect(timers.numEventTimeTimers()).toBe(4)
    at('a', () => {
      timers.deleteEventTimeTimer('w', 6)
      timers.deleteEventTimeTimer('w', 6) // nothing left to delete
      timers.deleteEventTimeTimer('x', 5)
      timers.registerEventTimeTimer('w', 5) // still one
    })
    expect(timers.numEventTimeTimers()).toBe(3)
    manager.advanceWatermark(10)
    expect(rec.fired.map(([, ts, k, ns]) => `${ts}/${k}/${ns}`)).toEqual(['5/a/w', '5/a/v', '5/b/w'])
    // after firing the timer can be registered again
    at('a', () => timers.registerEventTimeTimer('w', 5))
    expect(timers.numEventTimeTimers()).toBe(1)
  })

  it('fires in the same advance a timer registered while firing, for a time already reached', () => {
    const { manager, rec, timers, at } = setup()
    at('a', () => timers.registerEventTimeTimer('', 10))
    rec.onFire = (t) => {
      if (t.timestamp === 10) timers.registerEventTimeTimer('', 7) // in the past: same advance
      if (t.timestamp === 7) timers.registerEventTimeTimer('', 50) // beyond: stays
    }
    manager.advanceWatermark(20)
    expect(rec.fired.map((f) => f[1])).toEqual([10, 7])
    expect(timers.numEventTimeTimers()).toBe(1)
    // registered after the advance for a passed time: fires at the next advance, even a lower one
    rec.onFire = undefined
    at('b', () => timers.registerEventTimeTimer('', 15))
    manager.advanceWatermark(18)
    expect(rec.fired.map((f) => f[1])).toEqual([10, 7, 15])
    expect(manager.currentWatermark()).toBe(20)
  })

  it('fires processing-time timers from the manual processing time service, one callback at a time', () => {
    const { pts, rec, timers, at } = setup()
    at('a', () => timers.registerProcessingTimeTimer('', 100))
    at('b', () => timers.registerProcessingTimeTimer('', 50))
    at('c', () => timers.registerProcessingTimeTimer('', 100))
    at('c', () => timers.registerProcessingTimeTimer('', 100))
    expect(pts.numScheduled()).toBe(1)
    expect(pts.nextScheduledTime()).toBe(50)
    expect(timers.numProcessingTimeTimers()).toBe(3)

    pts.advanceTo(49)
    expect(rec.fired).toEqual([])
    pts.advanceTo(60)
    expect(rec.fired).toEqual([['proc', 50, 'b', '', 'b']])
    expect(pts.nextScheduledTime()).toBe(100)

    // an earlier one moves the callback; deleting it moves it back
    at('d', () => timers.registerProcessingTimeTimer('', 70))
    expect(pts.nextScheduledTime()).toBe(70)
    expect(pts.numScheduled()).toBe(1)
    at('d', () => timers.deleteProcessingTimeTimer('', 70))
    expect(pts.nextScheduledTime()).toBe(100)
    expect(pts.numScheduled()).toBe(1)

    rec.onFire = (t) => {
      // re-arms itself in the past and in the future
      if (t.key === 'a' && t.timestamp === 100) timers.registerProcessingTimeTimer('', 90)
      if (t.key === 'c') timers.registerProcessingTimeTimer('', 300)
    }
    pts.advanceTo(200)
    // the timer at 90, registered while firing at 100, is the earliest: it fires next
    expect(rec.fired.slice(1).map(([, ts, k, , cur]) => `${ts}/${k}/${cur}`)).toEqual(['100/a/a', '90/a/a', '100/c/c'])
    expect(timers.currentProcessingTime()).toBe(200)
    expect(pts.nextScheduledTime()).toBe(300)
    expect(pts.numScheduled()).toBe(1)

    at('c', () => timers.deleteProcessingTimeTimer('', 300))
    expect(pts.numScheduled()).toBe(0)
    expect(timers.numProcessingTimeTimers()).toBe(0)
  })

  it('fires processing-time timers of several services in global time order', () => {
    const { pts, manager, backend, rec, timers, at } = setup()
    const rec2 = new Recorder(backend)
    const other = manager.getInternalTimerService<Namespace>('other', rec2)
    const order: string[] = []
    rec.onFire = (t) => order.push(`timers@${t.timestamp}`)
    rec2.onFire = (t) => order.push(`other@${t.timestamp}`)
    at('a', () => {
      timers.registerProcessingTimeTimer('', 10)
      timers.registerProcessingTimeTimer('', 30)
      other.registerProcessingTimeTimer('', 20)
    })
    pts.advanceTo(40)
    expect(order).toEqual(['timers@10', 'other@20', 'timers@30'])
    expect(manager.numTimers()).toBe(0)
  })

  it('rejects timers at NaN with a clear error', () => {
    const { timers, at } = setup()
    at('a', () => {
      expect(() => timers.registerEventTimeTimer('', NO_TIMESTAMP)).toThrow(/no timestamp/)
      expect(() => timers.registerProcessingTimeTimer('', NO_TIMESTAMP)).toThrow(StateError)
    })
  })

  it('returns the same service by name and refuses another triggerable', () => {
    const { manager, rec, timers, backend } = setup()
    expect(manager.getInternalTimerService('timers', rec)).toBe(timers)
    expect(() => manager.getInternalTimerService('timers', new Recorder(backend))).toThrow(/another triggerable/)
  })

  it('visits pending timers in firing order', () => {
    const { timers, at } = setup()
    at('a', () => timers.registerEventTimeTimer(1, 30))
    at('b', () => timers.registerEventTimeTimer(2, 10))
    const seen: string[] = []
    timers.forEachEventTimeTimer((ts, k, ns) => seen.push(`${ts}/${String(k)}/${ns}`))
    expect(seen).toEqual(['10/b/2', '30/a/1'])
  })

  it('matches a model under random register/delete/advance (property)', () => {
    type Op =
      | { op: 'reg' | 'del'; key: string; ns: string; ts: number }
      | { op: 'adv'; wm: number }
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({
        op: fc.constantFrom<'reg' | 'del'>('reg', 'reg', 'del'),
        key: fc.constantFrom('a', 'b', 'c'),
        ns: fc.constantFrom('', 'w1', 'w2'),
        ts: fc.integer({ min: 0, max: 40 }),
      }),
      fc.record({ op: fc.constant<'adv'>('adv'), wm: fc.integer({ min: 0, max: 50 }) }),
    )
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const { manager, rec, timers, at } = setup()
        const model = new Map<string, { ts: number; key: string; ns: string; seq: number }>()
        let seq = 0
        let wm = -Infinity
        const expected: string[] = []
        for (const o of ops) {
          if (o.op === 'adv') {
            at('a', () => manager.advanceWatermark(o.wm))
            wm = Math.max(wm, o.wm)
            const due = [...model.values()].filter((t) => t.ts <= wm).sort((x, y) => x.ts - y.ts || x.seq - y.seq)
            for (const t of due) {
              expected.push(`${t.ts}/${t.key}/${t.ns}`)
              model.delete(`${t.ts}/${t.key}/${t.ns}`)
            }
          } else {
            const id = `${o.ts}/${o.key}/${o.ns}`
            if (o.op === 'reg') {
              at(o.key, () => timers.registerEventTimeTimer(o.ns, o.ts))
              if (!model.has(id)) model.set(id, { ts: o.ts, key: o.key, ns: o.ns, seq: seq++ })
            } else {
              at(o.key, () => timers.deleteEventTimeTimer(o.ns, o.ts))
              model.delete(id)
            }
          }
          expect(timers.numEventTimeTimers()).toBe(model.size)
        }
        expect(rec.fired.map(([, ts, k, ns, cur]) => (k === cur ? `${ts}/${k}/${ns}` : 'wrong key'))).toEqual(expected)
      }),
    )
  })
})

describe('InternalTimeServiceManagerImpl snapshots', () => {
  const fill = (timers: InternalTimerService<Namespace>, at: (k: string, f: () => void) => void): void => {
    for (let i = 0; i < 40; i++)
      at(`k${i}`, () => {
        timers.registerEventTimeTimer(`w${i % 3}`, 100 + (i % 7))
        timers.registerProcessingTimeTimer('', 1000 + i)
      })
  }

  it('snapshots to plain structured-clonable data and restores the same timers', () => {
    const a = setup()
    fill(a.timers, a.at)
    const snap = structuredClone(a.manager.snapshotState())
    expect(snap.version).toBe(1)
    expect(snap.keyGroups.map((g) => g.keyGroup)).toEqual([...snap.keyGroups.map((g) => g.keyGroup)].sort((x, y) => x - y))

    const b = setup()
    b.manager.restoreState(snap)
    expect(b.manager.snapshotState()).toEqual(snap)
    expect(b.manager.numTimers()).toBe(80)
    // restored processing-time timers are scheduled once the service is started
    expect(b.pts.nextScheduledTime()).toBe(1000)

    a.manager.advanceWatermark(200)
    a.pts.advanceTo(2000)
    b.manager.advanceWatermark(200)
    b.pts.advanceTo(2000)
    const sortKey = (f: Fired): string => `${f[0]}/${f[1]}/${String(f[2])}/${f[3]}`
    expect(b.rec.fired.map(sortKey).sort()).toEqual(a.rec.fired.map(sortKey).sort())
    expect(b.rec.fired.map((f) => f[1])).toEqual(a.rec.fired.map((f) => f[1]))
  })

  it('restores only the key groups in the backend range, so rescaling splits the timers', () => {
    const a = setup()
    fill(a.timers, a.at)
    const snap = a.manager.snapshotState()
    const parts = [0, 1, 2].map((i) => {
      const s = setup(keyGroupRangeForSubtask(128, 3, i))
      s.manager.restoreState(snap)
      return s
    })
    expect(parts.reduce((n, p) => n + p.manager.numTimers(), 0)).toBe(80)
    for (const [i, p] of parts.entries()) {
      const range = keyGroupRangeForSubtask(128, 3, i)
      p.timers.forEachEventTimeTimer((_ts, key) => expect(range.contains(keyGroupOf(key, 128))).toBe(true))
    }
    // and back: one subtask restores from all three
    const whole = setup()
    for (const p of parts) whole.manager.restoreState(p.manager.snapshotState())
    expect(whole.manager.numTimers()).toBe(80)
    // restoring twice keeps timers single
    whole.manager.restoreState(snap)
    expect(whole.manager.numTimers()).toBe(80)
  })

  it('restore(snapshot(s)) equals s (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            key: fc.oneof(fc.string({ maxLength: 4 }), fc.integer().map(String)),
            ns: fc.constantFrom<Namespace>('', 'x', 3),
            ts: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(MAX_WATERMARK)),
            event: fc.boolean(),
          }),
          { maxLength: 50 },
        ),
        (timers) => {
          const a = setup()
          for (const t of timers)
            a.at(t.key, () => (t.event ? a.timers.registerEventTimeTimer(t.ns, t.ts) : a.timers.registerProcessingTimeTimer(t.ns, t.ts)))
          const snap = structuredClone(a.manager.snapshotState())
          const b = setup()
          b.manager.restoreState(snap)
          expect(b.manager.snapshotState()).toEqual(snap)
          expect(b.manager.numTimers()).toBe(a.manager.numTimers())
        },
      ),
    )
  })

  it('fails clearly when restored timers are due in a service nobody started', () => {
    const a = setup()
    a.at('k', () => a.timers.registerEventTimeTimer('', 5))
    const backend = new FakeKeyBackend<string>()
    const manager = new InternalTimeServiceManagerImpl<string>(backend, new ManualProcessingTimeService())
    manager.restoreState(a.manager.snapshotState())
    expect(manager.serviceNames()).toEqual(['timers'])
    expect(() => manager.advanceWatermark(10)).toThrow(/never started/)
  })
})

describe('InternalTimeServiceManagerImpl checkpoint snapshots (format 2)', () => {
  const fill = (timers: InternalTimerService<Namespace>, at: (k: string, f: () => void) => void, n = 40): void => {
    for (let i = 0; i < n; i++)
      at(`k${i}`, () => {
        timers.registerEventTimeTimer(`w${i % 3}`, 100 + (i % 7))
        timers.registerProcessingTimeTimer('', 1000 + i)
      })
  }

  it('serializes every key group apart and restores the same timers, also after going through a file', async () => {
    const a = setup()
    fill(a.timers, a.at)
    a.at('k1', () => a.manager.getInternalTimerService<Namespace>('other', a.rec).registerEventTimeTimer(5, MAX_WATERMARK))
    const snap = await a.manager.snapshotForCheckpoint()
    expect(snap.version).toBe(2)
    const groups = snap.keyGroups.map((g) => g.keyGroup)
    expect(groups).toEqual([...groups].sort((x, y) => x - y))
    expect(new Set(groups)).toEqual(new Set(a.manager.snapshotState().keyGroups.map((g) => g.keyGroup)))
    for (const g of snap.keyGroups) expect(g.data).toBeInstanceOf(Uint8Array)

    const b = setup()
    b.manager.restoreState(deserialize(serialize(snap)) as typeof snap)
    expect(b.manager.snapshotState()).toEqual(a.manager.snapshotState())
    expect(b.manager.serviceNames()).toEqual(['timers', 'other'])
    expect(b.manager.numTimers()).toBe(81)
    expect(b.pts.nextScheduledTime()).toBe(1000)
  })

  it('holds the timers pending when it was called: not those registered after, still those fired or deleted after', async () => {
    const a = setup()
    fill(a.timers, a.at)
    a.at('k0', () => a.timers.deleteEventTimeTimer('w0', 100)) // retired before: not in the snapshot
    const before = a.manager.snapshotState()
    const pending = a.manager.snapshotForCheckpoint()
    a.manager.advanceWatermark(103) // fires some event-time timers
    a.pts.advanceTo(1010) // fires some processing-time timers
    a.at('k1', () => a.timers.deleteEventTimeTimer('w1', 101))
    a.at('new', () => a.timers.registerEventTimeTimer('', 50))
    const b = setup()
    b.manager.restoreState(await pending)
    expect(b.manager.snapshotState()).toEqual(before)
  })

  it('restores only the key groups in the backend range, and never decodes the others', async () => {
    const a = setup()
    fill(a.timers, a.at)
    const snap = await a.manager.snapshotForCheckpoint()
    const range = keyGroupRangeForSubtask(128, 3, 1)
    // damage every key group the subtask does not own: it must not even look at them
    const damaged = { ...snap, keyGroups: snap.keyGroups.map((g) => (range.contains(g.keyGroup) ? g : { ...g, data: new Uint8Array([1, 2, 3]) })) }
    const parts = [0, 1, 2].map((i) => {
      const s = setup(keyGroupRangeForSubtask(128, 3, i))
      s.manager.restoreState(i === 1 ? damaged : snap)
      return s
    })
    expect(parts.reduce((n, p) => n + p.manager.numTimers(), 0)).toBe(80)
    parts[1]!.timers.forEachEventTimeTimer((_ts, key) => expect(range.contains(keyGroupOf(key, 128))).toBe(true))
    const whole = setup()
    for (const p of parts) whole.manager.restoreState(await p.manager.snapshotForCheckpoint())
    expect(whole.manager.snapshotState()).toEqual(a.manager.snapshotState())
    expect(() => setup().manager.restoreState(damaged)).toThrow(/Cannot restore the timers of key group \d+: they cannot be decoded/)
    const malformed = { version: 2 as const, keyGroups: [{ keyGroup: 3, data: serialize([{ name: 't', eventTime: { keys: ['a'], timestamps: [1], timestampRuns: [2], namespaces: [''], namespaceRuns: [1] } }]) }] }
    expect(() => setup().manager.restoreState(malformed)).toThrow(/they are malformed/)
  })

  it('restore(snapshotForCheckpoint(s)) holds the timers of s, in firing order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.oneof(fc.string({ maxLength: 4 }), fc.integer().map(String)),
            ns: fc.constantFrom<Namespace>('', 'x', 3),
            ts: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(MAX_WATERMARK)),
            event: fc.boolean(),
            del: fc.boolean(),
          }),
          { maxLength: 50 },
        ),
        async (timers) => {
          const a = setup()
          for (const t of timers)
            a.at(t.key, () => {
              if (t.del) return t.event ? a.timers.deleteEventTimeTimer(t.ns, t.ts) : a.timers.deleteProcessingTimeTimer(t.ns, t.ts)
              return t.event ? a.timers.registerEventTimeTimer(t.ns, t.ts) : a.timers.registerProcessingTimeTimer(t.ns, t.ts)
            })
          const b = setup()
          b.manager.restoreState(await a.manager.snapshotForCheckpoint())
          expect(b.manager.snapshotState()).toEqual(a.manager.snapshotState())
        },
      ),
    )
  })
})
