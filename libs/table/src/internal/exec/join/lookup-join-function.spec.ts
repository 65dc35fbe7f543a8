import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { AsyncWaitOperator } from '@strom/datastream'
import { ProcessFunctionHarness } from '@strom/process/testing'
import { ConfigError } from '@strom/runtime'
import { OneInputStreamOperatorTestHarness } from '@strom/runtime/testing'
import type { Row } from '../../../data/row.js'
import { bagOf, fmt, r, showBag } from './join-test-util.js'
import type { LookupJoinParams } from './lookup-join-function.js'
import { LookupCache, LookupJoinAsyncFunction, LookupJoinFunction } from './lookup-join-function.js'

// Probe rows [id, k], table rows [k, kind, name], looked up by k (and a constant kind).
const table: Row[] = [r('+I', 1, 'web', 'one'), r('+I', 1, 'app', 'uno'), r('+I', 2, 'web', 'two'), r('+I', 3, 'web', 'three')]

/** A lookup over `table` that counts its calls. */
const countingLookup = () => {
  const calls: unknown[][] = []
  const lookup = (key: readonly unknown[]): readonly Row[] => {
    calls.push([...key])
    return table.filter((t) => t.fields[0] === key[0] && (key.length < 2 || t.fields[1] === key[1]))
  }
  return { calls, lookup }
}

const params = (joinType: 'INNER' | 'LEFT', lookup: LookupJoinParams['lookup'], extra: Partial<LookupJoinParams> = {}): LookupJoinParams => ({
  joinType,
  leftWidth: 2,
  rightWidth: 3,
  lookupKeys: [1],
  lookup,
  ...extra,
})

const runSync = (p: LookupJoinParams, probes: readonly Row[], times?: readonly number[]): string[] => {
  const h = ProcessFunctionHarness.of(new LookupJoinFunction(p))
  probes.forEach((row, i) => {
    if (times !== undefined) h.setProcessingTime(times[i]!)
    h.processElement(row)
  })
  return h.extractOutputValues().map(fmt)
}

describe('LookupJoinFunction (synchronous)', () => {
  it('INNER and LEFT: probe fields then table fields, keeping the probe row kind', () => {
    const { lookup } = countingLookup()
    const probes = [r('+I', 10, 1), r('+I', 11, 9), r('-U', 12, 2), r('+U', 12, 3)]
    expect(runSync(params('INNER', lookup), probes)).toEqual([
      '+I[10, 1, 1, web, one]',
      '+I[10, 1, 1, app, uno]',
      '-U[12, 2, 2, web, two]',
      '+U[12, 3, 3, web, three]',
    ])
    expect(runSync(params('LEFT', lookup), probes)).toEqual([
      '+I[10, 1, 1, web, one]',
      '+I[10, 1, 1, app, uno]',
      '+I[11, 9, null, null, null]',
      '-U[12, 2, 2, web, two]',
      '+U[12, 3, 3, web, three]',
    ])
  })

  it('takes constants in the lookup key, applies the condition, and never looks up a NULL key', () => {
    const { calls, lookup } = countingLookup()
    const p = params('LEFT', lookup, {
      lookupKeys: [1, { constant: 'web' }],
      condition: (l, t) => (l[0] as number) < 100 || t[2] !== 'one',
    })
    expect(runSync(p, [r('+I', 10, 1), r('+I', 100, 1), r('+I', 11, null)])).toEqual([
      '+I[10, 1, 1, web, one]',
      '+I[100, 1, null, null, null]',
      '+I[11, null, null, null, null]',
    ])
    expect(calls).toEqual([
      [1, 'web'],
      [1, 'web'],
    ])
  })

  it('caches lookups per key: LRU by maxRows, expiry after write and after access (processing time)', () => {
    const a = countingLookup()
    runSync(params('INNER', a.lookup, { cache: { maxRows: 2 } }), [1, 2, 1, 3, 2, 1].map((k) => r('+I', 0, k)))
    // 1, 2 miss; 1 hits; 3 misses and evicts 2 (least recently used); 2 misses, evicts 1; 1 misses
    expect(a.calls.map((k) => k[0])).toEqual([1, 2, 3, 2, 1])

    const b = countingLookup()
    runSync(params('INNER', b.lookup, { cache: { maxRows: 10, expireAfterWriteMs: 100 } }), [1, 1, 1].map((k) => r('+I', 0, k)), [0, 99, 100])
    expect(b.calls).toHaveLength(2)

    const c = countingLookup()
    runSync(params('INNER', c.lookup, { cache: { maxRows: 10, expireAfterAccessMs: 100 } }), [1, 1, 1, 1].map((k) => r('+I', 0, k)), [0, 99, 198, 298])
    expect(c.calls).toHaveLength(2)

    const d = countingLookup()
    runSync(params('INNER', d.lookup, { cache: { maxRows: 10, cacheMissingKey: false } }), [9, 9, 1, 1].map((k) => r('+I', 0, k)))
    expect(d.calls.map((k) => k[0])).toEqual([9, 9, 1])
  })

  it('fails the job when the lookup answers with a promise, and rejects bad parameters', () => {
    const h = ProcessFunctionHarness.of(new LookupJoinFunction(params('INNER', () => Promise.resolve([]))))
    expect(() => h.processElement(r('+I', 1, 1))).toThrow(ConfigError)
    expect(() => new LookupJoinFunction(params('INNER', () => [], { lookupKeys: [] }))).toThrow(/at least one lookup key/)
    expect(() => new LookupJoinFunction(params('INNER', () => [], { lookupKeys: [2] }))).toThrow(/outside a row of 2/)
    expect(() => new LookupJoinFunction(params('INNER', () => [], { cache: { maxRows: 0 } }))).toThrow(/maxRows/)
    expect(() => new LookupCache({ maxRows: 1, expireAfterWriteMs: -1 })).toThrow(/expireAfterWriteMs/)
  })
})

const asyncHarness = (p: LookupJoinParams) => {
  const h = new OneInputStreamOperatorTestHarness<Row, Row>(
    new AsyncWaitOperator(new LookupJoinAsyncFunction(p), { outputMode: 'ordered', capacity: 100, timeoutMs: 0 }),
  )
  h.open()
  return h
}

/** The lookup over `table`, answering after a delay that depends on the key. */
const slowLookup = (key: readonly unknown[]): Promise<readonly Row[]> =>
  new Promise((resolve) => setTimeout(() => resolve(table.filter((t) => t.fields[0] === key[0])), 5 - ((key[0] as number) % 5)))

describe('LookupJoinAsyncFunction (async I/O)', () => {
  it('gives what the synchronous join gives, in input order, with promise lookups', async () => {
    const probes = [r('+I', 10, 1), r('+I', 11, 9), r('+I', 12, null), r('-D', 13, 3), r('+I', 14, 2)]
    const h = asyncHarness(params('LEFT', slowLookup))
    probes.forEach((p, i) => h.processElement(p, i))
    await h.drain()
    const { lookup } = countingLookup()
    expect(h.extractOutputValues().map(fmt)).toEqual(runSync(params('LEFT', lookup), probes))
  })

  it('serves cache hits at once and fails the job when a lookup rejects', async () => {
    let calls = 0
    const h = asyncHarness(
      params('INNER', (key) => {
        calls++
        return slowLookup(key)
      }, { cache: { maxRows: 10, clock: () => 0 } }),
    )
    h.processElement(r('+I', 1, 1))
    await h.drain()
    h.processElement(r('+I', 2, 1))
    await h.drain()
    expect(calls).toBe(1)
    expect(h.extractOutputValues().map(fmt)).toEqual(['+I[1, 1, 1, web, one]', '+I[1, 1, 1, app, uno]', '+I[2, 1, 1, web, one]', '+I[2, 1, 1, app, uno]'])

    const failing = asyncHarness(params('INNER', () => Promise.reject(new RangeError('db down'))))
    failing.processElement(r('+I', 1, 1))
    await expect(failing.settle()).rejects.toThrow(/db down/)
  })
})

describe('lookup joins vs nested loops (property)', () => {
  it('with or without a cache, the result is the nested-loop join with the table as it is', () => {
    const probeArb = fc.array(
      fc.record({ id: fc.integer({ min: 0, max: 5 }), k: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }), kind: fc.constantFrom(0, 1, 2, 3) }),
      { maxLength: 30 },
    )
    const cacheArb = fc.option(
      fc.record({ maxRows: fc.integer({ min: 1, max: 3 }), expireAfterWriteMs: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }) }),
      { nil: undefined },
    )
    fc.assert(
      fc.property(fc.constantFrom('INNER' as const, 'LEFT' as const), probeArb, cacheArb, fc.boolean(), (joinType, ps, cache, withCond) => {
        const condition = (l: readonly unknown[], t: readonly unknown[]): boolean => (l[0] as number) % 2 === 0 || t[1] === 'web'
        const { lookup } = countingLookup()
        const p = params(joinType, lookup, { ...(cache === undefined ? {} : { cache }), ...(withCond ? { condition } : {}) })
        const probes = ps.map((x): Row => ({ kind: x.kind as Row['kind'], fields: [x.id, x.k] }))
        const h = ProcessFunctionHarness.of(new LookupJoinFunction(p))
        probes.forEach((row, i) => {
          h.setProcessingTime(i)
          h.processElement(row)
        })
        const expected: Row[] = []
        for (const pr of probes) {
          const found = table.filter((t) => pr.fields[1] !== null && t.fields[0] === pr.fields[1] && (!withCond || condition(pr.fields, t.fields)))
          for (const t of found) expected.push({ kind: pr.kind, fields: [...pr.fields, ...t.fields] })
          if (found.length === 0 && joinType === 'LEFT') expected.push({ kind: pr.kind, fields: [...pr.fields, null, null, null] })
        }
        const out = h.extractOutputValues()
        expect(out.map(fmt)).toEqual(expected.map(fmt))
        expect(showBag(bagOf(out.map((o) => o.fields)))).toEqual(showBag(bagOf(expected.map((o) => o.fields))))
      }),
      { numRuns: 200 },
    )
  })
})
