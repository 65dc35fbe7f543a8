// Flink's legacy group windows (GROUP BY k, TUMBLE/HOP/SESSION(ts, ...) with the auxiliary
// functions) are planned onto the window TVF aggregation: their results must equal the TVF
// query's, in STREAMING and BATCH, and a computation in plain TypeScript.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { TableEnvironment } from '../api/table-environment.js'
import { formatResultRow, type TableResult } from '../api/table-result.js'
import { materialize } from '../golden/golden-runner.js'

const root = mkdtempSync(join(tmpdir(), 'strom-group-windows-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))
let files = 0

const T0 = Date.UTC(2020, 3, 15, 8)
const ts = (ms: number): string => new Date(ms).toISOString().slice(0, 23).replace('T', ' ')

interface Event {
  readonly k: string
  readonly v: number
  readonly t: number
}

/** A table `ev (k, v, ts)` over these events, with `WATERMARK FOR ts AS ts - INTERVAL '2' SECOND`. */
const envWith = async (events: readonly Event[], mode: 'streaming' | 'batch'): Promise<TableEnvironment> => {
  const path = join(root, `ev${files++}.csv`)
  writeFileSync(path, events.map((e) => `${e.k},${e.v},${ts(e.t)}`).join('\n') + '\n')
  const tEnv = TableEnvironment.create({ mode, config: { 'pipeline.auto-watermark-interval': '0' } })
  await tEnv.executeSql(`CREATE TABLE ev (k STRING, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '2' SECOND) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'csv')`)
  return tEnv
}

const rows = async (r: TableResult): Promise<string[]> => {
  const out: string[] = []
  for await (const row of r.collect()) out.push(formatResultRow(row, r.columns))
  return materialize(out)
}

/** Pairs of a legacy group window query and the window TVF query it means. */
const PAIRS: readonly (readonly [string, string, string])[] = [
  [
    'TUMBLE',
    `SELECT k, TUMBLE_START(ts, INTERVAL '5' SECOND), TUMBLE_END(ts, INTERVAL '5' SECOND), TUMBLE_ROWTIME(ts, INTERVAL '5' SECOND), COUNT(*), SUM(v) FROM ev GROUP BY TUMBLE(ts, INTERVAL '5' SECOND), k`,
    `SELECT k, window_start, window_end, window_time, COUNT(*), SUM(v) FROM TABLE(TUMBLE(TABLE ev, DESCRIPTOR(ts), INTERVAL '5' SECOND)) GROUP BY window_start, window_end, window_time, k`,
  ],
  [
    'HOP',
    `SELECT HOP_START(ts, INTERVAL '2' SECOND, INTERVAL '6' SECOND) AS s, HOP_END(ts, INTERVAL '2' SECOND, INTERVAL '6' SECOND) AS e, MAX(v), COUNT(DISTINCT k) FROM ev GROUP BY HOP(ts, INTERVAL '2' SECOND, INTERVAL '6' SECOND) HAVING COUNT(*) > 1`,
    `SELECT window_start AS s, window_end AS e, MAX(v), COUNT(DISTINCT k) FROM TABLE(HOP(TABLE ev, DESCRIPTOR(ts), INTERVAL '2' SECOND, INTERVAL '6' SECOND)) GROUP BY window_start, window_end HAVING COUNT(*) > 1`,
  ],
  [
    'SESSION',
    `SELECT k, COUNT(*) AS c, SESSION_START(ts, INTERVAL '3' SECOND) AS s, SESSION_END(ts, INTERVAL '3' SECOND) AS e, SESSION_ROWTIME(ts, INTERVAL '3' SECOND) AS r FROM ev GROUP BY k, SESSION(ts, INTERVAL '3' SECOND)`,
    `SELECT k, COUNT(*) AS c, window_start AS s, window_end AS e, window_time AS r FROM TABLE(SESSION(TABLE ev PARTITION BY k, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY k, window_start, window_end, window_time`,
  ],
]

/** Events 0-2 s apart, some up to 3 s out of order (some of those late). */
const eventsArb = fc.array(fc.record({ k: fc.constantFrom('a', 'b', 'c'), v: fc.integer({ min: 0, max: 99 }), step: fc.integer({ min: 0, max: 2000 }), back: fc.integer({ min: -3000, max: 0 }) }), { minLength: 1, maxLength: 40 })

const toEvents = (raw: readonly { k: string; v: number; step: number; back: number }[], inOrder: boolean): Event[] => {
  let t = T0
  return raw.map((r) => {
    t += r.step
    return { k: r.k, v: r.v, t: inOrder ? t : Math.max(T0, t + (r.back < -2000 ? r.back : 0)) }
  })
}

describe('legacy group windows', () => {
  it('give the results of the window TVF queries they mean, in STREAMING and BATCH, late rows included', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, async (raw) => {
        const events = toEvents(raw, false)
        for (const mode of ['streaming', 'batch'] as const) {
          const tEnv = await envWith(events, mode)
          for (const [, legacy, tvf] of PAIRS) expect(await rows(await tEnv.executeSql(legacy))).toEqual(await rows(await tEnv.executeSql(tvf)))
        }
      }),
      { numRuns: 8 },
    )
  }, 60_000)

  it('TUMBLE and SESSION per key as computed here', async () => {
    await fc.assert(
      fc.asyncProperty(eventsArb, async (raw) => {
        const events = toEvents(raw, true)
        const tEnv = await envWith(events, 'streaming')
        // tumbling windows of 5 s: count and sum per key and window
        const tumble = new Map<string, [number, number]>()
        for (const e of events) {
          const start = e.t - ((e.t - T0) % 5000)
          const key = `${e.k}|${start}`
          const [c, s] = tumble.get(key) ?? [0, 0]
          tumble.set(key, [c + 1, s + e.v])
        }
        const expectedTumble = [...tumble].map(([key, [c, s]]) => {
          const [k, start] = key.split('|') as [string, string]
          return `[${k}, ${ts(Number(start))}, ${ts(Number(start) + 5000)}, ${c}, ${s}]`
        })
        expect(await rows(await tEnv.executeSql(`SELECT k, TUMBLE_START(ts, INTERVAL '5' SECOND), TUMBLE_END(ts, INTERVAL '5' SECOND), COUNT(*), SUM(v) FROM ev GROUP BY k, TUMBLE(ts, INTERVAL '5' SECOND)`))).toEqual(
          expectedTumble.sort(),
        )
        // sessions of 3 s per key: windows that touch merge, as Flink's
        const expectedSessions: string[] = []
        for (const k of ['a', 'b', 'c']) {
          const times = events.filter((e) => e.k === k).map((e) => e.t)
          if (times.length === 0) continue
          let start = times[0]!
          let last = start
          let count = 1
          for (const t of times.slice(1)) {
            if (t <= last + 3000) {
              count++
              last = Math.max(last, t)
            } else {
              expectedSessions.push(`[${k}, ${count}, ${ts(start)}, ${ts(last + 3000)}]`)
              start = last = t
              count = 1
            }
          }
          expectedSessions.push(`[${k}, ${count}, ${ts(start)}, ${ts(last + 3000)}]`)
        }
        expect(await rows(await tEnv.executeSql(`SELECT k, COUNT(*), SESSION_START(ts, INTERVAL '3' SECOND), SESSION_END(ts, INTERVAL '3' SECOND) FROM ev GROUP BY k, SESSION(ts, INTERVAL '3' SECOND)`))).toEqual(
          expectedSessions.sort(),
        )
      }),
      { numRuns: 8 },
    )
  }, 60_000)

  it('plan onto the window aggregation (EXPLAIN shows a WindowAggregate over the input, no window TVF left)', async () => {
    const tEnv = await envWith([{ k: 'a', v: 1, t: T0 }], 'streaming')
    for (const [kind, legacy] of PAIRS) {
      const plan = tEnv.explainSql(legacy)
      expect(plan).toContain(`WindowAggregate(`)
      expect(plan).toContain(`window=[${kind}(`)
      expect(plan).not.toContain('WindowTableFunction')
    }
  })

  it('work on processing time (TUMBLE_PROCTIME), as the TVF query', async () => {
    const tEnv = TableEnvironment.create()
    await tEnv.executeSql(`CREATE TABLE p (k STRING, pt AS PROCTIME()) WITH ('connector' = 'datagen', 'number-of-rows' = '10', 'fields.k.length' = '1')`)
    const legacy = `SELECT k, COUNT(*), TUMBLE_PROCTIME(pt, INTERVAL '1' HOUR) AS window_time FROM p GROUP BY k, TUMBLE(pt, INTERVAL '1' HOUR)`
    const tvf = `SELECT k, COUNT(*), window_time FROM TABLE(TUMBLE(TABLE p, DESCRIPTOR(pt), INTERVAL '1' HOUR)) GROUP BY k, window_start, window_end, window_time`
    const strip = (plan: string): string => plan.replace(/EXPR\$\d+/g, 'X')
    expect(strip(tEnv.explainSql(legacy))).toBe(strip(tEnv.explainSql(tvf)))
    expect(tEnv.explainSql(legacy)).toContain('window=[TUMBLE(time_col=[pt], size=[1 h])]')
    // (a processing-time window still open when the input ends does not fire, in both, as in Flink)
    expect(await rows(await tEnv.executeSql(legacy))).toEqual(await rows(await tEnv.executeSql(tvf)))
  })

  it('SESSION per a key that is not the first column, with an aggregate of an expression (partition keys renumbered into the aggregation input)', async () => {
    const events: Event[] = [0, 1000, 2500, 9000, 9500, 20_000].map((d, i) => ({ k: ['a', 'b'][i % 2]!, v: i, t: T0 + d }))
    const tEnv = await envWith(events, 'streaming')
    // v is the second column: before, this failed with "A SESSION window aggregation must group by
    // exactly the session's partition keys (fields 1), got group fields 0."
    const tvf = await rows(await tEnv.executeSql(`SELECT v, SUM(CHAR_LENGTH(k)) FROM TABLE(SESSION(TABLE ev PARTITION BY v, DESCRIPTOR(ts), INTERVAL '3' SECOND)) GROUP BY v, window_start, window_end`))
    const legacy = await rows(await tEnv.executeSql(`SELECT v, SUM(CHAR_LENGTH(k)) FROM ev GROUP BY v, SESSION(ts, INTERVAL '3' SECOND)`))
    expect(tvf).toEqual(['[0, 1]', '[1, 1]', '[2, 1]', '[3, 1]', '[4, 1]', '[5, 1]'])
    expect(legacy).toEqual(tvf)
  })

  it('report misuse with its position', async () => {
    const tEnv = await envWith([{ k: 'a', v: 1, t: T0 }], 'streaming')
    const error = (sql: string): string => {
      try {
        tEnv.explainSql(sql)
      } catch (e) {
        return (e as Error).message
      }
      return 'no error'
    }
    expect(error(`SELECT k, SESSION_START(ts, INTERVAL '4' SECOND) FROM ev GROUP BY k, SESSION(ts, INTERVAL '3' SECOND)`)).toBe(
      "SQL validation error at line 1, column 11: SESSION_START must have the same arguments as the group window SESSION(ts, INTERVAL '3' SECOND) of the GROUP BY.",
    )
    expect(error(`SELECT TUMBLE_END(ts, INTERVAL '3' SECOND) FROM ev GROUP BY SESSION(ts, INTERVAL '3' SECOND)`)).toBe(
      'SQL validation error at line 1, column 8: TUMBLE_END does not fit the group window SESSION(...) of the GROUP BY; use SESSION_END.',
    )
    expect(error(`SELECT k, TUMBLE_START(ts, INTERVAL '3' SECOND) FROM ev GROUP BY k`)).toBe(
      'SQL validation error at line 1, column 11: TUMBLE_START can only be used with a group window: GROUP BY ..., TUMBLE(time_attr, ...).',
    )
    expect(error(`SELECT HOP_END(ts, INTERVAL '1' SECOND, INTERVAL '2' SECOND) FROM ev`)).toBe(
      'SQL validation error at line 1, column 8: HOP_END can only be used with a group window: GROUP BY ..., HOP(time_attr, ...).',
    )
    expect(error(`SELECT TUMBLE(ts, INTERVAL '3' SECOND) FROM ev GROUP BY TUMBLE(ts, INTERVAL '3' SECOND)`)).toBe(
      'SQL validation error at line 1, column 8: The group window TUMBLE(...) can only be used in GROUP BY; use TUMBLE_START(...) and TUMBLE_END(...) for its bounds (SELECT).',
    )
    expect(error(`SELECT COUNT(*) FROM ev GROUP BY TUMBLE(k, INTERVAL '3' SECOND)`)).toBe(
      'SQL validation error at line 1, column 41: The first argument of TUMBLE must be a time attribute (a rowtime column with a WATERMARK, or PROCTIME()), not STRING.',
    )
    expect(error(`SELECT COUNT(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '3' SECOND), HOP(ts, INTERVAL '1' SECOND, INTERVAL '3' SECOND)`)).toBe(
      'SQL validation error at line 1, column 67: GROUP BY can have one group window, not 2.',
    )
    expect(error(`SELECT COUNT(*) FROM ev GROUP BY TUMBLE(ts, INTERVAL '3' SECOND, TIME '00:00:01')`)).toBe(
      'SQL validation error at line 1, column 34: TUMBLE takes 2 arguments, (time_attr, size), not 3 (an alignment time is not supported).',
    )
    expect(error(`SELECT SESSION_ROWTIME(ts, INTERVAL '3' SECOND) FROM ev GROUP BY UPPER(k), SESSION(ts, INTERVAL '3' SECOND)`)).toBe(
      'SQL validation error at line 1, column 66: With a SESSION group window, the other GROUP BY keys must be columns (compute expressions in a subquery first).',
    )
    expect(error(`SELECT k, TUMBLE_PROCTIME(ts, INTERVAL '3' SECOND) FROM ev GROUP BY k, TUMBLE(ts, INTERVAL '3' SECOND)`)).toBe(
      'SQL validation error at line 1, column 11: TUMBLE_PROCTIME needs a processing-time group window; this one is on event time (use TUMBLE_ROWTIME).',
    )
  })
})
