import type { MessagePort } from 'node:worker_threads'
import { UserFunctionError } from '../../core/errors.js'
import type { SourceSplit } from '../../source/source.js'
import type { CheckpointingMode } from '../../checkpoint/checkpointing-options.js'
import type { TaskCheckpointAck, TaskControl, TaskFinalReport, TaskRestore } from './checkpoint-messages.js'

/** What a worker thread is started with. */
export interface WorkerInit {
  readonly entry: string
  readonly moduleUrl: string
  readonly jobName: string
  readonly params: unknown
  readonly slot: number
  readonly ports: Record<string, MessagePort>
  readonly checkpointing: { readonly mode: CheckpointingMode } | undefined
  readonly restore: TaskRestore | undefined
}

/** Messages from the main thread to a worker. */
export type ToWorker =
  | { readonly type: 'addSplits'; readonly vertexId: number; readonly subtask: number; readonly splits: readonly SourceSplit[] }
  | { readonly type: 'noMoreSplits'; readonly vertexId: number; readonly subtask: number }
  | { readonly type: 'cancel' }
  | { readonly type: 'control'; readonly control: TaskControl }
  /** The job has ended: release the state and end the thread. */
  | { readonly type: 'shutdown' }

/** Messages from a worker to the main thread. */
export type FromWorker =
  | { readonly type: 'registerReader'; readonly vertexId: number; readonly subtask: number }
  | { readonly type: 'requestSplit'; readonly vertexId: number; readonly subtask: number }
  | { readonly type: 'sink'; readonly nodeId: number; readonly subtask: number; readonly message: unknown }
  | { readonly type: 'ack'; readonly ack: TaskCheckpointAck }
  | { readonly type: 'decline'; readonly checkpointId: number; readonly vertexId: number; readonly subtask: number; readonly reason: string; readonly finished: boolean }
  | { readonly type: 'taskFinished'; readonly report: TaskFinalReport }
  | { readonly type: 'metrics'; readonly metrics: Record<string, number> }
  | { readonly type: 'finished'; readonly metrics: Record<string, number>; readonly canceled: boolean }
  | { readonly type: 'failed'; readonly error: SerializedError }

/** An error as it crosses threads. */
export interface SerializedError {
  readonly name: string
  readonly message: string
  readonly stack: string | undefined
  readonly tag: string | undefined
  readonly operatorName?: string
  readonly subtaskIndex?: number
  readonly key?: unknown
  readonly cause?: SerializedError
}

export const serializeError = (e: unknown): SerializedError => {
  if (!(e instanceof Error)) return { name: 'Error', message: String(e), stack: undefined, tag: undefined }
  const base: SerializedError = {
    name: e.name,
    message: e.message,
    stack: e.stack,
    tag: (e as { _tag?: string })._tag,
    ...(e.cause !== undefined ? { cause: serializeError(e.cause) } : {}),
  }
  if (e instanceof UserFunctionError)
    return { ...base, operatorName: e.operatorName, subtaskIndex: e.subtaskIndex, key: typeof e.key === 'bigint' ? e.key.toString() : e.key }
  return base
}

export const deserializeError = (s: SerializedError): Error => {
  const cause = s.cause === undefined ? undefined : deserializeError(s.cause)
  if (s.tag === 'UserFunctionError')
    return new UserFunctionError(s.message, s.operatorName ?? '?', s.subtaskIndex ?? -1, s.key, { cause })
  const e = new Error(s.message, cause === undefined ? undefined : { cause })
  e.name = s.name
  if (s.stack !== undefined) e.stack = s.stack
  return e
}
