/**
 * The planner's relational plan: what a query computes, as a tree of operators over typed rows.
 *
 * @remarks
 * `sql-to-rel.ts` builds it from the syntax tree (names resolved, expressions typed), the rules
 * in `rules.ts` rewrite it into the streaming operators Strom runs (window aggregation, Top-N,
 * deduplication, interval/temporal/window joins), `changelog.ts` decides each node's changelog
 * mode, and `translate.ts` turns it into DataStream operators. Every node knows its output
 * fields; expressions read the input's fields by position.
 *
 * @packageDocumentation
 */
import type { AggregateCall } from '../aggregate/aggregate-call.js'
import type { ScanTableSource, TableSink, LookupTableSource } from '../connectors/table-connector.js'
import type { ChangelogMode } from '../data/row.js'
import type { Rex } from '../expr/rex.js'
import type { Pos } from '../sql/ast.js'
import type { DataType } from '../types/data-type.js'

/** An output field of a plan node. */
export interface Field {
  readonly name: string
  readonly type: DataType
}

/** A window of the windowing table-valued functions, in milliseconds. */
export type WindowSpec =
  | { readonly kind: 'TUMBLE'; readonly sizeMs: number; readonly offsetMs: number }
  | { readonly kind: 'HOP'; readonly sizeMs: number; readonly slideMs: number; readonly offsetMs: number }
  | { readonly kind: 'CUMULATE'; readonly sizeMs: number; readonly stepMs: number; readonly offsetMs: number }
  | { readonly kind: 'SESSION'; readonly gapMs: number; readonly partitionKeys: readonly number[] }

/** A sort key: field, direction, where NULLs go. */
export interface SortKey {
  readonly index: number
  readonly direction: 'ASC' | 'DESC'
  readonly nullsFirst: boolean
}

/** The window frame of an OVER aggregation. */
export interface OverFrame {
  readonly unit: 'ROWS' | 'RANGE'
  /** Rows or milliseconds before the current row; `undefined` for `UNBOUNDED PRECEDING`. */
  readonly preceding: number | undefined
}

interface RelBase {
  readonly fields: readonly Field[]
  /** Where in the SQL text this node comes from, for plan errors (e.g. the GROUP BY that makes updates). */
  readonly pos?: Pos
}

/** Reads a table through its connector; `source` rows carry the physical then metadata columns. */
export interface ScanRel extends RelBase {
  readonly kind: 'scan'
  readonly table: string
  readonly source: ScanTableSource
}

/** A DataStream registered as a table (`fromDataStream`, `createTemporaryView`). */
export interface StreamScanRel extends RelBase {
  readonly kind: 'streamScan'
  readonly name: string
  /** The stream of rows (a `DataStream<Row>` of the environment), opaque to the planner. */
  readonly stream: unknown
  readonly changelogMode: ChangelogMode
}

/** Constant rows (`VALUES`, `SELECT 1`). */
export interface ValuesRel extends RelBase {
  readonly kind: 'values'
  readonly rows: readonly (readonly unknown[])[]
}

/** Projection and filter: `projects` over the input rows that pass `condition`. */
export interface CalcRel extends RelBase {
  readonly kind: 'calc'
  readonly input: Rel
  readonly projects: readonly Rex[]
  readonly condition?: Rex
}

/** Assigns watermarks from a rowtime field: `WATERMARK FOR ts AS expr`. */
export interface WatermarkRel extends RelBase {
  readonly kind: 'watermark'
  readonly input: Rel
  readonly rowtimeIndex: number
  /** The watermark expression over the input row (epoch ms). */
  readonly watermark: Rex
}

/** A group aggregation (`GROUP BY`, `DISTINCT`): group fields then aggregate results. */
export interface AggregateRel extends RelBase {
  readonly kind: 'aggregate'
  readonly input: Rel
  readonly groupIndices: readonly number[]
  readonly aggs: readonly AggregateCall[]
}

/** A windowing table-valued function: the input fields plus `window_start`, `window_end`, `window_time`. */
export interface WindowTvfRel extends RelBase {
  readonly kind: 'windowTvf'
  readonly input: Rel
  readonly window: WindowSpec
  readonly timeIndex: number
}

/** Aggregation over windows of a window TVF: group fields, aggregates, `window_start`, `window_end`, `window_time`. */
export interface WindowAggregateRel extends RelBase {
  readonly kind: 'windowAggregate'
  readonly input: Rel
  readonly window: WindowSpec
  readonly timeIndex: number
  readonly isEventTime: boolean
  readonly groupIndices: readonly number[]
  readonly aggs: readonly AggregateCall[]
  /**
   * A cascading window aggregation (grouped by the window of an upstream TUMBLE or HOP window
   * aggregation's rows): the upstream window's size. Its rows stand for that window, which ends at
   * this one's `window_end` and starts `cascadeSizeMs` before.
   */
  readonly cascadeSizeMs?: number
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'SEMI' | 'ANTI'

/** A regular join: left fields then right fields (none for SEMI/ANTI). */
export interface JoinRel extends RelBase {
  readonly kind: 'join'
  readonly left: Rel
  readonly right: Rel
  readonly joinType: JoinType
  readonly leftKeys: readonly number[]
  readonly rightKeys: readonly number[]
  /** The rest of the condition, over (left: side 0, right: side 1). */
  readonly condition?: Rex
}

/** An interval join: `l.t BETWEEN r.t - lowerMs AND r.t + upperMs` (bounds relative to the right row's time). */
export interface IntervalJoinRel extends RelBase {
  readonly kind: 'intervalJoin'
  readonly left: Rel
  readonly right: Rel
  readonly joinType: 'INNER' | 'LEFT' | 'RIGHT' | 'FULL'
  readonly leftKeys: readonly number[]
  readonly rightKeys: readonly number[]
  readonly leftTimeIndex: number
  readonly rightTimeIndex: number
  readonly isEventTime: boolean
  /** `l.t >= r.t + lowerBoundMs` and `l.t <= r.t + upperBoundMs`. */
  readonly lowerBoundMs: number
  readonly upperBoundMs: number
  readonly condition?: Rex
}

/** A join of two window TVF outputs on the same windows. */
export interface WindowJoinRel extends RelBase {
  readonly kind: 'windowJoin'
  readonly left: Rel
  readonly right: Rel
  readonly joinType: JoinType
  readonly leftKeys: readonly number[]
  readonly rightKeys: readonly number[]
  readonly leftWindow: { readonly start: number; readonly end: number }
  readonly rightWindow: { readonly start: number; readonly end: number }
  readonly condition?: Rex
}

/** `probe JOIN versioned FOR SYSTEM_TIME AS OF probe.t ON ...` against a versioned table. */
export interface TemporalJoinRel extends RelBase {
  readonly kind: 'temporalJoin'
  readonly left: Rel
  readonly right: Rel
  readonly joinType: 'INNER' | 'LEFT'
  readonly leftKeys: readonly number[]
  readonly rightKeys: readonly number[]
  readonly leftTimeIndex: number
  readonly rightTimeIndex: number
  readonly condition?: Rex
}

/** A lookup join against a table source that answers lookups. */
export interface LookupJoinRel extends RelBase {
  readonly kind: 'lookupJoin'
  readonly left: Rel
  readonly table: string
  readonly lookup: LookupTableSource
  readonly tableFields: readonly Field[]
  readonly joinType: 'INNER' | 'LEFT'
  readonly leftKeys: readonly number[]
  /** The lookup table's key columns (physical indices), in the order of `leftKeys`. */
  readonly lookupKeys: readonly number[]
  readonly condition?: Rex
}

/** `UNION ALL` (and, with an aggregate on top, `UNION`). */
export interface UnionRel extends RelBase {
  readonly kind: 'union'
  readonly inputs: readonly Rel[]
}

/** An OVER aggregation: the input fields then one field per aggregate. */
export interface OverAggregateRel extends RelBase {
  readonly kind: 'overAggregate'
  readonly input: Rel
  readonly partitionKeys: readonly number[]
  readonly orderKeys: readonly SortKey[]
  readonly frame: OverFrame
  /** Aggregates; ranking functions (`ROW_NUMBER`, `RANK`, `DENSE_RANK`) appear by name with no args. */
  readonly aggs: readonly AggregateCall[]
}

/** Top-N per partition (`ROW_NUMBER() OVER (...) <= N`). */
export interface RankRel extends RelBase {
  readonly kind: 'rank'
  readonly input: Rel
  readonly rankType: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK'
  readonly partitionKeys: readonly number[]
  readonly orderKeys: readonly SortKey[]
  readonly rankStart: number
  readonly rankEnd: number
  readonly outputRankNumber: boolean
}

/** Deduplication (`ROW_NUMBER() OVER (PARTITION BY k ORDER BY time) = 1`). */
export interface DeduplicateRel extends RelBase {
  readonly kind: 'deduplicate'
  readonly input: Rel
  readonly partitionKeys: readonly number[]
  readonly timeIndex: number
  readonly isEventTime: boolean
  readonly keepLast: boolean
  readonly outputRankNumber: boolean
}

/** Top-N or deduplication within each window of a window TVF. */
export interface WindowRankRel extends RelBase {
  readonly kind: 'windowRank'
  readonly input: Rel
  readonly rankType: 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK'
  readonly partitionKeys: readonly number[]
  readonly orderKeys: readonly SortKey[]
  readonly rankStart: number
  readonly rankEnd: number
  readonly outputRankNumber: boolean
  readonly windowStartIndex: number
  readonly windowEndIndex: number
}

/** `ORDER BY ... LIMIT n OFFSET m` (bounded input, or Top-N over everything in streaming). */
export interface SortLimitRel extends RelBase {
  readonly kind: 'sortLimit'
  readonly input: Rel
  readonly orderKeys: readonly SortKey[]
  readonly offset: number
  readonly limit: number | undefined
}

/** A table function per row (`LATERAL TABLE(f(x))`, `UNNEST(arr)`): input fields then the function's fields. */
export interface CorrelateRel extends RelBase {
  readonly kind: 'correlate'
  readonly input: Rel
  readonly joinType: 'INNER' | 'LEFT'
  /** Rows for one input row: each an array of the function's fields. */
  readonly fn: (fields: readonly unknown[]) => Iterable<readonly unknown[]>
  readonly description: string
}

/** Writes into a table through its connector. */
export interface SinkRel extends RelBase {
  readonly kind: 'sink'
  readonly input: Rel
  readonly table: string
  readonly sink: TableSink
  /** The sink's primary key (indices), for upsert sinks. */
  readonly primaryKey?: readonly number[]
}

/** Gathers the rows for the caller (`execute().collect()`, the SQL client). */
export interface CollectRel extends RelBase {
  readonly kind: 'collect'
  readonly input: Rel
}

/** A relational plan node. */
export type Rel =
  | ScanRel
  | StreamScanRel
  | ValuesRel
  | CalcRel
  | WatermarkRel
  | AggregateRel
  | WindowTvfRel
  | WindowAggregateRel
  | JoinRel
  | IntervalJoinRel
  | WindowJoinRel
  | TemporalJoinRel
  | LookupJoinRel
  | UnionRel
  | OverAggregateRel
  | RankRel
  | DeduplicateRel
  | WindowRankRel
  | SortLimitRel
  | CorrelateRel
  | SinkRel
  | CollectRel

/** The inputs of a node, left to right. */
export const inputsOf = (rel: Rel): readonly Rel[] => {
  switch (rel.kind) {
    case 'scan':
    case 'streamScan':
    case 'values':
      return []
    case 'join':
    case 'intervalJoin':
    case 'windowJoin':
    case 'temporalJoin':
      return [rel.left, rel.right]
    case 'lookupJoin':
      return [rel.left]
    case 'union':
      return rel.inputs
    default:
      return [rel.input]
  }
}
