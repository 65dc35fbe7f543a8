// Runs a SQL script the way the golden tests and the SQL client's `-f` mode do.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { FunctionClass } from '../api/function-classes.js'
import { TableEnvironment } from '../api/table-environment.js'
import { DataTypes } from '../types/data-type.js'
import { formatResultRow } from '../api/table-result.js'
import { parseStatements } from '../sql/parse.js'
import { formatStatement } from '../sql/format-sql.js'

/** What `CREATE FUNCTION ... AS '<identifier>'` can name in the golden scripts. */
const GOLDEN_FUNCTION_CLASSES: Readonly<Record<string, FunctionClass>> = {
  // Nexmark's q14 UDF: how often a character occurs in a string
  'com.github.nexmark.flink.udf.CountChar': {
    kind: 'scalar',
    fn: (s: string | null, c: string | null): number | null => {
      if (s === null || c === null) return null
      let n = 0
      for (const ch of s) if (ch === c) n++
      return n
    },
    resultType: DataTypes.BIGINT(),
  },
}

/** The changelog lines of one query of a script. */
export interface QueryOutput {
  readonly sql: string
  readonly lines: readonly string[]
}

/** Runs every statement of `script`; returns the rows of its queries (SELECT, SHOW, DESCRIBE, EXPLAIN). */
export const runScript = async (script: string, mode: 'streaming' | 'batch'): Promise<QueryOutput[]> => {
  // \${TMP}: a fresh directory for each run (tables the script writes)
  if (script.includes('${TMP}')) script = script.replaceAll('${TMP}', mkdtempSync(join(tmpdir(), 'strom-golden-')))
  const env = TableEnvironment.create({ mode, parallelism: 1, config: { 'pipeline.auto-watermark-interval': '0' }, functionClasses: GOLDEN_FUNCTION_CLASSES })
  const out: QueryOutput[] = []
  const parsed = parseStatements(script)
  if (E.isLeft(parsed)) throw parsed.left
  for (const s of parsed.right) {
    const text = formatStatement(s)
    // a script's SET of the runtime mode would undo the mode under test
    if (s.type === 'set' && s.key === 'execution.runtime-mode') continue
    const result = await env.executeStatement(s)
    if (result.resultKind === 'SUCCESS' || s.type === 'insert' || s.type === 'statementSet') {
      await result.await()
      continue
    }
    const lines: string[] = []
    for await (const r of result.collect()) {
      // EXPLAIN's one row is the plan text: print it as is
      if (s.type === 'explain') lines.push(...String(r.raw[0]).trimEnd().split('\n'))
      else lines.push(formatResultRow(r, result.columns))
    }
    out.push({ sql: text, lines })
  }
  return out
}

/** The final table a changelog leaves: the rows of `+I`/`+U` minus those of `-U`/`-D`, sorted. */
export const materialize = (lines: readonly string[]): string[] => {
  const counts = new Map<string, number>()
  for (const l of lines) {
    const kind = l.slice(0, 2)
    const row = l.slice(2)
    const d = kind === '+I' || kind === '+U' ? 1 : -1
    counts.set(row, (counts.get(row) ?? 0) + d)
  }
  const rows: string[] = []
  for (const [row, n] of counts) {
    if (n < 0) throw new Error(`The changelog retracts ${row} more often than it adds it.`)
    for (let i = 0; i < n; i++) rows.push(row)
  }
  return rows.sort()
}
