// Nexmark q10, q11, q13 and q14 as published (sql/fixtures/nexmark), run on a small stand-in for
// the `bid` view (a CSV file, in event-time order), each result compared with a computation in
// plain TypeScript over the same bids.
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { Sink } from '@strom/runtime'
import { afterAll, describe, expect, it } from 'vitest'
import type { Row } from '../data/row.js'
import type { TableConnectorFactory } from '../connectors/table-connector.js'
import { parseStatements } from '../sql/parse.js'
import { DataTypes } from '../types/data-type.js'
import { TableEnvironment } from './table-environment.js'

const root = mkdtempSync(join(tmpdir(), 'strom-nexmark-sql-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

// --- the bids ---------------------------------------------------------------------------------

interface Bid {
  readonly auction: number
  readonly bidder: number
  readonly price: number
  readonly dateTime: number
  readonly extra: string
}

/** A small deterministic generator (mulberry32). */
const random = (seed: number): (() => number) => {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const START = Date.UTC(2020, 3, 15, 6, 58, 30)
const bids: Bid[] = (() => {
  const rnd = random(7)
  const out: Bid[] = []
  let t = START
  for (let i = 0; i < 400; i++) {
    // whole seconds (the CSV text of a timestamp then has no fraction), 0-3 s apart, and one long pause
    t += Math.floor(rnd() * 4) * 1000 + (i === 200 ? 3 * 3_600_000 : 0)
    const letters = Array.from({ length: 3 + Math.floor(rnd() * 8) }, () => 'abcxyz'[Math.floor(rnd() * 6)]).join('')
    out.push({ auction: Math.floor(rnd() * 30_000), bidder: Math.floor(rnd() * 12), price: 500_000 + Math.floor(rnd() * 60_000_000), dateTime: t, extra: letters })
  }
  return out
})()

const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
const hm = (ms: number): string => new Date(ms).toISOString().slice(11, 16)
const timestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')

const bidFile = join(root, 'bids.csv')
writeFileSync(bidFile, bids.map((b) => `${b.auction},${b.bidder},${b.price},${timestamp(b.dateTime)},${b.extra}`).join('\n') + '\n')

// the side input of q13, as the suite generates it at ${FLINK_HOME}/data/side_input.txt
const flinkHome = join(root, 'flink')
mkdirSync(join(flinkHome, 'data'), { recursive: true })
const sideValue = (key: number): string => `value-${(key * 7919) % 10_007}`
writeFileSync(join(flinkHome, 'data', 'side_input.txt'), Array.from({ length: 10_000 }, (_, k) => `${k},${sideValue(k)}`).join('\n') + '\n')

// --- running the published texts --------------------------------------------------------------

const fixture = (q: string): string => readFileSync(new URL(`../sql/fixtures/nexmark/${q}.sql`, import.meta.url), 'utf8')

/** `blackhole` tables that keep their rows (as JSON field lists), by table name. */
const collectingBlackhole = (into: Map<string, string[]>): TableConnectorFactory => ({
  identifier: 'blackhole',
  requiredOptions: [],
  optionalOptions: [],
  createSink: (ctx) => {
    const rows = into.get(ctx.tableName) ?? []
    into.set(ctx.tableName, rows)
    const sink: Sink<Row> = { createWriter: () => ({ write: (r: Row) => void rows.push(JSON.stringify(r.fields)), flush: () => {}, close: () => {} }) }
    return E.right({ acceptedChangelogMode: (m) => m, createSink: () => sink })
  },
})

const COUNT_CHAR = {
  kind: 'scalar' as const,
  fn: (s: string | null, c: string | null): number | null => (s === null || c === null ? null : [...s].filter((x) => x === c).length),
  resultType: DataTypes.BIGINT(),
}

/** Runs a query file (after the stand-in `bid` table) and returns the rows of its blackhole table. */
const run = async (q: string, mode: 'streaming' | 'batch' = 'streaming'): Promise<{ rows: string[]; dir: string }> => {
  const dir = join(root, `${q}-${mode}`)
  const collected = new Map<string, string[]>()
  const tEnv = TableEnvironment.create({
    mode,
    config: { 'pipeline.auto-watermark-interval': '0' },
    connectors: [collectingBlackhole(collected)],
    functionClasses: { 'com.github.nexmark.flink.udf.CountChar': COUNT_CHAR },
  })
  await tEnv.executeSql(
    `CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, \`dateTime\` TIMESTAMP(3), extra VARCHAR, WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND) WITH ('connector' = 'filesystem', 'path' = '${bidFile}', 'format' = 'csv')`,
  )
  const script = fixture(q).replaceAll('${NEXMARK_DIR}', dir).replaceAll('${FLINK_HOME}', flinkHome).replaceAll('${SUBMIT_TIME}', 'run')
  const parsed = parseStatements(script)
  if (E.isLeft(parsed)) throw parsed.left
  for (const s of parsed.right) await (await tEnv.executeStatement(s)).await()
  return { rows: [...collected.values()].flat().sort(), dir }
}

const sorted = (rows: readonly unknown[][]): string[] => rows.map((r) => JSON.stringify(r)).sort()

describe('Nexmark queries as published', () => {
  it('q10: every bid logged under dt=<day>/hm=<hh:mm>, without the partition columns, each partition committed', async () => {
    const { dir } = await run('q10')
    const base = join(dir, 'data', 'output', 'run', 'bid')
    const found = new Map<string, string[]>()
    const walk = (d: string): void => {
      for (const n of readdirSync(d)) {
        const p = join(d, n)
        if (statSync(p).isDirectory()) walk(p)
        else if (!n.startsWith('.')) {
          const part = relative(base, d)
          const lines = found.get(part) ?? []
          if (n === '_SUCCESS') lines.push('_SUCCESS')
          else lines.push(...readFileSync(p, 'utf8').split('\n').filter((l) => l !== ''))
          found.set(part, lines)
        }
      }
    }
    walk(base)
    const expected = new Map<string, string[]>()
    for (const b of bids) {
      const part = `dt=${date(b.dateTime)}/hm=${hm(b.dateTime).replace(':', '%3A')}`
      const lines = expected.get(part) ?? ['_SUCCESS']
      lines.push(`${b.auction},${b.bidder},${b.price},${timestamp(b.dateTime)},${b.extra}`)
      expected.set(part, lines)
    }
    const norm = (m: Map<string, string[]>): [string, string[]][] => [...m].map(([k, v]): [string, string[]] => [k, [...v].sort()]).sort(([a], [b]) => (a < b ? -1 : 1))
    expect(norm(found)).toEqual(norm(expected))
    expect(found.size).toBeGreaterThan(5)
  })

  it('q11: the bids of each bidder in sessions with 10 s gaps, with SESSION_START and SESSION_END; BATCH gives the same', async () => {
    const expected: unknown[][] = []
    const byBidder = new Map<number, number[]>()
    for (const b of bids) byBidder.set(b.bidder, [...(byBidder.get(b.bidder) ?? []), b.dateTime])
    for (const [bidder, times] of byBidder) {
      let start = times[0]!
      let last = start
      let count = 1
      for (const t of times.slice(1)) {
        // as Flink's TimeWindow.intersects: windows that touch ([s, t + gap) ending where the next starts) merge
        if (t <= last + 10_000) {
          count++
          last = t
          continue
        }
        expected.push([bidder, count, start, last + 10_000])
        start = last = t
        count = 1
      }
      expected.push([bidder, count, start, last + 10_000])
    }
    const { rows } = await run('q11')
    expect(rows).toEqual(sorted(expected))
    expect(expected.some((r) => (r[1] as number) > 1) && expected.some((r) => r[1] === 1)).toBe(true)
    expect((await run('q11', 'batch')).rows).toEqual(rows)
  })

  it("q13: each bid joined with the side input row of key auction % 10000, read through the filesystem table's legacy keys", async () => {
    const { rows } = await run('q13')
    expect(rows).toEqual(sorted(bids.map((b) => [b.auction, b.bidder, b.price, b.dateTime, sideValue(b.auction % 10_000)])))
  })

  it('q14: CREATE FUNCTION count_char resolves through functionClasses; the filter, CASE and UDF as computed here', async () => {
    const { rows } = await run('q14')
    const expected = bids
      .filter((b) => 0.908 * b.price > 1_000_000 && 0.908 * b.price < 50_000_000)
      .map((b) => {
        const hour = new Date(b.dateTime).getUTCHours()
        const type = hour >= 8 && hour <= 18 ? 'dayTime' : hour <= 6 || hour >= 20 ? 'nightTime' : 'otherTime'
        return [b.auction, b.bidder, Number((0.908 * b.price).toFixed(3)), type, b.dateTime, b.extra, [...b.extra].filter((c) => c === 'c').length]
      })
    expect(rows).toEqual(sorted(expected))
    // the data covers the three CASE branches
    expect(new Set(expected.map((r) => r[3]))).toEqual(new Set(['dayTime', 'nightTime', 'otherTime']))
  })

  it('q14 without the function class: the error names the identifier, its position and how to provide it', async () => {
    const tEnv = TableEnvironment.create()
    await expect(tEnv.executeSql(`CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar'`)).rejects.toThrow(
      "SQL validation error at line 1, column 1: CREATE FUNCTION count_char: the function class 'com.github.nexmark.flink.udf.CountChar' is not known. Provide its implementation with TableEnvironment.create({ functionClasses: { 'com.github.nexmark.flink.udf.CountChar': { kind: 'scalar', fn, resultType } } }) or tEnv.registerFunctionClass('com.github.nexmark.flink.udf.CountChar', ...).",
    )
  })
})
