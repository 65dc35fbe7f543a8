import { StateError } from '../../core/errors.js'
import type { Namespace } from '../../state/keyed-state-backend.js'
import type { StateKind } from '../../state/state-descriptor.js'
import type { TtlSettings } from './ttl-settings.js'

/**
 * The cells of one keyed state as its state object sees them: the cell of the current key in the
 * current namespace, the current key's cells in other namespaces (merging), and TTL cleanup.
 *
 * @remarks
 * The state objects (`TableValueState`, `TableListState`, ...) are written once against this
 * interface and serve both backends: the heap backend's {@link StateTable} and the lmdb backend's
 * `LmdbStateTable`. Cells are live objects that the state objects change in place; after such a
 * change they call {@link CellTable.touch} (the current cell) or {@link CellTable.touchAt} (a cell
 * of another namespace), which the lmdb table uses to mark the entry dirty for its write-back
 * cache and the heap table implements as nothing (inlined away).
 *
 * @typeParam E - the cell type
 * @internal
 */
export interface CellTable<E> {
  /** The state's name. */
  readonly name: string
  /** The state's kind. */
  readonly kind: StateKind
  /** The operator the state belongs to. */
  readonly operatorName: string
  /** The cell of the current key in the current namespace. */
  current(): E | undefined
  /** Stores a new cell for the current key in the current namespace. */
  insertCurrent(e: E): void
  /** Removes the entry of the current key in the current namespace. */
  removeCurrent(): void
  /** Tells the table that the current cell (as `current()` returned it) was changed in place. */
  touch(): void
  /** Switches the current namespace. */
  setNamespace(ns: Namespace): void
  /** The cell of the current key in a namespace. */
  getAt(ns: Namespace): E | undefined
  /** Stores a cell of the current key in a namespace. */
  putAt(ns: Namespace, e: E): void
  /** Tells the table that `e`, the current key's cell in `ns`, was changed in place. */
  touchAt(ns: Namespace, e: E): void
  /** Removes the entry of the current key in a namespace. */
  removeCurrentAt(ns: Namespace): void
  /** Runs the TTL incremental cleanup: checks the next `ttl.cleanupSize` entries for expiry. */
  cleanup(ttl: TtlSettings, now: number): void
}

/** The error of `mergeNamespaces` on a state that cannot merge. @internal */
export const cannotMergeError = (t: CellTable<unknown>): StateError =>
  new StateError(
    `State '${t.name}' of operator '${t.operatorName}' is ${t.kind} state, which cannot merge namespaces: only list, reducing and aggregating state can (e.g. for merging session windows).`,
  )

/** A shared empty, frozen array, returned for absent lists and maps. @internal */
export const EMPTY: readonly never[] = Object.freeze([])
