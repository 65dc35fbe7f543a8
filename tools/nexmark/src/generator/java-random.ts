/**
 * A bit-exact port of Java's `java.util.Random` (the 48-bit linear congruential generator), so
 * the Nexmark generator draws the same numbers as the reference Java generator.
 *
 * @packageDocumentation
 */

const TWO_32 = 4294967296
const TWO_48 = 281474976710656
/** The multiplier 0x5DEECE66D in 16-bit limbs. */
const M0 = 0xe66d
const M1 = 0xdeec
const M2 = 0x5
const ADDEND = 0xb

/**
 * Java's `java.util.Random`: same seed, same sequence as the JVM, bit for bit.
 *
 * @remarks
 * The 48-bit state is kept as three 16-bit limbs, so a step is a handful of small-integer
 * multiplications and shifts (no division, no floating point; ~6 ns a draw); nothing is
 * allocated per draw (only `nextLong`, which the generator almost never needs, uses BigInt).
 * `setSeed` makes the instance reusable, so one instance serves every event.
 *
 * @category Generator
 * @since 0.1.0
 */
export class JavaRandom {
  private s0 = 0
  private s1 = 0
  private s2 = 0

  /** A generator seeded as `new java.util.Random(seed)`; `seed` must be a safe integer. */
  constructor(seed: number) {
    this.setSeed(seed)
  }

  /** Re-seeds as Java's `setSeed(seed)`: the state becomes `(seed ^ 0x5DEECE66D) mod 2^48`. */
  setSeed(seed: number): void {
    let s = seed
    if (!(s >= 0 && s < TWO_48)) {
      s %= TWO_48
      if (s < 0) s += TWO_48
    }
    const low = s >>> 0
    this.s2 = ((s - low) / TWO_32) ^ M2
    this.s1 = (low >>> 16) ^ M1
    this.s0 = (low & 0xffff) ^ M0
  }

  /** One step of the generator: `state = (state * 0x5DEECE66D + 0xB) mod 2^48`, limb by limb. */
  private step(): void {
    const s0 = this.s0
    const s1 = this.s1
    const r0 = s0 * M0 + ADDEND // < 2^32
    const a = s1 * M0 // < 2^32
    const b = s0 * M1 // < 2^32
    const mid = (a & 0xffff) + (b & 0xffff) + (r0 >>> 16)
    const carry = (a >>> 16) + (b >>> 16) + (mid >>> 16)
    // the top limb only needs its low 16 bits: products modulo 2^32 keep them
    this.s2 = (Math.imul(this.s2, M0) + Math.imul(s1, M1) + Math.imul(s0, M2) + carry) & 0xffff
    this.s1 = mid & 0xffff
    this.s0 = r0 & 0xffff
  }

  /** Java's protected `next(bits)`: advances the state and returns its top `bits` bits as an int. */
  next(bits: number): number {
    this.step()
    const top = (this.s2 << 16) | this.s1
    return bits >= 32 ? top : top >>> (32 - bits)
  }

  /** `next(31)`: a uniform non-negative 31-bit integer (the draw behind `nextInt(bound)`). */
  next31(): number {
    this.step()
    return ((this.s2 << 16) | this.s1) >>> 1
  }

  /**
   * `length` characters each drawn as the reference's `nextString` does (`nextInt(13) == 0` ?
   * `special` : `'a' + nextInt(26)`), into `out` from index 0; returns `out`. The generator's
   * state stays in locals for the whole loop (the hot path of auctions' and persons' strings).
   */
  fillLetters(out: Uint8Array, length: number, special: number): Uint8Array {
    let s0 = this.s0
    let s1 = this.s1
    let s2 = this.s2
    for (let k = 0; k < length; k++) {
      let code = -1
      let bound = 13
      for (;;) {
        // one step, as step()
        const r0 = s0 * M0 + ADDEND
        const a = s1 * M0
        const b = s0 * M1
        const mid = (a & 0xffff) + (b & 0xffff) + (r0 >>> 16)
        const carry = (a >>> 16) + (b >>> 16) + (mid >>> 16)
        s2 = (Math.imul(s2, M0) + Math.imul(s1, M1) + Math.imul(s0, M2) + carry) & 0xffff
        s1 = mid & 0xffff
        s0 = r0 & 0xffff
        const u = ((s2 << 16) | s1) >>> 1
        if (bound === 13) {
          const r = u % 13
          if (u - r + 12 > 2147483647) continue // Java's rejection of the last partial range
          if (r === 0) {
            code = special
            break
          }
          bound = 26
        } else {
          const r = u % 26
          if (u - r + 25 > 2147483647) continue
          code = 97 + r
          break
        }
      }
      out[k] = code
    }
    this.s0 = s0
    this.s1 = s1
    this.s2 = s2
    return out
  }

  /** Java's `nextInt()`: a uniform 32-bit signed integer. */
  nextInt(): number {
    this.step()
    return (this.s2 << 16) | this.s1
  }

  /**
   * Java's `nextInt(bound)`: uniform in `[0, bound)`, with Java's rejection loop.
   *
   * @throws RangeError when `bound` is not a positive 32-bit integer
   */
  nextIntBounded(bound: number): number {
    if (!(bound > 0 && bound <= 2147483647 && Number.isInteger(bound))) throw new RangeError(`bound must be a positive int, got ${bound}`)
    this.step()
    let r = ((this.s2 << 16) | this.s1) >>> 1
    const m = bound - 1
    if ((bound & m) === 0) return r >>> Math.clz32(bound)
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r
  }

  /** Java's `nextLong()`, as a bigint (a 64-bit signed value). */
  nextLong(): bigint {
    const a = BigInt(this.next(32))
    const b = BigInt(this.next(32))
    return BigInt.asIntN(64, (a << 32n) + b)
  }

  /** Java's `nextDouble()`: uniform in `[0, 1)` with 53 random bits. */
  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) / 9007199254740992
  }
}
