import { KeyGroupRange, keyGroupOf } from '../../core/key-groups.js'
import type { Key } from '../../core/key.js'
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js'

/** A manual clock for TTL tests. @internal */
export class TestClock {
  constructor(public now = 1_000) {}
  readonly provider = (): number => this.now
  advance(ms: number): void {
    this.now += ms
  }
}

/** A backend over all key groups (or a range) with a manual clock. @internal */
export const newBackend = <K extends Key = string>(
  options: { maxParallelism?: number; range?: KeyGroupRange; clock?: TestClock; operatorName?: string } = {},
): HeapKeyedStateBackend<K> => {
  const maxParallelism = options.maxParallelism ?? 128
  return new HeapKeyedStateBackend<K>({
    keyGroupRange: options.range ?? KeyGroupRange.all(maxParallelism),
    maxParallelism,
    operatorName: options.operatorName ?? 'test-op',
    ttlTimeProvider: (options.clock ?? new TestClock()).provider,
  })
}

/** The first key `prefix<i>` whose key group satisfies `pred`. @internal */
export const keyWhere = (maxParallelism: number, pred: (kg: number) => boolean, prefix = 'k'): string => {
  for (let i = 0; ; i++) if (pred(keyGroupOf(`${prefix}${i}`, maxParallelism))) return `${prefix}${i}`
}
