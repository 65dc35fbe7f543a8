// What value, reducing and aggregating state do alike with their one cell per (key, namespace),
// on either backend.
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { CellTable } from './cell-table.js'
import { ValueCell } from './cells.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * The current key's cell under TTL: removed when expired (and then `undefined` unless expired
 * values may be returned), renewed on read where configured; runs the incremental cleanup.
 */
export const readCellTtl = <V>(t: CellTable<ValueCell<V>>, ttl: TtlSettings): ValueCell<V> | undefined => {
  const now = ttl.clock()
  let c = t.current()
  if (c !== undefined) {
    if (ttl.expired(c.ts, now)) {
      t.removeCurrent()
      if (!ttl.returnExpired) c = undefined
    } else if (ttl.updateOnRead) {
      c.ts = now
      t.touch()
    }
  }
  t.cleanup(ttl, now)
  return c
}

/**
 * Folds the cells of the current key in the `sources` namespaces into `target` with `combine`
 * (merging windows) and removes the sources; expired cells are dropped unless expired values may
 * be returned.
 */
export const mergeCellsInto = <V>(
  t: CellTable<ValueCell<V>>,
  ttl: TtlSettings | undefined,
  target: Namespace,
  sources: readonly Namespace[],
  combine: (a: V, b: V) => V,
): void => {
  const now = ttl === undefined ? NaN : ttl.clock()
  const dropExpired = ttl !== undefined && !ttl.returnExpired
  let merged: V | undefined
  let has = false
  for (const ns of sources) {
    if (ns === target) continue
    const c = t.getAt(ns)
    if (c === undefined) continue
    t.removeCurrentAt(ns)
    if (dropExpired && ttl.expired(c.ts, now)) continue
    merged = has ? combine(merged as V, c.value) : c.value
    has = true
  }
  if (!has) return
  const tc = t.getAt(target)
  if (tc === undefined || (dropExpired && ttl.expired(tc.ts, now))) t.putAt(target, new ValueCell(merged as V, now))
  else {
    tc.value = combine(tc.value, merged as V)
    tc.ts = now
    t.touchAt(target, tc)
  }
}
