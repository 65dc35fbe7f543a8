// Projection + filter over rows (SQL's Calc): one compiled predicate and one compiled projection.
import { AbstractStreamOperator, type OneInputStreamOperator } from '@strom/runtime'
import type { Row } from '../../../data/row.js'
import type { ExprRuntime } from '../../../expr/compile.js'

/** Compiled functions of a Calc, made per operator instance (they may read the operator's clock and watermark). */
export interface CalcFunctions {
  readonly project: ((fields: unknown[]) => unknown[]) | undefined
  readonly filter: ((fields: unknown[]) => boolean) | undefined
}

/** Projects and filters rows; the row kind is kept. */
export class CalcOperator extends AbstractStreamOperator<Row> implements OneInputStreamOperator<Row, Row> {
  private project: ((fields: unknown[]) => unknown[]) | undefined
  private filter: ((fields: unknown[]) => boolean) | undefined
  private watermark = Number.NEGATIVE_INFINITY

  constructor(private readonly make: (rt: ExprRuntime) => CalcFunctions) {
    super()
  }

  override open(): void {
    const clock = this.ctx.clock
    const rt: ExprRuntime = {
      currentProcessingTime: () => clock.now(),
      currentWatermark: () => (this.watermark === Number.NEGATIVE_INFINITY ? null : this.watermark),
    }
    const f = this.make(rt)
    this.project = f.project
    this.filter = f.filter
  }

  processElement(row: Row, timestamp: number): void {
    const filter = this.filter
    if (filter !== undefined && !filter(row.fields)) return
    const project = this.project
    this.output.collect(project === undefined ? row : { kind: row.kind, fields: project(row.fields) }, timestamp)
  }

  override processWatermark(watermark: number): void {
    this.watermark = watermark
    super.processWatermark(watermark)
  }
}

/** Emits, for every input row, the rows of a table function joined to it (SQL's Correlate). */
export class CorrelateOperator extends AbstractStreamOperator<Row> implements OneInputStreamOperator<Row, Row> {
  constructor(
    private readonly fn: (fields: readonly unknown[]) => Iterable<readonly unknown[]>,
    private readonly leftOuter: boolean,
    private readonly width: number,
  ) {
    super()
  }

  processElement(row: Row, timestamp: number): void {
    let any = false
    for (const out of this.fn(row.fields)) {
      any = true
      this.output.collect({ kind: row.kind, fields: [...row.fields, ...out] }, timestamp)
    }
    if (!any && this.leftOuter) this.output.collect({ kind: row.kind, fields: [...row.fields, ...new Array<unknown>(this.width).fill(null)] }, timestamp)
  }
}

/** Window assignment of a standalone window TVF: each row once per window it belongs to, with window_start, window_end, window_time appended. */
export class WindowTvfOperator extends AbstractStreamOperator<Row> implements OneInputStreamOperator<Row, Row> {
  constructor(
    private readonly kind: 'TUMBLE' | 'HOP' | 'CUMULATE',
    private readonly sizeMs: number,
    /** The slide (HOP) or step (CUMULATE); the size for TUMBLE. */
    private readonly stepMs: number,
    private readonly offsetMs: number,
    private readonly timeIndex: number,
    /** Processing time: the window is taken from the operator's clock, not from the row. */
    private readonly proctime: boolean,
  ) {
    super()
  }

  processElement(row: Row, timestamp: number): void {
    const t = this.proctime ? this.ctx.clock.now() : (row.fields[this.timeIndex] as number | null)
    if (t === null || t === undefined) return
    const size = this.sizeMs
    const step = this.stepMs
    const off = this.offsetMs
    const emit = (start: number, end: number): void => {
      const fields = row.fields.slice()
      fields.push(start, end, end - 1)
      this.output.collect({ kind: row.kind, fields }, this.proctime ? timestamp : end - 1)
    }
    if (this.kind === 'TUMBLE') {
      const start = t - ((((t - off) % size) + size) % size)
      emit(start, start + size)
    } else if (this.kind === 'HOP') {
      const last = t - ((((t - off) % step) + step) % step)
      for (let start = last; start > t - size; start -= step) emit(start, start + size)
    } else {
      const start = t - ((((t - off) % size) + size) % size)
      const firstEnd = t - ((((t - off) % step) + step) % step) + step
      for (let end = firstEnd; end <= start + size; end += step) emit(start, end)
    }
  }
}

/**
 * `ORDER BY ... LIMIT ... OFFSET` of a bounded query (BATCH): buffers every row and emits them
 * sorted when the input ends; `LIMIT` without `ORDER BY` in streaming: passes the first rows.
 */
export class SortLimitOperator extends AbstractStreamOperator<Row> implements OneInputStreamOperator<Row, Row> {
  private readonly rows: Row[] = []
  private seen = 0

  constructor(
    private readonly compare: ((a: readonly unknown[], b: readonly unknown[]) => number) | undefined,
    private readonly offset: number,
    private readonly limit: number | undefined,
  ) {
    super()
  }

  processElement(row: Row, timestamp: number): void {
    if (this.compare === undefined) {
      // no order: the first rows, as they come
      const i = this.seen++
      if (i >= this.offset && (this.limit === undefined || i < this.offset + this.limit)) this.output.collect(row, timestamp)
      return
    }
    this.rows.push(row)
  }

  override finish(): void {
    const cmp = this.compare
    if (cmp === undefined) return
    const sorted = this.rows.map((r, i) => [r, i] as const).sort((a, b) => cmp(a[0].fields, b[0].fields) || a[1] - b[1])
    const end = this.limit === undefined ? sorted.length : Math.min(sorted.length, this.offset + this.limit)
    for (let i = this.offset; i < end; i++) this.output.collect(sorted[i]![0], Number.NaN)
    this.rows.length = 0
  }
}

/**
 * BATCH mode: a global aggregation (no GROUP BY) over an empty input still has one result row,
 * the aggregates' values over no rows (`COUNT(*)` 0, `SUM` NULL), as Flink's batch aggregation.
 * Passes the aggregation's rows through and adds that row at the end if none came.
 */
export class EmptyInputDefaultOperator extends AbstractStreamOperator<Row> implements OneInputStreamOperator<Row, Row> {
  private seen = false

  constructor(private readonly defaults: () => unknown[]) {
    super()
  }

  processElement(row: Row, timestamp: number): void {
    this.seen = true
    this.output.collect(row, timestamp)
  }

  override finish(): void {
    if (!this.seen) this.output.collect({ kind: 0, fields: this.defaults() }, Number.NaN)
  }
}
