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

/** The keyed state of tumbling windows: one accumulator per slice (namespace: the slice's start). @internal */
export const WINDOW_SLICES = 'window-slices'
/** The keyed state of sliding windows: all the key's slices in one {@link SliceRing} (void namespace). @internal */
export const WINDOW_SLICE_RING = 'window-slice-ring'
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

/** The smallest power of 2 that is `>= n` (`n >= 1`). */
const pow2AtLeast = (n: number): number => {
  let p = 1
  while (p < n) p *= 2
  return p
}

/** A ring never starts longer than this; it grows further only while at least a quarter full. */
const MAX_INITIAL_SLOTS = 64
/** A ring never grows longer than this (slot numbers stay far from 2^31); more slices go aside. */
const MAX_SLOTS = 1 << 24

/**
 * The slices of one key of a sliding window operator, kept together in one state entry so a
 * record costs one state lookup and a firing one lookup plus an array walk.
 *
 * @remarks
 * Slice number `n` (its start is `offset + n * sliceSize`) lives in slot `n & (length - 1)` (the
 * length is a power of 2); a slice whose slot is taken by another slice lives in `more` instead
 * (out-of-order data spread wider than the ring, until the ring grows). A plain object of arrays,
 * so it snapshots by structured clone like any state value.
 *
 * @internal
 */
export interface SliceRing<ACC> {
  /** The slices' starts by slot; `NaN` for a free slot. */
  starts: number[]
  /** The slices' accumulators by slot; `undefined` for a free slot. */
  accs: (ACC | undefined)[]
  /** The number of slices held, in slots and in `more`. */
  live: number
  /** The slices whose slot another slice holds, by start; `null` when there are none. */
  more: Map<number, ACC> | null
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
 * one keyed state lookup, no allocation once the slice exists, and a timer registration only when
 * it creates the slice. A window is combined from its slices when it fires (with `merge`, or the
 * reduce function), so the cost per element does not grow with `size / slide`; for tumbling
 * windows a slice is the window and nothing is combined.
 *
 * State: tumbling windows keep each slice in its own entry of {@link WINDOW_SLICES} (namespace:
 * the slice's start), dropped when the window fires or is cleaned up. Sliding windows keep all of a
 * key's slices in one {@link SliceRing} in {@link WINDOW_SLICE_RING} (void namespace), so a record
 * costs one lookup plus an array slot, and a firing one lookup plus a walk over the window's
 * slots, not one namespaced lookup per slice; the entry goes when its last slice does.
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
  /** Tumbling: one entry per slice. */
  private slicesNs!: InternalKeyedState<ValueState<ACC>>
  private slices!: ValueState<ACC>
  /** Sliding: one ring per key. */
  private rings!: ValueState<SliceRing<ACC>>
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
  /** The length of a new ring: the slices of a window and of the lateness, and a spare one. */
  private readonly ringSlots: number
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
    const wanted = this.size / this.sliceSize + Math.ceil(this.lateness / this.sliceSize) + 2
    this.ringSlots = pow2AtLeast(Math.min(wanted, MAX_INITIAL_SLOTS))
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
    if (this.tumbling) {
      this.slicesNs = this.backend.getOrCreateKeyedState(new ValueStateDescriptor<ACC>(WINDOW_SLICES))
      this.slices = this.slicesNs.state
    } else {
      this.rings = this.backend.getOrCreateKeyedState(new ValueStateDescriptor<SliceRing<ACC>>(WINDOW_SLICE_RING)).state
      if (!this.eventTime) this.refireNs = this.backend.getOrCreateKeyedState(new ValueStateDescriptor<ACC>(WINDOW_REFIRE))
    }
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
    if (this.tumbling) {
      const end = sliceStart + this.size
      if (end - 1 > done) {
        // the window has not fired: fold the element in; a new window sets its firing
        this.slicesNs.setCurrentNamespace(sliceStart)
        const st = this.slices
        const acc = st.value()
        if (acc === undefined) {
          st.update(this.first(value))
          this.register(FIRE, end - 1)
        } else {
          const next = this.isReduce ? this.reduceFn(acc, value as unknown as ACC) : this.agg.add(value, acc)
          if (next !== acc) st.update(next)
        }
        return
      }
      if (this.eventTime) this.processLate(key, value, timestamp, sliceStart, done)
      return
    }
    // the end of the first window that holds the slice
    const firstEnd = startOf(sliceStart, this.endOffset, this.slide) + this.slide
    if (firstEnd - 1 > done) {
      // no window of the slice has fired: fold the element in; a new slice sets its first firing
      const st = this.rings
      const ring = st.value()
      if (ring !== undefined) {
        const starts = ring.starts
        const i = ((sliceStart - this.offset) / this.sliceSize) & (starts.length - 1)
        if (starts[i] === sliceStart) {
          const accs = ring.accs
          const acc = accs[i] as ACC
          accs[i] = this.isReduce ? this.reduceFn(acc, value as unknown as ACC) : this.agg.add(value, acc)
          st.update(ring)
          return
        }
      }
      if (this.addToRing(ring, value, sliceStart)) this.register(FIRE, firstEnd - 1)
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
    if (this.tumbling) this.addToSlice(this.slicesNs, value, sliceStart)
    else this.addToRing(this.rings.value(), value, sliceStart)
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
    this.addToRing(this.rings.value(), value, sliceStart)
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
    let result: unknown
    let nextHasData = false
    if (this.tumbling) {
      this.slicesNs.setCurrentNamespace(start)
      const v = this.slices.value()
      if (v === undefined) return false
      result = this.isReduce ? v : this.agg.getResult(v)
    } else {
      const ring = this.rings.value()
      if (ring === undefined) return false
      const starts = ring.starts
      const accs = ring.accs
      const more = ring.more
      const mask = starts.length - 1
      const sliceSize = this.sliceSize
      const nextStart = start + this.slide
      let acc: ACC | undefined
      let found = false
      let i = ((start - this.offset) / sliceSize) & mask
      for (let s = start; s < end; s += sliceSize, i = (i + 1) & mask) {
        let v: ACC | undefined
        if (starts[i] === s) v = accs[i]
        else if (more === null || (v = more.get(s)) === undefined) continue
        if (s >= nextStart) nextHasData = true
        if (this.isReduce) acc = found ? this.reduceFn(acc as ACC, v as ACC) : v
        else acc = this.agg.merge!(found ? (acc as ACC) : this.agg.createAccumulator(), v as ACC)
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
    const until = start + this.slide
    const sliceSize = this.sliceSize
    if (this.tumbling) {
      const ns = this.slicesNs
      ns.setCurrentNamespace(start)
      this.slices.clear()
    } else {
      const st = this.rings
      const ring = st.value()
      if (ring !== undefined) {
        const starts = ring.starts
        const accs = ring.accs
        const mask = starts.length - 1
        let i = ((start - this.offset) / sliceSize) & mask
        for (let s = start; s < until; s += sliceSize, i = (i + 1) & mask) {
          if (starts[i] === s) {
            starts[i] = NaN
            accs[i] = undefined
            ring.live--
          } else if (ring.more !== null && ring.more.delete(s)) {
            ring.live--
            if (ring.more.size === 0) ring.more = null
          }
        }
        if (ring.live === 0) st.clear()
        else st.update(ring)
      }
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

  /**
   * Folds the element into its slice in the current key's ring (`ring`, `undefined` when the key
   * has none yet); returns whether that created the slice.
   */
  private addToRing(ring: SliceRing<ACC> | undefined, value: IN, sliceStart: number): boolean {
    if (ring === undefined) {
      const n = this.ringSlots
      ring = { starts: new Array<number>(n).fill(NaN), accs: new Array<ACC | undefined>(n).fill(undefined), live: 0, more: null }
    }
    const starts = ring.starts
    const accs = ring.accs
    const i = ((sliceStart - this.offset) / this.sliceSize) & (starts.length - 1)
    let created = false
    if (starts[i] === sliceStart) {
      accs[i] = this.isReduce ? this.reduceFn(accs[i] as ACC, value as unknown as ACC) : this.agg.add(value, accs[i] as ACC)
    } else {
      const more = ring.more
      const acc = more === null ? undefined : more.get(sliceStart)
      if (acc !== undefined) {
        more!.set(sliceStart, this.isReduce ? this.reduceFn(acc, value as unknown as ACC) : this.agg.add(value, acc))
      } else {
        created = true
        const first = this.first(value)
        if (starts[i] !== starts[i]) {
          starts[i] = sliceStart
          accs[i] = first
        } else if (!this.growRing(ring, sliceStart, first)) (ring.more ??= new Map()).set(sliceStart, first)
        ring.live++
      }
    }
    this.rings.update(ring)
    return created
  }

  /**
   * A new slice's slot is taken: makes the ring long enough for all its slices and the new one
   * (which it adds) if that keeps it at least a quarter full, moving the slices of `more` in too;
   * returns whether it did.
   */
  private growRing(ring: SliceRing<ACC>, sliceStart: number, first: ACC): boolean {
    const oldStarts = ring.starts
    const oldAccs = ring.accs
    const more = ring.more
    let lo = sliceStart
    let hi = sliceStart
    for (const s of oldStarts)
      if (s === s) {
        if (s < lo) lo = s
        if (s > hi) hi = s
      }
    if (more !== null)
      for (const s of more.keys()) {
        if (s < lo) lo = s
        if (s > hi) hi = s
      }
    const n = pow2AtLeast((hi - lo) / this.sliceSize + 1)
    if (n > Math.max(this.ringSlots, 4 * (ring.live + 1)) || n > MAX_SLOTS) return false
    const starts = new Array<number>(n).fill(NaN)
    const accs = new Array<ACC | undefined>(n).fill(undefined)
    const put = (s: number, acc: ACC): void => {
      const i = ((s - this.offset) / this.sliceSize) & (n - 1)
      starts[i] = s
      accs[i] = acc
    }
    for (let i = 0; i < oldStarts.length; i++) {
      const s = oldStarts[i]!
      if (s === s) put(s, oldAccs[i] as ACC)
    }
    if (more !== null) for (const [s, acc] of more) put(s, acc)
    put(sliceStart, first)
    ring.starts = starts
    ring.accs = accs
    ring.more = null
    return true
  }

  private first(value: IN): ACC {
    return this.isReduce ? (value as unknown as ACC) : this.agg.add(value, this.agg.createAccumulator())
  }

  private register(ns: number, time: number): void {
    if (this.eventTime) this.timers.registerEventTimeTimer(ns, time)
    else this.timers.registerProcessingTimeTimer(ns, time)
  }
}
