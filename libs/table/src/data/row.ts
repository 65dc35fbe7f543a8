/**
 * Rows and changelogs: what flows between SQL operators.
 *
 * @packageDocumentation
 */

/**
 * What a row means in a changelog, as Flink's `RowKind`: an insertion (`+I`), the old and new
 * versions of an update (`-U`, `+U`) and a deletion (`-D`). Small integers, so a row's kind is
 * one number compare on the per-record path.
 *
 * @category Data
 * @since 0.1.0
 */
export const RowKind = {
  INSERT: 0,
  UPDATE_BEFORE: 1,
  UPDATE_AFTER: 2,
  DELETE: 3,
} as const

/** One of {@link RowKind}'s values. */
export type RowKind = (typeof RowKind)[keyof typeof RowKind]

/** The short strings of the row kinds, indexed by kind: `+I`, `-U`, `+U`, `-D`. */
export const ROW_KIND_SHORT = ['+I', '-U', '+U', '-D'] as const

/** A row kind's short string (`+I`, `-U`, `+U`, `-D`). */
export type RowKindShort = (typeof ROW_KIND_SHORT)[number]

/** Whether rows of this kind add to a result (`+I`, `+U`) rather than take away from it (`-U`, `-D`). */
export const isAccumulate = (kind: RowKind): boolean => kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER

/** Whether rows of this kind take away from a result (`-U`, `-D`). */
export const isRetract = (kind: RowKind): boolean => kind === RowKind.UPDATE_BEFORE || kind === RowKind.DELETE

/**
 * A row of a table: its {@link RowKind} and its fields by position (values as described in
 * `data-type.ts`).
 *
 * @remarks
 * A plain object, never a class instance: rows cross worker threads as structured clones.
 * Operators create new rows rather than change the ones they receive, unless they own them.
 *
 * @category Data
 * @since 0.1.0
 */
export interface Row {
  readonly kind: RowKind
  readonly fields: unknown[]
}

/** A new row. */
export const row = (kind: RowKind, fields: unknown[]): Row => ({ kind, fields })

/** A new insert row (`+I`). */
export const insertRow = (fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields })

/**
 * Which row kinds a changelog may contain, as Flink's `ChangelogMode`.
 *
 * @remarks
 * - `insert-only`: only `+I` (an append stream).
 * - `upsert`: `+I`, `+U` and `-D`, keyed by a unique key: a `+U` replaces the row with the same
 *   key and no `-U` is sent (a `-D` may carry only the key).
 * - `retract`: `+I`, `-U`, `+U`, `-D`: every update sends the old row and the new one.
 *
 * @category Data
 * @since 0.1.0
 */
export interface ChangelogMode {
  readonly kinds: ReadonlySet<RowKind>
}

const modeOf = (...kinds: RowKind[]): ChangelogMode => ({ kinds: new Set(kinds) })

/** The common changelog modes. */
export const ChangelogModes = {
  /** Only `+I`. */
  INSERT_ONLY: modeOf(RowKind.INSERT),
  /** `+I`, `+U`, `-D` (updates by key, no `-U`). */
  UPSERT: modeOf(RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE),
  /** All four kinds. */
  ALL: modeOf(RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE),
} as const

/** Whether a changelog of this mode contains only inserts. */
export const isInsertOnly = (m: ChangelogMode): boolean => m.kinds.size === 1 && m.kinds.has(RowKind.INSERT)

/** The mode as `EXPLAIN` prints it: `[I]`, `[I,UA,D]`, `[I,UB,UA,D]`. */
export const formatChangelogMode = (m: ChangelogMode): string =>
  `[${[RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE]
    .filter((k) => m.kinds.has(k))
    .map((k) => ['I', 'UB', 'UA', 'D'][k])
    .join(',')}]`
