import type { OutputTag } from '../core/output-tag.js'
import type { Output } from '../operators/output.js'

/**
 * A record with its timestamp, as a test harness recorded it.
 *
 * @typeParam T - the record type
 * @category Testing
 * @since 0.1.0
 */
export interface TimestampedValue<T> {
  /** The record. */
  readonly value: T
  /** Its timestamp; `NaN` (`NO_TIMESTAMP`) for none. */
  readonly timestamp: number
}

/**
 * One thing an operator emitted on its main output, in the order it was emitted.
 *
 * @typeParam T - the record type
 * @category Testing
 * @since 0.1.0
 */
export type OutputElement<T> =
  | { readonly kind: 'record'; readonly value: T; readonly timestamp: number }
  | { readonly kind: 'watermark'; readonly watermark: number }
  | { readonly kind: 'watermark-status'; readonly idle: boolean }

/**
 * An {@link Output} that records everything emitted to it: records and watermarks in order, side
 * outputs by tag id.
 *
 * @typeParam T - the type of records on the main output
 * @category Testing
 * @since 0.1.0
 */
export class RecordingOutput<T> implements Output<T> {
  /** Everything emitted to the main output, in order. */
  readonly elements: OutputElement<T>[] = []
  private readonly sides = new Map<string, TimestampedValue<unknown>[]>()

  collect(value: T, timestamp: number): void {
    this.elements.push({ kind: 'record', value, timestamp })
  }

  collectSide<S>(tag: OutputTag<S>, value: S, timestamp: number): void {
    let list = this.sides.get(tag.id)
    if (list === undefined) this.sides.set(tag.id, (list = []))
    list.push({ value, timestamp })
  }

  emitWatermark(watermark: number): void {
    this.elements.push({ kind: 'watermark', watermark })
  }

  emitWatermarkStatus(idle: boolean): void {
    this.elements.push({ kind: 'watermark-status', idle })
  }

  /** The records of the main output with their timestamps, in order. */
  records(): TimestampedValue<T>[] {
    const out: TimestampedValue<T>[] = []
    for (const e of this.elements) if (e.kind === 'record') out.push({ value: e.value, timestamp: e.timestamp })
    return out
  }

  /** The records of the main output, in order. */
  values(): T[] {
    const out: T[] = []
    for (const e of this.elements) if (e.kind === 'record') out.push(e.value)
    return out
  }

  /** The watermarks emitted, in order. */
  watermarks(): number[] {
    const out: number[] = []
    for (const e of this.elements) if (e.kind === 'watermark') out.push(e.watermark)
    return out
  }

  /** The records emitted to a side output, with their timestamps, in order (empty if none). */
  sideOutput<S>(tag: OutputTag<S>): TimestampedValue<S>[] {
    return ((this.sides.get(tag.id) ?? []) as TimestampedValue<S>[]).slice()
  }

  /** The ids of the side outputs that received records. */
  sideOutputIds(): string[] {
    return [...this.sides.keys()]
  }

  /** Forgets everything recorded so far. */
  clear(): void {
    this.elements.length = 0
    this.sides.clear()
  }
}
