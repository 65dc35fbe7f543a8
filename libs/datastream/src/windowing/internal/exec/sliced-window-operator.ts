import { AbstractStreamOperator, StateError, ValueStateDescriptor } from '@strom/runtime'
import type {
  Counter,
  InternalKeyedState,
  InternalTimer,
  InternalTimerService,
  Key,
  KeyedStateBackend,
  KeySelector,
  Namespace,
  OneInputStreamOperator,
  OperatorSetup,
  OutputTag,
  ReduceFunction,
  Triggerable,
  ValueState,
} from '@strom/runtime'
import { TimestampedCollector } from '@strom/process'
import { noTimestamp } from '../../window-assigner.js'
import type { WindowAggregateFunction } from '../../window-functions.js'
import { TimeWindow, WindowSerializers } from '../../windows.js'
import type { InternalWindowFunction } from './internal-window-functions.js'
import { WindowProcessContext } from './window-contexts.js'
import { NUM_LATE_RECORDS_DROPPED, WINDOW_TIMERS } from './window-operator.js'

/** The keyed state holding one accumulator per slice (namespace: the slice's start). @internal */
export const WINDOW_SLICES = 'window-slices'
/** The keyed state of processing-time windows fired again within the ms they fired in. @internal */
export const WINDOW_REFIRE = 'window-refire'

/** Timer namespaces: fire the window ending at `t + 1`; clean it up (at `t + 1 - lateness`); fire it again. */
const FIRE = 0
const CLEANUP = 1
const REFIRE = 2

/** The start of the bucket of `size` (aligned to `offset`) that holds `t`. */
const startOf = (t: number, offset: number, size: number): number => {
  const rem = (t - offset) % size
  return rem < 0 ? t - (rem + size) : t - rem
}

const gcd = (a: number, b: number): number => {
  while (b !== 0) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

/**
 * What a sliced window operator needs: the shape of the windows, lateness, and the incremental
 * function.
 *
 * @internal
 */
export interface SlicedWindowOperatorSpec<T> {
  readonly size: number
  /** `<= size`; equal for tumbling windows. */
  readonly slide: number
  readonly offset: number
  readonly eventTime: boolean
  readonly allowedLateness: number
  readonly lateDataTag: OutputTag<T> | undefined
  /** With `aggregate`, `merge` is needed unless the windows tumble. */
  readonly contents:
    | { readonly kind: 'reduce'; readonly reduce: ReduceFunction<T> }
    | { readonly kind: 'aggregate'; readonly aggregate: WindowAggregateFunction<T, any, any> }
}

/**
 * The window operator for tumbling and sliding windows with an incremental function (reduce or
 * aggregate) and the default trigger: one accumulator per key and *slice* instead of per window.
 *
 * @remarks
 * Time is cut into slices of `gcd(size, slide)` ms aligned like the windows, so every window is a
 * run of `size / sliceSize` whole slices, and every element belongs to exactly one slice. Per
 * element the operator computes the slice and folds the element into the slice's accumulator:
 * one keyed state lookup (namespace: the slice start), no allocation once the slice exists, and a
 * timer registration only when it creates the slice. A window is combined from its slices when it
 * fires (with `merge`, or the reduce function), so the cost per element does not grow with
 * `size / slide`; for tumbling windows a slice is the window and nothing is combined.
 *
 * Timers (service {@link WINDOW_TIMERS}, per key): a new slice registers the firing of the first
 * window that contains it; each firing of window `[s, e)` registers the next window's if that
 * window shares slices with it (`[s + slide, e)` holds data). The slices `[s, s + slide)` belong
 * to no later window and are dropped when `[s, e)` is cleaned up: at once without allowed
 * lateness, else by a cleanup timer at `e - 1 + allowedLateness`. Lateness follows Flink exactly:
 * an element whose windows have all passed their cleanup time is late (side output or
 * `numLateRecordsDropped`); an element for windows the watermark passed but within the lateness
 * fires them again at once (late firing) with everything they hold.
 *
 * Everything is in keyed state and timers, so the operator snapshots and restores like any other.
 *
 * @internal
 */
export class SlicedWindowOperator<K extends Key, IN, ACC, OUT>
  extends AbstractStreamOperator<OUT>
  implements OneInputStreamOperator<IN, OUT>, Triggerable<K, Namespace>
{
  private keySelector!: KeySelector<IN, K>
  private backend!: KeyedStateBackend<K>
  private timers!: InternalTimerService<Namespace>
  private slicesNs!: InternalKeyedState<ValueState<ACC>>
  private slices!: ValueState<ACC>
  private refireNs: InternalKeyedState<ValueState<ACC>> | undefined
  private collector!: TimestampedCollector<OUT>
  private processCtx!: WindowProcessContext<TimeWindow>
  private lateDropped!: Counter
  private readonly size: number
  private readonly slide: number
  private readonly sliceSize: number
  private readonly offset: number
  private readonly endOffset: number
  private readonly tumbling: boolean
  private readonly eventTime: boolean
  private readonly lateness: number
  private readonly lateDataTag: OutputTag<IN> | undefined
  private readonly isReduce: boolean
  private readonly reduceFn: ReduceFunction<ACC>
  private readonly agg: WindowAggregateFunction<IN, ACC, unknown>
  /** Processing time: the latest timer fired; windows ending at or before it have fired. */
  private lastFired = -Infinity

  constructor(
    spec: SlicedWindowOperatorSpec<IN>,
    private readonly fn: InternalWindowFunction<any, OUT, K, TimeWindow>,
  ) {
    super()
    if (!(spec.slide <= spec.size)) throw new StateError('A sliced window operator needs slide <= size.')
    this.size = spec.size
    this.slide = spec.slide
    this.tumbling = spec.size === spec.slide
    this.sliceSize = this.tumbling ? spec.size : gcd(spec.size, spec.slide)
    this.offset = spec.offset
    this.endOffset = (spec.offset + spec.size) % spec.slide
    this.eventTime = spec.eventTime
    this.lateness = spec.eventTime ? spec.allowedLateness : 0
    this.lateDataTag = spec.lateDataTag
    const c = spec.contents
    this.isReduce = c.kind === 'reduce'
    this.reduceFn = (c.kind === 'reduce' ? c.reduce : undefined) as unknown as ReduceFunction<ACC>
    this.agg = (c.kind === 'aggregate' ? c.aggregate : undefined) as unknown as WindowAggregateFunction<IN, ACC, unknown>
    if (!this.isReduce && !this.tumbling && typeof this.agg.merge !== 'function')
      throw new StateError('Sliced sliding windows need an aggregate function with merge().')
  }

  override setup(setup: OperatorSetup<OUT>): void {
    super.setup(setup)
    this.collector = new TimestampedCollector(setup.output)
  }

  override open(): void {
    super.open()
    const ks = this.ctx.keySelectors[0]
    if (ks === undefined)
      throw new StateError(`Window operator ${this.ctx.info.operatorName} needs a keyed input: use keyBy() before window().`)
    this.keySelector = ks as KeySelector<IN, K>
    this.backend = this.keyedBackend() as KeyedStateBackend<K>
    this.timers = this.timeServiceManager().getInternalTimerService<Namespace>(WINDOW_TIMERS, this as Triggerable<Key, Namespace>)
    this.slicesNs = this.backend.getOrCreateKeyedState(new ValueStateDescriptor<ACC>(WINDOW_SLICES))
    this.slices = this.slicesNs.state
    if (!this.eventTime && !this.tumbling)
      this.refireNs = this.backend.getOrCreateKeyedState(new ValueStateDescriptor<ACC>(WINDOW_REFIRE))
    const backend = this.backend as KeyedStateBackend<Key>
    this.processCtx = new WindowProcessContext<TimeWindow>(backend, this.timers, this.ctx.output, WindowSerializers.fixedSize(this.size))
    this.lateDropped = this.ctx.metrics.counter(NUM_LATE_RECORDS_DROPPED)
    this.fn.open(this.ctx)
  }

  override close(): void {
    this.fn.close()
    super.close()
  }

  processElement(value: IN, timestamp: number): void {
    const key = this.keySelector(value)
    this.backend.setCurrentKey(key)
    let time: number
    let done: number
    if (this.eventTime) {
      if (timestamp !== timestamp) throw noTimestamp('The window operator')
      time = timestamp
      done = this.timers.currentWatermark()
    } else {
      time = this.timers.currentProcessingTime()
      done = this.tumbling ? -Infinity : this.lastFired
    }
    const sliceStart = startOf(time, this.offset, this.sliceSize)
    // the end of the first window that holds the slice
    const firstEnd = this.tumbling ? sliceStart + this.size : startOf(sliceStart, this.endOffset, this.slide) + this.slide
    if (firstEnd - 1 > done) {
      // no window of the slice has fired: fold the element in; a new slice sets its first firing
      this.slicesNs.setCurrentNamespace(sliceStart)
      const st = this.slices
      const acc = st.value()
      if (acc === undefined) {
        st.update(this.first(value))
        this.register(FIRE, firstEnd - 1)
      } else {
        const next = this.isReduce ? this.reduceFn(acc, value as unknown as ACC) : this.agg.add(value, acc)
        if (next !== acc) st.update(next)
      }
      return
    }
    if (this.eventTime) this.processLate(key, value, timestamp, sliceStart, done)
    else this.processRefire(value, sliceStart, firstEnd)
  }

  onEventTime(timer: InternalTimer<K, Namespace>): void {
    this.onTimer(timer.timestamp, timer.key, timer.namespace)
  }

  onProcessingTime(timer: InternalTimer<K, Namespace>): void {
    const t = timer.timestamp
    if (t > this.lastFired) this.lastFired = t
    this.onTimer(t, timer.key, timer.namespace)
  }

  // ---- off the common path ----

  /** Event time, the watermark passed the slice's first window: Flink's lateness rules per window. */
  private processLate(key: K, value: IN, timestamp: number, sliceStart: number, wm: number): void {
    const size = this.size
    const lateness = this.lateness
    let accepted = false
    let toFire: number[] | undefined
    let firstUnfired = NaN
    // the windows of the slice, latest start first (the order Flink's assigner gives)
    for (let w = startOf(sliceStart, this.offset, this.slide); w > sliceStart - size; w -= this.slide) {
      const end = w + size
      if (end - 1 + lateness <= wm) continue // cleaned up: the element is late for it
      accepted = true
      if (end - 1 <= wm) (toFire ??= []).push(end)
      else firstUnfired = end
    }
    if (!accepted) {
      if (timestamp + lateness <= wm) {
        if (this.lateDataTag !== undefined) this.output.collectSide(this.lateDataTag, value, timestamp)
        else this.lateDropped.inc()
      }
      return
    }
    this.addToSlice(this.slicesNs, value, sliceStart)
    if (firstUnfired === firstUnfired) this.register(FIRE, firstUnfired - 1)
    if (toFire !== undefined)
      for (const end of toFire) {
        this.emitWindow(key, end)
        this.register(CLEANUP, end - 1 + lateness)
      }
  }

  /**
   * Processing time, sliding: the slice's first window fired earlier in this very ms. As in the
   * general operator, that window starts again with this element and fires again at once; the
   * element also goes into its slice for the later windows.
   */
  private processRefire(value: IN, sliceStart: number, firstEnd: number): void {
    this.addToSlice(this.slicesNs, value, sliceStart)
    this.register(FIRE, firstEnd + this.slide - 1)
    this.addToSlice(this.refireNs!, value, firstEnd)
    this.register(REFIRE, firstEnd - 1)
  }

  private onTimer(t: number, key: K, ns: Namespace): void {
    if (ns === FIRE) {
      const end = t + 1
      const nextHasData = this.emitWindow(key, end)
      if (this.lateness === 0) this.cleanupWindow(end)
      else this.register(CLEANUP, t + this.lateness)
      if (nextHasData) this.register(FIRE, end + this.slide - 1)
    } else if (ns === CLEANUP) {
      this.cleanupWindow(t + 1 - this.lateness)
    } else {
      const end = t + 1
      const st = this.refireNs!
      st.setCurrentNamespace(end)
      const acc = st.state.value()
      if (acc === undefined) return
      st.state.clear()
      const start = end - this.size
      this.emit(key, new TimeWindow(start, end), this.isReduce ? acc : this.agg.getResult(acc))
      this.clearFunctionState(start, end)
    }
  }

  /** Combines the slices of the window ending at `end` and emits; returns whether the next window shares data. */
  private emitWindow(key: K, end: number): boolean {
    const start = end - this.size
    const ns = this.slicesNs
    const st = this.slices
    let result: unknown
    let nextHasData = false
    if (this.tumbling) {
      ns.setCurrentNamespace(start)
      const v = st.value()
      if (v === undefined) return false
      result = this.isReduce ? v : this.agg.getResult(v)
    } else {
      const nextStart = start + this.slide
      let acc: ACC | undefined
      let found = false
      for (let s = start; s < end; s += this.sliceSize) {
        ns.setCurrentNamespace(s)
        const v = st.value()
        if (v === undefined) continue
        if (s >= nextStart) nextHasData = true
        if (this.isReduce) acc = found ? this.reduceFn(acc as ACC, v) : v
        else acc = this.agg.merge!(found ? (acc as ACC) : this.agg.createAccumulator(), v)
        found = true
      }
      if (!found) return false
      result = this.isReduce ? acc : this.agg.getResult(acc as ACC)
    }
    this.emit(key, new TimeWindow(start, end), result)
    return nextHasData
  }

  private emit(key: K, window: TimeWindow, result: unknown): void {
    this.collector.timestamp = window.end - 1
    const pc = this.processCtx
    pc.set(window)
    this.fn.process(key, window, pc, result, this.collector)
  }

  /** Drops the slices no later window holds, and the function's state of the window. */
  private cleanupWindow(end: number): void {
    const start = end - this.size
    const ns = this.slicesNs
    const until = start + this.slide
    for (let s = start; s < until; s += this.sliceSize) {
      ns.setCurrentNamespace(s)
      this.slices.clear()
    }
    this.clearFunctionState(start, end)
  }

  private clearFunctionState(start: number, end: number): void {
    if (!this.fn.hasClear) return
    const window = new TimeWindow(start, end)
    const pc = this.processCtx
    pc.set(window)
    this.fn.clear(window, pc)
  }

  private addToSlice(state: InternalKeyedState<ValueState<ACC>>, value: IN, ns: number): void {
    state.setCurrentNamespace(ns)
    const st = state.state
    const acc = st.value()
    if (acc === undefined) st.update(this.first(value))
    else {
      const next = this.isReduce ? this.reduceFn(acc, value as unknown as ACC) : this.agg.add(value, acc)
      if (next !== acc) st.update(next)
    }
  }

  private first(value: IN): ACC {
    return this.isReduce ? (value as unknown as ACC) : this.agg.add(value, this.agg.createAccumulator())
  }

  private register(ns: number, time: number): void {
    if (this.eventTime) this.timers.registerEventTimeTimer(ns, time)
    else this.timers.registerProcessingTimeTimer(ns, time)
  }
}
