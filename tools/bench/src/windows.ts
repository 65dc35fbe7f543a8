// Scenario "windows": a keyed tumbling-window count and a sliding-window count (10 s / 1 s) over
// datagen, by the engine and by hand-written loops doing the same aggregation, in the same run.
import { executeJob } from '@strom/datastream'
import { UsageError } from './args.js'
import { collectGarbage, eventsPerSecond, median, timed, type Series } from './measure.js'
import type { Ratio, Scenario, ScenarioOptions, ScenarioReport } from './scenario.js'
import {
  SLIDE_MS,
  SLIDE_SIZE_MS,
  TUMBLE_MS,
  addResult,
  emptyWindowResult,
  makeEvent,
  windowJob,
  windowSink,
  type WindowParams,
  type WindowResult,
} from './windows-job.js'

export const DEFAULT_WINDOW_KEYS = 10_000

/**
 * The tumbling baseline: a `Map` of counts per key for each open window, a watermark that follows
 * the largest timestamp (minus 1 ms, as the engine's monotonous strategy), and windows emitted once
 * the watermark passes their end. It handles out-of-order input as the engine does; the generated
 * input just happens to be in order.
 */
export const handTumbling = (p: Pick<WindowParams, 'events' | 'keys'>): WindowResult => {
  const gen = makeEvent(p.keys)
  const windows = new Map<number, Map<number, number>>()
  const r = emptyWindowResult()
  let watermark = Number.NEGATIVE_INFINITY
  let nextFire = Number.POSITIVE_INFINITY
  const fire = (upTo: number): void => {
    const ends = [...windows.keys()].filter((end) => end - 1 <= upTo).sort((a, b) => a - b)
    for (const end of ends) {
      for (const [key, count] of windows.get(end)!) addResult(r, key, end, count)
      windows.delete(end)
    }
    nextFire = Math.min(...windows.keys())
  }
  for (let i = 0; i < p.events; i++) {
    const e = gen(i)
    if (e.ts <= watermark) continue // late: the engine drops it too (none are, in this input)
    const end = e.ts - (e.ts % TUMBLE_MS) + TUMBLE_MS
    let w = windows.get(end)
    if (w === undefined) {
      w = new Map()
      windows.set(end, w)
      if (end < nextFire) nextFire = end
    }
    w.set(e.key, (w.get(e.key) ?? 0) + 1)
    if (e.ts - 1 > watermark) {
      watermark = e.ts - 1
      if (nextFire - 1 <= watermark) fire(watermark)
    }
  }
  fire(Number.POSITIVE_INFINITY)
  return r
}

/**
 * The sliding baseline, done well: counts per key in 1 s panes; when the watermark passes a
 * window's end, the counts of its 10 panes are added up per key, and the oldest pane, which no
 * later window needs, is dropped.
 */
export const handSliding = (p: Pick<WindowParams, 'events' | 'keys'>): WindowResult => {
  const gen = makeEvent(p.keys)
  const panes = new Map<number, Map<number, number>>() // pane end -> key -> count
  const r = emptyWindowResult()
  let watermark = Number.NEGATIVE_INFINITY
  let nextEnd = Number.POSITIVE_INFINITY // the end of the first window not fired yet
  const fire = (upTo: number): void => {
    while (nextEnd - 1 <= upTo && panes.size > 0) {
      const sums = new Map<number, number>()
      for (let paneEnd = nextEnd - SLIDE_SIZE_MS + SLIDE_MS; paneEnd <= nextEnd; paneEnd += SLIDE_MS) {
        const pane = panes.get(paneEnd)
        if (pane !== undefined) for (const [key, count] of pane) sums.set(key, (sums.get(key) ?? 0) + count)
      }
      for (const [key, count] of sums) addResult(r, key, nextEnd, count)
      panes.delete(nextEnd - SLIDE_SIZE_MS + SLIDE_MS)
      nextEnd += SLIDE_MS
    }
  }
  for (let i = 0; i < p.events; i++) {
    const e = gen(i)
    if (e.ts <= watermark) continue
    const paneEnd = e.ts - (e.ts % SLIDE_MS) + SLIDE_MS
    let pane = panes.get(paneEnd)
    if (pane === undefined) {
      pane = new Map()
      panes.set(paneEnd, pane)
      if (paneEnd < nextEnd) nextEnd = paneEnd
    }
    pane.set(e.key, (pane.get(e.key) ?? 0) + 1)
    if (e.ts - 1 > watermark) {
      watermark = e.ts - 1
      if (nextEnd - 1 <= watermark) fire(watermark)
    }
  }
  fire(Number.POSITIVE_INFINITY)
  return r
}

/** The engine: the job of `windows-job.ts` (in this thread at parallelism 1, on workers otherwise). */
export const withEngine = async (p: WindowParams): Promise<WindowResult> => {
  windowSink.reset()
  const result = await executeJob(windowJob, p).result
  if (result.status !== 'FINISHED') throw new Error(`The windows job ended ${result.status}, not FINISHED.`)
  if (windowSink.reports !== p.parallelism)
    throw new Error(`The windows job's sink got ${windowSink.reports} reports from ${p.parallelism} subtasks.`)
  return windowSink.result
}

/** How two results differ, in words; `undefined` when they are the same. */
export const windowDifferences = (want: WindowResult, got: WindowResult): string | undefined => {
  const out: string[] = []
  if (got.results !== want.results) out.push(`${got.results} window results instead of ${want.results}`)
  if (got.total !== want.total) out.push(`counts adding up to ${got.total} instead of ${want.total}`)
  if (got.checksum !== want.checksum) out.push(`checksum ${got.checksum} instead of ${want.checksum}`)
  return out.length === 0 ? undefined : out.join('; ')
}

interface Impl {
  readonly id: string
  readonly label: string
  readonly kind: 'tumbling' | 'sliding'
  readonly run: () => WindowResult | Promise<WindowResult>
}

const runWindows = async (o: ScenarioOptions, log: (line: string) => void): Promise<ScenarioReport> => {
  const events = o.events
  const keys = o.keys ?? DEFAULT_WINDOW_KEYS
  const all: Impl[] = [
    { id: 'hand-tumbling', label: 'hand-written loop, tumbling 1 s', kind: 'tumbling', run: () => handTumbling({ events, keys }) },
    {
      id: 'engine-tumbling',
      label: 'engine, tumbling 1 s, parallelism 1',
      kind: 'tumbling',
      run: () => withEngine({ events, keys, kind: 'tumbling', parallelism: 1 }),
    },
    { id: 'hand-sliding', label: 'hand-written loop, sliding 10 s / 1 s (panes)', kind: 'sliding', run: () => handSliding({ events, keys }) },
    {
      id: 'engine-sliding',
      label: 'engine, sliding 10 s / 1 s, parallelism 1',
      kind: 'sliding',
      run: () => withEngine({ events, keys, kind: 'sliding', parallelism: 1 }),
    },
  ]
  const unknown = o.only.filter((id) => !all.some((i) => i.id === id))
  if (unknown.length > 0) throw new UsageError(`windows has no implementation ${unknown.join(', ')}; it has ${all.map((i) => i.id).join(', ')}.`)
  const impls = o.only.length === 0 ? all : all.filter((i) => o.only.includes(i.id))
  const series = impls.map((i): Series => ({ id: i.id, label: i.label, events, runsMs: [] }))
  const want = { tumbling: handTumbling({ events, keys }), sliding: handSliding({ events, keys }) }
  for (let round = -o.warmup; round < o.rounds; round++) {
    const parts: string[] = []
    for (let j = 0; j < impls.length; j++) {
      const impl = impls[j]!
      collectGarbage()
      const { value, ms } = await timed(impl.run)
      const d = windowDifferences(want[impl.kind], value)
      if (d !== undefined) throw new Error(`windows: ${impl.label} computed another result than the hand-written loop: ${d}.`)
      if (round >= 0) series[j]!.runsMs.push(ms)
      parts.push(`${impl.id} ${ms.toFixed(0)} ms`)
    }
    log(`  ${round < 0 ? 'warm-up' : `round ${round + 1}/${o.rounds}`}: ${parts.join(', ')}`)
  }
  const ratios: Ratio[] = []
  const ratio = (id: string, label: string, top: string, bottom: string, target?: number): void => {
    const a = series.find((s) => s.id === top)
    const b = series.find((s) => s.id === bottom)
    if (a === undefined || b === undefined) return
    const value = eventsPerSecond(a) / eventsPerSecond(b)
    ratios.push(target === undefined ? { id, label, value } : { id, label, value, target })
  }
  ratio('tumbling/hand', 'engine tumbling / hand loop tumbling', 'engine-tumbling', 'hand-tumbling', 1 / 3)
  ratio('sliding/hand', 'engine sliding / hand loop sliding', 'engine-sliding', 'hand-sliding')
  ratio('sliding/tumbling', 'engine sliding / engine tumbling (at most 2x slower)', 'engine-sliding', 'engine-tumbling', 0.5)
  return {
    scenario: 'windows',
    description: `datagen (${100_000} events per second of event time) -> keyBy -> event-time window count (aggregate + ProcessWindowFunction) -> counting sink`,
    params: { events, keys, tumblingResults: want.tumbling.results, slidingResults: want.sliding.results },
    startupMs: {},
    rounds: o.rounds,
    warmup: o.warmup,
    series,
    ratios,
    notes: [
      `Every run produced the hand loops' results: ${want.tumbling.results} tumbling and ${want.sliding.results} sliding window counts.`,
      `Median of the measured rounds; events/s = ${events.toLocaleString('en-US')} events / run time.`,
    ],
  }
}

export const windowsScenario: Scenario = {
  name: 'windows',
  description: 'keyed tumbling (1 s) and sliding (10 s / 1 s) event-time window counts',
  run: runWindows,
}

/** Used by tests: the median of a series' run times. */
export const medianMs = (s: Series): number => median(s.runsMs)
