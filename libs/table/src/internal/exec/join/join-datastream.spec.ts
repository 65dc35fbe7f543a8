// The join functions planned the way the planner plans them, through the DataStream API, in a
// bounded job with several subtasks.
import { describe, expect, it } from 'vitest'
import { AsyncDataStream, StreamExecutionEnvironment } from '@strom/datastream'
import type { Row } from '../../../data/row.js'
import { IntervalJoinFunction, intervalJoinOperator } from './interval-join-function.js'
import { bagOf, materialize, nestedLoopJoin, showBag } from './join-test-util.js'
import { joinKeySelectors } from './join-util.js'
import { LookupJoinAsyncFunction } from './lookup-join-function.js'
import { regularJoinFunction } from './regular-join-function.js'

const left: Row[] = Array.from({ length: 40 }, (_, i) => ({ kind: 0, fields: [i % 7 === 0 ? null : `k${i % 5}`, i, `l${i}`] }))
const right: Row[] = Array.from({ length: 30 }, (_, i) => ({ kind: 0, fields: [`k${i % 6}`, i * 2, `r${i}`] }))

describe('join functions in a DataStream job', () => {
  it('a FULL regular join with retractions at parallelism 3 materializes to the nested-loop join', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 3 })
    // retract every third left row again (same subtask order: one source subtask per input)
    const leftLog: Row[] = [...left, ...left.filter((_, i) => i % 3 === 0).map((r): Row => ({ kind: 3, fields: r.fields }))]
    const fn = regularJoinFunction({ joinType: 'FULL', left: { width: 3, keyIndices: [0] }, right: { width: 3, keyIndices: [0] } })
    const out = await env
      .fromCollection(leftLog)
      .setParallelism(1)
      .connect(env.fromCollection(right).setParallelism(1))
      .keyBy(...joinKeySelectors([0], [0]))
      .process(fn)
      .executeAndCollect()
    const liveLeft = left.filter((_, i) => i % 3 !== 0).map((r) => r.fields)
    const expected = nestedLoopJoin('FULL', liveLeft, right.map((r) => r.fields), [0], [0], 3, 3)
    expect(showBag(materialize(out))).toEqual(showBag(bagOf(expected)))
  })

  it('an interval join planned with its watermark-delaying operator', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const fn = new IntervalJoinFunction({
      joinType: 'LEFT',
      timeAttribute: 'rowtime',
      leftWidth: 3,
      rightWidth: 3,
      leftKeyIndices: [0],
      rightKeyIndices: [0],
      leftTimeIndex: 1,
      rightTimeIndex: 1,
      leftLowerBound: -3,
      leftUpperBound: 2,
    })
    const out = await env
      .fromCollection(left)
      .connect(env.fromCollection(right))
      .keyBy(...joinKeySelectors([0], [0]))
      .transform('IntervalJoin', intervalJoinOperator(fn))
      .executeAndCollect()
    const within = (l: readonly unknown[], r: readonly unknown[]): boolean => {
      const d = (l[1] as number) - (r[1] as number)
      return d >= -3 && d <= 2
    }
    const expected = nestedLoopJoin('LEFT', left.map((r) => r.fields), right.map((r) => r.fields), [0], [0], 3, 3, within)
    expect(showBag(bagOf(out.map((o) => o.fields)))).toEqual(showBag(bagOf(expected)))
  })

  it('an async lookup join through the async I/O operator', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    const fn = new LookupJoinAsyncFunction({
      joinType: 'LEFT',
      leftWidth: 3,
      rightWidth: 3,
      lookupKeys: [0],
      lookup: (key) => Promise.resolve(right.filter((r) => r.fields[0] === key[0])),
      cache: { maxRows: 3 },
    })
    const out = await AsyncDataStream.orderedWait(env.fromCollection(left), fn, 0).executeAndCollect()
    const expected = nestedLoopJoin('LEFT', left.map((r) => r.fields), right.map((r) => r.fields), [0], [0], 3, 3)
    expect(showBag(bagOf(out.map((o) => o.fields)))).toEqual(showBag(bagOf(expected)))
  })
})
