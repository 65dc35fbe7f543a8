import fc from 'fast-check'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { StateError } from '../../core/errors.js'
import { keyGroupOf, keyGroupRangeForSubtask } from '../../core/key-groups.js'
import type { InternalKeyedState } from '../../state/keyed-state-backend.js'
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../state/state-descriptor.js'
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../state/state.js'
import { StateTtlConfig } from '../../state/state-ttl-config.js'
import type { KeyedStateSnapshot } from './keyed-state-snapshot.js'
import type { StateOp, TestBackend } from './test-util.js'
import { BACKENDS, TestClock, disposeBackends, removeTestDirs, stateOpArb } from './test-util.js'

const collect = {
  createAccumulator: (): number[] => [],
  add: (v: number, acc: number[]) => (acc.push(v), acc), // mutates the accumulator in place
  getResult: (acc: number[]) => acc.join(','),
  merge: (a: number[], b: number[]) => a.concat(b),
}

const ttlCfg = StateTtlConfig.newBuilder(50).setUpdateType('OnReadAndWrite').cleanupIncrementally(2).build()

/** A fresh descriptor set; `ttl` adds TTL to some of them. */
const descriptors = (ttl: boolean) => {
  const t = <D extends { enableTimeToLive(c: StateTtlConfig): D }>(d: D): D => (ttl ? d.enableTimeToLive(ttlCfg) : d)
  return {
    value: new ValueStateDescriptor<{ n: number }>('value'),
    list: t(new ListStateDescriptor<number>('list')),
    map: t(new MapStateDescriptor<string, number>('map')),
    reducing: new ReducingStateDescriptor<number>('reducing', (a, b) => a + b),
    aggregating: t(new AggregatingStateDescriptor('aggregating', collect)),
    ttlValue: new ValueStateDescriptor<number>('ttl-value').enableTimeToLive(ttlCfg),
  }
}

interface States {
  value: InternalKeyedState<ValueState<{ n: number }>>
  list: InternalKeyedState<ListState<number>>
  map: InternalKeyedState<MapState<string, number>>
  reducing: InternalKeyedState<ReducingState<number>>
  aggregating: InternalKeyedState<AggregatingState<number, string>>
  ttlValue: InternalKeyedState<ValueState<number>>
}

const open = (b: TestBackend<string>, ttl: boolean): States => {
  const d = descriptors(ttl)
  return {
    value: b.getOrCreateKeyedState(d.value),
    list: b.getOrCreateKeyedState(d.list),
    map: b.getOrCreateKeyedState(d.map),
    reducing: b.getOrCreateKeyedState(d.reducing),
    aggregating: b.getOrCreateKeyedState(d.aggregating),
    ttlValue: b.getOrCreateKeyedState(d.ttlValue),
  }
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']
const NSS = ['', 'w1', 'w2']
const opArb = stateOpArb(KEYS, NSS, 6)

const apply = (b: TestBackend<string>, s: States, clock: TestClock, o: StateOp): void => {
  if (o.op === 'tick') return clock.advance(o.ms)
  b.setCurrentKey(o.key)
  const all = [s.value, s.list, s.map, s.reducing, s.aggregating, s.ttlValue]
  for (const st of all) st.setCurrentNamespace(o.ns)
  if (o.op === 'merge') {
    for (const st of [s.list, s.reducing, s.aggregating]) st.mergeNamespaces(o.ns, o.from)
    return
  }
  if (o.op === 'clear') return all[o.state]!.state.clear()
  switch (o.state) {
    case 0:
      return s.value.state.update({ n: o.v })
    case 1:
      return s.list.state.add(o.v)
    case 2:
      return s.map.state.put(`m${o.v % 4}`, o.v)
    case 3:
      return s.reducing.state.add(o.v)
    case 4:
      return s.aggregating.state.add(o.v)
    default:
      return s.ttlValue.state.update(o.v)
  }
}

/** Everything visible through the state API, for every key and namespace. */
const read = (b: TestBackend<string>, s: States): unknown[] => {
  const out: unknown[] = []
  for (const key of KEYS)
    for (const ns of NSS) {
      b.setCurrentKey(key)
      for (const st of [s.value, s.list, s.map, s.reducing, s.aggregating, s.ttlValue]) st.setCurrentNamespace(ns)
      out.push([
        key,
        ns,
        s.value.state.value(),
        [...s.list.state.get()],
        [...s.map.state.entries()],
        s.reducing.state.get(),
        s.aggregating.state.get(),
        s.ttlValue.state.value(),
      ])
    }
  return out
}

afterEach(disposeBackends)
afterAll(removeTestDirs)

// The same behaviour, asserted alike, for every backend.
describe.each(BACKENDS)('%s backend', (_backendName, newBackend) => {
  describe('keyed state snapshots', () => {
    it('is a deep copy: mutating the state (even in place) never changes a snapshot', () => {
      const b = newBackend()
      const s = open(b, false)
      b.setCurrentKey('a')
      s.value.state.update({ n: 1 })
      s.aggregating.state.add(1)
      s.list.state.add(1)
      s.map.state.put('x', 1)
      const snap = b.snapshot()
      const frozen = structuredClone(snap)
      s.value.state.value()!.n = 99 // in-place change of the stored object
      s.aggregating.state.add(2) // the accumulator array is mutated in place
      s.list.state.add(2)
      s.map.state.put('y', 2)
      b.setCurrentKey('b')
      s.reducing.state.add(5)
      expect(snap).toEqual(frozen)

      const r = newBackend()
      r.restore([snap])
      expect(r.snapshot()).toEqual(frozen)
      const rs = open(r, false)
      r.setCurrentKey('a')
      expect(rs.value.state.value()).toEqual({ n: 1 })
      expect(rs.aggregating.state.get()).toBe('1')
      rs.aggregating.state.add(3) // mutates the restored accumulator: the snapshot stays as it was
      rs.value.state.value()!.n = 7
      expect(snap).toEqual(frozen)
      expect(r.snapshot()).not.toEqual(frozen)
    })

    it('holds plain data grouped by key group, with TTL timestamps', () => {
      const clock = new TestClock(5_000)
      const b = newBackend({ clock })
      const d = descriptors(true)
      const list = b.getOrCreateKeyedState(d.list).state
      const plain = b.getOrCreateKeyedState(d.reducing).state
      b.setCurrentKey('a')
      list.add(1)
      clock.advance(7)
      list.add(2)
      plain.add(3)
      const snap = b.snapshot()
      const kg = keyGroupOf('a', 128)
      expect(snap).toEqual({
        formatVersion: 1,
        operatorName: 'test-op',
        maxParallelism: 128,
        keyGroupRange: { start: 0, end: 127 },
        keyGroups: [
          {
            keyGroup: kg,
            states: [
              { name: 'list', kind: 'list', entries: [{ key: 'a', namespace: '', value: [1, 2], timestamps: [5_000, 5_007] }] },
              { name: 'reducing', kind: 'reducing', entries: [{ key: 'a', namespace: '', value: 3 }] },
            ],
          },
        ],
      })
      expect(structuredClone(snap)).toEqual(snap)
    })

    it('keeps TTL timestamps across a restore', () => {
      const clock = new TestClock(1_000)
      const b = newBackend({ clock })
      const d = new ValueStateDescriptor<number>('v').enableTimeToLive(StateTtlConfig.newBuilder(100).build())
      b.setCurrentKey('a')
      b.getOrCreateKeyedState(d).state.update(1)
      const snap = b.snapshot()
      clock.advance(99)
      const r = newBackend({ clock })
      r.restore([snap])
      const s = r.getOrCreateKeyedState(d).state
      r.setCurrentKey('a')
      expect(s.value()).toBe(1)
      clock.advance(1)
      expect(s.value()).toBeUndefined()
    })

    it('starts TTL at first use when a restored state gains one, and drops timestamps when it loses it', () => {
      const clock = new TestClock(1_000)
      const b = newBackend({ clock })
      b.setCurrentKey('a')
      b.getOrCreateKeyedState(new ListStateDescriptor<number>('l')).state.addAll([1, 2])
      const withTtl = new ListStateDescriptor<number>('l').enableTimeToLive(StateTtlConfig.newBuilder(100).build())
      const r = newBackend({ clock })
      r.restore([b.snapshot()])
      clock.advance(500)
      const s = r.getOrCreateKeyedState(withTtl).state
      r.setCurrentKey('a')
      clock.advance(99)
      expect([...s.get()]).toEqual([1, 2])
      const back = newBackend({ clock })
      back.restore([r.snapshot()])
      expect(back.snapshot().keyGroups[0]!.states[0]!.entries[0]!.timestamps).toEqual([1_500, 1_500])
      back.getOrCreateKeyedState(new ListStateDescriptor<number>('l'))
      expect(back.snapshot().keyGroups[0]!.states[0]!.entries[0]!.timestamps).toBeUndefined()
    })

    it('restores lazily: data waits for its descriptor and survives a snapshot before that', () => {
      const b = newBackend()
      const s = open(b, false)
      b.setCurrentKey('a')
      s.list.state.add(1)
      const snap = b.snapshot()
      const r = newBackend()
      r.restore([snap])
      expect(r.numEntries()).toBe(1)
      expect([...r.getKeys('list', '')]).toEqual(['a'])
      expect(r.snapshot()).toEqual(snap) // nothing lost while waiting
      expect(() => r.getOrCreateKeyedState(new ValueStateDescriptor<number>('list'))).toThrow(
        "Operator 'test-op' asks for state 'list' as value state, but it was restored from a snapshot as list state",
      )
      const l = r.getOrCreateKeyedState(new ListStateDescriptor<number>('list')).state
      r.setCurrentKey('a')
      expect([...l.get()]).toEqual([1])
    })

    it('fails clearly on a maxParallelism mismatch, a misplaced key or an uncloneable value', () => {
      const b = newBackend({ maxParallelism: 64, operatorName: 'agg' })
      b.setCurrentKey('a')
      b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state.update(1)
      const snap = b.snapshot()
      expect(() => newBackend({ maxParallelism: 128 }).restore([snap])).toThrow(/maxParallelism 64.*maxParallelism 128/)
      const moved: KeyedStateSnapshot = {
        ...snap,
        keyGroups: [{ ...snap.keyGroups[0]!, keyGroup: (snap.keyGroups[0]!.keyGroup + 1) % 64 }],
      }
      expect(() => newBackend({ maxParallelism: 64 }).restore([moved])).toThrow(/key "a" belongs to key group/)
      const bad = newBackend({ operatorName: 'fn-holder' })
      bad.setCurrentKey('a')
      bad.getOrCreateKeyedState(new ValueStateDescriptor<() => void>('callbacks')).state.update(() => {})
      expect(() => bad.snapshot()).toThrow(StateError)
      expect(() => bad.snapshot()).toThrow("Cannot snapshot state 'callbacks' of operator 'fn-holder'")
    })

    it('restore(snapshot(s)) equals s, also when the state continues afterwards (property)', { timeout: 60_000 }, () => {
      fc.assert(
        fc.property(
          fc.array(opArb, { maxLength: 80 }),
          fc.array(opArb, { maxLength: 30 }),
          fc.boolean(),
          (ops, more, ttl) => {
            disposeBackends() // the backends of earlier runs
            const clock = new TestClock(1_000)
            const b = newBackend({ clock })
            const s = open(b, ttl)
            for (const o of ops) apply(b, s, clock, o)
            const snap = b.snapshot()

            const r = newBackend({ clock })
            r.restore([snap])
            expect(r.snapshot()).toEqual(snap)
            expect(r.numEntries()).toBe(b.numEntries())
            const rs = open(r, ttl)
            expect(r.snapshot()).toEqual(snap)
            // both continue in lockstep (reads with TTL renew and clean up alike)
            expect(read(r, rs)).toEqual(read(b, s))
            for (const o of more) {
              apply(b, s, clock, o)
              apply(r, rs, clock, o)
            }
            expect(read(r, rs)).toEqual(read(b, s))
            expect(r.snapshot()).toEqual(b.snapshot())
          },
        ),
        { numRuns: 150 },
      )
    })
  })

  describe('rescaling keyed state by key group', () => {
    const fill = (backends: TestBackend<string>[], maxP: number, keys: readonly string[]) => {
      const p = backends.length
      for (const key of keys) {
        const kg = keyGroupOf(key, maxP)
        const owner = backends.find((b) => b.keyGroupRange.contains(kg))!
        expect(owner).toBe(backends[Math.floor((kg * p) / maxP)])
        owner.setCurrentKey(key)
        const internal = owner.getOrCreateKeyedState(new ValueStateDescriptor<string>('v'))
        internal.setCurrentNamespace('')
        internal.state.update(`v-${key}`)
        internal.setCurrentNamespace(7)
        internal.state.update(`w-${key}`)
        owner.getOrCreateKeyedState(new ListStateDescriptor<string>('l')).state.add(key)
      }
    }

    const subtasks = (maxP: number, p: number) =>
      Array.from({ length: p }, (_, i) => newBackend({ maxParallelism: maxP, range: keyGroupRangeForSubtask(maxP, p, i) }))

    it('restores the snapshots of 3 subtasks into 2 without losing or duplicating anything', () => {
      const keys = Array.from({ length: 500 }, (_, i) => `user-${i}`)
      const old = subtasks(128, 3)
      fill(old, 128, keys)
      const snaps = old.map((b) => b.snapshot())
      const next = subtasks(128, 2)
      for (const b of next) b.restore(snaps)
      expect(next[0]!.numEntries() + next[1]!.numEntries()).toBe(3 * keys.length)
      const seen = next.flatMap((b) => [...b.getKeys('v', '')])
      expect(seen.length).toBe(keys.length)
      expect(new Set(seen)).toEqual(new Set(keys))
      for (const key of keys) {
        const b = next.find((x) => x.keyGroupRange.contains(keyGroupOf(key, 128)))!
        b.setCurrentKey(key)
        const v = b.getOrCreateKeyedState(new ValueStateDescriptor<string>('v'))
        v.setCurrentNamespace('')
        expect(v.state.value()).toBe(`v-${key}`)
        v.setCurrentNamespace(7)
        expect(v.state.value()).toBe(`w-${key}`)
        expect([...b.getOrCreateKeyedState(new ListStateDescriptor<string>('l')).state.get()]).toEqual([key])
      }
      // each new snapshot holds exactly its own key groups
      for (const b of next)
        for (const g of b.snapshot().keyGroups) expect(b.keyGroupRange.contains(g.keyGroup)).toBe(true)
    })

    it('any old and new parallelism keeps every entry exactly once (property)', { timeout: 60_000 }, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.constantFrom(8, 16, 128),
          fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 60 }),
          (p1, p2, maxP, keys) => {
            disposeBackends() // the backends of earlier runs
            fc.pre(p1 <= maxP && p2 <= maxP)
            const old = subtasks(maxP, p1)
            fill(old, maxP, keys)
            const snaps = old.map((b) => b.snapshot())
            const next = subtasks(maxP, p2)
            for (const b of next) b.restore(snaps)
            const seen = next.flatMap((b) => [...b.getKeys('l', '')]).sort()
            expect(seen).toEqual([...keys].sort())
            expect(next.reduce((n, b) => n + b.numEntries(), 0)).toBe(3 * keys.length)
            // and back: the merged snapshot equals the original one (by key group)
            const one = subtasks(maxP, 1)[0]!
            one.restore(next.map((b) => b.snapshot()))
            const direct = subtasks(maxP, 1)[0]!
            direct.restore(snaps)
            expect(one.snapshot()).toEqual(direct.snapshot())
          },
        ),
        { numRuns: 100 },
      )
    })
  })
})
