import type { Key } from '../../../core/key.js'
import type { Namespace } from '../../../state/keyed-state-backend.js'
import { VOID_NAMESPACE } from '../../../state/keyed-state-backend.js'

// The binary layout of an lmdb key, chosen so that the entries of one state are contiguous, within
// it those of one key group, within that those of one namespace:
//
//   [state id: u16 BE] [key group: u16 BE] [namespace] [key]
//
//   namespace  ''                 0x00
//              number             0x01 + 8 bytes (order-preserving float64)
//              string             0x02 + u16 BE byte length + UTF-8
//              ill-formed string  0x03 + u16 BE code unit count + UTF-16 BE (lone surrogates)
//   key        number             0x10 + 8 bytes (order-preserving float64)
//              string             0x11 + UTF-8 (to the end)
//              ill-formed string  0x12 + UTF-16 BE (to the end)
//              bigint             0x13 + decimal digits (to the end)
//              false, true        0x14, 0x15
//
// Every key type has its own tag, so 1, '1', 1n and true never meet; -0 is stored as 0 (as Map
// and the key hash treat them). The namespace part is self-delimiting, so a (state, key group,
// namespace) prefix selects exactly that namespace's entries.

/** A {@link DbKey} that is a whole key. @internal */
export const EXACT = 0
/** The smallest possible key after a whole key (an exclusive range start). @internal */
export const AFTER = 1
/** The first key of a state. @internal */
export const STATE_START = 2
/** Past the last key of a state. @internal */
export const STATE_END = 3
/** The first key of a (state, key group, namespace). @internal */
export const NS_START = 4
/** Past the last key of a (state, key group, namespace). @internal */
export const NS_END = 5

/** The largest key lmdb takes with its default page size. @internal */
export const MAX_KEY_BYTES = 1978

/**
 * An lmdb key of the keyed state backend: (state id, key group, namespace, key), or a range bound
 * made of a prefix of it (see `mode`).
 *
 * @remarks
 * The per-record path fills one instance per backend and hands it to lmdb, which writes it into its
 * own key buffer with {@link dbKeyEncoder}: looking a key up allocates nothing for the key. Keys
 * read back from lmdb (range scans) are new instances.
 *
 * @internal
 */
export class DbKey {
  constructor(
    /** The state's id in this backend (1 to 0xfffe). */
    public sid = 0,
    /** The key group. */
    public kg = 0,
    /** The namespace. */
    public ns: Namespace = VOID_NAMESPACE,
    /** The key. */
    public key: Key = '',
    /** What the instance stands for: {@link EXACT}, {@link AFTER}, {@link STATE_START}, ... */
    public mode = EXACT,
  ) {}

  /** Makes this the exact key (sid, kg, ns, key). */
  set(sid: number, kg: number, ns: Namespace, key: Key): this {
    this.sid = sid
    this.kg = kg
    this.ns = ns
    this.key = key
    this.mode = EXACT
    return this
  }
}

/** Thrown by {@link dbKeyEncoder} for a key longer than {@link MAX_KEY_BYTES}. @internal */
export class KeyTooLargeError extends RangeError {
  constructor(readonly bytes: number) {
    super(`The key and namespace take ${bytes} bytes or more encoded; lmdb keys hold at most ${MAX_KEY_BYTES} bytes.`)
  }
}

const f64 = new Float64Array(1)
const f64Bytes = new Uint8Array(f64.buffer)
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const writeNumber = (x: number, t: Uint8Array, p: number): number => {
  f64[0] = x === 0 ? 0 : x
  const neg = (f64Bytes[LITTLE_ENDIAN ? 7 : 0]! & 0x80) !== 0
  for (let i = 0; i < 8; i++) {
    const b = f64Bytes[LITTLE_ENDIAN ? 7 - i : i]!
    // negative numbers: invert every bit; positive ones: set the sign bit
    t[p + i] = neg ? ~b & 0xff : i === 0 ? b | 0x80 : b
  }
  return p + 8
}

const readNumber = (t: Uint8Array, p: number): number => {
  const neg = (t[p]! & 0x80) === 0
  for (let i = 0; i < 8; i++) {
    const b = t[p + i]!
    f64Bytes[LITTLE_ENDIAN ? 7 - i : i] = neg ? ~b & 0xff : i === 0 ? b & 0x7f : b
  }
  const x = f64[0]!
  // a small integer as such (a Smi), not as a heap number: smaller in memory and in snapshots
  // (v8.serialize writes heap numbers as 8-byte doubles); -0 is never written (see writeNumber)
  return (x | 0) === x ? x | 0 : x
}

const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed()

/** Writes a string as UTF-8 with at most `budget` bytes; returns the end, or -1 when it does not fit. */
const writeUtf8 = (s: string, t: Buffer, p: number, budget: number): number => {
  if (s.length * 3 > budget && Buffer.byteLength(s, 'utf8') > budget) return -1
  return p + t.write(s, p, 'utf8')
}

const writeUtf16 = (s: string, t: Uint8Array, p: number, budget: number): number => {
  if (s.length * 2 > budget) return -1
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    t[p++] = c >>> 8
    t[p++] = c & 0xff
  }
  return p
}

const readUtf16 = (t: Uint8Array, p: number, end: number): string => {
  let s = ''
  for (; p + 1 < end; p += 2) s += String.fromCharCode((t[p]! << 8) | t[p + 1]!)
  return s
}

const writeNamespace = (ns: Namespace, t: Buffer, p: number, start: number): number => {
  if (ns === VOID_NAMESPACE) {
    t[p] = 0x00
    return p + 1
  }
  if (typeof ns === 'number') {
    t[p] = 0x01
    return writeNumber(ns, t, p + 1)
  }
  const wellFormed = isWellFormed(ns)
  t[p] = wellFormed ? 0x02 : 0x03
  const body = p + 3
  const end = wellFormed
    ? writeUtf8(ns, t, body, MAX_KEY_BYTES - (body - start))
    : writeUtf16(ns, t, body, MAX_KEY_BYTES - (body - start))
  if (end < 0) throw new KeyTooLargeError(MAX_KEY_BYTES + 1)
  const len = wellFormed ? end - body : ns.length
  t[p + 1] = len >>> 8
  t[p + 2] = len & 0xff
  return end
}

const writeUserKey = (key: Key, t: Buffer, p: number, start: number): number => {
  switch (typeof key) {
    case 'number':
      t[p] = 0x10
      return writeNumber(key, t, p + 1)
    case 'string': {
      const wellFormed = isWellFormed(key)
      t[p] = wellFormed ? 0x11 : 0x12
      const budget = MAX_KEY_BYTES - (p + 1 - start)
      const end = wellFormed ? writeUtf8(key, t, p + 1, budget) : writeUtf16(key, t, p + 1, budget)
      if (end < 0) throw new KeyTooLargeError(MAX_KEY_BYTES + 1)
      return end
    }
    case 'bigint': {
      t[p] = 0x13
      const end = writeUtf8(key.toString(), t, p + 1, MAX_KEY_BYTES - (p + 1 - start))
      if (end < 0) throw new KeyTooLargeError(MAX_KEY_BYTES + 1)
      return end
    }
    default:
      t[p] = key ? 0x15 : 0x14
      return p + 1
  }
}

/**
 * lmdb's `keyEncoder` for {@link DbKey}s (see the layout above).
 *
 * @internal
 */
export const dbKeyEncoder = {
  writeKey(k: DbKey, target: Buffer, start: number): number {
    const mode = k.mode
    let p = start
    target[p++] = k.sid >>> 8
    target[p++] = k.sid & 0xff
    if (mode === STATE_START) return p
    if (mode === STATE_END) {
      target[p] = 0xff
      return p + 1
    }
    target[p++] = k.kg >>> 8
    target[p++] = k.kg & 0xff
    p = writeNamespace(k.ns, target, p, start)
    if (mode === NS_START) return p
    if (mode === NS_END) {
      target[p] = 0xff
      return p + 1
    }
    p = writeUserKey(k.key, target, p, start)
    if (mode === AFTER) target[p++] = 0x00
    if (p - start > MAX_KEY_BYTES) throw new KeyTooLargeError(p - start)
    return p
  },

  readKey(t: Buffer, start: number, end: number): DbKey {
    let p = start
    const sid = (t[p]! << 8) | t[p + 1]!
    const kg = (t[p + 2]! << 8) | t[p + 3]!
    p += 4
    let ns: Namespace
    const nsTag = t[p++]!
    if (nsTag === 0x00) ns = VOID_NAMESPACE
    else if (nsTag === 0x01) {
      ns = readNumber(t, p)
      p += 8
    } else {
      const len = (t[p]! << 8) | t[p + 1]!
      p += 2
      if (nsTag === 0x02) {
        ns = t.toString('utf8', p, p + len)
        p += len
      } else {
        ns = readUtf16(t, p, p + 2 * len)
        p += 2 * len
      }
    }
    let key: Key
    switch (t[p++]) {
      case 0x10:
        key = readNumber(t, p)
        break
      case 0x11:
        key = t.toString('utf8', p, end)
        break
      case 0x12:
        key = readUtf16(t, p, end)
        break
      case 0x13:
        key = BigInt(t.toString('latin1', p, end))
        break
      case 0x14:
        key = false
        break
      default:
        key = true
    }
    return new DbKey(sid, kg, ns, key, EXACT)
  },
}
