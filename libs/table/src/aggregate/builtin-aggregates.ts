/**
 * The built-in aggregate functions (Flink's): their names, their result types, and the compiled
 * {@link AggsHandle} that computes any list of aggregate calls on the per-record path.
 *
 * @packageDocumentation
 */
import { SqlRuntimeError } from '../errors.js'
import type { DataType } from '../types/data-type.js'
import { DataTypes, formatType, isNumeric, isString, withNullability } from '../types/data-type.js'
import type { AggregateCall, AggsHandle } from './aggregate-call.js'
import type { AggImpl } from './aggregate-impls.js'
import { roundDecimal } from './agg-values.js'
import { compareStrings } from '../data/compare-strings.js'
import {
  AvgImpl,
  BoolImpl,
  CollectImpl,
  CountImpl,
  DistinctGroup,
  FirstLastImpl,
  FirstLastRetractImpl,
  ListAggImpl,
  ListAggRetractImpl,
  MAX_DISTINCT_MEMBERS,
  MinMaxImpl,
  MinMaxRetractImpl,
  Sum0Impl,
  SumImpl,
  UdafImpl,
  VarianceImpl,
} from './aggregate-impls.js'

/**
 * The names (upper case) of the built-in aggregate functions a query can call: a call of one of
 * these is an aggregate, not a scalar function.
 *
 * @remarks
 * `STDDEV` is `STDDEV_SAMP` and `VARIANCE` is `VAR_SAMP`, as in Flink. `SUM0` (Flink's internal
 * `$SUM0`: a `SUM` that is 0 on no rows) is not callable from SQL, but {@link createAggsHandle}
 * and {@link inferAggregateType} accept it for plans that need it.
 *
 * @category Functions
 * @since 0.1.0
 */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  'COUNT',
  'SUM',
  'AVG',
  'MIN',
  'MAX',
  'FIRST_VALUE',
  'LAST_VALUE',
  'LISTAGG',
  'COLLECT',
  'STDDEV_POP',
  'STDDEV_SAMP',
  'STDDEV',
  'VAR_POP',
  'VAR_SAMP',
  'VARIANCE',
  'BOOL_AND',
  'BOOL_OR',
])

/** The canonical name of a built-in aggregate (`STDDEV` -> `STDDEV_SAMP`), upper case. */
export const canonicalAggregateName = (name: string): string => {
  const n = name.toUpperCase()
  return n === 'STDDEV' ? 'STDDEV_SAMP' : n === 'VARIANCE' ? 'VAR_SAMP' : n === '$SUM0' ? 'SUM0' : n
}

/**
 * Where an aggregate call appears, for the nullability of its result (as Calcite's
 * `ARG0_NULLABLE_IF_EMPTY`).
 *
 * @category Functions
 * @since 0.1.0
 */
export interface AggregateTypeContext {
  /**
   * The number of grouping keys of the aggregation (`GROUP BY` columns, window columns
   * included). 0, the default, is a global aggregation: it can see no rows at all, so `SUM`, `MIN`,
   * `AVG`... become nullable.
   */
  readonly groupCount?: number
  /** Whether the call has `FILTER (WHERE ...)` (it can see no rows, so its result is nullable). */
  readonly hasFilter?: boolean
}

const cannotApply = (name: string, argTypes: readonly DataType[], forms: string): string =>
  `Cannot apply '${name}' to arguments of type '${name}(${argTypes.map((t) => `<${formatType(t)}>`).join(', ')})'. Supported form(s): ${forms}`

const arity = (name: string, n: number): string => `Invalid number of arguments to function '${name}'. Was expecting ${n} arguments`

const isComparable = (t: DataType): boolean =>
  t.kind !== 'ARRAY' && t.kind !== 'MULTISET' && t.kind !== 'MAP' && t.kind !== 'ROW' && t.kind !== 'NULL'

/**
 * The result type of a built-in aggregate call, as Flink infers it, or a message saying why the
 * arguments do not fit.
 *
 * @remarks
 * - `COUNT(*)`, `COUNT(x, ...)`: `BIGINT NOT NULL`.
 * - `SUM(x)`: the argument's type (`TINYINT`, `SMALLINT` and `INT` sums wrap around on overflow,
 *   as in Flink), `DECIMAL(p, s)` gives `DECIMAL(38, s)`. `SUM0`: the same, `NOT NULL`.
 * - `AVG(x)`: the argument's type (`AVG` of an `INT` column is an `INT`: integer division,
 *   truncated), `DECIMAL(p, s)` gives `DECIMAL(38, max(6, s))`.
 * - `STDDEV_POP`, `STDDEV_SAMP`, `VAR_POP`, `VAR_SAMP`: as `AVG` (Flink rewrites them into sums
 *   of the argument's type, so an `INT` column gives a truncated `INT`); always nullable.
 * - `MIN`, `MAX`, `FIRST_VALUE`, `LAST_VALUE`: the argument's type.
 * - `LISTAGG(x[, sep])`: `STRING`, nullable. `COLLECT(x)`: `MULTISET<x> NOT NULL`.
 * - `BOOL_AND`, `BOOL_OR`: `BOOLEAN`.
 *
 * Nullability otherwise follows Calcite: nullable when the argument is, and also when the call
 * can see no rows (a global aggregation, or a `FILTER`); see {@link AggregateTypeContext}.
 * `DISTINCT` does not change the type. User-defined aggregates are typed by their definitions,
 * not here.
 *
 * @category Functions
 * @since 0.1.0
 */
export const inferAggregateType = (
  name: string,
  argTypes: readonly DataType[],
  distinct: boolean,
  context: AggregateTypeContext = {},
): DataType | string => {
  void distinct
  const n = canonicalAggregateName(name)
  const shown = name.toUpperCase()
  const mayBeEmpty = (context.groupCount ?? 0) === 0 || context.hasFilter === true
  const arg0 = argTypes[0]
  const nullableIfEmpty = (t: DataType): DataType => withNullability(t, t.nullable || mayBeEmpty)
  const one = (): string | undefined => (argTypes.length !== 1 ? arity(shown, 1) : undefined)
  switch (n) {
    case 'COUNT':
      return DataTypes.BIGINT(false)
    case 'SUM':
    case 'SUM0': {
      const bad = one()
      if (bad !== undefined) return bad
      if (!isNumeric(arg0!)) return cannotApply(shown, argTypes, `'${shown}(<NUMERIC>)'`)
      const t = arg0!.kind === 'DECIMAL' ? DataTypes.DECIMAL(38, arg0!.scale, arg0!.nullable) : withNullability(arg0!, arg0!.nullable)
      return n === 'SUM0' ? withNullability(t, false) : nullableIfEmpty(t)
    }
    case 'AVG':
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP': {
      const bad = one()
      if (bad !== undefined) return bad
      if (!isNumeric(arg0!)) return cannotApply(shown, argTypes, `'${shown}(<NUMERIC>)'`)
      const t = arg0!.kind === 'DECIMAL' ? DataTypes.DECIMAL(38, Math.max(6, arg0!.scale), arg0!.nullable) : arg0!
      return n === 'AVG' ? nullableIfEmpty(t) : withNullability(t, true)
    }
    case 'MIN':
    case 'MAX': {
      const bad = one()
      if (bad !== undefined) return bad
      if (!isComparable(arg0!)) return cannotApply(shown, argTypes, `'${shown}(<COMPARABLE_TYPE>)'`)
      return nullableIfEmpty(withoutAttribute(arg0!))
    }
    case 'FIRST_VALUE':
    case 'LAST_VALUE': {
      const bad = one()
      if (bad !== undefined) return bad
      if (arg0!.kind === 'NULL') return cannotApply(shown, argTypes, `'${shown}(<ANY>)'`)
      return nullableIfEmpty(withoutAttribute(arg0!))
    }
    case 'LISTAGG': {
      if (argTypes.length !== 1 && argTypes.length !== 2) return `Invalid number of arguments to function '${shown}'. Was expecting 1 or 2 arguments`
      if (!argTypes.every(isString)) return cannotApply(shown, argTypes, `'${shown}(<CHARACTER>)', '${shown}(<CHARACTER>, <CHARACTER>)'`)
      return DataTypes.STRING(true)
    }
    case 'COLLECT': {
      const bad = one()
      if (bad !== undefined) return bad
      if (arg0!.kind === 'NULL') return cannotApply(shown, argTypes, `'${shown}(<ANY>)'`)
      return DataTypes.MULTISET(withoutAttribute(arg0!), false)
    }
    case 'BOOL_AND':
    case 'BOOL_OR': {
      const bad = one()
      if (bad !== undefined) return bad
      if (arg0!.kind !== 'BOOLEAN') return cannotApply(shown, argTypes, `'${shown}(<BOOLEAN>)'`)
      return nullableIfEmpty(arg0!)
    }
    default:
      return `No match found for function signature ${shown}(${argTypes.map((t) => `<${formatType(t)}>`).join(', ')})`
  }
}

/** The type without a time attribute (an aggregate of a rowtime column is a plain timestamp). */
const withoutAttribute = (t: DataType): DataType => {
  if ((t.kind === 'TIMESTAMP' || t.kind === 'TIMESTAMP_LTZ') && t.timeAttribute !== undefined) {
    const { timeAttribute: _, ...rest } = t
    return rest
  }
  return t
}

/**
 * How {@link createAggsHandle} builds its accumulators.
 *
 * @category Functions
 * @since 0.1.0
 */
export interface AggsHandleOptions {
  /**
   * Whether the handle must support `retract` (default `true`). With `false`, `MIN`, `MAX`,
   * `FIRST_VALUE`, `LAST_VALUE` and `LISTAGG` keep only their current result instead of every
   * value they saw (as Flink's non-retracting variants), `DISTINCT` calls only which of them saw
   * each value instead of counts, and `retract` throws for them; choose it for insert-only
   * inputs.
   */
  readonly retraction?: boolean
  /**
   * Whether to generate straight-line code for the per-record steps (`accumulate`, `retract`,
   * `writeValues` and their `*At` forms) of the common functions (default `true`); `false` runs
   * a loop over the calls instead. Both compute the same.
   */
  readonly compile?: boolean
}

/** Which arguments must be non-null for a row to count. */
const enum NullCheck {
  None = 0,
  First = 1,
  All = 2,
}

const describeCall = (c: AggregateCall): string =>
  `${c.name.toUpperCase()}(${c.distinct ? 'DISTINCT ' : ''}${c.args.length === 0 ? '*' : c.args.map((a) => `$${a}`).join(', ')})${c.alias === undefined ? '' : ` AS ${c.alias}`}`

const implOf = (call: AggregateCall, retraction: boolean): AggImpl => {
  if (call.udaf !== undefined) return new UdafImpl(call.udaf, call.args)
  const name = canonicalAggregateName(call.name)
  const arg = call.args.length > 0 ? call.args[0]! : -1
  const argType = call.argTypes[0]
  switch (name) {
    case 'COUNT':
      return new CountImpl()
    case 'SUM':
      return new SumImpl(arg, argType!)
    case 'SUM0':
      return new Sum0Impl(arg, argType!)
    case 'AVG':
      return new AvgImpl(arg, argType!)
    case 'MIN':
    case 'MAX':
      return retraction ? new MinMaxRetractImpl(arg, argType!, name === 'MAX') : new MinMaxImpl(arg, name === 'MAX', argType)
    case 'FIRST_VALUE':
    case 'LAST_VALUE':
      return retraction ? new FirstLastRetractImpl(arg, name === 'LAST_VALUE') : new FirstLastImpl(arg, name === 'LAST_VALUE')
    case 'LISTAGG': {
      const sep = call.args.length > 1 ? call.args[1]! : -1
      return retraction ? new ListAggRetractImpl(arg, sep) : new ListAggImpl(arg, sep)
    }
    case 'COLLECT':
      return new CollectImpl(arg, argType!)
    case 'STDDEV_POP':
    case 'STDDEV_SAMP':
    case 'VAR_POP':
    case 'VAR_SAMP':
      return new VarianceImpl(arg, argType!, name.startsWith('STDDEV'), name.endsWith('_POP'))
    case 'BOOL_AND':
    case 'BOOL_OR':
      return new BoolImpl(arg, name === 'BOOL_AND')
    default:
      throw new SqlRuntimeError(`Unknown aggregate function ${describeCall(call)}: neither built in nor given as a user-defined aggregate (udaf).`)
  }
}

/**
 * Compiles aggregate calls into one {@link AggsHandle}: the accumulators of all calls in one
 * array, updated by a loop over the calls per row.
 *
 * @remarks
 * Semantics, as Flink's:
 * - NULL arguments are ignored: `COUNT(x)` counts the rows where `x` (every argument, with
 *   several) is not NULL, `SUM`, `AVG`, `MIN`... skip NULLs, and give NULL when they saw no
 *   non-null value (`SUM0` gives 0, `COUNT` 0, `COLLECT` an empty multiset). `COUNT(*)` counts
 *   rows. User-defined aggregates receive NULLs as they are.
 * - `FILTER (WHERE ...)` (`filterArg`): only rows whose filter field is `true` count.
 * - `DISTINCT`: each distinct argument value (tuple, with several arguments) counts once. The
 *   `DISTINCT` calls over the same arguments share one map of the distinct values (as Flink's
 *   distinct views), whatever their `FILTER` and function: q16's eight `COUNT(DISTINCT ...)
 *   FILTER (...)` keep two maps, one lookup each per row. With `options.retraction` the map
 *   keeps, per value, a count of its rows per call, so `DISTINCT` retracts and merges exactly;
 *   without, only which calls saw the value (a bit mask), and `retract` throws for them.
 * - Retraction (`retract`): every built-in function retracts; with `options.retraction`
 *   (default) `MIN`/`MAX` keep a multiset of their values (a map value -> count, the extreme
 *   recomputed lazily when it is retracted), `FIRST_VALUE`/`LAST_VALUE`/`LISTAGG` the list of their
 *   values (retracting a value removes its first occurrence), as Flink's `*WithRetract`
 *   variants. A user-defined aggregate retracts when it has `retract`.
 * - Merging (`merge`, for sliced and session windows): every built-in function merges; merging
 *   never changes `other`. `FIRST_VALUE`/`LAST_VALUE`/`LISTAGG` treat `other` as coming after
 *   `accs`.
 * - Exact numerics: `TINYINT`/`SMALLINT`/`INT` sums wrap around as in Flink, `DECIMAL` sums are
 *   rounded to the scale after each step, `AVG` of integers truncates; `FLOAT` results are
 *   rounded to single precision.
 *
 * Accumulators are plain data (numbers, strings, arrays, `Map`s), so they live in keyed state of
 * either backend and in checkpoints. Per record the handle allocates nothing beyond what an
 * accumulator keeps (a new distinct value, a value of `MIN`/`MAX` with retraction...).
 *
 * @throws SqlRuntimeError for a call that is neither built in nor has a `udaf`
 * @category Functions
 * @since 0.1.0
 */
export const createAggsHandle = (calls: readonly AggregateCall[], options: AggsHandleOptions = {}): AggsHandle => {
  const retraction = options.retraction ?? true
  const impls: AggImpl[] = []
  const filters: number[] = []
  const checks: NullCheck[] = []
  for (const call of calls) {
    impls.push(implOf(call, retraction))
    filters.push(call.filterArg ?? -1)
    const name = canonicalAggregateName(call.name)
    checks.push(call.udaf !== undefined || call.args.length === 0 ? NullCheck.None : name === 'COUNT' && call.args.length > 1 ? NullCheck.All : NullCheck.First)
  }
  // the DISTINCT calls over the same arguments (and NULL check) share one map of their values
  const groups: DistinctGroup[] = []
  const groupOf = calls.map(() => -1)
  const memberOf = calls.map(() => -1)
  const byArgs = new Map<string, number[][]>()
  calls.forEach((call, i) => {
    if (!call.distinct) return
    const key = `${checks[i]!}:${call.args.join(',')}`
    let chunks = byArgs.get(key)
    if (chunks === undefined) byArgs.set(key, (chunks = [[]]))
    if (chunks[chunks.length - 1]!.length === MAX_DISTINCT_MEMBERS) chunks.push([])
    chunks[chunks.length - 1]!.push(i)
  })
  for (const chunks of byArgs.values())
    for (const members of chunks) {
      const first = calls[members[0]!]!
      members.forEach((i, j) => {
        groupOf[i] = groups.length
        memberOf[i] = j
      })
      groups.push(new DistinctGroup(members.map((i) => ({ slot: i, inner: impls[i]! })), first.args, first.argTypes, retraction))
    }
  const layout: Layout = { impls, filters, checks, args: calls.map((c) => c.args), groups, groupOf, memberOf }
  return new BuiltinAggsHandle(calls.map(describeCall), layout, options.compile ?? true)
}

/**
 * An {@link AggsHandle} that also works on accumulators stored inline at any offset of a larger
 * array, so an operator can keep several sets of accumulators (a key's window slices) in one
 * state entry instead of one array each.
 *
 * @remarks
 * Call `i`'s accumulator is `h[base + i]`. The `*At` methods do what their namesakes do, with
 * the same semantics (NULLs, `FILTER`, `DISTINCT`, retraction, merge order); they allocate
 * nothing per record beyond what an accumulator keeps.
 *
 * @category Functions
 * @since 0.1.0
 */
export interface SlottedAggsHandle extends AggsHandle {
  /** Writes new accumulators into `h[base]`, `h[base + 1]`, ... */
  createAt(h: unknown[], base: number): void
  /** Adds a row (its fields) to the accumulators at `base`. */
  accumulateAt(h: unknown[], base: number, fields: readonly unknown[]): void
  /** Takes a row back out of the accumulators at `base`; throws if some call cannot retract. */
  retractAt(h: unknown[], base: number, fields: readonly unknown[]): void
  /** Merges the accumulators at `otherBase` of `other` into those at `base` of `h`, leaving `other` unchanged. */
  mergeAt(h: unknown[], base: number, other: readonly unknown[], otherBase: number): void
  /** Writes the results of the accumulators at `base` into `target` from `offset` on. */
  writeValuesAt(h: readonly unknown[], base: number, target: unknown[], offset: number): void
}

/**
 * {@link createAggsHandle}, as a {@link SlottedAggsHandle}: the same handle, also usable on
 * accumulators stored inline in a larger array.
 *
 * @throws SqlRuntimeError for a call that is neither built in nor has a `udaf`
 * @category Functions
 * @since 0.1.0
 */
export const createSlottedAggsHandle = (calls: readonly AggregateCall[], options: AggsHandleOptions = {}): SlottedAggsHandle =>
  createAggsHandle(calls, options) as BuiltinAggsHandle

/** What the generated code of a handle reaches as `H`. */
const HELPERS = { roundDecimal, compareStrings }

/**
 * The calls of a handle, compiled: call `i`'s function, `FILTER` field (-1: none), NULL check
 * and argument fields; and the groups of `DISTINCT` calls sharing a map of values (call `i` is
 * member `memberOf[i]` of group `groupOf[i]`, or not in a group: -1).
 */
interface Layout {
  /** Call `i`'s function (for a `DISTINCT` call, the function over the distinct values). */
  readonly impls: readonly AggImpl[]
  readonly filters: readonly number[]
  readonly checks: readonly NullCheck[]
  readonly args: readonly (readonly number[])[]
  readonly groups: readonly DistinctGroup[]
  readonly groupOf: readonly number[]
  readonly memberOf: readonly number[]
}

/** The per-record steps of a handle, as functions (generated, or loops over the calls). */
interface Steps {
  accumulateAt(h: unknown[], base: number, fields: readonly unknown[]): void
  retractAt(h: unknown[], base: number, fields: readonly unknown[]): void
  writeValuesAt(h: readonly unknown[], base: number, target: unknown[], offset: number): void
}

/** Source of the NULL check of arguments `a` (`v` holds the first): an expression, or `undefined` for none. */
const nullCheckCode = (check: NullCheck, a: readonly number[], v: string): string | undefined =>
  check === NullCheck.First
    ? `${v} !== null && ${v} !== undefined`
    : check === NullCheck.All
      ? a.map((x) => `f[${x}] !== null && f[${x}] !== undefined`).join(' && ')
      : undefined

/**
 * Generates the per-record steps of a handle as straight-line JavaScript: per call, its `FILTER`
 * and NULL checks, then its implementation's inline code or a call of it; per group of `DISTINCT`
 * calls, the NULL check, the mask of the members whose filter the row passes, and one call of the
 * group. No closure, no array and no dispatch over the calls per record. The source holds only
 * numbers (field indices, scales), never user text.
 */
const generateSteps = (l: Layout): Steps => {
  const { impls, filters, checks, args, groups, groupOf, memberOf } = l
  const step = (kind: 'add' | 'sub'): string => {
    const out: string[] = []
    for (let i = 0; i < impls.length; i++) {
      const a = args[i]!
      const v = `v${i}`
      let body: string
      if (groupOf[i]! >= 0) {
        // a group of DISTINCT calls, written where its lead member is
        if (memberOf[i] !== 0) continue
        const g = groupOf[i]!
        let always = 0
        const masks: string[] = []
        for (let k = 0; k < impls.length; k++) {
          if (groupOf[k] !== g) continue
          const bit = 1 << memberOf[k]!
          if (filters[k]! < 0) always |= bit
          else masks.push(`if (f[${filters[k]!}] === true) m |= ${bit};`)
        }
        // inline code reads the distinct value from `v`, which the NULL check below defines
        const inline = kind === 'add' && checks[i] !== NullCheck.None ? groups[g]!.addCode(v, 'm') : undefined
        body = `let m = ${always}; ${masks.join(' ')} if (m !== 0) ${inline ?? `G[${g}].${kind}(h, b, f, m);`}`
      } else {
        const inline = impls[i]!.inline?.[kind]
        body = inline === undefined ? `I[${i}].${kind}(h, b + ${i}, f);` : inline(`h[b + ${i}]`, v)
        if (filters[i]! >= 0) body = `if (f[${filters[i]!}] === true) { ${body} }`
      }
      const check = nullCheckCode(checks[i]!, a, v)
      if (check !== undefined) body = `{ const ${v} = f[${a[0]!}]; if (${check}) { ${body} } }`
      out.push(body)
    }
    return out.join('\n')
  }
  const values: string[] = []
  for (let i = 0; i < impls.length; i++) {
    const inline = impls[i]!.inline?.value
    // a group's lead keeps its accumulator inside the group's `[map, values, acc]`
    const slot = memberOf[i] === 0 ? `h[b + ${i}][2]` : `h[b + ${i}]`
    values.push(`t[o + ${i}] = ${inline === undefined ? `I[${i}].value(${slot})` : inline(slot)};`)
  }
  const source = `"use strict";
return {
  accumulateAt(h, b, f) {
${step('add')}
  },
  retractAt(h, b, f) {
${step('sub')}
  },
  writeValuesAt(h, b, t, o) {
${values.join('\n')}
  },
}`
  return new Function('I', 'G', 'H', source)(impls, groups, HELPERS) as Steps
}

/** The handle: the calls' implementations side by side, with generated (or looping) per-record steps. */
class BuiltinAggsHandle implements SlottedAggsHandle {
  readonly retractable: boolean
  readonly mergeable: boolean
  private readonly n: number
  private readonly impls: readonly AggImpl[]
  private readonly filters: readonly number[]
  private readonly checks: readonly NullCheck[]
  private readonly args: readonly (readonly number[])[]
  private readonly groups: readonly DistinctGroup[]
  private readonly groupOf: readonly number[]
  private readonly memberOf: readonly number[]
  /** The generated steps, or `undefined` to loop over the calls. */
  private readonly steps: Steps | undefined

  constructor(
    private readonly names: readonly string[],
    layout: Layout,
    compile: boolean,
  ) {
    this.impls = layout.impls
    this.filters = layout.filters
    this.checks = layout.checks
    this.args = layout.args
    this.groups = layout.groups
    this.groupOf = layout.groupOf
    this.memberOf = layout.memberOf
    this.n = this.impls.length
    this.retractable = this.impls.every((_, i) => this.canRetract(i))
    this.mergeable = this.impls.every((_, i) => this.canMerge(i))
    this.steps = compile ? generateSteps(layout) : undefined
  }

  private canRetract(i: number): boolean {
    const g = this.groupOf[i]!
    return g >= 0 ? this.groups[g]!.retractable : this.impls[i]!.retractable
  }

  private canMerge(i: number): boolean {
    const g = this.groupOf[i]!
    return g >= 0 ? this.groups[g]!.mergeable : this.impls[i]!.mergeable
  }

  createAccumulators(): unknown[] {
    const accs = new Array<unknown>(this.n)
    this.createAt(accs, 0)
    return accs
  }

  createAt(h: unknown[], base: number): void {
    const impls = this.impls
    for (let i = 0; i < this.n; i++) if (this.groupOf[i]! < 0) h[base + i] = impls[i]!.create()
    for (const g of this.groups) g.create(h, base)
  }

  /** Whether the row's arguments pass call `i`'s NULL check. */
  private notNull(i: number, fields: readonly unknown[]): boolean {
    const check = this.checks[i]!
    if (check === NullCheck.None) return true
    const args = this.args[i]!
    if (check === NullCheck.First) {
      const v = fields[args[0]!]
      return v !== null && v !== undefined
    }
    for (let k = 0; k < args.length; k++) {
      const v = fields[args[k]!]
      if (v === null || v === undefined) return false
    }
    return true
  }

  /** Whether the row counts for call `i`: its filter is true and its arguments are not NULL. */
  private counts(i: number, fields: readonly unknown[]): boolean {
    const f = this.filters[i]!
    if (f >= 0 && fields[f] !== true) return false
    return this.notNull(i, fields)
  }

  /** The mask of the members of the group whose lead is call `i` that a row counts for (0: none). */
  private maskOf(i: number, fields: readonly unknown[]): number {
    if (!this.notNull(i, fields)) return 0
    const g = this.groupOf[i]!
    let m = 0
    for (let k = 0; k < this.n; k++) {
      if (this.groupOf[k] !== g) continue
      const f = this.filters[k]!
      if (f < 0 || fields[f] === true) m |= 1 << this.memberOf[k]!
    }
    return m
  }

  accumulate(accs: unknown[], fields: readonly unknown[]): void {
    this.accumulateAt(accs, 0, fields)
  }

  accumulateAt(h: unknown[], base: number, fields: readonly unknown[]): void {
    const steps = this.steps
    if (steps !== undefined) return steps.accumulateAt(h, base, fields)
    const impls = this.impls
    for (let i = 0; i < this.n; i++) {
      const g = this.groupOf[i]!
      if (g < 0) {
        if (this.counts(i, fields)) impls[i]!.add(h, base + i, fields)
      } else if (this.memberOf[i] === 0) {
        const m = this.maskOf(i, fields)
        if (m !== 0) this.groups[g]!.add(h, base, fields, m)
      }
    }
  }

  retract(accs: unknown[], fields: readonly unknown[]): void {
    this.retractAt(accs, 0, fields)
  }

  retractAt(h: unknown[], base: number, fields: readonly unknown[]): void {
    if (!this.retractable) throw this.cannot('retract')
    const steps = this.steps
    if (steps !== undefined) return steps.retractAt(h, base, fields)
    const impls = this.impls
    for (let i = 0; i < this.n; i++) {
      const g = this.groupOf[i]!
      if (g < 0) {
        if (this.counts(i, fields)) impls[i]!.sub(h, base + i, fields)
      } else if (this.memberOf[i] === 0) {
        const m = this.maskOf(i, fields)
        if (m !== 0) this.groups[g]!.sub(h, base, fields, m)
      }
    }
  }

  merge(accs: unknown[], other: readonly unknown[]): void {
    this.mergeAt(accs, 0, other, 0)
  }

  mergeAt(h: unknown[], base: number, other: readonly unknown[], otherBase: number): void {
    if (!this.mergeable) throw this.cannot('merge')
    const impls = this.impls
    for (let i = 0; i < this.n; i++) if (this.groupOf[i]! < 0) impls[i]!.merge(h, base + i, other[otherBase + i])
    for (const g of this.groups) g.merge(h, base, other, otherBase)
  }

  getValue(accs: readonly unknown[]): unknown[] {
    const out = new Array<unknown>(this.n)
    this.writeValues(accs, out, 0)
    return out
  }

  writeValues(accs: readonly unknown[], target: unknown[], offset: number): void {
    this.writeValuesAt(accs, 0, target, offset)
  }

  writeValuesAt(h: readonly unknown[], base: number, target: unknown[], offset: number): void {
    const steps = this.steps
    if (steps !== undefined) return steps.writeValuesAt(h, base, target, offset)
    const impls = this.impls
    for (let i = 0; i < this.n; i++) {
      const g = this.groupOf[i]!
      target[offset + i] = g < 0 ? impls[i]!.value(h[base + i]) : this.groups[g]!.value(h, base, this.memberOf[i]!)
    }
  }

  private cannot(what: 'retract' | 'merge'): SqlRuntimeError {
    const which = this.names.filter((_, i) => !(what === 'retract' ? this.canRetract(i) : this.canMerge(i)))
    return new SqlRuntimeError(
      `Aggregate ${which.join(', ')} cannot ${what}: ${what === 'retract' ? 'the input has updates or deletes, which needs a retract method' : 'this window needs a merge method'} (built-in aggregates support both; a user-defined aggregate needs '${what}').`,
    )
  }
}
