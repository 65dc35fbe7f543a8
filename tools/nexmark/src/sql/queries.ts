/**
 * The Nexmark SQL suite: the published DDL, views and queries q0-q22, with their placeholders
 * filled in, ready for a `TableEnvironment` that knows the `nexmark` connector.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs'

/** Where the published texts live (libs/table's parser fixtures, copied verbatim from `nexmark/nexmark`). */
const QUERY_DIR = new URL('../../../../libs/table/src/sql/fixtures/nexmark/', import.meta.url)

/**
 * The query names of the suite.
 *
 * @category SQL
 * @since 0.1.0
 */
export const NEXMARK_QUERIES = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10', 'q11', 'q12', 'q13', 'q14', 'q15', 'q16', 'q17', 'q18', 'q19', 'q20', 'q21', 'q22'] as const

/**
 * A query name of the suite.
 *
 * @category SQL
 * @since 0.1.0
 */
export type NexmarkQuery = (typeof NEXMARK_QUERIES)[number]

/**
 * The generator settings of a SQL run (the placeholders of the published DDL).
 *
 * @category SQL
 * @since 0.1.0
 */
export interface NexmarkSqlSettings {
  /** `events.num`: the number of events, 0 for endless. */
  readonly events: number
  /** `first-event.rate` / `next-event.rate`: events per second of event time (default 10 000, the reference's `TPS`). */
  readonly eventsPerSecond?: number
  /** Emit at `eventsPerSecond` of wall time instead of as fast as possible (latency runs). */
  readonly rateLimited?: boolean
  /** The event time of the first event, epoch ms (`'base-time'`; default the generator's fixed 2015-07-15). */
  readonly baseTime?: number
  /** Stamp events with the wall-clock time they are generated at (latency runs; `'wall-clock-time'`). */
  readonly wallClockTime?: boolean
  /** A directory for the queries that write or read files (q10's output, q13's side input); default the OS temporary directory. */
  readonly directory?: string
}

/**
 * Splits a SQL script into statements at the semicolons that end them (outside quotes and comments).
 *
 * @category SQL
 * @since 0.1.0
 */
export const splitStatements = (script: string): string[] => {
  const out: string[] = []
  let start = 0
  let i = 0
  const push = (end: number): void => {
    const s = script.slice(start, end).trim()
    if (s.replace(/--[^\n]*/g, '').trim().length > 0) out.push(s)
  }
  while (i < script.length) {
    const c = script[i]!
    if (c === '-' && script[i + 1] === '-') {
      const nl = script.indexOf('\n', i)
      i = nl < 0 ? script.length : nl + 1
    } else if (c === "'" || c === '`' || c === '"') {
      const close = script.indexOf(c, i + 1)
      i = close < 0 ? script.length : close + 1
    } else if (c === ';') {
      push(i)
      start = ++i
    } else i++
  }
  push(script.length)
  return out
}

/** A published file's text. */
export const publishedText = (file: string): string => readFileSync(new URL(file, QUERY_DIR), 'utf8')

/**
 * The source table `datagen` (Nexmark 0.2's `ddl_gen_v2.sql`: bids with `channel` and `url`) and
 * the views `person`, `auction` and `bid` (`ddl_views.sql`), for `settings`.
 *
 * @remarks
 * The published DDL is used as it is, except its `keep-alive` and `stop-at` options, which only
 * steer the reference's job runner (keep an exhausted source alive; stop at a wall-clock time),
 * and `max-emit-speed`, which a latency run turns off to emit at the configured rate. The `bid`
 * view selects `bid.channel` and `bid.url` too, as the latest published `ddl_views.sql` does (the
 * fixture is the earlier version; q16-q22 need the two columns).
 *
 * @category SQL
 * @since 0.1.0
 */
export const nexmarkSetupStatements = (settings: NexmarkSqlSettings): string[] => {
  const tps = String(settings.eventsPerSecond ?? 10000)
  const ddl = publishedText('ddl_gen_v2.sql')
    .replaceAll('${TPS}', tps)
    .replace('${EVENTS_NUM}', String(settings.events))
    .replace('${PERSON_PROPORTION}', '1')
    .replace('${AUCTION_PROPORTION}', '3')
    .replace('${BID_PROPORTION}', '46')
    .replace(/,\s*'keep-alive'\s*=\s*'[^']*'/, '')
    .replace(/,\s*'stop-at'\s*=\s*'[^']*'/, '')
    .replace(/'max-emit-speed'\s*=\s*'true'/, `'max-emit-speed' = '${settings.rateLimited === true ? 'false' : 'true'}'${settings.baseTime === undefined ? '' : `,\n    'base-time' = '${settings.baseTime}'`}${settings.wallClockTime === true ? `,\n    'wall-clock-time' = 'true'` : ''}`)
  const views = publishedText('ddl_views.sql')
    .replaceAll('${NEXMARK_TABLE}', 'datagen')
    .replace(/bid\.price,(\s*)dateTime/, 'bid.price,$1bid.channel,$1bid.url,$1dateTime')
  return [...splitStatements(ddl), ...splitStatements(views)]
}

/**
 * The statements of a query (its sink tables, views and the final `INSERT`), placeholders filled.
 *
 * @category SQL
 * @since 0.1.0
 */
export const nexmarkQueryStatements = (query: NexmarkQuery, settings: NexmarkSqlSettings): string[] => {
  const dir = settings.directory ?? '/tmp/strom-nexmark'
  return splitStatements(
    publishedText(`${query}.sql`)
      .replaceAll('${NEXMARK_DIR}', dir)
      .replaceAll('${SUBMIT_TIME}', 'run')
      .replaceAll('${FLINK_HOME}', dir),
  )
}
