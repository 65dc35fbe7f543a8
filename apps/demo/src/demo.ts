import { executeJob } from '@strom/runtime'
import { USAGE, jobParamsFor, parseArgs } from './args.js'
import type { DemoArgs } from './args.js'
import { RateMeter, formatBurstAlert, formatLiveLine, formatSessionAlert, formatSummary, sessionTotals } from './report.js'
import { describeParams, liveSinks, sessionJob } from './session-job.js'
import type { SessionJobParams } from './session-job.js'

/**
 * Where the demo prints: lines to standard output and standard error (the console by default).
 *
 * @category Demo
 * @since 0.1.0
 */
export interface DemoConsole {
  /** Prints a line of results. */
  readonly log: (line: string) => void
  /** Prints a line about a problem. */
  readonly error: (line: string) => void
}

const INDENT = '         '

/**
 * Runs the demo for a command line and resolves with the process exit code: 0 when the job
 * finished or was stopped (Ctrl-C, SIGTERM, `--seconds`), 1 when it failed, 2 for a bad command
 * line.
 *
 * @remarks
 * Starts the session job with `executeJob` (in the calling thread at parallelism 1, on worker
 * threads above), prints a live line every second (clicks/s from the job's metrics, totals, the
 * watermark) with a few of the latest alerts, and a summary at the end. The first SIGINT or
 * SIGTERM cancels the job, which then ends normally; a second one exits at once with code 130.
 *
 * @param argv - the arguments after the script name
 * @param out - where to print
 * @category Demo
 * @since 0.1.0
 */
export const runDemo = async (argv: readonly string[], out: DemoConsole = console): Promise<number> => {
  let args: DemoArgs
  let params: SessionJobParams
  try {
    args = parseArgs(argv)
    params = jobParamsFor(args)
  } catch (e) {
    out.error(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    out.log(USAGE)
    return 0
  }
  for (const sink of [liveSinks.alerts, liveSinks.bursts, liveSinks.late]) sink.reset()

  const p = args.parallelism
  const rate = args.rate === 'max' ? 'as many clicks/s as it can' : `${args.rate.toLocaleString('en-US')} clicks/s`
  out.log(`Strom demo: per-user session alerts, ${rate}, parallelism ${p} (${p > 1 ? `${p} worker threads` : 'in the main thread'})`)
  out.log(`  ${describeParams(params)}`)
  out.log(
    `  ${args.count === undefined ? 'endless stream' : `${args.count.toLocaleString('en-US')} clicks`}; ` +
      `${args.seconds === undefined ? '' : `stops after ${args.seconds} s; `}Ctrl-C stops it.`,
  )

  const started = Date.now()
  const client = executeJob(sessionJob, params)
  const meter = new RateMeter()
  meter.update(client.metrics())
  let lastSessions = 0
  let lastTick = started
  const tick = (): void => {
    const now = Date.now()
    const metrics = client.metrics()
    const totals = sessionTotals(metrics)
    const sessionsPerSecond = ((totals.sessionsEnded - lastSessions) * 1000) / Math.max(1, now - lastTick)
    lastSessions = totals.sessionsEnded
    lastTick = now
    out.log(formatLiveLine(now - started, meter.update(metrics), totals, sessionsPerSecond))
    const alerts = liveSinks.alerts.drain()
    const bursts = liveSinks.bursts.drain()
    liveSinks.late.drain()
    if (args.sample === 0) return
    for (const b of bursts.latest.slice(-Math.min(2, args.sample))) out.log(INDENT + formatBurstAlert(b))
    for (const a of alerts.latest.slice(-args.sample)) out.log(INDENT + formatSessionAlert(a))
  }
  const ticker = setInterval(tick, 1_000)

  let why: string | undefined
  const stop = (reason: string): void => {
    if (why !== undefined) return
    why = reason
    client.cancel()
  }
  let signals = 0
  const onSignal = (signal: NodeJS.Signals): void => {
    if (++signals > 1) {
      out.error(`${signal} again: exiting without waiting for the job.`)
      process.exit(130)
    }
    out.log(`${signal}: cancelling the job...`)
    stop(signal === 'SIGINT' ? 'Interrupted (Ctrl-C)' : `Stopped by ${signal}`)
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  const timer = args.seconds === undefined ? undefined : setTimeout(() => stop(`Stopped after --seconds ${args.seconds}`), args.seconds * 1_000)

  try {
    const result = await client.result
    clearInterval(ticker)
    out.log(formatSummary(why ?? 'Input ended', result.status, result.durationMs, sessionTotals(result.metrics)))
    return 0
  } catch (e) {
    out.error(`The job failed: ${e instanceof Error ? e.message : String(e)}`)
    return 1
  } finally {
    clearInterval(ticker)
    if (timer !== undefined) clearTimeout(timer)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}
