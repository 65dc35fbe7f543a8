import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataTypes, type ResultColumn } from './table-api.js'
import {
  borderLine,
  cellText,
  columnWidthsByContent,
  columnWidthsByType,
  displayWidth,
  fitCell,
  rowLine,
  singleLine,
  staticTableau,
  StreamingTableau,
  takeWidth,
} from './tableau.js'

const col = (name: string, type = DataTypes.STRING()): ResultColumn => ({ name, type })

describe('cells', () => {
  it('counts wide characters twice', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth('中文')).toBe(4)
    expect(displayWidth('a中b')).toBe(4)
    expect(displayWidth('😀')).toBe(2)
    expect(takeWidth('中文字', 5)).toBe('中文')
    expect(takeWidth('abc', 10)).toBe('abc')
  })

  it('right-aligns a value that fits and cuts one that does not with ...', () => {
    expect(fitCell('abc', 5)).toBe('  abc')
    expect(fitCell('abcdef', 6)).toBe('abcdef')
    expect(fitCell('abcdefg', 6)).toBe('abc...')
    // a wide character that does not fit whole leaves a space before the cut text
    expect(fitCell('中文字符串', 8)).toBe(' 中文...')
    expect(fitCell('anything', 2)).toBe('..')
  })

  it('every fitted cell is exactly as wide as its column', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'Z', '中', '😀', ' ', '-') }), fc.integer({ min: 0, max: 40 }), (text, width) => {
        const cell = fitCell(text, width)
        expect(displayWidth(cell)).toBe(width)
        if (displayWidth(text) <= width) expect(cell.trimStart()).toBe(text.trimStart())
        else if (width > 3) expect(cell.endsWith('...')).toBe(true)
      }),
    )
  })

  it('keeps a value on one line', () => {
    expect(singleLine('a\nb\tc\rd\u0001')).toBe('a\\nb\\tc\\rd\\u0001')
    expect(singleLine('plain')).toBe('plain')
    expect(cellText(null, DataTypes.INT())).toBe('<NULL>')
    expect(cellText(true, DataTypes.BOOLEAN())).toBe('TRUE')
    expect(cellText(Date.UTC(2020, 3, 15, 8, 5), DataTypes.TIMESTAMP(3))).toBe('2020-04-15 08:05:00.000')
    expect(cellText(7, DataTypes.DECIMAL(10, 2))).toBe('7.00')
  })
})

describe('column widths', () => {
  it('by type, as Flink derives them for a streaming result', () => {
    const columns = [
      col('t', DataTypes.TINYINT()),
      col('s', DataTypes.SMALLINT()),
      col('i', DataTypes.INT()),
      col('b', DataTypes.BIGINT()),
      col('d', DataTypes.DECIMAL(10, 2)),
      col('flag', DataTypes.BOOLEAN()),
      col('day', DataTypes.DATE()),
      col('t0', DataTypes.TIME(0)),
      col('t3', DataTypes.TIME(3)),
      col('ts0', DataTypes.TIMESTAMP(0)),
      col('ts3', DataTypes.TIMESTAMP(3)),
      col('ts6', DataTypes.TIMESTAMP_LTZ(6)),
      col('ts9', DataTypes.TIMESTAMP(9)),
      col('name'),
      col('a_rather_long_column_name_here_ok', DataTypes.INT()),
    ]
    expect(columnWidthsByType(columns, 30, false)).toEqual([6, 6, 11, 20, 12, 6, 10, 8, 12, 19, 23, 26, 29, 30, 33])
    expect(columnWidthsByType([col('x', DataTypes.INT())], 30, true)).toEqual([2, 11])
  })

  it('by content: the widest of the name and the cells, at most the maximum', () => {
    expect(columnWidthsByContent(['a', 'bb'], [['xyz', 'x'], ['中', '']], 30)).toEqual([3, 2])
    expect(columnWidthsByContent(['name'], [['x'.repeat(50)]], 30)).toEqual([30])
  })
})

describe('tables', () => {
  it("prints a streaming changelog as Flink's SQL client does", () => {
    const t = new StreamingTableau([col('name'), col('cnt', DataTypes.BIGINT(false))])
    const lines = [...t.header(), t.row('+I', ['Bob', 1]), t.row('+I', ['Alice', 1]), t.row('-U', ['Bob', 1]), t.row('+U', ['Bob', 2]), ...t.footer()]
    expect(lines.join('\n')).toBe(
      [
        '+----+--------------------------------+----------------------+',
        '| op |                           name |                  cnt |',
        '+----+--------------------------------+----------------------+',
        '| +I |                            Bob |                    1 |',
        '| +I |                          Alice |                    1 |',
        '| -U |                            Bob |                    1 |',
        '| +U |                            Bob |                    2 |',
        '+----+--------------------------------+----------------------+',
        'Received a total of 4 rows',
      ].join('\n'),
    )
    const one = new StreamingTableau([col('x', DataTypes.INT())])
    one.row('+I', [null])
    expect(one.footer()[1]).toBe('Received a total of 1 row')
  })

  it('cuts long values and shows NULL', () => {
    const t = new StreamingTableau([col('s'), col('n', DataTypes.INT())])
    expect(t.row('+I', ['x'.repeat(40), null])).toBe(`| +I | ${'x'.repeat(27)}... |      <NULL> |`)
    expect(new StreamingTableau([col('s')], 10).row('-D', ['abcdefghijklmnop'])).toBe('| -D | abcdefg... |')
  })

  it('prints known rows with widths from the content', () => {
    expect(staticTableau(['table name'], [['bids'], ['suppliers']])).toEqual([
      '+------------+',
      '| table name |',
      '+------------+',
      '|       bids |',
      '|  suppliers |',
      '+------------+',
      '2 rows in set',
    ])
    expect(staticTableau(['a'], [['1']]).at(-1)).toBe('1 row in set')
    expect(staticTableau(['table name'], [])).toEqual(['Empty set'])
  })

  it('border and row lines agree in length for any widths', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 6 }), fc.array(fc.string(), { maxLength: 6 }), (widths, cells) => {
        expect(rowLine(widths, cells).length).toBe(borderLine(widths).length)
      }),
    )
  })
})
