import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import type { Pos, TypeSyntax } from '../sql/ast.js'
import { formatType } from './data-type.js'
import { intervalFamily, typeFromSyntax } from './type-from-syntax.js'

const P: Pos = { line: 2, column: 7, offset: 20 }
const ty = (kind: string, extra: Record<string, unknown> = {}, nullable = true): TypeSyntax => ({ kind, nullable, pos: P, ...extra }) as TypeSyntax
const ok = (t: TypeSyntax): string => {
  const r = typeFromSyntax(t)
  if (E.isLeft(r)) throw new Error(r.left.map((p) => p.message).join('; '))
  return formatType(r.right)
}
const err = (t: TypeSyntax): readonly string[] => {
  const r = typeFromSyntax(t)
  if (E.isRight(r)) throw new Error(`expected an error, got ${formatType(r.right)}`)
  for (const p of r.left) expect(p.pos).toEqual(P)
  return r.left.map((p) => p.message)
}

describe('typeFromSyntax', () => {
  it('applies Flink defaults', () => {
    expect(ok(ty('DECIMAL'))).toBe('DECIMAL(10, 0)')
    expect(ok(ty('DECIMAL', { precision: 5 }))).toBe('DECIMAL(5, 0)')
    expect(ok(ty('DECIMAL', { precision: 10, scale: 2 }))).toBe('DECIMAL(10, 2)')
    expect(ok(ty('CHAR'))).toBe('CHAR(1)')
    expect(ok(ty('BINARY'))).toBe('BINARY(1)')
    expect(ok(ty('VARCHAR'))).toBe('STRING')
    expect(ok(ty('VARCHAR', { length: 10 }))).toBe('VARCHAR(10)')
    expect(ok(ty('VARBINARY'))).toBe('BYTES')
    expect(ok(ty('TIME'))).toBe('TIME(0)')
    expect(ok(ty('TIMESTAMP'))).toBe('TIMESTAMP(6)')
    expect(ok(ty('TIMESTAMP', { precision: 3 }))).toBe('TIMESTAMP(3)')
    expect(ok(ty('TIMESTAMP_LTZ'))).toBe('TIMESTAMP_LTZ(6)')
    expect(ok(ty('INT', {}, false))).toBe('INT NOT NULL')
  })

  it('maps interval qualifiers to the two interval families', () => {
    expect(ok(ty('INTERVAL', { from: 'DAY', to: 'SECOND' }))).toBe('INTERVAL SECOND(3)')
    expect(ok(ty('INTERVAL', { from: 'HOUR' }))).toBe('INTERVAL SECOND(3)')
    expect(ok(ty('INTERVAL', { from: 'YEAR', to: 'MONTH' }))).toBe('INTERVAL MONTH')
    expect(ok(ty('INTERVAL', { from: 'MONTH' }))).toBe('INTERVAL MONTH')
    expect(intervalFamily('MINUTE', 'SECOND')).toBe('DAY_TIME')
    expect(intervalFamily('YEAR')).toBe('YEAR_MONTH')
    expect(err(ty('INTERVAL', { from: 'MONTH', to: 'DAY' }))[0]).toMatch(/not a valid interval qualifier/)
    expect(err(ty('INTERVAL', { from: 'SECOND', to: 'MINUTE' }))[0]).toMatch(/INTERVAL SECOND TO MINUTE/)
  })

  it('builds nested types', () => {
    const row = ty('ROW', { fields: [{ name: 'a', type: ty('INT', {}, false) }, { name: 'b', type: ty('ARRAY', { element: ty('VARCHAR') }), description: 'bee' }] })
    expect(ok(row)).toBe('ROW<`a` INT NOT NULL, `b` ARRAY<STRING>>')
    expect(ok(ty('MAP', { key: ty('VARCHAR'), value: ty('DECIMAL', { precision: 5, scale: 2 }) }))).toBe('MAP<STRING, DECIMAL(5, 2)>')
    expect(ok(ty('MULTISET', { element: ty('BIGINT') }))).toBe('MULTISET<BIGINT>')
  })

  it('reports invalid precision, scale and length at the type position', () => {
    expect(err(ty('DECIMAL', { precision: 39 }))[0]).toBe('The precision of DECIMAL must be between 1 and 38 (both inclusive), but was 39.')
    expect(err(ty('DECIMAL', { precision: 0 }))[0]).toMatch(/between 1 and 38/)
    expect(err(ty('DECIMAL', { precision: 5, scale: 6 }))[0]).toBe('The scale of DECIMAL must be between 0 and the precision 5 (both inclusive), but was 6.')
    expect(err(ty('TIMESTAMP', { precision: 10 }))[0]).toBe('The precision of TIMESTAMP must be between 0 and 9 (both inclusive), but was 10.')
    expect(err(ty('TIME', { precision: -1 }))[0]).toMatch(/precision of TIME/)
    expect(err(ty('VARCHAR', { length: 0 }))[0]).toMatch(/length of VARCHAR must be between 1 and 2147483647/)
    expect(err(ty('CHAR', { length: 0 }))[0]).toMatch(/length of CHAR/)
  })

  it('collects every problem of a nested type', () => {
    const row = ty('ROW', { fields: [{ name: 'a', type: ty('DECIMAL', { precision: 50 }) }, { name: 'a', type: ty('TIMESTAMP', { precision: 12 }) }] })
    const messages = err(row)
    expect(messages).toHaveLength(3)
    expect(messages.join('\n')).toMatch(/DECIMAL/)
    expect(messages.join('\n')).toMatch(/unique/)
    expect(messages.join('\n')).toMatch(/TIMESTAMP/)
  })
})
