/**
 * Receives the records a function emits.
 *
 * @remarks
 * A collector is reused between calls: emit from inside the call you were given it in, never keep
 * it for later. The emitted record takes the timestamp of the record (or timer) being processed.
 *
 * @typeParam T - the type of the records it takes
 * @category Functions
 * @since 0.1.0
 */
export interface Collector<T> {
  /** Emits one record downstream. */
  collect(record: T): void
}
