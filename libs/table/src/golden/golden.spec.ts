// Golden tests, as Flink's own SQL tests: each `cases/*.sql` script runs statement by statement
// in a fresh table environment (parallelism 1, a watermark after every row), and the changelog
// rows of its queries must equal `cases/*.out`. A script whose first line is `-- fail: text`
// must fail with an error containing that text. A script that reads several sources at once says
// `-- materialized`: the order in which their rows interleave is not defined, so its .out holds
// the final table (the changelog applied, sorted) instead of the changelog. Unless it says
// `-- streaming-only`, the same
// script in BATCH mode must end with the same final tables (the changelogs applied).
//
// UPDATE_GOLDEN=1 npx vitest run src/golden writes the .out files: review every line by hand.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runScript, materialize } from './golden-runner.js'

const here = dirname(fileURLToPath(import.meta.url))
const casesDir = join(here, 'cases')
const dataDir = join(here, 'data')
const cases = readdirSync(casesDir).filter((f) => f.endsWith('.sql')).sort()
const update = process.env['UPDATE_GOLDEN'] === '1'

describe('SQL golden tests', () => {
  for (const file of cases) {
    const script = readFileSync(join(casesDir, file), 'utf8').replaceAll('${DATA}', dataDir)
    const firstLine = script.split('\n')[0] ?? ''
    const failText = firstLine.startsWith('-- fail:') ? firstLine.slice('-- fail:'.length).trim() : undefined
    const streamingOnly = script.includes('-- streaming-only')
    const materialized = script.includes('-- materialized')
    it(file, async () => {
      if (failText !== undefined) {
        await expect(runScript(script, 'streaming')).rejects.toThrow(failText)
        return
      }
      const out = await runScript(script, 'streaming')
      const text = out.map((q) => (materialized ? materialize(q.lines) : q.lines).join('\n')).join('\n\n') + '\n'
      const outFile = join(casesDir, file.replace(/\.sql$/, '.out'))
      if (update || !existsSync(outFile)) writeFileSync(outFile, text)
      expect(text).toBe(readFileSync(outFile, 'utf8'))
      if (!streamingOnly) {
        // the final tables of the queries (EXPLAIN shows each mode's own plan)
        const tables = (qs: readonly { sql: string; lines: readonly string[] }[]): string[][] => qs.filter((q) => !/^EXPLAIN\b/i.test(q.sql)).map((q) => materialize(q.lines))
        expect(tables(await runScript(script, 'batch'))).toEqual(tables(out))
      }
    }, 30_000)
  }
})
