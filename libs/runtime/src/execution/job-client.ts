/**
 * How a job ended: its input ended (`FINISHED`), it was cancelled (`CANCELED`), or it was
 * stopped with a savepoint (`STOPPED`).
 *
 * @category Execution
 * @since 0.1.0
 */
export type JobStatus = 'FINISHED' | 'CANCELED' | 'STOPPED'

/**
 * What a job that ended reports.
 *
 * @category Execution
 * @since 0.1.0
 */
export interface JobResult {
  readonly jobName: string
  readonly status: JobStatus
  /** Wall-clock run time in ms, from deployment to the end. */
  readonly durationMs: number
  /**
   * The final value of every metric, named `job.operator.subtask.metric` (records in/out per task,
   * user counters, current watermarks).
   */
  readonly metrics: Readonly<Record<string, number>>
  /** How often the job restarted after a failure. */
  readonly restarts?: number
  /** The directory of the latest completed checkpoint or savepoint, when the job checkpoints. */
  readonly latestCheckpoint?: string | undefined
}

/**
 * A running job.
 *
 * @category Execution
 * @since 0.1.0
 */
export interface JobClient {
  readonly jobName: string
  /**
   * Resolves when the job ends (bounded input read, or cancelled); rejects with the error that
   * failed it, e.g. a `UserFunctionError` naming the operator, subtask and key.
   */
  readonly result: Promise<JobResult>
  /** Stops the job; `result` then resolves with status `CANCELED`. */
  cancel(): void
  /** The current metrics (see {@link JobResult.metrics}); updated about every 500 ms from workers. */
  metrics(): Record<string, number>
  /**
   * Takes a savepoint: a checkpoint the job never deletes, in `directory` (default
   * `<checkpoint directory>/<job>/savepoints`). Resolves with its path once it is complete.
   * Rejects with a `CheckpointError` when the job does not checkpoint or the savepoint fails.
   */
  triggerSavepoint(directory?: string): Promise<string>
  /**
   * Takes a savepoint and stops the job right after it (its sources read nothing past the
   * savepoint's barrier); `result` then resolves with status `STOPPED`. Resume with
   * `restoreFrom: path`.
   */
  stopWithSavepoint(directory?: string): Promise<string>
}

/**
 * Sums a metric over all subtasks of one operator, or of all operators when `operator` is omitted,
 * e.g. `sumMetric(m, 'numRecordsOut', 'clicks')`.
 *
 * @remarks
 * Metric names are `job.operator.subtask.metric`; `operator` must equal the operator's name.
 *
 * @category Execution
 * @since 0.1.0
 */
export const sumMetric = (metrics: Readonly<Record<string, number>>, name: string, operator?: string): number => {
  let sum = 0
  const suffix = `.${name}`
  const segment = operator === undefined ? undefined : `.${operator}.`
  for (const [k, v] of Object.entries(metrics))
    if (k.endsWith(suffix) && (segment === undefined || k.includes(segment))) sum += v
  return sum
}
