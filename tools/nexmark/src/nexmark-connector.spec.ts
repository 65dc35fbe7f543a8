import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { DataTypes, TableEnvironment, type ConnectorContext, type ResultRow } from '@strom/table'
import { DEFAULT_NEXMARK_CONFIG } from './generator/generator-config.js'
import { NexmarkGenerator } from './generator/nexmark-generator.js'
import { eventToRow, nexmarkConnector } from './nexmark-connector.js'

/** The published Nexmark DDL (libs/table's fixture), with its placeholders filled in. */
const ddl = (events: number): string[] =>
  readFileSync(new URL('../../../libs/table/src/sql/fixtures/nexmark/ddl.sql', import.meta.url), 'utf8')
    .replace('${TPS}', '10000')
    .replace('${TPS}', '10000')
    .replace('${EVENTS_NUM}', String(events))
    .replace('${PERSON_PROPORTION}', '1')
    .replace('${AUCTION_PROPORTION}', '3')
    .replace('${BID_PROPORTION}', '46')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

const setUp = async (events: number, parallelism = 1, mode: 'streaming' | 'batch' = 'streaming'): Promise<TableEnvironment> => {
  const tEnv = TableEnvironment.create({ connectors: [nexmarkConnector], parallelism, mode })
  for (const s of ddl(events)) await tEnv.executeSql(s)
  return tEnv
}

const rowsOf = async (tEnv: TableEnvironment, sql: string): Promise<ResultRow[]> => {
  const out: ResultRow[] = []
  for await (const r of (await tEnv.executeSql(sql)).collect()) out.push(r)
  return out
}

const ROW_FIELDS: Record<string, string[]> = {
  person: ['id', 'name', 'emailAddress', 'creditCard', 'city', 'state', 'dateTime', 'extra'],
  auction: ['id', 'itemName', 'description', 'initialBid', 'reserve', 'dateTime', 'expires', 'seller', 'category', 'extra'],
  bid: ['auction', 'bidder', 'price', 'dateTime', 'extra'],
}
const ctx = (options: Record<string, string>, columns = ['event_type', 'person', 'auction', 'bid'], fields = ROW_FIELDS): ConnectorContext => ({
  tableName: 'default_catalog.default_database.nexmark',
  columns: columns.map((name) => ({ name, type: fields[name] === undefined ? DataTypes.INT() : DataTypes.ROW(fields[name].map((f) => ({ name: f, type: DataTypes.STRING() }))) })),
  metadataColumns: [],
  options: new Map(Object.entries({ connector: 'nexmark', ...options })),
  runtimeMode: 'STREAMING',
})

describe('the nexmark table connector', () => {
  it.each([
    [1, 'streaming'],
    [3, 'streaming'],
    [2, 'batch'],
  ] as const)('runs the published DDL: 1000 events are 20 persons, 60 auctions and 920 bids (parallelism %i, %s)', async (parallelism, mode) => {
    const tEnv = await setUp(1000, parallelism, mode)
    const rows = await rowsOf(tEnv, 'SELECT event_type, COUNT(*) AS n, MIN(dateTime) AS lo, MAX(dateTime) AS hi FROM nexmark GROUP BY event_type')
    const final = new Map<unknown, unknown[]>()
    for (const r of rows) {
      if (r.kind === '+I' || r.kind === '+U') final.set(r.raw[0], r.raw.slice(1))
      else final.delete(r.raw[0])
    }
    const t0 = DEFAULT_NEXMARK_CONFIG.baseTime
    expect([...final].sort()).toEqual([
      [0, [20, t0, t0 + 95]],
      [1, [60, t0, t0 + 95]], // the last auction is event 953, the last person event 950
      [2, [920, t0, t0 + 99]],
    ])
  })

  it('reads the views of the DDL with the generator’s values', async () => {
    const tEnv = await setUp(200)
    const g = new NexmarkGenerator(DEFAULT_NEXMARK_CONFIG)
    const expected: unknown[][] = []
    for (let n = 0; n < 200; n++) {
      const e = g.eventAt(n)
      if (e.type === 'bid') expected.push([e.bid.auction, e.bid.bidder, e.bid.price, e.bid.dateTime, e.bid.extra])
    }
    const bids = (await rowsOf(tEnv, 'SELECT * FROM bid')).map((r) => r.raw)
    expect(bids).toEqual(expected)
    const persons = (await rowsOf(tEnv, 'SELECT id, name, dateTime FROM person')).map((r) => r.raw)
    expect(persons).toEqual([
      [1000, 'Peter Jones', DEFAULT_NEXMARK_CONFIG.baseTime],
      ...[50, 100, 150].map((n) => {
        const e = g.eventAt(n)
        if (e.type !== 'person') throw new Error('expected a person')
        return [e.person.id, e.person.name, e.person.dateTime]
      }),
    ])
  })

  it('makes rows of [event_type, person, auction, bid] with ROW values as arrays', () => {
    const g = new NexmarkGenerator(DEFAULT_NEXMARK_CONFIG)
    expect(eventToRow(g.eventAt(0)).fields.slice(0, 2)).toEqual([0, [1000, 'Peter Jones', 'nhd@xcat.com', '7241 7320 9143 4888', 'Portland', 'WY', 1436918400000, expect.any(String)]])
    expect(eventToRow(g.eventAt(1)).fields[0]).toBe(1)
    expect(eventToRow(g.eventAt(4)).fields).toEqual([2, null, null, [1000, 1001, 32530001, 1436918400000, expect.any(String)]])
  })

  it('rejects unknown options, bad values and a schema that is not Nexmark’s, all at once', () => {
    const r = nexmarkConnector.createScanSource!(ctx({ 'events.nums': '3', 'bid.proportion': 'x' }, ['a']))
    expect(E.isLeft(r)).toBe(true)
    const messages = E.isLeft(r) ? r.left.map((p) => p.message) : []
    expect(messages).toHaveLength(3)
    expect(messages[0]).toMatch(/^Unsupported option 'events.nums' for connector 'nexmark'; supported: .*events\.num,/)
    expect(messages).toContain("Could not parse value 'x' for option 'bid.proportion': expected an integer.")
    expect(messages.some((m) => m.includes('must have the physical columns event_type, person, auction, bid'))).toBe(true)
    expect(E.isLeft(nexmarkConnector.createScanSource!(ctx({ 'person.proportion': '0' })))).toBe(true)
  })

  it('runs Nexmark 0.2’s DDL, whose bids add channel and url', async () => {
    const tEnv = TableEnvironment.create({ connectors: [nexmarkConnector] })
    const v2 = readFileSync(new URL('../../../libs/table/src/sql/fixtures/nexmark/ddl_gen_v2.sql', import.meta.url), 'utf8')
      .replace(/\$\{TPS\}/g, '10000')
      .replace('${EVENTS_NUM}', '200')
      .replace('${PERSON_PROPORTION}', '1')
      .replace('${AUCTION_PROPORTION}', '3')
      .replace('${BID_PROPORTION}', '46')
      .replace(/,\s*'keep-alive'[^,]*,\s*'stop-at'[^,]*/, '')
    await tEnv.executeSql(v2.split(';')[0]!)
    const g = new NexmarkGenerator(DEFAULT_NEXMARK_CONFIG)
    const expected: unknown[][] = []
    for (let n = 0; n < 200; n++) {
      const e = g.eventAt(n)
      if (e.type === 'bid') expected.push([e.bid.auction, e.bid.channel, e.bid.url, e.bid.extra])
    }
    const bids = (await rowsOf(tEnv, 'SELECT bid.auction, bid.channel, bid.url, bid.extra FROM datagen WHERE event_type = 2')).map((r) => r.raw)
    expect(bids).toEqual(expected)
    expect(new Set(bids.map((b) => b[1])).size).toBeGreaterThan(5)
  })

  it('rejects a ROW field an event does not have, naming it', () => {
    const r = nexmarkConnector.createScanSource!(ctx({}, undefined, { ...ROW_FIELDS, bid: ['auction', 'colour'] }))
    expect(E.isLeft(r) && r.left.map((p) => p.message)).toEqual(["The nexmark column 'bid' declares the field 'colour', which a bid does not have (it has auction, bidder, price, channel, url, dateTime, extra)."])
  })

  it('is bounded with events.num and endless without', () => {
    const bounded = nexmarkConnector.createScanSource!(ctx({ 'events.num': '10' }))
    const endless = nexmarkConnector.createScanSource!(ctx({}))
    expect(E.isRight(bounded) && bounded.right.bounded).toBe(true)
    expect(E.isRight(endless) && endless.right.bounded).toBe(false)
  })
})
