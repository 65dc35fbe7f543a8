import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { KeyGroupRange, keyGroupOf } from '../../core/key-groups.js'
import type { Key } from '../../core/key.js'
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js'
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js'
import type { KeyedStateSnapshot } from './keyed-state-snapshot.js'
import { LmdbKeyedStateBackend } from './lmdb/lmdb-keyed-state-backend.js'

/** A manual clock for TTL tests. @internal */
export class TestClock {
  constructor(public now = 1_000) {}
  readonly provider = (): number => this.now
  advance(ms: number): void {
    this.now += ms
  }
}

/** What the tests ask of a backend: the interface plus snapshots. @internal */
export type TestBackend<K extends Key> = KeyedStateBackend<K> & {
  readonly operatorName: string
  snapshot(): KeyedStateSnapshot
  restore(snapshots: readonly KeyedStateSnapshot[]): void
}

/** The options of the test backend factories. @internal */
export interface TestBackendOptions {
  maxParallelism?: number
  range?: KeyGroupRange
  clock?: TestClock
  operatorName?: string
}

/** Makes a backend for a test. @internal */
export type BackendFactory = <K extends Key = string>(options?: TestBackendOptions) => TestBackend<K>

const created: { dispose(): void }[] = []
let root: string | undefined

/** A heap backend over all key groups (or a range) with a manual clock. @internal */
export const newBackend = <K extends Key = string>(options: TestBackendOptions = {}): HeapKeyedStateBackend<K> => {
  const maxParallelism = options.maxParallelism ?? 128
  const b = new HeapKeyedStateBackend<K>({
    keyGroupRange: options.range ?? KeyGroupRange.all(maxParallelism),
    maxParallelism,
    operatorName: options.operatorName ?? 'test-op',
    ttlTimeProvider: (options.clock ?? new TestClock()).provider,
  })
  created.push(b)
  return b
}

/** A fresh directory for an lmdb backend, under one temporary directory per test file. @internal */
export const testDir = (): string => {
  root ??= mkdtempSync(join(tmpdir(), 'strom-state-test-'))
  return join(root, `b${created.length}-${Math.random().toString(36).slice(2, 8)}`)
}

/** An lmdb backend over all key groups (or a range) with a manual clock, in a temporary directory. @internal */
export const newLmdbBackend = <K extends Key = string>(
  options: TestBackendOptions & { cacheSize?: number } = {},
): LmdbKeyedStateBackend<K> => {
  const maxParallelism = options.maxParallelism ?? 128
  const b = new LmdbKeyedStateBackend<K>({
    keyGroupRange: options.range ?? KeyGroupRange.all(maxParallelism),
    maxParallelism,
    operatorName: options.operatorName ?? 'test-op',
    ttlTimeProvider: (options.clock ?? new TestClock()).provider,
    path: testDir(),
    cacheSize: options.cacheSize,
  })
  created.push(b)
  return b
}

/** The backends every shared spec runs against. @internal */
export const BACKENDS: readonly (readonly [string, BackendFactory])[] = [
  ['heap', newBackend],
  ['lmdb', newLmdbBackend],
  // a write cache of 2 entries: nearly every access goes to lmdb, flushes and evicts
  ['lmdb (cache of 2)', (o) => newLmdbBackend({ ...o, cacheSize: 2 })],
]

/** Disposes every backend made so far (lmdb ones delete their directories). @internal */
export const disposeBackends = (): void => {
  for (const b of created.splice(0)) b.dispose()
}

/** Disposes every backend and removes the temporary directory. @internal */
export const removeTestDirs = (): void => {
  disposeBackends()
  if (root !== undefined) rmSync(root, { recursive: true, force: true })
  root = undefined
}

/** The first key `prefix<i>` whose key group satisfies `pred`. @internal */
export const keyWhere = (maxParallelism: number, pred: (kg: number) => boolean, prefix = 'k'): string => {
  for (let i = 0; ; i++) if (pred(keyGroupOf(`${prefix}${i}`, maxParallelism))) return `${prefix}${i}`
}

/**
 * A random step of a property test over keyed state: write to or clear one of the test's states
 * (`state` indexes them), merge namespaces, or advance the clock. @internal
 */
export type StateOp =
  | { op: 'write'; key: string; ns: string; state: number; v: number }
  | { op: 'clear'; key: string; ns: string; state: number }
  | { op: 'merge'; key: string; ns: string; from: string[] }
  | { op: 'tick'; ms: number }

/** Random {@link StateOp}s over these keys and namespaces, for a test with `states` states. @internal */
export const stateOpArb = (keys: readonly string[], namespaces: readonly string[], states: number): fc.Arbitrary<StateOp> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('write' as const),
        key: fc.constantFrom(...keys),
        ns: fc.constantFrom(...namespaces),
        state: fc.integer({ min: 0, max: states - 1 }),
        v: fc.integer({ min: 0, max: 99 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('clear' as const),
        key: fc.constantFrom(...keys),
        ns: fc.constantFrom(...namespaces),
        state: fc.integer({ min: 0, max: states - 1 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('merge' as const),
        key: fc.constantFrom(...keys),
        ns: fc.constantFrom(...namespaces),
        from: fc.subarray([...namespaces]),
      }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 30 }) }) },
  )
