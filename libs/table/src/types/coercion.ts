/**
 * Flink's type coercion: which casts are implicit (safe widening) or explicit (`CAST`), the
 * least restrictive common type of several types (for `CASE`, `COALESCE`, `UNION`, `IN`,
 * comparisons), and the result types of arithmetic, `DECIMAL` precision and scale included.
 *
 * @remarks
 * Ported from Flink's `LogicalTypeCasts`, `LogicalTypeMerging` and `FlinkTypeSystem`. Time
 * attributes never survive a merge: the common type of a `*ROWTIME*` column and anything else
 * is a plain timestamp.
 *
 * @packageDocumentation
 */
import { type DataType, MAX_LENGTH, type TypeKind, withNullability, withoutTimeAttribute } from './data-type.js'
import { MAX_DECIMAL_PRECISION } from './type-from-syntax.js'

type Family =
  | 'CHARACTER_STRING'
  | 'BINARY_STRING'
  | 'EXACT_NUMERIC'
  | 'APPROXIMATE_NUMERIC'
  | 'NUMERIC'
  | 'INTEGER_NUMERIC'
  | 'DATETIME'
  | 'TIME'
  | 'TIMESTAMP'
  | 'INTERVAL'
  | 'CONSTRUCTED'
  | 'PREDEFINED'

const FAMILIES: Readonly<Record<TypeKind, readonly Family[]>> = {
  BOOLEAN: ['PREDEFINED'],
  TINYINT: ['PREDEFINED', 'NUMERIC', 'EXACT_NUMERIC', 'INTEGER_NUMERIC'],
  SMALLINT: ['PREDEFINED', 'NUMERIC', 'EXACT_NUMERIC', 'INTEGER_NUMERIC'],
  INT: ['PREDEFINED', 'NUMERIC', 'EXACT_NUMERIC', 'INTEGER_NUMERIC'],
  BIGINT: ['PREDEFINED', 'NUMERIC', 'EXACT_NUMERIC', 'INTEGER_NUMERIC'],
  DECIMAL: ['PREDEFINED', 'NUMERIC', 'EXACT_NUMERIC'],
  FLOAT: ['PREDEFINED', 'NUMERIC', 'APPROXIMATE_NUMERIC'],
  DOUBLE: ['PREDEFINED', 'NUMERIC', 'APPROXIMATE_NUMERIC'],
  CHAR: ['PREDEFINED', 'CHARACTER_STRING'],
  VARCHAR: ['PREDEFINED', 'CHARACTER_STRING'],
  BINARY: ['PREDEFINED', 'BINARY_STRING'],
  VARBINARY: ['PREDEFINED', 'BINARY_STRING'],
  DATE: ['PREDEFINED', 'DATETIME'],
  TIME: ['PREDEFINED', 'DATETIME', 'TIME'],
  TIMESTAMP: ['PREDEFINED', 'DATETIME', 'TIMESTAMP'],
  TIMESTAMP_LTZ: ['PREDEFINED', 'DATETIME', 'TIMESTAMP'],
  INTERVAL_DAY_TIME: ['PREDEFINED', 'INTERVAL'],
  INTERVAL_YEAR_MONTH: ['PREDEFINED', 'INTERVAL'],
  ARRAY: ['CONSTRUCTED'],
  MULTISET: ['CONSTRUCTED'],
  MAP: ['CONSTRUCTED'],
  ROW: ['CONSTRUCTED'],
  NULL: [],
}

const ALL_KINDS = Object.keys(FAMILIES) as TypeKind[]

/** Whether `t` belongs to the family. */
const hasFamily = (t: DataType, f: Family): boolean => FAMILIES[t.kind].includes(f)

const kindsOf = (...families: Family[]): TypeKind[] => ALL_KINDS.filter((k) => families.some((f) => FAMILIES[k].includes(f)))

interface Rule {
  readonly implicit: ReadonlySet<TypeKind>
  readonly explicit: ReadonlySet<TypeKind>
}

const rule = (implicit: readonly TypeKind[], explicit: readonly TypeKind[]): Rule => ({ implicit: new Set(implicit), explicit: new Set(explicit) })

const TEMPORAL_NUMERIC_SOURCES: TypeKind[] = ['BOOLEAN', 'TIMESTAMP', 'TIMESTAMP_LTZ']

/** Flink's casting rules by target kind (`LogicalTypeCasts`), identity casts aside. */
const RULES: Readonly<Partial<Record<TypeKind, Rule>>> = {
  CHAR: rule(['CHAR'], kindsOf('PREDEFINED', 'CONSTRUCTED')),
  VARCHAR: rule(kindsOf('CHARACTER_STRING'), kindsOf('PREDEFINED', 'CONSTRUCTED')),
  BOOLEAN: rule(['BOOLEAN'], kindsOf('CHARACTER_STRING', 'NUMERIC')),
  BINARY: rule(['BINARY'], [...kindsOf('CHARACTER_STRING'), 'VARBINARY']),
  VARBINARY: rule(kindsOf('BINARY_STRING'), [...kindsOf('CHARACTER_STRING'), 'BINARY']),
  DECIMAL: rule(kindsOf('NUMERIC'), [...kindsOf('CHARACTER_STRING', 'INTERVAL'), ...TEMPORAL_NUMERIC_SOURCES]),
  TINYINT: rule(['TINYINT'], [...kindsOf('NUMERIC', 'CHARACTER_STRING', 'INTERVAL'), ...TEMPORAL_NUMERIC_SOURCES]),
  SMALLINT: rule(['TINYINT', 'SMALLINT'], [...kindsOf('NUMERIC', 'CHARACTER_STRING', 'INTERVAL'), ...TEMPORAL_NUMERIC_SOURCES]),
  INT: rule(['TINYINT', 'SMALLINT', 'INT'], [...kindsOf('NUMERIC', 'CHARACTER_STRING', 'INTERVAL'), ...TEMPORAL_NUMERIC_SOURCES]),
  BIGINT: rule(['TINYINT', 'SMALLINT', 'INT', 'BIGINT'], [...kindsOf('NUMERIC', 'CHARACTER_STRING', 'INTERVAL'), ...TEMPORAL_NUMERIC_SOURCES]),
  FLOAT: rule(['TINYINT', 'SMALLINT', 'INT', 'BIGINT', 'FLOAT', 'DECIMAL'], [...kindsOf('NUMERIC', 'CHARACTER_STRING'), ...TEMPORAL_NUMERIC_SOURCES]),
  DOUBLE: rule(kindsOf('NUMERIC'), [...kindsOf('CHARACTER_STRING'), ...TEMPORAL_NUMERIC_SOURCES]),
  DATE: rule(['DATE', 'TIMESTAMP'], kindsOf('TIMESTAMP', 'CHARACTER_STRING', 'BINARY_STRING')),
  TIME: rule(['TIME', 'TIMESTAMP'], kindsOf('TIME', 'TIMESTAMP', 'CHARACTER_STRING', 'BINARY_STRING')),
  TIMESTAMP: rule(['TIMESTAMP', 'TIMESTAMP_LTZ'], kindsOf('DATETIME', 'CHARACTER_STRING', 'BINARY_STRING', 'NUMERIC')),
  TIMESTAMP_LTZ: rule(['TIMESTAMP_LTZ', 'TIMESTAMP'], kindsOf('DATETIME', 'CHARACTER_STRING', 'BINARY_STRING', 'NUMERIC')),
  INTERVAL_YEAR_MONTH: rule(['INTERVAL_YEAR_MONTH'], kindsOf('EXACT_NUMERIC', 'CHARACTER_STRING')),
  INTERVAL_DAY_TIME: rule(['INTERVAL_DAY_TIME'], kindsOf('EXACT_NUMERIC', 'CHARACTER_STRING')),
}

/** Equality of types ignoring nullability and time attributes. */
export const sameTypeIgnoringNullability = (a: DataType, b: DataType): boolean => {
  if (a.kind !== b.kind) return false
  switch (a.kind) {
    case 'DECIMAL':
      return b.kind === 'DECIMAL' && a.precision === b.precision && a.scale === b.scale
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      return (b as { length: number }).length === a.length
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return (b as { precision: number }).precision === a.precision
    case 'ARRAY':
    case 'MULTISET':
      return sameTypeIgnoringNullability(a.element, (b as { element: DataType }).element) && a.element.nullable === (b as { element: DataType }).element.nullable
    case 'MAP': {
      const m = b as { key: DataType; value: DataType }
      return sameTypeIgnoringNullability(a.key, m.key) && sameTypeIgnoringNullability(a.value, m.value) && a.key.nullable === m.key.nullable && a.value.nullable === m.value.nullable
    }
    case 'ROW': {
      const r = b as { fields: readonly { name: string; type: DataType }[] }
      return (
        a.fields.length === r.fields.length &&
        a.fields.every((f, i) => f.name === r.fields[i]!.name && sameTypeIgnoringNullability(f.type, r.fields[i]!.type) && f.type.nullable === r.fields[i]!.type.nullable)
      )
    }
    default:
      return true
  }
}

const childrenOf = (t: DataType): readonly DataType[] => {
  switch (t.kind) {
    case 'ARRAY':
    case 'MULTISET':
      return [t.element]
    case 'MAP':
      return [t.key, t.value]
    case 'ROW':
      return t.fields.map((f) => f.type)
    default:
      return []
  }
}

const supportsCasting = (from: DataType, to: DataType, allowExplicit: boolean): boolean => {
  if (from.nullable && !to.nullable && !allowExplicit) return false
  if (sameTypeIgnoringNullability(from, to)) return true
  if (from.kind === 'NULL') return true
  if (to.kind === 'NULL') return false
  // Flink allows these for single-field intervals even implicitly; Strom only explicitly
  if (hasFamily(from, 'INTERVAL') && hasFamily(to, 'EXACT_NUMERIC')) return allowExplicit
  if (hasFamily(from, 'EXACT_NUMERIC') && hasFamily(to, 'INTERVAL')) return allowExplicit
  if (hasFamily(from, 'CONSTRUCTED') || hasFamily(to, 'CONSTRUCTED')) {
    if (from.kind === to.kind) {
      const a = childrenOf(from)
      const b = childrenOf(to)
      return a.length === b.length && a.every((c, i) => supportsCasting(c, b[i]!, allowExplicit))
    }
    // Flink 1.15+ prints ARRAY, MAP, MULTISET and ROW values with CAST(... AS STRING)
    return allowExplicit && hasFamily(to, 'CHARACTER_STRING')
  }
  const r = RULES[to.kind]
  if (r === undefined) return false
  if (r.implicit.has(from.kind)) return true
  return allowExplicit && r.explicit.has(from.kind)
}

/**
 * Whether a value of type `from` can be used where `to` is expected without an explicit cast
 * (safe widening, as Flink's `supportsImplicitCast`): `INT` to `BIGINT`, any number to
 * `DOUBLE`, `CHAR` to `VARCHAR`, `TIMESTAMP` to `TIMESTAMP_LTZ`, `NULL` to anything.
 */
export const supportsImplicitCast = (from: DataType, to: DataType): boolean => supportsCasting(withoutTimeAttribute(from), withoutTimeAttribute(to), false)

/**
 * Whether `CAST(x AS to)` is valid for `x` of type `from` (Flink's `supportsExplicitCast`).
 *
 * @remarks
 * Validity of the types only: a valid cast may still fail at run time for some values
 * (`CAST('abc' AS INT)`), which `TRY_CAST` turns into `NULL`. Casts between intervals and exact
 * numbers are explicit only and accepted for every interval (Flink: for single-field intervals,
 * even implicitly; an interval's fields are not part of {@link DataType}). `ARRAY`, `MAP`,
 * `MULTISET` and `ROW` cast element-wise to the same kind, and to strings.
 */
export const canCast = (from: DataType, to: DataType): boolean => supportsCasting(withoutTimeAttribute(from), withoutTimeAttribute(to), true)

// ---------------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------------

/** The precision of an exact numeric type as Flink counts it: `TINYINT` 3, `SMALLINT` 5, `INT` 10, `BIGINT` 19, `DECIMAL(p, s)` p. */
export const exactPrecision = (t: DataType): number => {
  switch (t.kind) {
    case 'TINYINT':
      return 3
    case 'SMALLINT':
      return 5
    case 'INT':
      return 10
    case 'BIGINT':
      return 19
    case 'DECIMAL':
      return t.precision
    default:
      throw new Error(`not an exact numeric type: ${t.kind}`)
  }
}

/** The scale of an exact numeric type (0 for the integer types). */
export const exactScale = (t: DataType): number => (t.kind === 'DECIMAL' ? t.scale : 0)

const INTEGER_RANK: Partial<Record<TypeKind, number>> = { TINYINT: 1, SMALLINT: 2, INT: 3, BIGINT: 4 }

const decimal = (precision: number, scale: number, nullable: boolean): DataType => ({ kind: 'DECIMAL', precision, scale, nullable })

/** Flink's adjustment of a `DECIMAL` result whose precision exceeds 38: the scale gives way, but keeps up to 6 digits. */
const adjustPrecisionScale = (precision: number, scale: number, nullable: boolean): DataType => {
  if (precision <= MAX_DECIMAL_PRECISION) return decimal(precision, scale, nullable)
  const digits = precision - scale
  const minScale = Math.min(scale, 6)
  return decimal(MAX_DECIMAL_PRECISION, Math.max(MAX_DECIMAL_PRECISION - digits, minScale), nullable)
}

/** The `DECIMAL` type of `a + b` and `a - b` (Flink's `findAdditionDecimalType`). */
export const decimalPlusType = (p1: number, s1: number, p2: number, s2: number, nullable = true): DataType => {
  const scale = Math.max(s1, s2)
  return adjustPrecisionScale(Math.max(p1 - s1, p2 - s2) + scale + 1, scale, nullable)
}

/** The `DECIMAL` type of `a * b` (Flink's `findMultiplicationDecimalType`). */
export const decimalTimesType = (p1: number, s1: number, p2: number, s2: number, nullable = true): DataType =>
  adjustPrecisionScale(p1 + p2 + 1, s1 + s2, nullable)

/** The `DECIMAL` type of `a / b` (Flink's `findDivisionDecimalType`). */
export const decimalDivideType = (p1: number, s1: number, p2: number, s2: number, nullable = true): DataType => {
  const scale = Math.max(6, s1 + p2 + 1)
  return adjustPrecisionScale(p1 - s1 + s2 + scale, scale, nullable)
}

/** The `DECIMAL` type of `a % b` (Flink's `findModuloDecimalType`). */
export const decimalModType = (p1: number, s1: number, p2: number, s2: number, nullable = true): DataType => {
  const scale = Math.max(s1, s2)
  return adjustPrecisionScale(Math.min(p1 - s1, p2 - s2) + scale, scale, nullable)
}

/** The `DECIMAL` type of `ROUND(x, r)` for `x` of `DECIMAL(p, s)` (Flink's `findRoundDecimalType`). */
export const decimalRoundType = (p: number, s: number, r: number, nullable = true): DataType => {
  if (r >= s) return decimal(p, s, nullable)
  if (r < 0) return decimal(Math.min(MAX_DECIMAL_PRECISION, 1 + p - s), 0, nullable)
  return decimal(1 + p - s + r, r, nullable)
}

// ---------------------------------------------------------------------------------------------
// Common types
// ---------------------------------------------------------------------------------------------

const combineLength = (a: DataType, b: DataType): number => Math.max((a as { length: number }).length, (b as { length: number }).length)
const precisionOf = (t: DataType): number => (t as { precision: number }).precision

const areSimilarTypes = (a: DataType, b: DataType): boolean =>
  (hasFamily(a, 'CHARACTER_STRING') && hasFamily(b, 'CHARACTER_STRING')) ||
  (hasFamily(a, 'BINARY_STRING') && hasFamily(b, 'BINARY_STRING')) ||
  (hasFamily(a, 'NUMERIC') && hasFamily(b, 'NUMERIC')) ||
  (hasFamily(a, 'TIME') && hasFamily(b, 'TIME')) ||
  (hasFamily(a, 'TIMESTAMP') && hasFamily(b, 'TIMESTAMP')) ||
  a.kind === b.kind

const commonExactNumeric = (r: DataType, t: DataType): DataType => {
  if (sameTypeIgnoringNullability(r, t)) return r
  if (r.kind !== 'DECIMAL' && t.kind !== 'DECIMAL') return INTEGER_RANK[t.kind]! > INTEGER_RANK[r.kind]! ? t : r
  const p1 = exactPrecision(r)
  const p2 = exactPrecision(t)
  const s1 = exactScale(r)
  const s2 = exactScale(t)
  const d = Math.min(Math.max(p1 - s1, p2 - s2), MAX_DECIMAL_PRECISION)
  const s = Math.min(Math.max(s1, s2), MAX_DECIMAL_PRECISION - d)
  return decimal(d + s, s, true)
}

const commonChildren = (types: readonly DataType[]): DataType[] | undefined => {
  const first = types[0]!
  const n = childrenOf(first).length
  for (const t of types) {
    if (t.kind !== first.kind || childrenOf(t).length !== n) return undefined
  }
  const out: DataType[] = []
  for (let i = 0; i < n; i++) {
    const c = commonType(types.map((t) => childrenOf(t)[i]!))
    if (c === undefined) return undefined
    out.push(c)
  }
  return out
}

const findCommonNullableType = (types: readonly DataType[], hasNullType: boolean): DataType | undefined => {
  let result: DataType | undefined
  for (const t of types) {
    if (t.kind === 'NULL') continue
    if (result === undefined) result = t
    // (Flink's patterns for DATETIME with INTERVAL or EXACT_NUMERIC serve arithmetic; the
    // arithmetic operators derive those types themselves, so they are left out here)
    if (t.kind === 'ARRAY' || t.kind === 'MULTISET' || t.kind === 'MAP' || t.kind === 'ROW') {
      const nonNull = types.filter((x) => x.kind !== 'NULL')
      const children = commonChildren(nonNull)
      if (children === undefined) return undefined
      if (t.kind === 'ARRAY' || t.kind === 'MULTISET') return { kind: t.kind, element: children[0]!, nullable: true }
      if (t.kind === 'MAP') return { kind: 'MAP', key: children[0]!, value: children[1]!, nullable: true }
      const first = nonNull[0] as Extract<DataType, { kind: 'ROW' }>
      return { kind: 'ROW', fields: first.fields.map((f, i) => ({ ...f, type: children[i]! })), nullable: true }
    }
    if (!areSimilarTypes(result, t)) return undefined
    if (hasFamily(t, 'CHARACTER_STRING') || hasFamily(t, 'BINARY_STRING')) {
      const length = combineLength(result, t)
      if (result.kind === 'VARCHAR' || result.kind === 'VARBINARY') result = { kind: result.kind, length, nullable: true }
      else if ((result as { length: number }).length !== (t as { length: number }).length) {
        // different fixed lengths become variable: no padding of the shorter strings
        result = { kind: result.kind === 'CHAR' ? 'VARCHAR' : 'VARBINARY', length, nullable: true }
      } else result = { kind: t.kind as 'CHAR', length, nullable: true }
    } else if (hasFamily(t, 'EXACT_NUMERIC')) {
      if (hasFamily(result, 'EXACT_NUMERIC')) result = commonExactNumeric(result, t)
      else if (hasFamily(result, 'APPROXIMATE_NUMERIC')) {
        if (t.kind === 'DECIMAL') result = { kind: 'DOUBLE', nullable: true }
      } else return undefined
    } else if (hasFamily(t, 'APPROXIMATE_NUMERIC')) {
      if (hasFamily(result, 'APPROXIMATE_NUMERIC')) result = result.kind === 'DOUBLE' || t.kind === 'DOUBLE' ? { kind: 'DOUBLE', nullable: true } : result
      else if (hasFamily(result, 'EXACT_NUMERIC')) result = result.kind === 'DECIMAL' ? { kind: 'DOUBLE', nullable: true } : t
      else return undefined
    } else if (t.kind === 'DATE') {
      if (result.kind !== 'DATE') return undefined
    } else if (t.kind === 'TIME') {
      if (result.kind !== 'TIME') return undefined
      result = { kind: 'TIME', precision: Math.max(precisionOf(result), precisionOf(t)), nullable: true }
    } else if (hasFamily(t, 'TIMESTAMP')) {
      if (!hasFamily(result, 'TIMESTAMP')) return undefined
      const precision = Math.max(precisionOf(result), precisionOf(t))
      result = { kind: result.kind === 'TIMESTAMP_LTZ' || t.kind === 'TIMESTAMP_LTZ' ? 'TIMESTAMP_LTZ' : 'TIMESTAMP', precision, nullable: true }
    } else if (t.kind === 'INTERVAL_DAY_TIME' || t.kind === 'INTERVAL_YEAR_MONTH') {
      if (result.kind !== t.kind) return undefined
    } else if (t.kind === 'BOOLEAN') {
      if (result.kind !== 'BOOLEAN') return undefined
    } else return undefined
  }
  if (result === undefined && hasNullType) return { kind: 'NULL', nullable: true }
  return result
}

const findCommonCastableType = (types: readonly DataType[]): DataType | undefined => {
  let result = types[0]!
  for (const t of types) {
    if (t.kind === 'NULL') continue
    if (supportsCasting(result, t, false)) result = t
    else if (!supportsCasting(t, result, false)) return undefined
  }
  return result
}

const stripAttributes = (t: DataType): DataType => {
  const s = withoutTimeAttribute(t)
  switch (s.kind) {
    case 'ARRAY':
    case 'MULTISET':
      return { ...s, element: stripAttributes(s.element) }
    case 'MAP':
      return { ...s, key: stripAttributes(s.key), value: stripAttributes(s.value) }
    case 'ROW':
      return { ...s, fields: s.fields.map((f) => ({ ...f, type: stripAttributes(f.type) })) }
    default:
      return s
  }
}

/**
 * The least restrictive type all of `types` can be implicitly cast to (Flink's
 * `LogicalTypeMerging.findCommonType`), or `undefined` if there is none.
 *
 * @remarks
 * `[INT, BIGINT]` gives `BIGINT`; `[INT, DECIMAL(5, 2)]` gives `DECIMAL(12, 2)`; an exact number
 * with `DOUBLE` gives `DOUBLE` (and `DECIMAL` with `FLOAT` too); `CHAR(1)` with `CHAR(3)` gives
 * `VARCHAR(3)` (no padding); `TIMESTAMP(3)` with `TIMESTAMP_LTZ(6)` gives `TIMESTAMP_LTZ(6)`;
 * `ARRAY`, `MAP` and `ROW` merge element-wise. The `NULL` type merges with anything; only `NULL`s
 * have no common type. The result is nullable if any input is.
 */
export const commonType = (types: readonly DataType[]): DataType | undefined => {
  if (types.length === 0) return undefined
  const normalized = types.map((t) => withNullability(stripAttributes(t), true))
  const hasNull = normalized.some((t) => t.kind === 'NULL')
  const nullable = types.some((t) => t.nullable)
  const found = findCommonNullableType(normalized, hasNull) ?? findCommonCastableType(normalized)
  if (found === undefined || found.kind === 'NULL') return undefined
  return withNullability(found, nullable)
}

/**
 * The type both sides of a comparison (`=`, `<`, `IN`, `BETWEEN`, `IS DISTINCT FROM`) are
 * compared as, or `undefined` when they cannot be compared (Flink: "Cannot apply '=' to
 * arguments of type ...").
 *
 * @remarks
 * Comparable are numbers with numbers, character strings with character strings, binary
 * strings with binary strings, `TIME` with `TIME`, `TIMESTAMP`/`TIMESTAMP_LTZ` with either,
 * and otherwise equal kinds with a common type (`DATE`, `BOOLEAN`, intervals, `ARRAY`, `MAP`,
 * `ROW`). `NULL` compares with anything. There is no implicit conversion between strings and
 * numbers, as in Flink.
 */
export const comparisonType = (a: DataType, b: DataType): DataType | undefined => {
  if (a.kind === 'NULL' && b.kind === 'NULL') return undefined
  if (a.kind !== 'NULL' && b.kind !== 'NULL' && !areSimilarTypes(a, b)) return undefined
  return commonType([a, b])
}

/** Whether values of `t` have an order (`<`, `ORDER BY`, `MIN`): every predefined type but intervals mixed with others; not `ARRAY`, `MAP`, `MULTISET`, `ROW`. */
export const isOrderable = (t: DataType): boolean => hasFamily(t, 'PREDEFINED') || t.kind === 'NULL'

/** Whether `t` is of the named family (exposed for function type checks). */
export const isFamily = (t: DataType, family: 'CHARACTER_STRING' | 'BINARY_STRING' | 'EXACT_NUMERIC' | 'APPROXIMATE_NUMERIC' | 'NUMERIC' | 'DATETIME' | 'INTERVAL' | 'CONSTRUCTED' | 'PREDEFINED'): boolean =>
  hasFamily(t, family)

/**
 * The result type of an arithmetic operator over two numeric types, as Flink (Calcite with
 * `FlinkTypeSystem`) derives it.
 *
 * @remarks
 * - `+`, `-`, `*`: `DECIMAL` rules when one side is `DECIMAL` and the other exact (an integer
 *   type counts as `DECIMAL(3|5|10|19, 0)`), otherwise the least restrictive type: `INT + BIGINT`
 *   is `BIGINT`, `INT + INT` stays `INT` (and overflows as Java's `int` does), anything with
 *   `DOUBLE` is `DOUBLE`, `DECIMAL` with `FLOAT`/`DOUBLE` is `DOUBLE`.
 * - `/`: the same, with the `DECIMAL` division rule; `INT / INT` is an integer division (`INT`).
 * - `%`: exact numbers only; `DECIMAL` rule, otherwise the type of the right operand (Calcite's
 *   `MOD`).
 *
 * Nullable if either side is. Returns `undefined` for non-numeric operands.
 */
export const arithmeticType = (op: '+' | '-' | '*' | '/' | '%', a: DataType, b: DataType): DataType | undefined => {
  if (!hasFamily(a, 'NUMERIC') || !hasFamily(b, 'NUMERIC')) return undefined
  const nullable = a.nullable || b.nullable
  const exact = hasFamily(a, 'EXACT_NUMERIC') && hasFamily(b, 'EXACT_NUMERIC')
  if (op === '%' && !exact) return undefined
  if (exact && (a.kind === 'DECIMAL' || b.kind === 'DECIMAL')) {
    const p1 = exactPrecision(a)
    const s1 = exactScale(a)
    const p2 = exactPrecision(b)
    const s2 = exactScale(b)
    switch (op) {
      case '+':
      case '-':
        return decimalPlusType(p1, s1, p2, s2, nullable)
      case '*':
        return decimalTimesType(p1, s1, p2, s2, nullable)
      case '/':
        return decimalDivideType(p1, s1, p2, s2, nullable)
      case '%':
        return decimalModType(p1, s1, p2, s2, nullable)
    }
  }
  if (op === '%') return withNullability(withoutTimeAttribute(b), nullable)
  const common = commonType([a, b])
  return common === undefined ? undefined : withNullability(common, nullable)
}

/** `VARCHAR(n)` or `STRING` for a length that may exceed the maximum. */
export const varcharOf = (length: number, nullable: boolean): DataType => ({ kind: 'VARCHAR', length: Math.min(Math.max(length, 1), MAX_LENGTH), nullable })
