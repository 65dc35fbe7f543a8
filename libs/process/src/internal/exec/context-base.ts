import { NO_TIMESTAMP } from '@strom/runtime'
import type { Output, OutputTag, TaskInfo, TimerService } from '@strom/runtime'
import { MissingTimestampError } from '../../errors.js'
import type { BaseContext } from '../../functions/base-context.js'
import type { CoProcessFunction } from '../../functions/co-process-function.js'
import type { ProcessFunction } from '../../functions/process-function.js'
import type { TimestampedCollector } from './timestamped-collector.js'

/** The error of `ctx.timestamp()` on a record without timestamp. */
export const missingTimestamp = (info: TaskInfo): MissingTimestampError =>
  new MissingTimestampError(
    `ctx.timestamp() was called in operator ${info.operatorName} (${info.taskNameWithSubtask}) on a record that has ` +
      'no timestamp. Assign event-time timestamps with a WatermarkStrategy timestamp assigner before this operator, ' +
      'or check ctx.hasTimestamp() first.',
  )

/**
 * The state every reused context holds: the timestamp of the call and where side outputs go.
 * Operators set `ts` (and the collector's timestamp) before each call into the user function.
 */
export abstract class ContextBase implements BaseContext {
  /** The timestamp `timestamp()` returns; NaN for none. */
  ts: number = NO_TIMESTAMP

  constructor(
    protected readonly out: Output<unknown>,
    protected readonly collector: TimestampedCollector<unknown>,
    protected readonly info: TaskInfo,
  ) {}

  timestamp(): number {
    const t = this.ts
    if (t !== t) throw missingTimestamp(this.info)
    return t
  }

  hasTimestamp(): boolean {
    return this.ts === this.ts
  }

  output<X>(tag: OutputTag<X>, value: X): void {
    this.out.collectSide(tag, value, this.collector.timestamp)
  }
}

/**
 * The reused context of a (co-)process function: a {@link ContextBase} with a timer service.
 * Serves the non-keyed functions as is, and is the base of the keyed one.
 */
export class TimerServiceContext extends ContextBase implements ProcessFunction.Context, CoProcessFunction.Context {
  constructor(
    out: Output<unknown>,
    collector: TimestampedCollector<unknown>,
    info: TaskInfo,
    private readonly timers: TimerService,
  ) {
    super(out, collector, info)
  }

  timerService(): TimerService {
    return this.timers
  }
}
