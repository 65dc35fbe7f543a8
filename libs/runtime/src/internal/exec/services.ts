// Adapters between the task and the state, timer and watermark implementations, so the task code
// depends on small interfaces only.
import type { Key } from '../../core/key.js'
import type { KeyGroupRange } from '../../core/key-groups.js'
import type { Output } from '../../operators/output.js'
import type { KeyedStateBackend, OperatorStateStore } from '../../state/keyed-state-backend.js'
import type { InputStatus, SourceReader, SourceSplit } from '../../source/source.js'
import type { Clock } from '../../time/clock.js'
import type { InternalTimeServiceManager, ProcessingTimeService } from '../../time/timer-service.js'
import type { WatermarkStrategy } from '../../watermark/watermark-strategy.js'

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

export const createKeyedServices = (_o: KeyedServicesOptions): KeyedServices => {
  throw new Error('TODO: wire heap backend')
}

export const createOperatorStateStore = (): OperatorStateStore => {
  throw new Error('TODO: wire operator state store')
}

/** Drives a source reader and the per-split watermark generation behind its output. */
export interface SourceOutputDriver {
  poll(reader: SourceReader<unknown, SourceSplit>): InputStatus
  emitPeriodicWatermark(): void
  emitFinalWatermark(watermark: number): void
}

export const createSourceOutput = (
  _strategy: WatermarkStrategy<unknown> | undefined,
  _output: Output<unknown>,
  _clock: Clock,
): SourceOutputDriver => {
  throw new Error('TODO: wire source output')
}

/** Combines the watermarks of a task's input channels. */
export interface WatermarkValve {
  inputWatermark(watermark: number, channel: number): void
  inputWatermarkStatus(idle: boolean, channel: number): void
  currentWatermark(): number
}

export const createValve = (
  _numChannels: number,
  _out: { emitWatermark(wm: number): void; emitWatermarkStatus(idle: boolean): void },
): WatermarkValve => {
  throw new Error('TODO: wire valve')
}
