import { AbstractRichFunction } from '@strom/process'
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  Collector,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  OutputTag,
  ReducingState,
  ReducingStateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '@strom/runtime'
import type { Window } from './windows.js'

/**
 * Keyed state by descriptor, in one scope: the current key and window
 * ({@link ProcessWindowFunction.Context.windowState}) or the current key across windows
 * ({@link ProcessWindowFunction.Context.globalState}).
 *
 * @category Windows
 * @since 0.1.0
 */
export interface KeyedStateStore {
  /** A value. */
  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>
  /** A list. */
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>
  /** A map. */
  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV>
  /** A value that added values are reduced into. */
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>
  /** An accumulator that added values are aggregated into. */
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>
}

/**
 * Evaluates a window with all of its elements at once (and, combined with `reduce` or
 * `aggregate`, with the one pre-aggregated result), seeing the window, time, state and side
 * outputs: the most general window function.
 *
 * @remarks
 * `process` is called each time the window fires; records it emits get the window's
 * `maxTimestamp()` as timestamp. `clear` is called when the window is removed (its cleanup time
 * passed): clear the per-window state ({@link ProcessWindowFunction.Context.windowState}) there.
 * The context and collector are reused between calls: never keep them.
 *
 * @example
 * ```ts
 * class CountWithFirings extends ProcessWindowFunction<Click, string, string, TimeWindow> {
 *   private readonly firings = new ValueStateDescriptor<number>('firings')
 *   process(user: string, ctx: ProcessWindowFunction.Context<TimeWindow>, clicks: Iterable<Click>, out: Collector<string>) {
 *     const n = ctx.windowState().getState(this.firings)
 *     n.update((n.value() ?? 0) + 1)
 *     out.collect(`${user} ${ctx.window.start}: ${[...clicks].length} clicks (firing ${n.value()})`)
 *   }
 *   override clear(ctx: ProcessWindowFunction.Context<TimeWindow>) {
 *     ctx.windowState().getState(this.firings).clear()
 *   }
 * }
 * ```
 *
 * @typeParam IN - the type of the elements (or of the pre-aggregated result)
 * @typeParam OUT - the output type
 * @typeParam K - the key type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export abstract class ProcessWindowFunction<IN, OUT, K, W extends Window> extends AbstractRichFunction {
  /**
   * Evaluates the window.
   *
   * @param key - the key of the window
   * @param context - the window, time, state and side outputs; reused, never keep it
   * @param elements - the window's elements (one, with `reduce`/`aggregate`)
   * @param out - emits records with the window's `maxTimestamp()`; reused
   */
  abstract process(key: K, context: ProcessWindowFunction.Context<W>, elements: Iterable<IN>, out: Collector<OUT>): void

  /** The window is being removed: clear its per-window state. Nothing by default. */
  clear(context: ProcessWindowFunction.Context<W>): void {
    void context
  }
}

/**
 * The types that go with {@link ProcessWindowFunction}.
 *
 * @category Windows
 * @since 0.1.0
 */
export namespace ProcessWindowFunction {
  /**
   * What a {@link ProcessWindowFunction} sees besides the elements.
   *
   * @typeParam W - the window type
   * @category Windows
   * @since 0.1.0
   */
  export interface Context<W extends Window> {
    /** The window being evaluated (or cleared). */
    readonly window: W
    /** The current processing time. */
    currentProcessingTime(): number
    /** The current watermark. */
    currentWatermark(): number
    /**
     * State of the current key and this window: cleared with the window only if `clear` does it.
     * Ask for the state objects in each call; they are switched to the window of the call.
     */
    windowState(): KeyedStateStore
    /** State of the current key, shared by all of its windows. */
    globalState(): KeyedStateStore
    /** Emits a record to a side output, with the window's `maxTimestamp()`. */
    output<X>(tag: OutputTag<X>, value: X): void
  }
}

/**
 * The {@link ProcessWindowFunction} of a non-keyed window (`windowAll`).
 *
 * @typeParam IN - the type of the elements (or of the pre-aggregated result)
 * @typeParam OUT - the output type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export abstract class ProcessAllWindowFunction<IN, OUT, W extends Window> extends AbstractRichFunction {
  /**
   * Evaluates the window.
   *
   * @param context - the window, time, state and side outputs; reused, never keep it
   * @param elements - the window's elements (one, with `reduce`/`aggregate`)
   * @param out - emits records with the window's `maxTimestamp()`; reused
   */
  abstract process(context: ProcessAllWindowFunction.Context<W>, elements: Iterable<IN>, out: Collector<OUT>): void

  /** The window is being removed: clear its per-window state. Nothing by default. */
  clear(context: ProcessAllWindowFunction.Context<W>): void {
    void context
  }
}

/**
 * The types that go with {@link ProcessAllWindowFunction}.
 *
 * @category Windows
 * @since 0.1.0
 */
export namespace ProcessAllWindowFunction {
  /**
   * What a {@link ProcessAllWindowFunction} sees besides the elements: the same as a keyed one's.
   *
   * @typeParam W - the window type
   * @category Windows
   * @since 0.1.0
   */
  export type Context<W extends Window> = ProcessWindowFunction.Context<W>
}

/**
 * The legacy window function of `apply`: the key, the window and its elements.
 *
 * @typeParam IN - the type of the elements (or of the pre-aggregated result)
 * @typeParam OUT - the output type
 * @typeParam K - the key type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export type WindowFunction<IN, OUT, K, W extends Window> = (key: K, window: W, input: Iterable<IN>, out: Collector<OUT>) => void

/**
 * The legacy window function of a non-keyed window's `apply`.
 *
 * @typeParam IN - the type of the elements (or of the pre-aggregated result)
 * @typeParam OUT - the output type
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export type AllWindowFunction<IN, OUT, W extends Window> = (window: W, input: Iterable<IN>, out: Collector<OUT>) => void

/**
 * The aggregation of a window's `aggregate`: the runtime's `AggregateFunction`, where `merge` may
 * be left out.
 *
 * @remarks
 * `merge` is needed for session windows (accumulators of merged windows merge) and lets sliding
 * windows keep one accumulator per slice instead of per window (see docs/windows.md); without it
 * a sliding window adds every element to each of its windows. `add` may change and return the
 * accumulator it gets; `merge(a, b)` may change and return `a`, but must not change `b`.
 *
 * @typeParam IN - the type of the elements
 * @typeParam ACC - the accumulator type
 * @typeParam OUT - the result type
 * @category Windows
 * @since 0.1.0
 */
export interface WindowAggregateFunction<IN, ACC, OUT> {
  /** A new, empty accumulator. */
  createAccumulator(): ACC
  /** Adds an element to an accumulator. */
  add(value: IN, accumulator: ACC): ACC
  /** The result of an accumulator. */
  getResult(accumulator: ACC): OUT
  /** Merges two accumulators (optional, see above). */
  merge?(a: ACC, b: ACC): ACC
}
