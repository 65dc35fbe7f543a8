/**
 * `EXPLAIN`: a plan as an indented tree of operators, each with its changelog mode, in the
 * style of Flink's optimized physical plan.
 *
 * @packageDocumentation
 */
import type { AggregateCall } from '../aggregate/aggregate-call.js'
import { formatChangelogMode } from '../data/row.js'
import type { Rex } from '../expr/rex.js'
import { formatType } from '../types/data-type.js'
import type { PlanTraits } from './changelog.js'
import { inputsOf, type Field, type Rel, type SortKey, type WindowSpec } from './rel.js'

const INFIX = new Set(['+', '-', '*', '/', '%', '=', '<>', '<', '<=', '>', '>=', 'AND', 'OR', '||', 'LIKE', 'IS DISTINCT FROM'])

const formatLiteral = (r: Extract<Rex, { kind: 'literal' }>): string => {
  const v = r.value
  if (v === null || v === undefined) return 'null'
  switch (r.type.kind) {
    case 'CHAR':
    case 'VARCHAR':
      return `'${String(v).replace(/'/g, "''")}'`
    case 'INTERVAL_DAY_TIME':
      return `${String(v)}:INTERVAL SECOND`
    case 'INTERVAL_YEAR_MONTH':
      return `${String(v)}:INTERVAL MONTH`
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return typeof v === 'number' ? new Date(v).toISOString().replace('T', ' ').replace('Z', '') : String(v)
    default:
      return typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
}

/** An expression as text, with fields named from the inputs (`left`, and `right` for side 1). */
export const formatRex = (r: Rex, left: readonly Field[], right: readonly Field[] = []): string => {
  switch (r.kind) {
    case 'input': {
      const f = (r.side === 0 ? left : right)[r.index]
      return f === undefined ? `$${r.index}` : f.name
    }
    case 'literal':
      return formatLiteral(r)
    case 'field':
      return `${formatRex(r.expr, left, right)}.${r.expr.type.kind === 'ROW' ? (r.expr.type.fields[r.index]?.name ?? r.index) : r.index}`
    case 'udf':
      return `${r.name}(${r.args.map((a) => formatRex(a, left, right)).join(', ')})`
    case 'call': {
      const args = r.args.map((a) => formatRex(a, left, right))
      if (r.op === 'CAST' || r.op === 'TRY_CAST') return `${r.op}(${args[0]} AS ${formatType(r.type)})`
      if (INFIX.has(r.op) && args.length === 2) return `(${args[0]} ${r.op} ${args[1]})`
      if (r.op === 'NOT' && args.length === 1) return `NOT(${args[0]})`
      if (r.op.startsWith('IS ') && args.length === 1) return `${r.op}(${args[0]})`
      return `${r.op}(${args.join(', ')})`
    }
  }
}

const names = (fs: readonly Field[]): string => fs.map((f) => f.name).join(', ')
const keys = (ks: readonly number[], fs: readonly Field[]): string => ks.map((k) => fs[k]?.name ?? `$${k}`).join(', ')
const sortKeys = (ks: readonly SortKey[], fs: readonly Field[]): string =>
  ks.map((k) => `${fs[k.index]?.name ?? `$${k.index}`} ${k.direction}${k.nullsFirst === (k.direction === 'ASC') ? '' : k.nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'}`).join(', ')

const ms = (n: number): string => {
  if (n % 86_400_000 === 0) return `${n / 86_400_000} d`
  if (n % 3_600_000 === 0) return `${n / 3_600_000} h`
  if (n % 60_000 === 0) return `${n / 60_000} min`
  if (n % 1000 === 0) return `${n / 1000} s`
  return `${n} ms`
}

const window = (w: WindowSpec, time: string): string => {
  switch (w.kind) {
    case 'TUMBLE':
      return `TUMBLE(time_col=[${time}], size=[${ms(w.sizeMs)}]${w.offsetMs === 0 ? '' : `, offset=[${ms(w.offsetMs)}]`})`
    case 'HOP':
      return `HOP(time_col=[${time}], size=[${ms(w.sizeMs)}], slide=[${ms(w.slideMs)}])`
    case 'CUMULATE':
      return `CUMULATE(time_col=[${time}], max_size=[${ms(w.sizeMs)}], step=[${ms(w.stepMs)}])`
    case 'SESSION':
      return `SESSION(time_col=[${time}], gap=[${ms(w.gapMs)}])`
  }
}

const agg = (a: AggregateCall, fs: readonly Field[]): string => {
  const args = a.args.length === 0 && a.name === 'COUNT' ? '*' : keys(a.args, fs)
  return `${a.name}(${a.distinct ? 'DISTINCT ' : ''}${args})${a.filterArg === undefined ? '' : ` FILTER ${fs[a.filterArg]?.name ?? `$${a.filterArg}`}`}`
}

const aggSelect = (groupNames: readonly string[], aggs: readonly AggregateCall[], input: readonly Field[], out: readonly Field[], offset: number): string =>
  [...groupNames, ...aggs.map((a, i) => `${agg(a, input)} AS ${out[offset + i]?.name ?? `$${offset + i}`}`)].join(', ')

const joinName = (t: string): string => ({ INNER: 'InnerJoin', LEFT: 'LeftOuterJoin', RIGHT: 'RightOuterJoin', FULL: 'FullOuterJoin', SEMI: 'LeftSemiJoin', ANTI: 'LeftAntiJoin' })[t] ?? t

const equi = (lk: readonly number[], rk: readonly number[], l: readonly Field[], r: readonly Field[]): string[] => lk.map((k, i) => `(${l[k]?.name} = ${r[rk[i]!]?.name})`)

/** One operator as one line, without its inputs (`GroupAggregate(groupBy=[a], select=[a, COUNT(*) AS cnt])`). */
export const describeRel = (rel: Rel): string => {
  const inFields = inputsOf(rel)[0]?.fields ?? []
  switch (rel.kind) {
    case 'scan':
      return `TableSourceScan(table=[[${rel.table.split('.').join(', ')}]], fields=[${names(rel.fields)}])`
    case 'streamScan':
      return `DataStreamScan(table=[${rel.name}], fields=[${names(rel.fields)}])`
    case 'values':
      return `Values(tuples=[${rel.rows.map((r) => `[${r.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}]`).join(', ')}])`
    case 'calc': {
      const sel = rel.projects.map((p, i) => {
        const text = formatRex(p, inFields)
        return text === rel.fields[i]!.name ? text : `${text} AS ${rel.fields[i]!.name}`
      })
      return `Calc(select=[${sel.join(', ')}]${rel.condition === undefined ? '' : `, where=[${formatRex(rel.condition, inFields)}]`})`
    }
    case 'watermark':
      return `WatermarkAssigner(rowtime=[${rel.fields[rel.rowtimeIndex]!.name}], watermark=[${formatRex(rel.watermark, inFields)}])`
    case 'aggregate': {
      if (rel.aggs.length === 0) return `GroupAggregate(groupBy=[${keys(rel.groupIndices, inFields)}], select=[${keys(rel.groupIndices, inFields)}])`
      return `GroupAggregate(${rel.groupIndices.length === 0 ? '' : `groupBy=[${keys(rel.groupIndices, inFields)}], `}select=[${aggSelect(
        rel.groupIndices.map((g) => inFields[g]!.name),
        rel.aggs,
        inFields,
        rel.fields,
        rel.groupIndices.length,
      )}])`
    }
    case 'windowTvf':
      return `WindowTableFunction(window=[${window(rel.window, inFields[rel.timeIndex]!.name)}])`
    case 'windowAggregate':
      return `WindowAggregate(${rel.groupIndices.length === 0 ? '' : `groupBy=[${keys(rel.groupIndices, inFields)}], `}window=[${window(rel.window, inFields[rel.timeIndex]!.name)}]${rel.cascadeSizeMs === undefined ? '' : `, cascade=[window_start = window_end - ${rel.cascadeSizeMs} ms]`}, select=[${aggSelect(
        rel.groupIndices.map((g) => inFields[g]!.name),
        rel.aggs,
        inFields,
        rel.fields,
        rel.groupIndices.length,
      )}, start('w$) AS window_start, end('w$) AS window_end, rowtime('w$) AS window_time])`
    case 'join': {
      const cond = [...equi(rel.leftKeys, rel.rightKeys, rel.left.fields, rel.right.fields), ...(rel.condition === undefined ? [] : [formatRex(rel.condition, rel.left.fields, rel.right.fields)])]
      return `Join(joinType=[${joinName(rel.joinType)}], where=[${cond.length === 0 ? 'true' : cond.join(' AND ')}], select=[${names(rel.fields)}])`
    }
    case 'intervalJoin': {
      const l = rel.left.fields[rel.leftTimeIndex]!.name
      const r = rel.right.fields[rel.rightTimeIndex]!.name
      return `IntervalJoin(joinType=[${joinName(rel.joinType)}], windowBounds=[isRowTime=${rel.isEventTime}, leftLowerBound=${rel.lowerBoundMs}, leftUpperBound=${rel.upperBoundMs}, leftTimeIndex=${l}, rightTimeIndex=${r}], where=[${[...equi(rel.leftKeys, rel.rightKeys, rel.left.fields, rel.right.fields), ...(rel.condition === undefined ? [] : [formatRex(rel.condition, rel.left.fields, rel.right.fields)])].join(' AND ') || 'true'}], select=[${names(rel.fields)}])`
    }
    case 'windowJoin':
      return `WindowJoin(joinType=[${joinName(rel.joinType)}], leftWindow=[${rel.left.fields[rel.leftWindow.start]!.name}, ${rel.left.fields[rel.leftWindow.end]!.name}], rightWindow=[${rel.right.fields[rel.rightWindow.start]!.name}, ${rel.right.fields[rel.rightWindow.end]!.name}], where=[${[...equi(rel.leftKeys, rel.rightKeys, rel.left.fields, rel.right.fields), ...(rel.condition === undefined ? [] : [formatRex(rel.condition, rel.left.fields, rel.right.fields)])].join(' AND ') || 'true'}], select=[${names(rel.fields)}])`
    case 'temporalJoin':
      return `TemporalJoin(joinType=[${joinName(rel.joinType)}], where=[${[...equi(rel.leftKeys, rel.rightKeys, rel.left.fields, rel.right.fields), `__TEMPORAL_JOIN_CONDITION(${rel.left.fields[rel.leftTimeIndex]!.name}, ${rel.right.fields[rel.rightTimeIndex]!.name})`].join(' AND ')}], select=[${names(rel.fields)}])`
    case 'lookupJoin':
      return `LookupJoin(table=[${rel.table}], joinType=[${joinName(rel.joinType)}], lookup=[${rel.lookupKeys.map((k, i) => `${rel.tableFields[k]!.name}=${rel.left.fields[rel.leftKeys[i]!]!.name}`).join(', ')}], select=[${names(rel.fields)}])`
    case 'union':
      return `Union(all=[true], union=[${names(rel.fields)}])`
    case 'overAggregate':
      return `OverAggregate(${rel.partitionKeys.length === 0 ? '' : `partitionBy=[${keys(rel.partitionKeys, inFields)}], `}orderBy=[${sortKeys(rel.orderKeys, inFields)}], window=[${rel.frame.unit} BETWEEN ${rel.frame.preceding === undefined ? 'UNBOUNDED' : rel.frame.preceding} PRECEDING AND CURRENT ROW], select=[${names(inFields)}, ${rel.aggs.map((a, i) => `${agg(a, inFields)} AS ${rel.fields[inFields.length + i]!.name}`).join(', ')}])`
    case 'rank':
      return `Rank(strategy=[${rel.rankType}], rankRange=[rankStart=${rel.rankStart}, rankEnd=${rel.rankEnd}], partitionBy=[${keys(rel.partitionKeys, inFields)}], orderBy=[${sortKeys(rel.orderKeys, inFields)}], select=[${names(rel.fields)}])`
    case 'deduplicate':
      return `Deduplicate(keep=[${rel.keepLast ? 'LastRow' : 'FirstRow'}], key=[${keys(rel.partitionKeys, inFields)}], order=[${rel.isEventTime ? 'ROWTIME' : 'PROCTIME'}])`
    case 'windowRank':
      return `WindowRank(window=[${inFields[rel.windowStartIndex]!.name}, ${inFields[rel.windowEndIndex]!.name}], strategy=[${rel.rankType}], rankRange=[rankStart=${rel.rankStart}, rankEnd=${rel.rankEnd}], partitionBy=[${keys(rel.partitionKeys, inFields)}], orderBy=[${sortKeys(rel.orderKeys, inFields)}], select=[${names(rel.fields)}])`
    case 'sortLimit':
      return `SortLimit(orderBy=[${sortKeys(rel.orderKeys, inFields)}], offset=[${rel.offset}], fetch=[${rel.limit ?? 'unlimited'}])`
    case 'correlate':
      return `Correlate(invocation=[${rel.description}], joinType=[${rel.joinType}], select=[${names(rel.fields)}])`
    case 'sink':
      return `Sink(table=[${rel.table}], fields=[${names(rel.fields)}])`
    case 'collect':
      return `Collect(fields=[${names(rel.fields)}])`
  }
}

/**
 * The plan as Flink prints an optimized physical plan: one operator per line, inputs indented
 * under it with `+- `, and each operator's changelog mode when `traits` are given.
 */
export const explainPlan = (root: Rel, traits?: PlanTraits): string => {
  const lines: string[] = []
  const walk = (rel: Rel, prefix: string, childPrefix: string): void => {
    const t = traits?.get(rel)
    const mode = t === undefined ? '' : `, changelogMode=[${rel.kind === 'sink' ? 'NONE' : formatChangelogMode(t.mode).slice(1, -1)}]`
    const line = describeRel(rel)
    lines.push(`${prefix}${line.slice(0, -1)}${mode})`)
    const kids = inputsOf(rel)
    kids.forEach((k, i) => {
      const last = i === kids.length - 1
      walk(k, `${childPrefix}${last ? '+- ' : ':- '}`, `${childPrefix}${last ? '   ' : ':  '}`)
    })
  }
  walk(root, '', '')
  return lines.join('\n')
}
