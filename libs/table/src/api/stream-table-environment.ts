/**
 * A table environment on a DataStream program's environment: the layers mix, from DataStream to
 * Table and back.
 *
 * @packageDocumentation
 */
import { ProcessFunction, type Collector } from '@strom/process'
import type { DataStream, StreamExecutionEnvironment } from '@strom/datastream'
import { ConfigError } from '@strom/runtime'
import { ChangelogModes, ROW_KIND_SHORT, isInsertOnly, type Row, type RowKind, type RowKindShort } from '../data/row.js'
import { SqlError } from '../errors.js'
import { fromExternal, toExternal } from '../expr/format-value.js'
import { planQuery } from '../planner/planner.js'
import { translate } from '../planner/translate.js'
import type { Query } from '../sql/ast.js'
import { DataTypes, formatType, type DataType } from '../types/data-type.js'
import { Table } from './table.js'
import { TableEnvironment, type TableEnvironmentOptions } from './table-environment.js'

/** The columns of a DataStream seen as a table. */
export interface StreamSchema {
  /** The columns, in order: each read from the record's property of the same name. */
  readonly columns: readonly { readonly name: string; readonly type: DataType }[] | Readonly<Record<string, DataType>>
  /**
   * An event-time column whose values are the stream's record timestamps, and whose watermarks
   * are the stream's own (Flink's `SOURCE_WATERMARK()`): added as `TIMESTAMP_LTZ(3) *ROWTIME*`.
   */
  readonly rowtime?: string
  /** The primary key, for changelog streams (and versioned tables of temporal joins). */
  readonly primaryKey?: readonly string[]
}

/** A change of a changelog stream: its kind and the row as an object. */
export interface ChangelogRecord<T> {
  readonly kind: RowKindShort
  readonly row: T
}

const columnsOf = (schema: StreamSchema): { readonly name: string; readonly type: DataType }[] =>
  Array.isArray(schema.columns) ? [...schema.columns] : Object.entries(schema.columns as Record<string, DataType>).map(([name, type]) => ({ name, type }))

/** Objects to rows (and the record timestamp into the rowtime column). */
class ToRows<T> extends ProcessFunction<T, Row> {
  constructor(
    private readonly names: readonly string[],
    private readonly types: readonly DataType[],
    private readonly withRowtime: boolean,
    private readonly changelog: boolean,
  ) {
    super()
  }

  processElement(value: T, ctx: ProcessFunction.Context, out: Collector<Row>): void {
    const obj = (this.changelog ? (value as unknown as ChangelogRecord<Record<string, unknown>>).row : value) as Record<string, unknown>
    const n = this.names.length
    const fields = new Array<unknown>(n + (this.withRowtime ? 1 : 0))
    for (let i = 0; i < n; i++) fields[i] = fromExternal(obj[this.names[i]!] ?? null, this.types[i]!)
    if (this.withRowtime) {
      const ts = ctx.timestamp()
      fields[n] = ts === undefined || Number.isNaN(ts) ? null : ts
    }
    const kind = this.changelog ? (ROW_KIND_SHORT.indexOf((value as unknown as ChangelogRecord<unknown>).kind) as RowKind) : 0
    if (kind < 0) throw new ConfigError(`A changelog record has kind '${String((value as unknown as ChangelogRecord<unknown>).kind)}'; expected +I, -U, +U or -D.`)
    out.collect({ kind, fields })
  }
}

/** Rows to objects. */
class FromRows<T> extends ProcessFunction<Row, T> {
  constructor(
    private readonly names: readonly string[],
    private readonly types: readonly DataType[],
    private readonly changelog: boolean,
  ) {
    super()
  }

  processElement(row: Row, _ctx: ProcessFunction.Context, out: Collector<T>): void {
    const obj: Record<string, unknown> = {}
    for (let i = 0; i < this.names.length; i++) obj[this.names[i]!] = toExternal(row.fields[i], this.types[i]!)
    out.collect((this.changelog ? { kind: ROW_KIND_SHORT[row.kind], row: obj } : obj) as T)
  }
}

let viewCounter = 0

/**
 * A table environment on a `StreamExecutionEnvironment`: DataStreams become tables
 * (`fromDataStream`, `fromChangelogStream`, `createTemporaryView`) and tables DataStreams
 * (`toDataStream`, `toChangelogStream`), in the same job.
 *
 * @remarks
 * Queries and inserts that read a DataStream run in the wrapped environment: `executeSql` then
 * runs everything the environment recorded. Queries over catalog tables only run as jobs of
 * their own, as in a plain {@link TableEnvironment}. Rows become objects by column name; values
 * are converted as `toExternal` / `fromExternal` say (`TIMESTAMP` <-> `Date`).
 *
 * @category Table API
 * @since 0.1.0
 */
export class StreamTableEnvironment extends TableEnvironment {
  /** A table environment on `env`. */
  static override create(env: StreamExecutionEnvironment, options?: TableEnvironmentOptions): StreamTableEnvironment
  static override create(options?: TableEnvironmentOptions): TableEnvironment
  static override create(envOrOptions?: StreamExecutionEnvironment | TableEnvironmentOptions, options: TableEnvironmentOptions = {}): TableEnvironment {
    if (envOrOptions === undefined || !('fromSource' in envOrOptions)) return TableEnvironment.create(envOrOptions as TableEnvironmentOptions | undefined)
    const env = envOrOptions
    const mode = env.getRuntimeMode() === 'BATCH' ? 'batch' : 'streaming'
    return new StreamTableEnvironment({ mode, parallelism: env.getParallelism(), ...options }, env)
  }

  private get env(): StreamExecutionEnvironment {
    return this.streamEnv!
  }

  /** A DataStream of objects as a table with the given columns. */
  fromDataStream<T extends object>(stream: DataStream<T>, schema: StreamSchema): Table {
    return this.registerStream(stream, schema, false)
  }

  /** A changelog stream (`{ kind: '+I' | '-U' | '+U' | '-D', row }`) as an updating table. */
  fromChangelogStream<T extends object>(stream: DataStream<ChangelogRecord<T>>, schema: StreamSchema): Table {
    return this.registerStream(stream, schema, true)
  }

  /** Registers a DataStream as a temporary view `name` (or a Table, see the base class). */
  override createTemporaryView(name: string, source: Table | DataStream<any>, schema?: StreamSchema): void {
    if (source instanceof Table) return super.createTemporaryView(name, source)
    if (schema === undefined) throw new ConfigError(`createTemporaryView('${name}', stream) needs the stream's schema (its columns and types).`)
    this.addStreamTable(name, source, schema, false)
  }

  private registerStream(stream: DataStream<any>, schema: StreamSchema, changelog: boolean): Table {
    const name = `$stream${viewCounter++}`
    this.addStreamTable(name, stream, schema, changelog)
    return this.from(name)
  }

  private addStreamTable(name: string, stream: DataStream<any>, schema: StreamSchema, changelog: boolean): void {
    if (stream.env !== this.env) throw new ConfigError('The DataStream belongs to another StreamExecutionEnvironment than this table environment.')
    if (this.catalog.has(name)) throw new SqlError('validate', [{ message: `A table or view '${name}' already exists.` }])
    const columns = columnsOf(schema)
    const withRowtime = schema.rowtime !== undefined && !columns.some((c) => c.name === schema.rowtime)
    if (schema.rowtime !== undefined && !withRowtime) {
      const c = columns.find((x) => x.name === schema.rowtime)!
      if (c.type.kind !== 'TIMESTAMP' && c.type.kind !== 'TIMESTAMP_LTZ') throw new ConfigError(`The rowtime column '${c.name}' must be a TIMESTAMP or TIMESTAMP_LTZ, not ${formatType(c.type)}.`)
    }
    const fields = columns.map((c) => (c.name === schema.rowtime ? { name: c.name, type: { ...c.type, timeAttribute: 'ROWTIME' } as DataType } : c))
    if (withRowtime) fields.push({ name: schema.rowtime!, type: { ...DataTypes.TIMESTAMP_LTZ(3), timeAttribute: 'ROWTIME' } as DataType })
    const rows = stream.process(new ToRows(columns.map((c) => c.name), columns.map((c) => c.type), withRowtime, changelog)).name(`FromDataStream(${name})`)
    this.catalog.add({
      kind: 'stream',
      name,
      temporary: true,
      fields,
      stream: rows,
      changelogMode: changelog ? ChangelogModes.ALL : ChangelogModes.INSERT_ONLY,
      ...(schema.rowtime === undefined ? {} : { rowtime: schema.rowtime }),
      ...(schema.primaryKey === undefined ? {} : { primaryKey: schema.primaryKey }),
    })
  }

  /**
   * An insert-only table as a DataStream of objects (one property per column).
   *
   * @throws SqlError - the table's query produces updates (use {@link StreamTableEnvironment.toChangelogStream})
   */
  toDataStream<T extends object = Record<string, unknown>>(table: Table | string): DataStream<T> {
    return this.toStream<T>(table, false)
  }

  /** Any table as a DataStream of its changes: `{ kind: '+I' | '-U' | '+U' | '-D', row }`. */
  toChangelogStream<T extends object = Record<string, unknown>>(table: Table | string): DataStream<ChangelogRecord<T>> {
    return this.toStream<ChangelogRecord<T>>(table, true)
  }

  private toStream<T>(table: Table | string, changelog: boolean): DataStream<T> {
    const query: Query = typeof table === 'string' ? this.from(table).query : table.query
    const plan = this.orThrow(planQuery(this.plannerEnv(), query))
    const mode = plan.traits.get(plan.root)!.mode
    if (!changelog && !isInsertOnly(mode))
      throw new SqlError('plan', [
        { message: 'toDataStream needs an insert-only table, but this query produces updates (GROUP BY, outer joins, Top-N...); use toChangelogStream, or aggregate over a window.' },
      ])
    const rows = translate(plan.root, this.translateContext(this.env, plan))
    const fields = plan.root.fields
    return rows.process(new FromRows<T>(fields.map((f) => f.name), fields.map((f) => f.type), changelog)).name(changelog ? 'ToChangelogStream' : 'ToDataStream')
  }

  /** Queries that read no DataStream run as jobs of their own; the others in the wrapped environment. */
  protected override jobEnvironment(): StreamExecutionEnvironment {
    return this.env
  }
}

