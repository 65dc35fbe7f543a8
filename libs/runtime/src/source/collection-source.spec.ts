import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CollectionSource, type CollectionSplit } from './collection-source.js'
import { FakeEnumeratorContext, RecordingOutput, runBounded, wire } from './test-kit.js'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe('CollectionSource', () => {
  it('example: reads words, and clicks with their timestamps', async () => {
    // #region example
    const words = CollectionSource.of(['to', 'be', 'or', 'not', 'to', 'be'])
    const clicks = CollectionSource.ofTimestamped([
      { value: 'home', timestamp: 1_000 },
      { value: 'cart', timestamp: 4_000 },
    ])
    // #endregion example
    expect((await runBounded(words, 2)).map((o) => o.values)).toEqual([
      ['to', 'be', 'or'],
      ['not', 'to', 'be'],
    ])
    expect((await runBounded(clicks, 1))[0]!.records.map((r) => r.timestamp)).toEqual([1_000, 4_000])
  })

  it('emits every element exactly once at any parallelism, each subtask a contiguous range in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 9 }), async (n, p) => {
        const outputs = await runBounded(CollectionSource.of(range(n)), p)
        let next = 0
        for (const out of outputs) {
          for (const v of out.values) expect(v).toBe(next++)
        }
        expect(next).toBe(n)
        // one split per subtask, of (nearly) equal size
        for (const out of outputs) expect(Math.abs(out.values.length - n / p)).toBeLessThan(1)
      }),
      { numRuns: 40 },
    )
  })

  it('emits each element with its timestamp, through its split output, and releases finished splits', async () => {
    const source = CollectionSource.ofTimestamped([
      { value: 'a', timestamp: 10 },
      { value: 'b', timestamp: 5 },
      { value: 'c', timestamp: 30 },
      { value: 'd', timestamp: 20 },
    ])
    const [first, second] = await runBounded(source, 2)
    expect(first!.records).toEqual([
      { value: 'a', timestamp: 10, splitId: '0' },
      { value: 'b', timestamp: 5, splitId: '0' },
    ])
    expect(second!.records).toEqual([
      { value: 'c', timestamp: 30, splitId: '1' },
      { value: 'd', timestamp: 20, splitId: '1' },
    ])
    expect(first!.released).toEqual(['0'])
    expect(second!.released).toEqual(['1'])
  })

  it('copies the elements when it is made', async () => {
    const values = [1, 2, 3]
    const source = CollectionSource.of(values)
    values.push(4)
    expect(source.size).toBe(3)
    const [out] = await runBounded(source, 1)
    expect(out!.values).toEqual([1, 2, 3])
  })

  it('emits a batch per poll and ends only after the enumerator says no more splits come', () => {
    const source = CollectionSource.of(range(2500))
    const reader = source.createReader()
    const out = new RecordingOutput<number>()
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    reader.addSplits([{ splitId: '0', next: 0, end: 2500 }])
    expect(reader.pollNext(out)).toBe('MORE_AVAILABLE')
    expect(out.records).toHaveLength(1024)
    expect(reader.pollNext(out)).toBe('MORE_AVAILABLE')
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    expect(out.records).toHaveLength(2500)
    reader.notifyNoMoreSplits()
    expect(reader.pollNext(out)).toBe('END_OF_INPUT')
  })

  it('restores from a checkpoint and continues after the last element emitted before it', async () => {
    const n = 5000
    const source = CollectionSource.of(range(n))
    const wired = wire(source, 2)
    // each reader emits one batch, then a checkpoint is taken
    for (let i = 0; i < 2; i++) wired.readers[i]!.pollNext(wired.outputs[i]!)
    const readerState = wired.readers.map((r) => r.snapshotState(1))
    const enumState = wired.enumerator.snapshotState(1)
    expect(readerState).toEqual([[{ splitId: '0', next: 1024, end: 2500 }], [{ splitId: '1', next: 3524, end: 5000 }]])
    expect(enumState).toEqual([])
    const before = wired.outputs.flatMap((o) => o.values)
    const after = (await runBounded(source, 2, { restore: { enumerator: enumState, readers: readerState } })).flatMap((o) => o.values)
    expect([...before, ...after].sort((a, b) => a - b)).toEqual(range(n))
  })

  it('keeps splits not yet assigned in the enumerator state and assigns them after a restore', async () => {
    const source = CollectionSource.of(range(10))
    const context = new FakeEnumeratorContext<CollectionSplit>(3)
    const enumerator = source.createEnumerator(context)
    enumerator.start()
    context.readers.add(1)
    enumerator.addReader(1)
    expect(context.assigned.get(1)).toEqual([{ splitId: '1', next: 3, end: 6 }])
    expect(context.noMoreSplits.has(1)).toBe(true)
    const state = enumerator.snapshotState(1)
    expect(state.map((s) => s.splitId)).toEqual(['0', '2'])
    // the reader of subtask 1 fails: its split comes back and is assigned again when it registers again
    enumerator.addSplitsBack(context.assigned.get(1)!, 1)
    enumerator.addReader(1)
    expect(context.assigned.get(1)).toHaveLength(2)

    const outputs = await runBounded(source, 3, { restore: { enumerator: state, readers: [[], [{ splitId: '1', next: 3, end: 6 }], []] } })
    expect(outputs.map((o) => o.values)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8, 9],
    ])
  })
})
