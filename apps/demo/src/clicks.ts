// The demo's input: a deterministic, endless stream of click events, one per index, with event
// times derived from the index. Worker threads rebuild the generator from the same options, so
// everything here is a pure function of (options, index).

/**
 * A click of a user on a page, at an event time.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface Click {
  /** The user who clicked, e.g. `u00042`. */
  readonly user: string
  /** The page clicked, e.g. `/product/7`. */
  readonly page: string
  /** The event time of the click, in ms since the start of the stream (event time 0). */
  readonly ts: number
}

/**
 * How the click stream is generated.
 *
 * @remarks
 * Event time: click `i` happens at `floor(i × 1000 / eventsPerSecond)` ms, minus a jitter of
 * `0..maxOutOfOrdernessMs` ms, so clicks arrive out of order by at most `maxOutOfOrdernessMs`
 * (a watermark strategy with the same bound sees none of them late). Event time is simulated: it
 * does not depend on how fast the job runs.
 *
 * Users: each click belongs to one of {@link ACTIVITY_PHASES} phases, and each phase cuts event
 * time into epochs of `epochMs`, phase `k` shifted by `k / ACTIVITY_PHASES` of an epoch. In each
 * epoch of a phase, a pseudo-random range of users (a quarter of them over all phases) is active
 * and shares the phase's clicks evenly: a user clicks in bouts and falls silent in between, and
 * with staggered phases some sessions end all the time. In each epoch one user is a bot that
 * makes `botPerMillion` of all clicks, on top of its normal ones: bursts.
 *
 * Late clicks: `latePerMillion` of the clicks are delivered `lateByMs` after their event time (their
 * timestamp is that much older than their neighbours'), which normally puts them behind the
 * watermark. Set it to 0 for a stream without late data.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface ClickStreamOptions {
  /** The number of users, `u0` … `u(users-1)` (zero-padded). */
  readonly users: number
  /** Clicks per second of event time. */
  readonly eventsPerSecond: number
  /** Seeds every pseudo-random choice; the same seed gives the same stream. */
  readonly seed: number
  /** The most a click's timestamp lies below the latest one before it, in ms. */
  readonly maxOutOfOrdernessMs: number
  /** The length of a user activity period, in ms of event time. */
  readonly epochMs: number
  /** Clicks per million made by the epoch's bot. */
  readonly botPerMillion: number
  /** Clicks per million delivered late. */
  readonly latePerMillion: number
  /** How much older than its neighbours a late click is, in ms. */
  readonly lateByMs: number
}

/**
 * The stream the demo runs by default (with `eventsPerSecond` and `users` from the command line).
 *
 * @category Demo
 * @since 0.1.0
 */
export const DEFAULT_CLICK_STREAM: ClickStreamOptions = {
  users: 10_000,
  eventsPerSecond: 200_000,
  seed: 42,
  maxOutOfOrdernessMs: 250,
  epochMs: 5_000,
  botPerMillion: 10_000,
  latePerMillion: 50,
  lateByMs: 10_000,
}

const PAGES: readonly string[] = [
  '/',
  '/search',
  '/cart',
  '/checkout',
  '/account',
  '/help',
  ...Array.from({ length: 14 }, (_, k) => `/product/${k + 1}`),
]

/** A 32-bit avalanche hash (lowbias32): every input bit flips each output bit with probability ~1/2. */
const mix32 = (x: number): number => {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d)
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b)
  return (x ^ (x >>> 16)) >>> 0
}

const TWO_32 = 4_294_967_296

/** The hash of a (safe integer) index under a seed. */
const hashIndex = (i: number, seed: number): number => mix32((i % TWO_32) ^ mix32(Math.floor(i / TWO_32) ^ mix32(seed)))

/**
 * The number of staggered activity schedules users follow (see {@link ClickStreamOptions}).
 *
 * @category Demo
 * @since 0.1.0
 */
export const ACTIVITY_PHASES = 5

/**
 * How many users are active in an epoch of one phase: a quarter of them over all phases, at
 * least one per phase.
 *
 * @category Demo
 * @since 0.1.0
 */
export const activeUsersPerEpoch = (o: ClickStreamOptions): number => Math.max(1, Math.floor(o.users / (4 * ACTIVITY_PHASES)))

/**
 * The clicks an active, non-bot user makes on average in `windowMs` of event time.
 *
 * @category Demo
 * @since 0.1.0
 */
export const expectedClicksPerUser = (o: ClickStreamOptions, windowMs: number): number =>
  ((o.eventsPerSecond * (1 - o.botPerMillion / 1e6)) / ACTIVITY_PHASES / activeUsersPerEpoch(o)) * (windowMs / 1000)

/**
 * Checks the options and throws a `RangeError` naming the first bad one.
 *
 * @category Demo
 * @since 0.1.0
 */
export const validateClickStream = (o: ClickStreamOptions): void => {
  const check = (ok: boolean, what: string, value: number): void => {
    if (!ok) throw new RangeError(`The click stream needs ${what}, got ${value}.`)
  }
  check(Number.isSafeInteger(o.users) && o.users >= 1 && o.users <= 10_000_000, 'users to be an integer in [1, 10,000,000]', o.users)
  check(Number.isFinite(o.eventsPerSecond) && o.eventsPerSecond > 0, 'eventsPerSecond > 0', o.eventsPerSecond)
  check(Number.isSafeInteger(o.seed), 'an integer seed', o.seed)
  check(Number.isSafeInteger(o.maxOutOfOrdernessMs) && o.maxOutOfOrdernessMs >= 0, 'maxOutOfOrdernessMs to be an integer >= 0', o.maxOutOfOrdernessMs)
  check(Number.isSafeInteger(o.epochMs) && o.epochMs >= 1, 'epochMs to be an integer >= 1', o.epochMs)
  check(Number.isSafeInteger(o.botPerMillion) && o.botPerMillion >= 0 && o.botPerMillion < 1e6, 'botPerMillion in [0, 1e6)', o.botPerMillion)
  check(Number.isSafeInteger(o.latePerMillion) && o.latePerMillion >= 0 && o.latePerMillion <= 1e6, 'latePerMillion in [0, 1e6]', o.latePerMillion)
  check(Number.isSafeInteger(o.lateByMs) && o.lateByMs >= 0, 'lateByMs to be an integer >= 0', o.lateByMs)
}

/**
 * The generator of a click stream: index -> click, a pure function of the options and the index.
 *
 * @remarks
 * Made once per source subtask; it keeps a table of the user names, so every click of a user
 * shares one string. Each call allocates only the click.
 *
 * @param o - the stream's options (see {@link ClickStreamOptions})
 * @throws `RangeError` for invalid options
 * @category Demo
 * @since 0.1.0
 */
export const clickGenerator = (o: ClickStreamOptions): ((index: number) => Click) => {
  validateClickStream(o)
  const { users, eventsPerSecond, seed, epochMs, botPerMillion, latePerMillion, lateByMs } = o
  const jitterRange = o.maxOutOfOrdernessMs + 1
  const width = String(users - 1).length
  const names = Array.from({ length: users }, (_, k) => `u${String(k).padStart(width, '0')}`)
  const active = activeUsersPerEpoch(o)
  const botSeed = mix32(seed ^ 0x5bd1e995)
  const offsetSeed = mix32(seed ^ 0x1b873593)
  const phaseShift = Array.from({ length: ACTIVITY_PHASES }, (_, k) => Math.floor((k * epochMs) / ACTIVITY_PHASES))
  return (i: number): Click => {
    const h = hashIndex(i, seed)
    const onTime = Math.floor((i * 1000) / eventsPerSecond)
    const h2 = mix32(h + 1)
    let user: number
    if (h2 % 1_000_000 < botPerMillion) user = mix32(Math.floor(onTime / epochMs) ^ botSeed) % users
    else {
      const phase = mix32(h + 5) % ACTIVITY_PHASES
      const epoch = Math.floor((onTime + phaseShift[phase]!) / epochMs)
      user = (mix32(epoch ^ offsetSeed ^ mix32(phase)) + (mix32(h + 2) % active)) % users
    }
    let ts = onTime - (h % jitterRange)
    if (mix32(h + 3) % 1_000_000 < latePerMillion) ts -= lateByMs
    return { user: names[user]!, page: PAGES[mix32(h + 4) % PAGES.length]!, ts: ts < 0 ? 0 : ts }
  }
}
