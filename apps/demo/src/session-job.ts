// The demo job: clicks (datagen, event time, watermarks) -> keyBy(user) -> session alerts (keyed
// state, timers, side outputs) -> sinks. Worker threads import this module to rebuild the graph
// (`executeJob`), so it only defines things at top level and starts nothing.
import { CollectSink, DataGenSource, StreamExecutionEnvironment, WatermarkStrategy, defineStreamJob } from '@strom/datastream'
import type { Sink, StreamGraph } from '@strom/runtime'
import { ACTIVITY_PHASES, activeUsersPerEpoch, clickGenerator, expectedClicksPerUser } from './clicks.js'
import type { Click, ClickStreamOptions } from './clicks.js'
import { BURSTS, LATE_CLICKS, SessionAlertFunction } from './session-function.js'
import type { BurstAlert, SessionAlert, SessionOptions } from './session-function.js'
import { SampleSink } from './sample-sink.js'

/**
 * The job's name, also the first part of its metric names.
 *
 * @category Demo
 * @since 0.1.0
 */
export const SESSION_JOB_NAME = 'session-alerts'

/**
 * The name of the session operator, the second part of its metric names
 * (`session-alerts.sessions.<subtask>.<metric>`).
 *
 * @category Demo
 * @since 0.1.0
 */
export const SESSIONS_OPERATOR = 'sessions'

/**
 * The parameters of the session job; structured-clonable, since they are sent to every worker
 * thread.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface SessionJobParams {
  /** The click stream. */
  readonly clicks: ClickStreamOptions
  /** The session gap and the burst rule. */
  readonly session: SessionOptions
  /** The parallelism of every operator; above 1, `executeJob` runs the job on worker threads. */
  readonly parallelism: number
  /** The most clicks per second the source emits (wall clock); none for as fast as possible. */
  readonly rowsPerSecond?: number
  /** The number of clicks, for a bounded job; none for an endless one. */
  readonly count?: number
  /**
   * Where the results go: `collect` keeps every record ({@link collectSinks}, for tests), `live`
   * counts them and keeps the latest few ({@link liveSinks}, for the console).
   */
  readonly output: 'collect' | 'live'
  /** Exactly-once checkpoints every `intervalMs`, into `directory` (a temporary one when not set). */
  readonly checkpoint?: { readonly intervalMs: number; readonly directory?: string }
}

/**
 * The three outputs of the job.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface SessionSinks {
  /** Session-ended alerts. */
  readonly alerts: Sink<SessionAlert>
  /** Burst alerts (side output). */
  readonly bursts: Sink<BurstAlert>
  /** Late clicks (side output). */
  readonly late: Sink<Click>
}

/**
 * The sinks of `output: 'collect'`: they keep every record, in the main thread, whatever thread
 * the job runs in. Clear them before a run.
 *
 * @category Demo
 * @since 0.1.0
 */
export const collectSinks = {
  alerts: new CollectSink<SessionAlert>(),
  bursts: new CollectSink<BurstAlert>(),
  late: new CollectSink<Click>(),
} as const satisfies SessionSinks

/**
 * The sinks of `output: 'live'`: counts and the latest few records, drained by the console.
 *
 * @category Demo
 * @since 0.1.0
 */
export const liveSinks = {
  alerts: new SampleSink<SessionAlert>(16),
  bursts: new SampleSink<BurstAlert>(16),
  late: new SampleSink<Click>(4),
} as const satisfies SessionSinks

/**
 * Session and burst settings that suit a click stream: the gap is at least 1 s and 4 mean pauses
 * of an active user; a burst is 4 times an active user's mean clicks in 1 s (at least 10).
 *
 * @category Demo
 * @since 0.1.0
 */
export const sessionOptionsFor = (clicks: ClickStreamOptions): SessionOptions => {
  const perSecond = expectedClicksPerUser(clicks, 1_000)
  return {
    gapMs: Math.max(1_000, Math.ceil((4 * 1_000) / perSecond)),
    burstWindowMs: 1_000,
    burstClicks: Math.max(10, Math.ceil(4 * perSecond)),
  }
}

/**
 * Builds the job with the DataStream API: clicks (datagen, bounded out-of-orderness watermarks) ->
 * keyBy(user) -> the session function -> alerts, with bursts and late clicks from its side
 * outputs.
 */
export const buildSessionJob = (env: StreamExecutionEnvironment, p: SessionJobParams, sinks: SessionSinks): void => {
  const sessions = env
    .fromSource(
      DataGenSource.of(clickGenerator(p.clicks), { count: p.count, rowsPerSecond: p.rowsPerSecond }),
      WatermarkStrategy.forBoundedOutOfOrderness<Click>(p.clicks.maxOutOfOrdernessMs).withTimestampAssigner((c) => c.ts),
      'clicks',
    )
    .uid('clicks')
    .keyBy((c) => c.user)
    .process(new SessionAlertFunction(p.session))
    .name(SESSIONS_OPERATOR)
    .uid('sessions')
  sessions.sinkTo(sinks.alerts, 'alerts').uid('alerts')
  sessions.getSideOutput(BURSTS).sinkTo(sinks.bursts, 'bursts').uid('bursts')
  sessions.getSideOutput(LATE_CLICKS).sinkTo(sinks.late, 'late-clicks').uid('late-clicks')
}

/** The job's graph, for running it in this thread (`executeGraph`). */
export const buildSessionGraph = (p: SessionJobParams, sinks: SessionSinks): StreamGraph => {
  const env = StreamExecutionEnvironment.create({ parallelism: p.parallelism })
  buildSessionJob(env, p, sinks)
  return env.getStreamGraph(SESSION_JOB_NAME)
}

/**
 * The job, for `executeJob`: on worker threads when its parallelism is above 1. The output decides
 * the sinks: `collect` gathers everything on the main thread (tests), `live` keeps samples.
 */
export const sessionJob = defineStreamJob(import.meta.url, SESSION_JOB_NAME, (env, p: SessionJobParams) => {
  env.setParallelism(p.parallelism)
  if (p.checkpoint !== undefined)
    env.enableCheckpointing(p.checkpoint.intervalMs, 'EXACTLY_ONCE', p.checkpoint.directory === undefined ? {} : { directory: p.checkpoint.directory })
  buildSessionJob(env, p, p.output === 'collect' ? collectSinks : liveSinks)
})

/**
 * A short description of the stream and the rules, for the console.
 *
 * @category Demo
 * @since 0.1.0
 */
export const describeParams = (p: SessionJobParams): string => {
  const c = p.clicks
  const n = (x: number): string => x.toLocaleString('en-US')
  return (
    `${n(c.users)} users (about ${n(activeUsersPerEpoch(c) * ACTIVITY_PHASES)} active at a time, in bouts of ${c.epochMs / 1000} s), ` +
    `event time ${n(c.eventsPerSecond)} clicks/s, out of order by up to ${c.maxOutOfOrdernessMs} ms; ` +
    `session gap ${p.session.gapMs / 1000} s, burst = ${n(p.session.burstClicks)} clicks in ${p.session.burstWindowMs / 1000} s`
  )
}
