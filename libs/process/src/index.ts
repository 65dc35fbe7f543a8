/**
 * `@strom/process`: the ProcessFunction layer of Strom, stateful functions over streams.
 *
 * @remarks
 * The lowest layer user code writes against: a {@link KeyedProcessFunction} (and its co and
 * broadcast variants) sees each record with its event-time timestamp, keeps keyed state
 * (value, list, map, reducing, aggregating, with optional TTL) scoped to the record's key, sets
 * event-time and processing-time timers, and emits to the main output and to side outputs. The
 * DataStream and Table layers build their windows and joins from the same primitives.
 *
 * Everything a function needs is exported here (state descriptors, `Collector`, `OutputTag`,
 * `TimerService`...), so user code imports only `@strom/process`. Test functions with
 * `@strom/process/testing`.
 *
 * @packageDocumentation
 */

// --- functions ---
export * from './functions/abstract-rich-function.js'
export * from './functions/runtime-context.js'
export * from './functions/base-context.js'
export * from './functions/time-domain.js'
export * from './functions/process-function.js'
export * from './functions/keyed-process-function.js'
export * from './functions/co-process-function.js'
export * from './functions/keyed-co-process-function.js'
export * from './functions/broadcast-process-function.js'
export * from './functions/keyed-broadcast-process-function.js'
export * from './functions/clone-function.js'
export * from './errors.js'
export * from './time.js'

// --- operators (the runtime adapters; the DataStream layer builds on them) ---
export { ProcessOperator } from './internal/exec/process-operator.js'
export { KeyedProcessOperator, USER_TIMERS } from './internal/exec/keyed-process-operator.js'
export { CoProcessOperator } from './internal/exec/co-process-operator.js'
export { KeyedCoProcessOperator } from './internal/exec/keyed-co-process-operator.js'
export { BroadcastProcessOperator } from './internal/exec/broadcast-process-operator.js'
export { KeyedBroadcastProcessOperator } from './internal/exec/keyed-broadcast-process-operator.js'
export { TimestampedCollector } from './internal/exec/timestamped-collector.js'
export { StreamingRuntimeContext } from './internal/exec/streaming-runtime-context.js'
export { openFunction, closeFunction } from './internal/exec/function-utils.js'
export * from './operator-factories.js'

// --- what user functions need from the runtime ---
export {
  // records, keys, time (NO_TIMESTAMP is declared in ./time.ts)
  MIN_WATERMARK,
  MAX_WATERMARK,
  hasTimestamp,
  OutputTag,
  // state
  StateDescriptor,
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  StateTtlConfig,
  // errors
  StreamError,
  StateError,
  UserFunctionError,
} from '@strom/runtime'
export type {
  Collector,
  Key,
  KeySelector,
  State,
  ValueState,
  ListState,
  MapState,
  ReducingState,
  AggregatingState,
  BroadcastState,
  ReadOnlyBroadcastState,
  ReduceFunction,
  AggregateFunction,
  StateKind,
  TtlUpdateType,
  TtlStateVisibility,
  TimerService,
  TaskInfo,
  MetricGroup,
  Counter,
  ErrorDomain,
  OperatorFactory,
} from '@strom/runtime'
