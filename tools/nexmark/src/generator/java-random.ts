/**
 * A bit-exact port of Java's `java.util.Random` (the 48-bit linear congruential generator), so
 * the Nexmark generator draws the same numbers as the reference Java generator.
 *
 * @packageDocumentation
 */

const TWO_24 = 16777216
const INV_TWO_24 = 1 / TWO_24
const TWO_48 = 281474976710656
const MASK_24 = 0xffffff
/** The multiplier 0x5DEECE66D: its low 24 bits. */
const ML = 0xece66d
/** The multiplier's high bits (it has 35). */
const MH = 0x5de
const ADDEND = 0xb
/** `ML / 2^24` and `ADDEND / 2^24`, exact: `lo × CARRY_SCALE + CARRY_ADDEND` is `(lo × ML + ADDEND) / 2^24`. */
const CARRY_SCALE = ML / TWO_24
const CARRY_ADDEND = ADDEND / TWO_24
/** `2^-53`, exact. */
const INV_TWO_53 = 1 / 9007199254740992
/** The first draws `nextInt(13)` and `nextInt(26)` reject (the last, partial range of the 31-bit draw). */
const REJECT_13 = 2147483637
const REJECT_26 = 2147483624
/** The inverse of 13 modulo 2^32: `u` is a multiple of 13 iff `u × INV_13 mod 2^32 <= floor((2^32 - 1) / 13)`. */
const INV_13 = 0xc4ec4ec5 | 0
const MULTIPLES_13 = 330382099

/** The error of a bound `nextIntBounded` cannot take. */
const badBound = (bound: number): RangeError => new RangeError(`bound must be a positive int, got ${bound}`)

/**
 * Java's `java.util.Random`: same seed, same sequence as the JVM, bit for bit.
 *
 * @remarks
 * The 48-bit state is kept as two 24-bit limbs, `lo` and `hi`. A step,
 * `state = (state × 0x5DEECE66D + 0xB) mod 2^48`, is then three 32-bit multiplications
 * (`Math.imul`, exact modulo 2^32, and the limbs need only their low 24 bits) and one exact
 * floating-point product for the carry out of the low limb (`lo × 0xECE66D < 2^48`); the low
 * limb's chain does not depend on the high one, so a step costs ~3 ns. Nothing is allocated per
 * draw (only `nextLong`, which the generator almost never needs, uses BigInt). `setSeed` makes
 * the instance reusable, so one instance serves every event.
 *
 * @category Generator
 * @since 0.1.0
 */
export class JavaRandom {
  /** Bits 0-23 of the state. */
  private lo = 0
  /** Bits 24-47 of the state. */
  private hi = 0

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
    const hi = Math.floor(s * INV_TWO_24) // exact: a power-of-two scaling
    this.lo = (s - hi * TWO_24) ^ ML
    this.hi = hi ^ MH
  }

  /** One step of the generator: `state = (state × 0x5DEECE66D + 0xB) mod 2^48`, limb by limb. */
  private step(): void {
    const lo = this.lo
    // (lo × ML + ADDEND) >> 24, exact in a double, plus the products landing in the high limb (mod 2^24)
    this.hi = (Math.imul(this.hi, ML) + Math.imul(lo, MH) + ((lo * CARRY_SCALE + CARRY_ADDEND) | 0)) & MASK_24
    this.lo = (Math.imul(lo, ML) + ADDEND) & MASK_24
  }

  /** Java's protected `next(bits)`: advances the state and returns its top `bits` bits as an int. */
  next(bits: number): number {
    this.step()
    const top = (this.hi << 8) | (this.lo >>> 16)
    return bits >= 32 ? top : top >>> (32 - bits)
  }

  /** `next(31)`: a uniform non-negative 31-bit integer (the draw behind `nextInt(bound)`). */
  next31(): number {
    this.step()
    return (this.hi << 7) | (this.lo >>> 17)
  }

  /**
   * `length` characters each drawn as the reference's `nextString` does (`nextInt(13) == 0` ?
   * `special` : `'a' + nextInt(26)`), into `out` from index `start` (default 0); returns `out`.
   * The generator's state stays in locals for the whole loop (the hot path of auctions' and
   * persons' strings).
   */
  fillLetters(out: Uint8Array, length: number, special: number, start = 0): Uint8Array {
    let lo = this.lo
    let hi = this.hi
    const end = start + length
    for (let k = start; k < end; k++) {
      // nextInt(13), as step() and next31()
      let u: number
      do {
        hi = (Math.imul(hi, ML) + Math.imul(lo, MH) + ((lo * CARRY_SCALE + CARRY_ADDEND) | 0)) & MASK_24
        lo = (Math.imul(lo, ML) + ADDEND) & MASK_24
        u = (hi << 7) | (lo >>> 17)
      } while (u >= REJECT_13)
      if (Math.imul(u, INV_13) >>> 0 <= MULTIPLES_13) {
        // u % 13 === 0, with one multiplication
        out[k] = special
        continue
      }
      // 'a' + nextInt(26)
      do {
        hi = (Math.imul(hi, ML) + Math.imul(lo, MH) + ((lo * CARRY_SCALE + CARRY_ADDEND) | 0)) & MASK_24
        lo = (Math.imul(lo, ML) + ADDEND) & MASK_24
        u = (hi << 7) | (lo >>> 17)
      } while (u >= REJECT_26)
      out[k] = 97 + (u % 26)
    }
    this.lo = lo
    this.hi = hi
    return out
  }

  /** Java's `nextInt()`: a uniform 32-bit signed integer. */
  nextInt(): number {
    this.step()
    return (this.hi << 8) | (this.lo >>> 16)
  }

  /**
   * Java's `nextInt(bound)`: uniform in `[0, bound)`, with Java's rejection loop.
   *
   * @throws RangeError when `bound` is not a positive 32-bit integer
   */
  nextIntBounded(bound: number): number {
    if (!((bound | 0) === bound && bound > 0)) throw badBound(bound)
    this.step()
    const u = (this.hi << 7) | (this.lo >>> 17)
    const m = bound - 1
    if ((bound & m) === 0) return u >>> Math.clz32(bound)
    const r = u % bound
    // Java's rejection of the last, partial range of 31-bit values (`u - r + m` overflows an int)
    return ((u - r + m) | 0) >= 0 ? r : this.redraw(bound)
  }

  /** `nextIntBounded`'s draws after a rejected one (rare: kept out of the hot path). */
  private redraw(bound: number): number {
    for (;;) {
      const u = this.next31()
      const r = u % bound
      if (((u - r + bound - 1) | 0) >= 0) return r
    }
  }

  /** Java's `nextLong()`, as a bigint (a 64-bit signed value). */
  nextLong(): bigint {
    const a = BigInt(this.nextInt())
    const b = BigInt(this.nextInt())
    return BigInt.asIntN(64, (a << 32n) + b)
  }

  /** Java's `nextDouble()`: uniform in `[0, 1)` with 53 random bits. */
  nextDouble(): number {
    this.step()
    const a = (this.hi << 2) | (this.lo >>> 22) // next(26)
    this.step()
    const b = (this.hi << 3) | (this.lo >>> 21) // next(27)
    return (a * 134217728 + b) * INV_TWO_53
  }
}
