// The jobs of the "checkpoints" scenario that are not the keyed-sum job: a keyed running sum over
// many distinct keys, whose state is saved with a savepoint and restored by a second job that ends
// right after restoring. Both run in the calling thread (`executeGraph`), so the sink and the
// operator can call back into the benchmark directly.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import {
  AbstractStreamOperator,
  DataGenSource,
  Partitioners,
  STATE_BACKEND_CONFIG_KEY,
  STATE_BACKEND_DIRECTORY_CONFIG_KEY,
  StreamGraph,
  ValueStateDescriptor,
} from '@strom/runtime'
import type { JobOptions, OneInputStreamOperator, Sink, SinkWriter, ValueState } from '@strom/runtime'

/** The keyed state backends the scenario compares. */
export type BackendName = 'heap' | 'lmdb'

/** The job configuration that selects a keyed state backend (lmdb files go to `directory`). */
export const backendConfig = (backend: BackendName, directory: string): Record<string, string> =>
  backend === 'heap' ? { [STATE_BACKEND_CONFIG_KEY]: 'heap' } : { [STATE_BACKEND_CONFIG_KEY]: 'lmdb', [STATE_BACKEND_DIRECTORY_CONFIG_KEY]: directory }

/** The bytes of every file under `path` (a checkpoint or savepoint directory). */
export const directorySize = async (path: string): Promise<number> => {
  let total = 0
  for (const e of await readdir(path, { withFileTypes: true })) {
    const p = join(path, e.name)
    if (e.isDirectory()) total += await directorySize(p)
    else if (e.isFile()) total += (await stat(p)).size
  }
  return total
}

// ---- the many-keys job ----

/** A record of the many-keys job: a numeric key (an id) and an amount. */
export interface KeyEvent {
  readonly key: number
  readonly amount: number
}

/** Record `i`: keys 0, 1, ..., keys - 1, then again from 0; so after `keys` records every key is in state. */
export const keyEvent =
  (keys: number) =>
  (i: number): KeyEvent => ({ key: i % keys, amount: (i % 7) + 1 })

/**
 * What the operator emits: `-1` the first time it sees a key (so the sink knows when every key is in
 * state), and, when its input ends, the number of entries in its keyed state (`>= 0`).
 */
export type KeyRecord = number

const NEW_KEY = -1

/** A keyed running sum in a `ValueState` that reports new keys and, at the end, its state's size. */
class KeyedRunningSum extends AbstractStreamOperator<KeyRecord> implements OneInputStreamOperator<KeyEvent, KeyRecord> {
  private sum!: ValueState<number>

  override open(): void {
    this.sum = this.keyedBackend().getOrCreateKeyedState(new ValueStateDescriptor<number>('sum')).state
  }

  processElement(e: KeyEvent, ts: number): void {
    this.keyedBackend().setCurrentKey(e.key)
    const prev = this.sum.value()
    this.sum.update((prev ?? 0) + e.amount)
    if (prev === undefined) this.output.collect(NEW_KEY, ts)
  }

  override finish(): void {
    this.output.collect(this.keyedBackend().numEntries(), Number.NaN)
  }
}

/**
 * Counts the new keys and calls `onKeys` once `keys` of them arrived; keeps the state size the
 * operator reports at the end and calls `onEntries`. In-thread only: the writer calls its sink.
 */
export class KeyCountingSink implements Sink<KeyRecord> {
  newKeys = 0
  entries: number | undefined
  /** When the last of `target` keys arrived (performance.now()), or NaN. */
  allKeysAt = Number.NaN
  private target = Number.POSITIVE_INFINITY
  private onKeys: (() => void) | undefined

  constructor(target?: number, onKeys?: () => void) {
    if (target !== undefined) this.target = target
    this.onKeys = onKeys
  }

  createWriter(): SinkWriter<KeyRecord> {
    return {
      write: (v: KeyRecord): void => this.receive(v),
      flush(): void {},
      close(): void {},
    }
  }

  private receive(v: KeyRecord): void {
    if (v !== NEW_KEY) {
      this.entries = v
      return
    }
    if (++this.newKeys === this.target) {
      this.allKeysAt = performance.now()
      const f = this.onKeys
      this.onKeys = undefined
      f?.()
    }
  }
}

export interface ManyKeysParams {
  readonly keys: number
  readonly backend: BackendName
  /** Where lmdb keeps its files and the job its checkpoints. */
  readonly directory: string
}

/**
 * The job that fills the state: an endless datagen cycling over `keys` keys into the keyed running
 * sum. Checkpointing is on (savepoints need it) with an interval too long to ever fire: the only
 * checkpoint is the savepoint the benchmark triggers.
 */
export const fillGraph = (p: ManyKeysParams, sink: KeyCountingSink): StreamGraph =>
  manyKeysGraph(p, sink, DataGenSource.of(keyEvent(p.keys)), 'gen', {
    checkpointing: { intervalMs: 3_600_000, mode: 'EXACTLY_ONCE', directory: join(p.directory, 'checkpoints') },
  })

/**
 * The job that restores the state and ends: a source with no records (another uid, so the fill
 * job's source position is dropped: start it with `allowNonRestoredState`), the same keyed
 * operator, which reports the number of entries it restored when its input ends.
 */
export const restoreGraph = (p: ManyKeysParams, sink: KeyCountingSink): StreamGraph =>
  manyKeysGraph(p, sink, DataGenSource.of(keyEvent(p.keys), { count: 0 }), 'gen-none', {})

const manyKeysGraph = (
  p: ManyKeysParams,
  sink: KeyCountingSink,
  source: DataGenSource<KeyEvent>,
  sourceUid: string,
  options: Pick<JobOptions, 'checkpointing'>,
): StreamGraph => {
  const g = new StreamGraph({ jobName: 'many-keys', parallelism: 1, config: backendConfig(p.backend, p.directory), ...options })
  const src = g.addSource(source, undefined, { name: 'datagen', uid: sourceUid })
  const byKey = (e: KeyEvent): number => e.key
  const sum = g.addOperator(() => new KeyedRunningSum(), [{ from: src, partitioner: Partitioners.hash(byKey) }], {
    name: 'running-sum',
    uid: 'running-sum',
    keySelectors: [byKey],
  })
  g.addSink(sink, [{ from: sum, partitioner: Partitioners.forward() }], { name: 'count-keys', uid: 'count-keys' })
  return g
}
