import { describe, expect, it } from 'vitest'
import { SystemClock } from '@strom/runtime'
import type { SinkWriterContext } from '@strom/runtime'
import { SampleSink } from './sample-sink.js'

const contextFor = (sink: SampleSink<number>, subtaskIndex: number): SinkWriterContext => ({
  subtaskIndex,
  parallelism: 2,
  operatorName: 'sample',
  clock: SystemClock,
  sendToCoordinator: (m) => sink.onWriterMessage(subtaskIndex, m),
})

describe('SampleSink', () => {
  it('counts every record and keeps the latest few, over all writers, until drained', () => {
    const sink = new SampleSink<number>(3)
    const a = sink.createWriter(contextFor(sink, 0))
    const b = sink.createWriter(contextFor(sink, 1))
    for (let i = 1; i <= 7; i++) a.write(i, i)
    a.flush(false)
    b.write(100, 0)
    b.flush(false)
    b.flush(false) // nothing new: no message
    expect(sink.drain()).toEqual({ count: 8, latest: [6, 7, 100] })
    expect(sink.drain()).toEqual({ count: 0, latest: [] })
    a.write(8, 8)
    a.flush(true)
    expect(sink.drain()).toEqual({ count: 1, latest: [8] })
    expect(sink.total).toBe(9)
    sink.reset()
    expect(sink.total).toBe(0)
  })

  it('keeps at least one record', () => {
    expect(() => new SampleSink(0)).toThrow(RangeError)
  })
})
