// The rows of a bounded OVER frame, oldest first, as one plain value in keyed state.

/**
 * The rows that are (or may again be) inside a bounded frame, in processing order, with the time
 * each was processed at: a queue, appended at the tail and evicted at the head.
 *
 * @remarks
 * `head` is the index of the oldest live entry; the arrays are compacted once half of them is
 * dead, so eviction is O(1) amortised with no allocation per record.
 */
export interface FrameRows {
  ts: number[]
  rows: unknown[][]
  head: number
}

/** An empty frame. */
export const emptyFrame = (): FrameRows => ({ ts: [], rows: [], head: 0 })

/** The number of live rows. */
export const frameSize = (f: FrameRows): number => f.rows.length - f.head

/** Appends a row. */
export const framePush = (f: FrameRows, ts: number, row: unknown[]): void => {
  f.ts.push(ts)
  f.rows.push(row)
}

/** Removes and returns the oldest row (the frame must not be empty). */
export const frameShift = (f: FrameRows): unknown[] => {
  const row = f.rows[f.head]!
  f.rows[f.head] = undefined as unknown as unknown[]
  f.head++
  if (f.head === f.rows.length) {
    f.ts.length = 0
    f.rows.length = 0
    f.head = 0
  } else if (f.head >= 64 && f.head * 2 >= f.rows.length) {
    f.ts.splice(0, f.head)
    f.rows.splice(0, f.head)
    f.head = 0
  }
  return row
}
