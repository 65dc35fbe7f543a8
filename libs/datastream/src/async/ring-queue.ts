// Growable ring buffers for the async wait operator's queues: push at the tail, shift at the
// head, no allocation once grown to their working size. Not exported from the package.

/** Marks a watermark in a {@link PendingBuffer}. */
const WATERMARK: unique symbol = Symbol('watermark')

/** A FIFO queue on a power-of-two ring that doubles when full. */
export class RingQueue<T> {
  private items: (T | undefined)[]
  private mask: number
  private head = 0
  /** The number of items queued. */
  length = 0

  constructor(initialCapacity = 16) {
    let n = 4
    while (n < initialCapacity) n *= 2
    this.items = new Array<T | undefined>(n)
    this.mask = n - 1
  }

  push(item: T): void {
    if (this.length === this.items.length) this.grow()
    this.items[(this.head + this.length) & this.mask] = item
    this.length++
  }

  /** The head item; only when `length > 0`. */
  peek(): T {
    return this.items[this.head] as T
  }

  /** The tail item; only when `length > 0`. */
  peekLast(): T {
    return this.items[(this.head + this.length - 1) & this.mask] as T
  }

  /** Replaces the tail item; only when `length > 0`. */
  setLast(item: T): void {
    this.items[(this.head + this.length - 1) & this.mask] = item
  }

  /** The item at position `i` from the head, `0 <= i < length`. */
  at(i: number): T {
    return this.items[(this.head + i) & this.mask] as T
  }

  /** Removes and returns the head item; only when `length > 0`. */
  shift(): T {
    const item = this.items[this.head] as T
    this.items[this.head] = undefined
    this.head = (this.head + 1) & this.mask
    this.length--
    return item
  }

  clear(): void {
    this.items.fill(undefined)
    this.head = 0
    this.length = 0
  }

  private grow(): void {
    const old = this.items
    const n = old.length
    const next = new Array<T | undefined>(n * 2)
    for (let i = 0; i < n; i++) next[i] = old[(this.head + i) & this.mask]
    this.items = next
    this.mask = n * 2 - 1
    this.head = 0
  }
}

/**
 * Records (value and timestamp) and watermarks waiting to enter the operator's queue, in
 * arrival order, in two parallel rings: no object per element.
 */
export class PendingBuffer {
  private readonly values = new RingQueue<unknown>()
  private readonly times = new RingQueue<number>()

  get length(): number {
    return this.values.length
  }

  pushRecord(value: unknown, timestamp: number): void {
    this.values.push(value)
    this.times.push(timestamp)
  }

  /** Adds a watermark; one right behind another replaces it (watermarks only move forward). */
  pushWatermark(watermark: number): void {
    if (this.values.length > 0 && this.values.peekLast() === WATERMARK) {
      this.times.setLast(watermark)
      return
    }
    this.values.push(WATERMARK)
    this.times.push(watermark)
  }

  /** Whether the head element is a watermark; only when `length > 0`. */
  headIsWatermark(): boolean {
    return this.values.peek() === WATERMARK
  }

  /** The head's timestamp (or watermark); only when `length > 0`. */
  headTime(): number {
    return this.times.peek()
  }

  /** Removes the head and returns its value (the marker for a watermark). */
  shift(): unknown {
    this.times.shift()
    return this.values.shift()
  }

  clear(): void {
    this.values.clear()
    this.times.clear()
  }
}
