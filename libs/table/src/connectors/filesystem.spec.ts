import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import {
  CollectionSource,
  ConnectorError,
  DataGenSource,
  FileSink,
  ManualClock,
  Partitioners,
  RestartStrategies,
  StreamGraph,
  WatermarkStrategy,
  executeGraph,
  type FileCommittable,
  type FileSplit,
  type FileWriterState,
  type PrecommittingSinkWriter,
  type Sink,
  type Source,
} from '@strom/runtime'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { DataTypes } from '../types/data-type.js'
import { ALL_COLUMNS, canonicalFields, col, fieldsOf } from '../formats/values.fixture.js'
import { daysFromCivil } from '../formats/text-values.js'
import { problems, right, tableContext } from './connector.fixture.js'
import { FileSystemTableSource, TableRollingPolicy, fileSystemConnector, type TableFileSplit } from './filesystem.js'
import type { ConnectorColumn, TableSink } from './table-connector.js'
import { fakeWriterContext, pollUntil, runBounded, wire } from './test-kit.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-table-fs-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const fresh = (): string => join(root, `t${counter++}`)

const write = async (path: string, text: string): Promise<string> => {
  await writeFile(path, text)
  return path
}

const scanSource = (options: Record<string, string>, columns: readonly ConnectorColumn[], metadata: readonly ConnectorColumn[] = []): FileSystemTableSource =>
  right(fileSystemConnector.createScanSource!(tableContext({ connector: 'filesystem', ...options }, columns, metadata))) as FileSystemTableSource

const sinkOf = (options: Record<string, string>, columns: readonly ConnectorColumn[]): TableSink =>
  right(fileSystemConnector.createSink!(tableContext({ connector: 'filesystem', ...options }, columns)))

type FsSource = Source<Row, TableFileSplit, FileSplit[]>

/** Every row a filesystem table source reads, in file order per subtask. */
const read = async (src: FileSystemTableSource, parallelism = 1): Promise<Row[]> =>
  (await runBounded(src.createSource() as FsSource, parallelism)).flatMap((o) => o.values)

const readError = async (src: FileSystemTableSource): Promise<ConnectorError> => {
  try {
    await read(src)
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError)
    return e as ConnectorError
  }
  throw new Error('reading did not fail')
}

const COLUMNS = [col('id', DataTypes.INT(false)), col('name', DataTypes.STRING()), col('price', DataTypes.DECIMAL(10, 2)), col('at', DataTypes.TIMESTAMP(3))]
const at = (d: number, h: number, mi: number): number => Date.UTC(2020, 3, d, h, mi)

describe('filesystem connector: reading', () => {
  it('reads a CSV file', async () => {
    const path = await write(join(root, 'orders.csv'), '1,apple,1.5,2020-04-15 08:05:00\n2,"pear, ripe",,2020-04-16 10:00:00.250\r\n3,,0.1,2020-04-17T00:00:00\n')
    const src = scanSource({ path, format: 'csv' }, COLUMNS)
    expect(src.changelogMode).toBe(ChangelogModes.INSERT_ONLY)
    expect(src.bounded).toBe(true)
    expect(await read(src)).toEqual([
      { kind: RowKind.INSERT, fields: [1, 'apple', 1.5, at(15, 8, 5)] },
      { kind: RowKind.INSERT, fields: [2, 'pear, ripe', null, at(16, 10, 0) + 250] },
      { kind: RowKind.INSERT, fields: [3, '', 0.1, at(17, 0, 0)] },
    ])
  })

  it('reads every file of a directory, leaving out hidden ones, at any parallelism', async () => {
    const dir = fresh()
    await mkdir(dir)
    const expected: Row[] = []
    for (let f = 0; f < 5; f++) {
      const lines: string[] = []
      for (let i = 0; i < 100; i++) {
        const id = f * 100 + i
        lines.push(JSON.stringify({ id, name: `n${id}`, price: id / 4, at: '2020-04-15 08:05:00' }))
        expected.push({ kind: RowKind.INSERT, fields: [id, `n${id}`, id / 4, at(15, 8, 5)] })
      }
      await write(join(dir, `part-${f}.json`), `${lines.join('\n')}\n`)
    }
    await write(join(dir, '.part-9.inprogress'), '{"id":"not read"}\n')
    await write(join(dir, '_SUCCESS'), 'not json\n')
    const src = scanSource({ path: dir, format: 'json' }, COLUMNS)
    const byId = (rows: Row[]): Row[] => rows.slice().sort((a, b) => (a.fields[0] as number) - (b.fields[0] as number))
    expect(await read(src)).toEqual(expected)
    expect(byId(await read(src, 3))).toEqual(expected)
  })

  it('reads every type from CSV and JSON files written by the sink, at any parallelism', async () => {
    const rows = fc.sample(fieldsOf(ALL_COLUMNS, { graphemes: true, excludeChars: ';\r', excludeStrings: ['', 'NULL'] }), { numRuns: 150, seed: 42 })
    for (const [format, extra] of [
      ['csv', { 'csv.null-literal': 'NULL' }],
      ['json', {}],
    ] as const) {
      const dir = fresh()
      const options = { path: dir, format, ...extra }
      await runJob(sinkOf(options, ALL_COLUMNS), rows.map((fields) => ({ kind: RowKind.INSERT, fields })), 2)
      const back = await read(scanSource(options, ALL_COLUMNS), 2)
      const key = (fields: unknown[]): string => JSON.stringify(canonicalFields(fields, ALL_COLUMNS), (_k, v: unknown) => (v instanceof Map ? [...v].map((e) => JSON.stringify(e)).sort() : v instanceof Uint8Array ? [...v] : Number.isNaN(v) ? 'NaN' : v))
      expect(back.map((r) => key(r.fields)).sort()).toEqual(rows.map(key).sort())
      expect(back.every((r) => r.kind === RowKind.INSERT)).toBe(true)
    }
  })

  it('reads a Debezium JSON file as a changelog', async () => {
    const path = await write(
      join(root, 'changes.json'),
      [
        '{"before":null,"after":{"id":1,"name":"a","price":1,"at":"2020-04-15 08:05:00"},"op":"c"}',
        '{"before":{"id":1,"name":"a","price":1,"at":"2020-04-15 08:05:00"},"after":{"id":1,"name":"b","price":2,"at":"2020-04-15 08:05:00"},"op":"u"}',
        '{"before":{"id":1,"name":"b","price":2,"at":"2020-04-15 08:05:00"},"after":null,"op":"d"}',
      ].join('\n'),
    )
    const src = scanSource({ path, format: 'debezium-json' }, COLUMNS)
    expect(src.changelogMode).toBe(ChangelogModes.ALL)
    expect((await read(src)).map((r) => [r.kind, r.fields[1]])).toEqual([
      [RowKind.INSERT, 'a'],
      [RowKind.UPDATE_BEFORE, 'a'],
      [RowKind.UPDATE_AFTER, 'b'],
      [RowKind.DELETE, 'b'],
    ])
  })

  it('fails on a malformed record with an error naming the table, file, line and column', async () => {
    const path = await write(join(root, 'bad.csv'), '1,a,1.0,2020-04-15 08:05:00\n"two\nlines",b,2.0,2020-04-15 08:05:00\n3,c,oops,2020-04-15 08:05:00\n')
    const e = await readError(scanSource({ path, format: 'csv' }, COLUMNS))
    expect(e.message).toBe(
      `Table 'default_catalog.default_database.t' cannot read line 2 of '${path}' as 'csv': Column 'id' (INT NOT NULL): cannot read "two\\nlines" as INT NOT NULL. The record: "\\"two\\nlines\\",b,2.0,2020-04-15 08:05:00".`,
    )
    const fixed = await write(join(root, 'bad2.csv'), '1,a,1.0,2020-04-15 08:05:00\n"2","b\nb",2.0,2020-04-15 08:05:00\n3,c,oops,2020-04-15 08:05:00\n')
    expect((await readError(scanSource({ path: fixed, format: 'csv' }, COLUMNS))).message).toMatch(
      new RegExp(`^Table '.*' cannot read line 4 of '${fixed}' as 'csv': Column 'price' \\(DECIMAL\\(10, 2\\)\\): cannot read "oops" as DECIMAL\\(10, 2\\)\\.`),
    )
    const json = await write(join(root, 'bad.json'), '{"id":1}\n\n{"id":2,"at":"yesterday"}\n')
    expect((await readError(scanSource({ path: json, format: 'json' }, COLUMNS))).message).toMatch(/cannot read line 3 of '.*bad\.json' as 'json': Column 'at' \(TIMESTAMP\(3\)\): cannot read "yesterday"/)
    const open = await write(join(root, 'open.csv'), '1,a,1.0,2020-04-15 08:05:00\n2,"b,2.0,2020-04-15 08:05:00\n')
    expect((await readError(scanSource({ path: open, format: 'csv' }, COLUMNS))).message).toMatch(/cannot read line 2 of '.*open\.csv' as 'csv': The file ends inside a quoted field\./)
  })

  it('skips malformed records with ignore-parse-errors, and counts them', async () => {
    const path = await write(join(root, 'some-bad.csv'), '1,a,1.0,2020-04-15 08:05:00\nx,b,2.0,2020-04-15 08:05:00\n3,c\n4,d,4.0,2020-04-15 08:05:00\n5,"e,5.0\n')
    const src = scanSource({ path, format: 'csv', 'csv.ignore-parse-errors': 'true' }, COLUMNS)
    expect((await read(src)).map((r) => r.fields[0])).toEqual([1, 4])
    expect(src.malformedRecords.count).toBe(3)
    const json = await write(join(root, 'some-bad.json'), '{"id":1}\n{"id":\n[]\n{"id":4}\n')
    const jsrc = scanSource({ path: json, format: 'json', 'json.ignore-parse-errors': 'true' }, COLUMNS)
    expect((await read(jsrc)).map((r) => r.fields[0])).toEqual([1, 4])
    expect(jsrc.malformedRecords.count).toBe(2)
  })

  it('fills the metadata columns', async () => {
    const path = await write(join(root, 'meta.json'), '{"id":1}\n{"id":2}\n')
    const metadata = [
      { name: 'file', type: DataTypes.STRING(), metadataKey: 'file.path' },
      { name: 'file.name', type: DataTypes.STRING() },
      { name: 'size', type: DataTypes.BIGINT(), metadataKey: 'file.size' },
      { name: 'mtime', type: DataTypes.TIMESTAMP_LTZ(3), metadataKey: 'file.modification-time' },
    ]
    const s = await stat(path)
    const rows = await read(scanSource({ path, format: 'json' }, COLUMNS.slice(0, 1), metadata))
    expect(rows.map((r) => r.fields)).toEqual([
      [1, path, 'meta.json', 18, Math.floor(s.mtimeMs)],
      [2, path, 'meta.json', 18, Math.floor(s.mtimeMs)],
    ])
  })

  it('restores from a checkpoint: no record lost or repeated, line numbers and cut records carried over', async () => {
    // 1024 lines per poll: line 1024 opens a quoted field that closes on line 1025; line 1030 is bad
    const lines = Array.from({ length: 1030 }, (_, i) => `${i + 1},n,1.0,2020-04-15 08:05:00`)
    lines[1023] = '1024,"multi'
    lines[1024] = 'line",1.0,2020-04-15 08:05:00'
    lines[1029] = '1030,n,bad,2020-04-15 08:05:00'
    const path = await write(join(root, 'restore.csv'), `${lines.join('\n')}\n`)
    const src = scanSource({ path, format: 'csv' }, COLUMNS).createSource() as FsSource
    const first = wire(src, 1)
    await pollUntil(first.readers[0]!, first.outputs[0]!, 1000)
    const before = first.outputs[0]!.values
    expect(before).toHaveLength(1023)
    const state = first.readers[0]!.snapshotState(1)
    expect(state).toEqual([expect.objectContaining({ path, line: 1024, partial: '1024,"multi', partialLine: 1024 })])
    const checkpoint = { enumerator: first.enumerator.snapshotState(1), readers: [state] }
    await first.readers[0]!.close()
    const second = wire(src, 1, { restore: checkpoint })
    const reader = second.readers[0]!
    const out = second.outputs[0]!
    await expect(pollUntil(reader, out, 100_000)).rejects.toThrow(/cannot read line 1030 of /)
    expect([...before, ...out.values].map((r) => r.fields[0])).toEqual(Array.from({ length: 1029 }, (_, i) => i + 1).filter((id) => id !== 1025)) // line 1025 ends record 1024
    expect(out.values[0]!.fields[1]).toBe('multi\nline')
    await reader.close()
  })
})

/** Runs a job writing `rows` into `sink` at `parallelism`; resolves when it has finished. */
const runJob = async (sink: TableSink, rows: readonly Row[], parallelism = 1, checkpointMs?: number): Promise<void> => {
  const g = new StreamGraph({ jobName: 'fs-sink', parallelism, ...(checkpointMs === undefined ? {} : { checkpointing: { intervalMs: checkpointMs } }) })
  const src = g.addSource(CollectionSource.of(rows), WatermarkStrategy.noWatermarks(), { name: 'rows' })
  g.addSink(sink.createSink(), [{ from: src, partitioner: Partitioners.rebalance() }], { name: 'sink' })
  const result = await executeGraph(g, { log: () => {} }).result
  expect(result.status).toBe('FINISHED')
}

const visible = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((n) => !n.startsWith('.')).sort()

describe('filesystem connector: writing', () => {
  it('accepts inserts only for csv and json, every kind for debezium-json', () => {
    expect(sinkOf({ path: fresh(), format: 'csv' }, COLUMNS).acceptedChangelogMode(ChangelogModes.ALL)).toBe(ChangelogModes.INSERT_ONLY)
    expect(sinkOf({ path: fresh(), format: 'json' }, COLUMNS).acceptedChangelogMode(ChangelogModes.UPSERT)).toBe(ChangelogModes.INSERT_ONLY)
    expect(sinkOf({ path: fresh(), format: 'debezium-json' }, COLUMNS).acceptedChangelogMode(ChangelogModes.ALL)).toBe(ChangelogModes.ALL)
  })

  it('writes part files through a job, committed at its end, and reads them back', async () => {
    const dir = fresh()
    const rows = Array.from({ length: 500 }, (_, i): Row => ({ kind: RowKind.INSERT, fields: [i, `n${i}`, i / 2, at(15, 8, 5) + i] }))
    await runJob(sinkOf({ path: dir, format: 'csv' }, COLUMNS), rows, 2)
    const parts = await visible(dir)
    expect(parts).toHaveLength(2)
    for (const p of parts) expect(p).toMatch(/^part-[01]-[0-9a-f-]{36}-0$/)
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([])
    const text = (await Promise.all(parts.map((p) => readFile(join(dir, p), 'utf8')))).join('')
    expect(text.split('\n')).toContain('7,n7,3.50,2020-04-15 08:05:00.007')
    const back = await read(scanSource({ path: dir, format: 'csv' }, COLUMNS))
    expect(back.sort((a, b) => (a.fields[0] as number) - (b.fields[0] as number))).toEqual(rows)
  })

  it('writes a changelog as Debezium JSON, which reads back as deletes and inserts', async () => {
    const dir = fresh()
    const rows: Row[] = [
      { kind: RowKind.INSERT, fields: [1, 'a', 1, at(15, 8, 5)] },
      { kind: RowKind.UPDATE_BEFORE, fields: [1, 'a', 1, at(15, 8, 5)] },
      { kind: RowKind.UPDATE_AFTER, fields: [1, 'b', 2, at(15, 8, 5)] },
      { kind: RowKind.DELETE, fields: [1, 'b', 2, at(15, 8, 5)] },
    ]
    await runJob(sinkOf({ path: dir, format: 'debezium-json' }, COLUMNS), rows)
    const back = await read(scanSource({ path: dir, format: 'debezium-json' }, COLUMNS))
    expect(back.map((r) => [r.kind, r.fields[1]])).toEqual([
      [RowKind.INSERT, 'a'],
      [RowKind.DELETE, 'a'],
      [RowKind.INSERT, 'b'],
      [RowKind.DELETE, 'b'],
    ])
  })

  it('commits parts on checkpoints, exactly once, in a job that checkpoints', async () => {
    const dir = fresh()
    const n = 3000
    const g = new StreamGraph({ jobName: 'fs-sink-cp', parallelism: 2, checkpointing: { intervalMs: 20 }, restartStrategy: RestartStrategies.noRestart() })
    const gen = DataGenSource.of((i): Row => ({ kind: RowKind.INSERT, fields: [i, `n${i}`, 1, 0] }), { count: n, rowsPerSecond: 20_000 })
    const src = g.addSource(gen, WatermarkStrategy.noWatermarks(), { name: 'gen' })
    g.addSink(sinkOf({ path: dir, format: 'json', 'sink.rolling-policy.file-size': '4kb' }, COLUMNS).createSink(), [{ from: src, partitioner: Partitioners.forward() }], { name: 'sink' })
    const result = await executeGraph(g, { log: () => {} }).result
    expect(result.status).toBe('FINISHED')
    const parts = await visible(dir)
    expect(parts.length).toBeGreaterThan(10)
    for (const p of parts) expect((await stat(join(dir, p))).size).toBeLessThanOrEqual(4096)
    const ids = (await read(scanSource({ path: dir, format: 'json' }, COLUMNS))).map((r) => r.fields[0] as number)
    expect(ids.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i))
  }, 20_000)

  it('rolls parts by size, and by age and inactivity at the check ticks', async () => {
    const policy = new TableRollingPolicy(100, 10_000, 5_000, 1_000)
    const part = { creationTime: 0, lastUpdateTime: 0, size: 60 }
    expect(policy.shouldRollOnEvent(part, 40)).toBe(false)
    expect(policy.shouldRollOnEvent(part, 41)).toBe(true)
    expect(policy.shouldRollOnEvent({ ...part, size: 0 }, 500)).toBe(false)
    expect(policy.shouldRollOnCheckpoint(part)).toBe(false)
    expect(policy.shouldRollOnCheckpoint({ ...part, size: 100 })).toBe(true)
    const fresh2 = { creationTime: 500, lastUpdateTime: 4_900, size: 1 }
    expect(policy.shouldRollOnProcessingTime(fresh2, 9_999)).toBe(false) // tick 9000: 8500 old, idle 4100
    expect(policy.shouldRollOnProcessingTime(fresh2, 10_300)).toBe(true) // tick 10000: idle 5100
    expect(policy.shouldRollOnProcessingTime({ ...fresh2, lastUpdateTime: 10_000 }, 10_999)).toBe(false) // tick 10000: 9500 old
    expect(policy.shouldRollOnProcessingTime({ ...fresh2, lastUpdateTime: 10_000 }, 11_000)).toBe(true) // tick 11000: 10500 old

    const s = sinkOf(
      { path: fresh(), format: 'csv', 'sink.rolling-policy.rollover-interval': '10 s', 'sink.rolling-policy.check-interval': '2 s', 'sink.rolling-policy.inactivity-interval': '1 h' },
      COLUMNS,
    ).createSink() as FileSink<Row>
    expect(s.rollingPolicy).toEqual(new TableRollingPolicy(128 * 1024 * 1024, 10_000, 3_600_000, 2_000))
    const clock = new ManualClock(1_000)
    const w = s.createWriter(fakeWriterContext(s as Sink<unknown>, 0, 1, clock)) as PrecommittingSinkWriter<Row, FileCommittable, FileWriterState>
    w.write({ kind: RowKind.INSERT, fields: [1, 'a', 1, 0] }, 0)
    clock.setTime(11_500) // 10.5 s old, but the last tick (10 s) saw it 9 s old
    w.flush(false)
    expect(w.prepareCommit(1)).toEqual([])
    clock.setTime(12_000)
    w.flush(false)
    expect(w.prepareCommit(2)).toHaveLength(1)
    w.close()
  })

  it('fails with a ConnectorError on a row its format cannot write', () => {
    const s = sinkOf({ path: fresh(), format: 'csv' }, COLUMNS).createSink()
    const w = s.createWriter(fakeWriterContext(s as Sink<unknown>, 0, 1))
    expect(() => w.write({ kind: RowKind.DELETE, fields: [1, 'a', 1, 0] }, 0)).toThrow(
      new ConnectorError("Table 'default_catalog.default_database.t' (format 'csv') accepts only INSERT rows, got a -D row."),
    )
    w.close()
  })
})

describe('filesystem connector: options', () => {
  const ctx = (options: Record<string, string>, metadata: readonly ConnectorColumn[] = []) => tableContext({ connector: 'filesystem', ...options }, COLUMNS, metadata)

  it('needs a path and a known format', () => {
    expect(problems(fileSystemConnector.createScanSource!(ctx({})))).toEqual([
      "path: Missing required option 'path' for connector 'filesystem'.",
      "format: Missing required option 'format' for connector 'filesystem'.",
    ])
    expect(problems(fileSystemConnector.createSink!(ctx({ path: '/tmp/x', format: 'xml', 'xml.pretty': 'true' })))).toEqual([
      "format: Could not find any format factory for identifier 'xml'. Available format identifiers are: csv, debezium-json, json.",
    ])
  })

  it('rejects unknown options, listing the connector and format options', () => {
    expect(problems(fileSystemConnector.createScanSource!(ctx({ path: '/tmp/x', format: 'json', 'json.fail-on-missing': 'true', 'sink.rolling-policy.size': '1mb' })))).toEqual([
      "json.fail-on-missing: Unsupported option 'json.fail-on-missing' for connector 'filesystem'; supported: connector, format, json.decode.json-parser.enabled, json.encode.decimal-as-plain-number, json.encode.ignore-null-fields, json.fail-on-missing-field, json.ignore-parse-errors, json.map-null-key.literal, json.map-null-key.mode, json.timestamp-format.standard, lookup.join.cache.ttl, partition.default-name, partition.time-extractor.kind, partition.time-extractor.timestamp-formatter, partition.time-extractor.timestamp-pattern, path, sink.parallelism, sink.partition-commit.delay, sink.partition-commit.policy.kind, sink.partition-commit.success-file.name, sink.partition-commit.trigger, sink.partition-commit.watermark-time-zone, sink.rolling-policy.check-interval, sink.rolling-policy.file-size, sink.rolling-policy.inactivity-interval, sink.rolling-policy.rollover-interval.",
      "sink.rolling-policy.size: Unsupported option 'sink.rolling-policy.size' for connector 'filesystem'; supported: connector, format, json.decode.json-parser.enabled, json.encode.decimal-as-plain-number, json.encode.ignore-null-fields, json.fail-on-missing-field, json.ignore-parse-errors, json.map-null-key.literal, json.map-null-key.mode, json.timestamp-format.standard, lookup.join.cache.ttl, partition.default-name, partition.time-extractor.kind, partition.time-extractor.timestamp-formatter, partition.time-extractor.timestamp-pattern, path, sink.parallelism, sink.partition-commit.delay, sink.partition-commit.policy.kind, sink.partition-commit.success-file.name, sink.partition-commit.trigger, sink.partition-commit.watermark-time-zone, sink.rolling-policy.check-interval, sink.rolling-policy.file-size, sink.rolling-policy.inactivity-interval, sink.rolling-policy.rollover-interval.",
    ])
  })

  it('checks option values, the format’s too', () => {
    expect(
      problems(
        fileSystemConnector.createSink!(
          ctx({
            path: '/tmp/x',
            format: 'csv',
            'sink.rolling-policy.file-size': 'big',
            'sink.rolling-policy.rollover-interval': '0 s',
            'sink.rolling-policy.check-interval': '1 fortnight',
            'sink.parallelism': '0',
            'csv.field-delimiter': ';;',
          }),
        ),
      ),
    ).toEqual([
      "sink.rolling-policy.file-size: Could not parse value 'big' for option 'sink.rolling-policy.file-size': expected a memory size such as '128mb', '64 kb' or '1gb'.",
      "sink.rolling-policy.check-interval: Could not parse value '1 fortnight' for option 'sink.rolling-policy.check-interval': expected a duration such as '10 s', '1 min' or '500 ms'.",
      "sink.rolling-policy.rollover-interval: The value '0 s' of option 'sink.rolling-policy.rollover-interval' must be positive.",
      "sink.parallelism: The value '0' of option 'sink.parallelism' is out of range: expected between 1 and 2147483647.",
      "csv.field-delimiter: Option 'csv.field-delimiter' must be a string with a single character, but was: ;;",
    ])
  })

  it('checks metadata keys and types, and that a sink path is not a file', async () => {
    expect(
      problems(
        fileSystemConnector.createScanSource!(
          ctx({ path: '/tmp/x', format: 'csv' }, [
            { name: 'offset', type: DataTypes.BIGINT() },
            { name: 'p', type: DataTypes.INT(), metadataKey: 'file.path' },
          ]),
        ),
      ),
    ).toEqual([
      "-: Invalid metadata key 'offset' in column 'offset' of table 'default_catalog.default_database.t': the connector 'filesystem' supports the metadata keys file.path, file.name, file.size, file.modification-time.",
      "-: The metadata column 'p' of table 'default_catalog.default_database.t' has type INT, which cannot hold the metadata 'file.path'.",
    ])
    const file = await write(join(root, 'a-file'), 'x')
    expect(problems(fileSystemConnector.createSink!(ctx({ path: file, format: 'csv' })))).toEqual([
      `path: The path '${file}' of the filesystem sink of table 'default_catalog.default_database.t' is a file; a sink writes part files into a directory.`,
    ])
  })

  it('reports a missing file when the job starts, naming it', async () => {
    const missing = join(root, 'no-such-file.csv')
    await expect(read(scanSource({ path: missing, format: 'csv' }, COLUMNS))).rejects.toThrow(`FileLineSource cannot read '${missing}'`)
    expect(daysFromCivil(1970, 1, 1)).toBe(0)
  })
})
