import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ConfigError, MAX_WATERMARK, StateError, UserFunctionError } from '@strom/runtime'
import type { CheckpointedFunction, FunctionInitializationContext, FunctionSnapshotContext } from '@strom/runtime'
import { KeyedOneInputStreamOperatorTestHarness, OneInputStreamOperatorTestHarness } from '@strom/runtime/testing'
import type { OperatorHarnessOptions, OperatorSnapshot } from '@strom/runtime/testing'
import type { RuntimeContext } from '@strom/process'
import type { AsyncFunction, ResultFuture } from './async-function.js'
import { RichAsyncFunction } from './async-function.js'
import { AsyncRetryStrategies } from './async-retry-strategy.js'
import { AsyncTimeoutError } from './async-timeout-error.js'
import { AsyncWaitOperator, asyncWaitOperator, type AsyncOutputMode } from './async-wait-operator.js'

/** An async function whose calls the test completes by hand, tracking how many are in flight. */
class ManualCalls<O> implements AsyncFunction<number, O> {
  readonly calls: { input: number; future: ResultFuture<O> }[] = []
  inFlight = 0
  maxInFlight = 0
  started = 0

  asyncInvoke(input: number, future: ResultFuture<O>): void {
    this.started++
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    this.calls.push({ input, future })
  }

  /** Completes the `i`-th call still open. */
  complete(i: number, results: O[]): number {
    const [c] = this.calls.splice(i, 1)
    this.inFlight--
    c!.future.complete(results)
    return c!.input
  }

  /** Completes the open call for `input`. */
  completeInput(input: number, results: O[]): void {
    this.complete(
      this.calls.findIndex((c) => c.input === input),
      results,
    )
  }
}

const harness = <O>(fn: AsyncFunction<number, O>, outputMode: AsyncOutputMode, capacity = 10, timeoutMs = 0) => {
  const h = new OneInputStreamOperatorTestHarness<number, O>(new AsyncWaitOperator(fn, { outputMode, capacity, timeoutMs }), {
    operatorName: 'lookup',
  })
  h.open()
  return h
}

/** What a record of the property tests turns into: none, one or two results. */
const resultsOf = (x: number): number[] => (x % 5 === 0 ? [] : x % 3 === 0 ? [x, -x] : [x])

type Step = { kind: 'record'; value: number } | { kind: 'watermark'; value: number }

/** Records 1..n with watermarks in between: watermark w follows record w/10 - 1. */
const scriptArb = fc
  .array(fc.boolean(), { minLength: 1, maxLength: 40 })
  .map((wmAfter) => {
    const steps: Step[] = []
    wmAfter.forEach((wm, i) => {
      steps.push({ kind: 'record', value: i + 1 })
      if (wm) steps.push({ kind: 'watermark', value: (i + 1) * 10 })
    })
    return steps
  })

/**
 * Drives the operator as a task would: input is taken only while the operator does not suspend
 * it; calls complete in an order the choices pick; at the end, the task drains the operator.
 */
const drive = (mode: AsyncOutputMode, steps: Step[], capacity: number, choices: number[]) => {
  const fn = new ManualCalls<number>()
  const h = harness(fn, mode, capacity)
  let c = 0
  const completeOne = () => {
    const pick = choices[c++ % choices.length]! % fn.calls.length
    fn.complete(pick, resultsOf(fn.calls[pick]!.input))
    h.runMail()
  }
  for (const s of steps) {
    while (h.isInputSuspended()) completeOne()
    if (choices[c++ % choices.length]! % 3 === 0 && fn.calls.length > 0) completeOne()
    if (s.kind === 'record') h.processElement(s.value, s.value)
    else h.processWatermark(s.value)
  }
  h.endInput()
  while (h.hasPendingWork()) completeOne()
  expect(fn.calls).toHaveLength(0)
  expect(fn.maxInFlight).toBeLessThanOrEqual(capacity)
  return h.getOutput()
}

/** Every watermark comes after the results of the records before it and before the others. */
const checkWatermarks = (steps: Step[], out: ReturnType<typeof drive>) => {
  const wms = out.flatMap((e) => (e.kind === 'watermark' ? [e.watermark] : []))
  expect(wms.at(-1)).toBe(MAX_WATERMARK)
  expect([...wms].sort((a, b) => a - b)).toEqual(wms)
  const seen = new Set<number>()
  for (const e of out) {
    if (e.kind === 'record') seen.add(Math.abs(e.value))
    else if (e.kind === 'watermark' && e.watermark !== MAX_WATERMARK) {
      // records before watermark w are 1 .. w/10 (those with results)
      const before = steps.filter((s) => s.kind === 'record' && s.value * 10 <= e.watermark && resultsOf(s.value).length > 0)
      expect(before.every((s) => seen.has(s.value))).toBe(true)
      expect([...seen].every((v) => v * 10 <= e.watermark)).toBe(true)
    }
  }
}

describe('AsyncWaitOperator', () => {
  it('ordered: emits results in input order whatever order the calls complete in', () => {
    fc.assert(
      fc.property(scriptArb, fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }), (steps, capacity, choices) => {
        const out = drive('ordered', steps, capacity, choices)
        const records = out.flatMap((e) => (e.kind === 'record' ? [e.value] : []))
        const expected = steps.flatMap((s) => (s.kind === 'record' ? resultsOf(s.value) : []))
        expect(records).toEqual(expected)
        checkWatermarks(steps, out)
        // results keep the input's timestamp
        for (const e of out) if (e.kind === 'record') expect(e.timestamp).toBe(Math.abs(e.value))
      }),
      { numRuns: 300 },
    )
  })

  it('unordered: emits every result, never across a watermark', () => {
    fc.assert(
      fc.property(scriptArb, fc.integer({ min: 1, max: 8 }), fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }), (steps, capacity, choices) => {
        const out = drive('unordered', steps, capacity, choices)
        const records = out.flatMap((e) => (e.kind === 'record' ? [e.value] : []))
        const expected = steps.flatMap((s) => (s.kind === 'record' ? resultsOf(s.value) : []))
        expect([...records].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b))
        checkWatermarks(steps, out)
      }),
      { numRuns: 300 },
    )
  })

  it('unordered: emits a result as soon as its call completes, within the first segment', () => {
    const fn = new ManualCalls<string>()
    const h = harness(fn, 'unordered')
    h.processElements([1, 2, 3])
    h.processWatermark(10)
    h.processElements([4, 5])
    fn.completeInput(3, ['c'])
    h.runMail()
    expect(h.getOutput()).toEqual([{ kind: 'record', value: 'c', timestamp: Number.NaN }])
    fn.completeInput(5, ['e']) // after the watermark: waits for 1 and 2
    h.runMail()
    expect(h.extractOutputValues()).toEqual(['c'])
    fn.completeInput(1, ['a'])
    fn.completeInput(2, ['b'])
    h.runMail()
    expect(h.getOutput().map((e) => (e.kind === 'record' ? e.value : e.kind === 'watermark' ? e.watermark : e.kind))).toEqual([
      'c',
      'a',
      'b',
      10,
      'e',
    ])
    fn.completeInput(4, ['d'])
    h.runMail()
    expect(h.extractOutputValues()).toEqual(['c', 'a', 'b', 'e', 'd'])
    expect(h.hasPendingWork()).toBe(false)
  })

  it('ordered: holds a watermark behind the records before it, and forwards it at once when empty', () => {
    const fn = new ManualCalls<string>()
    const h = harness(fn, 'ordered')
    h.processWatermark(5)
    expect(h.getWatermarks()).toEqual([5])
    h.processElement(1, 7)
    h.processWatermark(8)
    h.processWatermark(9) // replaces 8: nothing lies between them
    h.processElement(2, 10)
    fn.completeInput(2, ['b'])
    h.runMail()
    expect(h.getWatermarks()).toEqual([5])
    fn.completeInput(1, ['a'])
    h.runMail()
    expect(h.getOutput()).toEqual([
      { kind: 'watermark', watermark: 5 },
      { kind: 'record', value: 'a', timestamp: 7 },
      { kind: 'watermark', watermark: 9 },
      { kind: 'record', value: 'b', timestamp: 10 },
    ])
  })

  it('never has more than capacity calls in flight: records beyond it wait and the input is suspended', () => {
    const fn = new ManualCalls<number>()
    const h = harness(fn, 'ordered', 2)
    h.processElement(1)
    expect(h.isInputSuspended()).toBe(false)
    h.processElement(2)
    expect(h.isInputSuspended()).toBe(true)
    // the rest of a batch still arrives: buffered, calls not started
    h.processElements([3, 4, 5])
    h.processWatermark(50)
    expect(fn.started).toBe(2)
    expect(h.metrics.snapshot()).toMatchObject({ 'test-job.lookup.0.asyncQueueSize': 2, 'test-job.lookup.0.asyncBufferedRecords': 4 })
    fn.completeInput(2, [2])
    h.runMail()
    expect(fn.started).toBe(2) // 2 waits for 1 (ordered), so the queue is still full
    fn.completeInput(1, [1])
    h.runMail()
    expect(fn.started).toBe(4)
    expect(h.extractOutputValues()).toEqual([1, 2])
    expect(h.isInputSuspended()).toBe(true)
    fn.completeInput(3, [3])
    fn.completeInput(4, [4])
    h.runMail()
    expect(fn.started).toBe(5)
    expect(h.isInputSuspended()).toBe(false) // buffer empty, room for one more
    fn.completeInput(5, [5])
    h.runMail()
    expect(h.getOutput().map((e) => (e.kind === 'record' ? e.value : e.kind === 'watermark' ? `wm${e.watermark}` : e.kind))).toEqual([
      1, 2, 3, 4, 5, 'wm50',
    ])
    expect(fn.maxInFlight).toBe(2)
    expect(h.hasPendingWork()).toBe(false)
  })

  it('emits completions of one burst in one mail, and completions made inside asyncInvoke too', () => {
    const fn: AsyncFunction<number, number> = { asyncInvoke: (x, rf) => rf.complete([x * 2]) }
    const h = harness(fn, 'unordered')
    h.processElement(1)
    expect(h.extractOutputValues()).toEqual([2]) // the mail ran after the call, as a task runs it after the batch
    const slow = new ManualCalls<number>()
    const h2 = harness(slow, 'ordered')
    h2.processElements([1, 2, 3])
    slow.completeInput(3, [3])
    slow.completeInput(2, [2])
    expect(h2.numPendingMail()).toBe(0) // not the head: nothing can be emitted yet
    slow.completeInput(1, [1])
    expect(h2.numPendingMail()).toBe(1)
    h2.runMail()
    expect(h2.extractOutputValues()).toEqual([1, 2, 3])
  })

  it('fails with a named error when a call times out and the function has no timeout handler', () => {
    const fn = new ManualCalls<number>()
    const h = harness(fn, 'ordered', 10, 100)
    h.processElement(7, 1)
    h.setProcessingTime(50)
    h.processElement(8, 2)
    h.setProcessingTime(99)
    expect(() => h.setProcessingTime(100)).toThrow('the async call for input 7 timed out after 100 ms')
    const h2 = harness(new ManualCalls<number>(), 'unordered', 10, 100)
    h2.processElement(7, 1)
    let error: unknown
    try {
      h2.setProcessingTime(100)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UserFunctionError)
    const u = error as UserFunctionError
    expect(u.message).toBe(
      "Operator 'lookup' (subtask 1/1) failed: the async call for input 7 timed out after 100 ms and no timeout() completed it.",
    )
    expect(u.operatorName).toBe('lookup')
    expect(u.cause).toBeInstanceOf(AsyncTimeoutError)
    expect((u.cause as AsyncTimeoutError).message).toBe(
      "Async function call has timed out after 100 ms in operator 'lookup' (subtask 1/1), for input 7.",
    )
    expect((u.cause as AsyncTimeoutError).retriable).toBe(true)
  })

  it('times out only the calls past their deadline, with one timer, and a timeout handler may complete with a fallback', () => {
    class WithFallback extends ManualCalls<string> {
      timedOut: number[] = []
      timeout(input: number, rf: ResultFuture<string>): void {
        this.timedOut.push(input)
        rf.complete([`fallback ${input}`])
      }
    }
    const fn = new WithFallback()
    const h = harness(fn, 'ordered', 10, 100)
    h.processElement(1) // deadline 100
    h.setProcessingTime(30)
    h.processElement(2) // deadline 130
    h.setProcessingTime(60)
    h.processElement(3) // deadline 160
    expect(h.processingTimeService.numScheduled()).toBe(1)
    fn.completeInput(2, ['two'])
    h.setProcessingTime(100)
    expect(fn.timedOut).toEqual([1])
    expect(h.extractOutputValues()).toEqual(['fallback 1', 'two'])
    h.setProcessingTime(159)
    expect(fn.timedOut).toEqual([1])
    // the late answer of a timed-out call is ignored
    fn.completeInput(1, ['late one'])
    h.setProcessingTime(160)
    expect(fn.timedOut).toEqual([1, 3])
    expect(h.extractOutputValues()).toEqual(['fallback 1', 'two', 'fallback 3'])
    expect(h.hasPendingWork()).toBe(false)
    expect(h.processingTimeService.numScheduled()).toBe(0)
  })

  it('fails with a named error when a call completes exceptionally, or asyncInvoke throws', () => {
    const fn = new ManualCalls<number>()
    const h = harness(fn, 'ordered')
    h.processElements([1, 2])
    fn.calls[1]!.future.completeExceptionally(new Error('connection refused'))
    expect(() => h.runMail()).toThrow(
      "Operator 'lookup' (subtask 1/1) failed: the async call for input 2 failed: Error: connection refused.",
    )
    const throwing: AsyncFunction<{ id: number }, number> = {
      asyncInvoke: () => {
        throw new TypeError('no client')
      },
    }
    const h2 = new OneInputStreamOperatorTestHarness(new AsyncWaitOperator(throwing, { outputMode: 'unordered', capacity: 3, timeoutMs: 0 }), {
      operatorName: 'enrich',
      parallelism: 4,
      subtaskIndex: 2,
    }).open()
    expect(() => h2.processElement({ id: 9 })).toThrow(
      `Operator 'enrich' (subtask 3/4) failed: the async function threw for input {"id":9}: TypeError: no client.`,
    )
    const bad = new ManualCalls<number>()
    const h3 = harness(bad, 'ordered')
    h3.processElement(1)
    bad.calls[0]!.future.complete(5 as unknown as number[])
    expect(() => h3.runMail()).toThrow('ResultFuture.complete() takes an array of results, got number')
  })

  it('takes a plain lookup function returning a promise or a value, and waits for it at the end of input', async () => {
    const db = new Map([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ])
    const lookup = (x: number): Promise<string> | string =>
      x === 2 ? (db.get(x) ?? '?') : new Promise((resolve) => setTimeout(() => resolve(db.get(x) ?? '?'), 4 - x))
    const h = new OneInputStreamOperatorTestHarness<number, string>(
      new AsyncWaitOperator(lookup, { outputMode: 'ordered', capacity: 2, timeoutMs: 10_000 }),
    ).open()
    h.processElement(1, 100)
    h.processElement(2, 200)
    h.endInput()
    expect(h.hasPendingWork()).toBe(true)
    await h.drain()
    expect(h.extractOutputRecords()).toEqual([
      { value: 'one', timestamp: 100 },
      { value: 'two', timestamp: 200 },
    ])
    expect(h.getWatermarks()).toEqual([MAX_WATERMARK])

    const failing = new OneInputStreamOperatorTestHarness<number, string>(
      new AsyncWaitOperator((x: number) => Promise.reject(new RangeError(`no row ${x}`)), { outputMode: 'unordered', capacity: 2, timeoutMs: 0 }),
    ).open()
    failing.processElement(3)
    await expect(failing.settle()).rejects.toThrow("failed: the async call for input 3 failed: RangeError: no row 3.")
  })

  it('opens and closes a rich function with a runtime context that refuses keyed state', () => {
    const events: string[] = []
    class Rich extends RichAsyncFunction<number, number> {
      private offset = 0
      override open(ctx: RuntimeContext): void {
        this.offset = 100 * (ctx.getIndexOfThisSubtask() + 1)
        events.push(`open ${ctx.getOperatorName()} ${ctx.getNumberOfParallelSubtasks()}`)
        expect(() => ctx.getState({} as never)).toThrow(StateError)
      }
      override close(): void {
        events.push('close')
      }
      asyncInvoke(x: number, rf: ResultFuture<number>): void {
        rf.complete([x + this.offset])
      }
    }
    const fn = new Rich()
    const factory = asyncWaitOperator(fn, { outputMode: 'ordered', capacity: 1, timeoutMs: 0 })
    const h = new OneInputStreamOperatorTestHarness<number, number>(factory(), { operatorName: 'rich', parallelism: 2, subtaskIndex: 1 }).open()
    h.processElements([1, 2, 3])
    expect(h.extractOutputValues()).toEqual([201, 202, 203])
    h.close()
    expect(events).toEqual(['open rich 2', 'close'])
    // each subtask got its own copy
    expect(() => fn.getRuntimeContext()).toThrow(StateError)
  })

  it('rejects a bad capacity, timeout or mode with a ConfigError', () => {
    const fn = new ManualCalls<number>()
    expect(() => new AsyncWaitOperator(fn, { outputMode: 'ordered', capacity: 0, timeoutMs: 0 })).toThrow(ConfigError)
    expect(() => new AsyncWaitOperator(fn, { outputMode: 'ordered', capacity: 1.5, timeoutMs: 0 })).toThrow(
      'The capacity of an async operator must be a positive integer, got 1.5.',
    )
    expect(() => asyncWaitOperator(fn, { outputMode: 'ordered', capacity: 1, timeoutMs: -1 })).toThrow(ConfigError)
    expect(() => asyncWaitOperator(fn, { outputMode: 'sorted' as never, capacity: 1, timeoutMs: 1 })).toThrow(ConfigError)
  })

  describe('with a retry strategy', () => {
    const retrying = <O>(fn: AsyncFunction<number, O>, strategy = AsyncRetryStrategies.fixedDelay<O>(3, 10), timeoutMs = 0) =>
      new OneInputStreamOperatorTestHarness<number, O>(
        new AsyncWaitOperator(fn, { outputMode: 'ordered', capacity: 5, timeoutMs, retryStrategy: strategy }),
        { operatorName: 'lookup' },
      ).open()

    it('calls again after an error, after the backoff, and ignores late answers of earlier attempts', () => {
      const fn = new ManualCalls<string>()
      const h = retrying(fn)
      h.processElement(1, 5)
      const first = fn.calls[0]!.future
      fn.calls.splice(0, 1)
      first.completeExceptionally(new Error('busy'))
      expect(fn.started).toBe(1)
      h.setProcessingTime(9)
      expect(fn.started).toBe(1)
      h.setProcessingTime(10)
      expect(fn.started).toBe(2)
      first.complete(['stale']) // the first attempt is over
      h.runMail()
      expect(h.extractOutputValues()).toEqual([])
      fn.calls[0]!.future.complete(['fresh'])
      h.runMail()
      expect(h.extractOutputRecords()).toEqual([{ value: 'fresh', timestamp: 5 }])
    })

    it('fails with the last error when the attempts are used up, and retries results the strategy rejects', () => {
      let calls = 0
      const failing: AsyncFunction<number, string> = {
        asyncInvoke: (x, rf) => {
          calls++
          rf.completeExceptionally(new Error(`attempt ${calls}`))
        },
      }
      const h = retrying(failing)
      h.processElement(1)
      h.setProcessingTime(10)
      expect(() => h.setProcessingTime(20)).toThrow('the async call for input 1 failed: Error: attempt 3.')
      expect(calls).toBe(3)

      let lookups = 0
      const empty = AsyncRetryStrategies.exponentialBackoff<string>(4, 10, 15, 2, {
        retryOnResult: (r) => r[0] === 'missing',
        retryOnError: () => false,
      })
      const h2 = new OneInputStreamOperatorTestHarness<number, string>(
        new AsyncWaitOperator((x: number) => (++lookups < 3 ? 'missing' : `row ${x}`), { outputMode: 'unordered', capacity: 5, timeoutMs: 0, retryStrategy: empty }),
      ).open()
      h2.processElement(7)
      expect(lookups).toBe(1)
      h2.setProcessingTime(10) // first backoff: 10
      expect(lookups).toBe(2)
      h2.setProcessingTime(24)
      expect(lookups).toBe(2)
      h2.setProcessingTime(25) // second backoff: min(15, 20)
      expect(h2.extractOutputValues()).toEqual(['row 7'])
      expect(h2.hasPendingWork()).toBe(false)
    })

    it('does not retry once the record timed out; the timeout covers all attempts', () => {
      const fn = new ManualCalls<string>()
      const h = retrying(fn, AsyncRetryStrategies.fixedDelay<string>(5, 40), 100)
      h.processElement(1)
      fn.calls.splice(0, 1)[0]!.future.completeExceptionally(new Error('busy')) // retry at 40
      h.setProcessingTime(40)
      fn.calls.splice(0, 1)[0]!.future.completeExceptionally(new Error('busy')) // retry at 80
      h.setProcessingTime(80)
      expect(fn.started).toBe(3)
      expect(() => h.setProcessingTime(100)).toThrow('timed out after 100 ms')
      expect(fn.started).toBe(3)
    })

    it('rejects strategies without attempts', () => {
      expect(() => AsyncRetryStrategies.fixedDelay(0, 10)).toThrow(ConfigError)
      expect(() => AsyncRetryStrategies.exponentialBackoff(3, 10, 100, 0.5)).toThrow(ConfigError)
      expect(() => asyncWaitOperator(new ManualCalls<number>(), { outputMode: 'ordered', capacity: 1, timeoutMs: 0, retryStrategy: { maxAttempts: -1, backoffMs: () => 0 } })).toThrow(
        'An async retry strategy needs maxAttempts to be a positive integer, got -1.',
      )
    })
  })

  it('ignores completions after close', () => {
    const fn = new ManualCalls<number>()
    const h = harness(fn, 'unordered', 10, 100)
    h.processElement(1)
    h.close()
    fn.completeInput(1, [1])
    expect(h.numPendingMail()).toBe(0)
    expect(h.processingTimeService.numScheduled()).toBe(0)
  })

  describe('checkpoints', () => {
    /** A harness restored from `from` (or fresh), opened: opening re-issues the restored records. */
    const restored = <O>(fn: AsyncFunction<number, O>, outputMode: AsyncOutputMode, from: OperatorSnapshot | OperatorSnapshot[], capacity = 10, options: OperatorHarnessOptions = {}) =>
      new OneInputStreamOperatorTestHarness<number, O>(new AsyncWaitOperator(fn, { outputMode, capacity, timeoutMs: 0 }), {
        operatorName: 'lookup',
        ...options,
        restoreFrom: from,
      }).open()

    /** Records as `value@timestamp` and watermarks as `W<n>`, in output order. */
    const timeline = (h: OneInputStreamOperatorTestHarness<number, unknown>) =>
      h.getOutput().map((e) => (e.kind === 'record' ? `${String(e.value)}@${e.timestamp}` : e.kind === 'watermark' ? `W${e.watermark}` : e.kind))

    /** What the operator wrote into its list state: the queue, as a restore reads it. */
    const queueOf = (snap: OperatorSnapshot) => snap.operatorState.listStates.find((l) => l.name === 'strom.async-wait-queue')

    it('ordered: records in flight at the snapshot are called again after a restore, and emitted once, in order', () => {
      const fn = new ManualCalls<string>()
      const h = harness(fn, 'ordered')
      for (let i = 1; i <= 5; i++) h.processElement(i, i * 10)
      const snap = h.snapshot()
      expect(queueOf(snap)?.mode).toBe('split')
      // the calls go on after the snapshot; what is emitted now belongs to the next checkpoint,
      // which this run never completes
      fn.completeInput(1, ['1 (lost run)'])
      h.runMail()
      h.close()

      const fn2 = new ManualCalls<string>()
      const h2 = restored(fn2, 'ordered', snap)
      expect(fn2.calls.map((c) => c.input)).toEqual([1, 2, 3, 4, 5]) // re-issued in order, at open
      expect(h2.hasPendingWork()).toBe(true)
      h2.processElement(6, 60) // new input comes after them
      for (const i of [5, 3, 6, 1, 4, 2]) fn2.completeInput(i, [`r${i}`])
      h2.runMail()
      expect(h2.extractOutputRecords()).toEqual([1, 2, 3, 4, 5, 6].map((i) => ({ value: `r${i}`, timestamp: i * 10 })))
      expect(fn2.started).toBe(6)
      expect(h2.hasPendingWork()).toBe(false)
    })

    it('unordered: every record in flight is called again after a restore, each result emitted once', () => {
      const fn = new ManualCalls<number>()
      const h = harness(fn, 'unordered')
      h.processElements([1, 2, 3, 4, 5, 6])
      fn.completeInput(2, [2]) // emitted before the snapshot: not in it
      fn.completeInput(5, [5])
      h.runMail()
      expect(h.extractOutputValues()).toEqual([2, 5])
      const snap = h.snapshot()
      h.close()

      const fn2 = new ManualCalls<number>()
      const h2 = restored(fn2, 'unordered', snap)
      expect(fn2.calls.map((c) => c.input)).toEqual([1, 3, 4, 6])
      for (const i of [6, 1, 4, 3]) {
        fn2.completeInput(i, [i])
        h2.runMail()
      }
      expect(h2.extractOutputValues()).toEqual([6, 1, 4, 3]) // completion order
      expect([...h.extractOutputValues(), ...h2.extractOutputValues()].sort()).toEqual([1, 2, 3, 4, 5, 6])
    })

    it('stores records completed but not emitted (behind a pending head), and calls them again', () => {
      const fn = new ManualCalls<string>()
      const h = harness(fn, 'ordered')
      h.processElements([1, 2, 3, 4])
      fn.completeInput(2, ['two'])
      fn.completeInput(4, ['four'])
      h.runMail()
      expect(h.extractOutputValues()).toEqual([]) // 1 holds them back
      const snap = h.snapshot()
      expect(queueOf(snap)?.elements).toEqual([1, 2, 3, 4].map((value) => ({ kind: 'record', value, timestamp: Number.NaN, subtask: 0 })))

      const fn2 = new ManualCalls<string>()
      const h2 = restored(fn2, 'ordered', snap)
      expect(fn2.calls.map((c) => c.input)).toEqual([1, 2, 3, 4])
      for (const i of [4, 3, 2, 1]) fn2.completeInput(i, [`#${i}`])
      h2.runMail()
      expect(h2.extractOutputValues()).toEqual(['#1', '#2', '#3', '#4'])

      // unordered: a result of a later segment waiting for the watermark is stored too
      const u = new ManualCalls<number>()
      const hu = harness(u, 'unordered')
      hu.processElement(1, 1)
      hu.processWatermark(5)
      hu.processElement(7, 7)
      u.completeInput(7, [7])
      hu.runMail()
      expect(hu.extractOutputValues()).toEqual([])
      const su = hu.snapshot()
      const u2 = new ManualCalls<number>()
      const hu2 = restored(u2, 'unordered', su)
      expect(u2.calls.map((c) => c.input)).toEqual([1, 7])
      u2.completeInput(7, [7])
      hu2.runMail()
      expect(timeline(hu2)).toEqual([]) // still behind W5, which is behind 1
      u2.completeInput(1, [1])
      hu2.runMail()
      expect(timeline(hu2)).toEqual(['1@1', 'W5', '7@7'])
    })

    it('stores the records buffered while full, and the watermarks between records in place', () => {
      const fn = new ManualCalls<number>()
      const h = harness(fn, 'ordered', 2)
      h.processElement(1, 1)
      h.processWatermark(2)
      h.processElement(3, 3)
      h.processElement(4, 4) // buffered: the queue is full
      h.processWatermark(5)
      h.processElement(6, 6)
      expect(fn.started).toBe(2)
      const snap = h.snapshot()
      expect(queueOf(snap)?.elements.map((x) => ((x as { kind: string }).kind === 'record' ? (x as { value: number }).value : `W${(x as { watermark: number }).watermark}`))).toEqual([
        1, 'W2', 3, 4, 'W5', 6,
      ])
      // the buffer is intact after the snapshot: the run goes on as before
      fn.completeInput(1, [1])
      fn.completeInput(3, [3])
      h.runMail()
      fn.completeInput(4, [4])
      fn.completeInput(6, [6])
      h.runMail()
      expect(timeline(h)).toEqual(['1@1', 'W2', '3@3', '4@4', 'W5', '6@6'])

      const fn2 = new ManualCalls<number>()
      const h2 = restored(fn2, 'ordered', snap, 2)
      h2.processWatermark(4) // behind the replayed watermark 5: dropped, the output never goes back
      for (const i of [1, 3, 4, 6]) {
        fn2.completeInput(i, [i])
        h2.runMail()
      }
      h2.processWatermark(5)
      h2.processWatermark(9)
      expect(timeline(h2)).toEqual(['1@1', 'W2', '3@3', '4@4', 'W5', '6@6', 'W9'])
    })

    it('accepts more restored records than its capacity: they wait, with the input suspended, until there is room', () => {
      const fn = new ManualCalls<number>()
      const h = harness(fn, 'ordered', 10)
      h.processElements([1, 2, 3, 4, 5, 6])
      const snap = h.snapshot()

      const fn2 = new ManualCalls<number>()
      const h2 = restored(fn2, 'ordered', snap, 2)
      expect(fn2.calls.map((c) => c.input)).toEqual([1, 2])
      expect(h2.isInputSuspended()).toBe(true)
      expect(h2.metrics.snapshot()).toMatchObject({ 'test-job.lookup.0.asyncQueueSize': 2, 'test-job.lookup.0.asyncBufferedRecords': 4 })
      // a record that arrives anyway (the rest of a batch) waits behind the restored ones
      h2.processElement(7)
      while (fn2.calls.length > 0) {
        fn2.complete(0, [fn2.calls[0]!.input])
        h2.runMail()
      }
      expect(h2.extractOutputValues()).toEqual([1, 2, 3, 4, 5, 6, 7])
      expect(fn2.maxInFlight).toBe(2)
      expect(h2.isInputSuspended()).toBe(false)
    })

    it('rescales: the queues of 2 subtasks restore into 1 (every record, watermarks dropped), and 1 into 2', () => {
      const snaps = [0, 1].map((subtaskIndex) => {
        const fn = new ManualCalls<number>()
        const h = new OneInputStreamOperatorTestHarness<number, number>(new AsyncWaitOperator(fn, { outputMode: 'ordered', capacity: 3, timeoutMs: 0 }), {
          operatorName: 'lookup',
          parallelism: 2,
          subtaskIndex,
        }).open()
        const base = subtaskIndex * 100
        h.processElement(base + 1, 1)
        h.processWatermark(10)
        h.processElements([base + 2, base + 3, base + 4], 20) // 4 is buffered
        return h.snapshot()
      })
      const fn = new ManualCalls<number>()
      const merged = restored(fn, 'ordered', snaps)
      expect(fn.calls.map((c) => c.input)).toEqual([1, 2, 3, 4, 101, 102, 103, 104])
      while (fn.calls.length > 0) fn.complete(fn.calls.length - 1, [fn.calls.at(-1)!.input])
      merged.runMail()
      // the watermark 10 of subtask 0 would have made 101 late: no restored watermark is replayed
      expect(timeline(merged)).toEqual(['1@1', '2@20', '3@20', '4@20', '101@1', '102@20', '103@20', '104@20'])
      merged.processWatermark(10) // upstream's watermarks pass as usual
      expect(merged.getWatermarks()).toEqual([10])

      // 1 -> 2: list state is dealt out round-robin ([1, W10, 2, 3, 4]: 1, 2, 4 and W10, 3); each
      // subtask replays its share in order, watermarks included (they all come from one subtask)
      const out: string[] = []
      for (const subtaskIndex of [0, 1]) {
        const f = new ManualCalls<number>()
        const h = restored(f, 'ordered', snaps[0]!, 10, { parallelism: 2, subtaskIndex })
        while (f.calls.length > 0) f.complete(0, [f.calls[0]!.input])
        h.runMail()
        out.push(...timeline(h))
      }
      expect(out).toEqual(['1@1', '2@20', '4@20', 'W10', '3@20'])
    })

    it('keyed: restores into subtasks whatever their key groups (the operator never sets a key)', () => {
      const snaps = [0, 1].map((subtaskIndex) => {
        const fn = new ManualCalls<number>()
        const h = new KeyedOneInputStreamOperatorTestHarness<number, number, number>(
          new AsyncWaitOperator(fn, { outputMode: 'unordered', capacity: 5, timeoutMs: 0 }),
          (x) => x % 7,
          { operatorName: 'lookup', parallelism: 2, subtaskIndex },
        ).open()
        h.processElements([1, 2, 3].map((x) => x + 10 * subtaskIndex))
        return h.snapshot()
      })
      const fn = new ManualCalls<number>()
      const h = new KeyedOneInputStreamOperatorTestHarness<number, number, number>(
        new AsyncWaitOperator(fn, { outputMode: 'unordered', capacity: 5, timeoutMs: 0 }),
        (x) => x % 7,
        { operatorName: 'lookup', parallelism: 3, subtaskIndex: 2, restoreFrom: snaps },
      ).open()
      expect(fn.calls.map((c) => c.input)).toEqual([3, 13]) // elements 2 and 5 of 6
      fn.completeInput(13, [13])
      fn.completeInput(3, [3])
      h.runMail()
      expect(h.extractOutputValues()).toEqual([13, 3])
    })

    it('gives a CheckpointedFunction its hooks, before the queue is written', () => {
      const events: string[] = []
      class Counting extends ManualCalls<number> implements CheckpointedFunction {
        initializeState(ctx: FunctionInitializationContext): void {
          events.push(`init restored=${ctx.isRestored()}`)
        }
        snapshotState(ctx: FunctionSnapshotContext): void {
          events.push(`snapshot ${ctx.checkpointId} in flight ${this.inFlight}`)
        }
      }
      const fn = new Counting()
      const h = harness(fn, 'ordered')
      h.processElements([1, 2])
      const snap = h.snapshot(7)
      const h2 = restored(new Counting(), 'ordered', snap)
      expect(events).toEqual(['init restored=false', 'snapshot 7 in flight 2', 'init restored=true'])
      expect(h2.hasPendingWork()).toBe(true)
    })

    it('restore(snapshot) continues as if nothing happened, for any cut and completion order', () => {
      fc.assert(
        fc.property(
          fc.constantFrom<AsyncOutputMode>('ordered', 'unordered'),
          scriptArb,
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 1, max: 6 }),
          fc.nat(),
          fc.array(fc.nat(1000), { minLength: 1, maxLength: 50 }),
          (mode, steps, capacity, capacityAfter, cutAt, choices) => {
            const cut = cutAt % (steps.length + 1)
            let c = 0
            const pick = () => choices[c++ % choices.length]!
            const run = (fn: ManualCalls<number>, h: OneInputStreamOperatorTestHarness<number, number>, part: Step[]) => {
              const completeOne = () => {
                const i = pick() % fn.calls.length
                fn.complete(i, resultsOf(fn.calls[i]!.input))
                h.runMail()
              }
              for (const s of part) {
                // now and then a record arrives although the input is suspended (the rest of a
                // batch), so snapshots also hold buffered records
                if (pick() % 4 !== 0) while (h.isInputSuspended()) completeOne()
                if (pick() % 3 === 0 && fn.calls.length > 0) completeOne()
                if (s.kind === 'record') h.processElement(s.value, s.value)
                else h.processWatermark(s.value)
              }
              return completeOne
            }
            const fn = new ManualCalls<number>()
            const h = harness(fn, mode, capacity)
            const more = run(fn, h, steps.slice(0, cut))
            const snap = h.snapshot()
            const before = h.getOutput().slice()
            // the failed run goes on a little: none of that counts
            if (fn.calls.length > 0 && pick() % 2 === 0) more()

            const fn2 = new ManualCalls<number>()
            const h2 = new OneInputStreamOperatorTestHarness<number, number>(
              new AsyncWaitOperator(fn2, { outputMode: mode, capacity: capacityAfter, timeoutMs: 0 }),
              { operatorName: 'lookup', restoreFrom: snap },
            ).open()
            const completeOne = run(fn2, h2, steps.slice(cut))
            h2.endInput()
            while (h2.hasPendingWork()) completeOne()
            expect(fn2.maxInFlight).toBeLessThanOrEqual(capacityAfter)
            const out = [...before, ...h2.getOutput()]
            const records = out.flatMap((e) => (e.kind === 'record' ? [e.value] : []))
            const expected = steps.flatMap((s) => (s.kind === 'record' ? resultsOf(s.value) : []))
            if (mode === 'ordered') expect(records).toEqual(expected)
            else expect([...records].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b))
            checkWatermarks(steps, out)
          },
        ),
        { numRuns: 300 },
      )
    })
  })
})
