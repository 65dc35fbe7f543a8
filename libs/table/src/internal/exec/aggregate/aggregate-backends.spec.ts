// The aggregation functions in real jobs, on both keyed state backends: the lmdb backend stores
// accumulators (arrays, Maps, nested) through msgpack, so this checks they survive it.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { StreamExecutionEnvironment, WatermarkStrategy } from '@strom/datastream'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AggregateCall } from '../../../aggregate/aggregate-call.js'
import { inferAggregateType } from '../../../aggregate/builtin-aggregates.js'
import type { Row } from '../../../data/row.js'
import { RowKind } from '../../../data/row.js'
import type { DataType } from '../../../types/data-type.js'
import { DataTypes } from '../../../types/data-type.js'
import { keySelectorOf } from '../keys.js'
import { GroupAggFunction } from './group-agg-function.js'
import type { WindowAggSpec } from './window-agg-function.js'
import { WindowAggFunction } from './window-agg-function.js'

const INT = DataTypes.INT()
const agg = (name: string, args: number[], argTypes: DataType[] = args.map(() => INT), distinct = false): AggregateCall => {
  const type = inferAggregateType(name, argTypes, distinct, { groupCount: 1 })
  if (typeof type === 'string') throw new Error(type)
  return { name, args, argTypes, distinct, type }
}

// input rows [k, ts, v, s, f]; the DISTINCT calls over v share one map (per value: a mask of the
// calls that saw it on insert-only input, counts per call on updating input)
const AGGS = [
  agg('COUNT', []),
  agg('SUM', [2]),
  agg('MAX', [2]),
  agg('MIN', [2]),
  agg('COUNT', [2], [INT], true),
  agg('LISTAGG', [3], [DataTypes.STRING()]),
  { ...agg('COUNT', [2], [INT], true), filterArg: 4 },
  { ...agg('SUM', [2], [INT], true), filterArg: 4 },
]

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-agg-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Deterministic pseudo-random rows: keys a..e, timestamps at most 5 ms out of order. */
const makeRows = (n: number): Row[] => {
  let seed = 7
  const next = (m: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % m
  }
  const rows: Row[] = []
  for (let i = 0; i < n; i++) {
    const ts = i * 2 + next(6)
    const v = next(10) === 0 ? null : next(50)
    rows.push({ kind: RowKind.INSERT, fields: ['abcde'[next(5)]!, ts, v, `s${next(3)}`, next(3) === 0] })
  }
  return rows
}

const sortRows = (rows: readonly Row[]): string[] => rows.map((r) => `${r.kind} ${JSON.stringify(r.fields)}`).sort()

describe('aggregations on the heap and lmdb state backends', () => {
  it('window aggregation (TUMBLE, HOP, SESSION, CUMULATE) gives the same rows on both, at parallelism 1 and 2', async () => {
    const rows = makeRows(400)
    const run = async (spec: WindowAggSpec, backend: 'heap' | 'lmdb', parallelism: number): Promise<string[]> => {
      const env = StreamExecutionEnvironment.create({ parallelism })
      env.setStateBackend(backend, { directory: join(dir, `lmdb-${spec.kind}-${parallelism}`) })
      const out = await env
        .fromCollection(rows)
        .fixParallelism(1) // one source: each key's rows arrive in input order (LISTAGG depends on it)
        // bounded out-of-orderness of 6 ms covers the input's disorder: no row is late, whatever the timing
        .assignTimestampsAndWatermarks(WatermarkStrategy.forBoundedOutOfOrderness<Row>(6).withTimestampAssigner((r) => r.fields[1] as number))
        .fixParallelism(1)
        .keyBy(keySelectorOf([0]))
        .process(new WindowAggFunction({ window: spec, timeIndex: 1, isEventTime: true, groupIndices: [0], aggs: AGGS }))
        .executeAndCollect(`window-${backend}`)
      return sortRows(out)
    }
    // TUMBLE(2 ms): several slices per key open at once (rings grow); the others merge slices or sessions
    for (const spec of [{ kind: 'TUMBLE', sizeMs: 2 }, { kind: 'HOP', sizeMs: 20, slideMs: 4 }, { kind: 'SESSION', gapMs: 4 }, { kind: 'CUMULATE', stepMs: 5, sizeMs: 20 }] as WindowAggSpec[]) {
      const heap = await run(spec, 'heap', 1)
      expect(heap.length).toBeGreaterThan(50)
      expect(await run(spec, 'lmdb', 1)).toEqual(heap)
      expect(await run(spec, 'lmdb', 2)).toEqual(heap)
      // the lmdb backend really ran: it made its directory
      expect(existsSync(join(dir, `lmdb-${spec.kind}-2`))).toBe(true)
    }
  }, 60_000)

  it('group aggregation over a changelog gives the same rows on both', async () => {
    const inserts = makeRows(300)
    // retract every third row again
    const rows: Row[] = []
    inserts.forEach((r, i) => {
      rows.push(r)
      if (i % 3 === 2) rows.push({ kind: RowKind.DELETE, fields: inserts[i - 1]!.fields })
    })
    const run = async (backend: 'heap' | 'lmdb'): Promise<Row[]> => {
      const env = StreamExecutionEnvironment.create({ parallelism: 1 })
      env.setStateBackend(backend, { directory: join(dir, 'lmdb-group') })
      return env
        .fromCollection(rows)
        .keyBy(keySelectorOf([0]))
        .process(new GroupAggFunction({ groupIndices: [0], aggs: AGGS, generateUpdateBefore: true }))
        .executeAndCollect(`group-${backend}`)
    }
    const heap = await run('heap')
    expect(heap.length).toBeGreaterThan(300)
    expect(await run('lmdb')).toEqual(heap)
    expect(existsSync(join(dir, 'lmdb-group'))).toBe(true)
  }, 60_000)
})
