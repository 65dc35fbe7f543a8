/**
 * The entry point of the Table API and SQL: a catalog, a configuration, and the planner that
 * runs statements on Strom's runtime.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { CollectSink, ConfigError } from '@strom/runtime'
import { StreamExecutionEnvironment } from '@strom/datastream'
import { Catalog, DEFAULT_CATALOG, DEFAULT_DATABASE, objectName, type AggregateFunctionDefinition, type TableFunctionDefinition } from '../catalog/catalog.js'
import { ConnectorRegistry } from '../connectors/connector-registry.js'
import type { TableConnectorFactory } from '../connectors/table-connector.js'
import type { Row } from '../data/row.js'
import { SqlError } from '../errors.js'
import type { ScalarFunctionDefinition } from '../expr/scope.js'
import { explainPlan } from '../planner/explain.js'
import { planInsert, planQuery, queryFields, tableFromDdl, viewFromDdl, type Plan } from '../planner/planner.js'
import type { PlannerEnv } from '../planner/sql-to-rel.js'
import { translate } from '../planner/translate.js'
import type { Query, Statement } from '../sql/ast.js'
import { formatExpr, formatQuery } from '../sql/format-sql.js'
import { parseStatement } from '../sql/parse.js'
import { formatType, DataTypes, type DataType } from '../types/data-type.js'
import { API_POS } from './expressions.js'
import { functionDefinition, type FunctionClass } from './function-classes.js'
import { Table, type TableHost } from './table.js'
import { collectResult, insertResult, staticResult, type ResultColumn, type TableResult } from './table-result.js'

/** How a table environment runs its jobs. */
export interface TableEnvironmentOptions {
  /** `streaming` (default) or `batch` (bounded input only; final results). */
  readonly mode?: 'streaming' | 'batch'
  /** The default parallelism of the jobs (default 1). */
  readonly parallelism?: number
  /** Initial configuration, as `SET 'key' = 'value'` would set it. */
  readonly config?: Readonly<Record<string, string>>
  /** More table connectors than the built-in ones. */
  readonly connectors?: readonly TableConnectorFactory[]
  /** The name of the jobs started by queries and inserts (default `strom-sql`). */
  readonly jobName?: string
  /**
   * Implementations of user-defined functions by identifier: what `CREATE FUNCTION name AS
   * '<identifier>'` can name (in Flink a Java class name, e.g.
   * `'com.github.nexmark.flink.udf.CountChar'`). See {@link FunctionClass}.
   *
   * @since 0.2.0
   */
  readonly functionClasses?: Readonly<Record<string, FunctionClass>>
}

const STRING = DataTypes.STRING(false)
const col = (name: string, type: DataType = STRING): ResultColumn => ({ name, type })
const OK = (): TableResult => staticResult([col('result')], [['OK']])

/** Parses a duration option value (`10 s`, `500ms`, `1 min`, `2h`, or a number of ms). */
export const parseDurationMs = (text: string, key: string): number => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|milli|millis|millisecond|milliseconds|s|sec|secs|second|seconds|min|m|minute|minutes|h|hour|hours|d|day|days)?\s*$/i.exec(text)
  if (m === null) throw new ConfigError(`'${key}' must be a duration such as '10 s', '500 ms' or '1 min', not '${text}'.`)
  const n = Number(m[1])
  const unit = (m[2] ?? 'ms').toLowerCase()
  const factor = unit.startsWith('ms') || unit.startsWith('milli') ? 1 : unit === 's' || unit.startsWith('sec') ? 1000 : unit === 'm' || unit.startsWith('min') ? 60_000 : unit === 'h' || unit.startsWith('hour') ? 3_600_000 : 86_400_000
  return n * factor
}

/**
 * A table environment: runs SQL statements and Table API programs.
 *
 * @remarks
 * Each query or `INSERT` runs as its own job, started when `executeSql` returns. The catalog
 * lives as long as the environment (in memory). Configuration keys, as in Flink:
 * `execution.runtime-mode` (`streaming` | `batch`), `parallelism.default`,
 * `table.exec.state.ttl` (a duration), `table.exec.source.idle-timeout`,
 * `execution.checkpointing.interval`, `execution.checkpointing.dir` (Strom's), `state.backend`.
 *
 * @example
 * ```ts
 * const tEnv = TableEnvironment.create()
 * await tEnv.executeSql(`CREATE TABLE t (a INT, b STRING) WITH ('connector' = 'datagen', 'number-of-rows' = '10')`)
 * for await (const row of (await tEnv.executeSql('SELECT b, COUNT(*) FROM t GROUP BY b')).collect()) console.log(row.kind, row.fields)
 * ```
 *
 * @category Table API
 * @since 0.1.0
 */
export class TableEnvironment {
  /** The catalog of tables, views and functions. */
  readonly catalog = new Catalog()
  protected readonly config = new Map<string, string>()
  protected readonly connectors: ConnectorRegistry
  /** What `CREATE FUNCTION ... AS '<identifier>'` can name, by identifier. */
  protected readonly functionClasses = new Map<string, FunctionClass>()
  private jobs = 0

  protected constructor(
    protected readonly options: TableEnvironmentOptions,
    /** The environment jobs are built in, for a StreamTableEnvironment; undefined: a fresh one per job. */
    protected readonly streamEnv: StreamExecutionEnvironment | undefined,
  ) {
    this.connectors = ConnectorRegistry.withBuiltins()
    for (const c of options.connectors ?? []) this.connectors.register(c, { replace: true })
    for (const [id, c] of Object.entries(options.functionClasses ?? {})) this.functionClasses.set(id, c)
    this.config.set('execution.runtime-mode', options.mode ?? 'streaming')
    if (options.parallelism !== undefined) this.config.set('parallelism.default', String(options.parallelism))
    for (const [k, v] of Object.entries(options.config ?? {})) this.config.set(k, v)
  }

  /** A table environment that runs its own jobs. */
  static create(options: TableEnvironmentOptions = {}): TableEnvironment {
    return new TableEnvironment(options, undefined)
  }

  /** Registers a table connector (its identifier becomes usable in `'connector' = '...'`). */
  registerConnector(factory: TableConnectorFactory): void {
    this.connectors.register(factory, { replace: true })
  }

  /** Registers a scalar function under `name` (Flink's `createTemporarySystemFunction`). */
  createTemporarySystemFunction(name: string, fn: (...args: any[]) => unknown, resultType: DataType | ((argTypes: readonly DataType[]) => DataType | string), deterministic = true): void {
    const def: ScalarFunctionDefinition = { name, fn, resultType: typeof resultType === 'function' ? resultType : () => resultType, deterministic }
    this.catalog.addScalarFunction(def)
  }

  /**
   * Makes a function implementation available to `CREATE FUNCTION name AS '<identifier>'`
   * (replacing one registered under the same identifier). Functions created from it before keep
   * the implementation they were created with.
   *
   * @since 0.2.0
   */
  registerFunctionClass(identifier: string, implementation: FunctionClass): void {
    this.functionClasses.set(identifier, implementation)
  }

  /** Registers a table function: its rows for each call. */
  createTableFunction(def: TableFunctionDefinition): void {
    this.catalog.addTableFunction(def)
  }

  /** Registers an aggregate function. */
  createAggregateFunction(def: AggregateFunctionDefinition): void {
    this.catalog.addAggregateFunction(def)
  }

  /** The configuration value of `key`. */
  getConfig(key: string): string | undefined {
    return this.config.get(key)
  }

  /** Sets a configuration value (as `SET 'key' = 'value'`). */
  setConfig(key: string, value: string): void {
    this.config.set(key, value)
  }

  /** The names of the tables and views, sorted. */
  listTables(): string[] {
    return this.catalog.list().map((o) => o.name)
  }

  /** What the planner reads. @internal */
  plannerEnv(): PlannerEnv {
    return {
      catalog: this.catalog,
      connector: (id) => this.connectors.find(id),
      connectorNames: () => this.connectors.identifiers(),
      runtimeMode: this.runtimeMode(),
    }
  }

  /** `STREAMING` or `BATCH`, from `execution.runtime-mode`. */
  runtimeMode(): 'STREAMING' | 'BATCH' {
    const m = (this.config.get('execution.runtime-mode') ?? 'streaming').toLowerCase()
    if (m !== 'streaming' && m !== 'batch') throw new ConfigError(`'execution.runtime-mode' must be 'streaming' or 'batch', not '${m}'.`)
    return m === 'batch' ? 'BATCH' : 'STREAMING'
  }

  /**
   * Runs one SQL statement. DDL, `SET`, `SHOW`, `DESCRIBE` and `EXPLAIN` complete at once; a query
   * or an `INSERT` starts a job and returns its result while it runs.
   *
   * @throws SqlError - the statement does not parse, validate or plan (nothing ran)
   */
  async executeSql(sql: string): Promise<TableResult> {
    const parsed = parseStatement(sql)
    if (E.isLeft(parsed)) throw parsed.left
    return this.executeStatement(parsed.right)
  }

  /** Runs a parsed statement. @internal */
  async executeStatement(s: Statement): Promise<TableResult> {
    const env = this.plannerEnv()
    switch (s.type) {
      case 'createTable': {
        const t = this.orThrow(tableFromDdl(env, s))
        if (this.catalog.has(t.name)) {
          if (s.ifNotExists) return OK()
          throw new SqlError('validate', [{ message: `Table '${t.name}' already exists.`, pos: s.name.pos }])
        }
        this.catalog.add(t)
        return OK()
      }
      case 'createView': {
        const v = this.orThrow(viewFromDdl(env, s))
        if (this.catalog.has(v.name)) {
          if (s.ifNotExists) return OK()
          throw new SqlError('validate', [{ message: `View '${v.name}' already exists.`, pos: s.name.pos }])
        }
        this.catalog.add(v)
        return OK()
      }
      case 'createFunction':
        return this.createFunction(s)
      case 'drop': {
        if (s.objectType === 'FUNCTION') {
          const fname = objectName(s.name.parts)
          if ((fname === undefined || !this.catalog.removeFunction(fname)) && !s.ifExists) throw new SqlError('validate', [{ message: `Function '${s.name.parts.join('.')}' does not exist.`, pos: s.name.pos }])
          return OK()
        }
        const name = objectName(s.name.parts)
        const obj = name === undefined ? undefined : this.catalog.get(name)
        if (obj === undefined || (s.objectType === 'VIEW') !== (obj.kind === 'view')) {
          if (s.ifExists) return OK()
          throw new SqlError('validate', [{ message: `${s.objectType === 'VIEW' ? 'View' : 'Table'} '${s.name.parts.join('.')}' does not exist.`, pos: s.name.pos }])
        }
        this.catalog.remove(obj.name, s.temporary || obj.temporary)
        return OK()
      }
      case 'show':
        return this.show(s)
      case 'describe':
        return this.describe(s.name.parts, s.name.pos)
      case 'explain':
        return staticResult([col('result')], [[this.explainStatement(s.statement)]])
      case 'set': {
        if (s.key === undefined)
          return staticResult(
            [col('key'), col('value')],
            [...this.config].sort(([a], [b]) => (a < b ? -1 : 1)),
          )
        this.config.set(s.key, s.value ?? '')
        return OK()
      }
      case 'reset':
        if (s.key === undefined) {
          this.config.clear()
          this.config.set('execution.runtime-mode', this.options.mode ?? 'streaming')
        } else this.config.delete(s.key)
        return OK()
      case 'use':
        if ((s.catalog && s.name.parts.join('.') !== DEFAULT_CATALOG) || (!s.catalog && ![DEFAULT_DATABASE, `${DEFAULT_CATALOG}.${DEFAULT_DATABASE}`].includes(s.name.parts.join('.'))))
          throw new SqlError('validate', [{ message: `Only ${DEFAULT_CATALOG}.${DEFAULT_DATABASE} exists.`, pos: s.name.pos }])
        return OK()
      case 'query':
        return this.runQuery(s.query)
      case 'insert':
        return this.runInserts([this.orThrow(planInsert(env, s))])
      case 'statementSet':
        return this.runInserts(s.inserts.map((i) => this.orThrow(planInsert(env, i))))
    }
  }

  /** A query as a {@link Table} (not run until `execute()`). @throws SqlError when it does not parse or validate */
  sqlQuery(sql: string): Table {
    const parsed = parseStatement(sql)
    if (E.isLeft(parsed)) throw parsed.left
    const s = parsed.right
    if (s.type !== 'query') throw new SqlError('validate', [{ message: 'sqlQuery takes a query (SELECT, VALUES, WITH ...); use executeSql for other statements.', pos: s.pos }])
    this.orThrow(queryFields(this.plannerEnv(), s.query))
    return new Table(this.tableHost(), s.query)
  }

  /** A catalog table or view as a {@link Table}. */
  from(name: string): Table {
    const query: Query = {
      type: 'select',
      pos: API_POS,
      distinct: false,
      items: [{ type: 'star', pos: API_POS }],
      from: { type: 'table', pos: API_POS, name: { pos: API_POS, parts: name.split('.') } },
    }
    this.orThrow(queryFields(this.plannerEnv(), query))
    return new Table(this.tableHost(), query)
  }

  /** Registers a Table as a temporary view. */
  createTemporaryView(name: string, table: Table): void {
    if (this.catalog.has(name)) throw new SqlError('validate', [{ message: `A table or view '${name}' already exists.` }])
    this.catalog.add({ kind: 'view', name, temporary: true, query: table.query, text: formatQuery(table.query) })
  }

  /** What Tables of this environment call. @internal */
  protected tableHost(): TableHost {
    return {
      runQueryAst: async (q) => this.runQuery(q),
      explainQueryAst: (q) => this.explainStatement({ type: 'query', pos: API_POS, query: q }),
      insertQueryAst: async (table, q) =>
        this.runInserts([this.orThrow(planInsert(this.plannerEnv(), { type: 'insert', pos: API_POS, target: { pos: API_POS, parts: table.split('.') }, overwrite: false, query: q }))]),
      fieldsOfQuery: (q) => this.orThrow(queryFields(this.plannerEnv(), q)),
    }
  }

  /** The plan of a query, insert or statement set, as `EXPLAIN` prints it. */
  explainSql(sql: string): string {
    const parsed = parseStatement(sql)
    if (E.isLeft(parsed)) throw parsed.left
    const s = parsed.right
    if (s.type === 'explain') return this.explainStatement(s.statement)
    if (s.type !== 'query' && s.type !== 'insert' && s.type !== 'statementSet') throw new SqlError('validate', [{ message: 'Only queries, INSERT and STATEMENT SET can be explained.', pos: s.pos }])
    return this.explainStatement(s)
  }

  protected explainStatement(s: Extract<Statement, { type: 'query' | 'insert' | 'statementSet' }>): string {
    const env = this.plannerEnv()
    const plans = s.type === 'query' ? [this.orThrow(planQuery(env, s.query))] : s.type === 'insert' ? [this.orThrow(planInsert(env, s))] : s.inserts.map((i) => this.orThrow(planInsert(env, i)))
    return `== Optimized Physical Plan ==\n${plans.map((p) => explainPlan(p.root, p.traits)).join('\n\n')}\n`
  }

  /** Plans and starts a query; its rows come from the result's `collect()`. @internal */
  protected runQuery(query: Query): TableResult {
    const plan = this.orThrow(planQuery(this.plannerEnv(), query))
    const env = this.jobEnvironment()
    const stream = translate(plan.root, this.translateContext(env, plan))
    const sink = new CollectSink<Row>()
    stream.sinkTo(sink, 'Collect')
    const client = env.executeAsync(this.nextJobName())
    return collectResult(plan.root.fields, sink, client)
  }

  /** Plans and starts one job for all the inserts. @internal */
  protected runInserts(plans: readonly Plan[]): TableResult {
    const env = this.jobEnvironment()
    for (const plan of plans) translate(plan.root, this.translateContext(env, plan))
    return insertResult(env.executeAsync(this.nextJobName()))
  }

  /** The translation context of a plan in `env`. @internal */
  translateContext(env: StreamExecutionEnvironment, plan: Plan): Parameters<typeof translate>[1] {
    const ttl = this.config.get('table.exec.state.ttl')
    const idle = this.config.get('table.exec.source.idle-timeout')
    const ttlMs = ttl === undefined ? undefined : parseDurationMs(ttl, 'table.exec.state.ttl')
    const idleMs = idle === undefined ? undefined : parseDurationMs(idle, 'table.exec.source.idle-timeout')
    const wmInterval = this.config.get('pipeline.auto-watermark-interval')
    return {
      env,
      traits: plan.traits,
      perRecordWatermarks: wmInterval !== undefined && parseDurationMs(wmInterval, 'pipeline.auto-watermark-interval') === 0,
      runtimeMode: this.runtimeMode(),
      ...(ttlMs === undefined || ttlMs === 0 ? {} : { stateTtlMs: ttlMs }),
      ...(idleMs === undefined || idleMs === 0 ? {} : { idleTimeoutMs: idleMs }),
    }
  }

  /** The environment a job is built in: the wrapped one, or a fresh one from the configuration. */
  protected jobEnvironment(): StreamExecutionEnvironment {
    if (this.streamEnv !== undefined) return this.streamEnv
    const p = this.config.get('parallelism.default')
    const parallelism = p === undefined ? 1 : Number(p)
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new ConfigError(`'parallelism.default' must be a positive integer, not '${p}'.`)
    const env = StreamExecutionEnvironment.create({ parallelism, runtimeMode: this.runtimeMode(), config: Object.fromEntries(this.config) })
    const interval = this.config.get('execution.checkpointing.interval')
    if (interval !== undefined && this.runtimeMode() === 'STREAMING') {
      const dir = this.config.get('execution.checkpointing.dir')
      env.enableCheckpointing(parseDurationMs(interval, 'execution.checkpointing.interval'), 'EXACTLY_ONCE', dir === undefined ? {} : { directory: dir })
    }
    const backend = this.config.get('state.backend')
    if (backend !== undefined) env.setStateBackend(backend as 'heap' | 'lmdb', this.config.has('state.backend.lmdb.directory') ? { directory: this.config.get('state.backend.lmdb.directory')! } : {})
    return env
  }

  /** `CREATE [TEMPORARY [SYSTEM]] FUNCTION [IF NOT EXISTS] name AS '<identifier>' [LANGUAGE JAVA|SCALA]`. */
  private createFunction(s: Extract<Statement, { type: 'createFunction' }>): TableResult {
    const name = objectName(s.name.parts)
    if (name === undefined) throw new SqlError('validate', [{ message: `Only the default catalog and database are supported: ${s.name.parts.join('.')}.`, pos: s.name.pos }])
    if (s.language !== undefined && s.language !== 'JAVA' && s.language !== 'SCALA')
      throw new SqlError('validate', [{ message: `CREATE FUNCTION ${name} ... LANGUAGE ${s.language} is not supported: functions are TypeScript implementations named by their identifier (LANGUAGE JAVA or SCALA, or none).`, pos: s.pos }])
    if (this.catalog.hasFunction(name)) {
      if (s.ifNotExists) return OK()
      throw new SqlError('validate', [{ message: `Function '${name}' already exists; drop it first (DROP FUNCTION ${name}) or write CREATE FUNCTION IF NOT EXISTS.`, pos: s.name.pos }])
    }
    const impl = this.functionClasses.get(s.identifier)
    if (impl === undefined) {
      const known = [...this.functionClasses.keys()].sort()
      throw new SqlError('validate', [
        {
          message:
            `CREATE FUNCTION ${name}: the function class '${s.identifier}' is not known${known.length === 0 ? '' : ` (known: ${known.join(', ')})`}. ` +
            `Provide its implementation with TableEnvironment.create({ functionClasses: { '${s.identifier}': { kind: 'scalar', fn, resultType } } }) or tEnv.registerFunctionClass('${s.identifier}', ...).`,
          pos: s.pos,
        },
      ])
    }
    const d = functionDefinition(name, impl)
    if (d.kind === 'scalar') this.catalog.addScalarFunction(d.def)
    else if (d.kind === 'table') this.catalog.addTableFunction(d.def)
    else this.catalog.addAggregateFunction(d.def)
    return OK()
  }

  private nextJobName(): string {
    this.jobs++
    return `${this.options.jobName ?? 'strom-sql'}-${this.jobs}`
  }

  protected orThrow<T>(e: E.Either<SqlError, T>): T {
    if (E.isLeft(e)) throw e.left
    return e.right
  }

  private show(s: Extract<Statement, { type: 'show' }>): TableResult {
    const like = s.like === undefined ? undefined : new RegExp(`^${s.like.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`)
    const filter = (names: string[]): string[][] => names.filter((n) => like === undefined || like.test(n)).map((n) => [n])
    switch (s.what) {
      case 'TABLES':
        return staticResult([col('table name')], filter(this.catalog.list().map((o) => o.name)))
      case 'VIEWS':
        return staticResult([col('view name')], filter(this.catalog.list().filter((o) => o.kind === 'view').map((o) => o.name)))
      case 'FUNCTIONS': {
        const f = this.catalog.functions
        // the names as registered (`count_char`), not the upper-case lookup keys
        return staticResult([col('function name')], filter([...f.scalar.values(), ...f.table.values(), ...f.aggregate.values()].map((d) => d.name).sort()))
      }
      case 'CATALOGS':
        return staticResult([col('catalog name')], [[DEFAULT_CATALOG]])
      case 'DATABASES':
        return staticResult([col('database name')], [[DEFAULT_DATABASE]])
      case 'CURRENT_CATALOG':
        return staticResult([col('current catalog name')], [[DEFAULT_CATALOG]])
      case 'CURRENT_DATABASE':
        return staticResult([col('current database name')], [[DEFAULT_DATABASE]])
      case 'COLUMNS':
        return this.describe(s.name!.parts, s.name!.pos)
      case 'CREATE_TABLE':
      case 'CREATE_VIEW': {
        const name = objectName(s.name!.parts)
        const obj = name === undefined ? undefined : this.catalog.get(name)
        if (obj === undefined) throw new SqlError('validate', [{ message: `'${s.name!.parts.join('.')}' does not exist.`, pos: s.name!.pos }])
        if (obj.kind === 'view') return staticResult([col('result')], [[`CREATE ${obj.temporary ? 'TEMPORARY ' : ''}VIEW \`${obj.name}\` AS\n${obj.text}`]])
        if (obj.kind === 'stream') return staticResult([col('result')], [[`-- '${obj.name}' is a DataStream registered as a table`]])
        const cols = obj.columns.map((c) => `  \`${c.name}\` ${c.kind === 'computed' ? `AS ${formatExpr(c.expr)}` : formatType(c.type)}${c.kind === 'metadata' ? ` METADATA FROM '${c.key}'${c.virtual ? ' VIRTUAL' : ''}` : ''}`)
        if (obj.watermark !== undefined) cols.push(`  WATERMARK FOR \`${obj.watermark.column}\` AS ${obj.watermark.text}`)
        if (obj.primaryKey !== undefined) cols.push(`  PRIMARY KEY (${obj.primaryKey.map((k) => `\`${k}\``).join(', ')}) NOT ENFORCED`)
        const opts = [...obj.options].map(([k, v]) => `  '${k}' = '${v}'`)
        return staticResult([col('result')], [[`CREATE ${obj.temporary ? 'TEMPORARY ' : ''}TABLE \`${DEFAULT_CATALOG}\`.\`${DEFAULT_DATABASE}\`.\`${obj.name}\` (\n${cols.join(',\n')}\n) WITH (\n${opts.join(',\n')}\n)`]])
      }
      case 'JOBS':
        throw new SqlError('validate', [{ message: 'SHOW JOBS is not supported yet.', pos: s.pos }])
    }
  }

  /** `DESCRIBE t`: name, type, null, key, extras, watermark, as Flink prints it. */
  private describe(parts: readonly string[], pos: import('../sql/ast.js').Pos): TableResult {
    const name = objectName(parts)
    const obj = name === undefined ? undefined : this.catalog.get(name)
    if (obj === undefined) throw new SqlError('validate', [{ message: `Table or view '${parts.join('.')}' does not exist.`, pos }])
    const columns = [col('name'), col('type'), col('null', DataTypes.BOOLEAN(false)), col('key', DataTypes.STRING()), col('extras', DataTypes.STRING()), col('watermark', DataTypes.STRING())]
    if (obj.kind === 'view' || obj.kind === 'stream') {
      const fields = obj.kind === 'view' ? this.orThrow(queryFields(this.plannerEnv(), obj.query)) : obj.fields
      return staticResult(columns, fields.map((f) => [f.name, formatType({ ...f.type, nullable: true }), f.type.nullable, null, null, null]))
    }
    return staticResult(
      columns,
      obj.columns.map((c) => {
        const type = c.name === obj.watermark?.column && (c.type.kind === 'TIMESTAMP' || c.type.kind === 'TIMESTAMP_LTZ') ? { ...c.type, timeAttribute: 'ROWTIME' as const } : c.type
        return [
          c.name,
          formatType({ ...type, nullable: true }),
          c.type.nullable,
          obj.primaryKey?.includes(c.name) === true ? `PRI(${obj.primaryKey.join(', ')})` : null,
          c.kind === 'computed' ? `AS ${formatExpr(c.expr)}` : c.kind === 'metadata' ? `METADATA FROM '${c.key}'${c.virtual ? ' VIRTUAL' : ''}` : null,
          c.name === obj.watermark?.column ? obj.watermark.text : null,
        ]
      }),
    )
  }
}

