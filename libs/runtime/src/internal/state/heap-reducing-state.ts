import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { ReduceFunction, ReducingState } from '../../state/state.js'
import { ValueCell } from './cells.js'
import type { StateTable } from './state-table.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * {@link ReducingState} on the heap backend.
 *
 * @internal
 */
export class HeapReducingState<K, T> implements ReducingState<T>, InternalKeyedState<ReducingState<T>> {
  readonly state: ReducingState<T> = this

  constructor(
    private readonly t: StateTable<K, ValueCell<T>>,
    private readonly ttl: TtlSettings | undefined,
    private readonly reduce: ReduceFunction<T>,
  ) {}

  setCurrentNamespace(namespace: Namespace): void {
    this.t.setNamespace(namespace)
  }

  get(): T | undefined {
    const ttl = this.ttl
    if (ttl !== undefined) return this.getTtl(ttl)
    const c = this.t.current()
    return c === undefined ? undefined : c.value
  }

  add(value: T): void {
    const ttl = this.ttl
    if (ttl !== undefined) return this.addTtl(value, ttl)
    const c = this.t.current()
    if (c === undefined) this.t.insertCurrent(new ValueCell(value, NaN))
    else c.value = this.reduce(c.value, value)
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
  }

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    const t = this.t
    const ttl = this.ttl
    const now = ttl === undefined ? NaN : ttl.clock()
    const dropExpired = ttl !== undefined && !ttl.returnExpired
    let merged: T | undefined
    let has = false
    for (const ns of sources) {
      if (ns === target) continue
      const c = t.getAt(ns)
      if (c === undefined) continue
      t.removeCurrentAt(ns)
      if (dropExpired && ttl.expired(c.ts, now)) continue
      merged = has ? this.reduce(merged as T, c.value) : c.value
      has = true
    }
    if (!has) return
    const tc = t.getAt(target)
    if (tc === undefined || (dropExpired && ttl.expired(tc.ts, now))) t.putAt(target, new ValueCell(merged as T, now))
    else {
      tc.value = this.reduce(tc.value, merged as T)
      tc.ts = now
    }
  }

  private getTtl(ttl: TtlSettings): T | undefined {
    const now = ttl.clock()
    const c = this.t.current()
    let out: T | undefined
    if (c !== undefined) {
      out = c.value
      if (ttl.expired(c.ts, now)) {
        this.t.removeCurrent()
        if (!ttl.returnExpired) out = undefined
      } else if (ttl.updateOnRead) c.ts = now
    }
    this.t.cleanup(ttl, now)
    return out
  }

  private addTtl(value: T, ttl: TtlSettings): void {
    const now = ttl.clock()
    const c = this.t.current()
    if (c === undefined) this.t.insertCurrent(new ValueCell(value, now))
    else {
      c.value = !ttl.returnExpired && ttl.expired(c.ts, now) ? value : this.reduce(c.value, value)
      c.ts = now
    }
    this.t.cleanup(ttl, now)
  }
}
