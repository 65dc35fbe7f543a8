/**
 * Resolved expressions compiled into plain JavaScript functions by code generation: one
 * generated function per projection or predicate, constants and helpers passed in, common
 * subexpressions computed once.
 *
 * @remarks
 * The generated code is straight-line JavaScript over the row's field array: no closures, no
 * argument arrays, no Promise, no fp-ts per record; `NULL` checks only where a type is nullable.
 * `AND`, `OR`, `CASE`, `COALESCE`, `IF` and `IN` evaluate lazily, as in SQL engines (a `CASE`
 * branch that would fail is not evaluated); a subexpression is shared only within the branch
 * where it is computed. Deterministic calls over literals are folded first (`foldConstants`).
 *
 * What is compiled is a factory: call it once per operator instance with the
 * {@link ExprRuntime} (clock and watermark), then call the returned function per record.
 *
 * @packageDocumentation
 */
import { formatType } from '../types/data-type.js'
import { definitionOf, inEquals, siteOf, specializeCall } from './evaluate.js'
import { foldConstants } from './fold.js'
import type { RexNames } from './format-rex.js'
import type { Rex, RexCall } from './rex.js'
import type { ExprRuntime } from './runtime.js'

/** The runtime context of compiled expressions (re-exported: operators import it with the compiler). */
export type { ExprRuntime } from './runtime.js'

/** A compiled scalar expression: the row's fields (and the right row's, for two-input operators) to a value (`null` for `NULL`). */
export type ScalarFn = (fields: readonly unknown[], right?: readonly unknown[]) => unknown
/** A compiled projection: the row's fields to a new array of values. */
export type ProjectionFn = (fields: readonly unknown[], right?: readonly unknown[]) => unknown[]
/** A compiled predicate: `true` only when the condition is `TRUE` (not `FALSE`, not `NULL`). */
export type PredicateFn = (fields: readonly unknown[], right?: readonly unknown[]) => boolean

/** Options of the compiler. */
export interface CompileOptions {
  /** Names of the input fields, for runtime error messages (`CAST(name AS INT)` rather than `CAST($1 AS INT)`). */
  readonly fieldNames?: readonly string[]
  /** Names of the right input's fields. */
  readonly rightFieldNames?: readonly string[]
  /** Fold constant subexpressions first (default true). */
  readonly fold?: boolean
}

const MAX_INLINE_DEPTH = 64

class CodeGen {
  private readonly constants: unknown[] = []
  private readonly constantNames = new Map<unknown, string>()
  private readonly out: string[] = []
  private readonly scopes: Map<string, string>[] = [new Map()]
  private readonly keys = new WeakMap<Rex, string>()
  private readonly objectIds = new WeakMap<object, number>()
  private nextId = 0
  private indent = '  '

  constructor(private readonly names: RexNames | undefined) {}

  /** A constant's name in the generated code (`k3`). */
  k = (value: unknown): string => {
    let name = this.constantNames.get(value)
    if (name === undefined) {
      name = `k${this.constants.length}`
      this.constants.push(value)
      this.constantNames.set(value, name)
    }
    return name
  }

  private emit(line: string): void {
    this.out.push(this.indent + line)
  }

  private fresh(): string {
    return `v${this.nextId++}`
  }

  private objectId(o: object): number {
    let id = this.objectIds.get(o)
    if (id === undefined) {
      id = this.nextId++
      this.objectIds.set(o, id)
    }
    return id
  }

  /** A structural key for common subexpressions; unique for non-deterministic calls. */
  private keyOf(rex: Rex): string {
    let key = this.keys.get(rex)
    if (key !== undefined) return key
    switch (rex.kind) {
      case 'input':
        key = `$${rex.side}.${rex.index}`
        break
      case 'literal':
        key = typeof rex.value === 'object' && rex.value !== null ? `#${this.objectId(rex.value)}` : `${typeof rex.value}:${String(rex.value)}:${formatType(rex.type)}`
        break
      case 'field':
        key = `${this.keyOf(rex.expr)}.${rex.index}`
        break
      case 'udf':
        key = rex.deterministic ? `udf#${this.objectId(rex.fn)}(${rex.args.map((a) => this.keyOf(a)).join(',')})` : `!${this.nextId++}`
        break
      case 'call': {
        const def = definitionOf(rex.op)
        key = def.deterministic || def.perRecord === true ? `${rex.op}:${formatType(rex.type)}(${rex.args.map((a) => this.keyOf(a)).join(',')})` : `!${this.nextId++}`
        break
      }
    }
    this.keys.set(rex, key)
    return key
  }

  private lookup(key: string): string | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(key)
      if (v !== undefined) return v
    }
    return undefined
  }

  private remember(rex: Rex, v: string): string {
    this.scopes[this.scopes.length - 1]!.set(this.keyOf(rex), v)
    return v
  }

  /** Emits `head {`, runs `body` in a nested scope, and closes the block. */
  private block(head: string, body: () => void): void {
    this.emit(`${head} {`)
    this.scopes.push(new Map())
    const saved = this.indent
    this.indent += '  '
    body()
    this.indent = saved
    this.scopes.pop()
    this.emit('}')
  }

  /** Code of a literal value: inline for primitives, a constant otherwise. */
  private literalCode(value: unknown): string {
    if (value === null || value === undefined) return 'null'
    switch (typeof value) {
      case 'boolean':
        return String(value)
      case 'number':
        // negative numbers in parentheses, so that templates may put any operator before them
        return Object.is(value, -0) ? '(-0)' : Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '(-Infinity)' : value < 0 ? `(${value})` : `${value}`
      case 'string':
        return JSON.stringify(value)
      default:
        return this.k(value)
    }
  }

  /** Generates the code computing `rex`; returns an expression naming its value (a variable or a literal). */
  gen(rex: Rex, depth = 0): string {
    if (depth > MAX_INLINE_DEPTH * 64) throw new Error('expression too deep to compile')
    switch (rex.kind) {
      case 'input':
        return rex.side === 0 ? `f[${rex.index}]` : `r[${rex.index}]`
      case 'literal':
        return this.literalCode(rex.value)
      default:
        break
    }
    const known = this.lookup(this.keyOf(rex))
    if (known !== undefined) return known
    switch (rex.kind) {
      case 'field': {
        const e = this.gen(rex.expr, depth + 1)
        const v = this.fresh()
        this.emit(`const ${v} = ${e} == null ? null : (${e}[${rex.index}] ?? null);`)
        return this.remember(rex, v)
      }
      case 'udf': {
        const args = rex.args.map((a) => this.gen(a, depth + 1))
        const v = this.fresh()
        this.emit(`const ${v} = ${this.k(rex.fn)}(${args.join(', ')}) ?? null;`)
        return this.remember(rex, v)
      }
      case 'call':
        return this.remember(rex, this.call(rex, depth))
    }
  }

  private call(rex: RexCall, depth: number): string {
    switch (rex.op) {
      case 'AND':
      case 'OR':
        return this.andOr(rex, depth)
      case 'CASE':
        return this.caseWhen(rex.args, depth)
      case 'IF':
        return this.caseWhen(rex.args, depth)
      case 'COALESCE':
        return this.coalesce(rex, depth)
      case 'IN':
        return this.inList(rex, depth)
      default:
        break
    }
    const def = definitionOf(rex.op)
    const impl = specializeCall(rex, this.names)
    const args = rex.args.map((a) => this.gen(a, depth + 1))
    const callArgs = def.runtime === true ? ['rt', ...args] : args
    const expr = impl.inline !== undefined ? impl.inline(callArgs, this.k) : `${this.k(impl.fn)}(${callArgs.join(', ')})`
    const v = this.fresh()
    if (def.nulls === 'strict') {
      const checks = rex.args.flatMap((a, i) => (a.type.nullable || a.type.kind === 'NULL' ? [`${args[i]} != null`] : []))
      if (rex.args.some((a) => a.kind === 'literal' && (a.value === null || a.value === undefined))) {
        this.emit(`const ${v} = null;`)
        return v
      }
      if (checks.length > 0) {
        this.emit(`let ${v} = null;`)
        this.emit(`if (${checks.join(' && ')}) ${v} = ${expr};`)
        return v
      }
    }
    this.emit(`const ${v} = ${expr};`)
    return v
  }

  private andOr(rex: RexCall, depth: number): string {
    const isAnd = rex.op === 'AND'
    const stop = isAnd ? 'false' : 'true'
    const v = this.fresh()
    this.emit(`let ${v} = ${isAnd ? 'true' : 'false'};`)
    const step = (i: number): void => {
      const a = this.gen(rex.args[i]!, depth + 1)
      this.emit(`if (${a} === ${stop}) ${v} = ${stop};`)
      this.block('else', () => {
        this.emit(`if (${a} == null) ${v} = null;`)
        if (i + 1 < rex.args.length) step(i + 1)
      })
    }
    step(0)
    return v
  }

  private caseWhen(args: readonly Rex[], depth: number): string {
    const v = this.fresh()
    this.emit(`let ${v} = null;`)
    const step = (i: number): void => {
      if (i === args.length - 1) {
        const e = this.gen(args[i]!, depth + 1)
        this.emit(`${v} = ${e};`)
        return
      }
      const w = this.gen(args[i]!, depth + 1)
      this.block(`if (${w} === true)`, () => {
        const t = this.gen(args[i + 1]!, depth + 1)
        this.emit(`${v} = ${t};`)
      })
      this.block('else', () => step(i + 2))
    }
    step(0)
    return v
  }

  private coalesce(rex: RexCall, depth: number): string {
    const v = this.fresh()
    const first = this.gen(rex.args[0]!, depth + 1)
    this.emit(`let ${v} = ${first};`)
    const step = (i: number): void => {
      if (i >= rex.args.length) return
      this.block(`if (${v} == null)`, () => {
        const e = this.gen(rex.args[i]!, depth + 1)
        this.emit(`${v} = ${e};`)
        step(i + 1)
      })
    }
    step(1)
    this.emit(`if (${v} === undefined) ${v} = null;`)
    return v
  }

  private inList(rex: RexCall, depth: number): string {
    const [x, ...list] = rex.args as [Rex, ...Rex[]]
    const xv = this.gen(x, depth + 1)
    const v = this.fresh()
    this.emit(`let ${v} = null;`)
    const primitive = list.every((e) => e.kind === 'literal' && (e.value === null || typeof e.value !== 'object'))
    if (primitive) {
      const values = new Set(list.map((e) => (e as { value: unknown }).value).filter((e) => e !== null && e !== undefined))
      const sawNull = list.some((e) => (e as { value: unknown }).value === null || (e as { value: unknown }).value === undefined)
      this.emit(`if (${xv} != null) ${v} = ${this.k(values)}.has(${xv}) ? true : ${sawNull ? 'null' : 'false'};`)
      return v
    }
    const t = x.type
    const eqFn = definitionOf('=').specialize!({ args: [x, x], argTypes: [t, t], type: rex.type, site: siteOf(rex, this.names) }).fn
    const eq = this.k((a: unknown, b: unknown) => inEquals(a, b, (p, q) => eqFn(p, q) === true))
    const n = this.fresh()
    this.emit(`let ${n} = false;`)
    this.block(`if (${xv} != null)`, () => {
      const step = (i: number): void => {
        if (i >= list.length) {
          this.emit(`${v} = ${n} ? null : false;`)
          return
        }
        const e = this.gen(list[i]!, depth + 1)
        this.emit(`if (${e} == null) ${n} = true;`)
        this.emit(`else if (${eq}(${xv}, ${e})) ${v} = true;`)
        this.block(`if (${v} !== true)`, () => step(i + 1))
      }
      step(0)
    })
    return v
  }

  /** Builds the factory of a function whose body ends with `result(exprs)`. */
  finish<F>(bodyEnd: string, name: string): (rt: ExprRuntime) => F {
    const prelude = this.constants.map((_, i) => `const k${i} = k[${i}];`).join('\n')
    const source = `${prelude}\nreturn function ${name}(f, r) {\n${this.out.join('\n')}\n  ${bodyEnd}\n};`
    let make: (k: unknown[], rt: ExprRuntime) => F
    try {
      make = new Function('k', 'rt', source) as typeof make
    } catch (e) {
      throw new Error(`Internal error: generated code does not compile:\n${source}`, { cause: e })
    }
    const constants = this.constants
    const factory = (rt: ExprRuntime): F => make(constants, rt)
    Object.defineProperty(factory, 'source', { value: source })
    return factory
  }
}

const namesOf = (options?: CompileOptions): RexNames | undefined =>
  options?.fieldNames === undefined && options?.rightFieldNames === undefined
    ? undefined
    : { ...(options.fieldNames === undefined ? {} : { left: options.fieldNames }), ...(options.rightFieldNames === undefined ? {} : { right: options.rightFieldNames }) }

const prepare = (rex: Rex, options?: CompileOptions): Rex => (options?.fold === false ? rex : foldConstants(rex))

/**
 * Compiles one expression.
 *
 * @returns a factory: `compileScalar(rex)(rt)(fields)` gives the value (`null` for `NULL`).
 *
 * @remarks
 * A failing call throws a `SqlRuntimeError` naming the expression and its position
 * (`Failed to evaluate CAST(name AS INT) at line 1, column 8: Cannot cast 'abc' to INT.`).
 *
 * @category Expressions
 * @since 0.1.0
 */
export const compileScalar = (rex: Rex, options?: CompileOptions): ((rt: ExprRuntime) => ScalarFn) => {
  const g = new CodeGen(namesOf(options))
  const e = g.gen(prepare(rex, options))
  return g.finish<ScalarFn>(`return ${e};`, 'scalar')
}

/**
 * Compiles a projection: one new array of values per row, subexpressions shared across the
 * projected expressions.
 *
 * @category Expressions
 * @since 0.1.0
 */
export const compileProjection = (rexes: readonly Rex[], options?: CompileOptions): ((rt: ExprRuntime) => ProjectionFn) => {
  const g = new CodeGen(namesOf(options))
  const es = rexes.map((r) => g.gen(prepare(r, options)))
  return g.finish<ProjectionFn>(`return [${es.join(', ')}];`, 'projection')
}

/**
 * Compiles a condition: the function returns `true` only when the condition is `TRUE`.
 *
 * @category Expressions
 * @since 0.1.0
 */
export const compilePredicate = (rex: Rex, options?: CompileOptions): ((rt: ExprRuntime) => PredicateFn) => {
  const g = new CodeGen(namesOf(options))
  const e = g.gen(prepare(rex, options))
  return g.finish<PredicateFn>(`return ${e} === true;`, 'predicate')
}

/** The generated JavaScript of a compiled factory (for debugging and `EXPLAIN`), if available. */
export const generatedSource = (factory: unknown): string | undefined => (factory as { source?: string }).source
