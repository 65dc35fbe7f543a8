import { StateError } from '../core/errors.js'
import type { Key } from '../core/key.js'
import type { KeyedStateBackend } from '../state/keyed-state-backend.js'
import type { InternalTimeServiceManager } from '../time/timer-service.js'
import type { Output } from './output.js'
import type { OperatorSetup, StateInitializationContext, StreamOperator, TaskInfo } from './stream-operator.js'
import { isCheckpointedFunction, isCheckpointListener } from '../checkpoint/checkpoint-listener.js'

/**
 * The base of most operators: keeps the setup, forwards watermarks after firing event-time
 * timers, and gives keyed operators their state backend and timers.
 *
 * @typeParam OUT - the output type
 * @category Operators
 * @since 0.1.0
 */
export abstract class AbstractStreamOperator<OUT> implements StreamOperator<OUT> {
  /** The operator's setup; valid from `setup()` on. */
  protected ctx!: OperatorSetup<OUT>
  /** Where to emit; the same as `ctx.output`, kept in a field for the hot path. */
  protected output!: Output<OUT>

  setup(setup: OperatorSetup<OUT>): void {
    this.ctx = setup
    this.output = setup.output
  }

  /**
   * The user function whose checkpoint hooks this operator calls: if it implements
   * `CheckpointedFunction`, its `initializeState` and `snapshotState`; if it implements
   * `CheckpointListener`, its notifications. None by default.
   */
  protected checkpointedFunction(): unknown {
    return undefined
  }

  /** Gives a `CheckpointedFunction` its operator state (restored, where the job was). */
  initializeState(context: StateInitializationContext): void {
    const fn = this.checkpointedFunction()
    if (!isCheckpointedFunction(fn)) return
    const store = this.ctx.operatorStateStore
    fn.initializeState({
      isRestored: () => context.isRestored(),
      restoredCheckpointId: context.restoredCheckpointId,
      getListState: (d) => store.getListState(d),
      getUnionListState: (d) => store.getUnionListState(d),
      getBroadcastState: (d) => store.getBroadcastState(d),
    })
  }

  open(): void {}

  /** Calls a `CheckpointedFunction`'s `snapshotState`. */
  snapshotState(checkpointId: number): void {
    const fn = this.checkpointedFunction()
    if (isCheckpointedFunction(fn)) fn.snapshotState({ checkpointId })
  }

  /** Tells a `CheckpointListener` function. */
  notifyCheckpointComplete(checkpointId: number): void {
    const fn = this.checkpointedFunction()
    if (isCheckpointListener(fn)) fn.notifyCheckpointComplete(checkpointId)
  }

  /** Tells a `CheckpointListener` function. */
  notifyCheckpointAborted(checkpointId: number): void {
    const fn = this.checkpointedFunction()
    if (isCheckpointListener(fn)) fn.notifyCheckpointAborted?.(checkpointId)
  }

  /** Fires event-time timers up to the watermark, then forwards it. */
  processWatermark(watermark: number): void {
    this.ctx.timeServiceManager?.advanceWatermark(watermark)
    this.output.emitWatermark(watermark)
  }

  processWatermarkStatus(idle: boolean): void {
    this.output.emitWatermarkStatus(idle)
  }

  finish(): void {}

  close(): void {}

  /** Who and where this subtask is. */
  get info(): TaskInfo {
    return this.ctx.info
  }

  /** The keyed state backend; throws a clear error on a non-keyed operator. */
  protected keyedBackend(): KeyedStateBackend<Key> {
    const b = this.ctx.keyedStateBackend
    if (b === undefined)
      throw new StateError(
        `Operator ${this.ctx.info.operatorName} is not keyed: keyed state and timers need a keyBy() before it.`,
      )
    return b
  }

  /** The timer service manager; throws a clear error on a non-keyed operator. */
  protected timeServiceManager(): InternalTimeServiceManager<Key> {
    const m = this.ctx.timeServiceManager
    if (m === undefined)
      throw new StateError(
        `Operator ${this.ctx.info.operatorName} is not keyed: timers need a keyBy() before it.`,
      )
    return m
  }
}
