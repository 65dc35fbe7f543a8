import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { AggregateFunction, AggregatingState } from '../../state/state.js'
import { ValueCell } from './cells.js'
import type { StateTable } from './state-table.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * {@link AggregatingState} on the heap backend; the table holds accumulators.
 *
 * @internal
 */
export class HeapAggregatingState<K, IN, ACC, OUT>
  implements AggregatingState<IN, OUT>, InternalKeyedState<AggregatingState<IN, OUT>>
{
  readonly state: AggregatingState<IN, OUT> = this

  constructor(
    private readonly t: StateTable<K, ValueCell<ACC>>,
    private readonly ttl: TtlSettings | undefined,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {}

  setCurrentNamespace(namespace: Namespace): void {
    this.t.setNamespace(namespace)
  }

  get(): OUT | undefined {
    const ttl = this.ttl
    if (ttl !== undefined) return this.getTtl(ttl)
    const c = this.t.current()
    return c === undefined ? undefined : this.fn.getResult(c.value)
  }

  add(value: IN): void {
    const ttl = this.ttl
    if (ttl !== undefined) return this.addTtl(value, ttl)
    const c = this.t.current()
    if (c === undefined) this.t.insertCurrent(new ValueCell(this.fn.add(value, this.fn.createAccumulator()), NaN))
    else c.value = this.fn.add(value, c.value)
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
    let merged: ACC | undefined
    let has = false
    for (const ns of sources) {
      if (ns === target) continue
      const c = t.getAt(ns)
      if (c === undefined) continue
      t.removeCurrentAt(ns)
      if (dropExpired && ttl.expired(c.ts, now)) continue
      merged = has ? this.fn.merge(merged as ACC, c.value) : c.value
      has = true
    }
    if (!has) return
    const tc = t.getAt(target)
    if (tc === undefined || (dropExpired && ttl.expired(tc.ts, now))) t.putAt(target, new ValueCell(merged as ACC, now))
    else {
      tc.value = this.fn.merge(tc.value, merged as ACC)
      tc.ts = now
    }
  }

  private getTtl(ttl: TtlSettings): OUT | undefined {
    const now = ttl.clock()
    const c = this.t.current()
    let acc: ACC | undefined
    let has = false
    if (c !== undefined) {
      acc = c.value
      has = true
      if (ttl.expired(c.ts, now)) {
        this.t.removeCurrent()
        has = ttl.returnExpired
      } else if (ttl.updateOnRead) c.ts = now
    }
    this.t.cleanup(ttl, now)
    return has ? this.fn.getResult(acc as ACC) : undefined
  }

  private addTtl(value: IN, ttl: TtlSettings): void {
    const now = ttl.clock()
    const c = this.t.current()
    if (c === undefined) this.t.insertCurrent(new ValueCell(this.fn.add(value, this.fn.createAccumulator()), now))
    else {
      const base = !ttl.returnExpired && ttl.expired(c.ts, now) ? this.fn.createAccumulator() : c.value
      c.value = this.fn.add(value, base)
      c.ts = now
    }
    this.t.cleanup(ttl, now)
  }
}
