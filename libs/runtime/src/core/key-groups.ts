import type { Key } from './key.js'

/**
 * The default number of key groups (Flink's default maxParallelism is 128 too).
 *
 * @category Keys
 * @since 0.1.0
 */
export const DEFAULT_MAX_PARALLELISM = 128

/**
 * The largest maxParallelism Strom accepts (as Flink: 2^15).
 *
 * @category Keys
 * @since 0.1.0
 */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15

const C1 = 0xcc9e2d51
const C2 = 0x1b873593

const mixK1 = (k: number): number => {
  k = Math.imul(k, C1)
  k = (k << 15) | (k >>> 17)
  return Math.imul(k, C2)
}

const mixH1 = (h: number, k: number): number => {
  h ^= mixK1(k)
  h = (h << 13) | (h >>> 19)
  return (Math.imul(h, 5) + 0xe6546b64) | 0
}

const fmix = (h: number, length: number): number => {
  h ^= length
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h
}

const f64 = new Float64Array(1)
const f64Words = new Int32Array(f64.buffer)

/** murmur3_32 of a string's UTF-16 code units, two per block. */
const hashString = (s: string): number => {
  let h = 0
  const n = s.length
  let i = 0
  for (; i + 1 < n; i += 2) h = mixH1(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16))
  if (i < n) h ^= mixK1(s.charCodeAt(i))
  return fmix(h, n * 2)
}

const hashNumber = (x: number): number => {
  if ((x | 0) === x) return fmix(mixH1(0, x), 4)
  f64[0] = x === 0 ? 0 : x // folds -0 into 0, so that equal keys hash alike
  return fmix(mixH1(mixH1(0, f64Words[0]!), f64Words[1]!), 8)
}

/**
 * A 32-bit hash of a key that is the same in every thread, process and run (murmur3 based).
 *
 * @remarks
 * Strings hash by their UTF-16 code units, integral numbers by their 32-bit value, other numbers
 * by their IEEE-754 bits, bigints by their decimal text, booleans as 0 and 1.
 *
 * @category Keys
 * @since 0.1.0
 */
export const hashKey = (key: Key): number => {
  switch (typeof key) {
    case 'string':
      return hashString(key)
    case 'number':
      return hashNumber(key)
    case 'boolean':
      return fmix(mixH1(0, key ? 1 : 0), 4)
    case 'bigint':
      return hashString(key.toString()) ^ 0x5bd1e995
    default:
      throw new TypeError(`A key must be a string, number, bigint or boolean, not ${typeof key}.`)
  }
}

/**
 * The key group of a key: `(hash(key) & 0x7fffffff) mod maxParallelism`.
 *
 * @category Keys
 * @since 0.1.0
 */
export const keyGroupOf = (key: Key, maxParallelism: number): number =>
  // `& 0x7fffffff` keeps the value a small integer, so V8 computes an integer modulo rather than a
  // floating-point one (`>>> 0` would make values above 2^31 doubles); 31 bits spread as well.
  (hashKey(key) & 0x7fffffff) % maxParallelism

/**
 * A contiguous, inclusive range of key groups `[start, end]`; empty when `end < start`.
 *
 * @category Keys
 * @since 0.1.0
 */
export class KeyGroupRange {
  constructor(
    /** The first key group in the range. */
    readonly start: number,
    /** The last key group in the range (inclusive). */
    readonly end: number,
  ) {}

  /** How many key groups the range holds. */
  get size(): number {
    return this.end < this.start ? 0 : this.end - this.start + 1
  }

  /** Whether the range holds the key group. */
  contains(keyGroup: number): boolean {
    return keyGroup >= this.start && keyGroup <= this.end
  }

  /** The range of all key groups for a maxParallelism. */
  static all(maxParallelism: number): KeyGroupRange {
    return new KeyGroupRange(0, maxParallelism - 1)
  }

  /** Renders as `KeyGroupRange[start, end]`. */
  toString(): string {
    return `KeyGroupRange[${this.start}, ${this.end}]`
  }
}

/**
 * The key groups subtask `index` of `parallelism` owns (Flink's assignment, so that state
 * redistributes by whole key groups when parallelism changes).
 *
 * @category Keys
 * @since 0.1.0
 */
export const keyGroupRangeForSubtask = (
  maxParallelism: number,
  parallelism: number,
  index: number,
): KeyGroupRange => {
  const start = Math.floor((index * maxParallelism + parallelism - 1) / parallelism)
  const end = Math.floor(((index + 1) * maxParallelism - 1) / parallelism)
  return new KeyGroupRange(start, end)
}

/**
 * The subtask that owns a key group, the inverse of {@link keyGroupRangeForSubtask}.
 *
 * @category Keys
 * @since 0.1.0
 */
export const subtaskForKeyGroup = (maxParallelism: number, parallelism: number, keyGroup: number): number =>
  Math.floor((keyGroup * parallelism) / maxParallelism)
