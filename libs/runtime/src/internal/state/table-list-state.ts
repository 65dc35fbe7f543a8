import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { ListState } from '../../state/state.js'
import type { CellTable } from './cell-table.js'
import { EMPTY } from './cell-table.js'
import { ListCell } from './cells.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * {@link ListState} over a {@link CellTable}, on either backend. With TTL, every element has its own
 * timestamp.
 *
 * @remarks
 * `get()` returns a copy, so the list may be changed while the result is iterated.
 *
 * @internal
 */
export class TableListState<T> implements ListState<T>, InternalKeyedState<ListState<T>> {
  readonly state: ListState<T> = this

  constructor(
    private readonly t: CellTable<ListCell<T>>,
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
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ListCell([value], ttl === undefined ? null : [now]))
    else {
      c.items.push(value)
      if (c.tss !== null) c.tss.push(now)
      t.touch()
    }
    if (ttl !== undefined) t.cleanup(ttl, now)
  }

  addAll(values: Iterable<T>): void {
    const add = Array.from(values)
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    const t = this.t
    if (add.length > 0) {
      const c = t.current()
      if (c === undefined) t.insertCurrent(new ListCell(add, ttl === undefined ? null : new Array<number>(add.length).fill(now)))
      else {
        for (const v of add) {
          c.items.push(v)
          if (c.tss !== null) c.tss.push(now)
        }
        t.touch()
      }
    }
    if (ttl !== undefined) t.cleanup(ttl, now)
  }

  update(values: Iterable<T>): void {
    const items = Array.from(values)
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    const t = this.t
    if (items.length === 0) t.removeCurrent()
    else {
      const tss = ttl === undefined ? null : new Array<number>(items.length).fill(now)
      const c = t.current()
      if (c === undefined) t.insertCurrent(new ListCell(items, tss))
      else {
        c.items = items
        c.tss = tss
        t.touch()
      }
    }
    if (ttl !== undefined) t.cleanup(ttl, now)
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
        t.touchAt(target, tc)
      }
    }
  }

  private getTtl(ttl: TtlSettings): Iterable<T> {
    const now = ttl.clock()
    const t = this.t
    const c = t.current()
    let out: T[] = EMPTY as never[]
    if (c !== undefined) {
      const items = c.items
      const tss = c.tss!
      const n = items.length
      out = []
      let w = 0
      for (let r = 0; r < n; r++) {
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
      if (w === 0) t.removeCurrent()
      else if (w !== n || ttl.updateOnRead) t.touch()
    }
    t.cleanup(ttl, now)
    return out
  }
}
