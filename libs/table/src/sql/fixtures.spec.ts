import * as E from 'fp-ts/lib/Either.js'
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type * as A from './ast.js'
import { parseStatements } from './parse.js'

const dir = (name: string): URL => new URL(`./fixtures/${name}/`, import.meta.url)
const files = (name: string): string[] =>
  readdirSync(dir(name))
    .filter((f) => f.endsWith('.sql'))
    .sort()
const read = (name: string, file: string): string => readFileSync(new URL(file, dir(name)), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen')
const parse = (name: string, file: string): readonly A.Statement[] => {
  const r = parseStatements(read(name, file))
  if (E.isLeft(r)) throw new Error(`${file}: ${r.left.message}`)
  return r.right
}

/** The first node of `type` found anywhere in `node`. */
const find = (node: unknown, pred: (n: Record<string, unknown>) => boolean): Record<string, unknown> | undefined => {
  if (Array.isArray(node)) {
    for (const n of node) {
      const f = find(n, pred)
      if (f !== undefined) return f
    }
    return undefined
  }
  if (node === null || typeof node !== 'object') return undefined
  const o = node as Record<string, unknown>
  if (pred(o)) return o
  for (const v of Object.values(o)) {
    const f = find(v, pred)
    if (f !== undefined) return f
  }
  return undefined
}

describe('Nexmark (nexmark/nexmark, nexmark-flink)', () => {
  it('has the DDL, the views and q0 to q22', () => {
    const names = files('nexmark')
    for (let q = 0; q <= 22; q++) expect(names).toContain(`q${q}.sql`)
    expect(names).toEqual(expect.arrayContaining(['ddl.sql', 'ddl_gen.sql', 'ddl_views.sql', 'ddl_kafka.sql']))
  })

  it.each(files('nexmark'))('%s parses', (file) => {
    const statements = parse('nexmark', file)
    expect(statements.length).toBeGreaterThan(0)
    if (/^q\d+\.sql$/.test(file)) {
      expect(statements[0]!.type === 'createTable' || statements[0]!.type === 'createFunction').toBe(true)
      expect(statements[statements.length - 1]!.type).toBe('insert')
    }
  })

  it('reads the views person, auction and bid', () => {
    const views = parse('nexmark', 'ddl.sql').filter((s): s is A.CreateViewStatement => s.type === 'createView')
    expect(views.map((v) => v.name.parts[0])).toEqual(['person', 'auction', 'bid'])
    const bid = views[2]!.query as A.SelectQuery
    expect(bid.items.map((i) => (i.type === 'item' && i.expr.type === 'identifier' ? i.expr.parts.join('.') : '?'))).toEqual(['bid.auction', 'bid.bidder', 'bid.price', 'dateTime', 'bid.extra'])
    expect(bid.where).toMatchObject({ type: 'binary', op: '=', left: { parts: ['event_type'] }, right: { text: '2' } })
  })

  it('reads the source table: ROW types, the computed event time and the watermark', () => {
    const t = parse('nexmark', 'ddl_gen_v2.sql')[0] as A.CreateTableStatement
    expect(t.columns.map((c) => `${c.name}:${c.kind}`)).toEqual(['event_type:physical', 'person:physical', 'auction:physical', 'bid:physical', 'dateTime:computed'])
    expect(t.columns[3]).toMatchObject({ dataType: { kind: 'ROW', fields: [{ name: 'auction' }, { name: 'bidder' }, { name: 'price' }, { name: 'channel' }, { name: 'url' }, { name: 'dateTime', type: { kind: 'TIMESTAMP', precision: 3 } }, { name: 'extra' }] } })
    expect(t.watermark).toMatchObject({ column: 'dateTime', expr: { type: 'binary', op: '-', right: { kind: 'interval', text: '4', from: 'SECOND' } } })
    expect(t.options.find((o) => o.key === 'events.num')?.value).toBe('${EVENTS_NUM}')
  })

  it('reads the constructs each query illustrates', () => {
    const insert = (q: number): A.InsertStatement => parse('nexmark', `q${q}.sql`).find((s): s is A.InsertStatement => s.type === 'insert')!
    expect(find(insert(5), (n) => n['type'] === 'tableFunction')).toMatchObject({ call: { name: { parts: ['HOP'] }, args: [{ type: 'tableArg' }, { type: 'descriptor', columns: ['dateTime'] }, { kind: 'interval' }, { kind: 'interval' }] } })
    expect(find(insert(6), (n) => n['type'] === 'windowSpec' && n['frame'] !== undefined)).toMatchObject({ frame: { unit: 'ROWS', start: { kind: 'PRECEDING' }, end: { kind: 'CURRENT_ROW' } } })
    expect(find(insert(11), (n) => n['type'] === 'call' && (n['name'] as A.QualifiedName).parts[0] === 'SESSION')).toBeDefined()
    expect(find(insert(13), (n) => n['type'] === 'table' && n['forSystemTimeAsOf'] !== undefined)).toMatchObject({ name: { parts: ['side_input'] }, alias: 'S' })
    expect(find(insert(15), (n) => n['type'] === 'call' && n['distinct'] === true && n['filter'] !== undefined)).toBeDefined()
    expect(find(insert(19), (n) => n['type'] === 'call' && (n['name'] as A.QualifiedName).parts[0] === 'ROW_NUMBER')).toMatchObject({ over: { partitionBy: [{ parts: ['auction'] }] } })
    expect(parse('nexmark', 'q10.sql')[0]).toMatchObject({ partitionedBy: ['dt', 'hm'] })
    expect(parse('nexmark', 'q14.sql')[0]).toMatchObject({ type: 'createFunction', name: { parts: ['count_char'] }, identifier: 'com.github.nexmark.flink.udf.CountChar' })
  })
})

describe('Flink documentation examples', () => {
  it.each(files('flink-docs'))('%s parses', (file) => {
    expect(parse('flink-docs', file).length).toBeGreaterThan(0)
  })

  it('reads the window TVFs with named and PARTITION BY arguments, and the join kinds', () => {
    const tvfs = parse('flink-docs', 'window-tvf.sql')
    expect(tvfs).toHaveLength(9)
    expect(find(tvfs[1], (n) => n['type'] === 'namedArg' && n['name'] === 'SIZE')).toBeDefined()
    expect(find(tvfs[7], (n) => n['type'] === 'tableArg')).toMatchObject({ partitionBy: [{ parts: ['item'] }] })
    const joins = parse('flink-docs', 'joins.sql')
    expect(joins.filter((s) => s.type === 'query').map((s) => find(s, (n) => n['type'] === 'join')?.['joinType'])).toEqual(['INNER', 'LEFT', 'RIGHT', 'FULL', 'CROSS', 'LEFT', 'INNER', 'CROSS', 'CROSS', 'LEFT'])
  })
})
