import { describe, expect, it } from 'vitest'
import { CollectSink } from './collect-sink.js'
import { writers } from './test-kit.js'

describe('CollectSink', () => {
  it('example: collects what a job wrote', () => {
    // #region make
    const sink = new CollectSink<string>()
    // #endregion make
    // what the runtime does with the writers of the sink's subtasks:
    const [w0, w1] = writers(sink, 2)
    w0!.write('b', 2)
    w1!.write('a', 1)
    w0!.flush(true)
    w1!.flush(true)
    // #region read
    // on the main thread, when the job has ended
    expect([...sink.values].sort()).toEqual(['a', 'b'])
    expect(sink.records.find((r) => r.value === 'a')).toEqual({ value: 'a', timestamp: 1, subtaskIndex: 1 })
    // #endregion read
  })

  it('gathers what every writer wrote, with timestamps and subtasks, keeping each subtask in order', () => {
    const sink = new CollectSink<{ n: number }>()
    const [w0, w1] = writers(sink, 2)
    for (let i = 0; i < 2500; i++) {
      w0!.write({ n: i }, i * 10)
      if (i % 2 === 0) w1!.write({ n: -i }, Number.NaN)
    }
    // full batches of 1024 arrive before the flush
    expect(sink.values.length).toBe(2048 + 1024)
    w0!.flush(false)
    w1!.flush(true)
    w0!.flush(true)
    expect(sink.values).toHaveLength(2500 + 1250)
    expect(sink.valuesOf(0).map((v) => v.n)).toEqual(Array.from({ length: 2500 }, (_, i) => i))
    expect(sink.valuesOf(1).map((v) => v.n)).toEqual(Array.from({ length: 1250 }, (_, i) => -2 * i))
    expect(sink.records.find((r) => r.subtaskIndex === 0 && r.value.n === 7)).toEqual({ value: { n: 7 }, timestamp: 70, subtaskIndex: 0 })
    expect(sink.records.find((r) => r.subtaskIndex === 1)!.timestamp).toBeNaN()
    expect(sink.finishedSubtasks).toEqual(new Set([0, 1]))
    sink.clear()
    expect(sink.values).toEqual([])
    expect(sink.finishedSubtasks.size).toBe(0)
  })

  it('reports its end of input even when a writer got no records', () => {
    const sink = new CollectSink<string>()
    const [w] = writers(sink, 1)
    w!.flush(false)
    expect(sink.finishedSubtasks.size).toBe(0)
    w!.flush(true)
    expect(sink.finishedSubtasks).toEqual(new Set([0]))
    expect(sink.values).toEqual([])
  })
})
