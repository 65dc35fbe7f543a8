import type { Key, KeySelector } from '../core/key.js'

/**
 * How records travel from the subtasks of one operator to the subtasks of the next.
 *
 * - `forward`: subtask i to subtask i (equal parallelism; such edges are chained).
 * - `rebalance`: round-robin over all downstream subtasks.
 * - `rescale`: round-robin over a local group of downstream subtasks.
 * - `shuffle`: a uniformly random downstream subtask.
 * - `broadcast`: every record to every downstream subtask.
 * - `global`: everything to subtask 0.
 * - `hash`: by key group, `keyGroup = hash(key) mod maxParallelism`, to the subtask owning it.
 * - `custom`: by a user function of the key.
 *
 * @category Graph
 * @since 0.1.0
 */
export type Partitioner =
  | { readonly kind: 'forward' }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'rescale' }
  | { readonly kind: 'shuffle' }
  | { readonly kind: 'broadcast' }
  | { readonly kind: 'global' }
  | { readonly kind: 'hash'; readonly keySelector: KeySelector<any, Key> }
  | {
      readonly kind: 'custom'
      readonly keySelector: KeySelector<any, Key>
      readonly partition: (key: any, numPartitions: number) => number
    }

/**
 * Constructors of {@link Partitioner}s.
 *
 * @category Graph
 * @since 0.1.0
 */
export const Partitioners = {
  forward: (): Partitioner => ({ kind: 'forward' }),
  rebalance: (): Partitioner => ({ kind: 'rebalance' }),
  rescale: (): Partitioner => ({ kind: 'rescale' }),
  shuffle: (): Partitioner => ({ kind: 'shuffle' }),
  broadcast: (): Partitioner => ({ kind: 'broadcast' }),
  global: (): Partitioner => ({ kind: 'global' }),
  hash: <T, K extends Key>(keySelector: KeySelector<T, K>): Partitioner => ({ kind: 'hash', keySelector }),
  custom: <T, K extends Key>(
    partition: (key: K, numPartitions: number) => number,
    keySelector: KeySelector<T, K>,
  ): Partitioner => ({ kind: 'custom', keySelector, partition }),
} as const
