/**
 * Runs one Nexmark query in this process and prints its figures as one JSON line (the runner
 * starts one process per query, so peak memory and JIT state are the query's own).
 *
 * @packageDocumentation
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TableEnvironment } from '@strom/table'
import { generationClock } from '../generator/nexmark-generator.js'
import { nexmarkConnector } from '../nexmark-connector.js'
import { NEXMARK_FUNCTION_CLASSES } from '../sql/functions.js'
import { nexmarkQueryStatements, nexmarkSetupStatements, type NexmarkQuery } from '../sql/queries.js'
import type { NexmarkApi } from './args.js'
import { LATENCY_CONNECTOR, LatencyRecorder, latencyConnector, type DueTime } from './latency.js'

/** What the runner asks a child to do. */
export interface ChildTask {
  readonly query: NexmarkQuery
  readonly api: NexmarkApi
  readonly events: number
  readonly parallelism: number
  readonly checkpointMs: number | undefined
  readonly latencyRate: number | undefined
}

/** What a child reports. */
export interface ChildResult {
  readonly query: NexmarkQuery
  readonly api: NexmarkApi
  readonly status: 'ok' | 'unsupported' | 'failed'
  readonly error?: string
  readonly events: number
  /** Seconds from the first generated event to the end of the job. */
  readonly seconds: number
  readonly eventsPerSecond: number
  /** CPU seconds (all threads of the process) over the same span, per million events. */
  readonly cpuSecondsPerMillion: number
  readonly peakRssMiB: number
  readonly checkpoints: number
  readonly latency?: { readonly count: number; readonly p50: number; readonly p99: number; readonly max: number }
}

const WINDOW_CLOSE_DELAY_MS = 4000 // the DDL's watermark: dateTime - INTERVAL '4' SECOND

/** The due time of a result row, per query measured in latency mode. */
const dueTimes: Partial<Record<NexmarkQuery, DueTime>> = {
  // projections: the row's event time is its event's wall-clock emission time (latency mode)
  q0: (r) => r.fields[3] as number,
  q1: (r) => r.fields[3] as number,
  q7: (r) => {
    // the bid's 10 s tumbling window (BETWEEN is inclusive: a bid on a boundary closes the earlier window)
    // (the watermark closes [s, e) once it reaches e - 1: when an event of time e - 1 + 4 s is due)
    const t = r.fields[3] as number
    return Math.ceil(t / 10_000) * 10_000 - 1 + WINDOW_CLOSE_DELAY_MS
  },
  q8: (r) => (r.fields[2] as number) + 10_000 - 1 + WINDOW_CLOSE_DELAY_MS,
}

const isInsert = (sql: string): boolean => /^\s*(--[^\n]*\n\s*)*insert\b/i.test(sql)

/** Writes q13's side input as the reference's SideInputGenerator: `key,value` lines `i,i` for keys 0..9999. */
const writeSideInput = (dir: string): void => {
  mkdirSync(join(dir, 'data'), { recursive: true })
  const lines: string[] = []
  for (let k = 0; k < 10_000; k++) lines.push(`${k},${k}`)
  writeFileSync(join(dir, 'data', 'side_input.txt'), lines.join('\n') + '\n')
}

const runSql = async (task: ChildTask, dir: string, recorder: LatencyRecorder): Promise<{ checkpoints: number }> => {
  const latency = task.latencyRate !== undefined
  const due = dueTimes[task.query]
  const config: Record<string, string> = {}
  if (task.checkpointMs !== undefined) {
    config['execution.checkpointing.interval'] = `${task.checkpointMs} ms`
    config['execution.checkpointing.dir'] = join(dir, 'checkpoints')
  }
  const tEnv = TableEnvironment.create({
    connectors: [nexmarkConnector, ...(latency && due !== undefined ? [latencyConnector(due, recorder, () => generationClock.lastWallClockTime)] : [])],
    parallelism: task.parallelism,
    config,
    functionClasses: NEXMARK_FUNCTION_CLASSES,
  })
  const settings = {
    events: task.events,
    directory: dir,
    ...(latency ? { eventsPerSecond: task.latencyRate, rateLimited: true, wallClockTime: true } : {}),
  }
  if (task.query === 'q13') writeSideInput(dir)
  for (const s of nexmarkSetupStatements(settings)) await tEnv.executeSql(s)
  let checkpoints = 0
  for (const raw of nexmarkQueryStatements(task.query, settings)) {
    const s = latency ? raw.replace(/'connector'\s*=\s*'blackhole'/g, `'connector' = '${LATENCY_CONNECTOR}'`) : raw
    const result = await tEnv.executeSql(s)
    if (isInsert(s)) {
      const job = await result.await()
      for (const [k, v] of Object.entries(job?.metrics ?? {})) if (k.endsWith('.numberOfCompletedCheckpoints')) checkpoints = v
    }
  }
  return { checkpoints }
}

/** Runs a task; never throws (a failure is a result). */
export const runTask = async (task: ChildTask, runDataStream?: (task: ChildTask, dir: string) => Promise<{ checkpoints: number }>): Promise<ChildResult> => {
  const dir = mkdtempSync(join(tmpdir(), 'strom-nexmark-'))
  const recorder = new LatencyRecorder()
  generationClock.firstEventAt = -1 // measure from this task's first event
  generationClock.lastWallClockTime = -1
  const base = { query: task.query, api: task.api, events: task.events }
  try {
    const { checkpoints } = task.api === 'sql' ? await runSql(task, dir, recorder) : await runDataStream!(task, dir)
    const end = performance.now()
    const cpu = process.cpuUsage(generationClock.firstEventCpu)
    const seconds = (end - generationClock.firstEventAt) / 1000
    return {
      ...base,
      status: 'ok',
      seconds,
      eventsPerSecond: task.events / seconds,
      cpuSecondsPerMillion: (cpu.user + cpu.system) / 1e6 / (task.events / 1e6),
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      checkpoints,
      ...(task.latencyRate !== undefined ? { latency: recorder.summary(Math.floor(recorder.count * 0.05)) } : {}),
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    const unsupported = /SQL (parse|validation|plan)|not supported|Unsupported|No match found/i.test(message)
    return { ...base, status: unsupported ? 'unsupported' : 'failed', error: message, seconds: 0, eventsPerSecond: 0, cpuSecondsPerMillion: 0, peakRssMiB: process.resourceUsage().maxRSS / 1024, checkpoints: 0 }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
