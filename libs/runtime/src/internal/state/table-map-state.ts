import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { MapState } from '../../state/state.js'
import type { CellTable } from './cell-table.js'
import { EMPTY, cannotMergeError } from './cell-table.js'
import { MapCell } from './cells.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * {@link MapState} over a {@link CellTable}, on either backend: one cell per (key, namespace) holds
 * the whole map (on the lmdb backend, one lmdb entry). With TTL, every map entry has its own
 * timestamp.
 *
 * @remarks
 * Without TTL, `entries()`, `keys()` and `values()` iterate the live map (on the lmdb backend, the
 * cached one), as a `Map` iterator would; with TTL they return a copy of the entries that have not
 * expired.
 *
 * @internal
 */
export class TableMapState<UK, UV> implements MapState<UK, UV>, InternalKeyedState<MapState<UK, UV>> {
  readonly state: MapState<UK, UV> = this
  /** Whether the last `getTtl` found a visible entry. */
  private found = false

  constructor(
    private readonly t: CellTable<MapCell<UK, UV>>,
    private readonly ttl: TtlSettings | undefined,
  ) {}

  setCurrentNamespace(namespace: Namespace): void {
    this.t.setNamespace(namespace)
  }

  mergeNamespaces(_target: Namespace, _sources: readonly Namespace[]): void {
    throw cannotMergeError(this.t)
  }

  get(key: UK): UV | undefined {
    const ttl = this.ttl
    if (ttl !== undefined) return this.getTtl(key, ttl)
    const c = this.t.current()
    return c === undefined ? undefined : c.map.get(key)
  }

  put(key: UK, value: UV): void {
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    const t = this.t
    const c = t.current()
    if (c === undefined) {
      t.insertCurrent(new MapCell(new Map([[key, value]]), ttl === undefined ? null : new Map([[key, now]])))
    } else {
      c.map.set(key, value)
      if (c.tss !== null) c.tss.set(key, now)
      t.touch()
    }
    if (ttl !== undefined) t.cleanup(ttl, now)
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    const t = this.t
    let c = t.current()
    let any = false
    for (const [k, v] of entries) {
      if (c === undefined) {
        c = new MapCell(new Map<UK, UV>(), ttl === undefined ? null : new Map<UK, number>())
        t.insertCurrent(c)
      }
      c.map.set(k, v)
      if (c.tss !== null) c.tss.set(k, now)
      any = true
    }
    if (any) t.touch()
    if (ttl !== undefined) t.cleanup(ttl, now)
  }

  remove(key: UK): void {
    const t = this.t
    const c = t.current()
    if (c !== undefined) {
      const had = c.map.delete(key)
      if (c.tss !== null) c.tss.delete(key)
      if (c.map.size === 0) t.removeCurrent()
      else if (had) t.touch()
    }
    const ttl = this.ttl
    if (ttl !== undefined) t.cleanup(ttl, ttl.clock())
  }

  contains(key: UK): boolean {
    const ttl = this.ttl
    if (ttl !== undefined) {
      this.getTtl(key, ttl)
      return this.found
    }
    const c = this.t.current()
    return c !== undefined && c.map.has(key)
  }

  entries(): Iterable<[UK, UV]> {
    const ttl = this.ttl
    if (ttl !== undefined) return this.visibleEntries(ttl)
    const c = this.t.current()
    return c === undefined ? EMPTY : c.map.entries()
  }

  keys(): Iterable<UK> {
    const ttl = this.ttl
    if (ttl !== undefined) return this.visibleEntries(ttl).map((e) => e[0])
    const c = this.t.current()
    return c === undefined ? EMPTY : c.map.keys()
  }

  values(): Iterable<UV> {
    const ttl = this.ttl
    if (ttl !== undefined) return this.visibleEntries(ttl).map((e) => e[1])
    const c = this.t.current()
    return c === undefined ? EMPTY : c.map.values()
  }

  isEmpty(): boolean {
    const ttl = this.ttl
    const t = this.t
    const c = t.current()
    if (ttl === undefined) return c === undefined || c.map.size === 0
    const now = ttl.clock()
    let empty = c === undefined
    if (c !== undefined && !ttl.returnExpired) {
      const tss = c.tss!
      let removed = false
      for (const [k, ts] of tss)
        if (ttl.expired(ts, now)) {
          tss.delete(k)
          c.map.delete(k)
          removed = true
        }
      if (c.map.size === 0) {
        t.removeCurrent()
        empty = true
      } else if (removed) t.touch()
    }
    t.cleanup(ttl, now)
    return empty
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
  }

  private getTtl(key: UK, ttl: TtlSettings): UV | undefined {
    const now = ttl.clock()
    const t = this.t
    const c = t.current()
    let out: UV | undefined
    this.found = false
    if (c !== undefined && c.map.has(key)) {
      const tss = c.tss!
      out = c.map.get(key)
      this.found = true
      if (ttl.expired(tss.get(key)!, now)) {
        c.map.delete(key)
        tss.delete(key)
        if (c.map.size === 0) t.removeCurrent()
        else t.touch()
        if (!ttl.returnExpired) {
          out = undefined
          this.found = false
        }
      } else if (ttl.updateOnRead) {
        tss.set(key, now)
        t.touch()
      }
    }
    t.cleanup(ttl, now)
    return out
  }

  private visibleEntries(ttl: TtlSettings): [UK, UV][] {
    const now = ttl.clock()
    const t = this.t
    const c = t.current()
    const out: [UK, UV][] = []
    if (c !== undefined) {
      const tss = c.tss!
      let changed = false
      for (const [k, v] of c.map) {
        if (ttl.expired(tss.get(k)!, now)) {
          if (ttl.returnExpired) out.push([k, v])
          c.map.delete(k)
          tss.delete(k)
          changed = true
        } else {
          out.push([k, v])
          if (ttl.updateOnRead) {
            tss.set(k, now)
            changed = true
          }
        }
      }
      if (c.map.size === 0) t.removeCurrent()
      else if (changed) t.touch()
    }
    t.cleanup(ttl, now)
    return out
  }
}
