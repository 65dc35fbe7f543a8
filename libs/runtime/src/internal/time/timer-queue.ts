import type { Key } from '../../core/key.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { InternalTimer } from '../../time/timer-service.js'

/**
 * One pending timer. It is also what the triggerable receives (as an {@link InternalTimer}).
 *
 * @internal
 */
export class TimerEntry<K extends Key, N extends Namespace> implements InternalTimer<K, N> {
  /** Position in the heap array; -1 once removed. */
  heapIndex = -1

  constructor(
    readonly timestamp: number,
    readonly key: K,
    readonly namespace: N,
    readonly keyGroup: number,
    /** Insertion order, breaks ties between equal timestamps (first registered fires first). */
    readonly seq: number,
  ) {}
}

/** The timers of one (key, namespace): one timer directly (the common case), or several by timestamp. */
type Slot<K extends Key, N extends Namespace> = TimerEntry<K, N> | Map<number, TimerEntry<K, N>>

const before = (a: TimerEntry<Key, Namespace>, b: TimerEntry<Key, Namespace>): boolean =>
  a.timestamp < b.timestamp || (a.timestamp === b.timestamp && a.seq < b.seq)

/**
 * A binary min-heap of timers ordered by (timestamp, registration order), deduplicated by
 * (timestamp, key, namespace) through nested maps key -> namespace -> timer(s).
 *
 * @remarks
 * `contains` and `add` of a timer that exists allocate nothing. `remove` is O(log n) (each entry
 * knows its heap index).
 *
 * @internal
 */
export class TimerQueue<K extends Key, N extends Namespace> {
  private readonly heap: TimerEntry<K, N>[] = []
  private readonly byKey = new Map<K, Map<N, Slot<K, N>>>()
  private nextSeq = 0

  /** The number of pending timers. */
  get size(): number {
    return this.heap.length
  }

  /** The earliest timer, or `undefined`. */
  peek(): TimerEntry<K, N> | undefined {
    return this.heap[0]
  }

  /** Whether the timer exists. */
  contains(timestamp: number, key: K, namespace: N): boolean {
    return this.find(timestamp, key, namespace) !== undefined
  }

  /** Adds a timer; `false` (and nothing changes) if it exists. */
  add(timestamp: number, key: K, namespace: N, keyGroup: number): boolean {
    let byNs = this.byKey.get(key)
    let slot: Slot<K, N> | undefined
    if (byNs !== undefined) {
      slot = byNs.get(namespace)
      if (slot !== undefined) {
        if (slot instanceof Map) {
          if (slot.has(timestamp)) return false
        } else if (slot.timestamp === timestamp) return false
      }
    }
    const entry = new TimerEntry<K, N>(timestamp, key, namespace, keyGroup, this.nextSeq++)
    if (byNs === undefined) {
      byNs = new Map()
      this.byKey.set(key, byNs)
    }
    if (slot === undefined) byNs.set(namespace, entry)
    else if (slot instanceof Map) slot.set(timestamp, entry)
    else byNs.set(namespace, new Map([[slot.timestamp, slot], [timestamp, entry]]))
    this.push(entry)
    return true
  }

  /** Removes a timer; `false` if there was none. */
  remove(timestamp: number, key: K, namespace: N): boolean {
    const entry = this.find(timestamp, key, namespace)
    if (entry === undefined) return false
    this.unindex(entry)
    this.removeAt(entry.heapIndex)
    return true
  }

  /** Removes and returns the earliest timer. */
  poll(): TimerEntry<K, N> | undefined {
    const head = this.heap[0]
    if (head === undefined) return undefined
    this.unindex(head)
    this.removeAt(0)
    return head
  }

  /** The pending timers in firing order (a sorted copy; not for the per-record path). */
  toSortedArray(): TimerEntry<K, N>[] {
    return this.heap.slice().sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0))
  }

  /** Removes every timer. */
  clear(): void {
    for (const e of this.heap) e.heapIndex = -1
    this.heap.length = 0
    this.byKey.clear()
  }

  private find(timestamp: number, key: K, namespace: N): TimerEntry<K, N> | undefined {
    const byNs = this.byKey.get(key)
    if (byNs === undefined) return undefined
    const slot = byNs.get(namespace)
    if (slot === undefined) return undefined
    if (slot instanceof Map) return slot.get(timestamp)
    return slot.timestamp === timestamp ? slot : undefined
  }

  /** Drops the entry from the dedup maps. */
  private unindex(entry: TimerEntry<K, N>): void {
    const byNs = this.byKey.get(entry.key)!
    const slot = byNs.get(entry.namespace)!
    if (slot instanceof Map) {
      slot.delete(entry.timestamp)
      if (slot.size === 1) {
        // back to the single-timer form
        for (const only of slot.values()) byNs.set(entry.namespace, only)
      }
      return
    }
    byNs.delete(entry.namespace)
    if (byNs.size === 0) this.byKey.delete(entry.key)
  }

  private push(entry: TimerEntry<K, N>): void {
    entry.heapIndex = this.heap.length
    this.heap.push(entry)
    this.siftUp(entry.heapIndex)
  }

  private removeAt(index: number): void {
    const heap = this.heap
    const removed = heap[index]!
    removed.heapIndex = -1
    const last = heap.pop()!
    if (index === heap.length) return
    heap[index] = last
    last.heapIndex = index
    if (index > 0 && before(last, heap[(index - 1) >> 1]!)) this.siftUp(index)
    else this.siftDown(index)
  }

  private siftUp(index: number): void {
    const heap = this.heap
    const e = heap[index]!
    while (index > 0) {
      const parentIndex = (index - 1) >> 1
      const parent = heap[parentIndex]!
      if (!before(e, parent)) break
      heap[index] = parent
      parent.heapIndex = index
      index = parentIndex
    }
    heap[index] = e
    e.heapIndex = index
  }

  private siftDown(index: number): void {
    const heap = this.heap
    const n = heap.length
    const e = heap[index]!
    for (;;) {
      const left = 2 * index + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && before(heap[right]!, heap[left]!) ? right : left
      const c = heap[child]!
      if (!before(c, e)) break
      heap[index] = c
      c.heapIndex = index
      index = child
    }
    heap[index] = e
    e.heapIndex = index
  }
}
