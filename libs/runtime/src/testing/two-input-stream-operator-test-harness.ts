import { MAX_WATERMARK, MIN_WATERMARK, NO_TIMESTAMP } from '../core/element.js'
import type { Key, KeySelector } from '../core/key.js'
import type { TwoInputStreamOperator } from '../operators/stream-operator.js'
import { AbstractStreamOperatorTestHarness } from './stream-operator-test-harness.js'
import type { OperatorHarnessOptions } from './stream-operator-test-harness.js'

/**
 * Runs one {@link TwoInputStreamOperator} subtask by hand.
 *
 * @remarks
 * Each input has its own watermark; the operator receives their minimum whenever it advances,
 * as from a task's input valve. A watermark below an input's current one is ignored.
 *
 * @typeParam IN1 - the first input's type
 * @typeParam IN2 - the second input's type
 * @typeParam OUT - the output type
 * @category Testing
 * @since 0.1.0
 */
export class TwoInputStreamOperatorTestHarness<IN1, IN2, OUT> extends AbstractStreamOperatorTestHarness<OUT> {
  /** The operator under test. */
  declare readonly operator: TwoInputStreamOperator<IN1, IN2, OUT>
  private watermark1 = MIN_WATERMARK
  private watermark2 = MIN_WATERMARK

  /**
   * Sets up a non-keyed two-input operator.
   *
   * @param operator - the operator; it gets no keyed state backend and no timers
   * @param options - names, parallelism, start time, state to restore
   */
  constructor(operator: TwoInputStreamOperator<IN1, IN2, OUT>, options?: OperatorHarnessOptions)
  /** @internal */
  constructor(
    operator: TwoInputStreamOperator<IN1, IN2, OUT>,
    options: OperatorHarnessOptions | undefined,
    keySelectors: readonly [KeySelector<IN1, Key>, KeySelector<IN2, Key> | undefined],
  )
  constructor(
    operator: TwoInputStreamOperator<IN1, IN2, OUT>,
    options?: OperatorHarnessOptions,
    keySelectors?: readonly [KeySelector<IN1, Key>, KeySelector<IN2, Key> | undefined],
  ) {
    super(operator, keySelectors, options)
  }

  /** Processes a record of the first input ({@link NO_TIMESTAMP} when the timestamp is omitted). */
  processElement1(value: IN1, timestamp: number = NO_TIMESTAMP): void {
    this.checkOpen()
    this.operator.processElement1(value, timestamp)
    this.afterCall()
  }

  /** Processes a record of the second input. */
  processElement2(value: IN2, timestamp: number = NO_TIMESTAMP): void {
    this.checkOpen()
    this.operator.processElement2(value, timestamp)
    this.afterCall()
  }

  /** Advances the first input's watermark. */
  processWatermark1(watermark: number): void {
    if (watermark > this.watermark1) this.watermark1 = watermark
    this.combine()
  }

  /** Advances the second input's watermark. */
  processWatermark2(watermark: number): void {
    if (watermark > this.watermark2) this.watermark2 = watermark
    this.combine()
  }

  /** Advances both inputs' watermarks. */
  processWatermark(watermark: number): void {
    if (watermark > this.watermark1) this.watermark1 = watermark
    if (watermark > this.watermark2) this.watermark2 = watermark
    this.combine()
  }

  endInput(): void {
    this.processWatermark(MAX_WATERMARK)
    this.finishOperator()
  }

  private combine(): void {
    this.checkOpen()
    const combined = Math.min(this.watermark1, this.watermark2)
    if (combined > this.currentWatermark()) this.emitWatermarkToOperator(combined)
  }
}

/**
 * Runs one keyed {@link TwoInputStreamOperator} subtask by hand (connected keyed streams, or a
 * keyed stream with a broadcast stream), with a heap keyed state backend and timers.
 *
 * @remarks
 * `keySelector2` is `undefined` for a broadcast second input: its records have no key.
 *
 * @typeParam IN1 - the first input's type
 * @typeParam IN2 - the second input's type
 * @typeParam K - the key type
 * @typeParam OUT - the output type
 * @category Testing
 * @since 0.1.0
 */
export class KeyedTwoInputStreamOperatorTestHarness<IN1, IN2, K extends Key, OUT> extends TwoInputStreamOperatorTestHarness<
  IN1,
  IN2,
  OUT
> {
  /**
   * Sets up a keyed two-input operator.
   *
   * @param operator - the operator; it gets the key selectors as `keySelectors[0]` and `[1]`
   * @param keySelector1 - the key of each record of the first input
   * @param keySelector2 - the key of each record of the second input; `undefined` for a broadcast input
   * @param options - names, parallelism and subtask (key-group range), start time, state to restore
   */
  constructor(
    operator: TwoInputStreamOperator<IN1, IN2, OUT>,
    keySelector1: KeySelector<IN1, K>,
    keySelector2: KeySelector<IN2, K> | undefined,
    options?: OperatorHarnessOptions,
  ) {
    super(operator, options, [keySelector1, keySelector2])
  }
}
