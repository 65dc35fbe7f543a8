// The interactive client driven through fake streams: a PassThrough for the keyboard, a virtual
// terminal for the screen.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqlCommand } from '../commands/sql-command.js'
import { VirtualTerminal } from './fixtures/virtual-terminal.js'
import { History, historyEntry } from './history.js'
import { CONTINUATION_PROMPT, GOODBYE, PROMPT, runInteractive, WELCOME } from './interactive.js'
import { LIVE_TABLE_TITLE } from './live-table.js'
import { SqlSession } from './session.js'

let dir: string
let csv: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-sql-repl-'))
  csv = join(dir, 'orders.csv')
  await writeFile(csv, '2020-04-15 08:05:00,4.00,supplier1\n2020-04-15 08:07:00,2.00,supplier1\n2020-04-15 08:09:00,5.00,supplier2\n2020-04-15 08:11:00,3.00,supplier2\n2020-04-15 08:13:00,1.00,supplier1\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const until = async (what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> => {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const CREATE_ORDERS = (path: string): string[] => [
  'CREATE TABLE orders (',
  '  order_time TIMESTAMP(3),',
  '  price DECIMAL(10, 2),',
  '  supplier STRING',
  `) WITH ('connector' = 'filesystem', 'path' = '${path}', 'format' = 'csv');`,
]

describe('the interactive client, line by line (no terminal)', () => {
  it('runs a multi-line statement, SHOW TABLES, a query shown as a live table, and QUIT', async () => {
    const input = new PassThrough()
    const screen = new VirtualTerminal(200, 40)
    const historyFile = join(dir, 'history-1')
    const done = runInteractive(new SqlSession(), { input, output: screen as unknown as NodeJS.WritableStream & VirtualTerminal, terminal: false, history: new History(historyFile), refreshIntervalMs: 0 })
    input.write(
      [
        ...CREATE_ORDERS(csv),
        'SHOW TABLES;',
        '-- a comment alone is no statement',
        'SELECT supplier, COUNT(*) AS cnt, SUM(price) AS total',
        'FROM orders GROUP BY supplier;',
        'SELECT nope FROM orders; SELECT 1;',
        'QUIT;',
        'SELECT 2;',
        '',
      ].join('\n'),
    )
    expect(await done).toBe(0)
    expect(screen.text()).toEqual([
      WELCOME,
      `${PROMPT}CREATE TABLE orders (`,
      `${CONTINUATION_PROMPT}  order_time TIMESTAMP(3),`,
      `${CONTINUATION_PROMPT}  price DECIMAL(10, 2),`,
      `${CONTINUATION_PROMPT}  supplier STRING`,
      `${CONTINUATION_PROMPT}) WITH ('connector' = 'filesystem', 'path' = '${csv}', 'format' = 'csv');`,
      '[INFO] Execute statement succeeded.',
      `${PROMPT}SHOW TABLES;`,
      '+------------+',
      '| table name |',
      '+------------+',
      '|     orders |',
      '+------------+',
      '1 row in set',
      `${PROMPT}-- a comment alone is no statement`,
      `${PROMPT}SELECT supplier, COUNT(*) AS cnt, SUM(price) AS total`,
      `${CONTINUATION_PROMPT}FROM orders GROUP BY supplier;`,
      LIVE_TABLE_TITLE,
      '+-----------+-----+-------+',
      '|  supplier | cnt | total |',
      '+-----------+-----+-------+',
      '| supplier2 |   2 |  8.00 |',
      '| supplier1 |   3 |  7.00 |',
      '+-----------+-----+-------+',
      '2 rows, 8 changes received. Job finished.',
      `${PROMPT}SELECT nope FROM orders; SELECT 1;`,
      '[ERROR] Could not execute SQL statement. Reason:',
      "SQL validation error at line 1, column 8: Column 'nope' not found in any table",
      `${PROMPT}QUIT;`,
      GOODBYE,
    ])
    // each statement once in the history, a multi-line one on one line
    expect((await readFile(historyFile, 'utf8')).split('\n')).toEqual([
      historyEntry(CREATE_ORDERS(csv).join('\n')),
      'SHOW TABLES;',
      'SELECT supplier, COUNT(*) AS cnt, SUM(price) AS total FROM orders GROUP BY supplier;',
      'SELECT nope FROM orders; SELECT 1;',
      'QUIT;',
      '',
    ])
  })

  it('shows results in the changelog and tableau modes, and HELP; ends at the end of the input', async () => {
    const input = new PassThrough()
    const screen = new VirtualTerminal(120, 40)
    const done = runInteractive(new SqlSession(), { input, output: screen as unknown as NodeJS.WritableStream & VirtualTerminal, terminal: false, history: new History(undefined) })
    input.end(
      [
        ...CREATE_ORDERS(csv),
        "SET 'sql-client.execution.result-mode' = 'changelog';",
        "SELECT supplier, COUNT(*) AS cnt FROM orders WHERE supplier = 'supplier2' GROUP BY supplier;",
        "SET 'sql-client.execution.result-mode' = 'tableau';",
        "SELECT supplier, COUNT(*) AS cnt FROM orders WHERE supplier = 'supplier2' GROUP BY supplier;",
        'help',
      ].join('\n'),
    )
    expect(await done).toBe(0)
    const text = screen.text()
    const at = (line: string): number => text.indexOf(line)
    expect(text.slice(at(`${PROMPT}SELECT supplier, COUNT(*) AS cnt FROM orders WHERE supplier = 'supplier2' GROUP BY supplier;`) + 1).slice(0, 4)).toEqual([
      '+I[supplier2, 1]',
      '-U[supplier2, 1]',
      '+U[supplier2, 2]',
      'Received a total of 3 rows',
    ])
    const tableau = text.slice(text.lastIndexOf(`${PROMPT}SELECT supplier, COUNT(*) AS cnt FROM orders WHERE supplier = 'supplier2' GROUP BY supplier;`) + 1).slice(0, 8)
    expect(tableau).toEqual([
      '+----+--------------------------------+----------------------+',
      '| op |                       supplier |                  cnt |',
      '+----+--------------------------------+----------------------+',
      '| +I |                      supplier2 |                    1 |',
      '| -U |                      supplier2 |                    1 |',
      '| +U |                      supplier2 |                    2 |',
      '+----+--------------------------------+----------------------+',
      'Received a total of 3 rows',
    ])
    expect(text).toContain('The following commands are available:')
    expect(text.slice(-2)).toEqual([PROMPT.trimEnd(), GOODBYE])
  })
})

describe('the interactive client on a terminal', () => {
  it('Ctrl-C stops a live query and returns to the prompt; up recalls history; Ctrl-D exits', async () => {
    const keyboard = new PassThrough()
    const screen = new VirtualTerminal(200, 30)
    const historyFile = join(dir, 'history-2')
    await writeFile(historyFile, "SELECT 'from an earlier session';\n")
    const command = createSqlCommand({
      stdin: Object.assign(keyboard, { isTTY: true }),
      stdout: screen as unknown as NodeJS.WritableStream & VirtualTerminal,
      refreshIntervalMs: 20,
    })
    const done = command.run(
      { positionals: [], options: { history: historyFile } },
      { out: () => {}, err: () => {}, cwd: dir, onSignal: () => () => {}, exit: () => process.exit(99) },
    )
    const type = (keys: string): void => void keyboard.write(keys)
    const screenText = (): string => screen.text().join('\n')

    await until('the prompt', () => screen.text().at(-1) === PROMPT.trimEnd())
    type("CREATE TABLE endless (v INT) WITH ('connector' = 'datagen', 'rows-per-second' = '200',\r")
    type("  'fields.v.min' = '1', 'fields.v.max' = '3');\r")
    await until('the table', () => screenText().includes('[INFO] Execute statement succeeded.'))
    type('SELECT v, COUNT(*) AS c FROM endless GROUP BY v;\r')
    await until('a live table with 3 rows', () => /^3 rows, \d+ changes received\. Press Ctrl-C to stop\.$/m.test(screenText()))
    type('typed while it runs') // neither shown nor kept
    type('\x03') // Ctrl-C
    await until('the query to stop', () => screenText().includes('Query stopped.'))
    await until('the prompt again', () => screen.text().at(-1) === PROMPT.trimEnd())
    const text = screen.text()
    const footer = text.at(-2)!
    expect(footer).toMatch(/^3 rows, \d+ changes received\. Query stopped\.$/)
    const rows = text.slice(text.lastIndexOf(LIVE_TABLE_TITLE) + 4, -3).map((l) => l.split('|').map((c) => c.trim()))
    expect(rows.map((r) => r[1]).sort()).toEqual(['1', '2', '3'])
    expect(rows.every((r) => Number(r[2]) >= 1)).toBe(true)
    expect(text.filter((l) => l === LIVE_TABLE_TITLE)).toHaveLength(1)
    expect(screenText()).not.toContain('typed while it runs')

    type('\x1b[A') // up: the last statement
    await until('the recalled statement', () => screen.text().at(-1) === `${PROMPT}SELECT v, COUNT(*) AS c FROM endless GROUP BY v;`)
    type('\x1b[A') // up: the multi-line CREATE TABLE, as one line
    await until('the statement before', () => screen.text().at(-1)!.startsWith(`${PROMPT}CREATE TABLE endless (v INT) WITH ('connector' = 'datagen', 'rows-per-second' = '200', 'fields.v.min'`))
    type('\x03') // Ctrl-C at the prompt drops the line
    await until('a fresh prompt', () => screen.text().at(-1) === PROMPT.trimEnd())
    type('\x04') // Ctrl-D on an empty line: exit
    expect(await done).toBe(0)
    expect(screen.text().at(-1)).toBe(GOODBYE)
    expect((await readFile(historyFile, 'utf8')).split('\n').slice(0, 3)).toEqual([
      "SELECT 'from an earlier session';",
      "CREATE TABLE endless (v INT) WITH ('connector' = 'datagen', 'rows-per-second' = '200', 'fields.v.min' = '1', 'fields.v.max' = '3');",
      'SELECT v, COUNT(*) AS c FROM endless GROUP BY v;',
    ])
  })

  it('Ctrl-C cancels a running INSERT', async () => {
    const keyboard = new PassThrough()
    const screen = new VirtualTerminal(120, 30)
    const done = runInteractive(new SqlSession(), {
      input: keyboard,
      output: screen as unknown as NodeJS.WritableStream & VirtualTerminal,
      terminal: true,
      history: new History(undefined),
    })
    const screenText = (): string => screen.text().join('\n')
    keyboard.write("CREATE TABLE endless (v INT) WITH ('connector' = 'datagen', 'rows-per-second' = '100');\r")
    keyboard.write("CREATE TABLE sink (v INT) WITH ('connector' = 'blackhole');\r")
    keyboard.write('INSERT INTO sink SELECT v FROM endless;\r')
    await until('the job to start', () => screenText().includes("[INFO] Submitting SQL update statement as job 'strom-sql-1'. Press Ctrl-C to cancel it."))
    keyboard.write('\x03')
    await until('the job to end', () => /\[INFO\] Job 'strom-sql-1' was cancelled after /.test(screenText()))
    keyboard.write('quit\r')
    expect(await done).toBe(0)
  })
})
