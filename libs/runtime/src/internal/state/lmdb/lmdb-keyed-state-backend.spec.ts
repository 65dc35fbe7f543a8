import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { StateError } from '../../../core/errors.js'
import type { Key } from '../../../core/key.js'
import { KeyGroupRange, keyGroupOf, keyGroupRangeForSubtask } from '../../../core/key-groups.js'
import type { InternalKeyedState } from '../../../state/keyed-state-backend.js'
import { VOID_NAMESPACE } from '../../../state/keyed-state-backend.js'
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../../state/state-descriptor.js'
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from '../../../state/state.js'
import { StateTtlConfig } from '../../../state/state-ttl-config.js'
import type { KeyedStateEntrySnapshot, KeyedStateSnapshot } from '../keyed-state-snapshot.js'
import type { StateOp, TestBackend } from '../test-util.js'
import {
  TestClock,
  disposeBackends,
  newBackend,
  newLmdbBackend,
  removeTestDirs,
  stateOpArb,
  testDir,
} from '../test-util.js'
import { LmdbKeyedStateBackend } from './lmdb-keyed-state-backend.js'

afterEach(disposeBackends)
afterAll(removeTestDirs)

// ---- helpers ----

const entryId = (e: KeyedStateEntrySnapshot): string =>
  `${typeof e.namespace}:${String(e.namespace)}|${typeof e.key}:${String(e.key)}`

/** Every entry of some snapshots as [key group, state, kind, entry], in a canonical order. */
const flatten = (snaps: readonly KeyedStateSnapshot[]): unknown[] => {
  const rows: [number, string, string, string, KeyedStateEntrySnapshot][] = []
  for (const s of snaps)
    for (const g of s.keyGroups)
      for (const st of g.states) for (const e of st.entries) rows.push([g.keyGroup, st.name, st.kind, entryId(e), e])
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)
  rows.sort((a, b) => a[0] - b[0] || cmp(a[1], b[1]) || cmp(a[3], b[3]))
  return rows.map(([kg, name, kind, , e]) => [kg, name, kind, e])
}

/** A snapshot with the entries of each state sorted (the backends order them differently). */
const normalize = (s: KeyedStateSnapshot): KeyedStateSnapshot => ({
  ...s,
  keyGroups: s.keyGroups.map((g) => ({
    keyGroup: g.keyGroup,
    states: g.states.map((st) => ({
      ...st,
      entries: [...st.entries].sort((a, b) => (entryId(a) < entryId(b) ? -1 : entryId(a) > entryId(b) ? 1 : 0)),
    })),
  })),
})

const collect = {
  createAccumulator: (): number[] => [],
  add: (v: number, acc: number[]) => (acc.push(v), acc),
  getResult: (acc: number[]) => acc.join(','),
  merge: (a: number[], b: number[]) => a.concat(b),
}

const ttlCfg = StateTtlConfig.newBuilder(50).setUpdateType('OnReadAndWrite').cleanupIncrementally(2).build()

interface States {
  value: InternalKeyedState<ValueState<{ n: number; big: bigint; none: undefined; nil: null }>>
  list: InternalKeyedState<ListState<number>>
  map: InternalKeyedState<MapState<string, number>>
  reducing: InternalKeyedState<ReducingState<number>>
  aggregating: InternalKeyedState<AggregatingState<number, string>>
}

const open = (b: TestBackend<string>, ttl: boolean): States => {
  const t = <D extends { enableTimeToLive(c: StateTtlConfig): D }>(d: D): D => (ttl ? d.enableTimeToLive(ttlCfg) : d)
  return {
    value: b.getOrCreateKeyedState(new ValueStateDescriptor<{ n: number; big: bigint; none: undefined; nil: null }>('value')),
    list: b.getOrCreateKeyedState(t(new ListStateDescriptor<number>('list'))),
    map: b.getOrCreateKeyedState(t(new MapStateDescriptor<string, number>('map'))),
    reducing: b.getOrCreateKeyedState(t(new ReducingStateDescriptor<number>('reducing', (x, y) => x + y))),
    aggregating: b.getOrCreateKeyedState(t(new AggregatingStateDescriptor('aggregating', collect))),
  }
}

const all = (s: States) => [s.value, s.list, s.map, s.reducing, s.aggregating]

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
const NSS = ['', 'w1', 'w2']
const opArb = stateOpArb(KEYS, NSS, 5)

const apply = (b: TestBackend<string>, s: States, clock: TestClock, o: StateOp): void => {
  if (o.op === 'tick') return clock.advance(o.ms)
  b.setCurrentKey(o.key)
  for (const st of all(s)) st.setCurrentNamespace(o.ns)
  if (o.op === 'merge') {
    for (const st of [s.list, s.reducing, s.aggregating]) st.mergeNamespaces(o.ns, o.from)
    return
  }
  if (o.op === 'clear') return all(s)[o.state]!.state.clear()
  switch (o.state) {
    case 0:
      return s.value.state.update({ n: o.v, big: BigInt(o.v) << 70n, none: undefined, nil: null })
    case 1:
      return s.list.state.add(o.v)
    case 2:
      return s.map.state.put(`m${o.v % 4}`, o.v)
    case 3:
      return s.reducing.state.add(o.v)
    default:
      return s.aggregating.state.add(o.v)
  }
}

/** Everything visible through the state API, for every key and namespace. */
const read = (b: TestBackend<string>, s: States): unknown[] => {
  const out: unknown[] = []
  for (const key of KEYS)
    for (const ns of NSS) {
      b.setCurrentKey(key)
      for (const st of all(s)) st.setCurrentNamespace(ns)
      out.push([
        key,
        ns,
        s.value.state.value(),
        [...s.list.state.get()],
        [...s.map.state.entries()],
        s.reducing.state.get(),
        s.aggregating.state.get(),
      ])
    }
  return out
}

/** Fills a backend with every kind of state, namespaces and TTL timestamps, for `keys`. */
const fillAllKinds = (b: TestBackend<string>, clock: TestClock, keys: readonly string[]): void => {
  const s = open(b, false)
  const withTtl = b.getOrCreateKeyedState(
    new ListStateDescriptor<string>('ttl-list').enableTimeToLive(StateTtlConfig.newBuilder(1_000_000).build()),
  )
  for (const [i, key] of keys.entries()) {
    if (!b.keyGroupRange.contains(keyGroupOf(key, b.maxParallelism))) continue
    b.setCurrentKey(key)
    for (const ns of i % 3 === 0 ? [VOID_NAMESPACE, 'w', 7] : [VOID_NAMESPACE]) {
      for (const st of all(s)) st.setCurrentNamespace(ns)
      s.value.state.update({ n: i, big: BigInt(i) ** 5n, none: undefined, nil: null })
      s.list.state.addAll([i, i + 1])
      s.map.state.put(`k${i % 5}`, i)
      s.reducing.state.add(i)
      s.aggregating.state.add(i)
    }
    clock.advance(1)
    withTtl.state.add(key)
  }
}

// ---- tests ----

describe('LmdbKeyedStateBackend: state larger than the write cache', { timeout: 60_000 }, () => {
  it('holds 300k keys with a cache of 10k entries and reads them back', { timeout: 180_000 }, () => {
    const b = newLmdbBackend({ cacheSize: 10_000 })
    const cache = (b as unknown as { cache: { size: number } }).cache
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<{ i: number; s: string }>('v')).state
    const l = b.getOrCreateKeyedState(new ListStateDescriptor<number>('l')).state
    const N = 300_000
    let maxCached = 0
    for (let i = 0; i < N; i++) {
      b.setCurrentKey(`key-${i}`)
      v.update({ i, s: `value of ${i}` })
      if (i % 10 === 0) l.addAll([i, -i])
      maxCached = Math.max(maxCached, cache.size)
    }
    expect(b.numEntries()).toBe(N + N / 10)
    let wrong = 0
    for (let i = N - 1; i >= 0; i--) {
      b.setCurrentKey(`key-${i}`)
      const got = v.value()
      if (got === undefined || got.i !== i || got.s !== `value of ${i}`) wrong++
      else v.update({ i: got.i + 1, s: got.s })
      if (i % 10 === 0 && [...l.get()].join() !== `${i},${-i}`) wrong++
      maxCached = Math.max(maxCached, cache.size)
    }
    expect(wrong).toBe(0)
    // the cache stays bounded (it may exceed its size by the entries of one record)
    expect(maxCached).toBeLessThanOrEqual(10_000 + 2)
    for (let i = 0; i < N; i += 997) {
      b.setCurrentKey(`key-${i}`)
      expect(v.value()).toEqual({ i: i + 1, s: `value of ${i}` })
    }
    expect([...b.getKeys('l', VOID_NAMESPACE)].length).toBe(N / 10)
    const snap = b.snapshot()
    let n = 0
    for (const g of snap.keyGroups) for (const st of g.states) n += st.entries.length
    expect(n).toBe(N + N / 10)
  })
})

describe('LmdbKeyedStateBackend: window churn', { timeout: 60_000 }, () => {
  it('keeps its memory bounded when entries come and go without snapshots', () => {
    const b = newLmdbBackend({ cacheSize: 100 })
    const cache = b as unknown as { cache: { size: number; dirty: unknown[] } }
    const list = b.getOrCreateKeyedState(new ListStateDescriptor<number>('window-contents'))
    let maxDirty = 0
    for (let w = 0; w < 20_000; w++) {
      b.setCurrentKey(`k${w % 50}`)
      list.setCurrentNamespace(w)
      list.state.add(w)
      list.state.add(w + 1)
      if (w >= 10) {
        // the window of 10 steps ago fires and is cleared
        b.setCurrentKey(`k${(w - 10) % 50}`)
        list.setCurrentNamespace(w - 10)
        expect([...list.state.get()]).toEqual([w - 10, w - 9])
        list.state.clear()
      }
      maxDirty = Math.max(maxDirty, cache.cache.dirty.length)
    }
    expect(b.numEntries()).toBe(10)
    expect(cache.cache.size).toBeLessThanOrEqual(101)
    expect(maxDirty).toBeLessThanOrEqual(2 * 100 + 64 + 1)
  })
})

describe('LmdbKeyedStateBackend: asynchronous snapshots', { timeout: 60_000 }, () => {
  it('snapshotAsync holds the state as of the call, not the writes made while it is read out', async () => {
    const clock = new TestClock()
    // a small cache: the writes below reach lmdb (flushes) while the snapshot is read out
    const b = newLmdbBackend({ cacheSize: 50, clock })
    const keys = Array.from({ length: 6_000 }, (_, i) => `k${i}`)
    fillAllKinds(b, clock, keys)
    const before = b.snapshot()
    const pending = b.snapshotAsync()
    const s = open(b, false)
    const churn = (round: number) => {
      for (let i = round; i < keys.length; i += 97) {
        b.setCurrentKey(keys[i]!)
        for (const st of all(s)) st.setCurrentNamespace(VOID_NAMESPACE)
        if (i % 2 === 0) s.value.state.clear()
        else s.value.state.update({ n: -1, big: 0n, none: undefined, nil: null })
        s.list.state.add(-round)
        s.map.state.remove('k0')
        b.setCurrentKey(`new-${round}-${i}`)
        s.reducing.state.add(1)
      }
      b.getKeys('value', VOID_NAMESPACE) // writes every dirty entry to lmdb
    }
    churn(0)
    let settled = false
    void pending.finally(() => (settled = true))
    let rounds = 1
    while (!settled) {
      churn(rounds++)
      await new Promise((r) => setImmediate(r))
    }
    expect(rounds).toBeGreaterThan(1) // the read-out took several turns, with writes in between
    const snap = await pending
    expect(snap).toEqual(before)
    expect(b.snapshot()).not.toEqual(before)
    // a heap backend restored from it holds the original state
    const heap = newBackend({ clock })
    heap.restore([snap])
    expect(normalize(heap.snapshot())).toEqual(normalize(before))
  })

  it('reads out several snapshots at once, each as of its own call', async () => {
    const b = newLmdbBackend({ cacheSize: 10 })
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    const expected: KeyedStateSnapshot[] = []
    const pending: Promise<KeyedStateSnapshot>[] = []
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5_000; i++) {
        b.setCurrentKey(`k${(i * 7 + round) % 6_000}`)
        v.update(round * 10_000 + i)
      }
      expected.push(b.snapshot())
      pending.push(b.snapshotAsync())
    }
    expect(await Promise.all(pending)).toEqual(expected)
    expect((b as unknown as { readers: unknown[] }).readers.length).toBe(0) // every read transaction is done
  })

  it('fails a snapshot that is being read out when the backend is disposed', async () => {
    const b = newLmdbBackend()
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    for (let i = 0; i < 100; i++) {
      b.setCurrentKey(`k${i}`)
      v.update(i)
    }
    const pending = b.snapshotAsync()
    b.dispose()
    await expect(pending).rejects.toThrow(StateError)
    await expect(pending).rejects.toThrow(/disposed while a snapshot of it was read out/)
    await expect(b.snapshotAsync()).rejects.toThrow(/was disposed/)
  })
})

describe('LmdbKeyedStateBackend: savepoints move between backends', { timeout: 60_000 }, () => {
  const keys = Array.from({ length: 600 }, (_, i) => `user-${i}`)

  it('restores a heap snapshot, and the heap backend restores its snapshot, with the same contents', () => {
    const clock = new TestClock(10_000)
    const heap = newBackend({ clock })
    fillAllKinds(heap, clock, keys)
    const heapSnap = heap.snapshot()

    const lmdb = newLmdbBackend({ clock, cacheSize: 100 })
    lmdb.restore([heapSnap])
    expect(lmdb.numEntries()).toBe(heap.numEntries())
    const lmdbSnap = lmdb.snapshot()
    expect(normalize(lmdbSnap)).toEqual(normalize(heapSnap))
    expect(lmdbSnap.keyGroups.map((g) => g.keyGroup)).toEqual(heapSnap.keyGroups.map((g) => g.keyGroup))

    const back = newBackend({ clock })
    back.restore([lmdbSnap])
    expect(normalize(back.snapshot())).toEqual(normalize(heapSnap))

    // and the state reads alike through the state API
    const hs = open(back, false)
    const ls = open(lmdb, false)
    for (const key of keys.slice(0, 60)) {
      for (const [b, s] of [
        [back, hs],
        [lmdb, ls],
      ] as const) {
        b.setCurrentKey(key)
        for (const st of all(s)) st.setCurrentNamespace(7)
      }
      expect(ls.value.state.value()).toEqual(hs.value.state.value())
      expect([...ls.list.state.get()]).toEqual([...hs.list.state.get()])
      expect([...ls.map.state.entries()]).toEqual([...hs.map.state.entries()])
      expect(ls.reducing.state.get()).toEqual(hs.reducing.state.get())
      expect(ls.aggregating.state.get()).toEqual(hs.aggregating.state.get())
    }
  })

  it('rescales: heap snapshots of 3 subtasks into 2 lmdb subtasks, and lmdb snapshots of 3 into 2 heap subtasks', () => {
    const clock = new TestClock(10_000)
    const ranges = (p: number) => Array.from({ length: p }, (_, i) => keyGroupRangeForSubtask(128, p, i))

    const heaps = ranges(3).map((range) => newBackend({ clock, range }))
    for (const h of heaps) fillAllKinds(h, clock, keys)
    const heapSnaps = heaps.map((h) => h.snapshot())
    const lmdbs = ranges(2).map((range) => newLmdbBackend({ clock, range, cacheSize: 64 }))
    for (const l of lmdbs) l.restore(heapSnaps)
    const lmdbSnaps = lmdbs.map((l) => l.snapshot())
    for (const [i, s] of lmdbSnaps.entries())
      for (const g of s.keyGroups) expect(lmdbs[i]!.keyGroupRange.contains(g.keyGroup)).toBe(true)
    expect(flatten(lmdbSnaps)).toEqual(flatten(heapSnaps))

    const lmdb3 = ranges(3).map((range) => newLmdbBackend({ clock, range, cacheSize: 64 }))
    for (const l of lmdb3) fillAllKinds(l, clock, keys)
    const lmdb3Snaps = lmdb3.map((l) => l.snapshot())
    const heaps2 = ranges(2).map((range) => newBackend({ clock, range }))
    for (const h of heaps2) h.restore(lmdb3Snaps)
    expect(flatten(heaps2.map((h) => h.snapshot()))).toEqual(flatten(lmdb3Snaps))
    expect(heaps2.reduce((n, h) => n + h.numEntries(), 0)).toBe(lmdb3.reduce((n, l) => n + l.numEntries(), 0))
  })

  it('behaves as the heap backend under random operations, with a cache of 2 entries (property)', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.array(opArb, { maxLength: 30 }), fc.boolean(), (ops, more, ttl) => {
        disposeBackends() // the backends of earlier runs
        const clock = new TestClock(1_000)
        const heap = newBackend({ clock })
        const lmdb = newLmdbBackend({ clock, cacheSize: 2 })
        const hs = open(heap, ttl)
        const ls = open(lmdb, ttl)
        for (const o of ops) {
          apply(heap, hs, clock, o)
          apply(lmdb, ls, clock, o)
        }
        // the TTL cleanup walks the entries in another order, so with TTL only what is visible is equal
        expect(read(lmdb, ls)).toEqual(read(heap, hs))
        if (!ttl) {
          expect(lmdb.numEntries()).toBe(heap.numEntries())
          expect(normalize(lmdb.snapshot())).toEqual(normalize(heap.snapshot()))
        }
        // continue from each other's snapshots
        const heap2 = newBackend({ clock })
        heap2.restore([lmdb.snapshot()])
        const lmdb2 = newLmdbBackend({ clock, cacheSize: 2 })
        lmdb2.restore([heap.snapshot()])
        const hs2 = open(heap2, ttl)
        const ls2 = open(lmdb2, ttl)
        for (const o of more) {
          apply(heap2, hs2, clock, o)
          apply(lmdb2, ls2, clock, o)
        }
        expect(read(lmdb2, ls2)).toEqual(read(heap2, hs2))
        if (!ttl) expect(normalize(lmdb2.snapshot())).toEqual(normalize(heap2.snapshot()))
      }),
      { numRuns: 60 },
    )
  })
})

describe('LmdbKeyedStateBackend: TTL cleanup of entries in lmdb', { timeout: 60_000 }, () => {
  it('walks the entries in lmdb and in the cache, cleanupSize per access, and removes only what expired', () => {
    const clock = new TestClock(1_000)
    const b = newLmdbBackend({ clock, cacheSize: 2 })
    const cfg = StateTtlConfig.newBuilder(100).cleanupIncrementally(3).build()
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v').enableTimeToLive(cfg)).state
    const m = b.getOrCreateKeyedState(new MapStateDescriptor<string, number>('m').enableTimeToLive(cfg))
    for (let i = 0; i < 30; i++) {
      b.setCurrentKey(`k${i}`)
      v.update(i)
      m.setCurrentNamespace(i % 2 === 0 ? 'w' : VOID_NAMESPACE)
      m.state.put('old', i)
    }
    clock.advance(50)
    b.setCurrentKey('k0')
    m.setCurrentNamespace('w')
    m.state.put('new', 0) // k0/w: one entry expiring at +100, one at +150
    clock.advance(50)
    b.setCurrentKey('fresh')
    v.update(-1)
    expect(b.numEntries()).toBeLessThanOrEqual(61)
    expect(b.numEntries()).toBeGreaterThanOrEqual(61 - 3)
    let prev = b.numEntries()
    for (let i = 0; i < 12; i++) {
      b.setCurrentKey(`other-${i}`) // moves the cache's entries to lmdb
      b.setCurrentKey('fresh')
      expect(v.value()).toBe(-1)
      const n = b.numEntries()
      expect(prev - n).toBeLessThanOrEqual(3)
      prev = n
    }
    expect(b.numEntries()).toBe(31) // v: only 'fresh'; m: the 30 entries not checked yet
    m.setCurrentNamespace('w')
    for (let i = 0; i < 12; i++) m.state.get('x')
    expect(b.numEntries()).toBe(2) // v: 'fresh'; m: k0/w with its newer entry
    b.setCurrentKey('k0')
    expect([...m.state.entries()]).toEqual([['new', 0]])
    const snap = b.snapshot()
    expect(flatten([snap]).length).toBe(2)
  })
})

describe('LmdbKeyedStateBackend: keys and values through lmdb', { timeout: 60_000 }, () => {
  it('keeps keys of every type apart, also when they only live in lmdb', () => {
    const b = newLmdbBackend<Key>({ cacheSize: 1, maxParallelism: 4 })
    const d = new ValueStateDescriptor<string>('v')
    const internal = b.getOrCreateKeyedState(d)
    const long = 'x'.repeat(1_900)
    const keys: Key[] = ['1', 1, 1n, true, 'true', false, 0, -0.5, 2 ** 53, -(2n ** 100n), '', 'a\u0000b', 'a', '\ud800', '\udbff', 'é', NaN, long]
    const namespaces = [VOID_NAMESPACE, 'w\u0000', 3.5, '\udc00']
    for (const [j, ns] of namespaces.entries())
      for (const [i, k] of keys.entries()) {
        b.setCurrentKey(k)
        internal.setCurrentNamespace(ns)
        internal.state.update(`${i}@${j}`)
      }
    expect(b.numEntries()).toBe(keys.length * 4)
    for (const [j, ns] of namespaces.entries()) {
      for (const [i, k] of keys.entries()) {
        b.setCurrentKey(k)
        internal.setCurrentNamespace(ns)
        expect(internal.state.value()).toBe(`${i}@${j}`)
      }
      const listed = [...b.getKeys('v', ns)]
      expect(listed.length).toBe(keys.length)
      for (const k of keys) expect(listed.some((x) => Object.is(x, k))).toBe(true)
    }
    b.setCurrentKey(-0) // the same key as 0, as in a Map
    internal.setCurrentNamespace(VOID_NAMESPACE)
    expect(internal.state.value()).toBe(`${keys.indexOf(0)}@0`)
    const snap = b.snapshot()
    const heap = newBackend<Key>({ maxParallelism: 4 })
    heap.restore([snap])
    expect(flatten([heap.snapshot()])).toEqual(flatten([snap]))
  })

  it('fails clearly on a key too long for lmdb', () => {
    const b = newLmdbBackend({ operatorName: 'long-keys' })
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    b.setCurrentKey('y'.repeat(3_000))
    expect(() => v.value()).toThrow(StateError)
    expect(() => v.value()).toThrow(/Cannot store key "y+" in namespace "" of state 'v' of operator 'long-keys' in lmdb/)
  })

  it('round-trips values as structuredClone does (bigint, undefined apart from null, Map, Set, Date, shared objects)', () => {
    const b = newLmdbBackend({ cacheSize: 1 })
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<unknown>('v')).state
    const shared = { s: 1 }
    const values: unknown[] = [
      { a: undefined, b: null, c: [1, undefined, null], d: 12n, e: -(2n ** 90n), f: { g: [{ h: 'i' }] } },
      new Map<unknown, unknown>([
        [1, 'one'],
        ['1', 'string one'],
        [2n, { x: 1 }],
      ]),
      new Set([1, 'a', 3n]),
      new Date(123_456),
      [shared, shared],
      new Uint8Array([1, 2, 3]),
      Number.NaN,
      -Infinity,
      'a\u0000b',
      null,
      0.1,
      2 ** 60,
    ]
    for (const [i, x] of values.entries()) {
      b.setCurrentKey(`k${i}`)
      v.update(x)
    }
    for (const [i, x] of values.entries()) {
      b.setCurrentKey(`k${i}`) // evicted meanwhile: read from lmdb
      const got = v.value()
      expect(got).toEqual(structuredClone(x))
      if (typeof x === 'object' && x !== null) expect(got).not.toBe(x)
    }
    b.setCurrentKey('k0')
    const o = v.value() as Record<string, unknown>
    expect('a' in o && o.a === undefined && o.b === null).toBe(true)
    b.setCurrentKey('k4')
    const [p, q] = v.value() as object[]
    expect(p).toBe(q) // shared references stay shared
  })

  it('names the state when a value cannot be written to lmdb, on eviction and on snapshot', () => {
    const b = newLmdbBackend({ cacheSize: 1, operatorName: 'fn-holder' })
    const s = b.getOrCreateKeyedState(new ValueStateDescriptor<unknown>('callbacks')).state
    b.setCurrentKey('a')
    s.update({ f: () => 1 })
    b.setCurrentKey('b')
    s.update(1)
    expect(() => b.setCurrentKey('c')).toThrow("Cannot write state 'callbacks' of operator 'fn-holder' to lmdb")
    expect(() => b.snapshot()).toThrow("Cannot snapshot state 'callbacks' of operator 'fn-holder'")
  })
})

describe('LmdbKeyedStateBackend: its directory', { timeout: 60_000 }, () => {
  it('creates its directory, replaces files of an earlier run and deletes the directory on dispose', () => {
    const dir = testDir()
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'state.mdb'), 'not an lmdb file: scratch space left by a crashed run')
    const b = new LmdbKeyedStateBackend<string>({
      keyGroupRange: KeyGroupRange.all(128),
      maxParallelism: 128,
      operatorName: 'op',
      ttlTimeProvider: () => 0,
      path: dir,
      cacheSize: 1,
    })
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    expect(b.numEntries()).toBe(0)
    for (let i = 0; i < 10; i++) {
      b.setCurrentKey(`k${i}`)
      expect(v.value()).toBeUndefined()
      v.update(i)
    }
    expect(readdirSync(dir)).toContain('state.mdb')
    expect(b.snapshot().keyGroups.length).toBeGreaterThan(0)
    b.dispose()
    expect(existsSync(dir)).toBe(false)
    b.dispose() // a second dispose does nothing
    expect(() => b.snapshot()).toThrow(/disposed/)
    expect(() => b.getOrCreateKeyedState(new ValueStateDescriptor<number>('w'))).toThrow(/disposed/)
  })

  it('rejects a bad cache size', () => {
    expect(() => newLmdbBackend({ cacheSize: 0 })).toThrow(StateError)
    expect(() => newLmdbBackend({ cacheSize: 1.5 })).toThrow(/cache size/)
  })
})
