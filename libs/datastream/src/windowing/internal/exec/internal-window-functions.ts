import type { Collector, OperatorSetup, ReduceFunction } from '@strom/runtime'
import type { ProcessWindowFunction, WindowAggregateFunction, WindowFunction } from '../../window-functions.js'
import type { Window } from '../../windows.js'
import { closeFunction, openFunction } from '@strom/process'
import type { WindowProcessContext } from './window-contexts.js'

/**
 * What the window operators call when a window fires: the user's window function behind one
 * interface. `IN` is the window's contents as the operator hands them over: the pre-aggregated
 * value (reduce, aggregate) or the elements.
 *
 * @internal
 */
export interface InternalWindowFunction<IN, OUT, K, W extends Window> {
  /** Opens the user function. */
  open(setup: OperatorSetup<unknown>): void
  /** Closes the user function. */
  close(): void
  /** Evaluates a window; `ctx` is already set to it. */
  process(key: K, window: W, ctx: WindowProcessContext<W>, input: IN, out: Collector<OUT>): void
  /** The window is removed; `ctx` is already set to it. */
  clear(window: W, ctx: WindowProcessContext<W>): void
  /** Whether `clear` does anything (the sliced operator skips the call otherwise). */
  readonly hasClear: boolean
}

/** Emits the pre-aggregated value as it is (reduce or aggregate without a window function). @internal */
export class PassThroughWindowFunction<T> implements InternalWindowFunction<T, T, unknown, Window> {
  readonly hasClear = false
  open(): void {}
  close(): void {}
  process(_key: unknown, _window: Window, _ctx: WindowProcessContext<Window>, input: T, out: Collector<T>): void {
    out.collect(input)
  }
  clear(): void {}
}

/** Runs a {@link ProcessWindowFunction}; `single` wraps a pre-aggregated value in an array. @internal */
export class ProcessWindowFunctionAdapter<IN, OUT, K, W extends Window> implements InternalWindowFunction<any, OUT, K, W> {
  readonly hasClear = true

  constructor(
    private readonly fn: ProcessWindowFunction<IN, OUT, K, W>,
    private readonly single: boolean,
  ) {}

  open(setup: OperatorSetup<unknown>): void {
    openFunction(this.fn, setup)
  }

  close(): void {
    closeFunction(this.fn)
  }

  process(key: K, _window: W, ctx: WindowProcessContext<W>, input: any, out: Collector<OUT>): void {
    this.fn.process(key, ctx, this.single ? [input as IN] : (input as Iterable<IN>), out)
  }

  clear(_window: W, ctx: WindowProcessContext<W>): void {
    this.fn.clear(ctx)
  }
}

/** Runs a legacy {@link WindowFunction}; `single` wraps a pre-aggregated value in an array. @internal */
export class WindowFunctionAdapter<IN, OUT, K, W extends Window> implements InternalWindowFunction<any, OUT, K, W> {
  readonly hasClear = false

  constructor(
    private readonly fn: WindowFunction<IN, OUT, K, W>,
    private readonly single: boolean,
  ) {}

  open(): void {}
  close(): void {}

  process(key: K, window: W, _ctx: WindowProcessContext<W>, input: any, out: Collector<OUT>): void {
    this.fn(key, window, this.single ? [input as IN] : (input as Iterable<IN>), out)
  }

  clear(): void {}
}

/** Reduces the elements of a window (kept because of an evictor), then runs `inner` on the result. @internal */
export class ReduceIterableWindowFunction<T, OUT, K, W extends Window> implements InternalWindowFunction<Iterable<T>, OUT, K, W> {
  readonly hasClear: boolean

  constructor(
    private readonly reduce: ReduceFunction<T>,
    private readonly inner: InternalWindowFunction<T, OUT, K, W>,
  ) {
    this.hasClear = inner.hasClear
  }

  open(setup: OperatorSetup<unknown>): void {
    this.inner.open(setup)
  }

  close(): void {
    this.inner.close()
  }

  process(key: K, window: W, ctx: WindowProcessContext<W>, input: Iterable<T>, out: Collector<OUT>): void {
    let acc: T | undefined
    let has = false
    for (const v of input) {
      acc = has ? this.reduce(acc as T, v) : v
      has = true
    }
    if (has) this.inner.process(key, window, ctx, acc as T, out)
  }

  clear(window: W, ctx: WindowProcessContext<W>): void {
    this.inner.clear(window, ctx)
  }
}

/** Aggregates the elements of a window (kept because of an evictor), then runs `inner` on the result. @internal */
export class AggregateIterableWindowFunction<T, ACC, V, OUT, K, W extends Window>
  implements InternalWindowFunction<Iterable<T>, OUT, K, W>
{
  readonly hasClear: boolean

  constructor(
    private readonly agg: WindowAggregateFunction<T, ACC, V>,
    private readonly inner: InternalWindowFunction<V, OUT, K, W>,
  ) {
    this.hasClear = inner.hasClear
  }

  open(setup: OperatorSetup<unknown>): void {
    this.inner.open(setup)
  }

  close(): void {
    this.inner.close()
  }

  process(key: K, window: W, ctx: WindowProcessContext<W>, input: Iterable<T>, out: Collector<OUT>): void {
    let acc = this.agg.createAccumulator()
    for (const v of input) acc = this.agg.add(v, acc)
    this.inner.process(key, window, ctx, this.agg.getResult(acc), out)
  }

  clear(window: W, ctx: WindowProcessContext<W>): void {
    this.inner.clear(window, ctx)
  }
}
