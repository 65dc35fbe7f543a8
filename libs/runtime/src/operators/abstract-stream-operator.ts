import { StateError } from '../core/errors.js'
import type { Key } from '../core/key.js'
import type { KeyedStateBackend } from '../state/keyed-state-backend.js'
import type { InternalTimeServiceManager } from '../time/timer-service.js'
import type { Output } from './output.js'
import type { OperatorSetup, StreamOperator, TaskInfo } from './stream-operator.js'

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

  open(): void {}

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
