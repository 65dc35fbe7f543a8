/**
 * How a job ended.
 *
 * @category Execution
 * @since 0.1.0
 */
export type JobStatus = 'FINISHED' | 'CANCELED'

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
}

/**
 * Sums the metrics whose name ends with `.name` over all operators/subtasks matching `operator`
 * (a substring), e.g. `sumMetric(m, 'numRecordsOut', 'source')`.
 *
 * @category Execution
 * @since 0.1.0
 */
export const sumMetric = (metrics: Readonly<Record<string, number>>, name: string, operator = ''): number => {
  let sum = 0
  for (const [k, v] of Object.entries(metrics)) if (k.endsWith(`.${name}`) && k.includes(operator)) sum += v
  return sum
}
