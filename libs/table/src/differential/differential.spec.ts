// The differential test: random bounded tables and random queries from a family (projections,
// filters, group and global aggregations, DISTINCT, joins, UNION, nested aggregations, Top-N,
// subqueries, window TVFs with aggregations, joins and Top-N, interval joins, OVER
// aggregations). Every query runs in Strom in STREAMING mode (its changelog applied to an empty
// table) and in BATCH mode, at parallelism 1 to 3, and both final tables must equal what DuckDB,
// an independent SQL engine, computes from the same data. Where Flink's semantics and DuckDB's
// differ, the DuckDB rendering computes Flink's (see queries.ts and expressions.ts).
//
// Reproducible: a fixed seed unless DIFF_SEED is set (a number, or `random`); DIFF_RUNS sets the
// number of cases over all families (default 100), e.g.
//   DIFF_RUNS=500 DIFF_SEED=random npx vitest run src/differential
// A failure prints fast-check's seed and path, then the shrunk case: the data as CSV, both SQL
// texts and all results.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkCase } from './check-case.js'
import { DuckDbOracle } from './engines.js'
import { KNOWN_DEVIATIONS } from './known-deviations.js'
import { QUERY_FAMILIES, type GeneratedQuery } from './queries.js'
import { BASE_TIME, datasetArb, tableDef, TABLES, type CellValue, type Dataset } from './random-tables.js'

const RUNS = Number(process.env['DIFF_RUNS'] ?? 100)
const SEED_ENV = process.env['DIFF_SEED']
const BASE_SEED = SEED_ENV === undefined ? 20_250_501 : SEED_ENV === 'random' ? Date.now() % 1_000_000_007 : Number(SEED_ENV)
const TOTAL_WEIGHT = QUERY_FAMILIES.reduce((s, f) => s + f.weight, 0)

/** A dataset from a few columns per row (others NULL, times at 2020-01-01 00:00:00). */
const dataset = (tables: Readonly<Record<string, readonly Readonly<Record<string, CellValue>>[]>>): Dataset => ({
  tables: Object.fromEntries(
    TABLES.map((t) => [
      t.name,
      (tables[t.name] ?? []).map((r) => tableDef(t.name).columns.map((c) => r[c.name] ?? (c.type === 'TIMESTAMP' ? BASE_TIME : null))),
    ]),
  ),
})

const query = (family: string, sql: string, extra: Partial<GeneratedQuery> = {}): GeneratedQuery => ({ family, flink: sql, duck: sql, ...extra })

describe('Strom agrees with DuckDB on random queries over random tables', () => {
  let duck: DuckDbOracle
  let dir: string

  beforeAll(async () => {
    duck = await DuckDbOracle.create()
    dir = mkdtempSync(join(tmpdir(), 'strom-differential-'))
  })

  afterAll(() => {
    duck?.close()
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  QUERY_FAMILIES.forEach((family, i) => {
    const numRuns = Math.max(1, Math.round((RUNS * family.weight) / TOTAL_WEIGHT))
    it(`${family.name} (${numRuns} case(s), seed ${BASE_SEED + i})`, async () => {
      await fc.assert(
        fc.asyncProperty(datasetArb, family.arb, fc.integer({ min: 1, max: 3 }), async (data, q, parallelism) => {
          const report = await checkCase({ data, query: q, parallelism }, duck, dir, KNOWN_DEVIATIONS)
          if (report !== undefined) throw new Error(report)
        }),
        { numRuns, seed: BASE_SEED + i, interruptAfterTimeLimit: 240_000, markInterruptAsFailure: true },
      )
    }, 300_000)
  })

  describe('the harness', () => {
    const data = dataset({ a: [{ k: 1, x: -7 }, { k: 2, x: 7 }, { k: null, x: 3 }] })

    it('passes a query both engines compute alike', async () => {
      expect(await checkCase({ data, query: query('projection', 'SELECT k AS c0, x AS c1 FROM a'), parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)).toBeUndefined()
    })

    it("reports Flink's integral division checked against DuckDB's real division", async () => {
      const q = query('projection', 'SELECT x / 2 AS c0 FROM a')
      const report = await checkCase({ data, query: q, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)
      expect(report).toContain('Strom STREAMING differs from DuckDB')
      expect(report).toContain('Strom BATCH differs from DuckDB')
      expect(report).toContain('SELECT x / 2 AS c0 FROM a')
      expect(report).toContain('    [-3]') // only in Strom
      expect(report).toContain('    [-3.5]') // only in DuckDB (an INT column: not rounded away)
    })

    it('reports a missing duplicate (results are multisets)', async () => {
      const q = { ...query('projection', 'SELECT k AS c0 FROM a'), duck: 'SELECT DISTINCT k AS c0 FROM a UNION ALL SELECT 1' }
      const report = await checkCase({ data, query: q, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)
      expect(report).toContain('only in DuckDB (1):\n    [1]')
    })

    it("reports a column whose type's kind differs from Flink's", async () => {
      const q = query('projection', 'SELECT x AS c0, k AS c1 FROM a', { types: ['INT', 'DOUBLE'] })
      const report = await checkCase({ data, query: q, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)
      expect(report).toContain("Strom types the result differently: column 2: Strom's is integer, Flink's DOUBLE.")
    })

    it("reports Strom's planning errors", async () => {
      const q = { ...query('projection', 'SELECT nope FROM a'), duck: 'SELECT k FROM a' }
      const report = await checkCase({ data, query: q, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)
      expect(report).toMatch(/Strom STREAMING failed: .*nope/)
    })
  })

  describe('edge cases of SQL semantics that Strom once got wrong (see known-deviations.ts)', () => {
    // Flink's BATCH mode emits one row of default values for a global aggregation over an empty
    // input (AggWithoutKeysCodeGenerator: "if the input is empty in final phase, we should output
    // default values"), as DuckDB does; its STREAMING mode emits nothing (nothing arrives).
    const empty = dataset({})
    const globalSql = 'SELECT COUNT(*) AS c0, SUM(x) AS c1, MAX(s) AS c2 FROM a'
    const global = query('global-aggregate', globalSql, { duckStreaming: `${globalSql} HAVING COUNT(*) > 0`, globalAggregate: true })

    it('STREAMING: a global aggregation over an empty input emits no row', async () => {
      expect(await checkCase({ data: empty, query: global, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)).toBeUndefined()
    })

    it('BATCH: a global aggregation over an empty input emits one row of default values', async () => {
      expect(await checkCase({ data: empty, query: global, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)).toBeUndefined()
    })

    // `x NOT IN (subquery)` is NULL-aware in SQL and in Flink (a null-aware anti join): UNKNOWN
    // when x is NULL or when the subquery yields a NULL (and no equal value), so the row is dropped.
    const notIn = query('subquery', 'SELECT k AS c0 FROM a WHERE k NOT IN (SELECT k FROM b)')

    it('NOT IN drops every row when the subquery yields a NULL', async () => {
      const data = dataset({ a: [{ k: 1 }, { k: 2 }], b: [{ k: 1 }, { k: null }] })
      expect(await checkCase({ data, query: notIn, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)).toBeUndefined()
    })

    it('NOT IN drops a row whose value is NULL', async () => {
      const data = dataset({ a: [{ k: null }, { k: 2 }], b: [{ k: 1 }] })
      expect(await checkCase({ data, query: notIn, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)).toBeUndefined()
    })

    it('NOT IN without NULLs is an anti join', async () => {
      const data = dataset({ a: [{ k: 1 }, { k: 2 }, { k: 2 }], b: [{ k: 1 }, { k: 3 }] })
      expect(await checkCase({ data, query: notIn, parallelism: 1 }, duck, dir, KNOWN_DEVIATIONS)).toBeUndefined()
    })
  })
})
