import { StateError } from '../../core/errors.js'
import { MIN_WATERMARK } from '../../core/element.js'
import type { Key } from '../../core/key.js'
import type { KeyedStateBackend, Namespace } from '../../state/keyed-state-backend.js'
import type {
  InternalTimerService,
  InternalTimeServiceManager,
  ProcessingTimeService,
  Triggerable,
} from '../../time/timer-service.js'
import { HeapInternalTimerService } from './heap-internal-timer-service.js'
import type { InternalTimersSnapshot, KeyGroupTimersSnapshot, TimerListSnapshot, TimerServiceSnapshot } from './timers-snapshot.js'

/**
 * Owns the heap timer services of one keyed operator subtask: creates them by name, moves them
 * all with the watermark, and snapshots and restores their timers by key group.
 *
 * @remarks
 * - `advanceWatermark(wm)` fires, service by service (in creation order), every event-time timer
 *   with `timestamp <= wm`; see {@link HeapInternalTimerService} for the order and the current key.
 *   The watermark never goes back.
 * - `snapshotState()` returns plain data; `restoreState(snapshot)` adds the timers of the key
 *   groups inside the backend's range and skips the others, so a rescaled subtask calls it once per
 *   old snapshot that may hold its key groups. Restore before the operator asks for its services
 *   (processing-time timers are scheduled when a service is started).
 *
 * @typeParam K - the key type
 * @category Time
 * @since 0.1.0
 */
export class InternalTimeServiceManagerImpl<K extends Key> implements InternalTimeServiceManager<K> {
  private readonly services = new Map<string, HeapInternalTimerService<K, any>>()
  private watermark = MIN_WATERMARK

  /**
   * @param backend - the operator's keyed state backend
   * @param processingTimeService - the task's processing time service (a
   *   {@link ManualProcessingTimeService} in tests)
   */
  constructor(
    private readonly backend: KeyedStateBackend<K>,
    private readonly processingTimeService: ProcessingTimeService,
  ) {}

  getInternalTimerService<N extends Namespace>(name: string, triggerable: Triggerable<K, N>): InternalTimerService<N> {
    const service = this.serviceNamed<N>(name)
    service.startTimerService(triggerable)
    return service
  }

  advanceWatermark(watermark: number): void {
    if (watermark > this.watermark) this.watermark = watermark
    for (const s of this.services.values()) s.advanceWatermark(watermark)
  }

  fireAllProcessingTimers(): void {
    for (const s of this.services.values()) s.fireAllProcessingTimers()
  }

  currentWatermark(): number {
    return this.watermark
  }

  numTimers(): number {
    let n = 0
    for (const s of this.services.values()) n += s.numEventTimeTimers() + s.numProcessingTimeTimers()
    return n
  }

  /** The number of pending event-time timers over all services. */
  numEventTimeTimers(): number {
    let n = 0
    for (const s of this.services.values()) n += s.numEventTimeTimers()
    return n
  }

  /** The number of pending processing-time timers over all services. */
  numProcessingTimeTimers(): number {
    let n = 0
    for (const s of this.services.values()) n += s.numProcessingTimeTimers()
    return n
  }

  /** The names of the services created so far (by use or by restore), in creation order. */
  serviceNames(): string[] {
    return [...this.services.keys()]
  }

  /** All pending timers, grouped by key group, as plain structured-clonable data. */
  snapshotState(): InternalTimersSnapshot {
    const groups = new Map<number, Map<string, TimerServiceSnapshot>>()
    const listFor = (keyGroup: number, name: string, eventTime: boolean): TimerListSnapshot => {
      let byName = groups.get(keyGroup)
      if (byName === undefined) groups.set(keyGroup, (byName = new Map()))
      let s = byName.get(name)
      if (s === undefined) byName.set(name, (s = { name, eventTime: emptyList(), processingTime: emptyList() }))
      return eventTime ? s.eventTime : s.processingTime
    }
    for (const [name, service] of this.services) {
      for (const eventTime of [true, false]) {
        for (const t of service.sortedTimers(eventTime)) {
          const list = listFor(t.keyGroup, name, eventTime)
          list.timestamps.push(t.timestamp)
          list.keys.push(t.key)
          list.namespaces.push(t.namespace)
        }
      }
    }
    const keyGroups: KeyGroupTimersSnapshot[] = [...groups.keys()]
      .sort((a, b) => a - b)
      .map((keyGroup) => ({ keyGroup, services: [...groups.get(keyGroup)!.values()] }))
    return { version: 1, keyGroups }
  }

  /**
   * Adds the timers of a snapshot whose key groups lie in the backend's range; others are skipped.
   * Timers that exist already stay single.
   */
  restoreState(snapshot: InternalTimersSnapshot): void {
    if (snapshot.version !== 1)
      throw new StateError(`Cannot restore timers from a snapshot of format version ${String(snapshot.version)}; this version reads 1.`)
    const range = this.backend.keyGroupRange
    for (const group of snapshot.keyGroups) {
      if (!range.contains(group.keyGroup)) continue
      for (const s of group.services) {
        const service = this.serviceNamed<Namespace>(s.name)
        restoreList(service, true, s.eventTime, group.keyGroup)
        restoreList(service, false, s.processingTime, group.keyGroup)
      }
    }
  }

  /** Cancels every scheduled processing-time callback (when the operator closes). */
  dispose(): void {
    for (const s of this.services.values()) s.dispose()
  }

  private serviceNamed<N extends Namespace>(name: string): HeapInternalTimerService<K, N> {
    let service = this.services.get(name) as HeapInternalTimerService<K, N> | undefined
    if (service === undefined) {
      service = new HeapInternalTimerService<K, N>(name, this.backend, this.processingTimeService)
      service.advanceWatermark(this.watermark)
      this.services.set(name, service)
    }
    return service
  }
}

const emptyList = (): TimerListSnapshot => ({ timestamps: [], keys: [], namespaces: [] })

const restoreList = <K extends Key>(
  service: HeapInternalTimerService<K, Namespace>,
  eventTime: boolean,
  list: TimerListSnapshot,
  keyGroup: number,
): void => {
  const n = list.timestamps.length
  for (let i = 0; i < n; i++)
    service.restoreTimer(eventTime, list.timestamps[i]!, list.keys[i] as K, list.namespaces[i]!, keyGroup)
}
