import {
  AbstractStreamOperator,
  AggregatingStateDescriptor,
  ConfigError,
  ListStateDescriptor,
  ReducingStateDescriptor,
  StateError,
  ValueStateDescriptor,
} from '@strom/runtime'
import type {
  AggregateFunction,
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
  State,
  StateDescriptor,
  Triggerable,
  ValueState,
} from '@strom/runtime'
import { TimestampedCollector } from '@strom/process'
import type { Evictor, TimestampedValue } from '../../evictor.js'
import { TriggerResult, type Trigger } from '../../trigger.js'
import { MergingWindowAssigner, type WindowAssigner, type WindowAssignerContext } from '../../window-assigner.js'
import type { WindowAggregateFunction } from '../../window-functions.js'
import type { Window, WindowSerializer } from '../../windows.js'
import type { InternalWindowFunction } from './internal-window-functions.js'
import { MergingWindowSet, type MergeFunction } from './merging-window-set.js'
import { WindowProcessContext, WindowTriggerContext } from './window-contexts.js'

/** The timer service of the window operators (timers are checkpointed under this name). @internal */
export const WINDOW_TIMERS = 'window-timers'
/** The keyed state holding each window's contents. @internal */
export const WINDOW_CONTENTS = 'window-contents'
/** The keyed state (void namespace) holding a key's merging window set. @internal */
export const MERGING_WINDOW_SET = 'window-merging-set'
/** The counter of late elements dropped because no late-data side output was set. @internal */
export const NUM_LATE_RECORDS_DROPPED = 'numLateRecordsDropped'

/**
 * How a window keeps its contents: pre-aggregated by a reduce or aggregate function, or as the
 * list of its elements.
 *
 * @internal
 */
export type WindowContentsSpec<T> =
  | { readonly kind: 'reduce'; readonly reduce: ReduceFunction<T> }
  | { readonly kind: 'aggregate'; readonly aggregate: WindowAggregateFunction<T, any, any> }
  | { readonly kind: 'list' }

/**
 * The configuration of a window operator, shared by its subtasks.
 *
 * @internal
 */
export interface WindowOperatorSpec<T, W extends Window> {
  readonly assigner: WindowAssigner<T, W>
  readonly trigger: Trigger<T, W>
  /** With an evictor, the contents are always the list of elements with their timestamps. */
  readonly evictor: Evictor<T, W> | undefined
  readonly allowedLateness: number
  readonly lateDataTag: OutputTag<T> | undefined
  readonly contents: WindowContentsSpec<T>
}

/** The contents state, whatever its kind: reducing, aggregating or list state. */
interface AppendingState extends State {
  add(value: unknown): void
  get(): unknown
}

/** An aggregate function the runtime's aggregating state accepts, even without `merge`. */
const withMerge = <T>(agg: WindowAggregateFunction<T, any, any>): AggregateFunction<T, any, any> => {
  if (typeof agg.merge === 'function') return agg as AggregateFunction<T, any, any>
  const full = Object.create(agg) as AggregateFunction<T, any, any>
  full.merge = () => {
    throw new ConfigError('This aggregate function has no merge(), which merging windows need.')
  }
  return full
}

const contentsDescriptor = <T>(spec: WindowOperatorSpec<T, Window>): StateDescriptor<State> => {
  if (spec.evictor !== undefined) return new ListStateDescriptor<TimestampedValue<T>>(WINDOW_CONTENTS)
  const c = spec.contents
  switch (c.kind) {
    case 'reduce':
      return new ReducingStateDescriptor<T>(WINDOW_CONTENTS, c.reduce)
    case 'aggregate':
      return new AggregatingStateDescriptor(WINDOW_CONTENTS, withMerge(c.aggregate))
    default:
      return new ListStateDescriptor<T>(WINDOW_CONTENTS)
  }
}

/**
 * The general window operator (Flink's `WindowOperator` and `EvictingWindowOperator` in one):
 * any assigner (merging ones included), trigger, evictor and window function.
 *
 * @remarks
 * Per element: assign windows; for each window that is not late (its cleanup time
 * `maxTimestamp + allowedLateness` is still ahead of the watermark, for event time) add the
 * element to the window's state (namespace: the window), ask the trigger, fire and/or purge, and
 * register the window's cleanup timer. An element that fits no window and is late goes to the
 * late-data side output, or is dropped and counted in `numLateRecordsDropped`. Timers (namespace:
 * the window) go to the trigger; at the cleanup time the window's state, trigger state and
 * per-window function state are cleared. Merging windows keep a {@link MergingWindowSet} per key.
 *
 * All state lives in the keyed state backend and all timers in the timer service
 * {@link WINDOW_TIMERS}, so snapshots of the two restore the operator.
 *
 * @internal
 */
export class WindowOperator<K extends Key, IN, OUT, W extends Window>
  extends AbstractStreamOperator<OUT>
  implements OneInputStreamOperator<IN, OUT>, Triggerable<K, Namespace>, MergeFunction<W>
{
  private keySelector!: KeySelector<IN, K>
  private backend!: KeyedStateBackend<K>
  private timers!: InternalTimerService<Namespace>
  private windowState!: InternalKeyedState<State>
  private contents!: AppendingState
  private mergingSetState: ValueState<Namespace[]> | undefined
  private triggerCtx!: WindowTriggerContext<W>
  private processCtx!: WindowProcessContext<W>
  private collector!: TimestampedCollector<OUT>
  private lateDropped!: Counter
  private readonly assigner: WindowAssigner<IN, W>
  private readonly trigger: Trigger<IN, W>
  private readonly evictor: Evictor<IN, W> | undefined
  private readonly serializer: WindowSerializer<W>
  private readonly merging: boolean
  private readonly eventTime: boolean
  private readonly allowedLateness: number
  private readonly lateDataTag: OutputTag<IN> | undefined
  private readonly listContents: boolean
  private currentKey: K = undefined as unknown as K
  private readonly assignerContext: WindowAssignerContext = {
    getCurrentProcessingTime: () => this.timers.currentProcessingTime(),
  }

  constructor(
    private readonly spec: WindowOperatorSpec<IN, W>,
    private readonly fn: InternalWindowFunction<any, OUT, K, W>,
  ) {
    super()
    this.assigner = spec.assigner
    this.trigger = spec.trigger
    this.evictor = spec.evictor
    this.serializer = spec.assigner.getWindowSerializer()
    this.merging = spec.assigner instanceof MergingWindowAssigner
    this.eventTime = spec.assigner.isEventTime()
    this.allowedLateness = spec.allowedLateness
    this.lateDataTag = spec.lateDataTag
    this.listContents = spec.evictor !== undefined || spec.contents.kind === 'list'
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
    this.windowState = this.backend.getOrCreateKeyedState(contentsDescriptor(this.spec as WindowOperatorSpec<IN, Window>))
    this.contents = this.windowState.state as AppendingState
    if (this.merging)
      this.mergingSetState = this.backend.getOrCreateKeyedState(new ValueStateDescriptor<Namespace[]>(MERGING_WINDOW_SET)).state
    const backend = this.backend as KeyedStateBackend<Key>
    this.triggerCtx = new WindowTriggerContext<W>(backend, this.timers, this.serializer, this.ctx.metrics)
    this.processCtx = new WindowProcessContext<W>(backend, this.timers, this.ctx.output, this.serializer)
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
    this.currentKey = key
    const windows = this.assigner.assignWindows(value, timestamp, this.assignerContext)
    let skipped = true
    if (this.merging) {
      const set = this.mergingWindowSet()
      for (const window of windows) {
        const actual = set.addWindow(window, this)
        if (this.isWindowLate(actual)) {
          set.retireWindow(actual)
          continue
        }
        skipped = false
        const stateWindow = set.getStateWindow(actual)
        if (stateWindow === undefined) throw new StateError(`Window ${String(window)} is not in the merging window set.`)
        this.windowState.setCurrentNamespace(this.serializer.toNamespace(stateWindow))
        this.addElement(value, timestamp, actual)
      }
      set.persist()
    } else {
      for (const window of windows) {
        if (this.isWindowLate(window)) continue
        skipped = false
        this.windowState.setCurrentNamespace(this.serializer.toNamespace(window))
        this.addElement(value, timestamp, window)
      }
    }
    if (skipped && this.isElementLate(timestamp)) {
      if (this.lateDataTag !== undefined) this.output.collectSide(this.lateDataTag, value, timestamp)
      else this.lateDropped.inc()
    }
  }

  onEventTime(timer: InternalTimer<K, Namespace>): void {
    this.onTimer(timer.timestamp, timer.key, timer.namespace, true)
  }

  onProcessingTime(timer: InternalTimer<K, Namespace>): void {
    this.onTimer(timer.timestamp, timer.key, timer.namespace, false)
  }

  /** @internal Windows merged: called by the merging window set. */
  merge(mergeResult: W, mergedWindows: readonly W[], stateWindowResult: W, mergedStateWindows: readonly W[]): void {
    if (this.eventTime && mergeResult.maxTimestamp() + this.allowedLateness <= this.timers.currentWatermark())
      throw new StateError(
        `Window operator ${this.ctx.info.operatorName}: merging made ${String(mergeResult)} end before the current watermark ${this.timers.currentWatermark()}.`,
      )
    if (!this.eventTime && mergeResult.maxTimestamp() <= this.timers.currentProcessingTime())
      throw new StateError(
        `Window operator ${this.ctx.info.operatorName}: merging made ${String(mergeResult)} end before the current processing time ${this.timers.currentProcessingTime()}.`,
      )
    const tc = this.triggerCtx
    const ser = this.serializer
    tc.set(mergeResult)
    tc.mergedNamespaces = mergedWindows.map((w) => ser.toNamespace(w))
    try {
      this.trigger.onMerge(mergeResult, tc)
    } finally {
      tc.mergedNamespaces = []
    }
    for (const m of mergedWindows) {
      tc.set(m)
      this.trigger.clear(m, tc)
      this.deleteCleanupTimer(m)
    }
    if (mergedStateWindows.length > 0)
      this.windowState.mergeNamespaces(
        ser.toNamespace(stateWindowResult),
        mergedStateWindows.map((w) => ser.toNamespace(w)),
      )
  }

  // ---- per window ----

  /** Adds an element to a window (its state namespace set) and runs the trigger. */
  private addElement(value: IN, timestamp: number, window: W): void {
    if (this.evictor !== undefined) this.contents.add({ value, timestamp } satisfies TimestampedValue<IN>)
    else this.contents.add(value)
    const tc = this.triggerCtx
    tc.set(window)
    const r = this.trigger.onElement(value, timestamp, window, tc)
    if (TriggerResult.isFire(r)) {
      const contents = this.contents.get()
      if (this.isEmpty(contents)) return
      this.emitWindowContents(this.currentKey, window, contents)
    }
    if (TriggerResult.isPurge(r)) this.contents.clear()
    this.registerCleanupTimer(window)
  }

  private onTimer(time: number, key: K, namespace: Namespace, eventTime: boolean): void {
    this.currentKey = key
    const window = this.serializer.fromNamespace(namespace)
    let set: MergingWindowSet<W> | undefined
    if (this.merging) {
      set = this.mergingWindowSet()
      const stateWindow = set.getStateWindow(window)
      // a timer of a window that is gone (a trigger did not delete it): nothing to do
      if (stateWindow === undefined) return
      this.windowState.setCurrentNamespace(this.serializer.toNamespace(stateWindow))
    } else this.windowState.setCurrentNamespace(namespace)
    const tc = this.triggerCtx
    tc.set(window)
    const r = eventTime ? this.trigger.onEventTime(time, window, tc) : this.trigger.onProcessingTime(time, window, tc)
    if (TriggerResult.isFire(r)) {
      const contents = this.contents.get()
      if (!this.isEmpty(contents)) this.emitWindowContents(key, window, contents)
    }
    if (TriggerResult.isPurge(r)) this.contents.clear()
    if (this.eventTime === eventTime && time === this.cleanupTime(window)) this.clearAllState(window, set)
    set?.persist()
  }

  private emitWindowContents(key: K, window: W, contents: unknown): void {
    this.collector.timestamp = window.maxTimestamp()
    const pc = this.processCtx
    pc.set(window)
    const evictor = this.evictor
    if (evictor === undefined) {
      this.fn.process(key, window, pc, contents, this.collector)
      return
    }
    const records = Array.from(contents as Iterable<TimestampedValue<IN>>)
    const tc = this.triggerCtx
    evictor.evictBefore(records, records.length, window, tc)
    const values: IN[] = records.map((r) => r.value)
    this.fn.process(key, window, pc, values, this.collector)
    evictor.evictAfter(records, records.length, window, tc)
    ;(this.contents as unknown as { update(v: Iterable<unknown>): void }).update(records)
  }

  private clearAllState(window: W, set: MergingWindowSet<W> | undefined): void {
    this.contents.clear()
    this.trigger.clear(window, this.triggerCtx)
    const pc = this.processCtx
    pc.set(window)
    this.fn.clear(window, pc)
    set?.retireWindow(window)
  }

  private isEmpty(contents: unknown): boolean {
    if (contents === undefined || contents === null) return true
    if (!this.listContents) return false
    if (Array.isArray(contents)) return contents.length === 0
    return (contents as Iterable<unknown>)[Symbol.iterator]().next().done === true
  }

  private mergingWindowSet(): MergingWindowSet<W> {
    return new MergingWindowSet<W>(
      this.assigner as unknown as MergingWindowAssigner<unknown, W>,
      this.serializer,
      this.mergingSetState!,
    )
  }

  // ---- lateness and cleanup ----

  private cleanupTime(window: W): number {
    return this.eventTime ? window.maxTimestamp() + this.allowedLateness : window.maxTimestamp()
  }

  private isWindowLate(window: W): boolean {
    return this.eventTime && this.cleanupTime(window) <= this.timers.currentWatermark()
  }

  private isElementLate(timestamp: number): boolean {
    return this.eventTime && timestamp + this.allowedLateness <= this.timers.currentWatermark()
  }

  private registerCleanupTimer(window: W): void {
    const t = this.cleanupTime(window)
    if (t === Infinity) return
    if (this.eventTime) this.triggerCtx.registerEventTimeTimer(t)
    else this.triggerCtx.registerProcessingTimeTimer(t)
  }

  private deleteCleanupTimer(window: W): void {
    const t = this.cleanupTime(window)
    if (t === Infinity) return
    if (this.eventTime) this.triggerCtx.deleteEventTimeTimer(t)
    else this.triggerCtx.deleteProcessingTimeTimer(t)
  }
}
