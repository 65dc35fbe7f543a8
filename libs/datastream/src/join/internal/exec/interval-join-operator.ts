import { AbstractStreamOperator, ConfigError, MapStateDescriptor, StateError } from '@strom/runtime'
import type {
  Counter,
  InternalTimer,
  InternalTimerService,
  Key,
  KeyedStateBackend,
  KeySelector,
  MapState,
  OperatorSetup,
  Output,
  OutputTag,
  Triggerable,
  TwoInputStreamOperator,
} from '@strom/runtime'
import { MissingTimestampError, TimestampedCollector } from '@strom/process'
import type { ProcessJoinFunction } from '../../process-join-function.js'
import { closeFunction, openFunction } from '@strom/process'

/**
 * The bounds and late-data handling of an interval join, as {@link IntervalJoinOperator} takes
 * them.
 *
 * @typeParam IN1 - the left input's type
 * @typeParam IN2 - the right input's type
 * @category Joins
 * @since 0.1.0
 */
export interface IntervalJoinOptions<IN1, IN2> {
  /** The smallest `right.ts - left.ts` that joins (ms, may be negative). */
  readonly lowerBound: number
  /** The largest `right.ts - left.ts` that joins (ms, may be negative); `>= lowerBound`. */
  readonly upperBound: number
  /** Whether a difference equal to `lowerBound` joins (default true). */
  readonly lowerBoundInclusive?: boolean
  /** Whether a difference equal to `upperBound` joins (default true). */
  readonly upperBoundInclusive?: boolean
  /** Where late left records go; without it they are dropped and counted. */
  readonly leftLateDataTag?: OutputTag<IN1> | undefined
  /** Where late right records go; without it they are dropped and counted. */
  readonly rightLateDataTag?: OutputTag<IN2> | undefined
}

/** The name of the keyed map state (timestamp → records) that buffers the left input. */
export const LEFT_BUFFER = 'interval-join-left-buffer'
/** The name of the keyed map state (timestamp → records) that buffers the right input. */
export const RIGHT_BUFFER = 'interval-join-right-buffer'
/** The timer service whose timers (namespace: the bucket's timestamp) clean up the left buffer. */
export const LEFT_CLEANUP_TIMERS = 'interval-join-left-cleanup'
/** The timer service whose timers (namespace: the bucket's timestamp) clean up the right buffer. */
export const RIGHT_CLEANUP_TIMERS = 'interval-join-right-cleanup'
/** The counter of late records dropped because no late-data side output was set. */
export const NUM_LATE_RECORDS_DROPPED = 'numLateRecordsDropped'

/** The reused context of the join function. */
class JoinContext implements ProcessJoinFunction.Context {
  left = 0
  right = 0
  result = 0

  constructor(private readonly out: Output<unknown>) {}

  leftTimestamp(): number {
    return this.left
  }

  rightTimestamp(): number {
    return this.right
  }

  timestamp(): number {
    return this.result
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    if (tag === undefined || tag === null) throw new TypeError('ctx.output() needs an OutputTag.')
    this.out.collectSide(tag, value, this.result)
  }
}

/** Removes one buffer bucket when its cleanup timer fires (the namespace is the bucket's timestamp). */
class BufferCleanup implements Triggerable<Key, number> {
  constructor(private readonly buffer: MapState<number, unknown[]>) {}

  onEventTime(timer: InternalTimer<Key, number>): void {
    this.buffer.remove(timer.namespace)
  }

  onProcessingTime(_timer: InternalTimer<Key, number>): void {}
}

/**
 * Runs an interval join: joins each left record `a` with each right record `b` of the same key
 * where `a.ts + lowerBound <= b.ts <= a.ts + upperBound` (either bound optionally exclusive),
 * calling a {@link ProcessJoinFunction} per pair.
 *
 * @remarks
 * As Flink's `IntervalJoinOperator`: each input is buffered in keyed map state, timestamp →
 * records. A record first joins the buffered records of the other side, then is buffered itself
 * until the watermark shows that no record it could join may still arrive: a left record at `t`
 * until the watermark reaches `t + upperBound`, a right record at `t` until it reaches
 * `t - lowerBound` (never before `t`). An event-time timer per (key, side, timestamp) removes the
 * bucket then, so state and timers survive a snapshot and a restore.
 *
 * A record is late when its timestamp is at or below the current watermark (`ts <= watermark`,
 * the watermark contract: no more records up to it). Late records join nothing: they go to the
 * side's late-data output if one is set, else they are dropped and counted in the
 * `numLateRecordsDropped` metric. (Flink drops records with `ts < watermark` silently; treating
 * `ts == watermark` as late makes the result exact, as a record at the watermark may already have
 * missed a partner whose buffer was cleaned up.)
 *
 * Records need event-time timestamps: one without (`NO_TIMESTAMP`) fails the task with a
 * `MissingTimestampError` (from `@strom/process`). Output records get the larger timestamp of the pair.
 *
 * @typeParam K - the key type
 * @typeParam IN1 - the left input's type
 * @typeParam IN2 - the right input's type
 * @typeParam OUT - the output type
 * @category Joins
 * @since 0.1.0
 */
export class IntervalJoinOperator<K extends Key, IN1, IN2, OUT>
  extends AbstractStreamOperator<OUT>
  implements TwoInputStreamOperator<IN1, IN2, OUT>
{
  private readonly lowerBound: number
  private readonly upperBound: number
  private readonly lowerInclusive: boolean
  private readonly upperInclusive: boolean
  private readonly leftLateTag: OutputTag<IN1> | undefined
  private readonly rightLateTag: OutputTag<IN2> | undefined
  private keySelector1!: KeySelector<IN1, K>
  private keySelector2!: KeySelector<IN2, K>
  private backend!: KeyedStateBackend<K>
  private leftBuffer!: MapState<number, IN1[]>
  private rightBuffer!: MapState<number, IN2[]>
  private leftTimers!: InternalTimerService<number>
  private rightTimers!: InternalTimerService<number>
  private collector!: TimestampedCollector<OUT>
  private context!: JoinContext
  private lateDropped!: Counter

  /**
   * @param userFunction - the function called per joined pair (this operator's own copy)
   * @param options - the bounds and late-data outputs
   */
  constructor(
    /** The function called per joined pair. */
    readonly userFunction: ProcessJoinFunction<IN1, IN2, OUT>,
    options: IntervalJoinOptions<IN1, IN2>,
  ) {
    super()
    checkBounds(options.lowerBound, options.upperBound)
    this.lowerBound = options.lowerBound
    this.upperBound = options.upperBound
    this.lowerInclusive = options.lowerBoundInclusive ?? true
    this.upperInclusive = options.upperBoundInclusive ?? true
    this.leftLateTag = options.leftLateDataTag
    this.rightLateTag = options.rightLateDataTag
  }

  override setup(setup: OperatorSetup<OUT>): void {
    super.setup(setup)
    this.collector = new TimestampedCollector(setup.output)
    this.context = new JoinContext(setup.output as Output<unknown>)
    this.lateDropped = setup.metrics.counter(NUM_LATE_RECORDS_DROPPED)
  }

  override open(): void {
    super.open()
    const setup = this.ctx
    this.keySelector1 = requireKeySelector(setup, 0)
    this.keySelector2 = requireKeySelector(setup, 1)
    this.backend = this.keyedBackend() as KeyedStateBackend<K>
    this.leftBuffer = this.backend.getOrCreateKeyedState(new MapStateDescriptor<number, IN1[]>(LEFT_BUFFER)).state
    this.rightBuffer = this.backend.getOrCreateKeyedState(new MapStateDescriptor<number, IN2[]>(RIGHT_BUFFER)).state
    const timers = this.timeServiceManager()
    this.leftTimers = timers.getInternalTimerService<number>(
      LEFT_CLEANUP_TIMERS,
      new BufferCleanup(this.leftBuffer as MapState<number, unknown[]>),
    )
    this.rightTimers = timers.getInternalTimerService<number>(
      RIGHT_CLEANUP_TIMERS,
      new BufferCleanup(this.rightBuffer as MapState<number, unknown[]>),
    )
    openFunction(this.userFunction, setup)
  }

  override close(): void {
    closeFunction(this.userFunction)
    super.close()
  }

  processElement1(value: IN1, timestamp: number): void {
    this.checkTimestamp(timestamp, 'left')
    const key = this.keySelector1(value)
    this.backend.setCurrentKey(key)
    if (timestamp <= this.leftTimers.currentWatermark()) {
      const tag = this.leftLateTag
      if (tag !== undefined) this.output.collectSide(tag, value, timestamp)
      else this.lateDropped.inc()
      return
    }
    addToBuffer(this.leftBuffer, value, timestamp)
    const other = this.rightBuffer
    for (const rightTs of other.keys()) {
      if (!this.inBounds(rightTs - timestamp)) continue
      const bucket = other.get(rightTs)!
      for (let i = 0; i < bucket.length; i++) this.emit(value, bucket[i]!, timestamp, rightTs)
    }
    const upper = this.upperBound
    this.leftTimers.registerEventTimeTimer(timestamp, upper > 0 ? timestamp + upper : timestamp)
  }

  processElement2(value: IN2, timestamp: number): void {
    this.checkTimestamp(timestamp, 'right')
    const key = this.keySelector2(value)
    this.backend.setCurrentKey(key)
    if (timestamp <= this.rightTimers.currentWatermark()) {
      const tag = this.rightLateTag
      if (tag !== undefined) this.output.collectSide(tag, value, timestamp)
      else this.lateDropped.inc()
      return
    }
    addToBuffer(this.rightBuffer, value, timestamp)
    const other = this.leftBuffer
    for (const leftTs of other.keys()) {
      if (!this.inBounds(timestamp - leftTs)) continue
      const bucket = other.get(leftTs)!
      for (let i = 0; i < bucket.length; i++) this.emit(bucket[i]!, value, leftTs, timestamp)
    }
    const lower = this.lowerBound
    this.rightTimers.registerEventTimeTimer(timestamp, lower < 0 ? timestamp - lower : timestamp)
  }

  /** Whether `right.ts - left.ts` lies within the bounds. */
  private inBounds(diff: number): boolean {
    const lo = this.lowerBound
    const hi = this.upperBound
    return (this.lowerInclusive ? diff >= lo : diff > lo) && (this.upperInclusive ? diff <= hi : diff < hi)
  }

  private emit(left: IN1, right: IN2, leftTs: number, rightTs: number): void {
    const ts = leftTs > rightTs ? leftTs : rightTs
    const c = this.context
    c.left = leftTs
    c.right = rightTs
    c.result = ts
    this.collector.timestamp = ts
    this.userFunction.processElement(left, right, c, this.collector)
  }

  private checkTimestamp(timestamp: number, side: 'left' | 'right'): void {
    if (!Number.isFinite(timestamp))
      throw new MissingTimestampError(
        `Interval join ${this.ctx.info.taskNameWithSubtask} received a ${side} record without an event-time ` +
          `timestamp (${timestamp}): interval joins work in event time only. Assign timestamps with a ` +
          'WatermarkStrategy (fromSource(..., strategy) or assignTimestampsAndWatermarks) on both inputs.',
      )
  }
}

/** Appends a record to its timestamp's bucket. */
const addToBuffer = <T>(buffer: MapState<number, T[]>, value: T, timestamp: number): void => {
  const bucket = buffer.get(timestamp)
  if (bucket === undefined) buffer.put(timestamp, [value])
  else {
    bucket.push(value)
    buffer.put(timestamp, bucket)
  }
}

/** Throws a ConfigError unless the bounds are finite numbers with `lower <= upper`. */
export const checkBounds = (lower: number, upper: number): void => {
  if (!Number.isFinite(lower) || !Number.isFinite(upper))
    throw new ConfigError(`The bounds of an interval join must be finite numbers of ms, got between(${lower}, ${upper}).`)
  if (lower > upper)
    throw new ConfigError(
      `The lower bound of an interval join must not exceed its upper bound, got between(${lower}, ${upper}).`,
    )
}

const requireKeySelector = <I, K extends Key>(setup: OperatorSetup<unknown>, index: number): KeySelector<I, K> => {
  const ks = setup.keySelectors[index]
  if (ks === undefined)
    throw new StateError(
      `Interval join ${setup.info.operatorName} needs both inputs keyed, but input ${index + 1} has no key ` +
        'selector: use keyA.intervalJoin(keyB) on two keyed streams.',
    )
  return ks as KeySelector<I, K>
}
