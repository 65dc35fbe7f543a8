import { MIN_WATERMARK, StateError, VOID_NAMESPACE } from '@strom/runtime'
import type { InternalTimerService, Namespace, ProcessingTimeService, TaskInfo, TimerService } from '@strom/runtime'

/**
 * The timer service of a keyed process function: the operator's internal timer service in the
 * void namespace, scoped to the backend's current key.
 */
export class KeyedTimerService implements TimerService {
  constructor(private readonly timers: InternalTimerService<Namespace>) {}

  currentProcessingTime(): number {
    return this.timers.currentProcessingTime()
  }

  currentWatermark(): number {
    return this.timers.currentWatermark()
  }

  registerEventTimeTimer(time: number): void {
    this.timers.registerEventTimeTimer(VOID_NAMESPACE, time)
  }

  registerProcessingTimeTimer(time: number): void {
    this.timers.registerProcessingTimeTimer(VOID_NAMESPACE, time)
  }

  deleteEventTimeTimer(time: number): void {
    this.timers.deleteEventTimeTimer(VOID_NAMESPACE, time)
  }

  deleteProcessingTimeTimer(time: number): void {
    this.timers.deleteProcessingTimeTimer(VOID_NAMESPACE, time)
  }
}

/**
 * The timer service of a non-keyed function: it reports time, and explains that timers need a
 * keyed stream. The operator keeps `watermark` up to date.
 */
export class NonKeyedTimerService implements TimerService {
  /** The last watermark the operator received. */
  watermark = MIN_WATERMARK

  constructor(
    private readonly processingTime: ProcessingTimeService,
    private readonly info: TaskInfo,
  ) {}

  currentProcessingTime(): number {
    return this.processingTime.getCurrentProcessingTime()
  }

  currentWatermark(): number {
    return this.watermark
  }

  registerEventTimeTimer(_time: number): void {
    throw this.notKeyed()
  }

  registerProcessingTimeTimer(_time: number): void {
    throw this.notKeyed()
  }

  deleteEventTimeTimer(_time: number): void {
    throw this.notKeyed()
  }

  deleteProcessingTimeTimer(_time: number): void {
    throw this.notKeyed()
  }

  private notKeyed(): StateError {
    return new StateError(
      `Operator ${this.info.operatorName} is not keyed: timers are only supported on keyed streams. ` +
        'Use keyBy() and a KeyedProcessFunction (or KeyedCoProcessFunction, KeyedBroadcastProcessFunction).',
    )
  }
}
