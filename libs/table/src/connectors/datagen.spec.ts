import fc from 'fast-check'
import { ManualClock, type DataGenSplit, type Source } from '@strom/runtime'
import { describe, expect, it } from 'vitest'
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { DataTypes, MAX_LENGTH, type DataType } from '../types/data-type.js'
import { ALL_COLUMNS, col } from '../formats/values.fixture.js'
import { problems, right, tableContext } from './connector.fixture.js'
import { dataGenConnector } from './datagen.js'
import type { ConnectorColumn, ScanTableSource } from './table-connector.js'
import { RecordingOutput, pollUntil, runBounded, startedClock, wire } from './test-kit.js'

const DAY = 86_400_000
const NOW = Date.UTC(2024, 5, 1, 12, 30, 15, 250)

const scan = (options: Record<string, string>, columns: readonly ConnectorColumn[], metadata: readonly ConnectorColumn[] = []) =>
  dataGenConnector.createScanSource!(tableContext({ connector: 'datagen', ...options }, columns, metadata))

const source = (options: Record<string, string>, columns: readonly ConnectorColumn[]): ScanTableSource => right(scan(options, columns))

/**
 * All rows of a bounded datagen table, per subtask, with the clock at NOW (the readers' rate
 * limiters find a full bucket: every table here has at most the default 10000 rows per second).
 */
const generate = async (options: Record<string, string>, columns: readonly ConnectorColumn[], parallelism = 1): Promise<Row[][]> => {
  const outputs = await runBounded(source(options, columns).createSource() as Source<Row, DataGenSplit, DataGenSplit[]>, parallelism, { clock: startedClock(NOW, parallelism) })
  return outputs.map((o) => o.values)
}
const all = async (options: Record<string, string>, columns: readonly ConnectorColumn[], parallelism = 1): Promise<Row[]> =>
  (await generate(options, columns, parallelism)).flat()

/** Whether a value has the runtime form of its type (data-type.ts). */
const conforms = (v: unknown, t: DataType): boolean => {
  if (v === null) return t.nullable
  switch (t.kind) {
    case 'BOOLEAN':
      return typeof v === 'boolean'
    case 'TINYINT':
      return Number.isInteger(v) && (v as number) >= -128 && (v as number) <= 127
    case 'SMALLINT':
      return Number.isInteger(v) && (v as number) >= -32768 && (v as number) <= 32767
    case 'INT':
    case 'INTERVAL_YEAR_MONTH':
      return Number.isInteger(v) && (v as number) >= -2147483648 && (v as number) <= 2147483647
    case 'BIGINT':
    case 'INTERVAL_DAY_TIME':
      return Number.isSafeInteger(v)
    case 'FLOAT':
      return typeof v === 'number' && Math.fround(v) === v
    case 'DOUBLE':
      return typeof v === 'number'
    case 'DECIMAL': {
      const n = v as number
      return typeof v === 'number' && Math.abs(n) < 10 ** (t.precision - t.scale) && Math.abs(Math.round(n * 10 ** t.scale) - n * 10 ** t.scale) < 1e-6
    }
    case 'CHAR':
      return typeof v === 'string' && v.length === t.length
    case 'VARCHAR':
      return typeof v === 'string' && v.length <= t.length
    case 'BINARY':
      return v instanceof Uint8Array && v.length === t.length
    case 'VARBINARY':
      return v instanceof Uint8Array && v.length <= t.length
    case 'DATE':
      return v === Math.floor(NOW / DAY)
    case 'TIME':
      return v === NOW % DAY
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return v === NOW
    case 'ARRAY':
    case 'MULTISET':
      return Array.isArray(v) && v.every((e) => conforms(e, t.element))
    case 'MAP':
      return v instanceof Map && [...v].every(([k, x]) => conforms(k, t.key) && conforms(x, t.value))
    case 'ROW':
      return Array.isArray(v) && v.length === t.fields.length && t.fields.every((f, i) => conforms(v[i], f.type))
    case 'NULL':
      return false
  }
}

describe('datagen connector', () => {
  it('generates values of every type in their runtime form', async () => {
    const rows = await all({ 'number-of-rows': '200', 'fields.arr.null-rate': '0.3' }, ALL_COLUMNS)
    expect(rows).toHaveLength(200)
    for (const row of rows) {
      expect(row.kind).toBe(RowKind.INSERT)
      ALL_COLUMNS.forEach((c, i) => expect(conforms(row.fields[i], c.type), `${c.name}: ${String(row.fields[i])}`).toBe(true))
    }
    const nulls = rows.filter((r) => r.fields[19] === null).length
    expect(nulls).toBeGreaterThan(30)
    expect(nulls).toBeLessThan(90)
    expect(rows.every((r) => (r.fields[9] as string).length === 100 && /^[0-9a-f]+$/.test(r.fields[9] as string))).toBe(true)
    expect(rows.every((r) => (r.fields[19] === null || (r.fields[19] as unknown[]).length === 3))).toBe(true)
  })

  it('is insert-only, bounded by number-of-rows, endless without it', () => {
    const bounded = source({ 'number-of-rows': '10' }, [col('a', DataTypes.INT())])
    expect(bounded.changelogMode).toBe(ChangelogModes.INSERT_ONLY)
    expect(bounded.bounded).toBe(true)
    expect(bounded.createSource().boundedness).toBe('bounded')
    const endless = source({}, [col('a', DataTypes.INT())])
    expect(endless.bounded).toBe(false)
    expect(endless.createSource().boundedness).toBe('unbounded')
    expect(source({ 'scan.parallelism': '3' }, []).parallelism).toBe(3)
  })

  it('generates sequences start..end, the shortest sequence or number-of-rows bounding the source', async () => {
    const columns = [col('id', DataTypes.BIGINT()), col('code', DataTypes.STRING()), col('small', DataTypes.TINYINT()), col('b', DataTypes.BYTES())]
    const options = {
      'fields.id.kind': 'sequence',
      'fields.id.start': '1',
      'fields.id.end': '1000',
      'fields.code.kind': 'sequence',
      'fields.code.start': '-5',
      'fields.code.end': '100',
      'fields.small.kind': 'sequence',
      'fields.small.start': '10',
      'fields.small.end': '127',
      'fields.b.kind': 'sequence',
      'fields.b.start': '-1',
      'fields.b.end': '10000',
    }
    expect(source(options, columns).bounded).toBe(true)
    const rows = await all(options, columns)
    expect(rows).toHaveLength(106)
    rows.forEach((r, i) => {
      expect(r.fields.slice(0, 3)).toEqual([1 + i, String(-5 + i), 10 + i])
      const expected = new Uint8Array(8)
      new DataView(expected.buffer).setBigInt64(0, BigInt(-1 + i))
      expect(r.fields[3]).toEqual(expected)
    })
    expect(await all({ ...options, 'number-of-rows': '7' }, columns)).toHaveLength(7)
  })

  it('splits the rows into contiguous ranges over the subtasks, the same rows at any parallelism', async () => {
    const columns = [col('id', DataTypes.INT()), col('v', DataTypes.DOUBLE()), col('s', DataTypes.STRING())]
    const options = { 'fields.id.kind': 'sequence', 'fields.id.start': '0', 'fields.id.end': '999', seed: '42' }
    const single = await all(options, columns, 1)
    for (const p of [2, 3, 4]) {
      const perSubtask = await generate(options, columns, p)
      for (const rows of perSubtask) {
        const ids = rows.map((r) => r.fields[0] as number)
        expect(ids).toEqual(ids.map((_, i) => ids[0]! + i))
      }
      expect(perSubtask.flat().sort((a, b) => (a.fields[0] as number) - (b.fields[0] as number))).toEqual(single)
    }
  })

  it('generates the same random rows for the same seed, other rows for another seed', async () => {
    const columns = ALL_COLUMNS.filter((c) => !['dt', 'tm', 'ts', 'ltz'].includes(c.name))
    const a = await all({ 'number-of-rows': '50', seed: '7' }, columns)
    const b = await all({ 'number-of-rows': '50', seed: '7' }, columns, 3)
    const c = await all({ 'number-of-rows': '50', seed: '8' }, columns)
    const d = await all({ 'number-of-rows': '50' }, columns)
    const e = await all({ 'number-of-rows': '50', seed: '0' }, columns)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
    expect(d).toEqual(e)
    expect(new Set(a.map((r) => r.fields[3])).size).toBeGreaterThan(45)
  })

  it('keeps random numbers within min and max (inclusive)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 20 }), fc.nat(), async (min, width, seed) => {
        const max = min + width
        const columns = [col('i', DataTypes.INT()), col('d', DataTypes.DOUBLE()), col('dec', DataTypes.DECIMAL(6, 2)), col('ti', DataTypes.TINYINT())]
        const options: Record<string, string> = { 'number-of-rows': '100', seed: String(seed) }
        for (const c of ['i', 'd', 'dec']) Object.assign(options, { [`fields.${c}.min`]: String(min), [`fields.${c}.max`]: String(max) })
        Object.assign(options, { 'fields.ti.min': '-3', 'fields.ti.max': '3' })
        const rows = await all(options, columns)
        for (const r of rows) {
          const [i, d, dec, ti] = r.fields as number[]
          expect(Number.isInteger(i) && i! >= min && i! <= max).toBe(true)
          expect(d! >= min && d! <= max).toBe(true)
          expect(dec! >= min && dec! <= max && Math.abs(Math.round(dec! * 100) - dec! * 100) < 1e-6).toBe(true)
          expect(ti! >= -3 && ti! <= 3).toBe(true)
        }
        if (width > 0) expect(new Set(rows.map((r) => r.fields[0])).size).toBeGreaterThan(1)
        if (width === 2) expect(new Set(rows.map((r) => r.fields[0]))).toEqual(new Set([min, min + 1, min + 2]))
      }),
      { numRuns: 25 },
    )
  })

  it('sets lengths, variable lengths and null rates', async () => {
    const columns = [col('s', DataTypes.STRING()), col('v', DataTypes.BYTES()), col('a', DataTypes.ARRAY(DataTypes.VARCHAR(5))), col('n', DataTypes.INT()), col('z', DataTypes.INT())]
    const rows = await all(
      {
        'number-of-rows': '300',
        'fields.s.length': '8',
        'fields.v.length': '6',
        'fields.v.var-len': 'true',
        'fields.a.length': '2',
        'fields.a.element.length': '4',
        'fields.n.null-rate': '1',
        'fields.z.null-rate': '0.25',
      },
      columns,
    )
    const vlens = new Set<number>()
    for (const r of rows) {
      expect((r.fields[0] as string).length).toBe(8)
      const v = r.fields[1] as Uint8Array
      expect(v.length >= 1 && v.length < 6).toBe(true)
      vlens.add(v.length)
      expect((r.fields[2] as string[]).map((e) => e.length)).toEqual([4, 4])
      expect(r.fields[3]).toBeNull()
    }
    expect(vlens.size).toBe(5)
    const zNulls = rows.filter((r) => r.fields[4] === null).length
    expect(zNulls).toBeGreaterThan(45)
    expect(zNulls).toBeLessThan(105)
  })

  it('generates timestamps up to max-past before now, by the source clock', async () => {
    const columns = [col('ts', DataTypes.TIMESTAMP(3)), col('ltz', DataTypes.TIMESTAMP_LTZ(3)), col('d', DataTypes.DATE()), col('t', DataTypes.TIME())]
    const rows = await all({ 'number-of-rows': '200', 'fields.ts.max-past': '1 h', 'fields.ltz.max-past': '10 s' }, columns)
    for (const r of rows) {
      const [ts, ltz, d, t] = r.fields as number[]
      expect(ts! <= NOW && ts! >= NOW - 3_600_000).toBe(true)
      expect(ltz! <= NOW && ltz! >= NOW - 10_000).toBe(true)
      expect(d).toBe(Math.floor(NOW / DAY))
      expect(t).toBe(NOW % DAY)
    }
    expect(new Set(rows.map((r) => r.fields[0])).size).toBeGreaterThan(150)
  })

  it('restores from a checkpoint and generates the rows it had not generated, the same as before', async () => {
    const columns = [col('id', DataTypes.INT()), col('r', DataTypes.STRING())]
    const options = { 'fields.id.kind': 'sequence', 'fields.id.start': '1', 'fields.id.end': '3000', 'rows-per-second': '1000000' }
    const expected = await all(options, columns)
    const src = source(options, columns).createSource() as Source<Row, DataGenSplit, DataGenSplit[]>
    const first = wire(src, 2, { clock: startedClock(NOW, 2) })
    await pollUntil(first.readers[0]!, first.outputs[0]!, 700)
    await pollUntil(first.readers[1]!, first.outputs[1]!, 300)
    const checkpoint = { enumerator: first.enumerator.snapshotState(1), readers: first.readers.map((r) => r.snapshotState(1)) }
    const before = first.outputs.flatMap((o) => o.values)
    const restored = await runBounded(src, 2, { clock: startedClock(NOW, 2), restore: checkpoint })
    const after = restored.flatMap((o) => o.values)
    const ids = (rows: Row[]): number[] => rows.map((r) => r.fields[0] as number)
    expect([...before, ...after].sort((a, b) => (a.fields[0] as number) - (b.fields[0] as number))).toEqual(expected)
    expect(new Set([...ids(before), ...ids(after)]).size).toBe(3000)
  })

  it('emits at its rate by the reader clock', () => {
    const src = source({ 'rows-per-second': '5' }, [col('a', DataTypes.INT())]).createSource()
    const clock = new ManualClock(NOW)
    const { readers } = wire(src, 1, { clock })
    const out = new RecordingOutput<Row>()
    expect(readers[0]!.pollNext(out)).toBe('NOTHING_AVAILABLE')
    expect(out.records).toHaveLength(0)
    clock.advance(1000)
    readers[0]!.pollNext(out)
    expect(out.records).toHaveLength(5)
    void readers[0]!.close()
  })

  it('reports every option problem, as Flink does', () => {
    const columns = [col('id', DataTypes.INT()), col('name', DataTypes.STRING()), col('at', DataTypes.DATE()), col('b', DataTypes.BOOLEAN())]
    expect(
      problems(
        scan(
          {
            'rows-per-second': 'fast',
            'number-of-rows': '-1',
            'fields.id.kind': 'sequence',
            'fields.id.start': '10',
            'fields.name.kind': 'seq',
            'fields.name.min': '1',
            'fields.at.kind': 'sequence',
            'fields.b.null-rate': '2',
            'fields.nosuch.kind': 'random',
          },
          columns,
        ),
      ),
    ).toEqual([
      "rows-per-second: Could not parse value 'fast' for option 'rows-per-second': expected an integer.",
      "number-of-rows: The value '-1' of option 'number-of-rows' is out of range: expected a non-negative number.",
      "fields.id.end: Could not find required property 'fields.id.end' for sequence generator.",
      "fields.name.kind: Could not parse value 'seq' for option 'fields.name.kind': expected one of 'random', 'sequence'.",
      "fields.at.kind: Column 'at' of type DATE cannot have a 'sequence' generator; sequences are for numeric, character string and binary columns.",
      "fields.b.null-rate: The value '2' of option 'fields.b.null-rate' is out of range: expected between 0 and 1.",
      "fields.name.min: Unsupported option 'fields.name.min' for connector 'datagen'; supported: connector, fields.at.kind, fields.b.kind, fields.b.null-rate, fields.id.end, fields.id.kind, fields.id.start, fields.name.kind, fields.name.length, fields.name.null-rate, fields.name.var-len, number-of-rows, rows-per-second, scan.parallelism, seed.",
      "fields.nosuch.kind: Unsupported option 'fields.nosuch.kind' for connector 'datagen'; supported: connector, fields.at.kind, fields.b.kind, fields.b.null-rate, fields.id.end, fields.id.kind, fields.id.start, fields.name.kind, fields.name.length, fields.name.null-rate, fields.name.var-len, number-of-rows, rows-per-second, scan.parallelism, seed.",
    ])
  })

  it('rejects inverted bounds, sequences beyond their type, and metadata columns', () => {
    const columns = [col('a', DataTypes.INT()), col('s', DataTypes.TINYINT()), col('d', DataTypes.DECIMAL(3, 1))]
    expect(
      problems(
        scan(
          {
            'fields.a.min': '10',
            'fields.a.max': '1',
            'fields.s.kind': 'sequence',
            'fields.s.start': '100',
            'fields.s.end': '200',
            'fields.d.min': '500',
          },
          columns,
          [col('m', DataTypes.STRING())],
        ),
      ),
    ).toEqual([
      "-: Table 'default_catalog.default_database.t' declares metadata columns ('m'), but the connector 'datagen' has no metadata to read.",
      "fields.a.min: The minimum 10 ('fields.a.min') is greater than the maximum 1 ('fields.a.max').",
      "fields.s.end: The value '200' of option 'fields.s.end' is out of range: expected between -128 and 127.",
      'fields.d.min: No value of DECIMAL(3, 1) lies between the minimum 500 and the maximum 1.7976931348623157e+308 of column \'d\'.',
    ])
    expect(problems(scan({ 'fields.a.kind': 'sequence', 'fields.a.start': '5', 'fields.a.end': '4' }, columns))).toEqual([
      "fields.a.start: The sequence start 5 ('fields.a.start') is greater than its end 4 ('fields.a.end').",
    ])
  })

  it('takes options of nested fields under the column name', async () => {
    const columns = [col('r', DataTypes.ROW([{ name: 'x', type: DataTypes.INT() }])), col('m', DataTypes.MAP(DataTypes.INT(), DataTypes.STRING()))]
    const rows = await all({ 'number-of-rows': '20', 'fields.r.x.min': '5', 'fields.r.x.max': '5', 'fields.m.key.min': '1', 'fields.m.key.max': '1', 'fields.m.value.length': '2' }, columns)
    for (const r of rows) {
      expect(r.fields[0]).toEqual([5])
      expect([...(r.fields[1] as Map<number, string>).keys()]).toEqual([1])
      expect((r.fields[1] as Map<number, string>).get(1)).toHaveLength(2)
    }
    expect(MAX_LENGTH).toBeGreaterThan(100)
  })
})
