import { MAX_WATERMARK, type Namespace } from '@strom/runtime'

/**
 * A window: a finite (or, for {@link GlobalWindow}, endless) group of elements of one key that a
 * window function sees at once.
 *
 * @remarks
 * Windows are values: two windows with the same bounds are the same window. The window operator
 * stores a window's state and timers under a namespace made from the window by the assigner's
 * {@link WindowSerializer}.
 *
 * @category Windows
 * @since 0.1.0
 */
export abstract class Window {
  /** The largest timestamp that still belongs to the window; results are emitted with it. */
  abstract maxTimestamp(): number
}

/**
 * A window of time `[start, end)`: `start` included, `end` excluded, in ms.
 *
 * @remarks
 * {@link TimeWindow.maxTimestamp} is `end - 1`, the timestamp of the records a window function
 * emits for it (as in Flink).
 *
 * @category Windows
 * @since 0.1.0
 */
export class TimeWindow extends Window {
  constructor(
    /** The first ms of the window (included). */
    readonly start: number,
    /** The first ms after the window (excluded). */
    readonly end: number,
  ) {
    super()
  }

  /** `end - 1`. */
  maxTimestamp(): number {
    return this.end - 1
  }

  /** Whether the two windows overlap or touch (`[0, 5)` and `[5, 9)` do): session windows merge then. */
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start
  }

  /** The smallest window that covers both. */
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end))
  }

  /** Whether `other` is a time window with the same bounds. */
  equals(other: unknown): boolean {
    return other instanceof TimeWindow && other.start === this.start && other.end === this.end
  }

  /** Renders as `TimeWindow[0, 10)`. */
  override toString(): string {
    return `TimeWindow[${this.start}, ${this.end})`
  }

  /**
   * The start of the window of size `windowSize` (aligned to `offset`) that contains `timestamp`:
   * the largest `start <= timestamp` with `start ≡ offset (mod windowSize)`.
   *
   * @param timestamp - a timestamp in ms
   * @param offset - the alignment of the windows, in ms
   * @param windowSize - the size (or slide) of the windows, in ms
   */
  static getWindowStartWithOffset(timestamp: number, offset: number, windowSize: number): number {
    const remainder = (timestamp - offset) % windowSize
    return remainder < 0 ? timestamp - (remainder + windowSize) : timestamp - remainder
  }

  /**
   * Merges overlapping (or touching) windows, as session windows do: sorts them by start, groups
   * those that intersect, and calls `callback(group, cover)` for each group of two or more.
   *
   * @param windows - the windows to merge
   * @param callback - receives each group to merge and the window that covers it
   */
  static mergeWindows(windows: readonly TimeWindow[], callback: MergeCallback<TimeWindow>): void {
    const sorted = [...windows].sort((a, b) => a.start - b.start || a.end - b.end)
    let cover: TimeWindow | undefined
    let group: TimeWindow[] = []
    for (const w of sorted) {
      if (cover === undefined) {
        cover = w
        group = [w]
      } else if (cover.intersects(w)) {
        cover = cover.cover(w)
        group.push(w)
      } else {
        if (group.length > 1) callback(group, cover)
        cover = w
        group = [w]
      }
    }
    if (cover !== undefined && group.length > 1) callback(group, cover)
  }
}

/**
 * What {@link MergingWindowAssigner.mergeWindows} reports: `toBeMerged` become `mergeResult`.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export type MergeCallback<W extends Window> = (toBeMerged: readonly W[], mergeResult: W) => void

/**
 * The one window of {@link GlobalWindows}: every element of a key falls into it, and it never
 * ends (its {@link GlobalWindow.maxTimestamp} is +Infinity), so only a trigger (a count, say)
 * makes it fire.
 *
 * @category Windows
 * @since 0.1.0
 */
export class GlobalWindow extends Window {
  private static readonly instance = new GlobalWindow()

  private constructor() {
    super()
  }

  /** The global window. */
  static get(): GlobalWindow {
    return GlobalWindow.instance
  }

  /** +Infinity: the global window never ends. */
  maxTimestamp(): number {
    return MAX_WATERMARK
  }

  /** Renders as `GlobalWindow`. */
  override toString(): string {
    return 'GlobalWindow'
  }
}

/**
 * Turns windows into the namespaces their state and timers are kept under, and back.
 *
 * @remarks
 * Namespaces are strings or numbers (see the runtime's `Namespace`). The serializer must be a
 * bijection for the windows its assigner makes: `fromNamespace(toNamespace(w))` equals `w`.
 * Checkpoints store namespaces, so a job restored from one must use the same serializer.
 *
 * @typeParam W - the window type
 * @category Windows
 * @since 0.1.0
 */
export interface WindowSerializer<W extends Window> {
  /** The namespace of a window. */
  toNamespace(window: W): Namespace
  /** The window of a namespace. */
  fromNamespace(namespace: Namespace): W
}

/**
 * Serializers for {@link TimeWindow} and {@link GlobalWindow}.
 *
 * @category Windows
 * @since 0.1.0
 */
export const WindowSerializers = {
  /** Any time window, as the string `"start:end"` (session windows). */
  timeWindow: {
    toNamespace: (w: TimeWindow): Namespace => `${w.start}:${w.end}`,
    fromNamespace: (ns: Namespace): TimeWindow => {
      const s = String(ns)
      const i = s.indexOf(':')
      return new TimeWindow(Number(s.slice(0, i)), Number(s.slice(i + 1)))
    },
  } satisfies WindowSerializer<TimeWindow>,
  /** Time windows that all have the same size, as their start (a number): tumbling and sliding windows. */
  fixedSize: (size: number): WindowSerializer<TimeWindow> => ({
    toNamespace: (w) => w.start,
    fromNamespace: (ns) => new TimeWindow(Number(ns), Number(ns) + size),
  }),
  /** The global window, as the number 0. */
  globalWindow: {
    toNamespace: (): Namespace => 0,
    fromNamespace: (): GlobalWindow => GlobalWindow.get(),
  } satisfies WindowSerializer<GlobalWindow>,
} as const
