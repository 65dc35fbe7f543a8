import type { Series } from './measure.js'

/** What every scenario is run with (from the command line). */
export interface ScenarioOptions {
  /** Events per run (split across the source subtasks in parallel runs). */
  readonly events: number
  /** Distinct keys; `undefined` for the scenario's default. */
  readonly keys: number | undefined
  /** Measured rounds; the median is reported. */
  readonly rounds: number
  /** Rounds run first and thrown away (JIT, caches, heap growth). */
  readonly warmup: number
  /** Whether to run the parallel (worker-thread) variants too. */
  readonly parallel: boolean
  /** Only these implementations (by id); empty for all. */
  readonly only: readonly string[]
}

/** A ratio between two series' events/s, with the target it must meet, if any. */
export interface Ratio {
  readonly id: string
  readonly label: string
  readonly value: number
  /** The lowest acceptable value. */
  readonly target?: number
}

/**
 * A measured quantity that is not a rate: a duration, a size, a count. Reported with the median,
 * mean, min and max of its values (one per round, or one per event measured, e.g. per checkpoint).
 */
export interface Figure {
  readonly id: string
  readonly label: string
  readonly unit: 'ms' | 'bytes' | 'count'
  readonly values: readonly number[]
}

export interface ScenarioReport {
  readonly scenario: string
  readonly description: string
  readonly params: Readonly<Record<string, number>>
  /** Fixed costs measured separately (e.g. starting worker threads), by series id, in ms. */
  readonly startupMs: Readonly<Record<string, number>>
  readonly rounds: number
  readonly warmup: number
  /** The series, the first being the baseline (the hand-written loop). */
  readonly series: readonly Series[]
  readonly ratios: readonly Ratio[]
  /** Durations, sizes and counts measured besides the rates (none for most scenarios). */
  readonly figures?: readonly Figure[]
  readonly notes: readonly string[]
}

export interface Scenario {
  readonly name: string
  readonly description: string
  /** Events per run when `--events` is not given (default `DEFAULT_EVENTS`). */
  readonly defaultEvents?: number
  run(options: ScenarioOptions, log: (line: string) => void): Promise<ScenarioReport>
}
