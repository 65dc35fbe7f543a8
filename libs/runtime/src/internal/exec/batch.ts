/**
 * What travels between tasks: a batch of records (values and timestamps side by side, no wrapper
 * per record), optionally followed by one control event. Batches are plain data, so the same
 * object goes through an in-thread channel and, structured-cloned, through a MessagePort.
 */
export interface Batch {
  values: unknown[]
  /** One per record: a plain array as the record writer fills it, a `Float64Array` once the batch crossed threads. */
  timestamps: ArrayLike<number>
  /** A control event that follows the records: one of the CTRL_* codes. */
  control: number
  /** The control event's value (the watermark for CTRL_WATERMARK). */
  controlValue: number
}

export const CTRL_NONE = 0
export const CTRL_WATERMARK = 1
export const CTRL_IDLE = 2
export const CTRL_ACTIVE = 3
/** The producer subtask has ended; nothing follows on this channel. */
export const CTRL_END = 4
/** A checkpoint barrier; `controlValue` is the checkpoint id. */
export const CTRL_BARRIER = 5

/** A batch being filled by a record writer. */
export interface OpenBatch extends Batch {
  timestamps: number[]
}

export const newBatch = (): OpenBatch => ({ values: [], timestamps: [], control: CTRL_NONE, controlValue: 0 })
