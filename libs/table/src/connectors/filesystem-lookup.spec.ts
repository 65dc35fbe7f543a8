import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { ConnectorError } from '@strom/runtime'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DataTypes } from '../types/data-type.js'
import { col } from '../formats/values.fixture.js'
import { problems, right, tableContext } from './connector.fixture.js'
import { fileSystemConnector } from './filesystem.js'
import { FileSystemLookupSource } from './filesystem-lookup.js'
import { translateLegacyOptions } from './legacy-options.js'
import type { ConnectorColumn } from './table-connector.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-table-lookup-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const fresh = (): string => join(root, `t${counter++}`)
const COLUMNS: readonly ConnectorColumn[] = [col('key', DataTypes.BIGINT()), col('value', DataTypes.STRING())]

const lookupSource = (options: Record<string, string>, columns: readonly ConnectorColumn[] = COLUMNS, partitionKeys?: readonly string[]): FileSystemLookupSource =>
  right(
    fileSystemConnector.createLookupSource!({ ...tableContext({ connector: 'filesystem', format: 'csv', ...options }, columns), ...(partitionKeys === undefined ? {} : { partitionKeys }) }),
  ) as FileSystemLookupSource

/** The fields of the rows a lookup finds. */
const found = (lookup: (key: readonly unknown[]) => readonly { fields: unknown[] }[], key: readonly unknown[]): unknown[][] => lookup(key).map((r) => r.fields)

describe('filesystem connector: lookups', () => {
  it('answers lookups from the whole file, by any key columns, every match; NULL keys match nothing', async () => {
    const path = join(fresh() + '.csv')
    // Nexmark q13's side input: `key,value` lines
    const lines = Array.from({ length: 100 }, (_, k) => `${k},v${k * 3}`)
    await writeFile(path, [...lines, '7,seven again', ',no key', '8,'].join('\n') + '\n')
    const src = lookupSource({ path })
    const byKey = src.createLookup([0])
    // an independent answer: scan the lines
    const expected = (k: number): unknown[][] =>
      [...lines, '7,seven again', '8,']
        .map((l) => l.split(','))
        .filter(([key]) => Number(key) === k)
        .map(([key, v]) => [Number(key), v])
    for (const k of [0, 7, 8, 42, 99, 100]) expect(found(byKey, [k])).toEqual(expected(k))
    expect(found(byKey, [null])).toEqual([])
    const byValue = src.createLookup([1])
    expect(found(byValue, ['v126'])).toEqual([[42, 'v126']])
    expect(found(src.createLookup([0, 1]), [7, 'seven again'])).toEqual([[7, 'seven again']])
    expect(src.loads).toBe(3) // once per lookup function, not per lookup
  })

  it('reads the file again once lookup.join.cache.ttl has passed', async () => {
    const path = join(fresh() + '.csv')
    await writeFile(path, '1,one\n')
    let now = 1000
    const base = lookupSource({ path, 'lookup.join.cache.ttl': '10 s' })
    expect(base.cacheTtlMs).toBe(10_000)
    const src = base.withClock(() => now)
    const lookup = src.createLookup([0])
    expect(found(lookup, [1])).toEqual([[1, 'one']])
    await writeFile(path, '1,uno\n2,dos\n')
    now += 9_999
    expect(found(lookup, [1])).toEqual([[1, 'one']])
    expect(found(lookup, [2])).toEqual([])
    now += 1
    expect(found(lookup, [1])).toEqual([[1, 'uno']])
    expect(found(lookup, [2])).toEqual([[2, 'dos']])
    expect(src.loads).toBe(2)
  })

  it('the cache TTL defaults to 60 minutes, as in Flink', async () => {
    expect(lookupSource({ path: '/tmp/none.csv' }).cacheTtlMs).toBe(60 * 60_000)
    expect(problems(fileSystemConnector.createLookupSource!(tableContext({ connector: 'filesystem', format: 'csv', path: '/x', 'lookup.join.cache.ttl': '0 s' }, COLUMNS)))).toEqual([
      "lookup.join.cache.ttl: The value '0 s' of option 'lookup.join.cache.ttl' must be positive.",
    ])
  })

  it('reads a directory (its visible files) and a partitioned directory tree, partition values typed', async () => {
    const dir = fresh()
    await mkdir(dir)
    await writeFile(join(dir, 'a.csv'), '1,one\n')
    await writeFile(join(dir, 'b.csv'), '2,two\n')
    await writeFile(join(dir, '.hidden.csv'), '3,three\n')
    expect(found(lookupSource({ path: dir }).createLookup([0]), [2])).toEqual([[2, 'two']])
    expect(found(lookupSource({ path: dir }).createLookup([0]), [3])).toEqual([])

    const tree = fresh()
    await mkdir(join(tree, 'region=eu/day=1'), { recursive: true })
    await mkdir(join(tree, 'region=us/day=2'), { recursive: true })
    await writeFile(join(tree, 'region=eu/day=1/part-0'), '1,one\n')
    await writeFile(join(tree, 'region=us/day=2/part-0'), '1,uno\n')
    await writeFile(join(tree, 'region=us/day=2/_SUCCESS'), '')
    const columns = [col('key', DataTypes.BIGINT()), col('region', DataTypes.STRING()), col('value', DataTypes.STRING()), col('day', DataTypes.INT())]
    const src = lookupSource({ path: tree }, columns, ['region', 'day'])
    expect(found(src.createLookup([0]), [1])).toEqual([
      [1, 'eu', 'one', 1],
      [1, 'us', 'uno', 2],
    ])
    expect(found(src.createLookup([3]), [2])).toEqual([[1, 'us', 'uno', 2]])
  })

  it('a malformed line fails the lookup naming the file and line, or is skipped and counted with ignore-parse-errors', async () => {
    const path = join(fresh() + '.csv')
    await writeFile(path, '1,one\nx,two\n')
    const strict = lookupSource({ path }).createLookup([0])
    expect(() => strict([1])).toThrow(ConnectorError)
    expect(() => strict([1])).toThrow(new RegExp(`cannot read line 2 of '${path}' as 'csv'`))
    const lenient = lookupSource({ path, 'csv.ignore-parse-errors': 'true' })
    expect(found(lenient.createLookup([0]), [1])).toEqual([[1, 'one']])
    expect(lenient.malformedRecords.count).toBe(1)
  })

  it('a missing file fails the lookup naming it', () => {
    const lookup = lookupSource({ path: join(root, 'missing.csv') }).createLookup([0])
    expect(() => lookup([1])).toThrow(/cannot read '.*missing\.csv' for a lookup join: ENOENT/)
  })

  it("accepts 'file://' paths, and rejects other schemes and hosts", () => {
    expect(lookupSource({ path: 'file:///tmp/side%20input.csv' }).path).toBe('/tmp/side input.csv')
    expect(lookupSource({ path: 'file://localhost/tmp/a.csv' }).path).toBe('/tmp/a.csv')
    expect(lookupSource({ path: 'file:/tmp/a.csv' }).path).toBe('/tmp/a.csv')
    expect(problems(fileSystemConnector.createLookupSource!(tableContext({ connector: 'filesystem', format: 'csv', path: 'hdfs://nn/a.csv' }, COLUMNS)))).toEqual([
      "path: The path 'hdfs://nn/a.csv' uses the scheme 'hdfs:'; the filesystem connector reads and writes local files only (a plain path or 'file://').",
    ])
    expect(problems(fileSystemConnector.createLookupSource!(tableContext({ connector: 'filesystem', format: 'csv', path: 'file://other/a.csv' }, COLUMNS)))).toEqual([
      "path: The path 'file://other/a.csv' names the host 'other'; the filesystem connector reads and writes local files only (write 'file:///path').",
    ])
  })
})

describe("Flink's legacy option keys", () => {
  const translate = (options: Record<string, string>): Record<string, string> | string[] => {
    const r = translateLegacyOptions(new Map(Object.entries(options)))
    return E.isRight(r) ? Object.fromEntries(r.right) : r.left.map((p) => `${p.option}: ${p.message}`)
  }

  it("translates the filesystem connector's legacy keys (Nexmark q13's side input)", () => {
    expect(translate({ 'connector.type': 'filesystem', 'connector.path': 'file:///data/side_input.txt', 'format.type': 'csv' })).toEqual({ connector: 'filesystem', path: 'file:///data/side_input.txt', format: 'csv' })
    expect(
      translate({ 'connector.type': 'filesystem', 'connector.path': '/d', 'format.type': 'csv', 'format.field-delimiter': '|', 'format.derive-schema': 'true', 'connector.property-version': '1', 'sink.parallelism': '2' }),
    ).toEqual({ connector: 'filesystem', path: '/d', format: 'csv', 'csv.field-delimiter': '|', 'sink.parallelism': '2' })
  })

  it('leaves current keys alone, and reports legacy keys of other connectors and keys set twice', () => {
    const current = { connector: 'filesystem', path: '/d', format: 'csv' }
    expect(translate(current)).toEqual(current)
    expect(translate({ 'connector.type': 'kafka', 'connector.topic': 't' })).toEqual([
      "connector.type: The legacy option keys ('connector.type' = 'kafka') are only translated for the filesystem connector; write 'connector' = 'kafka' and that connector's current options.",
    ])
    expect(translate({ 'connector.type': 'filesystem', connector: 'filesystem' })).toEqual(["connector.type: Set either 'connector' or the legacy 'connector.type', not both."])
    expect(translate({ 'connector.type': 'filesystem', 'connector.path': '/a', path: '/b' })).toEqual(["path: Option 'path' is set twice: once by its legacy key and once as 'path'."])
  })
})
