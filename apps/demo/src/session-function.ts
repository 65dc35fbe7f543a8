import { KeyedProcessFunction, MapStateDescriptor, OutputTag, ValueStateDescriptor } from '@strom/process'
import type { Collector, Counter, MapState, RuntimeContext, TimerService, ValueState } from '@strom/process'
import type { Click } from './clicks.js'

/**
 * What the session function emits when a user's session ends.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface SessionAlert {
  /** The user. */
  readonly user: string
  /** The event time of the session's first click. */
  readonly start: number
  /** The event time of the session's last click. */
  readonly end: number
  /** The number of clicks in the session. */
  readonly clicks: number
  /** `end - start`, in ms. */
  readonly durationMs: number
}

/**
 * What the session function emits to the {@link BURSTS} side output when a user clicks suspiciously
 * often.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface BurstAlert {
  /** The user. */
  readonly user: string
  /** The start of the burst window (a multiple of `burstWindowMs`), event time. */
  readonly windowStart: number
  /** The end of the burst window (exclusive), event time. */
  readonly windowEnd: number
  /** The threshold reached: the user made at least this many clicks in the window. */
  readonly clicks: number
}

/**
 * The side output of burst alerts.
 *
 * @category Demo
 * @since 0.1.0
 */
export const BURSTS = new OutputTag<BurstAlert>('bursts')

/**
 * The side output of late clicks: clicks whose timestamp is not above the current watermark.
 *
 * @category Demo
 * @since 0.1.0
 */
export const LATE_CLICKS = new OutputTag<Click>('late-clicks')

/**
 * How sessions and bursts are detected.
 *
 * @category Demo
 * @since 0.1.0
 */
export interface SessionOptions {
  /** A session ends when its user made no click for this long (ms of event time). */
  readonly gapMs: number
  /** The length of the (tumbling, event-time) windows bursts are counted in, in ms. */
  readonly burstWindowMs: number
  /** The number of clicks in one window that makes a burst. */
  readonly burstClicks: number
}

/**
 * One open session of a user, as kept in state (mutable, owned by the state backend).
 *
 * @category Demo
 * @since 0.1.0
 */
export interface OpenSession {
  /** The event time of its first click. */
  start: number
  /** The event time of its last click. */
  end: number
  /** Its clicks so far. */
  clicks: number
}

/**
 * Detects per-user sessions and click bursts in event time: a {@link KeyedProcessFunction} keyed
 * by user, with keyed state, event-time timers and side outputs.
 *
 * @remarks
 * Sessions: two clicks of a user belong to the same session when less than `gapMs` of event time
 * lies between them (transitively). A session ends once the watermark shows that no click can join
 * it any more, i.e. when it passes `end + gapMs`; the function then emits a {@link SessionAlert}
 * with the timer's timestamp.
 *
 * State per user: a `ValueState` with the open sessions, sorted and disjoint. Usually there is
 * one; there can be more when clicks arrive out of order (a click of the next session may come
 * before the last clicks of the current one, e.g. from another source split), and a click that
 * falls between two sessions merges them. Timers: one event-time timer per new session, at its
 * first click + `gapMs`; when it fires and the session has grown since, the function registers a
 * timer for its new end instead of one timer per click (a timer at `end + gapMs` for each click
 * would fill the timer queue). So each session has a pending timer at or before its end + `gapMs`
 * at all times.
 *
 * Bursts: clicks are counted per user in tumbling event-time windows of `burstWindowMs` (a
 * `MapState` from window index to count). When a window's count reaches `burstClicks`, a
 * {@link BurstAlert} goes to the {@link BURSTS} side output, once per user and window. A window's
 * count is dropped when the watermark passes the window's end.
 *
 * Late data: a click at or below the current watermark goes to the {@link LATE_CLICKS} side output
 * and changes nothing. Clicks above the watermark are never late here, whatever order they come
 * in, so with no late clicks the alerts do not depend on the order the clicks arrive in, nor on
 * the parallelism.
 *
 * Metrics (counters of the operator subtask): `clicks`, `lateClicks`, `sessionsEnded`, `bursts`,
 * and the gauges `watermark` (the last watermark a click saw), `openTime` (the wall-clock time the
 * function was opened) and `metricsTime` (the wall-clock time the metrics were read), to compute
 * rates from metrics that reach the main thread late from worker threads.
 *
 * @category Demo
 * @since 0.1.0
 */
export class SessionAlertFunction extends KeyedProcessFunction<string, Click, SessionAlert> {
  private sessions!: ValueState<OpenSession[]>
  private windows!: MapState<number, number>
  private clicksIn!: Counter
  private lateClicks!: Counter
  private sessionsEnded!: Counter
  private bursts!: Counter
  private watermark = Number.NEGATIVE_INFINITY
  private readonly gapMs: number
  private readonly burstWindowMs: number
  private readonly burstClicks: number

  /**
   * @param options - the session gap and the burst rule
   * @throws `RangeError` when `gapMs` or `burstWindowMs` is not a positive integer or
   *   `burstClicks` not an integer >= 1
   */
  constructor(options: SessionOptions) {
    super()
    const { gapMs, burstWindowMs, burstClicks } = options
    if (!(Number.isSafeInteger(gapMs) && gapMs > 0)) throw new RangeError(`The session gap must be a positive integer of ms, got ${gapMs}.`)
    if (!(Number.isSafeInteger(burstWindowMs) && burstWindowMs > 0))
      throw new RangeError(`The burst window must be a positive integer of ms, got ${burstWindowMs}.`)
    if (!(Number.isSafeInteger(burstClicks) && burstClicks >= 1))
      throw new RangeError(`The burst threshold must be an integer >= 1, got ${burstClicks}.`)
    this.gapMs = gapMs
    this.burstWindowMs = burstWindowMs
    this.burstClicks = burstClicks
  }

  /** Obtains the state and the metrics. */
  override open(ctx: RuntimeContext): void {
    this.sessions = ctx.getState(new ValueStateDescriptor<OpenSession[]>('open-sessions'))
    this.windows = ctx.getMapState(new MapStateDescriptor<number, number>('burst-windows'))
    const metrics = ctx.getMetricGroup()
    this.clicksIn = metrics.counter('clicks')
    this.lateClicks = metrics.counter('lateClicks')
    this.sessionsEnded = metrics.counter('sessionsEnded')
    this.bursts = metrics.counter('bursts')
    this.watermark = Number.NEGATIVE_INFINITY
    metrics.gauge('watermark', () => this.watermark)
    const openTime = Date.now()
    metrics.gauge('openTime', () => openTime)
    metrics.gauge('metricsTime', () => Date.now())
  }

  /** Adds a click to its user's sessions and burst window, or sends it to the late side output. */
  override processElement(click: Click, ctx: KeyedProcessFunction.Context<string>, _out: Collector<SessionAlert>): void {
    this.clicksIn.inc()
    const ts = ctx.timestamp()
    const timers = ctx.timerService()
    const watermark = timers.currentWatermark()
    this.watermark = watermark
    if (ts <= watermark) {
      this.lateClicks.inc()
      ctx.output(LATE_CLICKS, click)
      return
    }
    this.addToSession(ts, timers)
    const window = Math.floor(ts / this.burstWindowMs)
    const n = (this.windows.get(window) ?? 0) + 1
    this.windows.put(window, n)
    if (n === this.burstClicks) {
      this.bursts.inc()
      const windowStart = window * this.burstWindowMs
      ctx.output(BURSTS, { user: click.user, windowStart, windowEnd: windowStart + this.burstWindowMs, clicks: n })
    }
  }

  /** Emits the sessions that ended by `timestamp`, and drops the burst windows that closed. */
  override onTimer(timestamp: number, ctx: KeyedProcessFunction.OnTimerContext<string>, out: Collector<SessionAlert>): void {
    const gap = this.gapMs
    const timers = ctx.timerService()
    const list = this.sessions.value()
    let open = 0
    if (list !== undefined) {
      let nextDue = Number.POSITIVE_INFINITY
      for (let i = 0; i < list.length; i++) {
        const s = list[i]!
        const due = s.end + gap
        if (due <= timestamp) {
          this.sessionsEnded.inc()
          out.collect({ user: ctx.getCurrentKey(), start: s.start, end: s.end, clicks: s.clicks, durationMs: s.end - s.start })
        } else {
          list[open++] = s
          if (due < nextDue) nextDue = due
        }
      }
      if (open === 0) this.sessions.clear()
      else {
        list.length = open
        this.sessions.update(list)
        timers.registerEventTimeTimer(nextDue)
      }
    }
    // A window closes when the watermark passes its last ms: no later click can fall into it.
    const windows = this.windows
    if (windows.isEmpty()) return
    const size = this.burstWindowMs
    let closed: number[] | undefined
    let lastOpenEnd = Number.NEGATIVE_INFINITY
    for (const w of windows.keys()) {
      const lastMs = (w + 1) * size - 1
      if (lastMs <= timestamp) (closed ??= []).push(w)
      else if (lastMs > lastOpenEnd) lastOpenEnd = lastMs
    }
    if (closed !== undefined) for (const w of closed) windows.remove(w)
    // With no session left, nothing else would fire for this user: clean up the rest later.
    if (open === 0 && lastOpenEnd !== Number.NEGATIVE_INFINITY) timers.registerEventTimeTimer(lastOpenEnd)
  }

  /**
   * Puts a click (above the watermark) into the user's open sessions: extends the session it
   * falls into, merging it with the next one if the click bridges the gap, or opens a new one.
   */
  private addToSession(ts: number, timers: TimerService): void {
    const gap = this.gapMs
    const list = this.sessions.value()
    if (list === undefined) {
      this.sessions.update([{ start: ts, end: ts, clicks: 1 }])
      timers.registerEventTimeTimer(ts + gap)
      return
    }
    // the first session that does not end a full gap before the click
    let i = 0
    while (i < list.length && list[i]!.end + gap <= ts) i++
    const s = list[i]
    if (s !== undefined && s.start - gap < ts) {
      s.clicks++
      if (ts < s.start) s.start = ts
      else if (ts > s.end) {
        s.end = ts
        const next = list[i + 1]
        if (next !== undefined && next.start - gap < ts) {
          s.end = next.end
          s.clicks += next.clicks
          list.splice(i + 1, 1)
        }
      }
    } else {
      list.splice(i, 0, { start: ts, end: ts, clicks: 1 })
      timers.registerEventTimeTimer(ts + gap)
    }
    this.sessions.update(list)
  }
}
