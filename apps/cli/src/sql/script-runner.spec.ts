// `strom sql -f` in process, through the dispatcher: exact standard output for queries over the
// datagen and filesystem connectors, errors with script positions, exit codes.
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../cli.js'
import type { CliIo } from '../command.js'
import { createSqlCommand } from '../commands/sql-command.js'
import { VirtualTerminal } from './fixtures/virtual-terminal.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-sql-'))
  await writeFile(
    join(dir, 'orders.csv'),
    ['2020-04-15 08:05:00,4.00,supplier1', '2020-04-15 08:07:00,2.00,supplier1', '2020-04-15 08:09:00,5.00,supplier2', '2020-04-15 08:11:00.250,3.00,supplier2', '2020-04-15 08:13:00,1.00,supplier1', ''].join('\n'),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

interface Run {
  readonly code: number
  readonly out: string[]
  readonly err: string[]
}

/** Runs `strom <argv>` in process in the temp directory; `signals` receives the handler of SIGINT/SIGTERM. */
const strom = async (argv: readonly string[], signals?: (handler: (s: NodeJS.Signals) => void) => void): Promise<Run> => {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    out: (t) => void out.push(...t.split('\n')),
    err: (t) => void err.push(...t.split('\n')),
    cwd: dir,
    onSignal: (h) => {
      signals?.(h)
      return () => {}
    },
    exit: (code) => {
      throw new Error(`exit ${code}`)
    },
  }
  const code = await runCli(argv, io)
  return { code, out, err }
}

const script = async (name: string, text: string): Promise<string> => {
  await writeFile(join(dir, name), text)
  return name
}

const TABLES = (csv: string): string => `-- generated numbers and a CSV file
CREATE TABLE gen (
  id INT,
  name STRING
) WITH (
  'connector' = 'datagen',
  'number-of-rows' = '10',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100'
);
CREATE TABLE orders (
  order_time TIMESTAMP(3),
  price DECIMAL(10, 2),
  supplier STRING
) WITH ('connector' = 'filesystem', 'path' = '${csv}', 'format' = 'csv');
`

/** Flink's changelog of `SELECT key, COUNT(*), SUM(value) ... GROUP BY key` over insert-only rows: +I, then -U/+U per update. */
const groupByChangelog = (rows: readonly (readonly [string, number])[], format: (k: string, count: number, sum: number) => string): string[] => {
  const state = new Map<string, [number, number]>()
  const out: string[] = []
  for (const [k, v] of rows) {
    const before = state.get(k)
    const after: [number, number] = before === undefined ? [1, v] : [before[0] + 1, before[1] + v]
    if (before !== undefined) out.push(`-U${format(k, ...before)}`)
    out.push(`${before === undefined ? '+I' : '+U'}${format(k, ...after)}`)
    state.set(k, after)
  }
  return out
}

const ids = Array.from({ length: 10 }, (_, i) => i + 1)
const orders: [string, number][] = [
  ['supplier1', 4],
  ['supplier1', 2],
  ['supplier2', 5],
  ['supplier2', 3],
  ['supplier1', 1],
]

describe('strom sql -f', () => {
  it('prints the changelog of GROUP BY queries over datagen and a CSV file, messages on standard error', async () => {
    const file = await script(
      'report.sql',
      `${TABLES(join(dir, 'orders.csv'))}
SELECT id % 3 AS k, COUNT(*) AS cnt, SUM(id) AS total FROM gen GROUP BY id % 3;
SELECT supplier, COUNT(*) AS cnt, SUM(price) AS total, MAX(order_time) AS latest FROM orders GROUP BY supplier;
SHOW TABLES;
`,
    )
    const r = await strom(['sql', '-f', file])
    expect(r.err).toEqual(['[INFO] Execute statement succeeded.', '[INFO] Execute statement succeeded.'])
    expect(r.code).toBe(0)
    const latest = new Map<string, string>()
    const times = ['08:05:00.000', '08:07:00.000', '08:09:00.000', '08:11:00.250', '08:13:00.000']
    const byOrder = orders.map(([s, p], i) => {
      const t = `2020-04-15 ${times[i]}`
      return [s, p, t] as const
    })
    // the expected changelog, by brute force
    const expected = [
      ...groupByChangelog(
        ids.map((id) => [String(id % 3), id]),
        (k, c, s) => `[${k}, ${c}, ${s}]`,
      ),
      ...(() => {
        const out: string[] = []
        const state = new Map<string, [number, number, string]>()
        for (const [s, p, t] of byOrder) {
          const before = state.get(s)
          const after: [number, number, string] = before === undefined ? [1, p, t] : [before[0] + 1, before[1] + p, t > before[2] ? t : before[2]]
          if (before !== undefined) out.push(`-U[${s}, ${before[0]}, ${before[1].toFixed(2)}, ${before[2]}]`)
          out.push(`${before === undefined ? '+I' : '+U'}[${s}, ${after[0]}, ${after[1].toFixed(2)}, ${after[2]}]`)
          state.set(s, after)
          latest.set(s, after[2])
        }
        return out
      })(),
      '+I[gen]',
      '+I[orders]',
    ]
    expect(r.out).toEqual(expected)
    // spot-check the brute force itself against Flink's documented shape
    expect(r.out.slice(0, 5)).toEqual(['+I[1, 1, 1]', '+I[2, 1, 2]', '+I[0, 1, 3]', '-U[1, 1, 1]', '+U[1, 2, 5]'])
  })

  it('--format json prints one JSON object per row, values as the json format writes them', async () => {
    const file = await script(
      'report-json.sql',
      `${TABLES(join(dir, 'orders.csv'))}
SELECT supplier, COUNT(*) AS cnt, SUM(price) AS total, MAX(order_time) AS latest FROM orders GROUP BY supplier;
SELECT id, name IS NOT NULL AS named FROM gen WHERE id <= 2;
`,
    )
    const r = await strom(['sql', '-f', file, '--format', 'json'])
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.out).toEqual([
      '{"kind":"+I","supplier":"supplier1","cnt":1,"total":4.00,"latest":"2020-04-15 08:05:00"}',
      '{"kind":"-U","supplier":"supplier1","cnt":1,"total":4.00,"latest":"2020-04-15 08:05:00"}',
      '{"kind":"+U","supplier":"supplier1","cnt":2,"total":6.00,"latest":"2020-04-15 08:07:00"}',
      '{"kind":"+I","supplier":"supplier2","cnt":1,"total":5.00,"latest":"2020-04-15 08:09:00"}',
      '{"kind":"-U","supplier":"supplier2","cnt":1,"total":5.00,"latest":"2020-04-15 08:09:00"}',
      '{"kind":"+U","supplier":"supplier2","cnt":2,"total":8.00,"latest":"2020-04-15 08:11:00.25"}',
      '{"kind":"-U","supplier":"supplier1","cnt":2,"total":6.00,"latest":"2020-04-15 08:07:00"}',
      '{"kind":"+U","supplier":"supplier1","cnt":3,"total":7.00,"latest":"2020-04-15 08:13:00"}',
      '{"kind":"+I","id":1,"named":true}',
      '{"kind":"+I","id":2,"named":true}',
    ])
    for (const line of r.out) expect(() => JSON.parse(line)).not.toThrow()
  })

  it('stops at a syntax error, naming its line and column in the file; nothing after it runs', async () => {
    const file = await script('broken.sql', "SELECT 1 AS one;\nSELECT a,\n       FROM gen;\nCREATE TABLE later (a INT) WITH ('connector' = 'blackhole');\nSELECT 2;\n")
    const r = await strom(['sql', '-f', file])
    expect(r.code).toBe(1)
    expect(r.out).toEqual(['+I[1]'])
    expect(r.err).toEqual(["broken.sql:3:8: SQL parse error at line 3, column 8: Expected one of an expression, '*' but found 'FROM'."])
  })

  it('reports validation errors and failed jobs at the statement in the file', async () => {
    const file = await script('invalid.sql', `${TABLES(join(dir, 'orders.csv'))}\nSELECT supplier,\n  nope FROM orders;\n`)
    const r = await strom(['sql', '-f', file])
    expect(r.code).toBe(1)
    expect(r.err.at(-1)).toMatch(/^invalid\.sql:17:3: SQL validation error at line 17, column 3: Column 'nope' not found/)

    await writeFile(join(dir, 'bad.csv'), '2020-04-15 08:05:00,4.00,supplier1\nnot a time,1.00,x\n')
    const failing = await script('failing.sql', `${TABLES(join(dir, 'bad.csv'))}\n  SELECT * FROM orders;\nSELECT 2;\n`)
    const f = await strom(['sql', '-f', failing])
    expect(f.code).toBe(1)
    expect(f.out).not.toContain('+I[2]') // the statement after it did not run
    expect(f.err.at(-1)).toMatch(/^failing\.sql:16:3: Job 'strom-sql-1' failed: .*bad\.csv/)
  })

  it('INSERT waits for its job, reports it on standard error, and the data is written', async () => {
    const out = join(dir, 'insert-out')
    const file = await script(
      'insert.sql',
      `${TABLES(join(dir, 'orders.csv'))}
CREATE TABLE big_orders (supplier STRING, price DECIMAL(10, 2)) WITH ('connector' = 'filesystem', 'path' = '${out}', 'format' = 'csv');
INSERT INTO big_orders SELECT supplier, price FROM orders WHERE price >= 3;
SELECT COUNT(*) AS n FROM big_orders;
`,
    )
    const r = await strom(['sql', '-f', file])
    expect(r.code, r.err.join('\n')).toBe(0)
    expect(r.err.slice(3, 4)).toEqual(["[INFO] Submitting SQL update statement as job 'strom-sql-1'."])
    expect(r.err[4]).toMatch(/^\[INFO\] Job 'strom-sql-1' finished in \d/)
    const parts = (await readdir(out)).filter((f) => !f.startsWith('.'))
    const written = (await Promise.all(parts.map((p) => readFile(join(out, p), 'utf8')))).join('').trim().split('\n').sort()
    expect(written).toEqual(['supplier1,4.00', 'supplier2,3.00', 'supplier2,5.00'])
    expect(r.out).toEqual(['+I[1]', '-U[1]', '+U[2]', '-U[2]', '+U[3]'])
  })

  it('QUIT ends the script; HELP goes to standard error; SET, RESET and EXPLAIN', async () => {
    const file = await script('quit.sql', "SET 'parallelism.default' = '1';\nRESET;\nHELP;\nEXPLAIN SELECT 1;\nQUIT;\nSELECT 1;\n")
    const r = await strom(['sql', '-f', file])
    expect(r.code).toBe(0)
    expect(r.out[0]).toBe('== Optimized Physical Plan ==')
    expect(r.out).not.toContain('+I[1]')
    expect(r.err.slice(0, 3)).toEqual(['[INFO] Session property has been set.', '[INFO] All session properties have been set to their default values.', 'The following commands are available:'])
  })

  it('--mode, --parallelism and -D configure the session', async () => {
    const file = await script('config.sql', "CREATE TABLE n (x INT) WITH ('connector' = 'datagen', 'number-of-rows' = '4', 'fields.x.kind' = 'sequence', 'fields.x.start' = '1', 'fields.x.end' = '4');\nSELECT SUM(x) AS s FROM n;\nSET;\n")
    const batch = await strom(['sql', '-f', file, '--mode', 'batch', '-p', '2', '-D', 'table.exec.state.ttl=1 h', '-D', 'my.key = my value'])
    expect(batch.code, batch.err.join('\n')).toBe(0)
    expect(batch.out).toEqual(
      expect.arrayContaining(['+I[execution.runtime-mode, batch]', '+I[parallelism.default, 2]', '+I[table.exec.state.ttl, 1 h]', '+I[my.key, my value]']),
    )
    const streaming = await strom(['sql', '-f', file])
    expect(streaming.out.slice(0, 3)).toEqual(['+I[1]', '-U[1]', '+U[3]'])
  })

  it('a bad command line or a missing script file is a usage error (exit code 2)', async () => {
    const missing = await strom(['sql', '-f', 'nowhere.sql'])
    expect(missing).toEqual({ code: 2, out: [], err: [`strom sql: Script file not found: ${join(dir, 'nowhere.sql')} does not exist.`, "See 'strom sql --help'."] })
    expect((await strom(['sql', '-f', 'x.sql', '--format', 'xml'])).err[0]).toBe("strom sql: Option --format needs 'changelog' or 'json', got 'xml'.")
    expect((await strom(['sql', '--mode', 'fast'])).err[0]).toBe("strom sql: Option --mode needs 'streaming' or 'batch', got 'fast'.")
    expect((await strom(['sql', '-D', 'novalue'])).err[0]).toMatch(/^strom sql: Option -D needs a configuration entry as key=value/)
    expect((await strom(['sql', '-p', '0'])).code).toBe(2)
    expect((await strom(['sql', 'extra'])).code).toBe(2)
  })

  it('SIGINT cancels the running job and stops the script with exit code 130', async () => {
    const file = await script(
      'endless.sql',
      "CREATE TABLE endless (x INT) WITH ('connector' = 'datagen', 'rows-per-second' = '50');\nCREATE TABLE sink (x INT) WITH ('connector' = 'blackhole');\nINSERT INTO sink SELECT x FROM endless;\nSELECT 1;\n",
    )
    let handler: ((s: NodeJS.Signals) => void) | undefined
    const running = strom(['sql', '-f', file], (h) => (handler = h))
    // wait until the INSERT's job is submitted, then press Ctrl-C
    for (let i = 0; i < 200 && handler === undefined; i++) await new Promise((r) => setTimeout(r, 10))
    await new Promise((r) => setTimeout(r, 300))
    handler!('SIGINT')
    const r = await running
    expect(r.code).toBe(130)
    expect(r.out).toEqual([])
    expect(r.err).toContain("[INFO] SIGINT: cancelling job 'strom-sql-1' (SIGINT again to exit at once)...")
    expect(r.err.at(-1)).toMatch(/^\[INFO\] Job 'strom-sql-1' was cancelled after /)
  })

  it('-i runs an init script first', async () => {
    await script('init.sql', "CREATE TABLE one_row (x INT) WITH ('connector' = 'datagen', 'number-of-rows' = '1', 'fields.x.kind' = 'sequence', 'fields.x.start' = '7', 'fields.x.end' = '7');\n")
    const file = await script('after-init.sql', 'SELECT x * 6 AS answer FROM one_row;\n')
    const r = await strom(['sql', '-i', 'init.sql', '-f', file])
    expect(r).toEqual({ code: 0, out: ['+I[42]'], err: ['[INFO] Execute statement succeeded.'] })
    const broken = await strom(['sql', '-i', file, '-f', file])
    expect(broken.code).toBe(1)
    expect(broken.err).toEqual([expect.stringMatching(/^after-init\.sql:1:29: SQL validation error at line 1, column 29: Table or view 'one_row' does not exist/)])
  })

  it('stops quietly when the reader of standard output goes away (| head)', async () => {
    const file = await script('endless-query.sql', "CREATE TABLE endless (x INT) WITH ('connector' = 'datagen', 'rows-per-second' = '200');\nSELECT x FROM endless;\nSELECT 1;\n")
    let closeOutput: (() => void) | undefined
    const command = createSqlCommand({
      stdin: new PassThrough(),
      stdout: new VirtualTerminal() as unknown as NodeJS.WritableStream & VirtualTerminal,
      onOutputClosed: (handler) => {
        closeOutput = handler
        return () => {}
      },
    })
    const out: string[] = []
    const err: string[] = []
    const io: CliIo = {
      out: (t) => {
        out.push(t)
        if (out.length === 3) closeOutput!()
      },
      err: (t) => void err.push(t),
      cwd: dir,
      onSignal: () => () => {},
      exit: () => process.exit(99),
    }
    expect(await command.run({ positionals: [], options: { file } }, io)).toBe(0)
    expect(out).toHaveLength(3)
    expect(err).toEqual(['[INFO] Execute statement succeeded.'])
  })

  it('--help describes the command', async () => {
    const r = await strom(['sql', '--help'])
    expect(r.code).toBe(0)
    expect(r.out[0]).toBe('Usage: strom sql  [options]')
    expect(r.out.join('\n')).toMatch(/^ {2}-f, --file <script\.sql> +run the statements of this file, then exit$/m)
    expect(r.out.join('\n')).toMatch(/^ {2}-D, --define <key=value> +a configuration entry/m)
  })
})

describe('strom sql with a script on standard input', () => {
  it('runs the piped script like -f, errors named <stdin>', async () => {
    const run = async (text: string): Promise<Run> => {
      const stdin = new PassThrough()
      stdin.end(text)
      const command = createSqlCommand({ stdin, stdout: new VirtualTerminal() as unknown as NodeJS.WritableStream & VirtualTerminal })
      const out: string[] = []
      const err: string[] = []
      const code = await command.run(
        { positionals: [], options: { format: 'json' } },
        { out: (t) => void out.push(t), err: (t) => void err.push(t), cwd: dir, onSignal: () => () => {}, exit: () => process.exit(99) },
      )
      return { code, out, err }
    }
    expect(await run("SELECT 1 + 1 AS two, 'x' AS kind;")).toEqual({ code: 0, out: ['{"_kind":"+I","two":2,"kind":"x"}'], err: [] })
    const bad = await run('\n  SELECT FROM;')
    expect(bad.code).toBe(1)
    expect(bad.err[0]).toMatch(/^<stdin>:2:10: SQL parse error at line 2, column 10: /)
    expect(existsSync(join(dir, 'never'))).toBe(false)
  })
})
