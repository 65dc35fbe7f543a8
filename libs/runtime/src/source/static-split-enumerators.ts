import type { SourceSplit, SplitEnumerator, SplitEnumeratorContext } from './source.js'

/**
 * Assigns a fixed set of splits, each to the subtask that owns it, as soon as that subtask's
 * reader registers, then tells the reader that no more splits come.
 *
 * @remarks
 * Used by sources whose splits are known up front and tied to a subtask (a collection, a number
 * sequence). Splits given back by a failed reader are assigned again when it registers again. The
 * checkpointed state is the list of splits not assigned yet.
 *
 * @internal
 */
export class OwnedSplitEnumerator<Split extends SourceSplit> implements SplitEnumerator<Split, Split[]> {
  private readonly pending: Split[]

  constructor(
    private readonly context: SplitEnumeratorContext<Split>,
    splits: readonly Split[],
    private readonly ownerOf: (split: Split, parallelism: number) => number,
  ) {
    this.pending = splits.slice()
  }

  start(): void {
    for (const subtask of this.context.registeredReaders()) this.assignOwned(subtask)
  }

  handleSplitRequest(subtaskIndex: number): void {
    this.assignOwned(subtaskIndex)
  }

  addSplitsBack(splits: readonly Split[], _subtaskIndex: number): void {
    this.pending.push(...splits)
  }

  addReader(subtaskIndex: number): void {
    this.assignOwned(subtaskIndex)
  }

  snapshotState(_checkpointId: number): Split[] {
    return this.pending.map((s) => ({ ...s }))
  }

  close(): void {}

  private assignOwned(subtaskIndex: number): void {
    const parallelism = this.context.currentParallelism()
    let kept = 0
    for (let i = 0; i < this.pending.length; i++) {
      const split = this.pending[i]!
      if (this.ownerOf(split, parallelism) === subtaskIndex) this.context.assignSplit(split, subtaskIndex)
      else this.pending[kept++] = split
    }
    this.pending.length = kept
    this.context.signalNoMoreSplits(subtaskIndex)
  }
}

/**
 * Hands out splits one at a time to whichever reader asks, in order; a reader that asks when none
 * are left is told that no more come.
 *
 * @remarks
 * Used by sources whose splits vary in size (files): a reader asks for the next split when it has
 * finished the previous one, which balances the work. The splits are discovered in `start()` (or
 * restored from the checkpointed list of unassigned splits); requests that arrive before `start()`
 * are answered by it.
 *
 * @internal
 */
export class SplitQueueEnumerator<Split extends SourceSplit> implements SplitEnumerator<Split, Split[]> {
  private pending: Split[] | undefined
  private readonly waiting: number[] = []

  constructor(
    private readonly context: SplitEnumeratorContext<Split>,
    private readonly discover: () => readonly Split[],
  ) {}

  start(): void {
    if (this.pending === undefined) this.pending = this.discover().slice()
    const waiting = this.waiting.splice(0)
    for (const subtask of waiting) this.handleSplitRequest(subtask)
  }

  handleSplitRequest(subtaskIndex: number): void {
    if (this.pending === undefined) {
      this.waiting.push(subtaskIndex)
      return
    }
    const next = this.pending.shift()
    if (next === undefined) this.context.signalNoMoreSplits(subtaskIndex)
    else this.context.assignSplit(next, subtaskIndex)
  }

  addSplitsBack(splits: readonly Split[], _subtaskIndex: number): void {
    if (this.pending === undefined) this.pending = this.discover().slice()
    this.pending.unshift(...splits)
  }

  addReader(_subtaskIndex: number): void {}

  snapshotState(_checkpointId: number): Split[] {
    if (this.pending === undefined) this.pending = this.discover().slice()
    return this.pending.map((s) => ({ ...s }))
  }

  close(): void {}
}

/** The owner of a split whose id is its index among the source's splits: index mod parallelism. @internal */
export const ownerByIndex = (split: SourceSplit, parallelism: number): number => {
  const index = Number.parseInt(split.splitId, 10)
  return Number.isNaN(index) ? 0 : index % parallelism
}
