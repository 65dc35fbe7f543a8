import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { ReduceFunction, ReducingState } from '../../state/state.js'
import type { CellTable } from './cell-table.js'
import { ValueCell } from './cells.js'
import type { TtlSettings } from './ttl-settings.js'
import { mergeCellsInto, readCellTtl } from './value-cell-ops.js'

/**
 * {@link ReducingState} over a {@link CellTable}, on either backend.
 *
 * @internal
 */
export class TableReducingState<T> implements ReducingState<T>, InternalKeyedState<ReducingState<T>> {
  readonly state: ReducingState<T> = this

  constructor(
    private readonly t: CellTable<ValueCell<T>>,
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
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ValueCell(value, NaN))
    else {
      c.value = this.reduce(c.value, value)
      t.touch()
    }
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
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ValueCell(value, now))
    else {
      c.value = !ttl.returnExpired && ttl.expired(c.ts, now) ? value : this.reduce(c.value, value)
      c.ts = now
      t.touch()
    }
    t.cleanup(ttl, now)
  }
}
