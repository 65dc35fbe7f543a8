import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { StateError } from '../../core/errors.js'
import { KeyGroupRange, keyGroupOf } from '../../core/key-groups.js'
import { VOID_NAMESPACE } from '../../state/keyed-state-backend.js'
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../state/state-descriptor.js'
import type { AggregateFunction } from '../../state/state.js'
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js'
import { EPOCH_MASK } from './key-context.js'
import { BACKENDS, disposeBackends, keyWhere, removeTestDirs } from './test-util.js'

const avg: AggregateFunction<number, { sum: number; n: number }, number> = {
  createAccumulator: () => ({ sum: 0, n: 0 }),
  add: (v, a) => ({ sum: a.sum + v, n: a.n + 1 }),
  getResult: (a) => a.sum / a.n,
  merge: (a, b) => ({ sum: a.sum + b.sum, n: a.n + b.n }),
}

afterEach(disposeBackends)
afterAll(removeTestDirs)

describe('HeapKeyedStateBackend: the class docs example', () => {
  it('counts per key, as in the class docs', () => {
    let now = 0
    // #region example
    const backend = new HeapKeyedStateBackend<string>({
      keyGroupRange: KeyGroupRange.all(128),
      maxParallelism: 128,
      operatorName: 'count-per-user',
      ttlTimeProvider: () => now,
    })
    const count = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('count')).state
    for (const user of ['alice', 'bob', 'alice']) {
      backend.setCurrentKey(user)
      count.update((count.value() ?? 0) + 1)
    }
    // #endregion example
    now = 1
    backend.setCurrentKey('alice')
    expect(count.value()).toBe(2)
    backend.setCurrentKey('bob')
    expect(count.value()).toBe(1)
  })
})

// The same behaviour, asserted alike, for every backend.
describe.each(BACKENDS)('%s backend', (backendName, newBackend) => {
  describe('KeyedStateBackend: per-key state', () => {
    it('keeps value state per key', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
      b.setCurrentKey('a')
      expect(s.value()).toBeUndefined()
      s.update(1)
      b.setCurrentKey('b')
      expect(s.value()).toBeUndefined()
      s.update(2)
      b.setCurrentKey('a')
      expect(s.value()).toBe(1)
      s.update((s.value() ?? 0) + 10)
      expect(s.value()).toBe(11)
      b.setCurrentKey('b')
      expect(s.value()).toBe(2)
      s.clear()
      expect(s.value()).toBeUndefined()
      b.setCurrentKey('a')
      expect(s.value()).toBe(11)
      expect(b.numEntries()).toBe(1)
    })

    it('treats update(undefined) as clear', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number | undefined>('v')).state
      b.setCurrentKey('a')
      s.update(1)
      s.update(undefined)
      expect(s.value()).toBeUndefined()
      expect(b.numEntries()).toBe(0)
    })

    it('keeps list state per key, and get() is a copy', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new ListStateDescriptor<number>('l')).state
      b.setCurrentKey('a')
      expect([...s.get()]).toEqual([])
      s.add(1)
      s.addAll([2, 3])
      b.setCurrentKey('b')
      s.add(9)
      b.setCurrentKey('a')
      const got = s.get()
      s.add(4)
      expect([...got]).toEqual([1, 2, 3])
      expect([...s.get()]).toEqual([1, 2, 3, 4])
      s.update([7])
      expect([...s.get()]).toEqual([7])
      s.update([])
      expect([...s.get()]).toEqual([])
      b.setCurrentKey('b')
      expect([...s.get()]).toEqual([9])
      s.clear()
      expect(b.numEntries()).toBe(0)
    })

    it('keeps map state per key and drops a key whose map becomes empty', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new MapStateDescriptor<string, number>('m')).state
      b.setCurrentKey('a')
      expect(s.isEmpty()).toBe(true)
      s.put('x', 1)
      s.putAll([
        ['y', 2],
        ['z', 3],
      ])
      b.setCurrentKey('b')
      expect(s.get('x')).toBeUndefined()
      expect(s.contains('x')).toBe(false)
      s.put('x', 100)
      b.setCurrentKey('a')
      expect(s.get('x')).toBe(1)
      expect(s.contains('y')).toBe(true)
      expect([...s.entries()]).toEqual([
        ['x', 1],
        ['y', 2],
        ['z', 3],
      ])
      expect([...s.keys()]).toEqual(['x', 'y', 'z'])
      expect([...s.values()]).toEqual([1, 2, 3])
      s.remove('y')
      expect(s.contains('y')).toBe(false)
      expect(b.numEntries()).toBe(2)
      s.remove('x')
      s.remove('z')
      expect(s.isEmpty()).toBe(true)
      expect(b.numEntries()).toBe(1)
      b.setCurrentKey('b')
      expect(s.get('x')).toBe(100)
    })

    it('keeps reducing state per key', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new ReducingStateDescriptor<number>('r', (x, y) => x + y)).state
      b.setCurrentKey('a')
      expect(s.get()).toBeUndefined()
      s.add(1)
      s.add(2)
      b.setCurrentKey('b')
      s.add(10)
      b.setCurrentKey('a')
      expect(s.get()).toBe(3)
      b.setCurrentKey('b')
      expect(s.get()).toBe(10)
      s.clear()
      expect(s.get()).toBeUndefined()
    })

    it('keeps aggregating state per key', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new AggregatingStateDescriptor('g', avg)).state
      b.setCurrentKey('a')
      expect(s.get()).toBeUndefined()
      s.add(1)
      s.add(3)
      b.setCurrentKey('b')
      s.add(10)
      b.setCurrentKey('a')
      expect(s.get()).toBe(2)
      b.setCurrentKey('b')
      expect(s.get()).toBe(10)
    })

    it('keeps keys of every type apart, including keys in the same key group', () => {
      const b = newBackend<string | number | bigint | boolean>({ maxParallelism: 1 })
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<string>('v')).state
      const keys = ['1', 1, 1n, true, 'true', 0, -0.5]
      for (const k of keys) {
        b.setCurrentKey(k)
        s.update(`${typeof k}:${String(k)}`)
      }
      for (const k of keys) {
        b.setCurrentKey(k)
        expect(s.value()).toBe(`${typeof k}:${String(k)}`)
      }
      expect(b.numEntries()).toBe(keys.length)
    })

    it('returns the same state object for the same name, and states do not share entries', () => {
      const b = newBackend()
      const d = new ValueStateDescriptor<number>('v')
      const s1 = b.getOrCreateKeyedState(d)
      expect(b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v'))).toBe(s1)
      expect(s1.state).toBe(s1)
      const other = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('w')).state
      b.setCurrentKey('a')
      s1.state.update(1)
      expect(other.value()).toBeUndefined()
    })

    it('survives the key epoch wrapping around (no stale cached entry)', () => {
      const b = newBackend()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<string>('v')).state
      b.setCurrentKey('a')
      s.update('A')
      b.setCurrentKey('b')
      s.update('B')
      const ctx = (b as unknown as { ctx: { epoch: number } }).ctx
      const cachedEpoch = ctx.epoch
      // b's entry is cached at `cachedEpoch`; move the epoch so the next bumps come back to it
      ctx.epoch = EPOCH_MASK
      b.setCurrentKey('a') // wraps to 0: every cache is invalidated
      ctx.epoch = cachedEpoch - 1
      b.setCurrentKey('a2') // epoch is `cachedEpoch` again, with another key
      expect(s.value()).toBeUndefined()
      b.setCurrentKey('a')
      expect(s.value()).toBe('A')
    })

    it('sees writes made through another path to the cached entry (applyToAllKeys, restore)', () => {
      const b = newBackend()
      const d = new ValueStateDescriptor<number>('v')
      const s = b.getOrCreateKeyedState(d).state
      b.setCurrentKey('a')
      expect(s.value()).toBeUndefined() // caches "absent"
      const snap = (() => {
        const other = newBackend()
        other.getOrCreateKeyedState(d)
        other.setCurrentKey('a')
        other.getOrCreateKeyedState(d).state.update(5)
        return other.snapshot()
      })()
      b.restore([snap])
      expect(s.value()).toBe(5)
    })
  })

  describe('KeyedStateBackend: namespaces', () => {
    it('isolates namespaces of the same key', () => {
      const b = newBackend()
      const internal = b.getOrCreateKeyedState(new ValueStateDescriptor<string>('v'))
      const s = internal.state
      b.setCurrentKey('a')
      s.update('void')
      internal.setCurrentNamespace('w1')
      expect(s.value()).toBeUndefined()
      s.update('w1')
      internal.setCurrentNamespace(100)
      s.update('100')
      internal.setCurrentNamespace('100')
      expect(s.value()).toBeUndefined()
      internal.setCurrentNamespace('w1')
      expect(s.value()).toBe('w1')
      internal.setCurrentNamespace(VOID_NAMESPACE)
      expect(s.value()).toBe('void')
      expect(b.numEntries()).toBe(3)
      expect([...b.getKeys('v', 'w1')]).toEqual(['a'])
      expect([...b.getKeys('v', 'nope')]).toEqual([])
      internal.setCurrentNamespace(100)
      s.clear()
      expect(b.numEntries()).toBe(2)
    })

    it('merges list, reducing and aggregating namespaces into the target and clears the sources', () => {
      const b = newBackend()
      const list = b.getOrCreateKeyedState(new ListStateDescriptor<number>('l'))
      const red = b.getOrCreateKeyedState(new ReducingStateDescriptor<number>('r', (x, y) => x + y))
      const agg = b.getOrCreateKeyedState(new AggregatingStateDescriptor('g', avg))
      b.setCurrentKey('k')
      const fill = (ns: string, values: number[]) => {
        for (const st of [list, red, agg]) st.setCurrentNamespace(ns)
        for (const v of values) {
          list.state.add(v)
          red.state.add(v)
          agg.state.add(v)
        }
      }
      fill('w1', [1, 2])
      fill('w2', [3])
      fill('w3', [6])
      b.setCurrentKey('other')
      fill('w2', [1000])
      b.setCurrentKey('k')
      for (const st of [list, red, agg]) {
        st.setCurrentNamespace('w1') // the cached entry must not survive the merge
        st.mergeNamespaces('w3', ['w1', 'w2', 'absent'])
      }
      expect([...list.state.get()]).toEqual([])
      for (const st of [list, red, agg]) st.setCurrentNamespace('w3')
      expect([...list.state.get()]).toEqual([6, 1, 2, 3])
      expect(red.state.get()).toBe(12)
      expect(agg.state.get()).toBe(3)
      for (const st of [list, red, agg]) st.setCurrentNamespace('w2')
      expect(red.state.get()).toBeUndefined()
      b.setCurrentKey('other')
      expect(red.state.get()).toBe(1000)
      b.setCurrentKey('k')
      // merging into an empty target moves the sources there
      for (const st of [list, red, agg]) st.mergeNamespaces('fresh', ['w3'])
      for (const st of [list, red, agg]) st.setCurrentNamespace('fresh')
      expect([...list.state.get()]).toEqual([6, 1, 2, 3])
      expect(red.state.get()).toBe(12)
      expect(agg.state.get()).toBe(3)
      expect(b.numEntries()).toBe(3 + 3) // 'fresh' for k, 'w2' for other, in three states
    })

    it('refuses to merge value and map state with a clear error', () => {
      const b = newBackend({ operatorName: 'sessions' })
      b.setCurrentKey('k')
      const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('last'))
      const m = b.getOrCreateKeyedState(new MapStateDescriptor<string, number>('seen'))
      expect(() => v.mergeNamespaces('a', ['b'])).toThrow(StateError)
      expect(() => v.mergeNamespaces('a', ['b'])).toThrow(
        "State 'last' of operator 'sessions' is value state, which cannot merge namespaces",
      )
      expect(() => m.mergeNamespaces('a', ['b'])).toThrow(/State 'seen' .* is map state/)
    })
  })

  describe('KeyedStateBackend: keys, iteration and errors', () => {
    it('names the operator, key and range when a key lies outside the range', () => {
      const range = new KeyGroupRange(0, 63)
      const b = newBackend({ range, operatorName: 'counter' })
      const outside = keyWhere(128, (kg) => kg > 63)
      const kg = keyGroupOf(outside, 128)
      let err: unknown
      try {
        b.setCurrentKey(outside)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(StateError)
      expect((err as Error).message).toContain(`'counter'`)
      expect((err as Error).message).toContain(`"${outside}"`)
      expect((err as Error).message).toContain(`key group ${kg}`)
      expect((err as Error).message).toContain('KeyGroupRange[0, 63]')
      const inside = keyWhere(128, (g) => g <= 63)
      b.setCurrentKey(inside)
      expect(b.getCurrentKey()).toBe(inside)
      expect(b.getCurrentKeyGroup()).toBe(keyGroupOf(inside, 128))
    })

    it('owning all key groups, computes the current key group on demand and still rejects keys of a wrong type', () => {
      const b = newBackend({ maxParallelism: 16 })
      const keys = ['a', 7, 'b', 12n, true, 'a']
      for (const key of keys) {
        b.setCurrentKey(key as string)
        expect(b.getCurrentKeyGroup()).toBe(keyGroupOf(key as string, 16))
        expect(b.getCurrentKeyGroup()).toBe(keyGroupOf(key as string, 16)) // remembered, still right
      }
      for (const bad of [{}, undefined, null, Symbol('k'), () => 1])
        expect(() => b.setCurrentKey(bad as unknown as string)).toThrow(TypeError)
      expect(b.getCurrentKey()).toBe('a') // a rejected key leaves the current one as it was
    })

    it('lists keys by key group, and snapshots group them by key group, whatever the insertion order', () => {
      const b = newBackend({ maxParallelism: 8 })
      const internal = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v'))
      const keys = Array.from({ length: 40 }, (_, i) => `key-${(i * 17) % 40}`)
      for (const [i, key] of keys.entries()) {
        b.setCurrentKey(key)
        internal.setCurrentNamespace(i % 2 === 0 ? VOID_NAMESPACE : 'w')
        internal.state.update(i)
      }
      const byGroup = (ks: readonly string[]) =>
        [...ks].map((k, i) => [keyGroupOf(k, 8), i, k] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((x) => x[2])
      const groupsOf = (ks: Iterable<string>) => [...ks].map((k) => keyGroupOf(k, 8))
      for (const [ns, parity] of [[VOID_NAMESPACE, 0], ['w', 1]] as const) {
        const listed = [...b.getKeys('v', ns)]
        const expected = byGroup(keys.filter((_, i) => i % 2 === parity))
        // every backend lists by key group; within a group, the heap backend in insertion order,
        // the lmdb backend in its key order
        expect(groupsOf(listed)).toEqual(groupsOf(expected))
        expect([...listed].sort()).toEqual([...expected].sort())
        if (backendName === 'heap') expect(listed).toEqual(expected)
      }
      const snap = b.snapshot()
      expect(snap.keyGroups.map((g) => g.keyGroup)).toEqual([...new Set(keys.map((k) => keyGroupOf(k, 8)))].sort((x, y) => x - y))
      let n = 0
      for (const g of snap.keyGroups)
        for (const st of g.states)
          for (const e of st.entries) {
            expect(keyGroupOf(e.key, 8)).toBe(g.keyGroup)
            n++
          }
      expect(n).toBe(40)
    })

    it('fails clearly without a current key, on a kind mismatch, and after dispose', () => {
      const b = newBackend({ operatorName: 'op1' })
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('x')).state
      expect(() => s.value()).toThrow("State 'x' of operator 'op1' was accessed with no current key")
      expect(() => b.getCurrentKey()).toThrow(StateError)
      expect(() => b.getCurrentKeyGroup()).toThrow(StateError)
      expect(() => b.getOrCreateKeyedState(new ListStateDescriptor<number>('x'))).toThrow(
        "Operator 'op1' asks for state 'x' as list state, but it was registered as value state",
      )
      b.dispose()
      expect(() => b.getOrCreateKeyedState(new ValueStateDescriptor<number>('y'))).toThrow(/disposed/)
      expect(() => s.value()).toThrow(/no current key/)
      expect(b.numEntries()).toBe(0)
    })

    it('rejects a range that does not fit maxParallelism', () => {
      expect(() => newBackend({ maxParallelism: 8, range: new KeyGroupRange(4, 8) })).toThrow(StateError)
      expect(() => newBackend({ maxParallelism: 0 })).toThrow(StateError)
    })

    it('applies a function to all keys of a namespace, which may update or clear them', () => {
      const b = newBackend()
      const d = new ValueStateDescriptor<number>('v')
      const internal = b.getOrCreateKeyedState(d)
      for (let i = 0; i < 50; i++) {
        b.setCurrentKey(`k${i}`)
        internal.state.update(i)
        internal.setCurrentNamespace('w')
        internal.state.update(i * 10)
        internal.setCurrentNamespace(VOID_NAMESPACE)
      }
      b.setCurrentKey('k7')
      const seen: string[] = []
      b.applyToAllKeys('w', d, (key, state) => {
        expect(b.getCurrentKey()).toBe(key)
        seen.push(key)
        const v = state.value()!
        if (v % 20 === 0) state.clear()
        else state.update(v + 1)
      })
      expect(seen.sort()).toEqual(Array.from({ length: 50 }, (_, i) => `k${i}`).sort())
      expect(b.getCurrentKey()).toBe('k7')
      expect(internal.state.value()).toBe(7) // back in the void namespace
      expect([...b.getKeys('v', 'w')].length).toBe(25)
      b.setCurrentKey('k3')
      internal.setCurrentNamespace('w')
      expect(internal.state.value()).toBe(31)
      expect(b.numEntries()).toBe(75)
    })
  })
})
