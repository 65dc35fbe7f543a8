import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { materialize, rowKey, type ChangeKind } from './changelog-table.js'
import { VirtualTerminal } from './fixtures/virtual-terminal.js'
import { LIVE_TABLE_TITLE, liveFooter, LiveTableView, renderLiveTable, rowCapacity } from './live-table.js'
import { DataTypes, type ResultColumn, type ResultRow } from './table-api.js'

const columns: ResultColumn[] = [
  { name: 'supplier', type: DataTypes.STRING() },
  { name: 'cnt', type: DataTypes.BIGINT(false) },
]
const change = (kind: ChangeKind, raw: readonly unknown[]): ResultRow => ({ kind, raw, fields: raw })

describe('renderLiveTable', () => {
  it('draws the title, the table and the footer', () => {
    const { lines, widths } = renderLiveTable(
      { columns, rows: [['supplier1', 3], ['s2', null]], totalRows: 2, changes: 10, status: 'running' },
      { columns: 80, rows: 24 },
    )
    expect(lines).toEqual([
      LIVE_TABLE_TITLE,
      '+-----------+--------+',
      '|  supplier |    cnt |',
      '+-----------+--------+',
      '| supplier1 |      3 |',
      '|        s2 | <NULL> |',
      '+-----------+--------+',
      '2 rows, 10 changes received. Press Ctrl-C to stop.',
    ])
    expect(widths).toEqual([9, 6])
  })

  it('keeps columns as wide as before, cuts long values and lines wider than the screen', () => {
    const { lines } = renderLiveTable({ columns, rows: [['x'.repeat(40), 1]], totalRows: 1, changes: 1, status: 'finished' }, { columns: 30, rows: 24 }, 12, [3, 5])
    expect(lines[4]).toBe('| xxxxxxxxx... |     1 |')
    expect(lines[6]).toBe('1 row, 1 change received. Job ')
    expect(lines.every((l) => l.length <= 30)).toBe(true)
  })

  it('says how many rows are shown when not all fit, and how the query ended', () => {
    expect(liveFooter({ rows: [[1]], totalRows: 40, changes: 41, status: 'stopped' })).toBe('40 rows (the first 1 shown), 41 changes received. Query stopped.')
    expect(liveFooter({ rows: [], totalRows: 0, changes: 0, status: 'failed' })).toBe('0 rows, 0 changes received. Job failed.')
    expect(rowCapacity(24)).toBe(17)
    expect(rowCapacity(3)).toBe(1)
  })
})

describe('LiveTableView', () => {
  /** Feeds a changelog to a view on a virtual terminal (after some earlier output) and returns the terminal. */
  const show = (changes: readonly ResultRow[], intervalMs: number, size = { columns: 100, rows: 30 }): VirtualTerminal => {
    const term = new VirtualTerminal(size.columns, size.rows)
    term.write('Strom SQL> SELECT ...\n')
    let now = 0
    const view = new LiveTableView(term, columns, { intervalMs, now: () => now })
    view.start()
    for (const c of changes) {
      view.add(c)
      now += 7
    }
    view.finish('finished')
    return term
  }

  const changes = [
    change('+I', ['supplier1', 1]),
    change('+I', ['supplier2', 1]),
    change('-U', ['supplier1', 1]),
    change('+U', ['supplier1', 2]),
    change('-D', ['supplier2', 1]),
    change('+I', ['a much longer supplier name', 1]),
  ]

  it('redraws in place: the screen shows the earlier output and only the last frame', () => {
    for (const interval of [0, 20, 1000]) {
      const term = show(changes, interval)
      expect(term.screen()).toEqual([
        'Strom SQL> SELECT ...',
        LIVE_TABLE_TITLE,
        '+-----------------------------+-----+',
        '|                    supplier | cnt |',
        '+-----------------------------+-----+',
        '|                   supplier1 |   2 |',
        '| a much longer supplier name |   1 |',
        '+-----------------------------+-----+',
        '2 rows, 6 changes received. Job finished.',
      ])
      // the cursor is hidden while the table is live, and shown again at the end
      expect(term.raw.startsWith('Strom SQL> SELECT ...\n\x1b[?25l')).toBe(true)
      expect(term.raw.endsWith('\x1b[?25h')).toBe(true)
    }
  })

  it('draws at most one frame per interval: a burst of changes costs one frame', () => {
    const frames = (t: VirtualTerminal): number => t.raw.split(LIVE_TABLE_TITLE).length - 1
    expect(frames(show(changes, 0))).toBe(1 + changes.length + 1) // start, each change, finish
    expect(frames(show(changes, 1000))).toBe(2) // start, finish: the changes came within one interval
  })

  it('shows the rows the changelog leaves, on a screen too small for all of them (property)', () => {
    const log = fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3 })), { maxLength: 80 }).map((ops) => {
      const current = new Map<number, number>()
      const out: ResultRow[] = []
      for (const [key, n] of ops) {
        const before = current.get(key)
        if (before !== undefined) out.push(change(n === 0 ? '-D' : '-U', [`k${key}`, before]))
        if (n === 0 && before !== undefined) current.delete(key)
        else {
          out.push(change(before === undefined ? '+I' : '+U', [`k${key}`, n]))
          current.set(key, n)
        }
      }
      return out
    })
    fc.assert(
      fc.property(log, fc.integer({ min: 8, max: 40 }), fc.constantFrom(0, 15, 1000), (log, screenRows, interval) => {
        const term = show(log, interval, { columns: 100, rows: screenRows })
        const expected = materialize(log.map((c) => ({ kind: c.kind, values: c.raw })))
        const text = term.text()
        // one frame left, below the earlier output
        expect(text.filter((l) => l === LIVE_TABLE_TITLE)).toHaveLength(1)
        expect(text[0]).toBe('Strom SQL> SELECT ...')
        const body = text.slice(5, -2).map((l) => {
          const [, supplier, cnt] = l.split('|').map((c) => c.trim())
          return [supplier, Number(cnt)]
        })
        const shown = Math.min(expected.length, rowCapacity(screenRows))
        expect(body.map(rowKey)).toEqual(expected.slice(0, shown).map(rowKey))
        expect(text.at(-1)).toBe(liveFooter({ rows: expected.slice(0, shown), totalRows: expected.length, changes: log.length, status: 'finished' }))
      }),
      { numRuns: 60 },
    )
  })
})
