import { AbstractStreamOperator, ConfigError, UserFunctionError, describeError } from '@strom/runtime'
import type {
  InputFlowControl,
  MailboxExecutor,
  OneInputStreamOperator,
  OperatorFactory,
  OperatorSetup,
  ProcessingTimeService,
} from '@strom/runtime'
import { AbstractRichFunction, cloneFunction } from '@strom/process'
import type { AsyncFunction, AsyncLookupFunction, ResultFuture } from './async-function.js'
import type { AsyncRetryStrategy } from './async-retry-strategy.js'
import { AsyncRuntimeContext } from './async-runtime-context.js'
import { AsyncTimeoutError } from './async-timeout-error.js'
import { PendingBuffer, RingQueue } from './ring-queue.js'

/**
 * In which order an async operator emits its results.
 *
 * @remarks
 * - `'ordered'`: in the order of the input records, whatever the order the calls complete in.
 *   A result waits for the results of every record before it. Watermarks keep their place.
 * - `'unordered'`: as soon as a call completes, but never across a watermark: every result of a
 *   record that came before a watermark is emitted before the watermark, and no result of a
 *   record after it. Between two watermarks, the order is the completion order.
 *
 * @category Async I/O
 * @since 0.1.0
 */
export type AsyncOutputMode = 'ordered' | 'unordered'

/**
 * How an {@link AsyncWaitOperator} runs its calls.
 *
 * @typeParam O - the output type of the function
 * @category Async I/O
 * @since 0.1.0
 */
export interface AsyncWaitOptions<O = unknown> {
  /** Result order, see {@link AsyncOutputMode}. */
  readonly outputMode: AsyncOutputMode
  /**
   * How long a call may take, in milliseconds of processing time, before it times out; `0` or
   * `Infinity` for no timeout.
   */
  readonly timeoutMs: number
  /**
   * The most records the operator holds at once: calls in flight, plus completed results that
   * wait for their turn (ordered mode) or for a watermark (unordered mode). When it is full the
   * task stops taking input.
   */
  readonly capacity: number
  /** When to call the function again for the same record (default: never). */
  readonly retryStrategy?: AsyncRetryStrategy<O>
}

/** The states of a call. */
const IN_FLIGHT = 0
const DONE = 1
const FAILED = 2
const EMITTED = 3

/**
 * One input record's call, and the {@link ResultFuture} its function completes. One per record:
 * a future must stay distinct from every other, or a late completion (after a timeout) could
 * complete another record's call.
 */
class AsyncEntry<I, O> implements ResultFuture<O> {
  state = IN_FLIGHT
  /** The attempt under way (0 for the first); only its future may complete the entry. */
  attempt = 0
  /** The results, unless `one` (a lookup function's single result, in `single`). */
  results: readonly O[] | undefined = undefined
  single: O | undefined = undefined
  one = false
  error: unknown = undefined
  /** When the call times out (processing time); 0 without timeout. */
  deadline = 0
  timedOut = false
  /** Neighbours in the operator's list of calls that can still time out, oldest first. */
  prev: AsyncEntry<I, O> | undefined = undefined
  next: AsyncEntry<I, O> | undefined = undefined
  /** Unordered mode: the watermark segment of the record. */
  segment: Segment<I, O> | undefined = undefined

  constructor(
    readonly op: AsyncWaitOperator<I, O>,
    readonly input: I,
    readonly timestamp: number,
  ) {}

  complete(results: readonly O[]): void {
    this.settle(0, results)
  }

  completeExceptionally(error: unknown): void {
    this.fail(0, error)
  }

  /** Completes attempt `attempt` with results, unless it is over or a retry starts instead. */
  settle(attempt: number, results: readonly O[]): void {
    if (this.state !== IN_FLIGHT || attempt !== this.attempt) return
    if (!Array.isArray(results)) {
      this.fail(
        attempt,
        new TypeError(`ResultFuture.complete() takes an array of results, got ${results === null ? 'null' : typeof results}.`),
      )
      return
    }
    if (this.op.retryAfterResult(this, results)) return
    this.state = DONE
    this.results = results
    this.op.entryCompleted(this)
  }

  /** Completes attempt `attempt` with exactly one result (lookup functions), without an array. */
  settleOne(attempt: number, value: O): void {
    if (this.state !== IN_FLIGHT || attempt !== this.attempt) return
    if (this.op.retryAfterResult(this, undefined, value)) return
    this.state = DONE
    this.single = value
    this.one = true
    this.op.entryCompleted(this)
  }

  /** Completes attempt `attempt` with an error, unless it is over or a retry starts instead. */
  fail(attempt: number, error: unknown): void {
    if (this.state !== IN_FLIGHT || attempt !== this.attempt) return
    if (this.op.retryAfterError(this, error)) return
    this.state = FAILED
    this.error = error
    this.op.entryCompleted(this)
  }

  /** The future of the attempt under way: the entry itself for the first. */
  future(): ResultFuture<O> {
    return this.attempt === 0 ? this : new RetryFuture(this, this.attempt)
  }
}

/** The result future of a retry: completes its entry only while that attempt is the one under way. */
class RetryFuture<I, O> implements ResultFuture<O> {
  constructor(
    private readonly entry: AsyncEntry<I, O>,
    private readonly attempt: number,
  ) {}

  complete(results: readonly O[]): void {
    this.entry.settle(this.attempt, results)
  }

  completeExceptionally(error: unknown): void {
    this.entry.fail(this.attempt, error)
  }
}

/**
 * Unordered mode: the records between two watermarks. Only the first segment emits; results of
 * later segments wait in `completed` until the segments before them (and their watermarks) are
 * out.
 */
class Segment<I, O> {
  /** Records of the segment not emitted yet. */
  remaining = 0
  /** Completed calls of a segment that is not the first, in completion order. */
  readonly completed: AsyncEntry<I, O>[] = []
  /** Whether a watermark closes the segment, and which. */
  closed = false
  watermark = 0
}

const isThenable = (x: unknown): x is PromiseLike<unknown> =>
  x !== null && (typeof x === 'object' || typeof x === 'function') && typeof (x as { then?: unknown }).then === 'function'

const describeInput = (input: unknown): string => {
  let s: string | undefined
  try {
    s = JSON.stringify(input, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
  } catch {
    s = undefined
  }
  s ??= String(input)
  return s.length > 200 ? `${s.slice(0, 197)}...` : s
}

/**
 * The runtime side of async I/O (Flink's `AsyncWaitOperator`): calls an {@link AsyncFunction} for
 * each record, keeps up to `capacity` records in flight, and emits their results in order or as
 * they complete, without ever blocking the task.
 *
 * @remarks
 * Per record: one entry object (the record's {@link ResultFuture}) in a reusable ring buffer, and
 * whatever the user function allocates; no promise, timer or closure of the operator's own. One
 * processing-time timer serves every timeout (the calls' deadlines grow in start order), and
 * completions reach the task as one mailbox action per burst, not one per call.
 *
 * Backpressure: when the queue holds `capacity` records the operator suspends its task's input
 * (through the `inputFlowControl` of its `OperatorSetup`). Records that arrive anyway (the rest
 * of the batch being processed) wait in a buffer without starting their calls, so no more than
 * `capacity` calls are ever in flight; input resumes once that buffer is empty and the queue has
 * room.
 *
 * End of input: the operator has pending work while records are queued or buffered; the task
 * keeps running its mailbox until every call has completed and its results (and the final
 * watermark) are emitted.
 *
 * Failures: a call completed exceptionally, a rejected lookup, a throwing `asyncInvoke` or
 * `timeout`, and a timeout without a `timeout` handler fail the task with a `UserFunctionError`
 * naming the operator, the subtask and the input. Output records carry their input's timestamp.
 *
 * Checkpoints are not taken by the runtime yet; once they are, the records in flight will be part
 * of the operator's state, as in Flink.
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Async I/O
 * @since 0.1.0
 */
export class AsyncWaitOperator<I, O> extends AbstractStreamOperator<O> implements OneInputStreamOperator<I, O> {
  private readonly fn: AsyncFunction<I, O> | undefined
  private readonly lookup: AsyncLookupFunction<I, O> | undefined
  private readonly ordered: boolean
  private readonly capacity: number
  private readonly timeoutMs: number
  private readonly retry: AsyncRetryStrategy<O> | undefined
  /** Ordered mode: records (entries) and watermarks in arrival order. */
  private readonly queue = new RingQueue<AsyncEntry<I, O> | number>()
  /** Unordered mode: the segments between watermarks, oldest first. */
  private readonly segments = new RingQueue<Segment<I, O>>()
  /** Unordered mode: calls completed since the last mail, in completion order. */
  private completed: AsyncEntry<I, O>[] = []
  private spare: AsyncEntry<I, O>[] = []
  /** Records and watermarks that arrived while the queue was full. */
  private readonly pending = new PendingBuffer()
  /** Records in the queue (started, not emitted). */
  private size = 0
  /** Calls that can still time out, oldest (earliest deadline) first. */
  private timeoutHead: AsyncEntry<I, O> | undefined
  private timeoutTail: AsyncEntry<I, O> | undefined
  private timer: { cancel(): void } | undefined
  private mailScheduled = false
  /** The first call that failed; the next mail fails the task with it. */
  private failure: AsyncEntry<I, O> | undefined
  private suspended = false
  private closed = false
  private mailbox!: MailboxExecutor
  private flow!: InputFlowControl
  private pts!: ProcessingTimeService

  /**
   * @param fn - the function, or a lookup function (one result per record); the operator uses it
   *   as given, so give each subtask its own copy (as {@link asyncWaitOperator} does)
   * @param options - output mode, timeout and capacity; a `ConfigError` if out of range
   */
  constructor(fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>, options: AsyncWaitOptions<O>) {
    super()
    validateAsyncOptions(options)
    if (typeof fn === 'function') this.lookup = fn
    else this.fn = fn
    this.ordered = options.outputMode === 'ordered'
    this.capacity = options.capacity
    this.timeoutMs = Number.isFinite(options.timeoutMs) ? options.timeoutMs : 0
    this.retry = options.retryStrategy !== undefined && options.retryStrategy.maxAttempts > 1 ? options.retryStrategy : undefined
  }

  /** The user function this operator calls (undefined for a lookup function). */
  get userFunction(): AsyncFunction<I, O> | undefined {
    return this.fn
  }

  override setup(setup: OperatorSetup<O>): void {
    super.setup(setup)
    this.mailbox = setup.mailboxExecutor
    this.flow = setup.inputFlowControl
    this.pts = setup.processingTimeService
    setup.metrics.gauge('asyncQueueSize', () => this.size)
    setup.metrics.gauge('asyncBufferedRecords', () => this.pending.length)
  }

  override open(): void {
    super.open()
    const fn = this.fn
    if (fn instanceof AbstractRichFunction) {
      const rc = new AsyncRuntimeContext(this.ctx as OperatorSetup<unknown>)
      fn.setRuntimeContext(rc)
      fn.open(rc)
    }
  }

  processElement(value: I, timestamp: number): void {
    if (this.pending.length > 0 || this.size >= this.capacity) this.pending.pushRecord(value, timestamp)
    else this.start(value, timestamp)
    this.updateFlow()
  }

  /** Queues the watermark behind the records before it (see {@link AsyncOutputMode}). */
  override processWatermark(watermark: number): void {
    if (this.pending.length > 0) this.pending.pushWatermark(watermark)
    else this.enqueueWatermark(watermark)
  }

  /** Whether records are still queued or buffered: the task waits for them at the end of input. */
  hasPendingWork(): boolean {
    return this.size > 0 || this.pending.length > 0
  }

  override close(): void {
    this.closed = true
    this.timer?.cancel()
    this.timer = undefined
    this.queue.clear()
    this.segments.clear()
    this.pending.clear()
    this.completed.length = 0
    this.timeoutHead = this.timeoutTail = undefined
    const fn = this.fn
    if (fn instanceof AbstractRichFunction) {
      try {
        fn.close()
      } finally {
        fn.setRuntimeContext(undefined)
      }
    }
    super.close()
  }

  /**
   * A call completed (from any callback): schedules the mail that emits.
   *
   * @internal
   */
  entryCompleted(e: AsyncEntry<I, O>): void {
    if (this.closed) return
    if (this.timeoutMs > 0 && !e.timedOut) this.unlink(e)
    if (e.state === FAILED) this.failure ??= e
    else if (this.ordered) {
      // only the head's completion lets results out
      if (this.queue.length === 0 || this.queue.peek() !== e) return
    } else this.completed.push(e)
    if (!this.mailScheduled) {
      this.mailScheduled = true
      this.mailbox.execute(this.onMail, 'async results')
    }
  }

  // --- on the task's thread ---------------------------------------------------------------------

  private start(value: I, timestamp: number): void {
    const e = new AsyncEntry<I, O>(this, value, timestamp)
    this.size++
    if (this.ordered) this.queue.push(e)
    else {
      const segs = this.segments
      let seg = segs.length === 0 ? undefined : segs.peekLast()
      if (seg === undefined || seg.closed) {
        seg = new Segment<I, O>()
        segs.push(seg)
      }
      seg.remaining++
      e.segment = seg
    }
    if (this.timeoutMs > 0) {
      e.deadline = this.pts.getCurrentProcessingTime() + this.timeoutMs
      this.link(e)
      if (this.timer === undefined) this.timer = this.pts.registerTimer(e.deadline, this.onTimer)
    }
    this.invoke(e)
  }

  /** Calls the function for the entry's attempt under way. */
  private invoke(e: AsyncEntry<I, O>): void {
    const value = e.input
    try {
      const lookup = this.lookup
      if (lookup === undefined) this.fn!.asyncInvoke(value, e.future())
      else {
        const r = lookup(value)
        const attempt = e.attempt
        if (isThenable(r))
          r.then(
            (v) => e.settleOne(attempt, v),
            (err: unknown) => e.fail(attempt, err),
          )
        else e.settleOne(attempt, r)
      }
    } catch (err) {
      throw this.userError(`the async function threw for input ${describeInput(value)}: ${describeError(err)}`, err)
    }
  }

  /**
   * After results of an attempt: whether the retry strategy asks for another (then it is
   * scheduled).
   *
   * @internal
   */
  retryAfterResult(e: AsyncEntry<I, O>, results: readonly O[] | undefined, single?: O): boolean {
    const r = this.retry
    if (r?.retryOnResult === undefined || !this.attemptsLeft(e, r)) return false
    if (!r.retryOnResult(results ?? [single as O])) return false
    this.scheduleRetry(e, r)
    return true
  }

  /**
   * After an error of an attempt: whether the retry strategy asks for another (then it is
   * scheduled).
   *
   * @internal
   */
  retryAfterError(e: AsyncEntry<I, O>, error: unknown): boolean {
    const r = this.retry
    if (r === undefined || !this.attemptsLeft(e, r)) return false
    if (r.retryOnError !== undefined && !r.retryOnError(error)) return false
    this.scheduleRetry(e, r)
    return true
  }

  private attemptsLeft(e: AsyncEntry<I, O>, r: AsyncRetryStrategy<O>): boolean {
    return !this.closed && !e.timedOut && e.attempt + 1 < r.maxAttempts
  }

  private scheduleRetry(e: AsyncEntry<I, O>, r: AsyncRetryStrategy<O>): void {
    e.attempt++
    const attempt = e.attempt
    const delay = r.backoffMs(attempt)
    this.pts.registerTimer(this.pts.getCurrentProcessingTime() + (delay > 0 ? delay : 0), () => {
      // the record may have timed out (and completed) meanwhile
      if (this.closed || e.state !== IN_FLIGHT || e.timedOut || e.attempt !== attempt) return
      this.invoke(e)
    })
  }

  private enqueueWatermark(watermark: number): void {
    if (this.ordered) {
      const q = this.queue
      if (q.length === 0) super.processWatermark(watermark)
      else if (typeof q.peekLast() === 'number') q.setLast(watermark)
      else q.push(watermark)
      return
    }
    const segs = this.segments
    if (segs.length === 0) {
      super.processWatermark(watermark)
      return
    }
    const last = segs.peekLast()
    // a closed last segment has no records after its watermark: the newer one replaces it
    last.closed = true
    last.watermark = watermark
  }

  private readonly onMail = (): void => {
    this.mailScheduled = false
    if (this.closed) return
    const f = this.failure
    if (f !== undefined) throw this.callFailed(f)
    if (this.ordered) this.emitOrdered()
    else this.emitUnordered()
    this.refill()
    this.updateFlow()
  }

  private emitOrdered(): void {
    const q = this.queue
    while (q.length > 0) {
      const head = q.peek()
      if (typeof head === 'number') {
        q.shift()
        super.processWatermark(head)
        continue
      }
      if (head.state === IN_FLIGHT) return
      q.shift()
      this.emit(head)
    }
  }

  private emitUnordered(): void {
    // swap the lists: completions made while emitting (by a chained operator) go to the next mail
    const done = this.completed
    this.completed = this.spare
    this.spare = done
    const segs = this.segments
    for (let i = 0; i < done.length; i++) {
      const e = done[i]!
      done[i] = undefined as unknown as AsyncEntry<I, O>
      const seg = e.segment!
      if (segs.length > 0 && segs.peek() === seg) {
        seg.remaining--
        this.emit(e)
      } else seg.completed.push(e)
    }
    done.length = 0
    // retire the first segments whose records are all out, with their watermarks
    while (segs.length > 0) {
      const first = segs.peek()
      if (first.remaining > 0) return
      segs.shift()
      if (first.closed) super.processWatermark(first.watermark)
      if (segs.length === 0) return
      const next = segs.peek()
      const waiting = next.completed
      for (let i = 0; i < waiting.length; i++) {
        next.remaining--
        this.emit(waiting[i]!)
      }
      waiting.length = 0
    }
  }

  private emit(e: AsyncEntry<I, O>): void {
    this.size--
    e.state = EMITTED
    e.segment = undefined
    const out = this.output
    const ts = e.timestamp
    if (e.one) {
      out.collect(e.single as O, ts)
      e.single = undefined
      return
    }
    const r = e.results!
    e.results = undefined
    for (let i = 0; i < r.length; i++) out.collect(r[i]!, ts)
  }

  /** Starts buffered records while there is room; buffered watermarks take no room. */
  private refill(): void {
    const p = this.pending
    while (p.length > 0) {
      if (p.headIsWatermark()) {
        const wm = p.headTime()
        p.shift()
        this.enqueueWatermark(wm)
      } else if (this.size < this.capacity) {
        const ts = p.headTime()
        this.start(p.shift() as I, ts)
      } else return
    }
  }

  private updateFlow(): void {
    const full = this.pending.length > 0 || this.size >= this.capacity
    if (full === this.suspended) return
    this.suspended = full
    if (full) this.flow.suspendInput()
    else this.flow.resumeInput()
  }

  private readonly onTimer = (): void => {
    this.timer = undefined
    if (this.closed) return
    const now = this.pts.getCurrentProcessingTime()
    const fn = this.fn
    let e: AsyncEntry<I, O> | undefined
    while ((e = this.timeoutHead) !== undefined && e.deadline <= now) {
      this.unlink(e)
      e.timedOut = true
      if (fn?.timeout === undefined) {
        const info = this.ctx.info
        e.fail(
          e.attempt,
          new AsyncTimeoutError(
            `Async function call has timed out after ${this.timeoutMs} ms in operator '${info.operatorName}' ` +
              `(subtask ${info.subtaskIndex + 1}/${info.parallelism}), for input ${describeInput(e.input)}.`,
            info.operatorName,
            this.timeoutMs,
          ),
        )
      } else {
        try {
          fn.timeout(e.input, e.future())
        } catch (err) {
          throw this.userError(`timeout() threw for input ${describeInput(e.input)}: ${describeError(err)}`, err)
        }
      }
    }
    if (e !== undefined) this.timer = this.pts.registerTimer(e.deadline, this.onTimer)
  }

  private link(e: AsyncEntry<I, O>): void {
    const tail = this.timeoutTail
    e.prev = tail
    if (tail === undefined) this.timeoutHead = e
    else tail.next = e
    this.timeoutTail = e
  }

  private unlink(e: AsyncEntry<I, O>): void {
    const { prev, next } = e
    if (prev === undefined) {
      if (this.timeoutHead !== e) return // not in the list
      this.timeoutHead = next
    } else prev.next = next
    if (next === undefined) this.timeoutTail = prev
    else next.prev = prev
    e.prev = e.next = undefined
  }

  private callFailed(e: AsyncEntry<I, O>): UserFunctionError {
    const err = e.error
    const what =
      err instanceof AsyncTimeoutError
        ? `the async call for input ${describeInput(e.input)} timed out after ${this.timeoutMs} ms and no timeout() completed it`
        : `the async call for input ${describeInput(e.input)} failed: ${describeError(err)}`
    return this.userError(what, err)
  }

  private userError(what: string, cause: unknown): UserFunctionError {
    const info = this.ctx.info
    return new UserFunctionError(
      `Operator '${info.operatorName}' (subtask ${info.subtaskIndex + 1}/${info.parallelism}) failed: ${what}.`,
      info.operatorName,
      info.subtaskIndex,
      undefined,
      { cause },
    )
  }
}

/**
 * Checks the options of an async operator: a positive integer capacity, a timeout of at least 0,
 * a known output mode, a retry strategy with at least one attempt.
 *
 * @throws `ConfigError` naming the bad value
 * @category Async I/O
 * @since 0.1.0
 */
export const validateAsyncOptions = (options: AsyncWaitOptions<any>): void => {
  const { capacity, timeoutMs, outputMode } = options
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new ConfigError(`The capacity of an async operator must be a positive integer, got ${capacity}.`)
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0)
    throw new ConfigError(`The timeout of an async operator must be a number of milliseconds >= 0 (0 for none), got ${timeoutMs}.`)
  if (outputMode !== 'ordered' && outputMode !== 'unordered')
    throw new ConfigError(`The output mode of an async operator is 'ordered' or 'unordered', got '${String(outputMode)}'.`)
  const retry = options.retryStrategy
  if (retry !== undefined && (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1))
    throw new ConfigError(`An async retry strategy needs maxAttempts to be a positive integer, got ${retry.maxAttempts}.`)
}

/**
 * The operator factory of async I/O: each subtask gets an {@link AsyncWaitOperator} with its own
 * copy of `fn` (see `cloneFunction` in `@strom/process`; a lookup function is shared, as it has no
 * fields).
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Async I/O
 * @since 0.1.0
 */
export const asyncWaitOperator = <I, O>(
  fn: AsyncFunction<I, O> | AsyncLookupFunction<I, O>,
  options: AsyncWaitOptions<O>,
): OperatorFactory<AsyncWaitOperator<I, O>> => {
  validateAsyncOptions(options)
  return () => new AsyncWaitOperator<I, O>(typeof fn === 'function' ? fn : cloneFunction(fn), options)
}
