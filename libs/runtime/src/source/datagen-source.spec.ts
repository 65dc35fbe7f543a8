import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../core/errors.js'
import { ManualClock } from '../time/clock.js'
import { DataGenSource, type DataGenSplit } from './datagen-source.js'
import { RecordingOutput, bySplit, fakeReaderContext, runBounded, wire } from './test-kit.js'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** Polls until the reader has nothing more right now; returns how many records came. */
const pollWhileMore = (reader: { pollNext(out: RecordingOutput<number>): string }, out: RecordingOutput<number>): number => {
  const before = out.records.length
  for (let i = 0; i < 10_000 && reader.pollNext(out) === 'MORE_AVAILABLE'; i++);
  return out.records.length - before
}

describe('DataGenSource', () => {
  afterEach(() => {
    vi.useRealTimers()
  })

  it('example: generates orders at a limited rate', () => {
    // #region example
    // 1,000,000 orders, at most 10,000 per second over all subtasks
    const orders = DataGenSource.of((i) => ({ id: i, amount: (i * 7919) % 1000 }), {
      count: 1_000_000,
      rowsPerSecond: 10_000,
    })
    // #endregion example
    expect(orders.boundedness).toBe('bounded')
    const clock = new ManualClock()
    const { readers, outputs } = wire(orders, 2, { clock })
    clock.advance(1000)
    for (let i = 0; i < 2; i++) for (let k = 0; k < 100 && readers[i]!.pollNext(outputs[i]!) === 'MORE_AVAILABLE'; k++);
    expect(outputs[0]!.records.length + outputs[1]!.records.length).toBe(10_000)
    expect(outputs[1]!.values[0]).toEqual({ id: 500_000, amount: (500_000 * 7919) % 1000 })
  })

  it('generates each index of a bounded sequence exactly once, calling the generator once per index', async () => {
    const calls: number[] = []
    const source = DataGenSource.of(
      (i) => {
        calls.push(i)
        return i * 10
      },
      { count: 10_007, splitsPerSubtask: 2 },
    )
    expect(source.boundedness).toBe('bounded')
    const outputs = await runBounded(source, 3)
    const all = outputs.flatMap((o) => o.values)
    expect(all.sort((a, b) => a - b)).toEqual(range(10_007).map((i) => i * 10))
    expect(calls).toHaveLength(10_007)
    for (const out of outputs) {
      // two splits per subtask, each a contiguous range emitted in order
      const splits = bySplit(out.records)
      expect(splits.size).toBe(2)
      for (const records of splits.values()) {
        const values = records.map((r) => r.value / 10)
        expect(values).toEqual(range(values.length).map((k) => values[0]! + k))
      }
    }
  })

  it('handles an empty sequence and more subtasks than records', async () => {
    expect((await runBounded(DataGenSource.of((i) => i, { count: 0 }), 2)).flatMap((o) => o.values)).toEqual([])
    const outputs = await runBounded(DataGenSource.of((i) => i, { count: 3 }), 5)
    expect(outputs.flatMap((o) => o.values).sort()).toEqual([0, 1, 2])
  })

  it('interleaves the splits of an unbounded sequence so that together they cover every index once', () => {
    const source = DataGenSource.of((i) => i, { splitsPerSubtask: 2 })
    expect(source.boundedness).toBe('unbounded')
    const wired = wire(source, 2)
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 2; i++) expect(wired.readers[i]!.pollNext(wired.outputs[i]!)).toBe('MORE_AVAILABLE')
    }
    // 4 splits with step 4; each reader has advanced both its splits by 3 batches
    const state = wired.readers.map((r) => r.snapshotState(1))
    expect(state).toEqual([
      [
        { splitId: '0', next: 0 + 3 * 1024 * 4, step: 4 },
        { splitId: '2', next: 2 + 3 * 1024 * 4, step: 4 },
      ],
      [
        { splitId: '1', next: 1 + 3 * 1024 * 4, step: 4 },
        { splitId: '3', next: 3 + 3 * 1024 * 4, step: 4 },
      ],
    ])
    const all = wired.outputs.flatMap((o) => o.values).sort((a, b) => a - b)
    expect(all).toEqual(range(4 * 3 * 1024))
    for (const out of wired.outputs) {
      for (const records of bySplit(out.records).values()) {
        for (let k = 1; k < records.length; k++) expect(records[k]!.value - records[k - 1]!.value).toBe(4)
      }
    }
  })

  it('restores at the checkpointed indices', async () => {
    const source = DataGenSource.of((i) => i, { count: 3000 })
    const wired = wire(source, 1)
    wired.readers[0]!.pollNext(wired.outputs[0]!)
    const state = wired.readers[0]!.snapshotState(7)
    expect(state).toEqual([{ splitId: '0', next: 1024, end: 3000, step: 1 }])
    const [rest] = await runBounded(source, 1, { restore: { enumerator: [], readers: [state] } })
    expect([...wired.outputs[0]!.values, ...rest!.values]).toEqual(range(3000))
  })

  it('emits rowsPerSecond records per second of its clock, and one second worth at most after a pause', () => {
    const clock = new ManualClock(1_000_000)
    const source = DataGenSource.of((i) => i, { rowsPerSecond: 100 })
    const { readers, outputs } = wire(source, 1, { clock })
    const [reader, out] = [readers[0]!, outputs[0]!]
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    expect(out.records).toHaveLength(0)
    clock.advance(1000)
    expect(pollWhileMore(reader, out)).toBe(100)
    clock.advance(250)
    expect(pollWhileMore(reader, out)).toBe(25)
    clock.advance(9)
    expect(pollWhileMore(reader, out)).toBe(0)
    clock.advance(1)
    expect(pollWhileMore(reader, out)).toBe(1)
    // a long pause: the bucket holds one second's worth, not ten
    clock.advance(10_000)
    expect(pollWhileMore(reader, out)).toBe(100)
    clock.advance(1000)
    expect(pollWhileMore(reader, out)).toBe(100)
    expect(out.values).toEqual(range(326))
  })

  it('splits the rate over the subtasks so that together they emit exactly rowsPerSecond per second', () => {
    const clock = new ManualClock()
    const source = DataGenSource.of((i) => i, { rowsPerSecond: 10 })
    const { readers, outputs } = wire(source, 3, { clock })
    const totals: number[] = []
    for (let second = 1; second <= 6; second++) {
      for (let step = 0; step < 10; step++) {
        clock.advance(100)
        for (let i = 0; i < 3; i++) pollWhileMore(readers[i]!, outputs[i]!)
      }
      totals.push(outputs.reduce((n, o) => n + o.records.length, 0))
    }
    expect(totals).toEqual([10, 20, 30, 40, 50, 60])
    // evenly: each reader 20 in 6 s
    expect(outputs.map((o) => o.records.length)).toEqual([20, 20, 20])
  })

  it('resolves isAvailable from a timer when the next record is due, and ends a bounded rated source', async () => {
    vi.useFakeTimers()
    const clock = new ManualClock()
    const source = DataGenSource.of((i) => i, { count: 3, rowsPerSecond: 100 })
    const { readers, outputs } = wire(source, 1, { clock })
    const [reader, out] = [readers[0]!, outputs[0]!]
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    let woke = false
    void reader.isAvailable().then(() => (woke = true))
    await vi.advanceTimersByTimeAsync(9)
    expect(woke).toBe(false)
    clock.advance(10)
    await vi.advanceTimersByTimeAsync(1)
    expect(woke).toBe(true)
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    clock.advance(20)
    expect(pollWhileMore(reader, out)).toBe(2)
    expect(reader.pollNext(out)).toBe('END_OF_INPUT')
    expect(out.values).toEqual([0, 1, 2])
    expect(out.released).toEqual(['0'])
    reader.close()
  })

  it('emits a batch per poll without a rate', () => {
    const reader = DataGenSource.of((i) => i).createReader(fakeReaderContext(0, 1))
    const out = new RecordingOutput<number>()
    reader.addSplits([{ splitId: '0', next: 0, step: 1 } satisfies DataGenSplit])
    expect(reader.pollNext(out)).toBe('MORE_AVAILABLE')
    expect(out.records).toHaveLength(1024)
  })

  it('rejects options that cannot work', () => {
    expect(() => DataGenSource.of((i) => i, { count: -1 })).toThrow(ConfigError)
    expect(() => DataGenSource.of((i) => i, { count: 1.5 })).toThrow(/count/)
    expect(() => DataGenSource.of((i) => i, { rowsPerSecond: 0 })).toThrow(/rowsPerSecond/)
    expect(() => DataGenSource.of((i) => i, { splitsPerSubtask: 0 })).toThrow(/splitsPerSubtask/)
  })
})
