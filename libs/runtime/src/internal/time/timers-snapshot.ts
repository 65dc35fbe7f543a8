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
