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
  nextLong(): bigint {
    return BigInt.asIntN(64, (BigInt(this.next(32)) << 32n) + BigInt(this.next(32)))
  }
  nextDouble(): number {
    return (this.next(26) * 2 ** 27 + this.next(27)) / 2 ** 53
  }
  /** The reference's `nextString` characters: `nextInt(13) == 0 ? special : 'a' + nextInt(26)`. */
  letters(length: number, special: number): number[] {
    return Array.from({ length }, () => (this.nextInt(13) === 0 ? special : 97 + this.nextInt(26)))
  }
}

const MULTIPLIER = 0x5deece66dn
/** The inverse of the multiplier modulo 2^48. */
const INVERSE = (() => {
  let x = 1n
  for (let i = 0; i < 6; i++) x = (x * (2n - MULTIPLIER * x)) & MASK // Newton: doubles the correct low bits
  return x
})()
/** The seed whose generator's state after one step is `state` (the step run backwards). */
const seedBefore = (state: bigint): number => Number((((state - 0xbn) * INVERSE) & MASK) ^ MULTIPLIER)
/** A state whose 31-bit draw is `u`, with low bits `low` (< 2^17). */
const stateDrawing = (u: number, low: number): bigint => (BigInt(u) << 17n) | BigInt(low)

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

  it('draws nextInt(), nextLong(), nextDouble() and strings’ letters as the BigInt transcription, interleaved', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 40 })), { maxLength: 20 }), (seed, ops) => {
        const a = new JavaRandom(seed)
        const b = new BigRandom(seed)
        const out = new Uint8Array(48)
        for (const [op, n] of ops) {
          if (op === 0) expect(a.nextInt()).toBe(b.next(32))
          else if (op === 1) expect(a.nextLong()).toBe(b.nextLong())
          else if (op === 2) expect(a.nextDouble()).toBe(b.nextDouble())
          else expect(Array.from(a.fillLetters(out, n, 32, 8).subarray(8, 8 + n))).toEqual(b.letters(n, 32))
        }
        expect(a.nextInt()).toBe(b.next(32))
      }),
    )
  })

  it('takes Java’s rejection path in nextInt(13) and nextInt(26) when drawing letters (draws in the last partial range)', () => {
    // the step run backwards gives seeds whose first draw is any chosen value: here the largest ones
    for (const [u, bound] of [
      [2147483647, 13],
      [2147483637, 13], // the first rejected value for 13
      [2147483636, 13], // the last accepted one (a remainder of 11)
    ] as const) {
      const seed = seedBefore(stateDrawing(u, 12345))
      expect(new BigRandom(seed).next(31)).toBe(u)
      const a = new JavaRandom(seed)
      const b = new BigRandom(seed)
      expect(Array.from(a.fillLetters(new Uint8Array(6), 6, 95))).toEqual(b.letters(6, 95))
      expect(a.nextInt()).toBe(b.next(32))
      expect(new JavaRandom(seed).nextIntBounded(bound)).toBe(new BigRandom(seed).nextInt(bound))
    }
    // a letter's second draw (nextInt(26)) rejected: the first draw not a multiple of 13, the second >= 2147483624
    let found = 0
    for (let low = 0; low < 1000 && found < 4; low++) {
      for (const u of [2147483647, 2147483624]) {
        const second = stateDrawing(u, low)
        const first = ((second - 0xbn) * INVERSE) & MASK
        if (Number(first >> 17n) % 13 === 0) continue
        const seed = seedBefore(first)
        const b = new BigRandom(seed)
        b.next(31)
        expect(b.next(31)).toBe(u)
        expect(Array.from(new JavaRandom(seed).fillLetters(new Uint8Array(5), 5, 32))).toEqual(new BigRandom(seed).letters(5, 32))
        found++
      }
    }
    expect(found).toBeGreaterThanOrEqual(4)
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
