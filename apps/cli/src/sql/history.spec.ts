import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { History, historyEntry } from './history.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-sql-history-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('History', () => {
  it('a multi-line statement is one entry', () => {
    expect(historyEntry('SELECT a,\n   b\r\n\n  FROM t;  ')).toBe('SELECT a, b FROM t;')
    expect(historyEntry('  \n ')).toBe('')
  })

  it('loads the file, adds entries (not the same one twice in a row), saves newest last, keeps the last N', async () => {
    const file = join(dir, 'sub', 'history')
    const h = new History(file, () => {}, 3)
    expect(h.list()).toEqual([])
    h.add('SELECT 1;')
    h.add('SELECT 1;')
    h.add('   ')
    h.add('SELECT\n2;')
    expect(await readFile(file, 'utf8')).toBe('SELECT 1;\nSELECT 2;\n')
    h.add('SELECT 3;')
    h.add('SELECT 4;')
    expect(h.list()).toEqual(['SELECT 2;', 'SELECT 3;', 'SELECT 4;'])
    expect(h.newestFirst()).toEqual(['SELECT 4;', 'SELECT 3;', 'SELECT 2;'])
    const again = new History(file, () => {}, 3)
    expect(again.list()).toEqual(['SELECT 2;', 'SELECT 3;', 'SELECT 4;'])
    await writeFile(file, Array.from({ length: 10 }, (_, i) => `q${i};`).join('\n'))
    expect(new History(file, () => {}, 3).list()).toEqual(['q7;', 'q8;', 'q9;'])
  })

  it('works without a file, and reports once that a file cannot be written', async () => {
    const h = new History(undefined)
    h.add('SELECT 1;')
    expect(h.list()).toEqual(['SELECT 1;'])
    // a file stands where the history's directory would have to be
    await writeFile(join(dir, 'a-file'), '')
    const problems: string[] = []
    const blocked = new History(join(dir, 'a-file', 'history'), (m) => problems.push(m))
    blocked.add('a;')
    blocked.add('b;')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^\[WARNING\] Could not save the history to /)
    expect(blocked.list()).toEqual(['a;', 'b;'])
  })
})
