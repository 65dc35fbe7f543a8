import { MAX_WATERMARK, NO_TIMESTAMP } from '../core/element.js'
import type { Key, KeySelector } from '../core/key.js'
import type { OneInputStreamOperator } from '../operators/stream-operator.js'
import { AbstractStreamOperatorTestHarness } from './stream-operator-test-harness.js'
import type { OperatorHarnessOptions } from './stream-operator-test-harness.js'

/**
 * Runs one {@link OneInputStreamOperator} subtask by hand: records, watermarks, processing time,
 * output, snapshots.
 *
 * @remarks
 * See {@link AbstractStreamOperatorTestHarness} for the set-up. Example (from
 * `operator-test-harness.spec.ts`):
 *
 * {@includeCode ./operator-test-harness.spec.ts#one-input}
 *
 *
 * @typeParam IN - the input type
 * @typeParam OUT - the output type
 * @category Testing
 * @since 0.1.0
 */
export class OneInputStreamOperatorTestHarness<IN, OUT> extends AbstractStreamOperatorTestHarness<OUT> {
  /** The operator under test. */
  declare readonly operator: OneInputStreamOperator<IN, OUT>

  /**
   * Sets up a non-keyed operator.
   *
   * @param operator - the operator; it gets no keyed state backend and no timers
   * @param options - names, parallelism, start time, state to restore
   */
  constructor(operator: OneInputStreamOperator<IN, OUT>, options?: OperatorHarnessOptions)
  /** @internal */
  constructor(
    operator: OneInputStreamOperator<IN, OUT>,
    options: OperatorHarnessOptions | undefined,
    keySelector: KeySelector<IN, Key> | undefined,
    keyed: true,
  )
  constructor(
    operator: OneInputStreamOperator<IN, OUT>,
    options?: OperatorHarnessOptions,
    keySelector?: KeySelector<IN, Key>,
    keyed?: true,
  ) {
    super(operator, keyed === true ? [keySelector] : undefined, options)
  }

  /** Processes a record with a timestamp ({@link NO_TIMESTAMP} when omitted). */
  processElement(value: IN, timestamp: number = NO_TIMESTAMP): void {
    this.checkOpen()
    this.operator.processElement(value, timestamp)
    this.afterCall()
  }

  /** Processes records, all with the same timestamp (none when omitted). */
  processElements(values: Iterable<IN>, timestamp: number = NO_TIMESTAMP): void {
    for (const v of values) this.processElement(v, timestamp)
  }

  /** Gives the operator a watermark. */
  processWatermark(watermark: number): void {
    this.emitWatermarkToOperator(watermark)
  }

  /** Tells the operator its input is idle (`true`) or active again. */
  processWatermarkStatus(idle: boolean): void {
    this.checkOpen()
    this.operator.processWatermarkStatus(idle)
    this.afterCall()
  }

  endInput(): void {
    if (this.currentWatermark() < MAX_WATERMARK) this.processWatermark(MAX_WATERMARK)
    this.finishOperator()
  }
}

/**
 * Runs one keyed {@link OneInputStreamOperator} subtask by hand, with a heap keyed state backend
 * for its key groups and a timer service manager.
 *
 * @remarks
 * By default the harness is subtask 0 of 1 and owns all key groups. With
 * `{ parallelism, subtaskIndex }` it owns that subtask's key-group range: a record whose key lies
 * outside is an error, as it would be in a job, and `restoreFrom` keeps only its key groups.
 *
 * @typeParam IN - the input type
 * @typeParam K - the key type
 * @typeParam OUT - the output type
 * @category Testing
 * @since 0.1.0
 */
export class KeyedOneInputStreamOperatorTestHarness<IN, K extends Key, OUT> extends OneInputStreamOperatorTestHarness<
  IN,
  OUT
> {
  /**
   * Sets up a keyed operator.
   *
   * @param operator - the operator; it gets the key selector as `keySelectors[0]`
   * @param keySelector - the key of each record
   * @param options - names, parallelism and subtask (key-group range), start time, state to restore
   */
  constructor(operator: OneInputStreamOperator<IN, OUT>, keySelector: KeySelector<IN, K>, options?: OperatorHarnessOptions) {
    super(operator, options, keySelector, true)
  }
}
