import { WindowAssigner } from '../window-assigner.js'
import { TimeWindow, WindowSerializers, type WindowSerializer } from '../windows.js'

/**
 * What the tumbling assigners share, in event and processing time (and, through
 * {@link SlidingTimeWindows}, the sliding ones): windows of a fixed `size` whose starts are aligned
 * to the epoch plus `offset`.
 *
 * @remarks
 * Each public subclass keeps its own `assignWindows` (the general window operator calls it per
 * record, so each call site sees one class), static `of`, default trigger and `isEventTime`, and
 * computes its windows with {@link tumblingWindow} or {@link slidingWindows}.
 *
 * @internal
 */
export abstract class FixedTimeWindows extends WindowAssigner<unknown, TimeWindow> {
  private readonly serializer: WindowSerializer<TimeWindow>

  /** @internal */
  protected constructor(
    /** @internal The assigner's class name, for `toString`. */
    protected readonly name: string,
    /** @internal The window size in ms. */
    protected readonly size: number,
    /** @internal Where windows start relative to the epoch, in ms. */
    protected readonly offset: number,
  ) {
    super()
    this.serializer = WindowSerializers.fixedSize(size)
  }

  getWindowSerializer(): WindowSerializer<TimeWindow> {
    return this.serializer
  }

  /** The window size in ms. */
  getSize(): number {
    return this.size
  }

  /** The offset in ms. */
  getOffset(): number {
    return this.offset
  }

  override toString(): string {
    return `${this.name}(${this.size})`
  }
}

/**
 * What the sliding assigners share, in event and processing time: fixed-size windows that start
 * every `slide` ms.
 *
 * @internal
 */
export abstract class SlidingTimeWindows extends FixedTimeWindows {
  /** @internal */
  protected constructor(
    name: string,
    size: number,
    /** @internal How often a window starts, in ms. */
    protected readonly slide: number,
    offset: number,
  ) {
    super(name, size, offset)
  }

  /** The slide in ms. */
  getSlide(): number {
    return this.slide
  }

  /** The assigner's name, for operator names and messages. */
  override toString(): string {
    return `${this.name}(${this.size}, ${this.slide})`
  }
}

/** The tumbling window of `size` ms that contains `t`. @internal */
export const tumblingWindow = (t: number, size: number, offset: number): TimeWindow[] => {
  const start = TimeWindow.getWindowStartWithOffset(t, offset, size)
  return [new TimeWindow(start, start + size)]
}

/** The windows of `size` ms sliding by `slide` that contain `t`, latest start first (as Flink). @internal */
export const slidingWindows = (t: number, size: number, slide: number, offset: number): TimeWindow[] => {
  const out: TimeWindow[] = []
  const lastStart = TimeWindow.getWindowStartWithOffset(t, offset, slide)
  for (let start = lastStart; start > t - size; start -= slide) out.push(new TimeWindow(start, start + size))
  return out
}
