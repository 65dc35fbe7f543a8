import { ConfigError } from '../core/errors.js'

/**
 * What a checkpoint guarantees.
 *
 * - `EXACTLY_ONCE`: a task with several input channels aligns the barriers: after the barrier
 *   of checkpoint n arrived on one channel, that channel's records wait until the barrier arrived
 *   on every channel, so the snapshot contains the effect of exactly the records before the
 *   barrier. Recovery then replays every record exactly once into state.
 * - `AT_LEAST_ONCE`: no alignment; a task snapshots when the barrier arrived on every channel,
 *   having processed records that came after the first barrier. Those records are replayed
 *   after a recovery too: state may count them twice. Lower latency under backpressure.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export type CheckpointingMode = 'EXACTLY_ONCE' | 'AT_LEAST_ONCE'

/**
 * How a job checkpoints (`enableCheckpointing`).
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface CheckpointingOptions {
  /** Time between the start of two checkpoints, in ms. */
  readonly intervalMs: number
  /** The guarantee (default `EXACTLY_ONCE`). */
  readonly mode?: CheckpointingMode
  /** A checkpoint not complete after this many ms is aborted (default 600 000). */
  readonly timeoutMs?: number
  /** Checkpoints in progress at once (default 1). */
  readonly maxConcurrent?: number
  /** The least time between the end of one checkpoint and the start of the next, in ms (default 0). */
  readonly minPauseMs?: number
  /**
   * Failed checkpoints (timeouts, write errors, declines) in a row that the job tolerates; one
   * more fails the job, which then restarts by its restart strategy (default 0, as in Flink).
   */
  readonly tolerableFailures?: number
  /**
   * The checkpoint directory. Completed checkpoints live in `<directory>/<jobName>/chk-<n>`; a job
   * started again with the same directory resumes from the latest complete one. Without it,
   * checkpoints go to a temporary directory removed when the job ends: they serve restarts after
   * a task failure, not a process crash.
   */
  readonly directory?: string
  /** How many completed checkpoints are kept (default 2, so a corrupt latest one has a fallback). */
  readonly retained?: number
}

/**
 * {@link CheckpointingOptions} with every default filled in.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export type ResolvedCheckpointingOptions = Required<Omit<CheckpointingOptions, 'directory'>> & {
  readonly directory: string | undefined
}

const positiveInt = (name: string, v: number, min: number): number => {
  if (!(Number.isInteger(v) || v === Number.POSITIVE_INFINITY) || v < min)
    throw new ConfigError(`Checkpointing option '${name}' must be an integer >= ${min}, got ${v}.`)
  return v
}

/**
 * Fills in the defaults and checks every value.
 *
 * @throws ConfigError naming the option that is out of range.
 * @category Checkpoints
 * @since 0.2.0
 */
export const resolveCheckpointingOptions = (o: CheckpointingOptions): ResolvedCheckpointingOptions => {
  const mode = o.mode ?? 'EXACTLY_ONCE'
  if (mode !== 'EXACTLY_ONCE' && mode !== 'AT_LEAST_ONCE')
    throw new ConfigError(`Checkpointing mode must be 'EXACTLY_ONCE' or 'AT_LEAST_ONCE', got ${JSON.stringify(mode)}.`)
  return {
    intervalMs: positiveInt('intervalMs', o.intervalMs, 1),
    mode,
    timeoutMs: positiveInt('timeoutMs', o.timeoutMs ?? 600_000, 1),
    maxConcurrent: positiveInt('maxConcurrent', o.maxConcurrent ?? 1, 1),
    minPauseMs: positiveInt('minPauseMs', o.minPauseMs ?? 0, 0),
    tolerableFailures: positiveInt('tolerableFailures', o.tolerableFailures ?? 0, 0),
    directory: o.directory,
    retained: positiveInt('retained', o.retained ?? 2, 1),
  }
}
