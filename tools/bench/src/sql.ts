// Scenario "sql": three queries over datagen, each written in SQL (@strom/table) and in the
// DataStream API, in the same process and run: a filter/projection, a TUMBLE window count, and a
// GROUP BY into an upsert sink. The target (issue 5): SQL costs at most 1.5x the DataStream job.
import os from 'node:os'
import { UsageError } from './args.js'
import { eventsPerCpuSecond, eventsPerSecond, forceGarbageCollection, stopwatch, type Series } from './measure.js'
import type { Ratio, Scenario, ScenarioOptions, ScenarioReport } from './scenario.js'
import {
  dataStreamGroup,
  dataStreamProjection,
  dataStreamTumble,
  explainQueries,
  groupDifferences,
  handGroup,
  handProjection,
  handTumble,
  sqlGroup,
  sqlProjection,
  sqlTumble,
  type GroupResult,
  type ProjectionResult,
} from './sql-job.js'
import { windowDifferences } from './windows.js'
import type { WindowResult } from './windows-job.js'

/** Keys by default: as the windows scenario (10 000 keys, 10 events per key and 1 s window). */
export const DEFAULT_SQL_KEYS = 10_000

/** SQL must reach this share of the DataStream job's events/s (at most 1.5x its cost). */
export const SQL_TARGET = 1 / 1.5

type Query = 'projection' | 'tumble' | 'group'

interface Results {
  readonly projection: ProjectionResult
  readonly tumble: WindowResult
  readonly group: GroupResult
}

interface Impl<Q extends Query> {
  readonly id: string
  readonly label: string
  readonly query: Q
  readonly run: () => Results[Q] | Promise<Results[Q]>
}

type AnyImpl = Impl<'projection'> | Impl<'tumble'> | Impl<'group'>

/** How a result differs from the reference, in words; `undefined` when it is the same. */
const differences = (impl: AnyImpl, want: Results, got: unknown): string | undefined => {
  switch (impl.query) {
    case 'projection': {
      const g = got as ProjectionResult
      const w = want.projection
      return g.rows === w.rows && g.checksum === w.checksum ? undefined : `${g.rows} rows (checksum ${g.checksum}) instead of ${w.rows} (checksum ${w.checksum})`
    }
    case 'tumble':
      return windowDifferences(want.tumble, got as WindowResult)
    case 'group':
      return groupDifferences(want.group, got as GroupResult)
  }
}

/** The implementations, in report order: each query by DataStream then SQL, then the hand loops. */
export const sqlImplementations = (events: number, keys: number): AnyImpl[] => [
  { id: 'ds-projection', label: 'DataStream: filter + map', query: 'projection', run: () => dataStreamProjection(events, keys) },
  { id: 'sql-projection', label: 'SQL: SELECT key, amount * 2 WHERE amount <> 13', query: 'projection', run: () => sqlProjection(events, keys) },
  { id: 'ds-tumble', label: 'DataStream: keyBy + tumbling 1 s window count', query: 'tumble', run: () => dataStreamTumble(events, keys) },
  { id: 'sql-tumble', label: 'SQL: TUMBLE(1 s) GROUP BY key, COUNT(*)', query: 'tumble', run: () => sqlTumble(events, keys) },
  { id: 'ds-group', label: 'DataStream: keyBy + count and sum (ValueState)', query: 'group', run: () => dataStreamGroup(events, keys) },
  { id: 'sql-group', label: 'SQL: GROUP BY key, COUNT(*), SUM(amount), upsert', query: 'group', run: () => sqlGroup(events, keys) },
  { id: 'hand-projection', label: 'hand-written loop: projection', query: 'projection', run: () => handProjection(events, keys) },
  { id: 'hand-tumble', label: 'hand-written loop: tumbling count (Map per window)', query: 'tumble', run: () => handTumble(events, keys) },
  { id: 'hand-group', label: 'hand-written loop: count and sum per key', query: 'group', run: () => handGroup(events, keys) },
]

/** The operators of a plan as `EXPLAIN` prints it, source first: `TableSourceScan -> Calc -> Sink`. */
export const planShape = (explained: string): string =>
  explained
    .split('\n')
    .map((line) => /^[\s+|-]*([A-Za-z]+)\(/.exec(line)?.[1])
    .filter((op): op is string => op !== undefined)
    .reverse()
    .join(' -> ')

const runSql = async (o: ScenarioOptions, log: (line: string) => void): Promise<ScenarioReport> => {
  const events = o.events
  const keys = o.keys ?? DEFAULT_SQL_KEYS
  const all = sqlImplementations(events, keys)
  const unknown = o.only.filter((id) => !all.some((i) => i.id === id))
  if (unknown.length > 0) throw new UsageError(`sql has no implementation ${unknown.join(', ')}; it has ${all.map((i) => i.id).join(', ')}.`)
  const impls = o.only.length === 0 ? all : all.filter((i) => o.only.includes(i.id))
  const series = impls.map((i): Series => ({ id: i.id, label: i.label, events, runsMs: [], cpuMs: [] }))
  const load0 = os.loadavg()[0]!
  const want: Results = { projection: handProjection(events, keys), tumble: handTumble(events, keys), group: handGroup(events, keys) }
  for (let round = -o.warmup; round < o.rounds; round++) {
    const parts: string[] = []
    // every other round in reverse order, so that no implementation always follows the same one
    const order = impls.map((_, j) => j)
    if ((round + o.warmup) % 2 === 1) order.reverse()
    for (const j of order) {
      const impl = impls[j]!
      forceGarbageCollection()
      const watch = stopwatch()
      const got = await impl.run()
      const { ms, cpuMs } = watch.stop()
      const d = differences(impl, want, got)
      if (d !== undefined) throw new Error(`sql: ${impl.label} computed another result than the hand-written loop: ${d}.`)
      if (round >= 0) {
        series[j]!.runsMs.push(ms)
        series[j]!.cpuMs!.push(cpuMs)
      }
      parts.push(`${impl.id} ${ms.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)})`)
    }
    log(`  ${round < 0 ? 'warm-up' : `round ${round + 1}/${o.rounds}`}: ${parts.join(', ')}`)
  }
  const ratios: Ratio[] = []
  const ratio = (id: string, label: string, top: string, bottom: string, target: number | undefined, rate: (s: Series) => number): void => {
    const a = series.find((s) => s.id === top)
    const b = series.find((s) => s.id === bottom)
    if (a === undefined || b === undefined) return
    const value = rate(a) / rate(b)
    ratios.push(target === undefined ? { id, label, value } : { id, label, value, target })
  }
  for (const [q, name, target] of [
    ['projection', 'filter/projection', SQL_TARGET],
    ['tumble', 'TUMBLE count', SQL_TARGET],
    ['group', 'GROUP BY', undefined],
  ] as const) {
    ratio(`${q}/ds`, `${name}: SQL / DataStream, events/s (wall clock)`, `sql-${q}`, `ds-${q}`, target, eventsPerSecond)
    ratio(`${q}/ds-cpu`, `${name}: SQL / DataStream, events per CPU second (less disturbed by other processes)`, `sql-${q}`, `ds-${q}`, target, eventsPerCpuSecond)
  }
  for (const q of ['projection', 'tumble', 'group'] as const) ratio(`${q}/hand`, `${q}: DataStream / hand-written loop, events/s`, `ds-${q}`, `hand-${q}`, undefined, eventsPerSecond)
  const plans = await explainQueries()
  return {
    scenario: 'sql',
    description: 'filter/projection, TUMBLE window count and GROUP BY over datagen: SQL next to the same job in the DataStream API',
    params: { events, keys, windowResults: want.tumble.results, groupUpdates: want.group.updates },
    startupMs: {},
    rounds: o.rounds,
    warmup: o.warmup,
    series,
    ratios,
    notes: [
      `Every run produced the hand loops' results: ${want.projection.rows} projected rows, ${want.tumble.results} window counts, ${want.group.updates} GROUP BY updates.`,
      `Target (issue 5): SQL at least ${SQL_TARGET.toFixed(2)} of the DataStream job's events/s (at most 1.5x its cost) for the projection and the TUMBLE count; GROUP BY is reported without a target.`,
      `SQL plans: projection ${planShape(plans.projection)}; TUMBLE ${planShape(plans.tumble)}; GROUP BY ${planShape(plans.group)}.`,
      'Both APIs read the same events at parallelism 1 in this thread: DataStream as objects { key, amount, ts }, SQL as rows [key, amount, ts] made directly by a table connector; with watermarks (ts, monotonous) for TUMBLE only, in both. Each run is checked against the hand-written loop.',
      `Load average (1 min) at the start and the end: ${load0.toFixed(1)} and ${os.loadavg()[0]!.toFixed(1)}, on ${os.availableParallelism()} cores: a load above the cores means other processes took CPU time from these runs, which the CPU-time ratios are less sensitive to.`,
    ],
  }
}

/** The `sql` scenario: SQL next to the DataStream API for a projection, a TUMBLE count and a GROUP BY. */
export const sqlScenario: Scenario = {
  name: 'sql',
  description: 'SQL (projection, TUMBLE count, GROUP BY) next to the same jobs in the DataStream API',
  run: runSql,
}
