import { MissingTimestampError } from '@strom/process'
import type { Trigger } from './trigger.js'
import type { MergeCallback, Window, WindowSerializer } from './windows.js'

/**
 * What a {@link WindowAssigner} may ask while it assigns windows.
 *
 * @category Windows
 * @since 0.1.0
 */
export interface WindowAssignerContext {
  /** The current processing time (processing-time windows are assigned by it). */
  getCurrentProcessingTime(): number
}

/**
 * Puts each element into zero or more windows: the first thing `window(...)` takes.
 *
 * @remarks
 * An assigner also names the trigger its windows use unless another is set
 * ({@link WindowAssigner.getDefaultTrigger}), says whether it works in event time (only
 * event-time windows can be late, see allowed lateness), and how windows become state namespaces
 * ({@link WindowAssigner.getWindowSerializer}). Built in: tumbling, sliding and session windows
 * in event or processing time, and the global window.
 *
 * @typeParam T - the type of the elements
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export abstract class WindowAssigner<T, W extends Window> {
  /**
   * The windows an element belongs to.
   *
   * @param element - the element
   * @param timestamp - its event-time timestamp (`NaN` when it has none)
   * @param context - the current processing time
   */
  abstract assignWindows(element: T, timestamp: number, context: WindowAssignerContext): readonly W[]

  /** The trigger used unless `WindowedStream.trigger()` sets another. */
  abstract getDefaultTrigger(): Trigger<T, W>

  /** How windows become state namespaces and back. */
  abstract getWindowSerializer(): WindowSerializer<W>

  /** Whether windows are based on event time (and so can be late). */
  abstract isEventTime(): boolean

  /** The assigner's name, for operator names and messages. */
  toString(): string {
    return this.constructor.name
  }
}

/**
 * A {@link WindowAssigner} whose windows can merge (session windows): each element gets a window
 * of its own, and windows that overlap merge into one.
 *
 * @typeParam T - the type of the elements
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export abstract class MergingWindowAssigner<T, W extends Window> extends WindowAssigner<T, W> {
  /**
   * Finds the windows to merge among `windows` and reports each group with `callback`.
   *
   * @param windows - the windows of one key in flight, and the new one
   * @param callback - called once per group of windows to merge
   */
  abstract mergeWindows(windows: readonly W[], callback: MergeCallback<W>): void
}

/** The error of an event-time assigner given a record without a timestamp. @internal */
export const noTimestamp = (assigner: string): MissingTimestampError =>
  new MissingTimestampError(
    `${assigner} got a record without a timestamp: event-time windows need timestamps. ` +
      'Assign them with a WatermarkStrategy (withTimestampAssigner), or use processing-time windows.',
  )
