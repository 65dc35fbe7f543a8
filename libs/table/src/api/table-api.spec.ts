import { DataGenSource, StreamExecutionEnvironment, WatermarkStrategy } from '@strom/datastream'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { TableConnectorFactory } from '../connectors/table-connector.js'
import { DataTypes } from '../types/data-type.js'
import { materialize } from '../golden/golden-runner.js'
import { $, interval, lit } from './expressions.js'
import { Slide, Tumble } from './table.js'
import { StreamTableEnvironment } from './stream-table-environment.js'
import { TableEnvironment } from './table-environment.js'
import { formatResultRow, type TableResult } from './table-result.js'

const BIDS = `CREATE TABLE bids (item STRING, price INT, supplier STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '200', 'fields.item.length' = '1', 'fields.price.min' = '1', 'fields.price.max' = '9', 'fields.supplier.length' = '1')`

const lines = async (r: TableResult): Promise<string[]> => {
  const out: string[] = []
  for await (const row of r.collect()) out.push(formatResultRow(row, r.columns))
  return out
}

describe('Table API', () => {
  it('builds the same query as SQL and gets the same final table', async () => {
    const tEnv = TableEnvironment.create()
    await tEnv.executeSql(BIDS)
    const viaApi = tEnv.from('bids').where($('price').isGreater(2)).groupBy($('item')).select($('item'), $('price').sum().as('total'))
    expect(viaApi.columnNames()).toEqual(['item', 'total'])
    const viaSql = await tEnv.executeSql('SELECT item, SUM(price) AS total FROM bids WHERE price > 2 GROUP BY item')
    const a = materialize(await lines(await viaApi.execute()))
    const b = materialize(await lines(viaSql))
    expect(a).toEqual(b)
    expect(a.length).toBeGreaterThan(1)
    // the final sums equal a computation over the raw rows
    const raw = await (await tEnv.executeSql('SELECT item, price FROM bids')).collect()
    const sums = new Map<string, number>()
    for await (const r of raw) if ((r.fields[1] as number) > 2) sums.set(r.fields[0] as string, (sums.get(r.fields[0] as string) ?? 0) + (r.fields[1] as number))
    expect(a).toEqual([...sums].map(([k, v]) => `[${k}, ${v}]`).sort())
  })

  it('reports the same errors as SQL: an unknown column names the column', async () => {
    const tEnv = TableEnvironment.create()
    await tEnv.executeSql(BIDS)
    expect(() => tEnv.from('bids').select($('prize')).columnNames()).toThrow(/Column 'prize' not found/)
    expect(() => tEnv.from('nope')).toThrow(/Table or view 'nope' does not exist; known: bids/)
  })

  it('orders and limits a bounded table in batch mode, explains the plan', async () => {
    const tEnv = TableEnvironment.create({ mode: 'batch' })
    await tEnv.executeSql(`CREATE TABLE n (x INT) WITH ('connector' = 'datagen', 'fields.x.kind' = 'sequence', 'fields.x.start' = '1', 'fields.x.end' = '20')`)
    const t = tEnv.from('n').select($('x'), $('x').times(lit(3)).mod(7).as('m')).orderBy({ expr: $('m'), desc: true }, $('x')).limit(3)
    expect(await lines(await t.execute())).toEqual(['+I[2, 6]', '+I[9, 6]', '+I[16, 6]'])
    expect(t.explain()).toMatch(/SortLimit\(orderBy=\[m DESC, x ASC\], offset=\[0\], fetch=\[3\]/)
  })

  it('group windows: Tumble over a time attribute, window properties and aggregates', async () => {
    const tEnv = TableEnvironment.create()
    await tEnv.executeSql(`CREATE TABLE ev (k STRING, v INT, ts AS TO_TIMESTAMP_LTZ(v * 1000, 3), WATERMARK FOR ts AS ts) WITH ('connector' = 'datagen', 'fields.k.length' = '1', 'fields.v.kind' = 'sequence', 'fields.v.start' = '0', 'fields.v.end' = '29')`)
    const t = tEnv
      .from('ev')
      .window(Tumble.over(interval(10, 'SECOND')).on($('ts')).as('w'))
      .groupBy($('w'))
      .select($('w').start().as('ws'), $('w').end().as('we'), $('v').count().as('n'), $('v').sum().as('s'))
    const rows = await lines(await t.execute())
    expect(rows).toEqual(['+I[1970-01-01 00:00:00.000, 1970-01-01 00:00:10.000, 10, 45]', '+I[1970-01-01 00:00:10.000, 1970-01-01 00:00:20.000, 10, 145]', '+I[1970-01-01 00:00:20.000, 1970-01-01 00:00:30.000, 10, 245]'])
    const slid = tEnv.from('ev').window(Slide.over(interval(10, 'SECOND')).every(interval(5, 'SECOND')).on($('ts')).as('w')).groupBy($('w')).select($('w').end().as('we'), $('v').count().as('n'))
    expect((await lines(await slid.execute())).map((l) => l.slice(-4))).toEqual([', 5]', ' 10]', ' 10]', ' 10]', ' 10]', ' 10]', ', 5]']) // windows ending at 5, 10, ..., 35 s over values 0..29
  })

  it('BATCH: a GROUP BY emits each group final result once, and may go into an insert-only sink', async () => {
    const tEnv = TableEnvironment.create({ mode: 'batch' })
    await tEnv.executeSql(`CREATE TABLE n (x INT) WITH ('connector' = 'datagen', 'fields.x.kind' = 'sequence', 'fields.x.start' = '1', 'fields.x.end' = '10')`)
    const r = await lines(await tEnv.executeSql('SELECT x % 3 AS m, COUNT(*) AS c, SUM(x) AS s FROM n GROUP BY x % 3'))
    expect(r.sort()).toEqual(['+I[0, 3, 18]', '+I[1, 4, 22]', '+I[2, 3, 15]'])
    expect(tEnv.explainSql('SELECT x % 3 AS m, COUNT(*) FROM n GROUP BY x % 3')).toMatch(/GroupAggregate\(.*changelogMode=\[I\]\)/)
    // the same query into an append-only table: allowed in BATCH (refused in STREAMING, see the golden fail case)
    await tEnv.executeSql(`CREATE TABLE out (m INT, c BIGINT) WITH ('connector' = 'blackhole')`)
    const job = await tEnv.executeSql('INSERT INTO out SELECT x % 3, COUNT(*) FROM n GROUP BY x % 3')
    expect((await job.await())?.status).toBe('FINISHED')
  })

  it('runs user-defined scalar, table and aggregate functions', async () => {
    const tEnv = TableEnvironment.create()
    tEnv.createTemporarySystemFunction('twice', (x: number | null) => (x === null ? null : x * 2), DataTypes.INT())
    tEnv.createTableFunction({ name: 'split', fn: (s: string) => s.split(',').map((w) => [w, w.length]), resultFields: () => [{ name: 'word', type: DataTypes.STRING() }, { name: 'len', type: DataTypes.INT() }] })
    tEnv.createAggregateFunction({
      name: 'longest',
      create: () => ({ createAccumulator: () => ({ v: '' }), accumulate: (acc: { v: string }, s: string) => void (s.length > acc.v.length && (acc.v = s)), getValue: (acc: { v: string }) => acc.v }),
      resultType: () => DataTypes.STRING(),
    })
    const r = await tEnv.executeSql(`
      SELECT k, longest(word) AS w, SUM(twice(len)) AS s
      FROM (VALUES (1, 'a,bbb,cc'), (2, 'dddd,e')) AS t (k, words), LATERAL TABLE(split(words)) AS x (word, len)
      GROUP BY k`)
    expect(materialize(await lines(r))).toEqual(['[1, bbb, 12]', '[2, dddd, 10]'])
  })
})

describe('lookup joins', () => {
  it('joins each row with what a lookup source answers (asynchronously), INNER and LEFT', async () => {
    const users = new Map<number, string>([
      [1, 'ada'],
      [2, 'bob'],
    ])
    const lookups: number[] = []
    const dim: TableConnectorFactory = {
      identifier: 'users-lookup',
      requiredOptions: [],
      optionalOptions: [],
      createLookupSource: () =>
        E.right({
          createLookup: (keyIndices) => {
            expect(keyIndices).toEqual([0])
            return async (key) => {
              lookups.push(key[0] as number)
              const name = users.get(key[0] as number)
              return name === undefined ? [] : [{ kind: 0, fields: [key[0], name] }]
            }
          },
        }),
    }
    const tEnv = TableEnvironment.create({ connectors: [dim] })
    await tEnv.executeSql(`CREATE TABLE users (id INT, name STRING) WITH ('connector' = 'users-lookup')`)
    await tEnv.executeSql(`CREATE TABLE orders (uid INT, amount INT, proc AS PROCTIME()) WITH ('connector' = 'datagen', 'fields.uid.kind' = 'sequence', 'fields.uid.start' = '1', 'fields.uid.end' = '3', 'fields.amount.min' = '1', 'fields.amount.max' = '1')`)
    const inner = await tEnv.executeSql('SELECT o.uid, u.name FROM orders AS o JOIN users FOR SYSTEM_TIME AS OF o.proc AS u ON o.uid = u.id')
    expect(await lines(inner)).toEqual(['+I[1, ada]', '+I[2, bob]'])
    const left = await tEnv.executeSql('SELECT o.uid, u.name FROM orders AS o LEFT JOIN users FOR SYSTEM_TIME AS OF o.proc AS u ON o.uid = u.id')
    expect(await lines(left)).toEqual(['+I[1, ada]', '+I[2, bob]', '+I[3, null]'])
    expect(lookups).toEqual([1, 2, 3, 1, 2, 3])
    expect(tEnv.explainSql('SELECT o.uid, u.name FROM orders AS o JOIN users FOR SYSTEM_TIME AS OF o.proc AS u ON o.uid = u.id')).toMatch(/LookupJoin\(table=\[default_catalog.default_database.users\], joinType=\[InnerJoin\], lookup=\[id=uid\]/)
  })
})

describe('StreamTableEnvironment: DataStream <-> Table', () => {
  it('a DataStream with event time becomes a table, a window query runs on it, and the result becomes a DataStream again', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 })
    const tEnv = StreamTableEnvironment.create(env)
    const clicks = env.fromSource(
      DataGenSource.of((i) => ({ user: `u${i % 3}`, ms: i * 250 }), { count: 40 }),
      WatermarkStrategy.forMonotonousTimestamps<{ user: string; ms: number }>().withTimestampAssigner((c) => c.ms),
      'clicks',
    )
    const table = tEnv.fromDataStream(clicks, { columns: { user: DataTypes.STRING() }, rowtime: 'ts' })
    tEnv.createTemporaryView('clicks', table)
    const counts = tEnv.sqlQuery(`
      SELECT user, window_start, COUNT(*) AS cnt
      FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '5' SECOND))
      GROUP BY user, window_start, window_end`)
    const out = await tEnv.toDataStream<{ user: string; window_start: Date; cnt: number }>(counts).executeAndCollect()
    // 40 clicks 250 ms apart: two 5 s windows of 20 clicks, users round-robin
    const got = out.map((r) => `${r.user} ${r.window_start.getTime()} ${r.cnt}`).sort()
    expect(got).toEqual(['u0 0 7', 'u0 5000 7', 'u1 0 7', 'u1 5000 6', 'u2 0 6', 'u2 5000 7'])
  })

  it('an updating table needs toChangelogStream; toDataStream refuses it with a clear error', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 })
    const tEnv = StreamTableEnvironment.create(env)
    const words = tEnv.fromDataStream(env.fromCollection([{ w: 'a' }, { w: 'b' }, { w: 'a' }]), { columns: { w: DataTypes.STRING() } })
    const counts = words.groupBy($('w')).select($('w'), $('w').count().as('n'))
    expect(() => tEnv.toDataStream(counts)).toThrow(/toDataStream needs an insert-only table/)
    const changes = await tEnv.toChangelogStream<{ w: string; n: number }>(counts).executeAndCollect()
    expect(changes.map((c) => `${c.kind}${c.row.w}=${c.row.n}`)).toEqual(['+Ia=1', '+Ib=1', '-Ua=1', '+Ua=2'])
  })

  it('a changelog stream becomes an updating table', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 })
    const tEnv = StreamTableEnvironment.create(env)
    const stream = env.fromCollection([
      { kind: '+I' as const, row: { id: 1, v: 10 } },
      { kind: '+I' as const, row: { id: 2, v: 5 } },
      { kind: '-U' as const, row: { id: 1, v: 10 } },
      { kind: '+U' as const, row: { id: 1, v: 7 } },
      { kind: '-D' as const, row: { id: 2, v: 5 } },
    ])
    const t = tEnv.fromChangelogStream(stream, { columns: { id: DataTypes.INT(false), v: DataTypes.INT() }, primaryKey: ['id'] })
    const total = t.groupBy().select($('v').sum().as('total'))
    const out = await tEnv.toChangelogStream<{ total: number }>(total).executeAndCollect()
    expect(out.map((c) => `${c.kind}${c.row.total}`)).toEqual(['+I10', '-U10', '+U15', '-U15', '+U5', '-U5', '+U12', '-U12', '+U7'])
  })
})
