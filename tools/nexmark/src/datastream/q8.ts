/**
 * Nexmark q8 in the DataStream API: monitor new users.
 *
 * @packageDocumentation
 */
import {
  KeyedCoProcessFunction,
  MapStateDescriptor,
  TimeWindow,
  type Collector,
  type DataStream,
  type MapState,
  type RuntimeContext,
  type StreamExecutionEnvironment,
} from '@strom/datastream'
import type { Auction, NexmarkEvent, Person } from '../generator/events.js'

/**
 * A row of q8: `id, name` of a person and the start of the 10 s window in which they joined and
 * sold.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q8Row = readonly [id: number, name: string, starttime: number]

/** The window size, ms. */
const SIZE = 10_000

/** What one key (person id = seller) has in one window. */
interface Q8Window {
  /** The distinct names of the persons with this id in the window. */
  names: string[]
  /** Whether the id sold something in the window. */
  sold: boolean
}

/**
 * q8's tumbling-window join of persons (first input) and auctions (second input), keyed by person
 * id = seller: per key and 10 s window it keeps the person's names and whether an auction was
 * seen, emits a row as soon as both are there (once per distinct name), and clears the window
 * when the watermark passes its end.
 *
 * @remarks
 * This is the SQL's window join of `GROUP BY id, name, window` and `GROUP BY seller, window`
 * without buffering the auctions: an auction costs one map-state read once its window has an
 * entry, and allocates nothing. Rows come out early (when the pair is complete, not when the
 * window ends), which does not change the append-only result.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class Q8JoinFunction extends KeyedCoProcessFunction<number, Person, Auction, Q8Row> {
  private windows!: MapState<number, Q8Window>

  override open(ctx: RuntimeContext): void {
    this.windows = ctx.getMapState(new MapStateDescriptor<number, Q8Window>('windows'))
  }

  processElement1(p: Person, ctx: KeyedCoProcessFunction.Context<number>, out: Collector<Q8Row>): void {
    const start = TimeWindow.getWindowStartWithOffset(p.dateTime, 0, SIZE)
    let w = this.windows.get(start)
    if (w === undefined) {
      w = { names: [], sold: false }
      ctx.timerService().registerEventTimeTimer(start + SIZE - 1)
    }
    if (!w.names.includes(p.name)) {
      w.names.push(p.name)
      if (w.sold) out.collect([p.id, p.name, start])
    }
    this.windows.put(start, w)
  }

  processElement2(a: Auction, ctx: KeyedCoProcessFunction.Context<number>, out: Collector<Q8Row>): void {
    const start = TimeWindow.getWindowStartWithOffset(a.dateTime, 0, SIZE)
    const w = this.windows.get(start)
    if (w === undefined) {
      this.windows.put(start, { names: [], sold: true })
      ctx.timerService().registerEventTimeTimer(start + SIZE - 1)
    } else if (!w.sold) {
      w.sold = true
      for (const name of w.names) out.collect([a.seller, name, start])
      this.windows.put(start, w)
    }
  }

  override onTimer(timestamp: number, _ctx: KeyedCoProcessFunction.OnTimerContext<number>, _out: Collector<Q8Row>): void {
    this.windows.remove(timestamp + 1 - SIZE)
  }
}

/**
 * Nexmark q8, monitor new users: persons who created an auction in the same 10 s tumbling window
 * in which they joined (`SELECT P.id, P.name, P.starttime FROM (… TUMBLE(person, 10 s) GROUP BY
 * id, name, window) P JOIN (… TUMBLE(auction, 10 s) GROUP BY seller, window) A ON P.id = A.seller
 * AND P.starttime = A.starttime AND P.endtime = A.endtime`).
 *
 * @remarks
 * Persons and auctions, connected and keyed by person id / seller, meet in
 * {@link Q8JoinFunction}. Append-only: one row per (person, window) with an auction.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q8 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q8Row> => {
  const persons = events
    .flatMap<Person>((e, out) => {
      if (e.type === 'person') out.collect(e.person)
    })
    .name('q8: persons')
  const auctions = events
    .flatMap<Auction>((e, out) => {
      if (e.type === 'auction') out.collect(e.auction)
    })
    .name('q8: auctions')
  return persons
    .connect(auctions)
    .keyBy(
      (p) => p.id,
      (a) => a.seller,
    )
    .process(new Q8JoinFunction())
    .name('q8: join persons and sellers per window')
    .uid('q8-join')
}
