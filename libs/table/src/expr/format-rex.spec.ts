import { describe, expect, it } from 'vitest'
import { DataTypes as T } from '../types/data-type.js'
import { formatRex } from './format-rex.js'
import { resolveOk, type Schema, sql } from './test-support.js'

const S: Schema = [
  ['a', T.INT()],
  ['s', T.STRING()],
  ['ts', T.TIMESTAMP(3)],
  ['bid', T.ROW([{ name: 'price', type: T.INT() }])],
]
const f = (text: string, names = true): string => formatRex(resolveOk(sql(text), S), names ? { left: S.map(([n]) => n) } : undefined)

describe('formatRex', () => {
  it('prints resolved expressions as SQL, with implicit casts made visible', () => {
    const cases: [string, string][] = [
      ['a + 1', 'a + 1'],
      ['(a + 1) * 2', '(a + 1) * 2'],
      ['a = 1.5', 'CAST(a AS DECIMAL(11, 1)) = 1.5'],
      ["s LIKE 'x%' ESCAPE '!'", "s LIKE 'x%' ESCAPE '!'"],
      ['NOT a IS NULL', 'NOT a IS NULL'],
      ['a - (1 - a)', 'a - (1 - a)'],
      ['(a - 1) - a', 'a - 1 - a'],
      ['(a > 1 OR a < 0) AND s IS NOT NULL', '(a > 1 OR a < 0) AND s IS NOT NULL'],
      ['-(a + 1)', '-(a + 1)'],
      ["CASE WHEN a > 0 THEN 'p' END", "CASE WHEN a > 0 THEN 'p' ELSE NULL END"],
      ['a BETWEEN 1 AND 3', 'a >= 1 AND a <= 3'],
      ['a IN (1, 2)', 'a IN (1, 2)'],
      ['EXTRACT(YEAR FROM ts)', 'EXTRACT(YEAR FROM ts)'],
      ['FLOOR(ts TO HOUR)', 'FLOOR(ts TO HOUR)'],
      ["TIMESTAMPADD(DAY, 1, ts)", 'TIMESTAMPADD(DAY, 1, ts)'],
      ['CAST(s AS INT)', 'CAST(s AS INT)'],
      ["ts > TIMESTAMP '2020-01-01 00:00:00'", "ts > TIMESTAMP '2020-01-01 00:00:00.000'"],
      ['bid.price', 'bid.price'],
      ['ARRAY[1, 2][1]', 'ARRAY[1, 2][1]'],
      ["s || 'it''s'", "s || 'it''s'"],
      ['-a', '-a'],
      ['UPPER(s)', 'UPPER(s)'],
    ]
    for (const [input, output] of cases) expect(f(input), input).toBe(output)
    expect(f('a + 1', false)).toBe('$0 + 1')
  })
})
