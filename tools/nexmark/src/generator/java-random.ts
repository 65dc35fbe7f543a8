/**
 * A bit-exact port of Java's `java.util.Random` (the 48-bit linear congruential generator), so
 * the Nexmark generator draws the same numbers as the reference Java generator.
 *
 * @packageDocumentation
 */

const TWO_24 = 16777216
const TWO_48 = 281474976710656
/** The multiplier 0x5DEECE66D split in 24-bit halves. */
const MUL_HI = 0x5de
const MUL_LO = 0xece66d
const ADDEND = 0xb

/**
 * Java's `java.util.Random`: same seed, same sequence as the JVM, bit for bit.
 *
 * @remarks
 * The 48-bit state is kept as two 24-bit halves so every product is an exact double; nothing
 * is allocated per draw (only `nextLong`, which the generator almost never needs, uses BigInt).
 * `setSeed` makes the instance reusable, so one instance serves every event.
 *
 * @category Generator
 * @since 0.1.0
 */
export class JavaRandom {
  private hi = 0
  private lo = 0

  /** A generator seeded as `new java.util.Random(seed)`; `seed` must be a safe integer. */
  constructor(seed: number) {
    this.setSeed(seed)
  }

  /** Re-seeds as Java's `setSeed(seed)`: the state becomes `(seed ^ 0x5DEECE66D) mod 2^48`. */
  setSeed(seed: number): void {
    let s = seed % TWO_48
    if (s < 0) s += TWO_48
    const lo = s % TWO_24
    const hi = (s - lo) / TWO_24
    this.lo = lo ^ MUL_LO
    this.hi = hi ^ MUL_HI
  }

  /** Java's protected `next(bits)`: advances the state and returns its top `bits` bits as an int. */
  next(bits: number): number {
    const l = this.lo * MUL_LO + ADDEND
    const carry = Math.floor(l / TWO_24)
    const lo = l - carry * TWO_24
    const hi = (this.hi * MUL_LO + this.lo * MUL_HI + carry) % TWO_24
    this.lo = lo
    this.hi = hi
    return Math.floor((hi * TWO_24 + lo) / 2 ** (48 - bits)) | 0
  }

  /** Java's `nextInt()`: a uniform 32-bit signed integer. */
  nextInt(): number {
    return this.next(32)
  }

  /**
   * Java's `nextInt(bound)`: uniform in `[0, bound)`, with Java's rejection loop.
   *
   * @throws RangeError when `bound` is not a positive 32-bit integer
   */
  nextIntBounded(bound: number): number {
    if (!(bound > 0 && bound <= 2147483647 && Number.isInteger(bound))) throw new RangeError(`bound must be a positive int, got ${bound}`)
    let r = this.next(31)
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
