/**
 * Drives sources and sinks by hand for the specs of the table connectors, the way the runtime's
 * source task and coordinator do (a private copy of the runtime's internal test kit, which the
 * package does not export). Not exported from the package.
 *
 * @internal
 * @module
 */
import {
  ManualClock,
  type Clock,
  type ReaderOutput,
  type Sink,
  type SinkWriterContext,
  type Source,
  type SourceOutput,
  type SourceReader,
  type SourceSplit,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from '@strom/runtime'

/** A record as a reader emitted it, with its split. */
export interface Emitted<T> {
  readonly value: T
  readonly splitId: string
}

/** A reader output that records what goes through it. */
export class RecordingOutput<T> implements ReaderOutput<T> {
  readonly records: Emitted<T>[] = []
  private readonly outputs = new Map<string, SourceOutput<T>>()

  /** The values emitted, in order. */
  get values(): T[] {
    return this.records.map((r) => r.value)
  }

  createOutputForSplit(splitId: string): SourceOutput<T> {
    let out = this.outputs.get(splitId)
    if (out === undefined) {
      const records = this.records
      out = { collect: (value: T) => void records.push({ value, splitId }), markIdle: () => {} }
      this.outputs.set(splitId, out)
    }
    return out
  }

  releaseOutputForSplit(splitId: string): void {
    this.outputs.delete(splitId)
  }

  collect(value: T): void {
    this.records.push({ value, splitId: '' })
  }

  markIdle(): void {}
}

class FakeEnumeratorContext<Split extends SourceSplit> implements SplitEnumeratorContext<Split> {
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
    this.onAssign(structuredClone(split), subtaskIndex)
  }

  signalNoMoreSplits(subtaskIndex: number): void {
    this.onNoMoreSplits(subtaskIndex)
  }
}

/** A source wired up: its enumerator, and a reader with its output per subtask. */
export interface WiredSource<T, Split extends SourceSplit, EnumState> {
  readonly enumerator: SplitEnumerator<Split, EnumState>
  readonly readers: SourceReader<T, Split>[]
  readonly outputs: RecordingOutput<T>[]
}

/** What a checkpoint of a wired source holds. */
export interface SourceCheckpoint<Split, EnumState> {
  readonly enumerator: EnumState
  readonly readers: Split[][]
}

/**
 * Makes the enumerator and `parallelism` readers of a source, connected as the runtime connects
 * them (splits structured-cloned, split requests a microtask later), and starts them; with
 * `restore`, from a checkpoint.
 */
export const wire = <T, Split extends SourceSplit, EnumState>(
  source: Source<T, Split, EnumState>,
  parallelism: number,
  options: { clock?: Clock; restore?: SourceCheckpoint<Split, EnumState> } = {},
): WiredSource<T, Split, EnumState> => {
  const context = new FakeEnumeratorContext<Split>(parallelism)
  const restore = options.restore
  const enumerator = restore === undefined ? source.createEnumerator(context) : source.restoreEnumerator(context, structuredClone(restore.enumerator))
  const readers: SourceReader<T, Split>[] = []
  const outputs: RecordingOutput<T>[] = []
  context.onAssign = (split, i) => readers[i]!.addSplits([split])
  context.onNoMoreSplits = (i) => readers[i]!.notifyNoMoreSplits()
  const clock = options.clock ?? new ManualClock()
  for (let i = 0; i < parallelism; i++) {
    readers.push(
      source.createReader({ subtaskIndex: i, parallelism, clock, sendSplitRequest: () => queueMicrotask(() => enumerator.handleSplitRequest(i)) }),
    )
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
  return { enumerator, readers, outputs }
}

/** Polls a reader until its end of input. */
export const drain = async <T, Split extends SourceSplit>(reader: SourceReader<T, Split>, output: RecordingOutput<T>, maxPolls = 1_000_000): Promise<void> => {
  for (let polls = 0; polls < maxPolls; polls++) {
    const status = reader.pollNext(output)
    if (status === 'END_OF_INPUT') return
    if (status === 'NOTHING_AVAILABLE') await reader.isAvailable()
  }
  throw new Error(`The reader did not end within ${maxPolls} polls.`)
}

/** Polls a reader until it has emitted at least `n` records (or ended); true when it ended. */
export const pollUntil = async <T, Split extends SourceSplit>(reader: SourceReader<T, Split>, output: RecordingOutput<T>, n: number): Promise<boolean> => {
  for (let polls = 0; polls < 1_000_000; polls++) {
    if (output.records.length >= n) return false
    const status = reader.pollNext(output)
    if (status === 'END_OF_INPUT') return true
    if (status === 'NOTHING_AVAILABLE') await reader.isAvailable()
  }
  throw new Error('The reader made no progress.')
}

/** Runs a bounded source with `parallelism` readers to its end; returns what each subtask emitted. */
export const runBounded = async <T, Split extends SourceSplit, EnumState>(
  source: Source<T, Split, EnumState>,
  parallelism = 1,
  options: { clock?: Clock; restore?: SourceCheckpoint<Split, EnumState> } = {},
): Promise<RecordingOutput<T>[]> => {
  const wired = wire(source, parallelism, options)
  await Promise.all(wired.readers.map((r, i) => drain(r, wired.outputs[i]!)))
  await Promise.all(wired.readers.map((r) => r.close()))
  wired.enumerator.close()
  return wired.outputs
}

/** A writer context for subtask `subtaskIndex` of `parallelism`, whose messages go to the sink structured-cloned. */
export const fakeWriterContext = (sink: Sink<unknown>, subtaskIndex: number, parallelism: number, clock: Clock = new ManualClock()): SinkWriterContext => ({
  subtaskIndex,
  parallelism,
  operatorName: 'Sink: test',
  clock,
  sendToCoordinator: (message) => sink.onWriterMessage?.(subtaskIndex, structuredClone(message)),
})

/**
 * A clock whose first `readers` readings lie `headStart` ms before `now` and every later reading
 * is `now`: the rate limiters of a source's readers (each reading the clock first when its reader
 * starts) find a full bucket, and everything generated sees the time `now`. One per wired source.
 */
export const startedClock = (now: number, readers = 1, headStart = 1e9): Clock => {
  let early = readers
  return {
    now: () => {
      if (early <= 0) return now
      early--
      return now - headStart
    },
  }
}
