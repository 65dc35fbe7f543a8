// The keyed (stateful) plan nodes as DataStream calls on the table runtime's process functions.
import { AsyncDataStream, type DataStream } from '@strom/datastream'
import { createAggsHandle } from '../aggregate/builtin-aggregates.js'
import { isInsertOnly, type Row } from '../data/row.js'
import { compilePredicate } from '../expr/compile.js'
import type { Rex } from '../expr/rex.js'
import { GroupAggFunction } from '../internal/exec/aggregate/group-agg-function.js'
import { WindowAggFunction } from '../internal/exec/aggregate/window-agg-function.js'
import { EmptyInputDefaultOperator, SortLimitOperator, WindowTvfOperator } from '../internal/exec/basic/calc-operator.js'
import { IntervalJoinFunction, intervalJoinOperator } from '../internal/exec/join/interval-join-function.js'
import { joinKeySelectors, type JoinCondition } from '../internal/exec/join/join-util.js'
import { LookupJoinAsyncFunction } from '../internal/exec/join/lookup-join-function.js'
import { regularJoinFunction } from '../internal/exec/join/regular-join-function.js'
import { TemporalJoinFunction } from '../internal/exec/join/temporal-join-function.js'
import { WindowJoinFunction } from '../internal/exec/join/window-join-function.js'
import { keySelectorOf } from '../internal/exec/keys.js'
import { createOverAggFunction } from '../internal/exec/over/over-agg-function.js'
import { DeduplicateFunction } from '../internal/exec/rank/deduplicate-function.js'
import { createRankFunction } from '../internal/exec/rank/rank-function.js'
import { compileComparator } from '../internal/exec/rank/sort-key-comparator.js'
import { WindowRankFunction } from '../internal/exec/rank/window-rank-function.js'
import { isProctime, isRowtime } from '../types/data-type.js'
import { fail } from './problems.js'
import type { Rel } from './rel.js'
import type { TranslateContext } from './translate.js'
import { systemRuntime } from '../expr/runtime.js'


/** A join condition over (left fields, right fields). */
const joinCondition = (rex: Rex | undefined, left: Rel, right?: Rel): JoinCondition | undefined => {
  if (rex === undefined) return undefined
  const f = compilePredicate(rex, { fieldNames: left.fields.map((x) => x.name), ...(right === undefined ? {} : { rightFieldNames: right.fields.map((x) => x.name) }) })(systemRuntime)
  return (l, r) => f(l as unknown[], r as unknown[])
}

const cond = (rex: Rex | undefined, left: Rel, right?: Rel): { condition?: JoinCondition } => {
  const c = joinCondition(rex, left, right)
  return c === undefined ? {} : { condition: c }
}

/** The timeout of lookup-join calls (ms) and how many may be in flight per subtask. */
const LOOKUP_TIMEOUT_MS = 60_000
const LOOKUP_CAPACITY = 100

export const translateStateful = (rel: Rel, ctx: TranslateContext, go: (r: Rel) => DataStream<Row>, name: string): DataStream<Row> => {
  const traits = ctx.traits
  const insertOnly = (r: Rel): boolean => isInsertOnly(traits.get(r)!.mode)
  const ttl = ctx.stateTtlMs === undefined ? {} : { stateTtlMs: ctx.stateTtlMs }
  switch (rel.kind) {
    case 'aggregate': {
      const fn = new GroupAggFunction({
        groupIndices: rel.groupIndices,
        aggs: rel.aggs,
        generateUpdateBefore: traits.get(rel)!.generateUpdateBefore,
        updatingInput: !insertOnly(rel.input),
        ...(ctx.runtimeMode === 'BATCH' ? { finalOnly: true } : {}),
        ...ttl,
      })
      const out = go(rel.input).keyBy(keySelectorOf(rel.groupIndices)).process(fn).name(name)
      if (ctx.runtimeMode !== 'BATCH' || rel.groupIndices.length > 0) return out
      // BATCH: a global aggregation has one row even over no input
      const aggs = rel.aggs
      return out
        .global()
        .transform('EmptyInputDefaults', () => new EmptyInputDefaultOperator(() => { const h = createAggsHandle(aggs); return h.getValue(h.createAccumulators()) }))
        .setParallelism(1)
    }
    case 'windowAggregate': {
      const fn = new WindowAggFunction({
        window: rel.window,
        timeIndex: rel.timeIndex,
        isEventTime: rel.isEventTime,
        groupIndices: rel.groupIndices,
        aggs: rel.aggs,
        updatingInput: !insertOnly(rel.input),
      })
      return go(rel.input).keyBy(keySelectorOf(rel.groupIndices)).process(fn).name(name)
    }
    case 'windowTvf': {
      const w = rel.window
      if (w.kind === 'SESSION') return fail('A SESSION window table function is only supported under a window aggregation (GROUP BY window_start, window_end).')
      const step = w.kind === 'TUMBLE' ? w.sizeMs : w.kind === 'HOP' ? w.slideMs : w.stepMs
      const proctime = isProctime(rel.input.fields[rel.timeIndex]!.type)
      return go(rel.input).transform(name, () => new WindowTvfOperator(w.kind as 'TUMBLE' | 'HOP' | 'CUMULATE', w.sizeMs, step, w.offsetMs, rel.timeIndex, proctime))
    }
    case 'join': {
      const [lk, rk] = joinKeySelectors(rel.leftKeys, rel.rightKeys)
      const fn = regularJoinFunction({
        joinType: rel.joinType,
        left: { width: rel.left.fields.length, keyIndices: rel.leftKeys, appendOnly: insertOnly(rel.left), ...ttl },
        right: { width: rel.right.fields.length, keyIndices: rel.rightKeys, appendOnly: insertOnly(rel.right), ...ttl },
        ...cond(rel.condition, rel.left, rel.right),
      })
      return go(rel.left).connect(go(rel.right)).keyBy(lk, rk).process(fn).name(name)
    }
    case 'intervalJoin': {
      const [lk, rk] = joinKeySelectors(rel.leftKeys, rel.rightKeys)
      const fn = new IntervalJoinFunction({
        joinType: rel.joinType,
        timeAttribute: rel.isEventTime ? 'rowtime' : 'proctime',
        leftWidth: rel.left.fields.length,
        rightWidth: rel.right.fields.length,
        leftKeyIndices: rel.leftKeys,
        rightKeyIndices: rel.rightKeys,
        leftTimeIndex: rel.leftTimeIndex,
        rightTimeIndex: rel.rightTimeIndex,
        leftLowerBound: rel.lowerBoundMs,
        leftUpperBound: rel.upperBoundMs,
        ...cond(rel.condition, rel.left, rel.right),
      })
      return go(rel.left).connect(go(rel.right)).keyBy(lk, rk).transform(name, intervalJoinOperator(fn))
    }
    case 'windowJoin': {
      const [lk, rk] = joinKeySelectors(rel.leftKeys, rel.rightKeys)
      const fn = new WindowJoinFunction({
        joinType: rel.joinType,
        leftWidth: rel.left.fields.length,
        rightWidth: rel.right.fields.length,
        leftKeyIndices: rel.leftKeys,
        rightKeyIndices: rel.rightKeys,
        leftWindowEndIndex: rel.leftWindow.end,
        rightWindowEndIndex: rel.rightWindow.end,
        ...cond(rel.condition, rel.left, rel.right),
      })
      return go(rel.left).connect(go(rel.right)).keyBy(lk, rk).process(fn).name(name)
    }
    case 'temporalJoin': {
      const [lk, rk] = joinKeySelectors(rel.leftKeys, rel.rightKeys)
      const fn = new TemporalJoinFunction({
        joinType: rel.joinType,
        leftWidth: rel.left.fields.length,
        rightWidth: rel.right.fields.length,
        leftKeyIndices: rel.leftKeys,
        rightKeyIndices: rel.rightKeys,
        leftTimeIndex: rel.leftTimeIndex,
        rightTimeIndex: rel.rightTimeIndex,
        ...cond(rel.condition, rel.left, rel.right),
      })
      return go(rel.left).connect(go(rel.right)).keyBy(lk, rk).process(fn).name(name)
    }
    case 'lookupJoin': {
      const fn = new LookupJoinAsyncFunction({
        joinType: rel.joinType,
        leftWidth: rel.left.fields.length,
        rightWidth: rel.tableFields.length,
        lookupKeys: rel.leftKeys,
        lookup: rel.lookup.createLookup(rel.lookupKeys),
        ...cond(rel.condition, rel.left, { kind: 'values', rows: [], fields: rel.tableFields }),
      })
      return AsyncDataStream.orderedWait(go(rel.left), fn, LOOKUP_TIMEOUT_MS, LOOKUP_CAPACITY).name(name)
    }
    case 'overAggregate': {
      const ranking = rel.aggs.find((a) => a.name === 'ROW_NUMBER' || a.name === 'RANK' || a.name === 'DENSE_RANK')
      if (ranking !== undefined)
        return fail(
          `${ranking.name}() is only supported for Top-N and deduplication: filter on it in an outer query (SELECT * FROM (SELECT ..., ${ranking.name}() OVER (...) AS rn FROM t) WHERE rn <= N).`,
          rel.pos,
        )
      if (rel.orderKeys.length !== 1) return fail('An OVER window needs ORDER BY exactly one column.', rel.pos)
      const orderKey = rel.orderKeys[0]!
      const orderType = rel.input.fields[orderKey.index]!.type
      const order = isRowtime(orderType) ? 'ROWTIME' : isProctime(orderType) ? 'PROCTIME' : 'FIELD'
      if (order !== 'FIELD' && orderKey.direction !== 'ASC') return fail('An OVER window ordered by a time attribute must be ascending.', rel.pos)
      const fn = createOverAggFunction({ order, orderKey, frame: rel.frame, aggs: createAggsHandle(rel.aggs), inputInsertOnly: insertOnly(rel.input) })
      return go(rel.input).keyBy(keySelectorOf(rel.partitionKeys)).process(fn).name(name)
    }
    case 'rank': {
      const fn = createRankFunction({
        rankType: rel.rankType,
        orderKeys: rel.orderKeys,
        rankStart: rel.rankStart,
        rankEnd: rel.rankEnd,
        outputRankNumber: rel.outputRankNumber,
        inputInsertOnly: insertOnly(rel.input),
        generateUpdateBefore: traits.get(rel)!.generateUpdateBefore,
      })
      return go(rel.input).keyBy(keySelectorOf(rel.partitionKeys)).process(fn).name(name)
    }
    case 'deduplicate': {
      const fn = new DeduplicateFunction({
        keepLast: rel.keepLast,
        isEventTime: rel.isEventTime,
        timeIndex: rel.timeIndex,
        outputRankNumber: rel.outputRankNumber,
        generateUpdateBefore: true,
        inputInsertOnly: insertOnly(rel.input),
      })
      return go(rel.input).keyBy(keySelectorOf(rel.partitionKeys)).process(fn).name(name)
    }
    case 'windowRank': {
      const fn = new WindowRankFunction({
        rankType: rel.rankType,
        orderKeys: rel.orderKeys,
        rankStart: rel.rankStart,
        rankEnd: rel.rankEnd,
        outputRankNumber: rel.outputRankNumber,
        windowStartIndex: rel.windowStartIndex,
        windowEndIndex: rel.windowEndIndex,
      })
      return go(rel.input).keyBy(keySelectorOf(rel.partitionKeys)).process(fn).name(name)
    }
    case 'sortLimit': {
      const input = go(rel.input)
      if (ctx.runtimeMode === 'BATCH' || rel.orderKeys.length === 0) {
        const cmp = rel.orderKeys.length === 0 ? undefined : compileComparator(rel.orderKeys)
        return input.global().transform(name, () => new SortLimitOperator(cmp, rel.offset, rel.limit)).setParallelism(1)
      }
      if (rel.limit === undefined) return fail('ORDER BY in a streaming query needs a LIMIT (a Top-N); or run the query in batch mode.', rel.pos)
      const fn = createRankFunction({
        rankType: 'ROW_NUMBER',
        orderKeys: rel.orderKeys,
        rankStart: rel.offset + 1,
        rankEnd: rel.offset + rel.limit,
        outputRankNumber: false,
        inputInsertOnly: insertOnly(rel.input),
        generateUpdateBefore: true,
      })
      return input.keyBy(keySelectorOf([])).process(fn).name(name)
    }
    default:
      return fail(`Cannot translate ${rel.kind}.`)
  }
}
