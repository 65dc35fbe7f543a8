/**
 * The streaming group aggregation (`GROUP BY` over a changelog), as Flink's `GroupAggFunction`.
 *
 * @packageDocumentation
 */
import { KeyedProcessFunction, StateTtlConfig, ValueStateDescriptor } from '@strom/process'
import { MAX_WATERMARK } from '@strom/runtime'
import type { Collector, RuntimeContext, ValueState } from '@strom/process'
import type { AggregateCall } from '../../../aggregate/aggregate-call.js'
import { valuesEqual } from '../../../aggregate/agg-values.js'
import type { SlottedAggsHandle } from '../../../aggregate/builtin-aggregates.js'
import { createSlottedAggsHandle } from '../../../aggregate/builtin-aggregates.js'
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
  /**
   * BATCH mode: emit each group's final result once, as `+I`, when the input ends (Flink's batch
   * aggregation), instead of every change.
   */
  readonly finalOnly?: boolean
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
  private handle: SlottedAggsHandle | undefined
  /**
   * Per group, one flat array: the accumulators (indices `0..n-1`), the row count (index `n`),
   * then the group's field values (from `n + 1`).
   */
  private state: ValueState<unknown[]> | undefined
  private n = 0
  private g = 0
  private ttl = false
  /** The group's results before the row, reused (`n` values). */
  private prev: unknown[] = []
  /**
   * Whether the results are needed before a row too: to send `-U`, or to see whether they
   * changed. Not when an aggregate changes with every row (a plain `COUNT(*)`) and no `-U` is sent.
   */
  private needsPrev = true

  constructor(readonly params: GroupAggParams) {
    super()
  }

  override open(ctx: RuntimeContext): void {
    const p = this.params
    this.handle = createSlottedAggsHandle(p.aggs, { retraction: p.updatingInput ?? true })
    this.n = p.aggs.length
    this.g = p.groupIndices.length
    const d = new ValueStateDescriptor<unknown[]>('group-agg-accumulators')
    const ttl = p.stateTtlMs ?? 0
    this.ttl = ttl > 0
    const countsEveryRow = p.aggs.some((a) => a.udaf === undefined && a.name.toUpperCase() === 'COUNT' && a.args.length === 0 && !a.distinct && a.filterArg === undefined)
    this.needsPrev = p.generateUpdateBefore || !countsEveryRow
    if (ttl > 0) d.enableTimeToLive(StateTtlConfig.newBuilder(ttl).setUpdateType('OnCreateAndWrite').setStateVisibility('NeverReturnExpired').build())
    this.state = ctx.getState(d)
  }

  /** A new output row's fields: the group values, then `values` (the `n` results) or the results of `accs`. */
  private output(accs: readonly unknown[], values: readonly unknown[] | undefined): unknown[] {
    const g = this.g
    const n = this.n
    const out = new Array<unknown>(g + n)
    for (let i = 0; i < g; i++) out[i] = accs[n + 1 + i]
    if (values === undefined) this.handle!.writeValuesAt(accs, 0, out, g)
    else for (let i = 0; i < n; i++) out[g + i] = values[i]
    return out
  }

  /** Whether the results in `next` (from index `g`) equal those in `prev` from index `at`. */
  private unchanged(prev: readonly unknown[], at: number, next: readonly unknown[]): boolean {
    const g = this.g
    for (let i = 0; i < this.n; i++) if (!valuesEqual(prev[at + i], next[g + i])) return false
    return true
  }

  /** New accumulators of a group: the aggregates', a row count of 0, the group's values from `row`. */
  private newAccumulators(row: Row): unknown[] {
    const n = this.n
    const gi = this.params.groupIndices
    // one allocation of the final length
    const accs = new Array<unknown>(n + 1 + gi.length)
    this.handle!.createAt(accs, 0)
    accs[n] = 0
    for (let i = 0; i < gi.length; i++) accs[n + 1 + i] = row.fields[gi[i]!]
    return accs
  }

  override processElement(row: Row, ctx: KeyedProcessFunction.Context<RowKey>, out: Collector<Row>): void {
    if (this.params.finalOnly === true) return this.accumulateOnly(row, ctx)
    const state = this.state!
    const handle = this.handle!
    const n = this.n
    const retract = row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE
    let accs = state.value()
    const first = accs === undefined
    // the results before the row, when needed: with -U, straight into the fields of the -U row
    // (group values first), else into the reused `prev`
    let prev = this.prev
    let at = 0
    if (accs === undefined) {
      // a retraction for a group we do not know (never seen, or expired): nothing to take back
      if (retract) return
      accs = this.newAccumulators(row)
    } else if (this.needsPrev || retract) {
      if (this.params.generateUpdateBefore) {
        prev = this.output(accs, undefined)
        at = this.g
      } else handle.writeValuesAt(accs, 0, prev, 0)
    }
    if (retract) {
      handle.retract(accs, row.fields)
      accs[n] = (accs[n] as number) - 1
    } else {
      handle.accumulate(accs, row.fields)
      accs[n] = (accs[n] as number) + 1
    }

    if ((accs[n] as number) !== 0) {
      state.update(accs)
      const next = this.output(accs, undefined)
      if (first) {
        out.collect({ kind: RowKind.INSERT, fields: next })
        return
      }
      // an unchanged result sends nothing, unless downstream state must be kept alive (TTL)
      if (this.needsPrev && !this.ttl && this.unchanged(prev, at, next)) return
      if (this.params.generateUpdateBefore) out.collect({ kind: RowKind.UPDATE_BEFORE, fields: prev })
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: next })
    } else {
      // the group's last row was retracted
      if (!first) out.collect({ kind: RowKind.DELETE, fields: this.params.generateUpdateBefore ? prev : this.output(accs, prev) })
      state.clear()
    }
  }

  /** BATCH: only updates the group's state; its result goes out when the input ends ({@link GroupAggFunction.onTimer}). */
  private accumulateOnly(row: Row, ctx: KeyedProcessFunction.Context<RowKey>): void {
    const state = this.state!
    const handle = this.handle!
    const n = this.n
    const retract = row.kind === RowKind.UPDATE_BEFORE || row.kind === RowKind.DELETE
    let accs = state.value()
    if (accs === undefined) {
      if (retract) return
      accs = this.newAccumulators(row)
      // the end of input moves event time to +infinity: this fires then, once per group
      ctx.timerService().registerEventTimeTimer(MAX_WATERMARK)
    }
    if (retract) {
      handle.retract(accs, row.fields)
      accs[n] = (accs[n] as number) - 1
    } else {
      handle.accumulate(accs, row.fields)
      accs[n] = (accs[n] as number) + 1
    }
    state.update(accs)
  }

  /** BATCH: the group's final result, if it still has rows. */
  override onTimer(_timestamp: number, _ctx: KeyedProcessFunction.OnTimerContext<RowKey>, out: Collector<Row>): void {
    const accs = this.state!.value()
    if (accs === undefined) return
    if ((accs[this.n] as number) > 0) out.collect({ kind: RowKind.INSERT, fields: this.output(accs, undefined) })
    this.state!.clear()
  }
}
