// Async I/O examples; the docs include their regions, and async-data-stream.spec.ts runs them.
import type { RuntimeContext } from '@strom/process'
import type { DataStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import { AsyncDataStream } from './async-data-stream.js'
import { RichAsyncFunction, type ResultFuture } from './async-function.js'

/** An order to enrich. */
export interface Order {
  readonly id: number
  readonly customerId: number
}

/** An order with its customer's name. */
export interface EnrichedOrder extends Order {
  readonly customer: string
}

/**
 * An in-memory "database" behind an asynchronous client, with a random latency per query (as a
 * real driver would have); it counts the queries in flight.
 */
export class CustomerDb {
  inFlight = 0
  maxInFlight = 0
  queries = 0

  constructor(
    private readonly names: ReadonlyMap<number, string>,
    private readonly maxLatencyMs = 3,
  ) {}

  findName(customerId: number): Promise<string | undefined> {
    this.queries++
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    return new Promise((resolve) =>
      setTimeout(
        () => {
          this.inFlight--
          resolve(this.names.get(customerId))
        },
        Math.floor(Math.random() * (this.maxLatencyMs + 1)),
      ),
    )
  }
}

// #region lookup
/** Adds the customer's name to each order: up to 20 queries in flight, 1 s timeout, input order. */
export const enrichOrders = (orders: DataStream<Order>, db: CustomerDb): SingleOutputStreamOperator<EnrichedOrder> =>
  AsyncDataStream.orderedWait(
    orders,
    async (o: Order) => ({ ...o, customer: (await db.findName(o.customerId)) ?? 'unknown' }),
    1_000,
    20,
  ).name('enrich orders')
// #endregion lookup

// #region rich
/**
 * The same lookup as a rich function: a client per subtask, opened and closed with it, and a
 * fallback for calls that time out instead of failing the job.
 */
export class CustomerLookup extends RichAsyncFunction<Order, EnrichedOrder> {
  private client: CustomerDb | undefined

  constructor(private readonly connect: (subtask: number) => CustomerDb) {
    super()
  }

  override open(ctx: RuntimeContext): void {
    this.client = this.connect(ctx.getIndexOfThisSubtask())
  }

  asyncInvoke(order: Order, result: ResultFuture<EnrichedOrder>): void {
    this.client!.findName(order.customerId).then(
      (name) => result.complete([{ ...order, customer: name ?? 'unknown' }]),
      (err: unknown) => result.completeExceptionally(err),
    )
  }

  override timeout(order: Order, result: ResultFuture<EnrichedOrder>): void {
    result.complete([{ ...order, customer: 'timed out' }])
  }
}

/** Emits each enriched order as soon as its query answers (watermarks still hold their place). */
export const enrichOrdersUnordered = (orders: DataStream<Order>, lookup: CustomerLookup): SingleOutputStreamOperator<EnrichedOrder> =>
  AsyncDataStream.unorderedWait(orders, lookup, 500, 50)
// #endregion rich
