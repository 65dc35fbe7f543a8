import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { ListState } from '../../state/state.js'
import { ListCell } from './cells.js'
import type { StateTable } from './state-table.js'
import { EMPTY } from './state-table.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * {@link ListState} on the heap backend. With TTL, every element has its own timestamp.
 *
 * @remarks
 * `get()` returns a copy, so the list may be changed while the result is iterated.
 *
 * @internal
 */
export class HeapListState<K, T> implements ListState<T>, InternalKeyedState<ListState<T>> {
  readonly state: ListState<T> = this

  constructor(
    private readonly t: StateTable<K, ListCell<T>>,
    private readonly ttl: TtlSettings | undefined,
  ) {}

  setCurrentNamespace(namespace: Namespace): void {
    this.t.setNamespace(namespace)
  }

  get(): Iterable<T> {
    const ttl = this.ttl
    if (ttl !== undefined) return this.getTtl(ttl)
    const c = this.t.current()
    return c === undefined ? EMPTY : c.items.slice()
  }

  add(value: T): void {
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    const c = this.t.current()
    if (c === undefined) this.t.insertCurrent(new ListCell([value], ttl === undefined ? null : [now]))
    else {
      c.items.push(value)
      if (c.tss !== null) c.tss.push(now)
    }
    if (ttl !== undefined) this.t.cleanup(ttl, now)
  }

  addAll(values: Iterable<T>): void {
    const add = Array.from(values)
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    if (add.length > 0) {
      const c = this.t.current()
      if (c === undefined)
        this.t.insertCurrent(new ListCell(add, ttl === undefined ? null : new Array<number>(add.length).fill(now)))
      else
        for (const v of add) {
          c.items.push(v)
          if (c.tss !== null) c.tss.push(now)
        }
    }
    if (ttl !== undefined) this.t.cleanup(ttl, now)
  }

  update(values: Iterable<T>): void {
    const items = Array.from(values)
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    if (items.length === 0) this.t.removeCurrent()
    else {
      const tss = ttl === undefined ? null : new Array<number>(items.length).fill(now)
      const c = this.t.current()
      if (c === undefined) this.t.insertCurrent(new ListCell(items, tss))
      else {
        c.items = items
        c.tss = tss
      }
    }
    if (ttl !== undefined) this.t.cleanup(ttl, now)
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
  }

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    const t = this.t
    const withTs = this.ttl !== undefined
    let tc = t.getAt(target)
    for (const ns of sources) {
      if (ns === target) continue
      const c = t.getAt(ns)
      if (c === undefined) continue
      t.removeCurrentAt(ns)
      if (tc === undefined) {
        tc = c
        t.putAt(target, c)
      } else {
        for (const v of c.items) tc.items.push(v)
        if (withTs && tc.tss !== null && c.tss !== null) for (const ts of c.tss) tc.tss.push(ts)
      }
    }
  }

  private getTtl(ttl: TtlSettings): Iterable<T> {
    const now = ttl.clock()
    const c = this.t.current()
    let out: T[] = EMPTY as never[]
    if (c !== undefined) {
      const items = c.items
      const tss = c.tss!
      out = []
      let w = 0
      for (let r = 0; r < items.length; r++) {
        const v = items[r]!
        if (ttl.expired(tss[r]!, now)) {
          if (ttl.returnExpired) out.push(v)
          continue
        }
        out.push(v)
        items[w] = v
        tss[w] = ttl.updateOnRead ? now : tss[r]!
        w++
      }
      items.length = w
      tss.length = w
      if (w === 0) this.t.removeCurrent()
    }
    this.t.cleanup(ttl, now)
    return out
  }
}
