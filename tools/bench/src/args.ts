/** The command line of `npm run bench`. */
export interface BenchArgs {
  readonly scenarios: readonly string[]
  /** Events per run; `undefined` for each scenario's default. */
  readonly events: number | undefined
  readonly keys: number | undefined
  readonly rounds: number
  readonly warmup: number
  readonly parallel: boolean
  /** Only these implementations (by id), e.g. for profiling one; empty for all. */
  readonly only: readonly string[]
  readonly json: boolean
  readonly help: boolean
}

/** Events per run of the scenarios that do not set their own default. */
export const DEFAULT_EVENTS = 5_000_000

/** A mistake on the command line: reported with its message only. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export const usage = (scenarios: readonly string[]): string => `usage: npm run bench -- [options] [SCENARIO...]

  SCENARIO, --scenario NAME
                    run this scenario (repeatable; default: all). Scenarios: ${scenarios.join(', ')}
  --events N        events per run (default ${DEFAULT_EVENTS.toLocaleString('en-US')}, checkpoints 20,000,000; accepts 5e6, 5_000_000, 5m, 500k)
  --keys K          distinct keys (default: the scenario's)
  --rounds R        measured rounds, the median is reported (default 5)
  --warmup W        warm-up rounds, not reported (default 1)
  --no-parallel     skip the worker-thread (parallelism 2) runs
  --only ID[,ID]    run only these implementations, e.g. to profile one:
                    node --cpu-prof --import tsx src/main.ts keyed-sum --only engine
                    keyed-sum: hand, engine, rxjs, engine-p1-worker, engine-p2
                    windows: hand-tumbling, engine-tumbling, hand-sliding, engine-sliding
                    checkpoints: hand, hand-cp, heap, heap-cp, lmdb, lmdb-cp, state-hand, state-heap, state-lmdb
  --json            print machine-readable JSON on stdout (progress goes to stderr)
  --help            this text`

/** Parses `5000000`, `5_000_000`, `5e6`, `5m`, `500k` into a non-negative integer. */
export const parseCount = (text: string, what: string): number => {
  const m = /^([0-9][0-9_]*(?:\.[0-9]+)?(?:e[0-9]+)?)([kKmM]?)$/.exec(text.trim())
  const base = m === null ? Number.NaN : Number(m[1]!.replaceAll('_', ''))
  const n = m === null ? Number.NaN : base * (m[2]!.toLowerCase() === 'k' ? 1e3 : m[2]!.toLowerCase() === 'm' ? 1e6 : 1)
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${what} must be a non-negative integer, got '${text}'.`)
  return n
}

export const parseArgs = (argv: readonly string[]): BenchArgs => {
  const scenarios: string[] = []
  let events: number | undefined
  let keys: number | undefined
  let rounds = 5
  let warmup = 1
  let parallel = true
  const only: string[] = []
  let json = false
  let help = false
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    const value = (): string => {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new UsageError(`${flag} needs a value.`)
      return v
    }
    switch (flag) {
      case '--scenario':
        scenarios.push(value())
        break
      case '--events':
        events = parseCount(value(), '--events')
        break
      case '--keys':
        keys = parseCount(value(), '--keys')
        if (keys === 0) throw new UsageError('--keys must be at least 1.')
        break
      case '--rounds':
        rounds = parseCount(value(), '--rounds')
        if (rounds === 0) throw new UsageError('--rounds must be at least 1.')
        break
      case '--warmup':
        warmup = parseCount(value(), '--warmup')
        break
      case '--no-parallel':
        parallel = false
        break
      case '--only':
        only.push(...value().split(',').filter((x) => x !== ''))
        break
      case '--json':
        json = true
        break
      case '--help':
      case '-h':
        help = true
        break
      default:
        if (!flag.startsWith('-')) {
          scenarios.push(flag)
          break
        }
        throw new UsageError(`Unknown argument '${arg}'; see --help.`)
    }
  }
  return { scenarios, events, keys, rounds, warmup, parallel, only, json, help }
}
