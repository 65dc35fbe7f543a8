import { VOID_NAMESPACE } from '@strom/runtime'
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  InternalTimerService,
  Key,
  KeyedStateBackend,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  MetricGroup,
  Namespace,
  Output,
  OutputTag,
  ReducingState,
  ReducingStateDescriptor,
  State,
  StateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '@strom/runtime'
import type { EvictorContext } from '../../evictor.js'
import type { OnMergeContext } from '../../trigger.js'
import type { KeyedStateStore, ProcessWindowFunction } from '../../window-functions.js'
import type { Window, WindowSerializer } from '../../windows.js'

/** Keyed state in the namespace of a context's window, or in the void namespace. @internal */
class ScopedStateStore implements KeyedStateStore {
  constructor(
    private readonly backend: KeyedStateBackend<Key>,
    private readonly ctx: WindowProcessContext<Window>,
    private readonly perWindow: boolean,
  ) {}

  getState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.scoped(descriptor)
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.scoped(descriptor)
  }

  getMapState<UK, UV>(descriptor: MapStateDescriptor<UK, UV>): MapState<UK, UV> {
    return this.scoped(descriptor)
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    return this.scoped(descriptor)
  }

  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT> {
    return this.scoped(descriptor)
  }

  private scoped<S extends State>(descriptor: StateDescriptor<S>): S {
    const s = this.backend.getOrCreateKeyedState(descriptor)
    s.setCurrentNamespace(this.perWindow ? this.ctx.namespace : VOID_NAMESPACE)
    return s.state
  }
}

/**
 * The reused context of window functions: the window, time, per-window and global state, side
 * outputs (with the window's `maxTimestamp()`).
 *
 * @internal
 */
export class WindowProcessContext<W extends Window> implements ProcessWindowFunction.Context<W> {
  window: W = undefined as unknown as W
  namespace: Namespace = VOID_NAMESPACE
  private readonly perWindow: KeyedStateStore
  private readonly global: KeyedStateStore

  constructor(
    backend: KeyedStateBackend<Key>,
    private readonly timers: InternalTimerService<Namespace>,
    private readonly output_: Output<unknown>,
    private readonly serializer: WindowSerializer<W>,
  ) {
    this.perWindow = new ScopedStateStore(backend, this as WindowProcessContext<Window>, true)
    this.global = new ScopedStateStore(backend, this as WindowProcessContext<Window>, false)
  }

  /** Points the context at a window. */
  set(window: W): void {
    this.window = window
    this.namespace = this.serializer.toNamespace(window)
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime()
  }

  currentWatermark(): number {
    return this.timers.currentWatermark()
  }

  windowState(): KeyedStateStore {
    return this.perWindow
  }

  globalState(): KeyedStateStore {
    return this.global
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    if (tag === undefined || tag === null) throw new TypeError('ctx.output() needs an OutputTag.')
    this.output_.collectSide(tag, value, this.window.maxTimestamp())
  }
}

/**
 * The reused context of triggers (and evictors): timers and state in the namespace of the window
 * the trigger is called for.
 *
 * @internal
 */
export class WindowTriggerContext<W extends Window> implements OnMergeContext, EvictorContext {
  window: W = undefined as unknown as W
  namespace: Namespace = VOID_NAMESPACE
  /** The namespaces of the windows merged into `window` (during `onMerge`). */
  mergedNamespaces: readonly Namespace[] = []

  constructor(
    private readonly backend: KeyedStateBackend<Key>,
    private readonly timers: InternalTimerService<Namespace>,
    private readonly serializer: WindowSerializer<W>,
    private readonly metrics: MetricGroup,
  ) {}

  /** Points the context at a window. */
  set(window: W): void {
    this.window = window
    this.namespace = this.serializer.toNamespace(window)
  }

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime()
  }

  currentWatermark(): number {
    return this.timers.currentWatermark()
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(this.namespace, time)
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(this.namespace, time)
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(this.namespace, time)
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(this.namespace, time)
  }

  getPartitionedState<S extends State>(descriptor: StateDescriptor<S>): S {
    const s = this.backend.getOrCreateKeyedState(descriptor)
    s.setCurrentNamespace(this.namespace)
    return s.state
  }

  mergePartitionedState<S extends State>(descriptor: StateDescriptor<S>): void {
    if (this.mergedNamespaces.length === 0) return
    const s = this.backend.getOrCreateKeyedState(descriptor)
    s.mergeNamespaces(this.namespace, this.mergedNamespaces)
  }

  getMetricGroup(): MetricGroup {
    return this.metrics
  }
}
