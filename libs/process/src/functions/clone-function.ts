/**
 * Copies a user function for one parallel subtask: a new object with the same prototype and a
 * shallow copy of the function's own properties.
 *
 * @remarks
 * The same idea as Flink serialising a function once per subtask: each subtask runs its own
 * copy, so fields set in `open` (state handles, buffers, counters) are per subtask. Fields set in
 * the constructor or by field initializers are shared by reference between copies (a
 * configuration object, a lookup table): treat them as read-only, and create mutable state in
 * `open`. JavaScript `#private` fields cannot be copied; use TypeScript
 * `private` fields in functions.
 *
 * @typeParam F - the function's type
 * @category Operators
 * @since 0.1.0
 */
export const cloneFunction = <F extends object>(fn: F): F =>
  Object.create(Object.getPrototypeOf(fn) as object | null, Object.getOwnPropertyDescriptors(fn)) as F
