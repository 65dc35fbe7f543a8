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
  /**
   * The current key's key group, or -1 when it was not computed yet: the per-record path does not
   * need it, so the backend computes it only on demand (or for its range check).
   */
  keyGroup = -1
  /** Bumped (and masked) whenever the current key changes; never -1. */
  epoch = 0
}

/** @internal */
export const EPOCH_MASK = 0x3fffffff
