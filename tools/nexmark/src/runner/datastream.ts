/**
 * Runs a DataStream version of a Nexmark query (q0-q8) in a runner child.
 *
 * @packageDocumentation
 */
import { join } from 'node:path'
import { StreamExecutionEnvironment } from '@strom/datastream'
import { buildNexmarkDataStreamJob, CountingSink, type NexmarkDataStreamQueryName } from '../datastream/index.js'
import { DEFAULT_NEXMARK_CONFIG } from '../generator/generator-config.js'
import { nexmarkSourceOf } from '../nexmark-source.js'
import type { ChildTask } from './child.js'

/**
 * Runs `task` (api `datastream`) with a counting sink; returns the completed checkpoints.
 *
 * @category Runner
 * @since 0.1.0
 */
export const runDataStreamTask = async (task: ChildTask, dir: string): Promise<{ checkpoints: number }> => {
  const env = StreamExecutionEnvironment.create({ parallelism: task.parallelism })
  if (task.checkpointMs !== undefined) env.enableCheckpointing(task.checkpointMs, 'EXACTLY_ONCE', { directory: join(dir, 'checkpoints') })
  const latency = task.latencyRate !== undefined
  const source = nexmarkSourceOf({ ...DEFAULT_NEXMARK_CONFIG, numEvents: task.events, ...(latency ? { firstEventRate: task.latencyRate, wallClockTime: true } : {}) }, latency ? { eventsPerSecond: task.latencyRate } : {})
  const sink = new CountingSink<unknown>()
  buildNexmarkDataStreamJob(env, task.query as NexmarkDataStreamQueryName, source, sink)
  const result = await env.execute(`nexmark-${task.query}`)
  let checkpoints = 0
  for (const [k, v] of Object.entries(result.metrics)) if (k.endsWith('.numberOfCompletedCheckpoints')) checkpoints = v
  if (sink.count === 0) throw new Error(`${task.query} (DataStream) produced no rows`)
  return { checkpoints }
}
