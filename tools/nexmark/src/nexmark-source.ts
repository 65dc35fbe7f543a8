/**
 * The Nexmark generator as a runtime source for the DataStream API.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { DataGenSource, type DataGenSplit, type Source } from '@strom/runtime'
import type { NexmarkEvent } from './generator/events.js'
import { nexmarkConfig, type NexmarkConfig } from './generator/generator-config.js'
import { NexmarkGenerator } from './generator/nexmark-generator.js'

/**
 * How a Nexmark source emits.
 *
 * @category Sources
 * @since 0.1.0
 */
export interface NexmarkSourceOptions {
  /** The most events per second, summed over all subtasks; without it, as fast as possible. */
  readonly eventsPerSecond?: number
  /** Splits per subtask (default 1). */
  readonly splitsPerSubtask?: number
}

/**
 * A source of Nexmark events for a validated generator configuration.
 *
 * @remarks
 * A split is a range of event numbers and its checkpointed position the next event number
 * (the runtime's `DataGenSource`): with `numEvents` set, subtask `i` of `p` generates the
 * contiguous range `[floor(i n / p), floor((i + 1) n / p))`; without it the stream is endless and
 * split `i` of `k` generates `i, i + k, …`. Events are a pure function of their number, so any
 * parallelism, and a restore from any checkpoint, gives the same events. Records carry no
 * timestamp: assign `eventTimeOf(event)` with a watermark strategy (events are in event-time
 * order within a split when `outOfOrderGroupSize` is 1).
 *
 * @category Sources
 * @since 0.1.0
 */
export const nexmarkSourceOf = (config: NexmarkConfig, options: NexmarkSourceOptions = {}): Source<NexmarkEvent, DataGenSplit, DataGenSplit[]> => {
  const generator = new NexmarkGenerator(config)
  const count = generator.count
  return DataGenSource.of((n) => generator.eventAt(n), {
    ...(count === undefined ? {} : { count }),
    ...(options.eventsPerSecond === undefined ? {} : { rowsPerSecond: options.eventsPerSecond }),
    ...(options.splitsPerSubtask === undefined ? {} : { splitsPerSubtask: options.splitsPerSubtask }),
  })
}

/**
 * A source of Nexmark events with the reference's defaults overridden by `overrides`, or every
 * problem with them.
 *
 * @category Sources
 * @since 0.1.0
 */
export const nexmarkSource = (
  overrides: Partial<NexmarkConfig> = {},
  options: NexmarkSourceOptions = {},
): E.Either<readonly string[], Source<NexmarkEvent, DataGenSplit, DataGenSplit[]>> => E.map((c: NexmarkConfig) => nexmarkSourceOf(c, options))(nexmarkConfig(overrides))
