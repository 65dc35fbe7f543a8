/**
 * String functions: `||`, `CONCAT`, `CONCAT_WS`, `UPPER`, `LOWER`, `INITCAP`, `CHAR_LENGTH`,
 * `TRIM`/`LTRIM`/`RTRIM`, `SUBSTRING`, `REPLACE`, `POSITION`, `LOCATE`, `INSTR`, `LPAD`, `RPAD`,
 * `REPEAT`, `REVERSE`, `SPLIT_INDEX`, `REGEXP`, `REGEXP_REPLACE`, `REGEXP_EXTRACT`, `OVERLAY`,
 * `MD5`, `SHA1`, `SHA256`, `SHA2`, `UUID`, `TO_BASE64`, `FROM_BASE64`, `ASCII`, `CHR`, `LEFT`,
 * `RIGHT`, `STR_TO_MAP`, `JSON_VALUE`.
 *
 * @remarks
 * Positions and lengths count UTF-16 code units (Java's `String`); Flink counts code points, so
 * results differ only for characters outside the Basic Multilingual Plane (emoji). Regular
 * expressions are Java's, run by JavaScript's engine (common syntax agrees; see `javaRegex`).
 * Functions with an invalid regular expression give `NULL` (`REGEXP`: `FALSE`), as Flink.
 *
 * @packageDocumentation
 */
import { createHash, randomUUID } from 'node:crypto'
import { type DataType, DataTypes, MAX_LENGTH } from '../../types/data-type.js'
import { varcharOf } from '../../types/coercion.js'
import { type CallImpl, type FunctionDefinition, impl, inlined, literalArg } from './definition.js'
import { cachedJavaRegex } from './patterns.js'
import { simple } from './signatures.js'

const STRING = DataTypes.STRING
const INT = DataTypes.INT

const lengthOf = (t: DataType): number => (t.kind === 'CHAR' || t.kind === 'VARCHAR' ? t.length : MAX_LENGTH)

/** The same string type as the argument's (`UPPER(CHAR(3))` is `CHAR(3)`), `STRING` for `NULL`. */
const sameString = (types: readonly DataType[]): DataType => {
  const t = types[0]!
  return t.kind === 'CHAR' || t.kind === 'VARCHAR' ? { kind: t.kind, length: t.length, nullable: true } : STRING()
}

/** `VARCHAR` as long as the first argument. */
const varcharOfFirst = (types: readonly DataType[]): DataType => varcharOf(lengthOf(types[0]!), true)

const concatType = (types: readonly DataType[]): DataType => {
  const total = types.reduce((n, t) => n + (t.kind === 'NULL' ? 0 : lengthOf(t)), 0)
  const allChar = types.every((t) => t.kind === 'CHAR')
  return allChar ? { kind: 'CHAR', length: Math.min(total, MAX_LENGTH), nullable: true } : varcharOf(total, true)
}

const CONCAT_OP = simple({
  name: '||',
  forms: [['STRING', 'STRING']],
  returns: concatType,
  fn: (a: string, b: string) => a + b,
  inline: ([a, b]) => `(${a} + ${b})`,
})

const CONCAT = simple({
  name: 'CONCAT',
  forms: Array.from({ length: 16 }, (_, n) => Array.from({ length: n + 1 }, () => 'STRING' as const)),
  returns: (types) => varcharOf(types.reduce((n, t) => n + (t.kind === 'NULL' ? 0 : lengthOf(t)), 0), true),
  specialize: ({ args }) => {
    const n = args.length
    return inlined(
      new Function(...Array.from({ length: n }, (_, i) => `a${i}`), `return ${['""', ...Array.from({ length: n }, (_, i) => `a${i}`)].join(' + ')}`) as (...xs: string[]) => string,
      (xs) => `(${['""', ...xs].join(' + ')})`,
    )
  },
})

const CONCAT_WS = simple({
  name: 'CONCAT_WS',
  nulls: 'total',
  forms: Array.from({ length: 16 }, (_, n) => Array.from({ length: n + 1 }, () => 'STRING' as const)),
  returns: (types) => varcharOf(MAX_LENGTH, types[0]!.nullable),
  fn: (sep: string | null, ...xs: (string | null)[]) => {
    if (sep === null || sep === undefined) return null
    let out = ''
    let first = true
    for (const x of xs) {
      if (x === null || x === undefined) continue
      out += first ? x : sep + x
      first = false
    }
    return out
  },
})

const initcap = (s: string): string => {
  let out = ''
  let start = true
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!
    const alnum = /[\p{L}\p{N}]/u.test(c)
    out += alnum ? (start ? c.toUpperCase() : c.toLowerCase()) : c
    start = !alnum
  }
  return out
}

const trimmer = (side: 'TRIM' | 'LTRIM' | 'RTRIM') => (s: string, chars?: string): string => {
  const set = chars ?? ' '
  let a = 0
  let b = s.length
  if (side !== 'RTRIM') while (a < b && set.includes(s[a]!)) a++
  if (side !== 'LTRIM') while (b > a && set.includes(s[b - 1]!)) b--
  return a === 0 && b === s.length ? s : s.slice(a, b)
}

const trimFn = (side: 'TRIM' | 'LTRIM' | 'RTRIM'): FunctionDefinition =>
  simple({
    name: side,
    forms: [['STRING'], ['STRING', 'STRING']],
    returns: varcharOfFirst,
    specialize: ({ args }) => {
      const f = trimmer(side)
      // the common TRIM(x) of spaces inlines to a call without a chars argument
      return args.length === 1 ? impl((s: string) => f(s)) : impl(f)
    },
  })

/** Flink's `SUBSTRING(s, pos[, len])`: 1-based; a negative `pos` counts from the end; `NULL` for a negative length. */
export const substring = (s: string, pos: number, len: number = MAX_LENGTH): string | null => {
  if (len < 0) return null
  if (s.length === 0) return ''
  let start: number
  if (pos > 0) {
    start = pos - 1
    if (start >= s.length) return ''
  } else if (pos < 0) {
    start = s.length + pos
    if (start < 0) return ''
  } else start = 0
  const end = s.length - start < len ? s.length : start + len
  return s.slice(start, end)
}

const substringFn = (name: 'SUBSTRING' | 'SUBSTR'): FunctionDefinition =>
  simple({
    name,
    forms: [
      ['STRING', 'INTEGER'],
      ['STRING', 'INTEGER', 'INTEGER'],
    ],
    returns: varcharOfFirst,
    nullableResult: true,
    fn: substring,
  })

const REPLACE = simple({
  name: 'REPLACE',
  forms: [['STRING', 'STRING', 'STRING']],
  returns: () => STRING(),
  fn: (s: string, a: string, b: string) => (a === '' ? s.replaceAll('', () => b) : s.split(a).join(b)),
})

const POSITION = simple({
  name: 'POSITION',
  forms: [
    ['STRING', 'STRING'],
    ['STRING', 'STRING', 'INTEGER'],
  ],
  returns: INT(),
  fn: (needle: string, hay: string, from?: number) => hay.indexOf(needle, from === undefined ? 0 : Math.max(from - 1, 0)) + 1,
  inline: ([a, b, c]) => (c === undefined ? `(${b}.indexOf(${a}) + 1)` : `(${b}.indexOf(${a}, Math.max(${c} - 1, 0)) + 1)`),
})

const LOCATE = simple({
  name: 'LOCATE',
  forms: [
    ['STRING', 'STRING'],
    ['STRING', 'STRING', 'INTEGER'],
  ],
  returns: INT(),
  fn: (needle: string, hay: string, from?: number) => (from !== undefined && from <= 0 ? 0 : hay.indexOf(needle, from === undefined ? 0 : from - 1) + 1),
})

const reverse = (s: string): string => {
  let out = ''
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s.charCodeAt(i)
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
      const h = s.charCodeAt(i - 1)
      if (h >= 0xd800 && h <= 0xdbff) {
        out += s[i - 1]! + s[i]!
        i--
        continue
      }
    }
    out += s[i]!
  }
  return out
}

const instr = (str: string, sub: string, start = 1, nth = 1): number => {
  if (nth <= 0) return 0
  if (start === 0) return 0
  if (start > 0) {
    let from = start
    let index = 0
    for (let i = 0; i < nth; i++) {
      index = str.indexOf(sub, from - 1) + 1
      if (index === 0) return 0
      from = index + 1
    }
    return index
  }
  const pos = instr(reverse(str), reverse(sub), -start, nth)
  return pos === 0 ? 0 : str.length + 2 - pos - sub.length
}

const INSTR = simple({
  name: 'INSTR',
  forms: [
    ['STRING', 'STRING'],
    ['STRING', 'STRING', 'INTEGER'],
    ['STRING', 'STRING', 'INTEGER', 'INTEGER'],
  ],
  returns: INT(),
  fn: instr,
})

const pad = (left: boolean) => (base: string, len: number, padStr: string): string | null => {
  if (len < 0 || padStr === '') return null
  if (len === 0) return ''
  if (left) {
    const need = Math.max(len - base.length, 0)
    let p = ''
    while (p.length < need) p += padStr
    return p.slice(0, need) + base.slice(0, len - need)
  }
  if (base.length >= len) return base.slice(0, len)
  let out = base
  while (out.length < len) out += padStr
  return out.slice(0, len)
}

/**
 * `SPLIT_INDEX(s, sep, index)`: the `index`-th (from 0) of the tokens between whole separators
 * (empty tokens kept, as commons-lang's `splitByWholeSeparatorPreserveAllTokens`); an empty
 * separator splits at whitespace. Scans with `indexOf` and slices only the token asked for.
 */
const splitIndex = (s: string, sep: string, index: number): string | null => {
  if (index < 0) return null
  if (s.length === 0) return null
  if (sep === '') {
    const parts = s.split(/\s/)
    return index < parts.length ? parts[index]! : null
  }
  let start = 0
  for (let i = 0; i < index; i++) {
    const at = s.indexOf(sep, start)
    if (at < 0) return null
    start = at + sep.length
  }
  const end = s.indexOf(sep, start)
  return end < 0 ? s.slice(start) : s.slice(start, end)
}

const REGEXP = simple({
  name: 'REGEXP',
  forms: [['STRING', 'STRING']],
  returns: DataTypes.BOOLEAN(),
  fn: (s: string, r: string) => {
    if (r.length === 0) return false
    try {
      return cachedJavaRegex(r).test(s)
    } catch {
      return false
    }
  },
})

const REGEXP_REPLACE = simple({
  name: 'REGEXP_REPLACE',
  forms: [['STRING', 'STRING', 'STRING']],
  returns: () => STRING(),
  nullableResult: true,
  fn: (s: string, r: string, rep: string) => {
    try {
      const re = cachedJavaRegex(r, true)
      re.lastIndex = 0
      return s.replace(re, () => rep)
    } catch {
      return null
    }
  },
})

/** The group `index` of the first match of `re` in `s`, `null` without a match or for a group that did not take part. */
const extractGroup = (re: RegExp, s: string, index: number): string | null => {
  const m = re.exec(s)
  if (m === null || index < 0 || index >= m.length) return null
  return m[index] ?? null
}

const regexpExtract = (s: string, r: string, index = 0): string | null => {
  let re: RegExp
  try {
    re = cachedJavaRegex(r)
  } catch {
    return null
  }
  return extractGroup(re, s, index)
}

/** The last subject a (non-global, so stateless) regular expression was run on by `REGEXP_EXTRACT`, and its match. */
interface LastMatch {
  subject: string | undefined
  match: RegExpExecArray | null
}

const lastMatches = new WeakMap<RegExp, LastMatch>()

/** The last match of a regular expression, shared by the call sites with the same constant pattern. */
const lastMatchOf = (re: RegExp): LastMatch => {
  let m = lastMatches.get(re)
  if (m === undefined) {
    m = { subject: undefined, match: null }
    lastMatches.set(re, m)
  }
  return m
}

/** A compiled Java regular expression, or `undefined` when it is invalid. */
const compileJavaOrUndefined = (r: string): RegExp | undefined => {
  try {
    return cachedJavaRegex(r)
  } catch {
    return undefined
  }
}

const REGEXP_EXTRACT = simple({
  name: 'REGEXP_EXTRACT',
  forms: [
    ['STRING', 'STRING'],
    ['STRING', 'STRING', 'INTEGER'],
  ],
  returns: () => STRING(),
  nullableResult: true,
  // a constant pattern (and group) is compiled once per call site: the generated code calls a
  // function of the subject alone, with no per-record translation or cache lookup
  specialize: ({ args }) => {
    const pattern = literalArg(args, 1)
    const index = args.length > 2 ? literalArg(args, 2) : 0
    if (typeof pattern !== 'string' || typeof index !== 'number') return impl(regexpExtract)
    const re = compileJavaOrUndefined(pattern)
    if (re === undefined) return inlined(() => null, () => 'null')
    const memo = lastMatchOf(re)
    const one = (s: string): string | null => {
      // the same subject as the last call (a condition and a projection of one row): its match
      if (s !== memo.subject) {
        memo.match = re.exec(s)
        memo.subject = s
      }
      const m = memo.match
      if (m === null || index < 0 || index >= m.length) return null
      return m[index] ?? null
    }
    return inlined(
      (s: string, r: string, i = 0) => (r === pattern && i === index ? one(s) : regexpExtract(s, r, i)),
      ([s], k) => `${k(one)}(${s})`,
    )
  },
})

const overlay = (s: string, r: string, start: number, length: number = r.length): string => {
  if (start <= 0 || start > s.length) return s
  let out = s.slice(0, start - 1) + r
  if (start + length <= s.length && length > 0) out += s.slice(start - 1 + length)
  return out
}

const OVERLAY = simple({
  name: 'OVERLAY',
  forms: [
    ['STRING', 'STRING', 'INTEGER'],
    ['STRING', 'STRING', 'INTEGER', 'INTEGER'],
  ],
  returns: () => STRING(),
  fn: overlay,
})

const hash = (name: string, algorithm: string): FunctionDefinition =>
  simple({ name, forms: [['STRING']], returns: () => DataTypes.CHAR(algorithm === 'md5' ? 32 : algorithm === 'sha1' ? 40 : 64), fn: (s: string) => createHash(algorithm).update(s, 'utf8').digest('hex') })

const SHA2 = simple({
  name: 'SHA2',
  forms: [['STRING', 'INTEGER']],
  returns: () => STRING(),
  nullableResult: true,
  fn: (s: string, bits: number) => {
    const alg = bits === 224 ? 'sha224' : bits === 256 || bits === 0 ? 'sha256' : bits === 384 ? 'sha384' : bits === 512 ? 'sha512' : undefined
    return alg === undefined ? null : createHash(alg).update(s, 'utf8').digest('hex')
  },
})

const chr = (n: number): string => (n < 0 ? '' : String.fromCharCode(n & 0xff))

const ASCII = simple({ name: 'ASCII', forms: [['STRING']], returns: INT(), fn: (s: string) => (s.length === 0 ? 0 : Buffer.from(s[0]!, 'utf8')[0]!) })

const leftRight = (left: boolean): FunctionDefinition =>
  simple({
    name: left ? 'LEFT' : 'RIGHT',
    forms: [['STRING', 'INTEGER']],
    returns: varcharOfFirst,
    fn: (s: string, n: number) => (n <= 0 ? '' : n >= s.length ? s : left ? s.slice(0, n) : s.slice(s.length - n)),
  })

/** Java's `String.split(regex)` (trailing empty strings removed; a limit keeps them). */
const javaSplit = (s: string, regex: string, limit = 0): string[] => {
  const re = cachedJavaRegex(regex, true)
  re.lastIndex = 0
  const out: string[] = []
  let last = 0
  let m: RegExpExecArray | null
  while ((limit <= 0 || out.length < limit - 1) && (m = re.exec(s)) !== null) {
    if (m[0].length === 0) {
      if (m.index >= s.length) break
      if (m.index === 0) {
        re.lastIndex++
        continue
      }
      out.push(s.slice(last, m.index))
      last = m.index
      re.lastIndex++
      continue
    }
    out.push(s.slice(last, m.index))
    last = m.index + m[0].length
  }
  out.push(s.slice(last))
  if (limit === 0) while (out.length > 0 && out[out.length - 1] === '') out.pop()
  return out
}

const strToMap = (text: string, listDelim = ',', kvDelim = '='): Map<string, string | null> => {
  const m = new Map<string, string | null>()
  if (text.length === 0) return m
  for (const pair of javaSplit(text, listDelim)) {
    const kv = javaSplit(pair, kvDelim, 2)
    if (kv.length < 2) m.set(pair, null)
    else m.set(kv[0]!, kv[1]!)
  }
  return m
}

const STR_TO_MAP = simple({
  name: 'STR_TO_MAP',
  forms: [['STRING'], ['STRING', 'STRING', 'STRING']],
  returns: () => DataTypes.MAP(STRING(), STRING()),
  fn: strToMap,
})

// ---------------------------------------------------------------------------------------------
// JSON_VALUE
// ---------------------------------------------------------------------------------------------

type PathStep = string | number

/** Parses a simple JSON path (`$`, `$.a.b`, `$.a[0]`, `$['a b']`); `undefined` when it is not one. */
export const parseJsonPath = (path: string): PathStep[] | undefined => {
  let p = path.trim()
  let lax = true
  if (p.startsWith('lax ')) p = p.slice(4).trim()
  else if (p.startsWith('strict ')) {
    lax = false
    p = p.slice(7).trim()
  }
  void lax
  if (!p.startsWith('$')) return undefined
  const steps: PathStep[] = []
  let i = 1
  while (i < p.length) {
    if (p[i] === '.') {
      const m = /^[A-Za-z_$][\w$]*/.exec(p.slice(i + 1))
      if (m === null) return undefined
      steps.push(m[0])
      i += 1 + m[0].length
    } else if (p[i] === '[') {
      const end = p.indexOf(']', i)
      if (end < 0) return undefined
      const inner = p.slice(i + 1, end).trim()
      if (/^\d+$/.test(inner)) steps.push(Number(inner))
      else if (/^'.*'$/.test(inner) || /^".*"$/.test(inner)) steps.push(inner.slice(1, -1))
      else return undefined
      i = end + 1
    } else return undefined
  }
  return steps
}

const jsonValue = (json: string, path: string): string | null => {
  const steps = parseJsonPath(path)
  if (steps === undefined) return null
  let v: unknown
  try {
    v = JSON.parse(json)
  } catch {
    return null
  }
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return null
    v = typeof s === 'number' ? (Array.isArray(v) ? v[s] : undefined) : Array.isArray(v) ? undefined : (v as Record<string, unknown>)[s]
    if (v === undefined) return null
  }
  if (v === null || typeof v === 'object') return null
  return typeof v === 'string' ? v : String(v)
}

const JSON_VALUE = simple({
  name: 'JSON_VALUE',
  forms: [['STRING', 'STRING']],
  returns: () => STRING(),
  nullableResult: true,
  fn: jsonValue,
})

// ---------------------------------------------------------------------------------------------

const specializeOnce = (fn: (...args: any[]) => unknown): (() => CallImpl) => () => impl(fn)

/** The string functions. */
export const STRING_FUNCTIONS: readonly FunctionDefinition[] = [
  CONCAT_OP,
  CONCAT,
  CONCAT_WS,
  simple({ name: 'UPPER', forms: [['STRING']], returns: sameString, fn: (s: string) => s.toUpperCase(), inline: ([a]) => `${a}.toUpperCase()` }),
  simple({ name: 'LOWER', forms: [['STRING']], returns: sameString, fn: (s: string) => s.toLowerCase(), inline: ([a]) => `${a}.toLowerCase()` }),
  simple({ name: 'INITCAP', forms: [['STRING']], returns: sameString, fn: initcap }),
  simple({ name: 'CHAR_LENGTH', forms: [['STRING']], returns: INT(), fn: (s: string) => s.length, inline: ([a]) => `${a}.length` }),
  simple({ name: 'CHARACTER_LENGTH', forms: [['STRING']], returns: INT(), fn: (s: string) => s.length, inline: ([a]) => `${a}.length` }),
  trimFn('TRIM'),
  trimFn('LTRIM'),
  trimFn('RTRIM'),
  substringFn('SUBSTRING'),
  substringFn('SUBSTR'),
  REPLACE,
  POSITION,
  LOCATE,
  INSTR,
  simple({ name: 'LPAD', forms: [['STRING', 'INTEGER', 'STRING']], returns: () => STRING(), nullableResult: true, fn: pad(true) }),
  simple({ name: 'RPAD', forms: [['STRING', 'INTEGER', 'STRING']], returns: () => STRING(), nullableResult: true, fn: pad(false) }),
  simple({ name: 'REPEAT', forms: [['STRING', 'INTEGER']], returns: () => STRING(), fn: (s: string, n: number) => (n <= 0 ? '' : s.repeat(n)) }),
  simple({ name: 'REVERSE', forms: [['STRING']], returns: varcharOfFirst, fn: reverse }),
  simple({ name: 'SPLIT_INDEX', forms: [['STRING', 'STRING', 'INTEGER']], returns: () => STRING(), nullableResult: true, fn: splitIndex }),
  REGEXP,
  REGEXP_REPLACE,
  REGEXP_EXTRACT,
  OVERLAY,
  hash('MD5', 'md5'),
  hash('SHA1', 'sha1'),
  hash('SHA256', 'sha256'),
  SHA2,
  simple({ name: 'UUID', forms: [[]], returns: DataTypes.CHAR(36, false), deterministic: false, specialize: specializeOnce(() => randomUUID()) }),
  simple({ name: 'TO_BASE64', forms: [['STRING_OR_BINARY']], returns: () => STRING(), fn: (s: string | Uint8Array) => Buffer.from(s as string).toString('base64') }),
  simple({
    name: 'FROM_BASE64',
    forms: [['STRING']],
    returns: () => STRING(),
    nullableResult: true,
    fn: (s: string) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? Buffer.from(s, 'base64').toString('utf8') : null),
  }),
  ASCII,
  simple({ name: 'CHR', forms: [['INTEGER']], returns: DataTypes.CHAR(1), fn: chr }),
  leftRight(true),
  leftRight(false),
  STR_TO_MAP,
  JSON_VALUE,
]
