/**
 * Drives a source's enumerator and readers by hand, the way the source task and the coordinator
 * will: for the specs of the built-in sources. Not exported from the package.
 *
 * @internal
 * @module
 */
import { ManualClock, type Clock } from '../time/clock.js'
import type { ReaderOutput, Source, SourceOutput, SourceReader, SourceReaderContext, SourceSplit, SplitEnumerator, SplitEnumeratorContext } from './source.js'

/** A record as a reader emitted it. */
export interface Emitted<T> {
  readonly value: T
  readonly timestamp: number | undefined
  readonly splitId: string
}

/** A reader output that records what goes through it. */
export class RecordingOutput<T> implements ReaderOutput<T> {
  readonly records: Emitted<T>[] = []
  readonly released: string[] = []
  private readonly outputs = new Map<string, SourceOutput<T>>()

  get values(): T[] {
    return this.records.map((r) => r.value)
  }

  createOutputForSplit(splitId: string): SourceOutput<T> {
    let out = this.outputs.get(splitId)
    if (out === undefined) {
      const records = this.records
      out = { collect: (value: T, timestamp?: number) => void records.push({ value, timestamp, splitId }), markIdle: () => {} }
      this.outputs.set(splitId, out)
    }
    return out
  }

  releaseOutputForSplit(splitId: string): void {
    this.outputs.delete(splitId)
    this.released.push(splitId)
  }

  collect(value: T, timestamp?: number): void {
    this.records.push({ value, timestamp, splitId: '' })
  }

  markIdle(): void {}
}

/** An enumerator context that records assignments, or forwards them through the callbacks. */
export class FakeEnumeratorContext<Split extends SourceSplit> implements SplitEnumeratorContext<Split> {
  readonly assigned = new Map<number, Split[]>()
  readonly noMoreSplits = new Set<number>()
  readonly readers = new Set<number>()
  onAssign: (split: Split, subtaskIndex: number) => void = () => {}
  onNoMoreSplits: (subtaskIndex: number) => void = () => {}

  constructor(private readonly parallelism: number) {}

  currentParallelism(): number {
    return this.parallelism
  }

  registeredReaders(): ReadonlySet<number> {
    return this.readers
  }

  assignSplit(split: Split, subtaskIndex: number): void {
    const list = this.assigned.get(subtaskIndex) ?? []
    list.push(split)
    this.assigned.set(subtaskIndex, list)
    this.onAssign(structuredClone(split), subtaskIndex)
  }

  signalNoMoreSplits(subtaskIndex: number): void {
    this.noMoreSplits.add(subtaskIndex)
    this.onNoMoreSplits(subtaskIndex)
  }
}

/** A reader context for subtask `subtaskIndex` of `parallelism`. */
export const fakeReaderContext = (subtaskIndex: number, parallelism: number, clock: Clock = new ManualClock(), onSplitRequest: () => void = () => {}): SourceReaderContext => ({
  subtaskIndex,
  parallelism,
  clock,
  sendSplitRequest: onSplitRequest,
})

/** Polls a reader until its end of input, waiting on `isAvailable` when it has nothing. */
export const drain = async <T, Split extends SourceSplit>(reader: SourceReader<T, Split>, output: RecordingOutput<T>, maxPolls = 1_000_000): Promise<void> => {
  for (let polls = 0; polls < maxPolls; polls++) {
    const status = reader.pollNext(output)
    if (status === 'END_OF_INPUT') return
    if (status === 'NOTHING_AVAILABLE') await reader.isAvailable()
  }
  throw new Error(`The reader did not end within ${maxPolls} polls.`)
}

/** A source wired up: an enumerator, its context, and one reader with its output per subtask. */
export interface WiredSource<T, Split extends SourceSplit, EnumState> {
  readonly context: FakeEnumeratorContext<Split>
  readonly enumerator: SplitEnumerator<Split, EnumState>
  readonly readers: SourceReader<T, Split>[]
  readonly outputs: RecordingOutput<T>[]
}

/**
 * Makes the enumerator and `parallelism` readers of a source, connected as the runtime connects
 * them (splits are structured-cloned on the way, split requests arrive a microtask later), and
 * starts them. With `restore`, the enumerator is restored from `restore.enumerator` and reader `i`
 * gets `restore.readers[i]` back first.
 */
export const wire = <T, Split extends SourceSplit, EnumState>(
  source: Source<T, Split, EnumState>,
  parallelism: number,
  options: { clock?: Clock; restore?: { enumerator: EnumState; readers: Split[][] } } = {},
): WiredSource<T, Split, EnumState> => {
  const context = new FakeEnumeratorContext<Split>(parallelism)
  const restore = options.restore
  const enumerator = restore === undefined ? source.createEnumerator(context) : source.restoreEnumerator(context, structuredClone(restore.enumerator))
  const readers: SourceReader<T, Split>[] = []
  const outputs: RecordingOutput<T>[] = []
  context.onAssign = (split, i) => readers[i]!.addSplits([split])
  context.onNoMoreSplits = (i) => readers[i]!.notifyNoMoreSplits()
  for (let i = 0; i < parallelism; i++) {
    readers.push(source.createReader(fakeReaderContext(i, parallelism, options.clock, () => queueMicrotask(() => enumerator.handleSplitRequest(i)))))
    outputs.push(new RecordingOutput<T>())
  }
  enumerator.start()
  for (let i = 0; i < parallelism; i++) {
    const back = restore?.readers[i]
    if (back !== undefined && back.length > 0) readers[i]!.addSplits(structuredClone(back))
    context.readers.add(i)
    enumerator.addReader(i)
    readers[i]!.start()
  }
  return { context, enumerator, readers, outputs }
}

/** Runs a bounded source with `parallelism` readers to its end; returns what each subtask emitted. */
export const runBounded = async <T, Split extends SourceSplit, EnumState>(
  source: Source<T, Split, EnumState>,
  parallelism: number,
  options: { clock?: Clock; restore?: { enumerator: EnumState; readers: Split[][] } } = {},
): Promise<RecordingOutput<T>[]> => {
  const wired = wire(source, parallelism, options)
  await Promise.all(wired.readers.map((r, i) => drain(r, wired.outputs[i]!)))
  await Promise.all(wired.readers.map((r) => r.close()))
  wired.enumerator.close()
  return wired.outputs
}

/** The records of each split, in emission order (Node 20 has no `Map.groupBy`). */
export const bySplit = <T>(records: readonly Emitted<T>[]): Map<string, Emitted<T>[]> => {
  const map = new Map<string, Emitted<T>[]>()
  for (const r of records) {
    const list = map.get(r.splitId)
    if (list === undefined) map.set(r.splitId, [r])
    else list.push(r)
  }
  return map
}
