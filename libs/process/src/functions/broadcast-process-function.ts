import type { BroadcastState, Collector, MapStateDescriptor, ReadOnlyBroadcastState } from '@strom/runtime'
import { AbstractRichFunction } from './abstract-rich-function.js'
import type { BaseContext } from './base-context.js'

/**
 * What the contexts of both sides of a broadcast function offer: timestamps, side outputs, and
 * the current processing time and watermark.
 *
 * @remarks
 * One object per side and operator subtask, reused for every record.
 *
 * @category Functions
 * @since 0.1.0
 */
export interface BroadcastBaseContext extends BaseContext {
  /** The current processing time. */
  currentProcessingTime(): number
  /** The current watermark (-Infinity before any). */
  currentWatermark(): number
}

/**
 * Processes a (non-keyed) stream together with a broadcast stream whose records update a
 * broadcast state that every parallel subtask holds the same copy of.
 *
 * @remarks
 * The broadcast stream (rules, configuration, thresholds) reaches every subtask. Its records
 * arrive in `processBroadcastElement`, which may read and write broadcast state (maps named by a
 * `MapStateDescriptor`). The other stream's records arrive in `processElement`, which may only
 * read it: a write there would make the subtasks' copies differ. To keep the copies equal,
 * `processBroadcastElement` must update broadcast state the same way in every subtask (depend only
 * on the broadcast record and the broadcast state). Broadcast state is part of checkpoints.
 *
 * There is no order between the two inputs: a record may be processed before or after a
 * broadcast record that was produced earlier. The contexts and collector are reused between
 * calls.
 *
 * @typeParam I - the type of the non-broadcast input
 * @typeParam B - the type of the broadcast input
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export abstract class BroadcastProcessFunction<I, B, O> extends AbstractRichFunction {
  /** Processes a record of the non-broadcast input, with read-only broadcast state. */
  abstract processElement(value: I, ctx: BroadcastProcessFunction.ReadOnlyContext, out: Collector<O>): void
  /** Processes a record of the broadcast input, with read-write broadcast state. */
  abstract processBroadcastElement(value: B, ctx: BroadcastProcessFunction.Context, out: Collector<O>): void
}

/**
 * The types that go with {@link BroadcastProcessFunction}.
 *
 * @category Functions
 * @since 0.1.0
 */
export namespace BroadcastProcessFunction {
  /**
   * The broadcast side's context: read-write broadcast state.
   *
   * @category Functions
   * @since 0.1.0
   */
  export interface Context extends BroadcastBaseContext {
    /** The broadcast state named by the descriptor, readable and writable. */
    getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V>
  }

  /**
   * The non-broadcast side's context: read-only broadcast state.
   *
   * @category Functions
   * @since 0.1.0
   */
  export interface ReadOnlyContext extends BroadcastBaseContext {
    /** The broadcast state named by the descriptor, read-only. */
    getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V>
  }
}
