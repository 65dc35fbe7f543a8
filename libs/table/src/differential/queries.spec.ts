// The oracle's side of the query family checked on its own: DuckDB's rendering of the window
// TVFs against a brute-force enumeration of windows, and every family renders valid DuckDB SQL.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DuckDbOracle } from './engines.js'
import { QUERY_FAMILIES, duckWindowTable, windowSpecArb, type WindowSpec } from './queries.js'
import { BASE_TIME, TIME_SPAN_MS, datasetArb, tableDef, type Dataset } from './random-tables.js'

/** The windows `[start, end)` containing `ts`, by trying every candidate start (Flink's definitions). */
const bruteForceWindows = (w: WindowSpec, ts: number): [number, number][] => {
  const out: [number, number][] = []
  const ms = (s: number): number => s * 1000
  switch (w.kind) {
    case 'TUMBLE':
    case 'HOP': {
      // windows start at multiples of the slide (the size, for TUMBLE) and last `size`
      const slide = ms(w.kind === 'TUMBLE' ? w.size : w.slide)
      for (let start = ts - ms(w.size) - slide; start <= ts; start++) if (start % slide === 0 && start <= ts && ts < start + ms(w.size)) out.push([start, start + ms(w.size)])
      return out
    }
    case 'CUMULATE': {
      // windows start at multiples of the maximum size and grow by `step` up to it
      for (let start = ts - ms(w.size); start <= ts; start++)
        if (start % ms(w.size) === 0) for (let end = start + ms(w.step); end <= start + ms(w.size); end += ms(w.step)) if (ts < end) out.push([start, end])
      return out
    }
  }
}

describe("the oracle's queries", () => {
  let duck: DuckDbOracle

  beforeAll(async () => {
    duck = await DuckDbOracle.create()
  })

  afterAll(() => duck?.close())

  it('compute the windows of TUMBLE, HOP and CUMULATE as Flink defines them', async () => {
    const cols = tableDef('a').columns
    await fc.assert(
      fc.asyncProperty(windowSpecArb, fc.array(fc.integer({ min: 0, max: TIME_SPAN_MS - 1 }), { minLength: 1, maxLength: 8 }), async (w, offsets) => {
        const data: Dataset = { tables: { a: offsets.map((o) => cols.map((c) => (c.name === 'ts' ? BASE_TIME + o : c.name === 'k' ? 1 : null))), b: [], c: [] } }
        await duck.load(data)
        const rows = await duck.query(`SELECT epoch_ms(a.ts), epoch_ms(window_start), epoch_ms(window_end), epoch_ms(window_time) FROM ${duckWindowTable(w)}`)
        const got = rows.map((r) => r.map(Number).join(' ')).sort()
        const expected = offsets.flatMap((o) => bruteForceWindows(w, BASE_TIME + o).map(([s, e]) => `${BASE_TIME + o} ${s} ${e} ${e - 1}`)).sort()
        expect(got).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it.each(QUERY_FAMILIES.map((f) => [f.name, f] as const))('%s renders SQL that DuckDB runs', async (_, family) => {
    const samples = fc.sample(fc.tuple(datasetArb, family.arb), { numRuns: 15, seed: 7 })
    for (const [data, q] of samples) {
      await duck.load(data)
      await duck.query(q.duck)
      if (q.duckStreaming !== undefined) await duck.query(q.duckStreaming)
      expect(q.family).toBe(family.name)
    }
  })
})
