// The jobs of the "sql" scenario: the same three queries written in SQL (@strom/table) and in the
// DataStream API, over the same generated events, into counting sinks that check what they got.
import * as E from 'fp-ts/lib/Either.js'
import {
  DataGenSource,
  KeyedProcessFunction,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  ValueStateDescriptor,
  WatermarkStrategy,
  type Collector,
  type RuntimeContext,
  type Sink,
  type SinkWriter,
} from '@strom/datastream'
import type { ValueState } from '@strom/process'
import { ChangelogModes, TableEnvironment, type Row, type TableConnectorFactory } from '@strom/table'
import { EVENTS_PER_MS, EmitCount, TUMBLE_MS, addResult, countAggregate, emptyWindowResult, type WindowCount, type WindowResult } from './windows-job.js'

/** An event: a key, an amount and an event time (ms), as in the windows scenario plus an amount. */
export interface SqlEvent {
  readonly key: number
  readonly amount: number
  readonly ts: number
}

/** Event `i`: keys spread over `keys`, amounts 1..13, 100 000 events per second of event time, in order. */
export const makeSqlEvent =
  (keys: number) =>
  (i: number): SqlEvent => ({ key: (i * 7919) % keys, amount: (i % 13) + 1, ts: Math.floor(i / EVENTS_PER_MS) })

/**
 * Event `i` as a table row `[key, amount, ts]`: the values of {@link makeSqlEvent}, made directly
 * as a row, the way a SQL source makes its records (the tests check that the two agree).
 */
export const makeSqlRow =
  (keys: number) =>
  (i: number): Row => ({ kind: 0, fields: [(i * 7919) % keys, (i % 13) + 1, Math.floor(i / EVENTS_PER_MS)] })

// ---- query 1: filter and projection ----

/** What the filter/projection query must produce: the rows kept and a checksum over them. */
export interface ProjectionResult {
  rows: number
  checksum: number
}

const addProjected = (r: ProjectionResult, key: number, doubled: number): void => {
  r.rows++
  r.checksum += ((key * 31 + doubled) % 1009) + 1
}

/** The hand-written projection loop: the reference both engines must equal. */
export const handProjection = (events: number, keys: number): ProjectionResult => {
  const gen = makeSqlEvent(keys)
  const r: ProjectionResult = { rows: 0, checksum: 0 }
  for (let i = 0; i < events; i++) {
    const e = gen(i)
    if (e.amount === 13) continue
    addProjected(r, e.key, e.amount * 2)
  }
  return r
}

// ---- query 3: GROUP BY (updating) ----

/**
 * What the GROUP BY query must produce: one update per event (the key's new count and total), a
 * checksum over them in order per key, and each key's final count and total.
 */
export interface GroupResult {
  updates: number
  checksum: number
  /** Each key's `[count, total]`, updated in place. */
  readonly finals: Map<number, [number, number]>
}

/** A GROUP BY result with nothing in it yet. */
export const emptyGroupResult = (): GroupResult => ({ updates: 0, checksum: 0, finals: new Map() })

const addUpdate = (r: GroupResult, key: number, cnt: number, total: number): void => {
  r.updates++
  r.checksum += ((key * 31 + cnt * 7 + total) % 1009) + 1
  const f = r.finals.get(key)
  if (f === undefined) r.finals.set(key, [cnt, total])
  else {
    f[0] = cnt
    f[1] = total
  }
}

/** The GROUP BY reference: a running count and sum per key, one update per event. */
export const handGroup = (events: number, keys: number): GroupResult => {
  const gen = makeSqlEvent(keys)
  const r = emptyGroupResult()
  const acc = new Map<number, [number, number]>()
  for (let i = 0; i < events; i++) {
    const e = gen(i)
    let a = acc.get(e.key)
    if (a === undefined) acc.set(e.key, (a = [0, 0]))
    a[0]++
    a[1] += e.amount
    addUpdate(r, e.key, a[0], a[1])
  }
  return r
}

/** How two GROUP BY results differ, in words; `undefined` when they are the same. */
export const groupDifferences = (want: GroupResult, got: GroupResult): string | undefined => {
  const out: string[] = []
  if (got.updates !== want.updates) out.push(`${got.updates} updates instead of ${want.updates}`)
  if (got.checksum !== want.checksum) out.push(`checksum ${got.checksum} instead of ${want.checksum}`)
  if (got.finals.size !== want.finals.size) out.push(`${got.finals.size} keys instead of ${want.finals.size}`)
  let wrong = 0
  for (const [k, [c, t]] of want.finals) {
    const g = got.finals.get(k)
    if (g === undefined || g[0] !== c || g[1] !== t) wrong++
  }
  if (wrong > 0) out.push(`${wrong} keys with another final count or total`)
  return out.length === 0 ? undefined : out.join('; ')
}

// ---- query 2: TUMBLE ----

/** The TUMBLE reference, computed directly. */
export const handTumble = (events: number, keys: number): WindowResult => {
  const gen = makeSqlEvent(keys)
  const counts = new Map<number, Map<number, number>>()
  for (let i = 0; i < events; i++) {
    const e = gen(i)
    const end = e.ts - (e.ts % TUMBLE_MS) + TUMBLE_MS
    let m = counts.get(end)
    if (m === undefined) counts.set(end, (m = new Map()))
    m.set(e.key, (m.get(e.key) ?? 0) + 1)
  }
  const r = emptyWindowResult()
  for (const [end, m] of counts) for (const [key, c] of m) addResult(r, key, end, c)
  return r
}

// ---- sinks: counting in this thread ----

class ProjectionSink<T> implements Sink<T> {
  result: ProjectionResult = { rows: 0, checksum: 0 }
  constructor(
    private readonly key: (v: T) => number,
    private readonly doubled: (v: T) => number,
  ) {}
  createWriter(): SinkWriter<T> {
    return {
      write: (v: T) => addProjected(this.result, this.key(v), this.doubled(v)),
      flush() {},
      close() {},
    }
  }
}

class WindowSink<T> implements Sink<T> {
  result: WindowResult = emptyWindowResult()
  constructor(private readonly read: (v: T) => WindowCount) {}
  createWriter(): SinkWriter<T> {
    return {
      write: (v: T) => {
        const [key, end, count] = this.read(v)
        addResult(this.result, key, end, count)
      },
      flush() {},
      close() {},
    }
  }
}

/** Counts `(key, count, total)` updates; for SQL, fails on a row kind an upsert sink does not expect. */
class GroupSink<T> implements Sink<T> {
  result: GroupResult = emptyGroupResult()
  constructor(private readonly add: (r: GroupResult, v: T) => void) {}
  createWriter(): SinkWriter<T> {
    return {
      write: (v: T) => this.add(this.result, v),
      flush() {},
      close() {},
    }
  }
}

// ---- DataStream ----

/** `filter(amount <> 13).map({ key, doubled })` into a counting sink. */
export const dataStreamProjection = async (events: number, keys: number): Promise<ProjectionResult> => {
  const env = StreamExecutionEnvironment.create({ parallelism: 1 })
  const sink = new ProjectionSink<{ key: number; doubled: number }>(
    (v) => v.key,
    (v) => v.doubled,
  )
  env
    .fromSource(DataGenSource.of(makeSqlEvent(keys), { count: events }), WatermarkStrategy.noWatermarks<SqlEvent>(), 'events')
    .filter((e) => e.amount !== 13)
    .map((e) => ({ key: e.key, doubled: e.amount * 2 }))
    .sinkTo(sink)
  const r = await env.execute('datastream-projection')
  if (r.status !== 'FINISHED') throw new Error(`The DataStream projection ended ${r.status}.`)
  return sink.result
}

/** `keyBy(key).window(tumbling 1 s).aggregate(count)` into a counting sink. */
export const dataStreamTumble = async (events: number, keys: number): Promise<WindowResult> => {
  const env = StreamExecutionEnvironment.create({ parallelism: 1 })
  const sink = new WindowSink<WindowCount>((v) => v)
  env
    .fromSource(
      DataGenSource.of(makeSqlEvent(keys), { count: events }),
      WatermarkStrategy.forMonotonousTimestamps<SqlEvent>().withTimestampAssigner((e) => e.ts),
      'events',
    )
    .keyBy((e) => e.key)
    .window(TumblingEventTimeWindows.of(TUMBLE_MS))
    .aggregate(countAggregate, new EmitCount())
    .sinkTo(sink)
  const r = await env.execute('datastream-tumble')
  if (r.status !== 'FINISHED') throw new Error(`The DataStream window job ended ${r.status}.`)
  return sink.result
}

/** An update of the GROUP BY job: a key's new count and total. */
export interface CountTotal {
  readonly key: number
  readonly cnt: number
  readonly total: number
}

/** The GROUP BY by hand in the DataStream API: `[count, total]` in a ValueState, an update per event. */
export class CountAndSum extends KeyedProcessFunction<number, SqlEvent, CountTotal> {
  private acc: ValueState<number[]> | undefined
  override open(ctx: RuntimeContext): void {
    this.acc = ctx.getState(new ValueStateDescriptor<number[]>('count-and-sum'))
  }
  processElement(e: SqlEvent, _ctx: KeyedProcessFunction.Context<number>, out: Collector<CountTotal>): void {
    const state = this.acc!
    const a = state.value() ?? [0, 0]
    a[0]!++
    a[1]! += e.amount
    state.update(a)
    out.collect({ key: e.key, cnt: a[0]!, total: a[1]! })
  }
}

/** `keyBy(key).process(count and sum)` into a counting sink. */
export const dataStreamGroup = async (events: number, keys: number): Promise<GroupResult> => {
  const env = StreamExecutionEnvironment.create({ parallelism: 1 })
  const sink = new GroupSink<CountTotal>((r, v) => addUpdate(r, v.key, v.cnt, v.total))
  env
    .fromSource(DataGenSource.of(makeSqlEvent(keys), { count: events }), WatermarkStrategy.noWatermarks<SqlEvent>(), 'events')
    .keyBy((e) => e.key)
    .process(new CountAndSum())
    .sinkTo(sink)
  const r = await env.execute('datastream-group')
  if (r.status !== 'FINISHED') throw new Error(`The DataStream GROUP BY job ended ${r.status}.`)
  return sink.result
}

// ---- SQL ----

/**
 * A table connector for the benchmark: a source of the same events as the DataStream jobs (made
 * directly as rows, `key INT, amount INT, ts TIMESTAMP(3)`), and a sink into the given Sink (an
 * upsert sink for a table with a primary key), so that SQL and DataStream pay the same for
 * producing and consuming records.
 */
const benchConnector = (events: number, keys: number, sink: Sink<Row>): TableConnectorFactory => ({
  identifier: 'bench',
  requiredOptions: [],
  optionalOptions: [],
  createScanSource: () =>
    E.right({
      changelogMode: ChangelogModes.INSERT_ONLY,
      bounded: true,
      createSource: () => DataGenSource.of<Row>(makeSqlRow(keys), { count: events }),
    }),
  createSink: (ctx) => E.right({ acceptedChangelogMode: (m) => (ctx.primaryKey === undefined ? m : ChangelogModes.UPSERT), createSink: () => sink }),
})

const sqlEnv = (events: number, keys: number, sink: Sink<Row>): TableEnvironment =>
  TableEnvironment.create({ parallelism: 1, connectors: [benchConnector(events, keys, sink)] })

/**
 * The source table: with a watermark for the TUMBLE query (as its DataStream job has), without
 * for the others (as theirs, with `noWatermarks`).
 */
export const eventsDdl = (watermark: boolean): string =>
  `CREATE TABLE events (key INT, amount INT, ts TIMESTAMP(3)${watermark ? ', WATERMARK FOR ts AS ts' : ''}) WITH ('connector' = 'bench')`

/** The projection query in SQL. */
export const PROJECTION_SQL = 'INSERT INTO out SELECT key, amount * 2 AS doubled FROM events WHERE amount <> 13'

/** The TUMBLE window query in SQL. */
export const TUMBLE_SQL = `INSERT INTO out
SELECT key, window_end, COUNT(*) AS cnt
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND))
GROUP BY key, window_start, window_end`

/** The GROUP BY query in SQL, into an upsert table (no `-U` rows). */
export const GROUP_SQL = 'INSERT INTO out SELECT key, COUNT(*) AS cnt, SUM(amount) AS total FROM events GROUP BY key'

/** The sink tables of the three queries. */
export const OUT_DDL = {
  projection: `CREATE TABLE out (key INT, doubled INT) WITH ('connector' = 'bench')`,
  tumble: `CREATE TABLE out (key INT, window_end TIMESTAMP(3), cnt BIGINT) WITH ('connector' = 'bench')`,
  group: `CREATE TABLE out (key INT, cnt BIGINT, total INT, PRIMARY KEY (key) NOT ENFORCED) WITH ('connector' = 'bench')`,
} as const

const runSql = async (events: number, keys: number, sink: Sink<Row>, outDdl: string, query: string, what: string): Promise<void> => {
  const tEnv = sqlEnv(events, keys, sink)
  await tEnv.executeSql(eventsDdl(query === TUMBLE_SQL))
  await tEnv.executeSql(outDdl)
  const r = await (await tEnv.executeSql(query)).await()
  if (r?.status !== 'FINISHED') throw new Error(`The SQL ${what} ended ${r?.status}.`)
}

/** The plans of the three queries, as `EXPLAIN` prints them. */
export const explainQueries = async (): Promise<Record<'projection' | 'tumble' | 'group', string>> => {
  const explain = async (outDdl: string, query: string): Promise<string> => {
    const tEnv = sqlEnv(0, 1, new ProjectionSink<Row>(() => 0, () => 0))
    await tEnv.executeSql(eventsDdl(query === TUMBLE_SQL))
    await tEnv.executeSql(outDdl)
    return tEnv.explainSql(query)
  }
  return {
    projection: await explain(OUT_DDL.projection, PROJECTION_SQL),
    tumble: await explain(OUT_DDL.tumble, TUMBLE_SQL),
    group: await explain(OUT_DDL.group, GROUP_SQL),
  }
}

/** The projection query run by SQL into a counting sink. */
export const sqlProjection = async (events: number, keys: number): Promise<ProjectionResult> => {
  const sink = new ProjectionSink<Row>(
    (r) => r.fields[0] as number,
    (r) => r.fields[1] as number,
  )
  await runSql(events, keys, sink, OUT_DDL.projection, PROJECTION_SQL, 'projection')
  return sink.result
}

/** The TUMBLE query run by SQL into a counting sink. */
export const sqlTumble = async (events: number, keys: number): Promise<WindowResult> => {
  const sink = new WindowSink<Row>((r) => [r.fields[0] as number, r.fields[1] as number, r.fields[2] as number])
  await runSql(events, keys, sink, OUT_DDL.tumble, TUMBLE_SQL, 'window job')
  return sink.result
}

/** The GROUP BY query run by SQL into a counting upsert sink, which fails on a `-U` or `-D` row. */
export const sqlGroup = async (events: number, keys: number): Promise<GroupResult> => {
  const sink = new GroupSink<Row>((r, row) => {
    // an upsert changelog keyed by `key`: +I for a new key, +U after
    if (row.kind !== 0 && row.kind !== 2) throw new Error(`The SQL GROUP BY sent a row of kind ${row.kind} into an upsert sink.`)
    addUpdate(r, row.fields[0] as number, row.fields[1] as number, row.fields[2] as number)
  })
  await runSql(events, keys, sink, OUT_DDL.group, GROUP_SQL, 'GROUP BY')
  return sink.result
}
