import type { Collector, TimerService } from '@strom/runtime'
import { AbstractRichFunction } from './abstract-rich-function.js'
import type { BaseContext } from './base-context.js'

/**
 * Processes the records of two connected (non-keyed) streams, one method per input.
 *
 * @remarks
 * Records of the two inputs arrive interleaved, in no order between inputs. The context and
 * collector are reused between calls. Keyed state and timers need keyed inputs: use a
 * {@link KeyedCoProcessFunction} on two keyed streams.
 *
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export abstract class CoProcessFunction<I1, I2, O> extends AbstractRichFunction {
  /** Processes a record of the first input. */
  abstract processElement1(value: I1, ctx: CoProcessFunction.Context, out: Collector<O>): void
  /** Processes a record of the second input. */
  abstract processElement2(value: I2, ctx: CoProcessFunction.Context, out: Collector<O>): void
}

/**
 * The types that go with {@link CoProcessFunction}.
 *
 * @category Functions
 * @since 0.1.0
 */
export namespace CoProcessFunction {
  /**
   * What a {@link CoProcessFunction} can see and do besides emitting records.
   *
   * @remarks
   * One object per operator subtask, reused for every record of both inputs.
   *
   * @category Functions
   * @since 0.1.0
   */
  export interface Context extends BaseContext {
    /** Current processing time and watermark (timers need keyed inputs). */
    timerService(): TimerService
  }
}
