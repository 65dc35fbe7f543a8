import type { OutputTag, ReduceFunction } from '@strom/runtime'
import type { ComparableField, NumericField } from '../functions/field-aggregations.js'
import type { DataStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import type { Evictor } from './evictor.js'
import type { CopyableWindowFunction } from './internal/window-operator-factory.js'
import type { Trigger } from './trigger.js'
import type { WindowAssigner } from './window-assigner.js'
import {
  ProcessAllWindowFunction,
  ProcessWindowFunction,
  type AllWindowFunction,
  type WindowAggregateFunction,
  type WindowFunction,
} from './window-functions.js'
import { WindowedStream } from './windowed-stream.js'
import type { GlobalWindow, Window } from './windows.js'
import { cloneFunction, type RuntimeContext } from '@strom/process'
import type { Collector } from '@strom/runtime'

/** The one key of a non-keyed window. */
const ALL = (): number => 0

/** Runs a ProcessAllWindowFunction as the keyed window function of the one key. */
class AllWindowProcessAdapter<IN, OUT, W extends Window>
  extends ProcessWindowFunction<IN, OUT, number, W>
  implements CopyableWindowFunction
{
  constructor(private readonly inner: ProcessAllWindowFunction<IN, OUT, W>) {
    super()
  }

  copy(): AllWindowProcessAdapter<IN, OUT, W> {
    return new AllWindowProcessAdapter(cloneFunction(this.inner))
  }

  override open(ctx: RuntimeContext): void {
    this.inner.setRuntimeContext(ctx)
    this.inner.open(ctx)
  }

  override close(): void {
    try {
      this.inner.close()
    } finally {
      this.inner.setRuntimeContext(undefined)
    }
  }

  process(_key: number, context: ProcessWindowFunction.Context<W>, elements: Iterable<IN>, out: Collector<OUT>): void {
    this.inner.process(context, elements, out)
  }

  override clear(context: ProcessWindowFunction.Context<W>): void {
    this.inner.clear(context)
  }
}

const keyed = <IN, OUT, W extends Window>(
  fn: ProcessAllWindowFunction<IN, OUT, W> | AllWindowFunction<IN, OUT, W>,
): ProcessWindowFunction<IN, OUT, number, W> | WindowFunction<IN, OUT, number, W> =>
  fn instanceof ProcessAllWindowFunction ? new AllWindowProcessAdapter(fn) : (_k, w, input, out) => fn(w, input, out)

/**
 * A non-keyed stream cut into windows (`stream.windowAll(assigner)`): every element goes through
 * one window operator, which runs with parallelism 1.
 *
 * @remarks
 * The same windows, triggers, evictors, lateness and window functions as a
 * {@link WindowedStream}, without a key (window functions are {@link ProcessAllWindowFunction}s
 * and {@link AllWindowFunction}s). Runs as one subtask: for large streams, pre-aggregate by key
 * first.
 *
 * @typeParam T - the type of the elements
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export class AllWindowedStream<T, W extends Window> {
  private readonly windowed: WindowedStream<T, number, W>

  /**
   * @param input - the stream
   * @param assigner - puts elements into windows
   */
  constructor(input: DataStream<T>, assigner: WindowAssigner<NoInfer<T>, W>) {
    this.windowed = new WindowedStream<T, number, W>(input.keyBy(ALL), assigner)
  }

  /**
   * Count windows over the whole stream, as Flink's `countWindowAll` (see
   * {@link WindowedStream.countWindow}).
   *
   * @typeParam T - the type of the elements
   */
  static countWindowAll<T>(input: DataStream<T>, size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    const s = Object.create(AllWindowedStream.prototype) as AllWindowedStream<T, GlobalWindow>
    ;(s as unknown as { windowed: WindowedStream<T, number, GlobalWindow> }).windowed = WindowedStream.countWindow(
      input.keyBy(ALL),
      size,
      slide,
    )
    return s
  }

  /** Replaces the assigner's default trigger. */
  trigger(trigger: Trigger<T, W>): this {
    this.windowed.trigger(trigger)
    return this
  }

  /** Removes elements from windows when they fire. */
  evictor(evictor: Evictor<T, W>): this {
    this.windowed.evictor(evictor)
    return this
  }

  /** How long (ms of event time) after its end a window is kept for late elements (default 0). */
  allowedLateness(ms: number): this {
    this.windowed.allowedLateness(ms)
    return this
  }

  /** Sends late elements to this side output instead of dropping them. */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.windowed.sideOutputLateData(tag)
    return this
  }

  /** Keeps one accumulator per window instead of per slice (see {@link WindowedStream.disableSlicing}). */
  disableSlicing(): this {
    this.windowed.disableSlicing()
    return this
  }

  /** The sum of a numeric field per window, or of the values (see {@link WindowedStream.sum}). */
  sum(field?: NumericField<T>): SingleOutputStreamOperator<T> {
    return this.windowed.sum(field).fixParallelism(1)
  }

  /** The minimum of a field per window, or of the values (see {@link WindowedStream.min}). */
  min(field?: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.windowed.min(field).fixParallelism(1)
  }

  /** The maximum of a field per window, or of the values (see {@link WindowedStream.max}). */
  max(field?: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.windowed.max(field).fixParallelism(1)
  }

  /** The record with the smallest value of a field per window (see {@link WindowedStream.minBy}). */
  minBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.windowed.minBy(field, first).fixParallelism(1)
  }

  /** The record with the largest value of a field per window (see {@link WindowedStream.maxBy}). */
  maxBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.windowed.maxBy(field, first).fixParallelism(1)
  }

  /** Reduces each window's elements to one (see {@link WindowedStream.reduce}). */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T>
  /**
   * Reduces each window's elements and gives the result to a window function.
   *
   * @typeParam O - the output type
   */
  reduce<O>(fn: ReduceFunction<T>, windowFunction: ProcessAllWindowFunction<T, O, W> | AllWindowFunction<T, O, W>): SingleOutputStreamOperator<O>
  reduce<O>(fn: ReduceFunction<T>, windowFunction?: ProcessAllWindowFunction<T, O, W> | AllWindowFunction<T, O, W>): SingleOutputStreamOperator<O> {
    const out =
      windowFunction === undefined
        ? (this.windowed.reduce(fn) as unknown as SingleOutputStreamOperator<O>)
        : this.windowed.reduce<O>(fn, keyed(windowFunction))
    return out.fixParallelism(1)
  }

  /**
   * Aggregates each window's elements (see {@link WindowedStream.aggregate}).
   *
   * @typeParam ACC - the accumulator type
   * @typeParam R - the result type
   */
  aggregate<ACC, R>(fn: WindowAggregateFunction<T, ACC, R>): SingleOutputStreamOperator<R>
  /**
   * Aggregates each window's elements and gives the result to a window function.
   *
   * @typeParam ACC - the accumulator type
   * @typeParam V - the aggregate's result type
   * @typeParam R - the output type
   */
  aggregate<ACC, V, R>(
    fn: WindowAggregateFunction<T, ACC, V>,
    windowFunction: ProcessAllWindowFunction<V, R, W> | AllWindowFunction<V, R, W>,
  ): SingleOutputStreamOperator<R>
  aggregate<ACC, V, R>(
    fn: WindowAggregateFunction<T, ACC, V>,
    windowFunction?: ProcessAllWindowFunction<V, R, W> | AllWindowFunction<V, R, W>,
  ): SingleOutputStreamOperator<R> {
    const out =
      windowFunction === undefined
        ? (this.windowed.aggregate(fn) as unknown as SingleOutputStreamOperator<R>)
        : this.windowed.aggregate<ACC, V, R>(fn, keyed(windowFunction))
    return out.fixParallelism(1)
  }

  /**
   * Evaluates each window with all of its elements and a {@link ProcessAllWindowFunction}.
   *
   * @typeParam O - the output type
   */
  process<O>(fn: ProcessAllWindowFunction<T, O, W>): SingleOutputStreamOperator<O> {
    return this.windowed.process<O>(new AllWindowProcessAdapter(fn)).fixParallelism(1)
  }

  /**
   * Evaluates each window with all of its elements and a legacy {@link AllWindowFunction}.
   *
   * @typeParam O - the output type
   */
  apply<O>(fn: AllWindowFunction<T, O, W>): SingleOutputStreamOperator<O> {
    return this.windowed.apply<O>((_k, w, input, out) => fn(w, input, out)).fixParallelism(1)
  }
}
