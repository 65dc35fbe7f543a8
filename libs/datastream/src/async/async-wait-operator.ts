import { AbstractStreamOperator, ConfigError, ListStateDescriptor, UserFunctionError, describeError } from '@strom/runtime'
import type {
  InputFlowControl,
  ListState,
  MailboxExecutor,
  OneInputStreamOperator,
  OperatorFactory,
  OperatorSetup,
  ProcessingTimeService,
  StateInitializationContext,
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
  /** Unordered mode: neighbours in the operator's list of records not emitted, in arrival order. */
  older: AsyncEntry<I, O> | undefined = undefined
  newer: AsyncEntry<I, O> | undefined = undefined

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

/**
 * One element of the operator's queue in its checkpointed state (operator list state
 * {@link QUEUE_STATE_NAME}, split mode): a record whose results were not emitted yet, or a
 * watermark queued behind records. `subtask` is the subtask that held it, which tells a restore
 * after rescaling (elements of several old subtasks) from one without.
 */
type QueuedElement<I> =
  | { readonly kind: 'record'; readonly value: I; readonly timestamp: number; readonly subtask: number }
  | { readonly kind: 'watermark'; readonly watermark: number; readonly subtask: number }

/** The name of the operator list state that holds the queue in checkpoints and savepoints. */
const QUEUE_STATE_NAME = 'strom.async-wait-queue'

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
 * Checkpoints (as Flink's `AsyncWaitOperator`): when the barrier arrives, every record not emitted
 * yet (call in flight, waiting for a retry, or completed but waiting for its turn or a watermark),
 * the records buffered while full and the watermarks queued between them go, in order, into
 * operator list state `'strom.async-wait-queue'` (split mode: spread over the subtasks on
 * rescaling). Inputs are stored, not results: after a restore, `open` starts the calls of those
 * records again, in their order, before any new input, with fresh timeouts and retry attempts;
 * beyond `capacity` they wait in the buffer and the input stays suspended until there is room. So
 * the results of records taken before the checkpoint are emitted once, after it (at least once
 * for the external system: a call may be made again). Restored watermarks are replayed in place
 * when all restored elements come from one old subtask; after a restore that merges several
 * subtasks' queues they are dropped (a watermark of one says nothing about the records of
 * another), and upstream's next watermark takes over. The input records must be
 * structured-clonable, as all state.
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
  /** Unordered mode: the records not emitted, oldest first (for checkpoints). */
  private oldest: AsyncEntry<I, O> | undefined
  private newest: AsyncEntry<I, O> | undefined
  /** The checkpointed queue (see {@link QueuedElement}), once asked for. */
  private queueState: ListState<QueuedElement<I>> | undefined
  /** What was restored, until `open` starts it again. */
  private restoredQueue: QueuedElement<I>[] | undefined
  /** After a restore: the highest watermark replayed; input watermarks up to it are dropped. */
  private watermarkFloor = Number.NEGATIVE_INFINITY
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

  /** The user function gets the checkpoint hooks if it implements them (`CheckpointedFunction`). */
  protected override checkpointedFunction(): unknown {
    return this.fn
  }

  /** Registers the queue's operator state and reads what was restored, started again in `open`. */
  override initializeState(context: StateInitializationContext): void {
    super.initializeState(context)
    const state = this.stateOfQueue()
    if (context.isRestored()) {
      const restored = Array.from(state.get())
      state.clear()
      if (restored.length > 0) this.restoredQueue = restored
    }
  }

  override open(): void {
    super.open()
    const fn = this.fn
    if (fn instanceof AbstractRichFunction) {
      const rc = new AsyncRuntimeContext(this.ctx as OperatorSetup<unknown>)
      fn.setRuntimeContext(rc)
      fn.open(rc)
    }
    const restored = this.restoredQueue
    if (restored !== undefined) {
      this.restoredQueue = undefined
      this.replay(restored)
    }
  }

  /**
   * Writes the queue into operator state, in order: the records not emitted (queued or buffered)
   * and the watermarks between them. Their calls go on; results emitted from now on belong to
   * the next checkpoint.
   */
  override snapshotState(checkpointId: number): void {
    super.snapshotState(checkpointId)
    const out: QueuedElement<I>[] = []
    const subtask = this.ctx.info.subtaskIndex
    if (this.ordered) {
      const q = this.queue
      for (let i = 0; i < q.length; i++) {
        const x = q.at(i)
        out.push(
          typeof x === 'number'
            ? { kind: 'watermark', watermark: x, subtask }
            : { kind: 'record', value: x.input, timestamp: x.timestamp, subtask },
        )
      }
    } else {
      // a segment's records are adjacent in arrival order; its watermark follows them
      let seg: Segment<I, O> | undefined
      for (let e = this.oldest; e !== undefined; e = e.newer) {
        if (e.segment !== seg) {
          if (seg?.closed === true) out.push({ kind: 'watermark', watermark: seg.watermark, subtask })
          seg = e.segment
        }
        out.push({ kind: 'record', value: e.input, timestamp: e.timestamp, subtask })
      }
      if (seg?.closed === true) out.push({ kind: 'watermark', watermark: seg.watermark, subtask })
    }
    this.snapshotPending(out, subtask)
    this.stateOfQueue().update(out)
  }

  private stateOfQueue(): ListState<QueuedElement<I>> {
    return (this.queueState ??= this.ctx.operatorStateStore.getListState(new ListStateDescriptor<QueuedElement<I>>(QUEUE_STATE_NAME)))
  }

  processElement(value: I, timestamp: number): void {
    if (this.pending.length > 0 || this.size >= this.capacity) this.pending.pushRecord(value, timestamp)
    else this.start(value, timestamp)
    this.updateFlow()
  }

  /** Queues the watermark behind the records before it (see {@link AsyncOutputMode}). */
  override processWatermark(watermark: number): void {
    // after a restore, the replayed watermark is out or queued already: never go back before it
    if (watermark <= this.watermarkFloor) return
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
    this.oldest = this.newest = undefined
    this.restoredQueue = undefined
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
      const last = this.newest
      e.older = last
      if (last === undefined) this.oldest = e
      else last.newer = e
      this.newest = e
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
    if (e.segment !== undefined) {
      e.segment = undefined
      const { older, newer } = e
      if (older === undefined) this.oldest = newer
      else older.newer = newer
      if (newer === undefined) this.newest = older
      else newer.older = older
      e.older = e.newer = undefined
    }
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

  /**
   * Appends the buffered records and watermarks to `out`, in order. The buffer cannot be read in
   * place, so it is emptied and filled again (it holds no two watermarks in a row, so nothing
   * merges on the way).
   */
  private snapshotPending(out: QueuedElement<I>[], subtask: number): void {
    const p = this.pending
    const n = p.length
    if (n === 0) return
    const first = out.length
    while (p.length > 0) {
      const t = p.headTime()
      if (p.headIsWatermark()) {
        p.shift()
        out.push({ kind: 'watermark', watermark: t, subtask })
      } else out.push({ kind: 'record', value: p.shift() as I, timestamp: t, subtask })
    }
    for (let i = first; i < out.length; i++) {
      const x = out[i]!
      if (x.kind === 'watermark') p.pushWatermark(x.watermark)
      else p.pushRecord(x.value, x.timestamp)
    }
  }

  /**
   * Starts the calls of restored records again, in order, as if they had just arrived: beyond
   * the capacity they are buffered and the input is suspended. Watermarks are replayed in place
   * only when every element comes from one old subtask (see the class notes).
   */
  private replay(restored: readonly QueuedElement<I>[]): void {
    const from = restored[0]!.subtask
    let oneSubtask = true
    for (let i = 1; i < restored.length && oneSubtask; i++) oneSubtask = restored[i]!.subtask === from
    let floor = Number.NEGATIVE_INFINITY
    for (const x of restored) {
      if (x.kind === 'record') this.processElement(x.value, x.timestamp)
      else if (oneSubtask && x.watermark > floor) {
        this.processWatermark(x.watermark)
        floor = x.watermark
      }
    }
    this.watermarkFloor = floor
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
