import type { StateKind } from '../../../state/state-descriptor.js'
import { ListCell, MapCell, ValueCell } from '../cells.js'

/**
 * How the cells of a kind of state are stored as lmdb values, and exported to snapshots from
 * there.
 *
 * @remarks
 * A stored record is an array, encoded by lmdb's msgpack encoder in structured-clone mode: for
 * value, reducing and aggregating state `[value]` or `[value, ts]`, for list state `[items]` or
 * `[items, tss]`, for map state `[map]` or `[map, tssMap]` (a `Map`, kept as one). The second
 * element exists only when the cell has TTL timestamps. Records are decoded into new objects, so
 * a cell read from lmdb never shares anything with another one or with a snapshot.
 *
 * @internal
 */
export interface RecordCodec<E> {
  /** The record to store for a cell. */
  toRecord(cell: E): unknown[]
  /** The cell of a stored record (takes the record's objects over). */
  fromRecord(record: unknown[]): E
  /** The snapshot form of a record's value (as the heap backend exports it). */
  exportValue(record: unknown[]): unknown
  /** The snapshot form of a record's TTL timestamps, `undefined` when it has none. */
  exportTimestamps(record: unknown[]): number | number[] | undefined
  /** How many items (elements, map entries) the cell holds; 1 for value cells. */
  itemCount(cell: E): number
}

const valueRecords: RecordCodec<ValueCell<unknown>> = {
  toRecord: (c) => (Number.isNaN(c.ts) ? [c.value] : [c.value, c.ts]),
  fromRecord: (r) => new ValueCell(r[0], r.length > 1 ? (r[1] as number) : NaN),
  exportValue: (r) => r[0],
  exportTimestamps: (r) => (r.length > 1 ? (r[1] as number) : undefined),
  itemCount: () => 1,
}

const listRecords: RecordCodec<ListCell<unknown>> = {
  toRecord: (c) => (c.tss === null ? [c.items] : [c.items, c.tss]),
  fromRecord: (r) => new ListCell(r[0] as unknown[], r.length > 1 ? (r[1] as number[]) : null),
  exportValue: (r) => r[0],
  exportTimestamps: (r) => (r.length > 1 ? (r[1] as number[]) : undefined),
  itemCount: (c) => c.items.length,
}

const mapRecords: RecordCodec<MapCell<unknown, unknown>> = {
  toRecord: (c) => (c.tss === null ? [c.map] : [c.map, c.tss]),
  fromRecord: (r) => new MapCell(r[0] as Map<unknown, unknown>, r.length > 1 ? (r[1] as Map<unknown, number>) : null),
  exportValue: (r) => Array.from(r[0] as Map<unknown, unknown>),
  exportTimestamps: (r) => {
    if (r.length < 2) return undefined
    const tss = r[1] as Map<unknown, number>
    const out: number[] = []
    for (const k of (r[0] as Map<unknown, unknown>).keys()) out.push(tss.get(k)!)
    return out
  },
  itemCount: (c) => c.map.size,
}

/** The record codec of a state kind. @internal */
export const recordsFor = (kind: StateKind): RecordCodec<any> => {
  switch (kind) {
    case 'list':
      return listRecords
    case 'map':
      return mapRecords
    default:
      return valueRecords
  }
}
