// Deterministic card transactions with injected fraud: transaction i is a pure function of (seed, i),
// so parallel source splits and tests see exactly the same data.

/** A card transaction. Amounts are in dollars; `ts` is the event time in ms. */
export interface Transaction {
  readonly id: number
  readonly accountId: string
  readonly amount: number
  readonly ts: number
}

/** Milliseconds of event time between two consecutive transactions (over all accounts). */
export const TXN_INTERVAL_MS = 250

/** 32-bit mixing of (seed, i, salt) into [0, 1). */
const random = (seed: number, i: number, salt: number): number => {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35) ^ Math.imul(salt + 7, 0x27d4eb2f)
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d)
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39)
  h ^= h >>> 15
  return (h >>> 0) / 4_294_967_296
}

export interface TransactionOptions {
  /** The PRNG seed: the same seed gives the same transactions. */
  readonly seed: number
  /** How many accounts transact. */
  readonly accounts: number
  /** About one transaction in this many starts a fraud pattern (a tiny test charge, then a big one). */
  readonly fraudEvery: number
}

export const DEFAULT_TRANSACTION_OPTIONS: TransactionOptions = { seed: 42, accounts: 200, fraudEvery: 400 }

const startsFraud = (o: TransactionOptions, i: number): boolean => i >= 0 && random(o.seed, i, 1) < 1 / o.fraudEvery

/**
 * Transaction `i`. Usually a random account and amount; when `i` starts a fraud pattern, a charge
 * under $1, and the next transaction hits the same account with over $500 (a fraudster testing a
 * stolen card, then using it). Ordinary amounts also include small and large ones now and then,
 * so the detector must look at the order and the timing, not at amounts alone.
 */
export const transaction =
  (o: TransactionOptions = DEFAULT_TRANSACTION_OPTIONS) =>
  (i: number): Transaction => {
    const ts = i * TXN_INTERVAL_MS
    if (startsFraud(o, i - 1) && !startsFraud(o, i)) {
      const previous = transaction(o)(i - 1)
      return { id: i, accountId: previous.accountId, amount: 500 + Math.round(random(o.seed, i, 2) * 150_000) / 100, ts }
    }
    const accountId = `acct-${Math.floor(random(o.seed, i, 3) * o.accounts)}`
    if (startsFraud(o, i)) return { id: i, accountId, amount: Math.round(random(o.seed, i, 4) * 99) / 100, ts }
    const r = random(o.seed, i, 5)
    // mostly $5-$200; 1% tiny, 1% large, so that false alarms are possible in principle
    const amount = r < 0.01 ? Math.round(r * 9_900) / 100 : r > 0.99 ? 600 + Math.round(r * 100_000) / 100 : 5 + Math.round(r * 19_500) / 100
    return { id: i, accountId, amount, ts }
  }
