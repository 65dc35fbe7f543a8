import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { ConnectorError, ManualClock, type Clock, type Sink } from '@strom/runtime'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RowKind, type Row } from '../data/row.js'
import { DataTypes } from '../types/data-type.js'
import { col } from '../formats/values.fixture.js'
import { problems, right, tableContext } from './connector.fixture.js'
import { FileSystemTableSource, fileSystemConnector, type FileSystemTableSink } from './filesystem.js'
import type { PartitionCommittable, PartitionedFileSink, PartitionedFileWriter, PartitionedWriterState } from './filesystem-partitioned-sink.js'
import type { ConnectorColumn, ConnectorContext } from './table-connector.js'
import { fakeWriterContext, runBounded } from './test-kit.js'
import { TableEnvironment } from '../api/table-environment.js'
import type { TableConnectorFactory } from './table-connector.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-table-partitions-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const fresh = (): string => join(root, `t${counter++}`)
const END = Number.MAX_SAFE_INTEGER
const MINUTE = 60_000

const COLUMNS: readonly ConnectorColumn[] = [col('item', DataTypes.STRING()), col('price', DataTypes.INT()), col('dt', DataTypes.STRING()), col('hm', DataTypes.STRING())]

const context = (options: Record<string, string>, partitionKeys: readonly string[], columns: readonly ConnectorColumn[] = COLUMNS): ConnectorContext => ({
  ...tableContext({ connector: 'filesystem', format: 'csv', ...options }, columns),
  partitionKeys,
})

const Q10_OPTIONS = {
  'sink.partition-commit.trigger': 'partition-time',
  'sink.partition-commit.delay': '1 min',
  'sink.partition-commit.policy.kind': 'success-file',
  'partition.time-extractor.timestamp-pattern': '$dt $hm:00',
}

const sinkOf = (path: string, options: Record<string, string>, partitionKeys: readonly string[] = ['dt', 'hm'], columns?: readonly ConnectorColumn[]): PartitionedFileSink =>
  (right(fileSystemConnector.createSink!(context({ path, ...options }, partitionKeys, columns))) as FileSystemTableSink).createSink() as PartitionedFileSink

const writerOf = (sink: PartitionedFileSink, subtask = 0, parallelism = 1, clock: Clock = new ManualClock()): PartitionedFileWriter =>
  sink.createWriter(fakeWriterContext(sink as Sink<unknown>, subtask, parallelism, clock))

/** A bid at minute `m` past 08:00 on 2020-04-15, in partition (dt, hm). */
const bid = (item: string, price: number, m: number): Row => ({ kind: RowKind.INSERT, fields: [item, price, '2020-04-15', `08:${String(m).padStart(2, '0')}`] })
/** The partition time of minute `m`, as the extractor reads '$dt $hm:00'. */
const minute = (m: number): number => Date.UTC(2020, 3, 15, 8, m)

/** What the runtime does at the barrier of checkpoint `id`, for every writer. */
const checkpoint = (writers: readonly PartitionedFileWriter[], id: number): { committables: PartitionCommittable[]; states: PartitionedWriterState[][] } => {
  const committables: PartitionCommittable[] = []
  const states: PartitionedWriterState[][] = []
  for (const w of writers) {
    w.flush(false)
    committables.push(...w.prepareCommit(id))
    states.push(w.snapshotState(id))
  }
  return { committables: structuredClone(committables), states: structuredClone(states) }
}

/** What the runtime does at the end of the input. */
const endOfInput = (writers: readonly PartitionedFileWriter[]): PartitionCommittable[] =>
  writers.flatMap((w) => {
    w.flush(true)
    const c = w.prepareCommit(END)
    w.close()
    return c
  })

/** The visible files under `dir` (relative paths, sorted) with their contents. */
const visible = async (dir: string): Promise<Record<string, string>> => {
  const out: Record<string, string> = {}
  const walk = async (d: string): Promise<void> => {
    let names: string[]
    try {
      names = await readdir(d)
    } catch {
      return
    }
    for (const n of names.sort()) {
      const p = join(d, n)
      if ((await stat(p)).isDirectory()) await walk(p)
      else if (!n.startsWith('.')) out[relative(dir, p)] = await readFile(p, 'utf8')
    }
  }
  await walk(dir)
  return out
}

/** Per partition directory: the committed rows (sorted) and whether it has `_SUCCESS`. */
const partitions = async (dir: string): Promise<Record<string, { rows: string[]; success: boolean }>> => {
  const out: Record<string, { rows: string[]; success: boolean }> = {}
  for (const [path, text] of Object.entries(await visible(dir))) {
    const slash = path.lastIndexOf('/')
    const p = path.slice(0, slash)
    const e = (out[p] ??= { rows: [], success: false })
    if (path.endsWith('/_SUCCESS')) e.success = true
    else e.rows.push(...text.split('\n').filter((l) => l !== ''))
  }
  for (const e of Object.values(out)) e.rows.sort()
  return out
}

/** The directory of minute `m`'s partition: ':' is escaped in path names, as in Flink. */
const dirOf = (m: number): string => `dt=2020-04-15/hm=08%3A${String(m).padStart(2, '0')}`

/** The visible files with part names made stable: `part-<subtask>-<writer id>-<n>` becomes `part-<subtask>-*-<n>`. */
const layout = async (dir: string): Promise<Record<string, string>> =>
  Object.fromEntries(Object.entries(await visible(dir)).map(([p, t]) => [p.replace(/part-(\d+)-[0-9a-f-]{36}-(\d+)$/, 'part-$1-*-$2'), t]))

describe('partitioned filesystem sink: layout', () => {
  it('writes each row under k1=v1/k2=v2 without its partition columns, escaping path names and NULLs as Flink', async () => {
    const path = fresh()
    const columns = [col('s', DataTypes.STRING()), col('v', DataTypes.STRING()), col('k', DataTypes.INT())]
    const sink = sinkOf(path, {}, ['s', 'k'], columns)
    const w = writerOf(sink)
    const rows: [string | null, string, number | null][] = [
      ['a/b', 'x', 1],
      ['a/b', 'y', 1],
      [null, 'z', 2],
      ['', 'w', null],
      ['50%=half', 'u', 3],
      ['a/b', 'v', 1],
    ]
    for (const r of rows) w.write({ kind: RowKind.INSERT, fields: [...r] }, 0)
    await sink.createCommitter().commit(endOfInput([w]))
    expect(await layout(path)).toEqual({
      's=a%2Fb/k=1/part-0-*-0': 'x\ny\nv\n',
      's=__DEFAULT_PARTITION__/k=2/part-0-*-0': 'z\n',
      's=__DEFAULT_PARTITION__/k=__DEFAULT_PARTITION__/part-0-*-0': 'w\n',
      's=50%25%3Dhalf/k=3/part-0-*-0': 'u\n',
    })
    // read back: the partition values come from the directories, typed, NULL for the default name
    const src = right(fileSystemConnector.createScanSource!(context({ path }, ['s', 'k'], columns))) as FileSystemTableSource
    const back = (await runBounded(src.createSource(), 1)).flatMap((o) => o.values.map((r) => r.fields))
    expect(back.map((f) => JSON.stringify(f)).sort()).toEqual(rows.map(([s, v, k]) => JSON.stringify([s === '' ? null : s, v, k])).sort())
  })

  it('partition.default-name names the directory of NULL values', async () => {
    const path = fresh()
    const sink = sinkOf(path, { 'partition.default-name': 'none' })
    const w = writerOf(sink)
    w.write({ kind: RowKind.INSERT, fields: ['a', 1, null, '08:00'] }, 0)
    await sink.createCommitter().commit(endOfInput([w]))
    expect(Object.keys(await layout(path))).toEqual(['dt=none/hm=08%3A00/part-0-*-0'])
  })
})

describe('partitioned filesystem sink: partition commit', () => {
  it("partition-time: a partition is committed once the watermark passes its time plus the delay, with its files (Nexmark q10's options)", async () => {
    const path = fresh()
    const sink = sinkOf(path, Q10_OPTIONS)
    const committer = sink.createCommitter()
    const w = writerOf(sink)
    const written: [string, number, number][] = []
    const write = (item: string, price: number, m: number): void => {
      written.push([item, price, m])
      w.write(bid(item, price, m), 0)
    }
    /** What must be visible after a commit at watermark `wm`: the partitions with time + 1 min < wm, whole, with _SUCCESS. */
    const expected = (wm: number): Record<string, { rows: string[]; success: boolean }> => {
      const out: Record<string, { rows: string[]; success: boolean }> = {}
      for (const [item, price, m] of written) {
        if (!(wm > minute(m) + MINUTE)) continue
        const e = (out[dirOf(m)] ??= { rows: [], success: true })
        e.rows.push(`${item},${price}`)
      }
      for (const e of Object.values(out)) e.rows.sort()
      return out
    }
    write('a', 1, 0)
    write('b', 2, 0)
    write('c', 3, 1)
    write('d', 4, 2)
    let wm = minute(1) + 30_000
    w.writeWatermark(wm)
    await committer.commit(checkpoint([w], 1).committables)
    expect(await partitions(path)).toEqual(expected(wm))
    expect(Object.keys(expected(wm))).toEqual([dirOf(0)])

    write('e', 5, 1) // into the still open partition 08:01
    wm = minute(3) // 08:02 + 1 min is not < 08:03
    w.writeWatermark(wm)
    await committer.commit(checkpoint([w], 2).committables)
    expect(await partitions(path)).toEqual(expected(wm))
    expect(Object.keys(expected(wm))).toEqual([dirOf(0), dirOf(1)])

    wm = minute(3) + 1
    w.writeWatermark(wm)
    await committer.commit(checkpoint([w], 3).committables)
    expect(await partitions(path)).toEqual(expected(wm))
    expect(committer.committed).toEqual([dirOf(0), dirOf(1), dirOf(2)])
  })

  it('partition-time with several subtasks: the least watermark decides; a subtask closes its own files of partitions it is past', async () => {
    const path = fresh()
    const sink = sinkOf(path, Q10_OPTIONS)
    const committer = sink.createCommitter()
    const w0 = writerOf(sink, 0, 2)
    const w1 = writerOf(sink, 1, 2)
    w0.write(bid('a', 1, 0), 0)
    w0.write(bid('b', 2, 2), 0)
    w1.write(bid('c', 3, 1), 0)
    w0.writeWatermark(minute(10))
    w1.writeWatermark(minute(1) + 30_000)
    await committer.commit(checkpoint([w0, w1], 1).committables)
    expect(await partitions(path)).toEqual({
      [dirOf(0)]: { rows: ['a,1'], success: true },
      // subtask 0 is past 08:02 + 1 min and closed its part, but subtask 1 is not: no _SUCCESS yet
      [dirOf(2)]: { rows: ['b,2'], success: false },
    })
    w1.write(bid('d', 4, 2), 0)
    w1.writeWatermark(minute(5))
    await committer.commit(checkpoint([w0, w1], 2).committables)
    expect(await partitions(path)).toEqual({
      [dirOf(0)]: { rows: ['a,1'], success: true },
      [dirOf(1)]: { rows: ['c,3'], success: true },
      [dirOf(2)]: { rows: ['b,2', 'd,4'], success: true },
    })
  })

  it('process-time: a partition is committed once the writer clock is past the time its part was opened plus the delay; late rows commit it again', async () => {
    const path = fresh()
    const clock = new ManualClock(1_000_000)
    const sink = sinkOf(path, { 'sink.partition-commit.delay': '1 min', 'sink.partition-commit.policy.kind': 'success-file' })
    const committer = sink.createCommitter()
    const w = writerOf(sink, 0, 1, clock)
    w.write(bid('a', 1, 0), 0)
    clock.advance(60_000) // Flink's ProcTimeCommitPredicate: the clock must be past creation + delay
    await committer.commit(checkpoint([w], 1).committables)
    expect(await partitions(path)).toEqual({})
    clock.advance(1)
    await committer.commit(checkpoint([w], 2).committables)
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1'], success: true } })
    // a late row opens a new part; its partition is due a minute later
    clock.advance(10_000)
    w.write(bid('b', 2, 0), 0)
    clock.advance(60_000)
    await committer.commit(checkpoint([w], 3).committables)
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1'], success: true } })
    clock.advance(1)
    await committer.commit(checkpoint([w], 4).committables)
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1', 'b,2'], success: true } })
    expect(committer.committed).toEqual([dirOf(0), dirOf(0)])
  })

  it('commits every partition at the end of the input, whatever the watermark', async () => {
    const path = fresh()
    const sink = sinkOf(path, Q10_OPTIONS)
    const w = writerOf(sink)
    w.write(bid('a', 1, 0), 0)
    w.write(bid('b', 2, 59), 0)
    w.writeWatermark(minute(0))
    const committer = sink.createCommitter()
    await committer.commit(checkpoint([w], 1).committables)
    expect(await partitions(path)).toEqual({})
    await committer.commit(endOfInput([w]))
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1'], success: true }, [dirOf(59)]: { rows: ['b,2'], success: true } })
  })

  it('process-time with no delay (the default) commits a partition at the next checkpoint', async () => {
    const path = fresh()
    const sink = sinkOf(path, { 'sink.partition-commit.policy.kind': 'success-file' })
    const committer = sink.createCommitter()
    const w = writerOf(sink)
    w.write(bid('a', 1, 0), 0)
    await committer.commit(checkpoint([w], 1).committables)
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1'], success: true } })
  })

  it('without a commit policy, files are committed with checkpoints and no partition gets a success file', async () => {
    const path = fresh()
    const sink = sinkOf(path, {})
    const w = writerOf(sink)
    w.write(bid('a', 1, 0), 0)
    const committer = sink.createCommitter()
    await committer.commit(endOfInput([w]))
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1'], success: false } })
    expect(committer.committed).toEqual([])
  })

  it('sink.partition-commit.success-file.name names the success file', async () => {
    const path = fresh()
    const sink = sinkOf(path, { 'sink.partition-commit.policy.kind': 'success-file', 'sink.partition-commit.success-file.name': '_DONE' })
    const w = writerOf(sink)
    w.write(bid('a', 1, 0), 0)
    await sink.createCommitter().commit(endOfInput([w]))
    expect(Object.keys(await layout(path))).toEqual([`${dirOf(0)}/_DONE`, `${dirOf(0)}/part-0-*-0`])
  })

  it('a partition whose time does not fit the formatter fails the writer, naming the partition', () => {
    const sink = sinkOf(fresh(), Q10_OPTIONS)
    const w = writerOf(sink)
    expect(() => w.write({ kind: RowKind.INSERT, fields: ['a', 1, '2020-04-15', 'noon'] }, 0)).toThrow(ConnectorError)
    expect(() => w.write({ kind: RowKind.INSERT, fields: ['a', 1, '2020-04-15', 'noon'] }, 0)).toThrow(
      "Table 'default_catalog.default_database.t' cannot read the time of partition 'dt=2020-04-15/hm=noon': '2020-04-15 noon:00' (the 'partition.time-extractor.timestamp-pattern' '$dt $hm:00' filled in) does not fit the 'partition.time-extractor.timestamp-formatter' 'yyyy-MM-dd HH:mm:ss'.",
    )
  })

  it('restores after a failure: parts written after the checkpoint are dropped and replayed, each row is committed once, open partitions stay pending', async () => {
    const path = fresh()
    const sink = sinkOf(path, Q10_OPTIONS)
    const committer = sink.createCommitter()
    const w = writerOf(sink)
    const rows = [bid('a', 1, 0), bid('b', 2, 0), bid('c', 3, 1)]
    for (const r of rows.slice(0, 2)) w.write(r, 0)
    w.writeWatermark(minute(0))
    const cp1 = checkpoint([w], 1)
    await committer.commit(cp1.committables)
    w.write(rows[2]!, 0) // after checkpoint 1: lost with the failure, replayed
    w.flush(false)
    // the task fails; a new writer takes over from checkpoint 1 (a new committer too, as after a restart of the process)
    const restored = sink.restoreWriter(fakeWriterContext(sink as Sink<unknown>, 0, 1), cp1.states[0]!)
    const committer2 = sink.createCommitter()
    restored.write(rows[2]!, 0)
    restored.writeWatermark(minute(1) + 1)
    await committer2.commit(checkpoint([restored], 2).committables)
    // 08:00 (written before checkpoint 1, still open then) is due now, from the restored writer state
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1', 'b,2'], success: true } })
    await committer2.commit(endOfInput([restored]))
    expect(await partitions(path)).toEqual({ [dirOf(0)]: { rows: ['a,1', 'b,2'], success: true }, [dirOf(1)]: { rows: ['c,3'], success: true } })
    // the part the failed writer began in 08:01 after the checkpoint stays hidden (as the FileSink's
    // parts of writers that failed before their first checkpoint): one visible part, 'c' once
    expect(Object.keys(await layout(join(path, dirOf(1))))).toEqual(['_SUCCESS', 'part-0-*-0'])
  })
})

describe('partitioned filesystem sink: options', () => {
  const sinkProblems = (options: Record<string, string>, partitionKeys: readonly string[] = ['dt', 'hm']): string[] =>
    problems(fileSystemConnector.createSink!(context({ path: '/tmp/x', ...options }, partitionKeys)))

  it("rejects the 'metastore' and 'custom' policies, and unknown ones, saying what to use", () => {
    expect(sinkProblems({ 'sink.partition-commit.policy.kind': 'metastore,success-file' })).toEqual([
      "sink.partition-commit.policy.kind: The partition commit policy 'metastore' adds partitions to a Hive metastore, which Strom does not have: use 'success-file'.",
    ])
    expect(sinkProblems({ 'sink.partition-commit.policy.kind': 'custom' })).toEqual([
      "sink.partition-commit.policy.kind: A 'custom' partition commit policy (a Java class in 'sink.partition-commit.policy.class') is not supported: use 'success-file'.",
    ])
    expect(sinkProblems({ 'sink.partition-commit.policy.kind': 'done-file' })).toEqual([
      "sink.partition-commit.policy.kind: Unknown partition commit policy 'done-file' in option 'sink.partition-commit.policy.kind': the supported one is 'success-file'.",
    ])
  })

  it('checks the trigger, delay, time zone, extractor and formatter', () => {
    expect(
      sinkProblems({
        'sink.partition-commit.policy.kind': 'success-file',
        'sink.partition-commit.trigger': 'event-time',
        'sink.partition-commit.delay': 'soon',
        'sink.partition-commit.watermark-time-zone': 'Mars/Olympus',
        'partition.time-extractor.kind': 'custom',
        'partition.time-extractor.timestamp-pattern': '$day',
        'partition.time-extractor.timestamp-formatter': 'yyyy-MM-dd HH:mm:ss zzz',
      }),
    ).toEqual([
      "sink.partition-commit.trigger: Could not parse value 'event-time' for option 'sink.partition-commit.trigger': expected one of 'process-time', 'partition-time'.",
      "sink.partition-commit.delay: Could not parse value 'soon' for option 'sink.partition-commit.delay': expected a duration such as '10 s', '1 min' or '500 ms'.",
      "sink.partition-commit.watermark-time-zone: The time zone 'Mars/Olympus' of option 'sink.partition-commit.watermark-time-zone' is not known (use 'UTC', an IANA zone such as 'Asia/Shanghai', or an offset such as '+08:00').",
      "partition.time-extractor.kind: A 'custom' partition time extractor (a Java class) is not supported: use the 'default' extractor with 'partition.time-extractor.timestamp-pattern'.",
      "partition.time-extractor.timestamp-formatter: The timestamp formatter 'yyyy-MM-dd HH:mm:ss zzz' cannot be used: the pattern letter 'z' is not supported (only y, M, d, H, m, s, S).",
      'partition.time-extractor.timestamp-pattern: The timestamp pattern \'$day\' names no partition column ($dt, $hm).',
    ])
  })

  it('a trigger or delay without a policy is a problem (it would never commit anything)', () => {
    expect(sinkProblems({ 'sink.partition-commit.trigger': 'partition-time' })).toEqual([
      "sink.partition-commit.trigger: Option 'sink.partition-commit.trigger' needs 'sink.partition-commit.policy.kind' (e.g. 'success-file'): without a commit policy, partitions are never committed.",
    ])
  })

  it('partition options need PARTITIONED BY; partition columns must be physical columns, and not all of them', () => {
    expect(sinkProblems({ 'sink.partition-commit.policy.kind': 'success-file' }, [])).toEqual([
      "sink.partition-commit.policy.kind: Option 'sink.partition-commit.policy.kind' is for partitioned tables, but table 'default_catalog.default_database.t' has no PARTITIONED BY clause.",
    ])
    expect(sinkProblems({}, ['day'])).toEqual([
      "-: The partition column 'day' of table 'default_catalog.default_database.t' is not a physical column (the physical columns are item, price, dt, hm).",
    ])
    expect(sinkProblems({}, ['item', 'price', 'dt', 'hm'])).toEqual([
      "-: Table 'default_catalog.default_database.t' is partitioned by all its columns; the files need at least one column that is not a partition column.",
    ])
  })
})

describe('sink writers and watermarks', () => {
  it("a running job hands each sink writer its watermarks (SinkWriter.writeWatermark), up to the end of the input's", async () => {
    const seen: number[] = []
    const recorder: TableConnectorFactory = {
      identifier: 'watermark-recorder',
      requiredOptions: [],
      optionalOptions: [],
      createSink: () =>
        E.right({
          acceptedChangelogMode: (m) => m,
          createSink: (): Sink<Row> => ({ createWriter: () => ({ write: () => {}, flush: () => {}, close: () => {}, writeWatermark: (wm: number) => void seen.push(wm) }) }),
        }),
    }
    const dir = fresh()
    await mkdir(dir)
    await writeFile(join(dir, 'ev.csv'), ['2020-04-15 08:00:01', '2020-04-15 08:00:05', '2020-04-15 08:00:03', '2020-04-15 08:00:09'].map((t, i) => `${i},${t}`).join('\n') + '\n')
    const tEnv = TableEnvironment.create({ connectors: [recorder], config: { 'pipeline.auto-watermark-interval': '0' } })
    await tEnv.executeSql(`CREATE TABLE ev (id INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'csv')`)
    await tEnv.executeSql(`CREATE TABLE out (id INT) WITH ('connector' = 'watermark-recorder')`)
    await (await tEnv.executeSql('INSERT INTO out SELECT id FROM ev')).await()
    expect(seen).toEqual([Date.UTC(2020, 3, 15, 8, 0, 0), Date.UTC(2020, 3, 15, 8, 0, 4), Date.UTC(2020, 3, 15, 8, 0, 8), Infinity])
  })
})
