import { afterAll, afterEach, describe, expect, it } from 'vitest'
import {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from '../../state/state-descriptor.js'
import type { TtlStateVisibility, TtlUpdateType } from '../../state/state-ttl-config.js'
import { StateTtlConfig } from '../../state/state-ttl-config.js'
import type { BackendFactory } from './test-util.js'
import { BACKENDS, TestClock, disposeBackends, removeTestDirs } from './test-util.js'

const ttl = (
  ms: number,
  updateType: TtlUpdateType = 'OnCreateAndWrite',
  visibility: TtlStateVisibility = 'NeverReturnExpired',
  cleanup = 0,
): StateTtlConfig =>
  StateTtlConfig.newBuilder(ms).setUpdateType(updateType).setStateVisibility(visibility).cleanupIncrementally(cleanup).build()

const setupWith = (newBackend: BackendFactory) => () => {
  const clock = new TestClock(1_000)
  const b = newBackend({ clock })
  return { clock, b }
}

afterEach(disposeBackends)
afterAll(removeTestDirs)

// The same behaviour, asserted alike, for every backend.
describe.each(BACKENDS)('%s backend', (backendName, newBackend) => {
  const setup = setupWith(newBackend)

  describe('TTL of value-like state', () => {
    it('expires a value ttl ms after its last write (OnCreateAndWrite): reads do not renew', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl(100))).state
      b.setCurrentKey('a')
      s.update(1)
      clock.advance(60)
      expect(s.value()).toBe(1)
      clock.advance(39) // 99 ms after the write
      expect(s.value()).toBe(1)
      clock.advance(1) // 100 ms after the write
      expect(s.value()).toBeUndefined()
      expect(b.numEntries()).toBe(0) // removed on access
    })

    it('renews on write', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl(100))).state
      b.setCurrentKey('a')
      s.update(1)
      clock.advance(80)
      s.update(2)
      clock.advance(80)
      expect(s.value()).toBe(2)
    })

    it('renews on read with OnReadAndWrite', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(
        new ValueStateDescriptor<number>('v').enableTimeToLive(ttl(100, 'OnReadAndWrite')),
      ).state
      b.setCurrentKey('a')
      s.update(1)
      for (let i = 0; i < 5; i++) {
        clock.advance(80)
        expect(s.value()).toBe(1)
      }
      clock.advance(100)
      expect(s.value()).toBeUndefined()
    })

    it('returns an expired value once with ReturnExpiredIfNotCleanedUp, then removes it', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(
        new ValueStateDescriptor<number>('v').enableTimeToLive(ttl(100, 'OnCreateAndWrite', 'ReturnExpiredIfNotCleanedUp')),
      ).state
      b.setCurrentKey('a')
      s.update(1)
      clock.advance(500)
      expect(s.value()).toBe(1)
      expect(s.value()).toBeUndefined()
      expect(b.numEntries()).toBe(0)
    })

    it('restarts reducing and aggregating state after expiry, unless expired values stay visible', () => {
      const { clock, b } = setup()
      const sum = (x: number, y: number) => x + y
      const never = b.getOrCreateKeyedState(new ReducingStateDescriptor<number>('r1', sum).enableTimeToLive(ttl(100))).state
      const visible = b.getOrCreateKeyedState(
        new ReducingStateDescriptor<number>('r2', sum).enableTimeToLive(ttl(100, 'OnCreateAndWrite', 'ReturnExpiredIfNotCleanedUp')),
      ).state
      const count = b.getOrCreateKeyedState(
        new AggregatingStateDescriptor<number, number[], number>('g', {
          createAccumulator: () => [],
          add: (v, acc) => (acc.push(v), acc),
          getResult: (acc) => acc.length,
          merge: (x, y) => x.concat(y),
        }).enableTimeToLive(ttl(100)),
      ).state
      b.setCurrentKey('a')
      for (const s of [never, visible, count]) s.add(5)
      clock.advance(100)
      for (const s of [never, visible, count]) s.add(1)
      expect(never.get()).toBe(1)
      expect(visible.get()).toBe(6)
      expect(count.get()).toBe(1)
      clock.advance(100)
      expect(count.get()).toBeUndefined()
      expect(never.get()).toBeUndefined()
    })
  })

  describe('TTL of list and map state (per element / per entry)', () => {
    it('expires list elements one by one', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(new ListStateDescriptor<string>('l').enableTimeToLive(ttl(100))).state
      b.setCurrentKey('a')
      s.add('t0')
      clock.advance(50)
      s.addAll(['t50a', 't50b'])
      clock.advance(50) // t0 is 100 ms old
      expect([...s.get()]).toEqual(['t50a', 't50b'])
      clock.advance(20)
      s.add('t120')
      clock.advance(30) // t50* are 100 ms old
      expect([...s.get()]).toEqual(['t120'])
      clock.advance(100)
      expect([...s.get()]).toEqual([])
      expect(b.numEntries()).toBe(0)
    })

    it('renews list elements on read with OnReadAndWrite and shows expired ones once if visible', () => {
      const { clock, b } = setup()
      const renewed = b.getOrCreateKeyedState(new ListStateDescriptor<number>('l1').enableTimeToLive(ttl(100, 'OnReadAndWrite'))).state
      const visible = b.getOrCreateKeyedState(
        new ListStateDescriptor<number>('l2').enableTimeToLive(ttl(100, 'OnCreateAndWrite', 'ReturnExpiredIfNotCleanedUp')),
      ).state
      b.setCurrentKey('a')
      renewed.add(1)
      visible.add(1)
      clock.advance(60)
      visible.add(2)
      expect([...renewed.get()]).toEqual([1])
      clock.advance(60)
      expect([...renewed.get()]).toEqual([1])
      expect([...visible.get()]).toEqual([1, 2]) // 1 expired but not cleaned up yet
      expect([...visible.get()]).toEqual([2])
    })

    it('expires map entries one by one', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(new MapStateDescriptor<string, number>('m').enableTimeToLive(ttl(100))).state
      b.setCurrentKey('a')
      s.put('old', 1)
      clock.advance(50)
      s.put('new', 2)
      s.put('rewritten', 0)
      clock.advance(40)
      s.put('old', 11) // renewed by the write
      clock.advance(20) // now +110: 'new' and 'rewritten' are 60 ms old
      expect(s.get('new')).toBe(2)
      clock.advance(40) // now +150: 'new' and 'rewritten' are 100 ms old, 'old' 60 ms
      expect(s.contains('new')).toBe(false)
      expect([...s.entries()]).toEqual([['old', 11]])
      expect([...s.keys()]).toEqual(['old'])
      expect([...s.values()]).toEqual([11])
      expect(s.isEmpty()).toBe(false)
      clock.advance(40)
      expect(s.isEmpty()).toBe(true)
      expect(b.numEntries()).toBe(0)
    })

    it('renews map entries on read with OnReadAndWrite; visibility applies per entry', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(
        new MapStateDescriptor<string, number>('m').enableTimeToLive(ttl(100, 'OnReadAndWrite', 'ReturnExpiredIfNotCleanedUp')),
      ).state
      b.setCurrentKey('a')
      s.put('read', 1)
      s.put('unread', 2)
      clock.advance(70)
      expect(s.get('read')).toBe(1)
      clock.advance(70)
      expect(s.get('unread')).toBe(2) // expired, returned once
      expect(s.get('unread')).toBeUndefined()
      expect(s.get('read')).toBe(1)
    })
  })

  describe('TTL incremental cleanup', () => {
    // The exact counts depend on where the cleanup walk stands, which follows insertion order while
    // the entries are in memory; once they are in lmdb it follows lmdb's key order (the lmdb spec
    // checks the cleanup there).
    it.skipIf(backendName === 'lmdb (cache of 2)')('removes expired entries of other keys as the state is accessed', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl(100, 'OnCreateAndWrite', 'NeverReturnExpired', 3))).state
      for (let i = 0; i < 30; i++) {
        b.setCurrentKey(`k${i}`)
        s.update(i)
      }
      expect(b.numEntries()).toBe(30)
      clock.advance(100)
      b.setCurrentKey('fresh')
      s.update(-1) // one access: checks 3 entries
      expect(b.numEntries()).toBe(31 - 3)
      // 27 expired entries and the fresh one are left: 10 more accesses check 30 entries
      for (let i = 0; i < 9; i++) s.value()
      expect(b.numEntries()).toBeGreaterThan(1)
      s.value()
      expect(b.numEntries()).toBe(1) // only the fresh entry is left
      // the cleanup wraps around and never removes what has not expired
      for (let i = 0; i < 10; i++) s.value()
      expect(s.value()).toBe(-1)
    })

    it('cleans list elements and map entries of other keys, and namespaced entries too', () => {
      const { clock, b } = setup()
      const cfg = ttl(100, 'OnCreateAndWrite', 'NeverReturnExpired', 100)
      const list = b.getOrCreateKeyedState(new ListStateDescriptor<number>('l').enableTimeToLive(cfg))
      const map = b.getOrCreateKeyedState(new MapStateDescriptor<string, number>('m').enableTimeToLive(cfg))
      for (let i = 0; i < 10; i++) {
        b.setCurrentKey(`k${i}`)
        list.setCurrentNamespace(i % 2 === 0 ? 'w' : '')
        list.state.add(i)
        map.state.put('a', i)
      }
      clock.advance(50)
      b.setCurrentKey('k0')
      list.setCurrentNamespace('w')
      list.state.add(100) // k0/w now has one expiring element and one fresh one
      map.state.put('b', 0)
      expect(b.numEntries()).toBe(20)
      clock.advance(50)
      b.setCurrentKey('other')
      list.state.get()
      map.state.get('x')
      expect(b.numEntries()).toBe(2)
      b.setCurrentKey('k0')
      expect([...list.state.get()]).toEqual([100])
      expect([...map.state.entries()]).toEqual([['b', 0]])
    })

    it('does not clean up without cleanupSize', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(new ValueStateDescriptor<number>('v').enableTimeToLive(ttl(100))).state
      for (let i = 0; i < 5; i++) {
        b.setCurrentKey(`k${i}`)
        s.update(i)
      }
      clock.advance(100)
      b.setCurrentKey('x')
      for (let i = 0; i < 10; i++) s.value()
      expect(b.numEntries()).toBe(5)
    })

    it('keeps a cached entry consistent when the cleanup removes it', () => {
      const { clock, b } = setup()
      const s = b.getOrCreateKeyedState(
        new MapStateDescriptor<string, number>('m').enableTimeToLive(ttl(100, 'OnCreateAndWrite', 'ReturnExpiredIfNotCleanedUp', 10)),
      ).state
      b.setCurrentKey('a')
      s.put('x', 1)
      clock.advance(100)
      // isEmpty does not remove the expired entry itself; the incremental cleanup after it does,
      // while the entry of the current key is cached
      expect(s.isEmpty()).toBe(false)
      expect(b.numEntries()).toBe(0)
      s.put('y', 2) // must not go into the removed entry
      expect(b.numEntries()).toBe(1)
      b.setCurrentKey('b')
      b.setCurrentKey('a')
      expect([...s.entries()]).toEqual([['y', 2]])
    })
  })
})
