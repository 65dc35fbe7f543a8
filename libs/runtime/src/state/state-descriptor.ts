import type {
  AggregateFunction,
  AggregatingState,
  ListState,
  MapState,
  ReduceFunction,
  ReducingState,
  State,
  ValueState,
} from './state.js'
import type { StateTtlConfig } from './state-ttl-config.js'

/**
 * The kinds of keyed state.
 *
 * @category State
 * @since 0.1.0
 */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating'

/**
 * Describes a piece of state: its name (unique within an operator), its kind, and how it
 * behaves. State is obtained from a runtime context by descriptor.
 *
 * @typeParam S - the state interface the descriptor yields
 * @category State
 * @since 0.1.0
 */
export abstract class StateDescriptor<S extends State> {
  /** @internal keeps S in the type, never set */
  declare readonly _state?: S
  /** The kind of state. */
  abstract readonly kind: StateKind
  private ttl: StateTtlConfig | undefined

  constructor(
    /** The state's name, unique within its operator; checkpoints and savepoints match by it. */
    readonly name: string,
  ) {
    if (name.length === 0) throw new TypeError('A state descriptor needs a non-empty name.')
  }

  /** Gives entries of this state a time-to-live. */
  enableTimeToLive(ttl: StateTtlConfig): this {
    this.ttl = ttl
    return this
  }

  /** The TTL configuration, if any. */
  get ttlConfig(): StateTtlConfig | undefined {
    return this.ttl
  }
}

/**
 * Describes a {@link ValueState}.
 *
 * @typeParam T - the value type
 * @category State
 * @since 0.1.0
 */
export class ValueStateDescriptor<T> extends StateDescriptor<ValueState<T>> {
  readonly kind = 'value'
}

/**
 * Describes a {@link ListState}.
 *
 * @typeParam T - the element type
 * @category State
 * @since 0.1.0
 */
export class ListStateDescriptor<T> extends StateDescriptor<ListState<T>> {
  readonly kind = 'list'
  /** @internal */
  declare readonly _element?: T
}

/**
 * Describes a {@link MapState}.
 *
 * @typeParam UK - the map's key type
 * @typeParam UV - the map's value type
 * @category State
 * @since 0.1.0
 */
export class MapStateDescriptor<UK, UV> extends StateDescriptor<MapState<UK, UV>> {
  readonly kind = 'map'
}

/**
 * Describes a {@link ReducingState}.
 *
 * @typeParam T - the value type
 * @category State
 * @since 0.1.0
 */
export class ReducingStateDescriptor<T> extends StateDescriptor<ReducingState<T>> {
  readonly kind = 'reducing'
  constructor(
    name: string,
    /** Folds two values into one. */
    readonly reduceFunction: ReduceFunction<T>,
  ) {
    super(name)
  }
}

/**
 * Describes an {@link AggregatingState}.
 *
 * @typeParam IN - the type of the values added
 * @typeParam ACC - the accumulator type
 * @typeParam OUT - the result type
 * @category State
 * @since 0.1.0
 */
export class AggregatingStateDescriptor<IN, ACC, OUT> extends StateDescriptor<AggregatingState<IN, OUT>> {
  readonly kind = 'aggregating'
  constructor(
    name: string,
    /** The aggregation. */
    readonly aggregateFunction: AggregateFunction<IN, ACC, OUT>,
  ) {
    super(name)
  }
}
