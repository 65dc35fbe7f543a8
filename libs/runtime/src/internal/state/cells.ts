import { StateError } from '../../core/errors.js'
import type { StateKind } from '../../state/state-descriptor.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * What a cell's `kg` holds until a snapshot (or a restore) sets it: heap snapshots group entries
 * by key group and remember a cell's group, so that a key is hashed once, not at every
 * checkpoint. A cell always belongs to one key.
 *
 * @internal
 */
export const KEY_GROUP_UNKNOWN = -1

/**
 * The entry of value, reducing and aggregating state: the value (or accumulator) and, with TTL,
 * the time of its last renewal (`NaN` without TTL).
 *
 * @internal
 */
export class ValueCell<V> {
  /** The key group of the cell's key once a snapshot computed it (-1 before): see {@link KEY_GROUP_UNKNOWN}. */
  kg = KEY_GROUP_UNKNOWN

  constructor(
    public value: V,
    public ts: number,
  ) {}
}

/**
 * The entry of list state: the elements and, with TTL, one renewal time per element.
 *
 * @internal
 */
export class ListCell<T> {
  /** The key group of the cell's key once a snapshot computed it (-1 before). */
  kg = KEY_GROUP_UNKNOWN

  constructor(
    public items: T[],
    public tss: number[] | null,
  ) {}
}

/**
 * The entry of map state: the map and, with TTL, one renewal time per map key.
 *
 * @internal
 */
export class MapCell<UK, UV> {
  /** The key group of the cell's key once a snapshot computed it (-1 before). */
  kg = KEY_GROUP_UNKNOWN

  constructor(
    readonly map: Map<UK, UV>,
    public tss: Map<UK, number> | null,
  ) {}
}

/**
 * How a kind of cell is written to and read from a snapshot, and cleaned up by TTL. Used off the
 * per-record path only (snapshots, restore, incremental cleanup).
 *
 * @internal
 */
export interface CellCodec<E> {
  /** The snapshot form of the cell's value (new containers; the values are cloned afterwards). */
  exportValue(cell: E): unknown
  /** The snapshot form of the cell's TTL timestamps, `undefined` when it has none. */
  exportTimestamps(cell: E): number | number[] | undefined
  /** A cell from its snapshot form; `where` names it for error messages. */
  importCell(value: unknown, timestamps: number | readonly number[] | undefined, where: string): E
  /** Removes what has expired at `now`; returns whether the whole cell is gone. */
  purge(cell: E, now: number, ttl: TtlSettings): boolean
  /** Fills missing timestamps with `fill`, or drops all timestamps when `fill` is `undefined`. */
  setTimestamps(cell: E, fill: number | undefined): void
}

const badSnapshot = (where: string, what: string): StateError =>
  new StateError(`Cannot restore ${where}: ${what}. The snapshot is corrupt or was not written by Strom.`)

/** @internal */
export const valueCellCodec: CellCodec<ValueCell<unknown>> = {
  exportValue: (c) => c.value,
  exportTimestamps: (c) => (Number.isNaN(c.ts) ? undefined : c.ts),
  importCell: (value, ts, where) => {
    if (ts !== undefined && typeof ts !== 'number') throw badSnapshot(where, 'its TTL timestamp is not a number')
    return new ValueCell(value, ts === undefined ? NaN : ts)
  },
  purge: (c, now, ttl) => ttl.expired(c.ts, now),
  setTimestamps: (c, fill) => {
    if (fill === undefined) c.ts = NaN
    else if (Number.isNaN(c.ts)) c.ts = fill
  },
}

/** @internal */
export const listCellCodec: CellCodec<ListCell<unknown>> = {
  exportValue: (c) => c.items.slice(),
  exportTimestamps: (c) => (c.tss === null ? undefined : c.tss.slice()),
  importCell: (value, ts, where) => {
    if (!Array.isArray(value)) throw badSnapshot(where, 'a list state entry is not an array')
    if (ts === undefined) return new ListCell(value as unknown[], null)
    if (!Array.isArray(ts) || ts.length !== value.length)
      throw badSnapshot(where, 'a list state entry does not have one TTL timestamp per element')
    return new ListCell(value as unknown[], (ts as number[]).slice())
  },
  purge: (c, now, ttl) => {
    const items = c.items
    const tss = c.tss
    if (tss === null) return items.length === 0
    let w = 0
    for (let r = 0; r < items.length; r++) {
      if (!ttl.expired(tss[r]!, now)) {
        items[w] = items[r]
        tss[w] = tss[r]!
        w++
      }
    }
    items.length = w
    tss.length = w
    return w === 0
  },
  setTimestamps: (c, fill) => {
    if (fill === undefined) c.tss = null
    else if (c.tss === null) c.tss = new Array<number>(c.items.length).fill(fill)
  },
}

/** @internal */
export const mapCellCodec: CellCodec<MapCell<unknown, unknown>> = {
  exportValue: (c) => Array.from(c.map),
  exportTimestamps: (c) => {
    const tss = c.tss
    if (tss === null) return undefined
    const out: number[] = []
    for (const k of c.map.keys()) out.push(tss.get(k)!)
    return out
  },
  importCell: (value, ts, where) => {
    if (!Array.isArray(value)) throw badSnapshot(where, 'a map state entry is not an array of [key, value] pairs')
    if (ts !== undefined && (!Array.isArray(ts) || ts.length !== value.length))
      throw badSnapshot(where, 'a map state entry does not have one TTL timestamp per map entry')
    const map = new Map<unknown, unknown>()
    const tss = ts === undefined ? null : new Map<unknown, number>()
    for (let i = 0; i < value.length; i++) {
      const pair: unknown = value[i]
      if (!Array.isArray(pair) || pair.length !== 2) throw badSnapshot(where, 'a map state entry is not a [key, value] pair')
      map.set(pair[0], pair[1])
      if (tss !== null) tss.set(pair[0], (ts as readonly number[])[i]!)
    }
    return new MapCell(map, tss)
  },
  purge: (c, now, ttl) => {
    const tss = c.tss
    if (tss !== null)
      for (const [k, ts] of tss)
        if (ttl.expired(ts, now)) {
          tss.delete(k)
          c.map.delete(k)
        }
    return c.map.size === 0
  },
  setTimestamps: (c, fill) => {
    if (fill === undefined) c.tss = null
    else if (c.tss === null) {
      const tss = new Map<unknown, number>()
      for (const k of c.map.keys()) tss.set(k, fill)
      c.tss = tss
    }
  },
}

/** The codec of a state kind. @internal */
export const codecFor = (kind: StateKind): CellCodec<any> => {
  switch (kind) {
    case 'list':
      return listCellCodec
    case 'map':
      return mapCellCodec
    default:
      return valueCellCodec
  }
}
