import { MAX_WATERMARK, MIN_WATERMARK, NO_TIMESTAMP } from '../../core/element.js'
import type { Output } from '../../operators/output.js'
import type { ReaderOutput, SourceOutput } from '../../source/source.js'
import { SystemClock, type Clock } from '../../time/clock.js'
import type { TimestampAssigner } from '../../watermark/timestamp-assigner.js'
import type { WatermarkGenerator, WatermarkGeneratorContext } from '../../watermark/watermark-generator.js'
import type { WatermarkOutput } from '../../watermark/watermark-output.js'
import type { WatermarkStrategy } from '../../watermark/watermark-strategy.js'

/**
 * Options of a {@link ReaderOutputWithWatermarks}.
 *
 * @category Watermarks
 * @since 0.1.0
 */
export interface ReaderOutputWithWatermarksOptions {
  /** Processing time for idleness detection; the system clock by default. */
  readonly clock?: Clock
  /**
   * `false` in BATCH mode: timestamps are still assigned, but no generator runs and no watermark
   * nor idleness is emitted (the task ends the input with `endInput()`). Default `true`.
   */
  readonly emitWatermarks?: boolean
}

/**
 * The {@link ReaderOutput} a source task gives its reader: assigns timestamps, runs one watermark
 * generator per split, and emits records, the combined watermark and the idle status to the
 * task's {@link Output}.
 *
 * @remarks
 * - Timestamps: the strategy's assigner when it has one, else the timestamp the reader passed, else
 *   {@link NO_TIMESTAMP}.
 * - Per split: `createOutputForSplit(id)` gives each split its own generator and watermark;
 *   records collected directly on this object go through a default output, created on first use,
 *   that takes part like a split. A generator's `onEvent` runs after the record was emitted, so a
 *   watermark never overtakes the record that caused it; watermarks emitted there count at once,
 *   those emitted by `onPeriodicEmit` are combined once after all splits' periodic emits.
 * - Combined watermark: the minimum over the non-idle outputs, emitted whenever it advances; it
 *   never goes back (a split that becomes active again below it holds it where it is until it
 *   catches up). A released split no longer counts. With no outputs at all nothing is emitted.
 * - Idleness: when every output is idle, `emitWatermarkStatus(true)`; when one becomes active
 *   again, `emitWatermarkStatus(false)` before anything else. A split output becomes active again
 *   when it collects a record or its generator calls `markActive`; watermarks its generator emits
 *   while it is idle are kept but do not wake it (so periodic emits do not undo the reader's
 *   `markIdle`).
 * - `noWatermarks()` (and `emitWatermarks: false`) take a fast path: no generator at all.
 * - {@link ReaderOutputWithWatermarks.endInput} emits the final `+Infinity` watermark; nothing
 *   is emitted after it.
 *
 * Used from the one thread of the source subtask. Per record: one assigner call and one generator
 * call at most, no allocation.
 *
 * @typeParam T - the record type
 * @category Watermarks
 * @since 0.1.0
 */
export class ReaderOutputWithWatermarks<T> implements ReaderOutput<T> {
  private readonly splits = new Map<string, SplitOutput<T>>()
  /** Every registered output: the split outputs and the default output once used. */
  private readonly outputs: SplitOutput<T>[] = []
  private defaultOutput: SplitOutput<T> | undefined
  private readonly assigner: TimestampAssigner<T> | undefined
  private readonly withGenerators: boolean
  /** `false` in BATCH mode: no watermark nor status before `endInput()`. */
  private readonly streaming: boolean
  private readonly generatorContext: WatermarkGeneratorContext
  private combined = MIN_WATERMARK
  private idle = false
  private ended = false
  /** Set during periodic emits: partial watermarks are combined once at the end. */
  private deferring = false

  /**
   * @param output - where records, watermarks and idleness go (the task's output)
   * @param strategy - the source's watermark strategy
   * @param options - clock and BATCH mode
   */
  constructor(
    private readonly output: Output<T>,
    private readonly strategy: WatermarkStrategy<T>,
    options: ReaderOutputWithWatermarksOptions = {},
  ) {
    this.assigner = strategy.createTimestampAssigner()
    this.streaming = options.emitWatermarks ?? true
    this.withGenerators = this.streaming && !strategy.emitsNothing
    this.generatorContext = { clock: options.clock ?? SystemClock }
  }

  /** Emits a record of no particular split (through the default output). */
  collect(value: T, timestamp?: number): void {
    const out = this.defaultOutput ?? this.createDefaultOutput()
    out.collect(value, timestamp)
  }

  /** Marks the default output idle. */
  markIdle(): void {
    const out = this.defaultOutput ?? this.createDefaultOutput()
    out.markIdle()
  }

  createOutputForSplit(splitId: string): SourceOutput<T> {
    let out = this.splits.get(splitId)
    if (out === undefined) {
      out = this.newOutput(splitId)
      this.splits.set(splitId, out)
    }
    return out
  }

  releaseOutputForSplit(splitId: string): void {
    const out = this.splits.get(splitId)
    if (out === undefined) return
    this.splits.delete(splitId)
    this.outputs.splice(this.outputs.indexOf(out), 1)
    out.released = true
    this.update()
  }

  /**
   * Calls every generator's periodic emit, then emits the combined watermark if it advanced (or
   * the idle status if it changed). The task calls it every auto-watermark interval
   * ({@link DEFAULT_AUTO_WATERMARK_INTERVAL_MS} by default).
   */
  emitPeriodicWatermark(): void {
    if (this.ended || !this.withGenerators) return
    this.deferring = true
    try {
      const outs = this.outputs
      for (let i = 0; i < outs.length; i++) {
        const o = outs[i]!
        o.generator!.onPeriodicEmit(o)
      }
    } finally {
      this.deferring = false
    }
    this.update()
  }

  /**
   * The input has ended: emits the final watermark `+Infinity` (after an active status if the
   * output was idle), then ignores every later watermark and status. Records still pass. Call it
   * instead of emitting `MAX_WATERMARK` on the task's output directly.
   */
  endInput(): void {
    if (this.ended) return
    this.ended = true
    if (this.idle) {
      this.idle = false
      this.output.emitWatermarkStatus(false)
    }
    if (this.combined < MAX_WATERMARK) {
      this.combined = MAX_WATERMARK
      this.output.emitWatermark(MAX_WATERMARK)
    }
  }

  /** The last watermark emitted (`-Infinity` before any). */
  currentWatermark(): number {
    return this.combined
  }

  /** Whether the output is idle (the last status emitted was idle). */
  isIdle(): boolean {
    return this.idle
  }

  /** The number of outputs that take part in the watermark (splits, and the default once used). */
  numOutputs(): number {
    return this.outputs.length
  }

  private createDefaultOutput(): SplitOutput<T> {
    this.defaultOutput = this.newOutput(undefined)
    return this.defaultOutput
  }

  private newOutput(splitId: string | undefined): SplitOutput<T> {
    const generator = this.withGenerators ? this.strategy.createWatermarkGenerator(this.generatorContext) : undefined
    const out = new SplitOutput<T>(splitId, this, this.output, this.assigner, generator)
    this.outputs.push(out)
    // a new active output: downstream hears it is active (if it was idle) before its records
    this.update()
    return out
  }

  /** The watermark of an active output advanced from `previous`. @internal */
  partialAdvanced(previous: number): void {
    if (this.deferring) return
    // an active output above the combined watermark was not the minimum: raising it changes nothing
    if (previous > this.combined) return
    this.update()
  }

  /** A partial's idleness changed. @internal */
  partialStatusChanged(): void {
    if (!this.deferring) this.update()
  }

  private update(): void {
    if (this.ended || !this.streaming) return
    const outs = this.outputs
    const n = outs.length
    if (n === 0) return
    let min = Number.POSITIVE_INFINITY
    let anyActive = false
    for (let i = 0; i < n; i++) {
      const o = outs[i]!
      if (!o.idle) {
        anyActive = true
        if (o.watermark < min) min = o.watermark
      }
    }
    if (!anyActive) {
      if (!this.idle) {
        this.idle = true
        this.output.emitWatermarkStatus(true)
      }
      return
    }
    if (this.idle) {
      this.idle = false
      this.output.emitWatermarkStatus(false)
    }
    if (min > this.combined) {
      this.combined = min
      this.output.emitWatermark(min)
    }
  }
}

/** The output of one split: its timestamps, generator, watermark and idleness. */
class SplitOutput<T> implements SourceOutput<T>, WatermarkOutput {
  watermark = MIN_WATERMARK
  idle = false
  released = false

  constructor(
    readonly splitId: string | undefined,
    private readonly owner: ReaderOutputWithWatermarks<T>,
    private readonly out: Output<T>,
    private readonly assigner: TimestampAssigner<T> | undefined,
    readonly generator: WatermarkGenerator<T> | undefined,
  ) {}

  collect(value: T, timestamp?: number): void {
    let ts = timestamp === undefined ? NO_TIMESTAMP : timestamp
    if (this.assigner !== undefined) ts = this.assigner(value, ts)
    if (this.idle) this.markActive()
    this.out.collect(value, ts)
    if (this.generator !== undefined) this.generator.onEvent(value, ts, this)
  }

  emitWatermark(watermark: number): void {
    const previous = this.watermark
    // `!(a > b)` also drops NaN
    if (!(watermark > previous) || this.released) return
    this.watermark = watermark
    // an idle output does not count: keep the watermark for when it is active again
    if (!this.idle) this.owner.partialAdvanced(previous)
  }

  markIdle(): void {
    if (this.idle || this.released) return
    this.idle = true
    this.owner.partialStatusChanged()
  }

  markActive(): void {
    if (!this.idle || this.released) return
    this.idle = false
    this.owner.partialStatusChanged()
  }
}
