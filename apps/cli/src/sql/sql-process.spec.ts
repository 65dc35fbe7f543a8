// `strom sql` as a real process (bin/strom.mjs): a script file, a script on standard input, and
// Ctrl-C on an endless query.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runStrom, startStrom, STROM_BIN } from '../fixtures/strom-process.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-sql-process-'))
  await writeFile(join(dir, 'orders.csv'), '2020-04-15 08:05:00,4.00,supplier1\n2020-04-15 08:07:00,2.00,supplier1\n2020-04-15 08:09:00,5.00,supplier2\n')
  await writeFile(
    join(dir, 'report.sql'),
    `CREATE TABLE orders (order_time TIMESTAMP(3), price DECIMAL(10, 2), supplier STRING)
  WITH ('connector' = 'filesystem', 'path' = 'orders.csv', 'format' = 'csv');
CREATE TABLE numbers (n INT) WITH ('connector' = 'datagen', 'number-of-rows' = '4',
  'fields.n.kind' = 'sequence', 'fields.n.start' = '1', 'fields.n.end' = '4');
SELECT supplier, SUM(price) AS total FROM orders GROUP BY supplier;
SELECT n % 2 AS parity, COUNT(*) AS cnt FROM numbers GROUP BY n % 2;
`,
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('strom sql (process)', () => {
  it('-f: query rows on standard output, messages on standard error, exit code 0', async () => {
    const r = await runStrom(['sql', '-f', 'report.sql'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(
      [
        '+I[supplier1, 4.00]',
        '-U[supplier1, 4.00]',
        '+U[supplier1, 6.00]',
        '+I[supplier2, 5.00]',
        '+I[1, 1]',
        '+I[0, 1]',
        '-U[1, 1]',
        '+U[1, 2]',
        '-U[0, 1]',
        '+U[0, 2]',
        '',
      ].join('\n'),
    )
    expect(r.stderr).toBe('[INFO] Execute statement succeeded.\n[INFO] Execute statement succeeded.\n')
  })

  it('a script on standard input; a syntax error names its line and column, exit code 1', async () => {
    const child = spawn(process.execPath, [STROM_BIN, 'sql', '--format', 'json'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.stdin.end("SELECT 'a' AS x;\n\nSELECT 1 +\n  FROM nowhere;\nSELECT 'never' AS y;\n")
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    expect(code).toBe(1)
    expect(stdout).toBe('{"kind":"+I","x":"a"}\n')
    expect(stderr).toMatch(/^<stdin>:4:3: SQL parse error at line 4, column 3: Expected .* but found 'FROM'\.\n$/)
  })

  it('Ctrl-C (SIGINT) cancels an endless query: exit code 130', async () => {
    await writeFile(join(dir, 'endless.sql'), "CREATE TABLE e (v INT) WITH ('connector' = 'datagen', 'rows-per-second' = '20', 'fields.v.min' = '1', 'fields.v.max' = '1');\nSELECT v, COUNT(*) FROM e GROUP BY v;\n")
    const p = startStrom(['sql', '-f', 'endless.sql'], dir)
    await p.waitForOutput(/^\+U\[1, 3\]$/m)
    p.child.kill('SIGINT')
    const r = await p.exited
    expect(r.code).toBe(130)
    expect(r.stdout.startsWith('+I[1, 1]\n-U[1, 1]\n+U[1, 2]\n-U[1, 2]\n+U[1, 3]\n')).toBe(true)
    expect(r.stderr).toMatch(/SIGINT: cancelling job 'strom-sql-1'/)
    expect(r.stderr).toMatch(/\[INFO\] Job 'strom-sql-1' was cancelled after /)
  })
})
