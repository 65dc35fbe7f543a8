/**
 * The `nexmark` table connector: the Nexmark generator as a table with the reference's columns
 * (`event_type INT, person ROW<…>, auction ROW<…>, bid ROW<…>`) and options.
 *
 * @remarks
 * Options (the reference's `NexmarkSourceOptions`):
 *
 * | Option | Default | Meaning |
 * | --- | --- | --- |
 * | `first-event.rate` | `10000` | events per second of event time (sets the timestamps) |
 * | `next-event.rate` | `10000` | accepted; unused, as in the reference generator |
 * | `rate.shape`, `rate.period` | `SQUARE`, `600 s` | accepted; unused, as in the reference generator |
 * | `rate.limited` | `false` | emit at `first-event.rate` events/s of wall time instead of as fast as possible |
 * | `max-emit-speed` | `true` | `false` has the same effect as `rate.limited = true` |
 * | `events.num` | `0` (endless) | the number of events; the source ends after them |
 * | `person.proportion`, `auction.proportion`, `bid.proportion` | `1`, `3`, `46` | the event mix |
 * | `bid.hot-ratio.auctions`, `bid.hot-ratio.bidders`, `auction.hot-ratio.sellers` | `2`, `4`, `4` | hot-item ratios |
 * | `person.avg-size`, `auction.avg-size`, `bid.avg-size` | `200b`, `500b`, `100b` | average sizes (the `extra` padding) |
 * | `base-time` | `1436918400000` (2015-07-15) | event time of the first event, epoch ms (deterministic, unlike the reference's wall clock) |
 * | `wall-clock-time` | `false` | Strom's: stamp events with the wall-clock time they are generated at (latency runs) |
 *
 * Rows: `event_type` 0 person, 1 auction, 2 bid; the other two ROW columns are `NULL`. The ROW
 * columns may declare any of their kind's fields in any order (the bid ROW of Nexmark 0.2's DDL adds
 * `channel` and `url`); an unknown field is an error naming it. ROW values
 * are arrays of their fields in declared order, `TIMESTAMP(3)` values epoch ms. Insert-only.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { DataGenSource, type Source } from '@strom/runtime'
import { ChangelogModes, OptionReader, RowKind, unsupportedOptionMessage, type ConnectorContext, type OptionProblem, type Row, type ScanTableSource, type TableConnectorFactory } from '@strom/table'
import type { NexmarkEvent } from './generator/events.js'
import { DEFAULT_NEXMARK_CONFIG, nexmarkConfig, type NexmarkConfig } from './generator/generator-config.js'
import { NexmarkGenerator } from './generator/nexmark-generator.js'

const IDENTIFIER = 'nexmark'

const OPTIONS = [
  'rate.shape',
  'rate.period',
  'rate.limited',
  'first-event.rate',
  'next-event.rate',
  'person.avg-size',
  'auction.avg-size',
  'bid.avg-size',
  'person.proportion',
  'auction.proportion',
  'bid.proportion',
  'bid.hot-ratio.auctions',
  'bid.hot-ratio.bidders',
  'auction.hot-ratio.sellers',
  'events.num',
  'max-emit-speed',
  'base-time',
  'wall-clock-time',
] as const

const COLUMNS = ['event_type', 'person', 'auction', 'bid'] as const

/** The fields each event ROW may declare, by event kind (lower-case names). */
const EVENT_FIELDS = {
  person: ['id', 'name', 'emailAddress', 'creditCard', 'city', 'state', 'dateTime', 'extra'],
  auction: ['id', 'itemName', 'description', 'initialBid', 'reserve', 'dateTime', 'expires', 'seller', 'category', 'extra'],
  bid: ['auction', 'bidder', 'price', 'channel', 'url', 'dateTime', 'extra'],
} as const

/** The event fields a table's `person`, `auction` and `bid` ROW columns declare, in declared order. */
export interface NexmarkRowLayout {
  readonly person: readonly string[]
  readonly auction: readonly string[]
  readonly bid: readonly string[]
}

/** The layout of the original Nexmark DDL (`ddl.sql`: bids without `channel` and `url`). */
const CLASSIC_LAYOUT: NexmarkRowLayout = { person: EVENT_FIELDS.person, auction: EVENT_FIELDS.auction, bid: ['auction', 'bidder', 'price', 'dateTime', 'extra'] }

/**
 * A converter from events to rows `[event_type, person, auction, bid]` for a layout, compiled to
 * straight-line code (one array literal per event kind, no per-field closures: it runs for every
 * event). Field names come from the checked layout, never from user text.
 */
export const eventToRowOf = (layout: NexmarkRowLayout): ((e: NexmarkEvent) => Row) => {
  const fields = (kind: keyof NexmarkRowLayout, v: string): string => `[${layout[kind].map((f) => `${v}.${f}`).join(', ')}]`
  const body = `return (e) => {
  if (e.type === 'bid') { const b = e.bid; return { kind: INSERT, fields: [2, null, null, ${fields('bid', 'b')}] } }
  if (e.type === 'auction') { const a = e.auction; return { kind: INSERT, fields: [1, null, ${fields('auction', 'a')}, null] } }
  const p = e.person; return { kind: INSERT, fields: [0, ${fields('person', 'p')}, null, null] }
}`
  return new Function('INSERT', body)(RowKind.INSERT) as (e: NexmarkEvent) => Row
}

/** The row of an event in the original Nexmark DDL's layout (bids without `channel` and `url`). */
export const eventToRow: (e: NexmarkEvent) => Row = eventToRowOf(CLASSIC_LAYOUT)

/** The layout declared by a table's ROW columns, or a problem naming the unknown fields. */
const layoutOf = (ctx: ConnectorContext, r: OptionReader): NexmarkRowLayout => {
  const layout: Record<string, string[]> = {}
  for (const kind of ['person', 'auction', 'bid'] as const) {
    const column = ctx.columns.find((c) => c.name.toLowerCase() === kind)
    const known: readonly string[] = EVENT_FIELDS[kind]
    if (column === undefined || column.type.kind !== 'ROW') {
      layout[kind] = [...CLASSIC_LAYOUT[kind]]
      if (column !== undefined) r.problem(undefined, `The nexmark column '${column.name}' must be a ROW of ${kind} fields (${known.join(', ')}).`)
      continue
    }
    layout[kind] = column.type.fields.map((f) => {
      const name = known.find((k) => k.toLowerCase() === f.name.toLowerCase())
      if (name === undefined) r.problem(undefined, `The nexmark column '${column.name}' declares the field '${f.name}', which a ${kind} does not have (it has ${known.join(', ')}).`)
      return name ?? 'dateTime'
    })
  }
  return layout as unknown as NexmarkRowLayout
}

/** Reads and checks the options and the schema. */
const plan = (ctx: ConnectorContext): E.Either<readonly OptionProblem[], { config: NexmarkConfig; rate: number | undefined; layout: NexmarkRowLayout }> => {
  const r = new OptionReader(IDENTIFIER, ctx.options)
  const known = ['connector', ...OPTIONS]
  for (const key of ctx.options.keys()) if (!known.includes(key)) r.problem(key, unsupportedOptionMessage(key, IDENTIFIER, known))
  const names = ctx.columns.map((c) => c.name.toLowerCase())
  if (names.length !== COLUMNS.length || names.some((n, i) => n !== COLUMNS[i]) || ctx.metadataColumns.length > 0) {
    r.problem(undefined, `The nexmark source table '${ctx.tableName}' must have the physical columns ${COLUMNS.join(', ')} (as the Nexmark DDL), but has ${ctx.columns.map((c) => c.name).join(', ')}${ctx.metadataColumns.length > 0 ? ' and metadata columns' : ''}.`)
  }
  const d = DEFAULT_NEXMARK_CONFIG
  r.oneOf('rate.shape', ['SQUARE', 'SINE'], 'SQUARE')
  r.duration('rate.period', 600_000)
  const limited = r.boolean('rate.limited', false) ?? false
  const maxEmitSpeed = r.boolean('max-emit-speed', true) ?? true
  const overrides: Partial<Record<keyof NexmarkConfig, number | undefined>> = {
    firstEventRate: r.int('first-event.rate', d.firstEventRate, 1),
    nextEventRate: r.int('next-event.rate', d.nextEventRate, 1),
    avgPersonByteSize: r.memorySize('person.avg-size', d.avgPersonByteSize),
    avgAuctionByteSize: r.memorySize('auction.avg-size', d.avgAuctionByteSize),
    avgBidByteSize: r.memorySize('bid.avg-size', d.avgBidByteSize),
    personProportion: r.int('person.proportion', d.personProportion, 1),
    auctionProportion: r.int('auction.proportion', d.auctionProportion, 1),
    bidProportion: r.int('bid.proportion', d.bidProportion, 1),
    hotAuctionRatio: r.int('bid.hot-ratio.auctions', d.hotAuctionRatio, 1),
    hotBiddersRatio: r.int('bid.hot-ratio.bidders', d.hotBiddersRatio, 1),
    hotSellersRatio: r.int('auction.hot-ratio.sellers', d.hotSellersRatio, 1),
    numEvents: r.long('events.num', d.numEvents, 0),
    baseTime: r.long('base-time', d.baseTime),
  }
  const wallClockTime = r.boolean('wall-clock-time', false) ?? false
  const config = { ...d, wallClockTime }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) (config as unknown as Record<string, number>)[k] = v
  const checked = nexmarkConfig(config)
  if (E.isLeft(checked)) for (const m of checked.left) r.problem(undefined, m)
  const layout = layoutOf(ctx, r)
  return r.result(() => ({ config, rate: limited || !maxEmitSpeed ? config.firstEventRate : undefined, layout }))
}

/**
 * The `nexmark` table connector factory (the reference's `NexmarkTableSourceFactory`); see the
 * module documentation for its options.
 *
 * @remarks
 * Event `n` of the table is the generator's event number `n`, whatever the parallelism: subtasks
 * generate contiguous ranges of event numbers. The computed `dateTime` column and the watermark
 * of the Nexmark DDL are the planner's.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const nexmarkConnector: TableConnectorFactory = {
  identifier: IDENTIFIER,
  requiredOptions: [],
  optionalOptions: [...OPTIONS],
  createScanSource(ctx: ConnectorContext): E.Either<readonly OptionProblem[], ScanTableSource> {
    return E.map(
      ({ config, rate, layout }: { config: NexmarkConfig; rate: number | undefined; layout: NexmarkRowLayout }): ScanTableSource => ({
        changelogMode: ChangelogModes.INSERT_ONLY,
        bounded: config.numEvents > 0,
        createSource: (): Source<Row> => {
          const generator = new NexmarkGenerator(config)
          const toRow = eventToRowOf(layout)
          return DataGenSource.of((n) => toRow(generator.eventAt(n)), {
            ...(config.numEvents > 0 ? { count: config.numEvents } : {}),
            ...(rate === undefined ? {} : { rowsPerSecond: rate }),
          })
        },
      }),
    )(plan(ctx))
  },
}
