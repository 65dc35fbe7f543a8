/**
 * What a key may be: a primitive with value equality, so that it can index state maps and be
 * hashed to a key group the same way in every thread and process.
 *
 * @remarks
 * Composite keys are encoded by the key selector, e.g. `` (r) => `${r.user}|${r.region}` ``.
 *
 * @category Keys
 * @since 0.1.0
 */
export type Key = string | number | bigint | boolean

/**
 * Extracts the key of a record. It must be deterministic: the same record always gives the same
 * key, in every subtask and every run.
 *
 * @typeParam T - the record type
 * @typeParam K - the key type
 * @category Keys
 * @since 0.1.0
 */
export type KeySelector<T, K extends Key> = (record: T) => K
