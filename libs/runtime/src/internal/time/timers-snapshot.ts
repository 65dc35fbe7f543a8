import type { Key } from '../../core/key.js'
import type { Namespace } from '../../state/keyed-state-backend.js'

/**
 * Timers as three parallel arrays, in firing order: timer `i` is
 * (`timestamps[i]`, `keys[i]`, `namespaces[i]`).
 *
 * @category Time
 * @since 0.1.0
 */
export interface TimerListSnapshot {
  readonly timestamps: number[]
  readonly keys: Key[]
  readonly namespaces: Namespace[]
}

/**
 * The timers of one named timer service within one key group.
 *
 * @category Time
 * @since 0.1.0
 */
export interface TimerServiceSnapshot {
  /** The timer service's name (as given to `getInternalTimerService`). */
  readonly name: string
  readonly eventTime: TimerListSnapshot
  readonly processingTime: TimerListSnapshot
}

/**
 * The timers of one key group, over all timer services of an operator.
 *
 * @category Time
 * @since 0.1.0
 */
export interface KeyGroupTimersSnapshot {
  readonly keyGroup: number
  /** One entry per timer service that has timers in this key group. */
  readonly services: TimerServiceSnapshot[]
}

/**
 * All timers of one operator subtask, grouped by key group: plain, structured-clonable data
 * (arrays, numbers, strings, bigints, booleans), for checkpoints and the test harness.
 *
 * @remarks
 * Grouping by key group is what lets a job rescale: a subtask restores only the key groups in its
 * range, from as many old snapshots as held them. Within a list, timers are in firing order, and
 * restoring keeps that order for timers of equal timestamp within a key group.
 *
 * @category Time
 * @since 0.1.0
 */
export interface InternalTimersSnapshot {
  /** The format version, 1. */
  readonly version: 1
  /** Key groups in ascending order; key groups without timers are left out. */
  readonly keyGroups: KeyGroupTimersSnapshot[]
}

/**
 * All timers of one operator subtask as checkpoints and savepoints store them (format version
 * 2): per key group, the timers of every timer service as columns, serialized with `node:v8` into
 * bytes of their own.
 *
 * @remarks
 * Each `data` is `v8.serialize` of a {@link TimerServiceColumns} array (one item per timer
 * service with timers in the key group, in the order the services were created). Keeping every
 * key group's bytes apart lets the writer serialize them one at a time between records, and a
 * restore with another parallelism decode only the key groups it owns. `restoreState` takes this
 * format and {@link InternalTimersSnapshot}. Described in `docs/checkpoint-format.md`.
 *
 * @category Time
 * @since 0.2.0
 */
export interface SerializedTimersSnapshot {
  /** The format version, 2. */
  readonly version: 2
  /** Key groups in ascending order; key groups without timers are left out. */
  readonly keyGroups: readonly { readonly keyGroup: number; readonly data: Uint8Array }[]
}

/**
 * The timers of one timer service in one key group (format version 2).
 *
 * @category Time
 * @since 0.2.0
 */
export interface TimerServiceColumns {
  /** The timer service's name (as given to `getInternalTimerService`). */
  readonly name: string
  readonly eventTime: TimerColumns
  readonly processingTime: TimerColumns
}

/**
 * Timers in firing order as columns: timer `i` has key `keys[i]`; timestamps and namespaces are
 * run-length encoded (the first `timestampRuns[0]` timers have timestamp `timestamps[0]`, and so
 * on; likewise `namespaces` and `namespaceRuns`).
 *
 * @category Time
 * @since 0.2.0
 */
export interface TimerColumns {
  readonly keys: readonly Key[]
  readonly timestamps: readonly number[]
  readonly timestampRuns: readonly number[]
  readonly namespaces: readonly Namespace[]
  readonly namespaceRuns: readonly number[]
}

/** Either format of timers snapshot: what `restoreState` takes. @category Time @since 0.2.0 */
export type AnyTimersSnapshot = InternalTimersSnapshot | SerializedTimersSnapshot
