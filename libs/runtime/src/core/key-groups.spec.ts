import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashKey, keyGroupOf, keyGroupRangeForSubtask, subtaskForKeyGroup } from './key-groups.js'

describe('key groups', () => {
  it('hashes equal keys alike and spreads keys over all key groups', () => {
    expect(hashKey('user-1')).toBe(hashKey('user-' + String(1)))
    expect(hashKey(0)).toBe(hashKey(-0))
    const seen = new Set<number>()
    for (let i = 0; i < 5000; i++) seen.add(keyGroupOf(`k${i}`, 128))
    expect(seen.size).toBe(128)
  })

  it('gives every key group to exactly the subtask whose range holds it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 512 }), fc.integer({ min: 1, max: 64 }), (maxP, p) => {
        fc.pre(p <= maxP)
        let next = 0
        for (let i = 0; i < p; i++) {
          const r = keyGroupRangeForSubtask(maxP, p, i)
          expect(r.start).toBe(next)
          for (let kg = r.start; kg <= r.end; kg++) expect(subtaskForKeyGroup(maxP, p, kg)).toBe(i)
          next = r.end + 1
        }
        expect(next).toBe(maxP)
      }),
    )
  })

  it('rejects keys that are not primitives', () => {
    expect(() => hashKey({} as unknown as string)).toThrow(/A key must be a string/)
  })
})
