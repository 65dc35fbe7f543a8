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
 * Runs actions on the thread of an operator's subtask, in its mailbox: between batches, never in
 * the middle of a record.
 *
 * @remarks
 * This is how code that runs outside the task's loop (a promise callback, an I/O callback) gets
 * back onto the task: an operator must not emit records, touch state or timers from such a
 * callback directly, but posts an action here instead. Actions run in the order they were
 * posted, on the task's thread, and wake an idle task. An action that throws fails the task with
 * a `UserFunctionError` naming the operator, its subtask and `description`. Actions posted after
 * the task has ended are dropped.
 *
 * The task's loop is asynchronous anyway, so posting is cheap: one queue slot and one closure.
 * Post per batch of events (one action for everything that completed since the last one), not
 * per record, where that is easy.
 *
 * @category Operators
 * @since 0.1.0
 */
export interface MailboxExecutor {
  /**
   * Runs `action` on the task's thread later, after what is being processed now.
   *
   * @param action - what to run
   * @param description - what the action does, for error messages: `'async results'`
   */
  execute(action: () => void, description: string): void
}

/**
 * Lets an operator stop its task from taking new input for a while (backpressure from inside a
 * chain), for example while its queue of asynchronous requests is full.
 *
 * @remarks
 * After {@link InputFlowControl.suspendInput} the task takes no new input batch (a source task
 * polls its reader no more) until the operator calls {@link InputFlowControl.resumeInput}; it
 * keeps running its mailbox meanwhile (timers, completions). Suspension cannot stop what is
 * already under way: the records of the batch being processed, or of the source poll in
 * progress, still arrive, and the operator has to buffer them. Both calls are idempotent; the
 * task is suspended while any operator of its chain is. Suspending does not block the producers
 * upstream at once: the task's input gate fills, and credit-based flow control then slows them.
 *
 * @category Operators
 * @since 0.1.0
 */
export interface InputFlowControl {
  /** Stops the task from taking new input until {@link InputFlowControl.resumeInput}. */
  suspendInput(): void
  /** Lets the task take input again (and wakes it). */
  resumeInput(): void
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
  /** Runs actions on the subtask's thread later: how asynchronous callbacks get back to the task. */
  readonly mailboxExecutor: MailboxExecutor
  /** Stops and restarts the task's input, for operators with a bounded queue of their own. */
  readonly inputFlowControl: InputFlowControl
}

/**
 * What an operator learns about its state before it opens.
 *
 * @category Operators
 * @since 0.2.0
 */
export interface StateInitializationContext {
  /** Whether the job started from a checkpoint or savepoint (the state stores hold what was restored). */
  isRestored(): boolean
  /** The id of the checkpoint or savepoint restored from, if any. */
  readonly restoredCheckpointId: number | undefined
}

/**
 * The runtime side of an operator: it receives records, watermarks and end of input from the task,
 * and emits to its {@link Output}. User functions are wrapped in operators by the API layers.
 *
 * @remarks
 * Lifecycle: `setup` → `open` → (`processElement` | `processWatermark` | timers | mail)* →
 * `finish` (all input ended; flush what is buffered, the watermark is +Infinity by then; an
 * operator with {@link StreamOperator.hasPendingWork | pending work} is waited for) → `close`
 * (always, also after a failure). All calls come from the one thread of the subtask.
 *
 * @typeParam OUT - the type of records emitted
 * @category Operators
 * @since 0.1.0
 */
export interface StreamOperator<OUT> {
  /** Receives its context; called once, before `open`. */
  setup(setup: OperatorSetup<OUT>): void
  /**
   * Called after `setup` and before `open`, once the state stores hold what was restored (if the
   * job started from a checkpoint): the place to read restored operator state into fields.
   * Optional.
   */
  initializeState?(context: StateInitializationContext): void
  /** Prepares for processing (obtains state, opens user functions). */
  open(): void
  /**
   * The barrier of checkpoint `checkpointId` reached the operator: write what it holds in fields
   * (buffers, in-flight requests) into its state stores, which the runtime snapshots right after.
   * Runs on the subtask's thread between records. Optional.
   */
  snapshotState?(checkpointId: number): void
  /** Checkpoint `checkpointId` is complete in storage. Optional. */
  notifyCheckpointComplete?(checkpointId: number): void
  /** Checkpoint `checkpointId` was aborted. Optional. */
  notifyCheckpointAborted?(checkpointId: number): void
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
   * Whether the operator still has work under way that will emit later: asynchronous requests
   * in flight, results not yet emitted. Optional; operators without it never have any.
   *
   * @remarks
   * At the end of input the task finishes the operators of its chain from head to tail. Before
   * and after it calls an operator's `finish`, it keeps running its mailbox until this returns
   * `false`, and only then finishes the next operator and ends the task; so nothing started
   * before the end of input is lost. The task asks again after each batch of mail, so the
   * operator's pending work must end through mail (a {@link MailboxExecutor} action or a
   * processing-time timer).
   */
  hasPendingWork?(): boolean
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
