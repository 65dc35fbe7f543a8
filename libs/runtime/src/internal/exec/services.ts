// Adapters between the task and the state, timer and watermark implementations, so the task code
// depends on small interfaces only.
import type { Key } from '../../core/key.js'
import type { KeyGroupRange } from '../../core/key-groups.js'
import type { Output } from '../../operators/output.js'
import type { KeyedStateBackend, OperatorStateStore } from '../../state/keyed-state-backend.js'
import type { InputStatus, SourceReader, SourceSplit } from '../../source/source.js'
import type { Clock } from '../../time/clock.js'
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js'
import { HeapOperatorStateStore } from '../state/heap-operator-state-store.js'
import { InternalTimeServiceManagerImpl } from '../time/internal-time-service-manager-impl.js'
import type { InternalTimeServiceManager, ProcessingTimeService } from '../../time/timer-service.js'
import { WatermarkStrategy } from '../../watermark/watermark-strategy.js'
import { ReaderOutputWithWatermarks } from '../watermark/reader-output-with-watermarks.js'
import { StatusWatermarkValve } from '../watermark/status-watermark-valve.js'

export interface KeyedServices {
  readonly backend: KeyedStateBackend<Key>
  readonly timeServiceManager: InternalTimeServiceManager<Key>
}

export interface KeyedServicesOptions {
  readonly operatorName: string
  readonly keyGroupRange: KeyGroupRange
  readonly maxParallelism: number
  readonly clock: Clock
  readonly processingTimeService: ProcessingTimeService
}

export const createKeyedServices = (o: KeyedServicesOptions): KeyedServices => {
  const backend = new HeapKeyedStateBackend<Key>({
    keyGroupRange: o.keyGroupRange,
    maxParallelism: o.maxParallelism,
    operatorName: o.operatorName,
    ttlTimeProvider: () => o.clock.now(),
  })
  return { backend, timeServiceManager: new InternalTimeServiceManagerImpl(backend, o.processingTimeService) }
}

export const createOperatorStateStore = (operatorName: string): OperatorStateStore =>
  new HeapOperatorStateStore({ operatorName })

/** Drives a source reader and the per-split watermark generation behind its output. */
export interface SourceOutputDriver {
  poll(reader: SourceReader<unknown, SourceSplit>): InputStatus
  emitPeriodicWatermark(): void
  /** The bounded input ended: emit the final +Infinity watermark; nothing follows it. */
  endInput(): void
}

class ReaderDriver implements SourceOutputDriver {
  constructor(private readonly out: ReaderOutputWithWatermarks<unknown>) {}
  poll(reader: SourceReader<unknown, SourceSplit>): InputStatus {
    return reader.pollNext(this.out)
  }
  emitPeriodicWatermark(): void {
    this.out.emitPeriodicWatermark()
  }
  endInput(): void {
    this.out.endInput()
  }
}

export const createSourceOutput = (
  strategy: WatermarkStrategy<unknown> | undefined,
  output: Output<unknown>,
  clock: Clock,
): SourceOutputDriver =>
  new ReaderDriver(new ReaderOutputWithWatermarks(output, strategy ?? WatermarkStrategy.noWatermarks(), { clock }))

/** Combines the watermarks of a task's input channels. */
export interface WatermarkValve {
  inputWatermark(watermark: number, channel: number): void
  inputWatermarkStatus(idle: boolean, channel: number): void
  currentWatermark(): number
}

export const createValve = (
  numChannels: number,
  out: { emitWatermark(wm: number): void; emitWatermarkStatus(idle: boolean): void },
): WatermarkValve => new StatusWatermarkValve(numChannels, out)
