import { describe, expect, it } from 'vitest'
import { ConfigError, UserFunctionError, WatermarkStrategy, executeJob } from '@strom/runtime'
import { ProcessFunction } from '@strom/process'
import type { Collector } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import { AsyncDataStream } from './async-data-stream.js'
import type { AsyncFunction, ResultFuture } from './async-function.js'
import { AsyncRetryStrategies } from './async-retry-strategy.js'
import { AsyncTimeoutError } from './async-timeout-error.js'
import { CustomerDb, CustomerLookup, enrichOrders, enrichOrdersUnordered, type EnrichedOrder, type Order } from './async-io.example.js'
import { customerNames, enrichOnWorkers, enrichedSink, orders } from './async-jobs.fixture.js'

const expectedEnriched = (n: number, customers: number): EnrichedOrder[] =>
  orders(n, customers).map((o) => ({ ...o, customer: customerNames(customers).get(o.customerId) ?? 'unknown' }))

const byId = (a: { id: number }, b: { id: number }) => a.id - b.id

const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Calls that wait until the test releases them; counts what passed and what is in flight. */
class Gate {
  readonly waiting: (() => void)[] = []
  inFlight = 0
  maxInFlight = 0

  call = (x: number): Promise<number> =>
    new Promise((resolve) => {
      this.inFlight++
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
      this.waiting.push(() => {
        this.inFlight--
        resolve(x * 10)
      })
    })

  releaseAll(): void {
    for (const r of this.waiting.splice(0)) r()
  }
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 10_000; i++) {
    if (cond()) return
    await turn()
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('AsyncDataStream', () => {
  it('enriches orders from an in-memory database with random latency, in input order', async () => {
    const env = StreamExecutionEnvironment.create()
    const db = new CustomerDb(customerNames(40))
    const out = await enrichOrders(env.fromCollection(orders(300, 40)), db).executeAndCollect()
    expect(out).toEqual(expectedEnriched(300, 40))
    expect(db.queries).toBe(300)
    expect(db.maxInFlight).toBeGreaterThan(1)
    expect(db.maxInFlight).toBeLessThanOrEqual(20)
  })

  it('unordered, with a rich function per subtask at parallelism 2 in one thread: every result, none lost at the end', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const dbs: CustomerDb[] = []
    const lookup = new CustomerLookup((subtask) => {
      const db = new CustomerDb(customerNames(25))
      dbs[subtask] = db
      return db
    })
    const out = await enrichOrdersUnordered(env.fromCollection(orders(400, 25)), lookup).executeAndCollect()
    expect(out.sort(byId)).toEqual(expectedEnriched(400, 25))
    expect(dbs).toHaveLength(2)
    expect(dbs[0]!.queries + dbs[1]!.queries).toBe(400)
    expect(Math.max(dbs[0]!.maxInFlight, dbs[1]!.maxInFlight)).toBeLessThanOrEqual(50)
  })

  it('runs ordered and unordered on two worker threads, waiting for every call at the end of input', async () => {
    for (const ordered of [true, false]) {
      enrichedSink.clear()
      const result = await executeJob(enrichOnWorkers, { n: 500, customers: 30, ordered }).result
      expect(result.status).toBe('FINISHED')
      expect([...enrichedSink.values].sort(byId)).toEqual(expectedEnriched(500, 30))
      expect(enrichedSink.finishedSubtasks.size).toBe(2)
    }
  }, 60_000)

  for (const network of [false, true])
    it(`backpressures the input when capacity calls are in flight (${network ? 'behind a network edge' : 'chained to the source'})`, async () => {
      const n = 5_000
      const env = StreamExecutionEnvironment.create({ batchSize: 16, channelCredits: 2 })
      let produced = 0
      const gate = new Gate()
      const counted = env.fromSequence(1, n).map((x) => {
        produced++
        return x
      })
      // disableChaining: the map runs in a task of its own, so the async operator reads a network edge
      const results = AsyncDataStream.unorderedWait(network ? counted.disableChaining() : counted, gate.call, 0, 4).executeAndCollect()
      await until(() => gate.inFlight === 4, 'four calls in flight')
      for (let i = 0; i < 50; i++) await turn()
      // the task stopped taking input: no fifth call, and the source was not read past the poll
      // under way (a collection source emits up to 1024 records per poll) and the channel credits
      expect(gate.inFlight).toBe(4)
      expect(produced).toBeLessThanOrEqual(network ? 1_024 + 16 * 4 : 1_024)
      let done = false
      void results.finally(() => (done = true))
      while (!done) {
        gate.releaseAll()
        await turn()
      }
      const out = await results
      expect(out.sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => (i + 1) * 10))
      expect(gate.maxInFlight).toBe(4)
      expect(produced).toBe(n)
    })

  it('unordered keeps every result behind the watermark of its input: nothing is late downstream', async () => {
    const env = StreamExecutionEnvironment.create({ autoWatermarkInterval: 1 })
    const db = new CustomerDb(customerNames(10), 2)
    const source = env
      .fromCollection(orders(600, 10))
      .assignTimestampsAndWatermarks(WatermarkStrategy.forMonotonousTimestamps<Order>().withTimestampAssigner((o) => o.id))
    class LateCheck extends ProcessFunction<EnrichedOrder, string> {
      processElement(o: EnrichedOrder, ctx: ProcessFunction.Context, out: Collector<string>): void {
        const wm = ctx.timerService().currentWatermark()
        out.collect(ctx.timestamp() > wm ? 'on time' : `late: ${o.id} at ${ctx.timestamp()} behind ${wm}`)
      }
    }
    const lookup = new CustomerLookup(() => db)
    const out = await AsyncDataStream.unorderedWait(source, lookup, 0, 30).process(new LateCheck()).executeAndCollect()
    expect(out).toHaveLength(600)
    expect(out.filter((s) => s !== 'on time')).toEqual([])
  })

  it('fails the job with an error naming the operator, subtask and timeout when a call never completes', async () => {
    const env = StreamExecutionEnvironment.create()
    const never: AsyncFunction<number, number> = {
      asyncInvoke: (x, rf) => {
        if (x !== 3) rf.complete([x])
      },
    }
    const job = AsyncDataStream.orderedWait(env.fromElements(1, 2, 3, 4), never, 30).name('slow lookup').executeAndCollect()
    const error: unknown = await job.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UserFunctionError)
    expect((error as Error).message).toBe(
      "Operator 'slow lookup' (subtask 1/1) failed: the async call for input 3 timed out after 30 ms and no timeout() completed it.",
    )
    expect((error as Error).cause).toBeInstanceOf(AsyncTimeoutError)
  })

  it('completes timed-out calls with the fallback of an overridden timeout()', async () => {
    const env = StreamExecutionEnvironment.create()
    class Fallback implements AsyncFunction<number, string> {
      asyncInvoke(x: number, rf: ResultFuture<string>): void {
        if (x % 2 === 0) void Promise.resolve().then(() => rf.complete([`found ${x}`])) // odd ones never answer
      }
      timeout(x: number, rf: ResultFuture<string>): void {
        rf.complete([`default ${x}`])
      }
    }
    const out = await AsyncDataStream.orderedWait(env.fromElements(1, 2, 3, 4), new Fallback(), 20, 2).executeAndCollect()
    expect(out).toEqual(['default 1', 'found 2', 'default 3', 'found 4'])
  })

  it('fails the job when a lookup rejects, naming the operator and the input', async () => {
    const env = StreamExecutionEnvironment.create()
    const job = AsyncDataStream.unorderedWait(
      env.fromElements({ id: 1 }, { id: 2 }),
      async (r: { id: number }) => {
        if (r.id === 2) throw new Error('row locked')
        return r.id
      },
      1_000,
    ).executeAndCollect()
    await expect(job).rejects.toThrow(`Operator 'Async Wait' (subtask 1/1) failed: the async call for input {"id":2} failed: Error: row locked.`)
  })

  it('retries calls that fail now and then, in a job', async () => {
    const env = StreamExecutionEnvironment.create()
    const attempts = new Map<number, number>()
    const flaky = async (x: number): Promise<number> => {
      const n = (attempts.get(x) ?? 0) + 1
      attempts.set(x, n)
      await new Promise((resolve) => setTimeout(resolve, x % 2))
      if (n < 1 + (x % 3)) throw new Error(`busy (${x}, attempt ${n})`)
      return x * 2
    }
    const out = await AsyncDataStream.orderedWaitWithRetry(
      env.fromSequence(1, 60),
      flaky,
      5_000,
      8,
      AsyncRetryStrategies.fixedDelay(3, 1),
    ).executeAndCollect()
    expect(out).toEqual(Array.from({ length: 60 }, (_, i) => (i + 1) * 2))
    expect(Math.max(...attempts.values())).toBe(3)
  })

  it('checks capacity and timeout when the program is built', () => {
    const env = StreamExecutionEnvironment.create()
    const s = env.fromElements(1)
    expect(() => AsyncDataStream.orderedWait(s, async (x: number) => x, 10, 0)).toThrow(ConfigError)
    expect(() => AsyncDataStream.unorderedWait(s, async (x: number) => x, -5)).toThrow(
      'The timeout of an async operator must be a number of milliseconds >= 0 (0 for none), got -5.',
    )
  })
})
