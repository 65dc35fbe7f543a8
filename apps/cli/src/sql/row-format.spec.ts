import { describe, expect, it } from 'vitest'
import { jsonKindKey, jsonRowEncoder, rowFormatter } from './row-format.js'
import { DataTypes, type ResultColumn, type ResultRow } from './table-api.js'

const row = (kind: ResultRow['kind'], raw: readonly unknown[]): ResultRow => ({ kind, raw, fields: raw })

describe('row formats', () => {
  const columns: ResultColumn[] = [
    { name: 'supplier', type: DataTypes.STRING() },
    { name: 'cnt', type: DataTypes.BIGINT(false) },
    { name: 'total', type: DataTypes.DECIMAL(10, 2) },
    { name: 't', type: DataTypes.TIMESTAMP(3) },
    { name: 'ok', type: DataTypes.BOOLEAN() },
  ]
  const t = Date.UTC(2020, 3, 15, 8, 5, 0, 120)

  it('changelog: +I[...] as the table layer formats rows', () => {
    const f = rowFormatter('changelog', columns)
    expect(f(row('-U', ['s1', 2, 7, t, true]))).toBe('-U[s1, 2, 7.00, 2020-04-15 08:05:00.120, true]')
  })

  it("json: the kind, then the columns by name, values as Flink's json format writes them", () => {
    const f = rowFormatter('json', columns)
    const line = f(row('+U', ['s"1', 2, 7, t, false]))
    expect(line).toBe('{"kind":"+U","supplier":"s\\"1","cnt":2,"total":7.00,"t":"2020-04-15 08:05:00.12","ok":false}')
    expect(JSON.parse(line)).toEqual({ kind: '+U', supplier: 's"1', cnt: 2, total: 7, t: '2020-04-15 08:05:00.12', ok: false })
    expect(f(row('+I', [null, 0, null, Date.UTC(2020, 0, 1), null]))).toBe('{"kind":"+I","supplier":null,"cnt":0,"total":null,"t":"2020-01-01 00:00:00","ok":null}')
  })

  it('json: nested values, dates, times and maps', () => {
    const f = jsonRowEncoder([
      { name: 'd', type: DataTypes.DATE() },
      { name: 'tm', type: DataTypes.TIME(3) },
      { name: 'ltz', type: DataTypes.TIMESTAMP_LTZ(3) },
      { name: 'a', type: DataTypes.ARRAY(DataTypes.INT()) },
      { name: 'm', type: DataTypes.MAP(DataTypes.STRING(), DataTypes.DOUBLE()) },
      { name: 'r', type: DataTypes.ROW([{ name: 'x', type: DataTypes.INT() }]) },
    ])
    const line = f(row('+I', [18367, 8 * 3_600_000 + 5 * 60_000, Date.UTC(2020, 3, 15, 8, 5), [1, null], new Map<unknown, unknown>([['k', 1.5], [null, 2]]), [3]]))
    expect(JSON.parse(line)).toEqual({ kind: '+I', d: '2020-04-15', tm: '08:05:00', ltz: '2020-04-15 08:05:00Z', a: [1, null], m: { k: 1.5, null: 2 }, r: { x: 3 } })
  })

  it('json: a column named kind keeps its name; the change kind moves to _kind', () => {
    const cols: ResultColumn[] = [{ name: 'kind', type: DataTypes.STRING() }]
    expect(jsonKindKey(cols)).toBe('_kind')
    expect(jsonKindKey([...cols, { name: '_kind', type: DataTypes.INT() }])).toBe('__kind')
    expect(JSON.parse(jsonRowEncoder(cols)(row('-D', ['x'])))).toEqual({ _kind: '-D', kind: 'x' })
  })
})
