import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { ValueState } from '../../state/state.js'
import type { CellTable } from './cell-table.js'
import { cannotMergeError } from './cell-table.js'
import { ValueCell } from './cells.js'
import type { TtlSettings } from './ttl-settings.js'
import { readCellTtl } from './value-cell-ops.js'

/**
 * {@link ValueState} over a {@link CellTable}, on either backend.
 *
 * @internal
 */
export class TableValueState<V> implements ValueState<V>, InternalKeyedState<ValueState<V>> {
  readonly state: ValueState<V> = this

  constructor(
    private readonly t: CellTable<ValueCell<V>>,
    private readonly ttl: TtlSettings | undefined,
  ) {}

  setCurrentNamespace(namespace: Namespace): void {
    this.t.setNamespace(namespace)
  }

  mergeNamespaces(_target: Namespace, _sources: readonly Namespace[]): void {
    throw cannotMergeError(this.t)
  }

  value(): V | undefined {
    const ttl = this.ttl
    if (ttl !== undefined) return readCellTtl(this.t, ttl)?.value
    const c = this.t.current()
    return c === undefined ? undefined : c.value
  }

  update(value: V): void {
    if (value === undefined) return this.clear()
    const ttl = this.ttl
    if (ttl !== undefined) return this.updateTtl(value, ttl)
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ValueCell(value, NaN))
    else {
      c.value = value
      t.touch()
    }
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
  }

  private updateTtl(value: V, ttl: TtlSettings): void {
    const now = ttl.clock()
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ValueCell(value, now))
    else {
      c.value = value
      c.ts = now
      t.touch()
    }
    t.cleanup(ttl, now)
  }
}
