import type { Key, KeySelector } from '../core/key.js'
import type { Clock } from '../time/clock.js'
import type { KeyedStateBackend, OperatorStateStore } from '../state/keyed-state-backend.js'
import type { InternalTimeServiceManager, ProcessingTimeService } from '../time/timer-service.js'
import type { Output } from './output.js'
import type { MetricGroup } from '../metrics/metric-group.js'

/**
 * Who and where an operator subtask is.
 *
 * @category Operators
 * @since 0.1.0
 */
export interface TaskInfo {
  /** The job's name. */
  readonly jobName: string
  /** The operator's name (as set with `name(...)`). */
  readonly operatorName: string
  /** The operator's stable id (its `uid`, or one derived from its position). */
  readonly operatorId: string
  /** This subtask's index, `0 <= index < parallelism`. */
  readonly subtaskIndex: number
  /** The operator's parallelism. */
  readonly parallelism: number
  /** The job's number of key groups. */
  readonly maxParallelism: number
  /** `subtask (index+1)/parallelism` of the operator, for messages: `map (2/4)`. */
  readonly taskNameWithSubtask: string
}

/**
 * Everything the runtime gives an operator before `open()`.
 *
 * @remarks
 * `keyedStateBackend` and `timeServiceManager` exist only for keyed operators (those set up with
 * a key selector); for others they are `undefined`.
 *
 * @typeParam OUT - the operator's output type
 * @category Operators
 * @since 0.1.0
 */
export interface OperatorSetup<OUT> {
  readonly info: TaskInfo
  readonly output: Output<OUT>
  readonly clock: Clock
  readonly processingTimeService: ProcessingTimeService
  readonly operatorStateStore: OperatorStateStore
  readonly keyedStateBackend: KeyedStateBackend<Key> | undefined
  readonly timeServiceManager: InternalTimeServiceManager<Key> | undefined
  /** The key selector of each input (index 0 and, for two-input operators, 1), where keyed. */
  readonly keySelectors: readonly (KeySelector<unknown, Key> | undefined)[]
  readonly metrics: MetricGroup
  /** Job-wide configuration values (`SET 'key' = 'value'`, environment config). */
  readonly config: ReadonlyMap<string, string>
}

/**
 * The runtime side of an operator: it receives records, watermarks and end of input from the task,
 * and emits to its {@link Output}. User functions are wrapped in operators by the API layers.
 *
 * @remarks
 * Lifecycle: `setup` → `open` → (`processElement` | `processWatermark` | timers)* → `finish` (all
 * input ended; flush what is buffered, the watermark is +Infinity by then) → `close` (always, also
 * after a failure). All calls come from the one thread of the subtask.
 *
 * @typeParam OUT - the type of records emitted
 * @category Operators
 * @since 0.1.0
 */
export interface StreamOperator<OUT> {
  /** Receives its context; called once, before `open`. */
  setup(setup: OperatorSetup<OUT>): void
  /** Prepares for processing (obtains state, opens user functions). */
  open(): void
  /**
   * The combined watermark of the inputs advanced. The operator fires the event-time timers it
   * passes and forwards the watermark (or a held-back one) to its output.
   */
  processWatermark(watermark: number): void
  /** The combined idleness of the inputs changed; forward it. */
  processWatermarkStatus(idle: boolean): void
  /** All input has ended: emit what is buffered. */
  finish(): void
  /**
   * Releases resources; called after `finish`, or after a failure. An error it throws fails the
   * task, unless the task is already failing with another error (which is then the one reported).
   */
  close(): void
}

/**
 * An operator with one input.
 *
 * @typeParam IN - the input type
 * @typeParam OUT - the output type
 * @category Operators
 * @since 0.1.0
 */
export interface OneInputStreamOperator<IN, OUT> extends StreamOperator<OUT> {
  /** Processes one record and its timestamp ({@link NO_TIMESTAMP} for none). */
  processElement(value: IN, timestamp: number): void
}

/**
 * An operator with two inputs of different types (connect, joins, broadcast).
 *
 * @typeParam IN1 - the first input's type
 * @typeParam IN2 - the second input's type
 * @typeParam OUT - the output type
 * @category Operators
 * @since 0.1.0
 */
export interface TwoInputStreamOperator<IN1, IN2, OUT> extends StreamOperator<OUT> {
  /** Processes a record of the first input. */
  processElement1(value: IN1, timestamp: number): void
  /** Processes a record of the second input. */
  processElement2(value: IN2, timestamp: number): void
}

/**
 * Makes a fresh operator for each parallel subtask.
 *
 * @remarks
 * It is called once per subtask (in the thread that runs the subtask), so each subtask gets its
 * own operator and its own copy of the user function.
 *
 * @typeParam OP - the operator type
 * @category Operators
 * @since 0.1.0
 */
export type OperatorFactory<OP extends StreamOperator<unknown>> = () => OP
