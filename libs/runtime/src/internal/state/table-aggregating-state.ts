import type { InternalKeyedState, Namespace } from '../../state/keyed-state-backend.js'
import type { AggregateFunction, AggregatingState } from '../../state/state.js'
import type { CellTable } from './cell-table.js'
import { ValueCell } from './cells.js'
import type { TtlSettings } from './ttl-settings.js'
import { mergeCellsInto, readCellTtl } from './value-cell-ops.js'

/**
 * {@link AggregatingState} over a {@link CellTable}, on either backend; the table holds accumulators.
 *
 * @internal
 */
export class TableAggregatingState<IN, ACC, OUT>
  implements AggregatingState<IN, OUT>, InternalKeyedState<AggregatingState<IN, OUT>>
{
  readonly state: AggregatingState<IN, OUT> = this

  constructor(
    private readonly t: CellTable<ValueCell<ACC>>,
    private readonly ttl: TtlSettings | undefined,
    private readonly fn: AggregateFunction<IN, ACC, OUT>,
  ) {}

  setCurrentNamespace(namespace: Namespace): void {
    this.t.setNamespace(namespace)
  }

  get(): OUT | undefined {
    const ttl = this.ttl
    if (ttl !== undefined) {
      const c = readCellTtl(this.t, ttl)
      return c === undefined ? undefined : this.fn.getResult(c.value)
    }
    const c = this.t.current()
    return c === undefined ? undefined : this.fn.getResult(c.value)
  }

  add(value: IN): void {
    const ttl = this.ttl
    if (ttl !== undefined) return this.addTtl(value, ttl)
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ValueCell(this.fn.add(value, this.fn.createAccumulator()), NaN))
    else {
      c.value = this.fn.add(value, c.value)
      t.touch()
    }
  }

  mergeNamespaces(target: Namespace, sources: readonly Namespace[]): void {
    mergeCellsInto(this.t, this.ttl, target, sources, (a, b) => this.fn.merge(a, b))
  }

  clear(): void {
    this.t.removeCurrent()
    const ttl = this.ttl
    if (ttl !== undefined) this.t.cleanup(ttl, ttl.clock())
  }

  private addTtl(value: IN, ttl: TtlSettings): void {
    const now = ttl.clock()
    const t = this.t
    const c = t.current()
    if (c === undefined) t.insertCurrent(new ValueCell(this.fn.add(value, this.fn.createAccumulator()), now))
    else {
      const base = !ttl.returnExpired && ttl.expired(c.ts, now) ? this.fn.createAccumulator() : c.value
      c.value = this.fn.add(value, base)
      c.ts = now
      t.touch()
    }
    t.cleanup(ttl, now)
  }
}
