import type { ReduceFunction } from '@strom/runtime'

/**
 * The names of the fields of `T` that hold numbers (what `sum` can add up).
 *
 * @typeParam T - the record type
 * @category Functions
 * @since 0.1.0
 */
export type NumericField<T> = { [P in keyof T]-?: T[P] extends number ? P : never }[keyof T]

/**
 * The names of the fields of `T` that can be compared with `<` (numbers, strings, bigints).
 *
 * @typeParam T - the record type
 * @category Functions
 * @since 0.1.0
 */
export type ComparableField<T> = { [P in keyof T]-?: T[P] extends number | string | bigint ? P : never }[keyof T]

/**
 * The reduce functions behind `sum`, `min`, `max`, `minBy` and `maxBy` (on keyed streams and
 * windows), with Flink's semantics: `sum`, `min` and `max` keep the other fields of the first
 * record; `minBy` and `maxBy` return the record holding the extreme, on ties the first one (or,
 * with `first = false`, the latest). Without a field they work on the values themselves.
 *
 * @internal
 */
export const fieldReducers = {
  sum: <T>(field: NumericField<T> | undefined): ReduceFunction<T> => {
    if (field === undefined) return ((a: number, b: number) => a + b) as unknown as ReduceFunction<T>
    const f = field as keyof T
    return (a, b) => ({ ...a, [f]: (a[f] as number) + (b[f] as number) })
  },
  extreme: <T>(field: ComparableField<T> | undefined, sign: 1 | -1): ReduceFunction<T> => {
    if (field === undefined)
      return (sign < 0 ? (a: any, b: any) => (b < a ? b : a) : (a: any, b: any) => (b > a ? b : a)) as ReduceFunction<T>
    const f = field as keyof T
    return sign < 0 ? (a, b) => (b[f] < a[f] ? { ...a, [f]: b[f] } : a) : (a, b) => (b[f] > a[f] ? { ...a, [f]: b[f] } : a)
  },
  extremeBy: <T>(field: ComparableField<T>, sign: 1 | -1, first: boolean): ReduceFunction<T> => {
    const f = field as keyof T
    if (sign < 0) return first ? (a, b) => (b[f] < a[f] ? b : a) : (a, b) => (b[f] <= a[f] ? b : a)
    return first ? (a, b) => (b[f] > a[f] ? b : a) : (a, b) => (b[f] >= a[f] ? b : a)
  },
} as const
