/**
 * The planner's stages, composed: syntax tree -> relational plan -> rewritten plan -> changelog
 * traits, for queries, inserts and DDL. Every stage returns an `Either` of all its problems.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { CatalogColumn, CatalogTable, CatalogView } from '../catalog/catalog.js'
import { objectName, qualifiedName } from '../catalog/catalog.js'
import { SqlError, type SqlProblem } from '../errors.js'
import { inputRef } from '../expr/rex.js'
import { resolveExpr } from '../expr/resolve.js'
import type { ScopeField } from '../expr/scope.js'
import type { CreateTableStatement, CreateViewStatement, InsertStatement, Query } from '../sql/ast.js'
import { formatExpr, formatQuery } from '../sql/format-sql.js'
import { typeFromSyntax } from '../types/type-from-syntax.js'
import { formatType, withNullability, type DataType } from '../types/data-type.js'
import { canCast } from '../types/coercion.js'
import { inferTraits, type PlanTraits } from './changelog.js'
import { fail, stage, unwrap } from './problems.js'
import type { Field, Rel } from './rel.js'
import { optimize } from './rules.js'
import { castIfNeeded, connectorContext, connectorOf, convertQueryIn, type PlannerEnv } from './sql-to-rel.js'
import { AGGREGATE_NAMES } from '../aggregate/builtin-aggregates.js'
import { translateLegacyOptions } from '../connectors/legacy-options.js'

/** A plan ready to translate: its root and every node's changelog traits. */
export interface Plan {
  readonly root: Rel
  readonly traits: PlanTraits
}

const toSqlError =
  (phase: 'validate' | 'plan') =>
  (problems: readonly SqlProblem[]): SqlError =>
    new SqlError(phase, problems)

/** Plans a query whose rows go to the caller (`execute().collect()`). */
export const planQuery = (env: PlannerEnv, query: Query): E.Either<SqlError, Plan> =>
  pipe(
    stage(() => convertQueryIn(env, query)),
    E.mapLeft(toSqlError('validate')),
    E.flatMap((r) => {
      const visible = r.scope.map((f, i) => [f, i] as const).filter(([f]) => f.hidden !== true)
      const rel: Rel =
        visible.length === r.rel.fields.length
          ? r.rel
          : { kind: 'calc', input: r.rel, projects: visible.map(([f, i]) => inputRef(i, f.type)), fields: visible.map(([f]) => ({ name: f.name, type: f.type })) }
      return pipe(
        stage(() => {
          const root: Rel = { kind: 'collect', input: optimize(rel), fields: rel.fields }
          return { root, traits: inferTraits(root, env.runtimeMode) }
        }),
        E.mapLeft(toSqlError('plan')),
      )
    }),
  )

/** Plans `INSERT INTO t SELECT ...`: the query's columns cast to the table's, into its sink. */
export const planInsert = (env: PlannerEnv, insert: InsertStatement): E.Either<SqlError, Plan> =>
  pipe(
    stage(() => {
      const name = objectName(insert.target.parts)
      const t = name === undefined ? undefined : env.catalog.get(name)
      if (t === undefined) return fail(`Table '${insert.target.parts.join('.')}' does not exist.`, insert.target.pos)
      if (t.kind !== 'table') return fail(`'${t.name}' is a ${t.kind === 'view' ? 'view' : 'DataStream table'}; INSERT INTO needs a table with a connector.`, insert.target.pos)
      if (insert.overwrite) fail('INSERT OVERWRITE is not supported in streaming; use INSERT INTO.', insert.pos)
      const q = convertQueryIn(env, insert.query)
      const targetCols = t.columns.filter((c) => c.kind === 'physical' || (c.kind === 'metadata' && !c.virtual))
      const visible = q.scope.filter((f) => f.hidden !== true)
      const wanted = insert.columns ?? targetCols.map((c) => c.name)
      for (const c of wanted) if (!targetCols.some((tc) => tc.name === c)) fail(`Column '${c}' is not a writable column of table '${t.name}'.`, insert.target.pos)
      if (visible.length !== wanted.length)
        fail(`INSERT INTO ${t.name}: the query has ${visible.length} columns, but ${insert.columns === undefined ? 'the table has' : 'the column list names'} ${wanted.length} (${wanted.join(', ')}).`, insert.query.pos)
      const projects = targetCols.map((tc) => {
        const k = wanted.indexOf(tc.name)
        if (k < 0) {
          if (!tc.type.nullable) fail(`Column '${tc.name}' of table '${t.name}' is NOT NULL but gets no value.`, insert.target.pos)
          return { kind: 'literal' as const, value: null, type: tc.type }
        }
        const f = visible[k]!
        if (!canCast(f.type, tc.type)) fail(`Column '${tc.name}' of table '${t.name}' is ${formatType(tc.type)}; the query gives ${formatType(f.type)}, which cannot be cast to it.`, insert.query.pos)
        return castIfNeeded(inputRef(f.index, f.type), withNullability(tc.type, f.type.nullable))
      })
      const fields: Field[] = targetCols.map((tc, i) => ({ name: tc.name, type: projects[i]!.type }))
      const input: Rel = { kind: 'calc', input: q.rel, projects, fields }
      const factory = connectorOf(t, env, insert.target.pos)
      if (factory.createSink === undefined) fail(`Table '${t.name}' (connector '${factory.identifier}') can only be read, not written.`, insert.target.pos)
      const sink = factory.createSink!(connectorContext(t, env))
      if (E.isLeft(sink)) fail(`Table '${t.name}': ${sink.left.map((p) => (p.option === undefined ? p.message : `option '${p.option}': ${p.message}`)).join(' ')}`, insert.target.pos)
      const pk = t.primaryKey?.map((c) => targetCols.findIndex((tc) => tc.name === c))
      const root: Rel = {
        kind: 'sink',
        input: optimize(input),
        table: qualifiedName(t.name),
        sink: (sink as E.Right<import('../connectors/table-connector.js').TableSink>).right,
        fields,
        ...(pk === undefined ? {} : { primaryKey: pk }),
        pos: insert.pos,
      }
      return root
    }),
    E.mapLeft(toSqlError('validate')),
    E.flatMap((root) =>
      pipe(
        stage(() => ({ root, traits: inferTraits(root, env.runtimeMode) })),
        E.mapLeft(toSqlError('plan')),
      ),
    ),
  )

/** A catalog table from `CREATE TABLE`: column types, computed columns typed, watermark and primary key checked. */
export const tableFromDdl = (env: PlannerEnv, s: CreateTableStatement): E.Either<SqlError, CatalogTable> =>
  pipe(
    stage(() => {
      const name = objectName(s.name.parts) ?? fail(`Only the default catalog and database are supported: ${s.name.parts.join('.')}.`, s.name.pos)
      if (s.like !== undefined) fail('CREATE TABLE ... LIKE is not supported yet.', s.like.pos)
      if (s.asQuery !== undefined) fail('CREATE TABLE ... AS SELECT is not supported yet; create the table, then INSERT INTO it.', s.pos)
      const pk = s.primaryKey?.columns
      const seen = new Set<string>()
      const columns: CatalogColumn[] = []
      const nonComputed: ScopeField[] = []
      for (const c of s.columns) {
        if (seen.has(c.name)) fail(`Column '${c.name}' is defined twice.`, c.pos)
        seen.add(c.name)
        if (c.kind === 'computed') continue
        let type: DataType = unwrap(typeFromSyntax(c.dataType))
        if (pk?.includes(c.name)) type = withNullability(type, false)
        columns.push(
          c.kind === 'physical'
            ? { kind: 'physical', name: c.name, type, ...(c.comment === undefined ? {} : { comment: c.comment }) }
            : { kind: 'metadata', name: c.name, type, key: c.key ?? c.name, virtual: c.virtual, ...(c.comment === undefined ? {} : { comment: c.comment }) },
        )
        nonComputed.push({ name: c.name, type, side: 0, index: nonComputed.length })
      }
      // computed columns, in declared order among the others
      const ordered: CatalogColumn[] = s.columns.map((c) => {
        if (c.kind !== 'computed') return columns.find((x) => x.name === c.name)!
        const rex = unwrap(resolveExpr(c.expr, { fields: nonComputed }, { clause: `the computed column '${c.name}'`, functions: env.catalog.functions.scalar, aggregateNames: AGGREGATE_NAMES }))
        return { kind: 'computed', name: c.name, type: rex.type, expr: c.expr, ...(c.comment === undefined ? {} : { comment: c.comment }) }
      })
      for (const k of pk ?? []) {
        const col = ordered.find((c) => c.name === k)
        if (col === undefined) fail(`The primary key column '${k}' is not a column of the table.`, s.primaryKey!.pos)
        if (col!.kind === 'computed' || col!.kind === 'metadata') fail(`The primary key column '${k}' must be a physical column.`, s.primaryKey!.pos)
      }
      if (s.primaryKey !== undefined && s.primaryKey.enforced) fail("Flink's primary keys are NOT ENFORCED: write PRIMARY KEY (...) NOT ENFORCED.", s.primaryKey.pos)
      if (s.watermark !== undefined) {
        const col = ordered.find((c) => c.name === s.watermark!.column)
        if (col === undefined) fail(`The watermark column '${s.watermark.column}' is not a column of the table.`, s.watermark.pos)
        if (col!.type.kind !== 'TIMESTAMP' && col!.type.kind !== 'TIMESTAMP_LTZ')
          fail(`The watermark column '${col!.name}' must be TIMESTAMP(3) or TIMESTAMP_LTZ(3), not ${formatType(col!.type)}.`, s.watermark.pos)
      }
      const written = new Map<string, string>()
      for (const o of s.options) {
        if (written.has(o.key)) fail(`Option '${o.key}' is set twice.`, o.pos)
        written.set(o.key, o.value)
      }
      // Flink's legacy keys ('connector.type' = 'filesystem', 'connector.path', 'format.type')
      const translated = translateLegacyOptions(written)
      if (E.isLeft(translated)) fail(`Table '${name}': ${translated.left.map((p) => (p.option === undefined ? p.message : `option '${p.option}': ${p.message}`)).join(' ')}`, s.pos)
      const options = (translated as E.Right<ReadonlyMap<string, string>>).right
      const table: CatalogTable = {
        kind: 'table',
        name,
        temporary: s.temporary,
        columns: ordered,
        ...(s.watermark === undefined ? {} : { watermark: { column: s.watermark.column, expr: s.watermark.expr, text: formatExpr(s.watermark.expr) } }),
        ...(pk === undefined ? {} : { primaryKey: pk }),
        ...(s.partitionedBy === undefined ? {} : { partitionedBy: s.partitionedBy }),
        options,
        ...(s.comment === undefined ? {} : { comment: s.comment }),
        ddl: s,
      }
      // the connector must exist (its options are checked when the table is read or written, as in Flink)
      connectorOf(table, env, s.pos)
      return table
    }),
    E.mapLeft(toSqlError('validate')),
  )

/** A catalog view from `CREATE VIEW`: its query is planned once to check it. */
export const viewFromDdl = (env: PlannerEnv, s: CreateViewStatement): E.Either<SqlError, CatalogView> =>
  pipe(
    stage(() => {
      const name = objectName(s.name.parts) ?? fail(`Only the default catalog and database are supported: ${s.name.parts.join('.')}.`, s.name.pos)
      const r = convertQueryIn(env, s.query)
      const visible = r.scope.filter((f) => f.hidden !== true)
      if (s.columns !== undefined && s.columns.length !== visible.length) fail(`View '${name}' names ${s.columns.length} columns, but its query has ${visible.length}.`, s.pos)
      const view: CatalogView = {
        kind: 'view',
        name,
        temporary: s.temporary,
        query: s.query,
        ...(s.columns === undefined ? {} : { columnNames: s.columns }),
        text: formatQuery(s.query),
        ...(s.comment === undefined ? {} : { comment: s.comment }),
      }
      return view
    }),
    E.mapLeft(toSqlError('validate')),
  )

/** The fields of a query (its visible columns), planned but not run: for `DESCRIBE` of views. */
export const queryFields = (env: PlannerEnv, query: Query): E.Either<SqlError, readonly Field[]> =>
  pipe(
    stage(() => convertQueryIn(env, query).scope.filter((f) => f.hidden !== true).map((f) => ({ name: f.name, type: f.type }))),
    E.mapLeft(toSqlError('validate')),
  )
