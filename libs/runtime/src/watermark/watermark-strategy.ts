import { ConfigError } from '../core/errors.js'
import { SystemClock } from '../time/clock.js'
import { BoundedOutOfOrdernessWatermarks } from './bounded-out-of-orderness-watermarks.js'
import type { TimestampAssigner } from './timestamp-assigner.js'
import type {
  WatermarkGenerator,
  WatermarkGeneratorContext,
  WatermarkGeneratorSupplier,
} from './watermark-generator.js'
import type { WatermarkOutput } from './watermark-output.js'
import { WatermarksWithIdleness } from './watermarks-with-idleness.js'

/**
 * How often sources call their generators' periodic emit by default, in ms (Flink's
 * `pipeline.auto-watermark-interval`).
 *
 * @category Watermarks
 * @since 0.1.0
 */
export const DEFAULT_AUTO_WATERMARK_INTERVAL_MS = 200

/** Emits nothing; shared, it has no state. */
const NO_WATERMARKS_GENERATOR: WatermarkGenerator<unknown> = {
  onEvent(_event: unknown, _timestamp: number, _output: WatermarkOutput): void {},
  onPeriodicEmit(_output: WatermarkOutput): void {},
}

const noWatermarksSupplier: WatermarkGeneratorSupplier<unknown> = () => NO_WATERMARKS_GENERATOR

const defaultContext: WatermarkGeneratorContext = { clock: SystemClock }

/**
 * How a source (or `assignTimestampsAndWatermarks`) gives records their event timestamps and
 * makes watermarks: a timestamp assigner plus a watermark generator factory, optionally with
 * idleness detection.
 *
 * @remarks
 * Strategies are immutable: `withTimestampAssigner` and `withIdleness` return new ones. Sources
 * create one generator per split and combine the splits' watermarks (the minimum over the active
 * ones), so that out-of-order reading across splits does not make records late.
 *
 * {@includeCode ./watermark-strategy.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export class WatermarkStrategy<T> {
  private constructor(
    private readonly supplier: WatermarkGeneratorSupplier<T>,
    private readonly timestampAssigner: TimestampAssigner<T> | undefined,
    private readonly idleTimeoutMs: number | undefined,
  ) {}

  /**
   * Watermarks for timestamps that only go up (within a split): the watermark follows the
   * largest timestamp seen, minus 1 ms.
   *
   * @remarks
   * The same as `forBoundedOutOfOrderness(0)`: a record with a timestamp equal to the largest seen
   * so far is still on time, one below it may be late.
   */
  static forMonotonousTimestamps<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(() => new BoundedOutOfOrdernessWatermarks<T>(0), undefined, undefined)
  }

  /**
   * Watermarks for records that arrive at most `maxOutOfOrdernessMs` out of order: periodically
   * `maxTimestamp - maxOutOfOrdernessMs - 1`.
   *
   * @param maxOutOfOrdernessMs - a finite number of ms `>= 0`; a ConfigError otherwise
   */
  static forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategy<T> {
    if (!(maxOutOfOrdernessMs >= 0) || !Number.isFinite(maxOutOfOrdernessMs))
      throw new ConfigError(
        `The out-of-orderness of a watermark strategy must be a finite number of ms >= 0, not ${maxOutOfOrdernessMs}.`,
      )
    return new WatermarkStrategy<T>(
      () => new BoundedOutOfOrdernessWatermarks<T>(maxOutOfOrdernessMs),
      undefined,
      undefined,
    )
  }

  /**
   * No watermarks at all: for processing-time jobs, or streams whose event time is not used.
   *
   * @remarks
   * Sources take a fast path for it: no generator call per record. Event-time timers and windows
   * downstream fire only at the end of a bounded input.
   */
  static noWatermarks<T>(): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(noWatermarksSupplier as WatermarkGeneratorSupplier<T>, undefined, undefined)
  }

  /**
   * A strategy with your own generator; `supplier` is called once per split.
   *
   * @param supplier - creates a fresh generator
   */
  static forGenerator<T>(supplier: WatermarkGeneratorSupplier<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(supplier, undefined, undefined)
  }

  /**
   * The same strategy, taking each record's timestamp from `assigner` instead of from the source.
   *
   * @param assigner - `(event, recordTimestamp) => timestamp`; see {@link TimestampAssigner}
   */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategy<T> {
    return new WatermarkStrategy<T>(this.supplier, assigner, this.idleTimeoutMs)
  }

  /**
   * The same strategy, marking a split idle when it had no record for `idleTimeoutMs` of
   * processing time, so that it does not hold back the watermark (see
   * {@link WatermarksWithIdleness}).
   *
   * @param idleTimeoutMs - a finite number of ms `> 0`; a ConfigError otherwise
   */
  withIdleness(idleTimeoutMs: number): WatermarkStrategy<T> {
    if (!(idleTimeoutMs > 0) || !Number.isFinite(idleTimeoutMs))
      throw new ConfigError(`The idle timeout of a watermark strategy must be a finite number of ms > 0, not ${idleTimeoutMs}.`)
    return new WatermarkStrategy<T>(this.supplier, this.timestampAssigner, idleTimeoutMs)
  }

  /**
   * A fresh generator for one split (or one stream), wrapped for idleness when the strategy has
   * an idle timeout.
   *
   * @param context - processing time for idleness; the system clock by default
   */
  createWatermarkGenerator(context: WatermarkGeneratorContext = defaultContext): WatermarkGenerator<T> {
    const generator = this.supplier(context)
    return this.idleTimeoutMs === undefined
      ? generator
      : new WatermarksWithIdleness<T>(generator, this.idleTimeoutMs, context.clock)
  }

  /**
   * The timestamp assigner, or `undefined` when the strategy has none: records then keep the
   * timestamp their source gave them ({@link NO_TIMESTAMP} if none).
   */
  createTimestampAssigner(): TimestampAssigner<T> | undefined {
    return this.timestampAssigner
  }

  /**
   * Whether the strategy never makes watermarks nor idleness (`noWatermarks()` without
   * `withIdleness`), so that sources can skip generators entirely.
   *
   * @internal
   */
  get emitsNothing(): boolean {
    return this.supplier === noWatermarksSupplier && this.idleTimeoutMs === undefined
  }
}
