import { setImmediate as nextTurn } from 'node:timers/promises'
import { deserialize, serialize } from 'node:v8'
import { InternalError, StateError, describeError } from '../../core/errors.js'
import { MIN_WATERMARK } from '../../core/element.js'
import type { Key } from '../../core/key.js'
import type { KeyGroupRange } from '../../core/key-groups.js'
import type { KeyedStateBackend, Namespace } from '../../state/keyed-state-backend.js'
import type {
  InternalTimerService,
  InternalTimeServiceManager,
  ProcessingTimeService,
  Triggerable,
} from '../../time/timer-service.js'
import { Slicer } from '../state/snapshot-columns.js'
import { HeapInternalTimerService } from './heap-internal-timer-service.js'
import type { TimerCapture, TimerEntry } from './timer-queue.js'
import type {
  AnyTimersSnapshot,
  InternalTimersSnapshot,
  KeyGroupTimersSnapshot,
  SerializedTimersSnapshot,
  TimerColumns,
  TimerListSnapshot,
  TimerServiceColumns,
  TimerServiceSnapshot,
} from './timers-snapshot.js'

/**
 * Owns the heap timer services of one keyed operator subtask: creates them by name, moves them
 * all with the watermark, and snapshots and restores their timers by key group.
 *
 * @remarks
 * - `advanceWatermark(wm)` fires, service by service (in creation order), every event-time timer
 *   with `timestamp <= wm`; see {@link HeapInternalTimerService} for the order and the current key.
 *   The watermark never goes back.
 * - `snapshotState()` returns plain data (for tests); `snapshotForCheckpoint()` captures the
 *   timers at once and serializes them by key group afterwards, in slices (for checkpoints);
 *   `restoreState(snapshot)` takes either, adds the timers of the key groups inside the backend's
 *   range and skips the others, so a rescaled subtask calls it once per old snapshot that may hold
 *   its key groups. Restore before the operator asks for its services
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
   * All pending timers in the format checkpoints store ({@link SerializedTimersSnapshot}): the
   * call captures them (synchronously: the timers at this point between two records); the promise
   * groups them by key group and serializes them, in slices between which the task goes on.
   */
  snapshotForCheckpoint(): Promise<SerializedTimersSnapshot> {
    const captured: CapturedService<K>[] = []
    for (const [name, service] of this.services) {
      if (service.numEventTimeTimers() + service.numProcessingTimeTimers() === 0) continue
      captured.push({ name, eventTime: service.captureTimers(true), processingTime: service.captureTimers(false) })
    }
    return this.serializeTimers(captured)
  }

  private async serializeTimers(captured: readonly CapturedService<K>[]): Promise<SerializedTimersSnapshot> {
    const range = this.backend.keyGroupRange
    // what calls it returns first
    await nextTurn()
    const slicer = new Slicer()
    // per key group index: the services' columns, in creation order
    const groups: (TimerServiceColumns[] | undefined)[] = new Array<TimerServiceColumns[] | undefined>(range.size).fill(undefined)
    for (const { name, eventTime, processingTime } of captured) {
      for (const capture of [eventTime, processingTime]) {
        // per key group index: this service's columns of this time domain
        const columns = new Array<TimerColumns | undefined>(range.size).fill(undefined)
        const into = (g: number): TimerColumns => {
          let services = groups[g]
          if (services === undefined) groups[g] = services = []
          let s = services[services.length - 1]
          if (s === undefined || s.name !== name) services.push((s = { name, eventTime: emptyColumns(), processingTime: emptyColumns() }))
          return (columns[g] = capture === eventTime ? s.eventTime : s.processingTime)
        }
        for (const part of capture.parts)
          for (let i = 0; i < part.length; i += GROUP_CHUNK) {
            groupTimers(capture, part, i, Math.min(part.length, i + GROUP_CHUNK), range, columns, into, name)
            if (slicer.due()) await slicer.pause()
          }
      }
    }
    const keyGroups: { keyGroup: number; data: Uint8Array }[] = []
    for (let g = 0; g < groups.length; g++) {
      const services = groups[g]
      if (services === undefined) continue
      keyGroups.push({ keyGroup: range.start + g, data: serialize(services) })
      if (slicer.due()) await slicer.pause()
    }
    return { version: 2, keyGroups }
  }

  /**
   * Adds the timers of a snapshot whose key groups lie in the backend's range; others are skipped
   * (and, in the serialized format, not even decoded). Timers that exist already stay single.
   */
  restoreState(snapshot: AnyTimersSnapshot): void {
    if (snapshot.version === 2) {
      this.restoreSerialized(snapshot)
      return
    }
    if (snapshot.version !== 1)
      throw new StateError(
        `Cannot restore timers from a snapshot of format version ${String((snapshot as { version: unknown }).version)}; this version reads versions 1 and 2.`,
      )
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

  private restoreSerialized(snapshot: SerializedTimersSnapshot): void {
    const range = this.backend.keyGroupRange
    for (const group of snapshot.keyGroups) {
      const kg = group.keyGroup
      if (!range.contains(kg)) continue
      let services: TimerServiceColumns[]
      try {
        services = deserialize(group.data) as TimerServiceColumns[]
      } catch (cause) {
        throw new StateError(`Cannot restore the timers of key group ${kg}: they cannot be decoded. ${describeError(cause)}`, { cause })
      }
      if (!Array.isArray(services)) throw malformed(kg)
      for (const s of services) {
        if (typeof s?.name !== 'string') throw malformed(kg)
        const service = this.serviceNamed<Namespace>(s.name)
        restoreColumns(service, true, s.eventTime, kg)
        restoreColumns(service, false, s.processingTime, kg)
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

/** The timers of one service, captured by a snapshot. */
interface CapturedService<K extends Key> {
  readonly name: string
  readonly eventTime: TimerCapture<K, Namespace>
  readonly processingTime: TimerCapture<K, Namespace>
}

const emptyColumns = (): TimerColumns => ({ keys: [], timestamps: [], timestampRuns: [], namespaces: [], namespaceRuns: [] })

/** Timers grouped between two looks at the clock. */
const GROUP_CHUNK = 4096

/** Adds the captured timers `part[from, to)` that were pending to their key group's columns. */
const groupTimers = <K extends Key>(
  capture: TimerCapture<K, Namespace>,
  part: readonly TimerEntry<K, Namespace>[],
  from: number,
  to: number,
  range: KeyGroupRange,
  columns: (TimerColumns | undefined)[],
  into: (g: number) => TimerColumns,
  name: string,
): void => {
  const start = range.start
  const size = range.size
  for (let i = from; i < to; i++) {
    const t = part[i]!
    if (!capture.pending(t)) continue
    const g = t.keyGroup - start
    let c = columns[g]
    if (c === undefined) {
      if (g < 0 || g >= size) throw new InternalError(`Timer service '${name}' holds a timer of key group ${t.keyGroup}, outside ${range.toString()}.`)
      c = into(g)
    }
    addTimer(c, t)
  }
}

/** Appends a timer to columns (its list is in firing order), extending the runs. */
const addTimer = (c: TimerColumns, t: TimerEntry<Key, Namespace>): void => {
  ;(c.keys as Key[]).push(t.key)
  const ts = c.timestamps as number[]
  const last = ts.length - 1
  if (last >= 0 && ts[last] === t.timestamp) (c.timestampRuns as number[])[last]!++
  else {
    ts.push(t.timestamp)
    ;(c.timestampRuns as number[]).push(1)
  }
  const ns = c.namespaces as Namespace[]
  const lastNs = ns.length - 1
  if (lastNs >= 0 && ns[lastNs] === t.namespace) (c.namespaceRuns as number[])[lastNs]!++
  else {
    ns.push(t.namespace)
    ;(c.namespaceRuns as number[]).push(1)
  }
}

const malformed = (kg: number): StateError =>
  new StateError(`Cannot restore the timers of key group ${kg}: they are malformed. The snapshot is corrupt or was not written by Strom.`)

/** Whether run-length encoded `values` / `runs` cover exactly `n` items. */
const runsCover = (values: unknown, runs: unknown, n: number): boolean => {
  if (!Array.isArray(values) || !Array.isArray(runs) || values.length !== runs.length) return false
  let total = 0
  for (const r of runs as unknown[]) {
    if (typeof r !== 'number' || !Number.isInteger(r) || r < 1) return false
    total += r
  }
  return total === n
}

const restoreColumns = <K extends Key>(
  service: HeapInternalTimerService<K, Namespace>,
  eventTime: boolean,
  c: TimerColumns,
  keyGroup: number,
): void => {
  const keys = c?.keys
  if (!Array.isArray(keys)) throw malformed(keyGroup)
  const n = keys.length
  if (!runsCover(c.timestamps, c.timestampRuns, n) || !runsCover(c.namespaces, c.namespaceRuns, n)) throw malformed(keyGroup)
  let tr = 0
  let tLeft = c.timestampRuns[0] ?? 0
  let nr = 0
  let nLeft = c.namespaceRuns[0] ?? 0
  for (let i = 0; i < n; i++) {
    while (tLeft === 0) tLeft = c.timestampRuns[++tr]!
    while (nLeft === 0) nLeft = c.namespaceRuns[++nr]!
    service.restoreTimer(eventTime, c.timestamps[tr]!, keys[i] as K, c.namespaces[nr]!, keyGroup)
    tLeft--
    nLeft--
  }
}
