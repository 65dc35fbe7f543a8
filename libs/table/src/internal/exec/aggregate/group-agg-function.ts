/**
 * The streaming group aggregation (`GROUP BY` over a changelog), as Flink's `GroupAggFunction`.
 *
 * @packageDocumentation
 */
import { KeyedProcessFunction, StateTtlConfig, ValueStateDescriptor } from '@strom/process'
import type { Collector, RuntimeContext, ValueState } from '@strom/process'
import type { AggregateCall, AggsHandle } from '../../../aggregate/aggregate-call.js'
import { fieldsEqual } from '../../../aggregate/agg-values.js'
import { createAggsHandle } from '../../../aggregate/builtin-aggregates.js'
import type { Row } from '../../../data/row.js'
import { RowKind } from '../../../data/row.js'
import type { RowKey } from '../keys.js'

/**
 * What a {@link GroupAggFunction} computes: serializable data, the aggregates compiled in `open`.
 *
 * @category Operators
 * @since 0.1.0
 */
export interface GroupAggParams {
  /**
   * The input fields to group by, in output order; empty for a global aggregation (keyed by
   * `EMPTY_KEY`). The stream must be keyed by `keySelectorOf(groupIndices)`.
   */
  readonly groupIndices: readonly number[]
  /** The aggregates, over input fields. */
  readonly aggs: readonly AggregateCall[]
  /**
   * Whether an update is sent as `-U old` + `+U new` (a retract changelog) or as `+U new` alone
   * (an upsert changelog keyed by the group fields).
   */
  readonly generateUpdateBefore: boolean
  /**
   * Idle state retention (Flink's `table.exec.state.ttl`), in ms of processing time: a group not
   * updated for this long is forgotten; absent or 0: kept forever.
   */
  readonly stateTtlMs?: number
  /**
   * Whether the input may contain `-U`/`-D` rows (default `true`). With `false` the aggregates
   * keep less state (`MIN`/`MAX` only their current value), and a retraction is an error.
   */
  readonly updatingInput?: boolean
}

/**
 * The streaming `GROUP BY`: per group, the accumulators of its aggregates and a count of its
 * rows, in keyed state; every input row updates its group and emits the change of the group's
 * result row.
 *
 * @remarks
 * Output rows are the group fields followed by the aggregate results. Per input row, as Flink's
 * `GroupAggFunction`:
 * - `+I`/`+U` rows accumulate, `-U`/`-D` rows retract. A retraction for a group without state
 *   (never seen, or expired by the TTL) is ignored.
 * - The first row of a group emits `+I` of the result.
 * - Later rows emit the update: `-U` of the previous result and `+U` of the new one
 *   (`generateUpdateBefore`), or only `+U`. When the result did not change, nothing is emitted,
 *   unless a state TTL is set (then downstream state must be refreshed too, as in Flink).
 * - When the group's row count drops to 0, `-D` of the previous result is emitted and the
 *   group's state is cleared.
 *
 * With `stateTtlMs`, a group's state expires that long (processing time) after its last update
 * (`OnCreateAndWrite`, never returning expired state): its next row starts it afresh with `+I`.
 *
 * Use it on a keyed stream:
 * `stream.keyBy(keySelectorOf(p.groupIndices)).process(new GroupAggFunction(p))`.
 *
 * @category Operators
 * @since 0.1.0
 */
export class GroupAggFunction extends KeyedProcessFunction<RowKey, Row, Row> {
  private handle: AggsHandle | undefined
  /** Per group: the accumulators, then the row count (index `n`), then the group's field values (`n + 1`). */
  private state: ValueState<unknown[]> | undefined
  private n = 0
  private g = 0
  private ttl = false

  constructor(readonly params: GroupAggParams) {
    super()
  }

  override open(ctx: RuntimeContext): void {
    const p = this.params
    this.handle = createAggsHandle(p.aggs, { retraction: p.updatingInput ?? true })
    this.n = p.aggs.length
    this.g = p.groupIndices.length
    const d = new ValueStateDescriptor<unknown[]>('group-agg-accumulators')
    const ttl = p.stateTtlMs ?? 0
    this.ttl = ttl > 0
    if (ttl > 0) d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).setUpdateType('OnCreateAndWrite').setStateVisibility('NeverReturnExpired').build())
    this.state = ctx.getState(d)
  }

  /** A new output row's fields: the group values, then the results of `accs`. */
  private output(accs: unknown[]): unknown[] {
    const g = this.g
    const out = new Array<unknown>(g + this.n)
    const group = accs[this.n + 1] as unknown[]
    for (let i = 0; i < g; i++) out[i] = group[i]
    this.handle!.writeValues(accs, out, g)
    return out
  }

  override processElement(row: Row, _ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    const state = this.state!
    const handle = this.handle!
    const n = this.n
    const retract = row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE
    let accs = state.value()
    let first = false
    if (accs === undefined) {
      // a retraction for a group we do not know (never seen, or expired): nothing to take back
      if (retract) return
      first = true
      accs = handle.createAccumulators()
      const gi = this.params.groupIndices
      const group = new Array<unknown>(gi.length)
      for (let i = 0; i < gi.length; i++) group[i] = row.fields[gi[i]!]
      accs.push(0, group)
    }
    const prev = first ? undefined : this.output(accs)
    if (retract) {
      handle.retract(accs, row.fields)
      accs[n] = (accs[n] as number) - 1
    } else {
      handle.accumulate(accs, row.fields)
      accs[n] = (accs[n] as number) + 1
    }

    if ((accs[n] as number) !== 0) {
      state.update(accs)
      const next = this.output(accs)
      if (prev === undefined) {
        out.collect({ kind: RowKind.INSERT, fields: next })
        return
      }
      // an unchanged result sends nothing, unless downstream state must be kept alive (TTL)
      if (!this.ttl && fieldsEqual(prev, next, this.g)) return
      if (this.params.generateUpdateBefore) out.collect({ kind: RowKind.UPDATE_BEFORE, fields: prev })
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: next })
    } else {
      // the group's last row was retracted
      if (prev !== undefined) out.collect({ kind: RowKind.DELETE, fields: prev })
      state.clear()
    }
  }
}
