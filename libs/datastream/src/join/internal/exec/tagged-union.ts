import type { Collector } from '@strom/runtime'
import type { CoGroupFunction, FlatJoinFunction, JoinFunction } from '../../join-functions.js'

/**
 * A record of either input of a window join or coGroup, tagged with its input: `1` for the first,
 * `2` for the second (Flink's `TaggedUnion`).
 *
 * @remarks
 * Both inputs are mapped to this one shape, unioned and keyed, so one window operator buffers the
 * records of both; the window function splits them by tag again. Window assigners, triggers and
 * evictors of a join see records of this type.
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @category Joins
 * @since 0.1.0
 */
export type TaggedUnion<T1, T2> =
  | { readonly tag: 1; readonly value: T1 }
  | { readonly tag: 2; readonly value: T2 }

/** Tags a record of the first input. */
export const tagOne = <T1, T2>(value: T1): TaggedUnion<T1, T2> => ({ tag: 1, value })

/** Tags a record of the second input. */
export const tagTwo = <T1, T2>(value: T2): TaggedUnion<T1, T2> => ({ tag: 2, value })

/**
 * Splits one window's tagged records by input and calls the coGroup function with both groups.
 *
 * @remarks
 * Called once per window firing (not per record); the two arrays are new for every call, so the
 * function may keep them.
 */
export const coGroupTagged = <T1, T2, O>(
  elements: Iterable<TaggedUnion<T1, T2>>,
  fn: CoGroupFunction<T1, T2, O>,
  out: Collector<O>,
): void => {
  const first: T1[] = []
  const second: T2[] = []
  for (const e of elements) {
    if (e.tag === 1) first.push(e.value)
    else second.push(e.value)
  }
  fn(first, second, out)
}

/** The coGroup function of a join: `fn(a, b)` for every pair of the cartesian product (made once per job). */
export const joinAsCoGroup =
  <T1, T2, O>(fn: JoinFunction<T1, T2, O>): CoGroupFunction<T1, T2, O> =>
  (first, second, out) => {
    for (let i = 0; i < first.length; i++) {
      const a = first[i]!
      for (let j = 0; j < second.length; j++) out.collect(fn(a, second[j]!))
    }
  }

/** The coGroup function of a flat join: `fn(a, b, out)` for every pair of the cartesian product. */
export const flatJoinAsCoGroup =
  <T1, T2, O>(fn: FlatJoinFunction<T1, T2, O>): CoGroupFunction<T1, T2, O> =>
  (first, second, out) => {
    for (let i = 0; i < first.length; i++) {
      const a = first[i]!
      for (let j = 0; j < second.length; j++) fn(a, second[j]!, out)
    }
  }
