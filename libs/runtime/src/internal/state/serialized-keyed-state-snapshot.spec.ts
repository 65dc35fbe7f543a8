import { deserialize, serialize } from 'node:v8'
import fc from 'fast-check'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { StateError } from '../../core/errors.js'
import { keyGroupOf, keyGroupRangeForSubtask } from '../../core/key-groups.js'
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../state/state-descriptor.js'
import { StateTtlConfig } from '../../state/state-ttl-config.js'
import type { HeapKeyedStateBackend } from './heap-keyed-state-backend.js'
import type { KeyedStateSnapshot, SerializedKeyedStateSnapshot, StateColumns } from './keyed-state-snapshot.js'
import type { LmdbKeyedStateBackend } from './lmdb/lmdb-keyed-state-backend.js'
import type { TestBackendOptions } from './test-util.js'
import { TestClock, disposeBackends, newBackend, newLmdbBackend, removeTestDirs } from './test-util.js'

type Backend = HeapKeyedStateBackend<string> | LmdbKeyedStateBackend<string>
const FACTORIES: readonly (readonly [string, (o?: TestBackendOptions) => Backend])[] = [
  ['heap', (o) => newBackend<string>(o)],
  ['lmdb', (o) => newLmdbBackend<string>(o)],
  ['lmdb (cache of 2)', (o) => newLmdbBackend<string>({ ...o, cacheSize: 2 })],
]

const ttlCfg = StateTtlConfig.newBuilder(50).setUpdateType('OnReadAndWrite').cleanupIncrementally(2).build()
const collect = {
  createAccumulator: (): number[] => [],
  add: (v: number, acc: number[]) => (acc.push(v), acc), // mutates the accumulator in place
  getResult: (acc: number[]) => acc.join(','),
  merge: (a: number[], b: number[]) => a.concat(b),
}

/** Every kind of state, some with TTL, some holding objects. */
const open = (b: Backend, ttl: boolean) => {
  const t = <D extends { enableTimeToLive(c: StateTtlConfig): D }>(d: D): D => (ttl ? d.enableTimeToLive(ttlCfg) : d)
  return [
    b.getOrCreateKeyedState(new ValueStateDescriptor<{ n: number }>('object')),
    b.getOrCreateKeyedState(t(new ValueStateDescriptor<number>('number'))),
    b.getOrCreateKeyedState(t(new ListStateDescriptor<number>('list'))),
    b.getOrCreateKeyedState(t(new MapStateDescriptor<string, number>('map'))),
    b.getOrCreateKeyedState(new ReducingStateDescriptor<number>('reducing', (x, y) => x + y)),
    b.getOrCreateKeyedState(t(new AggregatingStateDescriptor('aggregating', collect))),
  ] as const
}

type Op = { key: string; ns: string | number; state: number; v: number } | { tick: number }
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), ns: fc.constantFrom('', 'w', 3), state: fc.integer({ min: 0, max: 6 }), v: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 1, arbitrary: fc.record({ tick: fc.integer({ min: 0, max: 30 }) }) },
)

const apply = (b: Backend, s: ReturnType<typeof open>, clock: TestClock, o: Op): void => {
  if ('tick' in o) return clock.advance(o.tick)
  b.setCurrentKey(o.key)
  for (const st of s) st.setCurrentNamespace(o.ns)
  const [obj, num, list, map, reducing, aggregating] = s
  switch (o.state) {
    case 0:
      return obj.state.update({ n: o.v })
    case 1:
      return num.state.update(o.v)
    case 2:
      return list.state.add(o.v)
    case 3:
      return map.state.put(`m${o.v % 3}`, o.v)
    case 4:
      return reducing.state.add(o.v)
    case 5:
      return aggregating.state.add(o.v)
    default:
      return s[o.v % 6]!.state.clear()
  }
}

/** As a checkpoint file holds it: serialized and read back. */
const throughFile = (s: SerializedKeyedStateSnapshot): SerializedKeyedStateSnapshot => deserialize(serialize(s)) as SerializedKeyedStateSnapshot

/** A snapshot with the entries of each state sorted (the backends order them differently). */
const normalize = (s: KeyedStateSnapshot): KeyedStateSnapshot => ({
  ...s,
  keyGroups: s.keyGroups.map((g) => ({
    ...g,
    states: g.states.map((st) => ({ ...st, entries: [...st.entries].sort((a, b) => (`${String(a.namespace)}/${a.key}` < `${String(b.namespace)}/${b.key}` ? -1 : 1)) })),
  })),
})

afterEach(disposeBackends)
afterAll(removeTestDirs)

describe.each(FACTORIES)('%s backend: checkpoint snapshots (format 2)', (_name, make) => {
  it('restore(snapshotForCheckpoint(s)) equals s, for every kind of state, with and without TTL (property)', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { maxLength: 60 }), fc.boolean(), async (ops, ttl) => {
        disposeBackends()
        const clock = new TestClock(1_000)
        const b = make({ clock })
        const s = open(b, ttl)
        for (const o of ops) apply(b, s, clock, o)
        const snap = throughFile(await b.snapshotForCheckpoint())
        expect(snap.formatVersion).toBe(2)
        for (const into of FACTORIES) {
          const r = into[1]({ clock })
          r.restore([snap])
          expect(r.numEntries()).toBe(b.numEntries())
          expect(normalize(r.snapshot())).toEqual(normalize(b.snapshot()))
          open(r, ttl)
          expect(normalize(r.snapshot())).toEqual(normalize(b.snapshot()))
        }
      }),
      { numRuns: 40 },
    )
  })

  it('holds the state as it was when called, though it serializes afterwards', async () => {
    const b = make()
    const [obj, num, list, map, , aggregating] = open(b, false)
    b.setCurrentKey('a')
    obj.state.update({ n: 1 })
    num.state.update(1)
    list.state.add(1)
    map.state.put('x', 1)
    aggregating.state.add(1)
    const expected = b.snapshot()
    const pending = b.snapshotForCheckpoint()
    obj.state.value()!.n = 99 // in place
    num.state.update(2)
    list.state.add(2)
    map.state.put('y', 2)
    aggregating.state.add(2) // mutates the accumulator in place
    b.setCurrentKey('b')
    num.state.update(5)
    const r = make()
    r.restore([throughFile(await pending)])
    expect(normalize(r.snapshot())).toEqual(normalize(expected))
  })

  it('groups entries by key group, with namespaces run-length encoded', async () => {
    const b = make()
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v'))
    const keys = ['a', 'b', 'c', 'd', 'e']
    for (const ns of ['', 7, 'w'])
      for (const k of keys) {
        b.setCurrentKey(k)
        v.setCurrentNamespace(ns)
        v.state.update(keys.indexOf(k))
      }
    const snap = await b.snapshotForCheckpoint()
    const groups = snap.keyGroups.map((g) => g.keyGroup)
    expect(groups).toEqual([...new Set(keys.map((k) => keyGroupOf(k, 128)))].sort((x, y) => x - y))
    for (const g of snap.keyGroups) {
      expect(g.states.map((st) => [st.name, st.kind])).toEqual([['v', 'value']])
      const c = deserialize(g.states[0]!.data) as StateColumns
      const mine = keys.filter((k) => keyGroupOf(k, 128) === g.keyGroup)
      expect(c.namespaceRuns.reduce((n, r) => n + r, 0)).toBe(c.keys.length)
      expect(c.keys.length).toBe(3 * mine.length)
      expect(new Set(c.namespaces)).toEqual(new Set(['', 7, 'w']))
      expect(c.namespaces.length).toBe(3)
      expect(c.timestamps).toBeUndefined()
    }
  })

  it('rescales: the snapshots of 3 subtasks restore into 2 and back into 1', async () => {
    const keys = Array.from({ length: 300 }, (_, i) => `user-${i}`)
    const ranges = (p: number) => Array.from({ length: p }, (_, i) => keyGroupRangeForSubtask(128, p, i))
    const old = ranges(3).map((range) => make({ range }))
    for (const key of keys) {
      const b = old.find((x) => x.keyGroupRange.contains(keyGroupOf(key, 128)))!
      b.setCurrentKey(key)
      b.getOrCreateKeyedState(new ValueStateDescriptor<string>('v')).state.update(`v-${key}`)
      b.getOrCreateKeyedState(new ListStateDescriptor<number>('l')).state.addAll([1, 2])
    }
    const snaps = (await Promise.all(old.map((b) => b.snapshotForCheckpoint()))).map(throughFile)
    for (const [i, s] of snaps.entries()) for (const g of s.keyGroups) expect(old[i]!.keyGroupRange.contains(g.keyGroup)).toBe(true)
    for (const into of FACTORIES) {
      const next = ranges(2).map((range) => into[1]({ range }))
      for (const b of next) b.restore(snaps)
      expect(next[0]!.numEntries() + next[1]!.numEntries()).toBe(2 * keys.length)
      const one = into[1]()
      one.restore((await Promise.all(next.map((b) => b.snapshotForCheckpoint()))).map(throughFile))
      const direct = newBackend<string>()
      direct.restore(old.map((b) => b.snapshot()))
      expect(normalize(one.snapshot())).toEqual(normalize(direct.snapshot()))
    }
  })

  it('replaces entries that exist when restoring into state that has some, or the same snapshot twice', async () => {
    const b = make()
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    for (let i = 0; i < 50; i++) {
      b.setCurrentKey(`k${i}`)
      v.update(i)
    }
    const snap = throughFile(await b.snapshotForCheckpoint())
    const r = make({ cacheSize: 4 } as TestBackendOptions)
    const rv = r.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    for (let i = 40; i < 60; i++) {
      r.setCurrentKey(`k${i}`)
      rv.update(-i)
    }
    r.restore([snap, snap])
    expect(r.numEntries()).toBe(60)
    r.restore([snap])
    expect(r.numEntries()).toBe(60)
    for (let i = 0; i < 60; i++) {
      r.setCurrentKey(`k${i}`)
      expect(rv.value()).toBe(i < 50 ? i : -i)
      if (i % 2 === 0) rv.clear()
    }
    expect(r.numEntries()).toBe(30)
    const again = make()
    again.restore([throughFile(await r.snapshotForCheckpoint())])
    expect(again.numEntries()).toBe(30)
    expect([...again.getKeys('v', '')].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `k${2 * i + 1}`).sort())
  })

  it('decodes only the key groups it owns, and fails clearly on damaged ones', async () => {
    const b = make({ operatorName: 'sum' })
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    for (let i = 0; i < 100; i++) {
      b.setCurrentKey(`k${i}`)
      v.update(i)
    }
    const snap = await b.snapshotForCheckpoint()
    const range = keyGroupRangeForSubtask(128, 4, 2)
    const damage = (data: Uint8Array) => ({ ...snap, keyGroups: snap.keyGroups.map((g) => (range.contains(g.keyGroup) ? g : { ...g, states: g.states.map((st) => ({ ...st, data })) })) })
    const r = make({ range })
    r.restore([damage(new Uint8Array([1, 2, 3]))])
    expect(r.numEntries()).toBe(Array.from({ length: 100 }, (_, i) => keyGroupOf(`k${i}`, 128)).filter((kg) => range.contains(kg)).length)
    expect(() => make().restore([damage(new Uint8Array([1, 2, 3]))])).toThrow(/Cannot restore state 'v' in key group \d+ of operator 'test-op': its entries cannot be decoded/)
    const malformed = serialize({ keys: ['a'], namespaces: [''], namespaceRuns: [2], values: [1] })
    expect(() => make().restore([damage(malformed)])).toThrow(/namespace runs do not match its entries/)
    const moved = { ...snap, keyGroups: [{ ...snap.keyGroups[0]!, keyGroup: (snap.keyGroups[0]!.keyGroup + 1) % 128 }] }
    expect(() => make().restore([moved])).toThrow(/belongs to key group/)
    expect(() => make().restore([{ ...snap, formatVersion: 3 as 2 }])).toThrow(/format version 3; this version of Strom reads versions 1 and 2/)
  })
})

describe('checkpoint snapshots (format 2): what cannot be serialized', () => {
  it('fails before returning, naming the state, when a value is not structured-clonable (heap)', () => {
    const b = newBackend<string>({ operatorName: 'fn-holder' })
    b.setCurrentKey('a')
    b.getOrCreateKeyedState(new ValueStateDescriptor<() => void>('callbacks')).state.update(() => {})
    expect(() => b.snapshotForCheckpoint()).toThrow(StateError)
    expect(() => b.snapshotForCheckpoint()).toThrow("Cannot snapshot state 'callbacks' of operator 'fn-holder'")
  })

  it('fails an lmdb snapshot that is being read out when the backend is disposed', async () => {
    const b = newLmdbBackend<string>()
    const v = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v')).state
    for (let i = 0; i < 100; i++) {
      b.setCurrentKey(`k${i}`)
      v.update(i)
    }
    const pending = b.snapshotForCheckpoint()
    b.dispose()
    await expect(pending).rejects.toThrow(/disposed while a snapshot of it was read out/)
  })
})
