import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StateError } from '../../core/errors.js'
import { ListStateDescriptor, MapStateDescriptor, ValueStateDescriptor } from '../../state/state-descriptor.js'
import { StateTtlConfig } from '../../state/state-ttl-config.js'
import { HeapOperatorStateStore } from './heap-operator-state-store.js'
import type { OperatorStateSnapshot } from './operator-state-snapshot.js'

const offsets = new ListStateDescriptor<string>('offsets')
const seen = new ListStateDescriptor<string>('seen')
const rules = new MapStateDescriptor<string, number>('rules')

/** Old subtask `i` of `p` holds list elements `s<i>-<j>` and union elements `u<i>-<j>`. */
const oldSnapshots = (p: number, perSubtask: number): OperatorStateSnapshot[] =>
  Array.from({ length: p }, (_, i) => {
    const store = new HeapOperatorStateStore({ operatorName: 'src' })
    const list = store.getListState(offsets)
    const union = store.getUnionListState(seen)
    for (let j = 0; j < perSubtask; j++) {
      list.add(`s${i}-${j}`)
      union.add(`u${i}-${j}`)
    }
    const b = store.getBroadcastState(rules)
    b.put('limit', 10)
    b.put('from', i) // differs per subtask only to see whose copy is taken
    return store.snapshot()
  })

describe('HeapOperatorStateStore', () => {
  it('holds list, union list and broadcast state by name', () => {
    const store = new HeapOperatorStateStore({ operatorName: 'op' })
    const l = store.getListState(offsets)
    expect(store.getListState(new ListStateDescriptor<string>('offsets'))).toBe(l)
    l.add('a')
    l.addAll(['b', 'c'])
    const got = l.get()
    l.update(['x'])
    expect([...got]).toEqual(['a', 'b', 'c'])
    expect([...l.get()]).toEqual(['x'])
    l.clear()
    expect([...l.get()]).toEqual([])
    const b = store.getBroadcastState(rules)
    b.put('a', 1)
    b.putAll([
      ['b', 2],
      ['c', 3],
    ])
    b.remove('c')
    expect(b.get('a')).toBe(1)
    expect(b.contains('c')).toBe(false)
    expect(b.size).toBe(2)
    expect([...b.entries()]).toEqual([
      ['a', 1],
      ['b', 2],
    ])
  })

  it('splits list state round-robin, gives union state whole and broadcast state from the first snapshot', () => {
    const snaps = oldSnapshots(3, 4) // 12 list elements
    const all = snaps.flatMap((s) => s.listStates.find((l) => l.name === 'offsets')!.elements)
    const stores = [0, 1].map((i) => {
      const s = new HeapOperatorStateStore({ operatorName: 'src' })
      s.restore(snaps, i, 2)
      return s
    })
    const lists = stores.map((s) => [...s.getListState(offsets).get()])
    expect(lists[0]).toEqual(all.filter((_, i) => i % 2 === 0))
    expect(lists[1]).toEqual(all.filter((_, i) => i % 2 === 1))
    expect(lists[0]).toEqual(['s0-0', 's0-2', 's1-0', 's1-2', 's2-0', 's2-2'])
    for (const s of stores) {
      expect([...s.getUnionListState(seen).get()]).toEqual(
        ['u0-0', 'u0-1', 'u0-2', 'u0-3', 'u1-0', 'u1-1', 'u1-2', 'u1-3', 'u2-0', 'u2-1', 'u2-2', 'u2-3'],
      )
      expect([...s.getBroadcastState(rules).entries()]).toEqual([
        ['limit', 10],
        ['from', 0],
      ])
    }
  })

  it('splits evenly for any parallelism, losing and duplicating nothing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 9 }), (p1, p2, n) => {
        const snaps = oldSnapshots(p1, n)
        const shares = Array.from({ length: p2 }, (_, i) => {
          const s = new HeapOperatorStateStore({ operatorName: 'src' })
          s.restore(snaps, i, p2)
          return [...s.getListState(offsets).get()]
        })
        const sizes = shares.map((x) => x.length)
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
        const flat = shares.flat().sort()
        const expected = snaps.flatMap((s) => s.listStates.find((l) => l.name === 'offsets')!.elements as string[]).sort()
        expect(flat).toEqual(expected)
      }),
    )
  })

  it('snapshots are deep copies and restore(snapshot) on one subtask gives the same state', () => {
    const store = new HeapOperatorStateStore({ operatorName: 'op' })
    const l = new ListStateDescriptor<{ n: number }>('objs')
    const obj = { n: 1 }
    store.getListState(l).add(obj)
    store.getBroadcastState(rules).put('a', 1)
    const snap = store.snapshot()
    const frozen = structuredClone(snap)
    obj.n = 2
    store.getBroadcastState(rules).put('b', 2)
    expect(snap).toEqual(frozen)
    const r = new HeapOperatorStateStore({ operatorName: 'op' })
    r.restore([snap], 0, 1)
    expect(r.snapshot()).toEqual(frozen) // restored state not asked for yet is kept
    ;([...r.getListState(l).get()][0] as { n: number }).n = 9
    expect(snap).toEqual(frozen)
  })

  it('fails clearly on mode and descriptor mismatches and bad subtask indexes', () => {
    const store = new HeapOperatorStateStore({ operatorName: 'kafka-src' })
    store.getListState(offsets)
    expect(() => store.getUnionListState(offsets)).toThrow(StateError)
    expect(() => store.getUnionListState(offsets)).toThrow(
      "Operator 'kafka-src' asks for operator state 'offsets' as union list state, but it exists as list state",
    )
    const r = new HeapOperatorStateStore({ operatorName: 'kafka-src' })
    r.restore(oldSnapshots(2, 1), 0, 1)
    expect(() => r.getListState(seen)).toThrow(/'seen' as list state, but it exists as union list state/)
    expect(() => r.restore([], 2, 2)).toThrow(/subtask 2 of parallelism 2/)
    const conflicting: OperatorStateSnapshot = {
      formatVersion: 1,
      operatorName: 'kafka-src',
      listStates: [{ name: 'offsets', mode: 'union', elements: [] }],
      broadcastStates: [],
    }
    expect(() => r.restore([oldSnapshots(1, 1)[0]!, conflicting], 0, 1)).toThrow(
      "cannot restore list state 'offsets': it is list state in one snapshot and union list state in another",
    )
    expect(() =>
      store.getListState(new ListStateDescriptor<string>('t').enableTimeToLive(StateTtlConfig.newBuilder(1).build())),
    ).toThrow(/only keyed state can have a time-to-live/)
    expect(() =>
      store.getListState(new ValueStateDescriptor<string>('v') as unknown as ListStateDescriptor<string>),
    ).toThrow(/with a value state descriptor/)
  })
})
