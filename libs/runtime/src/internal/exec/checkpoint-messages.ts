import type { CheckpointMetadata } from '../../checkpoint/storage/checkpoint-storage.js'
import type { StateFileHandle } from '../../checkpoint/storage/state-file.js'
import type { SourceSplit } from '../../source/source.js'
import type { AnyKeyedStateSnapshot } from '../state/keyed-state-snapshot.js'
import type { OperatorStateSnapshot } from '../state/operator-state-snapshot.js'
import type { AnyTimersSnapshot } from '../time/timers-snapshot.js'

/** The checkpoint id of the committables a sink prepares at the end of its input (Flink's Long.MAX_VALUE). */
export const END_OF_INPUT_CHECKPOINT_ID = Number.MAX_SAFE_INTEGER

/** What one state file holds: the state of one operator subtask at one checkpoint. */
export interface OperatorSubtaskState {
  readonly formatVersion: 1
  readonly uid: string
  readonly operatorName: string
  readonly subtaskIndex: number
  readonly parallelism: number
  readonly maxParallelism: number
  readonly checkpointId: number
  /** Processing time when the snapshot was taken. */
  readonly processingTime: number
  readonly keyedState: AnyKeyedStateSnapshot | undefined
  readonly timers: AnyTimersSnapshot | undefined
  readonly operatorState: OperatorStateSnapshot
  /** For sources: the reader's splits with their positions. */
  readonly sourceSplits?: readonly SourceSplit[]
}

/** One operator subtask's state in a task's acknowledgement. */
export interface AckedOperatorState {
  readonly uid: string
  readonly name: string
  readonly parallelism: number
  readonly state: StateFileHandle
}

/** A task has written its state for a checkpoint. */
export interface TaskCheckpointAck {
  readonly checkpointId: number
  readonly vertexId: number
  readonly subtaskIndex: number
  readonly operators: readonly AckedOperatorState[]
  /** Sink committables prepared at the barrier, by sink uid. */
  readonly committables: readonly { readonly uid: string; readonly items: readonly unknown[] }[]
}

/** A task has finished: its sinks' last committables. */
export interface TaskFinalReport {
  readonly vertexId: number
  readonly subtaskIndex: number
  readonly committables: readonly { readonly uid: string; readonly items: readonly unknown[] }[]
}

/** What the job's coordinator tells tasks about checkpoints. */
export type TaskControl =
  /** Checkpoint n starts: tasks write their state files to `directory`; sources inject the barrier (and stop reading, if `stop`). */
  | { readonly type: 'checkpoint'; readonly checkpointId: number; readonly directory: string; readonly stop: boolean }
  | { readonly type: 'complete'; readonly checkpointId: number }
  | { readonly type: 'aborted'; readonly checkpointId: number }

/** The checkpoint a job's tasks start from. */
export interface TaskRestore {
  /** The checkpoint's directory. */
  readonly path: string
  readonly metadata: CheckpointMetadata
}
