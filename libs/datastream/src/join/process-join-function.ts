import { AbstractRichFunction } from '@strom/process'
import type { Collector, OutputTag } from '@strom/process'

/**
 * Receives each pair of records an interval join matched: a left record and a right record of
 * the same key whose timestamps lie within the join's bounds.
 *
 * @remarks
 * Called once per matching pair, when the second of the two records arrives (so pairs come out in
 * arrival order, not in timestamp order). Records emitted through `out` carry the pair's
 * timestamp, the larger of the two records' timestamps ({@link ProcessJoinFunction.Context.timestamp}).
 * The function runs on a keyed stream: keyed state obtained in `open` is scoped to the pair's
 * key. The context and the collector are reused between calls; never keep them.
 *
 * @example
 * ```ts
 * class Enrich extends ProcessJoinFunction<Click, View, Joined> {
 *   override processElement(click: Click, view: View, ctx: ProcessJoinFunction.Context, out: Collector<Joined>): void {
 *     out.collect({ user: click.user, url: click.url, viewedAt: ctx.rightTimestamp() })
 *   }
 * }
 * ```
 *
 * @typeParam IN1 - the left (first) input's type
 * @typeParam IN2 - the right (second) input's type
 * @typeParam OUT - the output type
 * @category Joins
 * @since 0.1.0
 */
export abstract class ProcessJoinFunction<IN1, IN2, OUT> extends AbstractRichFunction {
  /**
   * Processes one joined pair.
   *
   * @param left - the record of the left input
   * @param right - the record of the right input
   * @param ctx - the pair's timestamps and side outputs; reused, never keep it
   * @param out - emits records with the pair's timestamp; reused, never keep it
   */
  abstract processElement(left: IN1, right: IN2, ctx: ProcessJoinFunction.Context, out: Collector<OUT>): void
}

/**
 * The types that go with {@link ProcessJoinFunction}.
 *
 * @category Joins
 * @since 0.1.0
 */
export namespace ProcessJoinFunction {
  /**
   * What a {@link ProcessJoinFunction} sees of the pair it processes besides the two records.
   *
   * @remarks
   * One object per operator subtask, reused for every pair.
   *
   * @category Joins
   * @since 0.1.0
   */
  export interface Context {
    /** The event-time timestamp of the left record. */
    leftTimestamp(): number
    /** The event-time timestamp of the right record. */
    rightTimestamp(): number
    /** The pair's timestamp: the larger of the two records' timestamps, as the output records get. */
    timestamp(): number
    /** Emits a record to a side output, with the pair's timestamp. */
    output<X>(tag: OutputTag<X>, value: X): void
  }
}
