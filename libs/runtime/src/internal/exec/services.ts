// Adapters between the task and the state, timer and watermark implementations, so the task code
// depends on small interfaces only.
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { ConfigError } from '../../core/errors.js'
import type { Key } from '../../core/key.js'
import { STATE_BACKEND_CONFIG_KEY, STATE_BACKEND_DIRECTORY_CONFIG_KEY } from '../../graph/stream-graph.js'
import type { KeyGroupRange } from '../../core/key-groups.js'
import type { Output } from '../../operators/output.js'
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js'
import type { AnyKeyedStateSnapshot, KeyedStateSnapshot } from '../state/keyed-state-snapshot.js'
import type { InputStatus, SourceReader, SourceSplit } from '../../source/source.js'
import type { Clock } from '../../time/clock.js'
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js'
import { HeapOperatorStateStore } from '../state/heap-operator-state-store.js'
import { InternalTimeServiceManagerImpl } from '../time/internal-time-service-manager-impl.js'
import type { ProcessingTimeService } from '../../time/timer-service.js'
import { WatermarkStrategy } from '../../watermark/watermark-strategy.js'
import { ReaderOutputWithWatermarks } from '../watermark/reader-output-with-watermarks.js'
import { StatusWatermarkValve } from '../watermark/status-watermark-valve.js'

/** A keyed state backend a task can checkpoint and restore. */
export interface CheckpointableKeyedStateBackend extends KeyedStateBackend<Key> {
  /** A deep copy of the state now. */
  snapshot(): KeyedStateSnapshot
  /** Captures the state now (synchronously) and reads it out asynchronously, where the backend can. */
  snapshotAsync?(): Promise<KeyedStateSnapshot>
  /** A checkpoint's snapshot: captured now, serialized afterwards in slices (format 2), where the backend can. */
  snapshotForCheckpoint?(): Promise<AnyKeyedStateSnapshot>
  /** Loads the key groups of these snapshots (either format) that lie in the backend's range. */
  restore(snapshots: readonly AnyKeyedStateSnapshot[]): void
}

export interface KeyedServices {
  readonly backend: CheckpointableKeyedStateBackend
  readonly timeServiceManager: InternalTimeServiceManagerImpl<Key>
}

export interface KeyedServicesOptions {
  /** The job's configuration: `state.backend` picks the backend. */
  readonly config: ReadonlyMap<string, string>
  /** Names the lmdb backend's directory: job, operator uid, subtask. */
  readonly scope: string
  readonly operatorName: string
  readonly keyGroupRange: KeyGroupRange
  readonly maxParallelism: number
  readonly clock: Clock
  readonly processingTimeService: ProcessingTimeService
}

type LmdbModule = typeof import('../state/lmdb/index.js')
let lmdbModule: LmdbModule | undefined

/**
 * Loads the code of the job's state backend, if it is not the heap: the lmdb backend (and its
 * native library) is only loaded by jobs that use it. Call before deploying tasks.
 */
export const loadStateBackend = async (config: ReadonlyMap<string, string>): Promise<void> => {
  const name = config.get(STATE_BACKEND_CONFIG_KEY) ?? 'heap'
  if (name === 'heap') return
  if (name !== 'lmdb') throw new ConfigError(`Unknown state backend '${name}' (config '${STATE_BACKEND_CONFIG_KEY}'); use 'heap' or 'lmdb'.`)
  lmdbModule ??= await import('../state/lmdb/index.js')
}

let backendCounter = 0

export const createKeyedServices = (o: KeyedServicesOptions): KeyedServices => {
  const name = o.config.get(STATE_BACKEND_CONFIG_KEY) ?? 'heap'
  let backend: CheckpointableKeyedStateBackend
  if (name === 'lmdb') {
    if (lmdbModule === undefined) throw new ConfigError(`The lmdb state backend was not loaded; call loadStateBackend(config) before deploying tasks.`)
    const base = o.config.get(STATE_BACKEND_DIRECTORY_CONFIG_KEY) ?? tmpdir()
    backend = new lmdbModule.LmdbKeyedStateBackend<Key>({
      keyGroupRange: o.keyGroupRange,
      maxParallelism: o.maxParallelism,
      operatorName: o.operatorName,
      ttlTimeProvider: () => o.clock.now(),
      path: join(base, `strom-lmdb-${process.pid}-${threadId}-${++backendCounter}-${o.scope.replace(/[^A-Za-z0-9_.-]/g, '_')}`),
    })
  } else
    backend = new HeapKeyedStateBackend<Key>({
      keyGroupRange: o.keyGroupRange,
      maxParallelism: o.maxParallelism,
      operatorName: o.operatorName,
      ttlTimeProvider: () => o.clock.now(),
    })
  return { backend, timeServiceManager: new InternalTimeServiceManagerImpl(backend, o.processingTimeService) }
}

export const createOperatorStateStore = (operatorName: string): HeapOperatorStateStore =>
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
