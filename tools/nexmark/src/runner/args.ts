/**
 * The command line of `npm run nexmark`.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { NEXMARK_QUERIES, type NexmarkQuery } from '../sql/queries.js'

/**
 * Which layer runs a query.
 *
 * @category Runner
 * @since 0.1.0
 */
export type NexmarkApi = 'sql' | 'datastream' | 'loop'

/**
 * A benchmark run's settings.
 *
 * @category Runner
 * @since 0.1.0
 */
export interface NexmarkRunArgs {
  readonly queries: readonly NexmarkQuery[]
  readonly apis: readonly NexmarkApi[]
  /** Events per query run. */
  readonly events: number
  readonly parallelism: number
  /** Exactly-once checkpoint interval in ms, or undefined for none. */
  readonly checkpointMs: number | undefined
  /** Latency mode: the generator's fixed rate in events/s; undefined for a throughput run. */
  readonly latencyRate: number | undefined
  /** Seconds a latency run lasts. */
  readonly latencySeconds: number
  /** Print one JSON line per result instead of a table. */
  readonly json: boolean
}

/** The queries the DataStream API versions exist for. */
export const DATASTREAM_QUERIES: readonly NexmarkQuery[] = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']

/** The queries latency mode measures (a projection and a windowed join with many rows per window), unless `--query` names others; q0, q1, q7 and q8 can be measured. */
export const LATENCY_QUERIES: readonly NexmarkQuery[] = ['q1', 'q8']

/**
 * The usage text.
 *
 * @category Runner
 * @since 0.1.0
 */
export const USAGE = `npm run nexmark -- [options]

  --query q5[,q7...]     queries to run (default: all; q0-q22), 'all'
  --api sql|datastream|both
                         which layer runs them (default sql; datastream exists for q0-q8)
  --events N             events per query (default 10000000; 10M, 1e7 and 10_000_000 are accepted)
  --parallelism P        parallelism of the job (default 1)
  --checkpoint 10s       exactly-once checkpoints at this interval (default: none)
  --latency              latency mode: a fixed event rate, p50/p99/max latency (default q1, q8)
  --rate R               the latency mode's rate in events/s (default 100000)
  --seconds S            how long a latency run lasts (default 60)
  --json                 one JSON line per result
`

/** Parses a count: `10000000`, `10_000_000`, `1e7`, `10M`, `500k`. */
const count = (flag: string, text: string): E.Either<string, number> => {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmMgG]?)$/.exec(text.replaceAll('_', ''))
  if (m === null) return E.left(`${flag} expects a number such as 10000000, 1e7 or 10M, got '${text}'.`)
  const factor = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g']
  const n = Number(m[1]) * factor
  return Number.isSafeInteger(n) && n > 0 ? E.right(n) : E.left(`${flag} expects a positive whole number, got '${text}'.`)
}

/** Parses a duration: `10s`, `500ms`, `1min`, or ms. */
const duration = (flag: string, text: string): E.Either<string, number> => {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|m)?$/.exec(text)
  if (m === null) return E.left(`${flag} expects a duration such as 10s, 500ms or 1min, got '${text}'.`)
  const unit = m[2] ?? 'ms'
  return E.right(Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000))
}

/**
 * Parses the arguments after `npm run nexmark --`, reporting every problem at once.
 *
 * @category Runner
 * @since 0.1.0
 */
export const parseArgs = (argv: readonly string[]): E.Either<readonly string[], NexmarkRunArgs> => {
  const problems: string[] = []
  let queries: NexmarkQuery[] | undefined
  let apis: NexmarkApi[] = ['sql']
  let events = 10_000_000
  let parallelism = 1
  let checkpointMs: number | undefined
  let latency = false
  let rate = 100_000
  let seconds = 60
  let json = false
  const take = <A>(r: E.Either<string, A>, set: (a: A) => void): void => {
    if (E.isLeft(r)) problems.push(r.left)
    else set(r.right)
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string | undefined => {
      if (inline !== undefined) return inline
      const v = argv[i + 1]
      if (v === undefined || v.startsWith('--')) {
        problems.push(`${flag} needs a value.`)
        return undefined
      }
      i++
      return v
    }
    const parsed = <A>(parse: (flag: string, text: string) => E.Either<string, A>, set: (a: A) => void): void => {
      const v = value()
      if (v !== undefined) take(parse(flag, v), set)
    }
    switch (flag) {
      case '--query':
      case '--queries': {
        const names = (value() ?? '')
          .split(',')
          .map((q) => q.trim().toLowerCase())
          .filter((q) => q.length > 0)
        if (names.includes('all')) queries = [...NEXMARK_QUERIES]
        else {
          queries = []
          for (const q of names) {
            if ((NEXMARK_QUERIES as readonly string[]).includes(q)) queries.push(q as NexmarkQuery)
            else problems.push(`Unknown query '${q}': the suite has ${NEXMARK_QUERIES[0]}-${NEXMARK_QUERIES[NEXMARK_QUERIES.length - 1]}.`)
          }
        }
        break
      }
      case '--api': {
        const v = value()
        if (v === 'sql' || v === 'datastream') apis = [v]
        else if (v === 'both') apis = ['sql', 'datastream']
        else if (v !== undefined) problems.push(`--api expects sql, datastream or both, got '${v}'.`)
        break
      }
      case '--events':
        parsed(count, (n) => (events = n))
        break
      case '--parallelism':
      case '-p':
        parsed(count, (n) => (parallelism = n))
        break
      case '--checkpoint':
        parsed(duration, (ms) => (checkpointMs = ms))
        break
      case '--latency':
        latency = true
        break
      case '--rate':
        parsed(count, (n) => (rate = n))
        latency = true
        break
      case '--seconds':
        parsed(count, (n) => (seconds = n))
        break
      case '--json':
        json = true
        break
      default:
        problems.push(`Unknown option '${arg}'.`)
    }
  }
  const chosen = queries ?? (latency ? [...LATENCY_QUERIES] : [...NEXMARK_QUERIES])
  if (apis.length === 1 && apis[0] === 'datastream') {
    const missing = chosen.filter((q) => !DATASTREAM_QUERIES.includes(q))
    if (queries !== undefined && missing.length > 0) problems.push(`The DataStream API versions exist for q0-q8 only, not ${missing.join(', ')}.`)
  }
  return problems.length > 0
    ? E.left(problems)
    : E.right({ queries: apis.includes('sql') ? chosen : chosen.filter((q) => DATASTREAM_QUERIES.includes(q)), apis, events, parallelism, checkpointMs, latencyRate: latency ? rate : undefined, latencySeconds: seconds, json })
}
