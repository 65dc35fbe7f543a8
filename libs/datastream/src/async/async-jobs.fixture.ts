// Async I/O jobs for the worker-thread tests: each worker imports this module and builds the same
// program, so it only defines jobs and their sinks at top level.
import { CollectSink } from '@strom/runtime'
import { defineStreamJob } from '../environment/define-stream-job.js'
import { AsyncDataStream } from './async-data-stream.js'
import type { EnrichedOrder, Order } from './async-io.example.js'
import { CustomerDb, CustomerLookup, enrichOrders } from './async-io.example.js'

/** Where the worker jobs' results arrive on the main thread. */
export const enrichedSink = new CollectSink<EnrichedOrder>()

export const customerNames = (customers: number): Map<number, string> =>
  new Map(Array.from({ length: customers }, (_, i) => [i, `customer-${i}`]))

export const orders = (n: number, customers: number): Order[] =>
  Array.from({ length: n }, (_, i) => ({ id: i, customerId: (i * 7) % (customers + 3) }))

export interface AsyncJobParams {
  readonly n: number
  readonly customers: number
  readonly ordered: boolean
}

/** orders (parallelism 2) -> async lookup against a per-worker in-memory db -> collect. */
export const enrichOnWorkers = defineStreamJob(
  import.meta.url,
  'enrich-on-workers',
  (env, p: AsyncJobParams) => {
    const source = env.fromCollection(orders(p.n, p.customers))
    const enriched = p.ordered
      ? enrichOrders(source, new CustomerDb(customerNames(p.customers), 2))
      : AsyncDataStream.unorderedWait(source, new CustomerLookup(() => new CustomerDb(customerNames(p.customers), 2)), 5_000, 7)
    enriched.sinkTo(enrichedSink)
  },
  { parallelism: 2 },
)
