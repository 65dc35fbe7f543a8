import { KeyedProcessFunction, ValueStateDescriptor, type Collector, type RuntimeContext, type ValueState } from '@strom/datastream'
import type { Transaction } from './transactions.js'

/** A charge under this many dollars may be a fraudster testing a card. */
export const SMALL_AMOUNT = 1.0
/** A charge over this many dollars right after a small one raises an alert. */
export const LARGE_AMOUNT = 500.0
/** How long after a small charge a large one counts (event time). */
export const WINDOW_MS = 60_000

/** What the detector emits: the account and the two transactions. */
export interface Alert {
  readonly accountId: string
  readonly small: Transaction
  readonly large: Transaction
}

/**
 * Flags an account when a charge under $1 is followed, as the account's very next transaction, by
 * a charge over $500 within a minute of event time.
 *
 * State per account: the small transaction waiting for its successor, and the time of the timer
 * that forgets it after a minute (so idle accounts keep no state). Every transaction of the
 * account clears the flag: only the immediate successor of a small charge can trigger the alert.
 */
export class FraudDetector extends KeyedProcessFunction<string, Transaction, Alert> {
  private flagged!: ValueState<Transaction>
  private timer!: ValueState<number>

  override open(ctx: RuntimeContext): void {
    this.flagged = ctx.getState(new ValueStateDescriptor<Transaction>('small-transaction'))
    this.timer = ctx.getState(new ValueStateDescriptor<number>('cleanup-timer'))
  }

  override processElement(txn: Transaction, ctx: KeyedProcessFunction.Context<string>, out: Collector<Alert>): void {
    const small = this.flagged.value()
    if (small !== undefined) {
      // the timer may not have fired yet (watermarks are periodic): check the time explicitly
      if (txn.amount > LARGE_AMOUNT && txn.ts - small.ts <= WINDOW_MS) out.collect({ accountId: txn.accountId, small, large: txn })
      this.cleanUp(ctx)
    }
    if (txn.amount < SMALL_AMOUNT) {
      this.flagged.update(txn)
      const at = txn.ts + WINDOW_MS
      ctx.timerService().registerEventTimeTimer(at)
      this.timer.update(at)
    }
  }

  override onTimer(_ts: number, _ctx: KeyedProcessFunction.OnTimerContext<string>): void {
    // a minute without a successor: forget the small charge
    this.flagged.clear()
    this.timer.clear()
  }

  private cleanUp(ctx: KeyedProcessFunction.Context<string>): void {
    const at = this.timer.value()
    if (at !== undefined) ctx.timerService().deleteEventTimeTimer(at)
    this.flagged.clear()
    this.timer.clear()
  }
}
