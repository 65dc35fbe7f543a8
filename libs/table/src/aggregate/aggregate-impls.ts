/**
 * The implementations of the built-in aggregate functions behind `createAggsHandle`: one class
 * per function, each working on one slot of the handle's accumulator array.
 *
 * @remarks
 * Per-record code. An implementation reads its arguments from the row's fields by index (the
 * handle has already applied the `FILTER` and skipped NULL arguments) and updates its
 * accumulator in place, or replaces it in the slot when it is a number. The `DISTINCT` calls
 * over the same arguments are one {@link DistinctGroup} around their functions. Accumulators are plain
 * data: numbers, strings, `null`, arrays and `Map`s, which both state backends store and
 * checkpoints copy.
 *
 * @packageDocumentation
 */
import { SqlRuntimeError } from '../errors.js'
import type { DataType } from '../types/data-type.js'
import { isString } from '../types/data-type.js'
import type { UserAggregateFunction } from './aggregate-call.js'
import type { IntWidth } from './agg-values.js'
import { compareValues, intWidthOf, isPrimitiveType, mulInt, roundDecimal, tupleKey, valueKey, valuesEqual, wrapInt } from './agg-values.js'

/**
 * One aggregate function over slot `i` of an accumulator array `h` (the handle's accumulators,
 * or the inner accumulator of a `DISTINCT`).
 */
export interface AggImpl {
  /** Whether `sub` works. */
  readonly retractable: boolean
  /** Whether `merge` works. */
  readonly mergeable: boolean
  /** A new accumulator. */
  create(): unknown
  /** Adds the row's arguments to `h[i]`. */
  add(h: unknown[], i: number, fields: readonly unknown[]): void
  /** Takes the row's arguments back out of `h[i]`. */
  sub(h: unknown[], i: number, fields: readonly unknown[]): void
  /** Merges the accumulator `other` into `h[i]`, leaving `other` unchanged. */
  merge(h: unknown[], i: number, other: unknown): void
  /** The result of an accumulator (may refresh a cached part of it). */
  value(acc: unknown): unknown
  /** Straight-line code for its steps, for a generated handle; `undefined` to be called instead. */
  readonly inline?: InlineAgg
}

/**
 * JavaScript source for the per-record steps of an {@link AggImpl}, which a generated handle
 * writes out in place of a call: `s` is the accumulator's slot (an assignable expression such
 * as `h[b + 1]`), `v` the variable holding the (non-null) first argument. A missing step is
 * called on the implementation instead. Helpers are reached as `H.name` (`H.roundDecimal`).
 */
export interface InlineAgg {
  /** Statements adding `v` to the accumulator at `s`. */
  readonly add?: (s: string, v: string) => string
  /** Statements taking `v` back out of the accumulator at `s`. */
  readonly sub?: (s: string, v: string) => string
  /** An expression for the result of the accumulator at `s` (it may read `s` more than once). */
  readonly value?: (s: string) => string
}

/** How a numeric aggregate's exact arithmetic works for its argument type. */
class NumericRules {
  /** Integer overflow width (Java `byte`/`short`/`int`), 0 for none. */
  readonly width: IntWidth
  /** The `DECIMAL` scale, -1 for non-decimals. */
  readonly scale: number
  readonly float: boolean
  readonly integer: boolean

  constructor(t: DataType) {
    this.width = intWidthOf(t)
    this.scale = t.kind === 'DECIMAL' ? t.scale : -1
    this.float = t.kind === 'FLOAT'
    this.integer = t.kind === 'TINYINT' || t.kind === 'SMALLINT' || t.kind === 'INT' || t.kind === 'BIGINT'
  }

  /** A sum (difference) after one step: wrapped or rounded as the type does. */
  norm(x: number): number {
    if (this.width !== 0) return wrapInt(x, this.width)
    if (this.scale >= 0) return roundDecimal(x, this.scale)
    return x
  }

  /** A result of the type. */
  out(x: number): number {
    return this.float ? Math.fround(x) : x
  }

  /** {@link NumericRules.norm} as source, of the expression `x`. */
  normCode(x: string): string {
    switch (this.width) {
      case 32:
        return `((${x}) | 0)`
      case 16:
        return `(((${x}) << 16) >> 16)`
      case 8:
        return `(((${x}) << 24) >> 24)`
      default:
        return this.scale >= 0 ? `H.roundDecimal(${x}, ${this.scale})` : `(${x})`
    }
  }

  /** {@link NumericRules.out} as source, of the expression `x`. */
  outCode(x: string): string {
    return this.float ? `Math.fround(${x})` : x
  }
}

/** Whether the values of `t` are JavaScript numbers (see `data-type.ts`). */
const isNumberType = (t: DataType): boolean => {
  switch (t.kind) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INT':
    case 'BIGINT':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DECIMAL':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return true
    default:
      return false
  }
}

const cannotRetract = (what: string): SqlRuntimeError =>
  new SqlRuntimeError(`${what} without retraction support cannot retract a row; build the handle with { retraction: true }.`)

// ---------------------------------------------------------------------------------------------
// COUNT

/** `COUNT(*)`, `COUNT(x, ...)`: a number. */
export class CountImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  readonly inline: InlineAgg = {
    add: (s) => `${s} = ${s} + 1;`,
    sub: (s) => `${s} = ${s} - 1;`,
    value: (s) => s,
  }
  create(): unknown {
    return 0
  }
  add(h: unknown[], i: number): void {
    h[i] = (h[i] as number) + 1
  }
  sub(h: unknown[], i: number): void {
    h[i] = (h[i] as number) - 1
  }
  merge(h: unknown[], i: number, other: unknown): void {
    h[i] = (h[i] as number) + (other as number)
  }
  value(acc: unknown): unknown {
    return acc
  }
}

// ---------------------------------------------------------------------------------------------
// SUM, SUM0, AVG

/** `SUM(x)`: `[sum, count]`; NULL while the count of non-null values is 0. */
export class SumImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  private readonly rules: NumericRules
  readonly inline: InlineAgg
  constructor(
    private readonly arg: number,
    argType: DataType,
  ) {
    const r = (this.rules = new NumericRules(argType))
    this.inline = {
      add: (s, v) => `{ const a = ${s}; a[0] = ${r.normCode(`a[0] + ${v}`)}; a[1] = a[1] + 1; }`,
      sub: (s, v) => `{ const a = ${s}; a[0] = ${r.normCode(`a[0] - ${v}`)}; a[1] = a[1] - 1; }`,
      value: (s) => `(${s}[1] === 0 ? null : ${r.outCode(`${s}[0]`)})`,
    }
  }
  create(): unknown {
    return [0, 0]
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    a[0] = this.rules.norm(a[0]! + (fields[this.arg] as number))
    a[1]!++
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    a[0] = this.rules.norm(a[0]! - (fields[this.arg] as number))
    a[1]!--
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as number[]
    const o = other as number[]
    a[0] = this.rules.norm(a[0]! + o[0]!)
    a[1]! += o[1]!
  }
  value(acc: unknown): unknown {
    const a = acc as number[]
    return a[1] === 0 ? null : this.rules.out(a[0]!)
  }
}

/** `SUM0(x)` (Flink's `$SUM0`): a number, 0 on no rows. */
export class Sum0Impl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  private readonly rules: NumericRules
  readonly inline: InlineAgg
  constructor(
    private readonly arg: number,
    argType: DataType,
  ) {
    const r = (this.rules = new NumericRules(argType))
    this.inline = {
      add: (s, v) => `${s} = ${r.normCode(`${s} + ${v}`)};`,
      sub: (s, v) => `${s} = ${r.normCode(`${s} - ${v}`)};`,
      value: (s) => r.outCode(s),
    }
  }
  create(): unknown {
    return 0
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    h[i] = this.rules.norm((h[i] as number) + (fields[this.arg] as number))
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    h[i] = this.rules.norm((h[i] as number) - (fields[this.arg] as number))
  }
  merge(h: unknown[], i: number, other: unknown): void {
    h[i] = this.rules.norm((h[i] as number) + (other as number))
  }
  value(acc: unknown): unknown {
    return this.rules.out(acc as number)
  }
}

/**
 * `AVG(x)`: `[sum, count]`. Integers sum without overflow (Flink sums them as `BIGINT`) and
 * divide truncating; `DECIMAL(p, s)` sums at scale `s` and rounds the mean to `max(6, s)`.
 */
export class AvgImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  private readonly rules: NumericRules
  private readonly resultScale: number
  readonly inline: InlineAgg
  constructor(
    private readonly arg: number,
    argType: DataType,
  ) {
    this.rules = new NumericRules(argType)
    this.resultScale = argType.kind === 'DECIMAL' ? Math.max(6, argType.scale) : -1
    const norm = (x: string): string => (this.rules.scale >= 0 ? `H.roundDecimal(${x}, ${this.rules.scale})` : `(${x})`)
    this.inline = {
      add: (s, v) => `{ const a = ${s}; a[0] = ${norm(`a[0] + ${v}`)}; a[1] = a[1] + 1; }`,
      sub: (s, v) => `{ const a = ${s}; a[0] = ${norm(`a[0] - ${v}`)}; a[1] = a[1] - 1; }`,
    }
  }
  private norm(x: number): number {
    return this.rules.scale >= 0 ? roundDecimal(x, this.rules.scale) : x
  }
  create(): unknown {
    return [0, 0]
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    a[0] = this.norm(a[0]! + (fields[this.arg] as number))
    a[1]!++
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    a[0] = this.norm(a[0]! - (fields[this.arg] as number))
    a[1]!--
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as number[]
    const o = other as number[]
    a[0] = this.norm(a[0]! + o[0]!)
    a[1]! += o[1]!
  }
  value(acc: unknown): unknown {
    const a = acc as number[]
    const n = a[1]!
    if (n === 0) return null
    const q = a[0]! / n
    if (this.rules.integer) return Math.trunc(q)
    if (this.resultScale >= 0) return roundDecimal(q, this.resultScale)
    return this.rules.out(q)
  }
}

// ---------------------------------------------------------------------------------------------
// STDDEV_POP, STDDEV_SAMP, VAR_POP, VAR_SAMP

/**
 * The variance family: `[count, sum, sum of squares]`, evaluated as Flink's rewrite
 * `(SUM(x*x) - SUM(x)*SUM(x)/COUNT(x)) / (COUNT(x) or COUNT(x) - 1)`, then the square root for
 * `STDDEV_*`, in the argument's type: integer types divide truncating and wrap as Java does,
 * `DECIMAL` results are rounded to `max(6, s)`.
 */
export class VarianceImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  private readonly rules: NumericRules
  private readonly resultScale: number
  constructor(
    private readonly arg: number,
    argType: DataType,
    private readonly sqrt: boolean,
    private readonly population: boolean,
  ) {
    this.rules = new NumericRules(argType)
    this.resultScale = argType.kind === 'DECIMAL' ? Math.max(6, argType.scale) : -1
  }
  create(): unknown {
    return [0, 0, 0]
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    const x = fields[this.arg] as number
    const r = this.rules
    a[0]!++
    a[1] = r.norm(a[1]! + x)
    a[2] = r.norm(a[2]! + (r.integer ? mulInt(x, x, r.width) : x * x))
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    const x = fields[this.arg] as number
    const r = this.rules
    a[0]!--
    a[1] = r.norm(a[1]! - x)
    a[2] = r.norm(a[2]! - (r.integer ? mulInt(x, x, r.width) : x * x))
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as number[]
    const o = other as number[]
    a[0]! += o[0]!
    a[1] = this.rules.norm(a[1]! + o[1]!)
    a[2] = this.rules.norm(a[2]! + o[2]!)
  }
  value(acc: unknown): unknown {
    const a = acc as number[]
    const n = a[0]!
    if (n === 0 || (!this.population && n === 1)) return null
    const denominator = this.population ? n : n - 1
    const r = this.rules
    if (r.integer) {
      const squareOfSum = mulInt(a[1]!, a[1]!, r.width)
      const v = Math.trunc((a[2]! - Math.trunc(squareOfSum / n)) / denominator)
      if (!this.sqrt) return wrapInt(v, r.width)
      const s = Math.sqrt(v)
      return s !== s ? 0 : Math.trunc(s)
    }
    const v = (a[2]! - (a[1]! * a[1]!) / n) / denominator
    const res = this.sqrt ? Math.sqrt(v) : v
    return this.resultScale >= 0 ? roundDecimal(res, this.resultScale) : r.out(res)
  }
}

// ---------------------------------------------------------------------------------------------
// MIN, MAX

/** `MIN`/`MAX` without retraction: the extreme itself (`null` before any value). */
export class MinMaxImpl implements AggImpl {
  readonly retractable = false
  readonly mergeable = true
  readonly inline: InlineAgg
  constructor(
    private readonly arg: number,
    private readonly max: boolean,
    argType?: DataType,
  ) {
    // values that are JavaScript numbers compare with < and > (as compareValues does: NaN never replaces),
    // strings by code point
    const op = max ? '>' : '<'
    this.inline =
      argType !== undefined && isNumberType(argType)
        ? { add: (s, v) => `{ const c = ${s}; if (c === null || ${v} ${op} c) ${s} = ${v}; }`, value: (s) => s }
        : argType !== undefined && isString(argType)
          ? { add: (s, v) => `{ const c = ${s}; if (c === null || (${v} !== c && H.compareStrings(${v}, c) ${op} 0)) ${s} = ${v}; }`, value: (s) => s }
          : { value: (s) => s }
  }
  create(): unknown {
    return null
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    this.offer(h, i, fields[this.arg])
  }
  private offer(h: unknown[], i: number, v: unknown): void {
    const cur = h[i]
    if (cur === null) h[i] = v
    else {
      const c = compareValues(v, cur)
      if (this.max ? c > 0 : c < 0) h[i] = v
    }
  }
  sub(): void {
    throw cannotRetract(this.max ? 'MAX' : 'MIN')
  }
  merge(h: unknown[], i: number, other: unknown): void {
    if (other !== null) this.offer(h, i, other)
  }
  value(acc: unknown): unknown {
    return acc
  }
}

/** The state of the cached extreme of {@link MinMaxRetractImpl}. */
const enum Extreme {
  /** Must be recomputed from the multiset. */
  Stale = 0,
  /** No value with a positive count. */
  Empty = 1,
  /** `acc[2]` is the key of the extreme. */
  Valid = 2,
}

/**
 * `MIN`/`MAX` with retraction: `[counts, values, extremeKey, Extreme]`, a multiset (map key ->
 * count; `values` maps keys to values when values are not primitives, else `null`). Retracting
 * the extreme makes it stale; it is recomputed by a scan when next read (as Flink's
 * `MaxWithRetractAggFunction`). Counts may go negative (a retraction before its row), and only
 * positive ones count.
 */
export class MinMaxRetractImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  private readonly primitive: boolean
  constructor(
    private readonly arg: number,
    argType: DataType,
    private readonly max: boolean,
  ) {
    this.primitive = isPrimitiveType(argType)
  }
  create(): unknown {
    return [new Map<unknown, number>(), this.primitive ? null : new Map<unknown, unknown>(), null, Extreme.Empty]
  }
  private better(a: unknown, b: unknown): boolean {
    const c = compareValues(a, b)
    return this.max ? c > 0 : c < 0
  }
  private static valueOf(acc: unknown[], k: unknown): unknown {
    const values = acc[1] as Map<unknown, unknown> | null
    return values === null ? k : values.get(k)
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const acc = h[i] as unknown[]
    const v = fields[this.arg]
    const k = this.primitive ? v : valueKey(v)
    const c = bump(acc, k, v, 1)
    if (c > 0) {
      const state = acc[3] as Extreme
      if (state === Extreme.Empty) {
        acc[2] = k
        acc[3] = Extreme.Valid
      } else if (state === Extreme.Valid && this.better(v, MinMaxRetractImpl.valueOf(acc, acc[2]))) acc[2] = k
    }
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const acc = h[i] as unknown[]
    const v = fields[this.arg]
    const k = this.primitive ? v : valueKey(v)
    const c = bump(acc, k, v, -1)
    if (c <= 0 && acc[3] === Extreme.Valid && sameKey(acc[2], k)) acc[3] = Extreme.Stale
  }
  merge(h: unknown[], i: number, other: unknown): void {
    mergeMultiset(h[i] as unknown[], other as unknown[])
    ;(h[i] as unknown[])[3] = Extreme.Stale
  }
  value(acc: unknown): unknown {
    const a = acc as unknown[]
    if (a[3] === Extreme.Stale) {
      let best: unknown = undefined
      let bestValue: unknown = undefined
      for (const [k, c] of a[0] as Map<unknown, number>) {
        if (c <= 0) continue
        const v = MinMaxRetractImpl.valueOf(a, k)
        if (best === undefined || this.better(v, bestValue)) {
          best = k
          bestValue = v
        }
      }
      if (best === undefined) a[3] = Extreme.Empty
      else {
        a[2] = best
        a[3] = Extreme.Valid
      }
    }
    return a[3] === Extreme.Valid ? MinMaxRetractImpl.valueOf(a, a[2]) : null
  }
}

const sameKey = (a: unknown, b: unknown): boolean => a === b || (a !== a && b !== b)

/**
 * Adds `delta` to the count of key `k` (value `v`) of a multiset accumulator `[counts, values,
 * ...]`; a count of 0 removes the key. Returns the new count.
 */
const bump = (acc: unknown[], k: unknown, v: unknown, delta: number): number => {
  const counts = acc[0] as Map<unknown, number>
  const c = (counts.get(k) ?? 0) + delta
  const values = acc[1] as Map<unknown, unknown> | null
  if (c === 0) {
    counts.delete(k)
    if (values !== null) values.delete(k)
  } else {
    counts.set(k, c)
    if (values !== null && !values.has(k)) values.set(k, v)
  }
  return c
}

/** Adds the counts of multiset `other` into `acc` (both `[counts, values, ...]`). */
const mergeMultiset = (acc: unknown[], other: unknown[]): void => {
  const values = other[1] as Map<unknown, unknown> | null
  for (const [k, c] of other[0] as Map<unknown, number>) bump(acc, k, values === null ? k : values.get(k), c)
}

// ---------------------------------------------------------------------------------------------
// FIRST_VALUE, LAST_VALUE

/** `FIRST_VALUE`/`LAST_VALUE` without retraction: the value (`null` before any non-null value). */
export class FirstLastImpl implements AggImpl {
  readonly retractable = false
  readonly mergeable = true
  constructor(
    private readonly arg: number,
    private readonly last: boolean,
  ) {}
  create(): unknown {
    return null
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    if (this.last || h[i] === null) h[i] = fields[this.arg]
  }
  sub(): void {
    throw cannotRetract(this.last ? 'LAST_VALUE' : 'FIRST_VALUE')
  }
  merge(h: unknown[], i: number, other: unknown): void {
    if (other !== null && (this.last || h[i] === null)) h[i] = other
  }
  value(acc: unknown): unknown {
    return acc
  }
}

/** Removes the first element equal to `v` from `list`; whether there was one. */
const removeFirst = (list: unknown[], v: unknown): boolean => {
  for (let j = 0; j < list.length; j++) {
    if (valuesEqual(list[j], v)) {
      list.splice(j, 1)
      return true
    }
  }
  return false
}

/**
 * `FIRST_VALUE`/`LAST_VALUE` with retraction: the non-null values in arrival order; retracting a
 * value removes its first occurrence (as Flink's `*WithRetractAggFunction`, with arrival order
 * instead of wall-clock time).
 */
export class FirstLastRetractImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  constructor(
    private readonly arg: number,
    private readonly last: boolean,
  ) {}
  create(): unknown {
    return []
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    ;(h[i] as unknown[]).push(fields[this.arg])
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    removeFirst(h[i] as unknown[], fields[this.arg])
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as unknown[]
    for (const v of other as unknown[]) a.push(v)
  }
  value(acc: unknown): unknown {
    const a = acc as unknown[]
    return a.length === 0 ? null : this.last ? a[a.length - 1] : a[0]
  }
}

// ---------------------------------------------------------------------------------------------
// LISTAGG

/** `LISTAGG(x[, sep])` without retraction: `[text | null, separator]`. */
export class ListAggImpl implements AggImpl {
  readonly retractable = false
  readonly mergeable = true
  constructor(
    private readonly arg: number,
    private readonly sepArg: number,
  ) {}
  create(): unknown {
    return [null, ',']
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as unknown[]
    if (this.sepArg >= 0) {
      const s = fields[this.sepArg]
      if (typeof s === 'string') a[1] = s
    }
    const v = fields[this.arg] as string
    a[0] = a[0] === null ? v : (a[0] as string) + (a[1] as string) + v
  }
  sub(): void {
    throw cannotRetract('LISTAGG')
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as unknown[]
    const o = other as unknown[]
    if (o[0] === null) return
    a[0] = a[0] === null ? o[0] : (a[0] as string) + (o[1] as string) + (o[0] as string)
    a[1] = o[1]
  }
  value(acc: unknown): unknown {
    return (acc as unknown[])[0]
  }
}

/** `LISTAGG(x[, sep])` with retraction: `[values, separator]`, joined when read. */
export class ListAggRetractImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  constructor(
    private readonly arg: number,
    private readonly sepArg: number,
  ) {}
  create(): unknown {
    return [[], ',']
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as unknown[]
    if (this.sepArg >= 0) {
      const s = fields[this.sepArg]
      if (typeof s === 'string') a[1] = s
    }
    ;(a[0] as unknown[]).push(fields[this.arg])
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    removeFirst((h[i] as unknown[])[0] as unknown[], fields[this.arg])
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as unknown[]
    const o = other as unknown[]
    const list = a[0] as unknown[]
    for (const v of o[0] as unknown[]) list.push(v)
    if ((o[0] as unknown[]).length > 0) a[1] = o[1]
  }
  value(acc: unknown): unknown {
    const a = acc as unknown[]
    const list = a[0] as string[]
    return list.length === 0 ? null : list.join(a[1] as string)
  }
}

// ---------------------------------------------------------------------------------------------
// COLLECT

/** `COLLECT(x)`: a multiset `[counts, values]`; the result is an array with each value repeated by its count. */
export class CollectImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  private readonly primitive: boolean
  constructor(
    private readonly arg: number,
    argType: DataType,
  ) {
    this.primitive = isPrimitiveType(argType)
  }
  create(): unknown {
    return [new Map<unknown, number>(), this.primitive ? null : new Map<unknown, unknown>()]
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const v = fields[this.arg]
    bump(h[i] as unknown[], this.primitive ? v : valueKey(v), v, 1)
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const v = fields[this.arg]
    bump(h[i] as unknown[], this.primitive ? v : valueKey(v), v, -1)
  }
  merge(h: unknown[], i: number, other: unknown): void {
    mergeMultiset(h[i] as unknown[], other as unknown[])
  }
  value(acc: unknown): unknown {
    const a = acc as unknown[]
    const values = a[1] as Map<unknown, unknown> | null
    const out: unknown[] = []
    for (const [k, c] of a[0] as Map<unknown, number>) {
      const v = values === null ? k : values.get(k)
      for (let j = 0; j < c; j++) out.push(v)
    }
    return out
  }
}

// ---------------------------------------------------------------------------------------------
// BOOL_AND, BOOL_OR

/** `BOOL_AND`/`BOOL_OR`: `[trues, falses]`. */
export class BoolImpl implements AggImpl {
  readonly retractable = true
  readonly mergeable = true
  constructor(
    private readonly arg: number,
    private readonly and: boolean,
  ) {}
  create(): unknown {
    return [0, 0]
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    if (fields[this.arg] === true) a[0]!++
    else a[1]!++
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const a = h[i] as number[]
    if (fields[this.arg] === true) a[0]!--
    else a[1]!--
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const a = h[i] as number[]
    const o = other as number[]
    a[0]! += o[0]!
    a[1]! += o[1]!
  }
  value(acc: unknown): unknown {
    const a = acc as number[]
    const t = a[0]! > 0
    const f = a[1]! > 0
    if (this.and) return f ? false : t ? true : null
    return t ? true : f ? false : null
  }
}

// ---------------------------------------------------------------------------------------------
// user-defined

/** A user-defined aggregate: its own accumulator, called with `(acc, ...args)`. */
export class UdafImpl implements AggImpl {
  readonly retractable: boolean
  readonly mergeable: boolean
  /** `[acc, arg1, arg2...]`, reused for every call. */
  private readonly buf: unknown[]
  /** `[other]`, reused for `merge`. */
  private readonly one: unknown[] = [undefined]
  constructor(
    private readonly fn: UserAggregateFunction,
    private readonly args: readonly number[],
  ) {
    this.retractable = typeof fn.retract === 'function'
    this.mergeable = typeof fn.merge === 'function'
    this.buf = new Array<unknown>(args.length + 1)
  }
  create(): unknown {
    return this.fn.createAccumulator()
  }
  private fill(acc: unknown, fields: readonly unknown[]): unknown[] {
    const buf = this.buf
    const args = this.args
    buf[0] = acc
    for (let k = 0; k < args.length; k++) buf[k + 1] = fields[args[k]!]
    return buf
  }
  add(h: unknown[], i: number, fields: readonly unknown[]): void {
    Reflect.apply(this.fn.accumulate, this.fn, this.fill(h[i], fields))
  }
  sub(h: unknown[], i: number, fields: readonly unknown[]): void {
    const retract = this.fn.retract
    if (retract === undefined) throw cannotRetract('A user-defined aggregate')
    Reflect.apply(retract, this.fn, this.fill(h[i], fields))
  }
  merge(h: unknown[], i: number, other: unknown): void {
    const merge = this.fn.merge
    if (merge === undefined) throw new SqlRuntimeError('A user-defined aggregate without merge cannot merge accumulators.')
    this.one[0] = other
    merge.call(this.fn, h[i], this.one)
    this.one[0] = undefined
  }
  value(acc: unknown): unknown {
    return this.fn.getValue(acc)
  }
}

// ---------------------------------------------------------------------------------------------
// DISTINCT

/** One call of a {@link DistinctGroup}: where its accumulator is and which function it computes. */
export interface DistinctMember {
  /** The call's slot in the handle's accumulators (relative to the handle's base). */
  readonly slot: number
  /** The function over the distinct values (`COUNT` for `COUNT(DISTINCT x)`). */
  readonly inner: AggImpl
}

/** The most calls one {@link DistinctGroup} shares its map among: one bit each in a small integer. */
export const MAX_DISTINCT_MEMBERS = 30

/**
 * The `DISTINCT` calls over the same arguments, sharing one map of the distinct values (Flink's
 * distinct view shared by the calls that differ only by their `FILTER` or function): each row's
 * value is looked up once for all of them.
 *
 * @remarks
 * The calls are the group's members, numbered `0..m-1` (at most {@link MAX_DISTINCT_MEMBERS}); a
 * row reaches {@link DistinctGroup.add} with a mask of the members whose `FILTER` it passes (bit
 * `j` for member `j`), its arguments already checked for NULLs. Member `j`'s function sees a value
 * when the value first passes its filter, and (with retraction) loses it when the last such row is
 * retracted.
 *
 * The first member's slot (the lead) holds `[map, values, innerAcc]`: `map` from a distinct value
 * (its key: the value itself when primitive, else an encoded string) to what the members saw of
 * it, `values` from keys to values (the value, or the argument tuple) when keys are not the
 * values themselves, else `null`, and the lead's own accumulator; every other member's slot holds
 * its own accumulator. What `map` holds per key:
 * - without retraction (insert-only input), the mask of the members that saw it (`1` for one
 *   member), so a value already seen by every member of a row costs one lookup;
 * - with retraction, per member the count of rows with that value that passed its filter: a number
 *   for one member (the layout of a single `DISTINCT` call), an array of numbers for several.
 *   Counts may go below 0 (a retraction before its row); a member holds a value while its count is
 *   positive, and a key goes when every count is 0.
 */
export class DistinctGroup {
  readonly retractable: boolean
  readonly mergeable: boolean
  /** The lead member's slot. */
  readonly lead: number
  /** The number of members. */
  readonly size: number
  private readonly slots: readonly number[]
  private readonly inners: readonly AggImpl[]
  /** Whether the one argument's values are their own keys (so `values` is not kept). */
  private readonly primitive: boolean
  private readonly single: boolean
  /** The arguments of a row, reused to build tuple keys. */
  private readonly tuple: unknown[]
  /** Sparse fields, reused to replay a distinct value into the members' functions on merge. */
  private readonly replay: unknown[]

  constructor(
    members: readonly DistinctMember[],
    private readonly args: readonly number[],
    argTypes: readonly DataType[],
    /** Whether the group keeps counts (and can retract) or only masks (insert-only input). */
    private readonly retraction: boolean,
  ) {
    if (members.length === 0 || members.length > MAX_DISTINCT_MEMBERS)
      throw new SqlRuntimeError(`A distinct group has 1 to ${MAX_DISTINCT_MEMBERS} members, not ${members.length}.`)
    this.size = members.length
    this.slots = members.map((m) => m.slot)
    this.inners = members.map((m) => m.inner)
    this.lead = members[0]!.slot
    this.retractable = retraction && members.every((m) => m.inner.retractable)
    this.mergeable = members.every((m) => m.inner.mergeable)
    this.single = args.length === 1
    this.primitive = this.single && isPrimitiveType(argTypes[0]!)
    this.tuple = new Array<unknown>(args.length)
    this.replay = new Array<unknown>(args.length === 0 ? 0 : Math.max(...args) + 1)
  }

  /**
   * Straight-line source for {@link DistinctGroup.add}, for a generated handle: adds the row
   * whose (only) argument is in variable `v` for the members in the mask in variable `m`, the
   * accumulators being `h[b + slot]`; `undefined` when the group must be called instead (with
   * retraction, when keys are not the values themselves, or a member has no inline `add`).
   */
  addCode(v: string, m: string): string | undefined {
    if (this.retraction || !this.single || !this.primitive) return undefined
    const adds: string[] = []
    for (let j = 0; j < this.size; j++) {
      const add = this.inners[j]!.inline?.add
      if (add === undefined) return undefined
      const code = add(j === 0 ? 'dL[2]' : `h[b + ${this.slots[j]!}]`, v)
      adds.push(this.size === 1 ? code : `if ((dX & ${1 << j}) !== 0) { ${code} }`)
    }
    const lead = `const dL = h[b + ${this.lead}]; const dM = dL[0];`
    if (this.size === 1) return `{ ${lead} if (dM.get(${v}) === undefined) { dM.set(${v}, 1); ${adds.join(' ')} } }`
    return `{ ${lead} const dO = dM.get(${v}); const dS = dO === undefined ? 0 : dO; const dX = ${m} & ~dS; if (dX !== 0) { dM.set(${v}, dS | dX); ${adds.join(' ')} } }`
  }

  /** Writes new accumulators into the members' slots at `base`. */
  create(h: unknown[], base: number): void {
    const inners = this.inners
    h[base + this.lead] = [new Map<unknown, unknown>(), this.primitive ? null : new Map<unknown, unknown>(), inners[0]!.create()]
    for (let j = 1; j < inners.length; j++) h[base + this.slots[j]!] = inners[j]!.create()
  }

  /** Member `j`'s result, from the accumulators at `base`. */
  value(h: readonly unknown[], base: number, j: number): unknown {
    return j === 0 ? this.inners[0]!.value((h[base + this.lead] as unknown[])[2]) : this.inners[j]!.value(h[base + this.slots[j]!])
  }

  private keyOf(fields: readonly unknown[]): unknown {
    if (this.single) {
      const v = fields[this.args[0]!]
      return this.primitive ? v : valueKey(v)
    }
    const t = this.tuple
    for (let k = 0; k < t.length; k++) t[k] = fields[this.args[k]!]
    return tupleKey(t)
  }

  /** What `values` keeps for a new key: the value, or a copy of the argument tuple. */
  private stored(fields: readonly unknown[]): unknown {
    if (this.single) return fields[this.args[0]!]
    const args = this.args
    const t = new Array<unknown>(args.length)
    for (let k = 0; k < args.length; k++) t[k] = fields[args[k]!]
    return t
  }

  /** The fields of a stored distinct value, for the members' functions. */
  private replayFields(stored: unknown): readonly unknown[] {
    const r = this.replay
    const args = this.args
    if (this.single) r[args[0]!] = stored
    else for (let k = 0; k < args.length; k++) r[args[k]!] = (stored as unknown[])[k]
    return r
  }

  /** Adds the row's value to the functions of the members in `bits`. */
  private addTo(h: unknown[], base: number, lead: unknown[], fields: readonly unknown[], bits: number): void {
    if ((bits & 1) !== 0) this.inners[0]!.add(lead, 2, fields)
    const inners = this.inners
    for (let j = 1; j < inners.length; j++) if ((bits & (1 << j)) !== 0) inners[j]!.add(h, base + this.slots[j]!, fields)
  }

  /** Takes the row's value out of the functions of the members in `bits`. */
  private subFrom(h: unknown[], base: number, lead: unknown[], fields: readonly unknown[], bits: number): void {
    if ((bits & 1) !== 0) this.inners[0]!.sub(lead, 2, fields)
    const inners = this.inners
    for (let j = 1; j < inners.length; j++) if ((bits & (1 << j)) !== 0) inners[j]!.sub(h, base + this.slots[j]!, fields)
  }

  /** Adds a row (non-null arguments) for the members in `mask` (not 0). */
  add(h: unknown[], base: number, fields: readonly unknown[], mask: number): void {
    const lead = h[base + this.lead] as unknown[]
    const map = lead[0] as Map<unknown, unknown>
    const k = this.keyOf(fields)
    const old = map.get(k)
    if (!this.retraction) {
      // masks: a value every member of the row has seen costs this one lookup
      if (this.size === 1) {
        // any entry means seen (a single DISTINCT call of an older layout kept counts here)
        if (old !== undefined) return
        map.set(k, 1)
      } else {
        const seen = old === undefined ? 0 : (old as number)
        const fresh = mask & ~seen
        if (fresh === 0) return
        map.set(k, seen | fresh)
        mask = fresh
      }
      if (old === undefined && lead[1] !== null) (lead[1] as Map<unknown, unknown>).set(k, this.stored(fields))
      this.addTo(h, base, lead, fields, mask)
      return
    }
    if (this.size === 1) {
      const c = (old === undefined ? 0 : (old as number)) + 1
      if (c === 0) this.remove(lead, k)
      else {
        map.set(k, c)
        if (old === undefined && lead[1] !== null) (lead[1] as Map<unknown, unknown>).set(k, this.stored(fields))
      }
      if (c === 1) this.inners[0]!.add(lead, 2, fields)
      return
    }
    let counts = old as number[] | undefined
    if (counts === undefined) {
      counts = this.zeros()
      map.set(k, counts)
      if (lead[1] !== null) (lead[1] as Map<unknown, unknown>).set(k, this.stored(fields))
    }
    let fresh = 0
    let zero = false
    for (let j = 0; j < counts.length; j++) {
      if ((mask & (1 << j)) === 0) continue
      const c = ++counts[j]!
      if (c === 1) fresh |= 1 << j
      else if (c === 0) zero = true
    }
    if (zero && allZero(counts)) this.remove(lead, k)
    if (fresh !== 0) this.addTo(h, base, lead, fields, fresh)
  }

  /** Takes a row (non-null arguments) back out for the members in `mask` (not 0). */
  sub(h: unknown[], base: number, fields: readonly unknown[], mask: number): void {
    if (!this.retraction) throw cannotRetract('DISTINCT')
    const lead = h[base + this.lead] as unknown[]
    const map = lead[0] as Map<unknown, unknown>
    const k = this.keyOf(fields)
    const old = map.get(k)
    if (this.size === 1) {
      const c = (old === undefined ? 0 : (old as number)) - 1
      if (c === 0) this.remove(lead, k)
      else {
        map.set(k, c)
        if (old === undefined && lead[1] !== null) (lead[1] as Map<unknown, unknown>).set(k, this.stored(fields))
      }
      if (c === 0) this.inners[0]!.sub(lead, 2, fields)
      return
    }
    let counts = old as number[] | undefined
    if (counts === undefined) {
      counts = this.zeros()
      map.set(k, counts)
      if (lead[1] !== null) (lead[1] as Map<unknown, unknown>).set(k, this.stored(fields))
    }
    let gone = 0
    for (let j = 0; j < counts.length; j++) {
      if ((mask & (1 << j)) === 0) continue
      if (--counts[j]! === 0) gone |= 1 << j
    }
    if (gone !== 0 && allZero(counts)) this.remove(lead, k)
    if (gone !== 0) this.subFrom(h, base, lead, fields, gone)
  }

  /** Merges the group's accumulators at `otherBase` of `other` into those at `base` of `h`, leaving `other` unchanged. */
  merge(h: unknown[], base: number, other: readonly unknown[], otherBase: number): void {
    const lead = h[base + this.lead] as unknown[]
    const map = lead[0] as Map<unknown, unknown>
    const values = lead[1] as Map<unknown, unknown> | null
    const o = other[otherBase + this.lead] as unknown[]
    const oValues = o[1] as Map<unknown, unknown> | null
    const size = this.size
    for (const [k, theirs] of o[0] as Map<unknown, unknown>) {
      const stored = oValues === null ? k : oValues.get(k)
      const old = map.get(k)
      if (!this.retraction) {
        // masks (a single member: any entry means seen)
        const seen = old === undefined ? 0 : size === 1 ? 1 : (old as number)
        const fresh = (size === 1 ? 1 : (theirs as number)) & ~seen
        if (fresh === 0) continue
        map.set(k, seen | fresh)
        if (old === undefined && values !== null) values.set(k, stored)
        this.addTo(h, base, lead, this.replayFields(stored), fresh)
      } else if (size === 1) {
        const before = old === undefined ? 0 : (old as number)
        const after = before + (theirs as number)
        if (after === 0) this.remove(lead, k)
        else {
          map.set(k, after)
          if (old === undefined && values !== null) values.set(k, stored)
        }
        if (before <= 0 && after > 0) this.inners[0]!.add(lead, 2, this.replayFields(stored))
        else if (before > 0 && after <= 0) this.inners[0]!.sub(lead, 2, this.replayFields(stored))
      } else {
        let counts = old as number[] | undefined
        if (counts === undefined) {
          counts = this.zeros()
          map.set(k, counts)
          if (values !== null) values.set(k, stored)
        }
        const t = theirs as readonly number[]
        let added = 0
        let gone = 0
        for (let j = 0; j < size; j++) {
          const before = counts[j]!
          const after = before + t[j]!
          counts[j] = after
          if (before <= 0 && after > 0) added |= 1 << j
          else if (before > 0 && after <= 0) gone |= 1 << j
        }
        if (allZero(counts)) this.remove(lead, k)
        if (added !== 0) this.addTo(h, base, lead, this.replayFields(stored), added)
        if (gone !== 0) this.subFrom(h, base, lead, this.replayFields(stored), gone)
      }
    }
  }

  private zeros(): number[] {
    const z = new Array<number>(this.size)
    for (let j = 0; j < z.length; j++) z[j] = 0
    return z
  }

  /** Forgets key `k`. */
  private remove(lead: unknown[], k: unknown): void {
    ;(lead[0] as Map<unknown, unknown>).delete(k)
    if (lead[1] !== null) (lead[1] as Map<unknown, unknown>).delete(k)
  }
}

const allZero = (counts: readonly number[]): boolean => {
  for (let j = 0; j < counts.length; j++) if (counts[j] !== 0) return false
  return true
}
