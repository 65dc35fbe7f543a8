import { RUNTIME_MODE_CONFIG_KEY } from '@strom/runtime'

/**
 * How a job runs: as a stream, or as a batch job over bounded input.
 *
 * - `STREAMING`: records flow as they arrive; watermarks drive event time; results are updated
 *   continuously (a keyed `sum` emits every running total). Works for bounded and unbounded input.
 * - `BATCH`: only for bounded input. No per-record watermark work (sources emit no watermarks,
 *   event time jumps to +infinity at the end of input, so every event-time timer and window fires
 *   then, once); keyed rolling aggregations (`reduce`, `sum`, `min`...) emit only their final value
 *   per key. The final results equal those of `STREAMING` on the same input.
 * - `AUTOMATIC`: `BATCH` when every source is bounded, else `STREAMING`.
 *
 * @category Environment
 * @since 0.1.0
 */
export type RuntimeExecutionMode = 'STREAMING' | 'BATCH' | 'AUTOMATIC'

/**
 * The values of {@link RuntimeExecutionMode}, as constants (`RuntimeExecutionMode.BATCH`).
 *
 * @category Environment
 * @since 0.1.0
 */
export const RuntimeExecutionMode = {
  STREAMING: 'STREAMING',
  BATCH: 'BATCH',
  AUTOMATIC: 'AUTOMATIC',
} as const satisfies Record<RuntimeExecutionMode, RuntimeExecutionMode>

/**
 * The job configuration key that tells operators the effective runtime mode (`STREAMING` or
 * `BATCH`); the runtime's `RUNTIME_MODE_CONFIG_KEY`.
 *
 * @category Environment
 * @since 0.1.0
 */
export const RUNTIME_MODE_KEY: typeof RUNTIME_MODE_CONFIG_KEY = RUNTIME_MODE_CONFIG_KEY
