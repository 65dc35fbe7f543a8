import type { Collector, TimerService } from '@strom/runtime'
import { AbstractRichFunction } from './abstract-rich-function.js'
import type { BaseContext } from './base-context.js'

/**
 * Processes each record of a (non-keyed) stream, emitting zero or more records and side outputs.
 *
 * @remarks
 * The lowest-level function of a non-keyed stream. It sees each record's timestamp, the current
 * processing time and watermark, and can emit to side outputs. Keyed state and timers need a
 * keyed stream: use a {@link KeyedProcessFunction} after `keyBy()` (registering a timer here
 * throws a `StateError`).
 *
 * The context and collector are reused between calls: use them inside the call, never keep them.
 * Records collected get the input record's timestamp.
 *
 * Example (this code runs in `process-function.spec.ts`):
 *
 * {@includeCode ../examples/split-words.ts#split-words}
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export abstract class ProcessFunction<I, O> extends AbstractRichFunction {
  /**
   * Processes one record.
   *
   * @param value - the record
   * @param ctx - the record's timestamp, time, and side outputs; reused between calls
   * @param out - emits records, with the input record's timestamp; reused between calls
   */
  abstract processElement(value: I, ctx: ProcessFunction.Context, out: Collector<O>): void
}

/**
 * The types that go with {@link ProcessFunction}.
 *
 * @category Functions
 * @since 0.1.0
 */
export namespace ProcessFunction {
  /**
   * What `processElement` of a {@link ProcessFunction} can see and do besides emitting records.
   *
   * @remarks
   * One object per operator subtask, reused for every record. Its `timerService()` reports the
   * current processing time and watermark; registering timers needs a keyed stream.
   *
   * @category Functions
   * @since 0.1.0
   */
  export interface Context extends BaseContext {
    /** Current processing time and watermark (timers need a keyed stream). */
    timerService(): TimerService
  }
}
