/**
 * `@strom/datastream`: the DataStream API of Strom.
 *
 * @remarks
 * Programs start at a {@link StreamExecutionEnvironment}: sources make {@link DataStream}s,
 * transformations (`map`, `filter`, `keyBy`, windows, joins, `process`) make new ones, sinks end
 * them, and `execute()` runs the job on Strom's runtime. Types flow through every call: a
 * `keyBy` gives a `KeyedStream<T, K>` with a typed key. Windows and joins are built from the
 * process layer's keyed state and timers, and any stream can continue in a process function.
 *
 * @packageDocumentation
 */

// --- environment ---
export * from './environment/runtime-execution-mode.js'
export * from './environment/stream-execution-environment.js'
export * from './environment/define-stream-job.js'

// --- streams ---
export * from './datastream/data-stream.js'
export * from './datastream/connected-streams.js'
export type { NumericField, ComparableField } from './functions/field-aggregations.js'
export type { StreamRef, Transformation } from './datastream/transformation.js'

// --- what DataStream programs use from the lower layers, so one import is enough ---
export {
  // sources, sinks, watermarks
  WatermarkStrategy,
  CollectionSource,
  DataGenSource,
  FileLineSource,
  FileSink,
  SimpleStringEncoder,
  JsonLinesEncoder,
  PrintSink,
  CollectSink,
  ExactlyOnceCollectSink,
  FileCommitter,
  DefaultRollingPolicy,
  OnCheckpointRollingPolicy,
  RestartStrategies,
  CheckpointError,
  CheckpointCorruptedError,
  loadCheckpoint,
  // running jobs
  executeJob,
  sumMetric,
  // time
  MIN_WATERMARK,
  MAX_WATERMARK,
  NO_TIMESTAMP,
  hasTimestamp,
  WatermarksWithIdleness,
  DEFAULT_AUTO_WATERMARK_INTERVAL_MS,
  // errors
  StreamError,
  ConfigError,
  ConnectorError,
  UserFunctionError,
} from '@strom/runtime'
export type {
  Collector,
  CheckpointListener,
  CheckpointedFunction,
  FunctionInitializationContext,
  FunctionSnapshotContext,
  CheckpointingMode,
  CheckpointingOptions,
  RestartStrategy,
  TwoPhaseCommittingSink,
  PrecommittingSinkWriter,
  Committer,
  FileCommittable,
  ExactlyOnceCollectCommittable,
  RollingPolicy,
  JobClient,
  JobResult,
  Key,
  KeySelector,
  Sink,
  SinkWriter,
  SinkWriterContext,
  Source,
  TimestampAssigner,
  WatermarkGenerator,
  WatermarkOutput,
  WatermarkGeneratorSupplier,
  ErrorDomain,
  AggregateFunction,
  ValueState,
  ListState,
  MapState,
  ReducingState,
  AggregatingState,
} from '@strom/runtime'
export {
  OutputTag,
  AbstractRichFunction,
  cloneFunction,
  ProcessFunction,
  KeyedProcessFunction,
  CoProcessFunction,
  KeyedCoProcessFunction,
  BroadcastProcessFunction,
  KeyedBroadcastProcessFunction,
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  StateTtlConfig,
  TimeDomain,
} from '@strom/process'
export type { RuntimeContext } from '@strom/process'

// --- joins ---
export * from './join/process-join-function.js'
export * from './join/interval-join.js'
export { IntervalJoinOperator } from './join/internal/exec/interval-join-operator.js'
export type { IntervalJoinOptions } from './join/internal/exec/interval-join-operator.js'
export * from './join/join-functions.js'
export * from './join/co-grouped-streams.js'
export * from './join/joined-streams.js'
export type { TaggedUnion } from './join/internal/exec/tagged-union.js'

// --- async I/O ---
export * from './async/async-function.js'
export * from './async/async-data-stream.js'
export * from './async/async-wait-operator.js'
export * from './async/async-timeout-error.js'
export * from './async/async-retry-strategy.js'

// --- windows ---
export * from './windowing/duration.js'
export * from './windowing/windows.js'
export * from './windowing/window-assigner.js'
export * from './windowing/tumbling-windows.js'
export * from './windowing/sliding-windows.js'
export * from './windowing/session-windows.js'
export * from './windowing/global-windows.js'
export * from './windowing/trigger.js'
export * from './windowing/event-time-trigger.js'
export * from './windowing/processing-time-trigger.js'
export * from './windowing/count-trigger.js'
export * from './windowing/purging-trigger.js'
export * from './windowing/continuous-triggers.js'
export * from './windowing/never-trigger.js'
export * from './windowing/evictor.js'
export * from './windowing/evictors.js'
export * from './windowing/window-functions.js'
export * from './windowing/windowed-stream.js'
export * from './windowing/all-windowed-stream.js'
