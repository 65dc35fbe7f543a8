import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { ReduceFunction, ReducingState } from '../../state/state.js'
import { ValueCell } from './cells.js'
import type { StateTable } from './state-table.js'
import type { TtlSettings } from './ttl-settings.js'
import { mergeCellsInto, readCellTtl } from './value-cell-ops.js'

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
    if (ttl !== undefined) return readCellTtl(this.t, ttl)?.value
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

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    mergeCellsInto(this.t, this.ttl, target, sources, this.reduce)
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
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
