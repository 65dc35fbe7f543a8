import { cloneFunction } from '@strom/process'
import type { Key, OutputTag } from '@strom/runtime'
import type { KeyedStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import { checkBounds, IntervalJoinOperator } from './internal/exec/interval-join-operator.js'
import type { ProcessJoinFunction } from './process-join-function.js'

/**
 * The first step of an interval join of two keyed streams: `left.intervalJoin(right)`; set the
 * time bounds with {@link IntervalJoin.between}.
 *
 * @remarks
 * An interval join joins each left record `a` with each right record `b` of the same key whose
 * timestamp lies in an interval relative to `a`'s: `a.ts + lower <= b.ts <= a.ts + upper`. It
 * works in event time only. Unlike a window join, the pairs come out as soon as both records are
 * there, and a record is kept only as long as the watermark says a partner may still come. See
 * `docs/joins.md`.
 *
 * {@includeCode ./interval-join.spec.ts#example}
 *
 * @typeParam T1 - the left stream's type
 * @typeParam T2 - the right stream's type
 * @typeParam K - the common key type
 * @category Joins
 * @since 0.1.0
 */
export class IntervalJoin<T1, T2, K extends Key> {
  constructor(
    /** The left input. */
    readonly left: KeyedStream<T1, K>,
    /** The right input. */
    readonly right: KeyedStream<T2, K>,
  ) {}

  /**
   * Joins `a` with `b` when `a.ts + lowerBound <= b.ts <= a.ts + upperBound` (both bounds
   * inclusive unless made exclusive).
   *
   * @param lowerBound - ms, may be negative (a right record before the left one)
   * @param upperBound - ms, `>= lowerBound`; a ConfigError otherwise
   */
  between(lowerBound: number, upperBound: number): IntervalJoined<T1, T2, K> {
    checkBounds(lowerBound, upperBound)
    return new IntervalJoined<T1, T2, K>(this.left, this.right, lowerBound, upperBound)
  }
}

/**
 * An interval join with its bounds: make a bound exclusive, route late records to side outputs,
 * then {@link IntervalJoined.process} the pairs.
 *
 * @remarks
 * A record is late when its timestamp is at or below the join's current watermark. It joins
 * nothing: it goes to the late-data side output of its side when one is set
 * ({@link IntervalJoined.sideOutputLeftLateData}, {@link IntervalJoined.sideOutputRightLateData}),
 * else it is dropped and counted in the operator's `numLateRecordsDropped` metric.
 *
 * @typeParam T1 - the left stream's type
 * @typeParam T2 - the right stream's type
 * @typeParam K - the common key type
 * @category Joins
 * @since 0.1.0
 */
export class IntervalJoined<T1, T2, K extends Key> {
  private lowerInclusive = true
  private upperInclusive = true
  private leftLateTag: OutputTag<T1> | undefined
  private rightLateTag: OutputTag<T2> | undefined

  constructor(
    /** The left input. */
    readonly left: KeyedStream<T1, K>,
    /** The right input. */
    readonly right: KeyedStream<T2, K>,
    /** The smallest `right.ts - left.ts` that joins. */
    readonly lowerBound: number,
    /** The largest `right.ts - left.ts` that joins. */
    readonly upperBound: number,
  ) {}

  /** Makes the lower bound exclusive: `b.ts - a.ts > lowerBound`. */
  lowerBoundExclusive(): this {
    this.lowerInclusive = false
    return this
  }

  /** Makes the upper bound exclusive: `b.ts - a.ts < upperBound`. */
  upperBoundExclusive(): this {
    this.upperInclusive = false
    return this
  }

  /**
   * Sends late left records to a side output instead of dropping them; read it with
   * `getSideOutput(tag)` on the stream {@link IntervalJoined.process} returns.
   */
  sideOutputLeftLateData(tag: OutputTag<T1>): this {
    this.leftLateTag = tag
    return this
  }

  /** Sends late right records to a side output instead of dropping them. */
  sideOutputRightLateData(tag: OutputTag<T2>): this {
    this.rightLateTag = tag
    return this
  }

  /**
   * Calls `fn` for every joined pair; the stream of what it emits. Each subtask runs its own copy
   * of `fn`.
   *
   * @typeParam OUT - the output type
   */
  process<OUT>(fn: ProcessJoinFunction<T1, T2, OUT>): SingleOutputStreamOperator<OUT> {
    const options = {
      lowerBound: this.lowerBound,
      upperBound: this.upperBound,
      lowerBoundInclusive: this.lowerInclusive,
      upperBoundInclusive: this.upperInclusive,
      leftLateDataTag: this.leftLateTag,
      rightLateDataTag: this.rightLateTag,
    }
    return this.left
      .connect(this.right)
      .transform<OUT>('Interval Join', () => new IntervalJoinOperator<K, T1, T2, OUT>(cloneFunction(fn), options))
  }
}
