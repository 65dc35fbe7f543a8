import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { MapState } from '../../state/state.js'
import { MapCell } from './cells.js'
import type { StateTable } from './state-table.js'
import { EMPTY, cannotMergeError } from './state-table.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * {@link MapState} on the heap backend. With TTL, every map entry has its own timestamp.
 *
 * @remarks
 * Without TTL, `entries()`, `keys()` and `values()` iterate the live map (as a `Map` iterator
 * would); with TTL they return a copy of the entries that have not expired.
 *
 * @internal
 */
export class HeapMapState<K, UK, UV> implements MapState<UK, UV>, InternalKeyedState<MapState<UK, UV>> {
  readonly state: MapState<UK, UV> = this
  /** Whether the last `getTtl` found a visible entry. */
  private found = false

  constructor(
    private readonly t: StateTable<K, MapCell<UK, UV>>,
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
    const c = this.t.current()
    if (c === undefined) {
      this.t.insertCurrent(new MapCell(new Map([[key, value]]), ttl === undefined ? null : new Map([[key, now]])))
    } else {
      c.map.set(key, value)
      if (c.tss !== null) c.tss.set(key, now)
    }
    if (ttl !== undefined) this.t.cleanup(ttl, now)
  }

  putAll(entries: Iterable<readonly [UK, UV]>): void {
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    let c = this.t.current()
    for (const [k, v] of entries) {
      if (c === undefined) {
        c = new MapCell(new Map<UK, UV>(), ttl === undefined ? null : new Map<UK, number>())
        this.t.insertCurrent(c)
      }
      c.map.set(k, v)
      if (c.tss !== null) c.tss.set(k, now)
    }
    if (ttl !== undefined) this.t.cleanup(ttl, now)
  }

  remove(key: UK): void {
    const c = this.t.current()
    if (c !== undefined) {
      c.map.delete(key)
      if (c.tss !== null) c.tss.delete(key)
      if (c.map.size === 0) this.t.removeCurrent()
    }
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
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
    const c = this.t.current()
    if (ttl === undefined) return c === undefined || c.map.size === 0
    const now = ttl.clock()
    let empty = c === undefined
    if (c !== undefined && !ttl.returnExpired) {
      const tss = c.tss!
      for (const [k, ts] of tss)
        if (ttl.expired(ts, now)) {
          tss.delete(k)
          c.map.delete(k)
        }
      if (c.map.size === 0) {
        this.t.removeCurrent()
        empty = true
      }
    }
    this.t.cleanup(ttl, now)
    return empty
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
  }

  private getTtl(key: UK, ttl: TtlSettings): UV | undefined {
    const now = ttl.clock()
    const c = this.t.current()
    let out: UV | undefined
    this.found = false
    if (c !== undefined && c.map.has(key)) {
      const tss = c.tss!
      out = c.map.get(key)
      this.found = true
      if (ttl.expired(tss.get(key)!, now)) {
        c.map.delete(key)
        tss.delete(key)
        if (c.map.size === 0) this.t.removeCurrent()
        if (!ttl.returnExpired) {
          out = undefined
          this.found = false
        }
      } else if (ttl.updateOnRead) tss.set(key, now)
    }
    this.t.cleanup(ttl, now)
    return out
  }

  private visibleEntries(ttl: TtlSettings): [UK, UV][] {
    const now = ttl.clock()
    const c = this.t.current()
    const out: [UK, UV][] = []
    if (c !== undefined) {
      const tss = c.tss!
      for (const [k, v] of c.map) {
        if (ttl.expired(tss.get(k)!, now)) {
          if (ttl.returnExpired) out.push([k, v])
          c.map.delete(k)
          tss.delete(k)
        } else {
          out.push([k, v])
          if (ttl.updateOnRead) tss.set(k, now)
        }
      }
      if (c.map.size === 0) this.t.removeCurrent()
    }
    this.t.cleanup(ttl, now)
    return out
  }
}
