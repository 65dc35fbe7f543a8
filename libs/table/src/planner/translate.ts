/**
 * From an optimized plan to DataStream operators: every plan node becomes a DataStream call on
 * the process layer's keyed functions (or a plain operator for projections), keyed by the
 * encoded key of the node's key fields.
 *
 * @packageDocumentation
 */
import { WatermarkStrategy, type DataStream, type StreamExecutionEnvironment } from '@strom/datastream'
import type { WatermarkGenerator, WatermarkOutput } from '@strom/runtime'
import type { Row } from '../data/row.js'
import { compilePredicate, compileProjection, compileScalar } from '../expr/compile.js'
import type { Rex } from '../expr/rex.js'
import { CalcOperator, CorrelateOperator } from '../internal/exec/basic/calc-operator.js'
import { translateStateful } from './translate-stateful.js'
import type { PlanTraits } from './changelog.js'
import { isNonDeterministic, substituteRefs } from './rules.js'
import { describeRel } from './explain.js'
import { inputsOf, type Rel } from './rel.js'
import { systemRuntime } from '../expr/runtime.js'

/** What translation needs besides the plan. */
export interface TranslateContext {
  readonly env: StreamExecutionEnvironment
  readonly traits: PlanTraits
  readonly runtimeMode: 'STREAMING' | 'BATCH'
  /** `table.exec.state.ttl` in ms, if set. */
  readonly stateTtlMs?: number
  /** `table.exec.source.idle-timeout` in ms, if set. */
  readonly idleTimeoutMs?: number
  /** `pipeline.auto-watermark-interval` = 0: a watermark after every row that advances it (deterministic tests). */
  readonly perRecordWatermarks?: boolean
}

/** The node kinds whose equal sub-plans are translated once (besides scans). */
const REUSABLE: ReadonlySet<Rel['kind']> = new Set<Rel['kind']>(['calc', 'watermark', 'union', 'windowTvf', 'aggregate', 'windowAggregate', 'join', 'intervalJoin', 'windowJoin', 'overAggregate', 'rank', 'deduplicate', 'windowRank'])

const opName = (rel: Rel): string => {
  const d = describeRel(rel)
  return d.length > 120 ? `${d.slice(0, 117)}...` : d
}

/**
 * The stream of rows a plan node produces. Each node is translated once and shared by its
 * consumers; so is each distinct source pipeline: scans of the same table, with the same
 * projections, filters and watermarks on top, become one source whose stream feeds every consumer
 * (Flink's `table.optimizer.reuse-source-enabled`), so a query reading a view twice (Nexmark q5,
 * q7) or two views of one table (q3, q4, q8, q9, q20) reads its source once.
 */
export const translate = (root: Rel, ctx: TranslateContext): DataStream<Row> => {
  const done = new Map<Rel, DataStream<Row>>()
  const reused = new Map<string, DataStream<Row>>()
  const digests = new Map<Rel, string | undefined>()
  const digest = (rel: Rel): string | undefined => {
    if (digests.has(rel)) return digests.get(rel)
    let d: string | undefined
    if (rel.kind === 'scan') d = describeRel(rel)
    else if (REUSABLE.has(rel.kind)) {
      const inputs = inputsOf(rel).map(digest)
      d = inputs.some((i) => i === undefined) ? undefined : `${describeRel(rel)}(${inputs.join(', ')})`
    }
    digests.set(rel, d)
    return d
  }
  const rawSources = new Map<string, DataStream<Row>>()
  const sourceOf = (w: WatermarkRel): SourceWithWatermarks | undefined => {
    const pushed = pushableWatermark(w, ctx)
    if (pushed === undefined) return undefined
    const key = digest(w)!
    let stream = rawSources.get(key)
    if (stream === undefined) {
      stream = sourceWithWatermarks(w, pushed, ctx)
      rawSources.set(key, stream)
    }
    return { ...pushed, stream }
  }
  const go = (rel: Rel): DataStream<Row> => {
    const known = done.get(rel)
    if (known !== undefined) return known
    const key = digest(rel)
    const same = key === undefined ? undefined : reused.get(key)
    const s = same ?? translateNode(rel, ctx, go, sourceOf)
    done.set(rel, s)
    if (key !== undefined) reused.set(key, s)
    return s
  }
  return go(root)
}

const translateNode = (rel: Rel, ctx: TranslateContext, go: (r: Rel) => DataStream<Row>, sourceOf: (w: WatermarkRel) => SourceWithWatermarks | undefined): DataStream<Row> => {
  switch (rel.kind) {
    case 'scan': {
      const s = ctx.env.fromSource(rel.source.createSource(), WatermarkStrategy.noWatermarks<Row>(), opName(rel))
      if (rel.source.parallelism !== undefined) s.setParallelism(rel.source.parallelism)
      return s
    }
    case 'streamScan':
      return rel.stream as DataStream<Row>
    case 'values': {
      const rows: Row[] = rel.rows.map((fields) => ({ kind: 0, fields: [...fields] }))
      return ctx.env.fromCollection(rows, opName(rel)).setParallelism(1)
    }
    case 'calc': {
      // over a watermark pushed into its source: one Calc over the source's own rows, the
      // projection under the watermark (computed columns) substituted in
      const pushed = rel.input.kind === 'watermark' ? sourceOf(rel.input) : undefined
      // (not when the computed columns are non-deterministic, PROCTIME(): read twice, they would be computed twice)
      if (pushed?.calcOverScan !== undefined && !pushed.calcOverScan.projects.some(isNonDeterministic)) {
        const under = pushed.calcOverScan.projects
        const names = { fieldNames: pushed.scan.fields.map((f) => f.name) }
        const projection = compileProjection(
          rel.projects.map((p) => substituteRefs(p, under)),
          names,
        )
        const predicate = rel.condition === undefined ? undefined : compilePredicate(substituteRefs(rel.condition, under), names)
        return pushed.stream.transform(opName(rel), () => new CalcOperator((rt) => ({ project: projection(rt), filter: predicate?.(rt) })))
      }
      const input = go(rel.input)
      const names = { fieldNames: rel.input.fields.map((f) => f.name) }
      const projection = isIdentity(rel.projects, rel.input.fields.length) ? undefined : compileProjection(rel.projects, names)
      const predicate = rel.condition === undefined ? undefined : compilePredicate(rel.condition, names)
      return input.transform(opName(rel), () => new CalcOperator((rt) => ({ project: projection?.(rt), filter: predicate?.(rt) })))
    }
    case 'watermark': {
      if (ctx.runtimeMode === 'BATCH') return go(rel.input)
      // a watermark right on a table's source (or on its computed columns) goes into the source:
      // per-split watermarks, as Flink's watermark push-down, and no assigner operator
      const pushed = sourceOf(rel)
      if (pushed !== undefined) {
        const c = pushed.calcOverScan
        if (c === undefined) return pushed.stream
        const projection = compileProjection(c.projects, { fieldNames: pushed.scan.fields.map((f) => f.name) })
        return pushed.stream.transform(opName(c), () => new CalcOperator((rt) => ({ project: projection(rt), filter: undefined })))
      }
      const rowtime: Rex = { kind: 'input', side: 0, index: rel.rowtimeIndex, type: rel.fields[rel.rowtimeIndex]!.type }
      const strategy = watermarkStrategy(rowtime, rel.watermark, rel.input.fields, ctx)
      return go(rel.input).assignTimestampsAndWatermarks(strategy).name(opName(rel))
    }
    case 'union': {
      const [first, ...rest] = rel.inputs.map(go)
      return rest.length === 0 ? first! : first!.union(...rest)
    }
    case 'correlate': {
      const input = go(rel.input)
      const width = rel.fields.length - rel.input.fields.length
      return input.transform(opName(rel), () => new CorrelateOperator(rel.fn, rel.joinType === 'LEFT', width))
    }
    case 'windowTvf':
    case 'aggregate':
    case 'windowAggregate':
    case 'join':
    case 'intervalJoin':
    case 'windowJoin':
    case 'temporalJoin':
    case 'lookupJoin':
    case 'overAggregate':
    case 'rank':
    case 'deduplicate':
    case 'windowRank':
    case 'sortLimit':
      return translateStateful(rel, ctx, go, opName(rel))
    case 'sink': {
      const input = go(rel.input)
      const sink = input.sinkTo(rel.sink.createSink(), opName(rel))
      if (rel.sink.parallelism !== undefined) sink.setParallelism(rel.sink.parallelism)
      return input
    }
    case 'collect':
      return go(rel.input)
  }
}

/** The watermark strategy of a `WATERMARK FOR` over rows of `fields`: timestamps from `rowtime`, watermarks from `watermark`. */
const watermarkStrategy = (rowtime: Rex, watermark: Rex, fields: readonly { name: string }[], ctx: TranslateContext): WatermarkStrategy<Row> => {
  const names = { fieldNames: fields.map((f) => f.name) }
  const ts = compileScalar(rowtime, names)(systemRuntime)
  // `rowtime - INTERVAL c` (Nexmark's `dateTime - INTERVAL '4' SECOND`): from the timestamp the
  // assigner computed, instead of evaluating the rowtime expression a second time per row
  const delay = watermarkDelay(watermark, rowtime)
  const wm: (row: Row, timestamp: number) => unknown =
    delay === undefined ? ((expr) => (row: Row) => expr(row.fields))(compileScalar(watermark, names)(systemRuntime)) : (_row, timestamp) => timestamp - delay
  let strategy = WatermarkStrategy.forGenerator<Row>(() => new ExpressionWatermarks(wm, ctx.perRecordWatermarks === true)).withTimestampAssigner((row) => {
    const t = ts(row.fields)
    return typeof t === 'number' ? t : Number.NaN
  })
  if (ctx.idleTimeoutMs !== undefined) strategy = strategy.withIdleness(ctx.idleTimeoutMs)
  return strategy
}

/** Whether two expressions compute the same value from the same row (structurally; UDF calls never). */
const sameRex = (a: Rex, b: Rex): boolean => {
  if (a === b) return true
  switch (a.kind) {
    case 'input':
      return b.kind === 'input' && a.side === b.side && a.index === b.index
    case 'literal':
      return b.kind === 'literal' && a.value === b.value && a.type.kind === b.type.kind
    case 'field':
      return b.kind === 'field' && a.index === b.index && sameRex(a.expr, b.expr)
    case 'call':
      return b.kind === 'call' && a.op === b.op && sameType(a.type, b.type) && a.args.length === b.args.length && a.args.every((x, i) => sameRex(x, b.args[i]!))
    case 'udf':
      return false
  }
}

/** The same type, time attribute markers aside (a CAST's target). */
const sameType = (a: Rex['type'], b: Rex['type']): boolean => JSON.stringify({ ...a, timeAttribute: undefined }) === JSON.stringify({ ...b, timeAttribute: undefined })

/** `c` when the watermark expression is `rowtime - INTERVAL c` (0 for `rowtime` itself), else undefined. */
const watermarkDelay = (watermark: Rex, rowtime: Rex): number | undefined => {
  if (sameRex(watermark, rowtime)) return 0
  if (watermark.kind !== 'call' || watermark.op !== '-' || watermark.args.length !== 2) return undefined
  const [a, b] = watermark.args as [Rex, Rex]
  return b.kind === 'literal' && typeof b.value === 'number' && b.type.kind === 'INTERVAL_DAY_TIME' && sameRex(a, rowtime) ? b.value : undefined
}

type WatermarkRel = Extract<Rel, { kind: 'watermark' }>
type ScanRel = Extract<Rel, { kind: 'scan' }>
type CalcRel = Extract<Rel, { kind: 'calc' }>

/** A watermark that goes into its table's source: the scan, and the filter-free Calc between them (computed columns), if any. */
interface PushableWatermark {
  readonly scan: ScanRel
  readonly calcOverScan: CalcRel | undefined
}

/** The source of a pushed watermark: its stream of the table's own rows, with timestamps and watermarks. */
interface SourceWithWatermarks extends PushableWatermark {
  readonly stream: DataStream<Row>
}

/** `WatermarkRel` over a scan, or over a filter-free Calc over a scan (STREAMING only): the source itself gets the strategy. */
const pushableWatermark = (rel: WatermarkRel, ctx: TranslateContext): PushableWatermark | undefined => {
  if (ctx.runtimeMode === 'BATCH') return undefined
  const input = rel.input
  const calcOverScan = input.kind === 'calc' && input.condition === undefined && input.input.kind === 'scan' ? input : undefined
  const scan = input.kind === 'scan' ? input : calcOverScan?.input.kind === 'scan' ? calcOverScan.input : undefined
  return scan === undefined ? undefined : { scan, calcOverScan }
}

/** The source of a pushable watermark, emitting the table's own rows with per-split watermarks (as Flink's watermark push-down). */
const sourceWithWatermarks = (rel: WatermarkRel, { scan, calcOverScan }: PushableWatermark, ctx: TranslateContext): DataStream<Row> => {
  // the rowtime and watermark expressions over the source's own rows
  const rowtime: Rex = { kind: 'input', side: 0, index: rel.rowtimeIndex, type: rel.fields[rel.rowtimeIndex]!.type }
  const onSource = (r: Rex): Rex => (calcOverScan === undefined ? r : substituteRefs(r, calcOverScan.projects))
  const strategy = watermarkStrategy(onSource(rowtime), onSource(rel.watermark), scan.fields, ctx)
  const stream = ctx.env.fromSource(scan.source.createSource(), strategy, `${describeRel(scan)} with watermarks`)
  if (scan.source.parallelism !== undefined) stream.setParallelism(scan.source.parallelism)
  return stream
}

const isIdentity = (projects: readonly Rex[], width: number): boolean =>
  projects.length === width && projects.every((p, i) => p.kind === 'input' && p.side === 0 && p.index === i)


/**
 * SQL's watermarks: the largest value of the `WATERMARK FOR ... AS expr` expression seen so far,
 * emitted periodically (as Flink's WatermarkAssignerOperator, which emits the expression's value
 * itself: rows with a rowtime at or below it are late).
 */
class ExpressionWatermarks implements WatermarkGenerator<Row> {
  private max = Number.NEGATIVE_INFINITY
  private emitted = Number.NEGATIVE_INFINITY

  constructor(
    private readonly expr: (row: Row, timestamp: number) => unknown,
    private readonly perRecord: boolean,
  ) {}

  onEvent(row: Row, timestamp: number, output: WatermarkOutput): void {
    const w = this.expr(row, timestamp)
    if (typeof w === 'number' && w > this.max) {
      this.max = w
      if (this.perRecord) this.onPeriodicEmit(output)
    }
  }

  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.max > this.emitted) {
      this.emitted = this.max
      output.emitWatermark(this.max)
    }
  }
}

