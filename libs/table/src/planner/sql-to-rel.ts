/**
 * From the syntax tree of a query to a relational plan ({@link Rel}): names resolved against the
 * catalog and the query's own scopes, expressions typed, aggregates and OVER windows pulled out
 * into their own nodes.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { AGGREGATE_NAMES, inferAggregateType } from '../aggregate/builtin-aggregates.js'
import type { AggregateCall } from '../aggregate/aggregate-call.js'
import { type Catalog, type CatalogObject, type CatalogTable, type CatalogStreamTable, objectName, qualifiedName } from '../catalog/catalog.js'
import type { ConnectorContext, TableConnectorFactory } from '../connectors/table-connector.js'
import type { SqlProblem } from '../errors.js'
import { compileScalar } from '../expr/compile.js'
import { resolveExpr } from '../expr/resolve.js'
import { call, inputRef, type Rex } from '../expr/rex.js'
import type { ResolveContext, ScopeField } from '../expr/scope.js'
import type {
  Expr,
  FunctionCall,
  GroupingElement,
  JoinTableRef,
  NamedTableRef,
  OrderItem,
  Pos,
  Query,
  SelectQuery,
  TableFunctionRef,
  TableRef,
  WindowSpec as WindowSpecSyntax,
} from '../sql/ast.js'
import { formatExpr } from '../sql/format-sql.js'
import { commonType } from '../types/coercion.js'
import { DataTypes, isRowtime, isTimeAttribute, formatType, withNullability, type DataType } from '../types/data-type.js'
import { exprKey, fail, stage, unwrap } from './problems.js'
import { analyzeJoinCondition, andAll, toTwoSided } from './rules.js'
import type { CalcRel, Field, OverFrame, Rel, SortKey, WindowSpec, WindowTvfRel } from './rel.js'
import { systemRuntime } from '../expr/runtime.js'

/** What the planner reads: the catalog, the connectors, the mode. */
export interface PlannerEnv {
  readonly catalog: Catalog
  /** The connector factory for an identifier, if one is registered. */
  readonly connector: (identifier: string) => TableConnectorFactory | undefined
  /** Every registered connector identifier, for messages. */
  readonly connectorNames: () => readonly string[]
  readonly runtimeMode: 'STREAMING' | 'BATCH'
}

/** A relation being built: its plan and the names its fields are visible by. */
export interface Relation {
  readonly rel: Rel
  /** One entry per field of `rel`, same order. */
  readonly scope: readonly ScopeField[]
}

interface QueryCtx {
  readonly env: PlannerEnv
  /** The CTEs visible here, by name. */
  readonly ctes: ReadonlyMap<string, { readonly query: Query; readonly columns?: readonly string[] }>
  /** Views being expanded, to report a cycle instead of recursing forever. */
  readonly expanding: readonly string[]
}

/** Converts a query to a plan whose fields are named by the query's select list. */
export const queryToRel = (env: PlannerEnv, query: Query): E.Either<readonly SqlProblem[], Relation> =>
  stage(() => convertQuery(query, { env, ctes: new Map(), expanding: [] }))

/** Converts a query inside a stage (throws `Problems`). @internal */
export const convertQueryIn = (env: PlannerEnv, query: Query): Relation => convertQuery(query, { env, ctes: new Map(), expanding: [] })

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

const fieldsOf = (scope: readonly ScopeField[]): Field[] => scope.map((f) => ({ name: f.name, type: f.type }))

const scopeOf = (fields: readonly Field[], qualifier?: string): ScopeField[] =>
  fields.map((f, index) => (qualifier === undefined ? { name: f.name, type: f.type, side: 0, index } : { name: f.name, qualifier, type: f.type, side: 0, index }))

const requalify = (scope: readonly ScopeField[], qualifier: string | undefined, columnAliases?: readonly string[], pos?: Pos): ScopeField[] => {
  const visible = scope.filter((f) => f.hidden !== true)
  if (columnAliases !== undefined && columnAliases.length !== visible.length)
    fail(`The alias list has ${columnAliases.length} names, but the relation has ${visible.length} columns.`, pos)
  let v = 0
  return scope.map((f, index) => {
    const name = f.hidden === true || columnAliases === undefined ? f.name : columnAliases[v++]!
    const base: ScopeField = { name, type: f.type, side: 0, index, ...(f.hidden === true ? { hidden: true } : {}) }
    return qualifier === undefined ? base : { ...base, qualifier }
  })
}

const aggregateNames = (env: PlannerEnv): ReadonlySet<string> => {
  const names = new Set(AGGREGATE_NAMES)
  for (const n of env.catalog.functions.aggregate.keys()) names.add(n)
  return names
}

/** A resolve context for a clause where aggregates, OVER and subqueries are not allowed. */
const plainCtx = (env: PlannerEnv, clause: string, more: Partial<ResolveContext> = {}): ResolveContext => ({
  clause,
  functions: env.catalog.functions.scalar,
  aggregateNames: aggregateNames(env),
  ...more,
})

const resolve = (expr: Expr, scope: readonly ScopeField[], ctx: ResolveContext): Rex => unwrap(resolveExpr(expr, { fields: scope }, ctx))

const isInputRef = (r: Rex): r is Extract<Rex, { kind: 'input' }> => r.kind === 'input'

/** Evaluates a constant expression (an interval, a LIMIT). */
export const evalConstant = (rex: Rex, what: string, pos?: Pos): unknown => {
  const fn = compileScalar(rex)(systemRuntime)
  try {
    return fn([])
  } catch (e) {
    return fail(`${what} could not be computed: ${(e as Error).message}`, pos)
  }
}

const constantMs = (expr: Expr, env: PlannerEnv, what: string): number => {
  const rex = resolve(expr, [], plainCtx(env, what))
  if (rex.type.kind !== 'INTERVAL_DAY_TIME') fail(`${what} must be a day-time interval (e.g. INTERVAL '10' MINUTES), not ${formatType(rex.type)}.`, expr.pos)
  const v = evalConstant(rex, what, expr.pos)
  if (typeof v !== 'number' || !(v > 0)) fail(`${what} must be a positive interval.`, expr.pos)
  return v as number
}

const calc = (input: Rel, projects: readonly Rex[], names: readonly string[], condition?: Rex): CalcRel => ({
  kind: 'calc',
  input,
  projects,
  fields: projects.map((p, i) => ({ name: names[i]!, type: p.type })),
  ...(condition === undefined ? {} : { condition }),
})

const identity = (rel: Rel): Rex[] => rel.fields.map((f, i) => inputRef(i, f.type))

/** Unique output names: duplicates get `0`, `1`... suffixes as Flink does (`EXPR$0`, `a0`). */
const uniqueNames = (names: readonly string[]): string[] => {
  const seen = new Set<string>()
  return names.map((n) => {
    let name = n
    for (let i = 0; seen.has(name); i++) name = `${n}${i}`
    seen.add(name)
    return name
  })
}

// ---------------------------------------------------------------------------------------------
// queries
// ---------------------------------------------------------------------------------------------

const convertQuery = (q: Query, ctx: QueryCtx): Relation => {
  let r: Relation
  switch (q.type) {
    case 'select':
      r = convertSelect(q, ctx)
      break
    case 'with': {
      const ctes = new Map(ctx.ctes)
      for (const c of q.ctes) ctes.set(c.name, c.columns === undefined ? { query: c.query } : { query: c.query, columns: c.columns })
      r = convertQuery(q.body, { ...ctx, ctes })
      break
    }
    case 'paren':
      r = convertQuery(q.query, ctx)
      break
    case 'values':
      r = convertValues(q.rows, ctx, q.pos)
      break
    case 'setOp':
      r = convertSetOp(q, ctx)
      break
  }
  // ORDER BY / LIMIT / OFFSET written at this level (a select's own are handled in convertSelect)
  if (q.type !== 'select' && (q.orderBy !== undefined || q.limit !== undefined || q.offset !== undefined)) r = orderLimit(r, q.orderBy ?? [], q.limit, q.offset, ctx, r.scope)
  return r
}

const convertValues = (rows: readonly (readonly Expr[])[], ctx: QueryCtx, pos: Pos): Relation => {
  if (rows.length === 0) fail('VALUES needs at least one row.', pos)
  const width = rows[0]!.length
  const resolved = rows.map((row, ri) => {
    if (row.length !== width) fail(`Row ${ri + 1} of VALUES has ${row.length} values, but the first row has ${width}.`, row[0]?.pos ?? pos)
    return row.map((e) => resolve(e, [], plainCtx(ctx.env, 'VALUES')))
  })
  const types = Array.from({ length: width }, (_, i) => {
    const t = commonType(resolved.map((r) => r[i]!.type))
    if (t === undefined) fail(`The values of column ${i + 1} of VALUES have no common type: ${resolved.map((r) => formatType(r[i]!.type)).join(', ')}.`, rows[0]![i]!.pos)
    return t!
  })
  const values = resolved.map((r) => r.map((rex, i) => evalConstant(castIfNeeded(rex, types[i]!), 'A VALUES expression', rows[0]![i]!.pos)))
  const fields = types.map((type, i) => ({ name: `EXPR$${i}`, type }))
  return { rel: { kind: 'values', rows: values, fields }, scope: scopeOf(fields) }
}

/** `rex` cast to `type` unless it already has it (nullability aside). */
export const castIfNeeded = (rex: Rex, type: DataType): Rex => {
  if (formatType(withNullability(rex.type, true)) === formatType(withNullability(type, true))) return rex
  return call('CAST', [rex], withNullability(type, rex.type.nullable || type.nullable))
}

const convertSetOp = (q: Extract<Query, { type: 'setOp' }>, ctx: QueryCtx): Relation => {
  const left = convertQuery(q.left, ctx)
  const right = convertQuery(q.right, ctx)
  const lv = left.scope.filter((f) => f.hidden !== true)
  const rv = right.scope.filter((f) => f.hidden !== true)
  if (lv.length !== rv.length) fail(`The inputs of ${q.op} have ${lv.length} and ${rv.length} columns; they must have the same number.`, q.pos)
  const types = lv.map((f, i) => {
    const t = commonType([f.type, rv[i]!.type])
    if (t === undefined) fail(`Column ${i + 1} of ${q.op} has types ${formatType(f.type)} and ${formatType(rv[i]!.type)}, which have no common type.`, q.pos)
    return t!
  })
  const names = lv.map((f) => f.name)
  const align = (r: Relation, visible: readonly ScopeField[]): Rel =>
    calc(r.rel, visible.map((f, i) => castIfNeeded(inputRef(f.index, f.type), types[i]!)), names)
  const l = align(left, lv)
  const rr = align(right, rv)
  const fields = types.map((type, i) => ({ name: names[i]!, type }))
  if (q.op === 'UNION') {
    const union: Rel = { kind: 'union', inputs: [l, rr], fields }
    const rel: Rel = q.all ? union : { kind: 'aggregate', input: union, groupIndices: fields.map((_, i) => i), aggs: [], fields }
    return { rel, scope: scopeOf(fields) }
  }
  if (q.all) fail(`${q.op} ALL is not supported yet; use ${q.op} (without ALL).`, q.pos)
  // INTERSECT / EXCEPT: distinct left rows with (or without) an equal right row
  const distinctLeft: Rel = { kind: 'aggregate', input: l, groupIndices: fields.map((_, i) => i), aggs: [], fields }
  const keys = fields.map((_, i) => i)
  const rel: Rel = { kind: 'join', left: distinctLeft, right: rr, joinType: q.op === 'INTERSECT' ? 'SEMI' : 'ANTI', leftKeys: keys, rightKeys: keys, fields }
  return { rel, scope: scopeOf(fields) }
}

// ---------------------------------------------------------------------------------------------
// FROM
// ---------------------------------------------------------------------------------------------

const convertFrom = (ref: TableRef, ctx: QueryCtx): Relation => {
  switch (ref.type) {
    case 'table':
      return convertNamedTable(ref, ctx)
    case 'subquery': {
      if (ref.lateral) fail('LATERAL subqueries are not supported yet.', ref.pos)
      const r = convertQuery(ref.query, ctx)
      return { rel: r.rel, scope: requalify(r.scope, ref.alias, ref.columnAliases, ref.pos) }
    }
    case 'join':
      return convertJoin(ref, ctx)
    case 'tableFunction':
      return convertTableFunction(ref, ctx)
    case 'unnest':
      return fail('UNNEST must be joined to the table whose column it expands: FROM t CROSS JOIN UNNEST(t.arr) AS u (x).', ref.pos)
  }
}

const convertNamedTable = (ref: NamedTableRef, ctx: QueryCtx): Relation => {
  if (ref.forSystemTimeAsOf !== undefined) fail('FOR SYSTEM_TIME AS OF is only supported on the right side of a join.', ref.pos)
  const qualifier = ref.alias ?? ref.name.parts[ref.name.parts.length - 1]!
  const r = tableRelation(ref, ctx)
  return { rel: r.rel, scope: requalify(r.scope, qualifier, ref.columnAliases, ref.pos) }
}

/** The relation a name stands for: a CTE, a view or a table. */
const tableRelation = (ref: NamedTableRef, ctx: QueryCtx): Relation => {
  const parts = ref.name.parts
  if (parts.length === 1) {
    const cte = ctx.ctes.get(parts[0]!)
    if (cte !== undefined) {
      const r = convertQuery(cte.query, { ...ctx, ctes: new Map([...ctx.ctes].filter(([n]) => n !== parts[0])) })
      return { rel: r.rel, scope: requalify(r.scope, undefined, cte.columns, ref.pos) }
    }
  }
  const name = objectName(parts)
  const obj = name === undefined ? undefined : ctx.env.catalog.get(name)
  if (name === undefined || obj === undefined) {
    const known = ctx.env.catalog.list().map((o) => o.name)
    return fail(`Table or view '${parts.join('.')}' does not exist${known.length === 0 ? ' (no tables are registered)' : `; known: ${known.join(', ')}`}.`, ref.name.pos)
  }
  return objectRelation(obj, ctx, ref.name.pos)
}

const objectRelation = (obj: CatalogObject, ctx: QueryCtx, pos: Pos): Relation => {
  switch (obj.kind) {
    case 'view': {
      if (ctx.expanding.includes(obj.name)) fail(`View '${obj.name}' refers to itself (${[...ctx.expanding, obj.name].join(' -> ')}).`, pos)
      const r = convertQuery(obj.query, { env: ctx.env, ctes: new Map(), expanding: [...ctx.expanding, obj.name] })
      return { rel: r.rel, scope: requalify(r.scope, undefined, obj.columnNames, pos) }
    }
    case 'stream':
      return streamTableRelation(obj)
    case 'table':
      return tableScan(obj, ctx.env, pos)
  }
}

const streamTableRelation = (t: CatalogStreamTable): Relation => {
  const fields = t.fields
  return { rel: { kind: 'streamScan', name: t.name, stream: t.stream, changelogMode: t.changelogMode, fields }, scope: scopeOf(fields) }
}

/** The connector context of a catalog table. */
export const connectorContext = (t: CatalogTable, env: PlannerEnv): ConnectorContext => {
  const pk = t.primaryKey
  return {
    tableName: qualifiedName(t.name),
    columns: t.columns.filter((c) => c.kind === 'physical').map((c) => ({ name: c.name, type: c.type })),
    metadataColumns: t.columns.flatMap((c) => (c.kind === 'metadata' ? [{ name: c.name, type: c.type, metadataKey: c.key }] : [])),
    ...(pk === undefined ? {} : { primaryKey: pk }),
    ...(t.partitionedBy === undefined || t.partitionedBy.length === 0 ? {} : { partitionKeys: t.partitionedBy }),
    options: t.options,
    runtimeMode: env.runtimeMode,
  }
}

/** The connector factory of a table, or a problem naming the known ones. */
export const connectorOf = (t: CatalogTable, env: PlannerEnv, pos?: Pos): TableConnectorFactory => {
  const id = t.options.get('connector')
  if (id === undefined) return fail(`Table '${t.name}' has no 'connector' option; known connectors: ${env.connectorNames().join(', ')}.`, pos)
  const f = env.connector(id)
  if (f === undefined) return fail(`Table '${t.name}' uses connector '${id}', which is not registered; known connectors: ${env.connectorNames().join(', ')}.`, pos)
  return f
}

const optionProblems = (t: CatalogTable, problems: readonly { option?: string; message: string }[], pos?: Pos): never =>
  fail(`Table '${t.name}': ${problems.map((p) => (p.option === undefined ? p.message : `option '${p.option}': ${p.message}`)).join(' ')}`, pos)

/** Reads a catalog table: its source, computed columns in declared order, and watermarks. */
const tableScan = (t: CatalogTable, env: PlannerEnv, pos: Pos): Relation => {
  const factory = connectorOf(t, env, pos)
  if (factory.createScanSource === undefined) fail(`Table '${t.name}' (connector '${factory.identifier}') can only be written to, not read.`, pos)
  const src = factory.createScanSource!(connectorContext(t, env))
  if (E.isLeft(src)) optionProblems(t, src.left, pos)
  const source = (src as E.Right<import('../connectors/table-connector.js').ScanTableSource>).right
  const physical = t.columns.filter((c) => c.kind === 'physical')
  const metadata = t.columns.filter((c) => c.kind === 'metadata')
  const sourceFields: Field[] = [...physical, ...metadata].map((c) => ({ name: c.name, type: c.type }))
  const scan: Rel = { kind: 'scan', table: qualifiedName(t.name), source, fields: sourceFields }
  return declaredOrder(t, scan, env)
}

/** Computed columns and watermarks over a table's source rows (physical, then metadata columns). */
export const declaredOrder = (t: CatalogTable, input: Rel, env: PlannerEnv): Relation => {
  const sourceScope = scopeOf(input.fields)
  const projects: Rex[] = t.columns.map((c) => {
    if (c.kind === 'computed') return resolve(c.expr, sourceScope, plainCtx(env, `the computed column '${c.name}'`))
    const i = input.fields.findIndex((f) => f.name === c.name)
    return inputRef(i, input.fields[i]!.type)
  })
  const names = t.columns.map((c) => c.name)
  const needsCalc = t.columns.some((c, i) => c.kind === 'computed' || (projects[i] as { index?: number }).index !== i) || projects.length !== input.fields.length
  let rel: Rel = needsCalc ? calc(input, projects, names) : input
  if (t.watermark !== undefined) {
    const wm = t.watermark
    const idx = names.indexOf(wm.column)
    if (idx < 0) fail(`The watermark column '${wm.column}' of table '${t.name}' does not exist.`)
    const colType = rel.fields[idx]!.type
    if (colType.kind !== 'TIMESTAMP' && colType.kind !== 'TIMESTAMP_LTZ') fail(`The watermark column '${wm.column}' of table '${t.name}' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not ${formatType(colType)}.`)
    const watermark = resolve(wm.expr, scopeOf(rel.fields), plainCtx(env, 'WATERMARK'))
    if (watermark.type.kind !== 'TIMESTAMP' && watermark.type.kind !== 'TIMESTAMP_LTZ') fail(`The watermark expression of table '${t.name}' must be a timestamp, not ${formatType(watermark.type)}.`)
    const fields = rel.fields.map((f, i) => (i === idx ? { name: f.name, type: { ...f.type, timeAttribute: 'ROWTIME' } as DataType } : f))
    rel = { kind: 'watermark', input: rel, rowtimeIndex: idx, watermark, fields }
  }
  return { rel, scope: scopeOf(rel.fields) }
}

// ---------------------------------------------------------------------------------------------
// joins
// ---------------------------------------------------------------------------------------------

/** Which sides a (combined-row) expression reads: bit 1 left, bit 2 right. */
const sidesOf = (r: Rex, leftWidth: number): number => {
  switch (r.kind) {
    case 'input':
      return r.index < leftWidth ? 1 : 2
    case 'literal':
      return 0
    case 'field':
      return sidesOf(r.expr, leftWidth)
    default:
      return r.args.reduce((m, a) => m | sidesOf(a, leftWidth), 0)
  }
}

/** Shifts the input references of an expression by `by`. */
export const shiftRefs = (r: Rex, by: number): Rex => {
  switch (r.kind) {
    case 'input':
      return inputRef(r.index + by, r.type, r.side)
    case 'literal':
      return r
    case 'field':
      return { ...r, expr: shiftRefs(r.expr, by) }
    case 'call':
      return { ...r, args: r.args.map((a) => shiftRefs(a, by)) }
    case 'udf':
      return { ...r, args: r.args.map((a) => shiftRefs(a, by)) }
  }
}

const convertJoin = (ref: JoinTableRef, ctx: QueryCtx): Relation => {
  const left = convertFrom(ref.left, ctx)
  // a lateral right side reads the left's columns
  if (ref.right.type === 'unnest' || (ref.right.type === 'tableFunction' && ref.right.lateral)) return convertCorrelate(left, ref, ctx)
  if (ref.right.type === 'table' && ref.right.forSystemTimeAsOf !== undefined) return convertTemporalJoin(left, ref, ref.right, ctx)
  const right = convertFrom(ref.right, ctx)
  const lw = left.rel.fields.length
  const combined: ScopeField[] = [...left.scope, ...right.scope.map((f) => ({ ...f, index: f.index + lw }))]
  let cond: Rex | undefined
  if (ref.on !== undefined) {
    cond = resolve(ref.on, combined, plainCtx(ctx.env, 'ON'))
    if (cond.type.kind !== 'BOOLEAN') fail(`The join condition must be BOOLEAN, not ${formatType(cond.type)}.`, ref.on.pos)
  } else if (ref.using !== undefined) {
    const eqs = ref.using.map((col) => {
      const l = left.scope.find((f) => f.name === col && f.hidden !== true)
      const r = right.scope.find((f) => f.name === col && f.hidden !== true)
      if (l === undefined || r === undefined) fail(`USING column '${col}' is not in both sides of the join.`, ref.pos)
      return call('=', [inputRef(l!.index, l!.type), inputRef(r!.index + lw, r!.type)], DataTypes.BOOLEAN())
    })
    cond = andAll(eqs)
  } else if (ref.joinType !== 'CROSS') fail(`${ref.joinType} JOIN needs an ON or USING condition.`, ref.pos)
  const joinType = ref.joinType === 'CROSS' ? 'INNER' : ref.joinType
  const { leftKeys, rightKeys, rest: conjuncts } = analyzeJoinCondition(cond, lw)
  // a condition on one side only filters that side's rows before they reach the join's state,
  // where the join type allows (the preserved side of an outer join keeps all its rows)
  const pushLeft = joinType === 'INNER' || joinType === 'RIGHT'
  const pushRight = joinType === 'INNER' || joinType === 'LEFT'
  const leftOnly = conjuncts.filter((c) => pushLeft && sidesOf(c, lw) === 1)
  const rightOnly = conjuncts.filter((c) => pushRight && sidesOf(c, lw) === 2)
  const rest = conjuncts.filter((c) => !leftOnly.includes(c) && !rightOnly.includes(c))
  const filtered = (r: Rel, conds: readonly Rex[]): Rel => {
    const c = andAll(conds)
    return c === undefined ? r : calc(r, identity(r), r.fields.map((f) => f.name), c)
  }
  const leftRel = filtered(left.rel, leftOnly)
  const rightRel = filtered(right.rel, rightOnly.map((c) => shiftRefs(c, -lw)))
  const restCond = andAll(rest)
  const nullable = (f: ScopeField, side: 'left' | 'right'): ScopeField =>
    (side === 'left' && (joinType === 'RIGHT' || joinType === 'FULL')) || (side === 'right' && (joinType === 'LEFT' || joinType === 'FULL'))
      ? { ...f, type: withNullability(f.type, true) }
      : f
  // USING (k): the unqualified k is the left's (the right's stays reachable as hidden `$using$k`)
  const usingCols = new Set(ref.using ?? [])
  const scope = combined.map((f, i) => {
    const g = nullable(f, i < lw ? 'left' : 'right')
    return i >= lw && usingCols.has(g.name) ? { ...g, name: `$using$${g.name}`, hidden: true } : g
  })
  const rel: Rel = {
    kind: 'join',
    left: leftRel,
    right: rightRel,
    joinType,
    leftKeys,
    rightKeys,
    ...(restCond === undefined ? {} : { condition: toTwoSided(restCond, lw) }),
    fields: fieldsOf(scope),
    pos: ref.pos,
  }
  return { rel, scope }
}

const convertTemporalJoin = (left: Relation, ref: JoinTableRef, right: NamedTableRef, ctx: QueryCtx): Relation => {
  if (ref.joinType !== 'INNER' && ref.joinType !== 'LEFT') fail(`A temporal join must be INNER or LEFT, not ${ref.joinType}.`, ref.pos)
  const asOf = resolve(right.forSystemTimeAsOf!, left.scope, plainCtx(ctx.env, 'FOR SYSTEM_TIME AS OF'))
  if (!isInputRef(asOf) || !isTimeAttribute(asOf.type))
    fail(`FOR SYSTEM_TIME AS OF must name a time attribute (a rowtime or proctime column) of the left table.`, right.forSystemTimeAsOf!.pos)
  const qualifier = right.alias ?? right.name.parts[right.name.parts.length - 1]!
  const name = objectName(right.name.parts)
  const obj = name === undefined ? undefined : ctx.env.catalog.get(name)
  if (obj === undefined) return fail(`Table '${right.name.parts.join('.')}' does not exist.`, right.name.pos)
  const lw = left.rel.fields.length
  const joinType = ref.joinType as 'INNER' | 'LEFT'
  if (!isRowtime((asOf as Extract<Rex, { kind: 'input' }>).type)) {
    // processing time: a lookup join against a table source that answers lookups
    if (obj.kind !== 'table') return fail(`A processing-time temporal join needs a table with a lookup source; '${obj.name}' is a ${obj.kind}.`, right.pos)
    const factory = connectorOf(obj, ctx.env, right.pos)
    if (factory.createLookupSource === undefined) fail(`Table '${obj.name}' (connector '${factory.identifier}') does not support lookups, so it cannot be joined FOR SYSTEM_TIME AS OF a processing time.`, right.pos)
    const lookup = factory.createLookupSource!(connectorContext(obj, ctx.env))
    if (E.isLeft(lookup)) optionProblems(obj, lookup.left, right.pos)
    const physical = obj.columns.filter((c) => c.kind === 'physical').map((c) => ({ name: c.name, type: c.type }))
    const rightScope = requalify(scopeOf(physical), qualifier, right.columnAliases, right.pos)
    const combined = [...left.scope, ...rightScope.map((f) => ({ ...f, index: f.index + lw }))]
    const cond = ref.on === undefined ? fail('A lookup join needs an ON condition with equalities on the lookup keys.', ref.pos) : resolve(ref.on, combined, plainCtx(ctx.env, 'ON'))
    const { leftKeys, rightKeys, rest: others } = analyzeJoinCondition(cond, lw)
    // `expr = d.k` where expr reads the left side only (`mod(o.id, 10) = d.k`, `'web' = d.kind`):
    // the left side computes expr into an extra field, which is the lookup key (as Flink's planner)
    const extra: Rex[] = []
    const rest: Rex[] = []
    for (const c of others) {
      const key = c.kind === 'call' && c.op === '=' ? lookupKeyEquality(c.args[0]!, c.args[1]!, lw) ?? lookupKeyEquality(c.args[1]!, c.args[0]!, lw) : undefined
      if (key === undefined || rightKeys.includes(key.column)) {
        rest.push(c)
        continue
      }
      leftKeys.push(lw + extra.length)
      rightKeys.push(key.column)
      extra.push(key.expr)
    }
    if (leftKeys.length === 0) fail(`A lookup join needs at least one equality between the left side and a column of '${obj.name}' in its ON condition.`, ref.on?.pos ?? ref.pos)
    const restCond = andAll(rest)
    const scope = combined.map((f, i) => (i >= lw && joinType === 'LEFT' ? { ...f, type: withNullability(f.type, true) } : f))
    const probe: Rel = extra.length === 0 ? left.rel : calc(left.rel, [...identity(left.rel), ...extra], uniqueNames([...left.rel.fields.map((f) => f.name), ...extra.map((_, i) => `$f${lw + i}`)]))
    const joinFields = [...probe.fields, ...fieldsOf(scope).slice(lw)]
    const rel: Rel = {
      kind: 'lookupJoin',
      left: probe,
      table: qualifiedName(obj.name),
      lookup: (lookup as E.Right<import('../connectors/table-connector.js').LookupTableSource>).right,
      tableFields: physical,
      joinType,
      leftKeys,
      lookupKeys: rightKeys,
      // the rest of the condition reads the left fields (below lw) and the table's (side 1): the extra fields do not move them
      ...(restCond === undefined ? {} : { condition: toTwoSided(restCond, lw) }),
      fields: joinFields,
    }
    if (extra.length === 0) return { rel, scope }
    // drop the key fields again
    const keep = joinFields.map((_, i) => i).filter((i) => i < lw || i >= lw + extra.length)
    return { rel: calc(rel, keep.map((i) => inputRef(i, joinFields[i]!.type)), keep.map((i) => joinFields[i]!.name)), scope }
  }
  // event time: join the version of the right table valid at the left row's time
  const r = convertNamedTable({ ...right, forSystemTimeAsOf: undefined } as NamedTableRef, ctx)
  const rightRowtime = r.rel.fields.findIndex((f) => isRowtime(f.type))
  if (rightRowtime < 0) fail(`An event-time temporal join needs a versioned table: '${obj.name}' has no rowtime attribute (declare a WATERMARK).`, right.pos)
  const pk = obj.kind === 'table' || obj.kind === 'stream' ? obj.primaryKey : undefined
  if (pk === undefined || pk.length === 0) fail(`An event-time temporal join needs a versioned table: '${obj.name}' has no PRIMARY KEY.`, right.pos)
  const combined = [...left.scope, ...r.scope.map((f) => ({ ...f, index: f.index + lw }))]
  const cond = ref.on === undefined ? fail('A temporal join needs an ON condition on the primary key of the versioned table.', ref.pos) : resolve(ref.on, combined, plainCtx(ctx.env, 'ON'))
  const { leftKeys, rightKeys, rest } = analyzeJoinCondition(cond, lw)
  const pkIndices = pk!.map((c) => r.rel.fields.findIndex((f) => f.name === c))
  if (!pkIndices.every((i) => rightKeys.includes(i)))
    fail(`The ON condition of a temporal join must equate every primary key column of '${obj.name}' (${pk!.join(', ')}) with a left column.`, ref.on?.pos ?? ref.pos)
  const restCond = andAll(rest)
  const scope = combined.map((f, i) => (i >= lw && joinType === 'LEFT' ? { ...f, type: withNullability(f.type, true) } : f))
  const rel: Rel = {
    kind: 'temporalJoin',
    left: left.rel,
    right: r.rel,
    joinType,
    leftKeys,
    rightKeys,
    leftTimeIndex: (asOf as Extract<Rex, { kind: 'input' }>).index,
    rightTimeIndex: rightRowtime,
    ...(restCond === undefined ? {} : { condition: toTwoSided(restCond, lw) }),
    fields: fieldsOf(scope),
  }
  return { rel, scope }
}

/** `left = right` as a lookup key: `left` reads only the probe side (not a plain field: those are keys already), `right` is a column of the table. */
const lookupKeyEquality = (l: Rex, r: Rex, leftWidth: number): { expr: Rex; column: number } | undefined => {
  if (!isInputRef(r) || r.index < leftWidth || isInputRef(l) || (sidesOf(l, leftWidth) & 2) !== 0) return undefined
  if (isNonDeterministicRex(l)) return undefined
  return { expr: l, column: r.index - leftWidth }
}

const isNonDeterministicRex = (r: Rex): boolean => {
  switch (r.kind) {
    case 'input':
    case 'literal':
      return false
    case 'field':
      return isNonDeterministicRex(r.expr)
    case 'udf':
      return !r.deterministic || r.args.some(isNonDeterministicRex)
    case 'call':
      return ['RAND', 'RAND_INTEGER', 'UUID', 'PROCTIME', 'NOW', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'UNIX_TIMESTAMP'].includes(r.op) || r.args.some(isNonDeterministicRex)
  }
}

const convertCorrelate = (left: Relation, ref: JoinTableRef, ctx: QueryCtx): Relation => {
  const right = ref.right as Extract<TableRef, { type: 'unnest' | 'tableFunction' }>
  if (ref.joinType !== 'INNER' && ref.joinType !== 'CROSS' && ref.joinType !== 'LEFT') fail(`A lateral table can only be joined with INNER, CROSS or LEFT JOIN.`, ref.pos)
  if (ref.joinType === 'LEFT' && !(ref.on !== undefined && ref.on.type === 'literal' && ref.on.kind === 'boolean' && ref.on.value))
    fail('LEFT JOIN with a lateral table needs ON TRUE.', ref.pos)
  const lw = left.rel.fields.length
  let fnFields: Field[]
  let fn: (fields: readonly unknown[]) => Iterable<readonly unknown[]>
  let description: string
  if (right.type === 'unnest') {
    if (right.exprs.length !== 1) fail('UNNEST of several arrays is not supported yet.', right.pos)
    const arr = resolve(right.exprs[0]!, left.scope, plainCtx(ctx.env, 'UNNEST'))
    const elementTypes: Field[] =
      arr.type.kind === 'ARRAY' || arr.type.kind === 'MULTISET'
        ? arr.type.element.kind === 'ROW'
          ? arr.type.element.fields.map((f) => ({ name: f.name, type: f.type }))
          : [{ name: 'f0', type: arr.type.element }]
        : arr.type.kind === 'MAP'
          ? [
              { name: 'f0', type: arr.type.key },
              { name: 'f1', type: arr.type.value },
            ]
          : fail(`UNNEST needs an ARRAY, MULTISET or MAP, not ${formatType(arr.type)}.`, right.exprs[0]!.pos)
    fnFields = right.withOrdinality ? [...elementTypes, { name: 'ordinality', type: DataTypes.INT(false) }] : elementTypes
    const value = compileScalar(arr)(systemRuntime)
    const isRowElement = (arr.type.kind === 'ARRAY' || arr.type.kind === 'MULTISET') && arr.type.element.kind === 'ROW'
    const ord = right.withOrdinality
    fn = function* (fields) {
      const v = value(fields as unknown[])
      if (v === null || v === undefined) return
      if (v instanceof Map) {
        let i = 1
        for (const [k, x] of v) yield ord ? [k, x, i++] : [k, x]
        return
      }
      let i = 1
      for (const x of v as unknown[]) {
        const base = isRowElement ? [...(x as unknown[])] : [x]
        if (ord) base.push(i)
        i++
        yield base
      }
    }
    description = 'UNNEST'
  } else {
    const callExpr = right.call
    const fname = callExpr.name.parts.join('.').toUpperCase()
    const def = ctx.env.catalog.functions.table.get(fname)
    if (def === undefined) return fail(`Table function '${callExpr.name.parts.join('.')}' is not registered.`, callExpr.pos)
    const args = callExpr.args.map((a) => resolve(a, left.scope, plainCtx(ctx.env, `the arguments of ${fname}`)))
    const res = def.resultFields(args.map((a) => a.type))
    if (typeof res === 'string') return fail(`${fname}: ${res}`, callExpr.pos)
    fnFields = res.map((f) => ({ name: f.name, type: f.type }))
    const argFns = args.map((a) => compileScalar(a)(systemRuntime))
    const single = fnFields.length === 1
    fn = function* (fields) {
      const values = argFns.map((f) => f(fields as unknown[]))
      for (const out of def.fn(...values)) yield single && !Array.isArray(out) ? [out] : (out as readonly unknown[])
    }
    description = fname
  }
  const qualifier = right.alias
  const rightScope = requalify(scopeOf(fnFields), qualifier, right.columnAliases, right.pos)
  const joinType = ref.joinType === 'LEFT' ? 'LEFT' : 'INNER'
  const scope = [...left.scope, ...rightScope.map((f) => ({ ...f, index: f.index + lw, type: joinType === 'LEFT' ? withNullability(f.type, true) : f.type }))]
  let rel: Rel = { kind: 'correlate', input: left.rel, joinType, fn, description, fields: fieldsOf(scope) }
  if (ref.on !== undefined && joinType === 'INNER') {
    const cond = resolve(ref.on, scope, plainCtx(ctx.env, 'ON'))
    rel = calc(rel, identity(rel), rel.fields.map((f) => f.name), cond)
  }
  return { rel, scope }
}

// ---------------------------------------------------------------------------------------------
// window table-valued functions
// ---------------------------------------------------------------------------------------------

const WINDOW_TVFS = new Set(['TUMBLE', 'HOP', 'CUMULATE', 'SESSION'])

const convertTableFunction = (ref: TableFunctionRef, ctx: QueryCtx): Relation => {
  const fname = ref.call.name.parts.join('.').toUpperCase()
  if (!WINDOW_TVFS.has(fname)) {
    if (ctx.env.catalog.functions.table.has(fname)) fail(`Table function ${fname} must be joined laterally: FROM t, LATERAL TABLE(${fname}(...)).`, ref.pos)
    fail(`Unknown table-valued function '${fname}'; the window functions are TUMBLE, HOP, CUMULATE and SESSION.`, ref.call.pos)
  }
  const named = new Map<string, Expr>()
  const positional: Expr[] = []
  for (const a of ref.call.args) {
    if (a.type === 'namedArg') named.set(a.name.toUpperCase(), a.value)
    else positional.push(a)
  }
  const paramNames: Record<string, string[]> = {
    TUMBLE: ['DATA', 'TIMECOL', 'SIZE', 'OFFSET'],
    HOP: ['DATA', 'TIMECOL', 'SLIDE', 'SIZE', 'OFFSET'],
    CUMULATE: ['DATA', 'TIMECOL', 'STEP', 'SIZE', 'OFFSET'],
    SESSION: ['DATA', 'TIMECOL', 'GAP'],
  }
  const params = paramNames[fname]!
  const arg = (name: string): Expr | undefined => named.get(name) ?? positional[params.indexOf(name)]
  if (positional.length > params.length) fail(`${fname} takes at most ${params.length} arguments (${params.join(', ')}).`, ref.call.pos)
  const data = arg('DATA')
  if (data === undefined || data.type !== 'tableArg') return fail(`The first argument of ${fname} must be a table: ${fname}(TABLE t, DESCRIPTOR(time_col), ...).`, data?.pos ?? ref.call.pos)
  const input: Relation =
    'parts' in data.table
      ? (() => {
          const t = tableRelation({ type: 'table', pos: data.table.pos, name: data.table }, ctx)
          return { rel: t.rel, scope: requalify(t.scope, undefined) }
        })()
      : convertQuery(data.table, ctx)
  const timecol = arg('TIMECOL')
  if (timecol === undefined || timecol.type !== 'descriptor' || timecol.columns.length !== 1)
    return fail(`The second argument of ${fname} must be DESCRIPTOR(time_col) naming one time attribute.`, timecol?.pos ?? ref.call.pos)
  const tf = input.scope.find((f) => f.name === timecol.columns[0])
  if (tf === undefined) return fail(`Column '${timecol.columns[0]}' of DESCRIPTOR does not exist in the input of ${fname}.`, timecol.pos)
  if (!isTimeAttribute(tf.type))
    fail(`The time column '${tf.name}' of ${fname} must be a time attribute (a rowtime column with a WATERMARK, or PROCTIME()), but it is ${formatType(tf.type)}.`, timecol.pos)
  const ms = (name: string, required = true): number | undefined => {
    const e = arg(name)
    if (e === undefined) return required ? fail(`${fname} needs its ${name} argument.`, ref.call.pos) : undefined
    return constantMs(e, ctx.env, `The ${name} of ${fname}`)
  }
  const offsetMs = fname === 'SESSION' ? 0 : (ms('OFFSET', false) ?? 0)
  let window: WindowSpec
  switch (fname) {
    case 'TUMBLE':
      window = { kind: 'TUMBLE', sizeMs: ms('SIZE')!, offsetMs }
      break
    case 'HOP': {
      const slideMs = ms('SLIDE')!
      const sizeMs = ms('SIZE')!
      if (sizeMs % slideMs !== 0) fail(`HOP's size (${sizeMs} ms) must be a multiple of its slide (${slideMs} ms).`, ref.call.pos)
      window = { kind: 'HOP', sizeMs, slideMs, offsetMs }
      break
    }
    case 'CUMULATE': {
      const stepMs = ms('STEP')!
      const sizeMs = ms('SIZE')!
      if (sizeMs % stepMs !== 0) fail(`CUMULATE's size (${sizeMs} ms) must be a multiple of its step (${stepMs} ms).`, ref.call.pos)
      window = { kind: 'CUMULATE', sizeMs, stepMs, offsetMs }
      break
    }
    default: {
      const partitionKeys = (data.partitionBy ?? []).map((p) => {
        const r = resolve(p, input.scope, plainCtx(ctx.env, 'PARTITION BY'))
        if (!isInputRef(r)) fail('SESSION PARTITION BY takes columns only.', p.pos)
        return (r as Extract<Rex, { kind: 'input' }>).index
      })
      window = { kind: 'SESSION', gapMs: ms('GAP')!, partitionKeys }
    }
  }
  const eventTime = isRowtime(tf.type)
  const ts = DataTypes.TIMESTAMP(3, false)
  const windowTime: DataType = eventTime ? ({ ...tf.type, nullable: false } as DataType) : { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false, timeAttribute: 'PROCTIME' }
  const fields: Field[] = [...input.rel.fields, { name: 'window_start', type: ts }, { name: 'window_end', type: ts }, { name: 'window_time', type: windowTime }]
  const rel: Rel = { kind: 'windowTvf', input: input.rel, window, timeIndex: tf.index, fields }
  const scope = requalify(
    [...input.scope, ...fields.slice(input.rel.fields.length).map((f, i) => ({ name: f.name, type: f.type, side: 0 as const, index: input.rel.fields.length + i }))],
    ref.alias,
    ref.columnAliases,
    ref.pos,
  )
  return { rel, scope }
}

// ---------------------------------------------------------------------------------------------
// SELECT
// ---------------------------------------------------------------------------------------------

/** Calls a walker on every sub-expression (not into subqueries). */
const forEachSubExpr = (e: Expr, f: (x: Expr) => boolean): void => {
  if (!f(e)) return
  for (const v of Object.values(e) as unknown[]) {
    const visit = (x: unknown): void => {
      if (x !== null && typeof x === 'object') {
        if (Array.isArray(x)) x.forEach(visit)
        else if ('type' in x && 'pos' in x && typeof (x as { type: unknown }).type === 'string') {
          const t = (x as { type: string }).type
          if (t === 'select' || t === 'setOp' || t === 'values' || t === 'with' || t === 'windowSpec' || t === 'windowRef') return
          forEachSubExpr(x as Expr, f)
        } else if ('when' in x || 'key' in x) for (const y of Object.values(x)) visit(y)
      }
    }
    visit(v)
  }
}

const isAggregateCall = (e: Expr, names: ReadonlySet<string>): boolean =>
  e.type === 'call' && e.over === undefined && names.has(e.name.parts.join('.').toUpperCase())

const containsAggregate = (e: Expr, names: ReadonlySet<string>): boolean => {
  let found = false
  forEachSubExpr(e, (x) => {
    if (found) return false
    if (isAggregateCall(x, names)) {
      found = true
      return false
    }
    return !(x.type === 'call' && x.over !== undefined)
  })
  return found
}

const nameOf = (e: Expr, i: number): string => {
  if (e.type === 'identifier') return e.parts[e.parts.length - 1]!
  if (e.type === 'paren') return nameOf(e.expr, i)
  if (e.type === 'field') return e.field
  return `EXPR$${i}`
}

/** Expands the select list: stars into the visible fields, items with their names. */
const expandItems = (q: SelectQuery, scope: readonly ScopeField[]): { expr: Expr; name: string; star?: ScopeField }[] => {
  const out: { expr: Expr; name: string; star?: ScopeField }[] = []
  for (const item of q.items) {
    if (item.type === 'star') {
      const fields = scope.filter((f) => f.hidden !== true && (item.qualifier === undefined || f.qualifier === item.qualifier[item.qualifier.length - 1]))
      if (fields.length === 0) fail(item.qualifier === undefined ? 'SELECT * with no table in FROM.' : `Unknown table '${item.qualifier.join('.')}' in ${item.qualifier.join('.')}.*.`, item.pos)
      for (const f of fields) out.push({ expr: { type: 'identifier', pos: item.pos, parts: f.qualifier === undefined ? [f.name] : [f.qualifier, f.name] }, name: f.name, star: f })
    } else out.push({ expr: item.expr, name: item.alias ?? nameOf(item.expr, out.length) })
  }
  return out
}

const convertSelect = (q: SelectQuery, ctx: QueryCtx): Relation => {
  const env = ctx.env
  const aggNames = aggregateNames(env)
  let from: Relation = q.from === undefined ? { rel: { kind: 'values', rows: [[]], fields: [] }, scope: [] } : convertFrom(q.from, ctx)

  // WHERE, with IN / EXISTS subqueries as semi and anti joins
  if (q.where !== undefined) from = convertWhere(q.where, from, ctx)

  const items = expandItems(q, from.scope)
  const hasGroupBy = q.groupBy !== undefined && q.groupBy.length > 0
  const hasAggregates = items.some((i) => containsAggregate(i.expr, aggNames)) || (q.having !== undefined && containsAggregate(q.having, aggNames))
  let current: Relation = from
  let substitute: ((e: Expr) => Rex | undefined) | undefined
  if (hasGroupBy || hasAggregates || q.having !== undefined) {
    const agg = convertAggregation(q, items, from, ctx)
    current = agg.relation
    substitute = agg.substitute
  } else {
    for (const it of items)
      forEachSubExpr(it.expr, (x) => {
        const aux = auxiliaryOf(x)
        if (aux !== undefined) fail(`${upperName(x as FunctionCall)} can only be used with a group window: GROUP BY ..., ${aux.kind}(time_attr, ...).`, x.pos)
        return true
      })
  }

  // OVER windows
  const overCalls: FunctionCall[] = []
  for (const it of items)
    forEachSubExpr(it.expr, (x) => {
      if (x.type === 'call' && x.over !== undefined) {
        overCalls.push(x)
        return false
      }
      return true
    })
  const overRefs = new Map<string, Rex>()
  if (overCalls.length > 0) {
    const o = convertOver(overCalls, q, current, substitute, ctx)
    current = o.relation
    for (const [k, v] of o.refs) overRefs.set(k, v)
  }

  // HAVING (after aggregation, before the projection)
  const baseScope = current.scope
  const exprCtx = (clause: string): ResolveContext =>
    plainCtx(env, clause, {
      ...(substitute === undefined && overRefs.size === 0
        ? {}
        : {
            substitute: (e: Expr) => {
              if (e.type === 'call' && e.over !== undefined) return overRefs.get(exprKey(e))
              return substitute?.(e)
            },
          }),
      onOver: (c: FunctionCall) => {
        const r = overRefs.get(exprKey(c))
        return r === undefined ? E.left([{ message: 'OVER is not allowed here.', pos: c.pos }]) : E.right(r)
      },
    })
  let rel = current.rel
  if (q.having !== undefined) {
    const cond = resolve(q.having, baseScope, exprCtx('HAVING'))
    rel = calc(rel, identity(rel), rel.fields.map((f) => f.name), cond)
  }

  // the projection
  const projects = items.map((it) => resolve(it.expr, baseScope, exprCtx('SELECT')))
  const names = uniqueNames(items.map((i) => i.name))
  const isIdentity = projects.length === rel.fields.length && projects.every((p, i) => isInputRef(p) && p.index === i) && names.every((n, i) => n === rel.fields[i]!.name)
  let out: Rel = isIdentity ? rel : calc(rel, projects, names)
  let scope = scopeOf(out.fields)

  if (q.distinct) {
    out = { kind: 'aggregate', input: out, groupIndices: out.fields.map((_, i) => i), aggs: [], fields: out.fields, pos: q.pos }
    scope = scopeOf(out.fields)
  }
  if (q.qualify !== undefined) fail('QUALIFY is not supported; filter the ranked rows in an outer query: SELECT * FROM (SELECT ..., ROW_NUMBER() OVER (...) AS rn FROM t) WHERE rn <= 3.', q.qualify.pos)
  let result: Relation = { rel: out, scope }
  if (q.orderBy !== undefined || q.limit !== undefined || q.offset !== undefined) {
    // ORDER BY may name select aliases or, without DISTINCT, columns of the FROM clause
    result = orderLimit(result, q.orderBy ?? [], q.limit, q.offset, ctx, scope)
  }
  return result
}

/** WHERE: conjuncts `x IN (SELECT ...)`, `EXISTS (...)`, and their negations become semi/anti joins. */
const convertWhere = (where: Expr, from: Relation, ctx: QueryCtx): Relation => {
  const conjuncts: Expr[] = []
  const split = (e: Expr): void => {
    if (e.type === 'binary' && e.op === 'AND') {
      split(e.left)
      split(e.right)
    } else if (e.type === 'paren') split(e.expr)
    else conjuncts.push(e)
  }
  split(where)
  let rel = from.rel
  const plain: Expr[] = []
  for (const c of conjuncts) {
    const negated = c.type === 'unary' && c.op === 'NOT'
    const inner = negated ? (c as Extract<Expr, { type: 'unary' }>).operand : c
    const core = inner.type === 'paren' ? inner.expr : inner
    if (core.type === 'inSubquery' || core.type === 'exists') {
      const sub = convertQuery(core.query, ctx)
      const visible = sub.scope.filter((f) => f.hidden !== true)
      const anti = negated !== (core.type === 'inSubquery' && core.negated)
      if (core.type === 'exists') {
        // uncorrelated EXISTS: the left rows if the subquery has any row (a join on no keys)
        rel = { kind: 'join', left: rel, right: sub.rel, joinType: anti ? 'ANTI' : 'SEMI', leftKeys: [], rightKeys: [], fields: rel.fields }
        continue
      }
      const needle = resolve(core.expr, from.scope, plainCtx(ctx.env, 'WHERE'))
      if (visible.length !== 1) fail(`The subquery of IN must return one column, not ${visible.length}.`, core.query.pos)
      if (!isInputRef(needle)) fail('IN (SELECT ...) needs a column on its left side.', core.expr.pos)
      const t = commonType([needle.type, visible[0]!.type])
      if (t === undefined) fail(`IN compares ${formatType(needle.type)} with ${formatType(visible[0]!.type)}, which have no common type.`, core.pos)
      const l = needle as Extract<Rex, { kind: 'input' }>
      const r = visible[0]!
      if (anti && (l.type.nullable || r.type.nullable)) {
        // NOT IN is NULL (so the row goes) when the needle is NULL or the subquery has a NULL, unless the subquery is empty:
        // a null-aware anti join, `l = r OR r IS NULL OR l IS NULL` (on no key: one group)
        const lr = inputRef(l.index, l.type)
        const rr = inputRef(r.index, r.type, 1)
        const bool = DataTypes.BOOLEAN(false)
        const eq = call('=', [castIfNeeded(lr, t!), castIfNeeded(rr, t!)], DataTypes.BOOLEAN())
        const condition = call('OR', [call('OR', [eq, call('IS NULL', [rr], bool)], DataTypes.BOOLEAN()), call('IS NULL', [lr], bool)], DataTypes.BOOLEAN())
        rel = { kind: 'join', left: rel, right: sub.rel, joinType: 'ANTI', leftKeys: [], rightKeys: [], condition, fields: rel.fields }
        continue
      }
      rel = {
        kind: 'join',
        left: rel,
        right: sub.rel,
        joinType: anti ? 'ANTI' : 'SEMI',
        leftKeys: [l.index],
        rightKeys: [r.index],
        fields: rel.fields,
      }
      continue
    }
    plain.push(c)
  }
  if (plain.length > 0) {
    const cond = plain
      .map((e) => {
        const r = resolve(e, from.scope, plainCtx(ctx.env, 'WHERE', { onSubquery: (s) => E.left([{ message: 'Subqueries are only supported as IN (SELECT ...) or EXISTS (...) conditions joined with AND in WHERE.', pos: s.pos }]) }))
        if (r.type.kind !== 'BOOLEAN') fail(`WHERE needs a BOOLEAN condition, not ${formatType(r.type)}.`, e.pos)
        return r
      })
      .reduce((a, b) => call('AND', [a, b], DataTypes.BOOLEAN(a.type.nullable || b.type.nullable)))
    rel = calc(rel, identity(rel), rel.fields.map((f) => f.name), cond)
  }
  return { rel, scope: from.scope }
}

// ---------------------------------------------------------------------------------------------
// group windows (Flink's legacy GROUP BY TUMBLE(ts, size) / HOP(ts, slide, size) / SESSION(ts, gap))
// ---------------------------------------------------------------------------------------------

const GROUP_WINDOWS: Readonly<Record<string, readonly string[]>> = { TUMBLE: ['size'], HOP: ['slide', 'size'], SESSION: ['gap'] }
/** The window property an auxiliary function (`TUMBLE_START`, `SESSION_END`, `HOP_ROWTIME`, ...) stands for. */
type AuxiliaryProperty = 'START' | 'END' | 'ROWTIME' | 'PROCTIME'
const upperName = (c: FunctionCall): string => c.name.parts.join('.').toUpperCase()

/** Whether an expression is a group window call (`TUMBLE(ts, INTERVAL '1' MINUTE)`). */
const isGroupWindowCall = (e: Expr): e is FunctionCall => e.type === 'call' && e.over === undefined && e.name.parts.length === 1 && upperName(e) in GROUP_WINDOWS

/** The group window kind and property of an auxiliary function call (`SESSION_END(...)`), if it is one. */
const auxiliaryOf = (e: Expr): { kind: string; property: AuxiliaryProperty } | undefined => {
  if (e.type !== 'call' || e.over !== undefined || e.name.parts.length !== 1) return undefined
  const m = /^(TUMBLE|HOP|SESSION)_(START|END|ROWTIME|PROCTIME)$/.exec(upperName(e))
  return m === null ? undefined : { kind: m[1]!, property: m[2] as AuxiliaryProperty }
}

/** A group window of a GROUP BY, planned as the window TVF it means. */
interface GroupWindow {
  readonly call: FunctionCall
  readonly kind: string
  /** The time attribute's index in the input, and the intervals in ms. */
  readonly timeIndex: number
  readonly intervals: readonly number[]
  readonly eventTime: boolean
  /** The input with `window_start`, `window_end`, `window_time` appended (hidden). */
  readonly relation: Relation
}

/** The arguments of a group window or auxiliary call: the time attribute's index and the intervals. */
const windowArgs = (c: FunctionCall, kind: string, scope: readonly ScopeField[], env: PlannerEnv): { timeIndex: number; type: DataType; intervals: number[] } => {
  const params = GROUP_WINDOWS[kind]!
  const written = upperName(c)
  if (c.distinct || c.filter !== undefined) fail(`${written} takes no DISTINCT or FILTER.`, c.pos)
  if (c.args.length !== params.length + 1)
    fail(`${written} takes ${params.length + 1} arguments, (time_attr, ${params.join(', ')}), not ${c.args.length}${kind === 'TUMBLE' && c.args.length === 3 ? ' (an alignment time is not supported)' : ''}.`, c.pos)
  const time = resolve(c.args[0]!, scope, plainCtx(env, `the time argument of ${written}`))
  if (!isInputRef(time) || !isTimeAttribute(time.type))
    fail(`The first argument of ${written} must be a time attribute (a rowtime column with a WATERMARK, or PROCTIME()), not ${formatType(time.type)}.`, c.args[0]!.pos)
  const intervals = params.map((p, i) => constantMs(c.args[i + 1]!, env, `The ${p} of ${written}`))
  return { timeIndex: (time as Extract<Rex, { kind: 'input' }>).index, type: time.type, intervals }
}

/**
 * The group window of a GROUP BY, if it has one: `GROUP BY k, SESSION(ts, gap)` is planned as
 * `FROM TABLE(SESSION(TABLE input PARTITION BY k, DESCRIPTOR(ts), gap)) GROUP BY k,
 * window_start, window_end`, which the window aggregation rule turns into a window aggregate.
 */
const groupWindowOf = (q: SelectQuery, from: Relation, ctx: QueryCtx): GroupWindow | undefined => {
  const calls = (q.groupBy ?? []).flatMap((g) => (g.type === 'expr' && isGroupWindowCall(g.expr) ? [g.expr] : []))
  if (calls.length === 0) return undefined
  if (calls.length > 1) fail(`GROUP BY can have one group window, not ${calls.length}.`, calls[1]!.pos)
  const c = calls[0]!
  const kind = upperName(c)
  const { timeIndex, type, intervals } = windowArgs(c, kind, from.scope, ctx.env)
  let window: WindowSpec
  if (kind === 'TUMBLE') window = { kind: 'TUMBLE', sizeMs: intervals[0]!, offsetMs: 0 }
  else if (kind === 'HOP') {
    const [slideMs, sizeMs] = intervals as [number, number]
    if (sizeMs % slideMs !== 0) fail(`HOP's size (${sizeMs} ms) must be a multiple of its slide (${slideMs} ms).`, c.pos)
    window = { kind: 'HOP', sizeMs, slideMs, offsetMs: 0 }
  } else window = { kind: 'SESSION', gapMs: intervals[0]!, partitionKeys: [] } // the other group keys, set once they are resolved
  const eventTime = isRowtime(type)
  const ts = DataTypes.TIMESTAMP(3, false)
  const windowTime: DataType = eventTime ? ({ ...type, nullable: false } as DataType) : { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: false, timeAttribute: 'PROCTIME' }
  const n = from.rel.fields.length
  const added: Field[] = [
    { name: 'window_start', type: ts },
    { name: 'window_end', type: ts },
    { name: 'window_time', type: windowTime },
  ]
  const rel: Rel = { kind: 'windowTvf', input: from.rel, window, timeIndex, fields: [...from.rel.fields, ...added] }
  const scope: ScopeField[] = [...from.scope, ...added.map((f, i) => ({ name: `$${f.name}`, type: f.type, side: 0 as const, index: n + i, hidden: true }))]
  return { call: c, kind, timeIndex, intervals, eventTime, relation: { rel, scope } }
}

/** GROUP BY with aggregates: a projection of keys and arguments, the aggregate, and how later clauses see it. */
const convertAggregation = (
  q: SelectQuery,
  items: readonly { expr: Expr; name: string }[],
  input: Relation,
  ctx: QueryCtx,
): { relation: Relation; substitute: (e: Expr) => Rex | undefined } => {
  const env = ctx.env
  const aggNames = aggregateNames(env)
  // a group window: the rest of the aggregation reads the window TVF over the input
  const groupWindow = groupWindowOf(q, input, ctx)
  let from = groupWindow?.relation ?? input
  const groupExprs: Expr[] = []
  for (const g of q.groupBy ?? []) {
    if (g.type !== 'expr') fail(`${(g as GroupingElement).type === 'groupingSets' ? 'GROUPING SETS' : (g as { type: string }).type.toUpperCase()} is not supported yet.`, g.pos)
    if (g.type === 'expr' && isGroupWindowCall(g.expr)) continue
    // GROUP BY may name a select alias or a select position, as in Flink
    const e = (g as Extract<GroupingElement, { type: 'expr' }>).expr
    if (e.type === 'literal' && e.kind === 'number' && e.numberKind === 'integer') {
      const n = Number(e.text)
      if (n < 1 || n > items.length) fail(`GROUP BY position ${n} is not in the select list (1..${items.length}).`, e.pos)
      groupExprs.push(items[n - 1]!.expr)
    } else if (e.type === 'identifier' && e.parts.length === 1 && !from.scope.some((f) => f.name === e.parts[0]) && items.some((i) => i.name === e.parts[0])) {
      groupExprs.push(items.find((i) => i.name === e.parts[0])!.expr)
    } else groupExprs.push(e)
  }
  const pre: Rex[] = []
  const preNames: string[] = []
  const preIndex = (r: Rex, name: string): number => {
    const key = JSON.stringify(r, (k, v: unknown) => (k === 'pos' || k === 'fn' ? undefined : v))
    const found = pre.findIndex((p) => JSON.stringify(p, (k, v: unknown) => (k === 'pos' || k === 'fn' ? undefined : v)) === key)
    if (found >= 0) return found
    pre.push(r)
    preNames.push(name)
    return pre.length - 1
  }
  const groupCtx = plainCtx(env, 'GROUP BY')
  const groupRex = groupExprs.map((e) => resolve(e, from.scope, groupCtx))
  const groupIdx = groupRex.map((r, i) => preIndex(r, isInputRef(r) ? from.rel.fields[r.index]!.name : `$g${i}`))
  // the group window's window_start, window_end, window_time are group keys after the others
  const windowGroup = groupRex.length
  if (groupWindow !== undefined) {
    const tvf = from.rel as WindowTvfRel
    if (tvf.window.kind === 'SESSION') {
      // sessions are per key: the other group keys partition them, and must be columns
      const partitionKeys = groupRex.map((r, i) =>
        isInputRef(r) ? r.index : fail('With a SESSION group window, the other GROUP BY keys must be columns (compute expressions in a subquery first).', groupExprs[i]!.pos),
      )
      from = { rel: { ...tvf, window: { ...tvf.window, partitionKeys } }, scope: from.scope }
    }
    const n = input.rel.fields.length
    for (let k = 0; k < 3; k++) {
      const f = from.rel.fields[n + k]!
      const r = inputRef(n + k, f.type)
      groupRex.push(r)
      groupIdx.push(preIndex(r, f.name))
    }
  }
  /** The group position of an auxiliary call's property, after checking it fits the group window. */
  const auxiliaryGroup = (c: FunctionCall, aux: { kind: string; property: string }): number => {
    const written = upperName(c)
    if (groupWindow === undefined) return fail(`${written} can only be used with a group window: GROUP BY ..., ${aux.kind}(time_attr, ...).`, c.pos)
    if (groupWindow.kind !== aux.kind) return fail(`${written} does not fit the group window ${groupWindow.kind}(...) of the GROUP BY; use ${groupWindow.kind}_${aux.property}.`, c.pos)
    const args = windowArgs(c, aux.kind, input.scope, env)
    if (args.timeIndex !== groupWindow.timeIndex || args.intervals.some((v, i) => v !== groupWindow.intervals[i]))
      fail(`${written} must have the same arguments as the group window ${formatExpr(groupWindow.call)} of the GROUP BY.`, c.pos)
    if (aux.property === 'ROWTIME' && !groupWindow.eventTime) fail(`${written} needs an event-time group window; this one is on processing time (use ${aux.kind}_PROCTIME).`, c.pos)
    if (aux.property === 'PROCTIME' && groupWindow.eventTime) fail(`${written} needs a processing-time group window; this one is on event time (use ${aux.kind}_ROWTIME).`, c.pos)
    return windowGroup + (aux.property === 'START' ? 0 : aux.property === 'END' ? 1 : 2)
  }
  // the aggregate calls, in order of appearance (deduplicated)
  const aggCalls: AggregateCall[] = []
  const aggKeys: string[] = []
  const onAggregate = (c: FunctionCall): E.Either<readonly SqlProblem[], Rex> =>
    stage(() => {
      const key = exprKey(c)
      let i = aggKeys.indexOf(key)
      if (i < 0) {
        const name = c.name.parts.join('.').toUpperCase()
        const isStar = c.args.length === 1 && c.args[0]!.type === 'star'
        if (isStar && name !== 'COUNT') fail(`${name}(*) is not allowed; only COUNT(*).`, c.pos)
        const argCtx = plainCtx(env, `the arguments of ${name}`, {
          onAggregate: (inner) => E.left([{ message: `Aggregate calls cannot be nested: ${inner.name.parts.join('.')} inside ${name}.`, pos: inner.pos }]),
        })
        const args = isStar ? [] : c.args.map((a) => resolve(a, from.scope, argCtx))
        const argIdx = args.map((a, j) => preIndex(a, `$a${aggCalls.length}_${j}`))
        let filterArg: number | undefined
        if (c.filter !== undefined) {
          const f = resolve(c.filter, from.scope, plainCtx(env, 'FILTER'))
          if (f.type.kind !== 'BOOLEAN') fail(`FILTER needs a BOOLEAN condition, not ${formatType(f.type)}.`, c.filter.pos)
          filterArg = preIndex(f, `$f${aggCalls.length}`)
        }
        const udaf = env.catalog.functions.aggregate.get(name)
        const argTypes = args.map((a) => a.type)
        const type = udaf !== undefined ? udaf.resultType(argTypes) : inferAggregateType(name, argTypes, c.distinct, { groupCount: groupIdx.length, hasFilter: c.filter !== undefined })
        if (typeof type === 'string') fail(`${name}: ${type}`, c.pos)
        aggCalls.push({
          name,
          args: argIdx,
          argTypes,
          distinct: c.distinct,
          ...(filterArg === undefined ? {} : { filterArg }),
          type: type as DataType,
          ...(udaf === undefined ? {} : { udaf: udaf.create() }),
        })
        aggKeys.push(key)
        i = aggCalls.length - 1
      }
      return inputRef(groupIdx.length + i, aggCalls[i]!.type)
    })
  // walk the select items and HAVING once to collect the aggregates (and check non-grouped columns)
  const groupKeys = groupExprs.map(exprKey)
  /** The group position of an expression written differently but meaning the same column (`a` vs `t.a`). */
  const groupOfColumn = (x: Expr): number => {
    if (x.type !== 'identifier') return -1
    const r = resolveExpr(x, { fields: from.scope }, plainCtx(env, 'GROUP BY'))
    if (E.isLeft(r) || r.right.kind !== 'input') return -1
    const idx = r.right.index
    return groupRex.findIndex((g) => isInputRef(g) && g.index === idx)
  }
  const check = (e: Expr, clause: string): void =>
    forEachSubExpr(e, (x) => {
      const aux = auxiliaryOf(x)
      if (aux !== undefined) {
        auxiliaryGroup(x as FunctionCall, aux)
        return false
      }
      if (isGroupWindowCall(x))
        fail(`The group window ${upperName(x)}(...) can only be used in GROUP BY; use ${upperName(x)}_START(...) and ${upperName(x)}_END(...) for its bounds (${clause}).`, x.pos)
      if (groupKeys.includes(exprKey(x)) || groupOfColumn(x) >= 0) return false
      if (isAggregateCall(x, aggNames)) {
        unwrap(onAggregate(x as FunctionCall))
        return false
      }
      if (x.type === 'call' && x.over !== undefined) return false
      if (x.type === 'identifier') {
        const r = resolveExpr(x, { fields: from.scope }, plainCtx(env, clause))
        if (E.isRight(r) && r.right.kind === 'input')
          fail(`Expression '${x.parts.join('.')}' is not being grouped: add it to GROUP BY or use it inside an aggregate function (${clause}).`, x.pos)
      }
      return true
    })
  for (const it of items) check(it.expr, 'SELECT')
  if (q.having !== undefined) check(q.having, 'HAVING')
  const preRel = calc(from.rel, pre, uniqueNames(preNames))
  const groupFields = groupIdx.map((gi, i) => ({ name: preRel.fields[gi]!.name, type: groupRex[i]!.type }))
  // an aggregate written alone as a select item takes that item's name (`COUNT(*) AS cnt`), as in Flink's plans
  const aggFieldNames = uniqueNames([
    ...groupFields.map((f) => f.name),
    ...aggKeys.map((k, i) => items.find((it) => exprKey(it.expr) === k)?.name ?? `EXPR$${i}`),
  ]).slice(groupFields.length)
  const aggFields = aggCalls.map((a, i) => ({ name: aggFieldNames[i]!, type: a.type }))
  const rel: Rel = { kind: 'aggregate', input: preRel, groupIndices: groupIdx, aggs: aggCalls, fields: [...groupFields, ...aggFields], pos: q.groupBy?.[0]?.pos ?? q.pos }
  const scope: ScopeField[] = rel.fields.map((f, index) => ({ name: f.name, type: f.type, side: 0, index, hidden: index >= groupIdx.length || !isInputRef(groupRex[index]!) }))
  const substitute = (e: Expr): Rex | undefined => {
    const aux = auxiliaryOf(e)
    if (aux !== undefined) {
      const gi = auxiliaryGroup(e as FunctionCall, aux)
      return inputRef(gi, groupFields[gi]!.type)
    }
    const k = exprKey(e)
    const gi = groupKeys.indexOf(k) >= 0 ? groupKeys.indexOf(k) : groupOfColumn(e)
    if (gi >= 0) return inputRef(gi, groupFields[gi]!.type)
    if (isAggregateCall(e, aggNames)) {
      const ai = aggKeys.indexOf(k)
      if (ai >= 0) return inputRef(groupIdx.length + ai, aggCalls[ai]!.type)
    }
    return undefined
  }
  return { relation: { rel, scope }, substitute }
}

const RANKING = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK'])

/** OVER windows: one OverAggregate per distinct window, each adding its results as fields. */
const convertOver = (
  calls: readonly FunctionCall[],
  q: SelectQuery,
  input: Relation,
  substitute: ((e: Expr) => Rex | undefined) | undefined,
  ctx: QueryCtx,
): { relation: Relation; refs: Map<string, Rex> } => {
  const env = ctx.env
  const named = new Map((q.windows ?? []).map((w) => [w.name, w.spec]))
  const specOf = (c: FunctionCall): WindowSpecSyntax => {
    const o = c.over!
    if (o.type === 'windowRef') {
      const s = named.get(o.name)
      if (s === undefined) return fail(`Window '${o.name}' is not defined in the WINDOW clause.`, o.pos)
      return s
    }
    if (o.base !== undefined) {
      const b = named.get(o.base)
      if (b === undefined) return fail(`Window '${o.base}' is not defined in the WINDOW clause.`, o.pos)
      return { ...b, ...(o.orderBy.length > 0 ? { orderBy: o.orderBy } : {}), ...(o.frame === undefined ? {} : { frame: o.frame }) }
    }
    return o
  }
  const resolveCtx = plainCtx(env, 'OVER', substitute === undefined ? {} : { substitute })
  const groups = new Map<string, { spec: WindowSpecSyntax; calls: FunctionCall[] }>()
  for (const c of calls) {
    const spec = specOf(c)
    const key = JSON.stringify({ p: spec.partitionBy.map(exprKey), o: spec.orderBy.map((x) => [exprKey(x.expr), x.direction, x.nulls]), f: spec.frame === undefined ? null : JSON.stringify(spec.frame, (k, v: unknown) => (k === 'pos' ? undefined : v)) })
    const g = groups.get(key) ?? { spec, calls: [] }
    g.calls.push(c)
    groups.set(key, g)
  }
  let rel = input.rel
  const refs = new Map<string, Rex>()
  for (const { spec, calls: gcalls } of groups.values()) {
    // the partition and order keys and the arguments must be fields: project them first
    const pre: Rex[] = identity(rel)
    const preNames = rel.fields.map((f) => f.name)
    const fieldFor = (e: Expr): number => {
      const r = resolve(e, scopeOf(rel.fields).map((f, i) => ({ ...f, hidden: input.scope[i]?.hidden, qualifier: input.scope[i]?.qualifier } as ScopeField)), resolveCtx)
      if (isInputRef(r)) return r.index
      pre.push(r)
      preNames.push(`$o${pre.length}`)
      return pre.length - 1
    }
    const partitionKeys = spec.partitionBy.map(fieldFor)
    const orderKeys: SortKey[] = spec.orderBy.map((o: OrderItem) => ({ index: fieldFor(o.expr), direction: o.direction, nullsFirst: o.nulls === undefined ? o.direction === 'ASC' : o.nulls === 'FIRST' }))
    const aggs: AggregateCall[] = gcalls.map((c) => {
      const name = c.name.parts.join('.').toUpperCase()
      if (RANKING.has(name)) {
        if (c.args.length > 0) fail(`${name}() takes no arguments.`, c.pos)
        if (orderKeys.length === 0) fail(`${name}() needs ORDER BY in its OVER clause.`, c.pos)
        return { name, args: [], argTypes: [], distinct: false, type: DataTypes.BIGINT(false) }
      }
      if (!aggregateNames(env).has(name)) fail(`${name} is not an aggregate or ranking function, so it cannot have an OVER clause.`, c.pos)
      const isStar = c.args.length === 1 && c.args[0]!.type === 'star'
      const argIdx = isStar ? [] : c.args.map(fieldFor)
      const argTypes = argIdx.map((i) => (i < rel.fields.length ? rel.fields[i]!.type : pre[i]!.type))
      const udaf = env.catalog.functions.aggregate.get(name)
      const type = udaf !== undefined ? udaf.resultType(argTypes) : inferAggregateType(name, argTypes, c.distinct)
      if (typeof type === 'string') fail(`${name}: ${type}`, c.pos)
      return { name, args: argIdx, argTypes, distinct: c.distinct, type: type as DataType, ...(udaf === undefined ? {} : { udaf: udaf.create() }) }
    })
    const frame = overFrame(spec, orderKeys, pre, rel, env)
    const base: Rel = pre.length === rel.fields.length ? rel : calc(rel, pre, uniqueNames(preNames))
    const fields = [...base.fields, ...aggs.map((a, i) => ({ name: `$over${refs.size + i}`, type: a.type }))]
    const over: Rel = { kind: 'overAggregate', input: base, partitionKeys, orderKeys, frame, aggs, fields, pos: gcalls[0]!.pos }
    gcalls.forEach((c, i) => refs.set(exprKey(c), inputRef(base.fields.length + i, aggs[i]!.type)))
    rel = over
  }
  const scope: ScopeField[] = rel.fields.map((f, index) => ({ ...(input.scope[index] ?? { name: f.name, hidden: true }), type: f.type, side: 0, index }) as ScopeField)
  return { relation: { rel, scope }, refs }
}

const overFrame = (spec: WindowSpecSyntax, orderKeys: readonly SortKey[], pre: readonly Rex[], rel: Rel, env: PlannerEnv): OverFrame => {
  const f = spec.frame
  if (f === undefined) return { unit: 'RANGE', preceding: undefined }
  if (f.end !== undefined && f.end.kind !== 'CURRENT_ROW') fail('OVER windows must end at CURRENT ROW (Flink supports no FOLLOWING bounds in streaming).', f.pos)
  const s = f.start
  if (s.kind === 'UNBOUNDED_PRECEDING') return { unit: f.unit, preceding: undefined }
  if (s.kind === 'CURRENT_ROW') return { unit: f.unit, preceding: 0 }
  if (s.kind !== 'PRECEDING') return fail('An OVER window must start at UNBOUNDED PRECEDING, n PRECEDING or CURRENT ROW.', f.pos)
  if (f.unit === 'ROWS') {
    const r = resolve(s.offset, [], plainCtx(env, 'ROWS'))
    const n = Number(evalConstant(r, 'The ROWS offset', s.offset.pos))
    if (!Number.isInteger(n) || n < 0) fail('The ROWS offset must be a non-negative integer.', s.offset.pos)
    return { unit: 'ROWS', preceding: n }
  }
  const orderType = orderKeys.length === 1 ? (orderKeys[0]!.index < rel.fields.length ? rel.fields[orderKeys[0]!.index]!.type : pre[orderKeys[0]!.index]!.type) : undefined
  if (orderType === undefined || !isTimeAttribute(orderType)) fail('A RANGE frame with an offset needs ORDER BY one time attribute.', f.pos)
  return { unit: 'RANGE', preceding: constantMs(s.offset, env, 'The RANGE offset') }
}

/** ORDER BY / LIMIT / OFFSET over a relation. */
const orderLimit = (r: Relation, orderBy: readonly OrderItem[], limitE: Expr | undefined, offsetE: Expr | undefined, ctx: QueryCtx, scope: readonly ScopeField[]): Relation => {
  const count = (e: Expr | undefined, what: string): number | undefined => {
    if (e === undefined) return undefined
    const v = Number(evalConstant(resolve(e, [], plainCtx(ctx.env, what)), what, e.pos))
    if (!Number.isInteger(v) || v < 0) fail(`${what} must be a non-negative integer.`, e.pos)
    return v
  }
  const limit = count(limitE, 'LIMIT')
  const offset = count(offsetE, 'OFFSET') ?? 0
  const orderKeys: SortKey[] = orderBy.map((o) => {
    let rex: Rex
    if (o.expr.type === 'literal' && o.expr.kind === 'number' && o.expr.numberKind === 'integer') {
      const n = Number(o.expr.text)
      const visible = scope.filter((f) => f.hidden !== true)
      if (n < 1 || n > visible.length) fail(`ORDER BY position ${n} is not in the select list (1..${visible.length}).`, o.expr.pos)
      rex = inputRef(visible[n - 1]!.index, visible[n - 1]!.type)
    } else rex = resolve(o.expr, scope, plainCtx(ctx.env, 'ORDER BY'))
    if (!isInputRef(rex)) fail('ORDER BY takes columns of the result (or their positions).', o.expr.pos)
    return { index: (rex as Extract<Rex, { kind: 'input' }>).index, direction: o.direction, nullsFirst: o.nulls === undefined ? o.direction === 'ASC' : o.nulls === 'FIRST' }
  })
  const rel: Rel = { kind: 'sortLimit', input: r.rel, orderKeys, offset, limit, fields: r.rel.fields, ...(orderBy[0] === undefined ? {} : { pos: orderBy[0].pos }) }
  return { rel, scope: r.scope }
}

