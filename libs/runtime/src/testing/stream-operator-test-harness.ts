import { MIN_WATERMARK } from '../core/element.js'
import { StateError } from '../core/errors.js'
import type { Key, KeySelector } from '../core/key.js'
import { DEFAULT_MAX_PARALLELISM, keyGroupRangeForSubtask } from '../core/key-groups.js'
import type { OutputTag } from '../core/output-tag.js'
import { MapMetricGroup } from '../metrics/metric-group.js'
import type { InputFlowControl, MailboxExecutor, OperatorSetup, StreamOperator, TaskInfo } from '../operators/stream-operator.js'
import type { Namespace } from '../state/keyed-state-backend.js'
import { HeapKeyedStateBackend } from '../internal/state/heap-keyed-state-backend.js'
import { HeapOperatorStateStore } from '../internal/state/heap-operator-state-store.js'
import { InternalTimeServiceManagerImpl } from '../internal/time/internal-time-service-manager-impl.js'
import { ManualProcessingTimeService } from '../internal/time/manual-processing-time-service.js'
import type { ManualClock } from '../time/clock.js'
import type { OperatorSnapshot } from './operator-snapshot.js'
import { RecordingOutput } from './recording-output.js'
import type { OutputElement, TimestampedValue } from './recording-output.js'

/**
 * How a test harness sets up its operator subtask.
 *
 * @category Testing
 * @since 0.1.0
 */
export interface OperatorHarnessOptions {
  /** The operator's name (default `'test-operator'`). */
  readonly operatorName?: string
  /** The operator's id (default: its name). */
  readonly operatorId?: string
  /** The job's name (default `'test-job'`). */
  readonly jobName?: string
  /** The operator's parallelism (default 1). */
  readonly parallelism?: number
  /** This subtask's index (default 0); a keyed harness owns this subtask's key groups. */
  readonly subtaskIndex?: number
  /** The number of key groups (default 128). */
  readonly maxParallelism?: number
  /** The processing time the manual clock starts at (default 0, or the latest snapshot's time). */
  readonly processingTime?: number
  /** Job-wide configuration values. */
  readonly config?: ReadonlyMap<string, string> | Readonly<Record<string, string>>
  /**
   * State to start from: one snapshot, or the snapshots of every subtask of an earlier run (of
   * which this subtask keeps its key groups and its share of operator list state).
   */
  readonly restoreFrom?: OperatorSnapshot | readonly OperatorSnapshot[]
}

/**
 * A timer pending in a test harness.
 *
 * @category Testing
 * @since 0.1.0
 */
export interface PendingTimer {
  /** The timer service's name. */
  readonly service: string
  /** When it fires. */
  readonly timestamp: number
  /** The key it fires for. */
  readonly key: Key
  /** Its namespace (`''` for none). */
  readonly namespace: Namespace
}

/**
 * The base of the operator test harnesses: runs ONE operator subtask by hand, with real state
 * and timers, a manual processing-time clock, and an output that records everything.
 *
 * @remarks
 * The operator is set up on construction (and its state restored from `restoreFrom`); call
 * {@link AbstractStreamOperatorTestHarness.open} before feeding it. A keyed harness has a
 * {@link HeapKeyedStateBackend} for this subtask's key groups and an
 * {@link InternalTimeServiceManagerImpl}; every harness has a {@link HeapOperatorStateStore} and a
 * {@link ManualProcessingTimeService}. After each call into the operator the harness runs the
 * processing-time callbacks already due and the mail already posted, as a task's mailbox would.
 *
 * Mail posted later (from a promise callback of an asynchronous operator) runs when the test
 * says so: {@link AbstractStreamOperatorTestHarness.runMail} runs what is queued now,
 * {@link AbstractStreamOperatorTestHarness.settle} first lets pending promise callbacks run, and
 * {@link AbstractStreamOperatorTestHarness.drain} waits until the operator has no pending work.
 * Whether the operator holds its input back is {@link AbstractStreamOperatorTestHarness.isInputSuspended}.
 *
 * @typeParam OUT - the operator's output type
 * @category Testing
 * @since 0.1.0
 */
export abstract class AbstractStreamOperatorTestHarness<OUT> {
  /** The recording output the operator emits to. */
  readonly output = new RecordingOutput<OUT>()
  /** The processing-time service, on {@link AbstractStreamOperatorTestHarness.clock}. */
  readonly processingTimeService: ManualProcessingTimeService
  /** Who and where the operator subtask is. */
  readonly info: TaskInfo
  /** The operator's metrics. */
  readonly metrics: MapMetricGroup
  /** The operator (non-keyed) state store. */
  readonly operatorStateStore: HeapOperatorStateStore
  /** The keyed state backend, for keyed harnesses. */
  readonly keyedStateBackend: HeapKeyedStateBackend<Key> | undefined
  /** The timer service manager, for keyed harnesses. */
  readonly timeServiceManager: InternalTimeServiceManagerImpl<Key> | undefined
  /** The mailbox executor the operator posts to; the harness runs its mail (see `runMail`). */
  readonly mailboxExecutor: MailboxExecutor
  private opened = false
  private closed = false
  private watermark = MIN_WATERMARK
  private readonly mails: { action: () => void; description: string }[] = []
  private mailWaiter: (() => void) | undefined
  private suspended = false
  private restored = false
  private readonly restoredCheckpointId = 1

  protected constructor(
    /** The operator under test. */
    readonly operator: StreamOperator<OUT>,
    keySelectors: readonly (KeySelector<any, Key> | undefined)[] | undefined,
    options: OperatorHarnessOptions = {},
  ) {
    const operatorName = options.operatorName ?? 'test-operator'
    const parallelism = options.parallelism ?? 1
    const subtaskIndex = options.subtaskIndex ?? 0
    const maxParallelism = options.maxParallelism ?? DEFAULT_MAX_PARALLELISM
    if (!Number.isInteger(parallelism) || parallelism < 1 || parallelism > maxParallelism)
      throw new RangeError(`A harness needs 1 <= parallelism <= maxParallelism (${maxParallelism}), got ${parallelism}.`)
    if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism)
      throw new RangeError(`A harness needs 0 <= subtaskIndex < parallelism (${parallelism}), got ${subtaskIndex}.`)
    const jobName = options.jobName ?? 'test-job'
    this.info = {
      jobName,
      operatorName,
      operatorId: options.operatorId ?? operatorName,
      subtaskIndex,
      parallelism,
      maxParallelism,
      taskNameWithSubtask: `${operatorName} (${subtaskIndex + 1}/${parallelism})`,
    }
    this.metrics = new MapMetricGroup(`${jobName}.${operatorName}.${subtaskIndex}`)

    const snapshots = options.restoreFrom === undefined ? [] : toArray(options.restoreFrom)
    let startTime = options.processingTime
    if (startTime === undefined) {
      startTime = 0
      for (const s of snapshots) if (s.processingTime > startTime) startTime = s.processingTime
    }
    this.processingTimeService = new ManualProcessingTimeService()
    this.processingTimeService.clock.setTime(startTime)
    const clock = this.processingTimeService.clock

    this.operatorStateStore = new HeapOperatorStateStore({ operatorName })
    if (keySelectors !== undefined) {
      this.keyedStateBackend = new HeapKeyedStateBackend<Key>({
        keyGroupRange: keyGroupRangeForSubtask(maxParallelism, parallelism, subtaskIndex),
        maxParallelism,
        operatorName,
        ttlTimeProvider: () => clock.now(),
      })
      this.timeServiceManager = new InternalTimeServiceManagerImpl<Key>(this.keyedStateBackend, this.processingTimeService)
    }

    if (snapshots.length > 0) this.restore(snapshots)
    this.restored = snapshots.length > 0

    const config =
      options.config === undefined
        ? new Map<string, string>()
        : options.config instanceof Map
          ? (options.config as ReadonlyMap<string, string>)
          : new Map(Object.entries(options.config))
    this.mailboxExecutor = {
      execute: (action, description) => {
        if (this.closed) return
        this.mails.push({ action, description })
        const w = this.mailWaiter
        this.mailWaiter = undefined
        w?.()
      },
    }
    const flow: InputFlowControl = {
      suspendInput: () => {
        this.suspended = true
      },
      resumeInput: () => {
        this.suspended = false
      },
    }
    const setup: OperatorSetup<OUT> = {
      info: this.info,
      output: this.output,
      clock,
      processingTimeService: this.processingTimeService,
      operatorStateStore: this.operatorStateStore,
      keyedStateBackend: this.keyedStateBackend,
      timeServiceManager: this.timeServiceManager,
      keySelectors: keySelectors ?? [],
      metrics: this.metrics,
      config,
      mailboxExecutor: this.mailboxExecutor,
      inputFlowControl: flow,
    }
    operator.setup(setup)
  }

  /** The manual clock of processing time. Move it with {@link AbstractStreamOperatorTestHarness.setProcessingTime}. */
  get clock(): ManualClock {
    return this.processingTimeService.clock
  }

  /**
   * Initializes the operator's state (`initializeState`, told whether the harness was restored)
   * and opens it, then runs processing-time timers restored and already due.
   */
  open(): this {
    if (this.opened) throw new StateError(`The harness of ${this.info.operatorName} is open already.`)
    this.opened = true
    const restored = this.restored
    this.operator.initializeState?.({ isRestored: () => restored, restoredCheckpointId: restored ? this.restoredCheckpointId : undefined })
    this.operator.open()
    this.processingTimeService.fireDue()
    return this
  }

  /**
   * Sets the processing time, firing every processing-time callback due by then, in time order,
   * then runs the mail they posted.
   */
  setProcessingTime(time: number): void {
    this.checkOpen()
    this.processingTimeService.advanceTo(time)
    if (this.mails.length > 0) this.runMail()
  }

  /** The current processing time. */
  getProcessingTime(): number {
    return this.processingTimeService.getCurrentProcessingTime()
  }

  /** The last watermark given to the operator (-Infinity before any). */
  currentWatermark(): number {
    return this.watermark
  }

  /** Ends the input: a +Infinity watermark (on every input), then the operator's `finish`. */
  abstract endInput(): void

  /** Closes the operator and releases the state. Safe to call twice. */
  close(): void {
    if (this.closed) return
    this.closed = true
    try {
      this.operator.close()
    } finally {
      this.timeServiceManager?.dispose()
      this.keyedStateBackend?.dispose()
    }
  }

  /** Everything on the main output (records, watermarks, idleness), in order. */
  getOutput(): OutputElement<OUT>[] {
    return this.output.elements.slice()
  }

  /** The records of the main output, in order. */
  extractOutputValues(): OUT[] {
    return this.output.values()
  }

  /** The records of the main output with their timestamps, in order. */
  extractOutputRecords(): TimestampedValue<OUT>[] {
    return this.output.records()
  }

  /** The watermarks emitted, in order. */
  getWatermarks(): number[] {
    return this.output.watermarks()
  }

  /** The records emitted to a side output, with their timestamps, in order (empty if none). */
  getSideOutput<S>(tag: OutputTag<S>): TimestampedValue<S>[] {
    return this.output.sideOutput(tag)
  }

  /** Forgets the output recorded so far. */
  clearOutput(): void {
    this.output.clear()
  }

  /** The number of pending event-time timers over all timer services (0 when not keyed). */
  numEventTimeTimers(): number {
    return this.timeServiceManager?.numEventTimeTimers() ?? 0
  }

  /** The number of pending processing-time timers over all timer services (0 when not keyed). */
  numProcessingTimeTimers(): number {
    return this.timeServiceManager?.numProcessingTimeTimers() ?? 0
  }

  /** The number of (key, namespace) entries over all keyed state (0 when not keyed). */
  numKeyedStateEntries(): number {
    return this.keyedStateBackend?.numEntries() ?? 0
  }

  /**
   * The pending timers of one time domain, optionally of one timer service, in timestamp order
   * (ties by key group).
   */
  timers(domain: 'event' | 'processing', service?: string): PendingTimer[] {
    const m = this.timeServiceManager
    if (m === undefined) return []
    const out: PendingTimer[] = []
    for (const group of m.snapshotState().keyGroups)
      for (const s of group.services) {
        if (service !== undefined && s.name !== service) continue
        const list = domain === 'event' ? s.eventTime : s.processingTime
        for (let i = 0; i < list.timestamps.length; i++)
          out.push({ service: s.name, timestamp: list.timestamps[i]!, key: list.keys[i]!, namespace: list.namespaces[i]! })
      }
    return out.sort((a, b) => a.timestamp - b.timestamp)
  }

  /**
   * Snapshots keyed state, timers and operator state, as checkpoint `checkpointId` would: first
   * the operator's `snapshotState(checkpointId)` hook, then the state stores.
   */
  snapshot(checkpointId = 1): OperatorSnapshot {
    this.operator.snapshotState?.(checkpointId)
    return {
      formatVersion: 1,
      operatorName: this.info.operatorName,
      subtaskIndex: this.info.subtaskIndex,
      parallelism: this.info.parallelism,
      maxParallelism: this.info.maxParallelism,
      processingTime: this.getProcessingTime(),
      keyedState: this.keyedStateBackend?.snapshot(),
      timers: this.timeServiceManager?.snapshotState(),
      operatorState: this.operatorStateStore.snapshot(),
    }
  }

  /** Tells the operator that checkpoint `checkpointId` completed (`notifyCheckpointComplete`). */
  notifyCheckpointComplete(checkpointId: number): void {
    this.operator.notifyCheckpointComplete?.(checkpointId)
    if (this.mails.length > 0) this.runMail()
  }

  /** The number of mail actions posted and not run yet. */
  numPendingMail(): number {
    return this.mails.length
  }

  /**
   * Runs the mail posted so far, and mail those actions post, in order; returns how many ran.
   * Then fires processing-time callbacks already due. An action that throws stops the run and the
   * error propagates (the rest stays queued).
   */
  runMail(): number {
    this.checkOpen()
    let n = 0
    while (this.mails.length > 0) {
      const m = this.mails.shift()!
      n++
      m.action()
    }
    this.processingTimeService.fireDue()
    return n
  }

  /**
   * Lets the event loop run (so resolved promises call back and post their mail), then runs the
   * mail; repeats until a turn of the event loop posts no mail. Returns how many actions ran.
   */
  async settle(): Promise<number> {
    let total = 0
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (this.mails.length === 0) return total
      total += this.runMail()
    }
  }

  /**
   * Runs mail, waiting for more as it is posted, until the operator has no pending work
   * ({@link StreamOperator.hasPendingWork}), as a task does at the end of input. It does not move
   * processing time: work that only a processing-time timer ends (a timeout) needs
   * {@link AbstractStreamOperatorTestHarness.setProcessingTime} from the test.
   */
  async drain(): Promise<void> {
    this.checkOpen()
    const op = this.operator
    for (;;) {
      this.runMail()
      if (op.hasPendingWork?.() !== true) return
      await new Promise<void>((resolve) => {
        this.mailWaiter = resolve
      })
    }
  }

  /** Whether the operator holds its input back now (through its {@link InputFlowControl}). */
  isInputSuspended(): boolean {
    return this.suspended
  }

  /** Whether the operator has work under way ({@link StreamOperator.hasPendingWork}). */
  hasPendingWork(): boolean {
    return this.operator.hasPendingWork?.() === true
  }

  /** Gives the operator a watermark (the combined one, for two inputs). */
  protected emitWatermarkToOperator(watermark: number): void {
    this.checkOpen()
    this.watermark = watermark
    this.operator.processWatermark(watermark)
    this.afterCall()
  }

  /** Ends the input with +Infinity watermarks already given: finishes the operator. */
  protected finishOperator(): void {
    this.checkOpen()
    this.operator.finish()
    this.afterCall()
  }

  /** Runs what the mailbox would run after a call: processing-time callbacks already due, then mail. */
  protected afterCall(): void {
    this.processingTimeService.fireDue()
    if (this.mails.length > 0) this.runMail()
  }

  /** Throws unless the harness is open and not closed. */
  protected checkOpen(): void {
    if (!this.opened) throw new StateError(`Open the harness of ${this.info.operatorName} (open()) before feeding it.`)
    if (this.closed) throw new StateError(`The harness of ${this.info.operatorName} is closed.`)
  }

  private restore(snapshots: readonly OperatorSnapshot[]): void {
    const sorted = [...snapshots].sort((a, b) => a.subtaskIndex - b.subtaskIndex)
    for (const s of sorted) {
      if (s.formatVersion !== 1)
        throw new StateError(`Cannot restore a harness snapshot of format version ${String(s.formatVersion)}; this version reads 1.`)
      if ((s.keyedState !== undefined || s.timers !== undefined) && this.keyedStateBackend === undefined)
        throw new StateError(
          `Cannot restore keyed state of operator '${s.operatorName}' into the non-keyed harness of ${this.info.operatorName}.`,
        )
    }
    const backend = this.keyedStateBackend
    if (backend !== undefined) {
      const keyed = []
      for (const s of sorted) if (s.keyedState !== undefined) keyed.push(s.keyedState)
      backend.restore(keyed)
      for (const s of sorted) if (s.timers !== undefined) this.timeServiceManager!.restoreState(s.timers)
    }
    this.operatorStateStore.restore(
      sorted.map((s) => s.operatorState),
      this.info.subtaskIndex,
      this.info.parallelism,
    )
  }
}

const toArray = (s: OperatorSnapshot | readonly OperatorSnapshot[]): readonly OperatorSnapshot[] =>
  Array.isArray(s) ? (s as readonly OperatorSnapshot[]) : [s as OperatorSnapshot]
