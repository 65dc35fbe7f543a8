import type { KeyedStateSnapshot } from '../internal/state/keyed-state-snapshot.js'
import type { OperatorStateSnapshot } from '../internal/state/operator-state-snapshot.js'
import type { InternalTimersSnapshot } from '../internal/time/timers-snapshot.js'

/**
 * The state of one operator subtask that a test harness snapshotted: keyed state, timers and
 * operator (list and broadcast) state, as a checkpoint holds them.
 *
 * @remarks
 * Plain, structured-clonable data; restoring it never changes it, so one snapshot can seed many
 * harnesses. Restore it with the `restoreFrom` harness option. Given the snapshots of every
 * subtask of a run, a harness keeps the keyed state and timers of its own key groups and its share
 * of operator list state: that is how a test rescales.
 *
 * @category Testing
 * @since 0.1.0
 */
export interface OperatorSnapshot {
  /** The format version, 1. */
  readonly formatVersion: 1
  /** The operator's name. */
  readonly operatorName: string
  /** The index of the subtask that took it. */
  readonly subtaskIndex: number
  /** The parallelism of the run that took it. */
  readonly parallelism: number
  /** The number of key groups. */
  readonly maxParallelism: number
  /** The processing time when it was taken; a restored harness starts its clock there. */
  readonly processingTime: number
  /** Keyed state, for keyed operators. */
  readonly keyedState: KeyedStateSnapshot | undefined
  /** Pending timers, for keyed operators. */
  readonly timers: InternalTimersSnapshot | undefined
  /** Operator list state and broadcast state. */
  readonly operatorState: OperatorStateSnapshot
}
