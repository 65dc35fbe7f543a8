import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { JavaRandom } from './java-random.js'

const MASK = (1n << 48n) - 1n

/** A direct BigInt transcription of java.util.Random, the brute-force reference. */
class BigRandom {
  private seed: bigint
  constructor(seed: number) {
    this.seed = (BigInt(seed) ^ 0x5deece66dn) & MASK
  }
  next(bits: number): number {
    this.seed = (this.seed * 0x5deece66dn + 0xbn) & MASK
    return Number(BigInt.asIntN(32, this.seed >> BigInt(48 - bits)))
  }
  nextInt(bound: number): number {
    let r = this.next(31)
    const m = bound - 1
    if ((bound & m) === 0) return Number((BigInt(bound) * BigInt(r)) >> 31n)
    for (let u = r; BigInt.asIntN(32, BigInt(u - (r = u % bound) + m)) < 0n; u = this.next(31));
    return r
  }
}

describe('JavaRandom', () => {
  it('matches values printed by a JVM (java.util.Random)', () => {
    // From `new Random(42)` on OpenJDK: nextInt(), ten nextInt(10), nextLong(), nextDouble(), nextInt(1 << 20), nextInt(1000000007).
    const r = new JavaRandom(42)
    expect(r.nextInt()).toBe(-1170105035)
    expect(Array.from({ length: 10 }, () => r.nextIntBounded(10))).toEqual([3, 8, 4, 0, 5, 5, 8, 9, 3, 2])
    expect(r.nextLong()).toBe(8324226458996739737n)
    expect(r.nextDouble()).toBe(0.3816430907807956)
    expect(r.nextIntBounded(1 << 20)).toBe(723963)
    expect(r.nextIntBounded(1000000007)).toBe(995688456)
    // `new Random(-7)`: nextInt(), nextInt(100), nextLong()
    const m = new JavaRandom(-7)
    expect(m.nextInt()).toBe(1155869324)
    expect(m.nextIntBounded(100)).toBe(97)
    expect(m.nextLong()).toBe(-6028743012628894217n)
  })

  it('equals a BigInt transcription for any seed, bits and bound', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.array(fc.tuple(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 2147483647 })), { maxLength: 30 }), (seed, ops) => {
        const a = new JavaRandom(seed)
        const b = new BigRandom(seed)
        for (const [bits, bound] of ops) {
          expect(a.next(bits)).toBe(b.next(bits))
          expect(a.nextIntBounded(bound)).toBe(b.nextInt(bound))
        }
      }),
    )
  })

  it('setSeed restarts the sequence as a new instance', () => {
    const r = new JavaRandom(1)
    r.nextInt()
    r.setSeed(42)
    expect(r.nextInt()).toBe(-1170105035)
  })

  it('rejects a bound that is not a positive int', () => {
    expect(() => new JavaRandom(0).nextIntBounded(0)).toThrow(RangeError)
  })
})
