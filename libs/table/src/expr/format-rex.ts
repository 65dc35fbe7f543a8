/**
 * Resolved expressions as SQL-like text, for `EXPLAIN` and for runtime error messages.
 *
 * @packageDocumentation
 */
import { type DataType, formatType } from '../types/data-type.js'
import { formatValue } from './format-value.js'
import type { Rex } from './rex.js'

/** Names of the input fields, to print `price` instead of `$2`. */
export interface RexNames {
  readonly left?: readonly string[]
  readonly right?: readonly string[]
}

const INFIX = new Set(['+', '-', '*', '/', '%', '=', '<>', '<', '<=', '>', '>=', 'AND', 'OR', '||', 'LIKE', 'SIMILAR TO', 'IS DISTINCT FROM', 'IS NOT DISTINCT FROM'])
const POSTFIX = new Set(['IS NULL', 'IS NOT NULL', 'IS TRUE', 'IS NOT TRUE', 'IS FALSE', 'IS NOT FALSE'])

const formatLiteral = (value: unknown, type: DataType): string => {
  if (value === null || value === undefined) return 'NULL'
  switch (type.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return `'${String(value).replace(/'/g, "''")}'`
    case 'BOOLEAN':
      return value ? 'TRUE' : 'FALSE'
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      return `${type.kind} '${formatValue(value, type, 'cast')}'`
    case 'TIMESTAMP_LTZ':
      return `TO_TIMESTAMP_LTZ(${String(value)}, 3)`
    case 'INTERVAL_DAY_TIME':
    case 'INTERVAL_YEAR_MONTH':
      return `INTERVAL '${formatValue(value, type, 'cast')}'`
    case 'ARRAY':
    case 'MULTISET':
      return `ARRAY[${(value as unknown[]).map((v) => formatLiteral(v, type.element)).join(', ')}]`
    case 'ROW':
      return `ROW(${(value as unknown[]).map((v, i) => formatLiteral(v, type.fields[i]?.type ?? type)).join(', ')})`
    default:
      return formatValue(value, type, 'cast')
  }
}

/** Binding strength of an operator when printed (higher binds tighter); calls and atoms bind tightest. */
const precedence = (r: Rex): number => {
  if (r.kind !== 'call') return 10
  switch (r.op) {
    case 'OR':
      return 1
    case 'AND':
      return 2
    case 'NOT':
      return 3
    case '=':
    case '<>':
    case '<':
    case '<=':
    case '>':
    case '>=':
    case 'LIKE':
    case 'SIMILAR TO':
    case 'IS DISTINCT FROM':
    case 'IS NOT DISTINCT FROM':
    case 'IN':
      return 4
    case '||':
      return 5
    case '+':
      return 6
    case '-':
      return r.args.length === 1 ? 8 : 6
    case '*':
    case '/':
    case '%':
      return 7
    default:
      return POSTFIX.has(r.op) ? 4 : 10
  }
}

/**
 * An expression as text: `price * 2 > 10`, `CAST(name AS INT)`, `CASE WHEN ... END`. Input fields
 * print by name when `names` has them, else as `$0` (and `$r0` for the right input).
 *
 * @category Expressions
 * @since 0.1.0
 */
export const formatRex = (rex: Rex, names?: RexNames): string => {
  const f = (r: Rex): string => formatRex(r, names)
  const own = precedence(rex)
  // a child in parentheses when it binds less tightly than this call (or as tightly, on the right)
  const p = (r: Rex, right = false): string => (precedence(r) < own || (right && precedence(r) === own && own < 10) ? `(${f(r)})` : f(r))
  switch (rex.kind) {
    case 'input': {
      const n = rex.side === 0 ? names?.left?.[rex.index] : names?.right?.[rex.index]
      return n ?? (rex.side === 0 ? `$${rex.index}` : `$r${rex.index}`)
    }
    case 'literal':
      return formatLiteral(rex.value, rex.type)
    case 'field': {
      const t = rex.expr.type
      const name = t.kind === 'ROW' ? t.fields[rex.index]?.name : undefined
      return `${precedence(rex.expr) < 10 ? `(${f(rex.expr)})` : f(rex.expr)}.${name ?? `$${rex.index}`}`
    }
    case 'udf':
      return `${rex.name}(${rex.args.map(f).join(', ')})`
    case 'call': {
      const a = rex.args
      const op = rex.op
      if (INFIX.has(op) && a.length === 2) return `${p(a[0]!)} ${op} ${p(a[1]!, !(op === 'AND' || op === 'OR' || op === '+' || op === '*' || op === '||'))}`
      if ((op === 'AND' || op === 'OR') && a.length > 2) return a.map((x) => p(x)).join(` ${op} `)
      if ((op === 'LIKE' || op === 'SIMILAR TO') && a.length === 3) return `${p(a[0]!)} ${op} ${p(a[1]!)} ESCAPE ${f(a[2]!)}`
      if (op === '-' && a.length === 1) return `-${p(a[0]!, true)}`
      if (op === 'NOT') return `NOT ${p(a[0]!)}`
      if (POSTFIX.has(op)) return `${p(a[0]!, true)} ${op}`
      switch (op) {
        case 'CAST':
        case 'TRY_CAST':
          return `${op}(${f(a[0]!)} AS ${formatType({ ...rex.type, nullable: true })})`
        case 'CASE': {
          let s = 'CASE'
          for (let i = 0; i + 1 < a.length; i += 2) s += ` WHEN ${f(a[i]!)} THEN ${f(a[i + 1]!)}`
          return `${s} ELSE ${f(a[a.length - 1]!)} END`
        }
        case 'IN':
          return `${p(a[0]!, true)} IN (${a.slice(1).map(f).join(', ')})`
        case 'EXTRACT':
          return `EXTRACT(${String((a[0] as { value?: unknown }).value)} FROM ${f(a[1]!)})`
        case 'FLOOR':
        case 'CEIL':
          return a.length === 2 ? `${op}(${f(a[0]!)} TO ${String((a[1] as { value?: unknown }).value)})` : `${op}(${f(a[0]!)})`
        case 'TIMESTAMPADD':
        case 'TIMESTAMPDIFF':
          return `${op}(${String((a[0] as { value?: unknown }).value)}, ${f(a[1]!)}, ${f(a[2]!)})`
        case 'ITEM':
          return `${a[0]!.kind === 'call' && precedence(a[0]!) < 10 ? `(${f(a[0]!)})` : f(a[0]!)}[${f(a[1]!)}]`
        case 'ARRAY':
        case 'MAP':
          return `${op}[${a.map(f).join(', ')}]`
        default:
          return `${op}(${a.map(f).join(', ')})`
      }
    }
  }
}
