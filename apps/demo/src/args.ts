import { ConfigError } from '@strom/runtime'
import { DEFAULT_CLICK_STREAM } from './clicks.js'
import type { ClickStreamOptions } from './clicks.js'
import { sessionOptionsFor } from './session-job.js'
import type { SessionJobParams } from './session-job.js'

/**
 * The default `--rate`, clicks per second; also the event-time density with `--rate max`.
 *
 * @category Demo
 * @since 0.1.0
 */
export const DEFAULT_RATE = 200_000

/**
 * The command line of the demo, parsed.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface DemoArgs {
  /** Clicks per second (wall clock), or `'max'` for as fast as the job goes. */
  readonly rate: number | 'max'
  /** The number of users. */
  readonly users: number
  /** The parallelism (above 1: worker threads). */
  readonly parallelism: number
  /** Stop after this many seconds; none to run until Ctrl-C. */
  readonly seconds: number | undefined
  /** Generate this many clicks, then finish (every session ends); none for an endless stream. */
  readonly count: number | undefined
  /** The seed of the click stream. */
  readonly seed: number
  /** Alerts printed per second, at most. */
  readonly sample: number
  /** Ms between checkpoints; 0 for none. */
  readonly checkpointInterval: number
  /** Where checkpoints go (a temporary directory when not set). */
  readonly checkpointDir: string | undefined
  /** `--help`: print the usage and exit. */
  readonly help: boolean
}

/**
 * The usage text.
 *
 * @category Demo
 * @since 0.1.0
 */
export const USAGE = `usage: npm start -- [options]        (or: npx tsx src/main.ts [options] in apps/demo)

Per-user session alerts over an endless stream of generated clicks. Ctrl-C stops it.

  --rate N|max        clicks per second, wall clock (default ${DEFAULT_RATE.toLocaleString('en-US')}); 'max' for as fast
                      as possible (event time then runs at ${DEFAULT_RATE.toLocaleString('en-US')} clicks per second of event time)
  --users N           distinct users (default ${DEFAULT_CLICK_STREAM.users.toLocaleString('en-US')})
  --parallelism N     parallel subtasks; above 1 the job runs on N worker threads (default 1)
  --seconds N         stop after N seconds (default: run until Ctrl-C)
  --count N           generate N clicks and finish: every session ends and is reported
  --seed N            seed of the generated stream (default ${DEFAULT_CLICK_STREAM.seed})
  --sample N          alerts printed per second, at most (default 3; 0 for none)
  --checkpoint-interval N   ms between exactly-once checkpoints of the job's state (default 1000; 0: none)
  --checkpoint-dir DIR      keep checkpoints there: started again with the same DIR, the job resumes
                            from its latest checkpoint (default: a temporary directory)
  --help              this text

Numbers accept 200000, 200_000, 2e5 and 200k (k, m).`

/** Parses `200000`, `200_000`, `2e5`, `200k`, `1.5m`. */
const parseNumber = (flag: string, text: string): number => {
  const m = /^([0-9][0-9_]*(?:\.[0-9]+)?(?:e[0-9]+)?)([kKmM]?)$/.exec(text.trim())
  const n = m === null ? Number.NaN : Number(m[1]!.replaceAll('_', '')) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6)
  if (!Number.isFinite(n)) throw new ConfigError(`${flag} needs a number, got '${text}'.`)
  return n
}

const parseInteger = (flag: string, text: string, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  const n = parseNumber(flag, text)
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new ConfigError(`${flag} needs an integer in [${min.toLocaleString('en-US')}, ${max.toLocaleString('en-US')}], got '${text}'.`)
  return n
}

/**
 * Parses the command line (without the node and script arguments).
 *
 * @remarks
 * Accepts `--flag value` and `--flag=value`.
 *
 * @throws `ConfigError` naming the bad argument, for an unknown flag, a missing or bad value
 * @category Demo
 * @since 0.1.0
 */
export const parseArgs = (argv: readonly string[]): DemoArgs => {
  let rate: number | 'max' = DEFAULT_RATE
  let users = DEFAULT_CLICK_STREAM.users
  let parallelism = 1
  let seconds: number | undefined
  let count: number | undefined
  let seed = DEFAULT_CLICK_STREAM.seed
  let sample = 3
  let checkpointInterval = 1000
  let checkpointDir: string | undefined
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const flag = eq < 0 ? arg : arg.slice(0, eq)
    const value = (): string => {
      const v = eq < 0 ? argv[++i] : arg.slice(eq + 1)
      if (v === undefined || v === '') throw new ConfigError(`${flag} needs a value.`)
      return v
    }
    switch (flag) {
      case '--rate': {
        const v = value()
        if (v === 'max') rate = 'max'
        else {
          rate = parseNumber(flag, v)
          if (!(rate > 0)) throw new ConfigError(`--rate needs a positive number or 'max', got '${v}'.`)
        }
        break
      }
      case '--users':
        users = parseInteger(flag, value(), 1, 10_000_000)
        break
      case '--parallelism':
      case '-p':
        parallelism = parseInteger(flag, value(), 1, 128)
        break
      case '--seconds': {
        const v = value()
        seconds = parseNumber(flag, v)
        if (!(seconds > 0)) throw new ConfigError(`--seconds needs a positive number, got '${v}'.`)
        break
      }
      case '--count':
        count = parseInteger(flag, value(), 0)
        break
      case '--seed':
        seed = parseInteger(flag, value(), 0)
        break
      case '--sample':
        sample = parseInteger(flag, value(), 0, 16)
        break
      case '--checkpoint-interval':
        checkpointInterval = parseInteger(flag, value(), 0)
        break
      case '--checkpoint-dir':
        checkpointDir = value()
        break
      case '--help':
      case '-h':
        help = true
        break
      default:
        throw new ConfigError(`Unknown argument '${arg}'.`)
    }
  }
  return { rate, users, parallelism, seconds, count, seed, sample, checkpointInterval, checkpointDir, help }
}

/**
 * The job parameters for a command line: the default click stream with the given users, seed
 * and rate (event time runs at the rate, or at {@link DEFAULT_RATE} with `--rate max`), and
 * session and burst rules that suit it.
 *
 * @category Demo
 * @since 0.1.0
 */
export const jobParamsFor = (args: DemoArgs): SessionJobParams => {
  const base: ClickStreamOptions = {
    ...DEFAULT_CLICK_STREAM,
    users: args.users,
    seed: args.seed,
    eventsPerSecond: args.rate === 'max' ? DEFAULT_RATE : args.rate,
  }
  const session = sessionOptionsFor(base)
  // users are active for at least 5 session gaps, so most sessions run their full epoch
  const clicks: ClickStreamOptions = { ...base, epochMs: Math.max(base.epochMs, 5 * session.gapMs) }
  return {
    clicks,
    session,
    parallelism: args.parallelism,
    ...(args.rate === 'max' ? {} : { rowsPerSecond: args.rate }),
    ...(args.count === undefined ? {} : { count: args.count }),
    ...(args.checkpointInterval > 0
      ? { checkpoint: { intervalMs: args.checkpointInterval, ...(args.checkpointDir === undefined ? {} : { directory: args.checkpointDir }) } }
      : {}),
    output: 'live',
  }
}
