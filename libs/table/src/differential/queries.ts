/**
 * The family of generated queries over the random tables, each rendered for Strom (Flink SQL)
 * and for DuckDB.
 *
 * @remarks
 * Families: projections and filters; group aggregations (keys that are columns or expressions,
 * `DISTINCT` and `FILTER` aggregates, `HAVING`); global aggregations; `SELECT DISTINCT`;
 * inner/left/right/full joins (on equalities, `IS NOT DISTINCT FROM`, computed keys, or no
 * equality at all, with an extra condition, sometimes with a third table); aggregations over
 * joins; `UNION [ALL]`; aggregations of aggregations and joins of aggregations; Top-N
 * (`ORDER BY .. LIMIT`, `ROW_NUMBER`/`RANK`/`DENSE_RANK`); `[NOT] IN` / `[NOT] EXISTS`
 * subqueries; TUMBLE/HOP/CUMULATE window TVFs (aggregated, plain, joined, Top-N); interval
 * joins; OVER aggregations with `RANGE` frames.
 *
 * Where Flink's semantics differ from DuckDB's, the DuckDB rendering computes Flink's:
 * - `AVG` of an integer type is integral in Flink (the sum divided by the count, truncated
 *   toward zero): DuckDB's `CAST(trunc(AVG(e)) AS BIGINT)`. `AVG` of a `DECIMAL(p, s)` is a
 *   `DECIMAL(38, max(6, s))` in Flink and a `DOUBLE` in DuckDB: compared at Flink's scale.
 * - `VAR_POP`/`VAR_SAMP`/`STDDEV_POP`/`STDDEV_SAMP` of an integer type are Flink's rewrite into
 *   integer sums (truncating divisions): DuckDB computes the same formula with `//`.
 * - a global aggregation (no `GROUP BY`) over an empty input gives one row in standard SQL and in
 *   Flink's BATCH mode, but none in STREAMING mode (nothing arrives to aggregate): the streaming
 *   expectation adds `HAVING COUNT(*) > 0` to DuckDB's query.
 * - window TVFs do not exist in DuckDB: their windows are computed from epoch milliseconds
 *   (`window_start = ts - ts % size`; HOP and CUMULATE by a cross join with the window offsets;
 *   `window_time = window_end - 1 ms`).
 * Orders (Top-N, OVER) are total or use peers (`RANGE`), and spell out `NULLS FIRST`/`LAST`
 * (Flink and DuckDB may default differently), so that both engines must pick the same rows.
 *
 * @packageDocumentation
 */
import fc from 'fast-check'
import { ExpressionGenerator, joinScopes, scopeOf, type Scope, type Typed } from './expressions.js'
import { KNOWN_DEVIATIONS } from './known-deviations.js'
import { tableDef, type SqlType } from './random-tables.js'

/** A generated query in both dialects. */
export interface GeneratedQuery {
  /** The family the query comes from (its test's name). */
  readonly family: string
  /** The query in Flink's dialect, for Strom. */
  readonly flink: string
  /** The query in DuckDB's dialect, with standard SQL semantics (what Flink's BATCH mode gives). */
  readonly duck: string
  /**
   * The types of the result's columns as Flink infers them (only their kind is compared: integer,
   * DECIMAL, DOUBLE, string, boolean, timestamp), when known.
   */
  readonly types?: readonly SqlType[]
  /** DuckDB's query for Strom's STREAMING result when it differs from {@link GeneratedQuery.duck}. */
  readonly duckStreaming?: string
  /** Whether the query aggregates without `GROUP BY` (one row in BATCH even for an empty input). */
  readonly globalAggregate?: boolean
}

const generators = new Map<string, ExpressionGenerator>()

/** The expression generator of a scope, one per key (memoized arbitraries are reused). */
const generatorFor = (key: string, scope: () => Scope): ExpressionGenerator => {
  let g = generators.get(key)
  if (g === undefined) {
    g = new ExpressionGenerator(scope())
    generators.set(key, g)
  }
  return g
}

/** The generator over one table's columns, unqualified. */
const tableGen = (name: string): ExpressionGenerator => generatorFor(name, () => scopeOf(tableDef(name).columns))

/** The generator over the qualified columns of several tables (a join). */
const joinGen = (...names: string[]): ExpressionGenerator =>
  generatorFor(names.join('+'), () => joinScopes(...names.map((n) => scopeOf(tableDef(n).columns, n))))

/** Renders `e1 AS c0, e2 AS c1, ...` in a dialect. */
const selectList = (items: readonly Typed[], dialect: 'flink' | 'duck', from = 0): string => items.map((e, i) => `${e[dialect]} AS c${i + from}`).join(', ')

/** The types of expressions. */
const typesOf = (items: readonly Typed[]): SqlType[] => items.map((e) => e.type)

/** `arb`'s values in `percent` % of the cases, else `undefined`. */
const sometimes = <T>(arb: fc.Arbitrary<T>, percent: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 100 - percent }, { arbitrary: arb, weight: percent })

// --- aggregates -------------------------------------------------------------------------------

const NUMERIC: readonly SqlType[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL']
const ORDERED: readonly SqlType[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'TIMESTAMP']

const agg = (flink: string, duck: string, type: SqlType): Typed => ({ flink, duck, type })

/** One aggregate call: its function, argument and DISTINCT flag, rendered with an optional `FILTER`. */
type AggKind = 'COUNT*' | 'COUNT' | 'SUM' | 'MIN' | 'MAX' | 'AVG' | 'VAR_POP' | 'VAR_SAMP' | 'STDDEV_POP' | 'STDDEV_SAMP'

/**
 * Renders an aggregate call for both engines.
 *
 * @remarks
 * DuckDB computes Flink's integer semantics where they differ: `AVG` of an integer type truncates
 * toward zero, and the variance family of an integer type is Flink's rewrite
 * `(SUM(x*x) - SUM(x)*SUM(x) / COUNT(x)) / COUNT(x)` (or `COUNT(x) - 1`) in integer arithmetic,
 * the square root truncated for `STDDEV_*`. `over` (an `OVER (..)` clause) follows every call.
 */
const renderAgg = (kind: AggKind, e: Typed | undefined, distinct: boolean, filter: Typed | undefined, over?: string): Typed => {
  const d = distinct ? 'DISTINCT ' : ''
  const call = (dialect: 'flink' | 'duck', fn: string, arg: string): string =>
    `${fn}(${d}${arg})${filter === undefined ? '' : ` FILTER (WHERE ${filter[dialect]})`}${over === undefined ? '' : ` ${over}`}`
  if (kind === 'COUNT*' || e === undefined) return agg(call('flink', 'COUNT', '*'), call('duck', 'COUNT', '*'), 'BIGINT')
  const flink = call('flink', kind, e.flink)
  const integer = e.type === 'INT' || e.type === 'BIGINT'
  switch (kind) {
    case 'COUNT':
      return agg(flink, call('duck', 'COUNT', e.duck), 'BIGINT')
    case 'AVG':
      return agg(flink, integer ? `CAST(trunc(${call('duck', 'AVG', e.duck)}) AS BIGINT)` : call('duck', 'AVG', e.duck), e.type)
    case 'VAR_POP':
    case 'VAR_SAMP':
    case 'STDDEV_POP':
    case 'STDDEV_SAMP': {
      if (!integer) return agg(flink, call('duck', kind, e.duck), e.type)
      const sum = call('duck', 'SUM', e.duck)
      const count = call('duck', 'COUNT', e.duck)
      const denominator = kind.endsWith('_POP') ? count : `(${count} - 1)`
      const variance = `((${call('duck', 'SUM', `(${e.duck}) * (${e.duck})`)} - (${sum} * ${sum}) // ${count}) // ${denominator})`
      return agg(flink, kind.startsWith('STDDEV') ? `CAST(trunc(sqrt(${variance})) AS BIGINT)` : variance, e.type)
    }
    default:
      return agg(flink, call('duck', kind, e.duck), e.type)
  }
}

/** An aggregate call over expressions of the generator's scope (argument depth 0 or 1), sometimes with a `FILTER`. */
export const aggregateArb = (gen: ExpressionGenerator): fc.Arbitrary<Typed> => {
  const arg = (t: SqlType): fc.Arbitrary<Typed> => fc.oneof({ arbitrary: gen.column(t), weight: 3 }, { arbitrary: gen.expr(t, 1), weight: 1 })
  const anyArg = fc.constantFrom(...ORDERED).chain(arg)
  const numeric = fc.constantFrom(...NUMERIC).chain(arg)
  const call: fc.Arbitrary<[AggKind, Typed | undefined, boolean]> = fc.oneof(
    fc.constant<[AggKind, Typed | undefined, boolean]>(['COUNT*', undefined, false]),
    fc.tuple(fc.constant<AggKind>('COUNT'), anyArg, fc.boolean()),
    fc.tuple(fc.constant<AggKind>('SUM'), numeric, fc.constant(false)),
    // DISTINCT sums only of exact types (a DOUBLE's distinct values may sum in any order)
    fc.tuple(fc.constant<AggKind>('SUM'), fc.constantFrom<SqlType>('INT', 'DECIMAL').chain(arg), fc.constant(true)),
    fc.tuple(fc.constantFrom<AggKind>('MIN', 'MAX'), anyArg, fc.boolean()),
    fc.tuple(fc.constant<AggKind>('AVG'), numeric, fc.constant(false)),
    // the variance family of integers (Flink's integer rewrite) and of DOUBLE columns (no square
    // root: Flink's rewrite may go a rounding error below zero where DuckDB's algorithm does not)
    fc.tuple(fc.constantFrom<AggKind>('VAR_POP', 'VAR_SAMP', 'STDDEV_POP', 'STDDEV_SAMP'), arg('INT'), fc.constant(false)),
    fc.tuple(fc.constantFrom<AggKind>('VAR_POP', 'VAR_SAMP'), gen.column('DOUBLE'), fc.constant(false)),
  )
  return fc
    .tuple(call, fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: gen.predicate(1), weight: 1 }))
    .map(([[kind, e, distinct], filter]) => renderAgg(kind, e, distinct, filter))
}

/** A `HAVING` condition: an aggregate compared with a literal, or tested for NULL. */
const havingArb = (gen: ExpressionGenerator): fc.Arbitrary<Typed> =>
  fc.oneof(
    fc.tuple(aggregateArb(gen).filter((a) => NUMERIC.includes(a.type)), fc.constantFrom('>', '>=', '<', '<>'), fc.integer({ min: -5, max: 5 })).map(([a, op, n]) => {
      const lit = n < 0 ? `(${n})` : String(n)
      return agg(`${a.flink} ${op} ${lit}`, `${a.duck} ${op} ${lit}`, 'BOOLEAN')
    }),
    fc.tuple(aggregateArb(gen), fc.constantFrom('IS NULL', 'IS NOT NULL')).map(([a, op]) => agg(`${a.flink} ${op}`, `${a.duck} ${op}`, 'BOOLEAN')),
  )

/** A grouping key: mostly a column (small domains), sometimes an INT or STRING expression. */
const keyArb = (gen: ExpressionGenerator): fc.Arbitrary<Typed> => {
  const cols = gen.scope.columns.filter((c) => c.type !== 'DOUBLE')
  // not an integer literal: DuckDB reads `GROUP BY 2` as the second select item
  const expr = fc.oneof(gen.expr('INT', 1), gen.expr('STRING', 1)).filter((k) => !/^\(?-?\d+\)?$/.test(k.duck))
  return fc.oneof({ arbitrary: fc.constantFrom(...cols), weight: 4 }, { arbitrary: expr, weight: 2 })
}

/** The parts of an aggregating query over some `FROM` clause. */
interface AggregateParts {
  readonly keys: readonly Typed[]
  readonly aggs: readonly Typed[]
  readonly where: Typed | undefined
  readonly having: Typed | undefined
}

const aggregatePartsArb = (gen: ExpressionGenerator, minKeys: number): fc.Arbitrary<AggregateParts> =>
  fc.record({
    keys: fc.uniqueArray(keyArb(gen), { minLength: minKeys, maxLength: 2, selector: (k) => k.flink }),
    aggs: fc.array(aggregateArb(gen), { minLength: 1, maxLength: 3 }),
    where: sometimes(gen.predicate(2), 40),
    having: sometimes(havingArb(gen), 30),
  })

/** Renders `SELECT keys, aggs FROM .. WHERE .. GROUP BY keys HAVING ..` in both dialects. */
const renderAggregate = (family: string, p: AggregateParts, from: { flink: string; duck: string }): GeneratedQuery => {
  const render = (dialect: 'flink' | 'duck', extraHaving?: string): string => {
    const items = [...p.keys, ...p.aggs]
    const where = p.where === undefined ? '' : ` WHERE ${p.where[dialect]}`
    const groupBy = p.keys.length === 0 ? '' : ` GROUP BY ${p.keys.map((k) => k[dialect]).join(', ')}`
    const havings = [...(p.having === undefined ? [] : [p.having[dialect]]), ...(extraHaving === undefined ? [] : [extraHaving])]
    const having = havings.length === 0 ? '' : ` HAVING ${havings.map((h) => `(${h})`).join(' AND ')}`
    return `SELECT ${selectList(items, dialect)} FROM ${from[dialect]}${where}${groupBy}${having}`
  }
  const global = p.keys.length === 0
  return {
    family,
    flink: render('flink'),
    duck: render('duck'),
    types: typesOf([...p.keys, ...p.aggs]),
    ...(global ? { duckStreaming: render('duck', 'COUNT(*) > 0'), globalAggregate: true } : {}),
  }
}

const same2 = (text: string): { flink: string; duck: string } => ({ flink: text, duck: text })

// --- families ---------------------------------------------------------------------------------

/** `SELECT [DISTINCT] expressions FROM t [WHERE predicate]`. */
export const projectionQuery: fc.Arbitrary<GeneratedQuery> = fc.constantFrom('a', 'b', 'c').chain((table) => {
  const gen = tableGen(table)
  return fc
    .record({
      distinct: fc.boolean(),
      items: fc.integer({ min: 1, max: 3 }).chain((depth) =>
        fc.array(fc.oneof({ arbitrary: gen.anyValue(depth), weight: 4 }, { arbitrary: gen.predicate(depth), weight: 1 }), { minLength: 1, maxLength: 4 }),
      ),
      where: sometimes(gen.predicate(2), 50),
    })
    .map(({ distinct, items, where }): GeneratedQuery => {
      const render = (dialect: 'flink' | 'duck'): string =>
        `SELECT ${distinct ? 'DISTINCT ' : ''}${selectList(items, dialect)} FROM ${table}${where === undefined ? '' : ` WHERE ${where[dialect]}`}`
      return { family: 'projection', flink: render('flink'), duck: render('duck'), types: typesOf(items) }
    })
})

/** A group aggregation over one table (one or two keys). */
export const groupAggregateQuery: fc.Arbitrary<GeneratedQuery> = fc
  .constantFrom('a', 'b')
  .chain((table) => aggregatePartsArb(tableGen(table), 1).map((p) => renderAggregate('group-aggregate', p, same2(table))))

/** A global aggregation (no `GROUP BY`) over one table. */
export const globalAggregateQuery: fc.Arbitrary<GeneratedQuery> = fc
  .constantFrom('a', 'b')
  .chain((table) =>
    aggregatePartsArb(tableGen(table), 0).map((p) => renderAggregate('global-aggregate', { ...p, keys: [] }, same2(table))),
  )

/** The equi-join conditions between two tables, in both dialects. */
const JOIN_KEYS: Readonly<Record<string, readonly string[][]>> = {
  'a+b': [
    ['a.k = b.k'],
    ['a.k = b.k', 'a.g = b.g'],
    ['a.g = b.g'],
    ['a.s = b.s'],
    // NULL keys match each other
    ['a.k IS NOT DISTINCT FROM b.k'],
    // keys computed on both sides
    ['a.k + 1 = b.k'],
    ['UPPER(a.s) = UPPER(b.s)'],
    // no equality at all (one global join)
    ['a.x < b.y'],
  ],
  'a+c': [['a.g = c.g'], ['a.g IS NOT DISTINCT FROM c.g']],
  'b+c': [['b.g = c.g']],
}

/** The `FROM` clause of a join with its expression generator. */
interface JoinFrom {
  readonly gen: ExpressionGenerator
  readonly from: { flink: string; duck: string }
}

const JOIN_TYPES = ['INNER JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN'] as const

/** A join of two tables (sometimes of a third, `c`, to the first two) on equalities plus an optional extra condition. */
const joinFromArb: fc.Arbitrary<JoinFrom> = fc.constantFrom('a+b', 'a+b', 'a+c', 'b+c').chain((pair) => {
  const [l, r] = pair.split('+') as [string, string]
  const third = pair === 'a+b'
  return fc
    .record({
      type: fc.constantFrom(...JOIN_TYPES),
      keys: fc.constantFrom(...JOIN_KEYS[pair]!),
      extra: sometimes(joinGen(l, r).predicate(1), 40),
      thirdType: third ? sometimes(fc.constantFrom('INNER JOIN', 'LEFT JOIN'), 25) : fc.constant(undefined),
    })
    .map(({ type, keys, extra, thirdType }): JoinFrom => {
      const gen = thirdType === undefined ? joinGen(l, r) : joinGen(l, r, 'c')
      const render = (dialect: 'flink' | 'duck'): string => {
        const on = [...keys, ...(extra === undefined ? [] : [extra[dialect]])].join(' AND ')
        const base = `${l} ${type} ${r} ON ${on}`
        return thirdType === undefined ? base : `${base} ${thirdType} c ON b.g = c.g`
      }
      return { gen, from: { flink: render('flink'), duck: render('duck') } }
    })
})

/** `SELECT [DISTINCT] expressions FROM <join> [WHERE predicate]`. */
export const joinQuery: fc.Arbitrary<GeneratedQuery> = joinFromArb.chain(({ gen, from }) =>
  fc
    .record({
      distinct: fc.boolean(),
      items: fc.array(gen.anyValue(1), { minLength: 1, maxLength: 4 }),
      where: sometimes(gen.predicate(1), 40),
    })
    .map(({ distinct, items, where }): GeneratedQuery => {
      const render = (dialect: 'flink' | 'duck'): string =>
        `SELECT ${distinct ? 'DISTINCT ' : ''}${selectList(items, dialect)} FROM ${from[dialect]}${where === undefined ? '' : ` WHERE ${where[dialect]}`}`
      return { family: 'join', flink: render('flink'), duck: render('duck'), types: typesOf(items) }
    }),
)

/** A group aggregation over a join (retractions from outer joins into retracting aggregates). */
export const joinAggregateQuery: fc.Arbitrary<GeneratedQuery> = joinFromArb.chain(({ gen, from }) =>
  aggregatePartsArb(gen, 1).map((p) => renderAggregate('join-aggregate', p, from)),
)

/** `UNION ALL` / `UNION` of projections of `a` and `b`, sometimes aggregated. */
export const unionQuery: fc.Arbitrary<GeneratedQuery> = fc
  .array(fc.constantFrom<SqlType>('INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'TIMESTAMP'), { minLength: 1, maxLength: 3 })
  .chain((types) => {
    const side = (table: string): fc.Arbitrary<{ items: Typed[]; where: Typed | undefined }> => {
      const gen = tableGen(table)
      return fc.record({ items: fc.tuple(...types.map((t) => gen.expr(t, 1))), where: sometimes(gen.predicate(1), 40) })
    }
    return fc.record({ left: side('a'), right: side('b'), all: fc.boolean(), aggregated: fc.boolean() })
  })
  .map(({ left, right, all, aggregated }): GeneratedQuery => {
    const render = (dialect: 'flink' | 'duck'): string => {
      const part = (table: string, s: { items: Typed[]; where: Typed | undefined }): string =>
        `SELECT ${selectList(s.items, dialect)} FROM ${table}${s.where === undefined ? '' : ` WHERE ${s.where[dialect]}`}`
      const union = `${part('a', left)} UNION${all ? ' ALL' : ''} ${part('b', right)}`
      if (!aggregated) return union
      const second = left.items.length > 1 ? ', MIN(c1) AS c2, MAX(c1) AS c3, COUNT(c1) AS c4' : ''
      return `SELECT c0, COUNT(*) AS c1${second} FROM (${union}) u GROUP BY c0`
    }
    const t = typesOf(left.items)
    const types: SqlType[] = !aggregated ? t : left.items.length > 1 ? [t[0]!, 'BIGINT', t[1]!, t[1]!, 'BIGINT'] : [t[0]!, 'BIGINT']
    return { family: 'union', flink: render('flink'), duck: render('duck'), types }
  })

/** An aggregation of an aggregation, or a join of an aggregation with `b`. */
export const nestedAggregateQuery: fc.Arbitrary<GeneratedQuery> = fc.constantFrom('a', 'b').chain((table) => {
  const gen = tableGen(table)
  return fc
    .record({
      key: fc.constantFrom(...gen.scope.columns.filter((c) => ['k', 'g', 's'].includes(c.flink))),
      inner: aggregateArb(gen),
      where: sometimes(gen.predicate(1), 40),
      shape: fc.constantFrom('regroup', 'join'),
      joinType: fc.constantFrom(...JOIN_TYPES),
    })
    .map(({ key, inner, where, shape, joinType }): GeneratedQuery => {
      const render = (dialect: 'flink' | 'duck'): string => {
        const w = where === undefined ? '' : ` WHERE ${where[dialect]}`
        const sub = `SELECT ${key[dialect]} AS c0, ${inner[dialect]} AS c1, COUNT(*) AS c2 FROM ${table}${w} GROUP BY ${key[dialect]}`
        if (shape === 'regroup') return `SELECT c1, COUNT(*) AS n, SUM(c2) AS total, MAX(c0) AS top, MIN(c0) AS bottom FROM (${sub}) q GROUP BY c1`
        // join the per-key aggregate back to table b on the key's column (k, g or s)
        return `SELECT q.c0, q.c1, q.c2, b.y, b.m FROM (${sub}) q ${joinType} b ON q.c0 = b.${key.flink}`
      }
      const types: SqlType[] = shape === 'regroup' ? [inner.type, 'BIGINT', 'BIGINT', key.type, key.type] : [key.type, inner.type, 'BIGINT', 'INT', 'DECIMAL']
      return { family: 'nested-aggregate', flink: render('flink'), duck: render('duck'), types }
    })
})

/** A window TVF over `a` (event time `ts`). */
export type WindowSpec =
  | { readonly kind: 'TUMBLE'; readonly size: number }
  | { readonly kind: 'HOP'; readonly slide: number; readonly size: number }
  | { readonly kind: 'CUMULATE'; readonly step: number; readonly size: number }

/** Random window specifications (seconds; a HOP's size and a CUMULATE's maximum are multiples of the slide or step). */
export const windowSpecArb: fc.Arbitrary<WindowSpec> = fc.oneof(
  fc.constantFrom(1, 2, 5, 7, 10, 30).map((size): WindowSpec => ({ kind: 'TUMBLE', size })),
  fc.tuple(fc.constantFrom(1, 2, 5, 10), fc.constantFrom(2, 3, 4)).map(([slide, f]): WindowSpec => ({ kind: 'HOP', slide, size: slide * f })),
  fc.tuple(fc.constantFrom(1, 2, 5), fc.constantFrom(2, 3, 4, 6)).map(([step, f]): WindowSpec => ({ kind: 'CUMULATE', step, size: step * f })),
)

/** Strom's `TABLE(TUMBLE(..))` (or HOP, CUMULATE) over a table with the event time `time`. */
export const flinkWindowTable = (w: WindowSpec, table = 'a', time = 'ts'): string => {
  const sec = (n: number): string => `INTERVAL '${n}' SECOND`
  switch (w.kind) {
    case 'TUMBLE':
      return `TABLE(TUMBLE(TABLE ${table}, DESCRIPTOR(${time}), ${sec(w.size)}))`
    case 'HOP':
      return `TABLE(HOP(TABLE ${table}, DESCRIPTOR(${time}), ${sec(w.slide)}, ${sec(w.size)}))`
    case 'CUMULATE':
      return `TABLE(CUMULATE(TABLE ${table}, DESCRIPTOR(${time}), ${sec(w.step)}, ${sec(w.size)}))`
  }
}

/**
 * DuckDB's equivalent of {@link flinkWindowTable}: the table's rows with `window_start`,
 * `window_end` and `window_time` (the end minus 1 ms), aliased as the table.
 */
export const duckWindowTable = (w: WindowSpec, table = 'a', time = 'ts'): string => {
  const ms = `epoch_ms(${table}.${time})`
  const ts = (e: string): string => `make_timestamp((${e}) * 1000)`
  const select = (start: string, end: string): string => `SELECT ${table}.*, ${ts(start)} AS window_start, ${ts(end)} AS window_end, ${ts(`${end} - 1`)} AS window_time`
  switch (w.kind) {
    case 'TUMBLE': {
      const size = w.size * 1000
      const start = `${ms} - ${ms} % ${size}`
      return `(${select(start, `${start} + ${size}`)} FROM ${table}) ${table}`
    }
    case 'HOP': {
      const slide = w.slide * 1000
      const size = w.size * 1000
      // the windows of a row start at its last slide boundary and at the (size / slide - 1) before it
      const start = `${ms} - ${ms} % ${slide} - o.i * ${slide}`
      return `(${select(start, `${start} + ${size}`)} FROM ${table} CROSS JOIN (SELECT range AS i FROM range(0, ${w.size / w.slide})) o) ${table}`
    }
    case 'CUMULATE': {
      const step = w.step * 1000
      const size = w.size * 1000
      // windows [start, start + j * step) of the row's size-aligned period that end after it
      const start = `${ms} - ${ms} % ${size}`
      const end = `${start} + o.j * ${step}`
      return `(${select(start, end)} FROM ${table} CROSS JOIN (SELECT range AS j FROM range(1, ${w.size / w.step + 1})) o WHERE ${end} > ${ms}) ${table}`
    }
  }
}

/** Which window columns a window aggregation groups by (Flink plans a window aggregate only for start and end). */
const WINDOW_GROUPINGS: readonly (readonly string[])[] = [
  ['window_start', 'window_end'],
  ['window_start', 'window_end'],
  ['window_start', 'window_end', 'window_time'],
  ['window_start'],
  ['window_end'],
]

/** A window aggregation: `GROUP BY window_start, window_end [, key]` over a window TVF of `a`. */
export const windowAggregateQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    window: windowSpecArb,
    grouping: fc.constantFrom(...WINDOW_GROUPINGS),
    key: sometimes(fc.constantFrom(...tableGen('a').scope.columns.filter((c) => ['k', 'g', 's'].includes(c.flink))), 50),
    aggs: fc.array(aggregateArb(tableGen('a')), { minLength: 1, maxLength: 3 }),
    where: sometimes(tableGen('a').predicate(1), 40),
    having: sometimes(havingArb(tableGen('a')), 20),
  })
  .map(({ window, grouping, key, aggs, where, having }): GeneratedQuery => {
    const render = (dialect: 'flink' | 'duck'): string => {
      const from = dialect === 'flink' ? flinkWindowTable(window) : duckWindowTable(window)
      const keys = [...grouping, ...(key === undefined ? [] : [key[dialect]])]
      const items = [...keys.map((k, i) => `${k} AS k${i}`), selectList(aggs, dialect)]
      const w = where === undefined ? '' : ` WHERE ${where[dialect]}`
      const h = having === undefined ? '' : ` HAVING ${having[dialect]}`
      return `SELECT ${items.join(', ')} FROM ${from}${w} GROUP BY ${keys.join(', ')}${h}`
    }
    const types: SqlType[] = [...grouping.map((): SqlType => 'TIMESTAMP'), ...(key === undefined ? [] : [key.type]), ...typesOf(aggs)]
    return { family: 'window-aggregate', flink: render('flink'), duck: render('duck'), types }
  })

/** The rows of a window TVF (no aggregation): each row once per window it falls into. */
export const windowRowsQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    window: windowSpecArb,
    items: fc.array(tableGen('a').anyValue(1), { minLength: 1, maxLength: 3 }),
    where: sometimes(tableGen('a').predicate(1), 40),
    windowTime: fc.boolean(),
  })
  .map(({ window, items, where, windowTime }): GeneratedQuery => {
    const render = (dialect: 'flink' | 'duck'): string => {
      const from = dialect === 'flink' ? flinkWindowTable(window) : duckWindowTable(window)
      const w = where === undefined ? '' : ` WHERE ${where[dialect]}`
      return `SELECT window_start AS w0, window_end AS w1, ${windowTime ? 'window_time AS w2, ' : ''}${selectList(items, dialect)} FROM ${from}${w}`
    }
    const types: SqlType[] = [...(windowTime ? ['TIMESTAMP', 'TIMESTAMP', 'TIMESTAMP'] as const : ['TIMESTAMP', 'TIMESTAMP'] as const), ...typesOf(items)]
    return { family: 'window-rows', flink: render('flink'), duck: render('duck'), types }
  })

/** Sort keys whose order both engines agree on: no computed DOUBLE (a last-bit difference would reorder). */
const sortableArb = (gen: ExpressionGenerator): fc.Arbitrary<Typed> =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...gen.scope.columns), weight: 3 },
    { arbitrary: fc.constantFrom<SqlType>('INT', 'BIGINT', 'DECIMAL', 'STRING', 'TIMESTAMP').chain((t) => gen.expr(t, 1)), weight: 1 },
  )

/** A total order over `n` output columns: every column once, in a random order and directions. */
type TotalOrder = readonly { readonly column: number; readonly dir: string; readonly nulls: string }[]

const totalOrderArb = (n: number): fc.Arbitrary<TotalOrder> =>
  fc
    .tuple(
      fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
      fc.array(fc.tuple(fc.constantFrom('ASC', 'DESC'), fc.constantFrom('NULLS FIRST', 'NULLS LAST')), { minLength: n, maxLength: n }),
    )
    .map(([order, dirs]) => order.map((column, i) => ({ column, dir: dirs[i]![0], nulls: dirs[i]![1] })))

/** Renders an order over the given column texts (aliases, or the expressions inside `OVER`). */
const renderOrder = (order: TotalOrder, columns: readonly string[]): string => order.map((o) => `${columns[o.column]} ${o.dir} ${o.nulls}`).join(', ')

/**
 * Top-N: `ORDER BY .. LIMIT n`, or `ROW_NUMBER`/`RANK`/`DENSE_RANK` per partition with a filter on
 * the rank.
 *
 * @remarks
 * The order covers every output column, so ties are rows equal in every column and the result is
 * one multiset whichever of them comes first.
 */
export const topNQuery: fc.Arbitrary<GeneratedQuery> = fc.constantFrom('a', 'b').chain((table) => {
  const gen = tableGen(table)
  return fc
    .record({
      items: fc.array(sortableArb(gen), { minLength: 1, maxLength: 3 }),
      where: sometimes(gen.predicate(1), 30),
      limit: fc.integer({ min: 1, max: 6 }),
      shape: fc.constantFrom('limit', 'ROW_NUMBER', 'RANK', 'DENSE_RANK'),
      partition: fc.constantFrom(...gen.scope.columns.filter((c) => ['k', 'g'].includes(c.flink))),
      cmp: fc.constantFrom('<=', '<', '='),
    })
    .chain((p) => totalOrderArb(p.items.length).map((order) => ({ ...p, order })))
    .map(({ items, where, limit, shape, partition, cmp, order }): GeneratedQuery => {
      const render = (dialect: 'flink' | 'duck'): string => {
        const w = where === undefined ? '' : ` WHERE ${where[dialect]}`
        if (shape === 'limit') return `SELECT ${selectList(items, dialect)} FROM ${table}${w} ORDER BY ${renderOrder(order, items.map((_, i) => `c${i}`))} LIMIT ${limit}`
        // the partition column is an output column too, so the order stays total; inside OVER
        // the order names the expressions (a select item's alias is not in scope there)
        const over = `PARTITION BY ${partition[dialect]} ORDER BY ${renderOrder(order, items.map((e) => e[dialect]))}`
        const inner = `SELECT ${selectList(items, dialect)}, ${partition[dialect]} AS p, ${shape}() OVER (${over}) AS rk FROM ${table}${w}`
        // (`rk < 1` would ask for an empty Top-N: left out, Strom rejects it at planning)
        return `SELECT * FROM (${inner}) r WHERE rk ${cmp} ${cmp === '<' ? limit + 1 : limit}`
      }
      const types: SqlType[] = shape === 'limit' ? typesOf(items) : [...typesOf(items), partition.type, 'BIGINT']
      return { family: 'top-n', flink: render('flink'), duck: render('duck'), types }
    })
})

/** `IN` / `NOT IN` / `EXISTS` / `NOT EXISTS` with an uncorrelated subquery (semi and anti joins, NULL-aware for `NOT IN`). */
export const subqueryQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    column: fc.constantFrom('k', 'g', 's'),
    shape: fc.constantFrom('IN', 'NOT IN', 'EXISTS', 'NOT EXISTS'),
    items: fc.array(tableGen('a').anyValue(1), { minLength: 1, maxLength: 3 }),
    inner: sometimes(tableGen('b').predicate(1), 60),
    outer: sometimes(tableGen('a').predicate(1), 30),
  })
  .map(({ column, shape, items, inner, outer }): GeneratedQuery => {
    // until Strom's NOT IN is NULL-aware (see known-deviations.ts), no NULLs on either side
    const guard = shape === 'NOT IN' && KNOWN_DEVIATIONS.notInSubqueryIgnoresNulls
    const render = (dialect: 'flink' | 'duck'): string => {
      const innerConds = [...(guard ? [`${column} IS NOT NULL`] : []), ...(inner === undefined ? [] : [inner[dialect]])]
      const iw = innerConds.length === 0 ? '' : ` WHERE ${innerConds.join(' AND ')}`
      const test = shape.endsWith('IN') ? `${column} ${shape} (SELECT ${column} FROM b${iw})` : `${shape} (SELECT 1 FROM b${iw})`
      const cond = guard ? `${column} IS NOT NULL AND ${test}` : test
      const ow = outer === undefined ? '' : ` AND ${outer[dialect]}`
      return `SELECT ${selectList(items, dialect)} FROM a WHERE ${cond}${ow}`
    }
    return { family: 'subquery', flink: render('flink'), duck: render('duck'), types: typesOf(items) }
  })

/** `a JOIN b` on a key and a time range (Flink's interval join in STREAMING mode). */
export const intervalJoinQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    type: fc.constantFrom(...JOIN_TYPES),
    key: fc.constantFrom('a.k = b.k', 'a.g = b.g'),
    lower: fc.constantFrom(0, 1, 5, 20),
    upper: fc.constantFrom(0, 1, 5, 20),
    shape: fc.constantFrom('between', 'bounds', 'reversed'),
    items: fc.array(joinGen('a', 'b').anyValue(1), { minLength: 1, maxLength: 4 }),
    where: sometimes(joinGen('a', 'b').predicate(1), 30),
  })
  .map(({ type, key, lower, upper, shape, items, where }): GeneratedQuery => {
    const sec = (n: number): string => `INTERVAL '${n}' SECOND`
    const range =
      shape === 'between'
        ? `a.ts BETWEEN b.t - ${sec(lower)} AND b.t + ${sec(upper)}`
        : shape === 'bounds'
          ? `a.ts >= b.t - ${sec(lower)} AND a.ts < b.t + ${sec(upper + 1)}`
          : `b.t BETWEEN a.ts - ${sec(lower)} AND a.ts + ${sec(upper)}`
    const render = (dialect: 'flink' | 'duck'): string =>
      `SELECT ${selectList(items, dialect)} FROM a ${type} b ON ${key} AND ${range}${where === undefined ? '' : ` WHERE ${where[dialect]}`}`
    return { family: 'interval-join', flink: render('flink'), duck: render('duck'), types: typesOf(items) }
  })

/** The columns of a window join: `a`'s as `L`, `b`'s as `R`, and both sides' window bounds. */
const windowJoinGen = generatorFor('window-join', () =>
  joinScopes(
    scopeOf(tableDef('a').columns, 'L'),
    scopeOf(tableDef('b').columns, 'R'),
    scopeOf(
      ['window_start', 'window_end'].map((name) => ({ name, type: 'TIMESTAMP' as const })),
      'L',
    ),
    scopeOf(
      ['window_start', 'window_end'].map((name) => ({ name, type: 'TIMESTAMP' as const })),
      'R',
    ),
  ),
)

/** A window join: the same window TVF over `a` and `b`, joined on the window and a key. */
export const windowJoinQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    window: windowSpecArb,
    type: fc.constantFrom(...JOIN_TYPES),
    key: fc.constantFrom('k', 'g'),
    items: fc.array(windowJoinGen.anyValue(1), { minLength: 1, maxLength: 4 }),
  })
  .map(({ window, type, key, items }): GeneratedQuery => {
    const render = (dialect: 'flink' | 'duck'): string => {
      const l = dialect === 'flink' ? `(SELECT * FROM ${flinkWindowTable(window, 'a', 'ts')}) L` : `(SELECT * FROM ${duckWindowTable(window, 'a', 'ts')}) L`
      const r = dialect === 'flink' ? `(SELECT * FROM ${flinkWindowTable(window, 'b', 't')}) R` : `(SELECT * FROM ${duckWindowTable(window, 'b', 't')}) R`
      return `SELECT ${selectList(items, dialect)} FROM ${l} ${type} ${r} ON L.window_start = R.window_start AND L.window_end = R.window_end AND L.${key} = R.${key}`
    }
    return { family: 'window-join', flink: render('flink'), duck: render('duck'), types: typesOf(items) }
  })

/**
 * Window Top-N: `ROW_NUMBER`/`RANK`/`DENSE_RANK` per window (and key) over a window TVF, or over a
 * window aggregation (Flink's documentation example), with a filter on the rank.
 */
export const windowTopNQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    window: windowSpecArb,
    shape: fc.constantFrom('rows', 'aggregated'),
    fn: fc.constantFrom('ROW_NUMBER', 'RANK', 'DENSE_RANK'),
    items: fc.array(sortableArb(tableGen('a')), { minLength: 1, maxLength: 3 }),
    key: sometimes(fc.constantFrom('k', 'g'), 50),
    aggs: fc.array(aggregateArb(tableGen('a')), { minLength: 1, maxLength: 2 }),
    limit: fc.integer({ min: 1, max: 4 }),
  })
  .chain((p) => totalOrderArb(p.shape === 'rows' ? p.items.length : p.aggs.length + (p.key === undefined ? 0 : 1)).map((order) => ({ ...p, order })))
  .map(({ window, shape, fn, items, key, aggs, limit, order }): GeneratedQuery => {
    const render = (dialect: 'flink' | 'duck'): string => {
      const from = dialect === 'flink' ? flinkWindowTable(window) : duckWindowTable(window)
      const partition = ['window_start', 'window_end', ...(key === undefined ? [] : [key])].join(', ')
      if (shape === 'rows') {
        const over = `PARTITION BY ${partition} ORDER BY ${renderOrder(order, items.map((e) => e[dialect]))}`
        const keyItem = key === undefined ? '' : `${key} AS p, `
        return `SELECT * FROM (SELECT ${selectList(items, dialect)}, ${keyItem}window_start AS w0, window_end AS w1, ${fn}() OVER (${over}) AS rk FROM ${from}) r WHERE rk <= ${limit}`
      }
      // Top-N of the groups of each window by their aggregates (and key): all output columns ordered
      const cols = [...aggs.map((_, i) => `c${i}`), ...(key === undefined ? [] : ['p'])]
      const inner = `SELECT window_start AS w0, window_end AS w1, ${key === undefined ? '' : `${key} AS p, `}${selectList(aggs, dialect)} FROM ${from} GROUP BY window_start, window_end${key === undefined ? '' : `, ${key}`}`
      return `SELECT * FROM (SELECT *, ${fn}() OVER (PARTITION BY w0, w1 ORDER BY ${renderOrder(order, cols)}) AS rk FROM (${inner}) g) r WHERE rk <= ${limit}`
    }
    const keyType: SqlType[] = key === undefined ? [] : [key === 'k' ? 'INT' : 'STRING']
    const types: SqlType[] =
      shape === 'rows' ? [...typesOf(items), ...keyType, 'TIMESTAMP', 'TIMESTAMP', 'BIGINT'] : ['TIMESTAMP', 'TIMESTAMP', ...keyType, ...typesOf(aggs), 'BIGINT']
    return { family: 'window-top-n', flink: render('flink'), duck: render('duck'), types }
  })

/**
 * OVER aggregations on the event time with a `RANGE` frame (rows with equal times are peers, so
 * the result does not depend on their order).
 */
export const overAggregateQuery: fc.Arbitrary<GeneratedQuery> = fc
  .record({
    partition: sometimes(fc.constantFrom('k', 'g', 's'), 80),
    preceding: fc.constantFrom<number | 'UNBOUNDED'>('UNBOUNDED', 1, 5, 20),
    items: fc.array(tableGen('a').anyValue(1), { minLength: 1, maxLength: 2 }),
    aggs: fc.array(
      fc.tuple(fc.constantFrom<AggKind>('COUNT*', 'COUNT', 'SUM', 'MIN', 'MAX', 'AVG'), fc.constantFrom<SqlType>('INT', 'BIGINT', 'DECIMAL', 'DOUBLE').chain((t) => tableGen('a').expr(t, 1))),
      { minLength: 1, maxLength: 3 },
    ),
    where: sometimes(tableGen('a').predicate(1), 30),
  })
  .map(({ partition, preceding, items, aggs, where }): GeneratedQuery => {
    const frame = `RANGE BETWEEN ${preceding === 'UNBOUNDED' ? 'UNBOUNDED' : `INTERVAL '${preceding}' SECOND`} PRECEDING AND CURRENT ROW`
    const over = `OVER (${partition === undefined ? '' : `PARTITION BY ${partition} `}ORDER BY ts ${frame})`
    const calls = aggs.map(([kind, e]) => renderAgg(kind, e, false, undefined, over))
    const render = (dialect: 'flink' | 'duck'): string => {
      const overs = calls.map((c, i) => `${c[dialect]} AS o${i}`).join(', ')
      return `SELECT ${selectList(items, dialect)}, ts AS t0, ${overs} FROM a${where === undefined ? '' : ` WHERE ${where[dialect]}`}`
    }
    return { family: 'over-aggregate', flink: render('flink'), duck: render('duck'), types: [...typesOf(items), 'TIMESTAMP', ...typesOf(calls)] }
  })

/** Every family, by name, with its relative share of the runs. */
export const QUERY_FAMILIES: readonly { readonly name: string; readonly arb: fc.Arbitrary<GeneratedQuery>; readonly weight: number }[] = [
  { name: 'projection', arb: projectionQuery, weight: 2 },
  { name: 'group-aggregate', arb: groupAggregateQuery, weight: 2 },
  { name: 'global-aggregate', arb: globalAggregateQuery, weight: 1 },
  { name: 'join', arb: joinQuery, weight: 2 },
  { name: 'join-aggregate', arb: joinAggregateQuery, weight: 2 },
  { name: 'union', arb: unionQuery, weight: 1 },
  { name: 'nested-aggregate', arb: nestedAggregateQuery, weight: 1 },
  { name: 'window-aggregate', arb: windowAggregateQuery, weight: 2 },
  { name: 'window-rows', arb: windowRowsQuery, weight: 1 },
  { name: 'top-n', arb: topNQuery, weight: 1 },
  { name: 'subquery', arb: subqueryQuery, weight: 1 },
  { name: 'interval-join', arb: intervalJoinQuery, weight: 1 },
  { name: 'window-join', arb: windowJoinQuery, weight: 1 },
  { name: 'window-top-n', arb: windowTopNQuery, weight: 1 },
  { name: 'over-aggregate', arb: overAggregateQuery, weight: 1 },
]
