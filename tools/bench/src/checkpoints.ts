// Scenario "checkpoints": what checkpoints cost. The keyed-sum job with and without checkpoints
// every second, on the heap and the lmdb state backends, next to the hand-written loop with and
// without a snapshot of its Map every second; then a savepoint of a state of 1M keys and the
// restore of it, on both backends and by hand.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os, { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { deserialize, serialize } from 'node:v8'
import { executeGraph } from '@strom/runtime'
import { UsageError } from './args.js'
import { KeyCountingSink, backendConfig, directorySize, fillGraph, keyEvent, restoreGraph, type BackendName } from './checkpoints-job.js'
import { CountingSink, double, keyedSumGraph, makeGenerator, notTwentySix, type KeyedSumParams, type KeyedSumResult } from './keyed-sum-job.js'
import { DEFAULT_KEYS, assertSame, handLoop } from './keyed-sum.js'
import { eventsPerCpuSecond, eventsPerSecond, forceGarbageCollection, stopwatch, type Series } from './measure.js'
import type { Figure, Ratio, Scenario, ScenarioOptions, ScenarioReport } from './scenario.js'

/** Events per throughput run by default: enough for about two checkpoints per engine run. */
export const DEFAULT_CHECKPOINT_EVENTS = 20_000_000
/** The share of the events the lmdb runs get (all by default; the tests run them shorter). */
export const LMDB_EVENTS_SHARE = 1
/** The checkpoint interval of the throughput runs, as the issue asks. */
export const CHECKPOINT_INTERVAL_MS = 1_000
/** Keys in the state that is saved and restored. */
export const DEFAULT_STATE_KEYS = 1_000_000
/** Rounds of the savepoint and restore measurements at most (each fills 1M keys twice over). */
export const MAX_STATE_ROUNDS = 3
/** How often the checkpoint metrics are read during a run, to see each checkpoint's duration. */
const POLL_MS = 50

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'strom-bench-cp-'))
const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true })

// ---- the hand-written baselines ----

/** Writes `value` as a snapshot file the way a careful hand-written program would: temp file, fsync, rename. Returns its size. */
export const writeSnapshot = (path: string, value: unknown): number => {
  const buf = serialize(value)
  const tmp = `${path}.tmp`
  const fd = openSync(tmp, 'w')
  try {
    for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(tmp, path)
  return buf.length
}

/** What a run with checkpoints (or hand-made snapshots) saw of them. */
export interface CheckpointStats {
  /** Checkpoints completed during the run. */
  readonly completed: number
  /** The duration of each completed checkpoint that was seen, in ms (trigger to complete). */
  readonly durationsMs: readonly number[]
  /** The size of the last one, in bytes. */
  readonly lastSizeBytes: number
}

interface Run {
  readonly result: KeyedSumResult
  readonly ms: number
  /** The process's CPU time during the run. */
  readonly cpuMs: number
  readonly checkpoints: CheckpointStats | undefined
}

/**
 * The keyed-sum hand loop (`keyed-sum.ts`) that, every `intervalMs` of wall time, writes its `Map`
 * of sums to `path` with `v8.serialize` (synchronously: the loop stops meanwhile).
 */
export const handLoopWithSnapshots = (p: Pick<KeyedSumParams, 'events' | 'keys'>, path: string, intervalMs: number): Run => {
  const watch = stopwatch()
  const t0 = performance.now()
  const gen = makeGenerator(p.keys)
  const sums = new Map<string, number>()
  const durationsMs: number[] = []
  let size = 0
  let count = 0
  let checksum = 0
  let next = t0 + intervalMs
  for (let i = 0; i < p.events; i++) {
    if ((i & 4095) === 0 && performance.now() >= next) {
      const s0 = performance.now()
      size = writeSnapshot(path, sums)
      const s1 = performance.now()
      durationsMs.push(s1 - s0)
      next = s0 + intervalMs
    }
    const e = double(gen(i))
    if (!notTwentySix(e)) continue
    const s = (sums.get(e.key) ?? 0) + e.amount
    sums.set(e.key, s)
    count++
    checksum += s
  }
  return {
    result: { count, checksum, finals: sums },
    ...watch.stop(),
    checkpoints: { completed: durationsMs.length, durationsMs, lastSizeBytes: size },
  }
}

// ---- the engine ----

/**
 * Runs the keyed-sum job in this thread on `backend`, with checkpoints every `intervalMs` into a
 * temporary directory when `intervalMs` is given. Reads the checkpoint metrics every 50 ms (also
 * without checkpoints, so both runs pay the same) to see each checkpoint's duration.
 */
export const runKeyedSum = async (p: KeyedSumParams, backend: BackendName, intervalMs: number | undefined, log: (line: string) => void): Promise<Run> => {
  const dir = await tempDir()
  try {
    const sink = new CountingSink()
    const graph = keyedSumGraph(p, sink, {
      config: backendConfig(backend, dir),
      ...(intervalMs === undefined ? {} : { checkpointing: { intervalMs, mode: 'EXACTLY_ONCE' as const, directory: join(dir, 'checkpoints') } }),
    })
    const job = graph.jobName
    const durationsMs: number[] = []
    let seen = 0
    const see = (m: Readonly<Record<string, number>>): void => {
      const n = m[`${job}.numberOfCompletedCheckpoints`] ?? 0
      // two checkpoints completing within one poll would show one duration: the interval (1 s) is far longer than a poll
      if (n > seen) durationsMs.push(m[`${job}.lastCheckpointDuration`] ?? Number.NaN)
      seen = n
    }
    const watch = stopwatch()
    const client = executeGraph(graph, { log: (m) => log(`  [${backend}] ${m}`) })
    const timer = setInterval(() => see(client.metrics()), POLL_MS)
    let result
    try {
      result = await client.result
    } finally {
      clearInterval(timer)
    }
    const { ms, cpuMs } = watch.stop()
    if (result.status !== 'FINISHED') throw new Error(`The keyed-sum job ended ${result.status}, not FINISHED.`)
    if (sink.reports !== 1) throw new Error(`The keyed-sum job's sink got ${sink.reports} reports, not 1.`)
    see(result.metrics)
    const checkpoints =
      intervalMs === undefined ? undefined : { completed: seen, durationsMs, lastSizeBytes: result.metrics[`${job}.lastCheckpointSize`] ?? 0 }
    return { result: sink.result, ms, cpuMs, checkpoints }
  } finally {
    await removeDir(dir)
  }
}

// ---- savepoint and restore of many keys ----

/** One round of the many-keys measurements for one backend. */
export interface StateRound {
  /** From the start of the job until every key was in state, in ms. */
  readonly fillMs: number
  /** From triggering the savepoint until it was complete, in ms. */
  readonly savepointMs: number
  /** The bytes of the savepoint's files. */
  readonly savepointBytes: number
  /** The run time of a job that restores the savepoint and ends, in ms. */
  readonly restoreMs: number
  /** The run time of the same job started without state, in ms. */
  readonly emptyMs: number
  /** The keyed state entries the restoring job found. */
  readonly restoredEntries: number
}

/** Fills `keys` keys into a Map, snapshots it as {@link writeSnapshot} does, and reads it back. */
export const handSavepointRound = async (keys: number): Promise<StateRound> => {
  const dir = await tempDir()
  try {
    const gen = keyEvent(keys)
    const t0 = performance.now()
    const sums = new Map<number, number>()
    for (let i = 0; i < keys; i++) {
      const e = gen(i)
      sums.set(e.key, (sums.get(e.key) ?? 0) + e.amount)
    }
    const t1 = performance.now()
    const path = join(dir, 'snapshot')
    const savepointBytes = writeSnapshot(path, sums)
    const t2 = performance.now()
    const restored = deserialize(readFileSync(path)) as Map<number, number>
    const t3 = performance.now()
    return { fillMs: t1 - t0, savepointMs: t2 - t1, savepointBytes, restoreMs: t3 - t2, emptyMs: 0, restoredEntries: restored.size }
  } finally {
    await removeDir(dir)
  }
}

/**
 * Fills `keys` keys into the keyed state of the many-keys job on `backend`, takes a savepoint
 * once all are in (the job keeps running meanwhile), cancels the job, then runs a job that
 * restores the savepoint and ends, and the same job without state.
 */
export const engineSavepointRound = async (keys: number, backend: BackendName, log: (line: string) => void): Promise<StateRound> => {
  const dir = await tempDir()
  try {
    const p = { keys, backend, directory: dir }
    const jobLog = (m: string): void => log(`  [${backend}] ${m}`)
    let allKeys!: () => void
    const allIn = new Promise<void>((resolve) => (allKeys = resolve))
    const fillSink = new KeyCountingSink(keys, () => allKeys())
    const t0 = performance.now()
    const client = executeGraph(fillGraph(p, fillSink), { log: jobLog })
    try {
      await Promise.race([allIn, client.result.then((r) => Promise.reject(new Error(`The many-keys job ended ${r.status} before all keys were in state.`)))])
    } catch (e) {
      client.cancel()
      throw e
    }
    const t1 = performance.now()
    let path: string
    try {
      path = await client.triggerSavepoint(join(dir, 'savepoints'))
    } finally {
      client.cancel()
    }
    const t2 = performance.now()
    const filled = await client.result
    if (filled.status !== 'CANCELED') throw new Error(`The many-keys job ended ${filled.status}, not CANCELED.`)
    const savepointBytes = await directorySize(path)

    forceGarbageCollection()
    const restoreSink = new KeyCountingSink()
    const t3 = performance.now()
    const restored = await executeGraph(restoreGraph(p, restoreSink), { restoreFrom: path, allowNonRestoredState: true, log: jobLog }).result
    const t4 = performance.now()
    if (restored.status !== 'FINISHED') throw new Error(`The restoring job ended ${restored.status}, not FINISHED.`)
    if (restoreSink.entries !== keys) throw new Error(`The restoring job found ${String(restoreSink.entries)} state entries, not ${keys}.`)

    const emptySink = new KeyCountingSink()
    const t5 = performance.now()
    await executeGraph(restoreGraph(p, emptySink), { log: jobLog }).result
    const t6 = performance.now()
    if (emptySink.entries !== 0) throw new Error(`The job without state found ${String(emptySink.entries)} state entries, not 0.`)
    return { fillMs: fillSink.allKeysAt - t0, savepointMs: t2 - t1, savepointBytes, restoreMs: t4 - t3, emptyMs: t6 - t5, restoredEntries: restoreSink.entries }
  } finally {
    await removeDir(dir)
  }
}

// ---- the scenario ----

interface Impl {
  readonly id: string
  readonly label: string
  readonly events: number
  readonly run: () => Promise<Run>
}

/** What the scenario runs with beyond `ScenarioOptions` (the tests make it small and fast). */
export interface CheckpointSettings {
  /** The checkpoint interval of the throughput runs, in ms (default 1 000). */
  readonly intervalMs: number
  /** Keys in the saved and restored state (default 1M). */
  readonly stateKeys: number
  /** The lmdb throughput runs' share of the events (default 1). */
  readonly lmdbShare: number
}

const STATE_IMPLS = ['state-hand', 'state-heap', 'state-lmdb'] as const

const runCheckpoints = async (o: ScenarioOptions, log: (line: string) => void, cfg: CheckpointSettings): Promise<ScenarioReport> => {
  const every = `every ${cfg.intervalMs >= 1000 ? `${cfg.intervalMs / 1000} s` : `${cfg.intervalMs} ms`}`
  const events = o.events
  const keys = o.keys ?? DEFAULT_KEYS
  const lmdbEvents = Math.max(1, Math.round(events * cfg.lmdbShare))
  const p: KeyedSumParams = { events, keys, parallelism: 1 }
  const pl: KeyedSumParams = { events: lmdbEvents, keys, parallelism: 1 }
  const load0 = os.loadavg()[0]!
  const dir = await tempDir()
  try {
    const all: Impl[] = [
      { id: 'hand', label: 'hand-written loop', events, run: async () => timedRun(() => handLoop(p)) },
      {
        id: 'hand-cp',
        label: `hand-written loop, v8.serialize(Map) to a file ${every}`,
        events,
        run: async () => handLoopWithSnapshots(p, join(dir, 'hand-snapshot'), cfg.intervalMs),
      },
      { id: 'heap', label: 'engine, heap, no checkpoints', events, run: () => runKeyedSum(p, 'heap', undefined, log) },
      { id: 'heap-cp', label: `engine, heap, checkpoints ${every}`, events, run: () => runKeyedSum(p, 'heap', cfg.intervalMs, log) },
      { id: 'lmdb', label: 'engine, lmdb, no checkpoints', events: lmdbEvents, run: () => runKeyedSum(pl, 'lmdb', undefined, log) },
      { id: 'lmdb-cp', label: `engine, lmdb, checkpoints ${every}`, events: lmdbEvents, run: () => runKeyedSum(pl, 'lmdb', cfg.intervalMs, log) },
    ]
    const known = [...all.map((i) => i.id), ...STATE_IMPLS]
    const unknown = o.only.filter((id) => !known.includes(id))
    if (unknown.length > 0) throw new UsageError(`checkpoints has no implementation ${unknown.join(', ')}; it has ${known.join(', ')}.`)
    const impls = o.only.length === 0 ? all : all.filter((i) => o.only.includes(i.id))
    const series = impls.map((i): Series => ({ id: i.id, label: i.label, events: i.events, runsMs: [], cpuMs: [] }))
    const stats = new Map<string, CheckpointStats[]>(impls.map((i) => [i.id, []]))
    const want = new Map<number, KeyedSumResult>()
    const wanted = (n: number): KeyedSumResult => {
      let w = want.get(n)
      if (w === undefined) want.set(n, (w = handLoop({ events: n, keys })))
      return w
    }
    if (impls.length > 0) {
      for (const i of impls) wanted(i.events)
      for (let round = -o.warmup; round < o.rounds; round++) {
        const parts: string[] = []
        // every other round in reverse order, so that no implementation always follows the same one
        const order = impls.map((_, j) => j)
        if ((round + o.warmup) % 2 === 1) order.reverse()
        for (const j of order) {
          const impl = impls[j]!
          forceGarbageCollection()
          const r = await impl.run()
          assertSame(impl.label, wanted(impl.events), r.result)
          if (round >= 0) {
            series[j]!.runsMs.push(r.ms)
            series[j]!.cpuMs!.push(r.cpuMs)
            if (r.checkpoints !== undefined) stats.get(impl.id)!.push(r.checkpoints)
          }
          parts.push(`${impl.id} ${r.ms.toFixed(0)} ms${r.checkpoints === undefined ? '' : ` (${r.checkpoints.completed} cp)`}`)
        }
        log(`  ${round < 0 ? 'warm-up' : `round ${round + 1}/${o.rounds}`}: ${parts.join(', ')}`)
      }
    }

    // savepoint and restore of many keys
    const stateImpls = STATE_IMPLS.filter((id) => o.only.length === 0 || o.only.includes(id))
    const stateRounds = Math.min(o.rounds, MAX_STATE_ROUNDS)
    const state = new Map<string, StateRound[]>(stateImpls.map((id) => [id, []]))
    for (let round = 0; round < (stateImpls.length > 0 ? stateRounds : 0); round++) {
      const parts: string[] = []
      for (const id of stateImpls) {
        forceGarbageCollection()
        const r = id === 'state-hand' ? await handSavepointRound(cfg.stateKeys) : await engineSavepointRound(cfg.stateKeys, id === 'state-heap' ? 'heap' : 'lmdb', log)
        if (r.restoredEntries !== cfg.stateKeys) throw new Error(`${id} restored ${r.restoredEntries} keys, not ${cfg.stateKeys}.`)
        state.get(id)!.push(r)
        parts.push(`${id} fill ${r.fillMs.toFixed(0)} ms, savepoint ${r.savepointMs.toFixed(0)} ms, restore ${r.restoreMs.toFixed(0)} ms`)
      }
      log(`  ${cfg.stateKeys.toLocaleString('en-US')} keys, round ${round + 1}/${stateRounds}: ${parts.join('; ')}`)
    }

    return {
      scenario: 'checkpoints',
      description: `keyed-sum with and without checkpoints ${every} (EXACTLY_ONCE, heap and lmdb), and a savepoint and restore of ${cfg.stateKeys.toLocaleString('en-US')} keys`,
      params: { events, lmdbEvents, keys, checkpointIntervalMs: cfg.intervalMs, stateKeys: cfg.stateKeys, stateRounds },
      startupMs: {},
      rounds: o.rounds,
      warmup: o.warmup,
      series,
      ratios: ratiosOf(series, every),
      figures: [...checkpointFigures(impls, stats, keys), ...stateFigures(cfg.stateKeys, state)],
      notes: [
        `Every run produced the hand loop's result (${wanted(events).count} running sums and ${wanted(events).finals.size} final sums${lmdbEvents === events ? '' : `; lmdb runs: ${lmdbEvents.toLocaleString('en-US')} events, ${wanted(lmdbEvents).count} running sums`}).`,
        ...(lmdbEvents === events ? [] : [`The lmdb runs read ${cfg.lmdbShare * 100}% of the events; events/s compare across event counts.`]),
        `Load average (1 min) at the start and the end: ${load0.toFixed(1)} and ${os.loadavg()[0]!.toFixed(1)}, on ${os.availableParallelism()} cores: a load above the cores means other processes took CPU time from these runs.`,
        'Checkpoint durations: the job metric lastCheckpointDuration (trigger to complete), read every 50 ms during each measured run; the size is lastCheckpointSize (the state files).',
        `${cfg.stateKeys.toLocaleString('en-US')} keys: an endless datagen cycles over the keys into a keyed running sum (ValueState); once every key is in state a savepoint is triggered (the job keeps running) and timed until complete; its size is the bytes of its files. The restore job starts from it (allowNonRestoredState: a source of no records, another uid), checks it has every key, and ends; "job without state" is the same job started empty.`,
        'The hand-written state baseline: the same keys in a Map, v8.serialize + write + fsync + rename, then readFileSync + v8.deserialize.',
      ],
    }
  } finally {
    await removeDir(dir)
  }
}

const timedRun = async (fn: () => KeyedSumResult): Promise<Run> => {
  const watch = stopwatch()
  const result = fn()
  return { result, ...watch.stop(), checkpoints: undefined }
}

const ratiosOf = (series: readonly Series[], every: string): Ratio[] => {
  const ratios: Ratio[] = []
  const ratio = (id: string, label: string, top: string, bottom: string, target?: number, rate = eventsPerSecond): void => {
    const a = series.find((s) => s.id === top)
    const b = series.find((s) => s.id === bottom)
    if (a === undefined || b === undefined) return
    const value = rate(a) / rate(b)
    ratios.push(target === undefined ? { id, label, value } : { id, label, value, target })
  }
  ratio('heap-cp/heap', `engine heap: with checkpoints ${every} / without (at most 10% slower)`, 'heap-cp', 'heap', 0.9)
  ratio('heap-cp/heap-cpu', `the same by CPU time (events per CPU second; less disturbed by other processes)`, 'heap-cp', 'heap', undefined, eventsPerCpuSecond)
  ratio('hand-cp/hand', `hand loop: with a snapshot ${every} / without`, 'hand-cp', 'hand')
  ratio('heap/hand', 'engine heap / hand loop, no checkpoints', 'heap', 'hand')
  ratio('heap-cp/hand-cp', `engine heap / hand loop, both with checkpoints ${every}`, 'heap-cp', 'hand-cp')
  ratio('lmdb/heap', 'engine lmdb / heap, no checkpoints', 'lmdb', 'heap')
  ratio('lmdb-cp/heap-cp', `engine lmdb / heap, checkpoints ${every}`, 'lmdb-cp', 'heap-cp')
  ratio('lmdb-cp/lmdb', `engine lmdb: with checkpoints ${every} / without`, 'lmdb-cp', 'lmdb')
  ratio('lmdb-cp/lmdb-cpu', 'the same by CPU time', 'lmdb-cp', 'lmdb', undefined, eventsPerCpuSecond)
  return ratios
}

const checkpointFigures = (impls: readonly Impl[], stats: ReadonlyMap<string, readonly CheckpointStats[]>, keys: number): Figure[] =>
  impls.flatMap((impl): Figure[] => {
    const s = stats.get(impl.id) ?? []
    if (s.length === 0) return []
    const what = impl.id === 'hand-cp' ? 'hand loop, snapshots' : `${impl.id.replace('-cp', '')}, checkpoints`
    return [
      { id: `${impl.id}-completed`, label: `${what} completed per run`, unit: 'count', values: s.map((x) => x.completed) },
      { id: `${impl.id}-duration`, label: `${what}: duration of each`, unit: 'ms', values: s.flatMap((x) => x.durationsMs) },
      {
        id: `${impl.id}-size`,
        label: `${what}: size of the last (${keys.toLocaleString('en-US')} keys)`,
        unit: 'bytes',
        values: s.filter((x) => x.completed > 0).map((x) => x.lastSizeBytes),
      },
    ]
  })

const stateFigures = (keys: number, state: ReadonlyMap<string, readonly StateRound[]>): Figure[] => {
  const n = keys >= 1e6 && keys % 1e6 === 0 ? `${keys / 1e6}M` : keys.toLocaleString('en-US')
  return [...state].flatMap(([id, rounds]): Figure[] => {
    if (rounds.length === 0) return []
    const who = id === 'state-hand' ? 'hand (Map)' : id.replace('state-', '')
    const snap = id === 'state-hand' ? 'snapshot' : 'savepoint'
    const figures: Figure[] = [
      { id: `${id}-fill`, label: `${n} keys, ${who}: fill the state`, unit: 'ms', values: rounds.map((r) => r.fillMs) },
      { id: `${id}-savepoint`, label: `${n} keys, ${who}: ${snap}, trigger to complete`, unit: 'ms', values: rounds.map((r) => r.savepointMs) },
      { id: `${id}-size`, label: `${n} keys, ${who}: ${snap} size on disk`, unit: 'bytes', values: rounds.map((r) => r.savepointBytes) },
      { id: `${id}-restore`, label: `${n} keys, ${who}: restore${id === 'state-hand' ? ' (read + deserialize)' : ', job run time'}`, unit: 'ms', values: rounds.map((r) => r.restoreMs) },
    ]
    if (id !== 'state-hand') figures.push({ id: `${id}-empty`, label: `${n} keys, ${who}: same job without state`, unit: 'ms', values: rounds.map((r) => r.emptyMs) })
    return figures
  })
}

/** The scenario at other sizes (the tests run it small). */
export const checkpointsScenarioWith = (settings: Partial<CheckpointSettings> = {}): Scenario => {
  const s: CheckpointSettings = {
    intervalMs: settings.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    stateKeys: settings.stateKeys ?? DEFAULT_STATE_KEYS,
    lmdbShare: settings.lmdbShare ?? LMDB_EVENTS_SHARE,
  }
  return {
    name: 'checkpoints',
    description: 'keyed-sum with and without checkpoints (heap, lmdb), and a savepoint and restore of 1M keys',
    defaultEvents: DEFAULT_CHECKPOINT_EVENTS,
    run: (o, log) => runCheckpoints(o, log, s),
  }
}

export const checkpointsScenario: Scenario = checkpointsScenarioWith()
