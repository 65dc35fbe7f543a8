import type { Key } from '../../core/key.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { InternalTimer } from '../../time/timer-service.js'

/**
 * One pending timer. It is also what the triggerable receives (as an {@link InternalTimer}).
 *
 * @internal
 */
export class TimerEntry<K extends Key, N extends Namespace> implements InternalTimer<K, N> {
  /** False once the timer fired or was deleted. */
  live = true
  /** 0 while live; then when it stopped being live, on its queue's count of retired timers (for snapshots). */
  retiredAt = 0

  constructor(
    readonly timestamp: number,
    readonly key: K,
    readonly namespace: N,
    readonly keyGroup: number,
    readonly seq: number,
  ) {}
}

/** The timers of one key at one timestamp: one (the common case), or several namespaces. */
type Slot<K extends Key, N extends Namespace> = TimerEntry<K, N> | TimerEntry<K, N>[]

/** The timers of one timestamp, in registration order, with an index by key for deduplication. */
class Bucket<K extends Key, N extends Namespace> {
  entries: TimerEntry<K, N>[] = []
  /** The first entry that may still be live. */
  head = 0
  live = 0
  readonly byKey = new Map<K, Slot<K, N>>()

  constructor(readonly timestamp: number) {}

  find(key: K, namespace: N): TimerEntry<K, N> | undefined {
    const slot = this.byKey.get(key)
    if (slot === undefined) return undefined
    if (!Array.isArray(slot)) return slot.namespace === namespace ? slot : undefined
    for (const e of slot) if (e.namespace === namespace) return e
    return undefined
  }

  index(entry: TimerEntry<K, N>): void {
    const slot = this.byKey.get(entry.key)
    if (slot === undefined) this.byKey.set(entry.key, entry)
    else if (Array.isArray(slot)) slot.push(entry)
    else this.byKey.set(entry.key, [slot, entry])
  }

  unindex(entry: TimerEntry<K, N>): void {
    const slot = this.byKey.get(entry.key)!
    if (!Array.isArray(slot)) {
      this.byKey.delete(entry.key)
      return
    }
    slot.splice(slot.indexOf(entry), 1)
    if (slot.length === 1) this.byKey.set(entry.key, slot[0]!)
  }

  /** The first live entry, skipping deleted ones. */
  first(): TimerEntry<K, N> | undefined {
    const entries = this.entries
    while (this.head < entries.length && !entries[this.head]!.live) this.head++
    return entries[this.head]
  }
}

/**
 * The pending timers of one kind, ordered by (timestamp, registration order) and deduplicated by
 * (timestamp, key, namespace).
 *
 * @remarks
 * Timers are grouped in buckets by timestamp, and a binary min-heap orders the distinct
 * timestamps. Windows register one timer per key and window, all at the window's end, so most
 * timers share a timestamp with many others: adding and polling such a timer costs a `Map` lookup
 * and an array push or cursor step, not a heap sift over every timer (what a heap of all timers,
 * as in Flink, costs). `remove` marks the entry dead; an empty bucket's timestamp leaves the heap
 * lazily. `contains` and adding a timer that exists allocate nothing.
 *
 * @internal
 */
export class TimerQueue<K extends Key, N extends Namespace> {
  /** Distinct timestamps with a bucket (possibly stale: a timestamp whose bucket is gone). */
  private readonly times: number[] = []
  private readonly buckets = new Map<number, Bucket<K, N>>()
  private count = 0
  private nextSeq = 0
  /** Timers retired so far (fired, deleted or cleared): the clock of `retiredAt`. */
  private retired = 0

  /** The number of pending timers. */
  get size(): number {
    return this.count
  }

  /** The earliest timer (the first registered among those with the lowest timestamp). */
  peek(): TimerEntry<K, N> | undefined {
    const b = this.headBucket()
    return b === undefined ? undefined : b.first()
  }

  /** Whether this timer is pending. */
  contains(timestamp: number, key: K, namespace: N): boolean {
    const b = this.buckets.get(timestamp)
    return b !== undefined && b.find(key, namespace) !== undefined
  }

  /** Adds a timer; false (and nothing changes) if the same one is pending. */
  add(timestamp: number, key: K, namespace: N, keyGroup: number): boolean {
    let b = this.buckets.get(timestamp)
    if (b === undefined) {
      b = new Bucket<K, N>(timestamp)
      this.buckets.set(timestamp, b)
      this.pushTime(timestamp)
    } else if (b.find(key, namespace) !== undefined) return false
    const entry = new TimerEntry<K, N>(timestamp, key, namespace, keyGroup, this.nextSeq++)
    b.entries.push(entry)
    b.index(entry)
    b.live++
    this.count++
    return true
  }

  /** Deletes a pending timer; false if there is none. */
  remove(timestamp: number, key: K, namespace: N): boolean {
    const b = this.buckets.get(timestamp)
    if (b === undefined) return false
    const entry = b.find(key, namespace)
    if (entry === undefined) return false
    this.retire(b, entry)
    // keep a long-lived bucket from filling up with deleted timers
    if (b.live > 0 && b.entries.length - b.head > 2 * b.live + 64) {
      b.entries = b.entries.filter((e) => e.live)
      b.head = 0
    }
    return true
  }

  /** Removes and returns the earliest timer. */
  poll(): TimerEntry<K, N> | undefined {
    const b = this.headBucket()
    if (b === undefined) return undefined
    const entry = b.first()!
    b.head++
    this.retire(b, entry)
    return entry
  }

  /** Every pending timer in firing order (for snapshots and tests). */
  toSortedArray(): TimerEntry<K, N>[] {
    const out: TimerEntry<K, N>[] = []
    for (const t of [...this.buckets.keys()].sort((a, b) => a - b))
      for (const e of this.buckets.get(t)!.entries) if (e.live) out.push(e)
    return out
  }

  /**
   * The pending timers now, for a snapshot, at the cost of copying one array per timestamp: the
   * timers are read later with {@link TimerCapture.forEach}, which skips those that were not
   * pending at the time of the capture (timer entries never change but for their liveness).
   */
  capture(): TimerCapture<K, N> {
    const parts: TimerEntry<K, N>[][] = []
    for (const t of [...this.buckets.keys()].sort((a, b) => a - b)) {
      const b = this.buckets.get(t)!
      parts.push(b.head === 0 ? b.entries.slice() : b.entries.slice(b.head))
    }
    return new TimerCapture(parts, this.retired)
  }

  /** Removes every timer. */
  clear(): void {
    for (const b of this.buckets.values())
      for (const e of b.entries)
        if (e.live) {
          e.live = false
          e.retiredAt = ++this.retired
        }
    this.buckets.clear()
    this.times.length = 0
    this.count = 0
  }

  private retire(b: Bucket<K, N>, entry: TimerEntry<K, N>): void {
    entry.live = false
    entry.retiredAt = ++this.retired
    b.unindex(entry)
    b.live--
    this.count--
    if (b.live === 0) this.buckets.delete(b.timestamp) // its timestamp leaves the heap when it surfaces
  }

  /** The bucket of the lowest timestamp, dropping stale timestamps from the heap. */
  private headBucket(): Bucket<K, N> | undefined {
    const times = this.times
    while (times.length > 0) {
      const b = this.buckets.get(times[0]!)
      if (b !== undefined && b.timestamp === times[0]) return b
      this.popTime()
    }
    return undefined
  }

  private pushTime(t: number): void {
    const h = this.times
    let i = h.length
    h.push(t)
    while (i > 0) {
      const p = (i - 1) >> 1
      if (h[p]! <= t) break
      h[i] = h[p]!
      i = p
    }
    h[i] = t
  }

  private popTime(): void {
    const h = this.times
    const last = h.pop()!
    const n = h.length
    if (n === 0) return
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      if (l >= n) break
      const r = l + 1
      const c = r < n && h[r]! < h[l]! ? r : l
      if (h[c]! >= last) break
      h[i] = h[c]!
      i = c
    }
    h[i] = last
  }
}

/**
 * The timers of a {@link TimerQueue} at one moment (from {@link TimerQueue.capture}), in firing
 * order: the entries of each timestamp as they were then, and the queue's count of retired timers
 * then, which tells the timers retired since (still to be listed) from those retired before.
 *
 * @internal
 */
export class TimerCapture<K extends Key, N extends Namespace> {
  constructor(
    /** The entries of each timestamp, in firing order; some may not have been pending at the capture. */
    readonly parts: readonly (readonly TimerEntry<K, N>[])[],
    private readonly retired: number,
  ) {}

  /** Whether a captured entry was pending at the capture. */
  pending(e: TimerEntry<K, N>): boolean {
    const r = e.retiredAt
    return r === 0 || r > this.retired
  }
}
