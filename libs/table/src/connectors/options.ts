/**
 * Reading and checking the `WITH` options of a table: which options a connector or format knows,
 * and the typed values of options (integers, booleans, durations, memory sizes) parsed as Flink
 * parses them.
 *
 * @remarks
 * Construction-time code: every problem is collected (each naming its option), so a `CREATE
 * TABLE` with three mistakes reports three problems at once.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import type { OptionProblem } from './table-connector.js'

/** The option that names a table's connector. */
export const CONNECTOR_OPTION = 'connector'

// --- option patterns ----------------------------------------------------------------------

/**
 * Whether an option key matches a declared option: an exact key (`'path'`), a key with `#`
 * standing for any name (`'fields.#.kind'` matches `'fields.id.kind'`), or a prefix ending with
 * `.` (`'properties.'` matches every key that starts with it).
 *
 * @category Connectors
 * @since 0.1.0
 */
export const optionMatches = (pattern: string, key: string): boolean => {
  if (pattern.endsWith('.')) return key.startsWith(pattern) && key.length > pattern.length
  const hash = pattern.indexOf('#')
  if (hash < 0) return pattern === key
  const before = pattern.slice(0, hash)
  const after = pattern.slice(hash + 1)
  return key.length > before.length + after.length && key.startsWith(before) && key.endsWith(after)
}

/**
 * Checks a table's options against what a connector declares: every required option is set,
 * and every option set is a required or optional one (or `connector`).
 *
 * @remarks
 * Messages as Flink's: `Missing required option 'path' for connector 'filesystem'.` and
 * `Unsupported option 'x' for connector 'y'; supported: a, b, c.` (the supported options sorted,
 * `connector` included). Returns no problem when all is well.
 *
 * @param identifier - the connector's identifier, named in the messages
 * @param options - the table's options
 * @param required - options that must be set
 * @param optional - options that may be set (patterns, see {@link optionMatches})
 * @category Connectors
 * @since 0.1.0
 */
export const validateOptions = (
  identifier: string,
  options: ReadonlyMap<string, string>,
  required: readonly string[],
  optional: readonly string[],
): OptionProblem[] => {
  const problems: OptionProblem[] = []
  for (const key of required) {
    if (!options.has(key)) problems.push({ option: key, message: `Missing required option '${key}' for connector '${identifier}'.` })
  }
  const known = [CONNECTOR_OPTION, ...required, ...optional]
  for (const key of options.keys()) {
    if (known.some((p) => optionMatches(p, key))) continue
    problems.push({ option: key, message: unsupportedOptionMessage(key, identifier, known) })
  }
  return problems
}

/** `Unsupported option 'x' for connector 'y'; supported: a, b, c.` */
export const unsupportedOptionMessage = (key: string, identifier: string, supported: readonly string[]): string =>
  `Unsupported option '${key}' for connector '${identifier}'; supported: ${[...new Set(supported)].sort().join(', ')}.`

// --- typed values -------------------------------------------------------------------------

const DURATION_UNITS: ReadonlyMap<string, number> = new Map([
  ...['d', 'day', 'days'].map((u) => [u, 86_400_000] as const),
  ...['h', 'hour', 'hours'].map((u) => [u, 3_600_000] as const),
  ...['min', 'm', 'minute', 'minutes'].map((u) => [u, 60_000] as const),
  ...['s', 'sec', 'secs', 'second', 'seconds'].map((u) => [u, 1000] as const),
  ...['ms', 'milli', 'millis', 'millisecond', 'milliseconds'].map((u) => [u, 1] as const),
  ...['µs', 'us', 'micro', 'micros', 'microsecond', 'microseconds'].map((u) => [u, 0.001] as const),
  ...['ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds'].map((u) => [u, 0.000001] as const),
])

const ISO_DURATION = /^p(?:(\d+)d)?(?:t(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?)?$/

/**
 * A duration in milliseconds, as Flink's `TimeUtils.parseDuration` reads it: a non-negative
 * integer and a unit (`'10 s'`, `'1min'`, `'500ms'`, `'2 h'`, `'1d'`; `m` is minutes; no unit means
 * milliseconds; case-insensitive), or an ISO-8601 duration (`'PT10S'`). Undefined when the text is
 * none of these.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const parseDuration = (text: string): number | undefined => {
  const s = text.trim().toLowerCase()
  if (s === '') return undefined
  if (s.startsWith('p')) {
    const m = ISO_DURATION.exec(s)
    if (m === null || s === 'p' || s.endsWith('t')) return undefined
    return Number(m[1] ?? 0) * 86_400_000 + Number(m[2] ?? 0) * 3_600_000 + Number(m[3] ?? 0) * 60_000 + Math.round(Number(m[4] ?? 0) * 1000)
  }
  let i = 0
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++
  if (i === 0) return undefined
  const amount = Number(s.slice(0, i))
  const unit = s.slice(i).trim()
  if (unit === '') return amount
  const factor = DURATION_UNITS.get(unit)
  return factor === undefined ? undefined : amount * factor
}

const MEMORY_UNITS: ReadonlyMap<string, number> = new Map([
  ...['b', 'bytes'].map((u) => [u, 1] as const),
  ...['k', 'kb', 'kibibytes'].map((u) => [u, 1024] as const),
  ...['m', 'mb', 'mebibytes'].map((u) => [u, 1024 ** 2] as const),
  ...['g', 'gb', 'gibibytes'].map((u) => [u, 1024 ** 3] as const),
  ...['t', 'tb', 'tebibytes'].map((u) => [u, 1024 ** 4] as const),
])

/**
 * A memory size in bytes, as Flink's `MemorySize.parse` reads it: a non-negative integer and a
 * binary unit (`'128mb'`, `'64 kb'`, `'1g'`, `'512 bytes'`; no unit means bytes;
 * case-insensitive). Undefined when the text is not one.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const parseMemorySize = (text: string): number | undefined => {
  const s = text.trim().toLowerCase()
  let i = 0
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++
  if (i === 0) return undefined
  const amount = Number(s.slice(0, i))
  const unit = s.slice(i).trim()
  if (unit === '') return amount
  const factor = MEMORY_UNITS.get(unit)
  return factor === undefined ? undefined : amount * factor
}

const INTEGER_TEXT = /^[+-]?\d+$/
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * Reads typed option values, collecting a problem for each value that does not parse.
 *
 * @remarks
 * Each getter returns the value, the default when the option is not set, or `undefined` (and
 * records a problem naming the option) when it is set to something that does not parse. Messages
 * follow Flink's: `Could not parse value 'abc' for option 'rows-per-second': expected an integer.`
 *
 * @category Connectors
 * @since 0.1.0
 */
export class OptionReader {
  /** The problems found so far. */
  readonly problems: OptionProblem[] = []

  /**
   * @param identifier - the connector or format whose options these are, named in messages
   * @param options - the table's options
   */
  constructor(
    readonly identifier: string,
    readonly options: ReadonlyMap<string, string>,
  ) {}

  /** Records a problem with an option. */
  problem(option: string | undefined, message: string): void {
    this.problems.push(option === undefined ? { message } : { option, message })
  }

  /** Whether the option is set. */
  has(key: string): boolean {
    return this.options.has(key)
  }

  /** The option's text, or `fallback`. */
  string(key: string): string | undefined
  string(key: string, fallback: string): string
  string(key: string, fallback?: string): string | undefined {
    return this.options.get(key) ?? fallback
  }

  /** The option's text; a problem when it is missing. */
  required(key: string): string | undefined {
    const v = this.options.get(key)
    if (v === undefined) this.problem(key, `Missing required option '${key}' for connector '${this.identifier}'.`)
    return v
  }

  /** An integer option in `[min, max]` (default: Java's int range), as Flink's `intType()`. */
  int(key: string, fallback?: number, min = -2147483648, max = 2147483647): number | undefined {
    return this.integer(key, fallback, min, max)
  }

  /** An integer option in `[min, max]` (default: the safe integers), as Flink's `longType()`. */
  long(key: string, fallback?: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number | undefined {
    return this.integer(key, fallback, min, max)
  }

  /** A floating-point option in `[min, max]`, as Flink's `floatType()`/`doubleType()`. */
  number(key: string, fallback?: number, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    const t = text.trim()
    const v = NUMBER_TEXT.test(t) ? Number(t) : Number.NaN
    if (Number.isNaN(v)) return this.unparsable(key, text, 'a number')
    if (v < min || v > max) return this.outOfRange(key, text, min, max)
    return v
  }

  /** A boolean option: `true` or `false`, case-insensitive, as Flink's `booleanType()`. */
  boolean(key: string, fallback?: boolean): boolean | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    const t = text.trim().toLowerCase()
    if (t === 'true') return true
    if (t === 'false') return false
    return this.unparsable(key, text, "'true' or 'false'")
  }

  /** A duration option in milliseconds (see {@link parseDuration}). */
  duration(key: string, fallback?: number): number | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    const v = parseDuration(text)
    return v === undefined ? this.unparsable(key, text, "a duration such as '10 s', '1 min' or '500 ms'") : v
  }

  /** A memory size option in bytes (see {@link parseMemorySize}). */
  memorySize(key: string, fallback?: number): number | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    const v = parseMemorySize(text)
    return v === undefined ? this.unparsable(key, text, "a memory size such as '128mb', '64 kb' or '1gb'") : v
  }

  /** An option that takes one of `values` (case-insensitive; the value as listed is returned). */
  oneOf<V extends string>(key: string, values: readonly V[], fallback?: V): V | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    const found = values.find((v) => v.toLowerCase() === text.trim().toLowerCase())
    if (found !== undefined) return found
    return this.unparsable(key, text, `one of ${values.map((v) => `'${v}'`).join(', ')}`)
  }

  /** A one-character option (`'\t'` written as backslash-t is a tab, as in Flink's CSV options). */
  char(key: string, fallback?: string): string | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    if (text === '\\t') return '\t'
    if (text.length === 1) return text
    this.problem(key, `Option '${key}' must be a string with a single character, but was: ${text}`)
    return undefined
  }

  /** `value` when no problem was found, else the problems. */
  result<T>(value: () => T): E.Either<readonly OptionProblem[], T> {
    return this.problems.length > 0 ? E.left(this.problems) : E.right(value())
  }

  private integer(key: string, fallback: number | undefined, min: number, max: number): number | undefined {
    const text = this.options.get(key)
    if (text === undefined) return fallback
    const t = text.trim()
    if (!INTEGER_TEXT.test(t)) return this.unparsable(key, text, 'an integer')
    const v = Number(t)
    if (v < min || v > max) return this.outOfRange(key, text, min, max)
    return v
  }

  private unparsable(key: string, text: string, expected: string): undefined {
    this.problem(key, `Could not parse value '${text}' for option '${key}': expected ${expected}.`)
    return undefined
  }

  private outOfRange(key: string, text: string, min: number, max: number): undefined {
    const range = min === 0 && max >= Number.MAX_SAFE_INTEGER ? 'a non-negative number' : min === 1 && max >= Number.MAX_SAFE_INTEGER ? 'a positive number' : `between ${min} and ${max}`
    this.problem(key, `The value '${text}' of option '${key}' is out of range: expected ${range}.`)
    return undefined
  }
}
