import {
  DataGenSource,
  Duration,
  EventTimeSessionWindows,
  OutputTag,
  ProcessWindowFunction,
  WatermarkStrategy,
  type Collector,
  type DataStream,
  type SingleOutputStreamOperator,
  type StreamExecutionEnvironment,
  type TimeWindow,
  type WatermarkGenerator,
} from '@strom/datastream'
import { DEFAULT_CLICK_OPTIONS, MAX_DISORDER_MS, click, type Click, type ClickOptions } from './clicks.js'

/** A session closes after this much event time without a click of its user. */
export const SESSION_GAP_MS = Duration.ofMinutes(30)
/** How long after a session closed a late click still updates it (a late firing). */
export const ALLOWED_LATENESS_MS = Duration.ofMinutes(5)

/** One user's session. */
export interface Session {
  readonly user: string
  readonly start: number
  readonly end: number
  readonly clicks: number
  /** The distinct pages viewed, sorted. */
  readonly pages: readonly string[]
}

/** Clicks that arrived after their session had closed for good (end + allowed lateness). */
export const lateClicks = new OutputTag<Click>('late-clicks')

interface Acc {
  clicks: number
  pages: string[]
}

/** Counts clicks and distinct pages incrementally; sessions that merge merge their accumulators. */
export const sessionStats = {
  createAccumulator: (): Acc => ({ clicks: 0, pages: [] }),
  add: (c: Click, acc: Acc): Acc => {
    acc.clicks++
    if (!acc.pages.includes(c.url)) acc.pages.push(c.url)
    return acc
  },
  getResult: (acc: Acc): Acc => acc,
  merge: (a: Acc, b: Acc): Acc => {
    a.clicks += b.clicks
    for (const p of b.pages) if (!a.pages.includes(p)) a.pages.push(p)
    return a
  },
}

/** Adds the user and the session's bounds. */
class ToSession extends ProcessWindowFunction<Acc, Session, string, TimeWindow> {
  process(user: string, ctx: ProcessWindowFunction.Context<TimeWindow>, stats: Iterable<Acc>, out: Collector<Session>): void {
    for (const s of stats) out.collect({ user, start: ctx.window.start, end: ctx.window.end, clicks: s.clicks, pages: [...s.pages].sort() })
  }
}

/**
 * A watermark after every click: the largest timestamp so far minus the disorder bound. Per click
 * rather than every 200 ms as Flink's `forBoundedOutOfOrderness` does, so which clicks are late
 * does not depend on timing: a run is reproducible, and the tests can replay it.
 */
const everyClick = (): WatermarkGenerator<Click> => {
  let max = Number.NEGATIVE_INFINITY
  return {
    onEvent: (_c, ts, out) => {
      if (ts > max) max = ts
      out.emitWatermark(max - MAX_DISORDER_MS - 1)
    },
    onPeriodicEmit: () => {},
  }
}

/** Event time from `click.ts`; a watermark of the newest timestamp minus 10 s after every click. */
export const clickWatermarks = (): WatermarkStrategy<Click> => WatermarkStrategy.forGenerator(everyClick).withTimestampAssigner((c) => c.ts)

export interface SessionJobParams extends Partial<ClickOptions> {
  readonly count?: number
  readonly rowsPerSecond?: number
}

/**
 * The sessionization itself: clicks (with event time and watermarks) -> keyBy(user) -> session
 * windows (30 min gap, 5 min allowed lateness, late clicks to a side output) -> incremental stats
 * per session. A session is emitted when the watermark passes its end, and again (a late firing)
 * for each click that joins it within the allowed lateness.
 */
export const sessionizeClicks = (clicks: DataStream<Click>): SingleOutputStreamOperator<Session> =>
  clicks
    .keyBy((c) => c.user)
    .window(EventTimeSessionWindows.withGap(SESSION_GAP_MS))
    .allowedLateness(ALLOWED_LATENESS_MS)
    .sideOutputLateData(lateClicks)
    .aggregate(sessionStats, new ToSession())
    .name('sessions')
    .uid('sessions')

/**
 * The job: generated clicks -> {@link sessionizeClicks}. The source runs as one subtask, so that
 * its watermarks, and with them what is late, follow the click order exactly at any parallelism
 * of the session windows.
 */
export const sessionize = (env: StreamExecutionEnvironment, p: SessionJobParams = {}): SingleOutputStreamOperator<Session> => {
  const clicks: DataStream<Click> = env
    .fromSource(
      DataGenSource.of(click({ ...DEFAULT_CLICK_OPTIONS, ...p }), {
        ...(p.count !== undefined ? { count: p.count } : {}),
        ...(p.rowsPerSecond !== undefined ? { rowsPerSecond: p.rowsPerSecond } : {}),
      }),
      clickWatermarks(),
      'clicks',
    )
    .setParallelism(1)
  return sessionizeClicks(clicks)
}
