/**
 * Nexmark q3 in the DataStream API: local item suggestion (a regular join).
 *
 * @packageDocumentation
 */
import {
  KeyedCoProcessFunction,
  ValueStateDescriptor,
  type Collector,
  type DataStream,
  type RuntimeContext,
  type StreamExecutionEnvironment,
  type ValueState,
} from '@strom/datastream'
import type { Auction, NexmarkEvent, Person } from '../generator/events.js'

/**
 * A row of q3: `name, city, state` of the seller and the `id` of the auction.
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export type Q3Row = readonly [name: string, city: string, state: string, id: number]

/** Whether a person is in one of q3's states. */
const inQ3States = (p: Person): boolean => p.state === 'OR' || p.state === 'ID' || p.state === 'CA'

/**
 * q3's join of persons (first input) and category-10 auctions (second input), keyed by person id
 * = seller.
 *
 * @remarks
 * Per person id it keeps the person if it is in OR, ID or CA, or `false` if it is not (so the
 * person's later auctions are dropped at once instead of waiting), and the ids of auctions that
 * came before their seller (from another source subtask, or a seller id the generator hands out
 * before the person exists). A regular join, like the SQL: time plays no part and the state is
 * never cleared. Person ids are unique in Nexmark (one person event per id).
 *
 * @category DataStream queries
 * @since 0.1.0
 */
export class Q3JoinFunction extends KeyedCoProcessFunction<number, Person, Auction, Q3Row> {
  private person!: ValueState<Person | false>
  private waiting!: ValueState<number[]>

  override open(ctx: RuntimeContext): void {
    this.person = ctx.getState(new ValueStateDescriptor<Person | false>('person'))
    this.waiting = ctx.getState(new ValueStateDescriptor<number[]>('auctions-before-seller'))
  }

  processElement1(p: Person, _ctx: KeyedCoProcessFunction.Context<number>, out: Collector<Q3Row>): void {
    const matches = inQ3States(p)
    this.person.update(matches ? p : false)
    const waiting = this.waiting.value()
    if (waiting === undefined) return
    if (matches) for (const id of waiting) out.collect([p.name, p.city, p.state, id])
    this.waiting.clear()
  }

  processElement2(a: Auction, _ctx: KeyedCoProcessFunction.Context<number>, out: Collector<Q3Row>): void {
    const p = this.person.value()
    if (p === undefined) {
      const waiting = this.waiting.value()
      if (waiting === undefined) this.waiting.update([a.id])
      else {
        waiting.push(a.id)
        this.waiting.update(waiting)
      }
    } else if (p !== false) out.collect([p.name, p.city, p.state, a.id])
  }
}

/**
 * Nexmark q3, local item suggestion: who is selling in OR, ID or CA in category 10, and which
 * auctions (`SELECT P.name, P.city, P.state, A.id FROM auction A JOIN person P ON A.seller = P.id
 * WHERE A.category = 10 AND P.state IN ('OR', 'ID', 'CA')`).
 *
 * @remarks
 * Persons and category-10 auctions are connected and keyed by person id / seller, and joined by
 * {@link Q3JoinFunction}. Append-only: one row per matching (auction, seller) pair, emitted when
 * the second of the two arrives.
 *
 * @param _env - the environment (unused; every query takes it)
 * @param events - the Nexmark events, with timestamps and watermarks
 * @category DataStream queries
 * @since 0.1.0
 */
export const q3 = (_env: StreamExecutionEnvironment, events: DataStream<NexmarkEvent>): DataStream<Q3Row> => {
  const persons = events
    .flatMap<Person>((e, out) => {
      if (e.type === 'person') out.collect(e.person)
    })
    .name('q3: persons')
  const auctions = events
    .flatMap<Auction>((e, out) => {
      if (e.type === 'auction' && e.auction.category === 10) out.collect(e.auction)
    })
    .name('q3: auctions of category 10')
  return persons
    .connect(auctions)
    .keyBy(
      (p) => p.id,
      (a) => a.seller,
    )
    .process(new Q3JoinFunction())
    .name('q3: join sellers')
    .uid('q3-join')
}
