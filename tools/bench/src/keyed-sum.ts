// Scenario "keyed-sum": the same keyed running sum computed by the engine, by a hand-written loop and
// by RxJS, in the same process and run.
import { executeJob } from '@strom/runtime'
import { filter, groupBy, map, mergeMap, range, scan } from 'rxjs'
import {
  byKey,
  double,
  emptyResult,
  keyedSumJob,
  keyedSumSink,
  makeGenerator,
  notTwentySix,
  type Event,
  type KeyedSumParams,
  type KeyedSumResult,
} from './keyed-sum-job.js'
import { UsageError } from './args.js'
import { collectGarbage, eventsPerSecond, median, timed, type Series } from './measure.js'
import type { Ratio, Scenario, ScenarioOptions, ScenarioReport } from './scenario.js'

export const DEFAULT_KEYS = 50_000

/** The baseline: a plain loop over the same generator, map and filter, with a `Map` of sums. */
export const handLoop = (p: Pick<KeyedSumParams, 'events' | 'keys'>): KeyedSumResult => {
  const gen = makeGenerator(p.keys)
  const sums = new Map<string, number>()
  let count = 0
  let checksum = 0
  for (let i = 0; i < p.events; i++) {
    const e = double(gen(i))
    if (!notTwentySix(e)) continue
    const s = (sums.get(e.key) ?? 0) + e.amount
    sums.set(e.key, s)
    count++
    checksum += s
  }
  return { count, checksum, finals: sums }
}

/** The same with RxJS 7: range -> map -> map -> filter -> groupBy -> scan per key. */
export const withRxjs = (p: Pick<KeyedSumParams, 'events' | 'keys'>): Promise<KeyedSumResult> =>
  new Promise((resolve, reject) => {
    const r = emptyResult()
    const groups: { readonly key: string; sum: number }[] = []
    range(0, p.events)
      .pipe(
        map(makeGenerator(p.keys)),
        map(double),
        filter(notTwentySix),
        groupBy(byKey),
        mergeMap((g) => {
          const acc = { key: g.key, sum: 0 }
          groups.push(acc)
          return g.pipe(scan((s: number, e: Event) => (acc.sum = s + e.amount), 0))
        }),
      )
      .subscribe({
        next: (s) => {
          r.count++
          r.checksum += s
        },
        error: reject,
        complete: () => {
          for (const g of groups) r.finals.set(g.key, g.sum)
          resolve(r)
        },
      })
  })

/**
 * The engine: the job of `keyed-sum-job.ts` through `executeJob` (in this thread at parallelism 1
 * unless `threads`, on one worker thread per subtask otherwise).
 */
export const withEngine = async (p: KeyedSumParams, threads?: boolean): Promise<KeyedSumResult> => {
  keyedSumSink.reset()
  const result = await executeJob(keyedSumJob, p, threads === undefined ? {} : { threads }).result
  if (result.status !== 'FINISHED') throw new Error(`The keyed-sum job ended ${result.status}, not FINISHED.`)
  if (keyedSumSink.reports !== p.parallelism)
    throw new Error(`The keyed-sum job's sink got ${keyedSumSink.reports} reports from ${p.parallelism} subtasks.`)
  return keyedSumSink.result
}

/**
 * How two results differ, in words; `undefined` when they are the same.
 *
 * With `ordered` false the checksum is not compared: with several sources the records of a key
 * interleave in an order the job does not define, so the running sums differ while the count and
 * the final sums do not.
 */
export const differences = (want: KeyedSumResult, got: KeyedSumResult, ordered = true): string | undefined => {
  const out: string[] = []
  if (got.count !== want.count) out.push(`${got.count} running sums instead of ${want.count}`)
  if (ordered && got.checksum !== want.checksum) out.push(`running sums adding up to ${got.checksum} instead of ${want.checksum}`)
  if (got.finals.size !== want.finals.size) out.push(`${got.finals.size} keys instead of ${want.finals.size}`)
  let wrong = 0
  let example = ''
  for (const [k, s] of want.finals) {
    const g = got.finals.get(k)
    if (g !== s) {
      if (wrong++ === 0) example = `key ${k}: ${String(g)} instead of ${s}`
    }
  }
  if (wrong > 0) out.push(`${wrong} wrong final sums (${example})`)
  return out.length === 0 ? undefined : out.join('; ')
}

/** Throws when `got` is not `want`: a benchmark that computes something else measures nothing. */
export const assertSame = (what: string, want: KeyedSumResult, got: KeyedSumResult, ordered = true): void => {
  const d = differences(want, got, ordered)
  if (d !== undefined) throw new Error(`keyed-sum: ${what} computed another result than the hand-written loop: ${d}.`)
}

interface Impl {
  readonly id: string
  readonly label: string
  readonly run: () => KeyedSumResult | Promise<KeyedSumResult>
  /** Whether the records of a key arrive in generation order (one source subtask). */
  readonly ordered: boolean
}

const runKeyedSum = async (o: ScenarioOptions, log: (line: string) => void): Promise<ScenarioReport> => {
  const events = o.events
  const keys = o.keys ?? DEFAULT_KEYS
  const p1: KeyedSumParams = { events, keys, parallelism: 1 }
  const all: Impl[] = [
    { id: 'hand', label: 'hand-written loop', run: () => handLoop(p1), ordered: true },
    { id: 'engine', label: 'engine, parallelism 1 (one chained task)', run: () => withEngine(p1), ordered: true },
    { id: 'rxjs', label: 'RxJS 7 (groupBy + scan)', run: () => withRxjs(p1), ordered: true },
  ]
  if (o.parallel) {
    all.push(
      { id: 'engine-p1-worker', label: 'engine, parallelism 1 on 1 worker thread', run: () => withEngine(p1, true), ordered: true },
      { id: 'engine-p2', label: 'engine, parallelism 2 on 2 worker threads', run: () => withEngine({ events, keys, parallelism: 2 }), ordered: false },
    )
  }
  const unknown = o.only.filter((id) => !all.some((i) => i.id === id))
  if (unknown.length > 0) throw new UsageError(`keyed-sum has no implementation ${unknown.join(', ')}; it has ${all.map((i) => i.id).join(', ')}.`)
  const impls = o.only.length === 0 ? all : all.filter((i) => o.only.includes(i.id))
  const series = impls.map((i): Series => ({ id: i.id, label: i.label, events, runsMs: [] }))
  const want = handLoop(p1)
  // What a worker-thread run costs with no events: starting the workers (each loads the runtime and
  // the job module from TypeScript) and tearing them down. Reported so the speed-up can be read net.
  const startup = new Map<string, number>()
  for (const impl of impls) {
    const parallelism = impl.id === 'engine-p2' ? 2 : impl.id === 'engine-p1-worker' ? 1 : 0
    if (parallelism === 0) continue
    const runs: number[] = []
    for (let r = 0; r < 3; r++) runs.push((await timed(() => withEngine({ events: 0, keys, parallelism }, true))).ms)
    startup.set(impl.id, median(runs))
  }
  if (startup.size > 0) log(`  worker start-up (no events): ${[...startup].map(([id, ms]) => `${id} ${ms.toFixed(0)} ms`).join(', ')}`)
  for (let round = -o.warmup; round < o.rounds; round++) {
    const parts: string[] = []
    for (let j = 0; j < impls.length; j++) {
      const impl = impls[j]!
      collectGarbage()
      const { value, ms } = await timed(impl.run)
      assertSame(impl.label, want, value, impl.ordered)
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
  ratio('engine/hand', 'engine / hand loop', 'engine', 'hand', 0.5)
  ratio('rxjs/hand', 'RxJS / hand loop', 'rxjs', 'hand')
  ratio('p2/p1', 'speed-up, parallelism 2 (2 workers) / parallelism 1 (in thread)', 'engine-p2', 'engine')
  ratio('p2/p1-worker', 'speed-up, parallelism 2 (2 workers) / parallelism 1 (1 worker)', 'engine-p2', 'engine-p1-worker')
  const p2Series = series.find((x) => x.id === 'engine-p2')
  const p1Series = series.find((x) => x.id === 'engine')
  const p2Startup = startup.get('engine-p2')
  if (p2Series !== undefined && p1Series !== undefined && p2Startup !== undefined) {
    const net = events / ((median(p2Series.runsMs) - p2Startup) / 1000)
    ratios.push({
      id: 'p2-net/p1',
      label: `speed-up, parallelism 2 without its ${p2Startup.toFixed(0)} ms start-up / parallelism 1 (in thread)`,
      value: net / eventsPerSecond(p1Series),
    })
  }
  return {
    scenario: 'keyed-sum',
    description: 'datagen -> map -> filter -> keyBy -> keyed sum (KeyedProcessFunction + ValueState) -> counting sink',
    params: { events, keys, filtered: want.count },
    startupMs: Object.fromEntries(startup),
    rounds: o.rounds,
    warmup: o.warmup,
    series,
    ratios,
    notes: [
      `Every run produced the hand loop's result: ${want.count} running sums, ${want.finals.size} final sums (and, with one source, the same running sums).`,
      'Worker-thread runs include starting the workers (each loads the runtime and the job module from TypeScript sources) and run cold (a fresh V8 isolate per worker, no warm-up).',
    ],
  }
}

export const keyedSumScenario: Scenario = {
  name: 'keyed-sum',
  description: 'datagen -> map -> filter -> keyBy -> keyed sum with ValueState -> counting sink',
  run: runKeyedSum,
}
