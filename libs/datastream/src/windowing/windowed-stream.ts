import { ConfigError } from '@strom/runtime'
import { fieldReducers, type ComparableField, type NumericField } from '../functions/field-aggregations.js'
import type { Key, OutputTag, ReduceFunction } from '@strom/runtime'
import type { KeyedStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import { CountTrigger } from './count-trigger.js'
import { CountEvictor } from './evictors.js'
import type { Evictor } from './evictor.js'
import { GlobalWindows } from './global-windows.js'
import { windowOperatorFactory, type UserWindowFunction, type WindowSettings } from './internal/window-operator-factory.js'
import type { WindowContentsSpec } from './internal/exec/window-operator.js'
import { PurgingTrigger } from './purging-trigger.js'
import type { Trigger } from './trigger.js'
import { MergingWindowAssigner, type WindowAssigner } from './window-assigner.js'
import { ProcessWindowFunction, type WindowAggregateFunction, type WindowFunction } from './window-functions.js'
import type { GlobalWindow, Window } from './windows.js'

const fnName = (fn: unknown, fallback: string): string => {
  if (fn instanceof ProcessWindowFunction) return fn.constructor.name
  return fallback
}

/**
 * A keyed stream cut into windows: made by `keyedStream.window(assigner)` (or
 * `countWindow(size, slide?)`), configured with a trigger, an evictor, allowed lateness and a
 * late-data side output, and ended by a window function (`reduce`, `aggregate`, `process`,
 * `apply`), which gives the stream of results.
 *
 * @remarks
 * Semantics are Flink's:
 * - Each element goes into the windows its {@link WindowAssigner} names; a window's contents are
 *   kept per key (pre-aggregated for `reduce`/`aggregate`, all elements for `process`/`apply` or
 *   with an evictor).
 * - The {@link Trigger} (by default the assigner's: end of window in event or processing time)
 *   decides when a window fires; results carry the window's `maxTimestamp()` (`end - 1`).
 * - Event-time windows are kept until `maxTimestamp + allowedLateness` (default 0): an element
 *   arriving after the watermark passed the end but within the lateness updates the window and
 *   fires it again (a late firing). An element whose windows are all past that is late: it goes
 *   to the {@link WindowedStream.sideOutputLateData} output, or is dropped and counted in the
 *   `numLateRecordsDropped` metric.
 * - Tumbling and sliding windows with `reduce`/`aggregate` and the default trigger keep one
 *   accumulator per slice (`gcd(size, slide)` ms) instead of per window; see docs/windows.md.
 *
 * @example
 * ```ts
 * clicks
 *   .keyBy((c) => c.user)
 *   .window(SlidingEventTimeWindows.of(Duration.ofMinutes(10), Duration.ofMinutes(1)))
 *   .allowedLateness(Duration.ofSeconds(30))
 *   .sideOutputLateData(lateClicks)
 *   .aggregate(countClicks)
 * ```
 *
 * @typeParam T - the type of the elements
 * @typeParam K - the key type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class WindowedStream<T, K extends Key, W extends Window> {
  private windowTrigger: Trigger<T, W> | undefined
  private windowEvictor: Evictor<T, W> | undefined
  private lateness = 0
  private lateTag: OutputTag<T> | undefined
  private slicing = true

  /**
   * @param input - the keyed stream
   * @param assigner - puts elements into windows
   */
  constructor(
    /** The keyed stream the windows are on. */
    readonly input: KeyedStream<T, K>,
    /** The window assigner. */
    readonly assigner: WindowAssigner<NoInfer<T>, W>,
  ) {}

  /**
   * Count windows on a keyed stream, as Flink's `countWindow`: tumbling windows of `size` elements
   * (a global window with `PurgingTrigger.of(CountTrigger.of(size))`), or, with `slide`, windows
   * of the last `size` elements every `slide` elements (`CountEvictor.of(size)` and
   * `CountTrigger.of(slide)`).
   *
   * @typeParam T - the type of the elements
   * @typeParam K - the key type
   * @param input - the keyed stream
   * @param size - elements per window (a positive integer)
   * @param slide - elements between firings of sliding count windows
   */
  static countWindow<T, K extends Key>(input: KeyedStream<T, K>, size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    const ws = new WindowedStream<T, K, GlobalWindow>(input, GlobalWindows.create())
    if (slide === undefined) return ws.trigger(PurgingTrigger.of(CountTrigger.of<GlobalWindow>(size)))
    return ws.evictor(CountEvictor.of<GlobalWindow>(size)).trigger(CountTrigger.of<GlobalWindow>(slide))
  }

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this {
    if (this.assigner instanceof MergingWindowAssigner && !trigger.canMerge())
      throw new ConfigError(
        `${this.assigner.toString()} merges windows, but trigger ${trigger.toString()} cannot merge (canMerge() is false).`,
      )
    this.windowTrigger = trigger
    return this
  }

  /** Removes elements from windows when they fire (the window then keeps all its elements). */
  evictor(evictor: Evictor<T, W>): this {
    this.windowEvictor = evictor
    return this
  }

  /**
   * How long (ms of event time) after its end a window is kept for late elements (default 0).
   * Ignored by processing-time windows.
   */
  allowedLateness(ms: number): this {
    if (!(ms >= 0)) throw new ConfigError(`The allowed lateness must be >= 0 ms, got ${ms}.`)
    this.lateness = ms
    return this
  }

  /** Sends late elements (see above) to this side output instead of dropping them. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateTag = tag
    return this
  }

  /**
   * Keeps one accumulator per window instead of per slice, even where slicing applies (for
   * reduce or aggregate functions that are not commutative, or that modify their arguments).
   */
  disableSlicing(): this {
    this.slicing = false
    return this
  }

  /**
   * The sum of a numeric field per window (or of the values, for a stream of numbers); the other
   * fields are those of the window's first record, as in Flink.
   */
  sum(field?: NumericField<T>): SingleOutputStreamOperator<T> {
    return this.fieldAggregate(fieldReducers.sum(field), field === undefined, field === undefined ? 'Sum' : `Sum(${String(field)})`)
  }

  /**
   * The minimum of a field per window (or of the values); the other fields are those of the
   * window's first record (use `minBy` for the record holding the minimum).
   */
  min(field?: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.fieldAggregate(fieldReducers.extreme(field, -1), field === undefined, field === undefined ? 'Min' : `Min(${String(field)})`)
  }

  /** The maximum of a field per window (or of the values); see `min`. */
  max(field?: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.fieldAggregate(fieldReducers.extreme(field, 1), field === undefined, field === undefined ? 'Max' : `Max(${String(field)})`)
  }

  /** The record with the smallest value of a field per window; on ties the first (or, with `first = false`, the latest). */
  minBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.fieldAggregate(fieldReducers.extremeBy(field, -1, first), false, `MinBy(${String(field)})`)
  }

  /** The record with the largest value of a field per window; see `minBy`. */
  maxBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.fieldAggregate(fieldReducers.extremeBy(field, 1, first), false, `MaxBy(${String(field)})`)
  }

  /**
   * A reduce by a field aggregation. Unless it works on whole values, it keeps fields of the
   * window's first record, which depends on the order records are combined in: slices would
   * combine them by time instead of arrival, so slicing is off for it (exactly Flink's results).
   */
  private fieldAggregate(fn: ReduceFunction<T>, orderFree: boolean, name: string): SingleOutputStreamOperator<T> {
    if (!orderFree) this.disableSlicing()
    return this.reduce(fn).name(name)
  }

  /**
   * Reduces each window's elements to one with `fn`, incrementally as they arrive, and emits it
   * (or hands it to `windowFunction`).
   *
   * @remarks
   * `fn` must be associative; where slices are combined (sliding windows) it must also be
   * commutative and must not modify its arguments (return a new value).
   */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T>
  /**
   * Reduces each window's elements incrementally and gives the result to a window function, which
   * sees the key and the window.
   *
   * @typeParam O - the output type
   */
  reduce<O>(
    fn: ReduceFunction<T>,
    windowFunction: ProcessWindowFunction<T, O, K, W> | WindowFunction<T, O, K, W>,
  ): SingleOutputStreamOperator<O>
  reduce<O>(
    fn: ReduceFunction<T>,
    windowFunction?: ProcessWindowFunction<T, O, K, W> | WindowFunction<T, O, K, W>,
  ): SingleOutputStreamOperator<O> {
    return this.build<O>({ kind: 'reduce', reduce: fn }, windowFunction, `Reduce, ${fnName(windowFunction, 'PassThrough')}`)
  }

  /**
   * Aggregates each window's elements incrementally with an aggregate function and emits its
   * result.
   *
   * @typeParam ACC - the accumulator type
   * @typeParam R - the result type
   */
  aggregate<ACC, R>(fn: WindowAggregateFunction<T, ACC, R>): SingleOutputStreamOperator<R>
  /**
   * Aggregates each window's elements incrementally and gives the result to a window function.
   *
   * @typeParam ACC - the accumulator type
   * @typeParam V - the aggregate's result type
   * @typeParam R - the output type
   */
  aggregate<ACC, V, R>(
    fn: WindowAggregateFunction<T, ACC, V>,
    windowFunction: ProcessWindowFunction<V, R, K, W> | WindowFunction<V, R, K, W>,
  ): SingleOutputStreamOperator<R>
  aggregate<ACC, V, R>(
    fn: WindowAggregateFunction<T, ACC, V>,
    windowFunction?: ProcessWindowFunction<V, R, K, W> | WindowFunction<V, R, K, W>,
  ): SingleOutputStreamOperator<R> {
    return this.build<R>({ kind: 'aggregate', aggregate: fn }, windowFunction, `Aggregate, ${fnName(windowFunction, 'PassThrough')}`)
  }

  /**
   * Evaluates each window with all of its elements (kept until the window fires) and a
   * {@link ProcessWindowFunction}.
   *
   * @typeParam O - the output type
   */
  process<O>(fn: ProcessWindowFunction<T, O, K, W>): SingleOutputStreamOperator<O> {
    return this.build<O>({ kind: 'list' }, fn, fnName(fn, 'Process'))
  }

  /**
   * Evaluates each window with all of its elements and a legacy {@link WindowFunction}.
   *
   * @typeParam O - the output type
   */
  apply<O>(fn: WindowFunction<T, O, K, W>): SingleOutputStreamOperator<O> {
    return this.build<O>({ kind: 'list' }, fn, 'Apply')
  }

  /** @internal The settings so far. */
  settings(): WindowSettings<T, W> {
    return {
      assigner: this.assigner,
      trigger: this.windowTrigger,
      evictor: this.windowEvictor,
      allowedLateness: this.lateness,
      lateDataTag: this.lateTag,
      slicing: this.slicing,
    }
  }

  private build<O>(contents: WindowContentsSpec<T>, fn: UserWindowFunction<any, O, K, W>, what: string): SingleOutputStreamOperator<O> {
    const s = this.settings()
    const trigger = (s.trigger ?? this.assigner.getDefaultTrigger()).toString()
    const evictor = s.evictor === undefined ? '' : `, ${String(s.evictor)}`
    const factory = windowOperatorFactory<T, K, W, O>(s, contents, fn)
    return this.input.transform<O>(`Window(${this.assigner.toString()}, ${trigger}${evictor}, ${what})`, factory)
  }
}
