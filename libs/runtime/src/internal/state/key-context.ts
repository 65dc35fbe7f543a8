/**
 * The current key of a keyed state backend, shared by the backend and all of its state tables.
 *
 * @remarks
 * `epoch` changes every time the current key changes; a state table caches the entry of the
 * current key together with the epoch it was looked up in, so that `value()` followed by
 * `update()` for the same key costs one map lookup. The epoch wraps at {@link EPOCH_MASK} (it
 * stays a small integer); the backend invalidates every cache when it wraps.
 *
 * @internal
 */
export class KeyContext<K> {
  /** The current key; meaningful only while `hasKey`. */
  key: K = undefined as K
  /** Whether a current key is set. */
  hasKey = false
  /** The current key's key group. */
  keyGroup = -1
  /** The current key's key group minus the first key group of the backend's range. */
  groupIndex = -1
  /** Bumped (and masked) whenever the current key changes; never -1. */
  epoch = 0
}

/** @internal */
export const EPOCH_MASK = 0x3fffffff
