import { setImmediate as nextTurn } from 'node:timers/promises'
import { serialize } from 'node:v8'
import { InternalError, StateError, describeError } from '../../core/errors.js'
import type { Key } from '../../core/key.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'
import type {
  SerializedKeyGroupSnapshot,
  SerializedKeyedStateSnapshot,
  SerializedStateSnapshot,
} from './keyed-state-snapshot.js'

/** How long the asynchronous part of a snapshot works before it lets the task go on, in ms. */
export const SNAPSHOT_SLICE_MS = 5

/**
 * Splits the asynchronous part of a snapshot into slices of {@link SNAPSHOT_SLICE_MS}: it runs on
 * the task's thread, so between slices it yields to the event loop and records are processed.
 *
 * @internal
 */
export class Slicer {
  private t0 = performance.now()

  /** Whether the current slice is used up. */
  due(): boolean {
    return performance.now() - this.t0 >= SNAPSHOT_SLICE_MS
  }

  /** Yields to the event loop and starts a new slice. */
  async pause(): Promise<void> {
    await nextTurn()
    this.t0 = performance.now()
  }
}

/** Whether `v` is a primitive: a value nobody can change in place. @internal */
export const isPrimitive = (v: unknown): boolean => {
  const t = typeof v
  return t === 'number' || t === 'string' || t === 'boolean' || t === 'bigint' || t === 'undefined' || v === null
}

/**
 * The entries of one state in one key group, being captured: the columns of
 * {@link StateColumns}, filled in the snapshot's order (grouped by namespace). Arrays filled by
 * `push` stay packed, which `v8.serialize` writes densely (no index per item).
 *
 * @internal
 */
export interface GroupColumns {
  readonly keys: Key[]
  readonly namespaces: Namespace[]
  readonly namespaceRuns: number[]
  readonly values: unknown[]
  readonly timestamps?: (number | number[] | undefined)[]
}

/**
 * The entries of one keyed state captured by a snapshot, by key group: what the snapshot takes
 * synchronously, before it serializes them.
 *
 * @remarks
 * What it holds never changes after the capture: keys, namespaces and timestamps are primitives
 * or new arrays, and values are taken as they are. `flat` tells whether every value is made of
 * primitives only (a primitive, or a new list or map export of primitives); if not, a value may
 * be an object the operator changes in place later, and the capture must be serialized before
 * the task goes on.
 *
 * @internal
 */
export class StateCapture {
  /** Per key group index of the backend's range: the entries, or `undefined` when none. */
  readonly groups: (GroupColumns | undefined)[]
  /** Whether every value is made of primitives only. */
  flat = true

  constructor(
    readonly name: string,
    readonly kind: StateKind,
    /** Whether entries carry TTL timestamps (state with TTL, and restored state not asked for yet). */
    readonly withTimestamps: boolean,
    /** The first key group of the backend's range. */
    readonly start: number,
    numGroups: number,
    readonly operatorName: string,
  ) {
    this.groups = new Array<GroupColumns | undefined>(numGroups).fill(undefined)
  }

  /** The columns of key group `kg` (absolute), created on first use. */
  columns(kg: number, key: Key): GroupColumns {
    const g = kg - this.start
    const groups = this.groups
    let c = groups[g]
    if (c !== undefined) return c
    if (g < 0 || g >= groups.length)
      throw new InternalError(
        `State '${this.name}' of operator '${this.operatorName}' holds key ${String(key)} of key group ${kg}, outside the backend's key groups.`,
      )
    c = this.withTimestamps
      ? { keys: [], namespaces: [], namespaceRuns: [], values: [], timestamps: [] }
      : { keys: [], namespaces: [], namespaceRuns: [], values: [] }
    groups[g] = c
    return c
  }

  /** Adds an entry of key group `kg`, with its value exported as the kind's snapshot form. */
  add(kg: number, key: Key, ns: Namespace, value: unknown, timestamps: number | number[] | undefined): void {
    const c = this.columns(kg, key)
    c.keys.push(key)
    c.values.push(value)
    if (c.timestamps !== undefined) c.timestamps.push(timestamps)
    addNamespace(c, ns)
    if (this.flat && !this.isFlat(value)) this.flat = false
  }

  /** Whether an exported value is made of primitives only. */
  isFlat(value: unknown): boolean {
    switch (this.kind) {
      case 'list': {
        const items = value as unknown[]
        for (let i = 0; i < items.length; i++) if (!isPrimitive(items[i])) return false
        return true
      }
      case 'map': {
        const pairs = value as [unknown, unknown][]
        for (let i = 0; i < pairs.length; i++) if (!isPrimitive(pairs[i]![0]) || !isPrimitive(pairs[i]![1])) return false
        return true
      }
      default:
        return isPrimitive(value)
    }
  }
}

/** Counts an entry of namespace `ns` in the columns' namespace runs. @internal */
export const addNamespace = (c: GroupColumns, ns: Namespace): void => {
  const nss = c.namespaces
  const last = nss.length - 1
  if (last >= 0 && nss[last] === ns) c.namespaceRuns[last]!++
  else {
    nss.push(ns)
    c.namespaceRuns.push(1)
  }
}

/**
 * Turns the captures of a snapshot's states into its serialized form
 * ({@link SerializedKeyedStateSnapshot}): serializes each key group's columns with `node:v8`,
 * either at once ({@link SerializedSnapshotBuilder.serializeNow}, for captures whose values may
 * change) or in slices between which the task goes on ({@link SerializedSnapshotBuilder.finish}).
 *
 * @internal
 */
export class SerializedSnapshotBuilder {
  /** Per capture, per key group index: its serialized entries. */
  private readonly done = new Map<StateCapture, (SerializedStateSnapshot | undefined)[]>()

  constructor(
    private readonly space: { readonly operatorName: string; readonly maxParallelism: number; readonly start: number; readonly numGroups: number },
    /** The states' captures, in name order. */
    private readonly captures: readonly StateCapture[],
  ) {}

  /** Serializes a capture now. @throws StateError when a value cannot be serialized. */
  serializeNow(c: StateCapture): void {
    const out = new Array<SerializedStateSnapshot | undefined>(c.groups.length)
    for (let g = 0; g < c.groups.length; g++) out[g] = serializeGroup(c, g)
    this.done.set(c, out)
  }

  /**
   * Serializes the other captures in slices, then assembles the snapshot. Without a `slicer`, it
   * starts after the current task: what calls it returns first.
   */
  async finish(slicer?: Slicer): Promise<SerializedKeyedStateSnapshot> {
    if (slicer === undefined) {
      await nextTurn()
      slicer = new Slicer()
    }
    for (const c of this.captures) {
      if (this.done.has(c)) continue
      const out = new Array<SerializedStateSnapshot | undefined>(c.groups.length)
      for (let g = 0; g < c.groups.length; g++) {
        if (slicer.due()) await slicer.pause()
        out[g] = serializeGroup(c, g)
      }
      this.done.set(c, out)
    }
    return this.assemble()
  }

  /** The snapshot, once every capture is serialized. */
  private assemble(): SerializedKeyedStateSnapshot {
    const { operatorName, maxParallelism, start, numGroups } = this.space
    const keyGroups: SerializedKeyGroupSnapshot[] = []
    for (let g = 0; g < numGroups; g++) {
      const states: SerializedStateSnapshot[] = []
      for (const c of this.captures) {
        const s = this.done.get(c)![g]
        if (s !== undefined) states.push(s)
      }
      if (states.length > 0) keyGroups.push({ keyGroup: start + g, states })
    }
    return {
      formatVersion: 2,
      operatorName,
      maxParallelism,
      keyGroupRange: { start, end: start + numGroups - 1 },
      keyGroups,
    }
  }
}

/** The serialized entries of a capture's key group index `g` (dropping the columns), or `undefined` when it has none. */
const serializeGroup = (c: StateCapture, g: number): SerializedStateSnapshot | undefined => {
  const columns = c.groups[g]
  if (columns === undefined) return undefined
  c.groups[g] = undefined
  let data: Uint8Array
  try {
    data = serialize(columns)
  } catch (cause) {
    throw new StateError(
      `Cannot snapshot state '${c.name}' of operator '${c.operatorName}': its keys and values must be structured-clonable (no functions, symbols or other uncloneable objects). ${describeError(cause)}`,
      { cause },
    )
  }
  return { name: c.name, kind: c.kind, data }
}
