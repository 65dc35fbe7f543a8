/**
 * Random typed scalar expressions, each rendered twice: in Flink's SQL dialect for Strom and in
 * DuckDB's for the oracle.
 *
 * @remarks
 * Only forms on which Flink's semantics and DuckDB's agree (or are made to agree by the DuckDB
 * rendering) are generated:
 * - integer `/` is integral in Flink, real in DuckDB: rendered `//` (both truncate toward zero);
 * - `MOD(a, b)` is DuckDB's `%` (both take the dividend's sign), `CHAR_LENGTH` is `LENGTH`,
 *   `CAST(.. AS STRING)` is `CAST(.. AS VARCHAR)`, `FLOOR(ts TO MINUTE)` is `date_trunc`;
 * - divisors are wrapped in `NULLIF(.., 0)` (Flink fails on an integer division by zero);
 * - `DOUBLE` literals are written `CAST(1.5 AS DOUBLE)` in both (a bare `1.5` is a `DECIMAL`);
 * - left out: casts of fractions to integers (Flink truncates, DuckDB rounds), `CONCAT` (DuckDB
 *   skips NULLs), `SUBSTRING` from positions below 1, `CAST` of `DOUBLE` to strings (Java's and
 *   DuckDB's number formats differ), and `DECIMAL` products of more than two factors (their
 *   exact values need more digits than a JavaScript number holds, which is how Strom keeps a
 *   `DECIMAL`).
 * Magnitudes stay small (integer products only of leaves), so no integer type overflows: Flink
 * wraps around on overflow where DuckDB fails.
 *
 * @packageDocumentation
 */
import fc from 'fast-check'
import { centsText, timestampText, BASE_TIME, TIME_SPAN_MS, type SqlType } from './random-tables.js'

/** An expression rendered for both engines, with its type. */
export interface Typed {
  readonly flink: string
  readonly duck: string
  readonly type: SqlType
}

/** The columns an expression may refer to, already qualified as the query needs them. */
export interface Scope {
  readonly columns: readonly Typed[]
}

/** The column expressions of a table's columns, qualified with `qualifier` when given. */
export const scopeOf = (columns: readonly { readonly name: string; readonly type: SqlType }[], qualifier?: string): Scope => ({
  columns: columns.map((c) => {
    const text = qualifier === undefined ? c.name : `${qualifier}.${c.name}`
    return { flink: text, duck: text, type: c.type }
  }),
})

/** The union of several scopes (the columns of a join). */
export const joinScopes = (...scopes: Scope[]): Scope => ({ columns: scopes.flatMap((s) => s.columns) })

/** An expression written the same in both dialects. */
export const same = (text: string, type: SqlType): Typed => ({ flink: text, duck: text, type })

const fn = (flink: string, duck: string, type: SqlType, ...args: Typed[]): Typed => ({
  flink: `${flink}(${args.map((a) => a.flink).join(', ')})`,
  duck: `${duck}(${args.map((a) => a.duck).join(', ')})`,
  type,
})

const bin = (a: Typed, op: string, b: Typed, type: SqlType, duckOp = op): Typed => ({
  flink: `(${a.flink} ${op} ${b.flink})`,
  duck: `(${a.duck} ${duckOp} ${b.duck})`,
  type,
})

/** A template applied to the renderings of its arguments in each dialect. */
const tpl = (type: SqlType, flink: (...a: string[]) => string, duck: (...a: string[]) => string, ...args: Typed[]): Typed => ({
  flink: flink(...args.map((a) => a.flink)),
  duck: duck(...args.map((a) => a.duck)),
  type,
})

const num = (n: number): string => (n < 0 ? `(${n})` : String(n))

/** The string literals of generated queries (no quotes, so they read the same in both dialects). */
export const STRING_LITERALS: readonly string[] = ['a', 'A', 'ab', 'b', 'abc', '', 'x_y', ' a ', 'Hello']

/** The LIKE patterns of generated predicates. */
export const LIKE_PATTERNS: readonly string[] = ['a%', '%b', '%a%', '_', 'a_', '%', 'A%', '%_%', 'x!_%', '%!%', '__%']

const strLit = (s: string): Typed => same(`'${s}'`, 'STRING')

/** A literal of a type. */
export const literalArb = (type: SqlType): fc.Arbitrary<Typed> => {
  switch (type) {
    case 'INT':
      return fc.integer({ min: -3, max: 25 }).map((n) => same(num(n), 'INT'))
    case 'BIGINT':
      return fc.integer({ min: -3, max: 1000 }).map((n) => same(`CAST(${num(n)} AS BIGINT)`, 'BIGINT'))
    case 'DOUBLE':
      return fc.integer({ min: -40, max: 40 }).map((q) => same(`CAST(${num(q / 4)} AS DOUBLE)`, 'DOUBLE'))
    case 'DECIMAL':
      return fc.integer({ min: -2000, max: 2000 }).map((c) => same(c < 0 ? `(${centsText(c)})` : centsText(c), 'DECIMAL'))
    case 'STRING':
      return fc.constantFrom(...STRING_LITERALS).map(strLit)
    case 'BOOLEAN':
      return fc.constantFrom('TRUE', 'FALSE').map((b) => same(b, 'BOOLEAN'))
    case 'TIMESTAMP':
      return fc.integer({ min: 0, max: TIME_SPAN_MS / 1000 }).map((s) => same(`TIMESTAMP '${timestampText(BASE_TIME + s * 1000)}'`, 'TIMESTAMP'))
  }
}

/** The types that compare with each other: numbers, strings, timestamps. */
const COMPARABLE: readonly (readonly SqlType[])[] = [['INT', 'BIGINT', 'DOUBLE', 'DECIMAL'], ['STRING'], ['TIMESTAMP']]

/** Every generated type but BOOLEAN. */
export const VALUE_TYPES: readonly SqlType[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'TIMESTAMP']

/**
 * Generates expressions over one scope, memoized per type and depth.
 *
 * @remarks
 * `depth` bounds the nesting: 0 gives a column or a literal.
 */
export class ExpressionGenerator {
  private readonly memo = new Map<string, fc.Arbitrary<Typed>>()

  constructor(readonly scope: Scope) {}

  /** The scope's columns of a type. */
  columnsOf(type: SqlType): readonly Typed[] {
    return this.scope.columns.filter((c) => c.type === type)
  }

  /** A column or a literal of a type (columns preferred when there are any). */
  leaf(type: SqlType): fc.Arbitrary<Typed> {
    return this.cached(`leaf:${type}`, () => {
      const cols = this.columnsOf(type)
      const lit = literalArb(type)
      return cols.length === 0 ? lit : fc.oneof({ arbitrary: fc.constantFrom(...cols), weight: 3 }, { arbitrary: lit, weight: 1 })
    })
  }

  /** A column of a type if the scope has one, else a literal. */
  column(type: SqlType): fc.Arbitrary<Typed> {
    const cols = this.columnsOf(type)
    return cols.length === 0 ? literalArb(type) : fc.constantFrom(...cols)
  }

  /** An expression of a type. */
  expr(type: SqlType, depth: number): fc.Arbitrary<Typed> {
    if (type === 'BOOLEAN') return this.predicate(depth)
    if (depth <= 0) return this.leaf(type)
    return this.cached(`${type}:${depth}`, () => {
      const compound = this.compound(type, depth - 1)
      return fc.oneof({ arbitrary: this.leaf(type), weight: 2 }, ...compound.map((arbitrary) => ({ arbitrary, weight: 1 })))
    })
  }

  /** An expression of any of the {@link VALUE_TYPES}. */
  anyValue(depth: number): fc.Arbitrary<Typed> {
    return fc.oneof(...VALUE_TYPES.map((t) => this.expr(t, depth)))
  }

  /** A predicate (a BOOLEAN expression), NULLs and three-valued logic included. */
  predicate(depth: number): fc.Arbitrary<Typed> {
    return this.cached(`BOOLEAN:${depth}`, () => {
      const d = Math.max(0, depth - 1)
      const atoms: fc.Arbitrary<Typed>[] = [
        this.comparison(d),
        this.anyValue(d).chain((e) => fc.constantFrom('IS NULL', 'IS NOT NULL').map((op) => tpl('BOOLEAN', (a) => `(${a} ${op})`, (a) => `(${a} ${op})`, e))),
        fc
          .tuple(this.expr('INT', d), fc.integer({ min: -5, max: 15 }), fc.integer({ min: 0, max: 15 }), fc.boolean())
          .map(([e, lo, w, not]) => {
            const op = not ? 'NOT BETWEEN' : 'BETWEEN'
            return tpl('BOOLEAN', (a) => `(${a} ${op} ${num(lo)} AND ${num(lo + w)})`, (a) => `(${a} ${op} ${num(lo)} AND ${num(lo + w)})`, e)
          }),
        fc
          .tuple(this.expr('INT', d), fc.uniqueArray(fc.integer({ min: -2, max: 6 }), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean())
          .map(([e, list, not, withNull]) => {
            const items = [...list.map(num), ...(withNull ? ['NULL'] : [])].join(', ')
            const op = not ? 'NOT IN' : 'IN'
            return tpl('BOOLEAN', (a) => `(${a} ${op} (${items}))`, (a) => `(${a} ${op} (${items}))`, e)
          }),
        fc
          .tuple(this.expr('STRING', d), fc.uniqueArray(fc.constantFrom(...STRING_LITERALS), { minLength: 1, maxLength: 3 }), fc.boolean())
          .map(([e, list, not]) => {
            const items = list.map((s) => `'${s}'`).join(', ')
            const op = not ? 'NOT IN' : 'IN'
            return tpl('BOOLEAN', (a) => `(${a} ${op} (${items}))`, (a) => `(${a} ${op} (${items}))`, e)
          }),
        fc.tuple(this.expr('STRING', d), fc.constantFrom(...LIKE_PATTERNS), fc.boolean()).map(([e, p, not]) => {
          const op = not ? 'NOT LIKE' : 'LIKE'
          const esc = p.includes('!') ? ` ESCAPE '!'` : ''
          return tpl('BOOLEAN', (a) => `(${a} ${op} '${p}'${esc})`, (a) => `(${a} ${op} '${p}'${esc})`, e)
        }),
        fc.oneof(...COMPARABLE.map((g) => fc.tuple(this.expr(g[0]!, d), this.expr(g[g.length - 1]!, d)))).map(([a, b]) => bin(a, 'IS DISTINCT FROM', b, 'BOOLEAN')),
        this.columnsOf('BOOLEAN').length > 0 ? fc.constantFrom(...this.columnsOf('BOOLEAN')) : literalArb('BOOLEAN'),
      ]
      if (depth <= 0) return fc.oneof(...atoms.slice(0, 2), literalArb('BOOLEAN'))
      const sub = this.predicate(depth - 1)
      return fc.oneof(
        { arbitrary: fc.oneof(...atoms), weight: 4 },
        { arbitrary: fc.tuple(sub, sub).map(([a, b]) => bin(a, 'AND', b, 'BOOLEAN')), weight: 1 },
        { arbitrary: fc.tuple(sub, sub).map(([a, b]) => bin(a, 'OR', b, 'BOOLEAN')), weight: 1 },
        { arbitrary: sub.map((a) => tpl('BOOLEAN', (x) => `(NOT ${x})`, (x) => `(NOT ${x})`, a)), weight: 1 },
        {
          arbitrary: fc.tuple(sub, fc.constantFrom('IS TRUE', 'IS NOT TRUE', 'IS FALSE', 'IS NOT FALSE')).map(([a, op]) => tpl('BOOLEAN', (x) => `(${x} ${op})`, (x) => `(${x} ${op})`, a)),
          weight: 1,
        },
      )
    })
  }

  /** A comparison of two expressions of comparable types. */
  comparison(depth: number): fc.Arbitrary<Typed> {
    const op = fc.constantFrom('=', '<>', '<', '<=', '>', '>=')
    const numeric: SqlType[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL']
    return fc.oneof(
      { arbitrary: fc.tuple(fc.constantFrom(...numeric), fc.constantFrom(...numeric)).chain(([l, r]) => fc.tuple(this.expr(l, depth), op, this.expr(r, depth))), weight: 3 },
      { arbitrary: fc.tuple(this.expr('STRING', depth), op, this.expr('STRING', depth)), weight: 2 },
      { arbitrary: fc.tuple(this.expr('TIMESTAMP', depth), op, this.expr('TIMESTAMP', depth)), weight: 1 },
    ).map(([a, o, b]) => bin(a, o, b, 'BOOLEAN'))
  }

  private cached(key: string, make: () => fc.Arbitrary<Typed>): fc.Arbitrary<Typed> {
    let a = this.memo.get(key)
    if (a === undefined) {
      // every recursive call has a smaller depth, so this terminates
      a = make()
      this.memo.set(key, a)
    }
    return a
  }

  /** The compound forms of a type whose operands have depth `d`. */
  private compound(type: SqlType, d: number): fc.Arbitrary<Typed>[] {
    const e = (t: SqlType): fc.Arbitrary<Typed> => this.expr(t, d)
    const two = (a: SqlType, b: SqlType = a): fc.Arbitrary<[Typed, Typed]> => fc.tuple(e(a), e(b))
    const caseWhen = fc.oneof(
      fc.tuple(this.predicate(d), e(type), e(type)).map(([p, a, b]) =>
        tpl(type, (x, y, z) => `CASE WHEN ${x} THEN ${y} ELSE ${z} END`, (x, y, z) => `CASE WHEN ${x} THEN ${y} ELSE ${z} END`, p, a, b),
      ),
      // several branches, no ELSE (NULL when none holds)
      fc.tuple(this.predicate(d), e(type), this.predicate(d), e(type)).map(([p, a, q, b]) =>
        tpl(type, (w, x, y, z) => `CASE WHEN ${w} THEN ${x} WHEN ${y} THEN ${z} END`, (w, x, y, z) => `CASE WHEN ${w} THEN ${x} WHEN ${y} THEN ${z} END`, p, a, q, b),
      ),
      // the simple form on an INT operand
      fc.tuple(e('INT'), fc.uniqueArray(fc.integer({ min: -2, max: 5 }), { minLength: 1, maxLength: 2 }), e(type), e(type), e(type)).map(([op, lits, a, b, z]) => {
        const branches = (xs: string[]): string => lits.map((l, i) => `WHEN ${num(l)} THEN ${xs[i]}`).join(' ')
        return tpl(type, (o, x, y, w) => `CASE ${o} ${branches([x!, y!])} ELSE ${w} END`, (o, x, y, w) => `CASE ${o} ${branches([x!, y!])} ELSE ${w} END`, op, a, b, z)
      }),
    )
    const coalesce = two(type).map(([a, b]) => fn('COALESCE', 'COALESCE', type, a, b))
    const nullif = two(type).map(([a, b]) => fn('NULLIF', 'NULLIF', type, a, b))
    switch (type) {
      case 'INT':
        return [
          two('INT').map(([a, b]) => bin(a, '+', b, 'INT')),
          two('INT').map(([a, b]) => bin(a, '-', b, 'INT')),
          fc.tuple(this.leaf('INT'), this.leaf('INT')).map(([a, b]) => bin(a, '*', b, 'INT')),
          fc.tuple(e('INT'), this.leaf('INT')).map(([a, b]) => tpl('INT', (x, y) => `(${x} / NULLIF(${y}, 0))`, (x, y) => `(${x} // NULLIF(${y}, 0))`, a, b)),
          fc.tuple(e('INT'), this.leaf('INT')).map(([a, b]) => tpl('INT', (x, y) => `MOD(${x}, NULLIF(${y}, 0))`, (x, y) => `(${x} % NULLIF(${y}, 0))`, a, b)),
          e('INT').map((a) => fn('ABS', 'ABS', 'INT', a)),
          e('STRING').map((a) => fn('CHAR_LENGTH', 'LENGTH', 'INT', a)),
          fc.tuple(fc.constantFrom('a', 'b', ' '), e('STRING')).map(([needle, s]) => tpl('INT', (x) => `POSITION('${needle}' IN ${x})`, (x) => `POSITION('${needle}' IN ${x})`, s)),
          caseWhen,
          coalesce,
          nullif,
        ]
      case 'BIGINT':
        return [
          fc.tuple(e('BIGINT'), fc.oneof(e('INT'), e('BIGINT'))).map(([a, b]) => bin(a, '+', b, 'BIGINT')),
          fc.tuple(e('BIGINT'), fc.oneof(e('INT'), e('BIGINT'))).map(([a, b]) => bin(a, '-', b, 'BIGINT')),
          e('BIGINT').map((a) => fn('ABS', 'ABS', 'BIGINT', a)),
          e('INT').map((a) => tpl('BIGINT', (x) => `CAST(${x} AS BIGINT)`, (x) => `CAST(${x} AS BIGINT)`, a)),
          fc.tuple(fc.constantFrom('SECOND', 'MINUTE'), e('TIMESTAMP')).map(([unit, t]) => tpl('BIGINT', (x) => `EXTRACT(${unit} FROM ${x})`, (x) => `EXTRACT(${unit} FROM ${x})`, t)),
          caseWhen,
          coalesce,
        ]
      case 'DOUBLE':
        return [
          fc.tuple(e('DOUBLE'), fc.oneof(e('DOUBLE'), e('INT'), e('DECIMAL'))).map(([a, b]) => bin(a, '+', b, 'DOUBLE')),
          fc.tuple(e('DOUBLE'), fc.oneof(e('DOUBLE'), e('INT'))).map(([a, b]) => bin(a, '-', b, 'DOUBLE')),
          fc.tuple(this.leaf('DOUBLE'), fc.oneof(this.leaf('DOUBLE'), this.leaf('INT'), this.leaf('DECIMAL'))).map(([a, b]) => bin(a, '*', b, 'DOUBLE')),
          fc.tuple(e('DOUBLE'), this.leaf('DOUBLE')).map(([a, b]) => tpl('DOUBLE', (x, y) => `(${x} / NULLIF(${y}, 0))`, (x, y) => `(${x} / NULLIF(${y}, 0))`, a, b)),
          e('DOUBLE').map((a) => fn('ABS', 'ABS', 'DOUBLE', a)),
          e('DOUBLE').map((a) => tpl('DOUBLE', (x) => `SQRT(ABS(${x}))`, (x) => `SQRT(ABS(${x}))`, a)),
          fc.oneof(e('INT'), e('DECIMAL'), e('BIGINT')).map((a) => tpl('DOUBLE', (x) => `CAST(${x} AS DOUBLE)`, (x) => `CAST(${x} AS DOUBLE)`, a)),
          caseWhen,
          coalesce,
        ]
      case 'DECIMAL':
        return [
          fc.tuple(e('DECIMAL'), fc.oneof(e('DECIMAL'), e('INT'))).map(([a, b]) => bin(a, '+', b, 'DECIMAL')),
          fc.tuple(e('DECIMAL'), fc.oneof(e('DECIMAL'), e('INT'))).map(([a, b]) => bin(a, '-', b, 'DECIMAL')),
          fc.tuple(this.column('DECIMAL'), fc.oneof(this.leaf('INT'), this.leaf('DECIMAL'))).map(([a, b]) => bin(a, '*', b, 'DECIMAL')),
          e('DECIMAL').map((a) => fn('ABS', 'ABS', 'DECIMAL', a)),
          fc.tuple(e('DECIMAL'), fc.integer({ min: 0, max: 1 })).map(([a, places]) => tpl('DECIMAL', (x) => `ROUND(${x}, ${places})`, (x) => `ROUND(${x}, ${places})`, a)),
          fc.tuple(e('DECIMAL'), fc.constantFrom('FLOOR', 'CEIL')).map(([a, f]) => fn(f, f, 'DECIMAL', a)),
          e('INT').map((a) => tpl('DECIMAL', (x) => `CAST(${x} AS DECIMAL(10, 2))`, (x) => `CAST(${x} AS DECIMAL(10, 2))`, a)),
          caseWhen,
          coalesce,
          nullif,
        ]
      case 'STRING':
        return [
          fc.tuple(e('STRING'), fc.constantFrom('UPPER', 'LOWER', 'TRIM', 'LTRIM', 'RTRIM')).map(([a, f]) => fn(f, f, 'STRING', a)),
          two('STRING').map(([a, b]) => bin(a, '||', b, 'STRING')),
          fc.tuple(e('STRING'), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 })).map(([a, p, l]) =>
            tpl('STRING', (x) => `SUBSTRING(${x}, ${p}, ${l})`, (x) => `SUBSTRING(${x}, ${p}, ${l})`, a),
          ),
          e('STRING').map((a) => tpl('STRING', (x) => `REPLACE(${x}, 'a', 'xy')`, (x) => `REPLACE(${x}, 'a', 'xy')`, a)),
          e('STRING').map((a) => tpl('STRING', (x) => `LPAD(${x}, 4, '*')`, (x) => `LPAD(${x}, 4, '*')`, a)),
          two('STRING').map(([a, b]) => tpl('STRING', (x, y) => `CONCAT_WS('-', ${x}, ${y})`, (x, y) => `CONCAT_WS('-', ${x}, ${y})`, a, b)),
          fc.oneof(e('INT'), e('BIGINT'), this.column('DECIMAL')).map((a) => tpl('STRING', (x) => `CAST(${x} AS STRING)`, (x) => `CAST(${x} AS VARCHAR)`, a)),
          caseWhen,
          coalesce,
          nullif,
        ]
      case 'TIMESTAMP':
        return [
          fc.tuple(e('TIMESTAMP'), fc.integer({ min: 1, max: 90 }), fc.constantFrom('SECOND', 'MINUTE'), fc.constantFrom('+', '-')).map(([t, n, unit, op]) =>
            tpl('TIMESTAMP', (x) => `(${x} ${op} INTERVAL '${n}' ${unit})`, (x) => `(${x} ${op} INTERVAL '${n}' ${unit})`, t),
          ),
          e('TIMESTAMP').map((t) => tpl('TIMESTAMP', (x) => `FLOOR(${x} TO MINUTE)`, (x) => `date_trunc('minute', ${x})`, t)),
          caseWhen,
          coalesce,
        ]
      case 'BOOLEAN':
        return [this.predicate(d)]
    }
  }
}
